"""Figures: numbers with their unit and hedge, in French and English.

``"environ 6 000 militaires"`` → 6000 military, qualifier ``about``;
``"près de la moitié des effectifs"`` → 0.5, ``nearly``; ``"potentiellement plus
de cinq millions d'obus"`` → 5,000,000 ``obus``, ``over``, note
``potentially``; ``"13,000 North Korean soldiers"`` → 13000 ``soldiers``.
Hedges map onto :data:`geo.schema.QUALIFIERS`; shares are fractions
(``un tiers`` → 0.33), as in the curated data. Years, days of the month and
ordinals are not figures.
"""

from __future__ import annotations

import re

from geo.extract._dates import MONTHS as _DATE_MONTHS
from geo.extract._model import Figure

__all__ = ["find_figures", "unit_category"]

# Hedge words → qualifier. Longest first in the pattern.
_HEDGES = {
    "environ": "about", "approximativement": "about", "à peu près": "about",
    "autour de": "about", "autour d'": "about", "de l'ordre de": "about", "quelque": "about",
    "quelques": "about", "about": "about", "around": "about", "approximately": "about",
    "roughly": "about", "some": "about", "an estimated": "about", "estimated": "about",
    "circa": "about", "une estimation de": "about",
    "plus de": "over", "plus d'": "over", "bien plus de": "over", "au-delà de": "over",
    "more than": "over", "over": "over", "upwards of": "over", "in excess of": "over",
    "well over": "over", "above": "over",
    "près de": "nearly", "près d'": "nearly", "presque": "nearly", "quasiment": "nearly",
    "pas loin de": "nearly", "nearly": "nearly", "almost": "nearly", "close to": "nearly",
    "jusqu'à": "up to", "up to": "up to", "as many as": "up to", "as much as": "up to",
    "au moins": "at least", "pas moins de": "at least", "au minimum": "at least",
    "at least": "at least", "no fewer than": "at least", "no less than": "at least",
    "moins de": "under", "moins d'": "under", "less than": "under", "fewer than": "under",
    "under": "under", "below": "under", "just under": "under",
    "exactement": "exactly", "exactly": "exactly", "précisément": "exactly",
}  # fmt: skip
_NOTES = {
    "potentiellement": "potentially", "potentially": "potentially",
    "peut-être": "possibly", "possiblement": "possibly", "possibly": "possibly",
    "probablement": "probably", "probably": "probably", "reportedly": "reportedly",
    "apparemment": "apparently", "apparently": "apparently",
    "officiellement": "officially", "officially": "officially",
}  # fmt: skip

_WORD_NUMBERS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
    "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40,
    "cinquante": 50, "soixante": 60, "cent": 100, "cents": 100, "mille": 1000,
    "one": 1, "a": 1, "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000, "dozen": 12,
}  # fmt: skip
_SCALES = {"million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9,
           "billion": 1e9, "billions": 1e9, "thousand": 1e3, "mille": 1e3}  # fmt: skip
_FRACTIONS = {
    "la moitié": 0.5, "une moitié": 0.5, "un tiers": 0.33, "deux tiers": 0.67,
    "un quart": 0.25, "trois quarts": 0.75, "un cinquième": 0.2, "un dixième": 0.1,
    "half": 0.5, "a half": 0.5, "one half": 0.5, "a third": 0.33, "one third": 0.33,
    "one-third": 0.33, "two thirds": 0.67, "two-thirds": 0.67, "a quarter": 0.25,
    "one quarter": 0.25, "one-quarter": 0.25, "three quarters": 0.75,
    "three-quarters": 0.75, "a fifth": 0.2, "one fifth": 0.2, "a tenth": 0.1,
}  # fmt: skip
# "des milliers de soldats", "tens of thousands of troops": an order of magnitude.
_VAGUE = {
    "des centaines": 100, "plusieurs centaines": 100, "hundreds": 100,
    "des milliers": 1000, "plusieurs milliers": 1000, "thousands": 1000,
    "des dizaines de milliers": 10000, "plusieurs dizaines de milliers": 10000,
    "tens of thousands": 10000, "des centaines de milliers": 100000,
    "hundreds of thousands": 100000,
}  # fmt: skip


def _alt(words) -> str:
    return "|".join(
        re.escape(w).replace("\\ ", r"\s+").replace("'", "['\u2019]")
        for w in sorted(words, key=len, reverse=True)
    )


