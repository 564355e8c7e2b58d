"""States as of a date, table-driven, with expected values worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from gwgk.catalogue.load import load_catalogue
from gwgk.entries.model import Event, Extension, LedgerTask, Record
from gwgk.judge.assessment import assess_task

from .conftest import REPO

D = dt.date


@pytest.fixture(scope="module")
def cat():
    return load_catalogue(REPO / "data/tasks.yaml", REPO / "data/units.yaml", "tasks.yaml", "units.yaml")


def judge(cat, unit, task, as_of, records=(), events=(), extensions=()):
    entry = LedgerTask(task=task, role="lead", records=list(records), events=list(events), extensions=list(extensions))
    result = assess_task(cat.task_units(task)[unit], entry, as_of, cat.plan, cat.settings)
    return [(a.instance.key, a.state, a.days_overdue) for a in result.assessed]


def idle(cat, unit, task, as_of, records=()):
    entry = LedgerTask(task=task, role="lead", records=list(records))
    result = assess_task(cat.task_units(task)[unit], entry, as_of, cat.plan, cat.settings)
    return [a.idle_days for a in result.assessed]


def done(day, **kw):
    return Record(date=day, status="done", **kw)


F = "市财政局"


@pytest.mark.parametrize(
    ("as_of", "records", "expected"),
    [
        (D(2021, 9, 10), [], [("2021-09-30", "pending", None)]),  # 20 days left
        (D(2021, 9, 15), [], [("2021-09-30", "due_soon", None)]),  # 15 days left
        (D(2021, 9, 30), [], [("2021-09-30", "due_soon", None)]),  # due today, not yet overdue
        (D(2021, 10, 8), [], [("2021-09-30", "overdue", 8)]),
        (D(2021, 10, 8), [done(D(2021, 9, 28))], [("2021-09-30", "done", None)]),
        (D(2021, 10, 8), [done(D(2021, 10, 5))], [("2021-09-30", "done_late", None)]),
        (D(2021, 10, 1), [done(D(2021, 10, 5))], [("2021-09-30", "overdue", 1)]),  # not known yet on 10-01
        (D(2021, 9, 1), [Record(date=D(2021, 8, 20), status="in_progress")], [("2021-09-30", "in_progress", None)]),
        (D(2021, 10, 8), [Record(date=D(2021, 8, 20), status="not_applicable", note="无规划")], [("2021-09-30", "not_applicable", None)]),
    ],
)
def test_date_rule(cat, as_of, records, expected):
    assert judge(cat, F, 2, as_of, records) == expected


def test_extension_judges_against_the_new_date_and_keeps_the_old(cat):
    ext = [Extension(instance="2021-09-30", to=D(2021, 10, 31), reason="等待省平台")]
    assert judge(cat, F, 2, D(2021, 10, 8), extensions=ext) == [("2021-09-30", "pending", None)]
    assert judge(cat, F, 2, D(2021, 10, 20), extensions=ext) == [("2021-09-30", "due_soon", None)]
    assert judge(cat, F, 2, D(2021, 11, 2), extensions=ext) == [("2021-09-30", "overdue", 2)]
    entry = LedgerTask(task=2, role="lead", extensions=ext)
    (a,) = assess_task(cat.task_units(2)[F], entry, D(2021, 11, 2), cat.plan, cat.settings).assessed
    assert (a.due, a.original_due, a.extended, a.reason, a.light) == (D(2021, 10, 31), D(2021, 9, 30), True, "等待省平台", "red")


def test_quarterly_empty_ledger_on_2021_10_08(cat):
    assert judge(cat, F, 7, D(2021, 10, 8)) == [("2021Q2", "overdue", 100), ("2021Q3", "overdue", 8), ("2021Q4", "pending", None)]
    assert judge(cat, F, 7, D(2021, 10, 8), [done(D(2021, 9, 28))]) == [
        ("2021Q2", "overdue", 100), ("2021Q3", "done", None), ("2021Q4", "pending", None)]
    # an explicit instance beats the date: a late Q2 item recorded in July
    assert judge(cat, F, 7, D(2021, 10, 8), [done(D(2021, 7, 5), instance="2021Q2")])[0] == ("2021Q2", "done_late", None)


def test_township_monthly_quota_with_four_aspects(cat):
    town = "黄草街道"
    three = [done(D(2021, 9, d), category=c) for d, c in ((2, "乡村振兴"), (9, "民生保障"), (16, "生态建设"))]
    assert judge(cat, town, 12, D(2021, 9, 20), three)[3] == ("2021-09", "due_soon", None)
    same_aspect = [*three, done(D(2021, 9, 18), category="乡村振兴")]
    assert judge(cat, town, 12, D(2021, 10, 8), same_aspect)[3] == ("2021-09", "overdue", 8)
    four = [*three, done(D(2021, 9, 18), category="产业招商")]
    assert judge(cat, town, 12, D(2021, 10, 8), four)[3] == ("2021-09", "done", None)
    assert judge(cat, town, 12, D(2021, 6, 10))[0] == ("2021-06", "pending", None)  # 20 days before its end


def test_long_term_lagging_after_90_days(cat):
    # counted from the effective date 2021-06-24: 90 days later is 2021-09-22
    assert judge(cat, F, 3, D(2021, 9, 22)) == [("长期", "pending", None)]
    # lagging is not overdue: no days overdue, but the days since the start (06-24 to 09-23: 91)
    assert judge(cat, F, 3, D(2021, 9, 23)) == [("长期", "lagging", None)]
    assert idle(cat, F, 3, D(2021, 9, 23)) == [91]
    recent = [Record(date=D(2021, 8, 1), status="in_progress", note="更新办事指南")]
    assert judge(cat, F, 3, D(2021, 10, 8), recent) == [("长期", "ongoing", None)]
    assert judge(cat, F, 3, D(2021, 11, 1), recent) == [("长期", "lagging", None)]  # 08-01 + 90 = 10-30
    assert idle(cat, F, 3, D(2021, 11, 1), recent) == [92]  # days since the last progress on 08-01


def test_irregular_is_never_overdue(cat):
    assert judge(cat, F, 9, D(2021, 12, 31)) == [("不定期", "open", None)]


def test_event_overdue_by_nine_days(cat):
    events = [Event(key="E1", title="2021年预算批复", date=D(2021, 9, 1))]
    assert judge(cat, F, 6, D(2021, 10, 8), events=events) == [("E1", "overdue", 9)]
    assert judge(cat, F, 6, D(2021, 10, 8), [done(D(2021, 9, 20), instance="E1")], events) == [("E1", "done", None)]


def test_event_without_days_is_open_until_done(cat):
    events = [Event(key="E1", title="舆情", date=D(2021, 9, 1))]
    assert judge(cat, F, 16, D(2021, 12, 31), events=events) == [("E1", "open", None)]
    assert judge(cat, F, 16, D(2021, 12, 31), [done(D(2021, 9, 3), instance="E1")], events) == [("E1", "done", None)]


def test_not_applicable_for_one_instance_only(cat):
    na = Record(date=D(2021, 7, 1), status="not_applicable", instance="2021Q2", note="二季度无债务")
    assert judge(cat, F, 7, D(2021, 10, 8), [na]) == [("2021Q2", "not_applicable", None), ("2021Q3", "overdue", 8), ("2021Q4", "pending", None)]


def test_early_progress_on_a_period_counts_from_the_period_start(cat):
    # Q2 done before its end, so 07-01 is no longer Q2's first day overdue; it is Q3's first day
    early = [done(D(2021, 6, 25), instance="2021Q2"), Record(date=D(2021, 6, 20), status="in_progress", instance="2021Q3")]
    assert judge(cat, F, 7, D(2021, 6, 30), early)[1] == ("2021Q3", "pending", None)
    assert judge(cat, F, 7, D(2021, 7, 1), early)[1] == ("2021Q3", "in_progress", None)
