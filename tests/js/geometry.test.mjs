import assert from "node:assert/strict";
import { test } from "node:test";

import {
  arrowHead, buildGrid, clusters, fanShift, GRID, latlngs, maskGroups, maskPower, maskSpans, nearest, project,
  shade, splat, splatBuffers, TILE, WORLD,
} from "../../maps/js/geometry.js";

test("GeoJSON [lng, lat] lines become Leaflet [lat, lng] parts", () => {
  assert.deepEqual(latlngs({ type: "LineString", coordinates: [[1, 2], [3, 4]] }), [[[2, 1], [4, 3]]]);
  assert.deepEqual(latlngs({ type: "MultiLineString", coordinates: [[[1, 2]], [[5, 6]]] }), [[[2, 1]], [[6, 5]]]);
  assert.deepEqual(latlngs({ type: "Point", coordinates: [1, 2] }), []);
});

test("Web Mercator at zoom 0, from 1e-5 degrees", () => {
  const { x, y } = project(new Int32Array([0, -18000000, 18000000, 0]), new Int32Array([0, 0, 0, 8505113]), 4);
  assert.deepEqual([x[0], y[0]], [128, 128]);
  assert.equal(x[1], 0);
  assert.equal(x[2], WORLD);
  assert.ok(Math.abs(y[3]) < 0.01, String(y[3]));  // 85.05113°N: the top of the world
  // Near the poles sin(lat) is clamped to ±0.9999 (89.19°): finite, as far as Leaflet goes.
  const pole = project(new Int32Array([0, 0, 0]), new Int32Array([9000000, 8950000, -9000000]), 3);
  assert.ok(Math.abs(pole.y[0] - -73.7519) < 1e-3, String(pole.y[0]));
  assert.equal(pole.y[1], pole.y[0]);
  assert.ok(Math.abs(pole.y[2] - (WORLD + 73.7519)) < 1e-3, String(pole.y[2]));
});

function points(xs, ys, radius = 5) {
  const n = xs.length;
  return {
    x: Float32Array.from(xs), y: Float32Array.from(ys), radius: new Float32Array(n).fill(radius),
    visible: new Uint8Array(n).fill(1), value: new Float32Array(n).fill(NaN),
  };
}

test("the grid finds the nearest visible point within its radius + 3 px", () => {
  const pts = points([10, 10.01, 200], [10, 10, 50]);
  const grid = buildGrid(pts.x, pts.y, 3);
  assert.equal(grid.start.length, GRID * GRID + 1);
  assert.deepEqual([...grid.order].sort(), [0, 1, 2]);
  const scale = 2 ** 8;  // zoom 8: 0.01 zoom-0 px is 2.56 screen px
  assert.equal(nearest(grid, pts, 10, 10, scale).index, 0);
  assert.equal(nearest(grid, pts, 10.011, 10, scale).index, 1);
  pts.visible[1] = 0;
  assert.equal(nearest(grid, pts, 10.011, 10, scale).index, 0);
  assert.equal(nearest(grid, pts, 10 + 8 / scale, 10, scale).index, 0);  // radius 5 + 3
  assert.equal(nearest(grid, pts, 10 + 8.5 / scale, 10, scale), null);
  const hit = nearest(grid, pts, 200, 50 + 3 / scale, scale);
  assert.equal(hit.index, 2);
  assert.ok(Math.abs(hit.distance - 3) < 1e-3);
});

test("clusters count visible points per screen cell and sum their figures", () => {
  const pts = points([1, 2, 3, 100, 500], [1, 2, 3, 100, 1]);
  pts.value.set([1, NaN, 2, 7, 9]);
  pts.visible[3] = 1;
  const size = { x: 200, y: 200 }, origin = { x: 0, y: 0 };
  const cells = clusters(pts, 5, size, 1, origin, [0, 0]);
  // The point at x 500 is off screen (more than one cell out).
  assert.deepEqual(cells.map((c) => [c.count, c.sum]), [[3, 3], [1, 7]]);
  assert.deepEqual([cells[0].x, cells[0].y], [2, 2]);
  assert.equal(cells[0].r, 19);  // the largest: 6 + 13
  assert.equal(cells[1].r, 6 + 13 * Math.sqrt(1 / 3));
  pts.visible[0] = 0;
  assert.equal(clusters(pts, 5, size, 1, origin, [0, 0])[0].count, 2);
  const shifted = clusters(pts, 5, size, 1, origin, [5, -5]);
  assert.deepEqual([shifted[0].x, shifted[0].y], [7.5, -2.5]);
});

