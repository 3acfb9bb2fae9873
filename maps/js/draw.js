/* The rich layer: each event drawn with Leaflet (flows, circles, areas),
 * with its popup and tooltip. */

import { arrowHead, latlngs } from "./geometry.js";
import { popup, popupOptions, tooltip } from "./popup.js";
import { register, state } from "./state.js";
import { memberShown } from "./view.js";

/* Popups and tooltips are built on demand from the feature's data. */
function bind(map, layer, f, opts) {
  // A bundle lists the members the view shows.
  layer.bindPopup(() => popup(f, memberShown(map), opts), popupOptions);
  layer.bindTooltip(() => tooltip(f, memberShown(map), opts),
    { sticky: true, direction: "top", opacity: 0.95 });
  // No hover tooltip over an open popup (the one just clicked, or any other).
  layer.on("popupopen", () => { layer.closeTooltip(); });
  layer.on("tooltipopen", () => { if (state(map).popupOpen) { layer.closeTooltip(); } });
  return layer;
}

/* An arrowhead at the end of a line, pointing along its last segment. Built
 * as nodes with setAttribute, never as markup: the colour comes from the data. */
const SVG = "http://www.w3.org/2000/svg";

export function arrowSvg(s, deg, color) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("width", String(s));
  svg.setAttribute("height", String(s));
  svg.setAttribute("viewBox", "0 0 10 10");
  svg.style.transform = "rotate(" + Number(deg) + "deg)";
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", "M0,0 L10,5 L0,10 L3,5 Z");
  path.setAttribute("fill", String(color));
  svg.appendChild(path);
  return svg;
}

function arrowhead(map, parts, color, size, offset) {
  const last = parts[parts.length - 1];
  if (!last || last.length < 2) { return null; }
  const a = map.project(L.latLng(last[last.length - 2]), 0);
  const b = map.project(L.latLng(last[last.length - 1]), 0);
  const { s, deg, anchor } = arrowHead(a, b, size, offset);
  return L.marker(last[last.length - 1], {
    icon: L.divIcon({ className: "em-arrow", html: arrowSvg(s, deg, color), iconSize: [s, s], iconAnchor: anchor }),
    interactive: true, keyboard: false,
  });
}

/* Each flow is drawn beside its route, on the right of its direction of
 * travel (leaflet-polylineoffset, in pixels): A → B and B → A then run side
 * by side instead of hiding each other, and the geometry stays geodesic.
 * Each flow layer has its own lane (opts.lane px further out), so troops and
 * shipments on the same corridor stay apart too. */
function flow(map, f, opts) {
  const parts = latlngs(f.geom);
  const line = L.polyline(parts, {
    color: f.color, weight: f.width, opacity: 0.85, lineCap: "round",
    dashArray: f.dashed ? "6 8" : null,
    // A moving flow's dashes are CSS (.em-animated), which would hide the 6 8
    // of low confidence: em-low gives it shorter ones (eventmap.css).
    className: [opts.className, f.dashed && opts.className ? "em-low" : ""].filter(Boolean).join(" "),
    offset: (opts.lane || 0) + f.width / 2 + 1.5,
  });
  const group = L.featureGroup([line]);
  const head = arrowhead(map, parts, f.color, f.width * 2.2 + 6, (opts.lane || 0) + f.width / 2 + 1.5);
  if (head) { group.addLayer(head); }
  return bind(map, group, f, opts);
}

/* A line of any GeoDataFrame: drawn where it is, with no direction. */
function plainLine(map, f, opts) {
  const l = L.polyline(latlngs(f.geom), {
    color: f.color, weight: f.width, opacity: 0.85, lineCap: "round",
    dashArray: f.dashed ? "6 8" : null,
  });
  return bind(map, L.featureGroup([l]), f, opts);
}

/* Stacking: areas at the back, lines in the middle, point symbols in front,
 * kept on every (re-)add, since toggling a layer re-appends its paths on top.
 * Otherwise a faint country fill would swallow the clicks meant for flows. */
function keepAt(layer, where) {
  layer.on("add", () => {
    if (where === "back") { layer.bringToBack(); } else { layer.bringToFront(); }
  });
  return layer;
}

/* How a point symbol shows where its event is (maps/contract.py, Placed):
 * filled at the place, lighter near it, a hollow dotted ring at the centre of
 * a region or country, so that a region-level event never looks like a village. */
export function circleStyle(f, dot) {
  const style = {
    radius: f.radius, color: dot ? "#ffffff" : f.color, weight: dot ? 2 : 1.5,
    fillColor: f.color, fillOpacity: dot ? 0.95 : 0.3, dashArray: f.dashed ? "3 3" : null,
  };
  if (f.placed === "near") { style.fillOpacity = dot ? 0.5 : 0.12; }
  if (f.placed === "region") {
    Object.assign(style, { color: f.color, weight: 2, fillOpacity: 0, dashArray: "2 4", lineCap: "round" });
  }
  return style;
}

function circles(map, f, opts) {
  const dot = opts.symbol === "dot";
  const markers = f.points.map((p) => L.circleMarker(p, circleStyle(f, dot)));
  return keepAt(bind(map, L.featureGroup(markers), f, opts), "front");
}

function area(map, f, opts) {
  return keepAt(bind(map, L.geoJSON(f.geom, {
    style: {
      color: f.color, weight: opts.weight || 1.5, opacity: 0.9, fillColor: f.color,
      fillOpacity: opts.fillOpacity === undefined ? 0.15 : opts.fillOpacity,
      dashArray: opts.dashArray || (f.dashed ? "4 4" : null),
    },
  }), f, opts), "back");
}

/* The group a layer control toggles; its events register for the view. */
export function drawLayer(map, features, opts) {
  const group = L.featureGroup();
  features.forEach((f) => {
    const layer = f.shape === "flow" ? flow(map, f, opts)
      : f.shape === "line" ? plainLine(map, f, opts)
        : f.shape === "area" ? area(map, f, opts) : circles(map, f, opts);
    register(map, group, layer, f);
  });
  return group;
}
