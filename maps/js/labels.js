/* The text the page shows beside the data: date, number and figure labels,
 * headings and notes. Pure functions of the data (no DOM, no Leaflet). */

/* Only http(s) links become anchors: a javascript: URL in data stays text. */
export function safeUrl(url) {
  return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
}

const ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/* Escape text for the few Leaflet APIs that take HTML (attribution). */
export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/* An event's date as the page shows it: its label, or "undated". */
export function dateLabel(date) {
  return date || "undated";
}

/* The head line of a popup: "Troop deployments · October 2024"; the layer
 * alone for data without dates (opts.dated false: any GeoDataFrame's rows). */
export function kindLine(f, opts) {
  if (opts && opts.dated === false) { return f.layer_label; }
  return f.layer_label + " · " + dateLabel(f.date);
}

/* "1 event", "2 events", "1,204 fatalities": the noun in the singular for one. */
export function countOf(count, one, many) {
  return count.toLocaleString("en") + " " + (count === 1 ? one : many);
}

/* The head line of a bundle's popup (several events on one route). */
export function bundleLine(f, shown) {
  return f.layer_label + " · " + shown + " events on this route";
}

/* After a source's name, when it is dated: " (2024-10)". */
export function sourceDate(s) {
  return s.date ? " (" + s.date + ")" : "";
}

/* After another figure's label: " — its source (its date)". */
export function otherLine(o) {
  return " — " + o.source + (o.date ? " (" + o.date + ")" : "");
}

/* A tooltip's warning that the popup holds doubts. */
export function flagLine(count) {
  return "⚠ " + (count === 1 ? "1 doubt" : count + " doubts") + " about this event: click for details";
}

export function sourcesHeading(count) {
  return count > 1 ? "Sources" : "Source";
}

/* Confidence, draft status and actors on one line; "" when there are none. */
export function metaLine(f) {
  const meta = [];
  if (f.confidence) { meta.push("Confidence: " + f.confidence); }
  if (f.status === "draft") { meta.push("Draft (not yet curated)"); }
  if (f.actors && f.actors.length) { meta.push("Actors: " + f.actors.join(", ")); }
  return meta.join(" · ");
}

/* The number in a cluster: 12, 1.2k, 12k. */
export function countLabel(count) {
  if (count < 1000) { return String(count); }
  return (count / 1000).toFixed(count >= 10000 ? 0 : 1) + "k";
}

/* A cluster's tooltip line: "1,234 events · 56 fatalities", "1 event · 1 fatality"
 * (unitOne: the unit in the singular, as maps/labels.py says it). */
export function clusterLine(count, sum, unit, unitOne) {
  return countOf(count, "event", "events") +
    (sum ? " · " + countOf(sum, unitOne || unit || "", unit || "") : "");
}
