import assert from "node:assert/strict";
import { test } from "node:test";

import {
  arrowHead, buildGrid, clusters, fanShift, GRID, latlngs, nearest, project, WORLD,
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
