"""Each unit's judgement as a function of the day: made once from its ledger, read for any as-of day.

What a ledger's entries give an instance (``assessment.Prepared``) changes only on the days that
some entry's date or day of entry is passed: between two such days the same records, events and
extensions count, and only the day itself moves the state (overdue once the due date is passed,
due soon, lagging, and the days overdue or idle). A unit's *timeline* holds, for each instance its
entries touch, what they give from each such day on, judged by the same functions as the reference
(``fast.counted_on``, ``assessment.task_prepared``); judging a day is then picking the right one and
asking ``assessment.state_on``. Instances nothing touches are the catalogue's own, judged once per
day for every unit. ``tests/test_timeline.py`` checks every day of generated ledgers against the
reference. Pure: no I/O, no clock.

The timeline is plain data, cached as JSON and so kept small: ``[notes, tasks]``, ``notes`` the
texts of the unit's last notes (each once), ``tasks`` a list of ``[task, courses]`` for the tasks
whose entries give anything. A course is ``[key, kind, start, due, original_due, *snapshots]``: the
values of the instance as its first snapshot that holds any saw them (its due date already an
extended one if an extension counted from the start), and each snapshot one of

* ``[from]``: the catalogue's instance of that key, nothing recorded for it;
* ``[from, None, message]``: in the course of no instance (key None, first when there is one), a
  stretch of days the reference refuses to judge with ``message`` (an event the holiday data does
  not cover counts then): judging such a day raises ``DataError`` as the reference does;
* ``[from, None]``: no such instance (an event not yet known, or withdrawn);
* ``[from, state]``: a state no day changes (done, done late, 不适用, …), which is never an item
  of a report, so nothing else about it is kept;
* ``[from, met, last, note, progressed]``: what the entries give (``note`` an index into ``notes``
  or None), the day deciding the state;

either of the last two followed by ``kind, start, due, original_due`` where these differ from the
course's own; dates as day numbers (``date.toordinal``), ``from`` the first day it holds (None for
the first).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from gwgk.catalogue.model import Assignment, Catalogue, Owing
from gwgk.errors import DataError
from gwgk.judge.assessment import (
    Prepared,
    assess_instance,
    prepared,
    settled_state,
    state_on,
    task_prepared,
)
from gwgk.judge.fast import (
    Counted,
    Row,
    TaskRows,
    counted_on,
    entry_ids,
    shape_checked,
    task_rows,
)
from gwgk.judge.schedule import Instance, instances

# One instance judged as of a day: key, state, days overdue, days idle, due, original due, last
# progress (dates as day numbers), last note (the last two None where the state is settled: only
# an overdue or lagging instance shows them).
Judged = tuple[str, str, "int | None", "int | None", "int | None", "int | None", "int | None", "str | None"]

_TIMELINE_ENTRIES = ("records", "events", "extensions")


def _change_days(t: dict[str, Any]) -> list[str]:
    """The days (ISO) from which task entry ``t`` may count differently: every date and day of entry
    a filter of ``fast.counted_on`` or ``assessment.prepared`` compares with the as-of day."""
    days: set[str] = set()
    for r in t.get("records", ()):
        days.add(r["date"])
        if r.get("entered"):
            days.add(r["entered"])
    for e in t.get("events", ()):
        days.add(e.get("entered") or e["date"])
    for group in ("extensions", "withdrawals", "reviews"):
        for x in t.get(group, ()):
            if x.get("entered"):
                days.add(x["entered"])
    return sorted(days)


def _segments(days: list[str]) -> list[tuple[str, dt.date, int | None]]:
    """Each stretch of days between the change ``days`` (sorted ISO): a day within it to judge it as
    of (ISO, and as a date), and the day number it begins on (None for the first: from the start
    of time)."""
    if not days:
        first = dt.date(2000, 1, 1)  # nothing dated: any day will do
        return [(ISO_DAYS[first], first, None)]
    out = [(day, DATES[day], DAY_NUMBERS[DATES[day]]) for day in days]
    if out[0][1] == dt.date.min:
        return [(days[0], dt.date.min, None), *out[1:]]
    before = out[0][1] - dt.timedelta(days=1)
    return [(ISO_DAYS[before], before, None), *out]


def _follow(course: list[list[Any]], snap: list[Any]) -> None:
    """Add ``snap`` to ``course`` unless it gives what the last one does."""
    if course[-1][1:] != snap[1:]:
        course.append(snap)


class Memo(dict):  # type: ignore[type-arg]
    """Values made once each, by ``make``, from their keys; None for None (day numbers, dates and
    their ISO text, looked up hundreds of thousands of times over a few hundred distinct days)."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__({None: None})
        self.make = make

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.make(key)
        return value


