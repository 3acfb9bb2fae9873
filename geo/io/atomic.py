"""Writing outputs: checked before the work starts, written atomically.

A render can take minutes on a large export; a path that cannot be written is
said at once, in one line, not after the work (or as a traceback). Every file
eventmap writes goes through a temporary file in the same folder, renamed over
the target once complete: readers see the old file or the new one, never half
of one, and a failed write leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from geo.errors import OutputError

__all__ = ["check_writable", "write_atomic", "atomic_path"]


def check_writable(path: str | os.PathLike) -> Path:
    """Raise :class:`~geo.errors.OutputError` unless a file can be written at ``path``.

    The path must not be a folder, the nearest folder that exists above it must
    be a folder (not a plain file) that this user may write in. Folders in
    between are made when the file is written.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError("is a folder; expected the path of a file to write", path=str(path))
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(f"{parent} is a file, not a folder", path=str(path))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write in the folder {parent}", path=str(path))
    return path


def write_atomic(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    Raises
    ------
    OutputError
        When the folder cannot be made or written, or ``path`` is a folder.
    """
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """A path to write ``path``'s content to, renamed to ``path`` when the block ends.

    The temporary path has ``path``'s name, in a hidden folder made beside it
    (``.NAME.XXXX.tmp/NAME``), so that writers which choose a format by the
    name's suffix, or refuse to overwrite a file (GDAL's), work unchanged; the
    folder goes when the block ends, whatever happens in it.

    Raises
    ------
    OutputError
        When the folder cannot be made or written, or ``path`` is a folder.
    """
    path = check_writable(path)
    folder = None
    try:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            folder = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
        except OSError as exc:
            raise _output_error(exc, path) from None
        tmp = folder / path.name
        try:
            yield tmp
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except OSError as exc:  # a full disk, a quota: the write's, said in one line
            raise _output_error(exc, path) from None
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _output_error(exc: OSError, path: Path) -> OutputError:
    reason = os.strerror(exc.errno) if exc.errno else str(exc)
    if exc.errno == errno.ENAMETOOLONG:
        reason = "the name is too long"
    return OutputError(f"cannot write: {reason}", path=str(path))
