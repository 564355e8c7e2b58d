"""``gwgk log``: every entry of the ledgers in the order it was written, with who wrote it.

Each entry gwgk writes carries ``at`` (the real moment, with its zone) and ``by`` (who); ``entered``
is the day it counts from, which ``--as-of`` may set earlier: such an entry is 补登 (``late``:
written on a later day than it is entered as). Entries written before gwgk kept ``at`` and ``by``
(or added by hand) have neither; they come first, by their day of entry, as they stand in the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pydantic import BaseModel

from gwgk.catalogue.model import Catalogue
from gwgk.entries.history import entries, live, with_ids
from gwgk.entries.model import (
    REVIEW_LABELS,
    STATUS_LABELS,
    Event,
    Extension,
    Ledger,
    Record,
    Review,
    Withdrawal,
)
from gwgk.errors import DataError
from gwgk.judge.assessment import assign_records
from gwgk.judge.schedule import instances

KIND_LABELS: dict[str, str] = {"record": "记录", "event": "事件", "extension": "延期", "withdrawal": "撤回", "review": "审核"}


class LogItem(BaseModel):
    """One entry: when and by whom it was written, what it is and where it stands."""

    at: dt.datetime | None
    by: str | None
    unit: str
    plan: int | None  # the plan year of the ledger (None: data/tasks.yaml's)
    id: str
    kind: str
    kind_label: str
    task: int
    instance: str | None  # a record's or extension's instance, an event's key, what a withdrawal or review concerns
    entered: dt.date | None
    late: bool  # 补登: written on a later day than the day it is entered as
    summary: str


class LogReport(BaseModel):
    """``gwgk log``: entries by the moment written."""

    unit: str | None
    since: dt.date | None
    items: list[LogItem]


def _kind(item: Record | Event | Extension | Withdrawal | Review) -> str:
    if isinstance(item, Record):
        return "record"
    if isinstance(item, Event):
        return "event"
    if isinstance(item, Extension):
        return "extension"
    return "withdrawal" if isinstance(item, Withdrawal) else "review"


def _summary(item: Record | Event | Extension | Withdrawal | Review) -> tuple[str, str | None]:
    """A few words on what the entry says, and the instance (or entry) it concerns."""
    if isinstance(item, Record):
        extra = f"，更正 {item.replaces}" if item.replaces else ""
        return f"{item.date} {STATUS_LABELS[item.status]}{extra}", item.instance
    if isinstance(item, Event):
        return f"{item.title}（{item.date}）", item.key
    if isinstance(item, Extension):
        return f"延期至 {item.to}：{item.reason}", item.instance
    if isinstance(item, Withdrawal):
        return f"撤回 {item.target}：{item.reason}", item.target
    return f"{REVIEW_LABELS[item.decision]} {item.record}" + (f"：{item.reason}" if item.reason else ""), item.record


def _counted_for(catalogue: Catalogue | None, ledger: Ledger) -> dict[str, str]:
    """The instance each record naming none counts for in the ledger as it stands (``整项任务`` for a
    不适用 of the whole task), by record id."""
    out: dict[str, str] = {}
    if catalogue is None:
        return out
    owed = {a.task.id: a for a in catalogue.assignments(ledger.unit)}
    for task in with_ids(ledger).tasks:
        assignment = owed.get(task.task)
        if assignment is None or all(r.instance is not None for r in task.records):
            continue
        # a withdrawn or returned record: where it counted with everything; the rest: where they count now
        for counted in (task, live(task, False).task):
            try:
                found = instances(assignment, counted, catalogue.plan)
            except DataError:  # an event the holiday data does not cover: the instance stays unnamed
                continue
            owned, _ = assign_records(found, list(counted.records), counted.extensions)
            out.update({r.id or "": key for key, records in owned.items() for r in records if r.instance is None})
            out.update({r.id or "": "整项任务" for r in counted.records if r.whole_task})
    return out


def log_report(ledgers: Iterable[tuple[int | None, Ledger, Catalogue | None]], unit: str | None = None,
               since: dt.date | None = None) -> LogReport:
    """Every entry of ``ledgers`` (each with its plan year and that plan's catalogue), those of
    ``unit`` only when given, written on or after ``since`` (an entry without ``at``: entered on or
    after it), ordered by the moment written; entries without a moment first, by their day of
    entry, in file order. A record naming no instance shows the one it counts for."""
    found: list[tuple[tuple[int, str, dt.date], int, LogItem]] = []
    for year, ledger, catalogue in ledgers:
        if unit is not None and ledger.unit != unit:
            continue
        counted_for = _counted_for(catalogue, ledger)
        for task, item in entries(ledger):
            entered = item.entered
            at = item.at
            day = at.date() if at is not None else item.entered_on or dt.date.min
            if since is not None and day < since:
                continue
            summary, concerns = _summary(item)
            if isinstance(item, Record) and concerns is None and item.id is not None:
                concerns = counted_for.get(item.id)
            kind = _kind(item)
            entry_id = item.key if isinstance(item, Event) else item.id or "—"
            log = LogItem(at=at, by=item.by, unit=ledger.unit, plan=year, id=entry_id, kind=kind,
                          kind_label=KIND_LABELS[kind], task=task.task, instance=concerns, entered=entered,
                          late=item.late(entered), summary=summary)
            # moments compare as UTC text: isoformat of the UTC instant sorts as the instants do
            key = (1, at.astimezone(dt.timezone.utc).isoformat(), dt.date.min) if at is not None else (0, "", day)
            found.append((key, len(found), log))
    found.sort(key=lambda x: (x[0], x[1]))
    return LogReport(unit=unit, since=since, items=[log for _, _, log in found])
