"""Render the seed with eventmap and with geopandas.explore, in one run.

Reports build time and HTML size for both, and their ratios. Run:
    .venv/bin/python benchmarks/render_vs_explore.py [--repeat 5]
Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "events" / "dprk-russia.yaml"


def _time(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    import geo
    import maps

    events = geo.read_events(SEED)
    t_read = time.perf_counter() - t0

    def eventmap_html() -> str:
        # Tiles, as explore() loads them: the embedded basemap (the default)
        # would weigh the page and its build beside explore's.
        return maps.EventMap(events, tiles="OpenStreetMap.Mapnik").html()

    def explore_html() -> str:
        frame = events.drop(columns=["date_start", "date_end"]).copy()
        for col in ("actors", "places", "via", "quantities", "sources"):
            frame[col] = frame[col].astype(str)
        return (
            frame.explore(column="kind", tooltip=["title", "date"], popup=True).get_root().render()
        )

    t_em, html_em = _time(eventmap_html, args.repeat)
    t_ex, html_ex = _time(explore_html, args.repeat)
    rows = [
        ("import + read + geocode seed", f"{t_read:.3f} s", "", ""),
        ("build HTML (median)", f"{t_em:.3f} s", f"{t_ex:.3f} s", f"{t_em / t_ex:.2f}x"),
        ("HTML size", f"{len(html_em) / 1024:.0f} KiB", f"{len(html_ex) / 1024:.0f} KiB",
         f"{len(html_em) / len(html_ex):.2f}x"),
    ]  # fmt: skip
    print(f"{f'seed ({len(events)} events)':34} {'eventmap':>12} {'explore':>12} {'ratio':>8}")
    for name, a, b, r in rows:
        print(f"{name:34} {a:>12} {b:>12} {r:>8}")
    print("note: eventmap's HTML inlines Leaflet and its code; explore's links them from CDNs.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
