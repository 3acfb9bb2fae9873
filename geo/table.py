"""The events table: parsed events, geocoded, as one GeoDataFrame row each.

The columns (:data:`COLUMNS`) are the contract between ``geo`` and ``maps``.
The nested ones hold the records of :mod:`geo.model`: ``quantities`` a list of
:class:`~geo.model.Quantity`, ``sources`` a list of :class:`~geo.model.Source`
(``lat``/``lon`` set where its place resolved), ``places`` a list of the
:class:`~geo.model.Place` each place name or point resolved to (coordinates
rounded to 6 decimals); ``actors`` and ``via`` are lists of names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

import geopandas as gpd
import pandas as pd
import shapely

from geo.errors import InputError
from geo.model import Event, PlaceRef, Source
from geo.resolve import Geocoder, PlaceResolver, ResolvedPlace
from geo.routes import geodesic_route
from geo.schema import kind_labels, record_label

#: The columns of an events frame, in order.
COLUMNS = [
    "id", "kind", "title", "description", "date", "end_date", "date_start", "date_end",
    "date_precision", "actors", "places", "origin", "via", "destination", "quantities",
    "sources", "confidence", "status", "notes", "lat", "lon", "length_km", "geometry",
]  # fmt: skip

#: The columns that hold lists of records or names (JSON text in a file
#: :func:`geo.write_events` writes).
NESTED = ["actors", "places", "via", "quantities", "sources"]


def events_frame(
    events: Iterable[Event],
    *,
    geocoder: Geocoder | None = None,
    file: str | None = None,
    geometries: list[shapely.Geometry | None] | None = None,
    record: str = "event",
    first: int = 1,
) -> gpd.GeoDataFrame:
    """Geocode parsed events and build the events GeoDataFrame.

    ``geometries``, when given, holds a geometry per event that was read with
    the data (CSV lat/lon, GeoJSON geometry); those events are not geocoded.
    Messages name the events ``{record} {n}``, numbered from ``first`` (CSV:
    ``row``, from 2, the header being row 1).

    The frame's ``attrs`` hold ``unresolved`` (the place names no geocoder
    resolved), ``places`` (those it did) and ``truncated`` (every text cut to
    :data:`geo.schema.MAX_TEXT`, as ``file: record: field: truncated to N of M
    characters``).
    """
    events = list(events)
    resolver = PlaceResolver(geocoder)
    rows = [
        _row(ev, resolver, file=file, index=i, record=record,
             given=geometries[i - first] if geometries else None)
        for i, ev in enumerate(events, first)
    ]  # fmt: skip
    frame = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=COLUMNS), geometry="geometry", crs="EPSG:4326"
    )
    for col in ("date_start", "date_end"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    frame.attrs["unresolved"] = list(resolver.unresolved)
    frame.attrs["places"] = [r.as_dict() for r in resolver.resolved]
    frame.attrs["truncated"] = [t for ev in events for t in ev.truncated]
    frame.attrs["kind_labels"] = kind_labels((ev.kind, ev.kind_label) for ev in events)
    return frame


def check_unique(events: Iterable[Event], file: str, *, record: str = "event", first: int = 1):
    """Raise on the first id used twice, naming both records (``row 5``, ``first used by
    row 3``)."""
    seen: dict[str, int] = {}
    for i, ev in enumerate(events, first):
        if ev.id in seen:
            raise InputError(
                f"duplicate id; first used by {record} {seen[ev.id]}; expected unique ids",
                file=file,
                record=record_label(record, i, {"id": ev.id}),
                field="id",
            )
        seen[ev.id] = i


def _row(
    ev: Event,
    resolver: PlaceResolver,
    *,
    file: str | None,
    index: int,
    given: shapely.Geometry | None,
    record: str = "event",
) -> dict:
    record = record_label(record, index, {"id": ev.id})

    def resolve(ref: PlaceRef, field: str) -> ResolvedPlace | None:
        return resolver.resolve(ref, file=file, record=record, field=field)

    geometry, length_km, places = given, None, []
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
        elif found[-1] is not None:
            anchor = found[-1].point
    elif ev.places:
        found = [resolve(ref, f"place[{i}]" if len(ev.places) > 1 else "place")
                 for i, ref in enumerate(ev.places)]  # fmt: skip
        places = [f for f in found if f is not None]
        if given is None and places:
            geometry = _combine([f.geometry for f in places])
        if places:
            anchor = places[0].point
    if anchor is None and geometry is not None and not geometry.is_empty:
        anchor = shapely.point_on_surface(geometry) if geometry.geom_type != "Point" else geometry
    start = ev.date.start if ev.date else None
    end = (ev.end_date or ev.date).end if ev.date else None
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
        "origin": ev.origin.name if ev.origin else None,
        "via": [v.name for v in ev.via],
        "destination": ev.destination.name if ev.destination else None,
        "quantities": list(ev.quantities),
        "sources": [_source_row(s, resolve, i) for i, s in enumerate(ev.sources)],
        "confidence": ev.confidence,
        "status": ev.status,
        "notes": ev.notes,
        "lat": round(anchor.y, 6) if anchor is not None else None,
        "lon": round(anchor.x, 6) if anchor is not None else None,
        "length_km": length_km,
        "geometry": geometry,
    }


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
