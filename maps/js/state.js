/* What the page knows of each map, by its container's id: its drawn events,
 * its overlays (for the layer control), its compact layers, and its view and
 * tables (view.js). Tests and notebooks read it as Eventmap.maps. */

export const maps = {};

export function state(map) {
  const id = map._container.id;
  if (!maps[id]) {
    const st = maps[id] = {
      map, items: [], byId: {}, overlays: [], popupOpen: false,
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

/* Register a drawn event (or place) so the view can show or hide it. */
export function register(map, group, layer, feature) {
  const st = state(map);
  const item = { group, layer, feature };
  st.items.push(item);
  const ids = feature.members ? feature.members.map((m) => m.id) : [feature.id];
  ids.forEach((id) => { (st.byId[id] = st.byId[id] || []).push(item); });
  group.addLayer(layer);
  return item;
}
