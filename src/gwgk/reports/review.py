"""The 销号 queue (``gwgk review --pending``): every 已完成 record awaiting the office's review as of
a day, oldest first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pydantic import BaseModel

from gwgk.catalogue.model import Catalogue
from gwgk.entries.history import live
from gwgk.entries.model import Ledger, LedgerLookup
from gwgk.judge.assessment import assign_records
from gwgk.judge.schedule import instances
from gwgk.reports.ledger import as_known


class PendingItem(BaseModel):
    """One record awaiting review."""

    unit: str
    task: int
    instance: str | None
    record: str
    date: dt.date
    entered: dt.date
    evidence: list[str]


class PendingReport(BaseModel):
    """``gwgk review --pending``."""

    as_of: dt.date
    items: list[PendingItem]


def unit_pending(catalogue: Catalogue, unit: str, ledger: Ledger | None, as_of: dt.date) -> list[PendingItem]:
    """The records of ``unit`` awaiting review as of ``as_of``."""
    known = as_known(ledger, as_of)
    if known is None:
        return []
    out: list[PendingItem] = []
    owing = {a.task.id: a for a in catalogue.assignments(unit)}
    for entry in known.tasks:
        counted = live(entry, catalogue.settings.review_start or dt.date.min)
        if not counted.pending or entry.task not in owing:
            continue
        found = instances(owing[entry.task], counted.task, catalogue.plan)
        owned, _ = assign_records(found, list(counted.task.records), counted.task.extensions)
        where = {r.id: key for key, records in owned.items() for r in records}
        for record in counted.task.records:
            if record.id in counted.pending:
                out.append(PendingItem(unit=unit, task=entry.task, instance=where.get(record.id), record=record.id or "",
                                       date=record.date, entered=record.entered_on, evidence=list(record.evidence)))
    return out


def pending_report(catalogue: Catalogue, ledgers: LedgerLookup, units: Iterable[str], as_of: dt.date) -> PendingReport:
    """Every record awaiting review in ``units`` as of ``as_of``, the longest waiting first."""
    order = {name: i for i, name in enumerate(catalogue.units)}
    items = [item for unit in units for item in unit_pending(catalogue, unit, ledgers.get(unit), as_of)]
    items.sort(key=lambda i: (i.entered, i.date, order.get(i.unit, 0), i.task, i.record))
    return PendingReport(as_of=as_of, items=items)