DAY_NUMBERS = Memo(dt.date.toordinal)  # a date's day number (a few hundred distinct dates a plan year)
DATES = Memo(dt.date.fromisoformat)  # an ISO day's date
ISO_DAYS = Memo(dt.date.isoformat)  # a date's ISO text


class _Courses:
    """The courses of one task's instances as they are made, segment by segment."""

    def __init__(self, fixed: dict[str, Instance], notes: dict[str, int]):
        self.fixed, self.notes = fixed, notes
        self.heads: dict[str, list[Any]] = {}
        self.courses: dict[str, list[list[Any]]] = {}
        self.errors: list[list[Any]] = []

    def add(self, inst: Instance, p: Prepared | None, begins: int | None, first: bool) -> None:
        """What ``p`` gives ``inst`` from day ``begins`` on (None: nothing recorded for it);
        ``first``: the first stretch of days, before any change."""
        key = inst.key
        course = self.courses.get(key)
        if p is None and self.fixed.get(key) is inst:
            if course is not None:  # the catalogue's own instance again, after something touched it
                _follow(course, [begins])
            return  # untouched so far: no course
        if p is None:  # an event's instance (or a renamed one), nothing recorded
            p = prepared(inst, [], None, None, dt.date.fromordinal(begins) if begins else dt.date.min)
        number = DAY_NUMBERS
        kind = inst.kind
        own = [kind, number[inst.start], number[p.due], number[p.original_due]]
        head = self.heads.setdefault(key, own)
        # a state no day changes is settled here, once, rather than on every day judged; such an
        # instance is never an item of a report, so its last progress is not kept either
        settled = p.fixed or settled_state(kind, p.due, p.met, p.progressed)
        if settled is not None:
            snap = [begins, settled]
        else:
            note = None if p.last_note is None else self.notes.setdefault(p.last_note, len(self.notes))
            snap = [begins, number[p.met], number[p.last_date], note, p.progressed]
        if own != head:
            snap.extend(own)
        if course is None:  # new: before now the catalogue's own instance, or none
            self.courses[key] = [snap] if first else [[None], snap] if key in self.fixed else [[None, None], snap]
        else:
            _follow(course, snap)

    def absent(self, key: str, begins: int | None) -> None:
        """No instance ``key`` from day ``begins`` on."""
        _follow(self.courses[key], [begins, None])

    def failing(self, begins: int | None, message: str) -> None:
        """From day ``begins`` on, no day can be judged: the reference refuses with ``message``."""
        if not self.errors and begins is not None:
            self.errors.append([None, None])
        self.errors.append([begins, None, message])

    def judged(self, begins: int | None) -> None:
        """From day ``begins`` on, days can be judged again."""
        if self.errors and len(self.errors[-1]) == 3:
            self.errors.append([begins, None])

    def made(self) -> list[list[Any]]:
        """The courses, in the timeline's form; the stretches that cannot be judged first, as the
        course of no instance (key None)."""
        out = [[None, None, None, None, None, *self.errors]] if self.errors else []
        return out + [[key, *self.heads.get(key, (None, None, None, None)), *course] for key, course in self.courses.items()]


