"""Synthetic ACLED-style events for the war in Ukraine, for benchmarks and scale tests.

:func:`make_acled` returns ``n`` rows with ACLED's real columns, deterministic for a
seed. Towns and their coordinates come from the project's gazetteer (GeoNames
populated places of the Ukrainian and Russian oblasts along the front and the
border); points are scattered a few kilometres around them, as ACLED's village-level
coordinates are. Event types, sub-event types, actors and interaction codes use
ACLED's vocabulary with shares close to ACLED's Ukraine data for 2022-2025 (mostly
shelling, then armed clashes and drone strikes); fatalities are mostly 0 with a long
tail; notes are formulaic English sentences like ACLED's ("On 14 March 2024, Russian
forces shelled Vovchansk (Chuhuivskyi, Kharkiv). 2 civilians were killed.").

What is made up: ``admin2``/``admin3`` names are derived from the nearest large town
(``Chuhuivskyi`` from Chuhuiv), not real raion and hromada names; dates are spread
evenly over 2022-02-24 .. 2025-06-30.

Write a CSV::

    .venv/bin/python benchmarks/synthetic.py 100000 -o /tmp/acled-100k.csv [--seed 0]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["ACLED_COLUMNS", "make_acled", "write_csv"]

ROOT = Path(__file__).resolve().parents[1]

#: ACLED's export columns, in ACLED's order.
ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
]  # fmt: skip

FIRST_DAY, LAST_DAY = dt.date(2022, 2, 24), dt.date(2025, 6, 30)

# Natural Earth admin-1 ids (the gazetteer's regions) and the share of events in each:
# the front (Donetsk, Kharkiv, Zaporizhzhia, Kherson, Luhansk), the northern border
# (Sumy, Chernihiv, and Kursk, Belgorod, Bryansk in Russia) and the rear strikes.
OBLASTS = {
    "ne:UA-14": 0.30, "ne:UA-63": 0.16, "ne:UA-23": 0.12, "ne:UA-65": 0.11,
    "ne:UA-59": 0.08, "ne:UA-09": 0.05, "ne:UA-12": 0.05, "ne:UA-74": 0.03,
    "ne:UA-48": 0.02, "ne:RU-KRS": 0.04, "ne:RU-BEL": 0.03, "ne:RU-BRY": 0.01,
}  # fmt: skip

# (event_type, sub_event_type, share): ACLED's vocabulary, shares near its Ukraine data.
EVENT_TYPES = [
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", 0.53),
    ("Explosions/Remote violence", "Air/drone strike", 0.16),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", 0.015),
    ("Explosions/Remote violence", "Grenade", 0.005),
    ("Battles", "Armed clash", 0.15),
    ("Battles", "Government regains territory", 0.005),
    ("Battles", "Non-state actor overtakes territory", 0.008),
    ("Strategic developments", "Disrupted weapons use", 0.045),
    ("Strategic developments", "Looting/property destruction", 0.006),
    ("Strategic developments", "Arrests", 0.008),
    ("Strategic developments", "Other", 0.006),
    ("Strategic developments", "Agreement", 0.002),
    ("Strategic developments", "Headquarters or base established", 0.002),
    ("Protests", "Peaceful protest", 0.035),
    ("Protests", "Protest with intervention", 0.002),
    ("Violence against civilians", "Attack", 0.008),
    ("Violence against civilians", "Abduction/forced disappearance", 0.004),
    ("Riots", "Violent demonstration", 0.001),
    ("Riots", "Mob violence", 0.001),
]
DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}

RUF, UAF = "Military Forces of Russia (2000-)", "Military Forces of Ukraine (2019-)"
NK = "Military Forces of North Korea (1994-)"
# ACLED's interaction codes, in the order ACLED sorts them in ``interaction``.
INTER_ORDER = [
    "State forces", "Rebel group", "Political militia", "Identity militia", "Rioters",
    "Protesters", "Civilians", "External/Other forces",
]  # fmt: skip

# Notes: "On {day}, <what> {where}." + a fatalities sentence. {where} is
# "Town (Admin2, Admin1)". "us"/"them" are the attacking and attacked side.
NOTES = {
    "Shelling/artillery/missile attack": [
        "On {day}, {us} forces shelled {where}.",
        "On {day}, {us} forces fired artillery and MLRS at {where}, damaging houses.",
        "On {day}, {us} forces hit {where} with a missile, damaging infrastructure.",
    ],
    "Air/drone strike": [
        "On {day}, {us} forces launched a drone strike on {where}, damaging a residential building.",  # noqa: E501
        "On {day}, {us} aircraft dropped guided aerial bombs on {where}.",
        "On {day}, a {us} FPV drone struck a vehicle near {where}.",
    ],
    "Remote explosive/landmine/IED": [
        "On {day}, a civilian tractor hit a landmine near {where}.",
        "On {day}, an explosive device detonated near {where}.",
    ],
    "Grenade": ["On {day}, {us} forces dropped a grenade from a drone on {where}."],
    "Armed clash": [
        "On {day}, Russian and Ukrainian forces clashed near {where}.",
        "On {day}, {us} forces attacked {them} positions near {where}; the attack was repelled.",
    ],
    "Government regains territory": ["On {day}, {us} forces regained control of {where}."],
    "Non-state actor overtakes territory": ["On {day}, {us} forces took control of {where}."],
    "Disrupted weapons use": [
        "On {day}, {us} air defence shot down {k} {them} drones over {where}.",
        "On {day}, {us} forces defused unexploded ordnance near {where}.",
    ],
    "Looting/property destruction": ["On {day}, {us} forces looted houses in {where}."],
    "Arrests": [
        "On {day}, police detained a resident of {where} on suspicion of collaborating with the enemy."  # noqa: E501
    ],
    "Other": ["On {day}, an evacuation of civilians took place from {where}."],
    "Agreement": ["On {day}, the bodies of fallen soldiers were exchanged near {where}."],
    "Headquarters or base established": ["On {day}, {us} forces set up a base near {where}."],
    "Peaceful protest": [
        "On {day}, around {k} relatives of soldiers held a rally in {where} demanding information about the missing. [size=around {k}]",  # noqa: E501
    ],
    "Protest with intervention": [
        "On {day}, residents protested in {where}; police dispersed them and detained {k}. [size=no report]",  # noqa: E501
    ],
    "Attack": ["On {day}, {us} forces shot at civilians in {where}."],
    "Abduction/forced disappearance": [
        "On {day}, {us} forces detained a local resident in {where}. The whereabouts of the victim are unknown."  # noqa: E501
    ],
    "Violent demonstration": ["On {day}, a crowd clashed with police in {where}."],
    "Mob violence": ["On {day}, residents beat a suspected arsonist in {where}."],
}

SOURCES = {
    "Ukraine": [
        ("Ministry of Defence of Ukraine", "National"),
        ("General Staff of the Armed Forces of Ukraine", "National"),
        ("Ukrinform", "National"),
        ("Suspilne", "National"),
        ("Ukrainska Pravda; Kyiv Independent", "National"),
        ("Regional Military Administration", "Subnational"),
        ("Telegram", "New media"),
        ("Institute for the Study of War", "Other-National"),
    ],
    "Russia": [
        ("Ministry of Defence of Russia", "National"),
        ("Governor of the region", "Subnational"),
        ("Telegram", "New media"),
        ("Kommersant", "National"),
        ("Mediazona; Meduza", "National-International"),
    ],
}


def _gazetteer_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The gazetteer's GeoNames places and Natural Earth regions (no geometry).

    Read from the gazetteer's built files (``places.parquet``, ``regions.parquet`` in
    ``$EVENTMAP_GAZETTEER_DIR`` or ``geo/data/gazetteer``), the tables
    :func:`geo.gazetteer.default_gazetteer` loads; ``Gazetteer`` has no public
    accessor for whole tables, and its in-memory layout is private.
    """
    import pyarrow.parquet as pq

    from geo.resources import gazetteer_dir

    directory = gazetteer_dir()
    places = pq.read_table(
        directory / "places.parquet",
        columns=["geonameid", "name", "country", "admin1", "lat", "lon", "population"],
    ).to_pandas()
    regions = pq.read_table(
        directory / "regions.parquet", columns=["id", "name", "iso2", "gn_a1_code", "lat", "lon"]
    ).to_pandas()
    for frame in (places, regions):
        frame["lat"], frame["lon"] = frame["lat"].astype(float), frame["lon"].astype(float)
    return places, regions.set_index("id")


