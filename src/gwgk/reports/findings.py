"""What the reports need from one unit as of a day, from one pass of the assessment: its overdue
and lagging items (for 回头看), its counts for the year-end report, and the window of as-of days
over which all of it holds (with each item one day more overdue a day). Pure: no I/O, no clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from pydantic import BaseModel

from gwgk.catalogue.model import ROLE_LABELS, Catalogue
from gwgk.entries.history import entry_days
from gwgk.entries.model import Ledger, LedgerLookup
from gwgk.judge.assessment import STATE_LABELS, stable_window
from gwgk.reports.ledger import assess_unit
from gwgk.reports.overdue import OverdueItem


class UnitSummary(BaseModel):
    """One unit's year: instances owed by the date and what became of them."""

    unit: str
    owed: int
    done_on_time: int
    done_late: int
    overdue: int
    lagging: int
    not_applicable: int
    on_time_rate: float | None
    submitted: int = 0  # 待审核: reported done, awaiting the office's review


def on_time_rate(on_time: int, owed: int, na: int) -> float | None:
    """The share done on time of what was owed and applied (None when nothing did)."""
    counted = owed - na
    return round(on_time / counted, 4) if counted > 0 else None


class TaskTally(NamedTuple):
    """How many instances of one task the unit has overdue and lagging (a named tuple: a province
    has a hundred thousand of them to read back)."""

    task: int
    overdue: int
    lagging: int


class UnitFindings(BaseModel):
    """One unit as of ``as_of``; valid for as-of days in ``[valid_from, valid_until)``."""

    unit: str
    as_of: dt.date
    valid_from: dt.date | None
    valid_until: dt.date | None
    items: list[OverdueItem]  # overdue, then lagging; worst first
    summary: UnitSummary
    tasks: list[int]  # every task the unit owes, in task order
    behind: list[TaskTally]  # the tasks with anything overdue or lagging, in task order

    def holds_on(self, day: dt.date) -> bool:
        """Whether these findings hold on ``day`` (with ``days_overdue`` counted on to it)."""
        return within(day, self.valid_from, self.valid_until)


def within(day: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    """Whether ``day`` is in ``[start, end)`` (None: no bound)."""
    return (start is None or start <= day) and (end is None or day < end)


def unit_findings(catalogue: Catalogue, unit: str, ledger: Ledger | None, as_of: dt.date) -> UnitFindings:
    """The findings of one unit as of ``as_of`` (an absent ledger has recorded nothing)."""
    assessed = assess_unit(catalogue, unit, ledger, as_of)
    items: list[OverdueItem] = []
    behind: list[TaskTally] = []
    counts = dict.fromkeys(("owed", "done", "done_late", "overdue", "lagging", "not_applicable", "submitted"), 0)
    for ta in assessed:
        a = ta.assignment
        overdue = lagging = 0
        for x in ta.assessed:
            # owed: came due by the date, or already done; 长期/不定期 are never "owed" counts
            if (x.due is not None and x.due <= as_of) or x.state in ("done", "done_late"):
                counts["owed"] += 1
                if x.state in ("done", "done_late", "overdue", "not_applicable", "submitted"):
                    counts[x.state] += 1
            if x.state == "lagging":
                counts["lagging"] += 1
            if x.state not in ("overdue", "lagging"):
                continue
            if x.state == "overdue":
                overdue += 1
            else:
                lagging += 1
            items.append(OverdueItem(
                unit=unit, plan=catalogue.plan.year, task=a.task.id, title=a.task.title, instance=x.instance.key, due=x.due,
                original_due=x.original_due, extended=x.extended, days_overdue=x.days_overdue or 0, idle_days=x.idle_days,
                state=x.state, state_label=STATE_LABELS[x.state], role=a.role, role_label=ROLE_LABELS[a.role],
                duty=a.duty, last_progress=x.last_progress, last_note=x.last_note,
            ))
        if overdue or lagging:
            behind.append(TaskTally(a.task.id, overdue, lagging))
    items.sort(key=lambda i: (i.state != "overdue", -(i.days_overdue or i.idle_days or 0), i.task, i.instance))
    summary = UnitSummary(
        unit=unit, owed=counts["owed"], done_on_time=counts["done"], done_late=counts["done_late"],
        overdue=counts["overdue"], lagging=counts["lagging"], not_applicable=counts["not_applicable"],
        on_time_rate=on_time_rate(counts["done"], counts["owed"], counts["not_applicable"]),
        submitted=counts["submitted"],
    )
    # an entry entered on another day changes what is known: each such day bounds the window
    start, end = stable_window(assessed, as_of, entry_days(ledger) if ledger else ())
    return UnitFindings(unit=unit, as_of=as_of, valid_from=start, valid_until=end, items=items, summary=summary,
                        tasks=[ta.assignment.task.id for ta in assessed], behind=behind)


def all_findings(catalogue: Catalogue, ledgers: LedgerLookup, as_of: dt.date, units: Iterable[str]) -> Iterator[UnitFindings]:
    """The findings of each of ``units`` in turn, each judged from its ledger."""
    for unit in units:
        yield unit_findings(catalogue, unit, ledgers.get(unit), as_of)
