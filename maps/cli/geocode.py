"""``eventmap geocode``: place names → places, as JSON, CSV or GeoJSON on stdout.

    eventmap geocode QUERY... | --file F [--provider offline|nominatim|NAME]
        [--provider-url URL] [--country-hint ISO2] [--format json|csv|geojson]
        [--top K] [--explain] [--strict] [--gazetteer FILE]

Offline by default (no network). ``--format json`` prints an array in input
order, one object per query with the keys query, name, kind, country, lat,
lon, id, source, score; an unresolved query has lat/lon null and a
``reason``. Progress, warnings and explanations go to stderr. Exit code 0,
unless ``--strict`` and a query is unresolved or the provider fails (2).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import warnings
from pathlib import Path

from rich.console import Console
from rich.text import Text

from geo.errors import FallbackWarning, InputError, UnresolvedPlaceError
from geo.geocoders.limits import MAX_RETRIES, MAX_SECONDS, count, seconds
from geo.model import Place, Query

__all__ = ["add_parser"]

KEYS = ("query", "name", "kind", "country", "lat", "lon", "id", "source", "score")
# Candidates asked for even with --top 1: enough to tell ambiguity and list
# alternatives.
_MIN_K = 3
#: Most candidates --top lists (Nominatim itself answers 40 at most).
MAX_TOP = 100


def _number(parse, check, what: str):
    """An argparse ``type``: text → number, checked; refused in one line naming the flag."""

    def convert(text: str):
        shown = repr(text if len(text) <= 40 else text[:39] + "…")
        try:
            return check(parse(text))
        except InputError as exc:  # the range: "expected ... from 0 to 10, got -1"
            expected = exc.reason.rpartition(", got ")[0]
            raise argparse.ArgumentTypeError(f"{expected}, got {shown}") from None
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {shown}") from None

    return convert


_TOP = _number(int, lambda k: count(k, "--top", minimum=1, maximum=MAX_TOP), "a whole number")
_RETRIES = _number(int, lambda n: count(n, "--retries"), "a whole number")
_SECONDS = _number(float, lambda s: seconds(s, "seconds"), "a number of seconds")
_TIMEOUT = _number(float, lambda s: seconds(s, "--timeout", positive=True), "a number of seconds")


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add the ``geocode`` subcommand."""
    p = subparsers.add_parser(
        "geocode",
        help="resolve place names (offline by default) and print them as JSON, CSV or GeoJSON",
        description="Resolve place names in French, English and other languages to places: "
        "offline with the bundled gazetteer, or through an online provider (Nominatim, any "
        "geopy service) with the gazetteer as fallback.",
    )
    p.add_argument("queries", nargs="*", metavar="QUERY", help="place names")
    p.add_argument(
        "--file",
        type=Path,
        metavar="F",
        help="a file of queries, one per line ('-': stdin); blank lines and # comments skipped",
    )
    p.add_argument(
        "--provider",
        default="offline",
        metavar="offline|nominatim|NAME",
        help="offline (default, no network), nominatim, or any geopy service name",
    )
    p.add_argument("--provider-url", metavar="URL", help="the provider's base URL")
    p.add_argument(
        "--country-hint",
        metavar="ISO2",
        help="only places in this country (a filter, as Nominatim's countrycodes)",
    )
    p.add_argument(
        "--bias",
        metavar="W,S,E,N",
        help="prefer places in this lon/lat box, in degrees (write --bias=-118,46,-116,48 "
        "when W is negative)",
    )
    p.add_argument(
        "--context",
        action="append",
        default=[],
        metavar="PLACE",
        help="a place of the same event or document (name, id or ISO2), repeatable",
    )
    p.add_argument("--kind", choices=Place.KINDS, help="only places of this kind")
    p.add_argument(
        "--format",
        choices=("json", "csv", "geojson"),
        default="json",
        help="json (default): an array, one object per query, in input order; csv: one row "
        "per query (per candidate with --top); geojson: points, polygons for regions and "
        "countries",
    )
    p.add_argument(
        "--top",
        type=_TOP,
        default=1,
        metavar="K",
        help=f"also list the next K-1 candidates (K from 1 to {MAX_TOP})",
    )
    p.add_argument(
        "--explain", action="store_true", help="say why each answer won (stderr, and in the data)"
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="exit 2 if a query is unresolved or the provider fails (no offline fallback)",
    )
    p.add_argument(
        "--gazetteer",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="places of your own (format of geo/data/gazetteer/curated.yaml); they override "
        "every provider for their names. Repeatable",
    )
    online = p.add_argument_group("online providers")
    online.add_argument(
        "--user-agent",
        metavar="TEXT",
        help="User-Agent to send (default: eventmap/VERSION (CONTACT), or $EVENTMAP_USER_AGENT)",
    )
    online.add_argument(
        "--contact",
        metavar="EMAIL|URL",
        help="how to reach you, added to the User-Agent (or $EVENTMAP_CONTACT)",
    )
    online.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an option of the geopy provider class (api_key=...), repeatable",
    )
    online.add_argument(
        "--timeout",
        type=_TIMEOUT,
        default=10.0,
        metavar="S",
        help=f"seconds per request (default 10, at most {MAX_SECONDS:g})",
    )
    online.add_argument(
        "--min-delay",
        type=_SECONDS,
        metavar="S",
        help="seconds between requests (default 1; never under 1 for public Nominatim)",
    )
    online.add_argument(
        "--retries",
        type=_RETRIES,
        default=2,
        metavar="N",
        help="retries of a query after a transient failure: 429, 5xx, timeout, refused "
        f"connection, malformed answer (default 2, so 3 attempts; 0: ask once; at most "
        f"{MAX_RETRIES})",
    )
    online.add_argument(
        "--backoff",
        type=_SECONDS,
        metavar="S",
        default=1.0,
        help="seconds before the first retry, doubling after each (default 1; a provider's "
        "Retry-After wins when longer)",
    )
    online.add_argument(
        "--no-cache", action="store_true", help="neither read nor write the answer cache"
    )
    p.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )
    p.set_defaults(run=_run)
    return p


