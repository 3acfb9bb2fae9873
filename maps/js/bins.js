/* Aggregates of the shown events: class breaks and their colours, sums per
 * admin-1 region, hexagon bins and a heat density. Pure functions on typed
 * arrays (no DOM, no Leaflet), so node can test them; aggregate.js draws
 * them. A "source" is a Table (view.js) or anything with its columns:
 * {n, x, y (Web Mercator at zoom 0), point, visible, fat, region}. */

/* Five classes, light to dark: ColorBrewer's YlOrRd (7 classes, the palest
 * and the fourth left out, so the lightest still shows on a light basemap).
 * One hue family with falling lightness: ordered for every reader, whatever
 * their colour vision, and printable in grey. */
export const RAMP = ["#fed976", "#feb24c", "#fd8d3c", "#e31a1c", "#b10026"];
export const CLASSES = RAMP.length;

const NICE = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/* The nice number nearest v (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of
 * ten); integers stay integers below 10. */
export function nice(v, integer) {
  if (!(v > 0)) { return 0; }
  if (integer && v < 10) { return Math.max(1, Math.round(v)); }
  const e = Math.pow(10, Math.floor(Math.log10(v)));
  let best = NICE[0] * e;
  NICE.forEach((m) => { if (Math.abs(m * e - v) < Math.abs(best - v)) { best = m * e; } });
  // 0.1 + 0.2: keep the decimal a person would write.
  return Number(best.toPrecision(6));
}

/* Class breaks of the positive values (0, negative and NaN are "none"):
 * {edges, integer}, edges ascending, edges[0] the smallest value and the last
 * the largest; class i holds edges[i] <= v < edges[i + 1] (the last class
 * includes the largest). Counts of events are heavy-tailed (one oblast has a
 * third of a war's events, most hexagons one or two), so the breaks grow by a
 * constant factor from the smallest to the largest value, each rounded to a
 * nice number: classes read as "tens, hundreds, thousands", and the same data
 * always gives the same breaks. Fewer classes when there are fewer distinct
 * values (one value, all equal: one class; none: no class). */
export function breaks(values, k = CLASSES) {
  let lo = Infinity, hi = -Infinity, integer = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v > 0) || !Number.isFinite(v)) { continue; }
    if (v < lo) { lo = v; }
    if (v > hi) { hi = v; }
    if (integer && !Number.isInteger(v)) { integer = false; }
  }
  if (hi === -Infinity) { return { edges: [], integer }; }
  if (lo === hi) { return { edges: [lo, hi], integer }; }
  if (integer && hi - lo < k) {  // few integers: one class each
    const each = [];
    for (let v = lo; v <= hi; v++) { each.push(v); }
    return { edges: each.concat([hi]), integer };
  }
  const edges = [lo], ratio = Math.pow(hi / lo, 1 / k);
  for (let j = 1; j < k; j++) {
    const b = nice(lo * Math.pow(ratio, j), integer);
    const last = edges[edges.length - 1];
    // Integers: a class may be one value, the largest alone; else keep below it.
    if (b > last && (integer ? b <= hi : b < hi)) { edges.push(b); }
  }
  edges.push(hi);
  return { edges, integer };
}

/* How many classes the breaks make. */
export function classCount(b) {
  return Math.max(0, b.edges.length - 1);
}

/* The class of v (0 .. classCount - 1), or -1 for none (0, NaN, no classes). */
export function classOf(v, b) {
  const e = b.edges, k = e.length - 1;
  if (!(v > 0) || k < 1) { return -1; }
  let c = 0;
  while (c < k - 1 && v >= e[c + 1]) { c += 1; }
  return c;
}

/* The colour of each class: the ramp spread over fewer classes (one class:
 * its middle). */
export function classColors(k) {
  if (k <= 0) { return []; }
  if (k === 1) { return [RAMP[2]]; }
  const out = [];
  for (let i = 0; i < k; i++) { out.push(RAMP[Math.round(i * (RAMP.length - 1) / (k - 1))]); }
  return out;
}

function num(v, integer) {
  if (integer) { return Math.round(v).toLocaleString("en"); }
  return Number(v.toPrecision(3)).toLocaleString("en");
}

/* Each class's range as the legend says it: "1–9", "10–49", …, "1,000–1,234";
 * a class of one integer is that value alone ("2"). */
