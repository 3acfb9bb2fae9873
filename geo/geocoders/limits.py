"""The numbers a geocoder chain takes (seconds, retries), checked in one place.

``make_geocoder``, :class:`~geo.geocoders.throttle.Throttle` and the
``eventmap geocode`` options share these checks, so a negative delay, a NaN
timeout or a billion retries is refused with one message wherever it comes
from, instead of failing later inside ``time.sleep`` or a socket.
"""

from __future__ import annotations

import math

from geo.errors import InputError, brief

__all__ = ["MAX_SECONDS", "MAX_RETRIES", "seconds", "count"]

#: Longest timeout, delay or backoff accepted: an hour (socket timeouts overflow
#: far beyond; a longer wait per request is no rate limit but a stall).
MAX_SECONDS = 3600.0
#: Most retries after a first attempt: with backoffs capped at 30 s, ten take
#: five minutes per query already.
MAX_RETRIES = 10


def seconds(value: object, field: str, *, positive: bool = False) -> float:
    """``value`` as a finite number of seconds in [0, MAX_SECONDS] ((0, …] if ``positive``).

    Raises :class:`~geo.errors.InputError` (a ``ValueError``) naming ``field``.

    >>> seconds(0.5, "timeout")
    0.5
    """
    within = f"above 0, at most {MAX_SECONDS:g}" if positive else f"from 0 to {MAX_SECONDS:g}"
    expected = f"expected a number of seconds {within}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{expected}, got {brief(value)}", field=field)
    try:
        x = float(value)
    except OverflowError:  # an int too large for a float
        x = math.inf
    if not math.isfinite(x) or x < 0 or x > MAX_SECONDS or (positive and x == 0):
        raise InputError(f"{expected}, got {brief(value)}", field=field)
    return x


def count(value: object, field: str, *, minimum: int = 0, maximum: int = MAX_RETRIES) -> int:
    """``value`` as a whole number in [minimum, maximum].

    Raises :class:`~geo.errors.InputError` (a ``ValueError``) naming ``field``.

    >>> count(2, "retries")
    2
    """
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise InputError(
            f"expected a whole number from {minimum} to {maximum}, got {brief(value)}",
            field=field,
        )
    return value