_APOS = "['\u2019]"
_DIGITS = (
    r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?"  # 13 000, 1 500,5
    r"|\d{1,3}(?:[.,]\d{3})+(?![.,]?\d)"  # 13,000 or 6.000
    r"|\d+(?:[.,]\d+)?"  # 350, 1,5, 2.5
)
_WORDNUM = (
    r"(?:quatre[- ]vingts?|"
    + _alt([w for w in _WORD_NUMBERS if w not in ("a",)])
    + r")(?:(?:[- ]|\s+et\s+|\s+and\s+)(?:"
    + _alt([w for w in _WORD_NUMBERS if w not in ("a", "un", "une", "one")])
    + r"))*"
)
_NUMBER = re.compile(
    rf"(?<![\w.,\-/])(?:(?P<note>{_alt(_NOTES)})\s+)?"
    rf"(?:(?P<hedge>{_alt(_HEDGES)})\s*)?"
    rf"(?:(?P<between>entre|between)\s+)?"
    rf"(?:(?P<frac>{_alt(_FRACTIONS)})|(?P<vague>{_alt(_VAGUE)})"
    rf"|(?P<num>{_DIGITS})|(?P<word>{_WORDNUM}))"
    rf"(?:\s*(?:-|–|à|to|et|and)\s*(?P<high>{_DIGITS}))?"
    rf"(?:\s+(?P<scale>{_alt(_SCALES)}))?"
    rf"(?:\s*(?P<pct>%|pour\s+cent|percent|per\s+cent))?"
    r"(?![\w])",
    re.IGNORECASE,
)
# Between the number and its noun: "de", "d'", "of (the)", "des", "du".
_LINK = re.compile(
    rf"\s*(?:(?:de\s+la|de\s+l{_APOS}|des|du|de|d{_APOS}|of\s+the|of\s+its|of\s+their|of|the)\s*)?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][\w\u2019'\-]*")
_SPACES = re.compile(r"[ \u00a0]+")
_COMPLEMENT = re.compile(rf"\s+(?:de|d{_APOS}|of)\s*([^\W\d_][\w\-]*)", re.IGNORECASE)

# Nouns of figures, by what they count (prefixes of normalized words).
_UNITS = {
    "personnel": (
        "soldat", "militaire", "combattant", "homme", "troupe", "ingenieur", "demineur",
        "batisseur", "ouvrier", "travailleur", "recrue", "mercenaire", "officier",
        "personnel", "membre", "conscrit", "specialiste", "effectif", "reserviste",
        "volontaire", "instructeur", "pilote", "marin", "soldier", "troop", "fighter",
        "combatant", "men", "engineer", "deminer", "sapper", "builder", "worker",
        "labourer", "laborer", "recruit", "officer", "conscript", "reservist",
        "volunteer", "instructor", "sailor", "commando", "citoyen", "citizen", "agent",
        "brigade", "bataillon", "battalion", "division", "regiment", "unite", "unit",
    ),
    "losses": (
        "mort", "tue", "blesse", "victime", "perte", "prisonnier", "disparu", "deces",
        "dead", "killed", "wounded", "injured", "casualt", "loss", "prisoner", "missing",
        "death",
    ),
    "materiel": (
        "obus", "munition", "missile", "roquette", "drone", "conteneur", "wagon", "tonne",
        "lanceur", "lance", "char", "blinde", "vehicule", "canon", "obusier", "piece",
        "systeme", "navire", "cargo", "train", "avion", "bombe", "fusil", "arme",
        "cartouche", "caisse", "mortier", "shell", "round", "ammunition", "rocket",
        "container", "railcar", "ton", "launcher", "tank", "vehicle", "gun", "howitzer",
        "system", "ship", "vessel", "aircraft", "jet", "bomb", "rifle", "weapon",
        "cartridge", "crate", "mortar", "artillery", "artillerie",
    ),
}  # fmt: skip
_NOT_UNITS = frozenset(
    "de du des la le les et ou a au aux en sur dans par pour que qui ont sont est se "
    "the of and or to in on at by for that which who were are is was has have had "
    "from with as it its than this these those".split()
)


def _fold(word: str) -> str:
    from geo.gazetteer.normalize import normalize

    return normalize(word)


# Month names and abbreviations, folded: "15 juin" is a date, not 15 of a unit "juin".
_MONTHS = frozenset(_fold(m).rstrip(".") for m in _DATE_MONTHS)


def unit_category(unit: str) -> str | None:
    """``"personnel"``, ``"losses"``, ``"materiel"`` or ``None`` for a unit's words.

    >>> unit_category("soldats"), unit_category("conteneurs de munitions"), unit_category("km")
    ('personnel', 'materiel', None)
    """
    words = _fold(unit).split()
    for category in ("losses", "materiel", "personnel"):  # "soldats tués" counts losses
        if any(w.startswith(_UNITS[category]) for w in words):
            return category
    return None


def _parse_digits(s: str) -> float:
    s = re.sub(r"[ \u00a0\u202f]", "", s)
    m = re.fullmatch(r"(\d{1,3})((?:[.,]\d{3})+)", s)
    if m:  # a thousands separator: 13,000 / 6.000
        return float(m.group(1) + re.sub(r"[.,]", "", m.group(2)))
    return float(s.replace(",", "."))


