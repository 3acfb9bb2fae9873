/* The compact layer: many point events drawn on one canvas, from the
 * columns decode.js reads; popups and tooltips are built on demand with the
 * same builders as every other layer (textContent only). */

import { el } from "./dom.js";
import { compactFeature, decodeColumns, detailCodes, gunzipJSON } from "./decode.js";
import {
  buildGrid, CLUSTER, clusters, fanShift, maskGroups, nearest, project, shade, splat, splatBuffers,
} from "./geometry.js";
import { clusterLine, countLabel } from "./labels.js";
import { popup, popupOptions, tooltip } from "./popup.js";
import { done, wait } from "./ready.js";
import { state } from "./state.js";

const CLUSTER_BELOW_ZOOM = 7;
// Circles as the rich layer draws them (draw.js, circles).
// By placement (maps/contract.py, Placed; draw.js, circleStyle): at the place,
// near it, at a region's or country's centre (a hollow dotted ring).
const FILL_OPACITY = [0.3, 0.12, 0], STROKE_WIDTH = [1.5, 1.5, 2], DASH = [null, null, [2, 4]];
// One set of drawing buffers for every layer (redraws run one after another):
// splat's, and the image put on a canvas (only the tiles drawn in are copied).
let buffers = null, image = null;

const Compact = L.Layer.extend({
  initialize(d, opts) {
    this.d = d; this.opts = opts;
    const c = decodeColumns(d);
    this.n = c.n;
    this.lon = c.lon; this.lat = c.lat; this.day = c.day;
    this.radius = c.radius; this.val = c.value; this.placed = c.placed; this.c = c;
    const p = project(c.lon, c.lat, c.n);
    this.x = p.x; this.y = p.y;
    this.visible = new Uint8Array(c.n).fill(1);
    this.grid = buildGrid(this.x, this.y, this.n);
    this.groups = maskGroups({ x: this.x, y: this.y, radius: this.radius, placed: this.placed }, this.n);
    wait();
    this.text = null; this.codes = null;
    this.textReady = Promise.all([gunzipJSON(d.text), detailCodes(d.details, c.n)]).then(([t, codes]) => {
      this.text = t; this.codes = codes; return t;
    });
  },

  onAdd(map) {
    this._map = map;
    const pane = map.getPane("overlayPane");
    this.canvas = L.DomUtil.create("canvas", "em-compact leaflet-zoom-hide");
    pane.appendChild(this.canvas);
    // moveend follows every zoom and view reset; resize, a moveend (once the
    // map is moved): the same view is not drawn twice.
    map.on("moveend resize", this.onView, this);
    this.redraw();
    if (!this.firstDraw) { this.firstDraw = true; this.textReady.then(done, done); }
  },

  onRemove(map) {
    map.off("moveend resize", this.onView, this);
    L.DomUtil.remove(this.canvas);
    this.canvas = null;
  },

  aggregated() {
    return !!this.opts.aggregate && this._map.getZoom() < CLUSTER_BELOW_ZOOM;
  },

  points() {
    return { x: this.x, y: this.y, radius: this.radius, visible: this.visible, value: this.val };
  },

  /* Low zoom, when asked: one circle per screen cell with the number of
   * events and the sum of their figures; clicking one zooms in. */
  drawClusters(ctx, size, scale, origin) {
    // Several layers cluster the same cells: fan them out around the centre.
    const layers = state(this._map).compact;
    const shift = fanShift(layers.indexOf(this), layers.length, CLUSTER);
    const cells = clusters(this.points(), this.n, size, scale, origin, shift);
    ctx.font = "600 11px system-ui, sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "middle";
    cells.forEach((c) => {
      ctx.beginPath(); ctx.arc(c.x, c.y, c.r, 0, 2 * Math.PI);
      ctx.globalAlpha = 0.75; ctx.fillStyle = this.d.color; ctx.fill();
      ctx.globalAlpha = 1; ctx.lineWidth = 1.5; ctx.strokeStyle = "#fff"; ctx.stroke();
      ctx.fillStyle = "#fff";
      ctx.fillText(countLabel(c.count), c.x, c.y);
    });
    this.cells = cells;
    this.drawn = cells.reduce((a, c) => a + c.count, 0);
  },

  /* The map moved or changed size: draw again, unless this view is drawn. */
  onView() {
    if (this.viewKey !== this.currentView()) { this.redraw(); }
  },

  currentView() {
    const map = this._map, size = map.getSize(), o = map.getPixelBounds().min;
    return [map.getZoom(), o.x, o.y, size.x, size.y, window.devicePixelRatio || 1].join();
  },

  /* Draw the visible events of the view: called on every move and whenever
   * `visible` changed. */
  redraw() {
    if (!this._map || !this.canvas) { return; }
    const map = this._map, size = map.getSize(), ratio = window.devicePixelRatio || 1;
    this.viewKey = this.currentView();
    const topLeft = map.containerPointToLayerPoint([0, 0]);
    L.DomUtil.setPosition(this.canvas, topLeft);
    const canvas = this.canvas, w = Math.trunc(size.x * ratio), h = Math.trunc(size.y * ratio);
    // Setting a canvas's size clears it, but also allocates it again.
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w; canvas.height = h;
      canvas.style.width = size.x + "px"; canvas.style.height = size.y + "px";
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const scale = Math.pow(2, map.getZoom()), origin = map.getPixelBounds().min;
    this.cells = null;
    if (this.aggregated()) { this.drawClusters(ctx, size, scale, origin); return; }
    // Circles of one layer share one colour, so drawing them over each other
    // only adds opacity: where circles with opacities a1, a2, ... overlap the
    // result is 1 - (1 - a1)(1 - a2)..., as with the rich layer's SVG
    // circles. That product is taken per device pixel (geometry.js, splat),
    // from one mask per radius and placement, and the layer is put on its
    // canvas in a few calls: a million canvas arcs would take Chromium's
    // software rasterizer many seconds.
    if (!w || !h) { this.drawn = 0; return; }  // a hidden map (a closed tab): nothing to draw
    const masks = this.masks(ratio), pad = masks.pad;
    if (!buffers || buffers.W !== w || buffers.H !== h || buffers.pad < pad) {
      buffers = splatBuffers(w, h, pad);
    }
    if (!image || image.width !== w || image.height !== h) {
      image = ctx.createImageData(w, h);
      image.words = new Uint32Array(image.data.buffer);
    }
    this.drawn = splat(this.visible, this.groups, masks, { size, scale, origin, ratio }, buffers);
    shade(buffers, this.rgb(), image.words).forEach((r) => ctx.putImageData(image, 0, 0, r[0], r[1], r[2], r[3]));
  },

  /* The masks of the layer's groups at this device pixel ratio, and the
   * padding they need. */
  masks(ratio) {
    if (!this._masks || this._masks.ratio !== ratio) {
      const list = this.groups.specs.map((m) => this.mask(m.quarter, m.placed, ratio));
      list.ratio = ratio;
      list.pad = list.reduce((a, m) => Math.max(a, 2 * m.half + 2), 0);
      this._masks = list;
    }
    return this._masks;
  },

  /* How much of what is below shows through a circle of radius quarter / 4
   * CSS pixels, filled and outlined as the rich layer's are for its
   * placement, per device pixel of a square of side 2 * half around its
   * centre: {half, side, keep}. */
  mask(quarter, placed, ratio) {
    const radius = quarter / 4, half = Math.ceil((radius + STROKE_WIDTH[placed]) * ratio), side = 2 * half;
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = side;
    const g = canvas.getContext("2d", { willReadFrequently: true });
    g.setTransform(ratio, 0, 0, ratio, half, half);
    g.beginPath(); g.arc(0, 0, radius, 0, 2 * Math.PI);
    g.fillStyle = "#000"; g.globalAlpha = FILL_OPACITY[placed]; g.fill();
    if (DASH[placed]) { g.setLineDash(DASH[placed]); g.lineCap = "round"; }
    g.globalAlpha = 1; g.lineWidth = STROKE_WIDTH[placed]; g.strokeStyle = "#000"; g.stroke();
    const alpha = g.getImageData(0, 0, side, side).data, keep = new Float32Array(side * side);
    for (let i = 0; i < keep.length; i++) { keep[i] = 1 - alpha[4 * i + 3] / 255; }
    return { half, side, keep };
  },

  /* The layer's colour as red, green and blue, whatever CSS form it has. */
  rgb() {
    if (!this._rgb) {
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = 1;
      const g = canvas.getContext("2d", { willReadFrequently: true });
      g.fillStyle = this.d.color; g.fillRect(0, 0, 1, 1);
      this._rgb = Array.prototype.slice.call(g.getImageData(0, 0, 1, 1).data, 0, 3);
    }
    return this._rgb;
  },

  /* The nearest visible event under a container point, within its radius + 3 px. */
  pick(point) {
    if (!this._map) { return null; }
    if (this.cells) {
      let hitCell = null;
      this.cells.forEach((c) => {
        const d = Math.sqrt((c.x - point.x) * (c.x - point.x) + (c.y - point.y) * (c.y - point.y));
        if (d <= c.r && (!hitCell || d < hitCell.distance)) { hitCell = { cell: c, distance: d, layer: this }; }
      });
      return hitCell;
    }
    const map = this._map, scale = Math.pow(2, map.getZoom()), origin = map.getPixelBounds().min;
    const wx = (point.x + origin.x) / scale, wy = (point.y + origin.y) / scale;
    const hit = nearest(this.grid, this.points(), wx, wy, scale);
    return hit && { index: hit.index, distance: hit.distance, layer: this };
  },

  /* The event as the shared popup builder expects it. */
  feature(i) { return compactFeature(this.d, this.c, this.text, this.codes, i); },

  latlng(i) { return L.latLng(this.lat[i] / 1e5, this.lon[i] / 1e5); },
});

