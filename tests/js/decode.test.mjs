import assert from "node:assert/strict";
import { test } from "node:test";

import {
  bytes, column, columnValue, compactFeature, decodeColumns, detailCodes, detailsOf, gunzipJSON,
  typed,
} from "../../maps/js/decode.js";
import { dictionary, EVENTS, float32, int32, NO_DAY, payload } from "./compact-payload.mjs";

test("bytes reads base64", () => {
  assert.deepEqual([...bytes("AAH/gA==")], [0, 1, 255, 128]);
  assert.deepEqual([...bytes("")], []);
});

test("typed arrays are little-endian Int32 and Float32", () => {
  assert.deepEqual([...typed(int32([1, -1, 2 ** 31 - 1, NO_DAY]), Int32Array)], [1, -1, 2 ** 31 - 1, NO_DAY]);
  assert.deepEqual([...typed("AQAAAA==", Int32Array)], [1]);  // 01 00 00 00
  const f = typed(float32([7.25, 0.1, NaN]), Float32Array);
  assert.equal(f[0], 7.25);
  assert.equal(f[1], Math.fround(0.1));
  assert.ok(Number.isNaN(f[2]));
});

test("dictionary columns: code 0 is missing, Uint8, Uint16 or Uint32 codes", () => {
  const types = { 1: Uint8Array, 2: Uint16Array, 4: Uint32Array };
  for (const width of [1, 2, 4]) {
    const c = column(dictionary(["a", null, "b", "a"], width));
    assert.equal(c.codes instanceof types[width], true);
    assert.deepEqual([0, 1, 2, 3].map((i) => columnValue(c, i)), ["a", null, "b", "a"]);
  }
  // A column every event misses has no codes at all.
  const none = column(dictionary([null, null], 0));
  assert.equal(none.codes, null);
  assert.deepEqual([0, 1].map((i) => columnValue(none, i)), [null, null]);
});

test("a column of one value for every event has no codes, and reads as codes all 1", () => {
  // As maps/layers/compact.py writes a layer's kind, or a one-country layer's country.
  const one = column({ values: [null, "UA"], codes: "", bytes: 0 }, 3);
  assert.deepEqual(one.values, [null, "UA"]);
  assert.deepEqual([...one.codes], [1, 1, 1]);  // what query.js and bins.js read
  assert.deepEqual([0, 1, 2].map((i) => columnValue(one, i)), ["UA", "UA", "UA"]);
  // The all-missing form stays as it was: no codes.
  assert.equal(column({ values: [null], codes: "", bytes: 0 }, 3).codes, null);
});

test("a payload's one-value columns decode for each of its events, details order too", () => {
  const d = payload();
  d.dict.country = { values: [null, "RU"], codes: "", bytes: 0 };
  d.details.order = { values: [null, "[0,1]"], codes: "", bytes: 0 };
  const c = decodeColumns(d);
  assert.deepEqual([0, 1, 2].map((i) => columnValue(c.cols.country, i)), ["RU", "RU", "RU"]);
  assert.deepEqual([0, 1, 2].map((i) => columnValue(c.order, i)), ["[0,1]", "[0,1]", "[0,1]"]);
  assert.equal(c.cols.country.codes.length, 3);
});

test("a whole payload decodes column by column", () => {
  const c = decodeColumns(payload());
  assert.equal(c.n, 3);
  assert.deepEqual([...c.lon], [3629210, 3629210, 12697840]);
  assert.deepEqual([...c.lat], [5173580, 5173580, 3756600]);
  assert.deepEqual([...c.day], [20027, 20028, NO_DAY]);  // 2024-10-31, 2024-11-01, undated
  assert.deepEqual([...c.radius], [7.25, 6, 6]);
  assert.equal(c.value[0], 12);
  assert.ok(Number.isNaN(c.value[1]));
  assert.deepEqual([...c.placed], [0, 2, 1]);
  assert.deepEqual(Object.keys(c.cols).sort(), ["actors", "confidence", "date", "figures", "flags",
    "none", "precision", "sources", "status", "title", "where"]);
  assert.deepEqual([0, 1, 2].map((i) => columnValue(c.cols.none, i)), [null, null, null]);
  assert.deepEqual([0, 1, 2].map((i) => columnValue(c.cols.status, i)), ["curated", "draft", "curated"]);
  assert.deepEqual([0, 1, 2].map((i) => columnValue(c.cols.title, i)), ["Kursk clash", "Kursk clash", "Briefing"]);
  assert.deepEqual(c.cols.title.values, [null, "Kursk clash", "Briefing"]);
  assert.deepEqual([0, 1, 2].map((i) => columnValue(c.cols.where, i)), ["Kursk Oblast", "Kursk Oblast", null]);
});

test("the text block is gzip JSON, unicode and markup kept as text", async () => {
  const text = await gunzipJSON(payload().text);
  assert.deepEqual(text.id, ["e1", "e2", "e3"]);
  assert.equal(text.description[0], "A « quoted » description");
  assert.equal(text.notes[1], "note </script> & <b>");
});

test("an event as the popup builder wants it, before and after its text", async () => {
  const d = payload(), c = decodeColumns(d);
  const before = compactFeature(d, c, null, null, 1);
  assert.equal(before.id, "1");  // the index until the text block is read
  assert.equal(before.description, undefined);
  assert.deepEqual(before.details, []);  // and no details until their codes are
  assert.deepEqual(before.flags, EVENTS[1].flags);  // flags are a dictionary column: at once
  const text = await gunzipJSON(d.text), codes = await detailCodes(d.details, d.n);
  assert.deepEqual(compactFeature(d, c, text, codes, 0), {
    id: "e1", title: "Kursk clash", date: "October 2024", where: "Kursk Oblast", precision: null,
    layer_label: "Battles", color: "#D55E00",
    figures: [{ label: "12 fatalities", text: null }, { label: "about 3 tanks", text: "trois chars" }],
    flags: [], details: EVENTS[0].details,
    description: "A « quoted » description",
    sources: [{ name: "ACLED" }],
    actors: ["Russia", "North Korea"], confidence: "high", status: "curated", notes: null,
  });
  const second = compactFeature(d, c, text, codes, 1);
  // A list is JSON text: a name holding "; " stays one source, with all it says.
  assert.deepEqual(second.sources, EVENTS[1].sources);
  assert.deepEqual(second.figures, []);
  assert.deepEqual(second.actors, []);
  assert.equal(second.status, "draft");
  assert.equal(second.precision, "placed at: admin1 centre");
  // Each event's details in its own order, each once.
  assert.deepEqual(second.details, EVENTS[1].details);
  const undated = compactFeature(d, c, text, codes, 2);
  assert.equal(undated.date, null);
  assert.equal(undated.where, null);
  assert.deepEqual(undated.sources, []);
  assert.deepEqual(undated.details, []);
  assert.equal(EVENTS[2].id, undated.id);
});

test("details: one dictionary per label, codes decoded per label", async () => {
  const d = payload();
  assert.deepEqual(d.details.labels, ["Event type", "Actor 1", "Geo precision"]);
  const codes = await detailCodes(d.details, d.n);
  assert.equal(codes.length, 3);
  assert.deepEqual([...codes[0]], [1, 1, 0]);  // one distinct event type, twice; none for e3
  const order = column(d.details.order);
  assert.deepEqual(detailsOf(d.details, codes, order, 1).map((x) => x.label), ["Geo precision", "Event type"]);
  assert.deepEqual(detailsOf(d.details, null, order, 1), []);
});
