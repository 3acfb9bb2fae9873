/* The time control's logic, without DOM or Leaflet: which steps a window
 * covers, the view's {t0, t1} for it, the window after a step of playback,
 * and what the control says. A selection is {mode, i0, i1}: the first and
 * last step shown (inclusive) over TimeBlock.steps ([{label, token, t0, t1}],
 * maps/contract.py); mode "window" (both ends move) or "cumulative" (from
 * the first step on, i0 is 0). Times are ms since the epoch; a view's t0 or
 * t1 null is an open end, both null every date. */

import { countOf } from "./labels.js";

/* Playback speeds: ms per step. One second a step at 1×: two years of months
 * play in 24 s, and a step of a large map (a window change redraws up to
 * 10^6 events) still has time to be seen. */
export const SPEEDS = [
  { id: "0.5", label: "0.5×", ms: 2000 },
  { id: "1", label: "1×", ms: 1000 },
  { id: "2", label: "2×", ms: 500 },
  { id: "4", label: "4×", ms: 250 },
];

export function speedOf(id) {
  return SPEEDS.find((s) => s.id === String(id)) || SPEEDS[1];
}

/* The steps of a TimeBlock. */
export function stepsOf(d) {
  return d.steps || [];
}

/* The step a time falls in, or the nearest one: for a window's start
 * ("start") the first step ending at or after t, for its end ("end") the
 * last step starting at or before t, so a snapped window never shows less
 * than the one asked for. Clamped to the steps. */
export function snap(steps, t, side) {
  const n = steps.length;
  let lo = 0, hi = n;  // binary search over sorted, non-overlapping steps
  if (side === "start") {
    while (lo < hi) { const m = (lo + hi) >> 1; if (steps[m].t1 < t) { lo = m + 1; } else { hi = m; } }
    return Math.min(lo, n - 1);
  }
  while (lo < hi) { const m = (lo + hi) >> 1; if (steps[m].t0 <= t) { lo = m + 1; } else { hi = m; } }
  return Math.max(lo - 1, 0);
}

/* A selection kept within the steps, its ends in order (i0 <= i1). */
export function clamp(sel, n) {
  const last = Math.max(n - 1, 0);
  const i1 = Math.min(Math.max(sel.i1 | 0, 0), last);
  const i0 = sel.mode === "cumulative" ? 0 : Math.min(Math.max(sel.i0 | 0, 0), i1);
  return { mode: sel.mode, i0, i1 };
}

/* Every step selected: the map shows every date (and undated events unless
 * the reader hid them). */
export function isAll(sel, n) {
  return sel.i0 === 0 && sel.i1 >= n - 1;
}

/* The view's time window for a selection: {t0, t1}, both null when it covers
 * every step; cumulative leaves t0 open (the fragment's time=/B). */
export function windowOf(steps, sel) {
  const n = steps.length;
  if (!n || isAll(sel, n)) { return { t0: null, t1: null }; }
  return {
    t0: sel.mode === "cumulative" ? null : steps[sel.i0].t0,
    t1: steps[sel.i1].t1,
  };
}

/* The selection showing a view's window (restored from the fragment, or set
 * by another control). An open start is cumulative; every date keeps the
 * mode the control is in. */
export function selOf(steps, view, mode) {
  const n = steps.length;
  const t0 = view.t0 === undefined ? null : view.t0;
  const t1 = view.t1 === undefined ? null : view.t1;
  if (t0 === null && t1 === null) { return { mode, i0: 0, i1: Math.max(n - 1, 0) }; }
  if (t0 === null) { return { mode: "cumulative", i0: 0, i1: snap(steps, t1, "end") }; }
  const i1 = t1 === null ? n - 1 : snap(steps, t1, "end");
  return clamp({ mode: "window", i0: snap(steps, t0, "start"), i1 }, n);
}

/* The selection one step on (dir 1) or back (-1): a window moves both ends,
 * cumulative its end. null when it cannot move (at either end). */
export function stepSel(sel, n, dir) {
  if (sel.mode === "cumulative") {
    const i1 = sel.i1 + dir;
    return i1 < 0 || i1 > n - 1 ? null : { mode: sel.mode, i0: 0, i1 };
  }
  const i0 = sel.i0 + dir, i1 = sel.i1 + dir;
  return i0 < 0 || i1 > n - 1 ? null : { mode: sel.mode, i0, i1 };
}

/* Where playback starts from: the selection itself, unless it is at the
 * end, then from the first step (a window keeps its width; one covering
 * every step cannot move and plays one step at a time). */
export function playFrom(sel, n) {
  if (stepSel(sel, n, 1)) { return sel; }
  if (sel.mode === "cumulative") { return { mode: sel.mode, i0: 0, i1: 0 }; }
  const width = sel.i1 - sel.i0 >= n - 1 ? 0 : sel.i1 - sel.i0;
  return { mode: sel.mode, i0: 0, i1: Math.min(width, Math.max(n - 1, 0)) };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/* A day as the control says it: "7 Oct 2024" (UTC, as the steps are). */
export function dayLabel(t) {
  const d = new Date(t);
  return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
}

/* What the control says of a view's window: "Mar 2024 – May 2024",
 * "Mar 2024" (one step), "up to May 2024", "from Mar 2024", "all dates".
 * Weeks are said by their days ("7 Oct 2024 – 27 Oct 2024", "up to 27 Oct
 * 2024"): "week of 7 Oct 2024 – week of 21 Oct 2024" is long and unclear. */
export function windowLabel(steps, view, unit) {
  const t0 = view.t0 === undefined ? null : view.t0;
  const t1 = view.t1 === undefined ? null : view.t1;
  if (!steps.length || (t0 === null && t1 === null)) { return "all dates"; }
  const week = unit === "week";
  const i1 = t1 === null ? steps.length - 1 : snap(steps, t1, "end");
  const last = week ? dayLabel(steps[i1].t1) : steps[i1].label;
  if (t0 === null) { return "up to " + last; }
  const i0 = snap(steps, t0, "start");
  const first = week ? dayLabel(steps[i0].t0) : steps[i0].label;
  if (t1 === null) { return "from " + first; }
  if (i0 >= i1) { return steps[i1].label; }
  return first + " – " + last;
}

/* Under the slider: its first and last step (weeks by their first and last day). */
export function endLabels(steps, unit) {
  if (!steps.length) { return ["", ""]; }
  const last = steps[steps.length - 1];
  return unit === "week" ? [dayLabel(steps[0].t0), dayLabel(last.t1)] : [steps[0].label, last.label];
}

/* Whether undated events are shown: "auto" shows them only while every
 * date is (they cannot be placed in a window). */
export function undatedShown(view) {
  if (view.undated === "show") { return true; }
  if (view.undated === "hide") { return false; }
  return (view.t0 === null || view.t0 === undefined) && (view.t1 === null || view.t1 === undefined);
}

/* Beside the checkbox: "show 3 undated events". */
export function undatedLabel(count) {
  return "show " + countOf(count, "undated event", "undated events");
}
