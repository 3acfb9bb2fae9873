"""Search and ranking over the gazetteer's name index, a batch at a time.

Matches are exact on normalized names. Every match gets a score in "log10
population" units, the sum of these parts (an explanation lists them):

``kind``
    A country 8 (a city of 100 million), a region 5, a curated place 5.5, a
    GeoNames place ``log10(population + 1)`` capped at 7.4 (so a country beats
    a city of the same name).
``importance``
    GeoNames places: ``0.25 × log10(number of names)``; a place known in many
    languages (Moscow has hundreds of names) outranks a namesake of its size.
``name``
    How the query names it: an alias +2, the canonical name +1.5, a spelling
    variant of it (Koursk, Kharkov) +0.75, another name 0, a region name
    without its designation -0.5.
``fallback``
    -1 for a transliteration variant of the query (Zaporojie → zaporozhye), or
    for the name alone when its qualifier named nothing.
``country hint``
    +3.5 in the hinted country. The hint is also a filter, as Nominatim's
    ``country_codes``: no place outside that country is returned.
``bias box``
    +3.5 when the representative point lies in the box.
``context``
    Other places of the same event or document: +1 in a context place's
    country, plus up to +2.5 for nearness, ``2.5 × exp(-d / 300 km)`` to the
    nearest context place (a region containing a context place, or a place in
    a context region, counts as d = 0).
``designation``
    +2 when a region pattern's word fits the region's type (Moscow Oblast,
    not the federal city, for "Moscow region").
``namesake city``
    A bare name that is both a region and a city of 20,000 people or more in
    that region (Kursk, Rason, Seoul) gives the city: the region is put 0.5
    below it.

A query is tried in steps (see :mod:`geo.gazetteer.plan`, whose planner the
index holds and feeds with the readings of a qualifier): a region pattern
(``"région de X"``) first looks at regions only; a qualifier
(``"Moscow, Idaho"``) restricts to each reading of it in turn; then the name
without a leading article; then transliteration variants. A batch runs each
step for all the queries still unresolved, with numpy over all their hits.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from geo.errors import InputError
from geo.gazetteer.countries import country_code
from geo.gazetteer.files import (
    ALIAS,
    ALTERNATE,
    CANONICAL,
    DERIVED,
    KIND_CITY,
    KIND_COUNTRY,
    KIND_CURATED,
    KIND_REGION,
    VARIANT,
    Alias,
    CuratedPlace,
    Tables,
    name_keys,
)
from geo.gazetteer.plan import Planner, Step, Within
from geo.gazetteer.query import parse_query, type_matches

__all__ = ["NameIndex", "Options", "Context", "Match", "PARTS", "HINT_BONUS", "haversine_km"]

# Place.kind by kind code (KIND_COUNTRY, KIND_REGION, KIND_CITY, KIND_CURATED).
_KIND_NAMES = ("country", "region", "city", "place")
_BASE = {KIND_COUNTRY: 8.0, KIND_REGION: 5.0, KIND_CURATED: 5.5}
_CITY_CAP = 7.4
_IMPORTANCE = 0.25
# Indexed by quality code; ALIAS is -1, the last element.
_QUALITY_BONUS = np.zeros(5)
_QUALITY_BONUS[[CANONICAL, ALTERNATE, DERIVED, VARIANT, ALIAS]] = [1.5, 0.0, -0.5, 0.75, 2.0]
_QUALITY_WORDS = {
    CANONICAL: "canonical name",
    ALTERNATE: "other name",
    DERIVED: "region name without its designation",
    VARIANT: "spelling variant",
    ALIAS: "alias",
}
#: The country hint's bonus (also the margin under which two answers are ambiguous).
HINT_BONUS = 3.5
_BIAS_BONUS = 3.5
_CONTEXT_COUNTRY = 1.0
_CONTEXT_NEAR = 2.5
_CONTEXT_KM = 300.0
_TYPE_BONUS = 2.0
_NAMESAKE_MIN_POPULATION = 20_000
_ID = re.compile(r"^(geonames|ne|iso|curated):(\S+)$")
# Explanations list the parts of a score in this order.
PARTS = (
    "kind",
    "importance",
    "name",
    "fallback",
    "country hint",
    "bias box",
    "context",
    "designation",
    "namesake city",
)


@dataclass(frozen=True)
class Context:
    """Places of the same event or document, as arrays."""

    country: np.ndarray  # int codes
    admin1: np.ndarray  # admin-1 ids, -1 if none
    lat: np.ndarray  # nan for a country given alone
    lon: np.ndarray
    is_region: np.ndarray  # bool
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Options:
    """What applies to every query of a batch."""

    hint: int = -1  # country code: only places of this country (-1: any)
    kind: str | None = None
    bias: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    context: Context | None = None
    k: int = 5
    explain: bool = False


@dataclass(frozen=True)
class Match:
    """A ranked entity: ``(kind, row)`` with its score and, if asked, why."""

    kind: int
    row: int
    score: float
    parts: dict[str, float] = field(default_factory=dict)
    matched: str = ""  # the key and how it names the entity
    note: str = ""  # the step that found it


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distances in km, broadcast over numpy arrays of degrees."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


class NameIndex:
    """The name index of the built tables plus the hand-written names.

    It searches and ranks; :attr:`planner` decides the steps of each query's
    search, given the readings of a qualifier (:meth:`readings`).
    """

    def __init__(self, tables: Tables, curated: list[CuratedPlace], aliases: Iterable[Alias]):
        self.tables = t = tables
        self.curated = list(curated)
        self._rows = {
            "iso": {c: i for i, c in enumerate(t.country_iso2)},
            "ne": {c: i for i, c in enumerate(t.region_id)},
            "curated": {c.id: i for i, c in enumerate(self.curated)},
        }
        # Per-kind attribute arrays, indexed by kind code then row.
        big = np.log10(_NAMESAKE_MIN_POPULATION)
        pop = np.log10(t.place_population + 1.0)
        cur = self.curated
        self._attr = {
            KIND_COUNTRY: (t.country_code, np.full(len(t.country_code), -1, np.int32)),
            KIND_REGION: (t.region_country, t.region_admin1),
            KIND_CITY: (t.place_country, t.place_admin1),
            KIND_CURATED: (
                np.array([t.code(c.country) for c in cur], dtype=np.int16),
                np.full(len(cur), -1, np.int32),
            ),
        }
        self._point = {
            KIND_COUNTRY: (t.country_lat, t.country_lon),
            KIND_REGION: (t.region_lat, t.region_lon),
            KIND_CITY: (t.place_lat, t.place_lon),
            KIND_CURATED: (np.array([c.lat for c in cur]), np.array([c.lon for c in cur])),
        }
        self._region_of_admin1 = {}
        for r, a in enumerate(t.region_admin1.tolist()):
            if a >= 0:
                self._region_of_admin1.setdefault(a, r)
        self._city_base = np.minimum(pop, _CITY_CAP)
        self._city_importance = _IMPORTANCE * np.log10(np.maximum(t.place_names, 1))
        self._city_big = pop >= big
        # Hand-written names live in a small dict next to the big index:
        # key → [(kind, row, quality)].
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
        # Qualifiers repeat ("…, Russia"): their readings are kept, and so are
        # the countries that texts name.
        self._readings: dict[str, list[Within]] = {}
        self._country_codes: dict[str, str] = {}
        self.planner = Planner(self.readings, self.describe)

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
            ids = self.tables.place_gid
            row = int(np.searchsorted(ids, int(value)))
            ok = row < len(ids) and ids[row] == int(value)
            return (KIND_CITY, row) if ok else None
        kind = {"iso": KIND_COUNTRY, "ne": KIND_REGION, "curated": KIND_CURATED}[prefix]
        row = self._rows[prefix].get(pid.strip() if prefix == "ne" else value)
        return None if row is None else (kind, row)

    def entity(self, kind: int, row: int) -> tuple[int, int, float, float]:
        """``(country code, admin-1 id, lat, lon)`` of an entity."""
        country, admin1 = self._attr[kind]
        lat, lon = self._point[kind]
        return int(country[row]), int(admin1[row]), float(lat[row]), float(lon[row])

    def country_code(self, hint) -> str | None:
        """ISO2 code for a country given as an ISO 3166-1 code (alpha-2, alpha-3 or
        numeric) or a name (:func:`geo.gazetteer.countries.country_code`); ``None``
        if unknown. Codes the gazetteer has places of count, with or without a
        Natural Earth outline (``RE``, Réunion, drawn in France)."""
        found = self._country_codes.get(hint) if isinstance(hint, str) else None
        if found is None:
            found = country_code(hint, is_code=self._is_code, named=self._named_country)
            if isinstance(hint, str) and len(self._country_codes) < 1 << 14:
                self._country_codes[hint] = found or ""
        return found or None

    def _is_code(self, code: str) -> bool:
        return code in self._rows["iso"] or self.tables.code(code) >= 0

    def _named_country(self, name: str) -> str | None:
        options = [c for c, a in self.readings(name) if a == -1]
        return self.tables.codes[options[0]] if options else None

    def readings(self, qualifier: str) -> list[Within]:
        """Readings of a qualifier as ``(country code, admin-1 id or -1)``, best first.

        ``"Idaho"`` gives ``[(US, US.ID)]``; ``"ID"`` gives Indonesia, then Idaho.
        """
        found = self._readings.get(qualifier)
        if found is None:
            found = self._readings[qualifier] = self._read_qualifier(qualifier)
        return found

    def _read_qualifier(self, qualifier: str) -> list[Within]:
        q = parse_query(qualifier, split_qualifier=False)
        kind, row, quality, _ = self._hits([k for k in (q.key, q.acronym, q.stem) if k])
        keep = (kind == KIND_COUNTRY) | (kind == KIND_REGION)
        kind, row, quality = kind[keep], row[keep], quality[keep]
        if not len(kind):
            return []
        score = self._plain_score(kind, row, quality)
        country, admin1 = self._gather(self._attr, kind, row)
        out: list[Within] = []
        for i in np.lexsort((row, kind, -score)):
            option = (int(country[i]), int(admin1[i]) if kind[i] == KIND_REGION else -1)
            if option[0] >= 0 and option not in out:
                out.append(option)
        return out

    def describe(self, within: Within) -> str:
        """A reading in words: ``"Idaho, US"``, ``"ID"`` (Indonesia)."""
        where = self.tables.codes[within[0]]
        if within[1] >= 0 and (row := self._region_of_admin1.get(within[1])) is not None:
            where = f"{self.tables.region_name[row]}, {where}"
        return where

    def all_keys(self) -> np.ndarray:
        """Every normalized name in the index (sorted, unique), curated and aliases included."""
        keys = np.array(self.tables.index.keys(), dtype=object)
        extra = np.array(sorted(self._extra), dtype=object)
        return np.union1d(keys, extra) if len(extra) else keys

    # ------------------------------------------------------------------ matching

    def _hits(self, keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
        """``kind, row, quality`` of every entry under ``keys``, and how many per key."""
        found = self.tables.index.find_many(keys)
        kinds, rows, quals, counts = [], [], [], []
        for key in keys:
            n = 0
            if (p := found.get(key)) is not None:
                kinds.append(p.kind)
                rows.append(p.row)
                quals.append(p.quality)
                n += len(p)
            if (extra := self._extra.get(key)) is not None:
                arr = np.array(extra, dtype=np.int64).reshape(-1, 3)
                kinds.append(arr[:, 0])
                rows.append(arr[:, 1])
                quals.append(arr[:, 2])
                n += len(arr)
            counts.append(n)
        if not kinds:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty, empty, counts
        return (
            np.concatenate(kinds).astype(np.int64),
            np.concatenate(rows).astype(np.int64),
            np.concatenate(quals).astype(np.int64),
            counts,
        )

    @staticmethod
    def _gather(table: dict, kind: np.ndarray, row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Two per-kind attribute arrays of ``table``, gathered for the hits."""
        a = np.empty(len(kind), dtype=np.float64)
        b = np.empty(len(kind), dtype=np.float64)
        for k, (col_a, col_b) in table.items():
            sel = kind == k
            if sel.any():
                a[sel] = col_a[row[sel]]
                b[sel] = col_b[row[sel]]
        return a, b

    def _plain_score(self, kind: np.ndarray, row: np.ndarray, quality: np.ndarray) -> np.ndarray:
        """Kind and name parts only: how the qualifier readings are ordered."""
        return self._base(kind, row) + _QUALITY_BONUS[quality]

    def _base(self, kind: np.ndarray, row: np.ndarray) -> np.ndarray:
        score = np.array([_BASE.get(k, 0.0) for k in range(4)])[kind]
        city = kind == KIND_CITY
        score[city] = self._city_base[row[city]]
        return score

    def search_many(
        self, queries: Sequence[str], options: Options, *, progress=None
    ) -> list[list[Match]]:
        """Rank the places each query may name, best first, at most ``options.k`` each.

        ``progress``, if given, is called with the number of queries settled
        after each step.
        """
        plans = [self.planner.plan(q) for q in queries]
        varied = [False] * len(queries)
        results: list[list[Match]] = [[] for _ in queries]
        pending = list(range(len(queries)))
        depth = 0
        while pending:
            for i in pending:
                if depth == len(plans[i]) and not varied[i]:
                    # Only for the queries their own spelling did not find.
                    plans[i] += self.planner.fallback_steps(queries[i])
                    varied[i] = True
            ready = [i for i in pending if depth < len(plans[i])]
            found = self._rank([plans[i][depth] for i in ready], options) if ready else []
            settled = len(pending) - len(ready)
            still = []
            for i, matches in zip(ready, found, strict=True):
                if matches:
                    results[i] = matches
                    settled += 1
                else:
                    still.append(i)
            if progress is not None:
                progress(settled)
            pending = still
            depth += 1
        return results

    def _rank(self, steps: list[Step], o: Options) -> list[list[Match]]:
        """Rank the hits of one step per query, all queries at once."""
        all_keys = [key for s in steps for key in s.keys]
        kind, row, quality, counts = self._hits(all_keys)
        out: list[list[Match]] = [[] for _ in steps]
        if not len(kind):
            return out
        key_group = np.repeat(np.arange(len(steps)), [len(s.keys) for s in steps])
        group = np.repeat(key_group, counts)
        key_of_hit = np.repeat(np.arange(len(all_keys)), counts)
        regions_only = np.array([s.regions_only for s in steps])[group]
        keep = ~regions_only | (kind == KIND_REGION)
        # A region-pattern step with no region at all finds nothing (the next
        # step tries the plain name).
        kind, row, quality = kind[keep], row[keep], quality[keep]
        group, key_of_hit, regions_only = group[keep], key_of_hit[keep], regions_only[keep]
        if not len(kind):
            return out

        country, admin1 = self._gather(self._attr, kind, row)
        country, admin1 = country.astype(np.int64), admin1.astype(np.int64)
        lat, lon = self._gather(self._point, kind, row)
        city = kind == KIND_CITY
        parts: dict[str, np.ndarray] = {}
        parts["kind"] = self._base(kind, row)
        importance = np.zeros(len(kind))
        importance[city] = self._city_importance[row[city]]
        parts["importance"] = importance
        parts["name"] = _QUALITY_BONUS[quality]
        parts["fallback"] = np.array([s.penalty for s in steps])[group]
        if o.hint >= 0:
            parts["country hint"] = np.where(country == o.hint, HINT_BONUS, 0.0)
        if o.bias is not None:
            parts["bias box"] = np.where(_in_box(o.bias, lat, lon), _BIAS_BONUS, 0.0)
        if o.context is not None and len(o.context.country):
            parts["context"] = self._context_bonus(o.context, kind, country, admin1, lat, lon)
        designation = np.array([s.designation or "" for s in steps], dtype=object)[group]
        fits = np.zeros(len(kind))
        for i in np.flatnonzero(regions_only & (designation != "")):
            if type_matches(designation[i], *self.tables.region_types[row[i]]):
                fits[i] = _TYPE_BONUS
        parts["designation"] = fits
        score = sum(parts.values())

        # Filters: the country hint (a constraint, as Nominatim's country_codes),
        # kind, and a qualifier's country and admin-1 unit.
        keep = np.ones(len(kind), dtype=bool) if o.hint < 0 else country == o.hint
        if o.kind is not None:
            label = np.array(_KIND_NAMES, dtype=object)[kind]
            cur = kind == KIND_CURATED
            label[cur] = [self.curated[r].kind for r in row[cur]]
            keep &= label == o.kind
        within = [s.within for s in steps]
        if any(w is not None for w in within):
            w_country = np.array([w[0] if w else -2 for w in within])[group]
            w_admin1 = np.array([w[1] if w else -1 for w in within])[group]
            restricted = w_country != -2
            ok = (country == w_country) & (
                (w_admin1 == -1) | (admin1 == w_admin1) | (kind == KIND_CURATED)
            )
            keep &= ~restricted | ok
        namesake = self._namesake(kind, row, group, country, admin1, score, regions_only)
        parts["namesake city"] = namesake
        score = score + namesake

        # Best first within each query; an entity found under two keys counts once.
        order = np.lexsort((row, kind, -score, group))
        order = order[keep[order]]
        entity = (group[order] * 4 + kind[order]) * (1 << 25) + row[order]
        _, first = np.unique(entity, return_index=True)
        order = order[np.sort(first)]
        g = group[order]
        starts = np.searchsorted(g, g, side="left")
        order = order[np.arange(len(order)) - starts < o.k]
        for i in order:
            gi = int(group[i])
            match = Match(int(kind[i]), int(row[i]), round(float(score[i]), 3))
            if o.explain:
                details = {
                    p: round(float(v[i]), 3)
                    for p, v in parts.items()
                    if v[i] != 0 or p in ("kind", "name")
                }
                key = all_keys[key_of_hit[i]]
                matched = f"{key!r}: {_QUALITY_WORDS[int(quality[i])]}"
                match = Match(match.kind, match.row, match.score, details, matched, steps[gi].note)
            out[gi].append(match)
        return out

    def _context_bonus(self, c: Context, kind, country, admin1, lat, lon) -> np.ndarray:
        same_country = (country[:, None] == c.country[None, :]).any(axis=1)
        km = haversine_km(lat[:, None], lon[:, None], c.lat[None, :], c.lon[None, :])
        km = np.where(np.isnan(km), np.inf, km)
        # Containment counts as distance 0: a region holding a context place,
        # a place inside a context region, a country holding a context place.
        same_a1 = (admin1[:, None] == c.admin1[None, :]) & (admin1[:, None] >= 0)
        region = (kind == KIND_REGION)[:, None]
        inside = (region & same_a1) | (c.is_region[None, :] & same_a1)
        inside |= (kind == KIND_COUNTRY)[:, None] & (country[:, None] == c.country[None, :])
        km = np.where(inside, 0.0, km)
        near = _CONTEXT_NEAR * np.exp(-km.min(axis=1) / _CONTEXT_KM)
        return np.where(same_country, _CONTEXT_COUNTRY, 0.0) + near

    def _namesake(self, kind, row, group, country, admin1, score, regions_only) -> np.ndarray:
        """How far each region falls below a sizeable namesake city inside it (≤ 0)."""
        delta = np.zeros(len(kind))
        city = (kind == KIND_CITY) & ~regions_only
        big = np.zeros(len(kind), dtype=bool)
        big[city] = self._city_big[row[city]]
        region = np.flatnonzero((kind == KIND_REGION) & ~regions_only & (admin1 >= 0))
        if not big.any() or not len(region):
            return delta
        best: dict[tuple[int, int, int], float] = {}
        for i in np.flatnonzero(big):
            key = (int(group[i]), int(country[i]), int(admin1[i]))
            best[key] = max(best.get(key, -math.inf), float(score[i]))
        for i in region:
            top = best.get((int(group[i]), int(country[i]), int(admin1[i])))
            if top is not None and score[i] > top - 0.5:
                delta[i] = top - 0.5 - score[i]
        return delta

    @staticmethod
    def context(items: Iterable[tuple[int, int, float, float, bool]], labels=()) -> Context:
        """Context arrays from ``(country code, admin-1 id, lat, lon, is_region)`` items.

        A country given alone has ``nan`` coordinates: it pulls its places, not a point.
        """
        rows = list(items)
        country, admin1, lat, lon, is_region = zip(*rows, strict=True) if rows else ([],) * 5
        return Context(
            np.array(country, dtype=np.int64),
            np.array(admin1, dtype=np.int64),
            np.array(lat, dtype=np.float64),
            np.array(lon, dtype=np.float64),
            np.array(is_region, dtype=bool),
            tuple(labels),
        )


def _in_box(box: tuple[float, float, float, float], lat, lon) -> np.ndarray:
    min_lon, min_lat, max_lon, max_lat = box
    lat_ok = (lat >= min_lat) & (lat <= max_lat)
    if min_lon <= max_lon:
        return lat_ok & (lon >= min_lon) & (lon <= max_lon)
    return lat_ok & ((lon >= min_lon) | (lon <= max_lon))  # the box crosses the antimeridian
