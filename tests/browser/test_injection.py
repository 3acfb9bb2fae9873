"""Text from data is data: it never becomes template source, code or markup.

Every text field of every input format carries template syntax of each Jinja
form and HTML/JS payloads. The tests check three things:

* no text from the data is ever handed to a template engine (every source
  Jinja compiles while a page is built is recorded);
* a payload that would run a shell command runs none;
* headless Chromium shows every field exactly as written.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import jinja2
import pytest
import yaml

import geo
import maps
from maps.cli import main

ROOT = Path(__file__).resolve().parents[2]

#: Every Jinja form: expressions, statements, comments, raw blocks, whitespace
#: control, line comments, and unterminated ones that would not even compile.
JINJA = "{{ 6*7 }} {# x #} {% raw %} {%- if 1 -%}y{%- endif -%} {{ x {% ## #} {{- 1 -}}"
#: HTML and JS that would run or load something if parsed as markup or code.
HTML = '</script><img src=x onerror="window.__pwned=1"> ${window.__pwned=2} `t` \'"&lt&gt'
#: A field is recognised in the page by its tag.
TAGS = ("title", "event", "description", "notes", "actor", "unit", "qtext", "source", "claim",
        "url", "document", "place", "sub", "where")  # fmt: skip


def t(tag: str) -> str:
    return f"{tag}~ {JINJA} {HTML}"


#: A kind is a layer name in the layer control; it is normalised as an id.
KIND = "{{ 6*7 }} {# x #} {% raw %}"


def rce(marker: Path) -> str:
    """Template code that would create ``marker`` if it ever ran."""
    call = f"cycler.__init__.__globals__.os.popen('touch {marker}').read()"
    return f"{{{{ {call} }}}} {{% set x = {call} %}} {{{{ lipsum.__globals__.os.popen('touch {marker}') }}}}"


# --------------------------------------------------------------------------- inputs


def _yaml(path: Path, text, kind: str) -> Path:
    sources = [{"name": text("source"), "claim": text("claim"), "url": text("url"),
                "document": "d1"}]  # fmt: skip
    path.write_text(
        yaml.safe_dump({
            "title": text("title"),
            "description": text("description"),
            "documents": [{"id": "d1", "name": text("document")}],
            "events": [
                {"id": "e1", "kind": "statement", "title": text("event"), "date": "2024-11",
                 "description": text("description"), "notes": text("notes"),
                 "actors": [text("actor")], "place": "Kyiv",
                 "quantities": [{"value": 5, "unit": text("unit"), "text": text("qtext")}],
                 "sources": sources},
                {"id": "e2", "kind": kind, "title": text("event"), "place": "Pyongyang",
                 "sources": sources},
                {"id": "e3", "kind": "statement", "title": text("event"),
                 "place": text("place"), "sources": sources},
            ],
        }, allow_unicode=True),
        encoding="utf-8",
    )  # fmt: skip
    return path


def _geojson(path: Path, text, kind: str) -> Path:
    sources = [{"name": text("source"), "claim": text("claim"), "url": text("url")}]

    def feature(props, lon, lat):
        geom = {"type": "Point", "coordinates": [lon, lat]} if lon is not None else None
        return {"type": "Feature", "properties": props, "geometry": geom}

    path.write_text(
        json.dumps({
            "type": "FeatureCollection",
            "title": text("title"),
            "features": [
                feature({"id": "e1", "kind": "statement", "title": text("event"),
                         "date": "2024-11", "description": text("description"),
                         "notes": text("notes"), "actors": [text("actor")], "place": "Kyiv",
                         "quantities": [{"value": 5, "unit": text("unit"),
                                         "text": text("qtext")}],
                         "sources": sources}, 30.52, 50.45),
                feature({"id": "e2", "kind": kind, "title": text("event"), "place": "Pyongyang",
                         "sources": sources}, 125.75, 39.03),
                feature({"id": "e3", "kind": "statement", "title": text("event"),
                         "place": text("place"), "sources": sources}, None, None),
            ],
        }, ensure_ascii=False),
        encoding="utf-8",
    )  # fmt: skip
    return path


def _csv(path: Path, text, kind: str) -> Path:
    rows = [
        {"id": "e1", "kind": "statement", "title": text("event"), "date": "2024-11",
         "description": text("description"), "notes": text("notes"), "actors": text("actor"),
         "place": "Kyiv", "value": "5", "unit": text("unit"), "source": text("source"),
         "claim": text("claim"), "source_url": text("url")},
        {"id": "e2", "kind": kind, "title": text("event"), "place": "Pyongyang",
         "source": text("source")},
        {"id": "e3", "kind": "statement", "title": text("event"), "place": text("place"),
         "source": text("source")},
    ]  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _acled(path: Path, text, kind: str) -> Path:
    """Two rows of a real ACLED export's columns, every text column hostile."""
    with (ROOT / "tests" / "data" / "acled_sample.csv").open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    rows = []
    for i, (event_type, lat, lon) in enumerate(
        [(kind, "50.45", "30.52"), ("Battles", "49.99", "36.23")], 1
    ):
        rows.append({
            **dict.fromkeys(header, ""),
            "event_id_cnty": f"UKR{i}", "event_date": "2024-11-0" + str(i), "year": "2024",
            "time_precision": "1", "disorder_type": text("sub"), "event_type": event_type,
            "sub_event_type": text("sub"), "actor1": text("actor"), "assoc_actor_1": text("actor"),
            "inter1": "State forces", "actor2": text("actor"), "interaction": "x",
            "iso": "804", "region": "Europe", "country": "Ukraine", "admin1": text("where"),
            "admin2": text("where"), "location": text("where"), "latitude": lat,
            "longitude": lon, "geo_precision": "1", "source": text("source"),
            "source_scale": "National", "notes": text("notes"), "fatalities": "3",
            "tags": text("notes"), "timestamp": "1730419200",
        })  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


