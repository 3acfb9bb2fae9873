"""A persistent cache of provider answers: SQLite in a cache directory.

:class:`Cached` wraps a search callable; :class:`GeocodeCache` stores its
answers (found or not) by provider and :class:`~geo.model.Query` (its text and
what a provider is sent of its options), so a second run asks the provider
nothing it already answered. Nominatim's policy asks for this.

Safety: each answer is written in one transaction (``INSERT OR REPLACE``), so
a reader sees an answer whole or not at all. The database runs in WAL mode,
where readers never block the writer, and waits up to ``timeout`` seconds for
another process's write lock instead of failing with "database is locked":
two ``eventmap geocode`` runs can share one cache.

The directory is ``$EVENTMAP_CACHE_DIR`` if set, else the platform's user cache
directory (``$XDG_CACHE_HOME/eventmap`` or ``~/.cache/eventmap`` on Linux,
``~/Library/Caches/eventmap`` on macOS, ``%LOCALAPPDATA%\\eventmap\\Cache`` on
Windows).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from geo.errors import CacheError
from geo.geocoders._answers import degrees
from geo.geocoders.base import search_query
from geo.geocoders.limits import seconds
from geo.model import Place, Query

__all__ = ["GeocodeCache", "Cached", "default_cache_dir", "CACHE_FILE"]

CACHE_FILE = "geocode.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key      TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    query    TEXT NOT NULL,
    answer   TEXT NOT NULL,  -- JSON list of places, [] when nothing was found
    created  REAL NOT NULL   -- Unix time
) WITHOUT ROWID
"""


def default_cache_dir() -> Path:
    """Where the cache lives: ``$EVENTMAP_CACHE_DIR`` or the user cache directory."""
    if env := os.environ.get("EVENTMAP_CACHE_DIR", "").strip():
        return Path(env).expanduser()
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "eventmap"
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        return Path(base) / "eventmap" / "Cache"
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(home / ".cache")
    return Path(base) / "eventmap"


class GeocodeCache:
    """The SQLite store of provider answers.

    Parameters
    ----------
    path : str or Path, optional
        The database file; ``default_cache_dir() / "geocode.sqlite3"`` by default.
    timeout : float
        Seconds to wait for another process's write lock.

    Raises
    ------
    CacheError
        If the file cannot be created or is not a cache database.
    """

    def __init__(self, path: str | Path | None = None, *, timeout: float = 30.0):
        self.path = Path(path) if path is not None else default_cache_dir() / CACHE_FILE
        timeout = seconds(timeout, "timeout")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: no implicit transactions; each write below
            # is its own explicit one.
            self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            self._db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise CacheError(
                f"cannot open the geocoding cache ({exc}); expected a writable SQLite file: "
                "delete it, or set EVENTMAP_CACHE_DIR to another directory",
                path=str(self.path),
            ) from exc

    def get(self, key: str) -> list[dict] | None:
        """The stored answer for ``key``, or ``None`` if there is none.

        An answer that is not a JSON list of objects (a row written by another
        program, a damaged file) counts as none: it is asked again and replaced.
        """
        try:
            row = self._db.execute("SELECT answer FROM answers WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            raise CacheError(
                f"cannot read the geocoding cache ({exc})", path=str(self.path)
            ) from exc
        if row is None or not isinstance(row[0], str):
            return None
        try:
            answer = json.loads(row[0])
        except (ValueError, RecursionError):
            return None
        if not isinstance(answer, list) or not all(isinstance(p, dict) for p in answer):
            return None
        return answer

    def put(self, key: str, provider: str, query: str, answer: list[dict]) -> None:
        """Store ``answer`` under ``key``, atomically."""
        text = json.dumps(answer, ensure_ascii=False, sort_keys=True)
        try:
            with self._db:  # BEGIN … COMMIT, ROLLBACK on error
                self._db.execute("BEGIN IMMEDIATE")
                self._db.execute(
                    "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)",
                    (key, provider, query, text, time.time()),
                )
        except sqlite3.Error as exc:
            raise CacheError(
                f"cannot write the geocoding cache ({exc})", path=str(self.path)
            ) from exc

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM answers").fetchone()[0]

    def close(self) -> None:
        self._db.close()


class Cached:
    """Answer from the cache when it can, else call ``search`` and store its answer.

    Parameters
    ----------
    search : callable
        ``search(query) -> list[Place]`` (a :data:`~geo.geocoders.base.Search`),
        called as ``Cached`` is called; its ``namespace`` attribute (service and
        host) keeps providers' answers apart.
    cache : GeocodeCache
        Where answers are kept.

    Attributes
    ----------
    hits, misses : int
        Answers served from the cache, and calls passed to ``search``.
    """

    def __init__(self, search: Callable[..., list[Place]], cache: GeocodeCache):
        self.search = search
        self.cache = cache
        self.namespace = getattr(search, "namespace", "")
        self.name = getattr(search, "name", "provider")
        self.hits = self.misses = 0

    def key(self, query: str | Query, options: Mapping[str, object] | None = None) -> str:
        """The key of a query (a :class:`~geo.model.Query`, or a text and its
        options): equal queries, one key. Only what a provider is sent counts
        (not the context), and the text without its surrounding spaces."""
        q = search_query(query, options or {})
        sent = {"country_hint": q.country_hint, "kind": q.kind, "bias": q.bias, "limit": q.k}
        text = json.dumps([self.namespace, q.text.strip(), sent], sort_keys=True, default=list)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def __call__(self, query: str | Query, **options) -> list[Place]:
        q = search_query(query, options)
        key = self.key(q)
        stored = _places(self.cache.get(key), q.text)
        if stored is not None:
            self.hits += 1
            return stored
        self.misses += 1
        found = self.search(query, **options)
        self.cache.put(key, self.namespace, q.text, [dataclasses.asdict(p) for p in found])
        return found


def _places(stored: list[dict] | None, query: str) -> list[Place] | None:
    """A stored answer as places, or ``None`` if it is no answer eventmap wrote."""
    if stored is None:
        return None
    try:
        places = [Place(**{**p, "query": query}) for p in stored]
    except TypeError:  # fields missing or unknown
        return None
    for p in places:
        if degrees(p.lat, "latitude") is None or degrees(p.lon, "longitude") is None:
            return None
    return places
