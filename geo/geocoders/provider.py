"""Online providers through geopy: Nominatim first, any geopy service by name.

:func:`provider_search` builds a geopy geocoder and returns a
:class:`ProviderSearch`: one HTTP request per call, answers as
:class:`~geo.Place` objects, and geopy's exceptions turned into
:class:`~geo.errors.GeocoderServiceError` that say whether a retry may help.
It does not wait, retry or cache: :mod:`~geo.geocoders.throttle` and
:mod:`~geo.geocoders.cache` wrap it.

Requests go through geopy's urllib adapter, which never retries on its own
(the requests adapter retries connections behind our back and would multiply
waits), with the system proxies, except for loopback URLs.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from urllib.parse import urlsplit

from ..errors import GeocoderServiceError, GeocodingError
from ..gazetteer import BBox, Place
from .base import default_user_agent

__all__ = ["ProviderSearch", "provider_search", "PUBLIC_NOMINATIM"]

PUBLIC_NOMINATIM = "nominatim.openstreetmap.org"

# Nominatim's addresstype → Place.kind
_KINDS = {
    "country": "country",
    "state": "region",
    "province": "region",
    "region": "region",
    "state_district": "region",
    "city": "city",
    "town": "city",
    "village": "city",
    "hamlet": "city",
    "municipality": "city",
    "suburb": "city",
    "borough": "city",
}
# Place.kind → Nominatim featuretype
_FEATURETYPE = {"country": "country", "region": "state", "city": "settlement"}


class ProviderSearch:
    """One geopy geocoder as a search callable returning :class:`~geo.Place` lists.

    Parameters
    ----------
    geocoder : geopy.geocoders.base.Geocoder
        A configured geopy geocoder instance.
    service : str
        Its geopy service name (``"nominatim"``, ``"photon"``...).
    domain : str
        Host (and path) it talks to, for messages, sources and cache keys.
    """

    def __init__(self, geocoder, *, service: str, domain: str):
        self.geocoder = geocoder
        self.service = service
        self.domain = domain
        self.name = f"{service} ({domain})"
        self.is_nominatim = service == "nominatim"

    @property
    def namespace(self) -> str:
        """What makes two providers' answers differ: service and domain."""
        return f"{self.service}|{self.domain}"

    def __call__(
        self,
        query: str,
        *,
        country_hint: str | None = None,
        kind: str | None = None,
        bias: BBox | None = None,
        limit: int = 5,
    ) -> list[Place]:
        import geopy.exc as gx

        kwargs: dict = {"exactly_one": False}
        if self.is_nominatim:
            kwargs.update(limit=limit, addressdetails=True, language="en")
            if country_hint:
                kwargs["country_codes"] = country_hint.lower()
            if bias:
                min_lon, min_lat, max_lon, max_lat = bias
                kwargs["viewbox"] = [(min_lat, min_lon), (max_lat, max_lon)]
            if kind in _FEATURETYPE:
                kwargs["featuretype"] = _FEATURETYPE[kind]
        try:
            found = self.geocoder.geocode(query, **kwargs)
        except gx.GeopyError as exc:
            what, transient, retry_after = self._classify(exc)
            raise GeocoderServiceError(
                f"{self.name}: {query!r}: {what}",
                query=query,
                provider=self.name,
                transient=transient,
                retry_after=retry_after,
            ) from exc
        places = []
        for rank, loc in enumerate(found or []):
            kind_found = self._place(query, loc, rank)
            if kind is None or kind_found.kind == kind:
                places.append(kind_found)
        return places[:limit]

    def _classify(self, exc: Exception) -> tuple[str, bool, float | None]:
        """What went wrong, whether a retry may help, and the Retry-After."""
        import geopy.exc as gx

        if isinstance(exc, gx.GeocoderRateLimited):
            return "HTTP 429 (rate limited)", True, exc.retry_after
        if isinstance(exc, gx.GeocoderTimedOut):
            return f"timed out after {self.geocoder.timeout} s ({exc})", True, None
        if isinstance(exc, gx.GeocoderUnavailable):
            return f"service unavailable: {exc}", True, None
        if isinstance(exc, gx.GeocoderParseError):
            return f"malformed answer, expected JSON: {_short(exc)}", True, None
        refused = (
            gx.GeocoderAuthenticationFailure,
            gx.GeocoderInsufficientPrivileges,
            gx.GeocoderQuotaExceeded,
            gx.GeocoderQueryError,
            gx.ConfigurationError,
        )
        if isinstance(exc, refused):
            return f"refused: {exc}", False, None
        if isinstance(exc, gx.GeocoderServiceError):
            # An HTTP error carries its status; a network error (refused
            # connection, reset) none, and is worth another try.
            status = getattr(exc.__cause__, "status_code", None)
            if status:
                return f"HTTP {status}", status >= 500, None
            return f"request failed: {_short(exc)}", True, None
        return str(exc), False, None

    def _place(self, query: str, loc, rank: int) -> Place:
        raw = loc.raw if isinstance(loc.raw, Mapping) else {}
        lat, lon = round(float(loc.latitude), 6), round(float(loc.longitude), 6)
        address = loc.address or ""
        name = raw.get("name") or address.split(",")[0].strip() or query
        if self.is_nominatim:
            osm_type, osm_id = raw.get("osm_type"), raw.get("osm_id")
            pid = f"osm:{osm_type}/{osm_id}" if osm_type and osm_id else f"nominatim:{lat},{lon}"
            kind = _KINDS.get(raw.get("addresstype") or raw.get("type") or "", "place")
            code = (raw.get("address") or {}).get("country_code")
            try:
                score = round(float(raw.get("importance", 0.0)), 4)
            except (TypeError, ValueError):
                score = 0.0
            source = f"OpenStreetMap contributors, via Nominatim ({self.domain})"
            country = code.upper() if code else None
            return Place(query, name, kind, country, lat, lon, pid, source, score)
        pid = f"{self.service}:{lat},{lon}"
        source = f"{type(self.geocoder).__name__} via geopy ({self.domain})"
        return Place(query, name, "place", None, lat, lon, pid, source, round(1.0 / (rank + 1), 4))


