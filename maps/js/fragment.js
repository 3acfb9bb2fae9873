/* The view in the URL fragment, so that a view can be cited:
 *   #map=6.25/50.1234/36.4567&time=2024-03/2024-05&undated=show&layers=battles
 *   &kind=battles&sub=Armed%20clash&actor=...&country=UA&admin1=ne%3AUA-63
 *   &fat=1-10&prec=point,near&q=kharkiv&agg=region&metric=fatalities
 * Keys in this order, each left out when it holds the default; values
 * comma-separated, each encodeURIComponent-encoded. Whatever the fragment
 * says is data: an unknown key or a bad value is skipped with a warning,
 * never an error, and nothing in it is ever markup or code. Pure (no DOM). */

import { DAY } from "./filter.js";

export const AGGREGATES = ["points", "cluster", "hexbin", "region", "heat"];
const METRICS = ["events", "fatalities"];
const LISTS = ["layers", "kind", "sub", "actor", "country", "admin1", "prec"];
export const KEYS = ["map", "time", "undated", "layers", "kind", "sub", "actor", "country", "admin1",
  "fat", "prec", "q", "agg", "metric"];
const MAX_VALUES = 1000, MAX_TEXT = 500;
const FAT_DIGITS = 6;  // as many decimals as NUMBER reads

function warn(what) {
  if (typeof console !== "undefined") { console.warn("eventmap: URL fragment: " + what + " ignored"); }
}

function decode(s) {
  try { return decodeURIComponent(s.replace(/\+/g, "%20")); } catch { return null; }
}

/* The first ms of a UTC day; a month past December is the next year's.
 * Not Date.UTC, which reads the years 0-99 as 1900-1999. */
function utc(y, mo, d) {
  const t = new Date(0);
  t.setUTCFullYear(y, mo, d);
  return t.getTime();
}

/* A date of the fragment: YYYY, YYYY-MM or YYYY-MM-DD, as its first ms and
 * the first ms after it (UTC); null when it is no such date. */
export function period(s) {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(s);
  if (!m) { return null; }
  const y = +m[1], mo = m[2] === undefined ? null : +m[2], d = m[3] === undefined ? null : +m[3];
  if (mo === null) { return [utc(y, 0, 1), utc(y + 1, 0, 1)]; }
  if (mo < 1 || mo > 12) { return null; }
  if (d === null) { return [utc(y, mo - 1, 1), utc(y, mo, 1)]; }
  const t = utc(y, mo - 1, d);
  if (d < 1 || new Date(t).getUTCDate() !== d) { return null; }  // 2024-02-30
  return [t, t + DAY];
}

function timeOf(v) {
  const parts = v.split("/");
  if (parts.length !== 2 || (!parts[0] && !parts[1])) { return null; }
  const a = parts[0] ? period(parts[0]) : null, b = parts[1] ? period(parts[1]) : null;
  if ((parts[0] && !a) || (parts[1] && !b)) { return null; }
  const t0 = a ? a[0] : null, t1 = b ? b[1] - 1 : null;  // B is inclusive
  if (t0 !== null && t1 !== null && t1 < t0) { return null; }
  return { t0, t1 };
}

const NUMBER = /^\d{1,15}(\.\d{1,6})?$/;  // FAT_DIGITS decimals

function fatOf(v) {
  const m = /^([^-]*)-([^-]*)$/.exec(v);
  if (!m || (!m[1] && !m[2])) { return null; }
  if ((m[1] && !NUMBER.test(m[1])) || (m[2] && !NUMBER.test(m[2]))) { return null; }
  const lo = m[1] ? +m[1] : null, hi = m[2] ? +m[2] : null;
  if (lo !== null && hi !== null && hi < lo) { return null; }
  return [lo, hi];
}

function mapOf(v) {
  const parts = v.split("/");
  if (parts.length !== 3 || !parts.every((p) => /^-?\d{1,3}(\.\d{1,10})?$/.test(p))) { return null; }
  const [z, lat, lon] = parts.map(Number);
  if (z < 0 || z > 24 || lat < -90 || lat > 90 || lon < -180 || lon > 180) { return null; }
  return [z, lat, lon];
}

/* ACLED's layers are keyed by kind ("kind:battles"); the fragment names
 * them without the prefix ("layers=battles") when no other layer's key
 * reads the same. Each key's name in the fragment, from the map's keys. */
const KIND = "kind:";