def _queries(args: argparse.Namespace) -> list[str]:
    queries = []
    for i, q in enumerate(args.queries, start=1):
        queries.append(_text(q, file=None, record=f"QUERY {i}"))
    if args.file is not None:
        try:
            text = (
                sys.stdin.read()
                if str(args.file) == "-"
                else args.file.read_text(encoding="utf-8-sig")
            )
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the queries: {exc}", file=str(args.file)) from exc
        for n, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if line and not line.startswith("#"):
                queries.append(_text(line, file=str(args.file), record=f"line {n}"))
    if not queries:
        raise InputError("no query: give QUERY arguments or --file F", field="geocode")
    return queries


def _text(query: str, *, file: str | None = None, record: str | None = None, field=None) -> str:
    """``query`` if it is text; argv and a C-locale stdin carry undecodable bytes as
    lone surrogates, which no provider, cache or JSON output can take."""
    try:
        query.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            f"expected UTF-8 text, got undecodable bytes at character {exc.start + 1}",
            file=file,
            record=record,
            field=field,
        ) from None
    return query


def _query(args: argparse.Namespace) -> Query:
    """The options every query shares, checked once, as a :class:`~geo.model.Query`
    whose text each query replaces."""
    try:
        return Query(
            "",
            country_hint=args.country_hint and _text(args.country_hint, field="--country-hint"),
            kind=args.kind,
            bias=None if args.bias is None else args.bias.split(","),
            context=[_text(c, field="--context") for c in args.context],
            k=max(args.top, _MIN_K),
        )
    except InputError as exc:
        if exc.field == "bias":  # geo names the parameter; the user typed the flag
            raise InputError(exc.reason, field="--bias") from None
        raise


def _options(pairs: list[str]) -> dict:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InputError(f"expected KEY=VALUE, got {pair!r}", field="--option")
        try:
            out[key.strip()] = json.loads(value)  # numbers, true/false, null
        except (ValueError, RecursionError):  # RecursionError: "[[[[…" nested too deep
            out[key.strip()] = value
    return out


