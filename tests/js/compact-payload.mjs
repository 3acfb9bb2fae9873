// A compact layer's payload built by hand, as maps/compact.py encodes one:
// little-endian Int32 coordinates quantized to 1e-5 degrees, Int32 days since
// 1970 (NO_DAY when undated), Float32 radius and value (NaN: no figure),
// Uint8 placements, dictionary columns (values [null, ...distinct in order of
// first use], then a little-endian Uint16 code per event, 0 for missing;
// figures, sources, actors and flags as JSON text of the list), the details
// (a dictionary per label, all codes gzip-compressed together, and each event's
// label order as a dictionary column) and the unique text as base64 of gzip of JSON.
import { gzipSync } from "node:zlib";

export const NO_DAY = -2147483648;

function b64(typedArray) {
  return Buffer.from(typedArray.buffer, typedArray.byteOffset, typedArray.byteLength).toString("base64");
}

// Written byte by byte through a DataView, so the test does not lean on the
// machine being little-endian the way the page does.
function le(values, bytesEach, set) {
  const view = new DataView(new ArrayBuffer(values.length * bytesEach));
  values.forEach((v, i) => set(view, i * bytesEach, v));
  return b64(new Uint8Array(view.buffer));
}

export const int32 = (values) => le(values, 4, (view, at, v) => view.setInt32(at, v, true));
export const float32 = (values) => le(values, 4, (view, at, v) => view.setFloat32(at, v, true));
const uint8 = (values) => le(values, 1, (view, at, v) => view.setUint8(at, v));
const uint16 = (values) => le(values, 2, (view, at, v) => view.setUint16(at, v, true));
const uint32 = (values) => le(values, 4, (view, at, v) => view.setUint32(at, v, true));

/* pd.factorize, then + 1: each distinct value once, 0 for missing; bytes 0:
 * no codes (every value missing). */
export function dictionary(values, bytes = 2) {
  const uniques = [null], codes = [];
  for (const v of values) {
    if (v === null || v === undefined) { codes.push(0); continue; }
    let k = uniques.indexOf(v);
    if (k < 0) { k = uniques.push(v) - 1; }
    codes.push(k);
  }
  if (bytes === 0) { return { values: uniques, codes: "", bytes }; }
  const encode = { 1: uint8, 2: uint16, 4: uint32 }[bytes];
  return { values: uniques, codes: encode(codes), bytes };
}

export function gzipJSON(obj) {
  return gzipSync(Buffer.from(JSON.stringify(obj), "utf-8"), { level: 6 }).toString("base64");
}

const DAY = 86400000;
const day = (iso) => Date.parse(iso + "T00:00:00Z") / DAY;

/* Three events: two dated in Kursk Oblast, one undated in Seoul. */
export const EVENTS = [
  { id: "e1", lon: 36.2921, lat: 51.7358, date: "2024-10-31", label: "October 2024", title: "Kursk clash",
    where: "Kursk Oblast", value: 12, radius: 7.25,
    figures: [{ label: "12 fatalities", text: null }, { label: "about 3 tanks", text: "trois chars" }],
    sources: [{ name: "ACLED" }], placed: 0, precision: null, flags: [],
    details: [{ label: "Event type", text: "Battles: Armed clash" }, { label: "Actor 1", text: "<b>Russia</b>" }],
    actors: ["Russia", "North Korea"], confidence: "high", status: "curated",
    description: "A « quoted » description", notes: null },
  { id: "e2", lon: 36.2921, lat: 51.7358, date: "2024-11-01", label: "November 2024", title: "Kursk clash",
    where: "Kursk Oblast", figures: [], value: NaN, radius: 6, placed: 2,
    precision: "placed at: admin1 centre", flags: ["placed at Kursk (admin1): 'X' not found"],
    details: [{ label: "Geo precision", text: "the region (3)" }, { label: "Event type", text: "Battles: Armed clash" }],
    sources: [
      { name: "ACLED" },
      { name: "Ukrainska Pravda; Kyiv Independent", date: "2024-11", claim: "Shelling, they say",
        url: "https://example.org/a?b=1&c=2", document: "Report of 2 November" },
    ],
    actors: [], confidence: "low",
    status: "draft", description: null, notes: "note </script> & <b>" },
  { id: "e3", lon: 126.9784, lat: 37.566, date: null, label: null, title: "Briefing",
    where: null, figures: [], value: NaN, radius: 6, placed: 1, precision: null, flags: [], details: [],
    sources: [], actors: [], confidence: "medium", status: "curated", description: null, notes: null },
];

const jsonList = (items) => (items.length ? JSON.stringify(items) : null);

/* As maps/layers/compact.py writes the details: a dictionary per label, the
 * codes of every label one after the other, gzip-compressed. */
function details(events) {
  const labels = [];
  const order = events.map((e) => {
    const nums = e.details.map((d) => {
      if (!labels.includes(d.label)) { labels.push(d.label); }
      return labels.indexOf(d.label);
    });
    return nums.length ? JSON.stringify(nums) : null;
  });
  const values = [], codes = [];
  labels.forEach((label) => {
    const col = dictionary(events.map((e) => {
      const d = e.details.find((x) => x.label === label);
      return d ? d.text : null;
    }));
    values.push(col.values);
    codes.push(Buffer.from(col.codes, "base64"));
  });
  return {
    labels, values, bytes: 2, order: dictionary(order),
    codes: gzipSync(Buffer.concat(codes), { level: 6 }).toString("base64"),
  };
}

export function payload(events = EVENTS) {
  return {
    n: events.length,
    lon: int32(events.map((e) => Math.round(e.lon * 1e5))),
    lat: int32(events.map((e) => Math.round(e.lat * 1e5))),
    day: int32(events.map((e) => (e.date ? day(e.date) : NO_DAY))),
    radius: float32(events.map((e) => e.radius)),
    value: float32(events.map((e) => e.value)),
    placed: Buffer.from(events.map((e) => e.placed)).toString("base64"),
    unit: "fatalities",
    unit_one: "fatality",
    dict: {
      title: dictionary(events.map((e) => e.title)),
      date: dictionary(events.map((e) => e.label)),
      where: dictionary(events.map((e) => e.where)),
      precision: dictionary(events.map((e) => e.precision), 1),
      figures: dictionary(events.map((e) => jsonList(e.figures))),
      sources: dictionary(events.map((e) => jsonList(e.sources))),
      actors: dictionary(events.map((e) => jsonList(e.actors))),
      flags: dictionary(events.map((e) => jsonList(e.flags))),
      confidence: dictionary(events.map((e) => e.confidence), 4),
      status: dictionary(events.map((e) => e.status), 1),
      none: dictionary(events.map(() => null), 0),
    },
    details: details(events),
    text: gzipJSON({
      id: events.map((e) => e.id),
      description: events.map((e) => e.description),
      notes: events.map((e) => e.notes),
    }),
    layer_label: "Battles",
    color: "#D55E00",
  };
}