export function classLabels(b) {
  const e = b.edges, k = e.length - 1, out = [];
  for (let i = 0; i < k; i++) {
    const a = e[i], z = i === k - 1 ? e[k] : (b.integer ? e[i + 1] - 1 : e[i + 1]);
    out.push(a === z ? num(a, b.integer) : num(a, b.integer) + "–" + num(z, b.integer));
  }
  return out;
}

/* Events and fatalities of the visible rows per region id:
 * {id: {events, fatalities}}, only regions with events. A region's code is
 * its table's own (dictionary columns differ per table); ids join them. */
export function regionSums(sources) {
  const out = {};
  sources.forEach((t) => {
    if (!t.region || !t.region.values) { return; }
    const values = t.region.values, codes = t.region.codes, m = values.length;
    const count = new Float64Array(m), fat = new Float64Array(m);
    const vis = t.visible, f = t.fat;
    for (let i = 0; i < t.n; i++) {
      if (!vis[i]) { continue; }
      const c = codes[i];
      if (!c) { continue; }
      count[c] += 1;
      const v = f ? f[i] : NaN;
      if (v === v) { fat[c] += v; }  // NaN: no figure
    }
    for (let c = 1; c < m; c++) {
      if (!count[c]) { continue; }
      const s = out[values[c]] || (out[values[c]] = { events: 0, fatalities: 0 });
      s.events += count[c]; s.fatalities += fat[c];
    }
  });
  return out;
}

/* Hexagons are HEX px across (corner to corner) at every integer zoom. */
export const HEX = 40;
const SQRT3 = Math.sqrt(3);

/* A hexagon's circumradius in zoom-0 px at a zoom: HEX / 2 screen px at the
 * nearest integer zoom, so bins stay put while a fractional zoom settles
 * and pans never move them (the grid is fixed to the world). */
export function hexRadius(zoom) {
  return HEX / 2 / Math.pow(2, Math.round(zoom));
}

/* The pointy-top hexagon (axial q, r) holding a point (x, y) of a grid of
 * circumradius R, by rounding its cube coordinates. */
export function hexAt(x, y, R) {
  const fq = (SQRT3 / 3 * x - y / 3) / R, fr = (2 / 3 * y) / R, fs = -fq - fr;
  let q = Math.round(fq), r = Math.round(fr);
  const s = Math.round(fs);
  const dq = Math.abs(q - fq), dr = Math.abs(r - fr), ds = Math.abs(s - fs);
  if (dq > dr && dq > ds) { q = -r - s; } else if (dr > ds) { r = -q - s; }
  return { q: q + 0, r: r + 0 };  // + 0: no -0 in keys
}

export function hexCenter(q, r, R) {
  return { x: R * SQRT3 * (q + r / 2), y: R * 1.5 * r };
}

/* The six corners of the hexagon centred at (x, y): [[x, y], ...], clockwise
 * on screen from the top. */
export function hexVertices(x, y, R) {
  const out = [];
  for (let i = 0; i < 6; i++) {
    const a = Math.PI / 180 * (60 * i - 90);
    out.push([x + R * Math.cos(a), y + R * Math.sin(a)]);
  }
  return out;
}

// q and r are below 2^22 in magnitude up to zoom 18: one number keys both.
const KEY = 1 << 23;

/* The visible point rows of every source in hexagons of circumradius R
 * (zoom-0 px): {R, bins: [{q, r, x, y, count, sum}], index: Map key → bin},
 * bins in row then column order; sum adds the fatalities (NaN: none). */
export function hexbin(sources, R) {
  const index = new Map(), bins = [];
  sources.forEach((t) => {
    const x = t.x, y = t.y, vis = t.visible, pt = t.point, f = t.fat;
    for (let i = 0; i < t.n; i++) {
      if (!vis[i] || (pt && !pt[i])) { continue; }
      const xi = x[i], yi = y[i];
      if (xi !== xi || yi !== yi) { continue; }
      const h = hexAt(xi, yi, R), key = h.r * KEY + h.q;
      let b = index.get(key);
      if (!b) {
        const c = hexCenter(h.q, h.r, R);
        b = { q: h.q, r: h.r, x: c.x, y: c.y, count: 0, sum: 0 };
        index.set(key, b); bins.push(b);
      }
      b.count += 1;
      const v = f ? f[i] : NaN;
      if (v === v) { b.sum += v; }
    }
  });
  bins.sort((a, b) => a.r - b.r || a.q - b.q);
  return { R, bins, index };
}

