import assert from "node:assert/strict";
import { test } from "node:test";

import { NO_DAY } from "../../maps/js/filter.js";
import {
  CHUNK, dateOrder, defaultView, filterTable, fold, foldStep, plan, searchRows, visibleBounds, visibleRows,
} from "../../maps/js/query.js";
import { addText, dictionary, richTable } from "../../maps/js/table.js";

const DAY = 86400000;
const day = (iso) => Date.parse(iso + "T00:00:00Z") / DAY;
const ms = (iso) => Date.parse(iso + "T00:00:00Z");
const view = (patch) => Object.assign(defaultView(), patch);

/* A table as table.js builds one, from rows of plain fields. */
function table(rows, key = "battles") {
  const n = rows.length, col = (k) => dictionary(rows.map((r) => r[k] ?? null));
  const actors = dictionary(rows.map((r) => (r.actors && r.actors.length ? JSON.stringify(r.actors) : null)));
  actors.lists = actors.values.map((v) => (v ? JSON.parse(v) : []));
  return {
    key, n,
    start: Int32Array.from(rows.map((r) => (r.start ? day(r.start) : NO_DAY))),
    end: Int32Array.from(rows.map((r) => (r.start ? day(r.end || r.start) : NO_DAY))),
    kind: col("kind"), sub: col("sub"), actors, country: col("country"), region: col("region"),
    prec: col("prec"), fat: Float32Array.from(rows.map((r) => r.fat ?? NaN)),
    lat: Float64Array.from(rows.map((r) => r.lat ?? NaN)), lon: Float64Array.from(rows.map((r) => r.lon ?? NaN)),
    visible: new Uint8Array(n).fill(1),
    text: { title: col("title"), where: col("where"), description: rows.map((r) => r.description ?? null), notes: null },
  };
}

const ROWS = [
  { start: "2024-02-28", kind: "battles", sub: "Armed clash", actors: ["Russia", "Ukraine"], country: "UA",
    region: "ne:UA-63", prec: "point", fat: 3, title: "Clash near Kharkiv", where: "Kharkiv", lat: 50, lon: 36 },
  { start: "2024-03-01", end: "2024-03-31", kind: "battles", sub: "Armed clash", actors: ["Russia"],
    country: "UA", region: "ne:UA-14", prec: "admin1", fat: 0, title: "Fighting", where: "Donetsk", lat: 48, lon: 37.8 },
  { start: "2024-05-31", kind: "explosions_remote_violence", sub: "Shelling", actors: ["Ukraine"],
    country: "RU", region: "ne:RU-KRS", prec: "near", title: "Shelling", where: "Sudzha", lat: 51.2, lon: 35.3,
    description: "Shells hit KHARKÍV's outskirts" },
  { start: "2024-06-01", kind: "battles", sub: "Armed clash", country: "UA", fat: 12, title: "Clash", where: "Kupiansk",
    lat: 49.7, lon: 37.6 },
  { start: null, kind: "battles", title: "Undated", where: "Charkiw" },
];

const shown = (t) => [...t.visible].map((v, i) => (v ? i : -1)).filter((i) => i >= 0);

test("the time window keeps events overlapping it: start <= t1 and end >= t0", () => {
  const t = table(ROWS);
  const r = filterTable(t, plan(view({ t0: ms("2024-03-01"), t1: ms("2024-06-01") - 1 })));
  assert.deepEqual(shown(t), [1, 2]);
  assert.equal(r.count, 2);
  // A month-long event overlaps a window that starts in its middle.
  filterTable(t, plan(view({ t0: ms("2024-03-15"), t1: ms("2024-03-16") - 1 })));
  assert.deepEqual(shown(t), [1]);
  // Open ends are unbounded: from the start up to t1, from t0 on.
  filterTable(t, plan(view({ t0: null, t1: ms("2024-03-01") - 1 })));
  assert.deepEqual(shown(t), [0]);
  filterTable(t, plan(view({ t0: ms("2024-05-31"), t1: null })));
  assert.deepEqual(shown(t), [2, 3]);
});

