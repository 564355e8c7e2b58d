"""The timeline judgement (``judge.timeline``, read by ``reports.findings.timeline_findings``)
against the reference (``reports.findings.unit_findings``): one timeline, made once from a
generated ledger and passed through JSON as the cache holds it, judged as of many days, must give
each day exactly what the reference gives from the ledger as of that day.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gwgk.entries.model import Event, Extension, Ledger, LedgerTask, Record, Withdrawal
from gwgk.errors import DataError
from gwgk.judge import timeline
from gwgk.judge.timeline import DayJudge, unit_timeline
from gwgk.reports.findings import decoded, encoded, timeline_findings, unit_findings

from .test_fast import CAT, CATALOGUES, DAYS, REVIEWING, _plain, ledgers


def _through_json(timeline: list) -> list:
    return json.loads(json.dumps(timeline, ensure_ascii=False))


def _each_day_equal(cat, unit: str, ledger: Ledger | None, days: list[dt.date]) -> None:
    timeline = _through_json(unit_timeline(cat, unit, _plain(ledger) if ledger is not None else None))
    for day in days:
        reference = unit_findings(cat, unit, ledger, day)
        compact = timeline_findings(DayJudge(cat, day), unit, timeline)
        assert compact == encoded(reference), day
        assert decoded(compact, cat, day) == reference


@given(ledgers(), st.lists(DAYS, min_size=1, max_size=8), CATALOGUES)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_one_timeline_judges_every_day_as_the_reference(drawn, days, cat):
    unit, ledger = drawn
    _each_day_equal(cat, unit, ledger, days)


@given(ledgers())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_day_around_the_entries(drawn):
    # each day an entry is dated or entered, and the days either side of it, where a timeline
    # that missed a change day would be caught
    unit, ledger = drawn
    marks = set()
    for t in ledger.tasks:
        for x in [*t.records, *t.events]:
            marks.update({x.date, x.entered_on})
        marks.update(x.entered for x in [*t.extensions, *t.withdrawals, *t.reviews] if x.entered is not None)
    days = sorted({d + dt.timedelta(days=k) for d in marks for k in (-1, 0, 1)})
    _each_day_equal(REVIEWING, unit, ledger, days)
    _each_day_equal(CAT, unit, ledger, days)


def test_a_unit_without_ledger_is_the_catalogues_instances():
    _each_day_equal(CAT, "市财政局", None, [dt.date(2021, 5, 1), dt.date(2021, 10, 8), dt.date(2022, 2, 1)])
    assert unit_timeline(CAT, "市财政局", None) == [[], []]


def test_a_timeline_holds_only_what_the_entries_touch():
    # one record on task 2 (a single 9月底 date): the course of 2021-09-30 is the catalogue's own
    # instance until the record's day, then done on 20 September, settled whatever the day after
    task = LedgerTask(task=2, role="lead", records=[Record(date=dt.date(2021, 9, 20), status="done", note="已公开")])
    ledger = Ledger(unit="市财政局", tasks=[task])
    timeline = unit_timeline(CAT, "市财政局", _plain(ledger))
    sep20, sep30 = dt.date(2021, 9, 20).toordinal(), dt.date(2021, 9, 30).toordinal()
    assert timeline == [[], [[2, [["2021-09-30", "date", None, sep30, None, [None], [sep20, "done"]]]]]]
    _each_day_equal(CAT, "市财政局", ledger, [dt.date(2021, 9, 19), dt.date(2021, 9, 20), dt.date(2021, 10, 1)])


def test_a_withdrawn_event_leaves_the_timeline_on_its_day():
    events = [Event(key="E1", title="规划发布", date=dt.date(2021, 7, 1))]
    withdrawn = [Withdrawal(id="W1", target="E1", entered=dt.date(2021, 8, 1), reason="录错")]
    ledger = Ledger(unit="市财政局", tasks=[LedgerTask(task=1, role="lead", events=events, withdrawals=withdrawn)])
    _, tasks = unit_timeline(CAT, "市财政局", _plain(ledger))
    [[task, [[key, kind, start, due, original, *course]]]] = tasks
    jul1, aug1 = dt.date(2021, 7, 1).toordinal(), dt.date(2021, 8, 1).toordinal()
    due = dt.date(2021, 7, 29).toordinal()  # 形成起20个工作日内: 2 July, the weeks of the 5th, 12th and 19th, 26-29 July
    assert (task, key, kind, start, due, original) == (1, "E1", "event", jul1, due, None)
    assert course == [[None, None], [jul1, None, None, None, False], [aug1, None]]
    _each_day_equal(CAT, "市财政局", ledger, [dt.date(2021, 6, 30), dt.date(2021, 7, 25), dt.date(2021, 8, 1)])


def test_an_extension_without_day_of_entry_counts_from_the_start():
    ext = Extension(id="X1", instance="2021-09-30", to=dt.date(2021, 10, 31), reason="延期")
    ledger = Ledger(unit="市财政局", tasks=[LedgerTask(task=2, role="lead", extensions=[ext])])
    _each_day_equal(CAT, "市财政局", ledger, [dt.date(2021, 9, 1), dt.date(2021, 10, 15), dt.date(2021, 11, 1)])


@st.composite
def plain_ledgers(draw: st.DrawFn) -> tuple[str, Ledger]:
    """A ledger as ``gwgk record`` writes most: every record names its instance; events, some
    entered late; no extension, withdrawal or review."""
    unit, ledger = draw(ledgers())
    keys = st.sampled_from(["2021Q3", "2021-09", "2021-09-30", "2021-12", "长期", "E1", "E2", "nothing"])
    tasks = [t.model_copy(update={
        "records": [r.model_copy(update={"instance": r.instance or draw(keys)}) for r in t.records],
        "extensions": [], "withdrawals": [], "reviews": []}) for t in ledger.tasks]
    return unit, Ledger(unit=unit, tasks=tasks)


NOTES_IN_ANOTHER_ORDER = ("市财政局", Ledger(unit="市财政局", tasks=[LedgerTask(task=7, role="lead", records=[
    Record(date=dt.date(2021, 9, 10), status="in_progress", instance="2021Q3", note="a"),
    Record(date=dt.date(2021, 7, 5), status="in_progress", instance="2021Q4", note="b")])]))


@given(plain_ledgers(), st.lists(DAYS, min_size=1, max_size=4))
@example(NOTES_IN_ANOTHER_ORDER, [dt.date(2021, 10, 1)])  # the two ways number the notes differently
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_instance_by_instance_gives_what_the_whole_pipeline_gives(drawn, days):
    unit, ledger = drawn
    used = []
    real = timeline._simple_course

    def counted(*args):
        used.append(real(*args))
        return used[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timeline, "_simple_course", counted)
        quick = unit_timeline(CAT, unit, _plain(ledger))
        patch.setattr(timeline, "_simple_course", lambda *args: False)
        whole = unit_timeline(CAT, unit, _plain(ledger))
    def by_key(made: list) -> list:  # the order of a task's courses, and so the numbering of notes, means nothing
        notes = made[0]

        def resolved(snap: list) -> list:  # a snapshot with its note's text instead of its number
            if len(snap) < 5 or isinstance(snap[1], str):
                return snap
            return [*snap[:3], None if snap[3] is None else notes[snap[3]], *snap[4:]]

        return [[task, sorted(([*c[:5], *map(resolved, c[5:])] for c in courses), key=lambda c: c[0])] for task, courses in made[1]]

    assert by_key(quick) == by_key(whole)
    assert all(used)  # every task of such a ledger takes the quick way
    _each_day_equal(CAT, unit, ledger, days)


def _events(task: int, *events: Event, withdrawals: tuple[Withdrawal, ...] = ()) -> Ledger:
    return Ledger(unit="市财政局", tasks=[LedgerTask(task=task, role="lead", events=list(events), withdrawals=list(withdrawals))])


# Found by an independent attack on the timeline: each gave findings other than the reference's.
@pytest.mark.parametrize(("ledger", "days"), [
    # an event keyed like a date instance of its task (task 18: 6月底), renamed 2021-06-30#2
    (_events(18, Event(key="2021-06-30", title="文件形成", date=dt.date(2021, 7, 1))), [dt.date(2021, 9, 1)]),
    # the same where the event rule comes first (task 1), so the date instance is the one renamed
    (_events(1, Event(key="2021-09-30", title="规划形成", date=dt.date(2021, 9, 1), entered=dt.date(2021, 10, 20))),
     [dt.date(2021, 10, 10), dt.date(2021, 11, 1)]),
    # renaming that would give two instances one key (an event keyed E1#2 by hand)
    (_events(5, Event(key="E1#2", title="事件", date=dt.date(2021, 7, 1)), Event(key="E1", title="事件", date=dt.date(2021, 8, 2)),
             Event(key="E1", title="事件", date=dt.date(2021, 9, 1))), [dt.date(2021, 9, 2), dt.date(2021, 12, 1)]),
])
def test_events_whose_keys_collide(ledger: Ledger, days: list[dt.date]):
    _each_day_equal(CAT, "市财政局", ledger, days)
    _each_day_equal(REVIEWING, "市财政局", ledger, days)


def test_renamed_keys_are_never_another_instances_key():
    ledger = _events(5, Event(key="E1#2", title="事件", date=dt.date(2021, 7, 1)), Event(key="E1", title="事件", date=dt.date(2021, 8, 2)),
                     Event(key="E1", title="事件", date=dt.date(2021, 9, 1)))
    found = unit_findings(CAT, "市财政局", ledger, dt.date(2021, 12, 1))
    assert sorted(i.instance for i in found.items if i.task == 5) == ["E1", "E1#2", "E1#3"]


def test_a_day_the_reference_refuses_is_refused_and_the_others_judged():
    # an event the holiday data does not cover (20 working days after it cannot be counted): the
    # reference refuses the days it counts, here only while it was known and not yet withdrawn
    uncovered = dt.date(2099, 3, 1)
    ledger = _events(5, Event(key="E1", title="事件", date=uncovered, entered=dt.date(2021, 8, 1)),
                     withdrawals=(Withdrawal(id="W1", target="E1", entered=dt.date(2021, 8, 3), reason="录错"),))
    made = _through_json(unit_timeline(CAT, "市财政局", _plain(ledger)))
    for day in (dt.date(2021, 7, 31), dt.date(2021, 8, 3), dt.date(2021, 10, 1)):
        assert timeline_findings(DayJudge(CAT, day), "市财政局", made) == encoded(unit_findings(CAT, "市财政局", ledger, day))
    for day in (dt.date(2021, 8, 1), dt.date(2021, 8, 2)):
        with pytest.raises(DataError) as reference:
            unit_findings(CAT, "市财政局", ledger, day)
        with pytest.raises(DataError) as judged:
            timeline_findings(DayJudge(CAT, day), "市财政局", made)
        assert judged.value.message == reference.value.message
