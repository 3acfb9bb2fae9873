"""Documents as text: reading files, stripping HTML, sentences, and a normalized view.

Every offset eventmap reports is a character offset into the *decoded* text of
a document: the file's bytes decoded as UTF-8 (line endings kept as they are),
or, for HTML, the text content left once tags are stripped and entities
decoded. :class:`NormalizedText` is a view of that text in the form the
gazetteer's keys use (:func:`geo.gazetteer.normalize.normalize`), with a map back to the
original offsets, so a name found in the view is reported exactly as written.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from geo.errors import InputError
from geo.gazetteer.normalize import normalize

__all__ = ["Document", "NormalizedText", "read_document", "strip_html", "sentences", "guess_lang"]

#: File suffixes read from a folder.
SUFFIXES = (".txt", ".md", ".html", ".htm")


@dataclass(frozen=True)
class Document:
    """A document to extract from: where it came from and its decoded text."""

    path: str
    text: str
    lang: str = "auto"


def read_document(path: str | Path, *, data: bytes | None = None) -> Document:
    """Read a text, Markdown or HTML file as a :class:`Document`.

    Parameters
    ----------
    path : str or Path
        The file; ``"-"`` with ``data`` for standard input.
    data : bytes, optional
        The file's bytes when already read.

    Raises
    ------
    InputError
        If the file is missing or not UTF-8 text.
    """
    name = str(path)
    if data is None:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise InputError("no such file", file=name) from None
        except IsADirectoryError:
            raise InputError("expected a file, got a folder", file=name) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"byte {exc.start}: expected UTF-8 text, got byte 0x{data[exc.start]:02x}", file=name
        ) from None
    lang = "auto"
    if name.lower().endswith((".html", ".htm")) or _looks_like_html(text):
        lang = _declared_lang(text)
        text = strip_html(text)
    return Document(path=name, text=text, lang=lang)


_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?\s*(fr|en)\b", re.IGNORECASE)


def _declared_lang(html: str) -> str:
    """The language an HTML page declares (``<html lang="fr-FR">``): fr, en or auto.

    >>> _declared_lang('<!doctype html><html class="x" lang="fr-FR">'), _declared_lang("<p>")
    ('fr', 'auto')
    """
    m = _HTML_LANG.search(html[:5000])
    return m.group(1).lower() if m else "auto"


def _looks_like_html(text: str) -> bool:
    head = text[:500].lstrip().lower()
    return head.startswith(("<!doctype html", "<html"))


class _TextOfHTML(HTMLParser):
    """Collect the text of a page: no script, style or head; blocks become newlines."""

    _SKIP = {"script", "style", "head", "title", "noscript", "template", "svg"}
    _BLOCK = {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
        "table", "section", "article", "header", "footer", "blockquote", "figcaption",
        "pre", "hr", "dt", "dd", "aside", "nav", "main",
    }  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self._newline()

    def handle_startendtag(self, tag, attrs):
        if tag in self._BLOCK:
            self._newline()

    def handle_endtag(self, tag):
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCK:
            self._newline()

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)

    def _newline(self):
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")


def strip_html(markup: str) -> str:
    """The text content of an HTML page.

    Tags, comments, scripts and styles go; entities are decoded; block elements
    end lines. Nothing is interpreted as code: the result is plain text, and
    offsets reported for an HTML file are offsets into it.

    >>> strip_html("<p>Vers <b>Koursk</b> &amp; Belgorod</p><script>x()</script>")
    'Vers Koursk & Belgorod\\n'
    """
    parser = _TextOfHTML()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    # Runs of blank lines from nested blocks add nothing.
    # (From the first of a run of spaces only: from each of them was quadratic in the run.)
    text = re.sub(r"(?<![ \t])[ \t]*\n(?:[ \t]*\n)+", "\n\n", text)
    return html.unescape(text) if "&" in text else text


# --------------------------------------------------------------------------- normalized view

_APOSTROPHES = frozenset("\u2019\u2018\u02bc\u02bb\u0060\u00b4\u2032\u201b'")
# French elided words: their apostrophe separates words (l'Ukraine, d'Iran,
# jusqu'à), where a transliteration's does not (P'yŏngyang, Mar'inka).
_ELIDED = frozenset({"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu",
                     "quoiqu", "presqu"})  # fmt: skip
_ELIDED_LEN = max(map(len, _ELIDED))


@functools.lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    """What one character becomes in a normalized key ('' if it vanishes).

    Mirrors :func:`geo.gazetteer.normalize.normalize` character by character; any
    character that is not a letter or digit there becomes a space here.
    """
    if ch in _APOSTROPHES:
        return "'"
    if ch.isspace():
        return " "
    if ch.isalnum():
        return normalize(ch)  # may vanish, like modifier letters (ʹ)
    if ch == "." or unicodedata.combining(ch):
        return ""
    return " "


class NormalizedText:
    """The normalized form of a text with a map back to original offsets.

    ``norm`` is lower-case, accent-free, single-spaced and starts and ends with
    a space, so a key ``k`` occurs as a whole word sequence exactly where
    ``" " + k + " "`` occurs. ``span(a, b)`` gives the original offsets of the
    normalized characters ``norm[a:b]``.

    Examples
    --------
    >>> n = NormalizedText("Vers l’Ukraine et P'yŏngyang.")
    >>> n.norm
    ' vers l ukraine et pyongyang '
    >>> a = n.norm.index("pyongyang"); n.span(a, a + 9)
    (18, 28)
    """

    def __init__(self, text: str):
        self.text = text
        out: list[str] = [" "]
        src: list[int] = [-1]
        n = len(text)
        word = 1  # where the last word of ``out`` begins (``out[0]`` is a space)
        for i, ch in enumerate(text):
            piece = _fold(ch)
            if not piece:
                continue
            if piece == "'":
                piece = self._apostrophe(text, i, out, word)
                if not piece:
                    continue
            for p in piece:
                if p == " ":
                    if out[-1] != " ":
                        out.append(" ")
                        src.append(i)
                        word = len(out)
                else:
                    out.append(p)
                    src.append(i)
        if out[-1] != " ":
            out.append(" ")
            src.append(n)
        self.norm = "".join(out)
        self._src = src

    @staticmethod
    def _apostrophe(text: str, i: int, out: list[str], word: int) -> str:
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if not nxt.isalpha():
            return " "  # closing quote or plural possessive (soldiers')
        after = text[i + 2] if i + 2 < len(text) else ""
        if nxt in "sS" and not after.isalpha():
            return " "  # English possessive: Russia's
        # Only the last word is read (``out[word:]``), and only when it is short
        # enough to be elided: joining all of ``out`` here made the view quadratic.
        if len(out) - word > _ELIDED_LEN:
            return ""
        return " " if "".join(out[word:]) in _ELIDED else ""

    def view(self, start: int, end: int) -> tuple[int, int]:
        """Normalized ``(a, b)`` of the original characters ``text[start:end]``."""
        return bisect.bisect_left(self._src, start), bisect.bisect_left(self._src, end)

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the normalized characters ``norm[a:b]``."""
        start = self._src[a]
        end = self._src[b - 1] + 1
        text = self.text
        # Keep combining marks that belong to the last letter.
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        return start, end


