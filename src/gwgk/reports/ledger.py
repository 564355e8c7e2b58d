"""The report model of ``gwgk ledger``: one unit's 台账 as of a date."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pydantic import BaseModel

from gwgk.catalogue.model import ROLE_LABELS, Catalogue
from gwgk.catalogue.rules import describe
from gwgk.entries.history import known_on, reviews, with_ids, withdrawn
from gwgk.entries.model import REVIEW_LABELS, Ledger, LedgerTask, Record, Review, Withdrawal
from gwgk.judge.assessment import LIGHT_LABELS, STATE_LABELS, Assessed, TaskAssessment, assess_known, assign_records
from gwgk.judge.schedule import instances


class WithdrawnView(BaseModel):
    """The withdrawal of a record: which entry withdrew it, when, and why."""

    id: str
    entered: dt.date
    reason: str


class ReviewView(BaseModel):
    """The office's review of a 已完成 record."""

    id: str
    decision: str  # accepted or returned
    decision_label: str
    entered: dt.date
    reason: str | None


class RecordView(BaseModel):
    """A record of an instance as known on the report's day, withdrawn or reviewed or not."""

    id: str | None
    date: dt.date
    entered: dt.date
    status: str
    note: str | None
    evidence: list[str]
    category: str | None
    replaces: str | None = None
    whole_task: bool = False  # a 不适用 naming no instance: it applies to every instance of the task
    at: dt.datetime | None = None  # when it was written and by whom (None: before gwgk kept them)
    by: str | None = None
    late: bool = False  # 补登: written on a later day than it is entered as
    withdrawn: WithdrawnView | None
    review: ReviewView | None


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
    idle_days: int | None = None
    done: int
    quota: int
    categories: list[str]
    categories_wanted: int | None = None
    completed_on: dt.date | None = None
    last_progress: dt.date | None = None
    last_note: str | None = None
    evidence: list[str]
    reason: str | None = None
    event: str | None = None
    event_date: dt.date | None = None
    records: list[RecordView] = []


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
    unplaced: list[RecordView] = []  # records known on the day that fit no instance (named so that every id is found)

    def without_instances(self, none: str) -> str:
        """What the row of a task with no instance says: the task 不适用 as a whole (an event task
        whose event did not happen this year), waiting for an event, or ``none``."""
        wide = next((r for r in self.unplaced if r.whole_task and r.status == "not_applicable" and r.withdrawn is None), None)
        if wide is not None:
            return f"整项任务不适用（{wide.id}：{wide.note}）" if wide.note else f"整项任务不适用（{wide.id}）"
        return "待登记触发事件" if self.awaiting_events else none


class LedgerReport(BaseModel):
    """``gwgk ledger --unit U``."""

    unit: str
    as_of: dt.date
    tasks: list[LedgerTaskView]
    summary: dict[str, int]


def instance_view(a: Assessed, records: list[RecordView] | None = None) -> InstanceView:
    """The view of one judged instance, with the history of its records."""
    event = a.instance.event
    return InstanceView(
        instance=a.instance.key, due=a.due, original_due=a.original_due, extended=a.extended,
        state=a.state, state_label=STATE_LABELS[a.state], light=a.light, light_label=LIGHT_LABELS[a.light],
        days_overdue=a.days_overdue, idle_days=a.idle_days, done=a.done_count, quota=a.quota,
        categories=list(a.categories), categories_wanted=a.categories_wanted,
        completed_on=a.completed_on, last_progress=a.last_progress, last_note=a.last_note,
        evidence=list(a.evidence), reason=a.reason,
        event=event.title if event else None, event_date=event.date if event else None, records=records or [],
    )


def as_known(ledger: Ledger | None, as_of: dt.date, ids: bool = True) -> Ledger | None:
    """The ledger as it stood on ``as_of``; every entry with its id when ``ids`` or when a withdrawal
    or review refers to entries by id (giving ids costs a copy of each entry that lacks one)."""
    if ledger is None:
        return None
    if ids or any(t.withdrawals or t.reviews for t in ledger.tasks):
        ledger = with_ids(ledger)
    return known_on(ledger, as_of)


