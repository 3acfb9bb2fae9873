"""What a reader's actions cost on 10^4, 10^5 and 10^6-event maps, in Chromium.

For each N, one synthetic ACLED CSV (``benchmarks/synthetic.py``) is drawn by
eventmap (``maps.EventMap(events)``, the default page: compact layers from a few
thousand events) and the page is opened in a freshly launched headless Chromium
(1280x800, network blocked). Then, from the call to the next painted frame (two
``requestAnimationFrame`` after the call returns), medians over ``--repeat``
calls, each of which changes what is shown:

* window: ``Eventmap.setView(map, {t0, t1})``, March-May of 2024, then of 2023;
* wide window: the same, 2022-02-24 to 2024-12-31, then 2022-06-01 to 2025-06-30
  (most events shown each time: the heaviest redraw);
* kind: ``setView(map, {kind: [battles]})``, then ``{kind: null}`` (kind cleared);
* search: ``setView(map, {q})``, a new town name each time (a search is cached
  per query string; these are not), then ``{q: ""}`` (search cleared); the
  very first search is shown on its own, as it also prepares the text once;
* pan: ``map.panBy([dx, dy], {animate: false})``, there and back.

Each is shown beside its anchor in the same run: the same selection made with a
pandas boolean mask on the same rows (the CSV read by pandas, dates parsed
beforehand), timed in this process (median of ``--repeat``). pandas only selects
rows; the page selects them, redraws every changed layer, counts and updates the
count. ``geopandas.explore``'s page is no anchor here: it cannot filter at all.
Also reported: the renderer processes' CPU time per call (from
``/proc/PID/task/*/schedstat``; on a machine shared with other work it is steadier
than wall time), and whether the page's count (``data-eventmap-shown``) equals
pandas' count of the same selection (the search compares different text: the
page folds accents and searches titles, places, descriptions and notes).

Run::

    .venv/bin/python benchmarks/interact.py                        # 10^4, 10^5, 10^6
    .venv/bin/python benchmarks/interact.py --sizes 10000 --repeat 3 --json out.json
    .venv/bin/python benchmarks/interact.py --sizes 1000000 --workdir /tmp/em --reuse

``--workdir`` keeps the CSVs and pages, and ``--reuse`` takes a page already there
instead of drawing it again (a 10^6-event page takes minutes on two cores).
``--bundle PATH`` puts that page code (e.g. ``maps/static/eventmap.js`` after
``node maps/js/build.mjs``) in place of the one the page was drawn with, in a
copy of the page, so new page code is measured without drawing the page again;
only valid while the page's data (``maps/contract.py``) is unchanged.

Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CHROMIUM = os.environ.get("EVENTMAP_CHROMIUM", "/usr/bin/chromium")
TIMEOUT_MS = 30 * 60 * 1000
TOWNS = ["Kharkiv", "Bakhmut", "Sumy", "Kherson", "Avdiivka", "Pokrovsk", "Kupiansk",
         "Vuhledar", "Toretsk", "Izium", "Lyman", "Orikhiv"]  # fmt: skip
WINDOWS = [("2024-03-01", "2024-05-31"), ("2023-03-01", "2023-05-31")]
# Most events shown, then most of them again: every layer is drawn in full.
WIDE = [("2022-02-24", "2024-12-31"), ("2022-06-01", "2025-06-30")]
PAN = [(200, 120), (-200, -120)]
BUNDLE_START = "<script>var Eventmap = (() => {"

# Runs an action given as a function body (the map is `map`), then resolves, two
# animation frames later (the frame after the change has been painted), with
# [ms the call took, ms to the painted frame, the page's shown count].
ACT = """
async (body) => {
  const map = Object.values(Eventmap.maps)[0].map;
  const act = new Function("map", body);
  const t0 = performance.now();
  act(map);
  const t1 = performance.now();
  await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
  const shown = document.querySelector("[data-eventmap-shown]");
  return [t1 - t0, performance.now() - t0, shown ? Number(shown.dataset.eventmapShown) : null];
}
"""


# --------------------------------------------------------------------------- build


def worker(csv: Path, html: Path) -> dict:
    import geo
    import maps

    t0 = time.perf_counter()
    m = maps.EventMap(geo.read_events(csv))
    m.save(html)
    return {"build_s": time.perf_counter() - t0, "layer": m.layer, "bytes": html.stat().st_size}


def build(csv: Path, html: Path) -> dict:
    """Draw the page in a fresh interpreter (its memory is not this one's)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", "--csv", str(csv),
           "--html", str(html)]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"build failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def splice(html: Path, bundle: Path, out: Path) -> Path:
    """A copy of the page with another build of the page code in place of its own."""
    text = html.read_text(encoding="utf-8")
    a = text.index(BUNDLE_START) + len("<script>")
    b = text.index("</script>", a)
    out.write_text(text[:a] + bundle.read_text(encoding="utf-8") + text[b:], encoding="utf-8")
    return out


# --------------------------------------------------------------------------- anchor


def frame(csv: Path) -> pd.DataFrame:
    """The rows as pandas reads them, with each event's first and last day as
    geo reads ACLED's ``time_precision``: 2 the week from the date, 3 its month."""
    df = pd.read_csv(csv, usecols=["event_date", "time_precision", "event_type", "location",
                                   "notes", "latitude", "longitude"])  # fmt: skip
    day = pd.to_datetime(df["event_date"])
    week, month = df["time_precision"] == 2, df["time_precision"] == 3
    df["start"] = day.where(~month, day.dt.to_period("M").dt.start_time)
    df["end"] = day.where(~week, day + pd.Timedelta(days=6))
    df["end"] = df["end"].where(~month, day.dt.to_period("M").dt.end_time.dt.normalize())
    df["text"] = (df["location"].fillna("") + " " + df["notes"].fillna("")).str.lower()
    return df


def _ms(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), out


def anchors(df: pd.DataFrame, repeat: int, kind_label: str | None) -> dict:
    """The same selections as boolean masks on the same rows: ms and counts."""
    a, b = (pd.Timestamp(d) for d in WINDOWS[0])
    wa, wb = (pd.Timestamp(d) for d in WIDE[0])
    lat0, lat1 = df["latitude"].quantile([0.25, 0.75])
    lon0, lon1 = df["longitude"].quantile([0.25, 0.75])
    q = TOWNS[0].lower()
    masks = {
        "window": lambda: (df["start"] <= b) & (df["end"] >= a),  # overlap, as the page
        "wide window": lambda: (df["start"] <= wb) & (df["end"] >= wa),
        "kind": lambda: df["event_type"] == kind_label,
        "search": lambda: df["text"].str.contains(q, regex=False),
        # A pan shows what lies in another box of the same size.
        "pan": lambda: df["latitude"].between(lat0, lat1) & df["longitude"].between(lon0, lon1),
    }
    out = {}
    for name, mask in masks.items():
        ms, m = _ms(mask, repeat)
        out[name] = {"ms": ms, "count": int(m.sum())}
    return out


# --------------------------------------------------------------------------- browser


def _launch(pw):
    return pw.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--no-first-run"],
    )  # fmt: skip


def _renderers(browser) -> list[int]:
    try:
        info = browser.new_browser_cdp_session().send("SystemInfo.getProcessInfo")
    except Exception:  # noqa: BLE001 - no CDP, no CPU times: wall time only
        return []
    return [p["id"] for p in info["processInfo"] if p["type"] == "renderer"]


def _cpu_ms(pids: list[int]) -> float | None:
    """CPU time so far of every thread of these processes (Linux), ms."""
    total, seen = 0, False
    for pid in pids:
        for f in glob.glob(f"/proc/{pid}/task/*/schedstat"):
            try:
                total += int(Path(f).read_text().split()[0])
                seen = True
            except (OSError, ValueError, IndexError):
                pass
    return total / 1e6 if seen else None


def _day_ms(day: str, end: bool = False) -> int:
    t = pd.Timestamp(day, tz="UTC")
    if end:
        t += pd.Timedelta(days=1) - pd.Timedelta(milliseconds=1)
    return int(t.value // 1_000_000)


def actions(kind_id: str | None, repeat: int) -> dict[str, list[tuple[str, str]]]:
    """Per action, the calls to make, (label, code), each changing what is shown."""
    view = "Eventmap.setView(map, %s, 'ui');"

    def window(a: str, b: str) -> str:
        return view % json.dumps({"t0": _day_ms(a), "t1": _day_ms(b, end=True)})

    out = {
        "window": [("window", window(*WINDOWS[k % 2])) for k in range(repeat)],
        "wide window": [("wide window", window(*WIDE[k % 2])) for k in range(repeat)],
        # A search, then none: the second shows every event again.
        "search": [c for k in range(repeat) for c in (
            ("search", view % json.dumps({"q": TOWNS[k % len(TOWNS)]})),
            ("search cleared", view % json.dumps({"q": ""})))],
        "pan": [("pan", f"map.panBy([{x}, {y}], {{animate: false}});") for x, y in PAN * repeat][
            :repeat
        ],
    }  # fmt: skip
    if kind_id:
        out["kind"] = [c for _ in range(repeat) for c in (
            ("kind", view % json.dumps({"kind": [kind_id]})),
            ("kind cleared", view % json.dumps({"kind": None})))]  # fmt: skip
    return out


RESET = {"window": "{t0: null, t1: null}", "wide window": "{t0: null, t1: null}",
         "search": "{q: ''}", "kind": "{kind: null}"}  # fmt: skip


def measure(pw, html: Path, repeat: int) -> dict:
    browser = _launch(pw)
    try:
        ctx = browser.new_context(viewport={"width": 1280, "height": 800})
        page = ctx.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        url = html.resolve().as_uri()
        ctx.route("**/*", lambda r: r.continue_() if r.request.url == url else r.abort())
        t0 = time.perf_counter()
        page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
        page.wait_for_function(
            "() => document.documentElement.dataset.eventmapReady === '1'", polling=100
        )
        ready_s = time.perf_counter() - t0
        # Text for search comes a moment after ready (it is decompressed then).
        page.evaluate("""() => Promise.all(Object.values(Eventmap.maps)[0].compact
                          .map((l) => l.textReady))""")  # fmt: skip
        info = page.evaluate(
            """() => { const st = Object.values(Eventmap.maps)[0];
              const kinds = (st.filters && st.filters.kinds) || [];
              const battle = kinds.find((k) => k.id === 'battles') || kinds[0] || null;
              return { setView: typeof Eventmap.setView === 'function',
                       kind: battle && {id: battle.id, label: battle.label},
                       compact: (st.compact || []).map((l) => l.n) }; }"""
        )
        pids = _renderers(browser)
        out = {"ready_s": ready_s, "errors": errors, "compact_layers": info["compact"],
               "kind": info["kind"], "actions": {}}  # fmt: skip
        if not info["setView"]:
            out["errors"].append("no Eventmap.setView in this page: window, kind, search skipped")
        for name, calls in actions(info["kind"] and info["kind"]["id"], repeat).items():
            if name != "pan" and not info["setView"]:
                continue
            for k, (label, body) in enumerate(calls):
                # The first search folds every event's text once (kept for the next).
                label = "search (first)" if name == "search" and k == 0 else label
                c0 = _cpu_ms(pids)
                call_ms, painted_ms, shown = page.evaluate(ACT, body)
                c1 = _cpu_ms(pids)
                out["actions"].setdefault(label, []).append(
                    {"call_ms": call_ms, "painted_ms": painted_ms, "shown": shown,
                     "cpu_ms": None if c0 is None else c1 - c0}
                )  # fmt: skip
            if name in RESET:
                page.evaluate(ACT, f"Eventmap.setView(map, {RESET[name]}, 'ui');")
        return out
    finally:
        browser.close()


# --------------------------------------------------------------------------- report


def _median(runs: list[dict], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def _f(v: float | None, digits: int = 1) -> str:
    return "-" if v is None else f"{v:.{digits}f}"


def report(n: int, page: dict, anchor: dict, repeat: int) -> list[dict]:
    rows = []
    print(f"  page ready in {page['ready_s']:.1f} s; compact layers {page['compact_layers']}")
    head = (f"  {'(median of ' + str(repeat) + ')':18} {'painted ms':>11} {'call ms':>8} "
            f"{'CPU ms':>8} {'pandas ms':>10} {'ratio':>8}   shown (pandas)")  # fmt: skip
    print(head)
    for name, runs in page["actions"].items():
        painted, call, cpu = (_median(runs, k) for k in ("painted_ms", "call_ms", "cpu_ms"))
        a = anchor.get("search" if name == "search (first)" else name, {})
        ratio = f"{painted / a['ms']:.1f}x" if painted is not None and a.get("ms") else "-"
        # The first call's count is pandas' selection (window A, battles, TOWNS[0]).
        first = runs[0]["shown"] if runs else None
        counts = f"{first:,} ({a['count']:,})" if first is not None and "count" in a else "-"
        if name == "pan":
            counts = "- (another box)"
        elif name == "search":
            counts = "- (other towns)"
        elif name.endswith("cleared") and first is not None:
            counts = f"{first:,} (all)"
        print(f"  {name:18} {_f(painted):>11} {_f(call):>8} {_f(cpu):>8} "
              f"{_f(a.get('ms'), 2):>10} {ratio:>8}   {counts}")  # fmt: skip
        rows.append({"n": n, "action": name, "painted_ms": painted, "call_ms": call,
                     "cpu_ms": cpu, "pandas_ms": a.get("ms"), "shown": first,
                     "pandas_count": a.get("count"), "runs": runs})  # fmt: skip
    if page["errors"]:
        print(f"  page errors: {sorted(set(page['errors']))[:3]}")
    return rows


def run_size(n: int, args, work: Path, pw) -> list[dict]:
    sys.path.insert(0, str(HERE))
    import synthetic

    csv = work / f"acled-{n}-seed{args.seed}.csv"
    if not csv.exists():
        synthetic.write_csv(synthetic.make_acled(n, seed=args.seed), csv)
    html = work / f"eventmap-{n}.html"
    if not (args.reuse and html.exists()):
        b = build(csv, html)
        print(f"\nN = {n:,}: page drawn in {b['build_s']:.1f} s, {b['bytes'] / 1e6:.1f} MB, "
              f"layer={b['layer']}", flush=True)  # fmt: skip
    else:
        print(f"\nN = {n:,}: page reused: {html} ({html.stat().st_size / 1e6:.1f} MB)")
    if args.bundle:
        html = splice(html, args.bundle, work / f"eventmap-{n}-bundle.html")
        print(f"  page code from {args.bundle}")
    page = measure(pw, html, args.repeat)
    label = (page["kind"] or {}).get("label")
    anchor = anchors(frame(csv), args.repeat, label)
    return report(n, page, anchor, args.repeat)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=7, help="calls per action; medians")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, help="keep CSV and HTML files here")
    parser.add_argument("--reuse", action="store_true", help="take pages already in --workdir")
    parser.add_argument("--bundle", type=Path, help="page code to put in a copy of each page")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--html", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.csv, args.html)))
        return 0

    from playwright.sync_api import sync_playwright

    print(f"eventmap interactions, {os.cpu_count()} CPUs, Chromium {CHROMIUM}, 1280x800")
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="eventmap-interact-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as pw:
            for n in args.sizes:
                rows += run_size(n, args, work, pw)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
