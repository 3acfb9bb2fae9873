"""How a query is tried: the steps of :class:`~geo.gazetteer.index.NameIndex`'s search.

A plain name is one step. A region pattern (``"région de X"``) first looks at
regions only. A qualifier (``"Moscow, Idaho"``) restricts to each of its
readings in turn (``"ID"``: Indonesia, then Idaho), then tries the whole text,
then the name alone, ranked lower. When every step found nothing come the
fallbacks: the name without a leading article (``"la Russie"``), then its
transliteration variants (:func:`geo.gazetteer.normalize.transliteration_variants`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geo.gazetteer.files import KIND_COUNTRY, KIND_REGION
from geo.gazetteer.normalize import transliteration_variants
from geo.gazetteer.query import ParsedQuery, parse_query

__all__ = ["Step", "Planner", "FALLBACK_PENALTY"]

FALLBACK_PENALTY = -1.0


@dataclass(frozen=True)
class Step:
    """One attempt at a query: which keys to look up and how to restrict them."""

    keys: tuple[str, ...]
    regions_only: bool = False
    designation: str | None = None
    within: tuple[int, int] | None = None  # (country code, admin-1 id or -1)
    penalty: float = 0.0
    note: str = ""


class Planner:
    """The planning half of :class:`~geo.gazetteer.index.NameIndex` (a mixin: it uses the
    index's ``tables``, ``_hits``, ``_base``, ``_gather`` and ``_attr``)."""

    def plan(self, query: str) -> list[Step]:
        """The steps that try ``query``, in order; the first that finds anything wins."""
        q = parse_query(query)
        steps: list[Step] = []
        if q.qualifier is not None:
            # "Moscow, ID": each reading of the qualifier in turn (Indonesia, then Idaho).
            for within in self._within(q.qualifier):
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
        within: tuple[int, int] | None = None,
        penalty: float = 0.0,
        note: str = "",
    ) -> list[Step]:
        if within is not None:
            where = self.tables.codes[within[0]]
            if within[1] >= 0 and (row := self._region_of_admin1.get(within[1])) is not None:
                where = f"{self.tables.region_name[row]}, {where}"
            note = note or f"qualifier {q.qualifier!r} read as {where}"
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

    def _within(self, qualifier: str) -> list[tuple[int, int]]:
        """Readings of a qualifier as ``(country code, admin-1 id or -1)``, best first.

        ``"Idaho"`` gives ``[(US, US.ID)]``; ``"ID"`` gives Indonesia, then Idaho.
        Qualifiers repeat ("…, Russia"), so readings are kept.
        """
        seen = self.__dict__.setdefault("_within_seen", {})
        found = seen.get(qualifier)
        if found is None:
            found = seen[qualifier] = self._readings(qualifier)
        return found

    def _readings(self, qualifier: str) -> list[tuple[int, int]]:
        q = parse_query(qualifier, split_qualifier=False)
        kind, row, quality, _ = self._hits([k for k in (q.key, q.acronym, q.stem) if k])
        keep = (kind == KIND_COUNTRY) | (kind == KIND_REGION)
        kind, row, quality = kind[keep], row[keep], quality[keep]
        if not len(kind):
            return []
        score = self._plain_score(kind, row, quality)
        country, admin1 = self._gather(self._attr, kind, row)
        out: list[tuple[int, int]] = []
        for i in np.lexsort((row, kind, -score)):
            option = (int(country[i]), int(admin1[i]) if kind[i] == KIND_REGION else -1)
            if option[0] >= 0 and option not in out:
                out.append(option)
        return out
