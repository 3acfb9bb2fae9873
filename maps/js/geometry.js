/* Geometry of the page: GeoJSON to Leaflet coordinates, Web Mercator at
 * zoom 0, the hit-testing grid of compact layers, their clusters and the
 * arrowheads of flows. Pure functions on plain numbers (no DOM, no Leaflet). */

/* The world at zoom 0 is WORLD px wide; compact layers hit-test on a
 * GRID × GRID grid over it. */
export const WORLD = 256;
export const GRID = 1024;
/* Clusters gather the events of a CLUSTER px screen cell. */
export const CLUSTER = 44;

/* Leaflet wants [lat, lng]; GeoJSON gives [lng, lat]. */
export function latlngs(geom) {
  const flip = (line) => line.map((c) => [c[1], c[0]]);
  if (geom.type === "LineString") { return [flip(geom.coordinates)]; }
  if (geom.type === "MultiLineString") { return geom.coordinates.map(flip); }
  return [];
}

/* Web Mercator at zoom 0 of n points given in 1e-5 degrees, computed once:
 * a redraw only scales and shifts. */
export function project(lon, lat, n) {
  const x = new Float32Array(n), y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const la = lat[i] / 1e5;
    let s = Math.sin(la * Math.PI / 180);
    s = Math.max(-0.9999, Math.min(0.9999, s));
    x[i] = (lon[i] / 1e5 + 180) / 360 * WORLD;
    y[i] = (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * WORLD;
  }
  return { x, y };
}

/* Counting-sort grid over zoom-0 coordinates, for hit-testing: the points of
 * cell k are order[start[k]] to order[start[k + 1] - 1]. */
export function buildGrid(x, y, n) {
  const cell = new Uint32Array(n), start = new Uint32Array(GRID * GRID + 1);
  for (let i = 0; i < n; i++) {
    const cx = Math.min(GRID - 1, Math.max(0, (x[i] / WORLD * GRID) | 0));
    const cy = Math.min(GRID - 1, Math.max(0, (y[i] / WORLD * GRID) | 0));
    cell[i] = cy * GRID + cx; start[cell[i] + 1] += 1;
  }
  for (let c = 0; c < GRID * GRID; c++) { start[c + 1] += start[c]; }
  const fill = start.slice(0, GRID * GRID), order = new Uint32Array(n);
  for (let j = 0; j < n; j++) { order[fill[cell[j]]++] = j; }
  return { start, order };
}

/* The nearest visible point to (wx, wy) (zoom-0 px) within its radius + 3
 * screen px at this scale, as {index, distance}, or null. */
export function nearest(grid, pts, wx, wy, scale) {
  const { x, y, radius, visible } = pts;
  const reach = 17 / scale, cellSize = WORLD / GRID;
  const c0 = Math.max(0, ((wx - reach) / cellSize) | 0), c1 = Math.min(GRID - 1, ((wx + reach) / cellSize) | 0);
  const r0 = Math.max(0, ((wy - reach) / cellSize) | 0), r1 = Math.min(GRID - 1, ((wy + reach) / cellSize) | 0);
  let best = -1, bestD = Infinity;
  for (let row = r0; row <= r1; row++) {
    for (let c = c0; c <= c1; c++) {
      const k = row * GRID + c;
      for (let j = grid.start[k]; j < grid.start[k + 1]; j++) {
        const i = grid.order[j];
        if (!visible[i]) { continue; }
        const dx = (x[i] - wx) * scale, dy = (y[i] - wy) * scale, dd = dx * dx + dy * dy;
        const lim = radius[i] + 3;
        if (dd <= lim * lim && dd < bestD) { best = i; bestD = dd; }
      }
    }
  }
  return best < 0 ? null : { index: best, distance: Math.sqrt(bestD) };
}

/* Where layer `slot` of `total` puts its clusters, so that several layers
 * clustering the same cells fan out around the centre. */
export function fanShift(slot, total, cell) {
  if (total <= 1) { return [0, 0]; }
  return [Math.cos(2 * Math.PI * slot / total) * cell * 0.22, Math.sin(2 * Math.PI * slot / total) * cell * 0.22];
}

/* One circle per screen cell of the visible points, at their mean (shifted),
 * with their number and the sum of their values (NaN counts for nothing),
 * sized by number: [{x, y, r, count, sum}] in screen px. size is the screen
 * {x, y}, origin the screen's top left in px at this scale. */
