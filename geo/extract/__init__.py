"""Extraction: news text in French or English → place mentions, figures, dates, draft events.

>>> from geo.extract import Extractor
>>> ex = Extractor()
>>> doc = ex.extract("Environ 13 000 soldats nord-coréens ont combattu dans la région de Koursk.")
>>> [(m.text, m.place.id) for m in doc.mentions]
[('région de Koursk', 'ne:RU-KRS')]
>>> [(f.text, f.qualifier) for f in doc.figures], [d.country for d in doc.demonyms]
([('Environ 13 000 soldats', 'about')], ['KP'])

The steps, each in its own module: reading and normalizing text
(:mod:`._text`), recognition (:mod:`._recognize`), resolution in the
document's context (:mod:`._context`), figures (:mod:`._figures`), dates
(:mod:`._dates`) and draft events (:mod:`._drafts`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from geo.errors import InputError
from geo.extract._chunks import CHUNK_CHARS, chunks
from geo.extract._context import Resolver, ranked_countries, sentence_index
from geo.extract._dates import find_dates
from geo.extract._drafts import document_id, draft_events
from geo.extract._figures import find_figures
from geo.extract._lexicon import Lexicon, default_lexicon
from geo.extract._model import DateMention, DemonymMention, Extraction, Figure, Mention
from geo.extract._recognize import Recognizer
from geo.extract._text import (
    SUFFIXES,
    Document,
    NormalizedText,
    guess_lang,
    read_document,
    sentences,
)
from geo.gazetteer.core import Gazetteer, default_gazetteer
from geo.gazetteer.demonyms import Demonyms, default_demonyms
from geo.progress import reporter

__all__ = [
    "LANGS",
    "DateMention",
    "DemonymMention",
    "Document",
    "Extraction",
    "Extractor",
    "Figure",
    "Mention",
    "documents",
    "drafts",
    "geojson",
]

LANGS = ("auto", "fr", "en")


class Extractor:
    """Extract places, figures and dates from documents, with one gazetteer.

    Building an extractor builds the Aho–Corasick automaton of the
    gazetteer's names (about a second); reuse it for many documents.

    Parameters
    ----------
    gazetteer : Gazetteer, optional
        Defaults to :func:`geo.default_gazetteer`.
    demonyms : Demonyms, optional
        Defaults to ``geo/data/gazetteer/demonyms.yaml``.
    lexicon : Lexicon, optional
        Stop lists; defaults to ``geo/data/extract/``.
    """

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        *,
        demonyms: Demonyms | None = None,
        lexicon: Lexicon | None = None,
    ):
        self.gazetteer = gazetteer or default_gazetteer()
        self.demonyms = demonyms or default_demonyms()
        self.lexicon = lexicon or default_lexicon()
        self._recognizer = Recognizer(self.gazetteer, self.demonyms, self.lexicon)
        self._resolver = Resolver(self.gazetteer, self.lexicon)

    def extract(
        self,
        document: Document | str,
        *,
        lang: str = "auto",
        progress: bool | Callable[[int, int], None] = False,
    ) -> Extraction:
        """Everything found in one document.

        A document longer than :data:`~geo.extract._chunks.CHUNK_CHARS`
        characters is resolved one piece (cut at paragraph breaks) at a time,
        each piece its own context, so the time taken grows with its length,
        not its square. Offsets are always those of the whole document.

        Parameters
        ----------
        document : Document or str
            A :class:`Document` (see :func:`documents`) or a text.
        lang : {"auto", "fr", "en"}
            The document's language. With ``"auto"``, the one the document
            declares (an HTML page's ``lang``), else a guess from its function words.
        progress : bool or callable
            Report the characters done: ``True`` shows a bar for documents of
            several pieces; a callable gets ``(done, total)`` after each piece.

        Returns
        -------
        Extraction
        """
        if lang not in LANGS:
            raise InputError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
        if isinstance(document, str):
            document = Document(path="-", text=document)
        text = document.text
        lang = document.lang if lang == "auto" else lang
        lang = guess_lang(text) if lang == "auto" else lang
        sents = sentences(text)
        starts = [s.start for s in sents]
        of = sentence_index(starts)
        titles = [(s.start, s.end) for s in sents if _title_case(s.text)]
        report = reporter(progress, len(text), "Extracting", min_total=2 * CHUNK_CHARS)
        mentions: list[Mention] = []
        demonyms: list[DemonymMention] = []
        try:
            for start, end in chunks(text, starts):
                found, names = self._names(text, start, end, titles, of)
                mentions.extend(found)
                demonyms.extend(names)
                if report is not None:
                    report(end - start)
        finally:
            if report is not None:
                report.close()
        dates = [_at(d, of) for d in find_dates(text)]
        taken = bytearray(len(text))  # the dates' characters: a figure is never in a date
        for d in dates:
            taken[d.start : d.end] = b"\x01" * (d.end - d.start)
        figures = [
            _at(f, of) for f in find_figures(text, lang=lang) if taken.find(1, f.start, f.end) < 0
        ]
        return Extraction(
            doc=document.path,
            text=text,
            lang=lang,
            sentences=tuple(sents),
            mentions=tuple(mentions),
            demonyms=tuple(demonyms),
            figures=tuple(figures),
            dates=tuple(dates),
            countries=tuple(ranked_countries(demonyms, mentions)),
        )

    def _names(self, text: str, start: int, end: int, titles: list, of):
        """Place mentions and demonyms of ``text[start:end]``, by offsets in ``text``."""
        if start == 0 and end == len(text):
            spans = self._recognizer.find(NormalizedText(text), title_case=titles)
            mentions, demonyms, _ = self._resolver.resolve(spans, text, of)
            return mentions, demonyms
        part = text[start:end]
        lo = bisect.bisect_left(titles, (start, -1))
        if lo and titles[lo - 1][1] > start:  # a headline the cut runs through
            lo -= 1
        hi = bisect.bisect_left(titles, (end, -1))
        local = [(max(s, start) - start, min(e, end) - start) for s, e in titles[lo:hi]]
        spans = self._recognizer.find(NormalizedText(part), title_case=local)
        found, names, _ = self._resolver.resolve(spans, part, lambda i: of(start + i))
        mentions = [replace(m, start=m.start + start, end=m.end + start) for m in found]
        demonyms = [replace(d, start=d.start + start, end=d.end + start) for d in names]
        return mentions, demonyms


def _at(item, of):
    return type(item)(**{**item.__dict__, "sentence": of(item.start)})


def _title_case(line: str) -> bool:
    """Headline capitalization: most longer words start with a capital."""
    words = [w for w in re.findall(r"[^\W\d_][\w'-]*", line) if len(w) >= 4]
    if len(words) < 3:
        return False
    return sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def documents(paths: Iterable[str | Path], *, stdin=None) -> Iterator[Document]:
    """The documents of files, folders (their .txt, .md and .html files) or ``-``.

    Folders are read recursively, in sorted path order, so output is the same
    on every run.

    Raises
    ------
    InputError
        For a missing path, a folder without documents, or a file that is not UTF-8.
    """
    for raw in paths:
        path = str(raw)
        if path == "-":
            import sys

            stream = stdin if stdin is not None else sys.stdin.buffer
            yield read_document("-", data=stream.read())
            continue
        p = Path(path)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
            if not files:
                raise InputError(
                    f"no documents here; expected {', '.join(SUFFIXES)} files", file=path
                )
            for f in files:
                yield read_document(f)
        elif p.is_file():
            yield read_document(p)
        else:
            raise InputError("no such file or folder", file=path)


def geojson(extractions: Iterable[Extraction]) -> dict:
    """A FeatureCollection with one Point per place mention, in document order.

    Properties: ``doc``, ``text``, ``start``, ``end``, ``name``, ``kind``,
    ``country``, ``lat``, ``lon``, ``id``, ``score`` — the contract of
    ``eventmap extract --format geojson``.
    """
    features = []
    for ex in extractions:
        for m in ex.mentions:
            p = m.place
            lat, lon = round(p.lat, 6), round(p.lon, 6)
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": {
                        "doc": ex.doc,
                        "text": m.text,
                        "start": m.start,
                        "end": m.end,
                        "name": p.name,
                        "kind": p.kind,
                        "country": p.country,
                        "lat": lat,
                        "lon": lon,
                        "id": p.id,
                        "score": m.score,
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}


def drafts(extractions: Iterable[Extraction], gazetteer: Gazetteer | None = None) -> dict:
    """A draft event file (the ``data/events`` YAML schema) for documents.

    One event per sentence that reports one, ``status: draft``; each
    document is listed under ``documents`` and cited by its events.
    """
    gazetteer = gazetteer or default_gazetteer()
    docs, events, ids = [], [], set()
    for i, ex in enumerate(extractions, start=1):
        doc_id = document_id(ex.doc, i)
        while doc_id in ids:
            doc_id = f"{doc_id}-{i}"
        ids.add(doc_id)
        entry = {"id": doc_id, "name": ex.doc, "language": ex.lang}
        if ex.doc != "-":
            entry["path"] = ex.doc
        docs.append(entry)
        events.extend(draft_events(ex, gazetteer, doc_id=doc_id))
    names = ", ".join(d["name"] for d in docs[:3]) + (" …" if len(docs) > 3 else "")
    return {
        "title": f"Draft events from {names}",
        "description": "Drafted by eventmap extract: every event needs a person's review "
        "(kind, places, figures, sources) before its status becomes curated.",
        "documents": docs,
        "events": events,
    }