test("undated events: auto shows them with every date only; show and hide say so", () => {
  const t = table(ROWS);
  filterTable(t, plan(view({})));
  assert.deepEqual(shown(t), [0, 1, 2, 3, 4]);
  filterTable(t, plan(view({ t1: ms("2024-03-01") })));
  assert.deepEqual(shown(t), [0, 1]);
  filterTable(t, plan(view({ t1: ms("2024-03-01"), undated: "show" })));
  assert.deepEqual(shown(t), [0, 1, 4]);
  filterTable(t, plan(view({ undated: "hide" })));
  assert.deepEqual(shown(t), [0, 1, 2, 3]);
});

test("dictionary filters: kind, sub-type, actor (any of the event's), country, admin1, precision", () => {
  const t = table(ROWS);
  const count = (patch) => filterTable(t, plan(view(patch))).count;
  assert.equal(count({ kind: ["battles"] }), 4);
  assert.equal(count({ kind: ["explosions_remote_violence", "battles"] }), 5);
  assert.equal(count({ kind: ["nothing"] }), 0);
  assert.equal(count({ sub: ["Armed clash"] }), 3);
  assert.equal(count({ actor: ["Ukraine"] }), 2);
  assert.equal(count({ actor: ["Russia", "Ukraine"] }), 3);
  assert.equal(count({ country: ["RU"] }), 1);
  assert.equal(count({ admin1: ["ne:UA-63", "ne:UA-14"] }), 2);
  assert.equal(count({ prec: ["near", "point"] }), 2);
  assert.equal(count({ kind: ["battles"], country: ["UA"], sub: ["Armed clash"], actor: ["Russia"] }), 2);
  assert.equal(count({ kind: [] }), 5);  // an empty list is no filter
});

test("fatalities bounds are inclusive; an event without a figure fails a set bound", () => {
  const t = table(ROWS);
  const count = (fat) => filterTable(t, plan(view({ fat }))).count;
  assert.equal(count([null, null]), 5);
  assert.equal(count([0, null]), 3);
  assert.equal(count([1, null]), 2);
  assert.equal(count([null, 3]), 2);
  assert.equal(count([3, 12]), 2);
  assert.equal(count([4, 11]), 0);
});

test("search is case- and accent-insensitive over title, place and description", () => {
  assert.equal(fold("KHARKÍV Ünïcödé"), "kharkiv unicode");
  const t = table(ROWS);
  const count = (q) => filterTable(t, plan(view({ q }))).count;
  assert.equal(count("kharkiv"), 2);  // a title, and a description's KHARKÍV
  assert.equal(count("  Kharkiv "), 2);
  assert.equal(count("CHARKIW"), 1);
  assert.equal(count("clash"), 2);
  assert.equal(count("nowhere"), 0);
  assert.equal(count(""), 5);
});

test("search is cached per query: a window change does not search again", () => {
  const t = table(ROWS);
  const first = searchRows(t, "clash");
  assert.equal(searchRows(t, "clash"), first);
  filterTable(t, plan(view({ q: "clash", t1: ms("2024-04-01") })));
  assert.equal(t.search.match, first);
  assert.notEqual(searchRows(t, "fighting"), first);
  // New text (a compact layer's text block, decompressed) is searched anew.
  addText(t, { description: ROWS.map(() => "clash"), notes: ROWS.map(() => null) });
  assert.equal(filterTable(t, plan(view({ q: "clash" }))).count, 5);
});

/* What search should find: each row's text folded on its own. */
function searchedAlone(t, q) {
  const text = (v) => (v === null || v === undefined ? "" : fold(v));
  const out = new Uint8Array(t.n);
  for (let i = 0; i < t.n; i++) {
    const hit = [t.text.title.values[t.text.title.codes[i]], t.text.where.values[t.text.where.codes[i]],
      t.text.description && t.text.description[i], t.text.notes && t.text.notes[i]].some((v) => text(v).includes(q));
    out[i] = hit ? 1 : 0;
  }
  return out;
}

