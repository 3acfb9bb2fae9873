/* The view of each map: the time window, filters and search every layer
 * follows, the aggregate and the map's centre, kept in the URL fragment.
 * Controls (time, panel, aggregates) read and change it only through this
 * API, and learn of every change by the map's `em:view` event:
 *   getView(map), setView(map, patch, source), tables(map), shownCount(map),
 *   shownByLayer(map), shownRows(map), shownBounds(map), openRow(map, t, row),
 *   link(map). */

import { aggsOf, drawsPoints } from "./bins.js";
import { parse, write } from "./fragment.js";
import { panel } from "./panel.js";
import { popup, popupOptions } from "./popup.js";
import { dateOrder, defaultView, filterTable, foldStep, plan, visibleBounds, visibleRows } from "./query.js";
import { done, wait } from "./ready.js";
import { maps, state } from "./state.js";
import { addText, compactTable, richTable } from "./table.js";

const FILTER_KEYS = ["t0", "t1", "undated", "layers", "kind", "sub", "actor", "country", "admin1",
  "fat", "prec", "q"];
const VIEW_KEYS = FILTER_KEYS.concat(["agg", "metric", "map"]);
const WRITE_DELAY = 250;

/* The page's filter options (maps/contract.py, FilterBlock). */
export function filters(map, d) {
  state(map).filters = d;
  panel(map, d);
}

function copy(view) {
  const out = {};
  VIEW_KEYS.forEach((k) => { out[k] = Array.isArray(view[k]) ? view[k].slice() : view[k]; });
  return out;
}

function viewOf(st) {
  if (!st.view) {
    st.view = defaultView();
    if (st.filters && st.filters.aggregate) { st.view.agg = st.filters.aggregate; }
  }
  return st.view;
}

function same(a, b) {
  if (Array.isArray(a) && Array.isArray(b)) { return a.length === b.length && a.every((v, i) => v === b[i]); }
  return a === b;
}

/* The fragment's view of this map: what it shows by default, its layers,
 * and the values its filters can take (a value the data has not, such as a
 * mistyped kind, is skipped rather than hide every event), these only when
 * a fragment is read. */
function meta(st, reading) {
  const f = st.filters;
  const out = {
    agg: (f && f.aggregate) || "points", layers: st.overlays.map((o) => o.key),
    layerNames: st.overlays.map((o) => o.name),
  };
  if (reading) {
    // agg= only names a way this map can show its events (the switch's).
    out.aggs = aggsOf(st.tables || [], f && f.shapes);
  }
  if (f && reading) {
    const ids = (xs, label) => (xs || []).map((x) => ({ id: x.id, label: x[label] }));
    const values = (xs) => (xs || []).map((x) => ({ id: x.value, label: null }));
    out.options = {
      kind: ids(f.kinds, "label"), sub: values(f.sub_types), actor: values(f.actors),
      country: ids(f.countries, "name"), admin1: ids(f.regions, "name"), prec: ids(f.precisions, "label"),
    };
  }
  return out;
}

export function getView(map) {
  return copy(viewOf(state(map)));
}

export function tables(map) {
  return state(map).tables || [];
}

export function shownByLayer(map) {
  const out = {};
  tables(map).forEach((t) => { out[t.key] = (out[t.key] || 0) + (t.shown || 0); });
  return out;
}

export function shownCount(map) {
  return tables(map).reduce((a, t) => a + (t.shown || 0), 0);
}

/* The shown events in date order (undated last): the event list's rows. */
export function shownRows(map) {
  const st = state(map);
  if (!st.order) { st.order = dateOrder(tables(map)); }
  return visibleRows(tables(map), st.order);
}

export function shownBounds(map) {
  const b = visibleBounds(tables(map));
  return b ? L.latLngBounds(b) : null;
}

