"""The automaton of the gazetteer's names and demonyms, and its cache on disk.

Building the Aho–Corasick automaton of half a million names takes a second or
two; loading it from ``default_cache_dir()`` takes a fifth of that. The cache
holds only data: each name's value is an int (its length and kind, see
:data:`PLACE`, :data:`DEMONYM`), so the automaton stores ints
(``ahocorasick.STORE_INTS``) and the file is the automaton's own node arrays
behind a JSON header, checked (size, CRC-32) before the nodes are handed to
pyahocorasick. No pickle is read: a file planted in the cache folder can make
eventmap rebuild the automaton, never run code.

The nodes are parsed by pyahocorasick's C code, which trusts their internal
links; so, as ssh does with ``~/.ssh``, the file is only read when it and every
folder above it belong to the user (or root) and no one else may write there.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
import struct
import sys
import tempfile
import warnings
import zlib
from pathlib import Path

import ahocorasick

from geo.extract._lexicon import Lexicon
from geo.gazetteer.core import Gazetteer
from geo.gazetteer.demonyms import Demonyms
from geo.geocoders.cache import default_cache_dir

__all__ = ["DEMONYM", "PLACE", "automaton", "cache_path"]

#: Kinds of hits, in the two low bits of an automaton value (the rest is the length).
PLACE, DEMONYM = 1, 2

#: Bump when the automaton's content or encoding changes.
_FORMAT = 2
_MAGIC = b"eventmap names automaton\n"
#: A header is a few hundred bytes; anything longer is not ours.
_MAX_HEADER = 1 << 16


class CacheWarning(UserWarning):
    """The automaton cache was not used; the automaton was built in memory."""


def _fingerprint(gazetteer: Gazetteer, demonyms: Demonyms, lexicon: Lexicon) -> str | None:
    """What the automaton is built from; ``None`` when the gazetteer's files are unknown."""
    directory = getattr(gazetteer, "directory", None)
    if directory is None:
        return None
    # The file holds the C library's node layout: its build and the machine's word size count.
    lib = Path(ahocorasick.__file__).stat()
    h = hashlib.sha256(
        f"{_FORMAT}:{ahocorasick.__file__}:{lib.st_size}:{lib.st_mtime_ns}:"
        f"{struct.calcsize('P')}:{sys.byteorder}".encode()
    )
    for f in sorted(Path(directory).iterdir()):
        if f.is_file():
            st = f.stat()
            h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    h.update("\n".join(sorted(demonyms.forms)).encode())
    h.update("\n".join(sorted(lexicon.never_places)).encode())
    return h.hexdigest()[:32]


def cache_path(gazetteer: Gazetteer, demonyms: Demonyms, lexicon: Lexicon) -> Path | None:
    """Where the automaton of these lists is cached; ``None`` when it cannot be."""
    key = _fingerprint(gazetteer, demonyms, lexicon)
    return default_cache_dir() / f"extract-names-{key}.ac" if key else None


@functools.lru_cache(maxsize=4)
def automaton(gazetteer: Gazetteer, demonyms: Demonyms, lexicon: Lexicon):
    """The automaton of every usable key, from the disk cache when it is there and safe."""
    path = cache_path(gazetteer, demonyms, lexicon)
    if path is not None:
        unsafe = _unsafe(path.parent)
        if unsafe:
            warnings.warn(
                CacheWarning(
                    f"{unsafe}: not reading or writing the names cache there "
                    "(others may write to it); building the automaton in memory"
                ),
                stacklevel=4,
            )
            path = None
    if path is not None and path.is_file() and not _unsafe(path):
        auto = _load(path)
        if auto is not None:
            return auto
    auto = _build(gazetteer, demonyms, lexicon)
    if path is not None:
        _save(auto, path)
    return auto