def _short(exc: Exception, limit: int = 120) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def provider_search(
    service: str,
    *,
    url: str | None = None,
    user_agent: str | None = None,
    contact: str | None = None,
    timeout: float = 10.0,
    options: Mapping[str, object] | None = None,
) -> ProviderSearch:
    """Build a geopy provider by its service name.

    Parameters
    ----------
    service : str
        ``"nominatim"`` or any name of ``geopy.geocoders.SERVICE_TO_GEOCODER``
        (``"photon"``, ``"arcgis"``, ``"opencage"``...).
    url : str, optional
        Base URL of the service (``http://127.0.0.1:8080``, a self-hosted
        Nominatim); geopy's default host otherwise.
    user_agent, contact : str, optional
        The User-Agent; by default ``eventmap/<version> (<contact>)`` (see
        :func:`~geo.geocoders.base.default_user_agent`), never geopy's.
    timeout : float
        Seconds to wait for an answer.
    options : mapping, optional
        More keyword arguments for the geopy class (``api_key``...).

    Raises
    ------
    GeocodingError
        If geopy knows no such service, the URL is not http(s), or the
        service takes no URL or rejects an option.
    """
    from geopy.adapters import URLLibAdapter
    from geopy.exc import GeocoderNotFound
    from geopy.geocoders import get_geocoder_for_service

    try:
        cls = get_geocoder_for_service(service.lower())
    except GeocoderNotFound:
        raise GeocodingError(
            f"--provider {service!r}: expected 'offline', 'nominatim' or a geopy service "
            "name (photon, arcgis, opencage, ...), found no such geopy service",
            provider=service,
        ) from None
    params = inspect.signature(cls.__init__).parameters
    kwargs: dict = dict(options or {})
    kwargs["user_agent"] = user_agent or default_user_agent(contact)
    kwargs["timeout"] = timeout
    kwargs["adapter_factory"] = URLLibAdapter
    domain = ""
    if url is not None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise GeocodingError(
                f"--provider-url {url!r}: expected http(s)://host[:port][/path]",
                provider=service,
            )
        if "domain" not in params:
            raise GeocodingError(
                f"--provider-url: geopy's {cls.__name__} takes no URL (no 'domain' option)",
                provider=service,
            )
        domain = parts.netloc + parts.path.rstrip("/")
        kwargs["domain"] = domain
        kwargs["scheme"] = parts.scheme
        if parts.hostname in ("127.0.0.1", "localhost", "::1"):
            kwargs.setdefault("proxies", {})  # never send loopback through a proxy
    try:
        geocoder = cls(**kwargs)
    except TypeError as exc:
        raise GeocodingError(
            f"--option for {cls.__name__}: {exc}; see geopy's documentation of {cls.__name__}",
            provider=service,
        ) from exc
    except Exception as exc:  # geopy's ConfigurationError and the like
        raise GeocodingError(f"{cls.__name__}: {exc}", provider=service) from exc
    domain = domain or str(getattr(geocoder, "domain", "") or "").strip("/") or service
    return ProviderSearch(geocoder, service=service.lower(), domain=domain)
