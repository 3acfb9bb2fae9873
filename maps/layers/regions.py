"""The front regions: the polygons of the regions where fighting, losses or
deployments are placed, each listing the events placed there."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import shapely

from geo.model import Place
from maps.contract import PlaceFeature, PopupSource
from maps.labels import month_label
from maps.layers.shapes import display, geojson
from maps.popups import ms
from maps.style import FRONT_KINDS, LayerSpec

__all__ = ["front_regions"]


def front_regions(
    spec: LayerSpec,
    frame: pd.DataFrame,
    region_geometry: Callable[[str], shapely.Geometry] | None = None,
) -> list[PlaceFeature]:
    """A feature per region place of the events of :data:`~maps.style.FRONT_KINDS`.

    ``region_geometry`` maps a place id to its polygon (the offline
    gazetteer's by default, loaded only if a region is named).
    """
    regions: dict[str, tuple[Place, list[int]]] = {}
    for i, (kind, places) in enumerate(zip(frame["kind"], frame["places"], strict=True)):
        if kind not in FRONT_KINDS:
            continue
        for p in places:
            if p.kind == "region":
                regions.setdefault(p.id, (p, []))[1].append(i)
    if not regions:
        return []
    if region_geometry is None:
        from geo import default_gazetteer

        region_geometry = default_gazetteer().geometry
    titles = frame["title"].tolist()
    starts = frame["date_start"].tolist()
    features = []
    for pid, (place, rows) in regions.items():
        known = [starts[i] for i in rows if not pd.isna(starts[i])]
        first = min(known) if known else None
        features.append(PlaceFeature(
            id=f"region:{pid}",
            kind="front_region",
            layer_label=spec.label,
            color=spec.color,
            shape="area",
            geom=geojson(display(region_geometry(pid))),
            title=f"{place.name} — front region",
            date=month_label(first) if first is not None else None,
            start=ms(first),
            where=f"{place.name} ({place.country})",
            figures=[],
            description="Events placed here: " + "; ".join(titles[i] for i in rows),
            sources=[PopupSource(name=place.source, claim=f"Boundary of {place.name}")],
            lat=place.lat, lon=place.lon,
            dashed=False,
        ))  # fmt: skip
    return features