FORMATS = {"yaml": (_yaml, ".yaml"), "csv": (_csv, ".csv"), "acled": (_acled, ".csv"),
           "geojson": (_geojson, ".geojson")}  # fmt: skip


def hostile_file(folder: Path, fmt: str, text=t, kind: str = KIND) -> Path:
    write, suffix = FORMATS[fmt]
    # The file's name is shown on the map too (the subtitle names the data file).
    return write(folder / f"{fmt} {{{{ 6*7 }}}} {{# x #}}{suffix}", text, kind)


@pytest.fixture
def compiled(monkeypatch):
    """Every template source Jinja compiles from now on."""
    sources: list[str] = []
    original = jinja2.Environment.compile

    def compile(self, source, *args, **kwargs):
        sources.append(source if isinstance(source, str) else "")
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    return sources


# --------------------------------------------------------------------------- no template source


@pytest.mark.parametrize("layer", ["rich", "compact"])
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_no_text_from_data_becomes_template_source(tmp_path, compiled, fmt, layer):
    events = geo.read_events(hostile_file(tmp_path, fmt))
    m = maps.EventMap(events, layer=layer, offline=True, title=t("cli-title"))
    pages = [m.html(), m.to_iframe(), m._repr_html_()]
    leaked = [s for s in compiled if "6*7" in s or "~ " in s or "{% raw %}" in s]
    assert leaked == [], leaked[0][:300]
    assert all("6*7" in p for p in pages)  # the text is in the page, as data


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_template_code_in_data_runs_no_command(tmp_path, fmt):
    marker = tmp_path / "owned"
    path = hostile_file(tmp_path, fmt, text=lambda tag: f"{tag}~ {rce(marker)}", kind="Battles")
    out = tmp_path / "out.html"
    for layer in ("rich", "compact"):
        code = main(["render", str(path), "-o", str(out), "--title", rce(marker),
                     "--layer", layer])  # fmt: skip
        assert code == 0
        assert not marker.exists()
        assert "popen" in out.read_text(encoding="utf-8")  # kept as text


# --------------------------------------------------------------------------- in the browser


def _popup_text(page, event_id: str, layer: str) -> str:
    view = page.evaluate(
        "() => { const m = Object.values(Eventmap.maps)[0].map; return [m.getCenter(), m.getZoom()]; }"
    )
    if layer == "rich":
        page.evaluate(
            "(id) => Object.values(Eventmap.maps)[0].byId[id][0].layer.openPopup()", event_id
        )
    else:
        # Click the point where the canvas draws it, as a user would.
        xy = page.evaluate(
            """(id) => { const st = Object.values(Eventmap.maps)[0];
                 for (let k = 0; k < st.compact.length; k++) {
                   const ids = st.compact[k].text.id;
                   const i = ids.indexOf(id);
                   if (i >= 0) { const p = Eventmap.compactPoint(st.map, k, i);
                     const box = st.map.getContainer().getBoundingClientRect();
                     return [box.left + p.x, box.top + p.y]; } }
                 return null; }""",
            event_id,
        )
        assert xy, f"{event_id} is not on a compact layer"
        page.mouse.click(*xy)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.evaluate("el => el.textContent")
    # Back to the first view: the popup panned the map, maybe under the legend.
    page.evaluate(
        """([c, z]) => { const m = Object.values(Eventmap.maps)[0].map;
                        m.closePopup(); m.setView(c, z, {animate: false}); }""",
        view,
    )
    # A closed popup stays in the page for Leaflet's 200 ms fade.
    page.wait_for_function("() => !document.querySelector('.leaflet-popup')")
    return text


