/* The filter panel (top left, under the title): the search box, the filters
 * (kind, sub-type, actor, country, admin-1 region, fatalities, precision),
 * the event list, "Copy link to this view" and fullscreen.
 *
 * The panel keeps no filter state of its own: every control writes the view
 * (view.js, setView) and every control is redrawn from the view it is told
 * of (the map's "em:view"), so a view restored from the URL fragment shows
 * in the controls, and a control's change never comes back to it as a
 * second change. Data text is set with textContent only. */

import { control } from "./controls.js";
import { el } from "./dom.js";
import { countOf } from "./labels.js";
import { eventList } from "./list.js";
import { fold } from "./query.js";
import { getView, link, setView, shownBounds } from "./view.js";

/* Typing waits this long before it filters: a million events are not
 * searched on every key. */
const TYPING_MS = 300;
/* A picker lists at most this many options (the selected ones always):
 * ACLED has thousands of actors, and typing narrows them. */
const PICKER_LIMIT = 80;
/* The view clear of the panel (left), the legend (right) and the time
 * control (bottom) when the search fits it to its matches. */
const FIT = { paddingTopLeft: [360, 60], paddingBottomRight: [250, 110], maxZoom: 11 };

function sameList(a, b) {
  if (a === b) { return true; }
  if (!a || !b || a.length !== b.length) { return false; }
  return a.every((v, i) => v === b[i]);
}

let uid = 0;
/* A page-unique id for label/aria wiring: several maps may share a page. */
function nextId(what) {
  uid += 1;
  return "em-panel-" + what + "-" + uid;
}

const SVG = "http://www.w3.org/2000/svg";

/* The fullscreen button's four corners, as nodes (no markup). */
function fullscreenIcon() {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("width", "14"); svg.setAttribute("height", "14");
  svg.setAttribute("viewBox", "0 0 14 14"); svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", "M1 5V1h4M9 1h4v4M13 9v4H9M5 13H1V9");
  path.setAttribute("fill", "none"); path.setAttribute("stroke", "currentColor");
  path.setAttribute("stroke-width", "1.8");
  svg.appendChild(path);
  return svg;
}

function button(cls, text, label) {
  const b = el("button", cls, text);
  b.type = "button";
  if (label) { b.setAttribute("aria-label", label); b.title = label; }
  return b;
}

/* A filter group: a <details> with its name and how many values it keeps. */
function group(name, open) {
  const box = el("details", "em-group");
  box.open = !!open;
  const summary = el("summary", "em-group-head");
  summary.appendChild(el("span", "em-group-name", name));
  const badge = el("span", "em-group-badge");
  summary.appendChild(badge);
  box.appendChild(summary);
  return { box, badge };
}

function countText(n) {
  return n === null || n === undefined ? "" : n.toLocaleString("en");
}

/* One checkbox row: box, optional colour swatch, label, count. */
function checkRow(text, count, color) {
  const row = el("label", "em-check");
  const input = el("input");
  input.type = "checkbox";
  row.appendChild(input);
  if (color) {
    const sw = el("span", "em-panel-swatch");
    sw.style.setProperty("--c", color);
    row.appendChild(sw);
  }
  row.appendChild(el("span", "em-check-label", text));
  row.appendChild(el("span", "em-check-count", countText(count)));
  return { row, input };
}

/* Checkboxes over a few options (kinds, precisions): all checked is no
 * filter (null); the view keeps the checked ones otherwise. */
function checkGroup(map, name, key, options, open) {
  const g = group(name, open);
  const list = el("div", "em-checks");
  const boxes = options.map((o) => {
    const c = checkRow(o.label, o.count, o.color);
    c.input.value = o.id;
    list.appendChild(c.row);
    c.input.addEventListener("change", () => {
      const on = boxes.filter((b) => b.checked).map((b) => b.value);
      setView(map, { [key]: on.length === boxes.length ? null : on }, "ui");
    });
    return c.input;
  });
  g.box.appendChild(list);
  function sync(view) {
    const keep = view[key];
    boxes.forEach((b) => { b.checked = !keep || keep.indexOf(b.value) >= 0; });
    g.badge.textContent = keep ? keep.length + " of " + boxes.length : "";
    g.box.classList.toggle("em-active", !!keep);
  }
  return { box: g.box, sync };
}

/* A type-to-filter list of checkboxes for options counted in thousands
 * (sub-types, actors, countries, regions): the selected ones first, then
 * the matches of what is typed, at most PICKER_LIMIT of them, by count. No
 * selection is no filter (null). Options: [{value, label, count, group}];
 * `groups` names the groups (admin-1 regions under their country). */
