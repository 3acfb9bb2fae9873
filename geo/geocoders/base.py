"""What every geocoder offers, and what they share.

A geocoder answers a :class:`~geo.model.Query`: :meth:`~Geocoder.candidates`
(best first), :meth:`~Geocoder.geocode`, :meth:`~Geocoder.candidates_many`,
:meth:`~Geocoder.explain` and :meth:`~Geocoder.geometry` each take a query, or
a text with the options of a query (``geocode("Georgia", country_hint="US")``).
:class:`geo.Gazetteer` is one, and so is each wrapper of
:mod:`geo.geocoders.chain`; :class:`geo.PlaceResolver` takes any.

Below the geocoder of an online provider, a :data:`Search` is one lookup, a
callable from a query to places (:class:`~geo.geocoders.provider.ProviderSearch`),
which :class:`~geo.geocoders.throttle.Throttle` and
:class:`~geo.geocoders.cache.Cached` wrap.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Protocol

from geo.model import Place, Query
from geo.progress import reporter

if TYPE_CHECKING:  # pragma: no cover
    from geo.gazetteer.explain import Explanation

__all__ = [
    "Geocoder",
    "Search",
    "search_query",
    "distinct_queries",
    "BatchMixin",
    "default_user_agent",
    "eventmap_version",
]

#: One provider lookup: ``search(query) -> list[Place]``, at most ``query.k``.
Search = Callable[[Query], list[Place]]


class Geocoder(Protocol):
    """A place-name geocoder: the offline :class:`~geo.Gazetteer` or a chain of wrappers.

    Every method takes a :class:`~geo.model.Query`, or a text and the options
    of a query (``country_hint``, ``kind``, ``bias``, ``context``, ``k``).
    """

    name: str

    def candidates(self, query: str | Query, **options) -> list[Place]: ...

    def geocode(self, query: str | Query, **options) -> Place | None: ...

    def candidates_many(self, queries: Iterable[str | Query], **options) -> list[list[Place]]: ...

    def explain(self, query: str | Query, **options) -> Explanation: ...

    def geometry(self, place: Place): ...


def search_query(query: str | Query, options: Mapping[str, object]) -> Query:
    """The query of a search call: ``query``, or a text with ``options``, where
    ``limit`` (the providers' word, as in geopy) stands for ``k``.

    >>> search_query("Kursk", {"limit": 3})
    Query(text='Kursk', country_hint=None, kind=None, bias=None, context=(), k=3)
    """
    if "limit" in options:
        options = dict(options)
        options["k"] = options.pop("limit")
    return Query.of(query, **options)


def distinct_queries(
    queries: Iterable[str | Query], options: Mapping[str, object]
) -> tuple[list[Query], list[int]]:
    """The distinct queries of a batch, in first-seen order, and where each item's is.

    Each item is ``Query.of(item, **options)``, built once per distinct item: a
    text takes the options of one query checked once (:meth:`Query.with_text`),
    so a batch of texts does not check its options per item. Errors are the ones
    of ``Query.of``, for the first item that has one.

    >>> unique, where = distinct_queries(["Kursk", "Paris", "Kursk"], {"k": 2})
    >>> [q.text for q in unique], where
    (['Kursk', 'Paris'], [0, 1, 0])
    """
    shared: Query | None = None
    seen: dict[str | Query, int] = {}  # an item as given (a text never equals a query)
    position: dict[Query, int] = {}  # a query as built: a text and a query may build one
    unique: list[Query] = []
    where: list[int] = []
    for item in queries:
        i = seen.get(item) if isinstance(item, (str, Query)) else None
        if i is None:
            if isinstance(item, str):
                if shared is None:
                    shared = Query.of("", **options)
                q = shared.with_text(item)
            else:
                q = Query.of(item, **options)  # not a text nor a query: an InputError
            i = position.setdefault(q, len(unique))
            if i == len(unique):
                unique.append(q)
            seen[item] = i
        where.append(i)
    return unique, where


class BatchMixin:
    """``geocode`` and ``candidates_many`` from ``candidates``, one distinct query at a time."""

    def geocode(self, query: str | Query, **options) -> Place | None:
        found = self.candidates(query, **{**options, "k": 1})  # type: ignore[attr-defined]
        return found[0] if found else None

    def candidates_many(
        self,
        queries: Iterable[str | Query],
        *,
        progress: bool | Callable[[int, int], None] = False,
        **options,
    ) -> list[list[Place]]:
        unique, where = distinct_queries(queries, options)
        answers: list[list[Place]] = []
        # One query at a time, possibly over the network: a bar from 2 queries.
        label = f"Geocoding ({getattr(self, 'name', 'provider')})"
        report = reporter(progress, len(unique), label, min_total=2)
        try:
            for q in unique:
                answers.append(self.candidates(q))  # type: ignore[attr-defined]
                if report is not None:
                    report(1)
        finally:
            if report is not None:
                report.close()
        return [answers[i] for i in where]


def eventmap_version() -> str:
    """The installed eventmap version (``0`` when run from an uninstalled tree)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("eventmap")
    except PackageNotFoundError:
        return "0"


def default_user_agent(contact: str | None = None) -> str:
    """The User-Agent eventmap sends: ``eventmap/<version> (<contact>)``.

    Nominatim's usage policy asks for an application that identifies itself
    (never a library's default such as ``geopy/2.5``) and, ideally, a way to
    reach its operator. ``$EVENTMAP_USER_AGENT`` replaces the whole string;
    ``contact`` (or ``$EVENTMAP_CONTACT``), an e-mail or URL, is appended.

    >>> default_user_agent("ops@example.org").split("/")[0]
    'eventmap'
    """
    if agent := os.environ.get("EVENTMAP_USER_AGENT", "").strip():
        return agent
    contact = contact or os.environ.get("EVENTMAP_CONTACT", "").strip() or None
    base = f"eventmap/{eventmap_version()}"
    return f"{base} ({contact})" if contact else base
