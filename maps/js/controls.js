/* What every control around the map shares (control), and the attribution
 * line with, for print only, the documents and sources the events cite. The
 * title, legend, time control and basemap have modules of their own. Data
 * arrives as JSON; text is set with textContent only. */

import { el } from "./dom.js";
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
  const box = printSources(d.documents || [], d.sources || []);
  if (!box) { return; }
  // Just above the attribution line, below the legend (a bottom corner would
  // stack it on top of both); hidden on screen by print.css, so it takes no
  // room there.
  control("bottomright", () => box).addTo(map);
  const credits = map.attributionControl.getContainer();
  credits.parentNode.insertBefore(box, credits);
}

/* The sheet's "Documents: …. Sources cited: …." lines, as the static figure
 * prints them (the lists arrive capped, "and N more" last); null when the
 * events cite nothing. */
export function printSources(documents, sources) {
  if (!documents.length && !sources.length) { return null; }
  const box = el("div", "em-print-sources");
  [["em-print-documents", "Documents: ", documents], ["em-print-cited", "Sources cited: ", sources]]
    .forEach(([cls, head, names]) => {
      if (!names.length) { return; }
      const line = el("div", cls);
      line.appendChild(el("b", null, head));
      line.appendChild(document.createTextNode(names.join("; ") + "."));
      box.appendChild(line);
    });
  return box;
}
