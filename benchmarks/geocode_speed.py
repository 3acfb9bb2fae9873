"""Geocoding speed against the cost of ``import geopandas``, in one run.

Measures, each in fresh processes (median of ``--repeat`` runs, interleaved so
that load on the machine hits every measurement alike):

* ``python -c "import geopandas"``: the yardstick;
* a cold single query: ``python -m maps.cli geocode Moscow`` (what the
  ``eventmap geocode Moscow`` console script runs);
* 100,000 and 1,000,000 queries: a fresh process that imports geo, loads
  the gazetteer, reads the queries from a file and geocodes them
  (``Gazetteer.geocode_many``); the geocoding part is also timed alone.

The queries are a realistic mix drawn with a fixed seed from the gazetteer
itself: place names weighted by population, other names (French, English,
transliterations, other scripts), region patterns ("X Oblast", "région de
X"), countries in French and English and ISO codes, "Name, Country"
qualifiers and names that resolve to nothing, each pool sampled with a
Zipf law so that names repeat as they do in event data.

Run::

    .venv/bin/python benchmarks/geocode_speed.py [--repeat 5] [--skip-1m] [--cli]

Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_BATCH = """
import sys, time, json
t0 = time.perf_counter()
from geo import default_gazetteer
gaz = default_gazetteer()
queries = open(sys.argv[1], encoding="utf-8").read().split("\\n")
t1 = time.perf_counter()
places = gaz.geocode_many(queries)
t2 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "geocode": t2 - t1,
                  "resolved": sum(p is not None for p in places), "n": len(queries)}))
"""


def make_queries(n: int, distinct: int, seed: int = 0) -> list[str]:
    """``n`` queries drawn from a pool of ``distinct`` names (see the module docstring)."""
    import numpy as np

    from geo import default_gazetteer

    gaz = default_gazetteer()
    t = gaz._t
    rng = np.random.default_rng(seed)
    weight = np.sqrt(t.place_population + 1.0)
    rows = rng.choice(len(weight), size=int(distinct * 0.55), p=weight / weight.sum())
    pool = [t.place_name[int(r)] for r in rows]
    keys = gaz.name_keys()
    pool += [str(k) for k in rng.choice(keys, size=int(distinct * 0.15))]  # other names
    regions = [str(r) for r in rng.choice(t.region_name, size=int(distinct * 0.08))]
    patterns = ["{} region", "région de {}", "{}", "oblast de {}", "{} Province"]
    pool += [patterns[i % len(patterns)].format(r) for i, r in enumerate(regions)]
    countries = list(t.country_name) + list(t.country_iso2) + ["Corée du Nord", "Russie", "DPRK"]
    pool += [str(c) for c in rng.choice(countries, size=int(distinct * 0.05))]
    qualified = rng.choice(len(weight), size=int(distinct * 0.07), p=weight / weight.sum())
    country_names = dict(zip(t.country_iso2, t.country_name, strict=True))
    for r in qualified:
        name, iso2 = t.place_name[int(r)], t.codes[t.place_country[int(r)]]
        pool.append(f"{name}, {country_names[iso2]}" if iso2 in country_names else name)
    pool += [f"Xq{i}zz {p}" for i, p in enumerate(pool[: int(distinct * 0.05)])]  # misses
    pool += ["Koursk", "Tcheliabinsk", "Pyeongyang", "Москва", "평양", "Kharkov", "Sébastopol"]
    pool = list(dict.fromkeys(pool))
    rng.shuffle(pool)
    ranks = np.arange(1, len(pool) + 1)
    zipf = 1.0 / ranks
    picks = rng.choice(len(pool), size=n, p=zipf / zipf.sum())
    return [pool[i] for i in picks]


def run(cmd: list[str], **kwargs) -> tuple[float, str]:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, **kwargs)
    return time.perf_counter() - t0, done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per cold measurement")
    parser.add_argument("--skip-1m", action="store_true", help="leave out the 1M-query run")
    parser.add_argument(
        "--cli", action="store_true", help="also time `eventmap geocode --file` on 100k"
    )
    args = parser.parse_args(argv)
    py = sys.executable
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for label, n, distinct in [("100k", 100_000, 20_000), ("1M", 1_000_000, 100_000)]:
            if label == "1M" and args.skip_1m:
                continue
            queries = make_queries(n, distinct)
            path = Path(tmp) / f"{label}.txt"
            path.write_text("\n".join(queries), encoding="utf-8")
            files[label] = (path, len(set(queries)))

        cold_cmds = {
            "import geopandas": [py, "-c", "import geopandas"],
            "geocode Moscow": [py, "-m", "maps.cli.main", "geocode", "Moscow"],
        }
        run(cold_cmds["import geopandas"], env=env)  # warm the OS file cache once
        run(cold_cmds["geocode Moscow"], env=env)
        times: dict[str, list[float]] = {k: [] for k in cold_cmds}
        batch: dict[str, list[dict]] = {k: [] for k in files}
        for i in range(args.repeat):
            for name, cmd in cold_cmds.items():
                times[name].append(run(cmd, env=env)[0])
            for label, (path, _) in files.items():
                if label == "1M" and i > 0:
                    continue  # one 1M run is enough
                wall, out = run([py, "-c", _BATCH, str(path)], env=env)
                batch[label].append({**json.loads(out), "wall": wall})
        cli = None
        if args.cli:
            cli = run(
                [py, "-m", "maps.cli.main", "geocode", "--file", str(files["100k"][0]), "--format",
                 "csv"], env=env,
            )[0]  # fmt: skip

    base = statistics.median(times["import geopandas"])
    rows = [("import geopandas (cold process)", base, "")]
    cold = statistics.median(times["geocode Moscow"])
    rows.append(("eventmap geocode Moscow (cold process)", cold, "target ≤ 1.5×"))
    for label, runs in batch.items():
        wall = statistics.median(r["wall"] for r in runs)
        geocode = statistics.median(r["geocode"] for r in runs)
        target = "target ≤ 3×" if label == "100k" else ""
        distinct = files[label][1]
        resolved = runs[0]["resolved"] / runs[0]["n"]
        rows.append((f"{label} queries, cold process ({distinct:,} distinct)", wall, target))
        rows.append((f"  of which geocode_many ({resolved:.0%} resolved)", geocode, ""))
    if cli is not None:
        rows.append(("eventmap geocode --file 100k --format csv", cli, ""))
    print(f"{'':48} {'seconds':>8} {'× geopandas':>12}")
    for name, seconds, note in rows:
        print(f"{name:48} {seconds:8.3f} {seconds / base:11.2f}×  {note}")
    print(f"(median of {args.repeat} runs; 1M: one run; Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
