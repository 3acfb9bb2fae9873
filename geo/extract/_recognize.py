"""Recognition: where a text names a place or a nationality.

The gazetteer's ~500,000 normalized names and the demonyms go into one
Aho–Corasick automaton (pyahocorasick) that runs over the normalized view of
the text (:class:`~geo.extract._text.NormalizedText`), so that accents, case,
hyphens and French elisions (``l'Ukraine``, ``d'Iran``) do not matter and
every hit maps back to its exact surface form. Each pattern is wrapped in
spaces, so only whole words match; overlapping hits keep the longest.

Most of the names in a world gazetteer are also ordinary words somewhere, so
each hit must pass guards before it counts as a place:

* case — a place name is written with a capital (``Nice``, not ``nice``);
  all-capital words are acronyms, and only the country acronyms of
  ``stopwords.yaml`` (``DPRK``, ``UK``...) are places;
* stop lists — function words, months, weekdays and people's names are never
  places; everyday words that are also names (``Pacific``, ``Front``,
  ``Selon``) only count when they name a major place (decided in
  :mod:`~geo.extract._context`, which knows the candidates);
* people and organisations — a name after a title (``President``,
  ``le général``) or inside a run of capitalized words (``Kim Jong-un``,
  ``Vladimir Putin``, ``Moscow Times``) is not a place, unless the next word
  is a geographic one (``Kursk Oblast``, ``Kharkiv Governor``, ``Tumen River``).

Region phrases — ``région de Koursk``, ``l'oblast de Belgorod``, ``Kursk
region``, ``kraï du Primorié``, ``les régions de Koursk et de Belgorod`` — make
the whole phrase the mention and ask the gazetteer for a region.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from geo.extract._automaton import DEMONYM, PLACE, automaton
from geo.extract._lexicon import Lexicon
from geo.extract._text import NormalizedText
from geo.gazetteer.core import Gazetteer
from geo.gazetteer.demonyms import Demonyms
from geo.gazetteer.normalize import acronym_key, normalize

# Designations of admin-1 regions, as normalized words → the singular the
# gazetteer's query parser knows (geo/gazetteer/query.py).
_DESIGNATION = {
    "region": "region", "regions": "region", "oblast": "oblast", "oblasts": "oblast",
    "oblasti": "oblast", "krai": "krai", "kray": "krai", "krais": "krai",
    "province": "province", "provinces": "province", "republique": "republique",
    "republic": "republic", "territoire": "territoire", "territory": "territory",
    "okroug": "okroug", "okrug": "okrug", "gouvernorat": "gouvernorat",
    "governorate": "governorate", "prefecture": "prefecture",
}  # fmt: skip
_PLURAL = frozenset({"regions", "oblasts", "krais", "provinces"})
_WORDS = "|".join(sorted(_DESIGNATION, key=len, reverse=True))
_PREFIX = re.compile(
    rf"(?:^| )(?:(?:la|le|l|les|the) )?(?P<type>{_WORDS})(?: autonome| autonomous)?"
    r" (?:de la|de l|du|des|de|d|of the|of) $"
)
_SUFFIX = re.compile(rf" (?:autonomous |autonome )?(?P<type>{_WORDS})(?= )")
# What may stand between two coordinated region names ("Koursk et de Belgorod",
# "Kursk and Belgorod", "Koursk, Belgorod": the comma is a space in the view).
_COORDINATION = frozenset({" et de ", " et d ", " et ", " and ", " ou de ", " or ", " "})
# Words of a multiword name that may stay in lower case.
_PARTICLES = frozenset(
    "de du des la le les d l of the and sur on upon am an der en y e di da do dos das el al "
    "bin ibn ul na nad pod".split()
)
# Words before a place that do not make it a person's name.
_BEFORE_PLACE = frozenset(
    "eastern western northern southern central occupied greater north south east west upper "
    "lower outer inner around outside inside toward towards beyond behind throughout "
    "liberated annexed".split()
)
_WORD_AFTER = re.compile(r"(?:[ \t\u00a0]+|[-\u2010\u2011])([^\W\d_][\w'\u2019-]*)")
_WORD_BEFORE = re.compile(r"(?:^|[ \t\u00a0(«\"“])([^\W\d_][\w'\u2019-]*)[ \t\u00a0]+$")
# Prepositions after which an unknown capitalized word is probably a place
# ("à Oussouriisk"): the gazetteer is asked for it, transliteration variants included.
_LOCATIVE = frozenset(
    "a au aux de du des depuis vers pres jusqu en dans par via in near to from at outside "
    "around toward towards into through pour for entre between".split()
)
_CAPWORD = re.compile(r"[A-ZÀ-ÖØ-Þ][^\W\d_]+(?:[-\u2010\u2011][^\W\d_]+)*")
_ELISION_BEFORE = re.compile(r"(?:^|[\s(«\"“])[dDlL]['\u2019]$")
_ACRONYM = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,4}(?![\w])|(?<![\w.])[A-Z]{2,5}(?![\w])")


@dataclass
class Span:
    """A place or demonym hit that passed the guards, before resolution.

    ``start``/``end`` are offsets in the original text; ``a``/``b`` in the
    normalized view. ``query`` is what the gazetteer is asked: the surface
    form, or a region phrase built for a coordinated name ("region de
    Belgorod" for the "Belgorod" of "les régions de Koursk et de Belgorod").
    """

    start: int
    end: int
    a: int
    b: int
    kind: int
    key: str
    query: str
    region: bool = False
    stem: tuple[int, int] | None = None  # original span of the name inside a region phrase
    country: str | None = None  # for demonyms
    acronym: bool = False


class Recognizer:
    """Find candidate place names and demonyms in a text.

    Parameters
    ----------
    gazetteer : Gazetteer
    demonyms : Demonyms
    lexicon : Lexicon
    """

    def __init__(self, gazetteer: Gazetteer, demonyms: Demonyms, lexicon: Lexicon):
        self.gazetteer = gazetteer
        self.demonyms = demonyms
        self.lexicon = lexicon
        self._auto = automaton(gazetteer, demonyms, lexicon)
        self._acronyms = {
            k: a for a in lexicon.acronyms if (k := acronym_key(a)) and gazetteer.geocode(a)
        }

    def find(self, nt: NormalizedText, *, title_case: list[tuple[int, int]] = ()) -> list[Span]:
        """Hits that passed the guards, in text order, without overlaps.

        ``title_case`` lists (start, end) ranges of headline-style lines, in text
        order and disjoint (they are sentences), where capitalized runs say
        nothing about people's names.
        """
        text, norm = nt.text, nt.norm
        hits: list[Span] = []
        for end, code in self._auto.iter(norm):
            length, flags = code >> 2, code & 3
            a, b = end - length + 2, end
            start, stop = nt.span(a, b)
            surface = text[start:stop]
            key = norm[a:b]
            if flags & DEMONYM:
                if self.demonyms.language(key) == "en" and not surface[:1].isupper():
                    continue
                country = self.demonyms.forms[key][0]
                hits.append(Span(start, stop, a, b, DEMONYM, key, surface, country=country))
                continue
            if not self._written_as_name(surface, text, start):
                continue
            hits.append(Span(start, stop, a, b, PLACE, key, surface))
        hits.extend(self._acronym_hits(nt))
        hits.extend(self._unknown_after_preposition(nt, hits))
        chosen = _longest(hits)
        starts, ends = {h.start for h in chosen}, {h.end for h in chosen}
        # Headline lines are sentences: sorted and disjoint, so one bisect finds the line.
        title_starts = [s for s, _ in title_case]
        out = []
        for h in chosen:
            if h.kind == PLACE and not h.acronym:
                i = bisect.bisect_right(title_starts, h.start) - 1
                in_title = i >= 0 and h.start < title_case[i][1]
                if self._person_or_org(h, text, starts, ends, in_title):
                    continue
            out.append(h)
        self._regions(out, nt)
        return out

    # ------------------------------------------------------------------ guards

    def _written_as_name(self, surface: str, text: str, start: int) -> bool:
        if not surface[:1].isupper():
            return False
        words = re.split(r"[\s\u00a0\-\u2010\u2011]+", surface)
        for w in words[1:]:
            key = normalize(w)
            if len(key) >= 3 and not w[:1].isupper() and key not in _PARTICLES:
                if key not in _DESIGNATION:
                    return False  # "Le port" is not Le Port
        letters = [c for c in surface if c.isalpha()]
        if len(letters) <= 5 and surface.isupper():
            return False  # an acronym (NIS, ISW): only listed acronyms are places
        return True

    def _person_or_org(
        self, h: Span, text: str, starts: set[int], ends: set[int], in_title: bool
    ) -> bool:
        """Whether a name is part of a person's or an organisation's name.

        ``starts`` and ``ends`` are the offsets where the text's other names begin and end.
        """
        lex = self.lexicon
        before = _WORD_BEFORE.search(text, max(0, h.start - 60), h.start)
        if before is not None:
            word = normalize(before.group(1))
            if word in lex.titles:
                return True
        if in_title:
            return False
        after = _WORD_AFTER.match(text, h.end)
        if after is not None:
            word = after.group(1)
            if word[:1].isupper() and not word.isupper():
                key = normalize(word)
                starts_place = after.start(1) in starts
                if key not in lex.after_place and not starts_place and key not in lex.months:
                    return True
        if before is not None and not re.search(r"['\u2019]s?$", before.group(1)):
            # ("Russia's Kursk region": a possessive is no first name.)
            word = before.group(1)
            key = normalize(word)
            joined_at = before.start(1)
            mid_sentence = _mid_sentence(text, joined_at)
            if (
                mid_sentence
                and word[:1].isupper()
                and key not in lex.function_words
                and key not in _BEFORE_PLACE
                and key not in lex.after_place
                and before.end(1) not in ends
                and self.demonyms.forms.get(key) is None
            ):
                return True
        return False

    def _unknown_after_preposition(self, nt: NormalizedText, hits: list[Span]) -> list[Span]:
        """Capitalized words that no name matched, after a locative preposition."""
        text = nt.text
        covered = sorted((h.start, h.end) for h in hits)
        starts = [s for s, _ in covered]
        out = []
        for m in _CAPWORD.finditer(text):
            i = bisect.bisect_right(starts, m.start())
            if (i > 0 and covered[i - 1][1] > m.start()) or (
                i < len(covered) and covered[i][0] < m.end()
            ):
                continue
            surface = m.group()
            key = normalize(surface)
            if len(key) < 4 or surface.isupper() or key in self.lexicon.never_places:
                continue
            if key in self.demonyms.forms or key in self.lexicon.common_words:
                continue
            lead = text[max(0, m.start() - 30) : m.start()]
            before = _WORD_BEFORE.search(lead)
            if not (
                (before is not None and normalize(before.group(1)) in _LOCATIVE)
                or _ELISION_BEFORE.search(lead)
            ):
                continue
            a, b = nt.view(m.start(), m.end())
            out.append(Span(m.start(), m.end(), a, b, PLACE, key, surface))
        return out

    def _acronym_hits(self, nt: NormalizedText) -> list[Span]:
        out = []
        for m in _ACRONYM.finditer(nt.text):
            key = acronym_key(m.group())
            if key in self._acronyms:
                out.append(Span(m.start(), m.end(), -1, -1, PLACE, key, m.group(), acronym=True))
        return out

    # ------------------------------------------------------------------ regions

    def _regions(self, spans: list[Span], nt: NormalizedText) -> None:
        """Extend names in region phrases to the phrase, and mark them as regions."""
        norm, text = nt.norm, nt.text
        places = [s for s in spans if s.kind == PLACE and not s.acronym]
        designation: dict[int, tuple[str, bool]] = {}
        for i, s in enumerate(places):
            tail = norm[max(0, s.a - 40) : s.a]
            m = _PREFIX.search(tail)
            if m:
                word = m.group("type")
                phrase_a = s.a - len(tail) + m.start("type")
                start, _ = nt.span(phrase_a, phrase_a + len(word))
                s.stem = (s.start, s.end)
                s.start = start
                s.query = f"{_DESIGNATION[word]} de {text[s.stem[0] : s.end]}"
                s.region = True
                designation[i] = (_DESIGNATION[word], word in _PLURAL)
                continue
            m = _SUFFIX.match(norm, s.b)
            if m:
                word = m.group("type")
                _, stop = nt.span(m.start("type"), m.end("type"))
                s.stem = (s.start, s.end)
                s.end = stop
                s.query = f"{text[s.start : s.stem[1]]} {_DESIGNATION[word]}"
                s.region = True
                designation[i] = (_DESIGNATION[word], word in _PLURAL)
        # "les régions de Koursk et de Belgorod", "the Kursk and Belgorod regions"
        for i, (word, plural) in sorted(designation.items()):
            if not plural:
                continue
            j = i + 1
            while j < len(places) and norm[places[j - 1].b : places[j].a] in _COORDINATION:
                t = places[j]
                if t.region:
                    break
                t.query, t.region, t.stem = f"{word} de {t.query}", True, (t.start, t.end)
                j += 1
            j = i - 1
            while j >= 0 and norm[places[j].b : places[j + 1].a] in _COORDINATION:
                t = places[j]
                if t.region:
                    break
                t.query, t.region, t.stem = f"{t.query} {word}", True, (t.start, t.end)
                j -= 1


def _mid_sentence(text: str, i: int) -> bool:
    """Whether the word at ``i`` follows another word of the same sentence."""
    j = i - 1
    while j >= 0 and text[j] in " \t\u00a0":
        j -= 1
    return j >= 0 and (text[j].isalnum() or text[j] in ",;")


def _longest(hits: list[Span]) -> list[Span]:
    """Non-overlapping hits, the longest first at each place (demonyms win ties).

    Each hit is checked against a mask of the characters already taken, so the
    work is the sort plus the hits' lengths, not every pair of hits.
    """
    order = sorted(hits, key=lambda h: (-(h.end - h.start), h.kind != DEMONYM, h.start))
    taken = bytearray(max((h.end for h in hits), default=0))
    out = []
    for h in order:
        if taken.find(1, h.start, h.end) >= 0:
            continue
        taken[h.start : h.end] = b"\x01" * (h.end - h.start)
        out.append(h)
    out.sort(key=lambda h: h.start)
    return out