def assess_unit(catalogue: Catalogue, unit: str, ledger: Ledger | None, as_of: dt.date) -> list[TaskAssessment]:
    """Every task ``unit`` owes, judged as of ``as_of`` from what was entered by then (an absent
    ledger has recorded nothing)."""
    known = as_known(ledger, as_of, ids=catalogue.settings.review_start is not None)
    entries = {e.task: e for e in known.tasks} if known else {}
    return [assess_known(a, entries.get(a.task.id), as_of, catalogue.plan, catalogue.settings)
            for a in catalogue.assignments(unit)]


def _record_view(record: Record, marks: tuple[dict[str, Withdrawal], dict[str, Review]], whole_task: bool = False) -> RecordView:
    """``marks``: the task's withdrawals and reviews by the record they concern (made once a task:
    made once a record, four thousand records with as many withdrawals took seconds)."""
    gone = marks[0].get(record.id or "")
    decided = marks[1].get(record.id or "")
    return RecordView(
        id=record.id, date=record.date, entered=record.entered_on, status=record.status, note=record.note,
        evidence=list(record.evidence), category=record.category, replaces=record.replaces, whole_task=whole_task,
        at=record.at, by=record.by, late=record.late(record.entered),
        withdrawn=WithdrawnView(id=gone.id, entered=gone.entered, reason=gone.reason) if gone else None,
        review=ReviewView(id=decided.id, decision=decided.decision, decision_label=REVIEW_LABELS[decided.decision],
                          entered=decided.entered, reason=decided.reason) if decided else None,
    )


def record_history(catalogue: Catalogue, ta: TaskAssessment, entry: LedgerTask | None) -> tuple[dict[str, list[RecordView]], list[RecordView]]:
    """Every record known on the day (withdrawn ones too) by the instance it was made for (a 不适用
    naming no instance under every instance of the task: it applies to each), and the records that
    fit no instance the task has on the day (one of a withdrawn event among them)."""
    if entry is None or not entry.records:
        return {}, []
    found = instances(ta.assignment, entry, catalogue.plan)
    owned, stray = assign_records(found, list(entry.records), entry.extensions)
    wide = [r for r in entry.records if r.whole_task]
    whole = {id(r) for r in wide}
    history: dict[str, list[RecordView]] = {}
    marks = (withdrawn(entry), reviews(entry))
    judged = {x.instance.key for x in ta.assessed}
    for inst in found:
        if inst.key not in judged:  # an instance gone (its event withdrawn): its records are shown apart
            stray += owned.get(inst.key, [])
            continue
        records = sorted([*owned.get(inst.key, []), *wide], key=lambda r: (r.date, r.entered_on))
        if records:
            history[inst.key] = [_record_view(r, marks, id(r) in whole) for r in records]
    if not judged:  # no instance at all (an event task with no event): a whole-task 不适用 is shown apart
        stray += wide
    return history, [_record_view(r, marks, id(r) in whole) for r in sorted(stray, key=lambda r: (r.date, r.entered_on))]


def ledger_report(catalogue: Catalogue, unit: str, ledger: Ledger | None, as_of: dt.date) -> LedgerReport:
    """The 台账 of ``unit`` as of ``as_of``."""
    tasks = []
    counts: Counter[str] = Counter()
    known = as_known(ledger, as_of)
    for ta in assess_unit(catalogue, unit, ledger, as_of):
        a = ta.assignment
        history, unplaced = record_history(catalogue, ta, known.task(a.task.id) if known else None)
        views = [instance_view(x, history.get(x.instance.key)) for x in ta.assessed]
        counts.update(v.state for v in views)
        tasks.append(LedgerTaskView(
            task=a.task.id, title=a.task.title, role=a.role, role_label=ROLE_LABELS[a.role], duty=a.duty,
            deadline=a.task.deadline, rules=[describe(r) for r in a.rules],
            awaiting_events=any(r.kind == "event" for r in a.rules), instances=views, unplaced=unplaced,
        ))
    return LedgerReport(unit=unit, as_of=as_of, tasks=tasks, summary=dict(sorted(counts.items())))
