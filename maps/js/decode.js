/* Decoding a compact layer's columns (maps/layers/compact.py encodes them,
 * maps/contract.py declares them: CompactLayer):
 * base64 little-endian typed arrays, dictionary-encoded strings (each value
 * once, then a code per event, 0 for missing) and one gzip-compressed JSON
 * block of unique text. Pure functions of the payload (no DOM, no Leaflet);
 * they use atob, Blob, Response and DecompressionStream, which browsers and
 * node both have. */

export function bytes(b64) {
  const s = atob(b64), out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) { out[i] = s.charCodeAt(i); }
  return out;
}

/* A typed array over the bytes (little-endian, as every browser is). */
export function typed(b64, Type) {
  const b = bytes(b64);
  return new Type(b.buffer, b.byteOffset, b.byteLength / Type.BYTES_PER_ELEMENT);
}

const CODES = { 1: Uint8Array, 2: Uint16Array, 4: Uint32Array };

/* A dictionary column of n events: its values, and a Uint8, Uint16 or
 * Uint32 code per event. Bytes 0 sends no codes: with values [null, v]
 * every event has v (codes all 1, made here, so a reader of codes needs no
 * case of its own); with values [null] every event's is missing (codes null). */
export function column(d, n) {
  if (d.bytes) { return { values: d.values, codes: typed(d.codes, CODES[d.bytes]) }; }
  if (d.values.length === 2) { return { values: d.values, codes: new Uint8Array(n).fill(1) }; }
  return { values: d.values, codes: null };
}

export function columnValue(c, i) {
  return c.codes ? c.values[c.codes[i]] : null;
}

function gunzip(b64) {
  const stream = new Blob([bytes(b64)]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream);
}

/* The text block: base64 of gzip of JSON; a promise of its value. */
export function gunzipJSON(b64) {
  return gunzip(b64).text().then(JSON.parse);
}

/* The details' codes (maps/contract.py, CompactDetails): base64 of gzip of,
 * label after label, a Uint16 or Uint32 code per event; a promise of one
 * typed array per label. */
export function detailCodes(details, n) {
  const Type = details.bytes === 2 ? Uint16Array : Uint32Array;
  return gunzip(details.codes).arrayBuffer().then((buffer) =>
    details.labels.map((_, k) => new Type(buffer, k * n * Type.BYTES_PER_ELEMENT, n)));
}

/* Event i's details, in its own order: [{label, text}]. */
export function detailsOf(details, codes, order, i) {
  if (!codes) { return []; }
  return list(columnValue(order, i)).reduce((out, k) => {
    const text = details.values[k][codes[k][i]];
    if (text !== null && text !== undefined) { out.push({ label: details.labels[k], text }); }
    return out;
  }, []);
}

/* Every column of a payload but the text block: coordinates in 1e-5 degrees
 * (Int32), days since 1970 (Int32, NO_DAY when undated), radius and value
 * (Float32), and the dictionary columns by name. */
export function decodeColumns(d) {
  const cols = {};
  for (const k in d.dict) { cols[k] = column(d.dict[k], d.n); }
  return {
    n: d.n,
    lon: typed(d.lon, Int32Array),
    lat: typed(d.lat, Int32Array),
    day: typed(d.day, Int32Array),
    radius: typed(d.radius, Float32Array),
    value: typed(d.value, Float32Array),
    placed: typed(d.placed, Uint8Array),
    order: column(d.details.order, d.n),
    cols,
  };
}

const NO_TEXT = { id: [], description: [], notes: [] };

/* A JSON list of a dictionary column (figures, sources, actors, flags): null is none. */
function list(json) {
  return json ? JSON.parse(json) : [];
}

/* Event i as the shared popup builder expects it: the record the rich layer
 * sends (maps/contract.py, EventPopup). Until the text block and the details'
 * codes are decompressed (text, codes null), the id is the index and there is
 * no description, notes or details. */
export function compactFeature(d, c, text, codes, i) {
  const t = text || NO_TEXT, cols = c.cols;
  const value = (name) => columnValue(cols[name], i);
  return {
    id: t.id[i] || String(i), title: value("title"), date: value("date"),
    where: value("where"), precision: value("precision"), layer_label: d.layer_label,
    color: d.color, figures: list(value("figures")), flags: list(value("flags")),
    details: detailsOf(d.details, codes, c.order, i), description: t.description[i],
    sources: list(value("sources")), actors: list(value("actors")),
    confidence: value("confidence"), status: value("status"), notes: t.notes[i],
  };
}