/* One pointer handler per map picks the nearest event across compact layers. */
function pickAll(map, point) {
  const st = state(map);
  let best = null;
  (st.compact || []).forEach((layer) => {
    const hit = layer.pick(point);
    if (hit && (!best || hit.distance < best.distance)) { best = hit; }
  });
  return best;
}

function clusterTip(hit) {
  const box = el("div", "em-tip");
  box.appendChild(el("strong", null, hit.layer.d.layer_label));
  const d = hit.layer.d;
  box.appendChild(el("div", null, clusterLine(hit.cell.count, hit.cell.sum, d.unit, d.unit_one)));
  box.appendChild(el("div", "em-tip-date", "click to zoom in"));
  return box;
}

function listen(map) {
  const st = state(map);
  if (st.compactListening) { return; }
  st.compactListening = true;
  const tip = L.tooltip({ direction: "top", offset: [0, -6], opacity: 0.95 });
  let frame = null;
  map.on("click", (e) => {
    const hit = pickAll(map, e.containerPoint);
    if (!hit) { return; }
    if (hit.cell) {  // a cluster: zoom in on it
      map.setView(map.containerPointToLatLng([hit.cell.x, hit.cell.y]), map.getZoom() + 2);
      return;
    }
    const layer = hit.layer, i = hit.index;
    layer.textReady.then(() => {
      map.closeTooltip(tip);
      L.popup(popupOptions)
        .setLatLng(layer.latlng(i))
        .setContent(popup(layer.feature(i), null, layer.opts))
        .openOn(map);
    });
  });
  map.on("mousemove", (e) => {
    if (frame) { return; }
    frame = requestAnimationFrame(() => {
      frame = null;
      const hit = pickAll(map, e.containerPoint);
      map.getContainer().style.cursor = hit ? "pointer" : "";
      if (!hit || st.popupOpen) { map.closeTooltip(tip); return; }
      if (hit.cell) {
        tip.setLatLng(map.containerPointToLatLng([hit.cell.x, hit.cell.y])).setContent(clusterTip(hit));
      } else {
        tip.setLatLng(hit.layer.latlng(hit.index)).setContent(tooltip(hit.layer.feature(hit.index), null, hit.layer.opts));
      }
      if (!map.hasLayer(tip)) { map.openTooltip(tip); }
    });
  });
}

export function drawCompact(map, d, opts) {
  const layer = new Compact(d, opts);
  const st = state(map);
  (st.compact = st.compact || []).push(layer);
  listen(map);
  return layer;
}

/* What tests and notebooks can ask: where is event i of a compact layer. */
export function compactPoint(map, layerIndex, i) {
  const layer = state(map).compact[layerIndex];
  return map.latLngToContainerPoint(layer.latlng(i));
}
