/* The page marks itself ready (data-eventmap-ready on <html>) once Python's
 * last call, Eventmap.ready(), has run and every pending piece of work (a
 * compact layer's text block) is done: for tests, benchmarks and screenshot
 * tools. */

import { maps } from "./state.js";
import { initViews } from "./view.js";

let pending = 0, wanted = false;

function mark() {
  document.documentElement.dataset.eventmapReady = "1";
}

/* Work the page waits for before it calls itself ready. */
export function wait() {
  pending += 1;
}

export function done() {
  pending -= 1;
  if (pending <= 0 && wanted) { mark(); }
}

export function ready() {
  wanted = true;
  // Every control is on the page now: the legend takes the room left.
  Object.keys(maps).forEach((id) => { if (maps[id].fitLegend) { maps[id].fitLegend(); } });
  // Clusters fan out by layer: those drawn before the later layers existed
  // are drawn again, now that all do.
  Object.keys(maps).forEach((id) => {
    (maps[id].compact || []).forEach((layer) => {
      if (layer._map && layer.aggregated()) { layer.redraw(); }
    });
  });
  // The tables, the count and the view the URL fragment names.
  initViews();
  if (pending <= 0) { mark(); }
}
