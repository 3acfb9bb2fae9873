import assert from "node:assert/strict";
import { test } from "node:test";

import { controlPadding } from "../../maps/js/print.js";

const A4 = { x: 718, y: 1047 };

test("a wide, low title pads the top; a tall legend at the right pads the right", () => {
  const title = { left: 10, top: 10, right: 270, bottom: 100 };
  const legend = { left: 440, top: 480, right: 708, bottom: 960 };
  const time = { left: 10, top: 950, right: 110, bottom: 1037 };
  const pad = controlPadding([title, legend, time], A4);
  assert.deepEqual(pad, { topLeft: [0, 100], bottomRight: [278, 97] });
});

test("hidden or empty controls pad nothing", () => {
  const none = { topLeft: [0, 0], bottomRight: [0, 0] };
  assert.deepEqual(controlPadding([], A4), none);
  assert.deepEqual(controlPadding([{ left: 5, top: 5, right: 5, bottom: 5 }], A4), none);
  assert.deepEqual(controlPadding([{ left: -50, top: 10, right: -10, bottom: 40 }], A4), none);
});

test("controls that would cover most of the map pad less, in proportion", () => {
  const left = { left: 0, top: 0, right: 400, bottom: 1047 };
  const right = { left: 318, top: 0, right: 718, bottom: 1047 };
  const pad = controlPadding([left, right], A4);
  // 400 px each side would leave no map: half the width is kept, 179.5 px each.
  assert.deepEqual(pad, { topLeft: [180, 0], bottomRight: [180, 0] });
});
