"""``gwgk plan list``: the plans of a workspace and which one is current."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from gwgk.catalogue.plan import PlanMeta


class PlanRow(BaseModel):
    """One plan: its year, title, issuer, issue date, number of tasks, and whether it is current."""

    year: int
    title: str
    issuer: str
    issued: dt.date
    tasks: int
    current: bool


class PlansReport(BaseModel):
    """Every plan of the workspace, by year."""

    plans: list[PlanRow]


def plans_report(plans: list[tuple[PlanMeta, int]], current: int) -> PlansReport:
    """The report of ``plans`` (metadata and task count), ``current`` being the current year's."""
    return PlansReport(plans=[
        PlanRow(year=m.year, title=m.title, issuer=m.issuer, issued=m.issued, tasks=n, current=m.year == current)
        for m, n in plans
    ])
