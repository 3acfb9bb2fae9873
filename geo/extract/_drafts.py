"""Draft events: one per sentence that reports an event, in the ``data/events`` schema.

A sentence carries an event when it has a trigger — a verb or noun of
deployment, loss, supply, technology transfer, treaty, recruitment or alliance
(French or English) — or a figure that counts troops, losses or materiel.
The kind is the one with most evidence (a figure's unit counts double).
The draft keeps the sentence as evidence (``description``), the article as
its source, the figures as quantities with their hedges, the sentence's date,
and its places: a flow (origin → destination) when the sentence says who
sends what where, else the places themselves. ``status: draft`` marks it for
a person to curate; ``notes`` says how it was drafted.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

from geo.extract._figures import unit_category
from geo.extract._model import Extraction, Mention
from geo.gazetteer.core import Gazetteer
from geo.gazetteer.normalize import normalize
from geo.model import Place

__all__ = ["draft_events", "document_id"]

# Trigger stems (prefixes of normalized words) per kind.
_TRIGGERS: dict[str, tuple[str, ...]] = {
    "deployment": (
        "deploi", "deploy", "envoy", "envoi", "send", "sent", "dispatch", "renfort",
        "reinforc", "arriv", "transit", "stationn", "combat", "fought", "fight", "battl",
        "troupe", "troop", "vague", "wave", "rejoin", "redeploy", "posted", "rotation",
    ),
    "casualties": (
        "perdu", "perte", "lost", "loss", "mort", "tue", "killed", "dead", "died", "blesse",
        "wounded", "casualt", "victime", "deces",
    ),
    "supply": (
        "fourni", "fourn", "suppl", "livr", "deliver", "shipment", "shipped", "cargaison",
        "approvisionn", "provid", "obus", "shell", "munition", "ammunition", "missile",
        "roquette", "rocket", "conteneur", "container", "wagon", "railcar", "provien",
        "export", "transport", "achemin",
    ),
    "technology_transfer": ("transfer", "technolog", "savoir faire", "know how"),
    "diplomacy": (
        "traite", "treaty", "ratifi", "accord", "agreement", "sign", "pacte", "pact",
        "partenariat", "partnership", "sommet", "summit",
    ),
    "recruitment": ("recrut", "recruit", "enrol", "enlist", "enrôl", "conscri", "mobilis"),
    "alliance": ("alliance", "axe", "axis", "allie", "ally", "allies", "coalition"),
}  # fmt: skip
_FIGURE_KIND = {"personnel": "deployment", "losses": "casualties", "materiel": "supply"}
_FLOW_KINDS = frozenset({"deployment", "supply", "technology_transfer"})
# Words that introduce the origin or the destination of a movement.
_FROM = re.compile(
    r"\b(?:depuis|from|out\s+of|en\s+provenance\s+d[e']|provenant\s+d[e']|proviennent\s+d[e']|"
    r"provient\s+d[e']|venant\s+d[e']|quitt\w*|left|leaving)\s*(?:la\s+|le\s+|l['’]|les\s+|the\s+)?$",
    re.IGNORECASE,
)
_TO = re.compile(
    r"\b(?:en|au|aux|à|vers|dans|jusqu['’]à|pour|to|into|towards?|in|reach\w*|rejoindre|"
    r"arriv\w*\s+(?:en|à|au|dans|in))\s*(?:la\s+|le\s+|l['’]|les\s+|the\s+|région\s+de\s+)?$",
    re.IGNORECASE,
)
#: Characters before a name read for the words of a movement ("en provenance de la").
_FLOW_WINDOW = 200
_ATTRIBUTION = re.compile(
    r"\b(?:selon|d['’]après|according\s+to|cited\s+by|citing)\b[^,.;:]*", re.IGNORECASE
)


def document_id(path: str, index: int) -> str:
    """An id for a document, from its file name (``dprk-russia-article-fr``)."""
    stem = re.sub(r"\.(txt|md|html?)$", "", path.rsplit("/", 1)[-1], flags=re.IGNORECASE)
    slug = re.sub(r"[^a-z0-9]+", "-", normalize(stem.replace(".", " "))).strip("-")[:48].strip("-")
    return slug or f"document-{index}"


def _kind(sentence_norm: str, figures) -> tuple[str | None, str | None]:
    """The kind a sentence reports and the word that said so."""
    votes: Counter = Counter()
    cue: dict[str, str] = {}
    for f in figures:
        category = unit_category(f.unit)
        if category:
            kind = _FIGURE_KIND[category]
            votes[kind] += 2
            cue.setdefault(kind, f.text)
    for word in sentence_norm.split():
        for kind, stems in _TRIGGERS.items():
            if word.startswith(stems):
                votes[kind] += 1
                cue.setdefault(kind, word)
    if not votes:
        return None, None
    order = list(_TRIGGERS)
    kind = max(votes, key=lambda k: (votes[k], -order.index(k)))
    return kind, cue[kind]


def _place_ref(place: Place, gazetteer: Gazetteer, cache: dict) -> str | dict:
    """How to write a place so that ``eventmap render`` finds the same one.

    Its name when the gazetteer resolves that name to it, else name and
    country, else its id.
    """
    if place.id not in cache:
        cache[place.id] = _ref(place, gazetteer)
    return cache[place.id]


def _ref(place: Place, gazetteer: Gazetteer) -> str | dict:
    found = gazetteer.geocode(place.name)
    if found is not None and found.id == place.id:
        return place.name
    if place.country:
        found = gazetteer.geocode(place.name, country_hint=place.country)
        if found is not None and found.id == place.id:
            return {"name": place.name, "country": place.country}
    return place.id


def _flow(text: str, sentence_start: int, mentions: list[Mention], origin_hint: Place | None):
    """``(origin, destination)`` of a movement sentence, or ``None``."""
    origin = destination = None
    for m in mentions:
        # The words just before the name; a bounded window, so that a sentence of
        # many names (a text without full stops) is not read again for each.
        before = text[max(sentence_start, m.start - _FLOW_WINDOW) : m.start]
        if origin is None and _FROM.search(before):
            origin = m.place
        elif destination is None and _TO.search(before):
            destination = m.place
    if origin is None and destination is not None:
        # The subject: a place named before the destination, or the troops' nationality.
        first = next((m.place for m in mentions if m.place.id != destination.id), None)
        if first is not None and mentions[0].place.id != destination.id:
            origin = first
        elif origin_hint is not None:
            origin = origin_hint
    if origin is not None and destination is None:
        destination = next((m.place for m in mentions if m.place.id != origin.id), None)
    if origin is None or destination is None or origin.id == destination.id:
        return None
    return origin, destination


def draft_events(
    extraction: Extraction, gazetteer: Gazetteer, *, doc_id: str, start_number: int = 1
) -> list[dict]:
    """Draft events from one document's extraction, as plain mappings in schema order.

    Parameters
    ----------
    extraction : Extraction
    gazetteer : Gazetteer
        Used to write places so that they resolve to the same place again.
    doc_id : str
        The document's id in the file's ``documents`` list.
    start_number : int
        Numbering of event ids, to keep them unique across documents.
    """
    text = extraction.text
    events: list[dict] = []
    previous: list[Mention] = []
    demonym_country: dict = {}
    refs_cache: dict = {}
    by_sentence = _by_sentence(extraction)
    for sent in extraction.sentences:
        found = by_sentence.get(sent.index, _NOTHING)
        mentions, figures, dates = found["mentions"], found["figures"], found["dates"]
        attributions = [
            (sent.start + a.start(), sent.start + a.end()) for a in _ATTRIBUTION.finditer(sent.text)
        ]
        # Attributions are disjoint and in order: the one before a mention is the only candidate.
        attributed = [s for s, _ in attributions]
        sourced, places = [], []
        for m in mentions:
            i = bisect.bisect_right(attributed, m.start) - 1
            (sourced if i >= 0 and m.start < attributions[i][1] else places).append(m)
        kind, cue = _kind(normalize(sent.text), figures)
        if kind is not None and _heading(sent.text) and not figures:
            kind = None  # a heading announces events; its sentences report them
        if kind is None:
            if places:
                previous = places
            continue
        actors = []
        for d in found["demonyms"]:
            place = demonym_country.get(d.country)
            if place is None:
                place = gazetteer.geocode(f"iso:{d.country}")
                demonym_country[d.country] = place
            if place is not None and place.name not in actors:
                actors.append(place.name)
        for m in places:
            if m.place.kind == "country" and m.place.name not in actors:
                actors.append(m.place.name)
        number = start_number + len(events)
        event: dict = {
            "id": f"{doc_id}-{number:03d}-{kind.replace('_', '-')}",
            "kind": kind,
            "title": _title(sent.text),
        }
        if dates:
            event["date"] = dates[0].value
        event["description"] = sent.text
        if actors:
            event["actors"] = actors
        notes = [
            f"Drafted by eventmap extract from sentence {sent.index + 1} "
            f"(characters {sent.start}-{sent.end}); kind guessed from {cue!r}."
        ]
        where = places or previous
        if not places and previous:
            notes.append("No place in the sentence: places taken from the previous one.")
        hint = _troops_nationality(found["demonyms"], figures, demonym_country)
        flow = _flow(text, sent.start, where, hint) if kind in _FLOW_KINDS and where else None
        if flow is not None:
            event["origin"] = _place_ref(flow[0], gazetteer, refs_cache)
            event["destination"] = _place_ref(flow[1], gazetteer, refs_cache)
        elif where:
            refs, seen = [], set()
            for m in where:  # one ref per place: _place_ref gives each place its own
                if m.place.id not in seen:
                    seen.add(m.place.id)
                    refs.append(_place_ref(m.place, gazetteer, refs_cache))
            event["place"] = refs[0] if len(refs) == 1 else refs
        if figures:
            event["quantities"] = [f.as_quantity() for f in figures]
        source = {"name": extraction.doc, "claim": sent.text, "document": doc_id}
        if sourced:
            source["place"] = _place_ref(sourced[0].place, gazetteer, refs_cache)
        event["sources"] = [source]
        event["status"] = "draft"
        if len(dates) > 1:
            notes.append("Other dates in the sentence: " + ", ".join(d.text for d in dates[1:]))
        event["notes"] = " ".join(notes)
        events.append(event)
        if places:
            previous = places
    return events


def _troops_nationality(demonyms, figures, places: dict) -> Place | None:
    """The country of the counted troops: "13 000 soldats nord-coréens" → North Korea."""
    starts = [d.start for d in demonyms]  # in text order
    for f in figures:
        if unit_category(f.unit) != "personnel":
            continue
        i = bisect.bisect_left(starts, f.start)  # the first demonym from the figure on
        if i < len(starts) and starts[i] <= f.end + 25:
            return places.get(demonyms[i].country)
    return None


_NOTHING: dict = {"mentions": [], "demonyms": [], "figures": [], "dates": []}


def _by_sentence(extraction: Extraction) -> dict[int, dict]:
    """:meth:`Extraction.in_sentence` of every sentence, in one pass over the document."""
    out: dict[int, dict] = {}
    for name in _NOTHING:
        for item in getattr(extraction, name):
            found = out.get(item.sentence)
            if found is None:
                found = out[item.sentence] = {k: [] for k in _NOTHING}
            found[name].append(item)
    return out


def _heading(sentence: str) -> bool:
    """A line without closing punctuation: a title or a heading."""
    return not sentence.rstrip().endswith((".", "!", "?", "…", "»", '"', "”", ")", ":"))


def _title(sentence: str, limit: int = 110) -> str:
    text = " ".join(sentence.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"