/* The bin under a point (x, y) (zoom-0 px), or null. */
export function binAt(hb, x, y) {
  const h = hexAt(x, y, hb.R);
  return hb.index.get(h.r * KEY + h.q) || null;
}

/* A Gaussian kernel density of the visible point rows on the screen, on a
 * grid of `cell` px: the points are counted per cell (fatalities, when the
 * metric says so), then blurred with a Gaussian of `sigma` px in two passes
 * (it is separable): linear in points, then in cells, so a million points
 * cost one pass over them. The grid reaches 3 sigma past the screen so
 * points just off it still warm its edges. view: {scale, ox, oy, width,
 * height} (ox, oy: the screen's top left in px at that scale).
 * Returns {cols, rows, cell, pad, values: Float32Array, max}; cell (i, j)
 * is centred at ((i - pad + 0.5) * cell, (j - pad + 0.5) * cell) on screen. */
export function heatGrid(sources, view, opts) {
  const cell = (opts && opts.cell) || 4, sigma = ((opts && opts.sigma) || 12) / cell;
  const weight = (opts && opts.metric) === "fatalities" ? "fat" : null;
  const pad = Math.ceil(3 * sigma);
  const cols = Math.ceil(view.width / cell) + 2 * pad, rows = Math.ceil(view.height / cell) + 2 * pad;
  const grid = new Float32Array(cols * rows);
  sources.forEach((t) => {
    const x = t.x, y = t.y, vis = t.visible, pt = t.point, f = t.fat;
    for (let i = 0; i < t.n; i++) {
      if (!vis[i] || (pt && !pt[i])) { continue; }
      const w = weight ? (f && f[i] === f[i] ? f[i] : 0) : 1;
      if (!w) { continue; }
      const ci = Math.floor((x[i] * view.scale - view.ox) / cell) + pad;
      const cj = Math.floor((y[i] * view.scale - view.oy) / cell) + pad;
      if (ci < 0 || cj < 0 || ci >= cols || cj >= rows) { continue; }  // and NaN
      grid[cj * cols + ci] += w;
    }
  });
  const kernel = gaussian(sigma), half = (kernel.length - 1) / 2;
  const tmp = new Float32Array(cols * rows), out = new Float32Array(cols * rows);
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const v = grid[j * cols + i];
      if (!v) { continue; }
      for (let k = -half; k <= half; k++) {
        const ii = i + k;
        if (ii >= 0 && ii < cols) { tmp[j * cols + ii] += v * kernel[k + half]; }
      }
    }
  }
  let max = 0;
  for (let i = 0; i < cols; i++) {
    for (let j = 0; j < rows; j++) {
      const v = tmp[j * cols + i];
      if (!v) { continue; }
      for (let k = -half; k <= half; k++) {
        const jj = j + k;
        if (jj >= 0 && jj < rows) { out[jj * cols + i] += v * kernel[k + half]; }
      }
    }
  }
  for (let p = 0; p < out.length; p++) { if (out[p] > max) { max = out[p]; } }
  return { cols, rows, cell, pad, values: out, max };
}

/* A normalized Gaussian of sigma cells, 3 sigma each side. */
export function gaussian(sigma) {
  const half = Math.max(1, Math.ceil(3 * sigma)), k = [];
  let total = 0;
  for (let i = -half; i <= half; i++) { const v = Math.exp(-i * i / (2 * sigma * sigma)); k.push(v); total += v; }
  return k.map((v) => v / total);
}

function rgb(hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

const HEAT = RAMP.map(rgb);

/* A heat cell's colour for t = density / peak, as [r, g, b, a] (0..255):
 * nothing below 2 % of the peak, then the ramp, more opaque as it rises, on
 * the square root of t so that a town's few events still show beside the
 * front's thousands. */
export function heatColor(t) {
  if (!(t > 0.02)) { return [0, 0, 0, 0]; }
  const s = Math.sqrt(Math.min(1, t)), at = s * (HEAT.length - 1);
  const i = Math.min(HEAT.length - 2, Math.floor(at)), u = at - i;
  const a = HEAT[i], b = HEAT[i + 1];
  return [
    Math.round(a[0] + (b[0] - a[0]) * u), Math.round(a[1] + (b[1] - a[1]) * u),
    Math.round(a[2] + (b[2] - a[2]) * u), Math.round(255 * (0.35 + 0.5 * s)),
  ];
}

/* Relative luminance (WCAG) of a #rrggbb colour: tests check the ramp darkens. */
export function luminance(hex) {
  const c = rgb(hex).map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}
