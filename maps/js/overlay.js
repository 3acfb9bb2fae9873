/* The page's data blocks, its overlays and the layer control listing them. */

import { drawCompact } from "./compact.js";
import { drawLayer } from "./draw.js";
import { state } from "./state.js";

/* The data of one page element: a JSON block, never code or HTML. */
export function data(id) {
  return JSON.parse(document.getElementById(id).textContent);
}

/* One overlay: its features, and its point events on a canvas when compact.
 * The layer control (layerControl) lists it under its name. */
export function overlay(map, d) {
  const st = state(map), from = st.items.length;
  const group = drawLayer(map, d.features, d.options);
  const items = st.items.slice(from);
  // Its point events on canvases, one per colour (maps/contract.py, OverlayBlock).
  const compact = (d.compact || []).map((c) => drawCompact(map, c, d.options));
  compact.forEach((layer) => { group.addLayer(layer); });
  if (d.show) { group.addTo(map); }
  // The view names it by its layer's key (battles, deployments).
  st.overlays.push({ name: d.name, key: d.key || d.name, layer: group, items, compact });
  return group;
}

/* Leaflet's layer control sets each name as HTML; names come from data (an
 * ACLED event type), so each label is given as text once Leaflet made it. */
const Layers = L.Control.Layers.extend({
  _addItem(obj) {
    const label = L.Control.Layers.prototype._addItem.call(this, obj);
    const spans = label.getElementsByTagName("span");
    spans[spans.length - 1].textContent = " " + this._emNames[L.stamp(obj.layer)];
    return label;
  },
});

export function layerControl(map, d) {
  const control = new Layers(null, null, { position: d.position, collapsed: d.collapsed });
  control._emNames = {};
  state(map).overlays.forEach((o) => {
    control._emNames[L.stamp(o.layer)] = o.name;
    control.addOverlay(o.layer, "");
  });
  return control.addTo(map);
}
