"""What the reports need from one unit as of a day, from one pass of the assessment: its overdue
and lagging items (for 回头看) and its counts for the year-end report. Pure: no I/O, no clock.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any, NamedTuple

from pydantic import BaseModel

from gwgk.catalogue.model import ROLE_LABELS, Assignment, Catalogue
from gwgk.catalogue.plan import Task
from gwgk.entries.model import Ledger
from gwgk.files.trusted import built
from gwgk.judge.assessment import STATE_LABELS, Assessed
from gwgk.judge.timeline import DAY_NUMBERS, DayJudge, Judged, Memo
from gwgk.reports.ledger import assess_unit
from gwgk.reports.overdue import OverdueItem
from gwgk.reports.wording import instance_label


class UnitSummary(BaseModel):
    """One unit's year: instances owed by the date and what became of them.

    ``owed`` (应完成) is every instance whose due day has passed, and every one already settled
    (done, done late, awaiting review, not applicable) before it; it is exactly
    ``done_on_time + done_late + overdue + submitted + not_applicable``. ``not_due`` (未到期) counts
    the instances with a due day not yet passed and nothing settled, ``lagging`` the 长期 tasks
    without progress: neither is part of ``owed``.
    """

    unit: str
    owed: int
    done_on_time: int
    done_late: int
    overdue: int
    lagging: int
    not_applicable: int
    on_time_rate: float | None
    submitted: int = 0  # 待审核: reported done, awaiting the office's review
    not_due: int = 0  # 未到期: due day not yet passed, nothing settled


def on_time_rate(on_time: int, owed: int, na: int, submitted: int = 0) -> float | None:
    """The share done on time of what was owed, applied and decided: 待审核 is not yet decided
    either way (None when nothing is)."""
    counted = owed - na - submitted
    return round(on_time / counted, 4) if counted > 0 else None


def summed(units: Iterable[UnitSummary], name: str = "合计") -> UnitSummary:
    """The total of ``units``' counts, with its own on-time rate."""
    fields = ("owed", "done_on_time", "done_late", "overdue", "lagging", "not_applicable", "submitted", "not_due")
    counts = {f: 0 for f in fields}
    for u in units:
        for f in fields:
            counts[f] += getattr(u, f)
    rate = on_time_rate(counts["done_on_time"], counts["owed"], counts["not_applicable"], counts["submitted"])
    return UnitSummary(unit=name, on_time_rate=rate, **counts)


SETTLED = frozenset(("done", "done_late", "submitted", "not_applicable"))


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
    """The findings of one unit as of ``as_of`` (an absent ledger has recorded nothing), judged by the
    reference (``assess_unit``) from the ``Ledger`` and counted as every report counts
    (``compact_findings``); reports use ``timeline_findings``, which gives the same from a timeline."""
    tasks = [(_Given(ta.assignment), [_judged(x) for x in ta.assessed]) for ta in assess_unit(catalogue, unit, ledger, as_of)]
    return decoded(compact_findings(unit, tasks, as_of.toordinal()), catalogue, as_of)


class _Given(NamedTuple):
    """An assignment in hand, asked for as ``Owing.assignment`` is."""

    given: Assignment

    @property
    def task(self) -> Task:
        """The task assigned."""
        return self.given.task

    def assignment(self, unit: str) -> Assignment:
        """The assignment (of ``unit``)."""
        return self.given


_ISO = Memo(lambda number: dt.date.fromordinal(number).isoformat())  # ISO text by day number


def _judged(x: Assessed) -> Judged:
    """An instance judged by the reference, as ``DayJudge`` gives one."""
    return (x.instance.key, x.state, x.days_overdue, x.idle_days, DAY_NUMBERS[x.due], DAY_NUMBERS[x.original_due],
            DAY_NUMBERS[x.last_progress], x.last_note)


