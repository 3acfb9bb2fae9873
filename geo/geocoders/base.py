"""What every geocoder of a chain offers, and what they share.

A geocoder answers :meth:`~Geocoder.candidates` (best first),
:meth:`~Geocoder.geocode`, :meth:`~Geocoder.candidates_many` and
:meth:`~Geocoder.geometry`; :class:`geo.Gazetteer` is one, and so is each
wrapper of :mod:`geo.geocoders.chain`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Protocol

from geo.gazetteer.core import BBox, Explanation
from geo.model import Place
from geo.progress import reporter

__all__ = ["Geocoder", "SearchFn", "BatchMixin", "default_user_agent", "eventmap_version"]


class SearchFn(Protocol):
    """One provider lookup: the wrapped callable of :class:`~geo.geocoders.throttle.Throttle`
    and :class:`~geo.geocoders.cache.Cached`."""

    def __call__(
        self,
        query: str,
        *,
        country_hint: str | None = None,
        kind: str | None = None,
        bias: BBox | None = None,
        limit: int = 5,
    ) -> list[Place]: ...


class Geocoder(Protocol):
    """A place-name geocoder: the offline :class:`~geo.Gazetteer` or a chain of wrappers."""

    name: str

    def candidates(
        self,
        query: str,
        *,
        country_hint: str | None = None,
        kind: str | None = None,
        k: int = 5,
        bias: BBox | None = None,
        context: Iterable[Place | str] = (),
    ) -> list[Place]: ...

    def geocode(self, query: str, **options) -> Place | None: ...

    def candidates_many(self, queries: Iterable[str], **options) -> list[list[Place]]: ...

    def explain(self, query: str, **options) -> Explanation: ...

    def geometry(self, place: Place): ...


class BatchMixin:
    """``geocode`` and ``candidates_many`` from ``candidates``, one distinct query at a time."""

    def geocode(self, query: str, **options) -> Place | None:
        found = self.candidates(query, k=1, **options)  # type: ignore[attr-defined]
        return found[0] if found else None

    def candidates_many(
        self,
        queries: Iterable[str],
        *,
        progress: bool | Callable[[int, int], None] = False,
        **options,
    ) -> list[list[Place]]:
        queries = list(queries)
        unique = list(dict.fromkeys(queries))
        answers: dict[str, list[Place]] = {}
        # One query at a time, possibly over the network: a bar from 2 queries.
        label = f"Geocoding ({getattr(self, 'name', 'provider')})"
        report = reporter(progress, len(unique), label, min_total=2)
        try:
            for q in unique:
                answers[q] = self.candidates(q, **options)  # type: ignore[attr-defined]
                if report is not None:
                    report(1)
        finally:
            if report is not None:
                report.close()
        return [answers[q] for q in queries]


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
