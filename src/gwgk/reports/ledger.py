"""The report model of ``gwgk ledger``: one unit's 台账 as of a date."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pydantic import BaseModel

from gwgk.judge.assessment import LIGHT_LABELS, STATE_LABELS, Assessed, TaskAssessment, assess_task
from gwgk.catalogue.model import ROLE_LABELS, Catalogue
from gwgk.entries.model import Ledger
from gwgk.catalogue.rules import describe


class InstanceView(BaseModel):
    """One instance of a task, judged."""

    instance: str
    due: dt.date | None
    original_due: dt.date | None = None
    extended: bool = False
    state: str
    state_label: str
    light: str
    light_label: str
    days_overdue: int | None = None
    done: int
    quota: int
    categories: list[str]
    completed_on: dt.date | None = None
    last_progress: dt.date | None = None
    last_note: str | None = None
    evidence: list[str]
    reason: str | None = None
    event: str | None = None
    event_date: dt.date | None = None


class LedgerTaskView(BaseModel):
    """One task in the 台账."""

    task: int
    title: str
    role: str
    role_label: str
    duty: str
    deadline: str
    rules: list[str]
    awaiting_events: bool
    instances: list[InstanceView]


class LedgerReport(BaseModel):
    """``gwgk ledger --unit U``."""

    unit: str
    as_of: dt.date
    tasks: list[LedgerTaskView]
    summary: dict[str, int]


def instance_view(a: Assessed) -> InstanceView:
    """The view of one judged instance."""
    event = a.instance.event
    return InstanceView(
        instance=a.instance.key, due=a.due, original_due=a.original_due, extended=a.extended,
        state=a.state, state_label=STATE_LABELS[a.state], light=a.light, light_label=LIGHT_LABELS[a.light],
        days_overdue=a.days_overdue, done=a.done_count, quota=a.quota, categories=list(a.categories),
        completed_on=a.completed_on, last_progress=a.last_progress, last_note=a.last_note,
        evidence=list(a.evidence), reason=a.reason,
        event=event.title if event else None, event_date=event.date if event else None,
    )


def assess_unit(catalogue: Catalogue, unit: str, ledger: Ledger | None, as_of: dt.date) -> list[TaskAssessment]:
    """Every task ``unit`` owes, judged as of ``as_of`` (an absent ledger has recorded nothing)."""
    entries = {e.task: e for e in ledger.tasks} if ledger else {}
    return [
        assess_task(a, entries.get(a.task.id), as_of, catalogue.plan, catalogue.settings)
        for a in catalogue.assignments(unit)
    ]


def ledger_report(catalogue: Catalogue, unit: str, ledger: Ledger | None, as_of: dt.date) -> LedgerReport:
    """The 台账 of ``unit`` as of ``as_of``."""
    tasks = []
    counts: Counter[str] = Counter()
    for ta in assess_unit(catalogue, unit, ledger, as_of):
        a = ta.assignment
        views = [instance_view(x) for x in ta.assessed]
        counts.update(v.state for v in views)
        tasks.append(LedgerTaskView(
            task=a.task.id, title=a.task.title, role=a.role, role_label=ROLE_LABELS[a.role], duty=a.duty,
            deadline=a.task.deadline, rules=[describe(r) for r in a.rules],
            awaiting_events=any(r.kind == "event" for r in a.rules), instances=views,
        ))
    return LedgerReport(unit=unit, as_of=as_of, tasks=tasks, summary=dict(sorted(counts.items())))
