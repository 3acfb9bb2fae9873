import assert from "node:assert/strict";
import { test } from "node:test";

import {
  clamp, dayLabel, endLabels, isAll, playFrom, selOf, snap, SPEEDS, speedOf, stepSel, stepsOf, undatedLabel,
  undatedShown, windowLabel, windowOf,
} from "../../maps/js/playback.js";

const ms = (iso) => Date.parse(iso);
const NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun"];
// Six month steps of 2024, as maps/page.py sends them: t1 the month's last ms.
const STEPS = NAMES.map((name, i) => ({
  label: name + " 2024",
  token: "2024-0" + (i + 1),
  t0: Date.UTC(2024, i, 1),
  t1: Date.UTC(2024, i + 1, 1) - 1,
}));
const N = STEPS.length;
const win = (i0, i1) => ({ mode: "window", i0, i1 });
const cum = (i1) => ({ mode: "cumulative", i0: 0, i1 });

test("a time snaps to the step it falls in, on either side", () => {
  const mid = ms("2024-03-15T12:00:00Z");
  assert.equal(snap(STEPS, mid, "start"), 2);
  assert.equal(snap(STEPS, mid, "end"), 2);
  // A step's own first and last ms are in it.
  assert.equal(snap(STEPS, STEPS[3].t0, "start"), 3);
  assert.equal(snap(STEPS, STEPS[3].t0, "end"), 3);
  assert.equal(snap(STEPS, STEPS[3].t1, "start"), 3);
  assert.equal(snap(STEPS, STEPS[3].t1, "end"), 3);
  // Outside the steps: the nearest one.
  assert.equal(snap(STEPS, ms("2020-01-01"), "start"), 0);
  assert.equal(snap(STEPS, ms("2020-01-01"), "end"), 0);
  assert.equal(snap(STEPS, ms("2030-01-01"), "start"), N - 1);
  assert.equal(snap(STEPS, ms("2030-01-01"), "end"), N - 1);
});

test("a window is the first step's first ms to the last step's last ms", () => {
  assert.deepEqual(windowOf(STEPS, win(2, 4)), { t0: STEPS[2].t0, t1: STEPS[4].t1 });
  assert.deepEqual(windowOf(STEPS, win(3, 3)), { t0: STEPS[3].t0, t1: STEPS[3].t1 });
  // Cumulative leaves the start open: "up to".
  assert.deepEqual(windowOf(STEPS, cum(2)), { t0: null, t1: STEPS[2].t1 });
  // Every step is every date, in either mode; and no steps at all too.
  assert.deepEqual(windowOf(STEPS, win(0, N - 1)), { t0: null, t1: null });
  assert.deepEqual(windowOf(STEPS, cum(N - 1)), { t0: null, t1: null });
  assert.deepEqual(windowOf([], win(0, 0)), { t0: null, t1: null });
  assert.equal(isAll(win(0, N - 1), N), true);
  assert.equal(isAll(win(1, N - 1), N), false);
});

test("a view's window gives back the selection that made it", () => {
  for (const sel of [win(2, 4), win(0, 3), win(5, 5), win(1, N - 1), cum(0), cum(3)]) {
    assert.deepEqual(selOf(STEPS, windowOf(STEPS, sel), "window"), sel);
  }
  // Every date keeps the control's mode.
  assert.deepEqual(selOf(STEPS, { t0: null, t1: null }, "cumulative"), cum(N - 1));
  assert.deepEqual(selOf(STEPS, {}, "window"), win(0, N - 1));
  // An open end (the fragment's time=A/) runs to the last step.
  assert.deepEqual(selOf(STEPS, { t0: STEPS[2].t0, t1: null }, "window"), win(2, N - 1));
  // A window inside steps covers the steps it overlaps.
  const inner = { t0: ms("2024-02-10T00:00:00Z"), t1: ms("2024-04-02T00:00:00Z") };
  assert.deepEqual(selOf(STEPS, inner, "cumulative"), win(1, 3));
  // Reversed ends never cross.
  assert.deepEqual(selOf(STEPS, { t0: STEPS[4].t0, t1: STEPS[1].t1 }, "window"), win(1, 1));
});

test("clamping keeps the ends in order and inside the steps", () => {
  assert.deepEqual(clamp(win(4, 2), N), win(2, 2));
  assert.deepEqual(clamp(win(-3, 99), N), win(0, N - 1));
  assert.deepEqual(clamp({ mode: "cumulative", i0: 3, i1: 4 }, N), cum(4));
  assert.deepEqual(clamp(win(2, 3), 0), win(0, 0));
});

test("a step moves both ends of a window, the end of a cumulative one", () => {
  assert.deepEqual(stepSel(win(1, 3), N, 1), win(2, 4));
  assert.deepEqual(stepSel(win(1, 3), N, -1), win(0, 2));
  assert.equal(stepSel(win(0, 2), N, -1), null);
  assert.equal(stepSel(win(3, N - 1), N, 1), null);  // at the end: playback stops
  assert.deepEqual(stepSel(cum(2), N, 1), cum(3));
  assert.deepEqual(stepSel(cum(2), N, -1), cum(1));
  assert.equal(stepSel(cum(N - 1), N, 1), null);
  assert.equal(stepSel(cum(0), N, -1), null);
});

