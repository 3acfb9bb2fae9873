/* The legend (bottom right): the "Show as" switch, an entry per overlay
 * with how many of its events are shown (a layer switched off is dimmed),
 * then what explains the symbols drawn: the size scales and placement marks
 * while point symbols are drawn, the aggregate's classes and colours (with
 * their ranges and what they count) while aggregating, and notes. Text is
 * set with textContent only. */

import { aggregateLayer, drawsPoints, switcher } from "./aggregate.js";
import { RAMP } from "./bins.js";
import { el } from "./dom.js";
import { control } from "./controls.js";
import { countOf } from "./labels.js";
import { state } from "./state.js";
import { getView, shownByLayer, tables } from "./view.js";

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

const WHAT = { region: "region", hexbin: "hexagon" };

/* The shown events a choropleth of admin-1 regions cannot place (only a
 * country, or a point offshore; flows and areas): not counted, and said so,
 * or the count of those shown and the regions' sum disagree unexplained. */
export function unplacedText(n) {
  return countOf(n, "shown event is", "shown events are") +
    " in no admin-1 region (country-level or offshore): not on this map.";
}

function unplacedNote(n) {
  return el("div", "em-legend-note em-agg-unplaced", unplacedText(n));
}

/* The aggregate's part: what is counted, per what, and each class's colour
 * and range; a heatmap's ramp from low to high. Empty for points and clusters. */
export function aggregateKey(a) {
  const box = el("div", "em-agg-key");
  if (!a || drawsPoints(a.agg)) { return box; }
  const metric = a.metric === "fatalities" ? "Fatalities" : "Events";
  if (a.agg === "heat") {
    box.appendChild(el("div", "em-agg-title", metric + ": density of those shown"));
    const bar = el("div", "em-agg-ramp");
    bar.style.setProperty("--ramp", "linear-gradient(to right, " + RAMP.join(", ") + ")");
    box.appendChild(bar);
    const ends = el("div", "em-agg-ends");
    ends.appendChild(el("span", null, "few"));
    ends.appendChild(el("span", null, "most in view"));
    box.appendChild(ends);
    box.appendChild(el("div", "em-legend-note", "Point symbols are hidden; the colour says how many are near."));
    return box;
  }
  const per = a.agg === "hexbin" ? "hexagon (about 40 px)" : WHAT[a.agg];
  box.appendChild(el("div", "em-agg-title", metric + " per " + per));
  const cl = a.classes;
  if (!cl || !cl.labels.length) {
    box.appendChild(el("div", "em-legend-note", "None shown."));
    if (a.agg === "region" && a.unplaced > 0) { box.appendChild(unplacedNote(a.unplaced)); }
    return box;
  }
  cl.labels.forEach((label, i) => {
    const row = el("div", "em-legend-row em-agg-class");
    const s = el("span", "em-agg-swatch");
    s.style.setProperty("--c", cl.colors[i]);
    row.appendChild(s);
    row.appendChild(el("span", "em-legend-label", label));
    box.appendChild(row);
  });
  if (cl.zero) {
    const row = el("div", "em-legend-row em-agg-class");
    row.appendChild(el("span", "em-agg-swatch em-agg-none"));
    row.appendChild(el("span", "em-legend-label", "0"));
    box.appendChild(row);
  }
  box.appendChild(el("div", "em-legend-note", a.agg === "hexbin"
    ? "Hover a hexagon for its counts; click it to zoom in." : "Hover a region for its counts."));
  if (a.agg === "region" && a.unplaced > 0) { box.appendChild(unplacedNote(a.unplaced)); }
  return box;
}

/* What a cluster's number means: said while clusters are drawn. */
export const CLUSTER_NOTE = "Zoomed out, numbers count events per cluster; click one to zoom in.";

/* "Battles (812 of 1,234)", or "(1,234)" when all are shown. */
export function entryLabel(name, shown, total) {
  const of = shown === total ? total.toLocaleString("en") : shown.toLocaleString("en") + " of " + total.toLocaleString("en");
  return name + " (" + of + ")";
}

export function legend(map, d) {
  const st = state(map);
  const rows = [], scaleRows = [], markRows = [];
  let box = null, keySlot = null, head = null, switchBox = null, clusterNote = null;
  const built = control("bottomright", () => {
    box = el("div", "em-legend leaflet-control");
    head = el("button", "em-legend-toggle", "Legend");
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
      rows.push({ row, text });
    });
    keySlot = el("div", "em-agg-slot");
    body.appendChild(keySlot);
    (d.scales || []).forEach((sc) => {
      const r = scaleRow(sc);
      body.appendChild(r);
      scaleRows.push({ row: r, symbol: sc.symbol });
    });
    (d.marks || []).forEach((m) => { const r = markRow(m); body.appendChild(r); markRows.push(r); });
    // Before the page's notes, so that the legend still ends with a note in
    // sight while this one is hidden.
    clusterNote = el("div", "em-legend-note em-cluster-note", CLUSTER_NOTE);
    clusterNote.hidden = true;
    body.appendChild(clusterNote);
    // The page's interaction hint ("Click a symbol …") means nothing on paper.
    d.notes.forEach((n) => {
      const hint = n.startsWith("Click a symbol") ? " em-screen-only" : "";
      body.appendChild(el("div", "em-legend-note" + hint, n));
    });
    box.appendChild(body);
    // A long legend scrolls rather than run under the layer control above it.
    st.fitLegend = () => {
      const layers = map.getContainer().querySelector(".leaflet-control-layers");
      const above = layers ? layers.offsetHeight + 10 : 0;
      const own = switchBox ? switchBox.offsetHeight : 0;
      body.style.maxHeight = Math.max(80, map.getSize().y - above - own - 70) + "px";
    };
    map.on("resize", st.fitLegend);
    return box;
  }).addTo(map);

  /* The overlays' entries: their shown counts, dimmed when switched off. */
  function counts() {
    const shown = shownByLayer(map), ts = tables(map);
    st.overlays.forEach((o, i) => {
      const r = rows[i];
      if (!r) { return; }
      const mine = ts.filter((t) => t.key === o.key);
      const on = map.hasLayer(o.layer);
      r.row.classList.toggle("em-legend-off", !on);
      if (!mine.length) { return; }  // places only: nothing counted
      const total = mine.reduce((s, t) => s + t.n, 0), n = on ? (shown[o.key] || 0) : 0;
      r.text.textContent = entryLabel(o.name, n, total);
      r.row.classList.toggle("em-legend-none", on && n === 0);
    });
  }

  /* What is drawn decides what the legend explains. */
  function explain(a) {
    const points = drawsPoints(a.agg);
    scaleRows.forEach((s) => { s.row.hidden = s.symbol === "circle" && !points; });
    markRows.forEach((r) => { r.hidden = !points; });
    clusterNote.hidden = !(a.agg === "cluster" && tables(map).some((t) => t.compact));
    keySlot.replaceChildren(aggregateKey(a));
  }

  const agg = aggregateLayer(map, explain);
  map.on("em:view", (e) => {
    if (!switchBox) {
      switchBox = switcher(map);
      if (switchBox) { box.insertBefore(switchBox, head.nextSibling); st.fitLegend(); }
    }
    if (switchBox) { switchBox.sync(e.view || getView(map)); }
    counts();
    explain(agg);
  });
  map.on("overlayadd overlayremove", counts);
  return built;
}