def _gazetteer_towns() -> pd.DataFrame:
    """Populated places of the chosen oblasts, with each oblast's share spread over them."""
    places, regions = _gazetteer_tables()
    places["a1code"] = places["country"] + "." + places["admin1"]
    towns = []
    for rid, share in OBLASTS.items():
        reg = regions.loc[rid]
        sel = places[places["a1code"] == reg["gn_a1_code"]].sort_values("geonameid")
        if sel.empty:
            raise RuntimeError(f"the gazetteer has no places in {rid}")
        sel = sel.assign(
            region=rid,
            country_name="Ukraine" if reg["iso2"] == "UA" else "Russia",
            admin1=reg["name"].removesuffix(" Oblast"),
            region_lat=reg["lat"],
            region_lon=reg["lon"],
        )
        # More events in bigger places, but villages carry most of the front.
        weight = np.sqrt(sel["population"].to_numpy(dtype=float) + 500.0)
        sel["weight"] = share * weight / weight.sum()
        sel["hub"] = _nearest_hub(sel)
        towns.append(sel)
    return pd.concat(towns, ignore_index=True)


def _nearest_hub(towns: pd.DataFrame) -> np.ndarray:
    """For each town, the nearest town of 15,000 people or more in its oblast."""
    big = towns[towns["population"] >= 15000]
    if big.empty:
        big = towns.nlargest(1, "population")
    d = (towns["lat"].to_numpy()[:, None] - big["lat"].to_numpy()[None, :]) ** 2 + (
        (towns["lon"].to_numpy()[:, None] - big["lon"].to_numpy()[None, :]) * 0.65
    ) ** 2
    return big["name"].to_numpy()[d.argmin(axis=1)]