export function layerNames(keys) {
  const all = new Set(keys), out = new Map();
  keys.forEach((k) => {
    const short = k.startsWith(KIND) ? k.slice(KIND.length) : "";
    out.set(k, short && !all.has(short) ? short : k);
  });
  return out;
}

/* A layer the fragment names, either way, as the map's key; null if none. */
function layerKey(v, known) {
  if (known.has(v)) { return v; }
  return known.has(KIND + v) ? KIND + v : null;
}

function listOf(v) {
  const out = [];
  for (const part of v.split(",")) {
    const s = decode(part);
    if (s === null) { return null; }
    if (s && s.length <= MAX_TEXT && !out.includes(s)) { out.push(s); }
    if (out.length >= MAX_VALUES) { break; }
  }
  return out.length ? out : null;
}

/* A list key's options of the data, for reading values typed by hand:
 * [{id, label}]. An id is taken as it is, then case-insensitively; a label
 * (a kind's "Battles", a country's "Ukraine") case-insensitively, as every
 * id it names. Lookups in Maps: a value such as __proto__ is just a value. */
function optionsOf(options) {
  const ids = new Set(), byId = new Map(), byLabel = new Map();
  const add = (to, text, id) => {
    const k = String(text).toLowerCase();
    if (!to.has(k)) { to.set(k, []); }
    if (!to.get(k).includes(id)) { to.get(k).push(id); }
  };
  options.forEach((o) => {
    ids.add(o.id);
    add(byId, o.id, o.id);
    if (o.label !== null && o.label !== undefined) { add(byLabel, o.label, o.id); }
  });
  return (v) => {
    if (ids.has(v)) { return [v]; }
    const k = v.toLowerCase();
    return byId.get(k) || byLabel.get(k) || [];
  };
}

/* The values of a list the data has, each once; the others are skipped
 * with a warning. */
function inData(key, values, lookup) {
  const out = [], unknown = [];
  values.forEach((v) => {
    const ids = lookup(v);
    if (!ids.length) { unknown.push(v); }
    ids.forEach((id) => { if (!out.includes(id)) { out.push(id); } });
  });
  if (unknown.length && out.length) {
    warn(key + " " + unknown.slice(0, 5).map((v) => JSON.stringify(v.slice(0, 80))).join(", ") +
      (unknown.length > 5 ? " and " + (unknown.length - 5) + " more" : "") + " (not in the data)");
  }
  return out;
}

/* The fragment (with or without its #) as a patch of the view: only the
 * keys it sets, each checked. meta.layers (the overlays' keys, with
 * meta.layerNames their names) and meta.aggs narrow what layers and agg may
 * be; meta.options[key] ([{id, label}]) what kind, sub, actor, country,
 * admin1 and prec may be (a key without options takes any value). A key
 * none of whose values the data has is left out. */
