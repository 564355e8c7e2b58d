"""Properties over large input spaces (hypothesis)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gwgk.catalogue.load import load_catalogue
from gwgk.entries.model import Event, LedgerTask, Record
from gwgk.errors import UsageError
from gwgk.judge.assessment import LIGHTS, STATE_LABELS, assess_task
from gwgk.judge.schedule import instances
from gwgk.ledger.changes import appended, clean_text
from gwgk.ledger.document import new_text, record_item
from gwgk.ledger.store import parse

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
