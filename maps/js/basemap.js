/* The embedded basemap: countries, admin-1 regions and labels, in their own
 * panes under the overlays, never interactive. */

import { el } from "./dom.js";

/* Type size (px) and character width (em) of each label level: enough to
 * guess a label's box without measuring the DOM. */
const TYPE = {
  country: { size: 12, char: 0.72 }, region: { size: 10, char: 0.62 },
  city: { size: 12, char: 0.6 }, town: { size: 11, char: 0.56 },
};
const DOT = 7; // a town's dot and the gap to its name, px
const GAP = 3; // px kept clear around each label

/* A label's box in screen pixels around its point p: countries and regions
 * centred on it, towns to the right of their dot. */
export function labelBox(d, p) {
  const t = TYPE[d.level] || TYPE.town;
  const w = Math.ceil(d.text.length * t.size * t.char) + 2 * GAP;
  const h = t.size + 2 * GAP;
  if (d.level === "city" || d.level === "town") {
    return { x0: p.x - DOT / 2 - GAP, y0: p.y - h / 2, x1: p.x + DOT + w, y1: p.y + h / 2 };
  }
  return { x0: p.x - w / 2, y0: p.y - h / 2, x1: p.x + w / 2, y1: p.y + h / 2 };
}

function overlaps(a, b) {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/* The labels to draw at `zoom`: those shown from their zoom on whose point
 * lies in `view` ({x0, y0, x1, y1}, px), in the given order (the most
 * important first), each only if its box overlaps no label placed before.
 * `project(d)` gives a label's point in px. Returns their indexes. */
export function placeLabels(labels, zoom, project, view) {
  const placed = [];
  const boxes = [];
  for (let i = 0; i < labels.length; i++) {
    const d = labels[i];
    if (d.zoom > zoom) { continue; }
    const p = project(d);
    if (p.x < view.x0 || p.x > view.x1 || p.y < view.y0 || p.y > view.y1) { continue; }
    const box = labelBox(d, p);
    if (boxes.some((b) => overlaps(b, box))) { continue; }
    boxes.push(box);
    placed.push(i);
  }
  return placed;
}

/* Basemap labels: countries always, admin-1 names and cities from zoom 5-6,
 * towns from 7 on, placed again after each move so they never collide and
 * only those in view are in the DOM. Non-interactive, so they never catch a
 * click meant for an event. */
function basemapLabels(map, labels) {
  map.createPane("em-labels");
  const pane = map.getPane("em-labels");
  pane.style.zIndex = 450; pane.style.pointerEvents = "none";
  const group = L.layerGroup().addTo(map);
  const markers = new Map(); // label index -> its marker, while drawn
  function marker(i) {
    const d = labels[i];
    const node = el("span", "em-label em-label-" + d.level, d.text);
    return L.marker([d.lat, d.lon], {
      pane: "em-labels", interactive: false, keyboard: false,
      icon: L.divIcon({ className: "em-label-icon", html: node, iconSize: null }),
    });
  }
  function place() {
    const size = map.getSize();
    const margin = 40; // labels just outside the view are placed too, so panning shows them
    const view = { x0: -margin, y0: -margin, x1: size.x + margin, y1: size.y + margin };
    const keep = new Set(placeLabels(labels, map.getZoom(),
      (d) => map.latLngToContainerPoint([d.lat, d.lon]), view));
    markers.forEach((m, i) => { if (!keep.has(i)) { group.removeLayer(m); markers.delete(i); } });
    keep.forEach((i) => {
      if (!markers.has(i)) { const m = marker(i); markers.set(i, m); group.addLayer(m); }
    });
    map.getContainer().dataset.eventmapLabels = String(keep.size);
  }
  map.on("zoomend moveend resize", place);
  map.whenReady(place);
}

/* The embedded basemap (the default, no network): countries, then regions,
 * in their own pane under the overlays, and labels. */
export function basemap(map, d) {
  map.getContainer().classList.add("em-offline");
  map.createPane("em-basemap");
  map.getPane("em-basemap").style.zIndex = 200;
  d.layers.forEach((layer, i) => {
    L.geoJSON(layer, {
      pane: "em-basemap", interactive: false, style: d.styles[i],
      className: "em-basemap-" + (i === 0 ? "countries" : "regions"),
    }).addTo(map);
  });
  basemapLabels(map, d.labels);
}
