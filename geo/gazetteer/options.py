"""A query's options, resolved against the gazetteer: country hint, context places.

:class:`~geo.model.Query` checks the options (types, ranges, the bias box);
:func:`make_options` turns a query's options into the arrays the ranking uses
(:class:`~geo.gazetteer.index.Options`), which needs the gazetteer: a country
hint must name a country, a context item a place. Context places come as
:class:`~geo.Place` objects (from this gazetteer or an online provider), place
ids (``ne:US-ID``), country codes or names (a country alone pulls its places,
not a point) or any name the gazetteer resolves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.errors import GeocodingError
from geo.gazetteer.files import KIND_REGION, PROVIDER
from geo.gazetteer.index import NameIndex, Options
from geo.model import BBox, Query

if TYPE_CHECKING:  # pragma: no cover
    from geo.model import Place

__all__ = ["make_options", "BBox"]


def make_options(index: NameIndex, query: Query, *, explain: bool = False) -> Options:
    """The options of ``query`` as :class:`~geo.gazetteer.index.Options` for ``index``.

    Raises
    ------
    GeocodingError
        If ``query.country_hint`` names no country or a context item no place.
    """
    hint = -1
    if query.country_hint is not None:
        iso = index.country_code(query.country_hint)
        if iso is None:
            raise GeocodingError(
                f"country hint {query.country_hint!r}: expected an ISO 3166-1 code or a "
                "country name, found no such country",
                query=query.country_hint,
                provider=PROVIDER,
            )
        hint = index.tables.code(iso)
    items = [_context_item(index, item) for item in query.context]
    labels = [item if isinstance(item, str) else item.name for item in query.context]
    ctx = index.context(items, labels) if items else None
    return Options(hint, query.kind, query.bias, ctx, query.k, explain)


def _context_item(index: NameIndex, item: Place | str) -> tuple:
    """``(country code, admin-1 id, lat, lon, is_region)`` of a context place."""
    if not isinstance(item, str):  # a Place (Query checked it has an id)
        found = index.resolve_id(item.id)
        if found is not None:
            return (*index.entity(*found), found[0] == KIND_REGION)
        return (index.tables.code(item.country), -1, item.lat, item.lon, item.kind == "region")
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
