"""A map in a notebook (EventMap._repr_html_, __repr__; maps/_packed.py): the
output is light (the page gzip-packed in a boot page), unpacks to the page
itself, and where it cannot run says why in plain text."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

import maps
from maps._packed import UNTRUSTED, unpack

HOSTILE = "</div><script>alert(1)</script> & $x$ <b>"


@pytest.fixture(scope="module")
def seed_map(seed_events):
    return maps.EventMap(seed_events)


def _srcdoc(output: str) -> str:
    found = re.search(r'<iframe srcdoc="([^"]*)"', output)
    assert found, output[:200]
    return html.unescape(found.group(1))


def _packed(boot: str) -> str:
    found = re.search(
        r'<script id="em-packed" type="application/gzip\+base64">([^<]*)</script>', boot
    )
    assert found, boot[:300]
    return found.group(1)


class _Text(HTMLParser):
    """The text a sanitizer that drops frames and scripts leaves visible."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "iframe", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "iframe", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _visible_text(output: str) -> str:
    parser = _Text()
    parser.feed(output)
    return " ".join("".join(parser.parts).split())


def test_the_output_is_the_page_packed(seed_map):
    boot = _srcdoc(seed_map._repr_html_())
    assert unpack(_packed(boot)) == seed_map.html()
    assert re.fullmatch(r"[A-Za-z0-9+/=]+", _packed(boot))  # nothing but base64 in the page
    assert "DecompressionStream" in boot and "document.write" in boot


def test_the_output_is_light(seed_map):
    light, plain = len(seed_map._repr_html_().encode()), len(seed_map.to_iframe().encode())
    # The seed: 1.78 MB as a plain iframe; packed, well under half of it.
    assert light < 0.45 * plain, (light, plain)
    assert light < 0.45 * len(seed_map.html().encode()) + 10_000


def test_the_output_is_deterministic(seed_events):
    assert maps.EventMap(seed_events)._repr_html_() == maps.EventMap(seed_events)._repr_html_()


def test_the_message_says_why_in_plain_text(seed_map):
    output = seed_map._repr_html_()
    text = _visible_text(output)
    assert "If this text stays, the interactive map cannot run here" in text
    assert "trust the notebook" in text and "m.save('map.html')" in text
    assert text.startswith(f"{seed_map.title} (30 events): ")
    # Outside the frame, the only code is the frame's onload, and it is ours.
    outside = re.sub(r'srcdoc="[^"]*"', 'srcdoc=""', output)
    assert "<script" not in outside
    assert re.findall(r"\son\w+=", outside) == [" onload="]


def test_hostile_title_stays_text(seed_events):
    m = maps.EventMap(seed_events, title=HOSTILE)
    output = m._repr_html_()
    outside = re.sub(r'srcdoc="[^"]*"', 'srcdoc=""', output)
    assert "<script>" not in outside and "<b>" not in outside
    assert _visible_text(output).startswith(HOSTILE + " (30 events): ")
    assert f'title="{html.escape(HOSTILE, quote=True)}"' in output
    assert UNTRUSTED in html.unescape(outside)


def test_to_iframe_stays_the_plain_page(seed_map):
    # A fragment (the API, --fragment) is served compressed by its web server
    # and needs nothing to unpack: it carries the page as it is.
    frag = seed_map.to_iframe(height="480px")
    assert frag.startswith('<iframe srcdoc="') and "height:480px" in frag
    assert _srcdoc(frag) == seed_map.html()


def test_text_plain_repr(seed_map):
    text = repr(seed_map)
    assert "\n" not in text and text.startswith("<EventMap ")
    assert repr(seed_map.title) in text and "30 events" in text
    assert "Troop deployments (11)" in text and "Casualties (reported) (3)" in text


def test_a_notebook_gets_both_the_light_html_and_text(seed_map):
    from IPython.core.interactiveshell import InteractiveShell

    data, _ = InteractiveShell.instance().display_formatter.format(seed_map)
    assert data["text/html"] == seed_map._repr_html_()
    assert data["text/plain"] == repr(seed_map)


# --------------------------------------------------------------------------- in the browser

#: What a sanitizer leaves of an output: without its frame and scripts, or
#: with the frame but without event attributes.
STRIPPED = {
    "no-frame": lambda s: re.sub(r"<iframe\b.*?</iframe>", "", s, flags=re.S),
    "no-onload": lambda s: re.sub(r'\sonload="[^"]*"', "", s),
}


def _open(browser, path, tmp_path):
    ctx = browser.new_context(viewport={"width": 1100, "height": 1500})
    page = ctx.new_page()
    url = path.resolve().as_uri()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    ctx.route("**/*", lambda r: r.continue_() if r.request.url == url else r.abort())
    page.goto(url, wait_until="load")
    return ctx, page, errors


def _notebook_page(tmp_path, name: str, *outputs: str):
    path = tmp_path / name
    body = "".join(f'<div class="cell">{o}</div>' for o in outputs)
    path.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{body}</body></html>',
                    encoding="utf-8")  # fmt: skip
    return path


@pytest.mark.browser
def test_the_light_output_shows_the_map(browser, seed_events, tmp_path):
    first = maps.EventMap(seed_events, height="500px")
    troops = seed_events[seed_events.kind == "deployment"]
    assert len(troops) and len(troops) < len(seed_events)  # two different maps
    second = maps.EventMap(troops, title="Troops", height="500px")
    path = _notebook_page(tmp_path, "out.html", first._repr_html_(), second._repr_html_())
    ctx, page, errors = _open(browser, path, tmp_path)
    try:
        frames = page.locator("iframe")
        assert frames.count() == 2
        for i, (m, title) in enumerate([(first, first.title), (second, "Troops")]):
            frame = frames.nth(i).element_handle().content_frame()
            frame.wait_for_function("() => document.documentElement.dataset.eventmapReady === '1'")
            assert frame.locator(".em-title h1").inner_text() == title
            shown = frame.locator(".em-shown").inner_text()
            assert shown.startswith(f"{len(m._frame)} of {len(m._frame)}")
        page.wait_for_function("() => !document.querySelector('.eventmap-untrusted')")
        assert errors == []
    finally:
        ctx.close()


@pytest.mark.browser
@pytest.mark.parametrize("how", list(STRIPPED))
def test_a_stripped_output_says_why(browser, seed_map, tmp_path, how):
    path = _notebook_page(tmp_path, f"{how}.html", STRIPPED[how](seed_map._repr_html_()))
    ctx, page, _ = _open(browser, path, tmp_path)
    try:
        if how == "no-onload":  # the frame loads; nothing takes the message away
            page.locator("iframe").element_handle().content_frame().wait_for_function(
                "() => document.documentElement.dataset.eventmapReady === '1'"
            )
        message = page.locator(".eventmap-untrusted")
        assert message.is_visible()
        assert "If this text stays, the interactive map cannot run here" in message.inner_text()
    finally:
        ctx.close()
