/* The filter: which rows of a table (table.js) the view (view.js) shows.
 * The view is turned once into a plan, then, per table, into one lookup
 * table per dictionary column (a byte per distinct value), and tight loops
 * over the typed columns: the filters other than time give a mask, kept
 * until they change, and the window one loop over the days and that mask
 * writes `visible`. No allocation and no string work per row, so a window
 * change over 10^6 events takes a few ms. Search is the one string test:
 * over text folded ahead of time (foldStep, while the page is idle), and
 * cached per table and query, so a window change never searches again.
 * Pure (no DOM, no Leaflet). */

import { DAY, NO_DAY } from "./filter.js";

const MIN_DAY = -2147483647, MAX_DAY = 2147483647;

/* The view every filter starts from: no filter at all. */
export function defaultView() {
  return {
    t0: null, t1: null, undated: "auto", layers: null,
    kind: null, sub: null, actor: null, country: null, admin1: null,
    fat: [null, null], prec: null, q: "", agg: "points", metric: "events", map: null,
  };
}

/* Text as search compares it: lower case, accents and other marks dropped
 * ("Kharkiv", "KHARKÍV" and "kharkív" are one). */
export function fold(s) {
  return String(s).normalize("NFD").replace(/\p{M}+/gu, "").toLowerCase();
}

const list = (v) => (Array.isArray(v) && v.length ? new Set(v.map(String)) : null);
const num = (v) => (typeof v === "number" && Number.isFinite(v) ? v : null);

/* The view as the loop reads it: days, sets and bounds. */
export function plan(view) {
  const t0 = num(view.t0), t1 = num(view.t1);
  const undated = view.undated === "show" ? 1 : view.undated === "hide" ? 0 : (t0 === null && t1 === null ? 1 : 0);
  const fat = Array.isArray(view.fat) ? view.fat : [null, null];
  return {
    d0: t0 === null ? MIN_DAY : Math.floor(t0 / DAY),
    d1: t1 === null ? MAX_DAY : Math.floor(t1 / DAY),
    undated,
    layers: list(view.layers), kind: list(view.kind), sub: list(view.sub), actor: list(view.actor),
    country: list(view.country), admin1: list(view.admin1), prec: list(view.prec),
    fatMin: num(fat[0]), fatMax: num(fat[1]),
    q: typeof view.q === "string" && view.q.trim() ? fold(view.q.trim()) : "",
  };
}

/* A byte per distinct value of a dictionary column: 1 if it is in the set
 * (the missing value, values[0], never is); null when there is no filter. */
export function lookup(col, set) {
  if (!set) { return null; }
  const out = new Uint8Array(col.values.length);
  for (let k = 1; k < col.values.length; k++) { out[k] = set.has(col.values[k]) ? 1 : 0; }
  return out;
}

/* The actors column: a value (a list of names) passes if any name is in the set. */
export function lookupLists(col, set) {
  if (!set) { return null; }
  const out = new Uint8Array(col.values.length);
  for (let k = 1; k < col.values.length; k++) {
    out[k] = col.lists[k].some((a) => set.has(a)) ? 1 : 0;
  }
  return out;
}

/* Search text, folded ahead of the first search: entries (a dictionary's
 * values, or a text per row) in chunks of CHUNK, each chunk's entries joined
 * by \0 into one string folded at once (one toLowerCase per chunk, and
 * normalize only for its runs of non-ASCII), with where each entry starts.
 * Folding a joined text is folding each entry: \0 is a starter that no
 * mark, composition or casing rule crosses. A search is then one indexOf
 * loop per chunk. */
export const CHUNK = 20000;

function foldedList(values) {
  return { values: values || [], chunks: [], at: 0, apart: [] };
}

/* fold() of a long text, the same result: ASCII has no marks and nothing
 * to decompose, so only its runs of other characters are normalized. */
function foldJoined(text) {
  return text.replace(/[^\0-\x7f]+/g, (run) => run.normalize("NFD").replace(/\p{M}+/gu, "")).toLowerCase();
}

const pending = (texts) => texts.at < texts.values.length;

/* Fold the next chunk of a list; false when there was none left. */
function foldChunk(texts) {
  const values = texts.values, first = texts.at, last = Math.min(values.length, first + CHUNK);
  if (first >= last) { return false; }
  const parts = new Array(last - first);
  for (let j = first; j < last; j++) {
    const v = values[j];
    const s = v === null || v === undefined ? "" : String(v);
    // A \0 in the data would part the entry: such a rare one is kept apart.
    if (s.indexOf("\0") < 0) { parts[j - first] = s; } else { parts[j - first] = ""; texts.apart.push([j, fold(s)]); }
  }
  const text = foldJoined(parts.join("\0"));
  const starts = new Int32Array(last - first + 1);
  let at = 0;
  for (let k = 1; k < parts.length; k++) { at = text.indexOf("\0", at) + 1; starts[k] = at; }
  starts[parts.length] = text.length + 1;
  texts.chunks.push({ first, text, starts });
  texts.at = last;
  return true;
}