# The compact form of a unit's findings, what the timeline judgement gives, a forked worker sends
# back and the findings of a day are remembered as: [unit, item rows, counts, tasks, behind], an
# item row [task, instance, due, original_due, extended, days_overdue, idle_days, state, role, duty,
# last_progress, last_note] (dates as ISO text), the counts those of ``UnitSummary`` in its order.
_COUNTED = ("done", "done_late", "overdue", "not_applicable", "submitted")


def timeline_findings(judge: DayJudge, unit: str, timeline: list[list[Any]]) -> list[Any]:
    """The findings of ``unit`` as of the judge's day, in the compact form, from its timeline
    (``judge.timeline``): ``encoded(unit_findings(...))``."""
    return compact_findings(unit, judge.unit(unit, timeline), judge.today)


def compact_findings(unit: str, tasks: Iterable[tuple[Any, list[Judged]]], today: int) -> list[Any]:
    """The findings of ``unit`` in the compact form from every task it owes, in task order: who
    owes it (an ``Owing``: the unit's whole assignment is asked for only for a task that has items)
    and its instances judged as of day number ``today``."""
    iso = _ISO
    rows: list[list[Any]] = []
    behind: list[list[int]] = []
    counts = dict.fromkeys(("owed", *_COUNTED, "lagging", "not_due"), 0)
    settled = SETTLED
    numbers = []
    for owing, judged in tasks:
        task = owing.task.id
        a = None
        numbers.append(task)
        overdue = lagging = 0
        for key, state, days, idle, due, original, last, note in judged:
            # owed: the due day has passed, or already settled (the partition of ``UnitSummary``)
            if state in settled or state == "overdue":  # overdue: its due day has passed
                counts["owed"] += 1
                counts[state] += 1
            elif due is not None:
                counts["not_due"] += 1
            if state == "overdue":
                overdue += 1
            elif state == "lagging":
                lagging += 1
                counts["lagging"] += 1
            else:
                continue
            if a is None:
                a = owing.assignment(unit)
            rows.append([task, key, iso[due], iso[original], original is not None, days or 0, idle, state, a.role, a.duty,
                         iso[last], note])
        if overdue or lagging:
            behind.append([task, overdue, lagging])
    rows.sort(key=lambda r: (r[7] != "overdue", -(r[5] or r[6] or 0), r[0], r[1]))
    return [unit, rows, [counts["owed"], counts["done"], counts["done_late"], counts["overdue"], counts["lagging"],
                         counts["not_applicable"], counts["submitted"], counts["not_due"]], numbers, behind]


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


_parsed = functools.lru_cache(maxsize=4096)(dt.date.fromisoformat)  # a province's items share a few hundred dates


def _day(text: str | None) -> dt.date | None:
    return None if text is None else _parsed(text)


_label = functools.lru_cache(maxsize=4096)(instance_label)  # a province's items share a few hundred keys


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
        "instance_label": _label(instance),
    })


def encoded(found: UnitFindings) -> list[Any]:
    """``found`` in the compact form."""
    s = found.summary
    return [found.unit, [_row(i) for i in found.items],
            [s.owed, s.done_on_time, s.done_late, s.overdue, s.lagging, s.not_applicable, s.submitted, s.not_due],
            found.tasks, [list(t) for t in found.behind]]


def decoded(data: list[Any], catalogue: Catalogue, as_of: dt.date) -> UnitFindings:
    """The findings in the compact form ``data`` (titles and labels looked up again); an exception
    for data of another shape."""
    unit, items, counts, tasks, behind = data
    owed, done, late, overdue, lagging, na, submitted, not_due = counts
    summary = built(UnitSummary, {
        "unit": unit, "owed": owed, "done_on_time": done, "done_late": late, "overdue": overdue, "lagging": lagging,
        "not_applicable": na, "on_time_rate": on_time_rate(done, owed, na, submitted), "submitted": submitted,
        "not_due": not_due,
    })
    return built(UnitFindings, {
        "unit": unit, "as_of": as_of, "items": [_item(row, unit, catalogue) for row in items], "summary": summary,
        "tasks": tasks, "behind": [TaskTally(t, o, g) for t, o, g in behind],
    })
