"""The sources layer: one symbol per place a claim comes from (an intelligence
service's capital, a ministry's city), listing the claims made there."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from maps.contract import PlaceFeature, PopupSource
from maps.labels import count_label, date_label
from maps.popups import ms
from maps.style import LayerSpec

__all__ = ["capped_names", "cited_places", "cited_sources", "document_names", "source_places"]

#: At most this many names in a printed list (then "and N more"), each cut
#: to this many characters.
MAX_NAMES = 30
MAX_NAME_CHARS = 200


def cited_sources(frame: pd.DataFrame) -> list[str]:
    """The names of the sources the events cite, most cited first, then by name.

    An event's sources are :class:`geo.Source` objects or dicts with a
    ``name``; a frame without a ``sources`` column cites none.
    """
    if "sources" not in frame:
        return []
    names: Counter = Counter()
    for sources in frame["sources"].tolist():
        if isinstance(sources, list | tuple):
            for s in sources:
                name = getattr(s, "name", None) or (s.get("name") if isinstance(s, dict) else None)
                if name:
                    names[str(name)] += 1
    return [n for n, _ in sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))]


def document_names(attrs: dict) -> list[str]:
    """The names (else ids) of the documents in ``attrs["documents"]``, in order."""
    out = []
    for d in attrs.get("documents") or []:
        name = (d.get("name") or d.get("id")) if isinstance(d, dict) else d
        if name:
            out.append(str(name))
    return out


def capped_names(
    names: list[str], limit: int = MAX_NAMES, width: int = MAX_NAME_CHARS
) -> list[str]:
    """``names`` for a printed list: at most ``limit`` of them, then "and N
    more"; each at most ``width`` characters (cut with an ellipsis)."""
    out = [n if len(n) <= width else n[: width - 1].rstrip() + "…" for n in names[:limit]]
    if len(names) > limit:
        out.append(f"and {len(names) - limit} more")
    return out


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