test("layers fan their clusters out around the centre", () => {
  assert.deepEqual(fanShift(0, 1, 44), [0, 0]);
  const [x, y] = fanShift(1, 2, 44);
  assert.ok(Math.abs(x + 44 * 0.22) < 1e-9 && Math.abs(y) < 1e-9);
});

test("arrowheads point along the last segment and shift with their line", () => {
  const east = arrowHead({ x: 0, y: 0 }, { x: 1, y: 0 }, 12, 0);
  assert.deepEqual(east, { s: 12, deg: "0.0", anchor: [6, 6] });
  const south = arrowHead({ x: 0, y: 0 }, { x: 0, y: 1 }, 40, 4);  // y grows downwards
  assert.equal(south.s, 26);
  assert.equal(south.deg, "90.0");
  assert.deepEqual(south.anchor.map((v) => Math.round(v * 1e9) / 1e9), [17, 13]);
  assert.equal(arrowHead({ x: 0, y: 0 }, { x: 1, y: 0 }, 2).s, 10);
});

/* A mask as compact.js makes them, without a canvas: a disc of what shows
 * through, 1 outside. */
function disc(half, inside) {
  const side = 2 * half, keep = new Float32Array(side * side).fill(1);
  for (let r = 0; r < side; r++) {
    for (let s = 0; s < side; s++) {
      const dx = s + 0.5 - half, dy = r + 0.5 - half;
      if (dx * dx + dy * dy <= (half - 1) * (half - 1)) { keep[r * side + s] = inside; }
    }
  }
  return { half, side, keep };
}

/* What compact layers drew before splat: every visible event's mask
 * multiplied in, one after another, clipped to the screen. */
function naive(pts, key, masks, view, W, H) {
  const { x, y, radius, visible } = pts, { size, scale, origin, ratio } = view;
  const clear = new Float32Array(W * H).fill(1);
  let drawn = 0;
  for (let i = 0; i < x.length; i++) {
    if (!visible[i]) { continue; }
    const px = x[i] * scale - origin.x, py = y[i] * scale - origin.y, ri = radius[i];
    if (px < -ri || py < -ri || px > size.x + ri || py > size.y + ri) { continue; }
    drawn += 1;
    const m = masks[key[i]], x0 = Math.round(px * ratio) - m.half, y0 = Math.round(py * ratio) - m.half;
    for (let j = Math.max(0, -y0); j < Math.min(m.side, H - y0); j++) {
      for (let k = Math.max(0, -x0); k < Math.min(m.side, W - x0); k++) {
        clear[(y0 + j) * W + x0 + k] *= m.keep[j * m.side + k];
      }
    }
  }
  return { clear, drawn };
}

test("events are grouped by mask, with their coordinates in that order", () => {
  const pts = {
    x: Float32Array.from([1, 2, 3, 4]), y: Float32Array.from([5, 6, 7, 8]),
    radius: Float32Array.from([3, 4.1, 3.05, 3]), placed: Uint8Array.from([0, 0, 0, 2]),
  };
  const g = maskGroups(pts, 4);
  // 3.05 is 3 to a quarter px; a region's ring is another mask than a point's.
  assert.deepEqual(g.specs, [{ quarter: 12, placed: 0 }, { quarter: 16, placed: 0 }, { quarter: 12, placed: 2 }]);
  assert.deepEqual([...g.start], [0, 2, 3, 4]);
  assert.deepEqual([...g.order], [0, 2, 1, 3]);
  assert.deepEqual([...g.x], [1, 3, 2, 4]);
  assert.deepEqual([...g.radius], [3, 3.05, 4.1, 3].map(Math.fround));
});

