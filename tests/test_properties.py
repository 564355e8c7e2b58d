"""Properties over large input spaces (hypothesis)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gwgk.catalogue.load import load_catalogue
from gwgk.entries.model import Event, Extension, Ledger, LedgerTask, Record
from gwgk.errors import UsageError
from gwgk.judge.assessment import LIGHTS, STATE_LABELS, assess_task
from gwgk.judge.schedule import instances
from gwgk.ledger.changes import appended, clean_text
from gwgk.ledger.document import new_text, record_item
from gwgk.ledger.store import parse
from gwgk.reports.findings import unit_findings

from .conftest import REPO

CAT = load_catalogue(REPO / "data/tasks.yaml", REPO / "data/units.yaml", "tasks.yaml", "units.yaml")
PLAN = CAT.plan
PAIRS = sorted((unit, a.task.id) for unit in CAT.units for a in CAT.assignments(unit))
IN_PLAN = st.dates(min_value=PLAN.effective_from, max_value=PLAN.effective_to)
ANY_2021 = st.dates(min_value=dt.date(2021, 1, 1), max_value=dt.date(2022, 12, 31))


@given(st.sampled_from(PAIRS), st.lists(IN_PLAN, max_size=4))
@settings(max_examples=300, deadline=None)
def test_no_instance_is_due_outside_the_plan_period(pair, event_days):
    unit, task = pair
    entry = LedgerTask(task=task, role="lead", events=[Event(key=f"E{i}", title="t", date=d) for i, d in enumerate(event_days, 1)])
    for inst in instances(CAT.task_units(task)[unit], entry, PLAN):
        if inst.kind in ("date", "recurring"):
            assert PLAN.effective_from <= inst.due <= PLAN.effective_to
        elif inst.kind == "event" and inst.due is not None:
            # an event inside the plan is due on or after it and within 20 working days (< 45 days)
            assert 0 <= (inst.due - inst.event.date).days <= 45
        else:
            assert inst.due is None


records = st.builds(
    Record,
    date=ANY_2021,
    status=st.sampled_from(["done", "in_progress", "not_applicable"]),
    instance=st.one_of(st.none(), st.sampled_from(["2021Q3", "2021-09-30", "E1", "长期", "2021-08", "2021B4"])),
    note=st.one_of(st.none(), st.text(max_size=5)),
    category=st.one_of(st.none(), st.sampled_from(["甲", "乙", "丙", "丁", "戊"])),
)


@given(st.sampled_from(PAIRS), st.lists(records, max_size=8), st.lists(IN_PLAN, max_size=2), ANY_2021)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_states_are_total(pair, recs, event_days, as_of):
    unit, task = pair
    entry = LedgerTask(task=task, role="lead", records=recs, events=[Event(key=f"E{i}", title="t", date=d) for i, d in enumerate(event_days, 1)])
    result = assess_task(CAT.task_units(task)[unit], entry, as_of, PLAN, CAT.settings)
    for a in result.assessed:
        assert a.state in STATE_LABELS and a.light == LIGHTS[a.state]
        assert (a.state == "overdue") == (a.days_overdue is not None)
        assert (a.state == "lagging") == (a.idle_days is not None)
        if a.days_overdue is not None:
            assert a.days_overdue > 0
        if a.idle_days is not None:
            assert a.idle_days > CAT.settings.lag_days


text_values = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40
).filter(lambda s: s.strip() != "")


@given(
    index=st.integers(min_value=0, max_value=len(CAT.assignments("市财政局")) - 1),
    day=ANY_2021,
    status=st.sampled_from(["done", "in_progress", "not_applicable"]),
    note=st.one_of(st.none(), text_values),
    evidence=st.lists(text_values, max_size=3),
    category=st.one_of(st.none(), text_values),
)
@settings(max_examples=300, deadline=None)
def test_recording_then_rereading_is_lossless(index, day, status, note, evidence, category):
    try:  # what the recorder stores: cleaned text; texts it refuses are not written at all
        note = clean_text(note) or None if note is not None else None
        evidence = [e for e in (clean_text(x) for x in evidence) if e]
        category = clean_text(category) or None if category is not None else None
    except UsageError:
        assume(False)
    text = new_text(CAT, "市财政局")
    before = parse(text, "x.yaml")
    record = Record(date=day, status=status, note=note, evidence=evidence, category=category)
    expected = before.model_copy(deep=True)
    expected.tasks[index].records.append(record)
    after_text = appended(text, index, "records", record_item(record), expected, "x.yaml")
    assert parse(after_text, "x.yaml") == expected
    assert after_text.startswith(text[: text.index("  - task:")])


def _moved(a, delta: int):  # noqa: ANN001, ANN202 - an Assessed, as it should read ``delta`` days later
    return (a.instance.key, a.state, a.due, a.original_due, None if a.days_overdue is None else a.days_overdue + delta,
            a.done_count, a.categories, a.completed_on, a.last_progress, a.last_note, a.evidence, a.reason,
            None if a.idle_days is None else a.idle_days + delta)


SWEEP = [dt.date(2020, 12, 20) + dt.timedelta(days=n) for n in range(840)]  # past every record + lag


@given(
    st.sampled_from(PAIRS), st.lists(records, max_size=8), st.lists(IN_PLAN, max_size=2),
    st.lists(st.tuples(st.sampled_from(["2021Q3", "2021-09-30", "E1", "2021-08", "2021B4", "2021-12-31"]), IN_PLAN), max_size=2),
)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_judgement_changes_only_on_a_flip_day(pair, recs, event_days, moves):
    # Judged day after day, an instance reads as the day before with one more day overdue, and is
    # owed alike (as unit_findings counts it), except on its flip days, which are the same whatever
    # the day judged.
    unit, task = pair
    entry = LedgerTask(
        task=task, role="lead", records=recs,
        events=[Event(key=f"E{i}", title="t", date=d) for i, d in enumerate(event_days, 1)],
        extensions=[Extension(instance=key, to=to, reason="r") for key, to in dict(moves).items()],
    )
    assignment = CAT.task_units(task)[unit]
    before = None
    for day in SWEEP:
        judged = assess_task(assignment, entry, day, PLAN, CAT.settings)
        owed = [(a.due is not None and a.due <= day) or a.state in ("done", "done_late") for a in judged.assessed]
        if before is not None:
            assert judged.flips == before[0].flips
            if day not in judged.flips:
                assert [_moved(a, 1) for a in before[0].assessed] == [_moved(a, 0) for a in judged.assessed], day
                assert owed == before[1], day
        before = judged, owed


def _counted_on(found, delta: int):  # noqa: ANN001, ANN202 - UnitFindings, as they should read ``delta`` days later
    items = [i.model_copy(update={"days_overdue": i.days_overdue + delta if i.state == "overdue" else 0,
                                  "idle_days": None if i.idle_days is None else i.idle_days + delta}) for i in found.items]
    return items, found.summary, found.tasks, found.behind


@given(
    st.sampled_from(sorted(CAT.units)), st.lists(st.tuples(st.integers(0, 40), records), max_size=12),
    ANY_2021, st.floats(min_value=0, max_value=1),
)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_within_its_window_a_units_findings_only_count_more_days(unit, placed, as_of, where):
    owed = [a.task.id for a in CAT.assignments(unit)]
    by_task: dict[int, list[Record]] = {}
    for index, record in placed:
        by_task.setdefault(owed[index % len(owed)], []).append(record)
    ledger = Ledger(unit=unit, tasks=[LedgerTask(task=t, role="lead", records=rs) for t, rs in sorted(by_task.items())])
    first = unit_findings(CAT, unit, ledger, as_of)
    low = first.valid_from or dt.date(2020, 1, 1)
    high = first.valid_until or dt.date(2024, 1, 1)
    assert low <= as_of < high
    other = low + dt.timedelta(days=int(where * ((high - low).days - 1)))
    later = unit_findings(CAT, unit, ledger, other)
    assert _counted_on(first, (other - as_of).days) == _counted_on(later, 0)
    assert (later.valid_from, later.valid_until) == (first.valid_from, first.valid_until)
