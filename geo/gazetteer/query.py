"""Parse the text of a place query: qualifier, region patterns, acronyms.

``"oblast de Koursk"``, ``"Kursk region"`` and ``"kraï du Primorié"`` name an
admin-1 region by its stem (``koursk``, ``kursk``, ``primorie``) and a
designation; ``"Moscow, Idaho"`` names a place and the country or region it
lies in. This module only reads the text; the gazetteer decides what the
parts refer to.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from geo.gazetteer.normalize import acronym_key, normalize, soft_normalize, strip_article

__all__ = ["ParsedQuery", "parse_query", "type_matches"]

# Designations in French and English, as they appear after soft_normalize
# (accents gone: "région" → "region", "kraï" → "krai", "république" → "republique").
# Each maps to the words that Natural Earth's `type` / `type_en` use for it.
_DESIGNATIONS: dict[str, frozenset[str]] = {
    "region": frozenset({"region", "oblast", "oblasty", "voblasts"}),
    "oblast": frozenset({"oblast", "region", "oblasty", "voblasts"}),
    "krai": frozenset({"kray", "krai", "kraj", "territory"}),
    "province": frozenset({"province", "provincia", "provinz"}),
    "republic": frozenset({"respublika", "republic"}),
    "territory": frozenset({"territory", "kray"}),
    "state": frozenset({"state", "estado", "land"}),
    "governorate": frozenset({"governorate", "muhafazah"}),
    "prefecture": frozenset({"prefecture", "ken"}),
    "okrug": frozenset({"okrug"}),
}
_SYNONYMS = {
    "kray": "krai",
    "kraj": "krai",
    "oblasti": "oblast",
    "republique": "republic",
    "territoire": "territory",
    "etat": "state",
    "gouvernorat": "governorate",
    "okroug": "okrug",
}
_WORDS = "|".join(sorted({*_DESIGNATIONS, *_SYNONYMS}, key=len, reverse=True))

# "région de Koursk", "kraï du Primorié", "oblast d'Omsk", "la province de Hamgyong du Sud"
_PREFIX_FR = re.compile(
    rf"^(?:la |le |l')?(?P<type>{_WORDS})(?: autonome)? "
    r"(?:de la |de l'|du |des |de |d')(?P<stem>.+)$"
)
# "region of Kursk", "the Republic of Tatarstan"
_PREFIX_EN = re.compile(rf"^(?:the )?(?P<type>{_WORDS}) of (?:the )?(?P<stem>.+)$")
# "Kursk region", "Koursk oblast", "Primorsky Krai", "Jewish Autonomous Oblast"
_SUFFIX = re.compile(rf"^(?:the )?(?P<stem>.+?)(?: autonomous| autonome)? (?P<type>{_WORDS})$")


@dataclass(frozen=True)
class ParsedQuery:
    """The parts of a place query.

    Attributes
    ----------
    text : str
        The name part (before the last comma), stripped.
    key : str
        ``normalize(text)``: what the name index is searched with.
    acronym : str or None
        The acronym key when ``text`` is written in capitals (``KP``, ``U.S.``).
    stem : str or None
        Normalized region stem when a region pattern matched (``"koursk"``).
    designation : str or None
        The designation of that pattern (``"oblast"``, ``"krai"``, ``"region"``...).
    qualifier : str or None
        Text after the last comma (``"Idaho"`` in ``"Moscow, Idaho"``).
    """

    text: str
    key: str
    acronym: str | None = None
    stem: str | None = None
    designation: str | None = None
    qualifier: str | None = None

    def without_article(self) -> ParsedQuery | None:
        """The same query without a leading article (``"la Russie"``), if it had one."""
        bare = _key(strip_article(soft_normalize(self.text)))
        if bare == self.key:
            return None
        return ParsedQuery(text=self.text, key=bare, qualifier=self.qualifier)


def _key(soft: str) -> str:
    """``normalize(text)`` from ``soft_normalize(text)``, without normalizing twice."""
    return " ".join(soft.replace("'", "").split())


def _region_pattern(soft: str) -> tuple[str, str] | None:
    for pattern in (_PREFIX_FR, _PREFIX_EN, _SUFFIX):
        m = pattern.match(soft)
        if m:
            stem = normalize(strip_article(m["stem"]))
            if stem:
                return stem, _SYNONYMS.get(m["type"], m["type"])
    return None


@functools.lru_cache(maxsize=1 << 16)
def parse_query(query: str, *, split_qualifier: bool = True) -> ParsedQuery:
    """Split ``query`` into name, region pattern and qualifier.

    Parameters
    ----------
    query : str
        Free text such as ``"oblast de Koursk"`` or ``"Moscow, Idaho"``.
    split_qualifier : bool
        Whether a trailing ``", Something"`` is a qualifier.

    Returns
    -------
    ParsedQuery

    Examples
    --------
    >>> parse_query("kraï du Primorié").stem
    'primorie'
    >>> q = parse_query("Moscow, Idaho")
    >>> q.key, q.qualifier
    ('moscow', 'Idaho')
    """
    text, qualifier = query.strip(), None
    if split_qualifier and "," in text:
        head, _, tail = text.rpartition(",")
        if normalize(head) and normalize(tail):
            text, qualifier = head.strip(), tail.strip()
    soft = soft_normalize(text)
    pattern = _region_pattern(soft)
    return ParsedQuery(
        text=text,
        key=_key(soft),
        acronym=acronym_key(text),
        stem=pattern[0] if pattern else None,
        designation=pattern[1] if pattern else None,
        qualifier=qualifier,
    )


def type_matches(designation: str, *types: str | None) -> bool:
    """Whether a region's ``type`` / ``type_en`` fit the designation a query used.

    Examples
    --------
    >>> type_matches("region", "Oblast", "Region"), type_matches("krai", "Oblast", "Region")
    (True, False)
    """
    wanted = _DESIGNATIONS.get(designation, frozenset({designation}))
    words = {w for t in types if t for w in normalize(t).split()}
    return bool(words & wanted)
