"""Why a place won: the parts of each candidate's score, in words.

:meth:`geo.Gazetteer.explain` returns an :class:`Explanation`;
``eventmap geocode --explain`` prints it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from geo.gazetteer.index import HINT_BONUS, PARTS

if TYPE_CHECKING:  # pragma: no cover
    from geo.model import Place

__all__ = ["Candidate", "Explanation", "ambiguous", "AMBIGUITY_MARGIN"]

#: Two answers are ambiguous when the runner-up is this close: a country hint
#: for the runner-up's country would overturn the answer.
AMBIGUITY_MARGIN = HINT_BONUS
_OFFLINE_ID = re.compile(r"^(geonames|ne|iso|curated):")


def ambiguous(candidates: list[Place], margin: float = AMBIGUITY_MARGIN) -> bool:
    """Whether the runner-up scores within ``margin`` of the winner.

    The default margin is the country hint's bonus: a hint for the
    runner-up's country would overturn the answer ("Georgia": the country
    9.5, the US state 6.5). Only the offline gazetteer's scores are on that
    scale: an online provider's answers are never called ambiguous here.
    """
    if len(candidates) < 2 or not _OFFLINE_ID.match(candidates[0].id):
        return False
    return candidates[0].score - candidates[1].score < margin


@dataclass(frozen=True)
class Candidate:
    """A candidate place and the parts of its score."""

    place: Place
    parts: dict[str, float]
    matched: str = ""  # the key and how it names the place
    note: str = ""  # the step that found it ("region pattern", "transliteration variant"...)

    def describe(self) -> str:
        """``kind +8 (country), name +1.5 ('georgia': canonical name)``."""
        out = []
        order = {p: i for i, p in enumerate(PARTS)}
        for part, value in sorted(self.parts.items(), key=lambda kv: order.get(kv[0], -1)):
            detail = ""
            if part == "kind":
                detail = f" ({self.place.kind})"
            elif part == "name" and self.matched:
                detail = f" ({self.matched})"
            elif part == "fallback" and self.note:
                detail = f" ({self.note})"
            out.append(f"{part} {value:+.2f}{detail}")
        if self.matched and "name" not in self.parts:
            out.append(f"matched {self.matched}")
        if self.note and "fallback" not in self.parts:
            out.append(f"found by {self.note}")
        return ", ".join(out)


@dataclass(frozen=True)
class Explanation:
    """Every candidate for a query, best first, with the parts of its score."""

    query: str
    candidates: tuple[Candidate, ...]
    country_hint: str | None = None
    bias: tuple[float, float, float, float] | None = None
    context: tuple[str, ...] = field(default_factory=tuple)

    @property
    def winner(self) -> Place | None:
        return self.candidates[0].place if self.candidates else None

    @property
    def ambiguous(self) -> bool:
        return ambiguous([c.place for c in self.candidates])

    def __str__(self) -> str:
        if not self.candidates:
            if self.country_hint:
                return (
                    f"{self.query!r}: no place of that name in {self.country_hint}, nor a "
                    "transliteration variant (the country hint is a filter)"
                )
            return f"{self.query!r}: no place of that name (nor a transliteration variant)"
        lines = []
        given = []
        if self.country_hint:
            given.append(f"country hint {self.country_hint}")
        if self.bias:
            given.append("bias box " + ",".join(f"{v:g}" for v in self.bias))
        if self.context:
            given.append("context " + ", ".join(self.context))
        win = self.candidates[0]
        lines.append(
            f"{self.query!r} → {_label(win.place)}, score {win.place.score:.2f}"
            + (f" (given {'; '.join(given)})" if given else "")
        )
        lines.append(f"  why: {win.describe()}")
        for c in self.candidates[1:]:
            gap = win.place.score - c.place.score
            lines.append(
                f"  beat {_label(c.place)}, score {c.place.score:.2f} ({gap:.2f} behind): "
                f"{c.describe()}"
            )
        if self.ambiguous:
            lines.append(
                f"  ambiguous: the runner-up is within {AMBIGUITY_MARGIN:g}; a country hint, "
                "a bias box or context places would settle it"
            )
        return "\n".join(lines)


def _label(p: Place) -> str:
    where = f" {p.country}" if p.country else ""
    return f"{p.name} ({p.kind}{where}, {p.id})"
