/* The embedded basemap: countries, regions and labels, in their own
 * panes under the overlays, never interactive. */

import { el } from "./dom.js";

/* Basemap labels (offline maps): countries always, named places from zoom 5.
 * Non-interactive, so they never catch a click meant for an event. */
function basemapLabels(map, labels) {
  map.createPane("em-labels");
  const pane = map.getPane("em-labels");
  pane.style.zIndex = 450; pane.style.pointerEvents = "none";
  labels.forEach((d) => {
    const node = el("span", "em-label em-label-" + d.level, d.text);
    L.marker([d.lat, d.lon], {
      pane: "em-labels", interactive: false, keyboard: false,
      icon: L.divIcon({ className: "em-label-icon", html: node, iconSize: null }),
    }).addTo(map);
  });
  function zoomClass() {
    map.getContainer().classList.toggle("em-zoomed", map.getZoom() >= 5);
  }
  map.on("zoomend", zoomClass);
  zoomClass();
}

/* The embedded basemap (offline maps): countries, then regions, in their
 * own pane under the overlays, and labels. */
export function basemap(map, d) {
  map.getContainer().classList.add("em-offline");
  map.createPane("em-basemap");
  map.getPane("em-basemap").style.zIndex = 200;
  d.layers.forEach((layer, i) => {
    L.geoJSON(layer, { pane: "em-basemap", interactive: false, style: d.styles[i] }).addTo(map);
  });
  basemapLabels(map, d.labels);
}
