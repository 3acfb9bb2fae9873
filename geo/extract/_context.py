"""Resolution in context: the places of one document pull each other.

Each name first gets its candidates from the gazetteer (best first, with the
gazetteer's scores). Then the document votes: the countries it names, the
nationalities it mentions (``soldats nord-coréens``) and the places it names
unambiguously each give their country a vote. A candidate in a country the
rest of the document votes for gains :data:`COUNTRY_BONUS`; one near a
confidently placed other name gains up to :data:`NEAR_BONUS`. So ``Odessa``
beside ``Kherson`` and ``Kiev`` is in Ukraine, not Texas, and ``Moscow`` beside
``Pyongyang`` stays in Russia. One name keeps one reading in a document.

Small places need that support: a village-sized candidate (gazetteer score
under :data:`MIN_ALONE`), or a short name (four letters or fewer) that is not a
big city, is only kept when the document's countries include its own.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable

import numpy as np

from geo.extract._lexicon import Lexicon
from geo.extract._model import DemonymMention, Mention
from geo.extract._recognize import DEMONYM, Span
from geo.gazetteer.core import Gazetteer
from geo.gazetteer.index import haversine_km as _haversine_km
from geo.model import Place

COUNTRY_BONUS = 2.0
NEAR_BONUS = 2.0
NEAR_KM = 500.0
#: Beyond this distance from every other place, a country vote counts half.
FAR_KM = 1500.0
#: Score under which a place must be supported by the document's countries.
MIN_ALONE = 4.0
#: Short names (<= 4 letters) need support unless their score reaches this.
MIN_SHORT = 6.0
#: An everyday word (``geo/data/extract/common_words.txt``) is a place only if it
#: names a country or scores this much (a city of about 100,000, canonical name).
MIN_COMMON = 6.5
#: A reading this far ahead of every reading in another country is unambiguous.
CLEAR_MARGIN = 1.0


class Resolver:
    """Resolve the spans of one document; candidates are cached across documents."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon, *, k: int = 8):
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        self.k = k
        self._cache: dict[str, list[Place]] = {}

    def candidates(self, query: str) -> list[Place]:
        found = self._cache.get(query)
        if found is None:
            found = self.gazetteer.candidates(query, k=self.k)
            self._cache[query] = found
        return found

    def resolve(
        self, spans: list[Span], text: str, sentence_of: Callable[[int], int]
    ) -> tuple[list[Mention], list[DemonymMention], list[str]]:
        """Mentions, demonyms and the document's countries (most voted first)."""
        demonyms = [
            DemonymMention(text[s.start : s.end], s.start, s.end, s.country, sentence_of(s.start))
            for s in spans
            if s.kind == DEMONYM
        ]
        items: list[tuple[Span, list[Place]]] = []
        for s in spans:
            if s.kind == DEMONYM:
                continue
            found = self._readings(s, text)
            if found:
                items.append((s, found))

        votes: Counter = Counter(d.country for d in demonyms)
        by_query: dict[str, Counter] = {}
        # One anchor per distinct (query, place): a name said a hundred times is
        # still one point to measure distances from, not a hundred.
        anchors: dict[tuple[str, str], tuple[str, Place]] = {}
        for s, found in items:
            country = _clear_country(found)
            if country:
                votes[country] += 1
                by_query.setdefault(s.query, Counter())[country] += 1
                if found[0].kind != "country":
                    anchors.setdefault((s.query, found[0].id), (s.query, found[0]))

        # Two passes: the second lets every place read in the first pull the others
        # (Khasan, placed by its country, then places the Tumen beside it).
        chosen = self._choose(items, votes, by_query, list(anchors.values()))
        settled = [(q, place) for q, (place, _, _) in chosen.items() if place.kind != "country"]
        chosen = self._choose(items, votes, by_query, settled)

        mentions = []
        for s, _found in items:
            place, score, support = chosen[s.query]
            if not support and place.kind in ("city", "place"):
                if place.score < MIN_ALONE:
                    continue
                if len(s.key) <= 4 and not s.acronym and place.score < MIN_SHORT:
                    continue
            mentions.append(
                Mention(
                    text=text[s.start : s.end],
                    start=s.start,
                    end=s.end,
                    place=place,
                    score=round(score, 3),
                    sentence=sentence_of(s.start),
                    query=s.query,
                )
            )
        mentions = self._qualified(mentions, text)
        return mentions, demonyms, ranked_countries(demonyms, mentions)

    @staticmethod
    def _choose(items, votes: Counter, by_query: dict, anchors: list) -> dict:
        """The best reading of each distinct query, with its score and whether it had support."""
        chosen: dict[str, tuple[Place, float, bool]] = {}
        for s, found in items:
            if s.query in chosen:
                continue
            own = by_query.get(s.query, Counter())
            best = None
            others = [p for q, p in anchors if q != s.query]
            # Distance from each reading to its nearest other place, in one array op.
            nearest = (
                _haversine_km(
                    np.array([p.lat for p in found])[:, None],
                    np.array([p.lon for p in found])[:, None],
                    np.array([p.lat for p in others]),
                    np.array([p.lon for p in others]),
                ).min(axis=1)
                if others and found
                else None
            )
            for j, place in enumerate(found):
                support = votes[place.country] - own[place.country] > 0
                near = None if nearest is None else float(nearest[j])
                bonus = 0.0
                if support:
                    # A country is weak evidence for a place far from all the others
                    # (Tyumen, 3,700 km from the Khasan and Khabarovsk of the text).
                    far = near is not None and place.kind != "country" and near > FAR_KM
                    bonus = COUNTRY_BONUS / 2 if far else COUNTRY_BONUS
                if near is not None and place.kind != "country" and near <= NEAR_KM:
                    bonus += NEAR_BONUS * (1.0 - near / NEAR_KM)
                score = place.score + bonus
                if best is None or score > best[1]:
                    best = (place, score, support)
            chosen[s.query] = best
        return chosen

    def _readings(self, s: Span, text: str) -> list[Place]:
        """Candidates of a span; a region phrase the gazetteer does not know shrinks to its name."""
        if s.region:
            found = [p for p in self.candidates(s.query) if p.kind == "region"]
            if found:
                return found
            s.start, s.end = s.stem
            s.query, s.region = text[s.start : s.end], False
        found = self.candidates(s.query)
        if not found:
            return []
        top = found[0]
        if s.key in self.lexicon.common_words and not s.acronym:
            if top.kind != "country" and top.score < MIN_COMMON:
                return []
        return found

    def _qualified(self, mentions: list[Mention], text: str) -> list[Mention]:
        """Merge ``Moscow, Idaho`` into one mention placed by the qualifier."""
        out: list[Mention] = []
        i = 0
        while i < len(mentions):
            m = mentions[i]
            if i + 1 < len(mentions):
                n = mentions[i + 1]
                gap = text[m.end : n.start]
                if (
                    gap in (", ", ",\u00a0", " (")
                    and m.place.kind in ("city", "place")
                    and n.place.kind in ("region", "country")
                    and m.place.country != n.place.country
                ):
                    end = n.end + (1 if gap == " (" and text[n.end : n.end + 1] == ")" else 0)
                    query = f"{m.text}, {n.text}"
                    found = self.candidates(query)
                    if found and found[0].country == n.place.country:
                        out.append(
                            Mention(
                                text=text[m.start : end],
                                start=m.start,
                                end=end,
                                place=found[0],
                                score=round(found[0].score, 3),
                                sentence=m.sentence,
                                query=query,
                            )
                        )
                        i += 2
                        continue
            out.append(m)
            i += 1
        return out


def ranked_countries(demonyms: list[DemonymMention], mentions: list[Mention]) -> list[str]:
    """The countries of a document's demonyms and places, most named first."""
    countries = Counter(d.country for d in demonyms)
    countries.update(m.place.country for m in mentions if m.place.country)
    return [c for c, _ in sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))]


def _clear_country(found: list[Place]) -> str | None:
    """The country of the top reading when no reading elsewhere comes close."""
    top = found[0]
    if not top.country:
        return None
    if top.kind == "country":
        return top.country
    others = [p.score for p in found[1:] if p.country != top.country]
    if not others or top.score - max(others) >= CLEAR_MARGIN:
        return top.country
    return None


def sentence_index(starts: list[int]) -> Callable[[int], int]:
    """A function from a text offset to the index of the sentence holding it."""

    def of(offset: int) -> int:
        return max(0, bisect.bisect_right(starts, offset) - 1)

    return of
