"""The 回头看 with what is about to fall due beside it (``gwgk overdue --due-soon``): the office's own
weekly look at the whole city. Pure: the catalogue, the ledgers and the day are parameters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pydantic import BaseModel

from gwgk.catalogue.model import ROLE_LABELS, Catalogue
from gwgk.entries.model import Ledger
from gwgk.reports.ledger import assess_unit
from gwgk.reports.overdue import OverdueReport
from gwgk.reports.reminders import due_soon


class DueSoonItem(BaseModel):
    """One instance not finished that falls due within the window."""

    unit: str
    plan: int | None
    task: int
    title: str
    instance: str
    due: dt.date
    days_left: int
    role: str
    role_label: str
    duty: str


class OverdueDueSoon(OverdueReport):
    """``gwgk overdue --due-soon``: the 回头看 and, beside it, what falls due within ``within`` days."""

    within: int
    due_soon: list[DueSoonItem]


def unit_due_soon(catalogue: Catalogue, unit: str, ledger: Ledger | None, as_of: dt.date, within: int) -> list[DueSoonItem]:
    """What ``unit`` has not finished that falls due within ``within`` days of ``as_of``, in task order."""
    out = []
    for ta in assess_unit(catalogue, unit, ledger, as_of):
        a = ta.assignment
        for x in ta.assessed:
            if due_soon(x, as_of, within) and x.due is not None:
                out.append(DueSoonItem(unit=unit, plan=catalogue.plan.year, task=a.task.id, title=a.task.title,
                                       instance=x.instance.key, due=x.due, days_left=(x.due - as_of).days, role=a.role,
                                       role_label=ROLE_LABELS[a.role], duty=a.duty))
    return out


def with_due_soon(report: OverdueReport, within: int, items: Iterable[DueSoonItem]) -> OverdueDueSoon:
    """``report`` with ``items`` beside it, the soonest first (then by unit in the report's order);
    units the 回头看 could not check (a broken ledger) are left out, as they are from it."""
    unchecked = {b.unit for b in report.broken}
    order = {u.unit: i for i, u in enumerate(report.units)}
    kept = sorted((i for i in items if i.unit not in unchecked),
                  key=lambda i: (i.due, order.get(i.unit, len(order)), i.plan or 0, i.task, i.instance))
    return OverdueDueSoon(**dict(report), within=within, due_soon=kept)
