/* eventmap runtime: shared by every layer of a page.
 * Untrusted text (titles, notes, sources) only ever reaches the DOM through
 * textContent or createTextNode; nothing here assigns data to innerHTML. */
(function () {
  "use strict";
  if (window.Eventmap) { return; }
  var E = (window.Eventmap = { maps: {}, draw: {} });

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  E.el = el;

  // Only http(s) links become anchors: a javascript: URL in data stays text.
  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }

  E.state = function (map) {
    var id = map._container.id;
    if (!E.maps[id]) {
      var st = E.maps[id] = {
        map: map, items: [], byId: {}, overlays: [], time: null, popupOpen: false
      };
      // While a popup is open, hover tooltips stay closed: once the popup has
      // panned the map, the still mouse rests on other symbols. The class hides
      // the tooltip pane, so one that opens and is closed at once is never seen
      // (Leaflet keeps a closed tooltip in the page for its 200 ms fade).
      map.on("popupopen", function () {
        st.popupOpen = true;
        map.getContainer().classList.add("em-popup-open");
      });
      map.on("popupclose", function () {
        st.popupOpen = false;
        map.getContainer().classList.remove("em-popup-open");
      });
    }
    return E.maps[id];
  };

  /* Register a drawn event so the time control can show or hide it. */
  E.register = function (map, group, layer, feature) {
    var st = E.state(map);
    var item = { group: group, layer: layer, feature: feature, start: feature.start };
    st.items.push(item);
    var ids = feature.members ? feature.members.map(function (m) { return m.id; }) : [feature.id];
    ids.forEach(function (id) { (st.byId[id] = st.byId[id] || []).push(item); });
    group.addLayer(layer);
    return item;
  };

  /* Show what happened up to time t (ms since epoch); null shows every date.
   * Undated events cannot be placed on the timeline: they are shown unless
   * the reader hides them. */
  E.setTime = function (map, t, hideUndated) {
    var st = E.state(map);
    st.time = t;
    st.items.forEach(function (it) {
      if (it.setTime) { it.setTime(t, hideUndated); return; }  // a compact layer filters itself
      var visible = it.start === null ? !hideUndated : (t === null || it.start <= t);
      var has = it.group.hasLayer(it.layer);
      if (visible && !has) { it.group.addLayer(it.layer); }
      if (!visible && has) { it.group.removeLayer(it.layer); }
    });
  };

  E.tooltip = function (f, t) {
    var box = el("div", "em-tip");
    if (f.members) {
      var shown = f.members.filter(visibleAt(t));
      box.appendChild(el("strong", null, f.where));
      shown.forEach(function (m) { box.appendChild(el("div", null, "• " + m.title)); });
      return box;
    }
    box.appendChild(el("strong", null, f.title));
    if (f.figures && f.figures.length) { box.appendChild(el("div", null, f.figures[0].label)); }
    box.appendChild(el("div", "em-tip-date", f.date || "undated"));
    return box;
  };

  function sourceItem(s) {
    var li = el("li");
    li.appendChild(el("strong", null, s.name));
    if (s.date) { li.appendChild(document.createTextNode(" (" + s.date + ")")); }
    if (s.claim) { li.appendChild(el("div", "em-claim", s.claim)); }
    var url = safeUrl(s.url);
    if (url) {
      var a = el("a", null, url);
      a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
      li.appendChild(a);
    } else if (s.url) {
      li.appendChild(el("div", "em-url", s.url));
    }
    if (s.document) { li.appendChild(el("div", "em-doc", "Reported in: " + s.document)); }
    return li;
  }

  function visibleAt(t) {
    return function (m) { return t === null || t === undefined || m.start === null || m.start <= t; };
  }

  /* A bundle (several events on one route) lists each event still shown by the time control. */
  E.popup = function (f, t) {
    if (f.members) {
      var wrap = el("div", "em-popup em-bundle");
      var shown = f.members.filter(visibleAt(t));
      wrap.appendChild(el("div", "em-kind", f.layer_label + " · " + shown.length + " events on this route"));
      wrap.appendChild(el("div", "em-where", f.where));
      shown.forEach(function (m) { wrap.appendChild(E.popup(m, t)); });
      return wrap;
    }
    var box = el("div", "em-popup");
    var head = el("div", "em-kind", f.layer_label + " · " + (f.date || "undated"));
    head.style.borderColor = f.color;
    box.appendChild(head);
    box.appendChild(el("h3", null, f.title));
    if (f.where) { box.appendChild(el("div", "em-where", f.where)); }
    if (f.figures && f.figures.length) {
      var ul = el("ul", "em-figures");
      f.figures.forEach(function (q) {
        var li = el("li");
        li.appendChild(el("strong", null, q.label));
        if (q.text) { li.appendChild(el("q", null, q.text)); }
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    if (f.description) { box.appendChild(el("p", "em-desc", f.description)); }
    if (f.others && f.others.length) {
      box.appendChild(el("h4", null, "Other figures for this place"));
      var ol = el("ul", "em-others");
      f.others.forEach(function (o) {
        var li = el("li");
        li.appendChild(el("strong", null, o.label));
        li.appendChild(document.createTextNode(" — " + o.source + (o.date ? " (" + o.date + ")" : "")));
        ol.appendChild(li);
      });
      box.appendChild(ol);
    }
    if (f.sources && f.sources.length) {
      box.appendChild(el("h4", null, f.sources.length > 1 ? "Sources" : "Source"));
      var sl = el("ol", "em-sources");
      f.sources.forEach(function (s) { sl.appendChild(sourceItem(s)); });
      box.appendChild(sl);
    }
    var meta = [];
    if (f.confidence) { meta.push("Confidence: " + f.confidence); }
    if (f.status === "draft") { meta.push("Draft (not yet curated)"); }
    if (f.actors && f.actors.length) { meta.push("Actors: " + f.actors.join(", ")); }
    if (meta.length) { box.appendChild(el("div", "em-meta", meta.join(" · "))); }
    if (f.notes) { box.appendChild(el("div", "em-notes", f.notes)); }
    box.appendChild(el("div", "em-id", "id: " + f.id));
    return box;
  };

  /* Every popup: readable width, and opened clear of the title and legend. */
  E.popupOptions = {
    maxWidth: 360, minWidth: 240, maxHeight: 380,
    autoPanPaddingTopLeft: [30, 150], autoPanPaddingBottomRight: [250, 20]
  };

  /* Popups and tooltips are built on demand from the feature's data. */
  E.bind = function (map, layer, f) {
    layer.bindPopup(function () { return E.popup(f, E.state(map).time); }, E.popupOptions);
    layer.bindTooltip(function () { return E.tooltip(f, E.state(map).time); },
      { sticky: true, direction: "top", opacity: 0.95 });
    // No hover tooltip over an open popup (the one just clicked, or any other).
    layer.on("popupopen", function () { layer.closeTooltip(); });
    layer.on("tooltipopen", function () { if (E.state(map).popupOpen) { layer.closeTooltip(); } });
    return layer;
  };

  /* Leaflet wants [lat, lng]; GeoJSON gives [lng, lat]. */
  E.latlngs = function (geom) {
    var flip = function (line) { return line.map(function (c) { return [c[1], c[0]]; }); };
    if (geom.type === "LineString") { return [flip(geom.coordinates)]; }
    if (geom.type === "MultiLineString") { return geom.coordinates.map(flip); }
    return [];
  };

  /* An arrowhead at the end of a line, pointing along its last segment.
   * Web Mercator is conformal, so the angle does not change with zoom. */
  E.arrowhead = function (map, parts, color, size, offset) {
    var last = parts[parts.length - 1];
    if (!last || last.length < 2) { return null; }
    var a = map.project(L.latLng(last[last.length - 2]), 0);
    var b = map.project(L.latLng(last[last.length - 1]), 0);
    var rad = Math.atan2(b.y - a.y, b.x - a.x);
    var s = Math.max(10, Math.min(26, size));
    // Shifted like its line: to the right of travel, (-sin, cos) on screen.
    var ox = -Math.sin(rad) * (offset || 0), oy = Math.cos(rad) * (offset || 0);
    var svg = '<svg width="' + s + '" height="' + s + '" viewBox="0 0 10 10" style="transform:rotate(' +
      (rad * 180 / Math.PI).toFixed(1) + 'deg)"><path d="M0,0 L10,5 L0,10 L3,5 Z" fill="' + color + '"/></svg>';
    return L.marker(last[last.length - 1], {
      icon: L.divIcon({ className: "em-arrow", html: svg, iconSize: [s, s], iconAnchor: [s / 2 - ox, s / 2 - oy] }),
      interactive: true, keyboard: false
    });
  };

  /* Each flow is drawn beside its route, on the right of its direction of
   * travel (leaflet-polylineoffset, in pixels): A → B and B → A then run side
   * by side instead of hiding each other, and the geometry stays geodesic.
   * Each flow layer has its own lane (opts.lane px further out), so troops and
   * shipments on the same corridor stay apart too. */
  E.flow = function (map, f, opts) {
    var parts = E.latlngs(f.geom);
    var line = L.polyline(parts, {
      color: f.color, weight: f.width, opacity: 0.85, lineCap: "round",
      dashArray: f.dashed ? "6 8" : null, className: opts.className || "",
      offset: (opts.lane || 0) + f.width / 2 + 1.5
    });
    var group = L.featureGroup([line]);
    var head = E.arrowhead(map, parts, f.color, f.width * 2.2 + 6, (opts.lane || 0) + f.width / 2 + 1.5);
    if (head) { group.addLayer(head); }
    return E.bind(map, group, f);
  };

  E.circles = function (map, f, opts) {
    var dot = opts.symbol === "dot";
    var markers = f.points.map(function (p) {
      return L.circleMarker(p, {
        radius: f.radius, color: dot ? "#ffffff" : f.color, weight: dot ? 2 : 1.5,
        fillColor: f.color, fillOpacity: dot ? 0.95 : 0.3, dashArray: f.dashed ? "3 3" : null
      });
    });
    return keepAt(E.bind(map, L.featureGroup(markers), f), "front");
  };

  /* Stacking: areas at the back, lines in the middle, point symbols in front,
   * kept on every (re-)add, since toggling a layer re-appends its paths on top.
   * Otherwise a faint country fill would swallow the clicks meant for flows. */
  function keepAt(layer, where) {
    layer.on("add", function () { where === "back" ? layer.bringToBack() : layer.bringToFront(); });
    return layer;
  }

  E.area = function (map, f, opts) {
    return keepAt(E.bind(map, L.geoJSON(f.geom, {
      style: {
        color: f.color, weight: opts.weight || 1.5, opacity: 0.9, fillColor: f.color,
        fillOpacity: opts.fillOpacity === undefined ? 0.15 : opts.fillOpacity,
        dashArray: opts.dashArray || (f.dashed ? "4 4" : null)
      }
    }), f), "back");
  };

  /* The group a layer control toggles; its events register for the time control. */
  E.draw.layer = function (map, features, opts) {
    var group = L.featureGroup();
    features.forEach(function (f) {
      var layer = f.shape === "flow" ? E.flow(map, f, opts)
        : f.shape === "area" ? E.area(map, f, opts) : E.circles(map, f, opts);
      E.register(map, group, layer, f);
    });
    return group;
  };

  /* The data of one page element: a JSON block, never code or HTML. */
  E.data = function (id) {
    return JSON.parse(document.getElementById(id).textContent);
  };

  /* One overlay: its features, and its point events on a canvas when compact.
   * The layer control (E.layerControl) lists it under its name. */
  E.overlay = function (map, d) {
    var group = E.draw.layer(map, d.features, d.options);
    if (d.compact) { group.addLayer(E.draw.compact(map, d.compact, d.options)); }
    if (d.show) { group.addTo(map); }
    E.state(map).overlays.push({ name: d.name, layer: group });
    return group;
  };

  /* Leaflet's layer control sets each name as HTML; names come from data (an
   * ACLED event type), so each label is given as text once Leaflet made it. */
  var Layers = L.Control.Layers.extend({
    _addItem: function (obj) {
      var label = L.Control.Layers.prototype._addItem.call(this, obj);
      var spans = label.getElementsByTagName("span");
      spans[spans.length - 1].textContent = " " + this._emNames[L.stamp(obj.layer)];
      return label;
    }
  });

  E.layerControl = function (map, d) {
    var control = new Layers(null, null, { position: d.position, collapsed: d.collapsed });
    control._emNames = {};
    E.state(map).overlays.forEach(function (o) {
      control._emNames[L.stamp(o.layer)] = o.name;
      control.addOverlay(o.layer, "");
    });
    return control.addTo(map);
  };

  /* Escape text for the few Leaflet APIs that take HTML (attribution). */
  E.escape = function (s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  };
})();
