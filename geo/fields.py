"""One field of a record read and checked: refusals that name the file, the record
and the field, and the readers of texts, numbers and lists every format shares.

:class:`Located` is where a record's problems are raised (and its cut texts
noted); the readers take it first and the value (or the record and a key), so
a message says what was found, where, and what was expected. What the fields
of an event mean, and how they fit together, is :func:`geo.schema.parse_event`'s.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from geo.errors import InputError, brief

__all__ = [
    "MAX_TEXT",
    "MAX_DEPTH",
    "Located",
    "field_path",
    "as_text",
    "text_field",
    "optional_text",
    "as_number",
    "as_count",
    "list_field",
]

#: The longest text a field keeps: a longer one is cut to this many characters, the
#: last of them a visible mark, and the cut is reported (ACLED's notes stay under 2,000).
MAX_TEXT = 10_000
#: How deep lists and mappings may nest in one record (the schema needs 3).
MAX_DEPTH = 20
# What no text may hold: NUL, and UTF-16 surrogates with no partner (they cannot be
# written as UTF-8, so the page could not be saved).
_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")


class Located:
    """Raises InputErrors that name the file, the record and the field, and keeps the
    record's truncated texts (:attr:`notes`)."""

    def __init__(self, file: str | None, record: str | None):
        self.file, self.record = file, record
        self.notes: list[str] = []

    def fail(self, field_name: str, message: str) -> InputError:
        return InputError(message, file=self.file, record=self.record, field=field_name)

    def text(self, value: str, where: str, *, cut: bool = True) -> str:
        """A text as read: refused if it holds NUL or a lone surrogate, cut (and noted)
        beyond :data:`MAX_TEXT` characters unless ``cut`` is false."""
        bad = _FORBIDDEN.search(value)
        if bad:
            char, at = bad.group(), f"at character {bad.start() + 1:,}"
            raise self.fail(
                where,
                f"found a NUL character (U+0000) {at}; expected text without NUL"
                if char == "\x00"
                else f"found a lone surrogate (U+{ord(char):04X}) {at}; expected valid Unicode "
                "text (is the file's encoding broken?)",
            )
        if len(value) <= MAX_TEXT or not cut:
            return value
        self.notes.append(
            str(self.fail(where, f"truncated to {MAX_TEXT:,} of {len(value):,} characters"))
        )
        mark = f"… [truncated: {len(value):,} characters in all]"
        return value[: MAX_TEXT - len(mark)] + mark

    def clean(self, value: object, where: str = "", depth: int = 0) -> object:
        """A copy of a value as read (mappings, lists, scalars) with every text checked by
        :meth:`text`, and lists and mappings nested at most :data:`MAX_DEPTH` deep."""
        if isinstance(value, str):
            return self.text(value, where)
        if isinstance(value, (Mapping, list, tuple, set, frozenset)):
            if depth >= MAX_DEPTH:
                raise self.fail(
                    where, f"nested deeper than {MAX_DEPTH} levels; expected texts, numbers, "
                    "and lists or mappings of them",
                )  # fmt: skip
            if isinstance(value, Mapping):
                out = {}
                for k, v in value.items():
                    key = self.text(k, where) if isinstance(k, str) else k
                    out[key] = self.clean(v, field_path(where, key), depth + 1)
                return out
            items = [self.clean(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(value)]
            if isinstance(value, (set, frozenset)):  # a YAML !!set: the schema refuses it
                return type(value)(items)
            return items
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 1024:
            raise self.fail(where, f"expected a number a float can hold, got {brief(value)}")
        return value


def field_path(where: str, key: object) -> str:
    """The field name of ``key`` in ``where`` (``sources[0].claim``)."""
    if isinstance(key, str) and len(key) <= 80 and key.isprintable():
        return f"{where}.{key}" if where else key
    return f"{where}[{brief(key)}]"


def as_text(loc: Located, value: object, where: str) -> str:
    """A scalar read as text (a number is its digits); lists, mappings and bytes refused."""
    if isinstance(value, (Mapping, list, tuple, set, frozenset, bytes)):
        raise loc.fail(where, f"expected a text, got {type(value).__name__} {brief(value)}")
    return str(value).strip()


def text_field(loc: Located, raw: Mapping, key: str, *, required: bool = False) -> str | None:
    """The text of ``raw[key]``: None when missing or empty, unless ``required``."""
    value = raw.get(key)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        if required:
            raise loc.fail(key, "missing; expected a non-empty text")
        return None
    text = as_text(loc, value, key)
    if required and not text:
        raise loc.fail(key, "empty; expected a non-empty text")
    return text or None


def as_number(
    loc: Located, value: object, where: str, *, required: bool = True, degrees: bool = False
) -> float | None:
    """A finite number (a text may group its digits with commas or spaces); None when
    missing, unless ``required``. With ``degrees`` (a latitude or longitude, which
    never groups digits) a text's one comma is its decimal point, as European
    spreadsheets write it: ``12,3456`` is 12.3456."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise loc.fail(where, "missing; expected a number")
        return None
    if isinstance(value, bool):
        raise loc.fail(where, f"expected a number, got {value!r}")
    try:
        if isinstance(value, (int, float)):
            number = float(value)
        elif isinstance(value, str) and degrees:
            text = value.strip()
            if text.count(",") == 1 and "." not in text:
                text = text.replace(",", ".")
            number = float(text)
        elif isinstance(value, str):
            number = float(value.replace(",", "").replace("\u202f", "").replace(" ", ""))
        else:
            raise ValueError
    except ValueError:
        raise loc.fail(where, f"expected a number, got {brief(value)}") from None
    except OverflowError:  # an integer beyond any float
        raise loc.fail(where, f"expected a finite number, got {brief(value)}") from None
    if math.isnan(number):
        if required:
            raise loc.fail(where, "missing; expected a number")
        return None
    if math.isinf(number):
        raise loc.fail(where, f"expected a finite number, got {brief(value)}")
    return number


def as_count(loc: Located, value: object, where: str, *, required: bool = True) -> float | None:
    """A figure: a number of 0 or more."""
    number = as_number(loc, value, where, required=required)
    if number is not None and number < 0:
        raise loc.fail(where, f"expected a number of 0 or more, got {number:g}")
    return number


def optional_text(loc: Located, value: object, where: str) -> str | None:
    """A scalar read as text, or None when missing or empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return as_text(loc, value, where) or None


def list_field(loc: Located, raw: Mapping, key: str) -> list:
    """``raw[key]`` as a list: [] when missing, a text or mapping alone as a list of one."""
    value = raw.get(key)
    if value is None:
        return []
    if isinstance(value, (str, Mapping)):
        return [value]
    if not isinstance(value, list):
        raise loc.fail(key, f"expected a list, got {type(value).__name__} {brief(value)}")
    return value