export function clusters(pts, n, size, scale, origin, shift) {
  const { x, y, visible, value } = pts;
  const cell = CLUSTER, cols = Math.ceil(size.x / cell) + 2, rows = Math.ceil(size.y / cell) + 2;
  const count = new Float64Array(cols * rows), sum = new Float64Array(cols * rows);
  const sx = new Float64Array(cols * rows), sy = new Float64Array(cols * rows);
  for (let i = 0; i < n; i++) {
    if (!visible[i]) { continue; }
    const px = x[i] * scale - origin.x, py = y[i] * scale - origin.y;
    if (px < -cell || py < -cell || px > size.x + cell || py > size.y + cell) { continue; }
    const k = (((py / cell) | 0) + 1) * cols + (((px / cell) | 0) + 1);
    count[k] += 1; sx[k] += px; sy[k] += py;
    if (!Number.isNaN(value[i])) { sum[k] += value[i]; }
  }
  let max = 0;
  for (let c = 0; c < count.length; c++) { if (count[c] > max) { max = count[c]; } }
  const cells = [];
  for (let j = 0; j < count.length; j++) {
    if (!count[j]) { continue; }
    cells.push({
      x: sx[j] / count[j] + shift[0], y: sy[j] / count[j] + shift[1],
      r: 6 + 13 * Math.sqrt(count[j] / max), count: count[j], sum: sum[j],
    });
  }
  return cells;
}

/* An arrowhead at the end of a line from a to b (zoom-0 px), pointing along
 * it: its side s (px, from the wanted size), its rotation in degrees (text)
 * and its anchor, shifted like its line: to the right of travel, (-sin, cos)
 * on screen. Web Mercator is conformal, so the angle does not change with zoom. */
export function arrowHead(a, b, size, offset) {
  const rad = Math.atan2(b.y - a.y, b.x - a.x);
  const s = Math.max(10, Math.min(26, size));
  const ox = -Math.sin(rad) * (offset || 0), oy = Math.cos(rad) * (offset || 0);
  return { s, deg: (rad * 180 / Math.PI).toFixed(1), anchor: [s / 2 - ox, s / 2 - oy] };
}

/* Compact layers draw every event from a mask: per device pixel of a square
 * around it, how much of what is below shows through its circle. Events with
 * one radius (to a quarter px) and one placement share a mask. Given once per
 * layer: each mask's {quarter, placed}, and the events grouped by mask (those
 * of mask k are order[start[k]] to order[start[k + 1] - 1]), with their x, y
 * and radius in that order, so that drawing reads them one after another. */
export function maskGroups(pts, n) {
  const { radius, placed } = pts, index = new Map(), specs = [], key = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const quarter = Math.round(radius[i] * 4), id = quarter * 3 + placed[i];
    let k = index.get(id);
    if (k === undefined) { k = specs.length; index.set(id, k); specs.push({ quarter, placed: placed[i] }); }
    key[i] = k;
  }
  const start = new Uint32Array(specs.length + 1);
  for (let i = 0; i < n; i++) { start[key[i] + 1] += 1; }
  for (let k = 0; k < specs.length; k++) { start[k + 1] += start[k]; }
  const fill = start.slice(0, specs.length), order = new Uint32Array(n);
  const x = new Float32Array(n), y = new Float32Array(n), r = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const j = fill[key[i]]++;
    order[j] = i; x[j] = pts.x[i]; y[j] = pts.y[i]; r[j] = radius[i];
  }
  return { specs, start, order, x, y, radius: r };
}

/* The drawing buffers of a W × H device-pixel screen padded by pad on every
 * side (a mask is never clipped): clear, per pixel, how much of what is
 * below shows through (1: everything); tiles, 1 for each TILE-px square that
 * splat drew in; count and touched, splat's scratch. */
export const TILE = 32;
export function splatBuffers(W, H, pad) {
  const row = W + 2 * pad, rows = H + 2 * pad, tw = Math.ceil(row / TILE), th = Math.ceil(rows / TILE);
  return {
    W, H, pad, clear: new Float32Array(row * rows).fill(1), count: new Uint32Array(row * rows),
    touched: new Uint32Array(row * rows), tiles: new Uint8Array(tw * th), tw, th,
  };
}

/* A mask to the power c: what c circles of it on one spot let through. */
export function maskPower(m, c) {
  if (c === 1) { return m.keep; }
  const powers = m.powers || (m.powers = new Map());
  let p = powers.get(c);
  if (!p) {
    p = new Float32Array(m.keep.length);
    for (let i = 0; i < p.length; i++) { p[i] = Math.pow(m.keep[i], c); }
    powers.set(c, p);
  }
  return p;
}

/* Per row of a mask, the columns [from, to) that hide anything (keep < 1):
 * a circle covers little more than three quarters of its square, and drawing
 * skips the rest. */
export function maskSpans(m) {
  const { side, keep } = m, spans = new Int32Array(2 * side);
  for (let r = 0; r < side; r++) {
    let a = 0, b = side;
    while (a < b && keep[r * side + a] === 1) { a += 1; }
    while (b > a && keep[r * side + b - 1] === 1) { b -= 1; }
    spans[2 * r] = a; spans[2 * r + 1] = b;
  }
  return spans;
}