function picker(map, name, key, options, groups, noun) {
  const g = group(name, false);
  const inputId = nextId(key);
  const label = el("label", "em-sr", "Find " + noun);
  label.htmlFor = inputId;
  const find = el("input", "em-picker-find");
  find.type = "search"; find.id = inputId; find.autocomplete = "off";
  find.placeholder = "Type to find " + noun + " (" + options.length.toLocaleString("en") + ")";
  const list = el("div", "em-picker-list");
  list.setAttribute("role", "group");
  list.setAttribute("aria-label", name);
  const more = el("div", "em-picker-more");
  g.box.appendChild(label);
  g.box.appendChild(find);
  g.box.appendChild(list);
  g.box.appendChild(more);
  const folded = options.map((o) => fold(o.label));
  const byValue = new Map(options.map((o) => [o.value, o]));
  let selected = [];

  function choose(value, on) {
    const next = selected.filter((v) => v !== value);
    if (on) { next.push(value); }
    setView(map, { [key]: next.length ? next : null }, "ui");
  }

  function row(o, checked) {
    const c = checkRow(o.label, o.count);
    c.input.checked = checked;
    c.input.addEventListener("change", () => { choose(o.value, c.input.checked); });
    return c.row;
  }

  /* Drawn only while open: a closed picker of 5,000 actors costs nothing. */
  function render() {
    if (!g.box.open) { return; }
    list.replaceChildren();
    const chosen = new Set(selected);
    selected.forEach((v) => {
      const o = byValue.get(v) || { value: v, label: v, count: null };
      list.appendChild(row(o, true));
    });
    const q = fold(find.value.trim());
    let shown = 0, matched = 0, lastGroup;
    options.forEach((o, i) => {
      if (chosen.has(o.value) || (q && folded[i].indexOf(q) < 0)) { return; }
      matched += 1;
      if (shown >= PICKER_LIMIT) { return; }
      if (groups && o.group !== lastGroup) {
        lastGroup = o.group;
        list.appendChild(el("div", "em-picker-group", groups[o.group] || o.group || "Other"));
      }
      list.appendChild(row(o, false));
      shown += 1;
    });
    more.textContent = matched > shown
      ? countOf(matched - shown, "more", "more") + ": type to narrow"
      : (matched || selected.length ? "" : "No " + noun + " match");
  }

  let timer = null;
  find.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(render, 120);
  });
  g.box.addEventListener("toggle", render);

  function sync(view) {
    const keep = view[key] || [];
    if (!sameList(keep, selected)) { selected = keep.slice(); render(); }
    g.badge.textContent = selected.length ? String(selected.length) : "";
    g.box.classList.toggle("em-active", selected.length > 0);
  }
  return { box: g.box, sync };
}

function numberInput(labelText) {
  const id = nextId("fat");
  const wrap = el("span", "em-range-end");
  const label = el("label", null, labelText);
  label.htmlFor = id;
  const input = el("input", "em-number");
  input.type = "number"; input.id = id; input.min = "0"; input.step = "1";
  input.inputMode = "numeric";
  wrap.appendChild(label);
  wrap.appendChild(input);
  return { wrap, input };
}

/* The fatalities range, inclusive; an empty end is open. */
function fatalities(map, d) {
  const g = group("Fatalities", false);
  const row = el("div", "em-range");
  const lo = numberInput("from"), hi = numberInput("to");
  if (d.max !== null && d.max !== undefined) { hi.input.placeholder = String(d.max); lo.input.max = hi.input.max = String(d.max); }
  lo.input.placeholder = lo.input.placeholder || "0";
  row.appendChild(lo.wrap);
  row.appendChild(hi.wrap);
  g.box.appendChild(row);
  g.box.appendChild(el("div", "em-group-note",
    countOf(d.count, "event has", "events have") + " a figure; a set bound leaves out the others"));
  function value(input) {
    const v = input.value.trim();
    return v === "" || Number.isNaN(Number(v)) ? null : Number(v);
  }
  let timer = null;
  function apply() {
    clearTimeout(timer);
    setView(map, { fat: [value(lo.input), value(hi.input)] }, "ui");
  }
  [lo.input, hi.input].forEach((input) => {
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(apply, TYPING_MS); });
    input.addEventListener("change", apply);
  });
  function sync(view) {
    const f = view.fat || [null, null];
    [[lo.input, f[0]], [hi.input, f[1]]].forEach(([input, v]) => {
      if (value(input) !== v) { input.value = v === null || v === undefined ? "" : String(v); }
    });
    const on = f[0] !== null || f[1] !== null;
    g.badge.textContent = on ? (f[0] === null ? "" : f[0]) + "–" + (f[1] === null ? "" : f[1]) : "";
    g.box.classList.toggle("em-active", on);
  }
  return { box: g.box, sync };
}