def _parse_words(s: str) -> float:
    total, current = 0.0, 0.0
    words = re.split(r"[\s\-]+", s.lower())
    i = 0
    while i < len(words):
        w = words[i]
        if w in ("et", "and"):
            i += 1
            continue
        if w == "quatre" and i + 1 < len(words) and words[i + 1].startswith("vingt"):
            current += 80
            i += 2
            continue
        v = _WORD_NUMBERS.get(w, 0)
        if v == 100:
            current = max(current, 1) * 100
        elif v == 1000:
            total += max(current, 1) * 1000
            current = 0
        else:
            current += v
        i += 1
    return total + current


def _unit(text: str, pos: int, *, need_known: bool) -> tuple[str, int] | None:
    """The noun phrase a figure counts, from ``pos``: (unit, end offset)."""
    link = _LINK.match(text, pos)
    at = link.end()
    words: list[tuple[str, int, int]] = []
    for _ in range(4):
        m = _WORD.match(text, at)
        if not m:
            break
        words.append((m.group(), m.start(), m.end()))
        nxt = _SPACES.match(text, m.end())  # not text[m.end():], a copy of the rest
        if not nxt:
            break
        at = nxt.end()
    if not words or _fold(words[0][0]) in _NOT_UNITS or _fold(words[0][0]) in _MONTHS:
        return None
    # The first counted noun within three words ("13,000 North Korean soldiers").
    for i, (w, _s, e) in enumerate(words[:4]):
        if unit_category(w) is not None:
            first = words[0][1]
            end = e
            for w2, _s2, e2 in words[i + 1 : i + 3]:  # "artillery shells"
                if unit_category(w2) is None:
                    break
                end = e2
            comp = _COMPLEMENT.match(text, end)
            measure = _fold(w).startswith(("conteneur", "container", "wagon", "tonne", "ton"))
            if comp and (measure or unit_category(comp.group(1)) is not None):
                end = comp.end()
            return text[first:end], end
        if _fold(w) in _NOT_UNITS:
            break
        if i >= 2:
            break
    if need_known:
        return None
    w, _s, e = words[0]
    return w, e


def find_figures(text: str, *, lang: str = "fr") -> list[Figure]:
    """Every figure in ``text``, in order.

    Examples
    --------
    >>> [(f.text, f.value, f.qualifier) for f in find_figures("soit près de 2 000 combattants")]
    [('près de 2 000 combattants', 2000.0, 'nearly')]
    >>> f = find_figures("potentiellement plus de cinq millions d’obus")[0]
    >>> f.value, f.unit, f.qualifier, f.note
    (5000000.0, 'obus', 'over', 'potentially')
    """
    out: list[Figure] = []
    for m in _NUMBER.finditer(text):
        fig = _figure(text, m)
        if fig is not None:
            out.append(fig)
    return out


def _figure(text: str, m: re.Match) -> Figure | None:
    hedge = m.group("hedge")
    qualifier = (
        _HEDGES.get(re.sub(r"\s+", " ", hedge.lower()).replace("\u2019", "'")) if hedge else None
    )
    note = _NOTES.get(m.group("note").lower()) if m.group("note") else None
    low = high = None
    share = False
    if m.group("frac"):
        value = _FRACTIONS[re.sub(r"\s+", " ", m.group("frac").lower())]
        share = True
    elif m.group("vague"):
        value = float(_VAGUE[re.sub(r"\s+", " ", m.group("vague").lower())])
        qualifier = qualifier or "over"
    elif m.group("num"):
        raw = m.group("num")
        if re.fullmatch(r"(1[89]|20)\d\d", raw) and not m.group("scale"):
            # A year, unless it counts something ("2000 soldats").
            unit = _unit(text, m.end(), need_known=True)
            if unit is None:
                return None
        value = _parse_digits(raw)
    else:
        word = m.group("word").lower()
        if word in ("un", "une", "one") and not m.group("scale"):
            return None  # an article, not a count
        value = _parse_words(word)
        if not value:
            return None
    if m.group("high"):
        low, high = value, _parse_digits(m.group("high"))
        if high <= low:
            return None
        value = (low + high) / 2
    scale = m.group("scale")
    if scale:
        factor = _SCALES[scale.lower()]
        value *= factor
        low = low * factor if low is not None else None
        high = high * factor if high is not None else None
    if m.group("pct"):
        value, share = value / 100, True
        low = low / 100 if low is not None else None
        high = high / 100 if high is not None else None
    need_known = bool(m.group("word")) and not scale
    found = _unit(text, m.end(), need_known=need_known or share and not m.group("pct"))
    if found is None:
        if m.group("pct"):
            unit, end = "%", m.end()
        else:
            return None
    else:
        unit, end = found
        after = _fold(unit.split()[0])
        if after in _MONTHS:
            return None
        if share:
            unit = f"share of {unit}"
    if m.group("between") and qualifier is None and low is None:
        return None
    start = m.start()
    return Figure(
        text=text[start:end],
        start=start,
        end=end,
        value=round(value, 4),
        unit=unit,
        qualifier=qualifier,
        note=note,
        low=low,
        high=high,
    )