/* out[j] = 1 for each entry j of the list that holds q (folded). */
function searchList(texts, q, out) {
  while (foldChunk(texts)) { /* a search before the folding is done folds the rest */ }
  const len = q.length;
  texts.chunks.forEach((c) => {
    const text = c.text, starts = c.starts, m = starts.length - 1;
    let p = text.indexOf(q), k = 0;
    while (p >= 0) {
      // The entry p falls in: starts[k] <= p < starts[k + 1]. k only grows,
      // so finding it costs a chunk's entries once, whatever the matches.
      while (starts[k + 1] <= p) { k += 1; }
      if (p + len < starts[k + 1]) {  // within the entry (the \0 after it excluded)
        out[c.first + k] = 1;
        k += 1;
        if (k >= m) { break; }
        p = text.indexOf(q, starts[k]);
      } else {
        p = text.indexOf(q, p + 1);
      }
    }
  });
  texts.apart.forEach(([j, s]) => { if (s.includes(q)) { out[j] = 1; } });
}

/* The folded search text of a table: title and place by distinct value,
 * description and notes by row (again when the text changes: a compact
 * layer's comes after ready). */
function foldedText(table) {
  const t = table.text, version = table.textVersion || 0;
  let f = table.folded;
  if (!f) {
    f = table.folded = { version: -1, title: foldedList(t.title.values), where: foldedList(t.where.values) };
  }
  if (f.version !== version) {
    f.version = version;
    f.description = foldedList(t.description);
    f.notes = foldedList(t.notes);
  }
  return f;
}

/* Fold one chunk of a table's search text, while the page is idle (view.js);
 * false when it is all folded. */
export function foldStep(table) {
  const f = foldedText(table), lists = [f.title, f.where, f.description, f.notes];
  const next = lists.find(pending);
  if (next) { foldChunk(next); }
  return lists.some(pending);
}

/* Rows matching the search q (folded): title and place by distinct value,
 * description and notes row by row. Cached per table, query and text. */
export function searchRows(table, q) {
  const cached = table.search;
  const version = table.textVersion || 0;
  if (cached && cached.q === q && cached.version === version) { return cached.match; }
  const t = table.text, n = table.n, f = foldedText(table);
  const title = new Uint8Array(t.title.values.length), where = new Uint8Array(t.where.values.length);
  searchList(f.title, q, title);
  searchList(f.where, q, where);
  const match = new Uint8Array(n);
  searchList(f.description, q, match);
  searchList(f.notes, q, match);
  const tc = t.title.codes, wc = t.where.codes;
  if (tc) { for (let i = 0; i < n; i++) { match[i] |= title[tc[i]]; } }
  if (wc) { for (let i = 0; i < n; i++) { match[i] |= where[wc[i]]; } }
  table.search = { q, version, match };
  return match;
}

/* One dictionary filter: its lookup and codes, or a whole-table verdict
 * when the column has no codes (every row missing). */
function dictTest(col, lut) {
  if (!lut) { return { lut: null, codes: null, none: false }; }
  if (!col.codes) { return { lut: null, codes: null, none: !lut[0] }; }
  return { lut, codes: col.codes, none: false };
}

/* Every filter but the window, as a text: the rows they keep are kept
 * until it changes, so a window change is one loop. */
function staticKey(p, key) {
  const names = (set) => (set ? [...set].join("\u0000") : "-");
  return [p.layers ? String(p.layers.has(key)) : "-", names(p.kind), names(p.sub), names(p.actor),
    names(p.country), names(p.admin1), names(p.prec), p.fatMin, p.fatMax, p.q].join("\u0001");
}

/* Each pass is a tight loop over typed arrays (V8 runs a few of those
 * faster than one loop testing every filter in turn). */
function lookupPass(out, n, lut, codes) {
  for (let i = 0; i < n; i++) { out[i] &= lut[codes[i]]; }
}

function rangePass(out, n, values, lo, hi) {
  for (let i = 0; i < n; i++) { const f = values[i]; if (!(f >= lo && f <= hi)) { out[i] = 0; } }
}

function maskPass(out, n, mask) {
  for (let i = 0; i < n; i++) { out[i] &= mask[i]; }
}

/* The rows every filter but the window keeps: a byte per row, or null when
 * they keep every row. Cached per table until those filters change. */