def _event_ids(fmt: str) -> tuple[str, str]:
    return ("UKR1", "UKR2") if fmt == "acled" else ("e1", "e2")


@pytest.mark.browser
@pytest.mark.parametrize("layer", ["rich", "compact"])
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_browser_shows_every_field_literally(open_page, tmp_path, fmt, layer):
    path = hostile_file(tmp_path, fmt)
    events = geo.read_events(path)
    out = tmp_path / "hostile.html"
    code = main(["render", str(path), "-o", str(out), "--title", t("cli-title"), "--layer", layer,
                 "--offline"])  # fmt: skip
    assert code == 0
    loaded = open_page(out)
    page = loaded.page
    if layer == "compact":
        # Text columns are decoded once the page is ready to answer clicks.
        page.wait_for_function("() => Object.values(Eventmap.maps)[0].compact.every(l => l.text)")

    assert page.locator(".em-title h1").evaluate("el => el.textContent") == t("cli-title")
    assert page.title() == t("cli-title")
    subtitle = page.locator(".em-subtitle").evaluate("el => el.textContent")
    assert f"data: {path.name}" in subtitle

    labels = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert any(KIND in label for label in labels), labels

    first, second = _event_ids(fmt)
    text = _popup_text(page, first, layer)
    expected = {"source", "notes", "actor"} | (
        {"sub", "where"} if fmt == "acled" else {"event", "description", "unit", "claim", "url"}
    )  # fmt: skip
    if fmt in ("yaml", "geojson"):
        expected |= {"qtext"}
    if fmt == "yaml":
        expected |= {"document"}
    # Compact popups show what rich popups show: every source's claim, URL and
    # document, every figure's words.
    for tag in sorted(expected):
        assert t(tag) in text, (tag, text)
    assert "42" not in text  # {{ 6*7 }} was never evaluated
    assert KIND in _popup_text(page, second, layer)

    if fmt != "acled":  # the third event names a place no gazetteer has
        legend = page.locator(".em-legend").evaluate("el => el.textContent")
        assert t("place") in legend
        assert [u.name for u in events.attrs["unresolved"]] == [t("place")]

    assert page.evaluate("() => window.__pwned") is None
    assert loaded.dialogs == [] and loaded.errors == [] and loaded.requests == []
    assert page.locator(".leaflet-popup-content img, .em-legend img, .em-title img").count() == 0


# --------------------------------------------------------------------------- details, flags, notices


@pytest.mark.browser
@pytest.mark.parametrize("layer", ["rich", "compact"])
def test_details_flags_and_the_rejected_note_are_shown_as_text(open_page, tmp_path, layer):
    """An export's own fields (labels and texts), the doubts on an event and the
    note on rejected records (the rejects file's name too) are data, never markup."""
    from geo.report import Flagged, Rejected

    events = geo.read_events(hostile_file(tmp_path, "acled"))
    events["details"] = [[(t("dlabel"), t("dtext")), ("Tags", t("dtag"))]] * len(events)
    events["flags"] = [[t("flag")]] * len(events)
    events.attrs["rejected"] = [Rejected(t("file"), "row 9", "event_date", t("reason"))]
    events.attrs["flagged"] = [Flagged(t("file"), "row 2", "latitude", t("flag"))]
    rejects = tmp_path / "{{ 6*7 }} <img src=x onerror=alert(1)>.rejects.csv"
    out = tmp_path / "details.html"
    maps.EventMap(events, layer=layer, offline=True, rejects_file=rejects).save(out)
    loaded = open_page(out)
    page = loaded.page
    if layer == "compact":
        page.wait_for_function("() => Object.values(Eventmap.maps)[0].compact.every(l => l.codes)")
    title = page.locator(".em-title").evaluate("el => el.textContent")
    assert f"1 record rejected (listed in {rejects.name})" in title
    assert "1 event flagged: see its popup" in title
    text = _popup_text(page, "UKR1", layer)
    for tag in ("dlabel", "dtext", "dtag", "flag"):
        assert t(tag) in text, (tag, text)
    assert text.count(t("flag")) == 1
    assert "42" not in text
    assert page.evaluate("() => window.__pwned") is None
    assert loaded.dialogs == [] and loaded.errors == [] and loaded.requests == []
    assert page.locator(".em-title img, .leaflet-popup-content img").count() == 0