def _build(gazetteer: Gazetteer, demonyms: Demonyms, lexicon: Lexicon):
    auto = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    never = lexicon.never_places
    demonym_keys = set(demonyms.forms)
    for key in gazetteer.name_keys().tolist():
        # Acronym keys (DPRK) are upper case: they are matched apart.
        if len(key) < 3 or key in never or key in demonym_keys or key != key.lower():
            continue
        if not key.isascii():
            continue  # names in other scripts: the view of French or English text is ASCII
        if key.replace(" ", "").isdigit():
            continue
        auto.add_word(f" {key} ", (len(key) + 2) << 2 | PLACE)
    for key in demonym_keys:
        auto.add_word(f" {key} ", (len(key) + 2) << 2 | DEMONYM)
    auto.make_automaton()
    return auto


# --------------------------------------------------------------------------- the file


def _unsafe(path: Path) -> str | None:
    """The first of ``path`` and the folders above it that others could replace, if any.

    Each must belong to the user or to root and be writable by no one else,
    unless it is sticky like ``/tmp`` (others cannot rename what is in it).
    """
    if not hasattr(os, "getuid"):
        return None  # Windows: the user's own profile folder
    uid = os.getuid()
    p = Path(os.path.abspath(path))
    for here in (p, *p.parents):
        try:
            st = here.stat()
        except FileNotFoundError:
            continue  # not made yet: mkdir makes it the user's
        except OSError:
            return str(here)
        if st.st_uid not in (uid, 0):
            return str(here)
        if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            if not (stat.S_ISDIR(st.st_mode) and st.st_mode & stat.S_ISVTX):
                return str(here)
    return None


def _load(path: Path):
    """The automaton in ``path``, or ``None`` for a file that is not a whole one of ours."""
    try:
        with path.open("rb") as f:
            if f.read(len(_MAGIC)) != _MAGIC:
                return None
            line = f.readline(_MAX_HEADER)  # JSON escapes newlines: the header is one line
            header = json.loads(line) if line.endswith(b"\n") else None
            if not isinstance(header, dict) or header.get("format") != _FORMAT:
                return None
            args = [header[k] for k in ("kind", "store", "key_type", "count", "longest")]
            sizes, checks = header["chunks"], header["crc32"]
            if (
                header["store"] != ahocorasick.STORE_INTS
                or header["kind"] != ahocorasick.AHOCORASICK
                or not all(type(v) is int and v >= 0 for v in (*args, *sizes, *checks))
                or not sizes
                or len(sizes) != len(checks)
                or os.fstat(f.fileno()).st_size - f.tell() != sum(sizes)  # truncated, or more
            ):
                return None
            chunks = []
            for size, check in zip(sizes, checks, strict=True):
                chunk = f.read(size)
                if len(chunk) != size or size < 8 or zlib.crc32(chunk) != check:
                    return None
                chunks.append(chunk)
        # The automaton's own unpickling constructor, given data only: ints, no values.
        return ahocorasick.Automaton(chunks, *args, None)
    except (OSError, ValueError, KeyError, TypeError, MemoryError):
        return None


def _save(auto, path: Path) -> None:
    """Write ``auto`` to ``path`` atomically; a read-only cache folder is no error."""
    _cls, (chunks, kind, store, key_type, count, longest, _values) = auto.__reduce__()
    header = {
        "format": _FORMAT,
        "kind": kind,
        "store": store,
        "key_type": key_type,
        "count": count,
        "longest": longest,
        "chunks": [len(c) for c in chunks],
        "crc32": [zlib.crc32(c) for c in chunks],
    }
    tmp = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        for old in path.parent.glob("extract-names-*"):
            old.unlink(missing_ok=True)  # other lists' automatons, and the old pickles
        with tempfile.NamedTemporaryFile(
            dir=path.parent, prefix=".extract-names-", delete=False
        ) as tmp:
            tmp.write(_MAGIC + json.dumps(header).encode() + b"\n")
            for c in chunks:
                tmp.write(c)
        os.replace(tmp.name, path)
    except OSError:  # a read-only home, a full disk: build it each time
        if tmp is not None:
            Path(tmp.name).unlink(missing_ok=True)