def _adjective(name: str, russian: bool) -> str:
    """A raion-style adjective: Chuhuiv → Chuhuivskyi, Kursk → Kurskiy (made up, see above)."""
    stem = name.replace("’", "").replace("'", "").split(" ")[0].split("-")[0]
    for ending in ("skyi", "skiy", "skoye", "ske", "ska", "sk", "ka", "a", "e", "i", "o", "y"):
        if stem.endswith(ending) and len(stem) > len(ending) + 2:
            stem = stem.removesuffix(ending)
            break
    return stem + ("skiy" if russian else "skyi")


def make_acled(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` synthetic ACLED events for the war in Ukraine.

    Parameters
    ----------
    n : int
        Number of events.
    seed : int
        Seed of the ``numpy.random.Generator``; the same seed gives the same table.

    Returns
    -------
    pandas.DataFrame
        ACLED's columns (:data:`ACLED_COLUMNS`) as ACLED exports them: ISO dates,
        latitude/longitude with 4 decimals, event ids unique, newest events first.

    Examples
    --------
    >>> df = make_acled(1000)
    >>> df["event_id_cnty"].is_unique
    True
    """
    rng = np.random.default_rng(seed)
    towns = _gazetteer_towns()

    # Where: a town, then a point near it (precision 1), at the town (2) or at
    # the oblast's centre (3), as ACLED does when a report names only a region.
    t = rng.choice(len(towns), size=n, p=towns["weight"].to_numpy() / towns["weight"].sum())
    precision = rng.choice([1, 2, 3], size=n, p=[0.86, 0.11, 0.03])
    lat = towns["lat"].to_numpy()[t]
    lon = towns["lon"].to_numpy()[t]
    jitter = precision == 1
    lat = np.where(jitter, lat + rng.normal(0.0, 0.02, n), lat)
    lon = np.where(jitter, lon + rng.normal(0.0, 0.03, n), lon)
    centre = precision == 3
    lat = np.where(centre, towns["region_lat"].to_numpy()[t], lat).round(4)
    lon = np.where(centre, towns["region_lon"].to_numpy()[t], lon).round(4)
    country = towns["country_name"].to_numpy()[t]
    in_russia = country == "Russia"
    location = towns["name"].to_numpy(dtype=object)[t]
    admin1 = towns["admin1"].to_numpy(dtype=object)[t]
    hubs = towns["hub"].to_numpy(dtype=object)
    adj_ru = np.array([_adjective(h, True) for h in hubs], dtype=object)
    adj_ua = np.array([_adjective(h, False) for h in hubs], dtype=object)
    admin2 = np.where(in_russia, adj_ru[t], adj_ua[t])
    hromada = np.array([_adjective(x, False)[:-2] + "a" for x in towns["name"]], dtype=object)
    admin3 = np.where(in_russia, "", hromada[t])

    # When: evenly over the war, newest first (ACLED's export order).
    days = (LAST_DAY - FIRST_DAY).days + 1
    offset = rng.integers(0, days, size=n)
    date = np.datetime64(FIRST_DAY) + offset.astype("timedelta64[D]")

    # What and who.
    shares = np.array([s for _, _, s in EVENT_TYPES])
    kind = rng.choice(len(EVENT_TYPES), size=n, p=shares / shares.sum())
    event_type = np.array([e for e, _, _ in EVENT_TYPES], dtype=object)[kind]
    sub_type = np.array([s for _, s, _ in EVENT_TYPES], dtype=object)[kind]
    actors = _actors(rng, event_type, sub_type, in_russia, date)

    # How many died: mostly none, a long tail; battles and strikes are deadlier.
    deadly = np.isin(event_type, ["Battles", "Explosions/Remote violence",
                                  "Violence against civilians"])  # fmt: skip
    p_dead = np.where(event_type == "Battles", 0.35, np.where(deadly, 0.12, 0.01))
    fatalities = np.where(
        rng.random(n) < p_dead, np.minimum(np.floor(rng.pareto(1.2, n) + 1), 600), 0
    ).astype(np.int64)

    src_idx = rng.integers(0, 1 << 30, size=n)
    source, scale = _sources(src_idx, country)
    template_pick = rng.integers(0, 1 << 30, size=n)
    k = rng.integers(2, 60, size=n)
    notes = _notes(date, sub_type, actors, location, admin2, admin1, fatalities, template_pick, k)
    # The crowd size the note gives (ACLED's tag), or none reported.
    crowd = np.char.add("crowd size=around ", k.astype(str)).astype(object)
    tags = np.where(
        sub_type == "Peaceful protest",
        crowd,
        np.where(event_type == "Protests", "crowd size=no report", ""),
    )
    timestamp = (
        (date - np.datetime64("1970-01-01")).astype(np.int64) * 86400
        + rng.integers(2, 12, size=n) * 86400
        + rng.integers(0, 86400, size=n)
    )
    time_precision = rng.choice([1, 2, 3], size=n, p=[0.85, 0.12, 0.03])

    frame = pd.DataFrame(
        {
            "event_date": date.astype(str),
            "year": date.astype("datetime64[Y]").astype(int) + 1970,
            "time_precision": time_precision,
            "disorder_type": [DISORDER[e] for e in event_type],
            "event_type": event_type,
            "sub_event_type": sub_type,
            **actors,
            "iso": np.where(in_russia, 643, 804),
            "region": "Europe",
            "country": country,
            "admin1": admin1,
            "admin2": admin2,
            "admin3": admin3,
            "location": location,
            "latitude": lat,
            "longitude": lon,
            "geo_precision": precision,
            "source": source,
            "source_scale": scale,
            "notes": notes,
            "fatalities": fatalities,
            "tags": tags,
            "timestamp": timestamp,
        }
    )
    frame = frame.iloc[np.argsort(-offset, kind="stable")].reset_index(drop=True)
    # ACLED numbers events per country; ours count up from the oldest.
    code = np.where(frame["country"].to_numpy() == "Russia", "RUS", "UKR")
    number = np.zeros(n, dtype=np.int64)
    for c in ("RUS", "UKR"):
        sel = np.flatnonzero(code == c)
        number[sel] = 100000 + len(sel) - np.arange(len(sel))
    frame.insert(0, "event_id_cnty", np.char.add(code, number.astype(str)))
    frame["event_id_cnty"] = frame["event_id_cnty"].astype(object)
    return frame[ACLED_COLUMNS]


def _actors(rng, event_type, sub_type, in_russia, date) -> dict[str, np.ndarray]:
    n = len(event_type)
    # The attacking side: Russia in Ukraine, Ukraine in Russia; armed clashes go either way.
    russian_side = ~in_russia
    clash = sub_type == "Armed clash"
    russian_side = np.where(clash, rng.random(n) < 0.5, russian_side)
    ua_wins = sub_type == "Government regains territory"
    russian_side = np.where(ua_wins, in_russia, russian_side)
    air = sub_type == "Air/drone strike"
    ours = np.where(russian_side, RUF, UAF).astype(object)
    ours = np.where(air & (rng.random(n) < 0.4), ours + " Air Force", ours)
    theirs = np.where(russian_side, UAF, RUF).astype(object)
    civ = np.where(in_russia, "Civilians (Russia)", "Civilians (Ukraine)").astype(object)
    et = event_type
    protest = et == "Protests"
    riot = et == "Riots"
    civilians_hit = (et == "Violence against civilians") | (
        (et == "Explosions/Remote violence") & (rng.random(n) < 0.35)
    )
    actor1 = np.where(protest, np.where(in_russia, "Protesters (Russia)", "Protesters (Ukraine)"),
                      np.where(riot, np.where(in_russia, "Rioters (Russia)", "Rioters (Ukraine)"),
                               ours)).astype(object)  # fmt: skip
    arrests = sub_type == "Arrests"
    police = np.where(in_russia, "Police Forces of Russia (2000-)",
                      "Police Forces of Ukraine (2019-)").astype(object)  # fmt: skip
    actor1 = np.where(arrests, police, actor1)
    battle = et == "Battles"
    actor2 = np.where(battle | (sub_type == "Disrupted weapons use"), theirs, "").astype(object)
    actor2 = np.where(civilians_hit | arrests, civ, actor2)
    actor2 = np.where(sub_type == "Protest with intervention", police, actor2)
    # North Korean troops fought in Kursk from late 2024.
    nk = in_russia & battle & (date >= np.datetime64("2024-11-01")) & (rng.random(n) < 0.3)
    assoc1 = np.where(nk & (actor1 == RUF), NK, "").astype(object)
    assoc2 = np.where(nk & (actor2 == RUF), NK, "").astype(object)
    assoc1 = np.where(protest, np.where(in_russia, "Women (Russia)", "Women (Ukraine)"), assoc1)
    inter1 = np.array([_inter(a, r) for a, r in zip(actor1, in_russia, strict=True)], dtype=object)
    inter2 = np.array([_inter(a, r) for a, r in zip(actor2, in_russia, strict=True)], dtype=object)
    interaction = np.array(
        [_interaction(a, b) for a, b in zip(inter1, inter2, strict=True)], dtype=object
    )
    targeting = np.where(civilians_hit, "Civilian targeting", "").astype(object)
    return {
        "actor1": actor1, "assoc_actor_1": assoc1, "inter1": inter1,
        "actor2": actor2, "assoc_actor_2": assoc2, "inter2": inter2,
        "interaction": interaction, "civilian_targeting": targeting,
    }  # fmt: skip


def _inter(actor: str, in_russia: bool) -> str:
    """ACLED's actor category; a foreign army is 'External/Other forces'."""
    if not actor:
        return ""
    if actor.startswith("Civilians"):
        return "Civilians"
    if actor.startswith("Protesters"):
        return "Protesters"
    if actor.startswith("Rioters"):
        return "Rioters"
    foreign = actor.startswith(UAF) if in_russia else actor.startswith(RUF)
    return "External/Other forces" if foreign else "State forces"


def _interaction(a: str, b: str) -> str:
    if not b:
        return f"{a} only"
    first, second = sorted((a, b), key=INTER_ORDER.index)
    return f"{first}-{second}"


def _sources(pick: np.ndarray, country: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    source = np.empty(len(pick), dtype=object)
    scale = np.empty(len(pick), dtype=object)
    for name, options in SOURCES.items():
        sel = country == name
        choice = pick[sel] % len(options)
        source[sel] = np.array([s for s, _ in options], dtype=object)[choice]
        scale[sel] = np.array([s for _, s in options], dtype=object)[choice]
    return source, scale


def _notes(date, sub_type, actors, location, admin2, admin1, fatalities, pick, k) -> list[str]:
    days = {d: f"{d.day} {d:%B %Y}" for d in pd.unique(date).astype("datetime64[D]").tolist()}
    side = {RUF: ("Russian", "Ukrainian"), UAF: ("Ukrainian", "Russian")}
    out = []
    civilians = actors["actor2"]
    for d, s, a1, c, loc, a2, r, f, p, kk in zip(
        date.tolist(), sub_type, actors["actor1"], civilians, location, admin2, admin1,
        fatalities.tolist(), pick.tolist(), k.tolist(), strict=True,
    ):  # fmt: skip
        us, them = side.get(a1.removesuffix(" Air Force"), ("Russian", "Ukrainian"))
        options = NOTES[s]
        text = options[p % len(options)].format(
            day=days[d], us=us, them=them, where=f"{loc} ({a2}, {r})", k=kk
        )
        if f:
            civ = c.startswith("Civilians")
            one, many = ("civilian", "civilians") if civ else ("person", "people")
            text += f" {f} {many} were killed." if f > 1 else f" 1 {one} was killed."
        elif s not in ("Peaceful protest", "Arrests", "Agreement", "Other"):
            text += " No casualties were reported."
        out.append(text)
    return out


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a synthetic table as ACLED exports it (UTF-8 CSV, header, quoted as needed)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    path = Path(path)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pacsv.write_csv(table, path, write_options=pacsv.WriteOptions(quoting_style="needed"))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of events")
    parser.add_argument("-o", "--output", type=Path, required=True, help="CSV file to write")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    write_csv(make_acled(args.n, seed=args.seed), args.output)
    print(f"{args.output}: {args.n} events, {args.output.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