@pytest.mark.browser
@pytest.mark.parametrize("layer", ["rich", "compact"])
def test_any_geodataframe_shows_its_columns_as_text(open_page, tmp_path, layer):
    """Column names are popup labels and a column's values are layer names."""
    import geopandas as gpd
    import shapely

    gdf = gpd.GeoDataFrame(
        {t("col"): [t("value"), None], "kind": [t("kind"), "b"], "n": [3, 5]},
        geometry=[shapely.Point(30.5, 50.4), shapely.Point(36.2, 49.9)],
        crs=4326,
    )
    out = tmp_path / "any.html"
    maps.EventMap(gdf, kind="kind", tooltip=t("col"), size="n", layer=layer, offline=True).save(out)
    loaded = open_page(out)
    page = loaded.page
    labels = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert any(t("kind") in label for label in labels), labels
    if layer == "compact":
        page.wait_for_function("() => Object.values(Eventmap.maps)[0].compact.every(l => l.codes)")
    text = _popup_text(page, "0", layer)
    for tag in ("col", "value", "kind"):
        assert t(tag) in text, (tag, text)
    assert "undated" not in text  # a GeoDataFrame's rows have no date to speak of
    assert page.evaluate("() => window.__pwned") is None
    assert loaded.dialogs == [] and loaded.errors == [] and loaded.requests == []


# --------------------------------------------------------------------------- colours from data

#: A colour that would close the attribute and add markup if ever concatenated.
BAD_COLOR = 'red"/><img src=x onerror="document.title=\'PWNED\';window.__pwned=3">'


def _seed_with_colors(tmp_path: Path):
    """The seed (it has flows, drawn with arrowheads) as GeoJSON, every feature
    with a hostile ``color`` property, read back as any user would."""
    seed = geo.read_events(ROOT / "data" / "events" / "dprk-russia.yaml")
    path = tmp_path / "seed.geojson"
    geo.write_events(seed, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    for i, f in enumerate(data["features"]):
        f["properties"]["color"] = BAD_COLOR if i % 2 else "#00FF00"
    path.write_text(json.dumps(data), encoding="utf-8")
    events = geo.read_events(path)
    assert "color" in events.columns
    return events


@pytest.mark.browser
@pytest.mark.parametrize("layer", ["rich", "compact"])
@pytest.mark.parametrize("how", ["geojson", "color="])
def test_a_colour_from_the_data_is_never_markup(open_page, tmp_path, layer, how):
    """A ``color`` property is a colour only if it is one (hex or a CSS name);
    anything else is the layer's colour, and the arrowheads are built as nodes."""
    events = _seed_with_colors(tmp_path)
    if how == "geojson":
        m = maps.EventMap(events, layer=layer, offline=True)
    else:  # coloured by a column besides the kind: the frame's own ``color`` stays
        events["side"] = ["a", "b"] * (len(events) // 2) + ["a"] * (len(events) % 2)
        m = maps.EventMap(events, kind="kind", color="side", layer=layer, offline=True)
    out = tmp_path / "colors.html"
    m.save(out)
    loaded = open_page(out)
    page = loaded.page
    page.wait_for_timeout(300)
    assert page.title() != "PWNED"
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("img[src=x]").count() == 0
    fills = page.locator(".em-arrow path").evaluate_all(
        "els => els.map(e => e.getAttribute('fill'))"
    )
    assert fills, "the seed's flows have arrowheads"
    assert all(f.startswith("#") for f in fills), fills
    assert loaded.dialogs == [] and loaded.errors == [] and loaded.requests == []


@pytest.mark.browser
def test_an_arrowhead_is_built_as_nodes_whatever_its_colour(open_page, tmp_path, monkeypatch):
    """The page's own guard: a colour that got past the Python check (here the
    check is switched off) is an attribute value, never markup."""
    import maps.layers.rich as rich

    monkeypatch.setattr(rich, "css_color", lambda c: c if isinstance(c, str) else None)
    out = tmp_path / "raw.html"
    maps.EventMap(_seed_with_colors(tmp_path), offline=True).save(out)
    loaded = open_page(out)
    page = loaded.page
    page.wait_for_timeout(300)
    assert page.title() != "PWNED"
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("img[src=x]").count() == 0
    fills = page.locator(".em-arrow path").evaluate_all(
        "els => els.map(e => e.getAttribute('fill'))"
    )
    assert BAD_COLOR in fills
