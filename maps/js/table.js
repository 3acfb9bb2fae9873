/* The events of each overlay as one table of typed columns, built once at
 * `ready`, whatever drew them: a compact layer's columns are used as they are
 * (its `visible` array is the table's), and a rich layer's features give a row
 * per event (a bundle's members are rows of the bundle's item). query.js
 * filters every table the same way. Pure (no DOM, no Leaflet): node can test
 * it with hand-made features and decoded payloads. */

import { column, typed } from "./decode.js";
import { DAY, NO_DAY } from "./filter.js";
import { project } from "./geometry.js";

/* Places the events point to (maps/contract.py, PlaceFeature): not events,
 * never counted, never filtered. */
export function isPlace(f) {
  return f.kind === "front_region" || f.kind === "source";
}

function dayOf(t) {
  return t === null || t === undefined ? NO_DAY : Math.floor(t / DAY);
}

/* A dictionary column built from one value per row, as decode.js `column()`
 * gives a compact layer's: values[0] null, a code per row. */
export function dictionary(rows) {
  const values = [null], index = new Map(), codes = new Uint32Array(rows.length);
  rows.forEach((v, i) => {
    if (v === null || v === undefined || v === "") { return; }
    let k = index.get(v);
    if (k === undefined) { k = values.push(v) - 1; index.set(v, k); }
    codes[i] = k;
  });
  return { values, codes };
}

/* A dictionary column no row has a value in (a column the payload lacks). */
function none() {
  return { values: [null], codes: null };
}

/* The actors column's values are JSON text of a list: parsed once per value. */
function withLists(c) {
  c.lists = c.values.map((v) => {
    if (v === null || v === undefined) { return []; }
    if (Array.isArray(v)) { return v; }
    try { const l = JSON.parse(v); return Array.isArray(l) ? l.map(String) : []; } catch { return []; }
  });
  return c;
}

/* A table of the rich events of one overlay: `features[row]` is
 * {feature, item, bundle}; `rowsOf(item)` the rows an item draws. */
export function richTable(key, name, entries) {
  const rows = [];
  entries.forEach((entry) => {
    const f = entry.feature;
    if (isPlace(f)) { return; }
    if (f.members) {
      f.members.forEach((m) => rows.push({ feature: m, item: entry.item, bundle: f }));
    } else {
      rows.push({ feature: f, item: entry.item, bundle: null });
    }
  });
  const n = rows.length, get = (k) => rows.map((r) => r.feature[k]);
  const start = new Int32Array(n), end = new Int32Array(n);
  const fat = new Float32Array(n), value = new Float32Array(n);
  const lon = new Float64Array(n), lat = new Float64Array(n), point = new Uint8Array(n);
  rows.forEach((r, i) => {
    const f = r.feature, b = r.bundle || f;
    start[i] = dayOf(f.start);
    end[i] = dayOf(f.end);
    fat[i] = typeof f.fatalities === "number" ? f.fatalities : NaN;
    value[i] = typeof f.value === "number" ? f.value : NaN;
    const la = typeof f.lat === "number" ? f.lat : b.lat, lo = typeof f.lon === "number" ? f.lon : b.lon;
    lat[i] = typeof la === "number" ? la : NaN;
    lon[i] = typeof lo === "number" ? lo : NaN;
    point[i] = f.shape === "circle" && !Number.isNaN(lat[i]) && !Number.isNaN(lon[i]) ? 1 : 0;
  });
  const p = project(lon.map((v) => v * 1e5), lat.map((v) => v * 1e5), n);
  const actors = rows.map((r) => {
    const l = r.feature.actor_names;
    return l && l.length ? JSON.stringify(l) : null;
  });
  const byItem = new Map();
  rows.forEach((r, i) => {
    const list = byItem.get(r.item);
    if (list) { list.push(i); } else { byItem.set(r.item, [i]); }
  });
  const rowOf = new Map();
  rows.forEach((r, i) => { rowOf.set(r.feature, i); });
  return {
    key, name, n, start, end,
    kind: dictionary(get("kind")), sub: dictionary(get("sub_type")),
    actors: withLists(dictionary(actors)), country: dictionary(get("country")),
    region: dictionary(get("region")), prec: dictionary(get("place_precision")),
    fat, value, lon, lat, x: p.x, y: p.y, point, visible: new Uint8Array(n).fill(1),
    compact: null, features: rows,
    text: {
      title: dictionary(get("title")), where: dictionary(rows.map((r) => r.feature.where || (r.bundle && r.bundle.where))),
      description: get("description"), notes: get("notes"),
    },
    rowsOf: (item) => byItem.get(item) || [],
    rowOf: (member) => rowOf.get(member),
  };
}

/* The table of a compact layer: its own columns, and the filter fields
 * (end, fatalities, kind, sub_type, ...) of its payload. */
export function compactTable(key, name, layer) {
  const d = layer.d, c = layer.c, cols = c.cols, n = layer.n;
  const dict = (k) => cols[k] || (d.dict && d.dict[k] ? column(d.dict[k], n) : null);
  const end = typed(d.end, Int32Array), fat = typed(d.fatalities, Float32Array);
  const lon = new Float64Array(n), lat = new Float64Array(n);
  for (let i = 0; i < n; i++) { lon[i] = c.lon[i] / 1e5; lat[i] = c.lat[i] / 1e5; }
  const table = {
    key, name, n, start: c.day, end,
    kind: dict("kind"), sub: dict("sub_type") || none(),
    actors: withLists(dict("actor_names") || none()),
    country: dict("country") || none(), region: dict("region") || none(),
    prec: dict("place_precision") || none(),
    fat, value: c.value, lon, lat, x: layer.x, y: layer.y, point: new Uint8Array(n).fill(1),
    visible: layer.visible, compact: layer, features: null,
    text: {
      title: dict("title") || none(), where: dict("where") || none(),
      description: null, notes: null,
    },
    textVersion: 0,
  };
  return table;
}

/* The compact layer's text block, once decompressed: searched too. */
export function addText(table, text) {
  table.text.description = text.description;
  table.text.notes = text.notes;
  table.textVersion = (table.textVersion || 0) + 1;
}
