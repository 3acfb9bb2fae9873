"""How each kind of event looks: its layer, colour and symbol scale.

Colours are from the Okabe–Ito palette (readable with the common forms of
colour blindness), one per layer. Sizes follow cartographic practice:
proportional circles scale their *area* with the figure (radius ∝ √value), and
flow widths scale the same way, so that 13,000 troops do not drown 1,500.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["LayerSpec", "LAYERS", "layer_for_kind", "SizeScale"]


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
BY_KEY = {spec.key: spec for spec in LAYERS}

#: Kinds whose region places are drawn on the front layer.
FRONT_KINDS = frozenset({"deployment", "casualties", "combat", "statement"})


def layer_for_kind(kind: str) -> LayerSpec:
    """The layer a known event kind is drawn on (unknown kinds: 'Other events')."""
    return _BY_KIND.get(kind, BY_KEY["other"])


#: Colours for kinds eventmap does not know (e.g. ACLED's event types): Tableau 10
#: without the hues already taken above.
_EXTRA_COLORS = ("#4E79A7", "#F28E2B", "#E15759", "#59A14F", "#B07AA1", "#9C755F",
                 "#76B7B2", "#EDC948", "#FF9DA7", "#BAB0AC")  # fmt: skip


def specs_for_kinds(
    counts: dict[str, int], labels: dict[str, str] | None = None
) -> dict[str, LayerSpec]:
    """The layer of every kind in the data.

    Known kinds keep their layer. Unknown kinds (an ACLED export's "Battles",
    "Explosions/Remote violence", ...) get a layer each, most frequent first,
    so that data from elsewhere is as readable as the curated kinds; beyond
    ten of them the rest share 'Other events'. A layer is named as the data
    spells its kind (``labels``: kind id → spelling), or from the id itself.
    """
    out = {k: _BY_KIND[k] for k in counts if k in _BY_KIND}
    unknown = sorted((k for k in counts if k not in _BY_KIND), key=lambda k: (-counts[k], k))
    for i, kind in enumerate(unknown):
        if i >= len(_EXTRA_COLORS):
            out[kind] = BY_KEY["other"]
            continue
        label = (labels or {}).get(kind) or kind
        if label == kind:  # an id (``technology_transfer``): make it a name
            label = kind.replace("_", " ").strip().capitalize()
        out[kind] = LayerSpec(f"kind:{kind}", label, _EXTRA_COLORS[i], (kind,), "circle",
                              f"Events of kind '{kind}'")  # fmt: skip
    return out


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