export function parse(hash, meta) {
  const patch = {};
  const text = String(hash || "").replace(/^#/, "");
  if (!text) { return patch; }
  const lookups = {};
  if (meta && meta.layers) {
    const names = meta.layerNames || [];
    const layerOptions = meta.layers.map((k, i) => ({ id: k, label: names[i] }));
    const byId = optionsOf(layerOptions), ids = new Set(meta.layers);
    // The short name (battles for kind:battles) and the full key, then the names.
    lookups.layers = (v) => {
      const k = layerKey(v, ids);
      return k !== null ? [k] : byId(v).concat(byId(KIND + v)).filter((x, i, l) => l.indexOf(x) === i);
    };
  }
  const options = (meta && meta.options) || {};
  LISTS.forEach((k) => {
    if (k !== "layers" && Array.isArray(options[k])) { lookups[k] = optionsOf(options[k]); }
  });
  for (const pair of text.split("&")) {
    if (!pair) { continue; }
    const at = pair.indexOf("=");
    const key = at < 0 ? pair : pair.slice(0, at), raw = at < 0 ? "" : pair.slice(at + 1);
    if (!KEYS.includes(key)) { warn("key " + JSON.stringify(key.slice(0, 40))); continue; }
    let ok = true;
    if (key === "map") {
      const v = mapOf(raw);
      if (v) { patch.map = v; } else { ok = false; }
    } else if (key === "time") {
      const v = timeOf(raw);
      if (v) { patch.t0 = v.t0; patch.t1 = v.t1; } else { ok = false; }
    } else if (key === "undated") {
      if (raw === "show" || raw === "hide" || raw === "auto") { patch.undated = raw; } else { ok = false; }
    } else if (key === "fat") {
      const v = fatOf(raw);
      if (v) { patch.fat = v; } else { ok = false; }
    } else if (key === "q") {
      const v = decode(raw);
      if (v !== null && v.length <= MAX_TEXT) { patch.q = v; } else { ok = false; }
    } else if (key === "agg") {
      const aggs = (meta && meta.aggs) || AGGREGATES;
      if (aggs.includes(raw)) { patch.agg = raw; } else { ok = false; }
    } else if (key === "metric") {
      if (METRICS.includes(raw)) { patch.metric = raw; } else { ok = false; }
    } else if (key === "layers" && raw === "") {
      patch.layers = [];  // every layer off
    } else if (LISTS.includes(key)) {
      let v = listOf(raw);
      if (v && lookups[key]) { v = inData(key, v, lookups[key]); }
      if (v && v.length) { patch[key] = v; } else { ok = false; }
    }
    if (!ok) { warn(key + "=" + JSON.stringify(raw.slice(0, 80))); }
  }
  return patch;
}

const pad = (n, w) => String(n).padStart(w, "0");

/* How finely both ends of a window need saying: year, month or day. */
function grain(t, end) {
  if (t === null) { return 0; }
  const d = new Date(end ? t + 1 : t);
  if (d.getUTCHours() || d.getUTCMinutes() || d.getUTCSeconds() || d.getUTCMilliseconds()) { return 2; }
  if (d.getUTCDate() !== 1) { return 2; }
  return d.getUTCMonth() !== 0 ? 1 : 0;
}

function token(t, g) {
  const d = new Date(t), y = d.getUTCFullYear();
  if (y < 0 || y > 9999) { return null; }
  if (g === 0) { return pad(y, 4); }
  if (g === 1) { return pad(y, 4) + "-" + pad(d.getUTCMonth() + 1, 2); }
  return pad(y, 4) + "-" + pad(d.getUTCMonth() + 1, 2) + "-" + pad(d.getUTCDate(), 2);
}

function timeText(t0, t1) {
  const g = Math.max(grain(t0, false), grain(t1, true));
  // The window's last day is the day of its last ms.
  const a = t0 === null ? "" : token(t0, g);
  const b = t1 === null ? "" : token(t1, g);
  return a === null || b === null ? null : a + "/" + b;
}

const round = (v, digits) => String(Number(v.toFixed(digits)));
const isNum = (v) => typeof v === "number" && Number.isFinite(v);

/* The view as a fragment ("#..."), or "" when every key holds its default.
 * meta.agg is the map's own aggregate (not written when the view keeps it);
 * meta.layers its layers' keys (each written by its short name). */
export function write(view, meta) {
  const parts = [];
  const add = (k, v) => { parts.push(k + "=" + v); };
  const values = (l) => l.map((s) => encodeURIComponent(String(s))).join(",");
  if (Array.isArray(view.map) && view.map.length === 3 && view.map.every(isNum)) {
    add("map", round(view.map[0], 2) + "/" + round(view.map[1], 4) + "/" + round(view.map[2], 4));
  }
  const t0 = isNum(view.t0) ? view.t0 : null, t1 = isNum(view.t1) ? view.t1 : null;
  if (t0 !== null || t1 !== null) {
    const text = timeText(t0, t1);
    if (text !== null) { add("time", text); }
  }
  if (view.undated === "show" || view.undated === "hide") { add("undated", view.undated); }
  // Every layer off is an empty value: left out, a reload would show them all.
  if (Array.isArray(view.layers)) {
    const names = layerNames((meta && meta.layers) || []);
    add("layers", values(view.layers.map((k) => names.get(k) || k)));
  }
  ["kind", "sub", "actor", "country", "admin1"].forEach((k) => {
    if (Array.isArray(view[k]) && view[k].length) { add(k, values(view[k])); }
  });
  const fat = Array.isArray(view.fat) ? view.fat : [null, null];
  if (isNum(fat[0]) || isNum(fat[1])) {
    const bound = (v) => (isNum(v) ? round(v, FAT_DIGITS) : "");
    add("fat", bound(fat[0]) + "-" + bound(fat[1]));
  }
  if (Array.isArray(view.prec) && view.prec.length) { add("prec", values(view.prec)); }
  if (typeof view.q === "string" && view.q) { add("q", encodeURIComponent(view.q)); }
  const agg = (meta && meta.agg) || "points";
  if (view.agg && view.agg !== agg) { add("agg", view.agg); }
  if (view.metric && view.metric !== "events") { add("metric", view.metric); }
  return parts.length ? "#" + parts.join("&") : "";
}
