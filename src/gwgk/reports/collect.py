"""Who has answered (``gwgk collect``): per unit, the last workbook sent, the last one returned,
whether the return is the latest sent, and how long it has waited. Pure: built from the entries of
``log/workbooks.jsonl`` (what ``export`` and ``remind --attach`` sent, what ``import`` read back);
entries of days after ``as_of`` are left out, so the view as of a past day never changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from gwgk.reports.reminders import Waiting


class WorkbookEvent(BaseModel):
    """One entry of the workbook log: a workbook (by its hidden key) sent to or returned by a unit."""

    model_config = ConfigDict(extra="ignore")

    kind: Literal["export", "import"]
    unit: str
    day: dt.date  # the day it was sent (export) or read back (import)
    workbook: str | None = None  # the hidden key; None for a workbook exported before keys
    exported: dt.date | None = None  # import: the day the returned workbook was exported


class UnitAnswer(BaseModel):
    """One unit: dates as ISO text, null when none."""

    unit: str
    sent: dt.date | None
    returned: dt.date | None
    latest_returned: bool
    waiting_days: int | None  # days since the latest workbook was sent, while it has not come back


class CollectReport(BaseModel):
    """``gwgk collect``."""

    as_of: dt.date
    units: list[UnitAnswer]


def _same(sent: WorkbookEvent, back: WorkbookEvent) -> bool:
    if sent.workbook and back.workbook:
        return sent.workbook == back.workbook
    return back.exported == sent.day  # a workbook without a key: known by the day it was exported


def collect_report(as_of: dt.date, units: Iterable[str], events: Iterable[WorkbookEvent]) -> CollectReport:
    """Each of ``units`` (in that order) as of ``as_of`` from the log's ``events``."""
    sent: dict[str, list[WorkbookEvent]] = {}
    back: dict[str, list[WorkbookEvent]] = {}
    for e in events:
        if e.day <= as_of:
            (sent if e.kind == "export" else back).setdefault(e.unit, []).append(e)
    out = []
    for unit in units:
        latest = max(sent.get(unit, []), key=lambda e: e.day, default=None)
        returns = back.get(unit, [])
        answered = latest is not None and any(_same(latest, r) for r in returns if r.day >= latest.day)
        out.append(UnitAnswer(
            unit=unit, sent=latest.day if latest else None, returned=max((r.day for r in returns), default=None),
            latest_returned=answered,
            waiting_days=(as_of - latest.day).days if latest is not None and not answered else None,
        ))
    return CollectReport(as_of=as_of, units=out)


def unanswered(report: CollectReport, days: int) -> dict[str, Waiting]:
    """The units whose latest workbook has waited more than ``days`` days, with when it was sent."""
    return {u.unit: Waiting(sent=u.sent, waiting_days=u.waiting_days) for u in report.units
            if u.sent is not None and u.waiting_days is not None and u.waiting_days > days}
