"""What a read reports besides its events: the records it skipped and the doubts it has.

A reader never stops at a bad record. It skips it and lists it as
:class:`Rejected` (file, record, field and what was found and expected), so
``len(events) + len(events.attrs["rejected"]) == events.attrs["records"]``.
An event placed with a doubt the user must see (coordinates outside the
country its row names, a coarser place than the one it names) is kept and
listed as :class:`Flagged`. ``strict`` reads turn the first rejection back
into the :class:`~geo.errors.InputError` it stands for.

>>> r = Rejected("a.csv", "row 3 ('UKR2')", "event_date", "expected a date, got 'soon'")
>>> str(r)
"a.csv: row 3 ('UKR2'): event_date: expected a date, got 'soon'"
>>> Rejected.from_error(r.error()) == r
True
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from geo.errors import InputError

__all__ = ["Rejected", "Flagged", "REPORT_FIELDS"]

#: The fields of a rejection or flag, as CSV columns and dict keys.
REPORT_FIELDS = ("file", "record", "field", "reason")


@dataclass(frozen=True)
class _Located:
    file: str | None
    record: str | None
    field: str | None
    reason: str

    def __str__(self) -> str:
        return str(self.error())

    def error(self) -> InputError:
        """The located error this entry stands for (``file: record: field: reason``)."""
        return InputError(self.reason, file=self.file, record=self.record, field=self.field)

    @classmethod
    def from_error(cls, exc: InputError):
        return cls(exc.file, exc.record, exc.field, exc.reason)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Rejected(_Located):
    """A record that was skipped: where it is and why."""


@dataclass(frozen=True)
class Flagged(_Located):
    """An event that was placed, with a doubt shown on its popup and listed."""
