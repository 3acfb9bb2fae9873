"""The sources layer: one symbol per place a claim comes from (an intelligence
service's capital, a ministry's city), listing the claims made there."""

from __future__ import annotations

import pandas as pd

from maps.contract import PlaceFeature, PopupSource
from maps.labels import count_label, date_label
from maps.popups import ms
from maps.style import LayerSpec

__all__ = ["cited_places", "source_places"]


def cited_places(frame: pd.DataFrame) -> list[bool]:
    """Per event, whether one of its sources has a place that resolved."""
    return [any(s.lat is not None for s in sources) for sources in frame["sources"]]


def source_places(spec: LayerSpec, frame: pd.DataFrame) -> list[PlaceFeature]:
    """A feature per distinct source place, in order of first citation.

    Each claim reads as its event's popup lists its source (name, date, claim,
    URL), dated with the event's date and worded with its title when the
    source says neither.
    """
    starts = frame["date_start"].tolist()
    titles = frame["title"].tolist()
    dates = frame["date"].tolist()
    precisions = frame["date_precision"].tolist()
    at: dict[tuple[float, float], dict] = {}
    for i, sources in enumerate(frame["sources"].tolist()):
        for s in sources:
            if s.lat is None:
                continue
            entry = at.setdefault((s.lat, s.lon), {"place": s.place, "claims": [], "starts": []})
            claim = {
                "name": s.name,
                "date": s.date or date_label(_text(dates[i]), _text(precisions[i])),
                "claim": s.claim or _text(titles[i]),
                "url": s.url,
            }
            entry["claims"].append(PopupSource(**{k: v for k, v in claim.items() if v}))
            entry["starts"].append(ms(starts[i]))
    features = []
    for (lat, lon), entry in at.items():
        names = sorted({c["name"] for c in entry["claims"]})
        starts_here = entry["starts"]
        features.append(PlaceFeature(
            id=f"source:{entry['place']}",
            kind="source",
            layer_label=spec.label,
            color=spec.color,
            shape="circle",
            radius=7.0,
            points=[[round(lat, 5), round(lon, 5)]],
            title=f"{entry['place']}: {count_label(len(entry['claims']), 'claims')} from "
            f"{', '.join(names)}",
            date=None,
            start=None if None in starts_here else min(starts_here),
            where=entry["place"],
            figures=[],
            description=None,
            sources=entry["claims"],
            lat=lat, lon=lon,
            dashed=False,
        ))  # fmt: skip
    return features


def _text(value: object) -> object:
    """A frame's value, with pandas' missing markers (NaN, NA, NaT) as None."""
    return None if pd.isna(value) else value
