/* What every control around the map shares (control), and the attribution
 * line. The title, legend, time control and basemap have modules of their
 * own. Data arrives as JSON; text is set with textContent only. */

import { escapeHtml } from "./labels.js";

export function control(position, build) {
  const C = L.Control.extend({
    options: { position },
    onAdd() {
      const box = build();
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    },
  });
  return new C();
}

export function attribution(map, d) {
  map.attributionControl.setPrefix(d.parts.map(escapeHtml).join(" · "));
}
