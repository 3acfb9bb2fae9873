"""Normalize place names so that spellings of one name compare equal.

The gazetteer stores names in normalized form and normalizes every query the
same way, so ``"Hamhŭng"``, ``"HAMHUNG"`` and ``"Ham-hung"`` all become
``"hamhung"``, and ``"Kyïv"`` becomes ``"kyiv"``.

Normalization is deliberately lossy (accents, apostrophes and case go) and
deliberately simple: it must give the same answer at build time, when the
index is written, and at query time, for any version of Python that reads the
committed index.

Examples
--------
>>> normalize("Corée du Nord")
'coree du nord'
>>> normalize("P'yŏngyang")
'pyongyang'
>>> normalize("Ulan-Ude")
'ulan ude'
>>> is_latin("Kursk"), is_latin("Курск")
(True, False)
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "normalize",
    "soft_normalize",
    "strip_article",
    "is_latin",
    "acronym_key",
    "transliteration_variants",
]

# Letters that NFKD does not decompose into base letter + combining mark.
# Without this, "Łódź" would keep its "ł" and never match "Lodz".
_LETTERS = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "ı": "i",
        "ŀ": "l",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "ə": "e",
        "ʻ": "",  # okina / ayn marks in transliterations ("Kʻiew")
        "ʿ": "",
        "ʾ": "",
        "ʹ": "",  # Russian soft sign in scholarly transliteration
        "ʺ": "",
    }
)

# Apostrophe look-alikes are unified first (so French elisions like "d'Omsk"
# can be recognised) and dropped at the end (so "P'yŏngyang" and "Pyongyang"
# meet). Periods vanish rather than separate, so "D.C." becomes "dc" and
# "St." "st".
_PUNCT = str.maketrans(
    {**{c: "'" for c in "\u2019\u2018\u02bc\u02bb\u0060\u00b4\u2032\u201b"}, ".": None}
)
# Whatever is neither a letter, a digit, an apostrophe nor a space separates
# words (hyphens, dashes, underscores, slashes, commas, brackets, quotes...).
_OTHER = re.compile(r"[^\w' ]|_")

# French and English articles that may open a name in running text or in
# Natural Earth's French labels ("du Primorié", "d'Omsk", "l'Amour").
_ARTICLE = re.compile(r"^(?:(?:de la|de l'|du|des|de|d'|la|le|les|l'|the)\s*)", re.IGNORECASE)


def soft_normalize(text: str) -> str:
    """Normalize ``text`` but keep apostrophes (unified to ``'``).

    Query parsing needs the apostrophes to split French elisions
    (``"région d'Omsk"``) before :func:`normalize` drops them.

    Parameters
    ----------
    text : str
        Any place name or phrase.

    Returns
    -------
    str
        Casefolded, accent-free text with single spaces and ``'`` as the only
        apostrophe.
    """
    if text.isascii():  # most queries: NFKC, NFKD and _LETTERS change nothing
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKC", text).casefold().translate(_LETTERS)
        text = unicodedata.normalize("NFKD", text)
        if not text.isascii():
            text = "".join(ch for ch in text if not unicodedata.combining(ch))
            # Again: a decomposed letter may be one of them ("Ǣ" is "æ" and a macron).
            text = text.translate(_LETTERS)
    text = text.translate(_PUNCT)
    text = _OTHER.sub(" ", text)
    return " ".join(text.split()).strip(" '")


def normalize(text: str) -> str:
    """Return the comparison key of a place name.

    Casefold, strip accents (NFKD, so ``ŭ``/``ŏ`` become ``u``/``o``), drop
    apostrophes of every shape, turn hyphens and underscores into spaces and
    collapse whitespace.

    Parameters
    ----------
    text : str
        Any place name.

    Returns
    -------
    str
        The normalized key; ``""`` for text without letters or digits.

    Examples
    --------
    >>> normalize("  Kraï   du Primorié ")
    'krai du primorie'
    >>> normalize("Washington, D.C.")
    'washington dc'
    """
    return " ".join(soft_normalize(text).replace("'", "").split())


def strip_article(text: str) -> str:
    """Remove one leading French or English article from soft-normalized text.

    Parameters
    ----------
    text : str
        Output of :func:`soft_normalize` (apostrophes kept).

    Returns
    -------
    str
        ``text`` without a leading ``du``, ``de la``, ``d'``, ``l'``, ``the``...
        If removing the article would leave nothing, ``text`` is returned.

    Examples
    --------
    >>> strip_article("du primorie"), strip_article("d'omsk"), strip_article("le havre")
    ('primorie', 'omsk', 'havre')
    """
    stripped = _ARTICLE.sub("", text, count=1).strip()
    return stripped or text


def is_latin(text: str) -> bool:
    """Whether every letter of ``text`` is in the Latin script.

    Used at build time to keep the names that French or English text (or a
    transliteration) can contain, and drop Cyrillic, Hangul, Arabic...

    Parameters
    ----------
    text : str
        Any string.

    Returns
    -------
    bool
        ``True`` if ``text`` has at least one letter and all its letters are
        Latin.
    """
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    return all("LATIN" in unicodedata.name(ch, "") for ch in letters)


_ACRONYM = re.compile(r"^[A-Z]{2,6}$")


def acronym_key(text: str) -> str | None:
    """Return the acronym key of ``text``, or ``None`` if it is not an acronym.

    Codes and acronyms (``KP``, ``PRK``, ``DPRK``, ``U.S.A.``) only match when
    written in capitals: ``"in"`` must not find India, nor ``"us"`` the United
    States. Their keys stay upper-case, so they can never collide with a
    normalized (lower-case) name in the same index.

    Parameters
    ----------
    text : str
        Raw query or name.

    Returns
    -------
    str or None
        Upper-case letters only (periods and spaces removed), or ``None``.

    Examples
    --------
    >>> acronym_key("U.S.A."), acronym_key("DPRK"), acronym_key("Kursk")
    ('USA', 'DPRK', None)
    """
    key = re.sub(r"[.\s]", "", text.strip())
    return key if _ACRONYM.match(key) else None


# Transliteration variants, tried only when a query's own spelling names
# nothing. Each system rewrites a normalized key in one pass (alternatives
# longest first, so "tch" is read before "ch").
#
# French renderings of Russian and Ukrainian names (Tcheliabinsk, Zaporojie,
# Iekaterinbourg, Arkhanguelsk) → the English ones GeoNames carries.
_FRENCH = {
    "chtch": "shch",
    "tch": "ch",
    "ch": "sh",
    "dj": "j",
    "iou": "yu",
    "ou": "u",
    "gue": "ge",
    "gui": "gi",
    "j": "zh",
}
_FRENCH_RE = re.compile("|".join(sorted(_FRENCH, key=len, reverse=True)))
_FRENCH_Y = re.compile(r"\b(i)(?=[aeo])|(?<=[aeiou])i(?=[aeo])|ie\b")
# Korean: Revised Romanization (Pyeongyang, Hamheung, Gaeseong) → the
# McCune–Reischauer spellings GeoNames uses for North Korea (Pyongyang,
# Hamhung, Kaesong): eo → o, eu → u, and voiced initials unvoiced.
_KOREAN_VOWELS = re.compile(r"eo|eu")
_KOREAN_INITIALS = re.compile(r"\b([gdbj])")
_KOREAN_UNVOICED = {"g": "k", "d": "t", "b": "p", "j": "ch"}
# "Rostov-na-Donu" and "Rostov-on-Don", "Nikolayevsk-on-Amure": swap the link word.
_LINK = re.compile(r"(?<= )(na|on)(?= )")
# Russian adjectival endings: -iy, -yy, -ii, -ij and -y are one sound.
_ENDING = re.compile(r"(?:iy|yy|ii|ij)\b")


def transliteration_variants(key: str) -> list[str]:
    """Other spellings of a normalized key under common transliteration systems.

    A fallback: the gazetteer tries them, ranked lower, only when the key
    itself names nothing. Covers French renderings of Russian and Ukrainian
    (``tch``, ``ou``, ``j``, ``ie``), Korean Revised Romanization versus
    McCune–Reischauer (``eo``/``o``, ``eu``/``u``, ``g``/``k``), the link words
    of ``-na-``/``-on-`` names and Russian ``-iy``/``-y`` endings.

    Parameters
    ----------
    key : str
        Output of :func:`normalize`.

    Returns
    -------
    list of str
        Distinct variants other than ``key``, in a fixed order.

    Examples
    --------
    >>> transliteration_variants("tcheliabinsk")[0]
    'cheliabinsk'
    >>> "pyongyang" in transliteration_variants("pyeongyang")
    True
    >>> "rostov on donu" in transliteration_variants("rostov na donu")
    True
    """
    if not key or not key.isascii():
        return []
    french = _FRENCH_RE.sub(lambda m: _FRENCH[m.group(0)], key)
    french = _FRENCH_Y.sub(lambda m: "y" if m.group(1) or m.group(0) == "i" else "ye", french)
    korean = _KOREAN_VOWELS.sub(lambda m: m.group(0)[1], key)
    korean_initials = _KOREAN_INITIALS.sub(lambda m: _KOREAN_UNVOICED[m.group(1)], korean)
    link = _LINK.sub(lambda m: "on" if m.group(1) == "na" else "na", key)
    ending = _ENDING.sub("y", key)
    out: list[str] = []
    for v in (french, french.replace("ss", "s"), korean, korean_initials, link, ending):
        if v != key and v not in out:
            out.append(v)
    return out
