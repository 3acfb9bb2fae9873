"""How the file readers show, in a one-line message, what they found.

:func:`geo.errors.brief` shows a Python value (its ``repr``); these show a value as
a JSON or GeoParquet file spells it (``null``, ``true``, ``an object {...}``), and
an exception's or a text's first line, with what would break the line escaped.
"""

from __future__ import annotations

import json

__all__ = ["describe", "first_line", "printable"]


def describe(value: object, limit: int = 40) -> str:
    """A short rendering of a value as read: JSON-like, cut at ``limit`` characters."""
    if value is None:
        return "null"
    if isinstance(value, (dict, list)):
        kind = "an object" if isinstance(value, dict) else "a list"
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except (ValueError, RecursionError):
            return kind
        text = printable(text if len(text) <= limit else text[: limit - 1] + "…")
        return text if isinstance(value, list) else f"{kind} {text}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and abs(value) > 10**30:
        return f"an integer of {len(str(abs(value)))} digits"
    text = repr(value) if isinstance(value, str) else printable(str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (its type's name if it has none), printable."""
    return printable((str(exc).strip().splitlines() or [type(exc).__name__])[0])


def printable(text: str) -> str:
    """Text for a one-line message: line breaks (also U+2028, U+0085), controls and bidi
    marks from the data spelled as escapes."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)