test("text folded in chunks ahead of time finds what each row folded alone would", () => {
  // More rows than a chunk, text that folding changes in length or by context,
  // and a \0 in the data.
  const words = ["Kharkív", "ΟΔΟΣ Σ", "İstanbul", "Ǆemal", "e\u0301cole", "ﬁre", "a\0b", "", "Straße", "Œuvre"];
  const n = CHUNK + 1234, rows = [];
  for (let i = 0; i < n; i++) {
    rows.push({ title: words[i % 7], where: words[(i * 3) % 10] + " " + (i % 100), description: i % 5 ? words[i % 10] + i : null });
  }
  const t = table(rows);
  addText(t, { description: t.text.description, notes: rows.map((r, i) => (i % 3 ? null : "notes " + words[(i + 1) % 10])) });
  let slices = 0;
  while (foldStep(t)) { slices += 1; }
  assert.ok(slices >= 4);  // title, place, two chunks of descriptions, notes
  assert.equal(foldStep(t), false);
  for (const q of ["kharkiv", "οδος σ", "οδοσ", "istanbul", "dzemal", "ecole", "fire", "a b", "b", "1234",
    "strasse", "straße", "oeuvre", "œuvre", "s 1", "v\0b", "\0", "notes ecole", "99", "zz"]) {
    assert.deepEqual(searchRows(t, fold(q)), searchedAlone(t, fold(q)), q);
  }
  // A match never runs from one row's text into the next.
  const two = table([{ description: "ab" }, { description: "cd" }]);
  assert.deepEqual([...searchRows(two, "b\0c")], [0, 0]);
  assert.deepEqual([...searchRows(two, "d")], [0, 1]);
});

test("a search before the folding is done folds the rest and gives every match", () => {
  const rows = Array.from({ length: 2 * CHUNK + 5 }, (_, i) => ({ title: "t", where: "w", description: "row " + i + " Kyïv" }));
  const t = table(rows);
  assert.equal(foldStep(t), true);
  assert.equal(foldStep(t), true);  // title, place: the descriptions are next
  assert.equal(foldStep(t), true);
  assert.equal(filterTable(t, plan(view({ q: "kyiv" }))).count, rows.length);
  assert.equal(filterTable(t, plan(view({ q: "row 40004 " }))).count, 1);
  assert.equal(foldStep(t), false);
  // New text starts folding again.
  addText(t, { description: rows.map(() => "other"), notes: null });
  assert.equal(foldStep(t), true);
  assert.equal(filterTable(t, plan(view({ q: "kyiv" }))).count, 0);
});

test("layers: a table whose key is not listed shows nothing", () => {
  const t = table(ROWS);
  assert.equal(filterTable(t, plan(view({ layers: ["protests"] }))).count, 0);
  assert.equal(filterTable(t, plan(view({ layers: ["battles"] }))).count, 5);
});

test("filterTable says whether anything changed", () => {
  const t = table(ROWS);
  assert.equal(filterTable(t, plan(view({}))).changed, false);
  assert.equal(filterTable(t, plan(view({ kind: ["battles"] }))).changed, true);
  assert.equal(filterTable(t, plan(view({ kind: ["battles"] }))).changed, false);
});

test("a column whose every value is missing (no codes) passes no filter on it", () => {
  const t = table(ROWS);
  t.sub = { values: [null], codes: null };
  assert.equal(filterTable(t, plan(view({ sub: ["Armed clash"] }))).count, 0);
  assert.equal(filterTable(t, plan(view({}))).count, 5);
});

test("rows in date order (undated last), the visible ones, and their bounds", () => {
  const a = table([ROWS[3], ROWS[4], ROWS[0]]), b = table([ROWS[2], ROWS[1]], "explosions");
  const order = dateOrder([a, b]);
  assert.deepEqual([...order.table], [0, 1, 1, 0, 0]);
  assert.deepEqual([...order.row], [2, 1, 0, 0, 1]);
  filterTable(a, plan(view({ kind: ["battles"], t1: ms("2024-04-01") })));
  filterTable(b, plan(view({ kind: ["battles"], t1: ms("2024-04-01") })));
  const rows = visibleRows([a, b], order);
  assert.equal(rows.n, 2);
  assert.deepEqual([...rows.table], [0, 1]);
  assert.deepEqual([...rows.row], [2, 1]);
  assert.deepEqual(visibleBounds([a, b]), [[48, 36], [50, 37.8]]);
  filterTable(a, plan(view({ kind: ["none"] })));
  filterTable(b, plan(view({ kind: ["none"] })));
  assert.equal(visibleBounds([a, b]), null);
});

