/* The aggregate layer: the shown point events as a region choropleth,
 * hexagon bins or a heat density instead of one symbol each (or as today's
 * compact clusters), following every setView (the map's "em:view") and the
 * map's moves. bins.js does the counting; this module draws, hides the point
 * symbols it replaces (flows and areas stay), and offers the "Show as"
 * switch. Text from data is set with textContent only. */

import { el } from "./dom.js";
import {
  aggsOf, binAt, breaks, classColors, classLabels, classOf, drawsPoints, heatColor, heatGrid, hexbin, hexRadius,
  hexVertices, regionSums,
} from "./bins.js";
import { countOf } from "./labels.js";
import { state } from "./state.js";
import { getView, setView, tables } from "./view.js";

export { drawsPoints };

/* Every way the page can show point events, as the switch names them. */
export const MODES = [
  ["points", "Points"], ["cluster", "Clusters"], ["hexbin", "Hexagons"], ["region", "Regions"],
  ["heat", "Heat"],
];
const METRICS = [["events", "events"], ["fatalities", "fatalities"]];
const PANE = "emAggregate";

/* "Kharkiv Oblast: 1,234 events · 56 fatalities" (no fatalities part when
 * the data has no figure). */
export function sumLine(events, fatalities, withFatalities) {
  return countOf(events, "event", "events") +
    (withFatalities ? " · " + countOf(Math.round(fatalities), "fatality", "fatalities") : "");
}

/* The tables the aggregates count: those whose overlay is on the map. */
function shownTables(map) {
  const st = state(map), view = getView(map);
  return tables(map).filter((t) => {
    if (view.layers && view.layers.indexOf(t.key) < 0) { return false; }
    const o = st.overlays.find((ov) => (ov.key ? ov.key === t.key : ov.name === t.name));
    return !o || map.hasLayer(o.layer);
  });
}

/* A canvas over the map's visible part, in the aggregate pane, redrawn by
 * `paint(ctx, size, scale, origin)` after every move. */
const Canvas = L.Layer.extend({
  initialize(paint) { this.paint = paint; },
  onAdd(map) {
    this._map = map;
    this.canvas = L.DomUtil.create("canvas", "em-aggregate-canvas leaflet-zoom-hide");
    map.getPane(PANE).appendChild(this.canvas);
    map.on("moveend zoomend resize viewreset", this.redraw, this);
    this.redraw();
  },
  onRemove(map) {
    map.off("moveend zoomend resize viewreset", this.redraw, this);
    L.DomUtil.remove(this.canvas);
    this.canvas = null;
  },
  redraw() {
    if (!this._map || !this.canvas) { return; }
    const map = this._map, size = map.getSize(), ratio = window.devicePixelRatio || 1;
    L.DomUtil.setPosition(this.canvas, map.containerPointToLayerPoint([0, 0]));
    this.canvas.width = size.x * ratio; this.canvas.height = size.y * ratio;
    this.canvas.style.width = size.x + "px"; this.canvas.style.height = size.y + "px";
    const ctx = this.canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    if (!size.x || !size.y) { return; }  // a hidden map
    this.paint(ctx, size, Math.pow(2, map.getZoom()), map.getPixelBounds().min);
  },
});

/* The aggregate of one map: created once (legend.js asks for it), it draws
 * on the first em:view (the view core's "init") and every one after. */
