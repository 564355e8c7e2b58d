"""What a unit owes, instance by instance: pure, no I/O, no clock.

An *instance* is one thing owed by one unit for one task: the one due date of a ``date`` rule, each
period of a ``recurring`` rule, each recorded event of an ``event`` rule, or the single open-ended
``长期``/``不定期`` entry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gwgk.catalogue.model import Assignment
from gwgk.catalogue.plan import PlanMeta
from gwgk.catalogue.rules import (
    ContinuousRule,
    DateRule,
    EventRule,
    IrregularRule,
    RecurringRule,
    Rule,
)
from gwgk.entries.model import Event, LedgerTask
from gwgk.errors import DataError
from gwgk.judge.dates import period_bounds, periods_per_year
from gwgk.judge.workdays import add_working_days, beyond_calendar

CONTINUOUS_KEY = "长期"
IRREGULAR_KEY = "不定期"


@dataclass(frozen=True)
class Instance:
    """One thing owed: its key, the rule it comes from, its period or event, and its due date."""

    task: int
    key: str
    rule: Rule
    due: dt.date | None
    start: dt.date | None = None  # first day of a recurring period
    event: Event | None = None

    @property
    def kind(self) -> str:
        """The rule's kind: date, recurring, event, continuous or irregular."""
        return self.rule.kind


def event_due(rule: EventRule, day: dt.date) -> dt.date | None:
    """When an event on ``day`` makes the rule's instance due (None where the plan sets no days)."""
    if rule.days is None:
        return None
    if rule.day_count == "working" and rule.days:
        return add_working_days(day, rule.days)
    try:
        return day + dt.timedelta(days=rule.days)
    except OverflowError:
        raise DataError(beyond_calendar(day, rule.days)) from None


def _recurring(task: int, rule: RecurringRule, plan: PlanMeta) -> list[Instance]:
    out = []
    for year in range(plan.effective_from.year, plan.effective_to.year + 1):
        for index in range(1, periods_per_year(rule.every) + 1):
            start, end = period_bounds(rule.every, year, index)
            # A period that closed before the plan took effect is not owed; one that starts after
            # the plan's end is not owed either.
            if end < plan.effective_from or start > plan.effective_to:
                continue
            key = {
                "month": f"{year}-{index:02d}", "bimonth": f"{year}B{index}", "quarter": f"{year}Q{index}",
                "halfyear": f"{year}H{index}", "year": f"{year}",
            }[rule.every]
            out.append(Instance(task, key, rule, end, start))
    return out


def event_rule(rules: tuple[Rule, ...]) -> EventRule | None:
    """The event rule that recorded events belong to (the first one), if the task has one."""
    for rule in rules:
        if isinstance(rule, EventRule):
            return rule
    return None


_FIXED: dict[tuple[int, int, int], tuple[Instance, ...]] = {}


def _fixed(task: int, rule: Rule, plan: PlanMeta) -> tuple[Instance, ...]:
    """The instances of a rule that do not depend on the unit (all but events), computed once."""
    key = (task, id(rule), id(plan))
    found = _FIXED.get(key)
    if found is None:
        if isinstance(rule, DateRule):
            found = (Instance(task, rule.due.isoformat(), rule, rule.due),)
        elif isinstance(rule, RecurringRule):
            found = tuple(_recurring(task, rule, plan))
        elif isinstance(rule, ContinuousRule):
            found = (Instance(task, CONTINUOUS_KEY, rule, None),)
        elif isinstance(rule, IrregularRule):
            found = (Instance(task, IRREGULAR_KEY, rule, None),)
        else:
            found = ()
        if len(_FIXED) > 100_000:  # catalogues are loaded once per process; this is only a guard
            _FIXED.clear()
        _FIXED[key] = found
    return found


def instances(assignment: Assignment, entry: LedgerTask | None, plan: PlanMeta) -> list[Instance]:
    """Every instance ``assignment``'s unit owes, in rule order, events from ``entry``."""
    task = assignment.task.id
    out: list[Instance] = []
    events_rule = event_rule(assignment.rules)
    for rule in assignment.rules:
        if isinstance(rule, EventRule):
            if rule is events_rule and entry:
                out.extend(Instance(task, e.key, rule, event_due(rule, e.date), e.date, e) for e in entry.events)
        else:
            out.extend(_fixed(task, rule, plan))
    if assignment.span is not None:
        out = _within(out, *assignment.span)
    return _unique_keys(out) if len({i.key for i in out}) != len(out) else out


def _within(found: list[Instance], since: dt.date | None, until: dt.date | None) -> list[Instance]:
    """The instances due while the unit exists (a unit owes none due before it was set up or after
    it was dissolved); an instance with no due date (长期, 不定期, an event without days) stays, a
    长期 one starting (for 进度滞后) the day the unit was set up."""
    out = []
    for i in found:
        if i.due is None:
            out.append(Instance(i.task, i.key, i.rule, None, since, i.event) if i.kind == "continuous" and since else i)
        elif (since is None or since <= i.due) and (until is None or i.due <= until):
            out.append(i)
    return out


def _unique_keys(found: list[Instance]) -> list[Instance]:
    """``found`` with each key that repeats an earlier one made unique with ``#2``, ``#3``, … (never
    one that another instance already has: an event may be keyed ``E1#2`` by hand)."""
    taken = {inst.key for inst in found}
    seen: set[str] = set()
    out = []
    for inst in found:
        if inst.key in seen:
            n = 2
            while f"{inst.key}#{n}" in taken:
                n += 1
            key = f"{inst.key}#{n}"
            taken.add(key)
            inst = Instance(inst.task, key, inst.rule, inst.due, inst.start, inst.event)
        seen.add(inst.key)
        out.append(inst)
    return out


def next_event_key(entry: LedgerTask | None) -> str:
    """The key for a newly recorded event of a task: E1, E2, …"""
    used = {e.key for e in entry.events} if entry else set()
    n = 1
    while f"E{n}" in used:
        n += 1
    return f"E{n}"


def owner_instance(instances_: list[Instance], day: dt.date) -> Instance | None:
    """The instance a record dated ``day`` without an explicit instance belongs to, if unambiguous.

    A recurring instance whose period holds the day comes first; otherwise the one instance that is
    neither recurring nor an event; otherwise the only instance there is.
    """
    for inst in instances_:
        if inst.kind == "recurring" and inst.start is not None and inst.due is not None and inst.start <= day <= inst.due:
            return inst
    single = [i for i in instances_ if i.kind not in ("recurring", "event")]
    if len(single) == 1:
        return single[0]
    if len(instances_) == 1:
        return instances_[0]
    return None