test("playback plays through the steps once, then stops", () => {
  let sel = playFrom(win(0, 1), N);
  const seen = [windowLabel(STEPS, windowOf(STEPS, sel))];
  for (let next = stepSel(sel, N, 1); next; next = stepSel(sel, N, 1)) {
    sel = next;
    seen.push(windowLabel(STEPS, windowOf(STEPS, sel)));
  }
  assert.deepEqual(seen, [
    "Jan 2024 – Feb 2024", "Feb 2024 – Mar 2024", "Mar 2024 – Apr 2024",
    "Apr 2024 – May 2024", "May 2024 – Jun 2024",
  ]);
  let c = playFrom(cum(N - 1), N);  // at the end: from the first step again
  assert.deepEqual(c, cum(0));
  let ticks = 0;
  for (let next = stepSel(c, N, 1); next; next = stepSel(c, N, 1)) { c = next; ticks += 1; }
  assert.equal(ticks, N - 1);
  assert.deepEqual(windowOf(STEPS, c), { t0: null, t1: null });
});

test("playback from the end starts again at the first step", () => {
  assert.deepEqual(playFrom(win(2, 3), N), win(2, 3));  // not at the end: from here
  assert.deepEqual(playFrom(win(3, N - 1), N), win(0, 2));  // keeps its width
  assert.deepEqual(playFrom(win(0, N - 1), N), win(0, 0));  // every step: one at a time
  assert.deepEqual(playFrom(win(0, 0), 1), win(0, 0));
});

test("labels say the window, the start alone, or every date", () => {
  assert.equal(windowLabel(STEPS, windowOf(STEPS, win(2, 4))), "Mar 2024 – May 2024");
  assert.equal(windowLabel(STEPS, windowOf(STEPS, win(2, 2))), "Mar 2024");
  assert.equal(windowLabel(STEPS, windowOf(STEPS, cum(4))), "up to May 2024");
  assert.equal(windowLabel(STEPS, { t0: null, t1: null }), "all dates");
  assert.equal(windowLabel(STEPS, {}), "all dates");
  assert.equal(windowLabel(STEPS, { t0: STEPS[2].t0, t1: null }), "from Mar 2024");
  assert.equal(windowLabel([], { t0: 1, t1: 2 }), "all dates");
});

test("weeks are said by their days, one week by its label", () => {
  const weeks = [0, 1, 2].map((i) => ({
    label: "Week of " + (7 + 7 * i) + " Oct 2024",
    token: "2024-10-" + String(7 + 7 * i).padStart(2, "0"),
    t0: Date.UTC(2024, 9, 7 + 7 * i),
    t1: Date.UTC(2024, 9, 14 + 7 * i) - 1,
  }));
  const at = (sel) => windowLabel(weeks, windowOf(weeks, sel), "week");
  assert.equal(at(win(0, 1)), "7 Oct 2024 – 20 Oct 2024");
  assert.equal(at(win(1, 1)), "Week of 14 Oct 2024");
  assert.equal(at(cum(1)), "up to 20 Oct 2024");
  assert.equal(at(win(0, 2)), "all dates");
  assert.equal(windowLabel(weeks, { t0: weeks[1].t0, t1: null }, "week"), "from 14 Oct 2024");
  assert.deepEqual(endLabels(weeks, "week"), ["7 Oct 2024", "27 Oct 2024"]);
  assert.deepEqual(endLabels(STEPS, "month"), ["Jan 2024", "Jun 2024"]);
  assert.deepEqual(endLabels([], "month"), ["", ""]);
  assert.equal(dayLabel(Date.UTC(1969, 11, 31, 23, 59)), "31 Dec 1969");
});

test("undated events show in auto only while every date does", () => {
  assert.equal(undatedShown({ t0: null, t1: null, undated: "auto" }), true);
  assert.equal(undatedShown({ t0: null, t1: 5, undated: "auto" }), false);
  assert.equal(undatedShown({ t0: 1, t1: null, undated: "auto" }), false);
  assert.equal(undatedShown({ t0: 1, t1: 5, undated: "show" }), true);
  assert.equal(undatedShown({ t0: null, t1: null, undated: "hide" }), false);
  assert.equal(undatedLabel(1), "show 1 undated event");
  assert.equal(undatedLabel(1204), "show 1,204 undated events");
});

test("speeds run from 0.5× to 4×, faster is shorter", () => {
  assert.deepEqual(SPEEDS.map((s) => s.label), ["0.5×", "1×", "2×", "4×"]);
  for (let i = 1; i < SPEEDS.length; i++) { assert.ok(SPEEDS[i].ms < SPEEDS[i - 1].ms); }
  assert.equal(speedOf("4").ms * 4, speedOf("1").ms);
  assert.equal(speedOf("nonsense"), speedOf("1"));
});

test("the steps are the TimeBlock's", () => {
  assert.equal(stepsOf({ steps: STEPS }), STEPS);
  assert.deepEqual(stepsOf({}), []);
});
