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
