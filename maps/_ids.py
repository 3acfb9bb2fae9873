"""Deterministic element ids, so the same input renders byte-identical HTML.

branca names every element from ``urandom`` (``Element._generate_id``). While a
map is built and rendered, :func:`deterministic_ids` swaps that classmethod
for a counter. The swap is process-wide, so it is held under a lock.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from branca.element import Element

__all__ = ["deterministic_ids"]

_LOCK = threading.RLock()


@contextmanager
def deterministic_ids(prefix: str = "em") -> Iterator[None]:
    """Within the block, new elements get ids ``em0001``, ``em0002``, ..."""
    counter = itertools.count(1)
    with _LOCK:
        original = Element.__dict__["_generate_id"]
        Element._generate_id = classmethod(lambda cls: f"{prefix}{next(counter):04d}")
        try:
            yield
        finally:
            Element._generate_id = original
