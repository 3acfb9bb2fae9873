"""Demonyms and adjectives of nationality → the country they point to.

``"soldats nord-coréens"`` and ``"North Korean troops"`` point to North Korea
(``KP``) without naming it. The base forms live in
``geo/data/gazetteer/demonyms.yaml`` (English adjective, French masculine
singular, from a published list); this module adds their inflections —
French feminine and plural, English plural — and indexes every form by its
normalized key (:func:`geo.gazetteer.normalize.normalize`).

Demonyms are kept apart from place names: they tell which countries a text
is about, they are not places themselves.

Examples
--------
>>> d = default_demonyms()
>>> d.country("nord-coréennes"), d.country("North Koreans"), d.country("russes")
('KP', 'KP', 'RU')
>>> d.country("Kursk") is None
True
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from geo.errors import InputError
from geo.gazetteer.normalize import normalize
from geo.resources import data_dir

__all__ = ["Demonyms", "default_demonyms", "inflect_fr", "inflect_en"]

DEFAULT_PATH = data_dir() / "gazetteer" / "demonyms.yaml"


def inflect_fr(word: str) -> list[str]:
    """French masculine singular adjective → its four forms (fewer when some coincide).

    >>> inflect_fr("iranien"), inflect_fr("russe"), inflect_fr("turc")
    (['iranien', 'iraniens', 'iranienne', 'iraniennes'], ['russe', 'russes'], \
['turc', 'turcs', 'turque', 'turques'])
    >>> inflect_fr("chinois"), inflect_fr("américain")
    (['chinois', 'chinoise', 'chinoises'], ['américain', 'américains', 'américaine', 'américaines'])
    """
    w = word.strip()
    if w.endswith("e"):
        return [w, w + "s"]
    if w.endswith(("s", "x")):
        return [w, w + "e", w + "es"]
    if w.endswith("c"):
        return [w, w + "s", w[:-1] + "que", w[:-1] + "ques"]
    if w.endswith("en"):
        return [w, w + "s", w + "ne", w + "nes"]
    return [w, w + "s", w + "e", w + "es"]


def inflect_en(word: str) -> list[str]:
    """English adjective of nationality → itself and, when nouns take one, its plural.

    >>> inflect_en("North Korean"), inflect_en("Chinese"), inflect_en("British")
    (['North Korean', 'North Koreans'], ['Chinese'], ['British'])
    """
    w = word.strip()
    if w.endswith(("ese", "sh", "ch", "ss", "s")):
        return [w]
    return [w, w + "s"]


@dataclass(frozen=True, eq=False)  # hashed by identity: a cache key
class Demonyms:
    """Normalized demonym forms → ISO2, per language.

    ``en`` forms are only read as demonyms when capitalized (English writes
    them so); ``fr`` forms in any case (French writes adjectives in lower case).
    """

    forms: dict[str, tuple[str, str]]  # key → (country, language)

    def country(self, text: str) -> str | None:
        """The country a demonym points to, or ``None``."""
        found = self.forms.get(normalize(text))
        return found[0] if found else None

    def language(self, key: str) -> str | None:
        """``"en"`` or ``"fr"`` for a normalized form, or ``None``."""
        found = self.forms.get(key)
        return found[1] if found else None

    def keys(self) -> list[str]:
        """Every normalized form, sorted."""
        return sorted(self.forms)

    @classmethod
    def load(cls, path: str | Path = DEFAULT_PATH) -> Demonyms:
        """Read a demonyms file and inflect its base forms.

        A form that two countries share is dropped: it points to no single place.

        Raises
        ------
        InputError
            Naming file, entry and field, when an entry is malformed.
        """
        path = Path(path)
        try:  # BaseLoader: "NO" is Norway, not false
            doc = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        except (OSError, yaml.YAMLError) as exc:
            raise InputError(f"cannot read demonyms: {exc}", file=str(path)) from None
        entries = doc.get("demonyms") if isinstance(doc, dict) else None
        if not isinstance(entries, list):
            raise InputError("expected a mapping with a 'demonyms' list", file=str(path))
        seen: dict[str, set[tuple[str, str]]] = {}
        for i, entry in enumerate(entries, start=1):
            record = f"demonym {i}"
            if not isinstance(entry, dict):
                raise InputError(
                    f"expected a mapping, got {entry!r}", file=str(path), record=record
                )
            country = entry.get("country")
            if not (isinstance(country, str) and len(country) == 2 and country.isupper()):
                raise InputError(
                    f"expected an ISO 3166-1 alpha-2 code, got {country!r}",
                    file=str(path),
                    record=record,
                    field="country",
                )
            for lang, inflect in (("en", inflect_en), ("fr", inflect_fr)):
                words = entry.get(lang) or []
                if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                    raise InputError(
                        f"expected a list of words, got {words!r}",
                        file=str(path),
                        record=f"{record} ({country})",
                        field=lang,
                    )
                excluded = {normalize(x) for x in entry.get("except") or []}
                for form in (f for w in words for f in inflect(w)):
                    key = normalize(form)
                    if key and key not in excluded:
                        seen.setdefault(key, set()).add((country, lang))
        forms = {}
        for key, found in seen.items():
            countries = {c for c, _ in found}
            if len(countries) == 1:
                # A form used in both languages reads as French (any case).
                lang = "fr" if any(lg == "fr" for _, lg in found) else "en"
                forms[key] = (countries.pop(), lang)
        return cls(forms)


@functools.cache
def default_demonyms() -> Demonyms:
    """The demonyms of ``geo/data/gazetteer/demonyms.yaml``, loaded once."""
    return Demonyms.load()
