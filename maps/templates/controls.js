/* eventmap controls: title, legend, time. Data arrives as JSON; text is set
 * with textContent only. */
(function () {
  "use strict";
  var E = window.Eventmap;
  if (E.title) { return; }
  var el = E.el;

  function control(position, build) {
    var C = L.Control.extend({
      options: { position: position },
      onAdd: function () {
        var box = build();
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    return new C();
  }

  E.title = function (map, d) {
    return control("topleft", function () {
      var box = el("div", "em-title leaflet-control");
      box.appendChild(el("h1", null, d.title));
      if (d.subtitle) { box.appendChild(el("div", "em-subtitle", d.subtitle)); }
      return box;
    }).addTo(map);
  };

  function swatch(entry) {
    var s = el("span", "em-swatch em-swatch-" + entry.symbol);
    s.style.setProperty("--c", entry.color);
    return s;
  }

  E.legend = function (map, d) {
    return control("bottomright", function () {
      var box = el("div", "em-legend leaflet-control");
      var head = el("button", "em-legend-toggle", "Legend");
      head.type = "button";
      head.setAttribute("aria-expanded", "true");
      head.addEventListener("click", function () {
        var open = box.classList.toggle("em-collapsed");
        head.setAttribute("aria-expanded", open ? "false" : "true");
      });
      box.appendChild(head);
      var body = el("div", "em-legend-body");
      d.entries.forEach(function (e) {
        var row = el("div", "em-legend-row");
        row.appendChild(swatch(e));
        var text = el("span", "em-legend-label", e.label);
        text.title = e.description;
        row.appendChild(text);
        body.appendChild(row);
        if (e.sizes && e.sizes.length) {
          var sizes = el("div", "em-legend-sizes");
          e.sizes.forEach(function (s) {
            var item = el("span", "em-size");
            var mark = el("span", e.symbol === "circle" ? "em-size-circle" : "em-size-line");
            mark.style.setProperty("--c", e.color);
            mark.style.setProperty("--s", s.px + "px");
            item.appendChild(mark);
            item.appendChild(el("span", null, s.label));
            sizes.appendChild(item);
          });
          body.appendChild(sizes);
        }
      });
      d.notes.forEach(function (n) { body.appendChild(el("div", "em-legend-note", n)); });
      box.appendChild(body);
      // A long legend scrolls rather than run under the layer control above it.
      E.state(map).fitLegend = function () {
        var layers = map.getContainer().querySelector(".leaflet-control-layers");
        var above = layers ? layers.offsetHeight + 10 : 0;
        body.style.maxHeight = Math.max(80, map.getSize().y - above - 70) + "px";
      };
      map.on("resize", E.state(map).fitLegend);
      return box;
    }).addTo(map);
  };

  /* One slider over months: the map shows what had happened by the chosen
   * month. The last stop shows every event. */
  E.timeControl = function (map, d) {
    var months = d.months; // [{label, t}] with t = last ms of the month
    return control("bottomleft", function () {
      var box = el("div", "em-time leaflet-control");
      var label = el("label", "em-time-label");
      label.appendChild(el("span", null, "Showing: "));
      var out = el("output", "em-time-value");
      label.appendChild(out);
      box.appendChild(label);
      var input = el("input", "em-time-input");
      input.type = "range"; input.min = "0"; input.max = String(months.length);
      input.step = "1"; input.value = String(months.length);
      input.setAttribute("aria-label", "Show events up to this month");
      box.appendChild(input);
      var ends = el("div", "em-time-ends");
      ends.appendChild(el("span", null, months.length ? months[0].label : ""));
      ends.appendChild(el("span", null, "all"));
      box.appendChild(ends);
      var undated = null;
      if (d.undated) {
        var note = el("label", "em-time-note");
        undated = el("input", "em-time-undated");
        undated.type = "checkbox"; undated.checked = true;
        note.appendChild(undated);
        note.appendChild(document.createTextNode(" show the " + d.undated + " undated event(s)"));
        box.appendChild(note);
      }
      function apply() {
        var i = parseInt(input.value, 10);
        var all = i >= months.length;
        out.textContent = all ? "all dates" : "up to " + months[i].label;
        E.setTime(map, all ? null : months[i].t, undated ? !undated.checked : false);
      }
      input.addEventListener("input", apply);
      if (undated) { undated.addEventListener("change", apply); }
      apply();
      return box;
    }).addTo(map);
  };

  /* The embedded basemap (offline maps): countries, then regions, in their
   * own pane under the overlays, and labels. */
  E.basemap = function (map, d) {
    map.getContainer().classList.add("em-offline");
    map.createPane("em-basemap");
    map.getPane("em-basemap").style.zIndex = 200;
    d.layers.forEach(function (layer, i) {
      L.geoJSON(layer, { pane: "em-basemap", interactive: false, style: d.styles[i] }).addTo(map);
    });
    E.labels(map, d.labels);
  };

  /* Basemap labels (offline maps): countries always, named places from zoom 5.
   * Non-interactive, so they never catch a click meant for an event. */
  E.labels = function (map, labels) {
    map.createPane("em-labels");
    var pane = map.getPane("em-labels");
    pane.style.zIndex = 450; pane.style.pointerEvents = "none";
    labels.forEach(function (d) {
      var node = el("span", "em-label em-label-" + d.level, d.text);
      L.marker([d.lat, d.lon], {
        pane: "em-labels", interactive: false, keyboard: false,
        icon: L.divIcon({ className: "em-label-icon", html: node, iconSize: null })
      }).addTo(map);
    });
    function zoomClass() {
      map.getContainer().classList.toggle("em-zoomed", map.getZoom() >= 5);
    }
    map.on("zoomend", zoomClass);
    zoomClass();
  };

  E.attribution = function (map, d) {
    map.attributionControl.setPrefix(d.parts.map(E.escape).join(" · "));
  };
})();
