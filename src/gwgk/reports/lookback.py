"""The 回头看 over one or more plans: each plan's units judged as of a day, merged into one
``OverdueReport``; what ``gwgk overdue`` prints and the 通报 is issued from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gwgk.reports.notice import merged_summaries
from gwgk.reports.overdue import BrokenLedger, OverdueItem, OverdueReport, overdue_report, unchecked_units
from gwgk.reports.parts import Events, with_event_names
from gwgk.reports.silence import asks_for_events, missing_events
from gwgk.reports.survey import Survey

if TYPE_CHECKING:
    from gwgk.catalogue.model import Catalogue
    from gwgk.files.workspace import Workspace
    from gwgk.reports.findings import UnitSummary


@dataclass(frozen=True)
class Lookback:
    """The 回头看; each unit's summary over every plan covered (a finished plan's 长期 tasks not
    lagging, as in the report), which the 通报 counts from; the titles of the plans, latest first."""

    report: OverdueReport
    summaries: list[UnitSummary]
    titles: list[str]
    events: Callable[[str, int | None], Events]  # a unit's events in a plan year, read from its ledger when asked

    def named(self, report: OverdueReport) -> OverdueReport:
        """``report`` (or a unit's part of it) with each event's instance named by its event, the
        ledgers of the units that have one read again: for the 通报, not for every run (a report of
        a new day reads timelines, not ledgers), so other formats say 第1次触发事件."""
        return with_event_names(report, self.events)


def lookback(plans: Sequence[tuple[Workspace, Catalogue]], scope: list[str], day: dt.date, *,
             strict: bool = False) -> Lookback:
    """The 回头看 as of ``day`` over ``plans`` (each plan's ledgers and catalogue, oldest first) for
    the units of ``scope``.

    A unit with no event registered for an event task by the day the office set is listed as
    未报送事件 (``reports.silence``). A plan whose year is over keeps its overdue items on the list, but its 长期 tasks no longer lag;
    with several plans each unit's items are sorted across them, worst first. A unit whose ledger is
    broken in any plan is not judged at all (named among the broken ledgers); ``strict`` refuses
    the report instead (``DataError``). A plan the office closed (``gwgk plan close``) as of ``day``
    is not chased: none of its items is listed, and the report names the closure.
    """
    from gwgk.entries.closures import ClosureNote, note
    from gwgk.ledger.closing import read_closures

    items: dict[str, list[OverdueItem]] = {u: [] for u in scope}
    submitted = dict.fromkeys(scope, 0)
    broken: list[BrokenLedger] = []
    per_plan: list[tuple[bool, list[UnitSummary]]] = []
    surveys: dict[int, Survey] = {}
    closures = read_closures(plans[0][0]) if plans else None
    closed: list[ClosureNote] = []
    for workspace, catalogue in plans:
        closure = closures.closed(catalogue.plan.year, day) if closures else None
        if closure is not None:
            closed.append(note(closure))
            continue
        survey = surveys[catalogue.plan.year] = Survey(workspace, catalogue, scope, day)
        readable = list(survey.findings())
        broken += survey.broken(strict=strict)
        ended = catalogue.plan.effective_to < day
        silent = asks_for_events(catalogue, day)
        for one in readable:
            items[one.unit] += [i for i in one.items if not (ended and i.state == "lagging")]
            if silent:
                items[one.unit] += missing_events(catalogue, one.unit, survey.ledger(one.unit), day)
            submitted[one.unit] += one.summary.submitted
        per_plan.append((ended, [one.summary for one in readable]))
    unchecked = set(unchecked_units(broken))
    items = {u: listed for u, listed in items.items() if u not in unchecked}
    summaries = merged_summaries(per_plan, [u for u in scope if u not in unchecked])
    if len(plans) > 1:
        for listed in items.values():
            listed.sort(key=lambda i: (i.state != "overdue", -(i.days_overdue or i.idle_days or 0), i.plan or 0, i.task, i.instance))
    years = [catalogue.plan.year for _, catalogue in plans]
    parts = {s.unit: (s.owed, s.done_on_time, s.done_late, s.not_applicable, s.not_due) for s in summaries}
    report = overdue_report(day, items, submitted, years, broken, parts)
    if closed:
        report = report.model_copy(update={"closed": closed})

    def events(unit: str, year: int | None) -> Events:
        survey = surveys.get(year or 0)
        return survey.events(unit) if survey is not None else {}

    titles = [catalogue.plan.title for _, catalogue in reversed(plans)]
    return Lookback(report, summaries, titles, events)
