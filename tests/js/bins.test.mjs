import assert from "node:assert/strict";
import { test } from "node:test";

import {
  aggsOf, binAt, breaks, classColors, classLabels, classOf, gaussian, heatColor, heatGrid,
  HEX, hexAt, hexbin, hexCenter, hexRadius, hexVertices, luminance, RAMP, regionSums, simplest,
} from "../../maps/js/bins.js";
import { parse } from "../../maps/js/fragment.js";

test("simplest: the number with the fewest digits between two values", () => {
  assert.deepEqual([[4, 58], [191, 262], [363, 532], [816, 1500], [1, 2], [0.21, 0.5], [0.1, 0.3]]
    .map(([lo, hi]) => simplest(lo, hi)), [10, 200, 400, 1000, 2, 0.3, 0.2]);
  assert.equal(simplest(3543, 3550), 3550);
  assert.equal(simplest(5, 5), 5);
});

test("breaks: five natural classes, simple numbers inside, the data's ends outside", () => {
  // Events per oblast of a war: the front's oblasts get classes of their own.
  const oblasts = [1500, 816, 589, 532, 363, 283, 262, 191, 167, 142, 88, 58, 4, 2, 2, 1];
  const b = breaks(oblasts);
  assert.deepEqual(b.edges, [1, 10, 200, 400, 1000, 1500]);
  assert.equal(b.integer, true);
  assert.equal(b.edges.length - 1, 5);
  assert.deepEqual(classLabels(b), ["1–9", "10–199", "200–399", "400–999", "1,000–1,500"]);
  assert.deepEqual(oblasts.map((v) => classOf(v, b)), [4, 3, 3, 3, 2, 2, 2, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
  // Every value falls in the class whose range names it.
  assert.deepEqual([1, 9, 10, 199, 200, 999, 1000, 1500].map((v) => classOf(v, b)), [0, 0, 1, 1, 2, 3, 4, 4]);
  assert.equal(classOf(5000, b), 4);  // above the data: the last class
  // The order of the values does not matter.
  assert.deepEqual(breaks(oblasts.slice().reverse()).edges, b.edges);
});

test("breaks: many distinct values (a million events' hexagons) stay quick and ordered", () => {
  const values = [];
  let seed = 3;
  for (let i = 0; i < 20000; i++) {
    seed = (seed * 16807) % 2147483647;
    values.push(Math.max(1, Math.round(Math.exp(seed / 2147483647 * 9))));
  }
  const b = breaks(values);
  assert.equal(b.edges.length - 1, 5);
  for (let i = 1; i < b.edges.length; i++) { assert.ok(b.edges[i] > b.edges[i - 1], String(b.edges)); }
  assert.equal(b.edges[0], Math.min(...values));
  assert.equal(b.edges[5], Math.max(...values));
});

test("breaks: zero, NaN and negatives are no class; no values, no classes", () => {
  const b = breaks([0, NaN, -3, 5, 50]);
  assert.equal(b.edges[0], 5);
  assert.equal(classOf(0, b), -1);
  assert.equal(classOf(NaN, b), -1);
  assert.deepEqual(breaks([]).edges, []);
  assert.deepEqual(breaks([0, 0, NaN]).edges, []);
  assert.equal(classOf(3, breaks([])), -1);
  assert.deepEqual(classLabels(breaks([])), []);
});

test("breaks: one value or all equal make one class", () => {
  for (const values of [[7], [7, 7, 7]]) {
    const b = breaks(values);
    assert.deepEqual(b.edges, [7, 7]);
    assert.deepEqual(classLabels(b), ["7"]);
    assert.equal(classOf(7, b), 0);
  }
});

test("breaks: few distinct integers make one class each, never an empty one", () => {
  const b = breaks([1, 2, 2, 1]);
  assert.deepEqual(b.edges, [1, 2, 2]);
  assert.deepEqual(classLabels(b), ["1", "2"]);
  assert.deepEqual([1, 2].map((v) => classOf(v, b)), [0, 1]);
  const c = breaks([1, 2, 3]);
  assert.deepEqual(classLabels(c), ["1", "2", "3"]);
});

test("breaks: huge ranges stay nice and ordered; fractions keep their decimals", () => {
  const b = breaks([1, 30, 700, 12000, 3e5, 1e9]);
  assert.equal(b.edges.length - 1, 5);
  assert.equal(classLabels(b)[4], "1,000,000,000");
  assert.equal(classLabels(b)[0].split("–")[0], "1");
  // Strictly rising, but for a top class of one value (its edges equal).
  for (let i = 1; i < b.edges.length - 1; i++) { assert.ok(b.edges[i] > b.edges[i - 1], String(b.edges)); }
  assert.deepEqual(b.edges.slice(-2), [1e9, 1e9]);
  const f = breaks([0.2, 0.5, 3.7]);
  assert.equal(f.integer, false);
  for (let i = 1; i < f.edges.length; i++) { assert.ok(f.edges[i] > f.edges[i - 1]); }
  assert.equal(classLabels(f)[0].split("–")[0], "0.2");
});

test("the ramp darkens class by class, for every colour vision too", () => {
  assert.equal(RAMP.length, 5);
  // Machado et al. (2009) at full severity, on linear RGB.
  const sim = {
    none: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
    protan: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    deutan: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    tritan: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
  };
  const lin = (hex) => [1, 3, 5].map((i) => {
    const s = parseInt(hex.slice(i, i + 2), 16) / 255;
    return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  });
  for (const [name, m] of Object.entries(sim)) {
    const lum = RAMP.map((hex) => {
      const c = lin(hex), s = m.map((row) => Math.min(1, Math.max(0, row[0] * c[0] + row[1] * c[1] + row[2] * c[2])));
      return 0.2126 * s[0] + 0.7152 * s[1] + 0.0722 * s[2];
    });
    for (let i = 1; i < lum.length; i++) {
      // Each step at least 1.15 times darker (contrast ratio of neighbours).
      assert.ok((lum[i - 1] + 0.05) / (lum[i] + 0.05) > 1.15, `${name}: ${RAMP[i - 1]} vs ${RAMP[i]}`);
    }
  }
  assert.ok(luminance(RAMP[0]) > luminance(RAMP[4]));
  assert.deepEqual(classColors(5), RAMP);
  assert.deepEqual(classColors(2), [RAMP[0], RAMP[4]]);
  assert.deepEqual(classColors(1), [RAMP[2]]);
  assert.deepEqual(classColors(0), []);
});

function table(rows, regionValues) {
  const n = rows.length;
  return {
    n,
    visible: Uint8Array.from(rows.map((r) => (r.visible === false ? 0 : 1))),
    point: Uint8Array.from(rows.map((r) => (r.point === false ? 0 : 1))),
    fat: Float32Array.from(rows.map((r) => (r.fat === undefined ? NaN : r.fat))),
    x: Float32Array.from(rows.map((r) => (r.x === undefined ? NaN : r.x))),
    y: Float32Array.from(rows.map((r) => (r.y === undefined ? NaN : r.y))),
    region: { values: regionValues, codes: Uint8Array.from(rows.map((r) => r.region || 0)) },
  };
}

test("region sums: events and fatalities of visible rows, joined by id across tables", () => {
  const a = table([
    { region: 1, fat: 2 }, { region: 1 }, { region: 2, fat: 5 }, { region: 2, fat: 1, visible: false }, { region: 0, fat: 9 },
  ], [null, "ne:UA-63", "ne:UA-14"]);
  const b = table([{ region: 1, fat: 3 }, { region: 2 }], [null, "ne:UA-14", "ne:RU-KRS"]);
  assert.deepEqual(regionSums([a, b]), {
    "ne:UA-63": { events: 2, fatalities: 2 },
    "ne:UA-14": { events: 2, fatalities: 8 },
    "ne:RU-KRS": { events: 1, fatalities: 0 },
  });
  assert.deepEqual(regionSums([table([{ region: 1, visible: false }], [null, "x"])]), {});
  // A compact table none of whose events is in a region has no codes at all.
  assert.deepEqual(regionSums([{ n: 2, visible: Uint8Array.of(1, 1), fat: null,
    region: { values: [null], codes: null } }]), {});
  assert.deepEqual(regionSums([{ n: 0, region: null }]), {});
});

test("hexagons: ~40 px across at each integer zoom, fixed to the world", () => {
  assert.equal(hexRadius(0), HEX / 2);
  assert.equal(hexRadius(6), HEX / 2 / 64);
  assert.equal(hexRadius(6.25), hexRadius(6));  // a fractional zoom keeps its integer's bins
  assert.equal(hexRadius(6.75), hexRadius(7));
  const R = 10;
  // A centre belongs to its own hexagon; each corner's neighbourhood inside too.
  for (const [q, r] of [[0, 0], [3, -2], [-5, 7], [12, 12]]) {
    const c = hexCenter(q, r, R);
    assert.deepEqual(hexAt(c.x, c.y, R), { q, r });
    hexVertices(c.x, c.y, R).forEach(([vx, vy]) => {
      assert.ok(Math.abs(Math.hypot(vx - c.x, vy - c.y) - R) < 1e-9);
      assert.deepEqual(hexAt(c.x + (vx - c.x) * 0.95, c.y + (vy - c.y) * 0.95, R), { q, r });
    });
  }
  const v = hexVertices(0, 0, R);
  assert.equal(v.length, 6);
  assert.ok(Math.abs(v[0][0]) < 1e-9 && Math.abs(v[0][1] + R) < 1e-9);  // pointy top
  assert.deepEqual(hexAt(-0.1, -0.1, R), { q: 0, r: 0 });
  assert.ok(!Object.is(hexAt(-0.1, -0.1, R).q, -0));
});

test("hexagons tile the plane: every point in exactly the nearest centre's hexagon", () => {
  const R = 7;
  let seed = 1;
  const rand = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
  for (let t = 0; t < 2000; t++) {
    const x = rand() * 200 - 100, y = rand() * 200 - 100, h = hexAt(x, y, R), c = hexCenter(h.q, h.r, R);
    const d = Math.hypot(x - c.x, y - c.y);
    for (const [dq, dr] of [[1, 0], [-1, 0], [0, 1], [0, -1], [1, -1], [-1, 1]]) {
      const o = hexCenter(h.q + dq, h.r + dr, R);
      assert.ok(d <= Math.hypot(x - o.x, y - o.y) + 1e-9);
    }
  }
});

test("hexbin: counts and fatalities per hexagon of visible point rows, in a stable order", () => {
  const R = 10, c = hexCenter(2, 1, R), d = hexCenter(-1, 0, R);
  const t = table([
    { x: c.x, y: c.y, fat: 2 }, { x: c.x + 1, y: c.y - 1, fat: 3 }, { x: c.x, y: c.y, visible: false, fat: 100 },
    { x: d.x, y: d.y }, { x: d.x, y: d.y, point: false }, {},
  ], [null]);
  const u = table([{ x: d.x - 2, y: d.y + 2, fat: 4 }], [null]);
  const hb = hexbin([t, u], R);
  assert.deepEqual(hb.bins.map((b) => [b.q, b.r, b.count, b.sum]), [[-1, 0, 2, 4], [2, 1, 2, 5]]);
  assert.equal(hb.bins.reduce((a, b) => a + b.count, 0), 4);
  assert.equal(binAt(hb, c.x, c.y).count, 2);
  assert.equal(binAt(hb, 500, 500), null);
  assert.deepEqual(hexbin([u, t], R).bins.map((b) => [b.q, b.r]), hb.bins.map((b) => [b.q, b.r]));
});

test("heat: a Gaussian density that keeps the mass and peaks at the points", () => {
  const k = gaussian(2);
  assert.ok(Math.abs(k.reduce((a, b) => a + b, 0) - 1) < 1e-9);
  assert.equal(k.length, 13);
  const view = { scale: 1, ox: 0, oy: 0, width: 100, height: 80 };
  const t = table([{ x: 50, y: 40 }, { x: 50, y: 40, fat: 10 }, { x: 10, y: 10, visible: false }, { x: 900, y: 40 }], [null]);
  const g = heatGrid([t], view, { cell: 4, sigma: 8 });
  const total = g.values.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(total - 2) < 1e-4, String(total));  // two visible points on the screen
  let at = 0;
  for (let p = 0; p < g.values.length; p++) { if (g.values[p] > g.values[at]) { at = p; } }
  const i = at % g.cols, j = Math.floor(at / g.cols);
  assert.deepEqual([(i - g.pad) * g.cell, (j - g.pad) * g.cell], [48, 40]);
  assert.equal(g.max, g.values[at]);
  const f = heatGrid([t], view, { cell: 4, sigma: 8, metric: "fatalities" });
  assert.ok(Math.abs(f.values.reduce((a, b) => a + b, 0) - 10) < 1e-3);
  const none = heatGrid([table([], [null])], view, {});
  assert.equal(none.max, 0);
});

test("heat colours: clear below 1 % of the peak, then the ramp, more opaque as it rises", () => {
  assert.deepEqual(heatColor(0), [0, 0, 0, 0]);
  assert.deepEqual(heatColor(NaN), [0, 0, 0, 0]);
  const lo = heatColor(0.05), hi = heatColor(1);
  assert.deepEqual(heatColor(0.009), [0, 0, 0, 0]);
  assert.ok(heatColor(0.011)[3] < 5);  // fading in: no rim
  assert.ok(lo[3] > 0 && lo[3] < hi[3]);
  assert.deepEqual(hi.slice(0, 3), [0xb1, 0x00, 0x26]);
});

test("aggsOf: the ways a map can show its events, which a fragment's agg= is one of", () => {
  const rich = { n: 2, point: Uint8Array.of(0, 1), compact: null };
  const flows = { n: 1, point: Uint8Array.of(0), compact: null };
  const compact = { n: 1, point: Uint8Array.of(1), compact: {} };
  const shapes = { type: "FeatureCollection", features: [{ type: "Feature", properties: { id: "ne:UA-63" } }] };
  assert.deepEqual(aggsOf([rich], null), ["points", "hexbin", "heat"]);
  assert.deepEqual(aggsOf([rich, compact], shapes), ["points", "cluster", "hexbin", "region", "heat"]);
  assert.deepEqual(aggsOf([flows], { type: "FeatureCollection", features: [] }), ["points"]);
  assert.deepEqual(aggsOf([], null), ["points"]);
  // A fragment naming what this map cannot show keeps the map's own, with a warning.
  const aggs = aggsOf([rich], null), warn = console.warn, said = [];
  console.warn = (m) => { said.push(m); };
  try {
    assert.deepEqual(parse("#agg=region", { aggs }), {});
    assert.deepEqual(parse("#agg=cluster", { aggs }), {});
    assert.deepEqual(parse("#agg=heat", { aggs }), { agg: "heat" });
  } finally { console.warn = warn; }
  assert.equal(said.length, 2);
});
