"""Read event files (YAML, CSV/ACLED, GeoJSON, GeoParquet) into a GeoDataFrame.

Every reader ends in the same table (:data:`COLUMNS`, EPSG:4326), one row per
event, in file order. Nested fields (actors, quantities, sources, places) are
lists of plain dicts in memory and JSON text on disk. The frame's ``attrs``
carry the run's report: ``unresolved`` (every place name no geocoder could
resolve, with file, record and field), ``truncated`` (every text cut to
:data:`~geo.events.MAX_TEXT` characters, as ``file: record: field: truncated to N
of M characters``), ``title`` and ``documents``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import shapely
import yaml

from ._csv import csv_frame
from ._frame import _NESTED, COLUMNS, check_unique, events_frame
from ._geofile import geojson_events, parquet_events
from .errors import InputError, UnresolvedPlaceError
from .events import _Located, _opt, brief, parse_event
from .resolve import Geocoder

__all__ = ["COLUMNS", "read_events", "events_frame", "write_events"]


def read_events(
    path: str | Path,
    *,
    geocoder: Geocoder | None = None,
    strict: bool = False,
) -> gpd.GeoDataFrame:
    """Read an event file and geocode its places.

    Parameters
    ----------
    path : str or Path
        ``.yaml``/``.yml``, ``.csv`` (an ACLED export is recognised by its
        columns), ``.geojson``/``.json`` or ``.parquet``/``.geoparquet``.
    geocoder : Geocoder, optional
        Resolves place names; the offline gazetteer by default.
    strict : bool
        Raise :class:`~geo.errors.UnresolvedPlaceError` if any place name stays
        unresolved, instead of listing it in ``attrs["unresolved"]``.

    Returns
    -------
    GeoDataFrame
        One row per event with the columns in :data:`COLUMNS`, EPSG:4326.

    Examples
    --------
    >>> events = read_events("data/events/dprk-russia.yaml")  # doctest: +SKIP
    >>> events.attrs["unresolved"]                            # doctest: +SKIP
    []
    """
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise InputError("no such file", file=name)
    suffix = path.suffix.lower()
    meta: dict = {}
    given: list[shapely.Geometry | None] | None = None
    frame = None
    if suffix in (".yaml", ".yml"):
        raws, meta = _yaml_records(path)
        events = [parse_event(r, file=name, index=i) for i, r in enumerate(raws, 1)]
    elif suffix == ".csv":
        frame = csv_frame(path, geocoder=geocoder)
    elif suffix in (".geojson", ".json"):
        events, given, meta = geojson_events(path)
    elif suffix in (".parquet", ".geoparquet"):
        events, given = parquet_events(path)
    else:
        raise InputError(
            f"unknown file type {suffix!r}; expected .yaml, .csv, .geojson or .parquet", file=name
        )
    if frame is None:
        check_unique(events, name)
        frame = events_frame(events, geocoder=geocoder, file=name, geometries=given)
    where = _Located(name, None)  # the file's own fields are shown on the map too
    meta = _meta(where, meta)
    frame.attrs["truncated"] = where.notes + frame.attrs.get("truncated", [])
    frame.attrs.update(meta)
    frame.attrs["file"] = name
    if strict and frame.attrs["unresolved"]:
        raise UnresolvedPlaceError(frame.attrs["unresolved"], file=name)
    return frame


def _meta(where: _Located, meta: Mapping) -> dict:
    """The file's title, description and documents, checked as an event's fields are."""
    meta = where.clean({k: meta.get(k) for k in ("title", "description", "documents")})
    documents = meta["documents"]
    if documents is None:
        documents = []
    if not isinstance(documents, list):
        raise where.fail("documents", f"expected a list of {{id, name}}, got {brief(documents)}")
    for i, d in enumerate(documents):
        if not (isinstance(d, Mapping) and d.get("id") is not None):
            raise where.fail(f"documents[{i}]", f"expected {{id, name, ...}}, got {brief(d)}")
    return {
        "title": _opt(where, meta["title"], "title"),
        "description": _opt(where, meta["description"], "description"),
        "documents": documents,
    }


# --------------------------------------------------------------------------- formats


def _yaml_records(path: Path) -> tuple[list, dict]:
    name = str(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"expected UTF-8 text, found byte 0x{raw[exc.start]:02X} ({exc.reason})",
            file=name, record=f"line {line}",
        ) from None  # fmt: skip
    try:
        data = _load_yaml(text, name)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        raise InputError(
            f"not valid YAML: character U+{exc.character:04X} is not allowed in YAML text",
            file=name, record=f"line {line}",
        ) from None  # fmt: skip
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else None
        problem = " ".join((getattr(exc, "problem", None) or str(exc)).split())
        if len(problem) > 200:  # PyYAML quotes what it found, however long
            problem = f"{problem[:120]} … {problem[-60:]}"
        raise InputError(f"not valid YAML: {problem}", file=name, record=where) from None
    if isinstance(data, list):
        return data, {}
    if isinstance(data, Mapping) and isinstance(data.get("events"), list):
        return data["events"], {k: v for k, v in data.items() if k != "events"}
    raise InputError("expected a list of events, or a mapping with an 'events' list", file=name)


#: How deep the YAML reader lets lists and mappings nest before it gives up (PyYAML
#: composes recursively; the schema needs 5 levels, the events' own check stops at
#: :data:`~geo.events.MAX_DEPTH` below the events list).
_YAML_DEPTH = 64
#: How many nodes aliases may add to a document: 100 times its own (a shared source
#: or place reused by every event adds a few times), at least 100,000 (small files
#: may reuse freely) and at most 5,000,000 (a few hundred thousand events' worth).
_ALIAS_RATIO, _ALIAS_FLOOR, _ALIAS_CAP = 100, 100_000, 5_000_000


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, bounded for untrusted files.

    Dates stay text, so that the schema's own date parser reports ``2025-02-30`` or
    ``1500-01-01`` with the field's name; an integer Python cannot read as one
    (over 4,300 digits) stays text for the same reason; nesting is bounded.
    """

    def __init__(self, stream: str, name: str):
        super().__init__(stream)
        self._depth, self._name = 0, name

    def compose_node(self, parent, index):
        if self._depth >= _YAML_DEPTH:
            raise InputError(
                f"lists and mappings nested deeper than {_YAML_DEPTH} levels; expected events",
                file=self._name, record=f"line {self.peek_event().start_mark.line + 1}",
            )  # fmt: skip
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node):
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # Python's limit on the digits of an int
            return self.construct_scalar(node)

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, LookupError, TypeError, OverflowError) as exc:  # '!!int ""', ...
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {brief(node.value)} as {node.tag} ({exc})",
                node.start_mark,
            ) from None  # fmt: skip


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_str)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