/* Multiplies buf.clear by the masks of the visible events (visible: a flag
 * per event, in the layer's order) on screen, within their radius of it, as
 * drawn counts them. Circles of one colour drawn over each other let through
 * the product of what each lets through; the events of one mask on one
 * device pixel are counted first and the mask applied once, to the power of
 * their number: the work is bounded by the screen's pixels, not by the
 * number of events. masks[k] = {half, side, keep} for groups' mask k, with
 * 2 * half + 2 <= buf.pad; view = {size (CSS px), scale, origin (the screen's
 * top left at this scale), ratio}. Marks the tiles it drew in; returns the
 * number of events drawn. */
export function splat(visible, groups, masks, view, buf) {
  const { start, order, x, y, radius } = groups;
  const { size, scale, origin, ratio } = view, { clear, count, touched, tiles, tw, pad } = buf;
  const row = buf.W + 2 * pad, ox = origin.x, oy = origin.y, sx = size.x, sy = size.y;
  let drawn = 0;
  for (let k = 0; k + 1 < start.length; k++) {
    const m = masks[k], side = m.side, shift = pad - m.half, spans = m.spans || (m.spans = maskSpans(m));
    let t = 0;
    for (let j = start[k]; j < start[k + 1]; j++) {
      if (!visible[order[j]]) { continue; }
      const px = x[j] * scale - ox, py = y[j] * scale - oy, ri = radius[j];
      if (px < -ri || py < -ri || px > sx + ri || py > sy + ri) { continue; }
      drawn += 1;
      const at = (Math.round(py * ratio) + shift) * row + Math.round(px * ratio) + shift;
      if (count[at]++ === 0) { touched[t++] = at; }
    }
    for (let u = 0; u < t; u++) {
      const at = touched[u], keep = maskPower(m, count[at]);
      count[at] = 0;
      for (let r = 0; r < side; r++) {
        const to = at + r * row, from = r * side, end = spans[2 * r + 1];
        for (let s = spans[2 * r]; s < end; s++) { clear[to + s] *= keep[from + s]; }
      }
      const ax = at % row, ay = (at - ax) / row;
      const a0 = (ax / TILE) | 0, a1 = ((ax + side - 1) / TILE) | 0, b1 = ((ay + side - 1) / TILE) | 0;
      for (let b = (ay / TILE) | 0; b <= b1; b++) {
        for (let a = a0; a <= a1; a++) { tiles[b * tw + a] = 1; }
      }
    }
  }
  return drawn;
}

/* The layer's pixels: in the tiles splat drew in, colour rgb at opacity
 * 1 - clear, as little-endian RGBA words of a buf.W-wide image (words),
 * pixels that let everything through transparent; clear and tiles are left
 * as splatBuffers made them. Returns the rectangles of the image to put on
 * the canvas, [x, y, width, height], a run of tiles each: work and copying in
 * proportion to what is drawn, not to the screen. */
export function shade(buf, rgb, words) {
  const { clear, tiles, tw, th, W, H, pad } = buf, row = W + 2 * pad, rows = H + 2 * pad;
  const colour = rgb[0] | (rgb[1] << 8) | (rgb[2] << 16), rects = [];
  for (let b = 0; b < th; b++) {
    const y0 = b * TILE, y1 = Math.min(y0 + TILE, rows);
    const cy0 = Math.max(y0, pad), cy1 = Math.min(y1, pad + H);
    let run = -1;
    for (let a = 0; a <= tw; a++) {
      if (a < tw && tiles[b * tw + a]) {
        tiles[b * tw + a] = 0;
        if (run < 0) { run = a; }
        const x0 = a * TILE, x1 = Math.min(x0 + TILE, row);
        const cx0 = Math.max(x0, pad), cx1 = Math.min(x1, pad + W);
        for (let ay = cy0; ay < cy1; ay++) {
          const from = ay * row, to = (ay - pad) * W - pad;
          for (let ax = cx0; ax < cx1; ax++) {
            const v = clear[from + ax];
            words[to + ax] = v === 1 ? 0 : (colour | (Math.round(255 * (1 - v)) << 24)) >>> 0;
          }
        }
        for (let ay = y0; ay < y1; ay++) { clear.fill(1, ay * row + x0, ay * row + x1); }
        continue;
      }
      if (run < 0) { continue; }
      const rx0 = Math.max(run * TILE, pad) - pad, rx1 = Math.min(a * TILE, pad + W) - pad;
      if (rx1 > rx0 && cy1 > cy0) { rects.push([rx0, cy0 - pad, rx1 - rx0, cy1 - cy0]); }
      run = -1;
    }
  }
  return rects;
}
