"""ACLED exports for the tests: the layouts real exports come in, rows written for the
project, the same events written as YAML (the format the fields are defined in), and
a timing of the reader on a large synthetic export.

The column lists and quirks are those seen in real exports (ACLED's current export,
its 2020 and 2015 ones, an export re-saved by pandas, one written by R, an analyst's
subset without coordinates); no row is copied from ACLED's data.

Time the reader (the table already read, as the CSV reader hands it over)::

    .venv/bin/python -m tests.acled_rows 200000 [--repeat 5]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import json
import re
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from geo.errors import InputError
from geo.io.acled import acled_frame
from geo.io.acled_fields import MISSING, legacy_type
from geo.model import Place
from geo.resolve import country_code
from geo.schema import DAY_MAX, DAY_MIN, parse_event
from geo.table import COLUMNS, records_frame

ROOT = Path(__file__).resolve().parents[1]
#: The fixtures shaped as each real variant is (tests/data/exports/acled/README.md).
FIXTURES = ROOT / "tests" / "data" / "exports" / "acled"

#: ACLED's current export (2023 on), in file order.
CURRENT = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,"
    "source,source_scale,notes,fatalities,tags,timestamp"
).split(",")
#: The 2020 export: a data_id first, event_id_no_cnty, no disorder_type, iso3 last.
EXPORT_2020 = (
    "data_id,iso,event_id_cnty,event_id_no_cnty,event_date,year,time_precision,event_type,"
    "sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,"
    "region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,"
    "source_scale,notes,fatalities,timestamp,iso3"
).split(",")
#: The 2015 export, upper case, with ALLY_ACTOR_* for what became assoc_actor_*.
LEGACY_2015 = (
    "GWNO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,ACTOR1,"
    "ALLY_ACTOR_1,INTER1,ACTOR2,ALLY_ACTOR_2,INTER2,INTERACTION,COUNTRY,ADMIN1,ADMIN2,ADMIN3,"
    "LOCATION,LATITUDE,LONGITUDE,GEO_PRECISION,SOURCE,NOTES,FATALITIES"
).split(",")
#: An analyst's dashboard subset: R's row names first, no ids, no coordinates.
DASHBOARD = [
    "", "region", "country", "year", "event_date", "source", "admin1", "admin2", "admin3",
    "location", "event_type", "sub_event_type", "interaction", "fatalities", "timestamp",
]  # fmt: skip

#: Rows of the current export, written for the tests: a few event types, a second actor
#: or none, a point at the town (geo_precision 1) or near it (2, 3), several sources in
#: one field, no casualty figure where none was reported; a day, a week and a month.
ROWS = [
    {"event_id_cnty": "UKR214001", "event_date": "2024-11-02", "year": "2024",
     "time_precision": "1", "disorder_type": "Political violence",
     "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
     "actor1": "Military Forces of Russia (2000-)", "assoc_actor_1": "",
     "inter1": "State forces", "actor2": "Civilians (Ukraine)", "assoc_actor_2": "",
     "inter2": "Civilians", "interaction": "State forces-Civilians",
     "civilian_targeting": "Civilian targeting", "iso": "804", "region": "Europe",
     "country": "Ukraine", "admin1": "Sumy", "admin2": "Sumskyi", "admin3": "Sumska",
     "location": "Sumy", "latitude": "50.9216", "longitude": "34.8003", "geo_precision": "1",
     "source": "Suspilne; Ukrainska Pravda", "source_scale": "National",
     "notes": "On 2 November 2024, a drone hit a school in Sumy. 2 civilians were killed.",
     "fatalities": "2", "tags": "", "timestamp": "1731024000"},
    {"event_id_cnty": "UKR214002", "event_date": "2024-11-02", "year": "2024",
     "time_precision": "1", "disorder_type": "Political violence", "event_type": "Battles",
     "sub_event_type": "Armed clash", "actor1": "Military Forces of Ukraine (2019-)",
     "assoc_actor_1": "", "inter1": "State forces", "actor2": "Military Forces of Russia (2000-)",
     "assoc_actor_2": "Military Forces of North Korea (1994-)", "inter2": "State forces",
     "interaction": "State forces-State forces", "civilian_targeting": "", "iso": "643",
     "region": "Europe", "country": "Russia", "admin1": "Kursk", "admin2": "Sudzhanskiy",
     "admin3": "", "location": "Plekhovo", "latitude": "51.2319", "longitude": "35.1236",
     "geo_precision": "2", "source": "Kyiv Independent", "source_scale": "National",
     "notes": 'Clashes near Plekhovo; "North Korean" units <b>reported</b> nearby.',
     "fatalities": "0", "tags": "", "timestamp": "1731024000"},
    {"event_id_cnty": "UKR214003", "event_date": "2024-10-30", "year": "2024",
     "time_precision": "2", "disorder_type": "Demonstrations", "event_type": "Protests",
     "sub_event_type": "Peaceful protest", "actor1": "Protesters (Ukraine)",
     "assoc_actor_1": "Women (Ukraine)", "inter1": "Protesters", "actor2": "",
     "assoc_actor_2": "", "inter2": "", "interaction": "Protesters only",
     "civilian_targeting": "", "iso": "804", "region": "Europe", "country": "Ukraine",
     "admin1": "Kyiv City", "admin2": "", "admin3": "", "location": "Kyiv",
     "latitude": "50.4501", "longitude": "30.5234", "geo_precision": "1",
     "source": "Ukrinform", "source_scale": "National",
     "notes": "Relatives of missing soldiers rallied on Maidan, asking for news.\nSize=dozens",
     "fatalities": "0", "tags": "crowd size=dozens", "timestamp": "1730851200"},
    {"event_id_cnty": "RUS8001", "event_date": "2024-10-28", "year": "2024",
     "time_precision": "3", "disorder_type": "Strategic developments",
     "event_type": "Strategic developments", "sub_event_type": "Disrupted weapons use",
     "actor1": "Military Forces of Russia (2000-)", "assoc_actor_1": "", "inter1": "State forces",
     "actor2": "Military Forces of Ukraine (2019-)", "assoc_actor_2": "", "inter2": "State forces",
     "interaction": "State forces-State forces", "civilian_targeting": "", "iso": "643",
     "region": "Europe", "country": "Russia", "admin1": "Belgorod", "admin2": "", "admin3": "",
     "location": "Belgorod", "latitude": "50.5955", "longitude": "36.5873",
     "geo_precision": "3", "source": "Ministry of Defence of Russia", "source_scale": "National",
     "notes": "Air defence reportedly downed 4 drones over the region.", "fatalities": "",
     "tags": "", "timestamp": "1730678400"},
]  # fmt: skip


def write_csv(path: Path, rows: list[dict], header: list[str] = CURRENT) -> Path:
    """The rows as a CSV with ``header`` (a column a row lacks is empty), as ACLED writes it."""
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows([r.get(k, "") for k in header] for r in rows)
    return path


def write_2020(path: Path, rows: list[dict]) -> Path:
    """The rows as the 2020 export lays them out."""
    extra = [{"data_id": str(9000 + i), "event_id_no_cnty": r["event_id_cnty"][3:],
              "iso3": "UKR" if r.get("iso") == "804" else "RUS"} for i, r in enumerate(rows)]  # fmt: skip
    return write_csv(path, [{**r, **e} for r, e in zip(rows, extra, strict=True)], EXPORT_2020)


def write_2015(path: Path, rows: list[dict]) -> Path:
    """The rows as the 2015 export lays them out: upper case, ALLY_ACTOR_*, the actor
    types as codes, dates like ``01-January-2015``."""
    codes = {"State forces": "1", "Protesters": "6", "Civilians": "7", "": ""}

    def legacy(r: dict) -> dict:
        day = dt.date.fromisoformat(r["event_date"])
        out = {**r, "event_date": f"{day:%d-%B-%Y}", "ally_actor_1": r["assoc_actor_1"],
               "ally_actor_2": r["assoc_actor_2"], "inter1": codes[r["inter1"]],
               "inter2": codes[r["inter2"]], "gwno": "369"}  # fmt: skip
        return {k.upper(): v for k, v in out.items()}

    return write_csv(path, [legacy(r) for r in rows], LEGACY_2015)


def write_resaved(path: Path, rows: list[dict]) -> Path:
    """The rows read by pandas and saved again, as analysts pass exports on: the index
    as an unnamed first column, the columns in alphabetical order, ``gwno`` and
    ``data_id`` added, and numbers as pandas writes them (``2.0`` fatalities in a
    column with a blank)."""
    frame = pd.read_csv(write_csv(path, rows))
    frame["gwno"], frame["data_id"] = 369, range(9000, 9000 + len(rows))
    frame[sorted(frame.columns)].to_csv(path)
    return path


#: The columns R reads as numbers, and so writes unquoted.
_R_NUMBERS = {"year", "time_precision", "iso", "latitude", "longitude", "geo_precision",
              "fatalities", "timestamp"}  # fmt: skip


def write_r(path: Path, rows: list[dict]) -> Path:
    """The rows as R's ``write.csv`` writes them: row names first, texts quoted, numbers
    not, and a missing value written ``NA``."""

    def cell(k: str, v: str) -> str:
        if not v:
            return "NA"
        return v if k in _R_NUMBERS else '"' + v.replace('"', '""') + '"'

    lines = ['"",' + ",".join(f'"{k}"' for k in CURRENT)]
    lines += [f'"{i}",' + ",".join(cell(k, r.get(k, "")) for k in CURRENT)
              for i, r in enumerate(rows, 1)]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_table(path: Path) -> pa.Table:
    """A CSV as the CSV reader hands it to :func:`acled_frame`: every cell text (``""``
    when empty), column names lower-cased and stripped."""
    with path.open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f), [])
    table = pacsv.read_csv(
        path,
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={c: pa.string() for c in header},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    return table.rename_columns([c.strip().lower() for c in table.column_names])


def read_acled(path: Path, geocoder=None, numbers=None):
    """The frame :func:`acled_frame` makes of an ACLED CSV file."""
    return acled_frame(read_table(path), file=str(path), geocoder=geocoder, numbers=numbers)


def rows_table(rows: list[dict], header: list[str] = CURRENT) -> pa.Table:
    """Rows as the table the CSV reader would hand over (without a file)."""
    return pa.table({k: pa.array([r.get(k, "") for r in rows], pa.string()) for k in header})


# --------------------------------------------------------------------------- as YAML

_DATES = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d-%b-%y", "%d/%m/%Y", "%m/%d/%Y")


def yaml_event(row: dict) -> dict:
    """One ACLED row as the YAML event it stands for (the table in data/events/README.md):
    its id, date (a week or the month, as time_precision says), kind (today's name of an
    older event type), a title and a place named from its type and place columns, the
    point, the actors, the figure, and the source; the notes are the description."""

    def get(k: str) -> str:
        v = (row.get(k) or "").strip()
        return "" if v in MISSING else v

    today, default_sub = legacy_type(get("event_type")) or (get("event_type"), "")
    where = get("location") or get("admin1") or get("country")
    what = get("sub_event_type") or default_sub or today
    date = _iso(get("event_date"))
    precision = get("time_precision").removesuffix(".0")
    event = {
        "id": get("event_id_cnty"),
        "date": date[:7] if precision == "3" and _is_day(date) else date,
        "kind": today or None,
        "title": f"{what}: {where}" if where else what,
        "description": get("notes") or None,
        "actors": [a for a in (get("actor1"), get("actor2")) if a],
        "place": {
            "name": ", ".join(dict.fromkeys(x for x in (where, get("admin1"), get("country")) if x))
            or None,  # each name once
            "lat": get("latitude"),
            "lon": get("longitude"),
            "approximate": get("geo_precision").removesuffix(".0") not in ("", "1"),
            # its country (ISO2: of iso3, else iso, else the name), as a given point has it
            "country": next(
                (
                    c
                    for t in (get("iso3"), get("iso").removesuffix(".0"), get("country"))
                    if t and (c := country_code(t))
                ),
                None,
            ),
        },
        "sources": [{"name": get("source")}],
    }
    if precision == "2" and _is_day(date):
        event["date_precision"] = "week"
    if get("fatalities"):
        event["quantities"] = [{"value": get("fatalities"), "unit": "fatalities"}]
    return event


def _is_day(date: str | None) -> bool:
    """Whether a date is a day the events table can hold (``2024-02-30`` and ``1500-01-01``
    are not: refused as written, before their precision is applied)."""
    try:
        return bool(date) and len(date) == 10 and DAY_MIN <= dt.date.fromisoformat(date) <= DAY_MAX
    except ValueError:
        return False


def _iso(value: str) -> str | None:
    stamp = re.match(r"(\d{4}-\d{2}-\d{2})[T ]\d", value)  # a timestamp: its day
    value = stamp.group(1) if stamp else value
    for fmt in _DATES:
        try:
            day = dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if "%y" in fmt and day.year > dt.date.today().year:  # "68" is 1968, never 2068
            day = day.replace(year=day.year - 100)
        return day.isoformat()
    return value or None


def write_yaml(path: Path, rows: list[dict]) -> Path:
    """The rows as a YAML event file (JSON, which YAML reads; every value a text)."""
    path.write_text(json.dumps({"events": [yaml_event(r) for r in rows]}), encoding="utf-8")
    return path


def write_geojson(path: Path, rows: list[dict]) -> Path:
    """The rows as GeoJSON features without geometry, their properties the YAML
    fields: read as YAML is, and faster for thousands of events."""
    features = [{"type": "Feature", "geometry": None, "properties": yaml_event(r)} for r in rows]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def as_yaml(rows: list[dict], file: str, geocoder=None):
    """The frame of the rows' YAML events, each parsed alone (``row N``, the header being
    row 1): a row the schema refuses is rejected with the schema's message."""

    def parsed(i: int, row: dict):
        try:
            return parse_event(yaml_event(row), file=file, index=i, record="row")
        except InputError as exc:
            return exc

    events = [parsed(i, r) for i, r in enumerate(rows, 2)]
    return records_frame(events, geocoder=geocoder, file=file, record="row",
                         numbers=range(2, len(rows) + 2))  # fmt: skip