# --------------------------------------------------------------------------- sentences

# Abbreviations after which a period does not end a sentence.
_ABBREVIATIONS = frozenset(
    """m mm mme mmes mlle mr mrs ms dr prof gen gén col lt sgt st ste mt no nos vs etc cf
    jan janv feb fév févr mar apr avr jun jul juil aug sep sept oct nov dec déc
    av apr. j.-c u.s u.k e.g i.e p pp vol art ch fig""".split()
)
# A boundary starts at the first mark of a run ("?!..."), and its spaces are taken whole
# (an atomic group, as a lookahead and a backreference): giving some back cannot make it
# match, and trying to made runs of marks or spaces quadratic.
_BOUNDARY = re.compile(
    r"(?<![.!?…])[.!?…]+[\"»”’')\]]*(?=(?P<ws>\s+))(?P=ws)(?=[\"«“‘(\[]?\s*[A-ZÀ-ÖØ-Þ0-9])"
)


@dataclass(frozen=True)
class Sentence:
    """A sentence (or a heading line) of a document, by original offsets."""

    index: int
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """Split a document into sentences; each line break also ends one.

    >>> [s.text for s in sentences("M. Kim est à Moscou. Il part.\\nTitre")]
    ['M. Kim est à Moscou.', 'Il part.', 'Titre']
    """
    out: list[Sentence] = []
    for line in re.finditer(r"[^\n\r]+", text):
        begin = line.start()
        chunk = line.group()
        last = 0
        for m in _BOUNDARY.finditer(chunk):
            word = _last_word(chunk, last, m.start()).lower().lstrip('(«"“')
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            end = m.start() + len(m.group().rstrip())
            _add(out, text, begin + last, begin + end)
            last = m.end()
        _add(out, text, begin + last, begin + len(chunk))
    return out


def _last_word(line: str, start: int, end: int) -> str:
    """The last whitespace-separated word of ``line[start:end]`` ('' if none).

    Read backwards from ``end``, so a line of many abbreviations ("M. M. M. …"),
    whose boundaries do not end sentences, is not split again at each one.
    """
    j = end
    while j > start and line[j - 1].isspace():
        j -= 1
    i = j
    while i > start and not line[i - 1].isspace():
        i -= 1
    return line[i:j]


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(len(out), start, end, text[start:end]))


# --------------------------------------------------------------------------- language

_FR = frozenset("le la les des du une et est dans pour que qui sur avec selon ont été aux".split())
_EN = frozenset("the of and to in is that for with on was were by from have has said".split())


def guess_lang(text: str) -> str:
    """``"fr"`` or ``"en"``, by counting the commonest function words.

    >>> guess_lang("Les troupes sont arrivées dans la région"), guess_lang("The troops arrived")
    ('fr', 'en')
    """
    words = re.findall(r"[a-zà-ÿ]+", text[:20000].lower())
    fr = sum(w in _FR for w in words)
    en = sum(w in _EN for w in words)
    return "fr" if fr > en else "en"
