"""Writing outputs: checked before the work starts, written atomically.

A render can take minutes on a large export; a path that cannot be written is
said at once, in one line, not after the work (or as a traceback).
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from geo.errors import OutputError

__all__ = ["check_writable", "write_atomic"]


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
    """Write ``data`` to ``path`` through a temporary file in the same folder:
    readers see the old file or the new one, never half of one.

    Raises
    ------
    OutputError
        When the folder cannot be made or written, or ``path`` is a folder.
    """
    path = check_writable(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        if exc.errno == errno.ENAMETOOLONG:
            reason = "the name is too long"
        raise OutputError(f"cannot write: {reason}", path=str(path)) from None
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise
    return path
