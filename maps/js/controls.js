/* The controls around the map: title, legend, time slider, attribution, and
 * the embedded basemap of offline maps. Data arrives as JSON; text is set
 * with textContent only. */

import { el } from "./dom.js";
import { timeStop } from "./filter.js";
import { escapeHtml, timeLabel, undatedNote } from "./labels.js";
import { setTime, state } from "./state.js";

function control(position, build) {
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
    return box;
  }).addTo(map);
}

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

/* One slider over months: the map shows what had happened by the chosen
 * month. The last stop shows every event. */
export function timeControl(map, d) {
  const months = d.months; // [{label, t}] with t = last ms of the month
  return control("bottomleft", () => {
    const box = el("div", "em-time leaflet-control");
    const label = el("label", "em-time-label");
    label.appendChild(el("span", null, "Showing: "));
    const out = el("output", "em-time-value");
    label.appendChild(out);
    box.appendChild(label);
    const input = el("input", "em-time-input");
    input.type = "range"; input.min = "0"; input.max = String(months.length);
    input.step = "1"; input.value = String(months.length);
    input.setAttribute("aria-label", "Show events up to this month");
    box.appendChild(input);
    const ends = el("div", "em-time-ends");
    ends.appendChild(el("span", null, months.length ? months[0].label : ""));
    ends.appendChild(el("span", null, "all"));
    box.appendChild(ends);
    let undated = null;
    if (d.undated) {
      const note = el("label", "em-time-note");
      undated = el("input", "em-time-undated");
      undated.type = "checkbox"; undated.checked = true;
      note.appendChild(undated);
      note.appendChild(document.createTextNode(undatedNote(d.undated)));
      box.appendChild(note);
    }
    function apply() {
      const stop = timeStop(months, input.value);
      out.textContent = timeLabel(stop.month);
      setTime(map, stop.t, undated ? !undated.checked : false);
    }
    input.addEventListener("input", apply);
    if (undated) { undated.addEventListener("change", apply); }
    apply();
    return box;
  }).addTo(map);
}

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

export function attribution(map, d) {
  map.attributionControl.setPrefix(d.parts.map(escapeHtml).join(" · "));
}
