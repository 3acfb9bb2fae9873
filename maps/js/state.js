/* What the page knows of each map, by its container's id: its drawn events
 * (for the time control), its overlays (for the layer control), its compact
 * layers and the time shown. Tests and notebooks read it as Eventmap.maps. */

import { shownAt } from "./filter.js";

export const maps = {};

export function state(map) {
  const id = map._container.id;
  if (!maps[id]) {
    const st = maps[id] = {
      map, items: [], byId: {}, overlays: [], time: null, popupOpen: false,
    };
    // While a popup is open, hover tooltips stay closed: once the popup has
    // panned the map, the still mouse rests on other symbols. The class hides
    // the tooltip pane, so one that opens and is closed at once is never seen
    // (Leaflet keeps a closed tooltip in the page for its 200 ms fade).
    map.on("popupopen", () => {
      st.popupOpen = true;
      map.getContainer().classList.add("em-popup-open");
    });
    map.on("popupclose", () => {
      st.popupOpen = false;
      map.getContainer().classList.remove("em-popup-open");
    });
  }
  return maps[id];
}

/* Register a drawn event so the time control can show or hide it. */
export function register(map, group, layer, feature) {
  const st = state(map);
  const item = { group, layer, feature, start: feature.start };
  st.items.push(item);
  const ids = feature.members ? feature.members.map((m) => m.id) : [feature.id];
  ids.forEach((id) => { (st.byId[id] = st.byId[id] || []).push(item); });
  group.addLayer(layer);
  return item;
}

/* Show what happened up to time t (ms since epoch); null shows every date. */
export function setTime(map, t, hideUndated) {
  const st = state(map);
  st.time = t;
  st.items.forEach((it) => {
    if (it.setTime) { it.setTime(t, hideUndated); return; }  // a compact layer filters itself
    const visible = shownAt(it.start, t, hideUndated);
    const has = it.group.hasLayer(it.layer);
    if (visible && !has) { it.group.addLayer(it.layer); }
    if (!visible && has) { it.group.removeLayer(it.layer); }
  });
}
