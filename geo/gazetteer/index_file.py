"""The gazetteer's name index on disk: sorted keys in small compressed blocks.

``names.idx`` maps every normalized name to the places it may name. It is
built by ``data/gazetteer/build.py`` and read here. It is laid out so that one
query costs one small block, not the whole index:

* keys sorted by code point (Python's ``str`` order), cut into blocks of
  :data:`BLOCK_KEYS` keys; each block is zlib-compressed and holds its keys
  (UTF-8, ``\\n``-separated) and their postings (``kind``, ``quality``, ``row``);
* a header lists each block's first key, offset and size, so a lookup bisects
  the header, inflates one block (~20 KB) and bisects its keys.

A single cold lookup therefore reads the file (~8 MB, one ``read``) and
inflates a block or two; a batch inflates each block it touches once.
Nothing is unpickled or parsed as JSON beyond the small header.

Layout::

    b"EVMAPIDX"  uint32 version  uint32 header size  header (zlib JSON)  blocks...

A block, once inflated::

    uint32 n_keys, uint32 n_entries, uint32 key bytes
    keys (UTF-8, "\\n"-joined)  uint16 count[n_keys]  (entries per key)
    uint8 code[n_entries]  (kind << 4 | quality + 1)
    uint8 row0[n_entries], row1[n_entries], row2[n_entries]  (row, byte by byte)

Rows are split into byte planes because the high bytes repeat: the postings
compress to two thirds of their size as plain ``int32``.
"""

from __future__ import annotations

import bisect
import json
import mmap
import struct
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from geo.errors import InputError

MAGIC = b"EVMAPIDX"
VERSION = 1
BLOCK_KEYS = 1024
_HEAD = struct.Struct("<8sII")
_BLOCK_HEAD = struct.Struct("<III")


class Postings:
    """The entries of one key: parallel arrays ``kind``, ``quality`` and ``row``."""

    __slots__ = ("kind", "quality", "row")

    def __init__(self, kind: np.ndarray, quality: np.ndarray, row: np.ndarray):
        self.kind, self.quality, self.row = kind, quality, row

    def __len__(self) -> int:
        return len(self.kind)


class _Block:
    __slots__ = ("keys", "starts", "kind", "quality", "row")

    def __init__(self, raw: bytes):
        n_keys, n_entries, key_bytes = _BLOCK_HEAD.unpack_from(raw)
        at = _BLOCK_HEAD.size
        self.keys = raw[at : at + key_bytes].decode("utf-8").split("\n")
        assert len(self.keys) == n_keys
        at += key_bytes
        counts = np.frombuffer(raw, dtype="<u2", count=n_keys, offset=at)
        self.starts = np.zeros(n_keys + 1, dtype=np.int64)
        np.cumsum(counts, out=self.starts[1:])
        at += 2 * n_keys
        code = np.frombuffer(raw, dtype=np.uint8, count=n_entries, offset=at).astype(np.int8)
        self.kind = code >> 4
        self.quality = (code & 15) - 1
        at += n_entries
        planes = np.frombuffer(raw, dtype=np.uint8, count=3 * n_entries, offset=at)
        planes = planes.reshape(3, n_entries).astype(np.int32)
        self.row = planes[0] | (planes[1] << 8) | (planes[2] << 16)

    def find(self, key: str) -> Postings | None:
        i = bisect.bisect_left(self.keys, key)
        if i == len(self.keys) or self.keys[i] != key:
            return None
        lo, hi = int(self.starts[i]), int(self.starts[i + 1])
        return Postings(self.kind[lo:hi], self.quality[lo:hi], self.row[lo:hi])