def _course(a: Assignment, rows: TaskRows, days: list[str], review: str | None, catalogue: Catalogue,
            made: _Courses) -> None:
    """The courses of the instances a task entry touches, judged by the whole of ``fast``'s
    pipeline at each of the entry's change ``days``: right for every entry."""
    plan = catalogue.plan
    known_events: tuple[int, ...] | None = None
    found: list[Instance] = []
    for n, (today, day, begins) in enumerate(_segments(days)):
        entry, pending = counted_on(rows, today, review)
        events = tuple(map(id, entry.events))
        try:
            if events != known_events:  # the instances change only with the events known
                found, known_events = instances(a, entry, plan), events  # type: ignore[arg-type]
            judged = task_prepared(a, entry, pending, day, plan, found)[0]  # type: ignore[arg-type]  # Counted reads as a LedgerTask
        except DataError as exc:  # what the reference says on these days (holiday data not covering an event)
            known_events = None
            made.failing(begins, exc.message)
            continue
        made.judged(begins)
        seen: set[str] = set()
        for inst, p in judged:
            seen.add(inst.key)
            made.add(inst, p, begins, n == 0)
        for key in made.courses.keys() - seen:
            made.absent(key, begins)


def _simple_course(a: Assignment, rows: TaskRows, review: str | None, catalogue: Catalogue, made: _Courses) -> bool:
    """The courses of the instances a task entry touches, made instance by instance where that
    gives what ``_course`` gives, and whether it did.

    It does when no review is kept and the entry has no extension, withdrawal or review, every
    record names its instance and no two instances share a key: then ``task_prepared`` gives each
    records that name it, counted by their day of entry (an event's only once the event is known),
    and so an instance changes only on its own records' days and its event's.
    """
    if review or rows.extensions or rows.withdrawals or rows.reviews or any(r.instance is None for _, r in rows.records):
        return False
    if rows.events:
        everything = Counted([r for _, r in rows.records], [e for _, e in rows.events], [])
        try:
            found = instances(a, everything, catalogue.plan)  # type: ignore[arg-type]
        except DataError:
            return False  # an event the holiday data does not cover: judged stretch by stretch
    else:
        found = list(made.fixed.values())  # no event: the catalogue's own instances
    keys = [*made.fixed, *(inst.event.key for inst in found if inst.event is not None)]
    if len(set(keys)) != len(keys):
        return False  # keys made unique by renaming: an instance's key is not its event's
    by_key = {inst.key: inst for inst in found}
    event_known = {e.key: known for known, e in rows.events}
    own: dict[str, list[tuple[str, Row]]] = {}
    for known, r in rows.records:
        if r.instance in by_key:
            own.setdefault(r.instance, []).append((known, r))
    for key, inst in by_key.items():
        mine = own.get(key, [])
        appears = event_known.get(key) if inst.event is not None else None
        if not mine and appears is None:
            continue  # the catalogue's own instance, untouched all along
        iso = ISO_DAYS
        days = {d for known, r in mine for d in (known, iso[r.date])}
        if appears is not None:
            days.add(appears)
        inapplicable = [(known, r) for known, r in mine if r.status == "not_applicable"]
        for n, (today, day, begins) in enumerate(_segments(sorted(days))):
            if appears is not None and appears > today:
                if n:
                    made.absent(key, begins)
                else:
                    made.courses[key] = [[None, None]]
                continue
            counted = [r for known, r in mine if known <= today]
            # the first 不适用 record counted (as ``task_prepared`` takes it)
            na = next((r for known, r in inapplicable if known <= today), None) if inapplicable else None
            made.add(inst, prepared(inst, counted, None, na, day) if counted else None, begins, n == 0)  # type: ignore[arg-type]
    return True


def unit_timeline(catalogue: Catalogue, unit: str, data: dict[str, Any] | None, *, dumped: bool = False) -> list[Any]:
    """The timeline of ``unit`` from its ledger's plain data (None: no ledger); ``ValueError`` (or
    another exception) for data that is not a dumped ``Ledger``. ``dumped``: the data was just
    dumped from a ``Ledger``, so its shape needs no check."""
    if data is None:
        return [[], []]
    if not dumped:
        data = shape_checked(data)
    tasks = data.get("tasks", [])
    by_task = {t["task"]: (ti, t) for ti, t in enumerate(tasks)}
    start = catalogue.settings.review_start
    review = None if start is None else start.isoformat()
    ids = entry_ids(data, review)
    notes: dict[str, int] = {}
    out: list[list[Any]] = []
    for owing in catalogue.owings(unit):
        found = by_task.get(owing.task.id)
        if found is None or not any(found[1].get(name) for name in _TIMELINE_ENTRIES):
            continue  # withdrawals and reviews alone change nothing
        a = owing.assignment(unit)
        rows = task_rows(found[0], found[1], ids)
        made = _Courses({inst.key: inst for inst in instances(a, None, catalogue.plan)}, notes)
        if not _simple_course(a, rows, review, catalogue, made):
            _course(a, rows, _change_days(found[1]), review, catalogue, made)
        if made.courses or made.errors:
            out.append([a.task.id, made.made()])
    return [list(notes), out]


