"""The 回头看 report model: every overdue or lagging instance of every unit in scope, as of a date.

A unit without a ledger has recorded nothing, so it owes everything: it is never "clean" by absence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pydantic import BaseModel

from .assessment import STATE_LABELS, stable_window
from .catalogue import ROLE_LABELS, Catalogue
from .ledger import Ledger, LedgerLookup
from .ledger_report import assess_unit


class OverdueItem(BaseModel):
    """One overdue (red) or lagging (yellow) instance."""

    unit: str
    task: int
    title: str
    instance: str
    due: dt.date | None
    original_due: dt.date | None = None
    extended: bool = False
    days_overdue: int
    state: str
    state_label: str
    role: str
    role_label: str
    duty: str
    last_progress: dt.date | None = None
    last_note: str | None = None


class UnitCount(BaseModel):
    """How many overdue and lagging instances a unit has."""

    unit: str
    overdue: int
    lagging: int


class OverdueReport(BaseModel):
    """``gwgk overdue``."""

    as_of: dt.date
    items: list[OverdueItem]
    units: list[UnitCount]
    total_overdue: int
    total_lagging: int
    units_in_scope: int
    units_with_items: int


class UnitOverdue(BaseModel):
    """One unit's overdue and lagging instances as of ``as_of``, worst first, and the as-of dates
    ``[valid_from, valid_until)`` for which they stay the same but for one more day overdue a day."""

    unit: str
    as_of: dt.date
    valid_from: dt.date | None
    valid_until: dt.date | None
    items: list[OverdueItem]

    def holds_on(self, day: dt.date) -> bool:
        """Whether these findings hold on ``day`` (with ``days_overdue`` counted on to it)."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_until is None or day < self.valid_until)


def unit_overdue(catalogue: Catalogue, unit: str, ledger: Ledger | None, as_of: dt.date) -> UnitOverdue:
    """The overdue and lagging instances of one unit as of ``as_of``, worst first."""
    found = []
    assessed = assess_unit(catalogue, unit, ledger, as_of)
    for ta in assessed:
        a = ta.assignment
        for x in ta.assessed:
            if x.state not in ("overdue", "lagging"):
                continue
            found.append(OverdueItem(
                unit=unit, task=a.task.id, title=a.task.title, instance=x.instance.key, due=x.due,
                original_due=x.original_due, extended=x.extended, days_overdue=x.days_overdue or 0,
                state=x.state, state_label=STATE_LABELS[x.state], role=a.role, role_label=ROLE_LABELS[a.role],
                duty=a.duty, last_progress=x.last_progress, last_note=x.last_note,
            ))
    found.sort(key=lambda i: (i.state != "overdue", -i.days_overdue, i.task, i.instance))
    records = (r for entry in ledger.tasks for r in entry.records) if ledger else ()
    start, end = stable_window(assessed, records, as_of, catalogue.plan, catalogue.settings)
    return UnitOverdue(unit=unit, as_of=as_of, valid_from=start, valid_until=end, items=found)


def ranked(as_of: dt.date, by_unit: dict[str, list[OverdueItem]]) -> OverdueReport:
    """The report from each unit's items (in scope order): units with most overdue first."""
    order = {u: i for i, u in enumerate(by_unit)}

    def badness(unit: str) -> tuple[int, int, int, int]:
        items = by_unit[unit]
        overdue = [i for i in items if i.state == "overdue"]
        worst = max((i.days_overdue for i in overdue), default=0)
        return (-len(overdue), -worst, -len(items), order[unit])

    units = sorted(by_unit, key=badness)
    items = [item for unit in units for item in by_unit[unit]]
    counts = [
        UnitCount(unit=u, overdue=sum(i.state == "overdue" for i in by_unit[u]), lagging=sum(i.state == "lagging" for i in by_unit[u]))
        for u in units
    ]
    return OverdueReport(
        as_of=as_of, items=items, units=counts,
        total_overdue=sum(c.overdue for c in counts), total_lagging=sum(c.lagging for c in counts),
        units_in_scope=len(by_unit), units_with_items=sum(1 for c in counts if c.overdue or c.lagging),
    )


def overdue_report(catalogue: Catalogue, ledgers: LedgerLookup, as_of: dt.date, units: Iterable[str]) -> OverdueReport:
    """Overdue and lagging instances of ``units`` as of ``as_of``, grouped by unit, worst first."""
    return ranked(as_of, {unit: unit_overdue(catalogue, unit, ledgers.get(unit), as_of).items for unit in units})
