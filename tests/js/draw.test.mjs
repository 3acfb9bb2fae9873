import assert from "node:assert/strict";
import { test } from "node:test";

import { circleStyle } from "../../maps/js/draw.js";

const f = (placed, extra = {}) => ({ radius: 8, color: "#E41A1C", dashed: false, placed, ...extra });

test("an event at its place is a filled circle", () => {
  const s = circleStyle(f("exact"), false);
  assert.equal(s.fillOpacity, 0.3);
  assert.equal(s.dashArray, null);
  assert.equal(s.radius, 8);
});

test("near a place: a lighter fill; at a region's centre: a hollow dotted ring", () => {
  assert.ok(circleStyle(f("near"), false).fillOpacity < circleStyle(f("exact"), false).fillOpacity);
  const ring = circleStyle(f("region"), false);
  assert.equal(ring.fillOpacity, 0);
  assert.equal(ring.dashArray, "2 4");
  assert.equal(ring.color, "#E41A1C");
  // A dot layer's region-level event is a ring in its colour too, not a white-edged dot.
  const dot = circleStyle(f("region"), true);
  assert.equal(dot.fillOpacity, 0);
  assert.equal(dot.color, "#E41A1C");
});

test("low confidence stays dashed for events at their place", () => {
  assert.equal(circleStyle(f("exact", { dashed: true }), false).dashArray, "3 3");
  assert.equal(circleStyle(f(undefined), false).fillOpacity, 0.3);  // no placement: as before
});
