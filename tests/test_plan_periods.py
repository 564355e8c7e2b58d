"""Half-yearly and yearly recurring rules: their instances, keys and due dates."""

from __future__ import annotations

import datetime as dt

from gwgk.catalogue.model import build
from gwgk.catalogue.plan import TasksFile
from gwgk.catalogue.rules import describe
from gwgk.catalogue.units import UnitsFile
from gwgk.drafting.draft import draft
from gwgk.drafting.source import from_text
from gwgk.entries.model import LedgerTask
from gwgk.judge.dates import period_bounds, periods_per_year
from gwgk.judge.schedule import instances, owner_instance

PLAN = """松溪县人民政府办公室
2022年4月8日
松溪县2022年政务公开工作要点
序号 | 工作任务 | 牵头单位 | 完成时限
1 | 公开财政资金使用情况 | 县财政局 | 每半年
2 | 发布年度工作总结 | 县财政局 | 每年
"""


def test_half_years_and_years_are_periods_of_six_and_twelve_months() -> None:
    assert (periods_per_year("halfyear"), periods_per_year("year")) == (2, 1)
    assert period_bounds("halfyear", 2022, 2) == (dt.date(2022, 7, 1), dt.date(2022, 12, 31))
    assert period_bounds("year", 2022, 1) == (dt.date(2022, 1, 1), dt.date(2022, 12, 31))


def test_a_half_yearly_and_a_yearly_task_owe_2022H1_2022H2_and_2022() -> None:
    result = draft(from_text(PLAN, "松溪县.txt"))
    catalogue, findings = build(TasksFile.model_validate(result.plan), UnitsFile.model_validate({"units": result.units, "groups": result.groups}))
    assert findings == []
    half, year = (catalogue.task_units(t)["县财政局"] for t in (1, 2))
    assert [describe(r) for r in half.rules + year.rules] == ["每半年不少于 1 条", "每年不少于 1 条"]
    owed = instances(half, LedgerTask(task=1, role="lead"), catalogue.plan)
    # the plan took effect on 2022-04-08: the first half year had not closed, so it is owed
    assert [(i.key, i.start, i.due) for i in owed] == [
        ("2022H1", dt.date(2022, 1, 1), dt.date(2022, 6, 30)), ("2022H2", dt.date(2022, 7, 1), dt.date(2022, 12, 31))]
    assert owner_instance(owed, dt.date(2022, 8, 1)).key == "2022H2"
    yearly = instances(year, LedgerTask(task=2, role="lead"), catalogue.plan)
    assert [(i.key, i.due) for i in yearly] == [("2022", dt.date(2022, 12, 31))]