def as_events(message: str) -> str:
    """A message about an ACLED file as the same message about its YAML file: the file
    left out, ``row N`` (the header is row 1) read as ``event N-1``, a GeoJSON
    ``feature N`` as ``event N``."""
    message = re.sub(r"^\S+\.(csv|yaml|geojson): ", "", str(message))
    message = re.sub(r"\bfeature (\d+)\b", r"event \1", message)
    return re.sub(r"\brow (\d+)\b", lambda m: f"event {int(m.group(1)) - 1}", message)


#: The columns an ACLED frame has that the YAML events' frame cannot say the same way:
#: geo_precision 3 is "admin1" (YAML: near), the popup's details, and the flags of points
#: outside the row's country (a YAML place names none).
OWN = ("place_precision", "details", "flags")


def assert_same_events(acled, yaml, *, truncated: bool = True) -> None:
    """The frame of an ACLED file and that of its YAML events are one table (the events
    columns, but :data:`OWN`), and report the same places, kinds, rejections and (unless
    ``truncated`` is false) cuts."""
    columns = [c for c in COLUMNS if c not in OWN]
    pd.testing.assert_frame_equal(acled[columns], yaml[columns])
    assert acled.crs == yaml.crs
    for col in ("places", "quantities", "sources"):  # records, not dicts
        assert [[type(x) for x in v] for v in acled[col]] == [
            [type(x) for x in v] for v in yaml[col]
        ]
    assert acled.attrs["kind_labels"] == yaml.attrs["kind_labels"]
    assert acled.attrs["places"] == yaml.attrs["places"]
    assert acled.attrs["records"] == yaml.attrs["records"]
    # Each flag on a row is listed, in file order.
    assert [f.reason for f in acled.attrs["flagged"]] == [t for ts in acled["flags"] for t in ts]
    reports = ["unresolved", "rejected", "truncated"] if truncated else ["unresolved", "rejected"]
    for key in reports:
        assert [as_events(u) for u in acled.attrs[key]] == [as_events(u) for u in yaml.attrs[key]]


