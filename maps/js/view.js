/* The view: the time window, filters and search every layer follows, and
 * the URL fragment that keeps them. */

import { state } from "./state.js";

/* The page's filter options (maps/contract.py, FilterBlock). */
export function filters(map, d) {
  state(map).filters = d;
}