export function aggregateLayer(map, onDrawn) {
  const st = state(map);
  if (st.aggregate) { return st.aggregate; }
  if (!map.getPane(PANE)) {
    // Under the overlays: flows, areas and any point symbol stay on top.
    map.createPane(PANE).style.zIndex = "350";
  }
  const a = st.aggregate = {
    agg: null, metric: "events", regions: {}, hex: null, heat: null, classes: null,
    shapes: null, hidden: new Map(), unplaced: 0, onDrawn: onDrawn || (() => {}),
  };
  const tip = L.tooltip({ direction: "top", offset: [0, -6], opacity: 0.95 });

  function withFatalities() {
    const f = st.filters && st.filters.fatalities;
    return !!(f && f.count);
  }

  /* ---- point symbols: hidden while an aggregate replaces them ---- */

  /* Compact layers leave their overlay's group (the layer control still
   * toggles the group); rich point items leave theirs. Both come back, the
   * rich ones only if some row of theirs is still shown. Kept by layer, so a
   * view change while hidden adds nothing (view.js leaves circles alone
   * then), and every circle is known, shown or not when the aggregate came. */
  function hidePoints(hide) {
    if (hide) {
      tables(map).forEach((t) => {
        if (t.compact) {
          const g = st.overlays.map((o) => o.layer).find((og) => og.hasLayer(t.compact));
          if (g) { hideLayer({ layer: t.compact, group: g }); }
          return;
        }
        (t.items || []).forEach((it) => {
          if (it.feature.shape !== "circle" || !it.group) { return; }
          hideLayer({ layer: it.layer, group: it.group, table: t, item: it });
        });
      });
      return;
    }
    const back = a.hidden;
    a.hidden = new Map();
    back.forEach((h) => {
      if (h.table && !h.table.rowsOf(h.item).some((row) => h.table.visible[row])) { return; }
      if (!h.group.hasLayer(h.layer)) { h.group.addLayer(h.layer); }
    });
  }

  function hideLayer(h) {
    if (h.group.hasLayer(h.layer)) { h.group.removeLayer(h.layer); }
    if (!a.hidden.has(h.layer)) { a.hidden.set(h.layer, h); }
  }

  /* Clusters are the compact layer's own (compact.js, opts.aggregate). */
  function setClusters(on) {
    tables(map).forEach((t) => {
      const c = t.compact;
      if (!c || !c.opts || !!c.opts.aggregate === on) { return; }
      c.opts.aggregate = on;
      if (c._map) { c.redraw(); }
    });
  }

  /* ---- regions ---- */

  function regionLayer() {
    if (a.shapes) { return a.shapes; }
    const shapes = st.filters && st.filters.shapes;
    a.shapes = L.geoJSON(shapes || { type: "FeatureCollection", features: [] }, {
      pane: PANE,
      style: () => ({ color: "#ffffff", weight: 1.2, opacity: 1, fillOpacity: 0.78, fillColor: "#ccc" }),
      onEachFeature: (f, layer) => {
        layer.bindTooltip(() => {
          const p = f.properties || {}, s = a.regions[p.id] || { events: 0, fatalities: 0 };
          const box = el("div", "em-tip em-agg-tip");
          box.appendChild(el("strong", null, p.name || p.id));
          box.appendChild(document.createTextNode(": " + sumLine(s.events, s.fatalities, withFatalities())));
          return box;
        }, { sticky: true, direction: "top", opacity: 0.95 });
      },
    });
    return a.shapes;
  }

  function drawRegions() {
    const sources = shownTables(map);
    a.regions = regionSums(sources);
    const layer = regionLayer(), key = a.metric;
    const values = [];
    let drawn = 0;
    layer.eachLayer((l) => {
      const s = a.regions[l.feature.properties.id];
      values.push(s ? s[key] : 0);
      drawn += s ? s.events : 0;
    });
    // Shown, but in no region drawn (country-level, offshore, flows, areas):
    // the legend says how many the choropleth leaves out.
    a.unplaced = sources.reduce((n, t) => n + (t.shown || 0), 0) - drawn;
    const b = breaks(values), colors = classColors(b.edges.length - 1);
    layer.eachLayer((l) => {
      const s = a.regions[l.feature.properties.id], c = classOf(s ? s[key] : 0, b);
      l.setStyle(c < 0 ? { fillColor: "#9e9e9e", fillOpacity: 0.12 } : { fillColor: colors[c], fillOpacity: 0.78 });
    });
    a.classes = { edges: b.edges, labels: classLabels(b), colors, zero: values.some((v) => !(v > 0)) };
    if (!map.hasLayer(layer)) { layer.addTo(map); }
  }

  /* ---- hexagons ---- */

  function binHexes() {
    const R = hexRadius(map.getZoom());
    a.hex = hexbin(shownTables(map), R);
    const key = a.metric === "fatalities" ? "sum" : "count";
    const b = breaks(a.hex.bins.map((h) => h[key]));
    a.classes = { edges: b.edges, labels: classLabels(b), colors: classColors(b.edges.length - 1), zero: false, b };
    a.hexZoom = Math.round(map.getZoom());
  }

  const hexCanvas = new Canvas((ctx, size, scale, origin) => {
    if (!a.hex) { return; }
    const key = a.metric === "fatalities" ? "sum" : "count", R = a.hex.R * scale, cl = a.classes;
    ctx.lineWidth = 1; ctx.strokeStyle = "rgba(255,255,255,0.9)";
    let drawn = 0;
    a.hex.bins.forEach((h) => {
      const x = h.x * scale - origin.x, y = h.y * scale - origin.y;
      if (x < -R || y < -R || x > size.x + R || y > size.y + R) { return; }
      const c = classOf(h[key], cl.b);
      const v = hexVertices(x, y, R * 0.96);
      ctx.beginPath(); ctx.moveTo(v[0][0], v[0][1]);
      for (let i = 1; i < 6; i++) { ctx.lineTo(v[i][0], v[i][1]); }
      ctx.closePath();
      ctx.globalAlpha = c < 0 ? 0.25 : 0.82; ctx.fillStyle = c < 0 ? "#9e9e9e" : cl.colors[c]; ctx.fill();
      ctx.globalAlpha = 1; ctx.stroke();
      drawn += 1;
    });
    a.hexDrawn = drawn;
  });

  /* ---- heat ---- */

  let scratch = null;
  const heatCanvas = new Canvas((ctx, size, scale, origin) => {
    const g = heatGrid(shownTables(map), { scale, ox: origin.x, oy: origin.y, width: size.x, height: size.y },
      { cell: 4, sigma: 14, metric: a.metric });
    a.heat = { max: g.max, cols: g.cols, rows: g.rows };
    if (!g.max) { return; }
    if (!scratch) { scratch = document.createElement("canvas"); }
    scratch.width = g.cols; scratch.height = g.rows;
    const sctx = scratch.getContext("2d"), image = sctx.createImageData(g.cols, g.rows), d = image.data;
    let lit = 0;
    for (let p = 0, q = 0; p < g.values.length; p++, q += 4) {
      const c = heatColor(g.values[p] / g.max);
      if (!c[3]) { continue; }
      d[q] = c[0]; d[q + 1] = c[1]; d[q + 2] = c[2]; d[q + 3] = c[3]; lit += 1;
    }
    sctx.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(scratch, -g.pad * g.cell, -g.pad * g.cell, g.cols * g.cell, g.rows * g.cell);
    a.heat.lit = lit;
  });

  /* ---- following the view ---- */

  function draw(view) {
    const agg = view.agg || "points";
    a.metric = view.metric === "fatalities" && withFatalities() ? "fatalities" : "events";
    const was = a.agg;
    a.agg = agg;
    // Hidden on every view (the view core may have shown rich items again).
    if (!drawsPoints(agg)) { hidePoints(true); } else if (was !== null && !drawsPoints(was)) { hidePoints(false); }
    setClusters(agg === "cluster");
    if (agg !== "region" && a.shapes && map.hasLayer(a.shapes)) { map.removeLayer(a.shapes); }
    if (agg !== "hexbin" && map.hasLayer(hexCanvas)) { map.removeLayer(hexCanvas); }
    if (agg !== "heat" && map.hasLayer(heatCanvas)) { map.removeLayer(heatCanvas); }
    map.closeTooltip(tip);
    a.classes = null;
    if (agg === "region") { drawRegions(); }
    if (agg === "hexbin") {
      binHexes();
      if (map.hasLayer(hexCanvas)) { hexCanvas.redraw(); } else { hexCanvas.addTo(map); }
    }
    if (agg === "heat") {
      if (map.hasLayer(heatCanvas)) { heatCanvas.redraw(); } else { heatCanvas.addTo(map); }
    }
    a.onDrawn(a);
  }

  map.on("em:view", (e) => { draw(e.view || getView(map)); });
  // Hexagons are ~40 px at each integer zoom: count again when it changes.
  map.on("zoomend", () => {
    if (a.agg === "hexbin" && Math.round(map.getZoom()) !== a.hexZoom) {
      binHexes(); hexCanvas.redraw(); a.onDrawn(a);
    }
  });

  /* A hexagon's tooltip, and a click zooms in on it, as on a cluster. */
  function hexUnder(p) {
    if (a.agg !== "hexbin" || !a.hex) { return null; }
    const scale = Math.pow(2, map.getZoom()), o = map.getPixelBounds().min;
    return binAt(a.hex, (p.x + o.x) / scale, (p.y + o.y) / scale);
  }
  map.on("mousemove", (e) => {
    const h = hexUnder(e.containerPoint);
    if (!h) { if (a.agg === "hexbin") { map.closeTooltip(tip); } return; }
    const box = el("div", "em-tip em-agg-tip");
    box.appendChild(el("div", null, sumLine(h.count, h.sum, withFatalities())));
    box.appendChild(el("div", "em-tip-date", "click to zoom in"));
    const scale = Math.pow(2, map.getZoom());
    tip.setLatLng(map.unproject([h.x * scale, h.y * scale], map.getZoom())).setContent(box);
    if (!map.hasLayer(tip)) { map.openTooltip(tip); }
  });
  map.on("click", (e) => {
    const h = hexUnder(e.containerPoint);
    if (!h) { return; }
    const scale = Math.pow(2, map.getZoom());
    map.setView(map.unproject([h.x * scale, h.y * scale], map.getZoom()), map.getZoom() + 2);
  });
  return a;
}

