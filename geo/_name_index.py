"""Search and ranking over the gazetteer's name index.

Matches are exact on normalized names. Every match gets a score in "log10
population" units:

* base: a country 8 (a city of 100 million), a region 5, a GeoNames place
  ``log10(population + 1)`` capped at 7.4 (so a country beats a city of the
  same name), a curated place 5.5;
* kind of match: an alias +2, the canonical name +1.5, another name 0, a
  derived form (a region name without its designation) -0.5;
* a ``country_hint`` adds 3 to places in that country;
* a region pattern (``"région de X"``, ``"X Oblast"``) only looks at regions
  and adds 2 when the region's type fits the designation (Moscow Oblast, not
  the federal city, for ``"Moscow region"``);
* a bare name that is both a region and a city of 20,000 people or more in
  that region (Kursk, Rason, Seoul) gives the city: the region is put 0.5
  below it.

Results are ``(kind, row, score)`` triples; :mod:`geo.gazetteer` turns them
into :class:`~geo.gazetteer.Place` objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from ._gazetteer_data import (
    ALIAS,
    ALTERNATE,
    CANONICAL,
    KIND_CITY,
    KIND_COUNTRY,
    KIND_CURATED,
    KIND_REGION,
    Alias,
    CuratedPlace,
    Tables,
    name_keys,
)
from ._place_query import ParsedQuery, parse_query, type_matches
from .errors import InputError

KINDS = ("country", "region", "city", "place")
_BASE = {KIND_COUNTRY: 8.0, KIND_REGION: 5.0, KIND_CURATED: 5.5}
_CITY_CAP = 7.4
# Indexed by quality code: CANONICAL 0, ALTERNATE 1, DERIVED 2, and ALIAS -1
# (the last element).
_QUALITY_BONUS = np.array([1.5, 0.0, -0.5, 2.0])
assert _QUALITY_BONUS[ALIAS] == 2.0
_HINT_BONUS = 3.0
_TYPE_BONUS = 2.0
_NAMESAKE_MIN_POPULATION = 20_000
_ID = re.compile(r"^(geonames|ne|iso|curated):(\S+)$")

Match = tuple[int, int, float]  # kind, row, score


class NameIndex:
    """The sorted name index of the built tables plus the hand-written names."""

    def __init__(self, tables: Tables, curated: list[CuratedPlace], aliases: Iterable[Alias]):
        self.tables = tables
        self.curated = list(curated)
        regions, countries, places = tables.regions, tables.countries, tables.places
        self._region_id = regions["id"].to_numpy(zero_copy_only=False)
        self._region_iso2 = regions["iso2"].to_numpy(zero_copy_only=False)
        # GeoNames admin1 code of each region ("RU.41" → "41"): the join key
        # between Natural Earth regions and GeoNames places.
        a1 = [(c or "").partition(".")[2] or None for c in regions["gn_a1_code"].to_pylist()]
        self._region_admin1 = np.array(a1, dtype=object)
        self._region_types = list(
            zip(regions["type"].to_pylist(), regions["type_en"].to_pylist(), strict=True)
        )
        self._country_iso2 = countries["iso2"].to_numpy(zero_copy_only=False)
        codes = places["country"].dictionary_encode().combine_chunks()
        self._place_country = np.asarray(codes.dictionary.to_pylist(), dtype=object)[
            codes.indices.to_numpy()
        ]
        self._place_ids = places["geonameid"].to_numpy()
        self._rows = {
            "iso": {c: i for i, c in enumerate(self._country_iso2)},
            "ne": {c: i for i, c in enumerate(self._region_id)},
            "curated": {c.id: i for i, c in enumerate(self.curated)},
        }
        # Hand-written names live in a small dict next to the big sorted
        # index: key → [(kind, row, quality)].
        self._extra: dict[str, list[tuple[int, int, int]]] = {}
        for row, c in enumerate(self.curated):
            for i, name in enumerate((c.name, *c.alternate_names)):
                for key in name_keys(name):
                    entry = (KIND_CURATED, row, CANONICAL if i == 0 else ALTERNATE)
                    self._extra.setdefault(key, []).append(entry)
        for alias in aliases:
            target = self.resolve_id(alias.target)
            if target is None:
                raise InputError(
                    f"unknown place id {alias.target!r}",
                    record=f"alias {alias.name!r}",
                    field="target",
                )
            for key in name_keys(alias.name):
                self._extra.setdefault(key, []).append((*target, ALIAS))

    # ------------------------------------------------------------------ ids

    def resolve_id(self, pid: str) -> tuple[int, int] | None:
        """``(kind, row)`` of a place id such as ``ne:RU-KRS``, or ``None``."""
        m = _ID.match(pid.strip())
        if not m:
            return None
        prefix, value = m.groups()
        if prefix == "geonames":
            if not value.isdigit():
                return None
            row = int(np.searchsorted(self._place_ids, int(value)))
            ok = row < len(self._place_ids) and self._place_ids[row] == int(value)
            return (KIND_CITY, row) if ok else None
        kind = {"iso": KIND_COUNTRY, "ne": KIND_REGION, "curated": KIND_CURATED}[prefix]
        row = self._rows[prefix].get(pid.strip() if prefix == "ne" else value)
        return None if row is None else (kind, row)

    def kind_name(self, kind: int, row: int) -> str:
        """The :attr:`Place.kind` of an entity."""
        return self.curated[row].kind if kind == KIND_CURATED else KINDS[kind]

    def country_code(self, hint: str) -> str | None:
        """ISO2 code for a country hint given as a code or a name; ``None`` if unknown."""
        code = hint.strip().upper()
        if code in self._rows["iso"]:
            return code
        options = [c for c, a in self._within(hint) if a is None]
        return options[0] if options else None

    def all_keys(self) -> np.ndarray:
        """Every normalized name in the index (sorted, unique), curated and aliases included."""
        keys = np.unique(self.tables.keys)
        extra = np.array(sorted(self._extra), dtype=object)
        return np.union1d(keys, extra) if len(extra) else keys

    # ------------------------------------------------------------------ matching

    def _hits(self, keys: Iterable[str | None]) -> np.ndarray:
        """``(kind, row, quality)`` rows of every entry under ``keys``."""
        t = self.tables
        parts = []
        for key in keys:
            if not key:
                continue
            lo = int(np.searchsorted(t.keys, key, side="left"))
            hi = int(np.searchsorted(t.keys, key, side="right"))
            if hi > lo:
                parts.append(
                    np.column_stack([t.key_kind[lo:hi], t.key_row[lo:hi], t.key_quality[lo:hi]])
                )
            if key in self._extra:
                parts.append(np.array(self._extra[key]).reshape(-1, 3))
        if not parts:
            return np.empty((0, 3), dtype=np.int64)
        return np.concatenate(parts).astype(np.int64)

    def _score(self, hits: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Base scores, countries and admin1 codes of ``hits``."""
        kind, row, quality = hits.T
        city = kind == KIND_CITY
        score = np.array([_BASE.get(k, 0.0) for k in kind])
        score[city] = np.minimum(self.tables.place_importance[row[city]], _CITY_CAP)
        score += _QUALITY_BONUS[quality]
        country = np.empty(len(hits), dtype=object)
        admin1 = np.empty(len(hits), dtype=object)
        for k, lookup in (
            (KIND_COUNTRY, self._country_iso2),
            (KIND_REGION, self._region_iso2),
            (KIND_CITY, self._place_country),
        ):
            country[kind == k] = lookup[row[kind == k]]
        curated = kind == KIND_CURATED
        country[curated] = [self.curated[r].country for r in row[curated]]
        admin1[kind == KIND_REGION] = self._region_admin1[row[kind == KIND_REGION]]
        if city.any():
            admin1[city] = self.tables.places["admin1"].take(row[city]).to_pylist()
        return score, country, admin1

    def _prefer_namesake_cities(self, hits, score, country, admin1) -> None:
        """A region named like a sizeable city inside it yields to the city."""
        city = hits[:, 0] == KIND_CITY
        if not city.any():
            return
        importance = self.tables.place_importance[np.where(city, hits[:, 1], 0)]
        big = city & (importance >= np.log10(_NAMESAKE_MIN_POPULATION))
        for i in np.flatnonzero(hits[:, 0] == KIND_REGION):
            inside = big & (country == country[i]) & (admin1 == admin1[i])
            if admin1[i] is not None and inside.any():
                score[i] = min(score[i], score[inside].max() - 0.5)

    def rank(
        self,
        q: ParsedQuery,
        *,
        hint: str | None = None,
        kind: str | None = None,
        within: tuple[str, str | None] | None = None,
        k: int = 5,
        penalty: float = 0.0,
    ) -> list[Match]:
        """Best distinct entities for a parsed query.

        ``within`` is ``(country, admin1 or None)`` from a qualifier.
        """
        forced = False
        if q.stem:
            hits = self._hits([q.key, q.stem])
            hits = hits[hits[:, 0] == KIND_REGION]
            forced = len(hits) > 0
        if not forced:
            hits = self._hits([q.key, q.acronym])
        if len(hits) == 0:
            return []
        score, country, admin1 = self._score(hits)
        score += penalty
        keep = np.ones(len(hits), dtype=bool)
        if kind is not None:
            keep &= np.array([self.kind_name(h, r) == kind for h, r in hits[:, :2]])
        if within is not None:
            keep &= country == within[0]
            if within[1] is not None:
                # Curated places carry no admin1 code: the country must do.
                keep &= (admin1 == within[1]) | (hits[:, 0] == KIND_CURATED)
        if hint is not None:
            score += np.where(country == hint, _HINT_BONUS, 0.0)
        if forced and q.designation:
            fits = [type_matches(q.designation, *self._region_types[r]) for r in hits[:, 1]]
            score += np.where(fits, _TYPE_BONUS, 0.0)
        if not forced:
            self._prefer_namesake_cities(hits, score, country, admin1)
        out: list[Match] = []
        seen: set[tuple[int, int]] = set()
        for i in np.lexsort((hits[:, 1], hits[:, 0], -score)):
            entity = (int(hits[i, 0]), int(hits[i, 1]))
            if not keep[i] or entity in seen:
                continue
            seen.add(entity)
            out.append((*entity, round(float(score[i]), 3)))
            if len(out) == k:
                break
        return out

    def _within(self, qualifier: str) -> list[tuple[str, str | None]]:
        """Readings of a qualifier as ``(country, admin1 or None)``, best first.

        ``"Idaho"`` gives ``[("US", "ID")]``; ``"ID"`` gives Indonesia, then Idaho.
        """
        q = parse_query(qualifier, split_qualifier=False)
        hits = self._hits([q.key, q.acronym, q.stem])
        hits = hits[np.isin(hits[:, 0], [KIND_COUNTRY, KIND_REGION])]
        if len(hits) == 0:
            return []
        score, country, admin1 = self._score(hits)
        out: list[tuple[str, str | None]] = []
        for i in np.lexsort((hits[:, 1], hits[:, 0], -score)):
            option = (country[i], admin1[i] if hits[i, 0] == KIND_REGION else None)
            if option[0] and option not in out:
                out.append(option)
        return out

    def search(
        self, query: str, *, hint: str | None = None, kind: str | None = None, k: int = 5
    ) -> list[Match]:
        """Rank the places ``query`` may name (qualifiers and articles handled)."""
        q = parse_query(query)
        options = {"hint": hint, "kind": kind, "k": k}
        if q.qualifier is not None:
            # "Moscow, ID": try each reading of the qualifier (Indonesia, then Idaho).
            for within in self._within(q.qualifier):
                found = self.rank(q, within=within, **options)
                if found:
                    return found
            # Not a qualifier after all ("Korea, North")? Try the whole text,
            # then the name alone, ranked lower.
            whole = parse_query(query, split_qualifier=False)
            return self.rank(whole, **options) or self.rank(q, penalty=-1.0, **options)
        found = self.rank(q, **options)
        if not found and (bare := q.without_article()) is not None:
            found = self.rank(bare, **options)
        return found
