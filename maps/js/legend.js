/* The legend (bottom right): an entry per overlay, the size scales, the
 * placement marks and notes. Text is set with textContent only. */

import { el } from "./dom.js";
import { control } from "./controls.js";
import { state } from "./state.js";

function swatch(entry) {
  const s = el("span", "em-swatch em-swatch-" + entry.symbol);
  s.style.setProperty("--c", entry.color);
  return s;
}

/* One size scale of the map, shared by every layer: its label, then sample
 * symbols in a neutral colour (the layers' colours say the kind). */
function scaleRow(sc) {
  const wrap = el("div", "em-legend-scale");
  wrap.appendChild(el("div", "em-legend-note", sc.label));
  const box = el("div", "em-legend-sizes");
  sc.sizes.forEach((s) => {
    const item = el("span", "em-size");
    const mark = el("span", sc.symbol === "circle" ? "em-size-circle" : "em-size-line");
    mark.style.setProperty("--c", "#666");
    mark.style.setProperty("--s", s.px + "px");
    item.appendChild(mark);
    item.appendChild(el("span", null, s.label));
    box.appendChild(item);
  });
  wrap.appendChild(box);
  return wrap;
}

/* How a point symbol shows where its event is (filled, light, hollow ring). */
function markRow(m) {
  const row = el("div", "em-legend-row");
  row.appendChild(el("span", "em-mark em-mark-" + m.placed));
  row.appendChild(el("span", "em-legend-label", m.label));
  return row;
}

export function legend(map, d) {
  return control("bottomright", () => {
    const box = el("div", "em-legend leaflet-control");
    const head = el("button", "em-legend-toggle", "Legend");
    head.type = "button";
    head.setAttribute("aria-expanded", "true");
    head.addEventListener("click", () => {
      const open = box.classList.toggle("em-collapsed");
      head.setAttribute("aria-expanded", open ? "false" : "true");
    });
    box.appendChild(head);
    const body = el("div", "em-legend-body");
    d.entries.forEach((e) => {
      const row = el("div", "em-legend-row");
      row.appendChild(swatch(e));
      const text = el("span", "em-legend-label", e.label);
      text.title = e.description;
      row.appendChild(text);
      body.appendChild(row);
    });
    (d.scales || []).forEach((sc) => { body.appendChild(scaleRow(sc)); });
    (d.marks || []).forEach((m) => { body.appendChild(markRow(m)); });
    d.notes.forEach((n) => { body.appendChild(el("div", "em-legend-note", n)); });
    box.appendChild(body);
    // A long legend scrolls rather than run under the layer control above it.
    state(map).fitLegend = () => {
      const layers = map.getContainer().querySelector(".leaflet-control-layers");
      const above = layers ? layers.offsetHeight + 10 : 0;
      body.style.maxHeight = Math.max(80, map.getSize().y - above - 70) + "px";
    };
    map.on("resize", state(map).fitLegend);
    return box;
  }).addTo(map);
}