def _run(args: argparse.Namespace, console: Console) -> int:
    from geo.gazetteer.core import ambiguous
    from geo.geocoders.chain import make_geocoder

    queries = _queries(args)
    shared = _query(args)
    geocoder = make_geocoder(
        args.provider,
        url=args.provider_url,
        gazetteer_files=args.gazetteer,
        strict=args.strict,
        user_agent=args.user_agent,
        contact=args.contact,
        timeout=args.timeout,
        min_delay=args.min_delay,
        retries=args.retries,
        backoff=args.backoff,
        cache=not args.no_cache,
        options=_options(args.option),
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", FallbackWarning)
        explanations = {}
        if args.explain:
            # An explanation lists the candidates: resolve each query once, not twice
            # (online, a second round would double the rate-limited requests).
            explained = {}
            for q in dict.fromkeys(queries):
                explained[q] = geocoder.explain(shared.with_text(q))
                explanations[q] = str(explained[q])
                console.print(explanations[q], highlight=False, markup=False, soft_wrap=True)
            found = [[c.place for c in explained[q].candidates] for q in queries]
        else:
            found = geocoder.candidates_many(
                [shared.with_text(q) for q in queries], progress=console.is_terminal
            )
    for message in dict.fromkeys(str(w.message) for w in caught):
        # Text, not markup: a query or a provider's answer may hold "[/x]" or "[bold]".
        line = Text.assemble(("warning", "yellow"), f": {message}")
        console.print(line, highlight=False, soft_wrap=True)

    records = []
    for q, cands in zip(queries, found, strict=True):
        record = _record(q, cands[0] if cands else None)
        if cands:
            shown = args.top if args.top > 1 else (3 if ambiguous(cands) else 1)
            record["ambiguous"] = ambiguous(cands)
            record["alternatives"] = [_record(q, c, short=True) for c in cands[1:shown]]
        else:
            record["reason"] = _reason(geocoder)
        if args.explain:
            record["explanation"] = explanations[q]
        records.append(record)

    try:
        sys.stdout.write(_FORMATS[args.format](records, found, geocoder, args))
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (`| head`): what it read is what it wanted.
        # Python's recipe: point stdout at devnull so the flush at exit is quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    unresolved = [r["query"] for r in records if r["lat"] is None]
    if unresolved:
        console.print(f"{len(unresolved)} of {len(records)} unresolved", highlight=False)
        if args.strict:
            raise UnresolvedPlaceError(unresolved)
    return 0


def _reason(geocoder) -> str:
    if geocoder.name == "offline":
        return "no place of that name in the offline gazetteer, nor a transliteration variant"
    return f"no place of that name ({geocoder.name})"


def _record(query: str, place, *, short: bool = False) -> dict:
    if place is None:
        return {k: (query if k == "query" else None) for k in KEYS}
    out = {
        "query": query,
        "name": place.name,
        "kind": place.kind,
        "country": place.country,
        "lat": round(place.lat, 6),
        "lon": round(place.lon, 6),
        "id": place.id,
        "source": place.source,
        "score": place.score,
    }
    if short:
        del out["query"], out["source"]
    return out


def _json(records, found, geocoder, args) -> str:
    # One query per line inside the array: valid JSON that greps and diffs well.
    lines = ",\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    return f"[\n{lines}\n]\n"


def _csv(records, found, geocoder, args) -> str:
    buf = io.StringIO()
    columns = [*KEYS, "reason"]
    if args.top > 1:
        columns.insert(0, "rank")
    if args.explain:
        columns.append("explanation")
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({**record, "rank": 1} if args.top > 1 else record)
        if args.top > 1:
            for rank, alt in enumerate(record.get("alternatives", []), start=2):
                writer.writerow({**alt, "query": record["query"], "rank": rank})
    return buf.getvalue()


def _geojson(records, found, geocoder, args) -> str:
    """Points, and polygons for regions and countries the offline gazetteer shapes."""
    features = []
    for record, cands in zip(records, found, strict=True):
        geometry = None
        if cands:
            geometry = {"type": "Point", "coordinates": [record["lon"], record["lat"]]}
            if cands[0].kind in ("region", "country"):
                try:
                    import shapely

                    geometry = shapely.geometry.mapping(geocoder.geometry(cands[0]))
                except LookupError:
                    pass
        props = {k: v for k, v in record.items() if k not in ("lat", "lon")}
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    doc = {"type": "FeatureCollection", "features": features}
    return json.dumps(doc, ensure_ascii=False) + "\n"


_FORMATS = {"json": _json, "csv": _csv, "geojson": _geojson}
