"""The steps on plain data (``judge.fast``) and the timeline judgement built on them against the
reference (``reports.ledger.assess_unit`` and ``reports.findings.unit_findings``) on generated
ledgers: records with and without ids, entered later than dated, events, extensions, task-wide
不适用, withdrawals and reviews, with 销号 review off and on; and every judgement as of a day sees
nothing entered after it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gwgk.catalogue.load import load_catalogue
from gwgk.entries.history import with_ids
from gwgk.entries.model import (
    Event,
    Extension,
    Ledger,
    LedgerTask,
    Record,
    Review,
    Withdrawal,
)
from gwgk.judge.assessment import (
    TaskAssessment,
    assess_instance,
    assessed,
    task_prepared,
)
from gwgk.judge.fast import counted_on, entry_ids, shape_checked, task_rows
from gwgk.judge.timeline import DayJudge, unit_timeline
from gwgk.reports.findings import decoded, timeline_findings, unit_findings
from gwgk.reports.ledger import assess_unit

from .conftest import REPO

CAT = load_catalogue(REPO / "data/tasks.yaml", REPO / "data/units.yaml", "tasks.yaml", "units.yaml")
REVIEWING = dataclasses.replace(CAT, settings=CAT.settings.model_copy(update={"review": True}))
# 销号 review off, on from the start (``review: true``), or on from a day (``review_from``)
REVIEW = st.one_of(st.just(None), st.just(True), st.dates(dt.date(2021, 5, 1), dt.date(2022, 2, 28)))


def _spanned():
    """The catalogue with units that begin or end inside the plan's period (they owe only what falls
    due while they exist)."""
    from gwgk.catalogue.model import build
    from gwgk.catalogue.plan import TasksFile
    from gwgk.catalogue.units import UnitsFile
    from gwgk.files.loader import load_model

    tasks, _ = load_model(REPO / "data/tasks.yaml", TasksFile, "tasks.yaml")
    units, _ = load_model(REPO / "data/units.yaml", UnitsFile, "units.yaml")
    spans = {"市财政局": {"since": dt.date(2021, 8, 1)}, "敬南镇": {"until": dt.date(2021, 10, 31)},
             "市教育局": {"since": dt.date(2021, 7, 15), "until": dt.date(2021, 11, 30)}}
    changed = units.model_copy(update={"units": [u.model_copy(update=spans.get(u.name, {})) for u in units.units]})
    cat, findings = build(tasks, changed)
    assert not findings
    return cat


SPANNED = _spanned()


def reviewing(review: bool | dt.date | None, spans: bool = False):
    """The catalogue (with units' life spans, or not) with review off (None), on from the start
    (True) or from a day."""
    base = SPANNED if spans else CAT
    if review is None:
        return base
    if review is True:
        return dataclasses.replace(base, settings=base.settings.model_copy(update={"review": True}))
    return dataclasses.replace(base, settings=base.settings.model_copy(update={"review_from": review}))


CATALOGUES = st.builds(reviewing, REVIEW, st.booleans())
UNITS = ["市财政局", "敬南镇", "市政府办公室", "市教育局"]
DAYS = st.dates(dt.date(2021, 5, 1), dt.date(2022, 2, 28))
KEYS = st.sampled_from([None, None, "2021Q3", "2021-09", "2021-09-30", "2021-12", "长期", "E1", "E2", "nothing"])
LAG = st.integers(0, 30)


@st.composite
def ledgers(draw: st.DrawFn) -> tuple[str, Ledger]:
    """A ledger of one unit: any of its tasks, any entries, some entered after their date."""
    unit = draw(st.sampled_from(UNITS))
    owed = [a.task.id for a in CAT.assignments(unit)]
    chosen = draw(st.lists(st.sampled_from(owed), min_size=1, max_size=6, unique=True))
    with_ids = draw(st.booleans())
    n = 0
    tasks = []
    for t in sorted(chosen):
        task = LedgerTask(task=t, role="lead")
        for k in range(draw(st.integers(0, 2))):
            day = draw(DAYS)
            late = draw(st.one_of(st.none(), LAG.map(lambda d, day=day: day + dt.timedelta(days=d))))
            task.events.append(Event(key=f"E{k + 1}", title="事件", date=day, entered=late))
        for _ in range(draw(st.integers(0, 6))):
            n += 1
            day = draw(DAYS)
            late = draw(st.one_of(st.none(), LAG.map(lambda d, day=day: day + dt.timedelta(days=d))))
            task.records.append(Record(
                id=f"R{n}" if with_ids or draw(st.booleans()) else None, date=day, entered=late,
                status=draw(st.sampled_from(["done", "done", "in_progress", "not_applicable"])), instance=draw(KEYS),
                note=draw(st.sampled_from([None, "说明"])), evidence=draw(st.sampled_from([[], ["http://a.cn/1"]])),
                category=draw(st.sampled_from([None, "政策解读", "新闻发布"])),
            ))
        if draw(st.booleans()):
            task.extensions.append(Extension(
                id=draw(st.sampled_from([None, f"X{t}"])), instance=draw(KEYS.filter(bool)), to=draw(DAYS), reason="延期",
                entered=draw(st.one_of(st.none(), DAYS))))
        targets = [r.id or f"R{i}" for i, r in enumerate(task.records, start=1)] + [e.key for e in task.events] + ["X1"]
        for v in range(draw(st.integers(0, 3))):
            task.reviews.append(Review(id=f"V{t}{v}", record=draw(st.sampled_from(targets)), entered=draw(DAYS),
                                       decision=draw(st.sampled_from(["accepted", "returned"]))))
        targets += [v.id for v in task.reviews]  # a withdrawn review decides nothing from its day
        for w in range(draw(st.integers(0, 2))):
            task.withdrawals.append(Withdrawal(id=f"W{t}{w}", target=draw(st.sampled_from(targets)), entered=draw(DAYS), reason="撤回"))
        tasks.append(task)
    return unit, Ledger(unit=unit, tasks=tasks)


def _plain(ledger: Ledger) -> dict:
    """The ledger as the cache holds it (JSON text and back)."""
    return json.loads(json.dumps(ledger.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False))


def _fast(cat, unit: str, data: dict | None, as_of: dt.date) -> list[TaskAssessment]:
    """``assess_unit`` taken step by step on plain data, as ``judge.timeline`` takes it each day."""
    entries = {}
    if data is not None:
        start = cat.settings.review_start
        review = None if start is None else start.isoformat()
        ids = entry_ids(shape_checked(data), review)
        entries = {t["task"]: counted_on(task_rows(ti, t, ids), as_of.isoformat(), review)
                   for ti, t in enumerate(data.get("tasks", []))}
    out = []
    for a in cat.assignments(unit):
        entry, pending = entries.get(a.task.id) or (None, frozenset())
        found, stray = task_prepared(a, entry, pending, as_of, cat.plan)
        ta = TaskAssessment(a, unassigned=stray)
        ta.assessed = [assess_instance(inst, [], None, None, as_of, cat.plan, cat.settings) if p is None
                       else assessed(inst, p, as_of, cat.plan, cat.settings) for inst, p in found]
        out.append(ta)
    return out


def _judged(tasks):  # the judgement without the objects the entries were read into
    return [(ta.assignment, [(x._replace(instance=(x.instance.key, x.instance.due, x.instance.start))) for x in ta.assessed],
             [(r.date, r.status, r.instance) for r in ta.unassigned]) for ta in tasks]


@given(ledgers(), DAYS, CATALOGUES)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_steps_on_plain_data_give_the_reference_judgement(drawn, as_of, cat):
    unit, ledger = drawn
    assert _judged(_fast(cat, unit, _plain(ledger), as_of)) == _judged(assess_unit(cat, unit, ledger, as_of))


@given(st.lists(ledgers(), min_size=2, max_size=4), DAYS)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_what_one_unit_shares_with_the_next_changes_nothing(drawn, as_of):
    judge = DayJudge(CAT, as_of)  # one judge for every unit in turn, as a report uses it
    for unit, ledger in drawn:
        found = timeline_findings(judge, unit, unit_timeline(CAT, unit, _plain(ledger)))
        assert decoded(found, CAT, as_of) == unit_findings(CAT, unit, ledger, as_of)
    found = timeline_findings(judge, "市教育局", unit_timeline(CAT, "市教育局", None))
    assert decoded(found, CAT, as_of) == unit_findings(CAT, "市教育局", None, as_of)


@given(ledgers(), DAYS)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_nothing_entered_after_the_day_is_seen(drawn, as_of):
    unit, ledger = drawn
    ledger = with_ids(ledger)  # ids are numbered over the whole file: cut after numbering, as the file would be
    known = Ledger(unit=unit, tasks=[t.model_copy(update={
        "records": [r for r in t.records if r.entered_on <= as_of],
        "events": [e for e in t.events if e.entered_on <= as_of],
        "extensions": [x for x in t.extensions if x.entered is None or x.entered <= as_of],
        "withdrawals": [w for w in t.withdrawals if w.entered <= as_of],
        "reviews": [v for v in t.reviews if v.entered <= as_of],
    }) for t in ledger.tasks])
    whole = timeline_findings(DayJudge(CAT, as_of), unit, unit_timeline(CAT, unit, _plain(ledger)))
    cut = timeline_findings(DayJudge(CAT, as_of), unit, unit_timeline(CAT, unit, _plain(known)))
    assert whole == cut