class IndexFile:
    """Read access to ``names.idx``.

    Parameters
    ----------
    path : str or Path
        The index file.

    Raises
    ------
    InputError
        If the file is not an index of this version (a ``ValueError``; the
        message names the file).
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        expected = f"not an eventmap name index of version {VERSION}"
        rebuild = "rebuild with data/gazetteer/build.py"
        # Mapped, not read: a query touches the header and a block or two.
        with open(self.path, "rb") as f:
            if f.seek(0, 2) < _HEAD.size:  # (mmap refuses an empty file)
                raise InputError(f"{expected} (the file is too short); {rebuild}", file=str(path))
            self._data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        magic, version, size = _HEAD.unpack_from(self._data)
        if magic != MAGIC or version != VERSION:
            raise InputError(
                f"{expected} (found {magic!r}, version {version}); {rebuild}", file=str(path)
            )
        try:
            header = json.loads(zlib.decompress(self._data[_HEAD.size : _HEAD.size + size]))
        except (zlib.error, ValueError):  # ValueError: not JSON, or not UTF-8
            raise InputError(
                f"{expected} (its header is damaged); {rebuild}", file=str(path)
            ) from None
        self._first = header["first"]
        base = _HEAD.size + size
        self._offset = [base + o for o in header["offset"]]
        self.n_keys = header["n_keys"]
        self.n_entries = header["n_entries"]
        self._blocks: dict[int, _Block] = {}

    def _block(self, b: int) -> _Block:
        block = self._blocks.get(b)
        if block is None:
            raw = zlib.decompress(self._data[self._offset[b] : self._offset[b + 1]])
            block = self._blocks[b] = _Block(raw)
        return block

    def find(self, key: str) -> Postings | None:
        """The postings of ``key``, or ``None`` if the index lacks it."""
        b = bisect.bisect_right(self._first, key) - 1
        if b < 0:
            return None
        return self._block(b).find(key)

    def find_many(self, keys: Iterable[str]) -> dict[str, Postings]:
        """Postings of every key the index holds, visiting blocks in order."""
        out: dict[str, Postings] = {}
        for key in sorted(set(keys)):
            found = self.find(key)
            if found is not None:
                out[key] = found
        return out

    def keys(self) -> list[str]:
        """Every key, sorted (inflates the whole index)."""
        return [k for b in range(len(self._first)) for k in self._block(b).keys]


def write_index(path: str | Path, keys: Sequence[str], kind, quality, row) -> dict:
    """Write an index of entries sorted by key (then by any order within a key).

    Parameters
    ----------
    path : str or Path
        Output file.
    keys : sequence of str
        One key per entry, sorted in Python ``str`` order; no key contains ``\\n``.
    kind, quality, row : array-like
        The entries' codes and rows.

    Returns
    -------
    dict
        Counts (keys, entries, blocks) for the manifest.
    """
    kind = np.asarray(kind, dtype=np.int64)
    quality = np.asarray(quality, dtype=np.int64)
    row = np.asarray(row, dtype=np.int64)
    assert kind.min() >= 0 and kind.max() < 8 and quality.min() >= -1 and quality.max() < 15
    assert row.min() >= 0 and row.max() < 1 << 24
    code = ((kind << 4) | (quality + 1)).astype(np.uint8)
    planes = np.stack([row & 255, (row >> 8) & 255, row >> 16]).astype(np.uint8)
    keys = list(keys)
    assert all(a <= b for a, b in zip(keys, keys[1:], strict=False)), "keys not sorted"
    # Unique keys and where each one's entries start.
    starts = [0] + [i for i in range(1, len(keys)) if keys[i] != keys[i - 1]] + [len(keys)]
    unique = [keys[s] for s in starts[:-1]]
    assert not any("\n" in k for k in unique)
    blocks, first = [], []
    for b0 in range(0, len(unique), BLOCK_KEYS):
        bkeys = unique[b0 : b0 + BLOCK_KEYS]
        lo, hi = starts[b0], starts[b0 + len(bkeys)]
        counts = np.diff(np.asarray(starts[b0 : b0 + len(bkeys) + 1]))
        assert counts.max() < 1 << 16
        text = "\n".join(bkeys).encode("utf-8")
        raw = b"".join(
            [
                _BLOCK_HEAD.pack(len(bkeys), hi - lo, len(text)),
                text,
                counts.astype("<u2").tobytes(),
                code[lo:hi].tobytes(),
                planes[:, lo:hi].tobytes(),
            ]
        )
        blocks.append(zlib.compress(raw, 9))
        first.append(bkeys[0])
    # Offsets count from the end of the header.
    offset = [0]
    for blob in blocks:
        offset.append(offset[-1] + len(blob))
    header = zlib.compress(
        json.dumps(
            {"first": first, "offset": offset, "n_keys": len(unique), "n_entries": len(keys)},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8"),
        9,
    )
    with open(path, "wb") as f:
        f.write(_HEAD.pack(MAGIC, VERSION, len(header)))
        f.write(header)
        for blob in blocks:
            f.write(blob)
    return {"keys": len(unique), "entries": len(keys), "blocks": len(blocks)}
