"""The folium elements of an eventmap page, assembled without a template engine.

Each element is one call of the page code (the ES modules of ``maps/js/``,
bundled into ``maps/static/eventmap.js``, see :mod:`maps.assets`) on one JSON
data block. folium and branca build pages with Jinja, and branca renders a
macro's output a second time as a template (``MacroElement.render`` wraps it in
``Element(...)``), so any text placed in a macro is template source: a note
reading ``{{ ... }}`` would run as code. Here no data is ever given to Jinja:

* data goes to the page as ``<script type="application/json">`` blocks, JSON
  escaped so that it cannot close its script (:func:`to_js`);
* the code that reads it is written here, from our own strings and element
  names only (:class:`_Code` puts text in the page as it is);
* the page code shows text with ``textContent``, never as HTML.

The folium map, its tiles and the view it fits hold no data, only our options
and numbers.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence

from branca.element import Element

from maps.assets import load_assets
from maps.contract import (
    BasemapBlock,
    BasemapLabel,
    CompactLayer,
    Feature,
    LayerControlBlock,
    OverlayBlock,
    OverlayOptions,
)

__all__ = [
    "to_js", "Runtime", "EventLayer", "LayerControl", "Title", "Legend", "TimeControl",
    "Attribution", "Basemap", "Filters", "Ready",
]  # fmt: skip

#: Lone surrogates (from a broken file, or ``surrogateescape`` on argv) cannot
#: be written as UTF-8; JSON keeps them as ``\\udXXX`` escapes instead.
SURROGATE = re.compile("[\ud800-\udfff]")


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
    """Encode data for a ``<script>``: JSON with ``<``, ``>``, ``&``, the JS
    line separators and lone surrogates escaped, so no text can close the
    script or the page, and the page is always valid UTF-8.

    >>> to_js({"note": "</script>{{ 6*7 }}"})
    '{"note":"\\\\u003c/script\\\\u003e{{ 6*7 }}"}'
    """
    text = json.dumps(_plain(obj), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class _Code(Element):
    """Text put in the page exactly as given: it is never parsed by Jinja."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "Code"
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


class Runtime(_Code):
    """Leaflet itself, eventmap's page code and style, inlined in the head."""

    def __init__(self):
        assets = load_assets()
        css = assets.leaflet_css + "\n" + assets.eventmap_css
        super().__init__(
            f"<style>{css}</style>\n<script>{assets.leaflet_js}</script>\n"
            f"<script>{assets.plugins_js}</script>\n<script>{assets.eventmap_js}</script>\n"
        )


class _PageCall(Element):
    """One call ``Eventmap.<function>(map, data)`` of the page code.

    The data goes in a JSON block in the head, named after the element; the
    call in the page's script reads it back with ``Eventmap.data(id)``. Both
    are :class:`_Code`, so neither is ever template source.
    """

    function = ""
    #: ``var <name> =`` before the call, for elements other code refers to.
    assign = False

    def __init__(self, data=None):
        super().__init__()
        self._name = type(self).__name__
        self._data_js = None if data is None else to_js(data)

    def render(self, **kwargs) -> str:
        figure = self.get_root()
        name = self.get_name()
        args = [self._parent.get_name()]
        if self._data_js is not None:
            block = f'<script type="application/json" id="{name}">{self._data_js}</script>\n'
            figure.header.add_child(_Code(block), name=f"{name}_data")
            args.append(f'Eventmap.data("{name}")')
        call = f"Eventmap.{self.function}({', '.join(args)});\n"
        figure.script.add_child(_Code(f"var {name} = {call}" if self.assign else call), name=name)
        return ""


class EventLayer(_PageCall):
    """One overlay of events (deployments, casualties, supply, ...).

    Parameters
    ----------
    name : str
        The label in the layer control (shown as text, never as HTML).
    features : list of Feature
        As made by :func:`maps.layers.rich.build_layers` (:mod:`maps.contract`).
    options : dict
        Drawing options for the page code (``className`` animates flows,
        ``fillOpacity`` and ``dashArray`` style areas, ``symbol`` picks circles or dots).
    compact : CompactLayer, optional
        Point events on a canvas (:mod:`maps.layers.compact`), toggled with the features.
    key : str
        The layer's id (``LayerSpec.key``), as the URL fragment names it.

    The block is a :class:`maps.contract.OverlayBlock`.
    """

    function = "overlay"
    assign = True

    def __init__(
        self,
        name: str,
        features: list[Feature],
        options: OverlayOptions,
        *,
        compact: CompactLayer | None = None,
        show: bool = True,
        key: str = "",
    ):
        super().__init__(
            OverlayBlock(
                name=name, key=key, features=features, options=options, compact=compact, show=show
            )
        )


class LayerControl(_PageCall):
    """The layer control, listing every overlay added before it by name."""

    function = "layerControl"

    def __init__(self, *, position: str = "topright", collapsed: bool = False):
        super().__init__(LayerControlBlock(position=position, collapsed=collapsed))


class Title(_PageCall):
    """The map's title and subtitle (top left)."""

    function = "title"


class Legend(_PageCall):
    """Categories and symbol sizes (bottom right)."""

    function = "legend"


class TimeControl(_PageCall):
    """The one time slider that filters every layer (bottom left)."""

    function = "timeControl"


class Attribution(_PageCall):
    """Provenance in the attribution line: data file, gazetteer, software."""

    function = "attribution"


class Filters(_PageCall):
    """The filters, search, event list and view state of the page: what every
    layer is filtered by, and the options to choose from
    (:class:`maps.contract.FilterBlock`). The page restores a view from the
    URL fragment once every element is there (``Ready``)."""

    function = "filters"


class Ready(_PageCall):
    """Last on the page: marks it ready (``data-eventmap-ready``) once every
    layer has drawn, for tests, benchmarks and screenshot tools."""

    function = "ready"


class Basemap(_PageCall):
    """An embedded basemap (countries, regions) for maps that make no request.

    Drawn in its own pane under the overlays and not interactive, so it never
    catches a click meant for an event.
    """

    function = "basemap"

    def __init__(self, layers: list[dict], styles: list[dict], labels: Sequence[BasemapLabel] = ()):
        super().__init__(BasemapBlock(layers=layers, styles=styles, labels=list(labels)))
