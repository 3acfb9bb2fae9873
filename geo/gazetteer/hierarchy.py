"""A place name inside its admin units inside its country, and the fallbacks.

Exports without coordinates name a location and the units that hold it
(ACLED: location, admin3, admin2, admin1, country). :class:`Search` asks the
geocoder for the name in the country (a constraint: nothing outside it is ever
returned), keeps the candidates inside the most specific unit the geocoder
knows, and, if none is, places the query at that unit, then at the country,
saying so in a flag.

Units are taken as ``admin1`` for the last name of ``within``, ``admin2`` for
the one before, and so on. The offline gazetteer's areas are Natural Earth
admin-1 units: what a country calls its first level for most (Ukraine's
oblasts), its second for some (Burkina Faso's 45 provinces, ACLED's admin2,
where ACLED's admin1 is the 13 regions). A unit is known when its name is an
area of the gazetteer in the country (and inside the coarser known unit); the
others are named in the flag of a fallback. An area is a known unit's polygon:
its precision is the unit's level (admin3 and finer count as admin2, the finest
:data:`geo.model.PRECISIONS` has).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import shapely

from geo.errors import brief
from geo.model import Place

__all__ = ["Search", "Answer"]

#: How many candidates of a name in a country are looked through for one inside
#: an admin unit (a country may have many villages of one name).
CANDIDATES = 10
#: How many are looked through when the first ten are all outside the unit
#: (Ukraine has dozens of Ivanivkas).
MORE_CANDIDATES = 200
#: A candidate this close to a unit (in degrees, ~5 km) counts as inside it:
#: GeoNames points and the simplified Natural Earth outlines disagree near borders.
AREA_TOLERANCE_DEG = 0.05


@dataclass(frozen=True)
class Answer:
    """What a query resolved to (``place`` None: unresolved, ``flag`` says why)."""

    place: Place | None
    geometry: object = None
    precision: str = ""
    flag: str | None = None
    runner_up: Place | None = None


@dataclass(frozen=True)
class _Unit:
    """An admin unit named by the data: its name, level and, if known, area."""

    name: str
    level: str
    area: Place | None = None


class Search:
    """Resolve ``(name, within, country)`` queries against ``geocoder``.

    Parameters
    ----------
    geocoder : Geocoder
        Needs ``geocode(name, country_hint=)`` and ``geometry(place)``; its
        ``candidates`` (for runners-up and the search inside units) and
        ``country_code`` are used when it has them.
    fallback : bool
        Whether a name not found is placed at its unit or country (flagged)
        instead of unresolved.
    """

    def __init__(self, geocoder, *, fallback: bool = True):
        self.geocoder = geocoder
        self.fallback = fallback
        self._candidates = getattr(geocoder, "candidates", None)
        self._offline = getattr(geocoder, "name", "") == "offline"
        self._gazetteer = geocoder if hasattr(geocoder, "country_code") else None
        self._countries: dict = {}
        self._areas: dict[tuple[str, str | None], Place | None] = {}
        self._shapes: dict[str, object] = {}
        self._country_places: dict[str, Place | None] = {}
        self._in_region = getattr(geocoder, "in_region", None)

    # ------------------------------------------------------------------ lookups

    @property
    def gazetteer(self):
        """The offline gazetteer: the geocoder if it is one, else the default."""
        if self._gazetteer is None:
            from geo.gazetteer.core import default_gazetteer

            self._gazetteer = default_gazetteer()
        return self._gazetteer

    def country(self, text) -> str | None:
        """The ISO2 code of a country as the data names it (cached)."""
        key = text if isinstance(text, (str, int)) else str(text)
        if key not in self._countries:
            self._countries[key] = self.gazetteer.country_code(text)
        return self._countries[key]

    def candidates(self, name: str, iso: str | None, k: int, kind: str | None = None):
        """Places ``name`` may be, in country ``iso`` only, best first."""
        if not name.strip():
            return []
        if self._candidates is not None:
            options: dict = {"k": k}
            if iso:
                options["country_hint"] = iso
            if kind:
                options["kind"] = kind
            found = self._candidates(name, **options)
        else:
            place = self.geocoder.geocode(name, country_hint=iso)
            found = [] if place is None else [place]
        if kind:
            found = [p for p in found if p.kind == kind]
        if iso:  # whatever the geocoder does with a hint, the country is a constraint
            found = [p for p in found if p.country == iso]
        return found

    def area(self, name: str, iso: str | None) -> Place | None:
        """The area (a region of the geocoder) of a unit's name in a country."""
        key = (name, iso)
        if key not in self._areas:
            found = self.candidates(name, iso, 1, kind="region")
            self._areas[key] = found[0] if found else None
        return self._areas[key]

    def geometry(self, place: Place):
        return self.geocoder.geometry(place)

    def inside(self, area: Place, place: Place) -> bool:
        """Whether ``place`` lies in ``area``: by the gazetteer's admin-1 codes when
        both are its own and the codes say so, else by the area's outline (within
        :data:`AREA_TOLERANCE_DEG`). Either will do: GeoNames codes a Kyiv quarter
        to Kyiv Oblast whose Natural Earth outline leaves the city out, and a curated
        place has no code."""
        if self._in_region is not None and self._in_region(area, place):
            return True
        shape = self._shapes.get(area.id)
        if shape is None:
            shape = self._shapes[area.id] = self.geometry(area)
            shapely.prepare(shape)
        point = shapely.Point(place.lon, place.lat)
        return bool(shapely.dwithin(shape, point, AREA_TOLERANCE_DEG))

    def country_place(self, iso: str) -> Place | None:
        """The country of an ISO2 code (``None`` for a territory Natural Earth
        draws inside another country)."""
        if iso not in self._country_places:
            found = self.gazetteer.geocode(f"iso:{iso}")
            ok = found is not None and found.kind == "country"
            self._country_places[iso] = found if ok else None
        return self._country_places[iso]

    # ------------------------------------------------------------------ resolving

    def resolve(self, name: str, within: tuple[str, ...], country) -> Answer:
        """The answer to one query (see the module docstring)."""
        iso = None
        if not _blank(country):
            iso = self.country(country)
            if iso is None:
                return Answer(
                    None,
                    flag=f"the country {brief(country)} is not one the gazetteer knows, so "
                    f"{brief(name)} could not be looked for in it",
                )
        units = _units(within)
        if not units:
            found = self.candidates(name, iso, 2)
            if found:
                return self._found(found, [])
            return self._coarser(name, iso, [], [])
        self._read_units(units, iso)
        known = [u for u in units if u.area is not None]
        found = self.candidates(name, iso, CANDIDATES)
        outside: list[Place] = []
        if known:
            target = known[0].area
            inside = self._inside(target, found)
            if not inside and len(found) == CANDIDATES:  # a common name: look further
                found = self.candidates(name, iso, MORE_CANDIDATES)
                inside = self._inside(target, found)
            outside = [p for p in found if p not in inside and p.kind != "country"]
            found = inside
        if found:
            flag = None
            if not known and len(found) > 1:
                many = f"{len(found)} or more" if len(found) == CANDIDATES else str(len(found))
                flag = (
                    f"one of {many} places named {brief(name)}"
                    + (f" in {self._label(iso)}" if iso else "")
                    + ", which its admin units could not tell apart: "
                    + self._no_area(units)
                )
            return self._found(found, known, flag)
        return self._coarser(name, iso, units, outside)

    def _inside(self, area: Place, found: list[Place]) -> list[Place]:
        return [p for p in found if p.kind != "country" and self.inside(area, p)]

    def _read_units(self, units: list[_Unit], iso: str | None) -> None:
        """Set the area of each unit the geocoder knows, coarsest first: a unit's
        area must lie inside the coarser known one and differ from it."""
        container: Place | None = None
        for i in range(len(units) - 1, -1, -1):
            area = self.area(units[i].name, iso)
            if area is not None and container is not None:
                if area.id == container.id or not self.inside(container, area):
                    area = None  # the coarser unit itself, or a namesake elsewhere
            if area is not None:
                units[i] = replace(units[i], area=area)
                container = area

    def _found(self, found: list[Place], known: list[_Unit], flag: str | None = None) -> Answer:
        best = found[0]
        precision = next(
            (_precision(u.level) for u in known if u.area.id == best.id), ""
        )  # a unit itself: its level
        return Answer(
            best, self.geometry(best), precision, flag, found[1] if len(found) > 1 else None
        )

    def _coarser(self, name: str, iso: str | None, units: list[_Unit], outside) -> Answer:
        """Placed at the most specific known unit, else the country; or unresolved."""
        known = [u for u in units if u.area is not None]
        at = known[0] if known else None
        if at is not None and not name.strip():  # nothing asked below the unit
            place = replace(at.area, query=name)
            return Answer(place, self.geometry(at.area), _precision(at.level))
        country = self.country_place(iso) if iso else None
        if not self.fallback or (at is None and country is None):
            return Answer(None, flag=self._not_found(name, iso, units, at))
        finer = [u for u in units if u.area is None and (at is None or _finer(u, at))]
        if at is not None:
            place, level, where = at.area, at.level, at.area.name
        else:
            place, level, where = country, "country", country.name
        what = f"{brief(name)} was not found in it" if name.strip() else "no location was given"
        notes = []
        if outside and at is not None:
            n = len(outside)
            notes.append(
                f"{n} place{'s' if n > 1 else ''} of that name in {self._label(iso)} "
                f"{'lie' if n > 1 else 'lies'} outside it"
            )
        if finer:
            notes.append(self._no_area(finer, None if at is not None else where))
        flag = f"placed at {where} ({level}): {what}" + "".join(f"; {n}" for n in notes)
        return Answer(
            replace(place, query=name, score=0.0),  # placed, not matched
            self.geometry(place),
            "country" if at is None else _precision(level),
            flag,
            outside[0] if outside else None,
        )

    def _not_found(self, name: str, iso: str | None, units: list[_Unit], at) -> str | None:
        """Why a query is unresolved, or None for a plain name the geocoder lacks."""
        if iso is None and at is None:
            return f"no place {brief(name)}, nor area {_listing(units)}" if units else None
        where = f"{at.area.name} ({at.level}), " if at is not None else ""
        return f"no place {brief(name)} in {where}{self._label(iso)}"

    def _label(self, iso: str | None) -> str:
        if iso is None:
            return "any country"
        country = self.country_place(iso)
        return country.name if country is not None else iso

    def _no_area(self, units: list[_Unit], where: str | None = None) -> str:
        """``the offline gazetteer has no area 'Sahel' (admin1) in Burkina Faso: ...``."""
        who = "the offline gazetteer" if self._offline else "the geocoder"
        text = f"{who} has no area {_listing(units)}" + (f" in {where}" if where else "")
        if self._offline:
            text += ": its areas are Natural Earth's admin-1 units"
        return text


def _blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    return isinstance(value, str) and not value.strip()


def _units(within) -> list[_Unit]:
    """The admin units of ``within`` (most specific first), blanks left out; the
    last is admin1, the one before admin2..."""
    names = [w.strip() for w in within if isinstance(w, str) and w.strip()]
    return [_Unit(w, f"admin{len(names) - i}") for i, w in enumerate(names)]


def _finer(unit: _Unit, than: _Unit) -> bool:
    return int(unit.level[5:]) > int(than.level[5:])


def _precision(level: str) -> str:
    """An event's precision at a unit of ``level``: admin1, else admin2 (the finest)."""
    return "admin1" if level == "admin1" else "admin2"


def _listing(units: list[_Unit]) -> str:
    """``'Gorom-Gorom' (admin3) nor 'Sahel' (admin1)``."""
    return " nor ".join(f"{brief(u.name)} ({u.level})" for u in units)
