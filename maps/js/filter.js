/* What the time control shows: which events had happened by a time, and
 * what is done with undated ones. Pure functions (no DOM, no Leaflet).
 * Times are ms since the epoch; null stands for "every date". */

export const DAY = 86400000;
/* An undated event in a compact layer's Int32 day column (maps/layers/compact.py). */
export const NO_DAY = -2147483648;

/* An event drawn on its own (start: ms, or null when undated). Undated
 * events cannot be placed on the timeline: they are shown unless the reader
 * hides them. */
export function shownAt(start, t, hideUndated) {
  return start === null ? !hideUndated : (t === null || start <= t);
}

/* The members of a bundle listed in its popup and tooltip: those that had
 * happened by time t (undated ones always). */
export function memberShownAt(t) {
  return (m) => t === null || t === undefined || m.start === null || m.start <= t;
}

/* The day (since 1970) a time falls on, or null for every date. */
export function dayOf(t) {
  return t === null ? null : Math.floor(t / DAY);
}

/* 1 if an event of a compact layer is shown on day tDay (null: every day). */
export function dayShown(day, tDay, hideUndated) {
  if (day === NO_DAY) { return hideUndated ? 0 : 1; }
  return tDay === null || day <= tDay ? 1 : 0;
}

/* Set visible[i] for the n days of a compact layer at time t; tells whether
 * anything changed (a million events take a while to draw again). */
export function filterDays(days, n, t, hideUndated, visible) {
  const tDay = dayOf(t);
  let changed = false;
  for (let i = 0; i < n; i++) {
    const v = dayShown(days[i], tDay, hideUndated);
    if (visible[i] !== v) { visible[i] = v; changed = true; }
  }
  return changed;
}

/* The time slider's stop: months are [{label, t}] with t the last ms of the
 * month, and the stop past the last month shows every event. */
export function timeStop(months, value) {
  const i = parseInt(value, 10);
  if (i >= months.length) { return { month: null, t: null }; }
  return { month: months[i], t: months[i].t };
}
