"""Bytes from a user's file → text, or one located line saying where it is not UTF-8."""

from __future__ import annotations

import codecs

from geo.errors import InputError

__all__ = ["decode_utf8", "not_utf8", "other_encoding"]

_OTHER_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"),
)  # fmt: skip


def decode_utf8(data: bytes, *, file: str | None = None) -> str:
    """The text of ``data`` (a UTF-8 BOM dropped).

    Raises
    ------
    InputError
        At the line of the first byte that is not UTF-8 (``line 2: expected UTF-8
        text, found byte 0xE9 (invalid continuation byte)``), or naming the
        encoding a UTF-16 or UTF-32 byte order mark announces.
    """
    error = other_encoding(data[:4], file=file)
    if error is not None:
        raise error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise not_utf8(exc, file=file, line=data.count(b"\n", 0, exc.start) + 1) from None


def other_encoding(head: bytes, *, file: str | None) -> InputError | None:
    """The error for a file whose first bytes, ``head`` (4 are enough), are a UTF-16 or
    UTF-32 byte order mark, naming the encoding; None for any other start."""
    for bom, name in _OTHER_BOMS:  # UTF-32 first: its BOM starts like UTF-16's
        if head.startswith(bom):
            return InputError(
                f"expected UTF-8 text, got {name} (save the file as UTF-8)", file=file
            )
    return None


def not_utf8(exc: UnicodeDecodeError, *, file: str | None, line: int) -> InputError:
    """The error for ``exc``, met on ``line``."""
    return InputError(
        f"expected UTF-8 text, found byte 0x{exc.object[exc.start]:02X} ({exc.reason})",
        file=file,
        record=f"line {line}",
    )
