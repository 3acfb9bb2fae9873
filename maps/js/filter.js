/* Days as the view (query.js, table.js) and the event list count them.
 * Times are ms since the epoch. */

export const DAY = 86400000;
/* An undated event in a compact layer's Int32 day column (maps/layers/compact.py). */
export const NO_DAY = -2147483648;
