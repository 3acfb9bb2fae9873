/* Printing the page (#12): the sheet shows what the screen showed. A print
 * lays the page out again at the sheet's size, but fires no `resize`:
 * Leaflet would keep the screen's size and view, and the sheet would show
 * only the top-left part of it. So, for each map, when printing starts the
 * view on screen (its bounds, centre and zoom) is kept; once the print
 * layout is in place (the `print` media query matches: Chromium switches it
 * after `beforeprint`, and lays the sheet out only after its listeners ran)
 * the map takes the sheet's size and fits those bounds in the part of it the
 * printed title, legend, time and scale leave free, with no animation. Every
 * layer draws again at once, on the events of the resize and the fit (the
 * compact canvases, aggregates and labels on `resize`/`moveend`; the SVG
 * renderer takes bounds for the new size on `moveend` and clips every path
 * again, and a new zoom projects flows, lanes and arrowheads again). After
 * printing the screen's size and view come back. The URL fragment keeps the
 * screen's view throughout (view.js writes the map's centre after a move). */

import { maps } from "./state.js";

/* The padding (px) that keeps a fit clear of the controls, for a map of
 * size {x, y} and its controls' boxes {left, top, right, bottom} (px from
 * the map's top left): each control pads the side of the map it is nearer
 * to, along the shorter way (a wide, low title pads the top; a tall legend
 * at the right pads the right). Each axis keeps at least `keep` of the map.
 * Returns {topLeft: [x, y], bottomRight: [x, y]}. */
export function controlPadding(boxes, size, keep = 0.5) {
  let left = 0, top = 0, right = 0, bottom = 0;
  boxes.forEach((b) => {
    const w = b.right - b.left, h = b.bottom - b.top;
    if (!(w > 0 && h > 0) || b.right <= 0 || b.bottom <= 0 || b.left >= size.x || b.top >= size.y) { return; }
    const atLeft = b.left + b.right < size.x, atTop = b.top + b.bottom < size.y;
    if (h / size.y <= w / size.x) {
      if (atTop) { top = Math.max(top, b.bottom); } else { bottom = Math.max(bottom, size.y - b.top); }
    } else if (atLeft) {
      left = Math.max(left, b.right);
    } else {
      right = Math.max(right, size.x - b.left);
    }
  });
  // Controls that would leave too little of the map pad less, in proportion.
  const fitAxis = (a, b, length) => {
    const most = (1 - keep) * length;
    return a + b > most ? [a * most / (a + b), b * most / (a + b)] : [a, b];
  };
  const [l, r] = fitAxis(left, right, size.x), [t, bt] = fitAxis(top, bottom, size.y);
  const round = (v) => Math.max(0, Math.round(v));
  return { topLeft: [round(l), round(t)], bottomRight: [round(r), round(bt)] };
}

/* The boxes of the controls the sheet shows, in the map's pixels. */
function controlBoxes(map) {
  const box = map.getContainer().getBoundingClientRect(), out = [];
  map.getContainer().querySelectorAll(".leaflet-control-container .leaflet-control").forEach((c) => {
    if (c.getClientRects().length === 0) { return; }  // display: none in print
    const r = c.getBoundingClientRect();
    out.push({ left: r.left - box.left, top: r.top - box.top, right: r.right - box.left, bottom: r.bottom - box.top });
  });
  return out;
}

/* The view a map shows on screen, to print and to come back to. */
function snapshot(st) {
  const map = st.map, view = st.view;
  return {
    bounds: map.getBounds(), center: map.getCenter(), zoom: map.getZoom(),
    hasMap: !!view && Object.prototype.hasOwnProperty.call(view, "map"),
    map: view && Array.isArray(view.map) ? view.map.slice() : view && view.map,
  };
}

/* view.js keeps the map's centre in the view on every move, and writes it to
 * the fragment a moment later: the moves made for the sheet are no view of
 * the user's, so the view's centre is put back as it was. A write already
 * pending then writes what it would have; none else changes the fragment. */
function keepView(st, saved) {
  const view = st.view;
  if (!view) { return; }
  if (saved.hasMap) { view.map = Array.isArray(saved.map) ? saved.map.slice() : saved.map; } else { delete view.map; }
}

/* The sheet's size is now the container's: fit the screen's bounds to it. */
function fit(st) {
  const saved = st.printing, map = st.map;
  if (!saved) { return; }
  map.invalidateSize({ pan: false });
  const size = map.getSize();
  if (!size.x || !size.y) { return; }  // a hidden map (a closed tab): nothing to print
  const pad = controlPadding(controlBoxes(map), size);
  map.fitBounds(saved.bounds, { animate: false, paddingTopLeft: pad.topLeft, paddingBottomRight: pad.bottomRight });
  keepView(st, saved);
}

function restore(st) {
  const saved = st.printing, map = st.map;
  if (!saved) { return; }
  st.printing = null;
  map.invalidateSize({ pan: false });
  map.setView(saved.center, saved.zoom, { animate: false });
  keepView(st, saved);
}

function each(fn) {
  Object.keys(maps).forEach((id) => {
    const st = maps[id];
    if (st.map && st.map._loaded) { fn(st); }
  });
}

let query = null;

function printMedia() {
  return !!query && query.matches;
}

/* Printing begins (beforeprint: the screen's view is kept), or the print
 * layout is in place (the media query: the sheet's view). */
function enter() {
  each((st) => { if (!st.printing) { st.printing = snapshot(st); } });
  if (printMedia()) { each(fit); }
}

/* Printing is over (afterprint), or the screen layout is back (the media
 * query): the screen's size and view. An afterprint while the print layout
 * still holds waits for the media query. */
function leave() {
  if (!printMedia()) { each(restore); }
}

let listening = false;

/* Once per page, from index.js. */
export function listenPrint() {
  if (listening || typeof window === "undefined" || !window.matchMedia) { return; }
  listening = true;
  query = window.matchMedia("print");
  window.addEventListener("beforeprint", enter);
  window.addEventListener("afterprint", leave);
  const change = () => { if (printMedia()) { enter(); } else { leave(); } };
  if (query.addEventListener) { query.addEventListener("change", change); } else { query.addListener(change); }
  // The sheet resized while printing (print preview's paper or layout): fit
  // again, ahead of Leaflet's own handler (on the next frame, it then finds
  // the size taken).
  window.addEventListener("resize", () => { if (printMedia()) { each(fit); } });
}
