"""Extraction stays linear in the text's length: counted operations, not seconds.

A long document is resolved in pieces whose offsets are those of the whole
document; the overlap rule of recognition is checked against the pairwise
reference it replaced.
"""

from __future__ import annotations

import random
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.extract import Extractor, _chunks, _context
from geo.extract._context import sentence_index
from geo.extract._dates import find_dates
from geo.extract._drafts import draft_events
from geo.extract._figures import find_figures
from geo.extract._recognize import DEMONYM, PLACE, Span, _longest
from geo.extract._text import NormalizedText, sentences

PLACES = """Kharkiv Kherson Odessa Zaporijia Dnipro Marioupol Bakhmout Pokrovsk Kramatorsk
Belgorod Koursk Briansk Voronej Rostov Krasnodar Sébastopol Donetsk Louhansk Vladivostok
Khabarovsk Pyongyang Wonsan Hamhung Rason Séoul Busan Téhéran Minsk Brest Gomel Varsovie
Tbilissi Erevan Bakou Damas Alep Tartous Pékin Harbin Astana""".split()


def report(n_chars: int, seed: int = 0) -> str:
    """War reporting of about ``n_chars`` characters: names, figures, dates, elisions."""
    rng = random.Random(seed)
    paras, size = [], 0
    while size < n_chars:
        a, b, c = rng.sample(PLACES, 3)
        p = (
            f"Selon l'état-major, environ {rng.randint(2, 99)} 000 soldats nord-coréens "
            f"sont arrivés à {a} le {rng.randint(1, 28)} juin 2025, puis près de "
            f"{rng.randint(100, 999)} hommes ont rejoint la région de {b}. "
            f"D'après l'ISW, l'artillerie a frappé {c} et {a}, faisant "
            f"{rng.randint(2, 900)} morts."
        )
        paras.append(p)
        size += len(p) + 2
    return "\n\n".join(paras)


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor()


# --------------------------------------------------------------------------- _longest


def _pairwise(hits: list[Span]) -> list[Span]:
    """The rule as it was written first: each hit against every one taken before it."""
    order = sorted(hits, key=lambda h: (-(h.end - h.start), h.kind != DEMONYM, h.start))
    taken: list[tuple[int, int]] = []
    out = []
    for h in order:
        if any(h.start < e and s < h.end for s, e in taken):
            continue
        taken.append((h.start, h.end))
        out.append(h)
    return sorted(out, key=lambda h: h.start)


hit_lists = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 12), st.sampled_from([PLACE, DEMONYM])),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(hit_lists)
def test_longest_is_the_pairwise_rule(raw):
    hits = [Span(s, s + n, -1, -1, kind, "k", "q") for s, n, kind in raw]
    assert [id(h) for h in _longest(hits)] == [id(h) for h in _pairwise(hits)]


def test_longest_keeps_no_overlaps_and_the_longest():
    # A chain of 5,000 hits, each overlapping the next: the pairwise rule's worst case.
    hits = [Span(i, i + 3 + i % 2, -1, -1, PLACE, "k", "q") for i in range(5000)]
    out = _longest(hits)
    assert all(a.end <= b.start for a, b in zip(out, out[1:], strict=False))
    assert all(h.end - h.start == 4 for h in out)  # only the long ones win
    assert len(out) == 1250


# --------------------------------------------------------------------------- linear work


