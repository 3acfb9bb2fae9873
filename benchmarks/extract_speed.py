"""Throughput of ``eventmap extract`` on a folder of articles, beside ``import geopandas``.

The bar (issue 4): a folder of 200 articles the size of the seed article takes
at most the time to import geopandas plus 4 s. Both are measured here, in
one run, as fresh processes (cold interpreter, warm file cache):

    .venv/bin/python benchmarks/extract_speed.py [--docs 200] [--repeat 3]

Articles are the seed article (../shared/seed/) with its sentences rotated
and the development cases' sentences mixed in, so no two are identical;
each is about the seed's size. Speed is measured here, never asserted in
tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "dprk-russia-article.fr.txt"
DEV = SHARED / "eval" / "geoparse_dev.json"
EVENTMAP = Path(sys.executable).with_name("eventmap")


def make_corpus(folder: Path, n: int) -> int:
    """Write ``n`` articles of about the seed's size; return their total characters."""
    seed = SEED.read_text(encoding="utf-8")
    lines = [line for line in seed.splitlines() if line.strip()]
    extra = [d["text"] for d in json.loads(DEV.read_text(encoding="utf-8"))["docs"]]
    total = 0
    for i in range(n):
        k = i % len(lines)
        body = lines[k:] + lines[:k]
        body.insert(len(body) // 2, extra[i % len(extra)])
        text = "\n".join(body)[: len(seed) + 200] + "\n"
        (folder / f"article-{i:04d}.txt").write_text(text, encoding="utf-8")
        total += len(text)
    return total


def _time(cmd: list[str], repeat: int, *, cold: bool = False) -> float:
    times = []
    for _ in range(repeat):
        env = dict(os.environ)
        if cold:  # a fresh, empty automaton cache: the first run on a machine
            env["EVENTMAP_CACHE_DIR"] = tempfile.mkdtemp()
        t0 = time.perf_counter()
        subprocess.run(
            cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
        )
        times.append(time.perf_counter() - t0)
        if cold:
            shutil.rmtree(env["EVENTMAP_CACHE_DIR"], ignore_errors=True)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if not SEED.is_file():
        raise SystemExit(f"the seed article is missing: {SEED}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        chars = make_corpus(folder, args.docs)
        t_import = _time([sys.executable, "-c", "import geopandas"], args.repeat)
        t_one = _time([str(EVENTMAP), "extract", str(SEED)], args.repeat)
        t_geojson = _time([str(EVENTMAP), "extract", str(folder)], args.repeat)
        t_yaml = _time([str(EVENTMAP), "extract", str(folder), "--format", "yaml"], args.repeat)
        t_cold = _time([str(EVENTMAP), "extract", str(folder), "--format", "yaml"], 1, cold=True)
    budget = t_import + 4.0
    print(f"{args.docs} articles, {chars / args.docs:,.0f} characters each on average")
    label = 'python -c "import geopandas"'
    print(f"{label:44} {t_import:6.2f} s")
    print(f"{'eventmap extract SEED (one article)':44} {t_one:6.2f} s")
    print(f"{'eventmap extract FOLDER (geojson)':44} {t_geojson:6.2f} s")
    print(f"{'eventmap extract FOLDER --format yaml':44} {t_yaml:6.2f} s")
    print(f"{'  the same, first run (no automaton cache)':44} {t_cold:6.2f} s")
    worst = max(t_geojson, t_yaml, t_cold)
    verdict = "within" if worst <= budget else "OVER"
    print(f"budget (import geopandas + 4 s)              {budget:6.2f} s: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
