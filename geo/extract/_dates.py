"""Dates in French and English text: ``en juin 2025``, ``April 2025``, ``le 19 juin 2024``.

Only dates with a year are read (a month alone cannot be placed in time
without guessing). The text of a date keeps its preposition (``en juin
2025``), its value is an ISO date of the precision the text gives
(``2025-06``).
"""

from __future__ import annotations

import re

from geo.extract._model import DateMention
from geo.schema import parse_date

__all__ = ["MONTHS", "find_dates"]

#: Month names and abbreviations (French and English, lower case) → month number.
MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12, "janv.": 1, "févr.": 2, "fevr.": 2, "avr.": 4,
    "juil.": 7, "sept.": 9, "oct.": 10, "nov.": 11, "déc.": 12, "dec.": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan.": 1, "feb.": 2, "mar.": 3, "apr.": 4, "jun.": 6, "jul.": 7, "aug.": 8,
    "sep.": 9,
}  # fmt: skip
_MONTH = "|".join(re.escape(m) for m in sorted(MONTHS, key=len, reverse=True))
_LEAD = (
    r"(?:(?:en|le|depuis|dès|des|d'ici|jusqu'en|début|fin|mi-|courant|au\s+mois\s+de|"
    r"in|on|since|by|until|early|late|mid-|from|during)\s*)?"
)
_YEAR = r"(?:19|20)\d\d"
_PATTERNS = [
    # 19 juin 2024, 1er juin 2024, 19 June 2024
    re.compile(
        rf"(?<!\w){_LEAD}(?P<day>[0-3]?\d)(?:er|st|nd|rd|th)?\s+(?P<month>{_MONTH})\s+(?P<year>{_YEAR})(?!\d)",
        re.IGNORECASE,
    ),
    # June 19, 2024
    re.compile(
        rf"(?<!\w){_LEAD}(?P<month>{_MONTH})\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<year>{_YEAR})(?!\d)",
        re.IGNORECASE,
    ),
    # juin 2025, April 2025, en avril 2025
    re.compile(
        rf"(?<!\w){_LEAD}(?P<month>{_MONTH})\s+(?:de\s+|of\s+)?(?P<year>{_YEAR})(?!\d)",
        re.IGNORECASE,
    ),
    # 2025-06-19, 2025-06
    re.compile(
        r"(?<![\w-])(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)(?:-(?P<day>[0-3]\d))?(?![\w-])"
    ),
    # en 2024, in 2024, depuis 2022 (a year needs a preposition: "2000 soldats" is a figure)
    re.compile(
        r"(?<!\w)(?:en|depuis|dès|jusqu'en|début|fin|in|since|by|until|early|late|mid-)\s*"
        rf"(?P<year>{_YEAR})(?![\d\w])",
        re.IGNORECASE,
    ),
]


def find_dates(text: str) -> list[DateMention]:
    """Every date with a year in ``text``, in order, without overlaps.

    >>> [(d.text, d.value) for d in find_dates("En juin 2025, puis le 3 avril 2025 et in 2024.")]
    [('En juin 2025', '2025-06'), ('le 3 avril 2025', '2025-04-03'), ('in 2024', '2024')]
    """
    found: list[DateMention] = []
    taken = bytearray(len(text))  # the characters of the dates found so far
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if taken.find(1, m.start(), m.end()) >= 0:
                continue
            date = _date(m)
            if date is not None:
                found.append(date)
                taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    found.sort(key=lambda d: d.start)
    return found


def _date(m: re.Match) -> DateMention | None:
    groups = m.groupdict()
    if groups.get("month"):
        month = MONTHS.get(groups["month"].lower())
    else:
        month = int(groups["mnum"]) if groups.get("mnum") else None
    parts = [groups["year"], month, int(groups["day"]) if groups.get("day") else None]
    text = "-".join(str(p) for p in parts if p is not None)
    try:  # the events' own parser: "31 juin" or "30 février" is no date
        date = parse_date(text)
    except ValueError:
        return None
    return DateMention(m.group(), m.start(), m.end(), str(date), date.precision)