export function staticMask(table, p) {
  const key = staticKey(p, table.key) + "\u0001" + (table.textVersion || 0);
  if (table.static && table.static.key === key) { return table.static.mask; }
  const n = table.n;
  let none = p.layers !== null && !p.layers.has(table.key);
  const tests = [
    dictTest(table.kind, lookup(table.kind, p.kind)),
    dictTest(table.sub, lookup(table.sub, p.sub)),
    dictTest(table.actors, lookupLists(table.actors, p.actor)),
    dictTest(table.country, lookup(table.country, p.country)),
    dictTest(table.region, lookup(table.region, p.admin1)),
    dictTest(table.prec, lookup(table.prec, p.prec)),
  ];
  tests.forEach((t) => { if (t.none) { none = true; } });
  const fat = p.fatMin !== null || p.fatMax !== null;
  let mask = null;
  if (none || fat || p.q || tests.some((t) => t.lut)) {
    mask = table.static && table.static.mask ? table.static.mask : new Uint8Array(n);
    mask.fill(none ? 0 : 1);
    if (!none) {
      tests.forEach((t) => { if (t.lut) { lookupPass(mask, n, t.lut, t.codes); } });
      if (fat) {
        rangePass(mask, n, table.fat, p.fatMin === null ? -Infinity : p.fatMin, p.fatMax === null ? Infinity : p.fatMax);
      }
      if (p.q) { maskPass(mask, n, searchRows(table, p.q)); }
    }
  }
  table.static = { key, mask };
  return mask;
}

/* Write table.visible for the plan p: the window, and the other filters'
 * mask; {changed, count}. */
export function filterTable(table, p) {
  const mask = staticMask(table, p);
  const n = table.n, vis = table.visible, start = table.start, end = table.end;
  const d0 = p.d0, d1 = p.d1, undated = p.undated;
  let count = 0, changed = false;
  if (mask === null) {
    for (let i = 0; i < n; i++) {
      const s = start[i];
      const v = s === NO_DAY ? undated : (s <= d1 && end[i] >= d0 ? 1 : 0);
      if (vis[i] !== v) { vis[i] = v; changed = true; }
      count += v;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const s = start[i];
      const v = (s === NO_DAY ? undated : (s <= d1 && end[i] >= d0 ? 1 : 0)) & mask[i];
      if (vis[i] !== v) { vis[i] = v; changed = true; }
      count += v;
    }
  }
  return { changed, count };
}

/* Every row of the tables in date order (undated last, then table, then
 * row): a counting sort by day, computed once. {table, row} typed arrays. */
export function dateOrder(tables) {
  let total = 0, lo = MAX_DAY, hi = MIN_DAY;
  tables.forEach((t) => {
    total += t.n;
    for (let i = 0; i < t.n; i++) {
      const s = t.start[i];
      if (s === NO_DAY) { continue; }
      if (s < lo) { lo = s; }
      if (s > hi) { hi = s; }
    }
  });
  const TableType = tables.length < 65536 ? Uint16Array : Uint32Array;
  const tab = new TableType(total), row = new Uint32Array(total);
  const span = hi >= lo ? hi - lo + 1 : 0;
  if (span > 50000000) {  // days over more than 100,000 years: sort by comparison
    const all = [];
    tables.forEach((t, k) => { for (let i = 0; i < t.n; i++) { all.push([t.start[i] === NO_DAY ? Infinity : t.start[i], k, i]); } });
    all.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    all.forEach((e, j) => { tab[j] = e[1]; row[j] = e[2]; });
    return { table: tab, row, n: total };
  }
  const bucket = (s) => (s === NO_DAY ? span : s - lo);
  const at = new Uint32Array(span + 2);
  tables.forEach((t) => { for (let i = 0; i < t.n; i++) { at[bucket(t.start[i]) + 1] += 1; } });
  for (let b = 0; b <= span; b++) { at[b + 1] += at[b]; }
  tables.forEach((t, k) => {
    for (let i = 0; i < t.n; i++) { const j = at[bucket(t.start[i])]++; tab[j] = k; row[j] = i; }
  });
  return { table: tab, row, n: total };
}

/* The visible rows of the tables, in date order. */
export function visibleRows(tables, order) {
  let n = 0;
  for (let j = 0; j < order.n; j++) { n += tables[order.table[j]].visible[order.row[j]]; }
  const tab = new order.table.constructor(n), row = new Uint32Array(n);
  let k = 0;
  for (let j = 0; j < order.n; j++) {
    const t = order.table[j], r = order.row[j];
    if (tables[t].visible[r]) { tab[k] = t; row[k] = r; k += 1; }
  }
  return { table: tab, row, n };
}

/* [[south, west], [north, east]] of the visible rows with a point, or null. */
export function visibleBounds(tables) {
  let s = Infinity, w = Infinity, nn = -Infinity, e = -Infinity;
  tables.forEach((t) => {
    const vis = t.visible, lat = t.lat, lon = t.lon;
    for (let i = 0; i < t.n; i++) {
      if (!vis[i]) { continue; }
      const la = lat[i], lo = lon[i];
      if (la !== la || lo !== lo) { continue; }  // NaN: no point
      if (la < s) { s = la; }
      if (la > nn) { nn = la; }
      if (lo < w) { w = lo; }
      if (lo > e) { e = lo; }
    }
  });
  return s === Infinity ? null : [[s, w], [nn, e]];
}
