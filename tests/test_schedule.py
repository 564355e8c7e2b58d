"""Instances and due dates, worked out by hand from the plan and the 2021 holiday calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from gwgk.catalogue.load import load_catalogue
from gwgk.entries.model import Event, LedgerTask
from gwgk.errors import DataError
from gwgk.judge.schedule import instances, next_event_key, owner_instance
from gwgk.judge.workdays import add_working_days

from .conftest import REPO

D = dt.date


@pytest.fixture(scope="module")
def cat():
    return load_catalogue(REPO / "data/tasks.yaml", REPO / "data/units.yaml", "tasks.yaml", "units.yaml")


def keys_and_dues(cat, unit, task, events=()):
    entry = LedgerTask(task=task, role="lead", events=[Event(key=k, title="t", date=d) for k, d in events])
    return [(i.key, i.due) for i in instances(cat.task_units(task)[unit], entry, cat.plan)]


@pytest.mark.parametrize(
    ("unit", "task", "expected"),
    [
        # quarterly: Q1 closed before the plan was issued on 2021-06-24, so it is not owed
        ("市财政局", 7, [("2021Q2", D(2021, 6, 30)), ("2021Q3", D(2021, 9, 30)), ("2021Q4", D(2021, 12, 31))]),
        ("黄草街道", 31, [("2021Q2", D(2021, 6, 30)), ("2021Q3", D(2021, 9, 30)), ("2021Q4", D(2021, 12, 31))]),
        # task 12: a department every two months (May-Jun is B3) ...
        ("市财政局", 12, [("2021B3", D(2021, 6, 30)), ("2021B4", D(2021, 8, 31)), ("2021B5", D(2021, 10, 31)), ("2021B6", D(2021, 12, 31))]),
        # ... a 街道 every month
        ("黄草街道", 12, [("2021-06", D(2021, 6, 30)), ("2021-07", D(2021, 7, 31)), ("2021-08", D(2021, 8, 31)), ("2021-09", D(2021, 9, 30)),
                       ("2021-10", D(2021, 10, 31)), ("2021-11", D(2021, 11, 30)), ("2021-12", D(2021, 12, 31))]),
        ("市财政局", 2, [("2021-09-30", D(2021, 9, 30))]),
        ("市教育局", 26, [("2021-09-30", D(2021, 9, 30))]),
        ("市财政局", 23, [("2021-06-30", D(2021, 6, 30))]),
        ("市财政局", 3, [("长期", None)]),
        ("市财政局", 9, [("不定期", None)]),
        ("市财政局", 33, [("2021-06-30", D(2021, 6, 30)), ("长期", None)]),
        ("市财政局", 32, [("长期", None), ("2021-12-31", D(2021, 12, 31))]),
        ("市政务公开领导小组办公室", 30, [("2021-06-30", D(2021, 6, 30))]),
        ("市财政局", 30, [("不定期", None)]),
        ("市财政局", 6, []),  # event-driven: nothing owed until an event is recorded
    ],
)
def test_instances(cat, unit, task, expected):
    assert keys_and_dues(cat, unit, task) == expected


def test_event_twenty_working_days_over_mid_autumn_and_national_day(cat):
    # 2021-09-01 + 20 working days: 9/18 (Sat) and 9/26 (Sun) are 调休 workdays, 9/19-21 Mid-Autumn off.
    assert keys_and_dues(cat, "市财政局", 6, [("E1", D(2021, 9, 1))]) == [("E1", D(2021, 9, 29))]
    # 2021-09-30 + 20: 10/1-7 National Day off, 10/9 (Sat) a workday -> 11/3.
    assert keys_and_dues(cat, "市财政局", 19, [("E1", D(2021, 9, 30))]) == [("E1", D(2021, 11, 3))]


def test_task_1_event_and_date_together(cat):
    assert keys_and_dues(cat, "市财政局", 1, [("E1", D(2021, 7, 1))]) == [("E1", D(2021, 7, 29)), ("2021-09-30", D(2021, 9, 30))]


def test_event_same_day_and_without_days(cat):
    assert keys_and_dues(cat, "市财政局", 13, [("E1", D(2021, 8, 7))]) == [("E1", D(2021, 8, 7))]
    assert keys_and_dues(cat, "市财政局", 16, [("E1", D(2021, 8, 7))]) == [("E1", None)]


def test_working_days_outside_the_calendar_fail_loudly():
    assert add_working_days(D(2021, 9, 1), 0) == D(2021, 9, 1)
    with pytest.raises(DataError, match="节假日数据不覆盖 2099 年"):
        add_working_days(D(2099, 6, 1), 5)


def test_owner_instance_by_date(cat):
    found = instances(cat.task_units(7)["市财政局"], None, cat.plan)
    assert owner_instance(found, D(2021, 9, 28)).key == "2021Q3"
    assert owner_instance(found, D(2021, 5, 2)).key == "2021Q2"
    assert owner_instance(found, D(2021, 3, 2)) is None
    both = instances(cat.task_units(33)["市财政局"], None, cat.plan)
    assert owner_instance(both, D(2021, 6, 1)) is None  # 2021-06-30 or 长期: ambiguous


def test_next_event_key():
    assert next_event_key(None) == "E1"
    entry = LedgerTask(task=6, role="lead", events=[Event(key="E1", title="a", date=D(2021, 7, 1)), Event(key="E3", title="b", date=D(2021, 7, 2))])
    assert next_event_key(entry) == "E2"