/* The page's address with the fragment of the current view. */
export function link(map) {
  const st = state(map);
  return location.href.replace(/#.*$/, "") + write(viewOf(st), meta(st));
}

/* Rich items: on the map iff any of their rows is shown. Circles are left
 * alone while an aggregate replaces them (aggregate.js shows them again). */
function showItems(table, agg) {
  const vis = table.visible, points = drawsPoints(agg);
  table.items.forEach((it) => {
    if (!points && it.feature.shape === "circle") { return; }
    const rows = table.rowsOf(it);
    let on = false;
    for (let k = 0; k < rows.length && !on; k++) { on = vis[rows[k]] === 1; }
    const has = it.group.hasLayer(it.layer);
    if (on && !has) { it.group.addLayer(it.layer); }
    if (!on && has) { it.group.removeLayer(it.layer); }
  });
}

/* The overlays the view's layers name are on the map, the others off. */
function showLayers(st) {
  const layers = st.view.layers;
  st.syncing = true;
  st.overlays.forEach((o) => {
    const on = !layers || layers.includes(o.key), has = st.map.hasLayer(o.layer);
    if (on && !has) { o.layer.addTo(st.map); }
    if (!on && has) { st.map.removeLayer(o.layer); }
  });
  st.syncing = false;
}

function applyFilters(st) {
  const p = plan(st.view);
  st.tables.forEach((t) => {
    const r = filterTable(t, p);
    t.shown = r.count;
    if (!r.changed) { return; }
    if (t.compact) {
      // A million circles take a while: drawn again only when something changed.
      if (t.compact._map) { t.compact.redraw(); }
    } else {
      showItems(t, st.view.agg);
    }
  });
}

function total(st) {
  const f = st.filters;
  return f && typeof f.total === "number" ? f.total : st.tables.reduce((a, t) => a + t.n, 0);
}

function showCount(st) {
  const box = st.shownEl;
  if (!box) { return; }
  const n = shownCount(st.map), m = total(st);
  box.dataset.eventmapShown = String(n);
  box.textContent = n.toLocaleString("en") + " of " + m.toLocaleString("en") + " events shown";
}

/* The fragment is written a moment after the last change (replaceState: the
 * view is no page of the history of its own). */
function scheduleWrite(st) {
  if (st.writeTimer) { clearTimeout(st.writeTimer); }
  st.writeTimer = setTimeout(() => {
    st.writeTimer = null;
    const hash = write(st.view, meta(st));
    if (hash === location.hash || (!hash && !location.hash)) { return; }
    const url = location.href.replace(/#.*$/, "");
    try { history.replaceState(history.state, "", url + hash); } catch { /* a sandboxed frame */ }
  }, WRITE_DELAY);
}

/* Merge patch into the view, filter every layer again when a filter
 * changed, redraw, count, write the fragment, then tell every control
 * (em:view, {view, shown, source}). source: ui | fragment | play | init. */
export function setView(map, patch, source) {
  const st = state(map), view = viewOf(st);
  let filtersChanged = false, layersChanged = false;
  VIEW_KEYS.forEach((k) => {
    if (!patch || !Object.prototype.hasOwnProperty.call(patch, k)) { return; }
    const v = Array.isArray(patch[k]) ? patch[k].slice() : patch[k];
    if (same(view[k], v)) { return; }
    view[k] = v;
    if (FILTER_KEYS.includes(k)) { filtersChanged = true; }
    if (k === "layers") { layersChanged = true; }
  });
  if (!st.tables) { return copy(view); }  // before ready: kept, applied then
  if (layersChanged) { showLayers(st); }
  if (filtersChanged || !st.applied) { applyFilters(st); st.applied = true; }
  if (patch && patch.map) { moveTo(st, view.map); }
  showCount(st);
  scheduleWrite(st);
  map.fire("em:view", { view: copy(view), shown: shownCount(map), source: source || "ui" });
  return copy(view);
}

function moveTo(st, m) {
  if (Array.isArray(m) && m.length === 3) { st.map.setView([m[1], m[2]], m[0], { animate: false }); }
}

/* Pan to an event and open its popup, rich or compact. */
export function openRow(map, tableIndex, row) {
  const t = tables(map)[tableIndex];
  if (!t || !(row >= 0 && row < t.n)) { return; }
  const lat = t.lat[row], lon = t.lon[row], at = Number.isNaN(lat) || Number.isNaN(lon) ? null : L.latLng(lat, lon);
  if (at) { map.panTo(at, { animate: false }); }
  if (t.compact) {
    const layer = t.compact;
    layer.textReady.then(() => {
      L.popup(popupOptions).setLatLng(at || map.getCenter())
        .setContent(popup(layer.feature(row), null, layer.opts)).openOn(map);
    });
    return;
  }
  const item = t.features[row].item;
  if (!item.group.hasLayer(item.layer)) { item.group.addLayer(item.layer); }
  if (!map.hasLayer(item.group)) { item.group.addTo(map); }
  if (at) { item.layer.openPopup(at); } else { item.layer.openPopup(); }
}

/* Whether an item's bundle member is shown: its popup lists only those. */
export function memberShown(map) {
  const st = state(map);
  return (m) => {
    if (!st.tables) { return true; }
    for (const t of st.tables) {
      if (!t.rowOf) { continue; }
      const r = t.rowOf(m);
      if (r !== undefined) { return t.visible[r] === 1; }
    }
    return true;
  };
}

function buildTables(st) {
  const out = [];
  st.overlays.forEach((o) => {
    const events = o.items.filter((it) => it.feature);
    const rich = richTable(o.key, o.name, events.map((it) => ({ feature: it.feature, item: it })));
    if (rich.n) {
      rich.items = events.filter((it) => rich.rowsOf(it).length);
      out.push(rich);
    }
    o.compact.forEach((layer) => { out.push(compactTable(o.key, o.name, layer)); });
  });
  return out;
}

/* A layer switched in the layer control is a change of the view's layers. */
function listenLayers(st) {
  const map = st.map;
  function changed() {
    if (st.syncing) { return; }
    const on = st.overlays.filter((o) => map.hasLayer(o.layer)).map((o) => o.key);
    const layers = on.length === st.overlays.length ? null : on;
    if (!same(layers, st.view.layers)) { setView(map, { layers }, "ui"); }
  }
  map.on("overlayadd overlayremove", changed);
}

/* The view a fragment names: every key it leaves out at its default. */
function fromFragment(st, hash) {
  const patch = parse(hash, meta(st, true)), base = defaultView();
  base.agg = meta(st).agg;
  FILTER_KEYS.concat(["agg", "metric"]).forEach((k) => { if (!(k in patch)) { patch[k] = base[k]; } });
  return patch;
}

/* The search text is folded ahead of the first search (at 10^6 events it
 * takes seconds), a chunk at a time while the page is idle: a search typed a
 * few seconds after opening finds it done. One sooner folds the rest itself. */
const SLICE_MS = 25;

function foldWhenIdle(st) {
  const idle = typeof requestIdleCallback === "function"
    ? (fn) => requestIdleCallback(fn, { timeout: 200 })
    : (fn) => setTimeout(fn, 16);
  const todo = st.tables.slice();
  function slice(deadline) {
    // A chunk, and more while the browser says it has the time.
    do {
      if (!foldStep(todo[0])) { todo.shift(); }
    } while (todo.length && deadline && !deadline.didTimeout && deadline.timeRemaining() > SLICE_MS);
    if (todo.length) { idle(slice); }
  }
  if (todo.length) { idle(slice); }
}

/* At ready: the tables, the view the fragment names (map= instead of the
 * fit, which runs after), and the listeners that keep it. */
function init(st) {
  const map = st.map;
  st.tables = buildTables(st);
  viewOf(st);
  const patch = parse(location.hash, meta(st, true));
  const restored = Object.keys(patch).length > 0;
  listenLayers(st);
  // map= is the view from the start, so that every write of the fragment
  // keeps it, but the map moves there only after the page's fit (below).
  const mapView = patch.map;
  delete patch.map;
  if (mapView) { st.view.map = mapView; }
  setView(map, patch, restored ? "fragment" : "init");
  // The text of compact layers comes later: a search waits for it.
  const texts = st.tables.filter((t) => t.compact).map((t) => t.compact.textReady.then((text) => {
    addText(t, text);
  }));
  wait();
  Promise.all(texts).then(() => {
    if (st.view.q) { applyFilters(st); showCount(st); map.fire("em:view", { view: copy(st.view), shown: shownCount(map), source: "init" }); }
  }).catch(() => {}).then(() => {
    // The page fits its view once its script has run, after ready: map= then wins.
    if (mapView) { st.view.map = mapView; moveTo(st, mapView); scheduleWrite(st); }
    map.on("moveend", () => {
      // Past the antimeridian Leaflet's longitude runs on (200.5): the
      // fragment keeps it within ±180, as it reads it.
      const c = map.getCenter().wrap();
      st.view.map = [map.getZoom(), c.lat, c.lng];
      scheduleWrite(st);
    });
    done();
    foldWhenIdle(st);
  });
}

let listening = false;

export function initViews() {
  Object.keys(maps).forEach((id) => { init(maps[id]); });
  if (listening) { return; }
  listening = true;
  // A fragment typed or pasted in the address bar is a view too.
  window.addEventListener("hashchange", () => {
    Object.keys(maps).forEach((id) => {
      const st = maps[id];
      if (!st.tables) { return; }
      const patch = fromFragment(st, location.hash);
      setView(st.map, patch, "fragment");
    });
  });
}