class DayJudge:
    """Judges units from their timelines as of one day, judging the catalogue's instances once."""

    def __init__(self, catalogue: Catalogue, as_of: dt.date):
        self.catalogue, self.as_of, self.today = catalogue, as_of, as_of.toordinal()
        self._own: dict[tuple[Any, ...], tuple[list[Judged], dict[str, Judged]]] = {}
        self._days = Memo(dt.date.fromordinal)

    def catalogue_own(self, owing: Owing, unit: str) -> tuple[list[Judged], dict[str, Judged]]:
        """The instances of the task ``owing`` names that do not depend on ``unit``, nothing recorded,
        judged (the same for every unit the same rules bind); and by key."""
        rules = owing.rules_for(unit)
        key = (owing.task.id, owing.spans.get(unit), *map(id, rules))  # rules are kept alive by the catalogue
        found = self._own.get(key)
        if found is None:
            judged = [self._judged(inst) for inst in instances(owing.assignment(unit), None, self.catalogue.plan)]
            found = self._own[key] = (judged, {j[0]: j for j in judged})
        return found

    def _judged(self, inst: Instance) -> Judged:
        x = assess_instance(inst, [], None, None, self.as_of, self.catalogue.plan, self.catalogue.settings)
        return (inst.key, x.state, x.days_overdue, x.idle_days, DAY_NUMBERS[x.due], DAY_NUMBERS[x.original_due], None, None)

    def unit(self, unit: str, timeline: list[Any]) -> list[tuple[Owing, list[Judged]]]:
        """Every task ``unit`` owes (as who owes it: ``Owing.assignment`` gives the unit's part), in
        task order, with its instances judged as of the day."""
        notes, tasks = timeline
        touched = dict(tasks)
        today, as_of, plan, settings, days = self.today, self.as_of, self.catalogue.plan, self.catalogue.settings, self._days
        out = []
        for owing in self.catalogue.owings(unit):
            own, by_key = self.catalogue_own(owing, unit)
            courses = touched.get(owing.task.id)
            if courses is None:
                out.append((owing, own))
                continue
            if len(own) == 1 and len(courses) == 1 and courses[0][0] == own[0][0]:
                judged = []  # the usual: one instance, touched
            else:
                keys = {course[0] for course in courses}
                judged = [j for j in own if j[0] not in keys]
            for course in courses:
                snap = course[-1]
                if snap[0] is None or snap[0] > today:  # the only one, or not yet: find the one holding on the day
                    snap = course[5]
                    for later in course[6:-1]:
                        if later[0] > today:
                            break
                        snap = later
                size = len(snap)
                if size == 1:
                    judged.append(by_key[course[0]])
                    continue
                if size == 3:  # a stretch of days the reference refuses to judge
                    raise DataError(snap[2])
                second = snap[1]
                if second.__class__ is str:  # settled
                    due, original = (snap[4], snap[5]) if size > 2 else (course[3], course[4])
                    judged.append((course[0], second, None, None, due, original, None, None))
                    continue
                if size == 2:
                    continue  # no such instance on the day
                kind, start, due, original = snap[5:] if size > 5 else (course[1], course[2], course[3], course[4])
                note = snap[3]
                if note is not None:
                    note = notes[note]
                state, count = state_on(kind, days[start], days[due], days[second], days[snap[2]], snap[4], as_of, plan, settings)
                if state == "lagging":
                    judged.append((course[0], state, None, count, due, original, snap[2], note))
                else:
                    judged.append((course[0], state, count, None, due, original, snap[2], note))
            out.append((owing, judged))
        return out
