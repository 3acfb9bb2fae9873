"""How a query is tried: the steps of :class:`~geo.gazetteer.index.NameIndex`'s search.

The planner only reads the text of a query (:mod:`geo.gazetteer.query`); what
a qualifier may name, it asks the index through the callables it is given.

A plain name is one step. A region pattern (``"région de X"``) first looks at
regions only. A qualifier (``"Moscow, Idaho"``) restricts to each of its
readings in turn (``"ID"``: Indonesia, then Idaho), then tries the whole text,
then the name alone, ranked lower. When every step found nothing come the
fallbacks: the name without a leading article (``"la Russie"``), then its
transliteration variants (:func:`geo.gazetteer.normalize.transliteration_variants`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from geo.gazetteer.normalize import transliteration_variants
from geo.gazetteer.query import ParsedQuery, parse_query

__all__ = ["Step", "Planner", "Within", "FALLBACK_PENALTY"]

FALLBACK_PENALTY = -1.0

#: A reading of a qualifier: ``(country code, admin-1 id or -1)``.
Within = tuple[int, int]


@dataclass(frozen=True)
class Step:
    """One attempt at a query: which keys to look up and how to restrict them."""

    keys: tuple[str, ...]
    regions_only: bool = False
    designation: str | None = None
    within: Within | None = None
    penalty: float = 0.0
    note: str = ""


class Planner:
    """The steps that try a query, in order.

    Parameters
    ----------
    readings : callable
        ``readings(qualifier) -> [Within, ...]``: what a qualifier (``"Idaho"``,
        ``"ID"``) may name, best first (:meth:`~geo.gazetteer.index.NameIndex.readings`).
    describe : callable
        ``describe(within) -> "Idaho, US"``: a reading in words, for the note of
        its steps (:meth:`~geo.gazetteer.index.NameIndex.describe`).
    """

    def __init__(self, readings: Callable[[str], list[Within]], describe: Callable[[Within], str]):
        self.readings = readings
        self.describe = describe

    def plan(self, query: str) -> list[Step]:
        """The steps that try ``query``, in order; the first that finds anything wins."""
        q = parse_query(query)
        steps: list[Step] = []
        if q.qualifier is not None:
            # "Moscow, ID": each reading of the qualifier in turn (Indonesia, then Idaho).
            for within in self.readings(q.qualifier):
                steps += self._name_steps(q, within=within)
            # Not a qualifier after all ("Korea, North")? Try the whole text,
            # then the name alone, ranked lower.
            whole = parse_query(query, split_qualifier=False)
            steps += self._name_steps(whole)
            steps += self._name_steps(q, penalty=FALLBACK_PENALTY, note="name without qualifier")
        else:
            steps += self._name_steps(q)
        return steps

    def fallback_steps(self, query: str) -> list[Step]:
        """What to try when :meth:`plan` found nothing: the name without a leading
        article ("la Russie"), then transliteration variants, ranked lower."""
        q = parse_query(query)
        steps: list[Step] = []
        if q.qualifier is None and (bare := q.without_article()) is not None:
            steps += self._name_steps(bare, note="without its article")
        variants = transliteration_variants(q.key)
        stem_variants = transliteration_variants(q.stem) if q.stem else []
        if stem_variants:
            steps.append(
                Step(
                    tuple(stem_variants),
                    regions_only=True,
                    designation=q.designation,
                    penalty=FALLBACK_PENALTY,
                    note="transliteration variant",
                )
            )
        if variants:
            steps.append(
                Step(tuple(variants), penalty=FALLBACK_PENALTY, note="transliteration variant")
            )
        return steps

    def _name_steps(
        self,
        q: ParsedQuery,
        *,
        within: Within | None = None,
        penalty: float = 0.0,
        note: str = "",
    ) -> list[Step]:
        if within is not None:
            note = note or f"qualifier {q.qualifier!r} read as {self.describe(within)}"
        steps = []
        if q.stem:
            # A region pattern looks at regions only, if any matches.
            steps.append(
                Step(
                    (q.key, q.stem),
                    regions_only=True,
                    designation=q.designation,
                    within=within,
                    penalty=penalty,
                    note=note or "region pattern",
                )
            )
        keys = (q.key, q.acronym) if q.acronym else (q.key,)
        steps.append(Step(keys, within=within, penalty=penalty, note=note))
        return steps
