"""How each kind of event looks: its layer, colour and symbol scale.

The seed's layers' colours are from the Okabe–Ito palette (readable with the
common forms of colour blindness), one per layer; the kinds of other datasets
(ACLED's event types, UCDP's types of violence) have fixed colours too, and any
other kind a colour from a hash of its name, so that a kind looks the same on
every map. Sizes follow cartographic practice:
proportional circles scale their *area* with the figure (radius ∝ √value), and
flow widths scale the same way, so that 13,000 troops do not drown 1,500.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass

import numpy as np

from geo.schema import normalize_kind

__all__ = [
    "LayerSpec", "LAYERS", "layer_for_kind", "kind_color", "specs_for_kinds", "KIND_COLORS",
    "HASHED_COLORS", "placed", "SizeScale", "css_color", "CSS_NAMES", "AREA_STYLE",
    "GENERIC_AREA",
]  # fmt: skip


@dataclass(frozen=True)
class LayerSpec:
    """One overlay of the map."""

    key: str
    label: str
    color: str
    kinds: tuple[str, ...]
    symbol: str  # how the legend draws it: flow | animated | circle | area | dot
    description: str


LAYERS: tuple[LayerSpec, ...] = (
    LayerSpec("deployments", "Troop deployments", "#0072B2", ("deployment", "recruitment"),
              "flow", "Movements of troops; width ∝ √troops, arrow at the destination"),
    LayerSpec("casualties", "Casualties (reported)", "#D55E00", ("casualties",),
              "circle", "Reported losses; circle area ∝ figure, one circle per claim"),
    LayerSpec("supply", "Supply routes", "#E69F00", ("supply",),
              "animated", "Munitions and equipment, moving in the direction of travel"),
    LayerSpec("technology", "Technology transfer", "#CC79A7", ("technology_transfer",),
              "animated", "Reported or possible transfers of technology"),
    LayerSpec("front", "Front regions", "#B2182B", ("combat",),
              "area", "Regions where the events place the fighting"),
    LayerSpec("alliances", "Alliances & treaties", "#6A3D9A", ("alliance", "diplomacy"),
              "area", "Alignments and agreements between states"),
    LayerSpec("statements", "Official statements", "#009E73", ("statement",),
              "dot", "What governments acknowledged or denied"),
    LayerSpec("sources", "Sources of the claims", "#333333", (),
              "dot", "Where each claim comes from (e.g. intelligence services)"),
    LayerSpec("other", "Other events", "#777777", (), "dot", "Events of other kinds"),
)  # fmt: skip
_BY_KIND = {kind: spec for spec in LAYERS for kind in spec.kinds}

#: Area styles per layer (the page's OverlayOptions, maps/js/draw.js ``area``;
#: the static figure's areas, maps.figure.symbols): fill opacity, stroke
#: width (px) and dashes; the symbol itself comes from the layer's LayerSpec.
AREA_STYLE = {
    "front": {"fillOpacity": 0.18, "weight": 2},
    "alliances": {"fillOpacity": 0.05, "weight": 1.5, "dashArray": "6 4"},
}
#: The areas of any GeoDataFrame (its polygons), filled as explore fills them.
GENERIC_AREA = {"fillOpacity": 0.4, "weight": 1.0}

BY_KEY = {spec.key: spec for spec in LAYERS}

#: The CSS named colours (CSS Color 4) a data colour may be given as.
CSS_NAMES = frozenset(
    """
aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet
brown burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan
darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey darkkhaki darkmagenta
darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen darkslateblue
darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue dimgray dimgrey
dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite gold goldenrod gray
green greenyellow grey honeydew hotpink indianred indigo ivory khaki lavender lavenderblush
lawngreen lemonchiffon lightblue lightcoral lightcyan lightgoldenrodyellow lightgray lightgreen
lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray lightslategrey
lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine mediumblue
mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen mediumturquoise
mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite navy oldlace olive
olivedrab orange orangered orchid palegoldenrod palegreen paleturquoise palevioletred
papayawhip peachpuff peru pink plum powderblue purple rebeccapurple red rosybrown royalblue
saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue slateblue slategray
slategrey snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white
whitesmoke yellow yellowgreen
""".split()
)
_HEX = re.compile(r"#(?:[0-9A-Fa-f]{3,4}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})")


def css_color(value: object) -> str | None:
    """A colour given by the data (an events frame's ``color`` column), if it
    is one: ``#rgb``, ``#rgba``, ``#rrggbb``, ``#rrggbbaa`` or a CSS colour name; else
    None, and the event is drawn in its layer's colour. Nothing else the data
    says ever reaches the page's styles or markup.

    >>> css_color("#E41A1C"), css_color(" Red "), css_color('red"/><img src=x>'), css_color(None)
    ('#E41A1C', 'red', None, None)
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if _HEX.fullmatch(text):
        return text
    return text.lower() if text.lower() in CSS_NAMES else None


#: Kinds whose region places are drawn on the front layer.
FRONT_KINDS = frozenset({"deployment", "casualties", "combat", "statement"})


def layer_for_kind(kind: str) -> LayerSpec:
    """The layer a known event kind is drawn on (unknown kinds: 'Other events')."""
    return _BY_KIND.get(kind, BY_KEY["other"])


#: Fixed colours of the kinds other datasets give, by kind id
#: (:func:`geo.schema.normalize_kind` of the kind), so that "Battles" has the same
#: colour on every map: ACLED's event types (and the legacy "Riots/Protests" and
#: "Remote violence"), UCDP GED's types of violence and GDELT's CAMEO root event
#: types. Pairwise, and against the
#: seed's layers, they are at least 15 CIELAB units apart.
KIND_COLORS = {
    "battles": "#E41A1C",
    "explosions_remote_violence": "#FF7F00",
    "violence_against_civilians": "#A6328B",
    "protests": "#56B4E9",
    "riots": "#4DAF4A",
    "strategic_developments": "#A65628",
    "riots_protests": "#17BECF",
    "remote_violence": "#FDBF6F",
    "state_based": "#67001F",
    "non_state": "#8C6D00",
    "one_sided": "#F781BF",
    # GDELT's 20 CAMEO root event types (geo.io.gdelt.CAMEO_ROOTS), in families by
    # QuadClass: blue-violet verbal cooperation (01-05), green material cooperation
    # (06-08), olive-ochre verbal conflict (09-13), magenta-pink material conflict
    # (14-20; the reds are ACLED's and the seed's). Picked farthest-first within
    # each family's hues under the distances above.
    "make_public_statement": "#0000FF",
    "appeal": "#0055FF",
    "express_intent_to_cooperate": "#CC99FF",
    "consult": "#6600CC",
    "engage_in_diplomatic_cooperation": "#665588",
    "engage_in_material_cooperation": "#00EE00",
    "provide_aid": "#00EEAA",
    "yield": "#77CC00",
    "investigate": "#778822",
    "demand": "#445500",
    "disapprove": "#999966",
    "reject": "#BBDD00",
    "threaten": "#AA8844",
    "protest": "#773355",
    "exhibit_force_posture": "#BB00FF",
    "reduce_relations": "#CC55FF",
    "coerce": "#FF0066",
    "assault": "#FF00AA",
    "fight": "#550055",  # dark: CIE76 calls #FF00FF far from assault, eyes do not
    "use_unconventional_mass_violence": "#FF77FF",
    # Any GeoDataFrame drawn as one layer (maps.generic): Leaflet's and explore's blue.
    "features": "#3388FF",
}
#: Colours for every other kind, picked by a hash of its id: none is within 18
#: CIELAB units of a fixed colour (the seed's layers, :data:`KIND_COLORS`).
HASHED_COLORS = (
    "#EDC948", "#9C755F", "#FF9DA7", "#BAB0AC", "#86BCB6", "#D4A6C8", "#BCBD22", "#2E7D32",
    "#00838F", "#AD1457", "#00695C", "#8E24AA", "#D77575", "#CC5233", "#6B3224", "#D79275",
    "#CC8033", "#6B4F24", "#CC9E33", "#D7C375",
)  # fmt: skip
#: At most this many layers of kinds eventmap does not know; the rarest beyond share
#: 'Other events'.
MAX_KIND_LAYERS = len(HASHED_COLORS) + len(KIND_COLORS)


def kind_color(kind: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """The colour of a kind: fixed for the known ones (:data:`KIND_COLORS`),
    else the :data:`HASHED_COLORS` entry a hash of its id points to; when that
    one is ``taken`` on the map, the next free one after it.

    >>> kind_color("Battles"), kind_color("battles"), kind_color("state-based")
    ('#E41A1C', '#E41A1C', '#67001F')
    >>> kind_color("Fight") == kind_color("fight") == KIND_COLORS["fight"]
    True
    """
    key = normalize_kind(str(kind))
    if key in KIND_COLORS:
        return KIND_COLORS[key]
    start = int.from_bytes(hashlib.sha1(key.encode("utf-8")).digest()[:4], "big")
    n = len(HASHED_COLORS)
    for step in range(n):
        color = HASHED_COLORS[(start + step) % n]
        if color not in taken:
            return color
    return HASHED_COLORS[start % n]


def specs_for_kinds(
    counts: dict[str, int], labels: dict[str, str] | None = None
) -> dict[str, LayerSpec]:
    """The layer of every kind in the data.

    Known kinds keep their layer. Other kinds (an ACLED export's "Battles",
    "Explosions/Remote violence", ...) get a layer each, named as the data
    spells its kind (``labels``: kind id → spelling), or from the id itself,
    in the colour :func:`kind_color` gives it: never from the order or
    frequency of the kinds. Layers are listed most frequent first; beyond
    :data:`MAX_KIND_LAYERS` of them the rarest share 'Other events'.
    """
    out = {k: _BY_KIND[k] for k in counts if k in _BY_KIND}
    unknown = sorted((k for k in counts if k not in _BY_KIND), key=lambda k: (-counts[k], k))
    kept, rest = unknown[:MAX_KIND_LAYERS], unknown[MAX_KIND_LAYERS:]
    colors: dict[str, str] = {}
    taken = {spec.color for spec in LAYERS}
    fixed = [k for k in kept if normalize_kind(k) in KIND_COLORS]
    # The hashed ones, in order of their ids: which kind keeps a contested
    # colour depends on the kinds present, never on their counts.
    for kind in fixed + sorted(k for k in kept if k not in fixed):
        colors[kind] = kind_color(kind, taken)
        taken.add(colors[kind])
    for kind in kept:
        label = (labels or {}).get(kind) or kind
        if label == kind and "_" in kind:  # an id (``technology_transfer``): make it a name
            label = kind.replace("_", " ").strip().capitalize()
        out[kind] = LayerSpec(f"kind:{kind}", label, colors[kind], (kind,), "circle",
                              f"Events of kind '{label}'")  # fmt: skip
    for kind in rest:
        out[kind] = BY_KEY["other"]
    return out


#: A point symbol's placement (:data:`maps.contract.Placed`) from the frame's
#: ``place_precision``: at the place, near it, or at the centre of an area.
_PLACED = {"point": "exact", "near": "near", "admin2": "region", "admin1": "region",
           "country": "region", "area": "region"}  # fmt: skip
#: The code of each placement in a compact layer's ``placed`` column.
PLACED_CODES = {"exact": 0, "near": 1, "region": 2}


def placed(precision: object) -> str:
    """How a point symbol shows an event placed with ``precision``.

    >>> placed("point"), placed("near"), placed("admin1"), placed(None)
    ('exact', 'near', 'region', 'exact')
    """
    return _PLACED.get(precision, "exact") if isinstance(precision, str) else "exact"


#: What the legend says of each placement.
PLACED_LABELS = {
    "exact": "Filled: at the place",
    "near": "Light fill: near the place (within about 25 km)",
    "region": "Hollow dotted ring: at the centre of a district, region or country; "
    "the exact place is not known",
}


@dataclass(frozen=True)
class SizeScale:
    """Square-root scale from a figure to pixels, with a floor and a ceiling."""

    vmax: float
    smin: float
    smax: float

    def sizes(self, values: np.ndarray) -> np.ndarray:
        """The scale over an array (NaN or ≤ 0: the floor), as ``__call__`` per value."""
        v = np.asarray(values, dtype=float)
        if self.vmax <= 0:
            return np.full(v.shape, self.smin)
        share = np.sqrt(np.clip(np.nan_to_num(v, nan=0.0), 0, self.vmax) / self.vmax)
        return np.round(self.smin + (self.smax - self.smin) * share, 2)

    def __call__(self, value: float | None) -> float:
        if value is None or self.vmax <= 0 or value <= 0:
            return self.smin
        return round(
            self.smin + (self.smax - self.smin) * math.sqrt(min(value, self.vmax) / self.vmax), 2
        )

    def legend_values(self, vmin: float) -> list[float]:
        """Two or three round figures spanning the data, largest first.

        The largest is never above the data's maximum: a legend must not show
        a symbol bigger than anything on the map.
        """
        out: list[float] = []
        for i, v in enumerate((self.vmax, self.vmax / 4, self.vmax / 16)):
            r = _nice_floor(v) if i == 0 else _nice_nearest(v)
            if r >= vmin * 0.5 and r not in out and (not out or r < out[-1]):
                out.append(r)
        return out or [_nice_floor(self.vmax)]


_STEPS = (1, 2, 5)


def _nice_candidates(v: float) -> list[float]:
    mag = 10 ** math.floor(math.log10(v))
    return [s * m for m in (mag / 10, mag, mag * 10) for s in _STEPS]


def _nice_floor(v: float) -> float:
    """The largest of 1, 2, 5 × 10^k not above v."""
    if v <= 0:
        return 0.0
    return float(max(c for c in _nice_candidates(v) if c <= v))


def _nice_nearest(v: float) -> float:
    """The 1, 2, 5 × 10^k closest to v on a log scale."""
    if v <= 0:
        return 0.0
    return float(min(_nice_candidates(v), key=lambda c: abs(math.log(c / v))))
