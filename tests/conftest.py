"""Shared fixtures: the seed data, rendered maps, and a real headless Chromium.

Browser tests run Debian's Chromium (``/usr/bin/chromium``) through
Playwright. They are never skipped in CI (``CI`` set): a missing browser is a
failure there.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]

# Property tests explore new examples on every local run ("dev"); in CI they replay
# the same ones ("ci"), so that a red run is a bug found, not a draw. Neither has a
# deadline: a loaded machine is not a failure. HYPOTHESIS_PROFILE picks one by name.
# Tests set their own example counts.
settings.register_profile("dev", deadline=None, print_blob=True)
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)
SEED = ROOT / "data" / "events" / "dprk-russia.yaml"
SYNTHETIC = ROOT / "benchmarks" / "synthetic.py"
CHROMIUM = os.environ.get("EVENTMAP_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_events():
    import geo

    return geo.read_events(SEED)


@pytest.fixture(scope="session")
def synthetic():
    """``benchmarks/synthetic.py``, loaded once: ACLED-shaped rows of our own
    (``make_acled(n, seed=...)``, ``write_csv(frame, path)``)."""
    module = sys.modules.get("synthetic")
    if module is None or Path(getattr(module, "__file__", "") or "").resolve() != SYNTHETIC:
        spec = importlib.util.spec_from_file_location("synthetic", SYNTHETIC)
        module = importlib.util.module_from_spec(spec)
        sys.modules["synthetic"] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def offline_map(seed_events, tmp_path_factory) -> Path:
    import maps

    path = tmp_path_factory.mktemp("maps") / "seed-offline.html"
    maps.EventMap(seed_events, offline=True).save(path)
    return path


@pytest.fixture(scope="session")
def online_map(seed_events, tmp_path_factory) -> Path:
    import maps

    # Online tiles are opt-in: the default page embeds its basemap.
    path = tmp_path_factory.mktemp("maps") / "seed-online.html"
    maps.EventMap(seed_events, tiles="OpenStreetMap.Mapnik").save(path)
    return path


@pytest.fixture
def fake_nominatim():
    """A local Nominatim imitation on a free port, stopped after the test."""
    from fake_nominatim import running

    with running() as server:
        yield server


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """A geocoding cache of the test's own, and no user-agent settings from the environment."""
    path = tmp_path / "cache"
    monkeypatch.setenv("EVENTMAP_CACHE_DIR", str(path))
    monkeypatch.delenv("EVENTMAP_USER_AGENT", raising=False)
    monkeypatch.delenv("EVENTMAP_CONTACT", raising=False)
    return path


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@dataclass
class Loaded:
    """A page opened with the network cut, and what it tried to do."""

    page: object
    requests: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    dialogs: list = field(default_factory=list)


@pytest.fixture
def open_page(browser):
    """Open an HTML file with every network request blocked and recorded."""
    contexts = []

    def _open(path: Path, *, width: int = 1280, height: int = 800) -> Loaded:
        ctx = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(ctx)
        page = ctx.new_page()
        url = path.resolve().as_uri()
        loaded = Loaded(page)

        def on_request(req):
            if req.url != url:
                loaded.requests.append((req.resource_type, req.url))

        def on_route(route):
            if route.request.url == url:
                route.continue_()
            else:
                route.abort()

        page.on("request", on_request)
        page.on("pageerror", lambda exc: loaded.errors.append(str(exc)))
        page.on(
            "console",
            lambda msg: (
                loaded.errors.append(msg.text)
                if msg.type == "error" and "net::ERR" not in msg.text
                else None
            ),
        )
        page.on("dialog", lambda d: (loaded.dialogs.append(d.message), d.dismiss()))
        ctx.route("**/*", on_route)
        page.goto(url, wait_until="load")
        # The page marks itself ready once every layer has drawn.
        page.wait_for_function("() => document.documentElement.dataset.eventmapReady === '1'")
        return loaded

    yield _open
    for ctx in contexts:
        ctx.close()
