import assert from "node:assert/strict";
import { test } from "node:test";

import {
  DAY, dayOf, dayShown, filterDays, memberShownAt, NO_DAY, shownAt, timeStop,
} from "../../maps/js/filter.js";

const ms = (iso) => Date.parse(iso);
// As maps/eventmap.py sends them: t is the last ms of each month.
const MONTHS = [
  { label: "Oct 2024", t: ms("2024-11-01T00:00:00Z") - 1 },
  { label: "Nov 2024", t: ms("2024-12-01T00:00:00Z") - 1 },
];

test("a dated event shows once it has started; null shows every date", () => {
  const start = ms("2024-10-31T00:00:00Z");
  assert.equal(shownAt(start, null, false), true);
  assert.equal(shownAt(start, MONTHS[0].t, false), true);  // the last day of its month
  assert.equal(shownAt(start, start, false), true);
  assert.equal(shownAt(start, start - 1, false), false);
  assert.equal(shownAt(ms("2024-11-01T00:00:00Z"), MONTHS[0].t, false), false);
  assert.equal(shownAt(start, MONTHS[0].t, true), true);  // hiding undated ones leaves it
});

test("an undated event shows at every time unless the reader hides it", () => {
  for (const t of [null, MONTHS[0].t]) {
    assert.equal(shownAt(null, t, false), true);
    assert.equal(shownAt(null, t, true), false);
  }
});

test("a bundle lists the members started by t, undated ones always", () => {
  const members = [{ start: ms("2024-10-15T00:00:00Z") }, { start: ms("2024-11-15T00:00:00Z") }, { start: null }];
  assert.equal(members.filter(memberShownAt(null)).length, 3);
  assert.equal(members.filter(memberShownAt(undefined)).length, 3);
  assert.deepEqual(members.filter(memberShownAt(MONTHS[0].t)), [members[0], members[2]]);
  assert.equal(members.filter(memberShownAt(MONTHS[1].t)).length, 3);
});

test("days are counted from 1970, before it too", () => {
  assert.equal(dayOf(null), null);
  assert.equal(dayOf(0), 0);
  assert.equal(dayOf(DAY - 1), 0);
  assert.equal(dayOf(-1), -1);
  assert.equal(dayOf(MONTHS[0].t), 20027);  // 2024-10-31
});

test("a compact event's day against the time control", () => {
  const tDay = dayOf(MONTHS[0].t);
  assert.equal(dayShown(20027, tDay, false), 1);
  assert.equal(dayShown(20028, tDay, false), 0);
  assert.equal(dayShown(20028, null, false), 1);
  assert.equal(dayShown(NO_DAY, tDay, false), 1);
  assert.equal(dayShown(NO_DAY, null, true), 0);
});

test("filterDays sets visibility and tells whether anything changed", () => {
  const days = new Int32Array([20027, 20028, NO_DAY]);
  const visible = new Uint8Array(3).fill(1);
  assert.equal(filterDays(days, 3, null, false, visible), false);
  assert.equal(filterDays(days, 3, MONTHS[0].t, false, visible), true);
  assert.deepEqual([...visible], [1, 0, 1]);
  assert.equal(filterDays(days, 3, MONTHS[0].t, false, visible), false);
  assert.equal(filterDays(days, 3, MONTHS[0].t, true, visible), true);
  assert.deepEqual([...visible], [1, 0, 0]);
  assert.equal(filterDays(days, 3, null, false, visible), true);
  assert.deepEqual([...visible], [1, 1, 1]);
});

test("the time slider's stops: one per month, then every date", () => {
  assert.deepEqual(timeStop(MONTHS, "0"), { month: MONTHS[0], t: MONTHS[0].t });
  assert.deepEqual(timeStop(MONTHS, "1"), { month: MONTHS[1], t: MONTHS[1].t });
  assert.deepEqual(timeStop(MONTHS, "2"), { month: null, t: null });
  assert.deepEqual(timeStop([], "0"), { month: null, t: null });
});
