"""The page packed for a notebook output: gzip, base64, and a small boot page.

A notebook stores every output it shows, and a page inlines Leaflet, the page
code and the embedded basemap: the seed's is 1.48 MB, and the ``srcdoc``
attribute that carries it grows by a fifth more with the escaping of its
quotes (1.78 MB). Packed, the output is a third of that (0.59 MB; compressed
with ``mtime=0``, so the same page gives the same bytes). A boot page in the frame unpacks it with
the browser's ``DecompressionStream`` and writes it over itself.

Where the frame cannot run (an untrusted notebook, whose sanitizer strips
frames, scripts and event attributes, or a viewer that shows no scripts), a
plain-text message beside the frame says why; the frame's ``onload``, which
only a frame that is there and allowed to load can fire, removes it.

Nothing from the data is code here: the page is base64 (letters, digits,
``+/=``), and the title and counts are HTML-escaped text.
"""

from __future__ import annotations

import base64
import gzip
import html

#: The frame's permissions, as :meth:`maps.EventMap.to_iframe` gives them.
SANDBOX = "allow-scripts allow-popups allow-popups-to-escape-sandbox"

#: Unpacks the page and writes it over the boot page. A browser without
#: DecompressionStream (before Chrome 80, Firefox 113, Safari 16.4) is told so.
_BOOT_SCRIPT = (
    "(function () {"
    'var box = document.getElementById("em-packed");'
    "function fail(why) { document.body.textContent = why; }"
    'if (typeof DecompressionStream === "undefined") {'
    ' fail("This browser cannot unpack the map (it needs DecompressionStream: Chrome 80,'
    " Firefox 113, Safari 16.4 or later). Save it with m.save('map.html') and open the"
    ' file."); return; }'
    "var bin = atob(box.textContent), bytes = new Uint8Array(bin.length);"
    "for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }"
    "var page = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));"
    "new Response(page).text().then("
    "function (text) { document.open(); document.write(text); document.close(); },"
    'function (e) { fail("The map could not be unpacked: " + e); });'
    "})();"
)

#: The message an output shows until its frame loads (plain text). A frame
#: further down loads when it comes near the screen, so the message is first
#: read in notebooks where all is well, too: hence "if this text stays".
UNTRUSTED = (
    "If this text stays, the interactive map cannot run here. It runs in a frame with "
    "scripts, which this view removed: Jupyter does so in a notebook that is not trusted, "
    "and GitHub and some other viewers show no scripts. In Jupyter, run the cell again or "
    "trust the notebook (the Trust Notebook command, or jupyter trust NOTEBOOK.ipynb); "
    "elsewhere, save the map with m.save('map.html') and open the file."
)


def pack(page: str) -> str:
    """The page, gzip-compressed (deterministic) and base64-encoded."""
    return base64.b64encode(gzip.compress(page.encode("utf-8"), 9, mtime=0)).decode("ascii")


def unpack(packed: str) -> str:
    """The page :func:`pack` packed (for tests and tools)."""
    return gzip.decompress(base64.b64decode(packed)).decode("utf-8")


def boot_page(page: str) -> str:
    """A small page that unpacks ``page`` and replaces itself with it."""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        "<style>html,body{margin:0;height:100%;font:13px/1.4 system-ui,sans-serif}</style>"
        '</head><body><script id="em-packed" type="application/gzip+base64">'
        f"{pack(page)}</script><script>{_BOOT_SCRIPT}</script></body></html>"
    )


def iframe(srcdoc: str, *, title: str, width: str, height: str, onload: str = "") -> str:
    """An ``<iframe srcdoc>`` of ``srcdoc``, sandboxed, lazily loaded."""
    return (
        f'<iframe srcdoc="{html.escape(srcdoc, quote=True)}" '
        f'title="{html.escape(title, quote=True)}" '
        f'style="width:{html.escape(width)};height:{html.escape(height)};border:0" '
        f'sandbox="{SANDBOX}" {onload}loading="lazy"></iframe>'
    )


def notebook_output(page: str, *, title: str, width: str, height: str, about: str) -> str:
    """A light notebook output: the message, then the packed page's frame.

    ``about`` (what the map shows, e.g. "30 events") follows the title in the
    message, as text.
    """
    # Constant code; `this` is the frame, its previous sibling the message.
    onload = 'onload="var m = this.previousElementSibling; if (m) { m.remove(); }" '
    message = (
        '<div class="eventmap-untrusted" style="padding:8px 12px;border:1px solid #bbb;'
        'background:#f6f6f6;color:#333;font:13px/1.4 sans-serif">'
        f"<strong>{html.escape(title)}</strong> ({html.escape(about)}): "
        f"{html.escape(UNTRUSTED)}</div>"
    )
    frame = iframe(boot_page(page), title=title, width=width, height=height, onload=onload)
    return f'<div class="eventmap-output">{message}{frame}</div>'