/* What "Clear filters" resets: the filters and the search, not the time
 * window, the layers or the way events are shown. */
const CLEARED = {
  kind: null, sub: null, actor: null, country: null, admin1: null,
  fat: [null, null], prec: null, q: "",
};

function activeFilters(view) {
  let n = 0;
  ["kind", "sub", "actor", "country", "admin1", "prec"].forEach((k) => { if (view[k]) { n += 1; } });
  if (view.fat && (view.fat[0] !== null || view.fat[1] !== null)) { n += 1; }
  return n;
}

/* The filters the data has options for, in the panel's order. */
function filterGroups(map, d) {
  const out = [];
  const has = (xs) => Array.isArray(xs) && xs.length > 0;
  if (has(d.kinds)) { out.push(checkGroup(map, "Kind", "kind", d.kinds, true)); }
  const values = (xs) => xs.map((x) => ({ value: x.value, label: x.value, count: x.count }));
  if (has(d.sub_types)) { out.push(picker(map, "Sub-type", "sub", values(d.sub_types), null, "sub-types")); }
  if (has(d.actors)) { out.push(picker(map, "Actor", "actor", values(d.actors), null, "actors")); }
  const names = {};
  (d.countries || []).forEach((c) => { names[c.id] = c.name; });
  if (has(d.countries)) {
    out.push(picker(map, "Country", "country",
      d.countries.map((c) => ({ value: c.id, label: c.name || c.id, count: c.count })), null, "countries"));
  }
  if (has(d.regions)) {
    // Grouped by country (by its name), then by count as given.
    const regions = d.regions.map((r, i) => ({ value: r.id, label: r.name || r.id, count: r.count, group: r.country, i }));
    const country = (r) => names[r.group] || r.group || "";
    regions.sort((a, b) => (country(a) < country(b) ? -1 : country(a) > country(b) ? 1 : a.i - b.i));
    out.push(picker(map, "Admin-1 region", "admin1", regions, names, "regions"));
  }
  if (d.fatalities && d.fatalities.count > 0) { out.push(fatalities(map, d.fatalities)); }
  if (has(d.precisions)) { out.push(checkGroup(map, "Place precision", "prec", d.precisions, false)); }
  return out;
}

/* The search box: typing (after a pause) or Enter sets the view's search,
 * and the map fits to what matches. */
function searchBox(map) {
  const wrap = el("div", "em-search");
  const id = nextId("q");
  const label = el("label", "em-sr", "Search places, titles and notes");
  label.htmlFor = id;
  const input = el("input", "em-search-input");
  input.type = "search"; input.id = id; input.autocomplete = "off"; input.spellcheck = false;
  input.placeholder = "Search places, titles, notes";
  wrap.appendChild(label);
  wrap.appendChild(input);
  let timer = null;
  function apply() {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q === (getView(map).q || "")) { fit(map, q); return; }
    setView(map, { q }, "ui");
    fit(map, q);
  }
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(apply, TYPING_MS); });
  input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); apply(); } });
  function sync(view) {
    // Never overwrite what is being typed.
    if (document.activeElement !== input && input.value.trim() !== (view.q || "")) { input.value = view.q || ""; }
  }
  return { box: wrap, sync };
}

/* Fit the map to the search's matches (those with a point). */
function fit(map, q) {
  if (!q) { return; }
  const bounds = shownBounds(map);
  if (bounds && bounds.isValid()) { map.fitBounds(bounds, FIT); }
}

/* The link to this view: on the clipboard, or in a field selected for the
 * reader to copy when the browser refuses the clipboard. */
function copyLink(map, field, say) {
  const url = link(map);
  function fallback() {
    field.value = url;
    field.hidden = false;
    field.focus();
    field.select();
    say("Press Ctrl+C (⌘C) to copy the link");
  }
  field.value = url;
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(url).then(() => { field.hidden = true; say("Copied"); }, fallback);
  } else {
    fallback();
  }
}

/* Fullscreen of the map's own box (its controls are inside it). */
function toggleFullscreen(map, say) {
  const box = map.getContainer();
  if (document.fullscreenElement) { document.exitFullscreen(); return; }
  const refused = () => { say("Fullscreen is not available here (the browser refused it)"); };
  if (!box.requestFullscreen) { refused(); return; }
  try {
    const p = box.requestFullscreen();
    if (p && p.catch) { p.catch(refused); }
  } catch {
    refused();
  }
}

/* The panel, built from the page's filter options (maps/contract.py,
 * FilterBlock); view.js's filters() calls it. */