def _load_yaml(text: str, name: str) -> object:
    """``yaml.safe_load`` with :class:`_Loader`, refusing aliases that refer to their own
    node (a cycle) or expand the document beyond what it holds (an alias bomb)."""
    loader = _Loader(text, name)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_aliases(node, name)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _check_keys(node: yaml.MappingNode, name: str) -> None:
    """A key given twice in one mapping is refused (PyYAML would keep the last silently)."""
    keys: set = set()
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
            if (key.tag, key.value) in keys:
                raise InputError(
                    f"the key {brief(key.value)} is given twice in one mapping; expected it once",
                    file=name, record=f"line {key.start_mark.line + 1}",
                )  # fmt: skip
            keys.add((key.tag, key.value))


def _check_aliases(root: yaml.Node, name: str) -> None:
    """Count the nodes the document has once its aliases are expanded (each distinct
    node's expanded size once, bottom up), and refuse it beyond the bound."""
    own, seen, stack = 0, set(), [root]
    while stack:  # the nodes written, each once
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            own += 1
            stack.extend(_children(node))
            if isinstance(node, yaml.MappingNode):
                _check_keys(node, name)
    limit = own + max(_ALIAS_FLOOR, min(_ALIAS_RATIO * own, _ALIAS_CAP))
    size: dict[int, int] = {}
    open_: set[int] = set()  # the nodes being counted: the current one and its ancestors
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            open_.discard(id(node))
            size[id(node)] = n = 1 + sum(size[id(c)] for c in _children(node))
            if n > limit:
                raise InputError(
                    f"aliases expand this node to {n:,} nodes, from {own:,} written; expected "
                    f"at most {limit:,} (an alias bomb?)",
                    file=name, record=f"line {node.start_mark.line + 1}",
                )  # fmt: skip
            continue
        if id(node) in size:
            continue
        stack.append((node, True))
        open_.add(id(node))
        for child in _children(node):
            if id(child) not in size:
                if id(child) in open_:
                    raise InputError(
                        "an alias refers to a node that contains it; expected a tree",
                        file=name, record=f"line {child.start_mark.line + 1}",
                    )  # fmt: skip
                stack.append((child, False))


def write_events(frame: gpd.GeoDataFrame, path: str | Path) -> Path:
    """Write an events frame as GeoParquet or GeoJSON (nested fields as JSON text).

    The file reads back with :func:`read_events`: geometries as written, places
    given as coordinates as points, named places looked up again by name.
    """
    path = Path(path)
    out = frame.copy()
    for col in _NESTED:
        out[col] = out[col].map(lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    for col in ("date_start", "date_end"):
        out[col] = out[col].dt.strftime("%Y-%m-%d")
    if path.suffix.lower() in (".parquet", ".geoparquet"):
        out.to_parquet(path)
    else:
        out.to_file(path, driver="GeoJSON")
    return path