test("a mask to the power c is c of its circles on one spot; spans skip what hides nothing", () => {
  const m = disc(4, 0.7);
  assert.equal(maskPower(m, 1), m.keep);
  const p = maskPower(m, 3);
  assert.ok(Math.abs(p[4 * 8 + 4] - 0.343) < 1e-6);
  assert.equal(p[0], 1);
  assert.equal(maskPower(m, 3), p);  // kept for the next time
  const spans = maskSpans(m);
  assert.deepEqual([...spans.slice(0, 2)], [8, 8]);  // the first row hides nothing (empty span)
  assert.deepEqual([...spans.slice(8, 10)], [1, 7]);  // the middle row: all but its ends
});

test("splat and shade draw what multiplying every circle in one by one drew", () => {
  let seed = 3;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const n = 3000, W = 160, H = 100;
  const masks = [disc(4, 0.7), disc(5, 0.88), disc(7, 0.5)];
  const pts = { x: new Float32Array(n), y: new Float32Array(n), radius: new Float32Array(n),
    placed: new Uint8Array(n), visible: new Uint8Array(n) };
  const key = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    // Clumps (many events on one pixel), strays, and some off screen.
    const clump = rnd() < 0.5;
    pts.x[i] = clump ? 10 + (i % 7) : rnd() * 50 - 5;
    pts.y[i] = clump ? 12 + (i % 5) * 0.5 : rnd() * 34 - 2;
    key[i] = i % 3; pts.radius[i] = [2.5, 3.5, 5.5][key[i]]; pts.placed[i] = key[i];
    pts.visible[i] = rnd() < 0.8 ? 1 : 0;
  }
  const g = maskGroups(pts, n);
  // maskGroups numbers masks in order of first use: here 0, 1, 2.
  assert.deepEqual(g.specs.map((s) => s.placed), [0, 1, 2]);
  const view = { size: { x: W / 2, y: H / 2 }, scale: 2, origin: { x: 4, y: 3 }, ratio: 2 };
  const pad = 2 * 7 + 2, buf = splatBuffers(W, H, pad), words = new Uint32Array(W * H);
  const ref = naive(pts, key, masks, view, W, H);
  for (let round = 0; round < 2; round++) {  // the buffers are left ready for the next draw
    assert.equal(splat(pts.visible, g, masks, view, buf), ref.drawn);
    const rects = shade(buf, [200, 10, 30], words), put = new Uint8Array(W * H);
    rects.forEach(([x, y, w, h]) => {
      assert.ok(x >= 0 && y >= 0 && x + w <= W && y + h <= H && w > 0 && h > 0);
      for (let r = y; r < y + h; r++) { put.fill(1, r * W + x, r * W + x + w); }
    });
    let worst = 0, differ = 0;
    for (let p = 0; p < W * H; p++) {
      const want = ref.clear[p] === 1 ? 0 : Math.round(255 * (1 - ref.clear[p]));
      const got = put[p] ? words[p] >>> 24 : 0;  // the canvas is cleared, then the rectangles put
      if (want && put[p]) { assert.equal(words[p] & 0xffffff, 200 | (10 << 8) | (30 << 16)); }
      worst = Math.max(worst, Math.abs(got - want)); differ += got !== want ? 1 : 0;
    }
    assert.ok(worst <= 1, `alpha off by ${worst}`);
    assert.ok(differ < W * H / 1000, `${differ} pixels differ`);
    assert.ok(buf.clear.every((v) => v === 1) && buf.count.every((v) => v === 0));
    assert.ok(buf.tiles.every((v) => v === 0));
  }
  // One event: its tile is put, not the screen.
  pts.visible.fill(0);
  pts.visible[0] = 1;
  assert.equal(splat(pts.visible, g, masks, view, buf), 1);
  const one = shade(buf, [0, 0, 0], words);
  assert.ok(one.length >= 1 && one.every(([, , w, h]) => w <= 2 * TILE && h <= TILE));
  pts.visible.fill(0);
  assert.equal(splat(pts.visible, g, masks, view, buf), 0);
  assert.deepEqual(shade(buf, [0, 0, 0], words), []);
});
