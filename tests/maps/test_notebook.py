"""The example notebooks run top to bottom, show their maps, and stay light.

seed.ipynb: the curated seed events and the layered map. acled.ipynb: an
ACLED-style workflow (read, filter with pandas, map, a static small-multiples
figure, save), on the synthetic rows of data/events/acled-ukraine-2024-synthetic.csv.
"""

from __future__ import annotations

import io
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.notebook
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
ROOT = NOTEBOOKS.parent


def _execute(name: str):
    path = NOTEBOOKS / name
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()  # fmt: skip
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    errors = [f"{o.ename}: {o.evalue}" for o in outputs if o.output_type == "error"]
    assert not errors, errors
    return nb, outputs


def _maps(outputs) -> list[str]:
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    return [h for h in html if h.startswith('<div class="eventmap-output">')]


def _plain_iframe_size(frame, **options) -> int:
    import maps

    return len(maps.EventMap(frame, **options).to_iframe().encode("utf-8"))


@pytest.mark.parametrize("name", ["seed.ipynb", "acled.ipynb"])
def test_the_stored_notebook_has_no_outputs(name):
    # Outputs are made by running it; stored, a map would weigh the repository.
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)


def test_seed_notebook_executes(seed_events):
    nb, outputs = _execute("seed.ipynb")
    (output,) = _maps(outputs)
    assert "Eventmap" not in output  # the page is packed: light, see test_repr.py
    # Light: the plain page's iframe was 1.78 MB for the seed.
    assert len(output.encode()) < 0.45 * _plain_iframe_size(seed_events)
    plain = [o["data"]["text/plain"] for o in outputs if "text/plain" in o.get("data", {})]
    assert any(p.startswith("<EventMap \"North Korea's support") for p in plain)


def test_acled_notebook_executes(tmp_path, monkeypatch):
    from PIL import Image

    import geo

    monkeypatch.setenv("EVENTMAP_NOTEBOOK_OUT", str(tmp_path))  # the kernel inherits it
    nb, outputs = _execute("acled.ipynb")

    # The map of the pandas selection, light.
    events = geo.read_events(ROOT / "data/events/acled-ukraine-2024-synthetic.csv")
    front = events[
        events.kind.isin(["battles", "explosions_remote_violence"])
        & events.admin1.isin(["Donetsk", "Kharkiv", "Zaporizhzhia", "Kherson", "Luhansk"])
    ]
    (output,) = _maps(outputs)
    assert f"({len(front)} events)" in output
    assert len(output.encode()) < 0.45 * _plain_iframe_size(front)

    # What it wrote: the small multiples (PDF, PNG shown inline), the page, one month.
    written = {p.name for p in tmp_path.iterdir()}
    assert written == {
        "front-2024-by-month.pdf", "front-2024-by-month.png", "front-2024.html",
        "front-2024-10.svg",
    }  # fmt: skip
    assert (tmp_path / "front-2024-by-month.pdf").read_bytes().startswith(b"%PDF")
    png = (tmp_path / "front-2024-by-month.png").read_bytes()
    # A4 landscape at 60 dpi: 297 x 210 mm (to a pixel: rounding is the figure's).
    width, height = Image.open(io.BytesIO(png)).size
    assert abs(width - 297 / 25.4 * 60) < 1 and abs(height - 210 / 25.4 * 60) < 1
    shown = [o["data"]["image/png"] for o in outputs if "image/png" in o.get("data", {})]
    assert len(shown) == 1
    assert (tmp_path / "front-2024.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert b"Oct 2024" in (tmp_path / "front-2024-10.svg").read_bytes()
