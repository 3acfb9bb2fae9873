"""Writing outputs: checked before the work starts, written atomically.

The helpers live in :mod:`geo.io.atomic` (``geo.write_events`` needs them too, and
``geo`` never imports ``maps``); they are named here for the map's callers.
"""

from __future__ import annotations

from geo.io.atomic import check_writable, write_atomic

__all__ = ["check_writable", "write_atomic"]
