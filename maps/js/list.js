/* The event list: the events shown (view.js, shownRows), by date, in the
 * filter panel. Virtualized: rows have one fixed height and only those in
 * sight are in the page (a pool of row nodes refilled as it scrolls), so a
 * million rows scroll as ten do. Clicking a row opens its event (openRow).
 * Text is set with textContent only. */

import { columnValue } from "./decode.js";
import { el } from "./dom.js";
import { DAY, NO_DAY } from "./filter.js";
import { countOf } from "./labels.js";
import { openRow, shownRows, tables } from "./view.js";

/* One row's height (px); panel.css gives .em-list-row the same. */
export const ROW = 40;
/* Browsers cap an element's height (Chromium near 33.5 million px): past
 * this the scroll bar stands for the rows in proportion instead. */
const MAX_PX = 8000000;
const OVERSCAN = 3;

/* "2024-03-05" for a day since 1970; "undated" for none. */
function dayText(day) {
  if (day === NO_DAY || day === undefined || day === null) { return "undated"; }
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/* What a row shows of event `row` of table t: date, kind, title, place. */
function rowData(t, row, kinds) {
  const kindId = t.kind ? columnValue(t.kind, row) : null;
  const kind = (kindId !== null && kinds[kindId]) || null;
  const text = t.text || {};
  const title = text.title ? columnValue(text.title, row) : null;
  const where = text.where ? columnValue(text.where, row) : null;
  let date = null;
  if (t.compact) {
    const cols = t.compact.c.cols;
    date = cols.date ? columnValue(cols.date, row) : null;
  } else if (t.features && t.features[row]) {
    date = t.features[row].feature.date;
  }
  // A day as its ISO date (scannable, one width); a range (a week, a month)
  // as the data says it.
  const start = t.start ? t.start[row] : NO_DAY, end = t.end ? t.end[row] : start;
  return {
    date: start !== NO_DAY && end !== start && date ? date : dayText(start),
    kind: kind ? kind.label : (kindId || t.name || ""),
    color: kind ? kind.color : null,
    title: title || "(untitled)",
    where: where || "",
  };
}

/* Which row is at the top of the scroller, as a fraction: exact while the
 * rows fit the height cap, in proportion past it. */
export function firstRow(scrollTop, n, view) {
  const total = n * ROW;
  if (total <= MAX_PX) { return scrollTop / ROW; }
  const span = Math.max(1, Math.min(total, MAX_PX) - view);
  return Math.min(1, scrollTop / span) * Math.max(0, n - view / ROW);
}

/* The scroll position that shows row i at the top (the inverse of firstRow). */
function scrollFor(i, n, view) {
  const total = n * ROW;
  if (total <= MAX_PX) { return i * ROW; }
  const span = Math.max(1, MAX_PX - view), rows = Math.max(1, n - view / ROW);
  return Math.min(1, i / rows) * span;
}

function makeRow() {
  const node = el("div", "em-list-row");
  node.setAttribute("role", "listitem");
  const open = el("button", "em-list-open");
  open.type = "button";
  open.tabIndex = -1;
  const line1 = el("span", "em-list-line");
  const title = el("span", "em-list-title");
  line1.appendChild(title);
  const line2 = el("span", "em-list-line em-list-meta");
  const sw = el("span", "em-panel-swatch");
  const date = el("span", "em-list-date");
  const kind = el("span", "em-list-kind");
  const where = el("span", "em-list-where");
  [date, sw, kind, where].forEach((x) => { line2.appendChild(x); });
  open.appendChild(line1);
  open.appendChild(line2);
  node.appendChild(open);
  return { node, open, title, date, sw, kind, where, index: -1 };
}

/* The list box; the panel shows it (open), hides it (close) and gives it
 * its height (fit). Kept up to date with the view only while open. */
export function eventList(map, d) {
  const kinds = {};
  (d.kinds || []).forEach((k) => { kinds[k.id] = k; });
  const box = el("div", "em-panel-body em-list");
  const head = el("div", "em-list-head");
  const count = el("span", "em-list-count");
  count.setAttribute("aria-live", "polite");
  const order = el("button", "em-list-order");
  order.type = "button";
  head.appendChild(count);
  head.appendChild(order);
  box.appendChild(head);
  const scroller = el("div", "em-list-scroll");
  scroller.tabIndex = 0;
  scroller.setAttribute("role", "list");
  scroller.setAttribute("aria-label", "Events shown, by date");
  const spacer = el("div", "em-list-spacer");
  scroller.appendChild(spacer);
  box.appendChild(scroller);
  box.appendChild(el("div", "em-list-help", "Click an event, or use ↑ ↓ and Enter, to open it on the map"));

  let rows = null, n = 0, isOpen = false, newest = false, active = -1, frame = null;
  let viewH = 240;
  const pool = [];

  /* The shown position k (as listed) is this shownRows index. */
  const at = (k) => (newest ? n - 1 - k : k);

  function orderText() {
    order.textContent = newest ? "Newest first" : "Oldest first";
    order.setAttribute("aria-label", "Order: " + order.textContent + " (click to reverse)");
  }
  orderText();

  function ensurePool() {
    const want = Math.ceil(viewH / ROW) + OVERSCAN * 2;
    while (pool.length < want) {
      const r = makeRow();
      const slot = pool.length;
      r.open.addEventListener("click", () => { choose(pool[slot].index); });
      spacer.appendChild(r.node);
      pool.push(r);
    }
  }

  function fill(r, k) {
    const ts = tables(map);
    const i = at(k);
    const info = rowData(ts[rows.table[i]], rows.row[i], kinds);
    r.title.textContent = info.title;
    r.date.textContent = info.date;
    r.kind.textContent = info.kind;
    r.where.textContent = info.where ? "· " + info.where : "";
    r.sw.style.setProperty("--c", info.color || "#888");
    r.sw.hidden = !info.color;
    r.open.title = info.title + (info.where ? " — " + info.where : "") + " (" + info.date + ")";
    r.node.setAttribute("aria-posinset", String(k + 1));
    r.node.setAttribute("aria-setsize", String(n));
  }

  function render() {
    frame = null;
    if (!isOpen || !rows) { return; }
    ensurePool();
    const top = scroller.scrollTop;
    const f = firstRow(top, n, viewH);
    const k0 = Math.max(0, Math.floor(f) - OVERSCAN);
    pool.forEach((r, j) => {
      const k = k0 + j;
      if (k >= n) { r.node.hidden = true; r.index = -1; return; }
      r.node.hidden = false;
      if (r.index !== k) { r.index = k; fill(r, k); }
      r.node.style.transform = "translateY(" + (top + (k - f) * ROW) + "px)";
      r.node.classList.toggle("em-list-active", k === active);
    });
  }

  function schedule() {
    if (!frame) { frame = requestAnimationFrame(render); }
  }

  function refresh() {
    rows = shownRows(map);
    // Other events are listed: start from the top, not at a place that now
    // holds other rows.
    if (rows.n !== n) { scroller.scrollTop = 0; active = -1; }
    n = rows.n;
    count.textContent = countOf(n, "event", "events") + ", by date";
    spacer.style.height = Math.min(n * ROW, MAX_PX) + "px";
    pool.forEach((r) => { r.index = -1; });
    render();
  }

  function choose(k) {
    if (k < 0 || k >= n) { return; }
    active = k;
    const i = at(k);
    openRow(map, rows.table[i], rows.row[i]);
    render();
  }

  /* Keep row k in sight (keyboard moves). */
  function reveal(k) {
    const f = firstRow(scroller.scrollTop, n, viewH), seen = viewH / ROW;
    if (k < f) { scroller.scrollTop = scrollFor(k, n, viewH); } else if (k + 1 > f + seen) {
      scroller.scrollTop = scrollFor(Math.max(0, k + 1 - seen), n, viewH);
    }
  }

  scroller.addEventListener("scroll", schedule, { passive: true });
  scroller.addEventListener("keydown", (e) => {
    const page = Math.max(1, Math.floor(viewH / ROW) - 1);
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    let k = null;
    if (e.key in moves) { k = Math.max(0, Math.min(n - 1, (active < 0 ? -1 : active) + moves[e.key])); }
    if (e.key === "Home") { k = 0; }
    if (e.key === "End") { k = n - 1; }
    if (k !== null && n) {
      e.preventDefault();
      active = k; reveal(k); render();
      return;
    }
    if ((e.key === "Enter" || e.key === " ") && active >= 0) { e.preventDefault(); choose(active); }
  });
  order.addEventListener("click", () => {
    newest = !newest; orderText();
    active = -1; scroller.scrollTop = 0;
    pool.forEach((r) => { r.index = -1; });
    render();
  });
  map.on("em:view", () => { if (isOpen) { refresh(); } });

  return {
    box,
    open() { isOpen = true; box.hidden = false; refresh(); },
    close() { isOpen = false; box.hidden = true; },
    /* The room the panel gives the list (px), its head and help included. */
    fit(room) {
      viewH = Math.max(ROW * 3, Math.min(room - 60, ROW * 14));
      scroller.style.height = viewH + "px";
      schedule();
    },
  };
}
