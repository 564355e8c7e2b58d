"""What the reports need from one unit as of a day, from one pass of the assessment: its overdue
and lagging items (for 回头看) and its counts for the year-end report. Pure: no I/O, no clock.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any, NamedTuple

from pydantic import BaseModel

from gwgk.catalogue.model import ROLE_LABELS, Catalogue
from gwgk.entries.model import Ledger
from gwgk.files.trusted import built
from gwgk.judge.assessment import STATE_LABELS, TaskAssessment
from gwgk.judge.timeline import DayJudge, Memo
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
    from the ``Ledger``; reports use ``timeline_findings``, which gives the same from a timeline."""
    return findings_from(unit, assess_unit(catalogue, unit, ledger, as_of), as_of, catalogue.plan.year)


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


# The compact form of a unit's findings, what the timeline judgement gives, a forked worker sends
# back and the findings of a day are remembered as: [unit, item rows, counts, tasks, behind], an
# item row [task, instance, due, original_due, extended, days_overdue, idle_days, state, role, duty,
# last_progress, last_note] (dates as ISO text), the counts those of ``UnitSummary`` in its order.
_COUNTED = ("done", "done_late", "overdue", "not_applicable", "submitted")


def timeline_findings(judge: DayJudge, unit: str, timeline: list[list[Any]]) -> list[Any]:
    """The findings of ``unit`` as of the judge's day, in the compact form, from its timeline
    (``judge.timeline``): ``encoded(unit_findings(...))``."""
    today, iso = judge.today, _ISO
    rows: list[list[Any]] = []
    behind: list[list[int]] = []
    counts = dict.fromkeys(("owed", *_COUNTED, "lagging"), 0)
    tasks = []
    for owing, judged in judge.unit(unit, timeline):
        task = owing.task.id
        a = None
        tasks.append(task)
        overdue = lagging = 0
        for key, state, days, idle, due, original, last, note in judged:
            if (due is not None and due <= today) or state == "done" or state == "done_late":
                counts["owed"] += 1
                if state in _COUNTED:
                    counts[state] += 1
            if state == "overdue":
                overdue += 1
            elif state == "lagging":
                lagging += 1
                counts["lagging"] += 1
            else:
                continue
            if a is None:
                a = owing.assignment(unit)  # built only for a task that has items
            rows.append([task, key, iso[due], iso[original], original is not None, days or 0, idle, state, a.role, a.duty,
                         iso[last], note])
        if overdue or lagging:
            behind.append([task, overdue, lagging])
    rows.sort(key=lambda r: (r[7] != "overdue", -(r[5] or r[6] or 0), r[0], r[1]))
    return [unit, rows, [counts["owed"], counts["done"], counts["done_late"], counts["overdue"], counts["lagging"],
                         counts["not_applicable"], counts["submitted"]], tasks, behind]


_ISO = Memo(lambda number: dt.date.fromordinal(number).isoformat())  # ISO text by day number


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


_parsed = functools.lru_cache(maxsize=4096)(dt.date.fromisoformat)  # a province's items share a few hundred dates


def _day(text: str | None) -> dt.date | None:
    return None if text is None else _parsed(text)


def _row(item: OverdueItem) -> list[Any]:
    return [item.task, item.instance, _iso(item.due), _iso(item.original_due), item.extended, item.days_overdue,
            item.idle_days, item.state, item.role, item.duty, _iso(item.last_progress), item.last_note]


def _item(row: list[Any], unit: str, catalogue: Catalogue) -> OverdueItem:
    task, instance, due, original_due, extended, days, idle, state, role, duty, progress, note = row
    return built(OverdueItem, {
        "unit": unit, "plan": catalogue.plan.year, "task": task, "title": catalogue.tasks[task].title, "instance": instance,
        "due": _day(due), "original_due": _day(original_due), "extended": extended, "days_overdue": days,
        "idle_days": idle, "state": state, "state_label": STATE_LABELS[state], "role": role,
        "role_label": ROLE_LABELS[role], "duty": duty, "last_progress": _day(progress), "last_note": note,
    })


def encoded(found: UnitFindings) -> list[Any]:
    """``found`` in the compact form."""
    s = found.summary
    return [found.unit, [_row(i) for i in found.items],
            [s.owed, s.done_on_time, s.done_late, s.overdue, s.lagging, s.not_applicable, s.submitted],
            found.tasks, [list(t) for t in found.behind]]


def decoded(data: list[Any], catalogue: Catalogue, as_of: dt.date) -> UnitFindings:
    """The findings in the compact form ``data`` (titles and labels looked up again); an exception
    for data of another shape."""
    unit, items, counts, tasks, behind = data
    owed, done, late, overdue, lagging, na, submitted = counts
    summary = built(UnitSummary, {
        "unit": unit, "owed": owed, "done_on_time": done, "done_late": late, "overdue": overdue, "lagging": lagging,
        "not_applicable": na, "on_time_rate": on_time_rate(done, owed, na), "submitted": submitted,
    })
    return built(UnitFindings, {
        "unit": unit, "as_of": as_of, "items": [_item(row, unit, catalogue) for row in items], "summary": summary,
        "tasks": tasks, "behind": [TaskTally(t, o, g) for t, o, g in behind],
    })
