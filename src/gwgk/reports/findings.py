"""What the reports need from one unit as of a day, from one pass of the assessment: its overdue
and lagging items (for 回头看) and its counts for the year-end report. Pure: no I/O, no clock.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from pydantic import BaseModel

from gwgk.catalogue.model import ROLE_LABELS, Catalogue
from gwgk.entries.model import Ledger
from gwgk.files.trusted import built
from gwgk.judge.assessment import STATE_LABELS, TaskAssessment
from gwgk.judge.fast import Judge
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
    """One unit as of ``as_of``."""

    unit: str
    as_of: dt.date
    items: list[OverdueItem]  # overdue, then lagging; worst first
    summary: UnitSummary
    tasks: list[int]  # every task the unit owes, in task order
    behind: list[TaskTally]  # the tasks with anything overdue or lagging, in task order


def unit_findings(catalogue: Catalogue, unit: str, ledger: Ledger | None, as_of: dt.date) -> UnitFindings:
    """The findings of one unit as of ``as_of`` (an absent ledger has recorded nothing): the reference,
    from the ``Ledger``; reports use ``judged_findings``, which gives the same from the cached data."""
    return findings_from(unit, assess_unit(catalogue, unit, ledger, as_of), as_of, catalogue.plan.year)


def judged_findings(judge: Judge, unit: str, data: dict[str, Any] | None) -> UnitFindings:
    """What ``unit_findings`` gives, from the ledger's plain data (None: no ledger) and the fast
    judgement (``judge.fast``) as of its day."""
    return findings_from(unit, judge.unit(unit, data), judge.as_of, judge.catalogue.plan.year)


def findings_from(unit: str, assessed: list[TaskAssessment], as_of: dt.date, plan: int | None) -> UnitFindings:
    """The findings of one unit from its tasks judged as of ``as_of`` (``plan``: the plan's year)."""
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
            # built, not validated: every value comes from validated data (a province has 160,000 items)
            items.append(built(OverdueItem, {
                "unit": unit, "plan": plan, "task": a.task.id, "title": a.task.title, "instance": x.instance.key,
                "due": x.due, "original_due": x.original_due, "extended": x.extended,
                "days_overdue": x.days_overdue or 0, "idle_days": x.idle_days, "state": x.state,
                "state_label": STATE_LABELS[x.state], "role": a.role, "role_label": ROLE_LABELS[a.role], "duty": a.duty,
                "last_progress": x.last_progress, "last_note": x.last_note,
            }))
        if overdue or lagging:
            behind.append(TaskTally(a.task.id, overdue, lagging))
    items.sort(key=lambda i: (i.state != "overdue", -(i.days_overdue or i.idle_days or 0), i.task, i.instance))
    summary = UnitSummary(
        unit=unit, owed=counts["owed"], done_on_time=counts["done"], done_late=counts["done_late"],
        overdue=counts["overdue"], lagging=counts["lagging"], not_applicable=counts["not_applicable"],
        on_time_rate=on_time_rate(counts["done"], counts["owed"], counts["not_applicable"]),
        submitted=counts["submitted"],
    )
    return UnitFindings(unit=unit, as_of=as_of, items=items, summary=summary,
                        tasks=[ta.assignment.task.id for ta in assessed], behind=behind)
