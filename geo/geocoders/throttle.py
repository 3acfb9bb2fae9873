"""Space requests and retry the ones that may succeed, like geopy's ``RateLimiter``.

:class:`Throttle` wraps any search callable (see
:data:`~geo.geocoders.base.Search`): it leaves ``min_delay`` seconds
between the starts of two calls, and retries a call that failed with a
*transient* :class:`~geo.errors.GeocoderServiceError` (429, 5xx, timeouts,
refused connections, malformed answers) after an exponential backoff, or
after the provider's ``Retry-After`` when that is longer.

Public Nominatim allows one request per second at most
(https://operations.osmfoundation.org/policies/nominatim/), so
:func:`~geo.geocoders.chain.make_geocoder` never sets a shorter delay for it.
That limit is per client, not per process: with ``shared``, every process
that names the same file spaces its calls with the others' (the file holds
the time of the last call, under an exclusive lock).
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover (Windows: each process spaces its own calls)
    fcntl = None

from geo.errors import GeocoderServiceError
from geo.geocoders.limits import MAX_RETRIES, count, seconds
from geo.model import Place, Query

__all__ = ["Throttle"]


class Throttle:
    """Rate limiting and retries around a search callable.

    Parameters
    ----------
    search : callable
        ``search(query) -> list[Place]``, called as ``Throttle`` is called.
    min_delay : float
        Seconds between the starts of two calls (retries included).
    max_tries : int
        Attempts per query, the first included (1 to 11).
    backoff : float
        Wait before the second attempt; it doubles with each further one.
    max_backoff : float
        Cap of the exponential backoff.
    max_wait : float
        Longest wait eventmap accepts; a ``Retry-After`` beyond it ends the
        attempts at once.
    shared : str or Path, optional
        A file shared by the processes that call the same provider: calls are
        spaced across all of them. The clock must then be one they share
        (``time.monotonic`` is, on one machine). Where the file cannot be
        written, or locked, only this process's calls are spaced.
    sleep, clock : callable
        ``time.sleep`` and ``time.monotonic``; tests pass fakes.

    Raises
    ------
    InputError
        For a number of seconds that is negative, not finite or over an hour,
        or a number of tries out of range (the message names the parameter).

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
        shared: str | Path | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.search = search
        self.min_delay = seconds(min_delay, "min_delay")
        self.max_tries = count(max_tries, "max_tries", minimum=1, maximum=MAX_RETRIES + 1)
        self.backoff = seconds(backoff, "backoff")
        self.max_backoff = seconds(max_backoff, "max_backoff")
        self.max_wait = seconds(max_wait, "max_wait")
        self._sleep = sleep
        self._clock = clock
        self._last: float | None = None
        self.shared = Path(shared) if shared is not None and fcntl is not None else None
        self.requests = 0  # calls made to ``search``, retries included

    @property
    def namespace(self) -> str:
        return getattr(self.search, "namespace", "")

    @property
    def name(self) -> str:
        return getattr(self.search, "name", "provider")

    def _space(self) -> None:
        if self.shared is not None and self._space_shared():
            return
        if self._last is not None:
            wait = self._last + self.min_delay - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last = self._clock()

    def _space_shared(self) -> bool:
        """Wait for the last call of any process sharing the file; False if it can't be used."""
        try:
            self.shared.parent.mkdir(parents=True, exist_ok=True)
            # Not through a symbolic link: the file is truncated and rewritten.
            flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
            f = os.fdopen(os.open(self.shared, flags, 0o600), "r+b")
        except OSError:
            self.shared = None
            return False
        with f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX)  # released when the file is closed
                f.seek(0)
                text = f.read(64)  # a time is short; anything else is no time
            except OSError:
                self.shared = None
                return False
            try:
                last = float(text.decode("ascii") or "nan")
            except (ValueError, UnicodeDecodeError):
                last = math.nan
            if math.isfinite(last):
                # Never more than min_delay: a time from before a reboot is no reason to wait.
                wait = min(last + self.min_delay - self._clock(), self.min_delay)
                if wait > 0:
                    self._sleep(wait)
            self._last = self._clock()
            try:
                f.seek(0)
                f.truncate()
                f.write(repr(self._last).encode("ascii"))
                f.flush()
            except OSError:  # a full disk: this call was spaced, the next ones alone
                self.shared = None
        return True

    def __call__(self, query: str | Query, **options) -> list[Place]:
        for attempt in range(1, self.max_tries + 1):
            self._space()
            self.requests += 1
            try:
                return self.search(query, **options)
            except GeocoderServiceError as exc:
                if not exc.transient:
                    raise
                wait = min(self.backoff * 2 ** (attempt - 1), self.max_backoff)
                after = exc.retry_after
                if isinstance(after, (int, float)) and math.isfinite(after):
                    wait = max(wait, float(after))
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
