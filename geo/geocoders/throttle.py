"""Space requests and retry the ones that may succeed, like geopy's ``RateLimiter``.

:class:`Throttle` wraps any search callable (see
:class:`~geo.geocoders.base.SearchFn`): it leaves ``min_delay`` seconds
between the starts of two calls, and retries a call that failed with a
*transient* :class:`~geo.errors.GeocoderServiceError` (429, 5xx, timeouts,
refused connections, malformed answers) after an exponential backoff, or
after the provider's ``Retry-After`` when that is longer.

Public Nominatim allows one request per second at most
(https://operations.osmfoundation.org/policies/nominatim/), so
:func:`~geo.geocoders.chain.make_geocoder` never sets a shorter delay for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ..errors import GeocoderServiceError
from ..gazetteer import Place

__all__ = ["Throttle"]


class Throttle:
    """Rate limiting and retries around a search callable.

    Parameters
    ----------
    search : callable
        ``search(query, **options) -> list[Place]``.
    min_delay : float
        Seconds between the starts of two calls (retries included).
    max_tries : int
        Attempts per query, the first included.
    backoff : float
        Wait before the second attempt; it doubles with each further one.
    max_backoff : float
        Cap of the exponential backoff.
    max_wait : float
        Longest wait eventmap accepts; a ``Retry-After`` beyond it ends the
        attempts at once.
    sleep, clock : callable
        ``time.sleep`` and ``time.monotonic``; tests pass fakes.

    Examples
    --------
    >>> calls = []
    >>> def flaky(query, **options):
    ...     calls.append(query)
    ...     if len(calls) == 1:
    ...         raise GeocoderServiceError("busy", transient=True, retry_after=2)
    ...     return []
    >>> waits = []
    >>> Throttle(flaky, min_delay=0, sleep=waits.append)("Kursk")
    []
    >>> waits
    [2.0]
    """

    def __init__(
        self,
        search: Callable[..., list[Place]],
        *,
        min_delay: float = 1.0,
        max_tries: int = 3,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        max_wait: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        if min_delay < 0 or max_tries < 1 or backoff < 0:
            raise ValueError(
                f"expected min_delay >= 0, max_tries >= 1, backoff >= 0; "
                f"got {min_delay}, {max_tries}, {backoff}"
            )
        self.search = search
        self.min_delay = min_delay
        self.max_tries = max_tries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_wait = max_wait
        self._sleep = sleep
        self._clock = clock
        self._last: float | None = None
        self.requests = 0  # calls made to ``search``, retries included

    @property
    def namespace(self) -> str:
        return getattr(self.search, "namespace", "")

    @property
    def name(self) -> str:
        return getattr(self.search, "name", "provider")

    def _space(self) -> None:
        if self._last is not None:
            wait = self._last + self.min_delay - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last = self._clock()

    def __call__(self, query: str, **options) -> list[Place]:
        for attempt in range(1, self.max_tries + 1):
            self._space()
            self.requests += 1
            try:
                return self.search(query, **options)
            except GeocoderServiceError as exc:
                if not exc.transient:
                    raise
                wait = min(self.backoff * 2 ** (attempt - 1), self.max_backoff)
                if exc.retry_after is not None:
                    wait = max(wait, float(exc.retry_after))
                if attempt == self.max_tries or wait > self.max_wait:
                    why = (
                        f"asked to wait {wait:g} s, more than {self.max_wait:g} s"
                        if wait > self.max_wait
                        else f"gave up after {attempt} attempt{'s' if attempt > 1 else ''}"
                    )
                    raise GeocoderServiceError(
                        f"{exc} ({why})",
                        query=exc.query,
                        provider=exc.provider,
                        transient=True,
                        retry_after=exc.retry_after,
                    ) from exc
                self._sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover
