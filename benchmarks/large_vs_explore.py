"""N synthetic ACLED events drawn by eventmap and by geopandas.explore, in one run.

For each N, on the same rows (``benchmarks/synthetic.py``, one CSV):

* eventmap: ``geo.read_events`` (timed on its own), then
  ``maps.EventMap(events, offline=True, layer="auto").html()``;
* explore: the CSV as plain columns with points from latitude/longitude, then
  ``gdf.explore(popup=True, tooltip=[...]).get_root().render()``;

and measures the build time (GeoDataFrame in memory → HTML string), the HTML size
and the time Chromium takes to load and draw the page, from navigation start:
explore's ``load`` event plus one animation frame (its markers are drawn
synchronously by then); eventmap's ``data-eventmap-ready="1"`` (set when every
layer is drawn) plus one animation frame. It also clicks an eventmap point and
reports whether a popup with that event's notes appeared, and how fast.

Each build runs in its own Python process and each page in a freshly launched
Chromium, with the network blocked; explore's page links Leaflet from a CDN, so
that one file is served from ``maps/static`` (Leaflet 1.9.4 for explore's 1.9.3)
and its other CDN files (jQuery, Bootstrap, fonts) and map tiles are blocked,
which if anything makes explore load faster than it would online.

Run::

    .venv/bin/python benchmarks/large_vs_explore.py                      # 10k, 100k
    .venv/bin/python benchmarks/large_vs_explore.py --sizes 10000 100000 1000000

Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CHROMIUM = os.environ.get("EVENTMAP_CHROMIUM", "/usr/bin/chromium")
LEAFLET = {".js": ROOT / "maps" / "static" / "leaflet.js",
           ".css": ROOT / "maps" / "static" / "leaflet.css"}  # fmt: skip
TOOLTIP = ["event_date", "event_type", "sub_event_type", "location", "fatalities"]
TIMEOUT_MS = 30 * 60 * 1000

# Injected before any page script: when the page is loaded, and when eventmap says
# it has drawn everything, note the time at the next animation frame (and the one
# after, when that frame has been painted).
TIMING = """
(() => {
  const t = (window.__timing = {});
  const frames = (key) => requestAnimationFrame(() => {
    t[key] = performance.now();
    requestAnimationFrame(() => { t[key + "Painted"] = performance.now(); });
  });
  addEventListener("load", () => { t.loaded = performance.now(); frames("loadFrame"); });
  new MutationObserver((_, obs) => {
    if (document.documentElement.dataset.eventmapReady === "1") {
      t.ready = performance.now(); frames("readyFrame"); obs.disconnect();
    }
  }).observe(document, {
    attributes: true, subtree: true, attributeFilter: ["data-eventmap-ready"],
  });
})();
"""

# A compact-layer point the picker returns for itself, inside the viewport; else
# a rich-layer marker; else null (the caller then clicks the centre).
FIND_POINT = """
() => {
  const st = Object.values(Eventmap.maps)[0], map = st.map;
  const box = map.getContainer().getBoundingClientRect(), size = map.getSize();
  const inside = (p) =>
    p.x > size.x * 0.3 && p.x < size.x * 0.7 && p.y > size.y * 0.3 && p.y < size.y * 0.7;
  const at = (p, id, notes, how) =>
    ({ x: box.left + p.x, y: box.top + p.y, id: id || "", notes: notes || "", how });
  // Whole pixels, and the event every layer's picker agrees on: where points are
  // dense, a neighbour within half a pixel would otherwise answer the click.
  const nearest = (p) => (st.compact || []).reduce((best, layer) => {
    const hit = layer._map ? layer.pick(p) : null;
    return hit && (!best || hit.distance < best.distance) ? hit : best;
  }, null);
  for (const layer of st.compact || []) {
    if (!layer._map || !layer.text) continue;
    for (let i = 0; i < layer.n; i += 1) {
      const q = map.latLngToContainerPoint(layer.latlng(i));
      const p = L.point(Math.round(q.x), Math.round(q.y));
      if (!inside(p)) continue;
      const hit = nearest(p);
      if (hit && hit.index === i && hit.layer === layer)
        return at(p, layer.text.id[i], layer.text.description[i], "compact");
    }
  }
  for (const it of st.items) {
    if (!it.layer || !it.layer.getLatLng || !it.feature) continue;
    const q = map.latLngToContainerPoint(it.layer.getLatLng());
    const p = L.point(Math.round(q.x), Math.round(q.y));
    if (inside(p)) return at(p, it.feature.id, it.feature.description, "rich");
  }
  return null;
}
"""

WATCH_CLICK = """
() => {
  const t = window.__timing;
  const clicked = () => { t.click = performance.now(); };
  document.addEventListener("click", clicked, { capture: true, once: true });
  new MutationObserver((_, obs) => {
    if (!document.querySelector(".leaflet-popup-content")) return;
    t.popup = performance.now();
    obs.disconnect();
  }).observe(document.body, { childList: true, subtree: true });
}
"""


# --------------------------------------------------------------------------- builds


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_eventmap(csv: Path, html: Path) -> dict:
    import geo
    import maps

    read = geo.read_events  # geo imports its modules on first use: not part of the read
    t0 = time.perf_counter()
    events = read(csv)
    t_read = time.perf_counter() - t0
    peak_read = _peak_mb()
    t1 = time.perf_counter()
    try:
        m = maps.EventMap(events, offline=True, layer="auto")
        layer_kw = True
    except TypeError:  # an eventmap without the layer option
        m = maps.EventMap(events, offline=True)
        layer_kw = False
    text = m.html()
    t_build = time.perf_counter() - t1
    html.write_text(text, encoding="utf-8")
    return {
        "read_s": t_read, "build_s": t_build, "bytes": html.stat().st_size,
        "layer": getattr(m, "layer", "?") if layer_kw else "no layer= option",
        "peak_read_mb": peak_read, "peak_mb": _peak_mb(),
    }  # fmt: skip


def worker_explore(csv: Path, html: Path) -> dict:
    import geopandas as gpd
    import pandas as pd

    t0 = time.perf_counter()
    df = pd.read_csv(csv)
    gdf = gpd.GeoDataFrame(
        df, geometry=gpd.points_from_xy(df["longitude"], df["latitude"]), crs="EPSG:4326"
    )
    t_read = time.perf_counter() - t0
    t1 = time.perf_counter()
    text = gdf.explore(popup=True, tooltip=TOOLTIP).get_root().render()
    t_build = time.perf_counter() - t1
    html.write_text(text, encoding="utf-8")
    return {"read_s": t_read, "build_s": t_build, "bytes": html.stat().st_size,
            "peak_mb": _peak_mb()}  # fmt: skip


def build(tool: str, csv: Path, html: Path) -> dict:
    """Run one build in a fresh interpreter, so neither tool inherits the other's heap."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", tool,
           "--csv", str(csv), "--html", str(html)]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{tool} build failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- browser


def _launch(pw):
    return pw.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--no-first-run"],
    )  # fmt: skip


def _route(url: str, serve_leaflet: bool):
    def on_route(route):
        req = route.request.url
        if req == url:
            return route.continue_()
        name = req.split("?")[0].rsplit("/", 1)[-1]
        if serve_leaflet and name in ("leaflet.js", "leaflet.css"):
            local = LEAFLET[Path(name).suffix]
            ctype = "text/css" if name.endswith(".css") else "application/javascript"
            return route.fulfill(status=200, body=local.read_bytes(), content_type=ctype)
        return route.abort()

    return on_route


def load(pw, html: Path, tool: str, *, click: bool) -> dict:
    """Open a page in a new Chromium; time load-and-draw, and for eventmap a click."""
    browser = _launch(pw)
    try:
        ctx = browser.new_context(viewport={"width": 1280, "height": 800})
        page = ctx.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        url = html.resolve().as_uri()
        ctx.route("**/*", _route(url, serve_leaflet=tool == "explore"))
        page.add_init_script(TIMING)
        page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
        out: dict = {"errors": errors}
        if tool == "explore":
            page.wait_for_function("() => window.__timing.loadFramePainted", polling=50)
            t = page.evaluate("() => window.__timing")
            out.update(
                load_ms=t["loadFrame"], painted_ms=t["loadFramePainted"], how="load + 1 frame"
            )
            out["markers"] = page.evaluate(
                "() => document.querySelectorAll('.leaflet-interactive').length"
            )
            return out
        ready = page.wait_for_function(
            "() => window.__timing.readyFramePainted || null", polling=50, timeout=120_000
        ) if _has_ready(page) else None  # fmt: skip
        if ready is not None:
            t = page.evaluate("() => window.__timing")
            out.update(load_ms=t["readyFrame"], painted_ms=t["readyFramePainted"],
                       how="data-eventmap-ready + 1 frame")  # fmt: skip
        else:
            page.wait_for_function("() => window.Eventmap && window.__timing.loadFramePainted")
            t = page.evaluate("() => window.__timing")
            out.update(load_ms=t["loadFrame"], painted_ms=t["loadFramePainted"],
                       how="NO data-eventmap-ready: window.Eventmap + load + 1 frame")  # fmt: skip
        if click:
            out.update(_click(page))
        return out
    finally:
        browser.close()


def _has_ready(page) -> bool:
    """Whether this page will ever set data-eventmap-ready (the lead's compact runtime)."""
    try:
        page.wait_for_function(
            "() => document.documentElement.dataset.eventmapReady === '1' || "
            "(window.Eventmap && typeof window.Eventmap.ready === 'function')",
            timeout=TIMEOUT_MS,
        )
    except Exception:  # noqa: BLE001 - playwright's TimeoutError; fall back below
        return False
    return True


def _click(page) -> dict:
    target = page.evaluate(FIND_POINT)
    page.evaluate(WATCH_CLICK)
    if target is None:
        box = page.locator(".leaflet-container").first.bounding_box()
        target = {"x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] / 2,
                  "notes": "", "how": "map centre"}  # fmt: skip
    page.mouse.click(target["x"], target["y"])
    try:
        page.wait_for_selector(".leaflet-popup-content", timeout=10_000)
    except Exception:  # noqa: BLE001 - no popup is a result, not a crash
        return {"popup": False, "click_how": target["how"]}
    page.wait_for_function("() => window.__timing.popup", polling=20)
    t = page.evaluate("() => window.__timing")
    text = page.locator(".leaflet-popup-content").inner_text()
    notes, flat = target["notes"], " ".join(text.split())
    return {
        "popup": True,
        "popup_has_notes": bool(notes) and " ".join(notes.split()) in flat,
        "popup_is_event": bool(target["id"]) and f"id: {target['id']}" in flat,
        "click_ms": t["popup"] - t["click"],
        "click_how": target["how"],
    }


# --------------------------------------------------------------------------- report


def _median(runs: list[dict], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.3f}x" if a is not None and b else "-"


def _fmt(v: float | None, unit: str) -> str:
    return "-" if v is None else f"{v:.2f}" if unit != "MB" else f"{v:.1f}"


def run_size(n: int, args, work: Path, pw) -> None:
    sys.path.insert(0, str(HERE))
    import synthetic

    csv = work / f"acled-{n}-seed{args.seed}.csv"
    t0 = time.perf_counter()
    synthetic.write_csv(synthetic.make_acled(n, seed=args.seed), csv)
    made = time.perf_counter() - t0
    print(f"\nN = {n:,} synthetic ACLED events (seed {args.seed}): {csv} "
          f"{csv.stat().st_size / 1e6:.1f} MB, made in {made:.1f} s", flush=True)  # fmt: skip
    run_explore = n <= args.explore_max
    em_builds, ex_builds, em_loads, ex_loads = [], [], [], []
    for k in range(args.repeat):
        em_html, ex_html = work / f"eventmap-{n}.html", work / f"explore-{n}.html"
        em_builds.append(build("eventmap", csv, em_html))
        em_loads.append(load(pw, em_html, "eventmap", click=True))
        if run_explore:
            ex_builds.append(build("explore", csv, ex_html))
            ex_loads.append(load(pw, ex_html, "explore", click=False))
        print(f"  run {k + 1}/{args.repeat} done", flush=True)

    em_b = {k: _median(em_builds, k) for k in ("read_s", "build_s", "bytes", "peak_mb")}
    em_l = {k: _median(em_loads, k) for k in ("load_ms", "painted_ms", "click_ms")}
    ex_b = {k: _median(ex_builds, k) for k in ("read_s", "build_s", "bytes", "peak_mb")}
    ex_l = {k: _median(ex_loads, k) for k in ("load_ms", "painted_ms")}
    mb = lambda b: None if b is None else b / 1e6  # noqa: E731
    s = lambda ms: None if ms is None else ms / 1000  # noqa: E731
    rows = [
        ("build (s)", em_b["build_s"], ex_b["build_s"], "s"),
        ("HTML (MB)", mb(em_b["bytes"]), mb(ex_b["bytes"]), "MB"),
        ("load + draw (s)", s(em_l["load_ms"]), s(ex_l["load_ms"]), "s"),
    ]
    label = "median of " + str(args.repeat) if args.repeat > 1 else "one run"
    print(f"  {'(' + label + ')':24} {'eventmap':>12} {'explore':>12} {'eventmap/explore':>18}")
    for name, a, b, unit in rows:
        shown_b = _fmt(b, unit) if run_explore else "not run"
        print(f"  {name:24} {_fmt(a, unit):>12} {shown_b:>12} {_ratio(a, b):>18}")
    if not run_explore:
        print(f"  explore: not run (above --explore-max {args.explore_max:,})")
    last = em_loads[-1]
    print(f"  eventmap: geo.read_events {em_b['read_s']:.2f} s; layer={em_builds[-1]['layer']}; "
          f"ready = {last['how']}; "
          f"peak RSS of the build process {em_b['peak_mb']:.0f} MB")  # fmt: skip
    if "popup" in last:
        notes = "yes" if last.get("popup_has_notes") else "NO"
        notes += "" if last.get("popup_is_event") else " (and NOT the clicked event's id)"
        when = f"{em_l['click_ms']:.0f} ms" if em_l["click_ms"] is not None else "-"
        print(f"  eventmap click ({last['click_how']}): popup "
              f"{'appeared' if last['popup'] else 'did NOT appear'}, with the event's notes: "
              f"{notes if last['popup'] else '-'}; click → popup {when}")  # fmt: skip
    if run_explore:
        print(f"  explore: read CSV {ex_b['read_s']:.2f} s; {ex_loads[-1]['markers']:,} SVG "
              f"markers; peak RSS of the build process {ex_b['peak_mb']:.0f} MB")  # fmt: skip
    painted_a, painted_b = s(em_l["painted_ms"]), s(ex_l["painted_ms"])
    shown = _fmt(painted_b, "s") if run_explore else "-"
    print(f"  one frame later (painted): eventmap {_fmt(painted_a, 's')} s, explore {shown} s, "
          f"ratio {_ratio(painted_a, painted_b)}")  # fmt: skip
    for tool, loads in (("eventmap", em_loads), ("explore", ex_loads)):
        errs = sorted({e for r in loads for e in r["errors"]})
        if errs:
            print(f"  {tool} page errors: {errs[:3]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--explore-max", type=int, default=100_000,
                        help="largest N to render with explore (default 100000)")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=1, help="runs per N; medians are shown")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, help="keep CSV and HTML files here")
    parser.add_argument("--worker", choices=["eventmap", "explore"], help=argparse.SUPPRESS)
    parser.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--html", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        fn = worker_eventmap if args.worker == "eventmap" else worker_explore
        print(json.dumps(fn(args.csv, args.html)))
        return 0

    from playwright.sync_api import sync_playwright

    print(f"eventmap vs geopandas.explore, {os.cpu_count()} CPUs, Chromium {CHROMIUM}")
    with tempfile.TemporaryDirectory(prefix="eventmap-bench-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as pw:
            for n in args.sizes:
                run_size(n, args, work, pw)
    return 0


if __name__ == "__main__":
    sys.exit(main())
