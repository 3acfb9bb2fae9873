"""The geocoder chain, built by composition: overrides → provider → offline.

:func:`make_geocoder` assembles, from the inside out::

    Overrides(user files,                     # gazetteer_files: exact names win
        Fallback(                             # provider failed → offline, with a warning
            Online(Cached(Throttle(ProviderSearch))),   # geopy, spaced, retried, cached
            Gazetteer))                       # the offline default

With the default ``provider="offline"`` it is ``Overrides(Gazetteer)``, or the
:class:`~geo.Gazetteer` itself when no user file is given. Each wrapper is a
small class that takes the geocoder (or search callable) it wraps, so each can
be tested alone and combined differently. One :class:`~geo.model.Query` goes
down the chain: each wrapper takes a query (or a text and its options) and
passes the query on.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from geo.errors import FallbackWarning, GeocoderServiceError
from geo.gazetteer.core import (
    Candidate,
    Explanation,
    Gazetteer,
    curated_place,
    default_gazetteer,
)
from geo.gazetteer.files import CuratedPlace, name_keys
from geo.gazetteer.normalize import acronym_key, normalize
from geo.geocoders.base import BatchMixin, Geocoder, Search, distinct_queries
from geo.geocoders.limits import count, seconds
from geo.model import Place, Query

__all__ = ["Online", "Fallback", "Overrides", "make_geocoder"]


class Online(BatchMixin):
    """A search callable (a provider, maybe throttled and cached) as a :class:`Geocoder`.

    Parameters
    ----------
    search : callable
        ``search(query) -> list[Place]`` (a :data:`~geo.geocoders.base.Search`).
    shapes : Gazetteer, optional
        Gives countries their polygon (by ISO2); other answers are points.
    limit : int
        How many answers to ask for (at least ``k``); fixed so that a cached
        answer serves every ``k`` up to it.

    Context places are not sent to providers (none takes them).
    """

    def __init__(self, search: Search, *, shapes: Gazetteer | None = None, limit: int = 5):
        self.search = search
        self.name = getattr(search, "name", "provider")
        self.shapes = shapes
        self.limit = limit

    def candidates(self, query: str | Query, **options) -> list[Place]:
        q = Query.of(query, **options)
        if not q.text.strip():
            return []
        found = self.search(replace(q, context=(), k=max(self.limit, q.k)))
        return found[: q.k]

    def explain(self, query: str | Query, **options) -> Explanation:
        q = Query.of(query, **options)
        found = self.candidates(q)
        cands = tuple(
            Candidate(p, {"provider score": p.score}, f"rank {i + 1} of {self.name}")
            for i, p in enumerate(found)
        )
        return Explanation(q.text, cands, country_hint=q.country_hint)

    def geometry(self, place: Place):
        import shapely

        if self.shapes is not None and place.kind == "country" and place.country:
            try:
                return self.shapes.geometry(f"iso:{place.country}")
            except LookupError:
                pass
        return shapely.Point(place.lon, place.lat)


class Fallback(BatchMixin):
    """Ask ``primary``; if it fails or finds nothing, ask ``secondary``.

    A failure (:class:`~geo.errors.GeocoderServiceError`) is reported as a
    :class:`~geo.errors.FallbackWarning`, or raised when ``strict``. After
    ``max_failures`` failures in a row the primary is taken for down and not
    asked again in this run (one warning says so), so a run against a dead
    server does not wait out its retries query after query.
    """

    def __init__(
        self, primary: Geocoder, secondary: Geocoder, *, strict: bool = False, max_failures=3
    ):
        self.primary = primary
        self.secondary = secondary
        self.strict = strict
        self.max_failures = max_failures
        self.name = f"{primary.name}, then {secondary.name}"
        self.failures = 0
        self.down = False

    def _ask(self, method: str, query: Query):
        if not self.down:
            try:
                found = getattr(self.primary, method)(query)
            except GeocoderServiceError as exc:
                if self.strict:
                    raise
                self.failures += 1
                self.down = self.failures >= self.max_failures
                after = f"; {self.primary.name} is not asked again in this run" if self.down else ""
                instead = f"answered by the {self.secondary.name} gazetteer"
                warnings.warn(FallbackWarning(f"{exc}; {instead}{after}"), stacklevel=3)
            else:
                self.failures = 0
                empty = not (found.candidates if isinstance(found, Explanation) else found)
                if not empty:
                    return found
        return getattr(self.secondary, method)(query)

    def candidates(self, query: str | Query, **options) -> list[Place]:
        return self._ask("candidates", Query.of(query, **options))

    def explain(self, query: str | Query, **options) -> Explanation:
        return self._ask("explain", Query.of(query, **options))

    def geometry(self, place: Place):
        try:
            return self.secondary.geometry(place)
        except LookupError:  # not a gazetteer id: an online answer
            return self.primary.geometry(place)


class Overrides(BatchMixin):
    """User places that win over everything behind them, by exact (normalized) name.

    Parameters
    ----------
    places : list of CuratedPlace
        Entries of user files in the format of ``geo/data/gazetteer/curated.yaml``.
    then : Geocoder
        Asked for every other query.
    """

    def __init__(self, places: list[CuratedPlace], then: Geocoder):
        self.then = then
        self.name = then.name
        self._by_key: dict[str, CuratedPlace] = {}
        self._ids = {f"curated:{p.id}" for p in places}
        for p in places:
            for name in (p.name, *p.alternate_names):
                # The gazetteer's own keys: an acronym ("IN") stays upper-case,
                # so the word "in" does not find it.
                for key in name_keys(name):
                    self._by_key.setdefault(key, p)

    def _match(self, q: Query) -> Place | None:
        c = self._by_key.get(normalize(q.text)) or self._by_key.get(acronym_key(q.text) or "")
        if c is None or q.kind not in (None, c.kind):
            return None
        return curated_place(c, q.text, 100.0)

    def candidates(self, query: str | Query, **options) -> list[Place]:
        q = Query.of(query, **options)
        own = self._match(q)
        return [own] if own else self.then.candidates(q)

    def candidates_many(
        self,
        queries: Iterable[str | Query],
        *,
        progress: bool | Callable[[int, int], None] = False,
        **options,
    ) -> list[list[Place]]:
        unique, where = distinct_queries(queries, options)
        own = [self._match(q) for q in unique]
        answers: list[list[Place]] = [[] for _ in own]
        rest = [i for i, p in enumerate(own) if p is None]
        # The queries carry their options, checked once; with no query left, the
        # options themselves go to the geocoder behind, which checks them all the same.
        found = self.then.candidates_many(
            [unique[i] for i in rest], progress=progress, **({} if rest else options)
        )
        for i, answer in zip(rest, found, strict=True):
            answers[i] = answer
        return [[own[i]] if own[i] else answers[i] for i in where]

    def explain(self, query: str | Query, **options) -> Explanation:
        q = Query.of(query, **options)
        own = self._match(q)
        if own is None:
            return self.then.explain(q)
        matched = f"{q.text!r}: a name in a user gazetteer file"
        why = Candidate(own, {"user override": 100.0}, matched)
        return Explanation(q.text, (why,))

    def geometry(self, place: Place):
        if place.id in self._ids:
            import shapely

            return shapely.Point(place.lon, place.lat)
        return self.then.geometry(place)


def make_geocoder(
    provider: str = "offline",
    *,
    url: str | None = None,
    gazetteer_files: Iterable[str | Path] = (),
    strict: bool = False,
    user_agent: str | None = None,
    contact: str | None = None,
    timeout: float = 10.0,
    min_delay: float | None = None,
    retries: int = 2,
    backoff: float = 1.0,
    cache: bool | str | Path = True,
    options: dict | None = None,
) -> Geocoder:
    """The geocoder chain for a provider.

    Parameters
    ----------
    provider : str
        ``"offline"`` (the default: no network), ``"nominatim"``, or any geopy
        service name.
    url : str, optional
        The provider's base URL (a self-hosted Nominatim, a test server).
    gazetteer_files : iterable of path
        User files of places in the format of ``curated.yaml``: they join the
        offline gazetteer and override every provider for their exact names.
    strict : bool
        Raise :class:`~geo.errors.GeocoderServiceError` when the provider
        fails, instead of falling back to the offline gazetteer with a warning.
    user_agent, contact : str, optional
        See :func:`~geo.geocoders.base.default_user_agent`.
    timeout : float
        Seconds to wait for one answer (above 0, at most an hour).
    min_delay : float, optional
        Seconds between requests; 1 by default, and never less than 1 for
        public Nominatim (its usage policy).
    retries : int
        Retries of a query after a transient failure (429, 5xx, timeouts,
        refused connections, malformed answers), as geopy's ``RateLimiter``
        counts them: 0 asks once, the default 2 up to three times; at most 10.
    backoff : float
        First wait between attempts, doubling after each.
    cache : bool or path
        Keep provider answers in SQLite (``True``: in ``default_cache_dir()``;
        a path: that file; ``False``: no cache).
    options : dict, optional
        Keyword arguments for the geopy class (``api_key``...).

    Returns
    -------
    Geocoder

    Raises
    ------
    InputError
        For a number out of range (a negative delay, a NaN timeout, 11
        retries); the message names the parameter.
    GeocodingError
        For a provider geopy does not know, or a URL or option it rejects.

    Examples
    --------
    >>> make_geocoder().geocode("Koursk").country
    'RU'
    """
    timeout = seconds(timeout, "timeout", positive=True)
    min_delay = None if min_delay is None else seconds(min_delay, "min_delay")
    retries = count(retries, "retries")
    backoff = seconds(backoff, "backoff")
    files = [Path(f) for f in gazetteer_files]
    offline = Gazetteer.load(extra=files) if files else default_gazetteer()
    geocoder: Geocoder = offline
    if provider.lower() != "offline":
        from geo.geocoders.cache import Cached, GeocodeCache, default_cache_dir
        from geo.geocoders.provider import PUBLIC_NOMINATIM, provider_search
        from geo.geocoders.throttle import Throttle

        search = provider_search(
            provider, url=url, user_agent=user_agent, contact=contact, timeout=timeout,
            options=options,
        )  # fmt: skip
        delay = 1.0 if min_delay is None else min_delay
        if search.is_nominatim and search.domain.endswith(PUBLIC_NOMINATIM):
            delay = max(delay, 1.0)
        # Spaced across processes too: a provider's limit is per client.
        shared = default_cache_dir() / "spacing" / _file_name(search.namespace)
        spaced = Throttle(
            search, min_delay=delay, max_tries=retries + 1, backoff=backoff, shared=shared
        )
        wrapped = spaced
        if cache:
            store = GeocodeCache(None if cache is True else cache)
            wrapped = Cached(spaced, store)
        online = Online(wrapped, shapes=offline)
        geocoder = Fallback(online, offline, strict=strict)
    if files:
        geocoder = Overrides(list(offline.user_places), geocoder)
    return geocoder


def _file_name(text: str) -> str:
    """A file name for any text: ``nominatim|nominatim.openstreetmap.org`` →
    ``nominatim_nominatim.openstreetmap.org``.

    Only ``[A-Za-z0-9._-]``, never starting with a dot (so never ``..``), and
    at most 100 characters (a long name ends with a hash of the whole text):
    a provider's name or URL cannot lead out of the directory.
    """
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "provider"
    if len(name) > 100:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        name = f"{name[:83]}_{digest}"
    return name