/* The modes this map can offer (bins.js aggsOf). */
export function modesOf(map) {
  const st = state(map), aggs = aggsOf(tables(map), st.filters && st.filters.shapes);
  return MODES.filter(([id]) => aggs.includes(id));
}

/* "Show as [Regions] of [events]": two selects calling setView. */
export function switcher(map) {
  const st = state(map), box = el("div", "em-agg-switch");
  const modes = modesOf(map);
  if (modes.length < 2) { return null; }
  const label = el("label", "em-agg-field");
  label.appendChild(el("span", null, "Show as "));
  const mode = el("select", "em-agg-mode");
  mode.setAttribute("aria-label", "Show point events as");
  modes.forEach(([id, name]) => {
    const o = el("option", null, name); o.value = id; mode.appendChild(o);
  });
  label.appendChild(mode);
  box.appendChild(label);
  const mlabel = el("label", "em-agg-field em-agg-metric-field");
  mlabel.appendChild(el("span", null, "Count "));
  const metric = el("select", "em-agg-metric");
  metric.setAttribute("aria-label", "Count events or fatalities");
  METRICS.forEach(([id, name]) => {
    const o = el("option", null, name); o.value = id; metric.appendChild(o);
  });
  mlabel.appendChild(metric);
  const fat = st.filters && st.filters.fatalities;
  if (fat && fat.count) { box.appendChild(mlabel); }
  mode.addEventListener("change", () => { setView(map, { agg: mode.value }, "ui"); });
  metric.addEventListener("change", () => { setView(map, { metric: metric.value }, "ui"); });
  box.sync = (view) => {
    mode.value = view.agg || "points";
    metric.value = view.metric || "events";
    mlabel.hidden = drawsPoints(view.agg);
  };
  return box;
}

/* What tests and notebooks can ask: what the aggregate counted and drew. */
export function aggregates(map) {
  const a = state(map).aggregate;
  if (!a) { return null; }
  // hidden: how many point layers the aggregate keeps off the map (tests).
  const hex = a.hex ? a.hex.bins.map((h) => ({ q: h.q, r: h.r, count: h.count, sum: h.sum })) : [];
  return {
    agg: a.agg, metric: a.metric, hidden: a.hidden.size, regions: JSON.parse(JSON.stringify(a.regions)),
    unplaced: a.agg === "region" ? a.unplaced : 0,
    hexagons: a.agg === "hexbin" ? hex : [], hexDrawn: a.hexDrawn || 0,
    heat: a.agg === "heat" ? a.heat : null, classes: a.classes && {
      edges: a.classes.edges, labels: a.classes.labels, colors: a.classes.colors,
    },
  };
}
