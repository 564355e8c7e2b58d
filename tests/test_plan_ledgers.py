"""Plan years on the ledger side (issue 14): each plan keeps its own ledgers, the 回头看 covers every
plan begun by the day, and a past plan's year-end summary can be had at any later date.

The 2022 plan here is the 2021 plan moved one year on (same tasks; 9月底 = 2022-09-30, in effect
from 2022-06-24).
"""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import run_cli

F = "市财政局"


def ok(ws: Path, *args: str) -> str:
    result = run_cli(*args, workspace=ws)
    assert result.code == 0, result.err
    return result.out


def test_each_plan_has_its_own_ledgers(two_years: Path):
    ok(two_years, "record", "-u", F, "-t", "2", "--status", "done", "--date", "2022-09-20", "--as-of", "2022-09-21")
    ok(two_years, "record", "-u", F, "--plan", "2021", "-t", "2", "--status", "done", "--date", "2021-09-20", "--as-of", "2021-09-21")
    new = (two_years / "ledgers" / "2022" / f"{F}.yaml").read_text(encoding="utf-8")
    old = (two_years / "ledgers" / f"{F}.yaml").read_text(encoding="utf-8")
    assert "\nunit: 市财政局\nplan: 2022\ntasks:\n" in new and "2022年政务公开工作要点" in new
    assert "date: 2022-09-20" in new and "2021-09-20" not in new
    assert "\nunit: 市财政局\ntasks:\n" in old and "date: 2021-09-20" in old and "2022-09-20" not in old
    assert run_cli("validate", workspace=two_years).code == 0


def test_the_look_back_covers_every_plan_begun_and_labels_each_item(two_years: Path):
    ok(two_years, "record", "-u", F, "-t", "2", "--status", "done", "--date", "2022-09-20", "--as-of", "2022-09-21")
    data = json.loads(ok(two_years, "overdue", "-u", F, "--as-of", "2022-10-08", "--format", "json"))
    assert data["plans"] == [2021, 2022]
    by_plan = {(i["plan"], i["task"], i["instance"]): i for i in data["items"]}
    # 2021's task 2 was never done: still overdue a year on (2021-09-30 to 2022-10-08 = 373 days)
    assert by_plan[(2021, 2, "2021-09-30")]["days_overdue"] == 373
    assert (2022, 2, "2022-09-30") not in by_plan  # done on time this year
    assert not any(i["plan"] == 2021 and i["state"] == "lagging" for i in data["items"])  # 2021 is over
    assert any(i["plan"] == 2022 and i["state"] == "lagging" for i in data["items"])
    only = json.loads(ok(two_years, "overdue", "-u", F, "--plan", "2022", "--as-of", "2022-10-08", "--format", "json"))
    assert only["plans"] == [2022] and {i["plan"] for i in only["items"]} == {2022}
    # before the 2022 plan took effect only 2021 is looked back on
    assert json.loads(ok(two_years, "overdue", "-u", F, "--as-of", "2022-05-01", "--format", "json"))["plans"] == [2021]


def test_a_past_plans_year_end_summary_at_a_later_date(two_years: Path):
    ok(two_years, "record", "-u", F, "--plan", "2021", "-t", "2", "--status", "done", "--date", "2021-12-20", "--as-of", "2021-12-21")
    report = json.loads(ok(two_years, "report", "--plan", "2021", "--as-of", "2022-10-08", "--format", "json"))
    assert report["plan_title"] == "兴义市2021年政务公开工作要点"
    finance = next(u for u in report["units"] if u["unit"] == F)
    assert finance["done_late"] == 1  # task 2, due 2021-09-30, done 2021-12-20
    current = json.loads(ok(two_years, "report", "--as-of", "2022-10-08", "--format", "json"))
    assert current["plan_title"] == "兴义市2022年政务公开工作要点"


def test_a_ledger_filed_under_the_wrong_plan_is_reported(two_years: Path):
    ok(two_years, "record", "-u", F, "-t", "2", "--status", "done", "--date", "2022-09-20", "--as-of", "2022-09-21")
    path = two_years / "ledgers" / "2022" / f"{F}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("plan: 2022", "plan: 2021"), encoding="utf-8")
    result = run_cli("ledger", "-u", F, "--as-of", "2022-09-21", workspace=two_years)
    assert result.code == 2 and "台账写的是 2021 年的计划，但它在 2022 年计划的台账文件夹里" in result.err


def test_an_unknown_plan_year_is_refused(two_years: Path):
    result = run_cli("record", "-u", F, "--plan", "2019", "-t", "2", "--status", "done", "--date", "2021-09-20", workspace=two_years)
    assert result.code == 2 and "工作区里没有 2019 年的计划（现有：2021、2022）" in result.err


def test_validate_checks_each_plans_ledgers_against_that_plan(two_years: Path):
    ok(two_years, "record", "-u", F, "-t", "2", "--status", "done", "--date", "2022-09-20", "--as-of", "2022-09-21")
    path = two_years / "ledgers" / "2022" / f"{F}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2022-09-20", "date: 2022-02-30"), encoding="utf-8")
    result = run_cli("validate", workspace=two_years)
    assert result.code == 1 and "ledgers/2022/市财政局.yaml:" in result.out and "不是有效日期" in result.out


def test_renderings_show_the_plan_year_when_there_is_more_than_one(two_years: Path):
    md = ok(two_years, "overdue", "-u", F, "--as-of", "2022-10-08", "--format", "md")
    assert "| 单位 | 年度 | 序号 | 任务 |" in md and "| 市财政局 | 2021 | 2 | 规划归集整理 |" in md
    csv = ok(two_years, "overdue", "-u", F, "--as-of", "2022-10-08", "--format", "csv")
    assert csv.splitlines()[0].lstrip("\ufeff").startswith("单位,年度,序号,任务")
    one = ok(two_years, "overdue", "-u", F, "--plan", "2022", "--as-of", "2022-10-08", "--format", "md")
    assert "| 单位 | 序号 | 任务 |" in one and "| 年度 |" not in one
