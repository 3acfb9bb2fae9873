/* Popups and tooltips, built on demand from an event's data with el()
 * (textContent only). DOM, no Leaflet: every layer shares them. */

import { el } from "./dom.js";
import {
  bundleLine, dateLabel, flagLine, kindLine, metaLine, otherLine, safeUrl, sourceDate,
  sourcesHeading,
} from "./labels.js";

/* Every popup: readable width, and opened clear of the title and legend. */
export const popupOptions = {
  maxWidth: 360, minWidth: 240, maxHeight: 380,
  autoPanPaddingTopLeft: [30, 150], autoPanPaddingBottomRight: [250, 20],
};

/* The members of a bundle the view shows: shown(m) says (view.js,
 * memberShown); anything else lists them all. */
function members(f, shown) {
  return typeof shown === "function" ? f.members.filter(shown) : f.members;
}

/* The tooltip of an event, or of a bundle: its events the view shows. */
export function tooltip(f, shown, opts) {
  const box = el("div", "em-tip");
  if (f.members) {
    const listed = members(f, shown);
    box.appendChild(el("strong", null, f.where));
    listed.forEach((m) => { box.appendChild(el("div", null, "• " + m.title)); });
    return box;
  }
  box.appendChild(el("strong", null, f.title));
  if (f.figures && f.figures.length) { box.appendChild(el("div", null, f.figures[0].label)); }
  if (!opts || opts.dated !== false) { box.appendChild(el("div", "em-tip-date", dateLabel(f.date))); }
  if (f.flags && f.flags.length) { box.appendChild(el("div", "em-tip-flag", flagLine(f.flags.length))); }
  return box;
}

/* The export's own fields, in order: a two-column table of text. */
function detailsTable(details) {
  const table = el("table", "em-details");
  const body = el("tbody");
  details.forEach((d) => {
    const tr = el("tr");
    tr.appendChild(el("th", null, d.label));
    tr.appendChild(el("td", null, d.text));
    body.appendChild(tr);
  });
  table.appendChild(body);
  return table;
}

function sourceItem(s) {
  const li = el("li");
  li.appendChild(el("strong", null, s.name));
  if (s.date) { li.appendChild(document.createTextNode(sourceDate(s))); }
  if (s.claim) { li.appendChild(el("div", "em-claim", s.claim)); }
  const url = safeUrl(s.url);
  if (url) {
    const a = el("a", null, url);
    a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
    li.appendChild(a);
  } else if (s.url) {
    li.appendChild(el("div", "em-url", s.url));
  }
  if (s.document) { li.appendChild(el("div", "em-doc", "Reported in: " + s.document)); }
  return li;
}

/* An event's popup. A bundle (several events on one route) lists each of
 * its events the view shows. */
export function popup(f, shown, opts) {
  if (f.members) {
    const wrap = el("div", "em-popup em-bundle");
    const listed = members(f, shown);
    wrap.appendChild(el("div", "em-kind", bundleLine(f, listed.length)));
    wrap.appendChild(el("div", "em-where", f.where));
    listed.forEach((m) => { wrap.appendChild(popup(m, null, opts)); });
    return wrap;
  }
  const box = el("div", "em-popup");
  const head = el("div", "em-kind", kindLine(f, opts));
  head.style.borderColor = f.color;
  box.appendChild(head);
  box.appendChild(el("h3", null, f.title));
  if (f.flags && f.flags.length) {
    // Doubts about the place or date come first, where they cannot be missed.
    const ul = el("ul", "em-flags");
    ul.setAttribute("role", "note");
    f.flags.forEach((x) => { ul.appendChild(el("li", null, "⚠ " + x)); });
    box.appendChild(ul);
  }
  if (f.where) { box.appendChild(el("div", "em-where", f.where)); }
  if (f.precision) { box.appendChild(el("div", "em-precision", f.precision)); }
  if (f.figures && f.figures.length) {
    const ul = el("ul", "em-figures");
    f.figures.forEach((q) => {
      const li = el("li");
      li.appendChild(el("strong", null, q.label));
      if (q.text) { li.appendChild(el("q", null, q.text)); }
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }
  if (f.description) { box.appendChild(el("p", "em-desc", f.description)); }
  if (f.details && f.details.length) { box.appendChild(detailsTable(f.details)); }
  if (f.others && f.others.length) {
    box.appendChild(el("h4", null, "Other figures for this place"));
    const ol = el("ul", "em-others");
    f.others.forEach((o) => {
      const li = el("li");
      li.appendChild(el("strong", null, o.label));
      li.appendChild(document.createTextNode(otherLine(o)));
      ol.appendChild(li);
    });
    box.appendChild(ol);
  }
  if (f.sources && f.sources.length) {
    box.appendChild(el("h4", null, sourcesHeading(f.sources.length)));
    const sl = el("ol", "em-sources");
    f.sources.forEach((s) => { sl.appendChild(sourceItem(s)); });
    box.appendChild(sl);
  }
  const meta = metaLine(f);
  if (meta) { box.appendChild(el("div", "em-meta", meta)); }
  if (f.notes) { box.appendChild(el("div", "em-notes", f.notes)); }
  box.appendChild(el("div", "em-id", "id: " + f.id));
  return box;
}
