import assert from "node:assert/strict";
import { test } from "node:test";

import { mendOffsetJoins, thinned } from "../../maps/js/offset.js";

const line = (xs) => xs.map((x) => ({ x, y: 0 }));

test("points closer than the spacing are dropped, the ends kept", () => {
  assert.deepEqual(thinned(line([0, 3, 6, 9, 12, 25, 28, 40]), 10), line([0, 12, 25, 40]));
  // The last kept point gives way to the end when they are too close.
  assert.deepEqual(thinned(line([0, 12, 20]), 10), line([0, 20]));
});

test("points far enough apart, short lines and no spacing are left alone", () => {
  const far = line([0, 30, 60, 90]);
  assert.deepEqual(thinned(far, 10), far);
  assert.deepEqual(thinned(line([0, 1]), 10), line([0, 1]));
  assert.deepEqual(thinned(line([0, 1, 2]), 0), line([0, 1, 2]));
});

test("the plugin is mended once, with the offset's size as the spacing", () => {
  const seen = [];
  const L = { PolylineOffset: { offsetPoints(pts, offset) { seen.push([pts.length, offset]); return pts; } } };
  mendOffsetJoins(L);
  const once = L.PolylineOffset.offsetPoints;
  mendOffsetJoins(L);
  assert.equal(L.PolylineOffset.offsetPoints, once);
  once.call(L.PolylineOffset, line([0, 3, 6, 9, 12, 25, 28, 40]), -10);
  assert.deepEqual(seen, [[4, -10]]);
  assert.doesNotThrow(() => mendOffsetJoins({}));
  assert.doesNotThrow(() => mendOffsetJoins(undefined));
});
