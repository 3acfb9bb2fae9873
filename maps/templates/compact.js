/* eventmap compact layer: many point events drawn on one canvas.
 * Columns arrive as base64 typed arrays, dictionary-encoded strings and one
 * gzip-compressed text block; popups and tooltips are built on demand with
 * the same builders as every other layer (textContent only). */
(function () {
  "use strict";
  var E = window.Eventmap;
  if (E.draw.compact) { return; }
  var NO_DAY = -2147483648, DAY = 86400000, GRID = 1024, WORLD = 256, CLUSTER_BELOW_ZOOM = 7;
  // Circles as the rich layer draws them (runtime.js, E.circles).
  var FILL_OPACITY = 0.3, STROKE_WIDTH = 1.5;
  var scratch = null;  // per device pixel, how much of what is below shows through

  function bytes(b64) {
    var s = atob(b64), out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) { out[i] = s.charCodeAt(i); }
    return out;
  }
  function typed(b64, Type) { var b = bytes(b64); return new Type(b.buffer, b.byteOffset, b.byteLength / Type.BYTES_PER_ELEMENT); }
  function column(d) { return { values: d.values, codes: typed(d.codes, d.bytes === 2 ? Uint16Array : Uint32Array) }; }
  function gunzipJSON(b64) {
    var stream = new Blob([bytes(b64)]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }

  /* Pending work the page waits for before it calls itself ready. */
  E.pending = E.pending || 0;
  E.done = function () {
    E.pending -= 1;
    if (E.pending <= 0 && E.readyWanted) { document.documentElement.dataset.eventmapReady = "1"; }
  };
  E.ready = function () {
    E.readyWanted = true;
    // Every control is on the page now: the legend takes the room left.
    Object.keys(E.maps).forEach(function (id) { if (E.maps[id].fitLegend) { E.maps[id].fitLegend(); } });
    // Clusters fan out by layer: those drawn before the later layers existed
    // are drawn again, now that all do.
    Object.keys(E.maps).forEach(function (id) {
      (E.maps[id].compact || []).forEach(function (layer) {
        if (layer._map && layer.aggregated()) { layer.redraw(); }
      });
    });
    if (E.pending <= 0) { document.documentElement.dataset.eventmapReady = "1"; }
  };

  var Compact = L.Layer.extend({
    initialize: function (d, opts) {
      this.d = d; this.opts = opts;
      var n = this.n = d.n;
      var lon = typed(d.lon, Int32Array), lat = typed(d.lat, Int32Array);
      this.day = typed(d.day, Int32Array);
      this.radius = typed(d.radius, Float32Array);
      this.val = typed(d.value, Float32Array);
      this.cols = {};
      for (var k in d.dict) { this.cols[k] = column(d.dict[k]); }
      // Web Mercator at zoom 0, computed once: a redraw only scales and shifts.
      var x = this.x = new Float32Array(n), y = this.y = new Float32Array(n);
      for (var i = 0; i < n; i++) {
        var la = lat[i] / 1e5, s = Math.sin(la * Math.PI / 180);
        s = Math.max(-0.9999, Math.min(0.9999, s));
        x[i] = (lon[i] / 1e5 + 180) / 360 * WORLD;
        y[i] = (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * WORLD;
      }
      this.lon = lon; this.lat = lat;
      this.visible = new Uint8Array(n).fill(1);
      this.buildGrid();
      var self = this;
      E.pending += 1;
      this.text = null;
      this.textReady = gunzipJSON(d.text).then(function (t) { self.text = t; return t; });
    },

    /* Counting-sort grid over zoom-0 coordinates, for hit-testing. */
    buildGrid: function () {
      var n = this.n, cell = new Uint32Array(n), start = new Uint32Array(GRID * GRID + 1);
      for (var i = 0; i < n; i++) {
        var cx = Math.min(GRID - 1, Math.max(0, (this.x[i] / WORLD * GRID) | 0));
        var cy = Math.min(GRID - 1, Math.max(0, (this.y[i] / WORLD * GRID) | 0));
        cell[i] = cy * GRID + cx; start[cell[i] + 1] += 1;
      }
      for (var c = 0; c < GRID * GRID; c++) { start[c + 1] += start[c]; }
      var fill = start.slice(0, GRID * GRID), order = new Uint32Array(n);
      for (var j = 0; j < n; j++) { order[fill[cell[j]]++] = j; }
      this.gridStart = start; this.gridOrder = order;
    },

    onAdd: function (map) {
      this._map = map;
      var pane = map.getPane("overlayPane");
      this.canvas = L.DomUtil.create("canvas", "em-compact leaflet-zoom-hide");
      pane.appendChild(this.canvas);
      map.on("moveend zoomend resize viewreset", this.redraw, this);
      this.redraw();
      if (!this.firstDraw) { this.firstDraw = true; this.textReady.then(E.done, E.done); }
    },

    onRemove: function (map) {
      map.off("moveend zoomend resize viewreset", this.redraw, this);
      L.DomUtil.remove(this.canvas);
      this.canvas = null;
    },

    setTime: function (t, hideUndated) {
      var tDay = t === null ? null : Math.floor(t / DAY), day = this.day, vis = this.visible;
      var changed = false;
      for (var i = 0; i < this.n; i++) {
        var v = day[i] === NO_DAY ? (hideUndated ? 0 : 1) : (tDay === null || day[i] <= tDay ? 1 : 0);
        if (vis[i] !== v) { vis[i] = v; changed = true; }
      }
      // A million arcs take a while: draw again only if something changed.
      if (changed && this._map) { this.redraw(); }
    },

    aggregated: function () {
      return !!this.opts.aggregate && this._map.getZoom() < CLUSTER_BELOW_ZOOM;
    },

    /* Low zoom, when asked: one circle per screen cell with the number of
     * events and the sum of their figures; clicking one zooms in. */
    drawClusters: function (ctx, size, scale, origin) {
      var cell = 44, cols = Math.ceil(size.x / cell) + 2, rows = Math.ceil(size.y / cell) + 2;
      var count = new Float64Array(cols * rows), sum = new Float64Array(cols * rows);
      var sx = new Float64Array(cols * rows), sy = new Float64Array(cols * rows);
      var x = this.x, y = this.y, vis = this.visible, val = this.val;
      for (var i = 0; i < this.n; i++) {
        if (!vis[i]) { continue; }
        var px = x[i] * scale - origin.x, py = y[i] * scale - origin.y;
        if (px < -cell || py < -cell || px > size.x + cell || py > size.y + cell) { continue; }
        var k = (((py / cell) | 0) + 1) * cols + (((px / cell) | 0) + 1);
        count[k] += 1; sx[k] += px; sy[k] += py; if (val[i] === val[i]) { sum[k] += val[i]; }
      }
      // Several layers cluster the same cells: fan them out around the centre.
      var layers = E.state(this._map).compact, slot = layers.indexOf(this), total = layers.length;
      var shiftX = total > 1 ? Math.cos(2 * Math.PI * slot / total) * cell * 0.22 : 0;
      var shiftY = total > 1 ? Math.sin(2 * Math.PI * slot / total) * cell * 0.22 : 0;
      var max = 0, cells = [];
      for (var c = 0; c < count.length; c++) { if (count[c] > max) { max = count[c]; } }
      ctx.font = "600 11px system-ui, sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "middle";
      for (var j = 0; j < count.length; j++) {
        if (!count[j]) { continue; }
        var cx = sx[j] / count[j] + shiftX, cy = sy[j] / count[j] + shiftY;
        var r = 6 + 13 * Math.sqrt(count[j] / max);
        cells.push({ x: cx, y: cy, r: r, count: count[j], sum: sum[j] });
        ctx.beginPath(); ctx.arc(cx, cy, r, 0, 2 * Math.PI);
        ctx.globalAlpha = 0.75; ctx.fillStyle = this.d.color; ctx.fill();
        ctx.globalAlpha = 1; ctx.lineWidth = 1.5; ctx.strokeStyle = "#fff"; ctx.stroke();
        ctx.fillStyle = "#fff";
        ctx.fillText(count[j] >= 1000 ? (count[j] / 1000).toFixed(count[j] >= 10000 ? 0 : 1) + "k" : String(count[j]), cx, cy);
      }
      this.cells = cells;
      this.drawn = cells.reduce(function (a, c) { return a + c.count; }, 0);
    },

    redraw: function () {
      if (!this._map || !this.canvas) { return; }
      var map = this._map, size = map.getSize(), ratio = window.devicePixelRatio || 1;
      var topLeft = map.containerPointToLayerPoint([0, 0]);
      L.DomUtil.setPosition(this.canvas, topLeft);
      this.canvas.width = size.x * ratio; this.canvas.height = size.y * ratio;
      this.canvas.style.width = size.x + "px"; this.canvas.style.height = size.y + "px";
      var ctx = this.canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      var scale = Math.pow(2, map.getZoom()), origin = map.getPixelBounds().min;
      this.cells = null;
      if (this.aggregated()) { this.drawClusters(ctx, size, scale, origin); return; }
      // Circles of one layer share one colour, so drawing them over each other
      // only adds opacity: where circles with opacities a1, a2, ... overlap the
      // result is 1 - (1 - a1)(1 - a2)..., as with the rich layer's SVG
      // circles. That product is taken here, per device pixel, from one mask
      // per radius, and the layer is put on its canvas in one call: a million
      // canvas arcs would take Chromium's software rasterizer many seconds.
      var W = this.canvas.width, H = this.canvas.height;
      if (!W || !H) { this.drawn = 0; return; }  // a hidden map (a closed tab): nothing to draw
      // One scratch buffer for every layer: redraws run one after another.
      if (!scratch || scratch.length !== W * H) { scratch = new Float32Array(W * H); }
      var clear = scratch.fill(1);
      var x = this.x, y = this.y, r = this.radius, vis = this.visible;
      var drawn = 0;
      for (var i = 0; i < this.n; i++) {
        if (!vis[i]) { continue; }
        var px = x[i] * scale - origin.x, py = y[i] * scale - origin.y, ri = r[i];
        if (px < -ri || py < -ri || px > size.x + ri || py > size.y + ri) { continue; }
        drawn += 1;
        var m = this.mask(Math.round(ri * 4), ratio), side = m.side, keep = m.keep;
        var x0 = Math.round(px * ratio) - m.half, y0 = Math.round(py * ratio) - m.half;
        var i0 = Math.max(0, -x0), i1 = Math.min(side, W - x0);
        var j1 = Math.min(side, H - y0);
        for (var j = Math.max(0, -y0); j < j1; j++) {
          var at = (y0 + j) * W + x0, from = j * side;
          for (var k = i0; k < i1; k++) { clear[at + k] *= keep[from + k]; }
        }
      }
      var image = ctx.createImageData(W, H), data = image.data, rgb = this.rgb();
      for (var p = 0, q = 0; p < clear.length; p++, q += 4) {
        if (clear[p] === 1) { continue; }
        data[q] = rgb[0]; data[q + 1] = rgb[1]; data[q + 2] = rgb[2];
        data[q + 3] = Math.round(255 * (1 - clear[p]));
      }
      ctx.putImageData(image, 0, 0);
      this.drawn = drawn;
    },

    /* How much of what is below shows through a circle of radius quarter / 4
     * CSS pixels, filled and outlined as the rich layer's are, per device
     * pixel of a square of side 2 * half around its centre. */
    mask: function (quarter, ratio) {
      if (this.masks && this.masks.ratio !== ratio) { this.masks = null; }
      var cache = this.masks || (this.masks = { ratio: ratio });
      if (cache[quarter]) { return cache[quarter]; }
      var radius = quarter / 4, half = Math.ceil((radius + STROKE_WIDTH) * ratio), side = 2 * half;
      var canvas = document.createElement("canvas");
      canvas.width = canvas.height = side;
      var g = canvas.getContext("2d", { willReadFrequently: true });
      g.setTransform(ratio, 0, 0, ratio, half, half);
      g.beginPath(); g.arc(0, 0, radius, 0, 2 * Math.PI);
      g.fillStyle = "#000"; g.globalAlpha = FILL_OPACITY; g.fill();
      g.globalAlpha = 1; g.lineWidth = STROKE_WIDTH; g.strokeStyle = "#000"; g.stroke();
      var alpha = g.getImageData(0, 0, side, side).data, keep = new Float32Array(side * side);
      for (var i = 0; i < keep.length; i++) { keep[i] = 1 - alpha[4 * i + 3] / 255; }
      return (cache[quarter] = { half: half, side: side, keep: keep });
    },

    /* The layer's colour as red, green and blue, whatever CSS form it has. */
    rgb: function () {
      if (!this._rgb) {
        var canvas = document.createElement("canvas");
        canvas.width = canvas.height = 1;
        var g = canvas.getContext("2d", { willReadFrequently: true });
        g.fillStyle = this.d.color; g.fillRect(0, 0, 1, 1);
        this._rgb = Array.prototype.slice.call(g.getImageData(0, 0, 1, 1).data, 0, 3);
      }
      return this._rgb;
    },

    /* The nearest visible event under a container point, within its radius + 3 px. */
    pick: function (point) {
      if (!this._map) { return null; }
      if (this.cells) {
        var hitCell = null;
        this.cells.forEach(function (c) {
          var d = Math.sqrt((c.x - point.x) * (c.x - point.x) + (c.y - point.y) * (c.y - point.y));
          if (d <= c.r && (!hitCell || d < hitCell.distance)) { hitCell = { cell: c, distance: d, layer: this }; }
        }, this);
        return hitCell;
      }
      var map = this._map, scale = Math.pow(2, map.getZoom()), origin = map.getPixelBounds().min;
      var wx = (point.x + origin.x) / scale, wy = (point.y + origin.y) / scale;
      var reach = 17 / scale, cellSize = WORLD / GRID;
      var c0 = Math.max(0, ((wx - reach) / cellSize) | 0), c1 = Math.min(GRID - 1, ((wx + reach) / cellSize) | 0);
      var r0 = Math.max(0, ((wy - reach) / cellSize) | 0), r1 = Math.min(GRID - 1, ((wy + reach) / cellSize) | 0);
      var best = -1, bestD = Infinity;
      for (var row = r0; row <= r1; row++) {
        for (var c = c0; c <= c1; c++) {
          var k = row * GRID + c;
          for (var j = this.gridStart[k]; j < this.gridStart[k + 1]; j++) {
            var i = this.gridOrder[j];
            if (!this.visible[i]) { continue; }
            var dx = (this.x[i] - wx) * scale, dy = (this.y[i] - wy) * scale, dd = dx * dx + dy * dy;
            var lim = this.radius[i] + 3;
            if (dd <= lim * lim && dd < bestD) { best = i; bestD = dd; }
          }
        }
      }
      return best < 0 ? null : { index: best, distance: Math.sqrt(bestD), layer: this };
    },

    value: function (name, i) { var c = this.cols[name]; return c.values[c.codes[i]]; },

    /* The event as the shared popup builder expects it. */
    feature: function (i) {
      var t = this.text || { id: [], description: [], notes: [] };
      var figures = this.value("figures", i), sources = this.value("sources", i);
      var actors = this.value("actors", i);
      return {
        id: t.id[i] || String(i), title: this.value("title", i), date: this.value("date", i),
        where: this.value("where", i), layer_label: this.d.layer_label, color: this.d.color,
        figures: figures ? [{ label: figures }] : [], description: t.description[i],
        sources: sources ? JSON.parse(sources).map(function (s) { return { name: s }; }) : [],
        actors: actors ? JSON.parse(actors) : [], confidence: this.value("confidence", i),
        status: this.value("status", i), notes: t.notes[i]
      };
    },

    latlng: function (i) { return L.latLng(this.lat[i] / 1e5, this.lon[i] / 1e5); }
  });

  /* One pointer handler per map picks the nearest event across compact layers. */
  function pickAll(map, point) {
    var st = E.state(map), best = null;
    (st.compact || []).forEach(function (layer) {
      var hit = layer.pick(point);
      if (hit && (!best || hit.distance < best.distance)) { best = hit; }
    });
    return best;
  }

  function listen(map) {
    var st = E.state(map);
    if (st.compactListening) { return; }
    st.compactListening = true;
    var tip = L.tooltip({ direction: "top", offset: [0, -6], opacity: 0.95 });
    var frame = null;
    map.on("click", function (e) {
      var hit = pickAll(map, e.containerPoint);
      if (!hit) { return; }
      if (hit.cell) {  // a cluster: zoom in on it
        map.setView(map.containerPointToLatLng([hit.cell.x, hit.cell.y]), map.getZoom() + 2);
        return;
      }
      var layer = hit.layer, i = hit.index;
      layer.textReady.then(function () {
        map.closeTooltip(tip);
        L.popup(E.popupOptions)
          .setLatLng(layer.latlng(i))
          .setContent(E.popup(layer.feature(i), st.time))
          .openOn(map);
      });
    });
    map.on("mousemove", function (e) {
      if (frame) { return; }
      frame = requestAnimationFrame(function () {
        frame = null;
        var hit = pickAll(map, e.containerPoint);
        map.getContainer().style.cursor = hit ? "pointer" : "";
        if (!hit || st.popupOpen) { map.closeTooltip(tip); return; }
        if (hit.cell) {
          var box = E.el("div", "em-tip");
          box.appendChild(E.el("strong", null, hit.layer.d.layer_label));
          box.appendChild(E.el("div", null, hit.cell.count.toLocaleString("en") + " events" +
            (hit.cell.sum ? " · " + hit.cell.sum.toLocaleString("en") + " " + (hit.layer.d.unit || "") : "")));
          box.appendChild(E.el("div", "em-tip-date", "click to zoom in"));
          tip.setLatLng(map.containerPointToLatLng([hit.cell.x, hit.cell.y])).setContent(box);
        } else {
          tip.setLatLng(hit.layer.latlng(hit.index)).setContent(E.tooltip(hit.layer.feature(hit.index)));
        }
        if (!map.hasLayer(tip)) { map.openTooltip(tip); }
      });
    });
  }

  E.draw.compact = function (map, d, opts) {
    var layer = new Compact(d, opts);
    var st = E.state(map);
    (st.compact = st.compact || []).push(layer);
    // The time control filters it like any other layer (see E.setTime).
    st.items.push({ layer: layer, group: null, start: null, setTime: layer.setTime.bind(layer) });
    listen(map);
    return layer;
  };

  /* What tests and notebooks can ask: where is event i of a compact layer. */
  E.compactPoint = function (map, layerIndex, i) {
    var layer = E.state(map).compact[layerIndex];
    return map.latLngToContainerPoint(layer.latlng(i));
  };
})();