def _lines(fn, *args) -> int:
    """Python lines executed by ``fn(*args)``: a count of work that no machine load changes."""
    count = 0

    def trace(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        fn(*args)
    finally:
        sys.settrace(None)
    return count


def _hits(n: int) -> list[Span]:
    """``n`` hits as the automaton gives them: names, and shorter names inside some."""
    out = []
    for i in range(n // 2):
        at = 10 * i
        out.append(Span(at, at + 8, -1, -1, PLACE, "k", "q"))
        out.append(Span(at + 4, at + 8 + (i % 3), -1, -1, PLACE if i % 2 else DEMONYM, "k", "q"))
    return out


def _stage(name: str, ex: Extractor, n_chars: int):
    """The step of extraction called ``name``, and its input for a text of ``n_chars``."""
    text = report(n_chars)
    if name == "longest":
        return _longest, (_hits(n_chars // 10),)
    if name == "view":
        return NormalizedText, (text,)
    if name == "sentences":
        return sentences, (text,)
    if name == "dates":
        return find_dates, (text,)
    if name == "figures":
        return find_figures, (text,)
    if name == "recognize":
        return ex._recognizer.find, (NormalizedText(text),)
    of = sentence_index([s.start for s in sentences(text)])
    spans = ex._recognizer.find(NormalizedText(text))
    if name == "resolve":
        return ex._resolver.resolve, (spans, text, of)
    if name == "drafts":
        return lambda *a: draft_events(*a, doc_id="d"), (ex.extract(text), ex.gazetteer)
    return ex.extract, (text,)


@pytest.mark.parametrize(
    "name",
    [
        "longest",
        "view",
        "sentences",
        "dates",
        "figures",
        "recognize",
        "resolve",
        "drafts",
        "extract",
    ],
)
def test_each_step_works_in_linear_time(ex, name):
    small, large = 5_000, 20_000
    assert large < _chunks.CHUNK_CHARS  # one piece: the whole document's context
    fn, args = _stage(name, ex, small)
    fn(*args)  # the gazetteer's answers cached: both runs ask the same questions
    work = _lines(fn, *args)
    fn, args = _stage(name, ex, large)
    ratio = _lines(fn, *args) / work
    # 4x the text, 4x the lines (give or take the fixed costs); a pairwise step makes it 8-16x.
    assert ratio < 5, ratio


@pytest.fixture(scope="module")
def many_names(ex) -> list[str]:
    """400 names the extractor reads as places, spread over the gazetteer."""
    out = []
    for key in ex.gazetteer.name_keys().tolist()[::97]:
        if key.isalpha() and 5 <= len(key) <= 10:
            name = key.capitalize()
            if [m.text for m in ex.extract(f"Des frappes ont touché {name}.").mentions] == [name]:
                out.append(name)
                if len(out) == 400:
                    break
    return out


def test_resolution_work_is_bounded_by_the_pieces(ex, many_names, monkeypatch):
    # A growing vocabulary: each name weighed against every other one of its piece.
    def text(n_chars):
        names = iter(many_names)
        paras = []
        while sum(map(len, paras)) < n_chars:
            paras.append(
                f"Des frappes ont touché {next(names)}, {next(names)} et {next(names)}. "
                "Selon l'état-major, les combats se poursuivent dans le secteur depuis "
                "plusieurs semaines, sans relâche."
            )
        return "\n\n".join(paras)

    distances = 0
    haversine = _context._haversine_km

    def counted(*args):
        nonlocal distances
        out = haversine(*args)
        distances += out.size
        return out

    monkeypatch.setattr(_context, "_haversine_km", counted)
    monkeypatch.setattr(_chunks, "CHUNK_CHARS", 2_000)
    work = []
    for n_chars in (5_000, 20_000):
        distances = 0
        ex.extract(text(n_chars))
        work.append(distances)
    # In one piece (CHUNK_CHARS over 20,000), 4x the text measures 16x the distances.
    assert work[1] / work[0] < 5, work


class _CountingText(str):
    """A text that counts the characters its slices copy."""

    copied = 0

    def __getitem__(self, key):
        out = super().__getitem__(key)
        type(self).copied += len(out)
        return out


def test_figures_copy_the_text_a_bounded_number_of_times():
    text = report(40_000)
    _CountingText.copied = 0
    found = find_figures(_CountingText(text))
    assert len(found) > 400
    # Each figure copies its own few words, not the rest of the document.
    assert _CountingText.copied < 2 * len(text), _CountingText.copied


# --------------------------------------------------------------------------- pieces


@pytest.fixture()
def small_pieces(monkeypatch):
    monkeypatch.setattr(_chunks, "CHUNK_CHARS", 2_000)
    return 2_000


def test_a_long_document_is_resolved_in_pieces_with_its_own_offsets(ex, small_pieces):
    text = report(20_000, seed=1)
    doc = ex.extract(text)
    starts = [s.start for s in doc.sentences]
    pieces = list(_chunks.chunks(text, starts))
    assert len(pieces) >= 10
    expected = []
    for start, end in pieces:
        part = ex.extract(text[start:end])  # each piece alone (shorter than CHUNK_CHARS)
        expected += [(m.text, m.start + start, m.end + start, m.place.id) for m in part.mentions]
    assert [(m.text, m.start, m.end, m.place.id) for m in doc.mentions] == expected
    for m in doc.mentions:
        assert text[m.start : m.end] == m.text
        s = doc.sentences[m.sentence]
        assert s.start <= m.start < s.end
    for d in doc.demonyms:
        assert text[d.start : d.end] == d.text
        assert doc.sentences[d.sentence].start <= d.start < doc.sentences[d.sentence].end


def test_progress_reports_each_piece(ex, small_pieces):
    text = report(10_000)
    seen = []
    ex.extract(text, progress=lambda done, total: seen.append((done, total)))
    assert len(seen) == len(list(_chunks.chunks(text, [0]))) >= 5
    assert seen[-1] == (len(text), len(text))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


texts = st.lists(
    st.sampled_from(["Kharkiv", "a", "b.", "Une phrase.", " ", "  ", "\n", "\n\n", "x" * 30]),
    max_size=200,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(2, 120))
def test_pieces_cover_the_text_in_bounded_lengths(text, limit):
    from geo.extract._text import sentences

    starts = [s.start for s in sentences(text)]
    pieces = list(_chunks.chunks(text, starts, limit))
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:], strict=False))
    assert all(0 < e - s <= limit for s, e in pieces) or text == ""
    for s, e in pieces[:-1]:
        # A cut after a blank line, at a sentence's start, after a space, or where there is none.
        assert (
            text[e - 2 : e] == "\n\n"
            or e in starts
            or text[e - 1] in " \n"
            or not any(c in " \n" for c in text[s + (e - s) // 2 : e])
        ), (text, limit, s, e)
