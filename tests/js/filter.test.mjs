import assert from "node:assert/strict";
import { test } from "node:test";

import { DAY, NO_DAY } from "../../maps/js/filter.js";

test("an undated event's day is Int32's least (maps/filters.py NO_DAY), which an Int32 column holds", () => {
  assert.equal(NO_DAY, -(2 ** 31));
  assert.equal(new Int32Array([NO_DAY])[0], NO_DAY);
  assert.equal(DAY, 24 * 3600 * 1000);
});
