"""The folium elements of an eventmap page.

Each is one class with one small Jinja template; its data goes to the page as
JSON (never as string-built HTML or JS), and the page code in
``maps/templates/*.js`` turns it into Leaflet layers with ``textContent``.
"""

from __future__ import annotations

import functools
import html
import json
import math
from pathlib import Path

from branca.element import Element, MacroElement
from folium.map import Layer
from jinja2 import Template

from .assets import load_assets, script_safe

__all__ = [
    "to_js", "Runtime", "EventLayer", "Title", "Legend", "TimeControl", "Attribution", "Basemap",
    "Ready",
]  # fmt: skip

_TEMPLATES = Path(__file__).resolve().parent / "templates"


@functools.cache
def _read(name: str) -> str:
    return (_TEMPLATES / name).read_text(encoding="utf-8")


def _plain(obj):
    """JSON-ready copy: NaN → null, tuples → lists."""
    if isinstance(obj, float):
        return None if math.isnan(obj) or math.isinf(obj) else obj
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    return obj


def to_js(obj) -> str:
    """Encode data for a ``<script>``: JSON with ``<``, ``>``, ``&`` and the
    JS line separators escaped, so no text can close the script or the page."""
    text = json.dumps(_plain(obj), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


class Runtime(Element):
    """Leaflet itself, eventmap's page code and style, inlined in the head."""

    _template = Template(
        "<style>{{ this.css }}</style>\n"
        "<script>{{ this.leaflet_js }}</script>\n"
        "<script>{{ this.plugins_js }}</script>\n"
        "<script>{{ this.js }}</script>\n"
    )

    def __init__(self):
        super().__init__()
        assets = load_assets()
        self.leaflet_js = assets.leaflet_js
        self.plugins_js = assets.plugins_js
        self.css = assets.leaflet_css + "\n" + _read("eventmap.css")
        self.js = script_safe(
            "\n".join(_read(f) for f in ("runtime.js", "controls.js", "compact.js"))
        )


class EventLayer(Layer):
    """One overlay of events (deployments, casualties, supply, ...).

    Parameters
    ----------
    name : str
        The label in the layer control.
    features : list of dict
        As made by :func:`maps.features.build_layers`.
    options : dict
        Drawing options for the page code (``className`` animates flows,
        ``fillOpacity`` and ``dashArray`` style areas, ``symbol`` picks circles or dots).
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = Eventmap.draw.layer({{ this._parent.get_name() }}, "
        "{{ this.features_js }}, {{ this.options_js }});\n"
        "{% if this.compact_js %}"
        "{{ this.get_name() }}.addLayer(Eventmap.draw.compact({{ this._parent.get_name() }}, "
        "{{ this.compact_js }}, {{ this.options_js }}));\n"
        "{% endif %}"
        "{% endmacro %}"
    )

    def __init__(
        self,
        name: str,
        features: list[dict],
        options: dict,
        *,
        compact: dict | None = None,
        show: bool = True,
    ):
        # Leaflet's layer control inserts names as HTML, and names can come from
        # data (an ACLED event type): escape them here, where they enter the page.
        super().__init__(name=html.escape(name), overlay=True, control=True, show=show)
        self._name = "EventLayer"
        self.features_js = to_js(features)
        self.options_js = to_js(options)
        # Point events on a canvas (maps.compact), toggled with the features.
        self.compact_js = to_js(compact) if compact is not None else None


class _Control(MacroElement):
    """A control drawn by a function of the page code from one JSON object."""

    function = ""

    def __init__(self, data: dict):
        super().__init__()
        self._name = type(self).__name__
        self.data_js = to_js(data)

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "Eventmap.{{ this.function }}({{ this._parent.get_name() }}, {{ this.data_js }});\n"
        "{% endmacro %}"
    )


class Title(_Control):
    """The map's title and subtitle (top left)."""

    function = "title"


class Legend(_Control):
    """Categories and symbol sizes (bottom right)."""

    function = "legend"


class TimeControl(_Control):
    """The one time slider that filters every layer (bottom left)."""

    function = "timeControl"


class Ready(MacroElement):
    """Last on the page: marks it ready (``data-eventmap-ready``) once every
    layer has drawn, for tests, benchmarks and screenshot tools."""

    _template = Template("{% macro script(this, kwargs) %}Eventmap.ready();\n{% endmacro %}")

    def __init__(self):
        super().__init__()
        self._name = "Ready"


class Attribution(_Control):
    """Provenance in the attribution line: data file, gazetteer, software."""

    function = "attribution"


class Basemap(MacroElement):
    """An embedded basemap (countries, regions) for maps that make no request.

    Drawn in its own pane under the overlays and not interactive, so it never
    catches a click meant for an event.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function (map) {\n"
        "  map.getContainer().classList.add('em-offline');\n"
        "  map.createPane('em-basemap'); map.getPane('em-basemap').style.zIndex = 200;\n"
        "  var style = {{ this.styles_js }};\n"
        "  {{ this.layers_js }}.forEach(function (layer, i) {\n"
        "    L.geoJSON(layer, {pane: 'em-basemap', interactive: false, style: style[i]})\n"
        "      .addTo(map);\n"
        "  });\n"
        "  Eventmap.labels(map, {{ this.labels_js }});\n"
        "})({{ this._parent.get_name() }});\n"
        "{% endmacro %}"
    )

    def __init__(self, layers: list[dict], styles: list[dict], labels: list[dict] = ()):
        super().__init__()
        self._name = "Basemap"
        self.layers_js = to_js(layers)
        self.styles_js = to_js(styles)
        self.labels_js = to_js(list(labels))
