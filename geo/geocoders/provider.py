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
from http import HTTPStatus
from urllib.parse import urlsplit

from geo.errors import GeocoderServiceError, GeocodingError
from geo.geocoders._answers import location_places, nominatim_places
from geo.geocoders.base import default_user_agent, search_query
from geo.model import Place, Query

__all__ = ["ProviderSearch", "provider_search", "PUBLIC_NOMINATIM"]

PUBLIC_NOMINATIM = "nominatim.openstreetmap.org"

# Place.kind → Nominatim featuretype
_FEATURETYPE = {"country": "country", "region": "state", "city": "settlement"}
# What geopy's parsers of other services raise on an answer they cannot read.
_PARSE_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError)


class ProviderSearch:
    """One geopy geocoder as a :data:`~geo.geocoders.base.Search`: a query → places.

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

    def __call__(self, query: str | Query, **options) -> list[Place]:
        """At most ``k`` places for ``query`` (a :class:`~geo.model.Query`, or a text with
        its options; ``limit`` is accepted for ``k``), from one request."""
        import geopy.exc as gx

        q = search_query(query, options)
        query, country_hint, kind, bias, limit = q.text, q.country_hint, q.kind, q.bias, q.k
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
        for what, text in (("query", query), ("country hint", country_hint or "")):
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as exc:  # a lone surrogate: undecodable bytes from argv
                raise GeocoderServiceError(
                    f"{self.name}: {query!r}: cannot be sent, the {what} is not valid Unicode "
                    f"text ({exc.reason} at character {exc.start + 1})",
                    query=query,
                    provider=self.name,
                ) from None
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
        except _PARSE_ERRORS as exc:  # geopy's parser of the service choked on its answer
            raise GeocoderServiceError(
                f"{self.name}: {query!r}: answered something geopy's "
                f"{type(self.geocoder).__name__} cannot read ({type(exc).__name__}: {_short(exc)})",
                query=query,
                provider=self.name,
                transient=True,
            ) from exc
        if self.is_nominatim:
            found = nominatim_places(found, query=query, provider=self.name, domain=self.domain)
        else:
            source = f"{type(self.geocoder).__name__} via geopy ({self.domain})"
            found = location_places(
                found, query=query, provider=self.name, service=self.service, source=source
            )
        return [p for p in found if kind is None or p.kind == kind][:limit]

    def _classify(self, exc: Exception) -> tuple[str, bool, float | None]:
        """What went wrong, whether a retry may help, and the Retry-After.

        The HTTP status comes first: geopy raises its ``GeocoderTimedOut`` for
        a 503 as for a real timeout, which would report a server's refusal as
        a wait that never ended.
        """
        import geopy.exc as gx
        from geopy.adapters import AdapterHTTPError, get_retry_after

        cause = exc.__cause__
        if isinstance(cause, AdapterHTTPError) and isinstance(cause.status_code, int):
            status = cause.status_code
            try:
                what = f"HTTP {status} {HTTPStatus(status).phrase}"
            except ValueError:
                what = f"HTTP {status}"
            retry_after = getattr(exc, "retry_after", None)
            if retry_after is None and status in (429, 503):
                try:
                    retry_after = get_retry_after(cause.headers or {})
                except Exception:  # noqa: BLE001 - a bad header is no reason to fail
                    retry_after = None
            if status == 429:
                what += " (rate limited)"
            transient = status >= 500 or status in (408, 425, 429)
            return what, transient, retry_after
        if isinstance(exc, gx.GeocoderTimedOut) or _timed_out(exc):
            timeout = getattr(self.geocoder, "timeout", None)
            after = f" after {timeout:g} s" if isinstance(timeout, (int, float)) else ""
            return f"timed out{after}", True, None
        if isinstance(exc, gx.GeocoderUnavailable):
            return f"service unavailable ({_short(exc)})", True, None
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
            return f"refused: {_short(exc)}", False, None
        if isinstance(exc, gx.GeocoderServiceError):
            # A network error (refused connection, reset, DNS) is worth another try.
            if _cause(exc, ConnectionRefusedError):
                return "connection refused", True, None
            return f"request failed: {_short(exc)}", True, None
        return _short(exc), False, None


def _cause(exc: BaseException, kind: type) -> bool:
    """Whether ``exc`` was raised while handling (or from) an exception of ``kind``."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, kind):
            return True
        seen.add(id(exc))
        reason = getattr(exc, "reason", None)  # urllib's URLError wraps the socket's error
        if isinstance(reason, kind):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _timed_out(exc: BaseException) -> bool:
    """A timeout geopy reports otherwise (while reading the body: "Unable to read")."""
    return _cause(exc, TimeoutError)


def _checked_by_eventmap(cls: type) -> type:
    """geopy's Nominatim class, whose ``geocode`` returns the decoded JSON as is.

    geopy's own parser turns a result without coordinates into a place at
    0, 0 and wraps a longitude of 500 to 140; :func:`._answers.nominatim_places`
    checks every field instead. ``_parse_json(places, exactly_one)`` is the
    callback geopy's ``Nominatim.geocode`` hands the JSON to (stable since
    geopy 1.x).
    """

    def _parse_json(self, places, exactly_one):
        return places

    return type(cls.__name__, (cls,), {"_parse_json": _parse_json, "__module__": __name__})


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
            f"provider {service!r}: expected 'offline', 'nominatim' or a geopy service "
            "name (photon, arcgis, opencage, ...), found no such geopy service",
            provider=service,
        ) from None
    if service.lower() == "nominatim":
        cls = _checked_by_eventmap(cls)
    params = inspect.signature(cls.__init__).parameters
    kwargs: dict = dict(options or {})
    agent = user_agent or default_user_agent(contact)
    if not agent.isprintable():  # a line break would end the header (refused by http.client)
        raise GeocodingError(
            f"user agent {agent!r}: expected one line of printable text", provider=service
        )
    kwargs["user_agent"] = agent
    kwargs["timeout"] = timeout
    kwargs["adapter_factory"] = URLLibAdapter
    domain = ""
    if url is not None:
        expected = "expected http(s)://host[:port][/path]"
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
        except ValueError as exc:
            raise GeocodingError(
                f"provider URL {url!r}: {exc}; {expected}", provider=service
            ) from None
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or not url.isprintable()
            or " " in url
        ):
            raise GeocodingError(f"provider URL {url!r}: {expected}", provider=service)
        if parts.username is not None or parts.password is not None:
            # urllib sends no credentials from a URL, and they would show in
            # every message and cache file name.
            raise GeocodingError(
                f"provider URL {url!r}: {expected}, without user:password@ (pass a key "
                "as an option of the provider instead)",
                provider=service,
            )
        if "domain" not in params:
            raise GeocodingError(
                f"provider URL {url!r}: geopy's {cls.__name__} takes no URL (no 'domain' option)",
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
            f"options for {cls.__name__}: {exc}; see geopy's documentation of {cls.__name__}",
            provider=service,
        ) from exc
    except Exception as exc:  # geopy's ConfigurationError and the like
        raise GeocodingError(f"{cls.__name__}: {exc}", provider=service) from exc
    domain = domain or str(getattr(geocoder, "domain", "") or "").strip("/") or service
    return ProviderSearch(geocoder, service=service.lower(), domain=domain)