test("a rich table has a row per event, a bundle's members rows of its item; places none", () => {
  const member = (id, start) => ({ id, kind: "deployment", start: ms(start), end: ms(start) + 86399999, title: id,
    shape: "flow", lat: 50, lon: 36 });
  const bundle = { id: "b", kind: "deployment", shape: "flow", members: [member("m1", "2024-10-01"), member("m2", "2024-12-01")] };
  const single = { id: "c", kind: "deployment", shape: "circle", start: null, lat: 51, lon: 35, title: "c",
    fatalities: 4, actor_names: ["Russia"], end: ms("2024-10-10") };
  const place = { id: "s", kind: "source", shape: "circle", lat: 1, lon: 1 };
  const items = [{ id: 1 }, { id: 2 }, { id: 3 }];
  const t = richTable("deployments", "Troop deployments", [
    { feature: bundle, item: items[0] }, { feature: single, item: items[1] }, { feature: place, item: items[2] }]);
  assert.equal(t.n, 3);
  assert.deepEqual(t.rowsOf(items[0]), [0, 1]);
  assert.deepEqual(t.rowsOf(items[2]), []);
  assert.equal(t.rowOf(bundle.members[1]), 1);
  assert.deepEqual([...t.point], [0, 0, 1]);
  assert.equal(t.start[2], NO_DAY);
  assert.equal(t.fat[2], 4);
  assert.ok(Number.isNaN(t.fat[0]));
  assert.deepEqual(t.actors.lists[t.actors.codes[2]], ["Russia"]);
  filterTable(t, plan(view({ t0: ms("2024-11-01") })));
  assert.deepEqual([...t.visible], [0, 1, 0]);
});

test("10^6 rows: a window change is one loop without allocation per row", () => {
  const n = 1000000, kinds = ["battles", "explosions", "protests", "riots"];
  const t = {
    key: "k", n, start: new Int32Array(n), end: new Int32Array(n), fat: new Float32Array(n),
    kind: { values: [null, ...kinds], codes: new Uint8Array(n) },
    sub: { values: [null], codes: null }, actors: { values: [null], codes: null, lists: [[]] },
    country: { values: [null, "UA"], codes: new Uint8Array(n).fill(1) }, region: { values: [null], codes: null },
    prec: { values: [null], codes: null }, visible: new Uint8Array(n).fill(1),
    text: { title: { values: [null], codes: null }, where: { values: [null], codes: null }, description: null, notes: null },
  };
  for (let i = 0; i < n; i++) {
    t.start[i] = 19000 + (i % 1200); t.end[i] = t.start[i] + (i % 7 === 0 ? 30 : 0);
    t.kind.codes[i] = 1 + (i % 4); t.fat[i] = i % 5;
  }
  let expected = 0;
  const d0 = 19300, d1 = 19391;
  for (let i = 0; i < n; i++) {
    if (t.start[i] <= d1 && t.end[i] >= d0 && t.kind.codes[i] === 1 && t.fat[i] >= 1) { expected += 1; }
  }
  const v = view({ t0: d0 * DAY, t1: (d1 + 1) * DAY - 1, kind: ["battles"], country: ["UA"], fat: [1, null] });
  const r = filterTable(t, plan(v));
  assert.equal(r.count, expected);
  const times = [];
  for (let k = 0; k < 10; k++) {
    const at = performance.now();
    filterTable(t, plan(view({ ...v, t0: (d0 + k) * DAY })));
    times.push(performance.now() - at);
  }
  times.sort((a, b) => a - b);
  console.log(`# filterTable on 10^6 rows: median ${times[5].toFixed(1)} ms, best ${times[0].toFixed(1)} ms`);
});
