"""The 回头看 report model: every overdue or lagging instance of every unit in scope, as of a date.

A unit without a ledger has recorded nothing, so it owes everything: it is never "clean" by absence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from pydantic import BaseModel

from gwgk.entries.closures import ClosureNote
from gwgk.errors import Problem
from gwgk.files.trusted import built


class OverdueItem(BaseModel):
    """One overdue (red) or lagging (yellow) instance."""

    unit: str
    plan: int | None = None  # the plan year the task is from
    task: int
    title: str
    instance: str
    due: dt.date | None
    original_due: dt.date | None = None
    extended: bool = False
    days_overdue: int  # 0 for a lagging item: lagging is not overdue
    idle_days: int | None = None  # lagging: days since the last progress (or since the plan's start)
    state: str
    state_label: str
    role: str
    role_label: str
    duty: str
    last_progress: dt.date | None = None
    last_note: str | None = None
    instance_label: str | None = None  # the instance in words: 2021年第三季度, an event's name and date


class UnitCount(BaseModel):
    """How many overdue and lagging instances a unit has, and (every plan covered added up) what it
    owed and what became of it: ``owed`` = ``done_on_time`` + ``done_late`` + ``overdue`` +
    ``submitted`` + ``not_applicable``, as in ``findings.UnitSummary``."""

    unit: str
    overdue: int
    lagging: int
    submitted: int = 0  # 待审核: reported done, awaiting review (not a problem of the unit)
    no_event: int = 0  # 未报送事件: event tasks with no event registered by the day the office set
    owed: int = 0
    done_on_time: int = 0
    done_late: int = 0
    not_applicable: int = 0
    not_due: int = 0


class BrokenLedger(BaseModel):
    """One problem of a ledger that could not be read, so its unit was not checked."""

    unit: str | None  # None: a ledger file that belongs to no unit of the catalogue
    file: str
    line: int | None
    column: int | None
    message: str


UNCHECKED = "台账有误，未核查"
_PARTS = ("owed", "done_on_time", "done_late", "not_applicable", "not_due")


def broken_ledgers(problems: Iterable[Problem], unit_of_file: Mapping[str, str]) -> list[BrokenLedger]:
    """The problems of broken ledgers, each with the unit whose ledger it is (by file name)."""
    return [BrokenLedger(unit=unit_of_file.get(p.file), file=p.file, line=p.line, column=p.column, message=p.message)
            for p in problems]


def unchecked_units(broken: Iterable[BrokenLedger]) -> list[str]:
    """The units not checked because their ledger is broken, each once, in the order named."""
    return list(dict.fromkeys(b.unit for b in broken if b.unit is not None))


class OverdueReport(BaseModel):
    """``gwgk overdue``."""

    as_of: dt.date
    plans: list[int] = []  # the plan years covered
    items: list[OverdueItem]
    units: list[UnitCount]
    total_overdue: int
    total_lagging: int
    total_submitted: int = 0
    total_no_event: int = 0
    total_owed: int = 0  # the units' counts added up (the 通报's 总体情况)
    total_done_on_time: int = 0
    total_done_late: int = 0
    total_not_applicable: int = 0
    total_not_due: int = 0
    units_in_scope: int
    units_with_items: int
    broken: list[BrokenLedger] = []  # named first; their units are in no other list
    closed: list[ClosureNote] = []  # plans the office closed (``gwgk plan close``): their items are not listed


def overdue_report(as_of: dt.date, by_unit: dict[str, list[OverdueItem]], submitted: Mapping[str, int] | None = None,
                   plans: list[int] | None = None, broken: list[BrokenLedger] | None = None,
                   parts: Mapping[str, tuple[int, int, int, int, int]] | None = None) -> OverdueReport:
    """The 回头看 from each unit's items (``findings.timeline_findings``, through ``remembered``),
    units in scope order: the units with the most overdue first, each unit's items worst first;
    ``submitted`` counts each unit's items awaiting review, ``plans`` are the plan years covered. ``broken`` names the ledgers that could
    not be read; their units are left out of ``by_unit`` by the caller. ``parts`` gives each unit's
    owed, done on time, done late, not applicable and not due (every plan covered added up)."""
    submitted = submitted or {}
    parts = parts or {}
    nothing = (0, 0, 0, 0, 0)
    tallies: dict[str, tuple[int, int, int, int]] = {}  # overdue, lagging, worst days overdue, scope order
    silent: dict[str, int] = {}
    for order, (unit, items) in enumerate(by_unit.items()):
        overdue = [i.days_overdue for i in items if i.state == "overdue"]
        tallies[unit] = (len(overdue), sum(i.state == "lagging" for i in items), max(overdue, default=0), order)
        silent[unit] = sum(i.state == "no_event" for i in items)
    units = sorted(by_unit, key=lambda u: (-tallies[u][0], -tallies[u][2], -len(by_unit[u]), tallies[u][3]))
    items = [item for unit in units for item in by_unit[unit]]
    # built, not validated: every count is computed here from validated items (a province has 10,000)
    counts = [built(UnitCount, {"unit": u, "overdue": tallies[u][0], "lagging": tallies[u][1], "submitted": submitted.get(u, 0),
                                "no_event": silent[u], **dict(zip(_PARTS, parts.get(u, nothing)))})
              for u in units]
    return OverdueReport(
        as_of=as_of, plans=plans or [], items=items, units=counts,
        total_overdue=sum(c.overdue for c in counts), total_lagging=sum(c.lagging for c in counts),
        total_submitted=sum(c.submitted for c in counts), total_no_event=sum(c.no_event for c in counts),
        **{f"total_{name}": sum(getattr(c, name) for c in counts) for name in _PARTS},
        units_in_scope=len(by_unit), units_with_items=sum(1 for c in counts if c.overdue or c.lagging or c.no_event),
        broken=broken or [],
    )
