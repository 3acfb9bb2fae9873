"""The word lists of the extractor (``geo/data/extract/``), loaded once and normalized."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from geo.errors import InputError
from geo.gazetteer.normalize import normalize
from geo.resources import extract_dir

DATA = extract_dir()

_SECTIONS = ("function_words", "months", "weekdays", "titles", "person_names", "after_place")


@dataclass(frozen=True, eq=False)  # hashed by identity: a cache key
class Lexicon:
    """Normalized word sets; see ``geo/data/extract/stopwords.yaml`` for what each is for."""

    function_words: frozenset[str]
    months: frozenset[str]
    weekdays: frozenset[str]
    titles: frozenset[str]
    person_names: frozenset[str]
    after_place: frozenset[str]
    common_words: frozenset[str]
    acronyms: tuple[str, ...]

    @property
    def never_places(self) -> frozenset[str]:
        """Words that are never read as a place, whatever their case."""
        return self.function_words | self.months | self.weekdays | self.person_names

    @classmethod
    def load(cls, directory: str | Path = DATA) -> Lexicon:
        """Read ``stopwords.yaml`` and ``common_words.txt`` from ``directory``.

        Raises
        ------
        InputError
            Naming the file and section when a list is missing or malformed.
        """
        directory = Path(directory)
        path = directory / "stopwords.yaml"
        try:  # BaseLoader: every word is text ("on", "no" are not booleans)
            doc = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        except (OSError, yaml.YAMLError) as exc:
            raise InputError(f"cannot read the stop lists: {exc}", file=str(path)) from None
        if not isinstance(doc, dict):
            raise InputError("expected a mapping of word lists", file=str(path))
        sets = {}
        for section in (*_SECTIONS, "acronyms"):
            value = doc.get(section)
            if isinstance(value, dict):  # per language
                value = [w for words in value.values() for w in (words or [])]
            if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
                raise InputError(
                    f"expected a list of words (or one list per language), got {value!r}",
                    file=str(path),
                    field=section,
                )
            sets[section] = value
        common_path = directory / "common_words.txt"
        try:
            lines = common_path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise InputError(
                f"cannot read the common words: {exc}", file=str(common_path)
            ) from None
        common = frozenset(normalize(w) for w in lines if w.strip() and not w.startswith("#"))
        return cls(
            **{s: frozenset(k for w in sets[s] if (k := normalize(w))) for s in _SECTIONS},
            common_words=common,
            acronyms=tuple(w.strip() for w in sets["acronyms"]),
        )


@functools.cache
def default_lexicon() -> Lexicon:
    """The lists shipped in ``geo/data/extract/``, loaded once."""
    return Lexicon.load()
