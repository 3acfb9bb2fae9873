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

/* The number with the fewest significant digits in (lo, hi] (the smallest
 * of those): a class break people can read, 10 rather than 7.3. */
export function simplest(lo, hi) {
  if (!(hi > lo)) { return hi; }
  for (let e = Math.floor(Math.log10(Math.abs(hi) || 1)); e > -12; e--) {
    const step = Math.pow(10, e), c = (Math.floor(lo / step) + 1) * step;
    // 0.1 + 0.2: keep the decimal a person would write.
    if (c <= hi) { return Number(c.toPrecision(12)); }
  }
  return hi;
}

/* Fisher's optimal partition (Jenks' natural breaks) of sorted values xs
 * with weights ws into k classes, minimizing the weighted squares within
 * classes: the index where each class after the first starts. */
function fisher(xs, ws, k) {
  const m = xs.length, W = new Float64Array(m + 1), S = new Float64Array(m + 1), Q = new Float64Array(m + 1);
  for (let i = 0; i < m; i++) {
    W[i + 1] = W[i] + ws[i]; S[i + 1] = S[i] + ws[i] * xs[i]; Q[i + 1] = Q[i] + ws[i] * xs[i] * xs[i];
  }
  // The weighted squares of items i..j: Q - S^2 / W over them.
  let prev = new Float64Array(m);
  for (let j = 0; j < m; j++) { const s = S[j + 1]; prev[j] = Q[j + 1] - s * s / W[j + 1]; }
  const from = [];
  for (let c = 1; c < k; c++) {
    const cur = new Float64Array(m).fill(Infinity), at = new Int32Array(m);
    for (let j = c; j < m; j++) {
      const wj = W[j + 1], sj = S[j + 1], qj = Q[j + 1];
      let best = Infinity, bi = c;
      for (let i = c; i <= j; i++) {
        const w = wj - W[i], s = sj - S[i], v = prev[i - 1] + qj - Q[i] - s * s / w;
        if (v < best) { best = v; bi = i; }
      }
      cur[j] = best; at[j] = bi;
    }
    from.push(at); prev = cur;
  }
  const starts = [];
  let j = m - 1;
  for (let c = k - 1; c >= 1; c--) { const i = from[c - 1][j]; starts.unshift(i); j = i - 1; }
  return starts;
}

/* At most this many distinct values go into the partition (it is quadratic):
 * more are merged into runs of neighbours first. */
const RUNS = 400;

/* Class breaks of the positive values (0, negative and NaN are "none"):
 * {edges, integer}, edges ascending, edges[0] the smallest value and the last
 * the largest; class i holds edges[i] <= v < edges[i + 1] (the last class
 * includes the largest). The classes are the natural breaks (Jenks) of
 * the values' square roots: counts of events are heavy-tailed (one oblast
 * has a third of a war's events), and the square root evens out a count's
 * noise (Poisson's variance is its mean), so the front's oblasts are told
 * apart from each other instead of sharing the top class, and equal
 * intervals never put every region but one in the first. Each break is then
 * the simplest number between the classes it parts (10, 200, 1,000). The
 * same values always give the same breaks. Fewer classes when there are
 * fewer distinct values (one value, all equal: one class; none: no class). */
export function breaks(values, k = CLASSES) {
  let pos = new Float64Array(values.length), n = 0, integer = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v > 0) || !Number.isFinite(v)) { continue; }
    pos[n++] = v;
    if (integer && !Number.isInteger(v)) { integer = false; }
  }
  if (!n) { return { edges: [], integer }; }
  pos = pos.subarray(0, n).sort();
  const lo = pos[0], hi = pos[n - 1];
  if (lo === hi) { return { edges: [lo, hi], integer }; }
  // Distinct values and how often each comes, as runs [min, max] of them.
  let mins = [], maxs = [], ws = [], xs = [];
  for (let i = 0; i < n; i++) {
    const v = pos[i], last = mins.length - 1;
    if (last >= 0 && maxs[last] === v) { ws[last] += 1; continue; }
    mins.push(v); maxs.push(v); ws.push(1); xs.push(Math.sqrt(v));
  }
  if (mins.length > RUNS) {
    const per = Math.ceil(mins.length / RUNS), m2 = [], x2 = [], w2 = [], x3 = [];
    for (let i = 0; i < mins.length; i += per) {
      let w = 0, s = 0;
      const end = Math.min(mins.length, i + per);
      for (let j = i; j < end; j++) { w += ws[j]; s += ws[j] * xs[j]; }
      m2.push(mins[i]); x2.push(maxs[end - 1]); w2.push(w); x3.push(s / w);
    }
    mins = m2; maxs = x2; ws = w2; xs = x3;
  }
  const edges = [lo];
  if (mins.length <= k) {
    for (let i = 1; i < mins.length; i++) { edges.push(simplest(maxs[i - 1], mins[i])); }
  } else {
    fisher(xs, ws, k).forEach((i) => { edges.push(simplest(maxs[i - 1], mins[i])); });
  }
  edges.push(hi);
  return { edges, integer };
}

/* Modes that draw point symbols (clusters too: they open into points); the
 * others replace them (view.js leaves circles to aggregate.js then). */
const WITH_POINTS = { points: true, cluster: true };

export function drawsPoints(agg) {
  return !agg || !!WITH_POINTS[agg];
}

/* The ways a map can show its point events, in the switch's order:
 * points always, clusters with a compact layer, hexagons and heat with a
 * point event, regions with the regions' outlines. The "Show as" switch
 * offers these and a fragment's agg= is one of these (fragment.js). */
export function aggsOf(tables, shapes) {
  const points = tables.some((t) => { for (let i = 0; i < t.n; i++) { if (t.point[i]) { return true; } } return false; });
  const regions = !!(shapes && shapes.features && shapes.features.length);
  const out = ["points"];
  if (tables.some((t) => t.compact)) { out.push("cluster"); }
  if (points) { out.push("hexbin"); }
  if (regions) { out.push("region"); }
  if (points) { out.push("heat"); }
  return out;
}

/* The class of v (0 .. the number of classes - 1), or -1 for none (0, NaN, no classes). */
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
    // No codes: no event of this table is in a region (every value missing).
    if (!t.region || !t.region.values || !t.region.codes) { return; }
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
 * nothing below 1 % of the peak, then the ramp on the square root of t (so
 * that a town's few events still show beside the front's thousands), fading
 * in up to a sixth of the peak, so the heat has no hard rim. */
export function heatColor(t) {
  if (!(t > 0.01)) { return [0, 0, 0, 0]; }
  const s = Math.sqrt(Math.min(1, t)), at = s * (HEAT.length - 1);
  const i = Math.min(HEAT.length - 2, Math.floor(at)), u = at - i;
  const a = HEAT[i], b = HEAT[i + 1];
  return [
    Math.round(a[0] + (b[0] - a[0]) * u), Math.round(a[1] + (b[1] - a[1]) * u),
    Math.round(a[2] + (b[2] - a[2]) * u), Math.round(255 * 0.85 * Math.min(1, (s - 0.1) / 0.3)),
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