class Stub:
    """A geocoder that knows one name, so rows without coordinates need no gazetteer."""

    def geocode(self, query, *, country_hint=None, **options):
        if query in ("Sudzha, Kursk, Russia", "Sudzha"):
            return Place(query, "Sudzha", "city", "RU", 51.19, 35.27, "geonames:1", "stub", 1.0)
        return None

    def geometry(self, place):
        import shapely

        return shapely.Point(place.lon, place.lat)


# --------------------------------------------------------------------------- timing


def main(argv: list[str] | None = None) -> int:
    """Time :func:`acled_frame` on a synthetic export of N rows (best of --repeat)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("n", type=int, nargs="?", default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synthetic

    with tempfile.TemporaryDirectory() as tmp:
        path = synthetic.write_csv(synthetic.make_acled(args.n, seed=args.seed),
                                   Path(tmp) / "acled.csv")  # fmt: skip
        table = read_table(path)
        times = []
        for _ in range(args.repeat):
            gc.collect()
            gc.disable()  # as the CSV reader runs it
            start = time.perf_counter()
            frame = acled_frame(table, file=str(path))
            times.append(time.perf_counter() - start)
            gc.enable()
            del frame
    print(f"acled_frame, {args.n:,} rows: best {min(times):.2f} s "
          f"(runs: {', '.join(f'{t:.2f}' for t in times)})")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
