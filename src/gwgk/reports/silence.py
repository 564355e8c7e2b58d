"""未报送事件: a unit that has registered no event for an event task by the day the office expects
one (the task's rule ``expect_event_by``, else the plan's ``settings.expect_events_by``). Silence is
not compliance: without an event the task has no instance, so nothing could ever be overdue.
Listed in the 回头看 beside the overdue and lagging items."""

from __future__ import annotations

import datetime as dt

from gwgk.catalogue.model import ROLE_LABELS, Catalogue
from gwgk.catalogue.rules import EventRule
from gwgk.entries.history import known_on, live
from gwgk.entries.model import Ledger
from gwgk.reports.overdue import OverdueItem

NO_EVENT = "no_event"
NO_EVENT_LABEL = "未报送事件"


def expected_by(catalogue: Catalogue, rules: tuple[object, ...]) -> dt.date | None:
    """The day by which an event is expected for a task with these rules (None: never asked)."""
    for rule in rules:
        if isinstance(rule, EventRule):
            return rule.expect_event_by or catalogue.settings.expect_events_by
    return None


def asks_for_events(catalogue: Catalogue, day: dt.date) -> bool:
    """Whether any task expects an event before ``day`` (else no ledger need be read for this)."""
    if catalogue.settings.expect_events_by is not None and catalogue.settings.expect_events_by < day:
        return True
    return any(isinstance(r, EventRule) and r.expect_event_by is not None and r.expect_event_by < day
               for task in catalogue.tasks.values() for r in task.rules)


def missing_events(catalogue: Catalogue, unit: str, ledger: Ledger | None, day: dt.date) -> list[OverdueItem]:
    """The event tasks of ``unit`` with no event registered (as known on ``day``, withdrawn ones
    left out) although one was expected before ``day``, and not marked 不适用 as a whole."""
    known = known_on(ledger, day) if ledger is not None else None
    out: list[OverdueItem] = []
    for assignment in catalogue.assignments(unit):
        by = expected_by(catalogue, assignment.rules)
        if by is not None and assignment.span is not None:
            since, until = assignment.span
            if until is not None and until <= by:
                continue  # the unit was wound up before an event was expected of it
            if since is not None and since > catalogue.plan.effective_from:
                by = max(by, since + (by - catalogue.plan.effective_from))  # as long from its setting up as the others had
        if by is None or by >= day:
            continue
        entry = known.task(assignment.task.id) if known is not None else None
        counted = live(entry, False).task if entry is not None else None
        if counted is not None and (counted.events or any(r.whole_task for r in counted.records)):
            continue  # an event registered, or the whole task 不适用 (no such event this year): not silent
        out.append(OverdueItem(
            unit=unit, plan=catalogue.plan.year, task=assignment.task.id, title=assignment.task.title, instance="（无事件）",
            due=by, days_overdue=0, idle_days=(day - by).days, state=NO_EVENT, state_label=NO_EVENT_LABEL,
            role=assignment.role, role_label=ROLE_LABELS[assignment.role], duty=assignment.duty,
        ))
    return out
