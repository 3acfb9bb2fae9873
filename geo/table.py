"""The events table: parsed events, geocoded, as one GeoDataFrame row each.

The columns (:data:`COLUMNS`) are the contract between ``geo`` and ``maps``.
The nested ones hold the records of :mod:`geo.model`: ``quantities`` a list of
:class:`~geo.model.Quantity`, ``sources`` a list of :class:`~geo.model.Source`
(``lat``/``lon`` set where its place resolved), ``places`` a list of the
:class:`~geo.model.Place` each place name or point resolved to (coordinates
rounded to 6 decimals); ``actors`` and ``via`` are lists of names.
``place_precision`` says how precisely an event is placed (:data:`PRECISIONS`),
``unresolved`` lists its place names no geocoder resolved (kept, so that a file
:func:`geo.write_events` wrote lists them again when read),
``details`` holds the export's own fields a popup shows, as (label, text)
pairs, and ``flags`` the doubts about the event's place a popup shows.
Readers of real exports append their analyst columns (ACLED's
``sub_event_type``, ``admin2``, ...) after these, under their own names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import InputError
from geo.model import PRECISIONS, Event, PlaceRef, Source
from geo.report import Flagged, Rejected
from geo.resolve import Geocoder, PlaceResolver, ResolvedPlace, outside_country
from geo.routes import geodesic_route, route_length_km
from geo.schema import kind_labels, record_label

#: The columns of an events frame, in order.
COLUMNS = [
    "id", "kind", "title", "description", "date", "end_date", "date_start", "date_end",
    "date_precision", "actors", "places", "place_precision", "unresolved", "origin", "via",
    "destination",
    "quantities", "sources", "confidence", "status", "notes", "details", "flags",
    "lat", "lon", "length_km", "geometry",
]  # fmt: skip

#: The columns that hold lists of records or names (JSON text in a file
#: :func:`geo.write_events` writes).
NESTED = ["actors", "places", "unresolved", "via", "quantities", "sources", "details", "flags"]


#: A record's fields that are not an event's but the frame's own columns: a file
#: write_events wrote has them, and the frame makes them again.
_OWN = frozenset(COLUMNS) | {"kind_label"}


def events_frame(
    events: Iterable[Event],
    *,
    geocoder: Geocoder | None = None,
    file: str | None = None,
    geometries: list[shapely.Geometry | None] | None = None,
    record: str = "event",
    first: int = 1,
    numbers: Sequence[int] | None = None,
) -> gpd.GeoDataFrame:
    """Geocode parsed events and build the events GeoDataFrame.

    ``geometries``, when given, holds a geometry per event that was read with
    the data (CSV lat/lon, GeoJSON geometry); those events are not geocoded.
    Messages name the events ``{record} {n}``, numbered from ``first`` (CSV:
    ``row``, from 2, the header being row 1), or by ``numbers``, one per event,
    when records were skipped.

    The frame's ``attrs`` hold ``unresolved`` (the place names no geocoder
    resolved), ``places`` (those it did) and ``truncated`` (every text cut to
    :data:`geo.schema.MAX_TEXT`, as ``file: record: field: truncated to N of M
    characters``).
    """
    events = list(events)
    if numbers is None:
        numbers = range(first, first + len(events))
    resolver = PlaceResolver(geocoder)
    flagged: list[Flagged] = []
    outside = _outside(events)
    rows = [
        _row(ev, resolver, file=file, index=n, record=record,
             given=geometries[k] if geometries else None, flagged=flagged,
             checked=outside.get(k, ()))
        for k, (n, ev) in enumerate(zip(numbers, events, strict=True))
    ]  # fmt: skip
    extra = list(dict.fromkeys(k for ev in events for k in ev.extra if k not in _OWN))
    frame = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=COLUMNS).assign(
            **{k: [ev.extra.get(k) for ev in events] for k in extra}
        ),
        geometry="geometry",
        crs="EPSG:4326",
    )
    for col in ("date_start", "date_end"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    frame.attrs["unresolved"] = list(resolver.unresolved)
    frame.attrs["places"] = resolver.report()
    frame.attrs["truncated"] = [t for ev in events for t in ev.truncated]
    frame.attrs["kind_labels"] = kind_labels((ev.kind, ev.kind_label) for ev in events)
    frame.attrs["flagged"] = flagged
    frame.attrs["rejected"] = []
    frame.attrs["records"] = len(events)
    return frame


def _outside(events: list[Event]) -> dict[int, list[tuple[str, str]]]:
    """The flags of the points given with a country (``place: {lat, lon, country}``)
    that lie outside it, or whose country is not known, by event: (field, text)."""
    at, lon, lat, countries = [], [], [], []
    for k, ev in enumerate(events):
        for i, ref in enumerate(ev.places):
            if ref.has_point and ref.country:
                at.append((k, "place" if len(ev.places) == 1 else f"place[{i}]"))
                lon.append(float(ref.lon))
                lat.append(float(ref.lat))
                countries.append(ref.country)
    out: dict[int, list[tuple[str, str]]] = {}
    if not at:
        return out
    km = outside_country(np.array(lon), np.array(lat), countries)
    for (k, field), country, d in zip(at, countries, km.tolist(), strict=True):
        if d != d:  # NaN: a country the gazetteer does not know
            text = f"country {country!r} is not known: its coordinates were not checked"
        elif d > 0:
            text = f"coordinates lie {d:,.0f} km outside {country}, the event's country"
        else:
            continue
        out.setdefault(k, []).append((field, text))
    return out


def duplicates(
    ids: Iterable[str], file: str | None, *, record: str = "event", numbers: Iterable[int]
) -> list[tuple[int, Rejected]]:
    """Every record whose id an earlier one used: its position and its rejection
    (``row 5``: ``duplicate id; first used by row 3``)."""
    seen: dict[str, int] = {}
    out = []
    for k, (ident, n) in enumerate(zip(ids, numbers, strict=False)):
        if ident in seen:
            reason = f"duplicate id; first used by {record} {seen[ident]}; expected unique ids"
            label = record_label(record, n, {"id": ident})
            out.append((k, Rejected(file, label, "id", reason)))
        else:
            seen[ident] = n
    return out


def check_unique(events: Iterable[Event], file: str, *, record: str = "event", first: int = 1):
    """Raise on the first id used twice, naming both records (``row 5``, ``first used by
    row 3``)."""
    events = list(events)
    found = duplicates((ev.id for ev in events), file, record=record,
                       numbers=range(first, first + len(events)))  # fmt: skip
    if found:
        raise found[0][1].error()


def _row(
    ev: Event,
    resolver: PlaceResolver,
    *,
    file: str | None,
    index: int,
    given: shapely.Geometry | None,
    record: str = "event",
    flagged: list[Flagged],
    checked: Iterable[tuple[str, str]] = (),
) -> dict:
    record = record_label(record, index, {"id": ev.id})
    flags = {text: "place" for text in ev.flags}  # each flag, and the field it is about
    for field, text in checked:
        flags.setdefault(text, field)

    def resolve(ref: PlaceRef, field: str) -> ResolvedPlace | None:
        found = resolver.resolve(ref, file=file, record=record, field=field)
        flag = found.flag if found is not None else None
        if flag:  # once, if it was read back from a file it was written to
            flags.setdefault(flag, field)
        return found

    geometry, length_km, places, unresolved = given, None, [], []
    anchor = None
    if ev.origin is not None:
        stops = [("origin", ev.origin)]
        stops += [(f"via[{i}]", v) for i, v in enumerate(ev.via)]
        stops += [("destination", ev.destination)]
        found = [resolve(ref, f) for f, ref in stops]
        places = [f for f in found if f is not None]
        if given is None and all(found):
            points = [resolver.route_point(f) for f in found]
            geometry, length_km = geodesic_route(points)
            length_km = round(length_km, 1)
            anchor = shapely.Point(points[-1])
        elif given is not None and given.geom_type in ("LineString", "MultiLineString"):
            # the route as drawn (read back from a file write_events wrote): it ends
            # where the event is anchored
            length_km = round(route_length_km(given), 1)
            anchor = shapely.Point(shapely.get_coordinates(given)[-1])
        elif found[-1] is not None:
            anchor = found[-1].point
    elif ev.places:
        found = [resolve(ref, f"place[{i}]" if len(ev.places) > 1 else "place")
                 for i, ref in enumerate(ev.places)]  # fmt: skip
        places = [f for f in found if f is not None]
        unresolved = [ref.name for ref, f in zip(ev.places, found, strict=True) if f is None]
        if given is None and places:
            geometry = _combine([f.geometry for f in places])
        if places:
            anchor = places[0].point
    if anchor is None and geometry is not None and not geometry.is_empty:
        anchor = shapely.point_on_surface(geometry) if geometry.geom_type != "Point" else geometry
    start = ev.date.start if ev.date else None
    end = (ev.end_date or ev.date).end if ev.date else None
    flagged.extend(Flagged(file, record, field, text) for text, field in flags.items())
    return {
        "id": ev.id,
        "kind": ev.kind,
        "title": ev.title,
        "description": ev.description,
        "date": str(ev.date) if ev.date else None,
        "end_date": str(ev.end_date) if ev.end_date else None,
        "date_start": pd.Timestamp(start) if start else pd.NaT,
        "date_end": pd.Timestamp(end) if end else pd.NaT,
        "date_precision": ev.date.precision if ev.date else None,
        "actors": list(ev.actors),
        "places": [p.record for p in places],
        "place_precision": _precision(ev, places, given),
        "unresolved": unresolved,
        "origin": ev.origin.name if ev.origin else None,
        "via": [v.name for v in ev.via],
        "destination": ev.destination.name if ev.destination else None,
        "quantities": list(ev.quantities),
        "sources": [_source_row(s, resolve, i) for i, s in enumerate(ev.sources)],
        "confidence": ev.confidence,
        "status": ev.status,
        "notes": ev.notes,
        "details": list(ev.details),
        "flags": list(flags),
        "lat": round(anchor.y, 6) if anchor is not None else None,
        "lon": round(anchor.x, 6) if anchor is not None else None,
        "length_km": length_km,
        "geometry": geometry,
    }


def _precision(
    ev: Event, places: list[ResolvedPlace], given: shapely.Geometry | None
) -> str | None:
    """How precisely an event is placed: as the data says, else its coarsest place
    (None for a route)."""
    if ev.place_precision is not None:
        return ev.place_precision
    if ev.origin is not None:
        return None
    if given is not None and not given.is_empty and given.geom_type != "Point":
        return "area"
    found = [f.precision for f in places]
    if not found and given is not None and not given.is_empty:
        found = ["near" if any(r.approximate for r in ev.places) else "point"]
    return max(found, key=PRECISIONS.index) if found else None


def _source_row(
    source: Source, resolve: Callable[[PlaceRef, str], ResolvedPlace | None], i: int
) -> Source:
    """A source with the coordinates of its place, when it has one that resolves."""
    if source.place:
        found = resolve(PlaceRef(source.place), f"sources[{i}].place")
        if found is not None:
            return dataclasses.replace(source, lat=found.record.lat, lon=found.record.lon)
    return source


def _combine(geoms: list[shapely.Geometry]) -> shapely.Geometry:
    """Several places as one geometry, keeping each part (no dissolve)."""
    if len(geoms) == 1:
        return geoms[0]
    parts = [p for g in geoms for p in shapely.get_parts(g)]
    kinds = {p.geom_type for p in parts}
    if kinds == {"Polygon"}:
        return shapely.MultiPolygon(parts)
    if kinds == {"Point"}:
        return shapely.MultiPoint(parts)
    return shapely.GeometryCollection(parts)


def records_frame(
    parsed: Sequence[Event | InputError],
    *,
    geocoder: Geocoder | None = None,
    file: str | None = None,
    geometries: Sequence[shapely.Geometry | None] | None = None,
    record: str = "event",
    numbers: Sequence[int] | None = None,
) -> gpd.GeoDataFrame:
    """The frame of a file's records, each parsed (an :class:`Event`) or refused (the
    :class:`~geo.errors.InputError` it raised): refused ones and later duplicates are
    listed in ``attrs["rejected"]`` in file order, the others are the frame's rows.

    ``numbers`` gives each record's number as messages name it (default 1, 2, ...);
    ``attrs["records"]`` is how many there were.
    """
    if numbers is None:
        numbers = range(1, len(parsed) + 1)
    refused = {k: Rejected.from_error(p) for k, p in enumerate(parsed) if isinstance(p, InputError)}
    keep = [k for k in range(len(parsed)) if k not in refused]
    twice = duplicates(
        (parsed[k].id for k in keep), file, record=record, numbers=[numbers[k] for k in keep]
    )
    refused.update((keep[p], r) for p, r in twice)
    keep = [k for k in keep if k not in refused]
    frame = events_frame(
        [parsed[k] for k in keep],
        geocoder=geocoder,
        file=file,
        geometries=[geometries[k] for k in keep] if geometries is not None else None,
        record=record,
        numbers=[numbers[k] for k in keep],
    )
    frame.attrs["rejected"] = [refused[k] for k in sorted(refused)]
    frame.attrs["records"] = len(parsed)
    return frame