export function panel(map, d) {
  let box = null;
  control("topleft", () => {
    box = el("div", "em-panel leaflet-control");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", "Filters, search and event list");
    const search = searchBox(map);
    box.appendChild(search.box);

    const bar = el("div", "em-panel-bar");
    const filtersBtn = button("em-panel-tab", "Filters");
    const listBtn = button("em-panel-tab", "Event list");
    const copyBtn = button("em-panel-copy", "Copy link", "Copy link to this view");
    const fullBtn = button("em-panel-full", null, "Fullscreen");
    fullBtn.appendChild(fullscreenIcon());
    [filtersBtn, listBtn, copyBtn, fullBtn].forEach((b) => { bar.appendChild(b); });
    box.appendChild(bar);

    const status = el("div", "em-panel-status");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    box.appendChild(status);
    const linkId = nextId("link");
    const linkLabel = el("label", "em-sr", "Link to this view");
    linkLabel.htmlFor = linkId;
    const linkField = el("input", "em-link-field");
    linkField.type = "text"; linkField.readOnly = true; linkField.id = linkId; linkField.hidden = true;
    box.appendChild(linkLabel);
    box.appendChild(linkField);
    let statusTimer = null;
    function say(text) {
      status.textContent = text;
      clearTimeout(statusTimer);
      statusTimer = setTimeout(() => { status.textContent = ""; }, 4000);
    }

    const filterBody = el("div", "em-panel-body em-panel-filters");
    filterBody.id = nextId("filters");
    filterBody.hidden = true;
    const groups = filterGroups(map, d);
    groups.forEach((g) => { filterBody.appendChild(g.box); });
    // Below the scrolling filters, not over them: always in reach, covering none.
    const foot = el("div", "em-panel-foot");
    foot.hidden = true;
    const clear = button("em-panel-clear", "Clear filters");
    clear.addEventListener("click", () => { setView(map, CLEARED, "ui"); });
    foot.appendChild(clear);
    box.appendChild(filterBody);
    box.appendChild(foot);

    const list = eventList(map, d);
    list.box.id = nextId("list");
    list.box.hidden = true;
    box.appendChild(list.box);

    filtersBtn.setAttribute("aria-controls", filterBody.id);
    listBtn.setAttribute("aria-controls", list.box.id);
    /* One body open at a time: filters or the list. */
    function show(which) {
      const filtersOpen = which === "filters" && filterBody.hidden;
      const listOpen = which === "list" && list.box.hidden;
      filterBody.hidden = !filtersOpen;
      foot.hidden = !filtersOpen;
      filtersBtn.setAttribute("aria-expanded", String(filtersOpen));
      listBtn.setAttribute("aria-expanded", String(listOpen));
      box.classList.toggle("em-panel-open", filtersOpen || listOpen);
      fitHeight();
      if (listOpen) { list.open(); } else { list.close(); }
    }
    filtersBtn.setAttribute("aria-expanded", "false");
    listBtn.setAttribute("aria-expanded", "false");
    filtersBtn.addEventListener("click", () => { show("filters"); });
    listBtn.addEventListener("click", () => { show("list"); });
    copyBtn.addEventListener("click", () => { copyLink(map, linkField, say); });
    fullBtn.addEventListener("click", () => { toggleFullscreen(map, say); });
    document.addEventListener("fullscreenchange", () => {
      const on = document.fullscreenElement === map.getContainer();
      fullBtn.setAttribute("aria-label", on ? "Exit fullscreen" : "Fullscreen");
      fullBtn.title = fullBtn.getAttribute("aria-label");
      fullBtn.setAttribute("aria-pressed", String(on));
      map.invalidateSize();
    });

    /* The open body takes the room between the panel's top and the
     * controls at the bottom left (time, scale). */
    function fitHeight() {
      const mapBox = map.getContainer().getBoundingClientRect();
      const bottom = map.getContainer().querySelector(".leaflet-bottom.leaflet-left");
      const floor = bottom ? bottom.getBoundingClientRect().height : 0;
      const top = box.getBoundingClientRect().top - mapBox.top;
      const used = box.offsetHeight - (filterBody.hidden ? 0 : filterBody.offsetHeight) -
        (list.box.hidden ? 0 : list.box.offsetHeight);
      const room = Math.max(120, mapBox.height - top - used - floor - 24);
      filterBody.style.maxHeight = room + "px";
      list.fit(room);
    }
    map.on("resize", fitHeight);

    function sync(view) {
      groups.forEach((g) => { g.sync(view); });
      search.sync(view);
      const n = activeFilters(view);
      filtersBtn.textContent = n ? "Filters (" + n + ")" : "Filters";
      clear.disabled = !n && !view.q;
    }
    map.on("em:view", (e) => { sync(e.view); });
    sync(getView(map));
    return box;
  }).addTo(map);
  return box;
}
