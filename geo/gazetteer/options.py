"""A query's options, checked: country hint, kind, bias box, context places.

Context places come as :class:`~geo.Place` objects (from this gazetteer or an
online provider), place ids (``ne:US-ID``), country codes or names (a country
alone pulls its places, not a point) or any name the gazetteer resolves.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from geo.errors import GeocodingError, InputError, brief
from geo.gazetteer.files import KIND_REGION, PROVIDER
from geo.gazetteer.index import KINDS, NameIndex, Options

if TYPE_CHECKING:  # pragma: no cover
    from geo.model import Place

__all__ = ["make_options", "BBox"]

BBox = tuple[float, float, float, float]


def make_options(
    index: NameIndex,
    *,
    country_hint: str | None = None,
    kind: str | None = None,
    bias=None,
    context: Iterable[Place | str] = (),
    k: int = 5,
    explain: bool = False,
) -> Options:
    """Check a query's options and turn them into :class:`~geo.gazetteer.index.Options`.

    Raises
    ------
    ValueError
        For a bad ``kind``, ``k`` or ``bias``.
    GeocodingError
        If ``country_hint`` names no country or a context item no place.
    """
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    hint = -1
    if country_hint is not None:
        iso = index.country_code(country_hint)
        if iso is None:
            raise GeocodingError(
                f"country hint {country_hint!r}: expected an ISO 3166-1 code or a "
                "country name, found no such country",
                query=country_hint,
                provider=PROVIDER,
            )
        hint = index.tables.code(iso)
    items, labels = [], []
    for item in context:
        items.append(_context_item(index, item))
        labels.append(item.name if not isinstance(item, str) and hasattr(item, "id") else str(item))
    ctx = index.context(items, labels) if items else None
    return Options(hint, kind, check_bbox(bias), ctx, k, explain)


def _context_item(index: NameIndex, item: Place | str) -> tuple:
    """``(country code, admin-1 id, lat, lon, is_region)`` of a context place."""
    if not isinstance(item, str) and hasattr(item, "id"):
        found = index.resolve_id(item.id)
        if found is not None:
            return (*index.entity(*found), found[0] == KIND_REGION)
        return (index.tables.code(item.country), -1, item.lat, item.lon, item.kind == "region")
    if not isinstance(item, str) or not item.strip():
        raise GeocodingError(
            f"context: expected a Place, a place id or a name, got {item!r}",
            query=str(item),
            provider=PROVIDER,
        )
    found = index.resolve_id(item)
    if found is not None:
        return (*index.entity(*found), found[0] == KIND_REGION)
    iso = index.country_code(item)
    if iso is not None:  # a country named alone pulls its places, not a point
        return (index.tables.code(iso), -1, float("nan"), float("nan"), False)
    matches = index.search_many([item], Options(k=1))[0]
    if not matches:
        raise GeocodingError(
            f"context: {item!r} names no place the gazetteer knows",
            query=item,
            provider=PROVIDER,
        )
    m = matches[0]
    return (*index.entity(m.kind, m.row), m.kind == KIND_REGION)


def check_bbox(bias, *, field: str = "bias") -> BBox | None:
    """A bias box ``(min_lon, min_lat, max_lon, max_lat)`` as floats, checked.

    Raises :class:`~geo.errors.InputError` (a ``ValueError``) naming ``field``.
    """
    if bias is None:
        return None
    try:
        box = tuple(float(v) for v in bias)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an int beyond floats
        box = ()
    if len(box) != 4:
        raise InputError(
            f"expected four numbers W,S,E,N (lon/lat degrees), got {brief(bias)}", field=field
        )
    min_lon, min_lat, max_lon, max_lat = box
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise InputError(
            "expected longitudes in [-180, 180] and min_lat <= max_lat in [-90, 90], "
            f"got {brief(bias)}",
            field=field,
        )
    return box  # type: ignore[return-value]
