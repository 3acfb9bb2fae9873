"""What extraction finds in a document: place mentions, demonyms, figures, dates."""

from __future__ import annotations

from dataclasses import dataclass, field

from geo.extract._text import Sentence
from geo.model import Place

__all__ = ["Mention", "DemonymMention", "Figure", "DateMention", "Extraction"]


@dataclass(frozen=True)
class Mention:
    """A place named in a document, resolved in the context of the whole document.

    ``start``/``end`` are character offsets into the document's decoded text and
    ``text`` is ``text[start:end]`` exactly as written (``"région de Koursk"``).
    ``score`` is the gazetteer's score plus what the document's other places
    added to it.
    """

    text: str
    start: int
    end: int
    place: Place
    score: float
    sentence: int
    query: str


@dataclass(frozen=True)
class DemonymMention:
    """A demonym or adjective of nationality and its country (``nord-coréens`` → KP)."""

    text: str
    start: int
    end: int
    country: str
    sentence: int


@dataclass(frozen=True)
class Figure:
    """A number with its unit and hedge, as the text gives it.

    ``value`` is a count (``6000``) or a share (``0.33`` for "un tiers");
    ``qualifier`` is one of :data:`geo.schema.QUALIFIERS` or ``None``; ``note``
    keeps a further hedge (``"potentially"``). ``text`` is the wording with its
    hedge: ``"environ 6 000 militaires"``.
    """

    text: str
    start: int
    end: int
    value: float
    unit: str
    qualifier: str | None = None
    note: str | None = None
    low: float | None = None
    high: float | None = None
    sentence: int = -1

    def as_quantity(self) -> dict:
        """The figure as a ``quantities`` entry of the event schema."""
        out: dict = {"value": _number(self.value), "unit": self.unit}
        if self.qualifier:
            out["qualifier"] = self.qualifier
        if self.low is not None:
            out["low"] = _number(self.low)
        if self.high is not None:
            out["high"] = _number(self.high)
        out["text"] = self.text
        if self.note:
            out["note"] = self.note
        return out


def _number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else round(v, 4)


@dataclass(frozen=True)
class DateMention:
    """A date in the text (``"en juin 2025"``) and its ISO value (``"2025-06"``)."""

    text: str
    start: int
    end: int
    value: str
    precision: str  # "day" | "month" | "year"
    sentence: int = -1


@dataclass(frozen=True)
class Extraction:
    """Everything found in one document, in document order."""

    doc: str
    text: str
    lang: str
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...] = ()
    demonyms: tuple[DemonymMention, ...] = ()
    figures: tuple[Figure, ...] = ()
    dates: tuple[DateMention, ...] = ()
    countries: tuple[str, ...] = field(default=())

    def in_sentence(self, index: int) -> dict:
        """Mentions, demonyms, figures and dates of one sentence."""
        return {
            "mentions": [m for m in self.mentions if m.sentence == index],
            "demonyms": [d for d in self.demonyms if d.sentence == index],
            "figures": [f for f in self.figures if f.sentence == index],
            "dates": [d for d in self.dates if d.sentence == index],
        }
