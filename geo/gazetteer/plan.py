"""How a query is tried: the steps of :class:`~geo.gazetteer.index.NameIndex`'s search.

The planner only reads the text of a query (:mod:`geo.gazetteer.query`); what
a qualifier may name, it asks the index through the callables it is given.

A plain name is one step. A region pattern (``"région de X"``) first looks at
regions only. A qualifier (``"Moscow, Idaho"``) restricts to each of its
readings in turn (``"ID"``: Indonesia, then Idaho), then the whole text is
tried as one name (``"Virgin Islands, U.S."``), then the two parts the other
way round (``"Korea, North"``: ``"North Korea"``). A qualifier that names a
country, or a region of one, is a constraint: the name alone is then tried only
in the countries it may name, ranked lower (``"Moscow, Idaho"`` may be another
Moscow in the US, never the Russian one), and ``"Koria, Burkina Faso"`` finds
nothing rather than Korla, China. A qualifier that names nothing
(``"Paris, Frnace"``) does not restrict the name alone. When every step found
nothing come the fallbacks: the name without a leading article (``"la
Russie"``), then its transliteration variants
(:func:`geo.gazetteer.normalize.transliteration_variants`), in the qualifier's
readings only when it has some.
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
        if q.qualifier is None:
            return self._name_steps(q)
        steps: list[Step] = []
        readings = self.readings(q.qualifier)
        # "Moscow, ID": each reading of the qualifier in turn (Indonesia, then Idaho).
        for within in readings:
            steps += self._name_steps(q, within=within)
        # Not a qualifier after all? The whole text as one name ("Virgin Islands,
        # U.S."), then turned round ("Korea, North": "North Korea"). Exact names
        # only, so not restricted.
        whole = parse_query(query, split_qualifier=False)
        steps += self._name_steps(whole)
        turned = parse_query(f"{q.qualifier} {q.text}", split_qualifier=False)
        if turned.key != whole.key:
            steps += self._name_steps(turned, note="the qualifier put first")
        # Then the name alone, ranked lower: in the countries the qualifier may
        # name (the countries of its region readings; a country reading was tried
        # above), or anywhere when it names nothing.
        for within in self._alone(readings):
            steps += self._name_steps(
                q, within=within, penalty=FALLBACK_PENALTY, note="name without qualifier"
            )
        return steps

    def _alone(self, readings: list[Within]) -> list[Within | None]:
        """Where the name alone of a qualified query may be looked for."""
        if not readings:
            return [None]
        countries = dict.fromkeys(c for c, _ in readings)
        return [(c, -1) for c in countries if (c, -1) not in readings]

    def fallback_steps(self, query: str) -> list[Step]:
        """What to try when :meth:`plan` found nothing: the name without a leading
        article ("la Russie"), then transliteration variants, ranked lower; for a
        qualified query, in the qualifier's readings only (if it has any)."""
        q = parse_query(query)
        steps: list[Step] = []
        if q.qualifier is None and (bare := q.without_article()) is not None:
            steps += self._name_steps(bare, note="without its article")
        variants = transliteration_variants(q.key)
        stem_variants = transliteration_variants(q.stem) if q.stem else []
        if q.qualifier is None:
            places: list[Within | None] = [None]
        else:
            readings = self.readings(q.qualifier)
            places = [*readings, *self._alone(readings)] if readings else [None]
        for within in places:
            note = "transliteration variant"
            if within is not None:
                note += f", in {self.describe(within)}"
            if stem_variants:
                steps.append(
                    Step(
                        tuple(stem_variants),
                        regions_only=True,
                        designation=q.designation,
                        within=within,
                        penalty=FALLBACK_PENALTY,
                        note=note,
                    )
                )
            if variants:
                steps.append(
                    Step(tuple(variants), within=within, penalty=FALLBACK_PENALTY, note=note)
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
