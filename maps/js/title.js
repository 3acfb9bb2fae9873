/* The map's title, subtitle and notices (top left). Text is set with
 * textContent only. */

import { el } from "./dom.js";
import { control } from "./controls.js";
import { state } from "./state.js";

export function title(map, d) {
  return control("topleft", () => {
    const box = el("div", "em-title leaflet-control");
    box.appendChild(el("h1", null, d.title));
    if (d.subtitle) { box.appendChild(el("div", "em-subtitle", d.subtitle)); }
    // What the reader rejected or doubted: on the map, where it cannot be missed.
    (d.notices || []).forEach((n) => {
      const note = el("div", "em-notice", "⚠ " + n);
      note.setAttribute("role", "status");
      box.appendChild(note);
    });
    // How many events the view shows (view.js counts them at every change).
    const shown = el("div", "em-shown");
    shown.setAttribute("role", "status");
    box.appendChild(shown);
    state(map).shownEl = shown;
    return box;
  }).addTo(map);
}
