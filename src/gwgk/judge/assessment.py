"""The state of every instance as of a date. Pure: ``as_of`` is a parameter, records after it are
not yet known, and nothing is read or written.

States and lights: red = overdue; yellow = due_soon or lagging; grey = not_applicable; green =
everything else (pending, in_progress, done, done_late, ongoing, open).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from typing import Literal, NamedTuple

from gwgk.catalogue.model import Assignment
from gwgk.catalogue.plan import PlanMeta, Settings
from gwgk.catalogue.rules import RecurringRule, Rule
from gwgk.entries.history import live
from gwgk.entries.model import Extension, LedgerTask, Record
from gwgk.judge.schedule import Instance, instances, owner_instance

State = Literal[
    "pending", "due_soon", "in_progress", "done", "done_late", "overdue", "lagging", "ongoing", "open", "not_applicable",
    "submitted",
]
Light = Literal["red", "yellow", "green", "grey"]

STATE_LABELS: dict[str, str] = {
    "pending": "未到期", "due_soon": "即将到期", "in_progress": "推进中", "done": "已完成", "done_late": "逾期完成",
    "overdue": "超期未完成", "lagging": "进度滞后", "ongoing": "持续推进", "open": "不定期", "not_applicable": "不适用",
    "submitted": "待审核",
}
LIGHTS: dict[str, Light] = {
    "overdue": "red", "due_soon": "yellow", "lagging": "yellow", "submitted": "yellow", "not_applicable": "grey",
    **{s: "green" for s in ("pending", "in_progress", "done", "done_late", "ongoing", "open")},
}
LIGHT_LABELS: dict[str, str] = {"red": "红", "yellow": "黄", "green": "绿", "grey": "灰"}


class Assessed(NamedTuple):
    """An instance judged as of a date (a named tuple: a province judges half a million of them,
    and a frozen dataclass takes four to five times as long to build)."""

    instance: Instance
    state: State
    due: dt.date | None  # the date it is judged against (the extended one if extended)
    original_due: dt.date | None  # set only when extended
    days_overdue: int | None
    done_count: int
    quota: int
    categories: tuple[str, ...]
    completed_on: dt.date | None
    last_progress: dt.date | None
    last_note: str | None
    evidence: tuple[str, ...]
    reason: str | None = None  # not_applicable reason or extension reason
    idle_days: int | None = None  # lagging: days since the last progress (or since the plan's start)
    categories_wanted: int | None = None  # how many different categories the instance needs

    @property
    def light(self) -> Light:
        """red, yellow, green or grey."""
        return LIGHTS[self.state]

    @property
    def extended(self) -> bool:
        """Whether an extension moved the due date."""
        return self.original_due is not None


@dataclass
class TaskAssessment:
    """One task of one unit: its assignment, its instances judged, and stray records."""

    assignment: Assignment
    assessed: list[Assessed] = field(default_factory=list)
    unassigned: list[Record] = field(default_factory=list)


def assign_records(found: list[Instance], records: list[Record], extensions: Iterable[Extension] = ()
                   ) -> tuple[dict[str, list[Record]], list[Record]]:
    """Records by instance key (explicit ``instance`` first, else by date); and those that fit none.

    A record dated after an extended instance's due date but on or before its new date belongs to
    that instance (late work on what was extended), until the instance has what it needs.
    """
    keys = {i.key for i in found}
    by_key: dict[str, list[Record]] = {k: [] for k in keys}
    stray: list[Record] = []
    late: list[tuple[Instance, dt.date]] = []
    by_instance = {i.key: i for i in found}
    for extension in extensions:
        inst = by_instance.get(extension.instance)
        if inst is not None and inst.due is not None and extension.to > inst.due:
            late.append((inst, extension.to))
    for record in sorted(records, key=_date) if late else records:
        if record.instance is not None:
            if record.instance in keys:
                by_key[record.instance].append(record)
            else:
                stray.append(record)
            continue
        if record.status == "not_applicable":
            continue  # a task-wide 不适用, applied to every instance below
        owner = _late_owner(late, by_key, record.date) if late else None
        owner = owner or owner_instance(found, record.date)
        if owner is None:
            stray.append(record)
        else:
            by_key[owner.key].append(record)
    return by_key, stray


def _late_owner(late: list[tuple[Instance, dt.date]], by_key: dict[str, list[Record]], day: dt.date) -> Instance | None:
    """The extended instance a record of ``day`` is late work for, if one still needs it."""
    for inst, to in late:
        if inst.due is not None and inst.due < day <= to:
            quota, _ = _wanted(inst.rule)
            if sum(r.status == "done" for r in by_key[inst.key]) < quota:
                return inst
    return None


def _date(record: Record) -> dt.date:
    return record.date


def _wanted(rule: Rule) -> tuple[int, int | None]:
    """How many items an instance of ``rule`` needs, and of how many categories (None: any)."""
    if isinstance(rule, RecurringRule):
        return rule.quota, rule.categories
    return 1, None


def _met_on(done: list[Record], quota: int, categories: int | None) -> tuple[dt.date | None, tuple[str, ...]]:
    if quota == 1 and categories is None and done:  # most rules: the first record met it (min keeps ties in order, as sorted does)
        first = min(done, key=_date)
        return first.date, (first.category,) if first.category else ()
    seen: list[str] = []
    for count, record in enumerate(sorted(done, key=_date), start=1):
        if record.category and record.category not in seen:
            seen.append(record.category)
        if count >= quota and (categories is None or len(seen) >= categories):
            return record.date, tuple(seen)
    return None, tuple(seen)


class Prepared(NamedTuple):
    """What the records assigned to an instance give as known on a day: everything ``assess_instance``
    finds except what the day itself decides (the state, days overdue, days idle). It stays the same
    from one day to the next until a record's date or an entry's day of entry is passed, which is
    what lets ``judge.timeline`` judge any day from a few of them."""

    due: dt.date | None  # the date it is judged against (the extended one if extended)
    original_due: dt.date | None  # set only when extended
    reason: str | None
    met: dt.date | None
    categories: tuple[str, ...]
    last_date: dt.date | None
    last_note: str | None
    evidence: tuple[str, ...]
    done: int
    quota: int
    wanted_categories: int | None
    progressed: bool
    fixed: State | None  # not_applicable or submitted, whatever the day; None: the day decides


def prepared(
    inst: Instance, records: list[Record], extension: Extension | None, na: Record | None,
    as_of: dt.date, pending: frozenset[str] = frozenset(),
) -> Prepared:
    """What the records assigned to ``inst`` give as of ``as_of``; the 已完成 records named in
    ``pending`` await review, so they count only as submitted."""
    quota, wanted_categories = _wanted(inst.rule)
    met: dt.date | None = None
    categories: tuple[str, ...] = ()
    last: Record | None = None
    evidence: tuple[str, ...] = ()
    progress = done = 0
    submitted = False
    if records:  # most instances have none: skip the work
        known = [r for r in records if r.date <= as_of and r.status != "not_applicable"]
        finished = [r for r in known if r.status == "done"]
        if finished:
            accepted = [r for r in finished if r.id not in pending] if pending else finished
            met, categories = _met_on(accepted, quota, wanted_categories)
            if met is None and len(accepted) < len(finished):
                would, seen = _met_on(finished, quota, wanted_categories)
                submitted = would is not None
                categories = seen if submitted else categories
        if known:
            last = max(known, key=_date)
            evidence = tuple(chain.from_iterable([r.evidence for r in known]))
        progress, done = len(known), len(finished)
    extended = extension is not None and inst.due is not None and extension.to != inst.due
    due = extension.to if extended and extension is not None else inst.due
    reason = extension.reason if extended and extension is not None else None
    fixed: State | None = None
    if na is not None and na.date <= as_of:
        fixed = "not_applicable"
        reason = na.note if na.note is not None else reason
    elif submitted:
        fixed = "submitted"
    return Prepared(due, inst.due if extended else None, reason, met, categories, last.date if last else None,
                    last.note if last else None, evidence, done, quota, wanted_categories, progress > 0, fixed)


def assessed(inst: Instance, p: Prepared, as_of: dt.date, plan: PlanMeta, settings: Settings) -> Assessed:
    """``inst`` judged as of ``as_of`` from what its records give (``prepared`` on a day that gives
    the same)."""
    days: int | None = None
    idle: int | None = None
    if p.fixed is not None:
        state: State = p.fixed
    else:
        state, days = state_on(inst.kind, inst.start, p.due, p.met, p.last_date, p.progressed, as_of, plan, settings)
        if state == "lagging":
            idle, days = days, None
    return Assessed(
        inst, state, p.due, p.original_due, days, p.done, p.quota, p.categories, p.met,
        p.last_date, p.last_note, p.evidence, p.reason, idle, p.wanted_categories,
    )


def assess_instance(
    inst: Instance, records: list[Record], extension: Extension | None, na: Record | None,
    as_of: dt.date, plan: PlanMeta, settings: Settings, pending: frozenset[str] = frozenset(),
) -> Assessed:
    """The state of one instance as of ``as_of``, from the records assigned to it; the 已完成
    records named in ``pending`` await review, so they count only as submitted."""
    return assessed(inst, prepared(inst, records, extension, na, as_of, pending), as_of, plan, settings)


def settled_state(kind: str, due: dt.date | None, met: dt.date | None, progressed: bool) -> State | None:
    """The state ``state_on`` gives whatever the day (done, done late, open, in progress), or None
    where the day decides it."""
    if kind == "continuous":
        return None
    if kind == "irregular":
        return "open"
    if due is None:  # an event rule with no number of days
        if met is not None:
            return "done"
        return "in_progress" if progressed else "open"
    if met is not None:
        return "done" if met <= due else "done_late"
    return None


def state_on(
    kind: str, start: dt.date | None, due: dt.date | None, met: dt.date | None, last: dt.date | None,
    progressed: bool, as_of: dt.date, plan: PlanMeta, settings: Settings,
) -> tuple[State, int | None]:
    """The state as of ``as_of`` of an instance of ``kind`` (``start``: a recurring period's first
    day) that is not "not applicable", and its days overdue (lagging: the days since its ``last``
    progress, or since the plan's start)."""
    if kind == "continuous":  # ``start``: the day a unit set up during the plan began to owe it
        begin = max(plan.effective_from, start) if start is not None else plan.effective_from
        anchor = max(begin, last) if last else begin
        try:
            limit = anchor + dt.timedelta(days=settings.lag_days)
        except OverflowError:  # a last progress within lag_days of the calendar's end: no day after the limit
            limit = dt.date.max
        if as_of > limit:
            return "lagging", (as_of - anchor).days
        return ("ongoing" if last else "pending"), None
    settled = settled_state(kind, due, met, progressed)
    if settled is not None:
        return settled, None
    assert due is not None  # settled otherwise
    if as_of > due:
        return "overdue", (as_of - due).days
    if start is not None and kind == "recurring" and as_of < start:
        return "pending", None
    if (due - as_of).days <= settings.due_soon_days:
        return "due_soon", None
    return ("in_progress" if progressed else "pending"), None


def task_prepared(a: Assignment, entry: LedgerTask | None, pending: frozenset[str], as_of: dt.date, plan: PlanMeta,
                  found: list[Instance] | None = None) -> tuple[list[tuple[Instance, Prepared | None]], list[Record]]:
    """Every instance ``a``'s unit owes with what the entries of ``entry`` that count give it as of
    ``as_of`` (None: nothing recorded, extended or 不适用 for it, so it is judged as every unit's
    is), and the records that fit no instance; the 已完成 records named in ``pending`` await review.
    ``entry`` may be any object with the entry's ``records``, ``events`` and ``extensions`` (the
    rows of ``judge.fast`` too); ``found``: ``instances(a, entry, plan)`` where the caller has it."""
    if found is None:
        found = instances(a, entry, plan)
    if entry is None or (not entry.records and not entry.extensions):
        return [(inst, None) for inst in found], []
    records = entry.records
    extensions = {x.instance: x for x in entry.extensions}
    by_key, stray = assign_records(found, records, extensions.values())
    task_na = next((r for r in records if r.status == "not_applicable" and r.instance is None), None)  # Records and fast Rows alike
    out: list[tuple[Instance, Prepared | None]] = []
    for inst in found:
        own = by_key.get(inst.key)
        extension = extensions.get(inst.key)
        if not own and task_na is None and extension is None:
            out.append((inst, None))
            continue
        own = own or []
        na = next((r for r in own if r.status == "not_applicable"), task_na)
        out.append((inst, prepared(inst, own, extension, na, as_of, pending)))
    return out, stray


def assess_task(assignment: Assignment, entry: LedgerTask | None, as_of: dt.date, plan: PlanMeta, settings: Settings,
                pending: frozenset[str] = frozenset()) -> TaskAssessment:
    """Every instance of one task for one unit, judged as of ``as_of`` from the entries that count
    (``entries.history.live``); the 已完成 records named in ``pending`` await review."""
    found, stray = task_prepared(assignment, entry, pending, as_of, plan)
    out = TaskAssessment(assignment, unassigned=stray)
    for inst, p in found:
        out.assessed.append(assessed(inst, p or prepared(inst, [], None, None, as_of), as_of, plan, settings))
    return out


def assess_known(assignment: Assignment, entry: LedgerTask | None, as_of: dt.date, plan: PlanMeta,
                 settings: Settings) -> TaskAssessment:
    """One task judged from its ledger entry as known on ``as_of`` (``entries.history.known_on``):
    withdrawn entries and returned records left out, and with ``settings.review`` the 已完成 records
    no review has decided counted only as submitted (``entries.history.live``)."""
    counted = live(entry, settings.review_start) if entry is not None else None
    return assess_task(assignment, counted.task if counted else None, as_of, plan, settings,
                       counted.pending if counted else frozenset())
