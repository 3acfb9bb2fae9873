"""The exception hierarchy of eventmap, in the manner of ``geopy.exc``.

Every error eventmap raises on purpose is an :class:`EventmapError`. Each
subclass also derives from the builtin it resembles, so callers that already
catch ``ValueError`` or ``LookupError`` keep working.
"""

from __future__ import annotations

import reprlib

__all__ = [
    "brief",
    "EventmapError",
    "InputError",
    "GeocodingError",
    "UnresolvedPlaceError",
    "GeocoderServiceError",
    "CacheError",
    "OutputError",
    "AssetsMissingError",
    "FallbackWarning",
]


class EventmapError(Exception):
    """Root of every error eventmap raises on purpose."""


class InputError(EventmapError, ValueError):
    """Bad input, located by file, record and field.

    The message reads ``file: record: field: what was wrong, what was expected``,
    e.g. ``data/events/x.yaml: event 7 ('kursk-losses'): quantities[0].value:
    expected a number, got 'deux mille'``.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        record: str | None = None,
        field: str | None = None,
    ):
        self.file = file
        self.record = record
        self.field = field
        self.reason = message
        super().__init__(message)

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.record, self.field) if p]
        return ": ".join([*parts, self.reason])


class GeocodingError(EventmapError, LookupError):
    """A place name could not be geocoded; carries the query and provider."""

    def __init__(self, message: str, *, query: str | None = None, provider: str | None = None):
        self.query = query
        self.provider = provider
        super().__init__(message)


class UnresolvedPlaceError(GeocodingError):
    """Raised in strict mode when one or more place names stay unresolved."""

    def __init__(self, unresolved: list, *, file: str | None = None):
        self.unresolved = list(unresolved)
        self.file = file
        n = len(self.unresolved)
        listed = "; ".join(str(u) for u in self.unresolved[:_LISTED])
        more = f"; and {n - _LISTED:,} more" if n > _LISTED else ""
        where = f"{file}: " if file else ""
        names = "place name" if n == 1 else "place names"
        super().__init__(f"{where}{n:,} unresolved {names}: {listed}{more}")


#: How many unresolved names an UnresolvedPlaceError's message lists (all are in
#: its ``unresolved``).
_LISTED = 5


class GeocoderServiceError(GeocodingError, ConnectionError):
    """An online geocoding provider failed (HTTP error, timeout, bad answer).

    ``transient`` says whether trying again may help (429, 5xx, timeouts,
    refused connections, malformed answers) and ``retry_after`` how long the
    provider asked to wait (its ``Retry-After`` header, in seconds).
    """

    def __init__(
        self,
        message: str,
        *,
        query: str | None = None,
        provider: str | None = None,
        transient: bool = False,
        retry_after: float | None = None,
    ):
        self.transient = transient
        self.retry_after = retry_after
        super().__init__(message, query=query, provider=provider)


class CacheError(EventmapError, OSError):
    """The geocoding cache (SQLite) cannot be opened, read or written; carries its path."""

    def __init__(self, message: str, *, path: str | None = None):
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class OutputError(EventmapError, OSError):
    """An output (a map, a report) cannot be written where it was asked; carries its path."""

    def __init__(self, message: str, *, path: str | None = None):
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class FallbackWarning(UserWarning):
    """An online provider failed and the offline gazetteer answered instead."""


class AssetsMissingError(EventmapError, FileNotFoundError):
    """Files eventmap builds or ships are missing: the page's JavaScript and CSS (run
    ``make assets``), or the package data of an install that is not on disk."""


# --------------------------------------------------------------------------- messages

_REPR = reprlib.Repr()
_MAX_BRIEF = 200
_REPR.maxstring = _REPR.maxother = 80
_REPR.maxlist = _REPR.maxtuple = _REPR.maxset = _REPR.maxdict = 4
_REPR.maxlevel = 2


def brief(value: object) -> str:
    """``repr(value)``, shortened for a one-line message (the middle of a long text
    elided), and never raising (an integer too long to print says how long it is)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
        return f"an integer of {value.bit_length():,} bits"
    try:
        text = _REPR.repr(value)
        # Nested values can add up even when each part is short: one message, one line.
        return text if len(text) <= _MAX_BRIEF else text[: _MAX_BRIEF - 1] + "…"
    except ValueError:  # an int inside with more digits than Python prints
        return f"a {type(value).__name__} holding a number too long to show"
    except RecursionError:  # a cycle
        return f"a {type(value).__name__}"
