"""A ledger of record: entry dates, an honest --as-of, withdrawals and corrections (issue 12).

Dates worked out from the plan: task 2 (规划归集整理) is due 9月底 = 2021-09-30 for 市财政局 (one of
市直有关部门); task 7 (政府债务信息公开) is quarterly (2021Q3 due 2021-09-30); task 6 counts 20
working days from 形成 (chinesecalendar: 2021-06-15 + 20 working days = 2021-07-13).
"""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import WRITTEN, run_cli, tree_bytes

F = "市财政局"


def state(ws: Path, task: int, instance: str, as_of: str, unit: str = F) -> str:
    data = json.loads(run_cli("ledger", "-u", unit, "--as-of", as_of, "--format", "json", workspace=ws).out)
    views = [v for t in data["tasks"] if t["task"] == task for v in t["instances"] if v["instance"] == instance]
    assert len(views) == 1
    return views[0]["state"]


def instance_json(ws: Path, task: int, instance: str, as_of: str, unit: str = F) -> dict:
    data = json.loads(run_cli("ledger", "-u", unit, "--as-of", as_of, "--format", "json", workspace=ws).out)
    return next(v for t in data["tasks"] if t["task"] == task for v in t["instances"] if v["instance"] == instance)


def record(ws: Path, *args: str) -> str:
    result = run_cli("record", "-u", F, *args, workspace=ws)
    assert result.code == 0, result.err
    return result.out


def test_a_record_entered_late_is_not_seen_before_it_was_entered(ws: Path):
    record(ws, "-t", "2", "--status", "done", "--date", "2021-09-28", "--as-of", "2021-10-08")
    assert state(ws, 2, "2021-09-30", "2021-10-01") == "overdue"  # nobody knew on 10-01
    assert state(ws, 2, "2021-09-30", "2021-10-07") == "overdue"
    assert state(ws, 2, "2021-09-30", "2021-10-08") == "done"  # and it was on time: done 09-28
    view = instance_json(ws, 2, "2021-09-30", "2021-10-08")
    assert view["records"] == [{
        "id": "R1", "date": "2021-09-28", "entered": "2021-10-08", "status": "done", "note": None, "evidence": [],
        "category": None, "replaces": None, "whole_task": False, "at": "2026-12-06T10:00:00+08:00", "by": "测试员",
        "late": True, "withdrawn": None, "review": None,
    }]
    assert instance_json(ws, 2, "2021-09-30", "2021-10-07")["records"] == []


def test_an_extension_and_an_event_are_unknown_before_they_were_entered(ws: Path):
    record(ws, "-t", "2", "--extend", "2021-09-30", "--to", "2021-10-31", "--reason", "等待省平台", "--as-of", "2021-10-05")
    assert state(ws, 2, "2021-09-30", "2021-10-04") == "overdue"
    assert state(ws, 2, "2021-09-30", "2021-10-05") == "pending"  # judged against 10-31 from 10-05 on: 26 days left
    record(ws, "-t", "6", "--event", "2021年预算批复", "--date", "2021-09-01", "--as-of", "2021-10-09")
    assert state(ws, 6, "E1", "2021-10-09") == "overdue"  # due 2021-09-29
    data = json.loads(run_cli("ledger", "-u", F, "--as-of", "2021-10-08", "--format", "json", workspace=ws).out)
    assert next(t for t in data["tasks"] if t["task"] == 6)["instances"] == []


def test_a_report_as_of_a_past_day_is_byte_identical_after_later_entries(ws: Path):
    record(ws, "-t", "7", "--status", "done", "--date", "2021-07-05", "--instance", "2021Q2", "--as-of", "2021-07-06")
    args = ("--as-of", "2021-10-01", "--format", "csv")
    overdue_then = run_cli("overdue", *args, workspace=ws).out
    report_then = run_cli("report", "--as-of", "2021-10-01", "--format", "json", workspace=ws).out
    ledger_then = run_cli("ledger", "-u", F, "--as-of", "2021-10-01", "--format", "json", workspace=ws).out
    # later: work done before 10-01 entered afterwards, an extension, a withdrawal, an event
    record(ws, "-t", "2", "--status", "done", "--date", "2021-09-28", "--as-of", "2021-10-08")
    record(ws, "-t", "7", "--extend", "2021Q3", "--to", "2021-10-31", "--reason", "系统升级", "--as-of", "2021-10-09")
    record(ws, "--withdraw", "R1", "--reason", "登记错了", "--as-of", "2021-10-10")
    record(ws, "-t", "6", "--event", "2021年预算批复", "--date", "2021-09-01", "--as-of", "2021-10-11")
    assert run_cli("overdue", *args, workspace=ws).out == overdue_then
    assert run_cli("report", "--as-of", "2021-10-01", "--format", "json", workspace=ws).out == report_then
    assert run_cli("ledger", "-u", F, "--as-of", "2021-10-01", "--format", "json", workspace=ws).out == ledger_then


def test_withdrawing_the_only_record_makes_it_overdue_again_from_that_day(ws: Path):
    record(ws, "-t", "2", "--status", "done", "--date", "2021-09-28", "--as-of", "2021-09-28")
    out = record(ws, "--withdraw", "r1", "--reason", "佐证链接无效", "--as-of", "2021-10-12")
    assert out == ("已撤回 市财政局 第 2 项任务的 R1 记录（2021-09-28 已完成），撤回编号 W1，原因：佐证链接无效；"
                   "从 2021-10-12 起不再计入。现在：2021-09-30 超期未完成。\n")
    assert state(ws, 2, "2021-09-30", "2021-10-11") == "done"
    assert state(ws, 2, "2021-09-30", "2021-10-12") == "overdue"
    text = (ws / "ledgers" / f"{F}.yaml").read_text(encoding="utf-8")
    assert "      - id: R1\n        date: 2021-09-28\n        entered: 2021-09-28\n" + WRITTEN + "        status: 已完成\n" in text
    assert "    withdrawals:\n      - id: W1\n        target: R1\n        entered: 2021-10-12\n" + WRITTEN + "        reason: 佐证链接无效\n" in text
    view = instance_json(ws, 2, "2021-09-30", "2021-10-12")
    assert view["records"][0]["withdrawn"] == {"id": "W1", "entered": "2021-10-12", "reason": "佐证链接无效"}
    overdue = json.loads(run_cli("overdue", "-u", F, "--as-of", "2021-10-12", "--format", "json", workspace=ws).out)
    assert [(i["task"], i["days_overdue"]) for i in overdue["items"] if i["task"] == 2] == [(2, 12)]


def test_a_correction_withdraws_and_replaces_in_one_write(ws: Path):
    record(ws, "-t", "7", "--status", "done", "--date", "2021-09-02", "--as-of", "2021-09-03")
    out = record(ws, "-t", "7", "--status", "done", "--date", "2021-09-20", "--replaces", "R1",
                 "--evidence", "http://www.xingyi.gov.cn/zq", "--as-of", "2021-09-21")
    assert out.startswith("已为 市财政局 第 7 项任务（实例 2021Q3）更正 R1（已撤回）为 R2：2021-09-20 已完成。")
    text = (ws / "ledgers" / f"{F}.yaml").read_text(encoding="utf-8")
    assert "      - id: W1\n        target: R1\n        entered: 2021-09-21\n" + WRITTEN + "        reason: 更正为 R2\n" in text
    assert "replaces: R1\n" in text
    records = instance_json(ws, 7, "2021Q3", "2021-09-21")["records"]
    assert [(r["id"], r["withdrawn"] is not None, r["replaces"]) for r in records] == [("R1", True, None), ("R2", False, "R1")]
    assert instance_json(ws, 7, "2021Q3", "2021-09-21")["completed_on"] == "2021-09-20"
    assert instance_json(ws, 7, "2021Q3", "2021-09-20")["completed_on"] == "2021-09-02"  # as it stood then


def test_an_exact_duplicate_is_not_written_again(ws: Path):
    args = ("-t", "7", "--status", "done", "--date", "2021-09-02", "--note", "三季度", "--evidence", "http://a", "--as-of", "2021-09-03")
    record(ws, *args)
    before = tree_bytes(ws)
    out = record(ws, *args)
    assert out == ("市财政局 第 7 项任务已有一条完全相同的记录 R1（2021-09-02 已完成），没有重复登记。\n"
                   "如果这是另一项工作（如同一天发布的另一篇信息），请加 --again 再登记一次，或用 --evidence 写明它自己的佐证（网址）。\n")
    assert tree_bytes(ws) == before
    assert "R2" in record(ws, "-t", "7", "--status", "done", "--date", "2021-09-02", "--note", "三季度（补）", "--as-of", "2021-09-03")


def test_refusals_write_nothing(ws: Path):
    record(ws, "-t", "7", "--status", "done", "--date", "2021-09-02", "--as-of", "2021-09-03")
    record(ws, "--withdraw", "R1", "--reason", "错", "--as-of", "2021-09-04")
    before = tree_bytes(ws)
    for args, words in (
        (("--withdraw", "R9", "--reason", "x"), "没有编号为 R9 的条目"),
        (("--withdraw", "R1", "--reason", "x"), "R1 已在 2021-09-04 撤回（W1：错），不能再次撤回"),
        (("--withdraw", "R1"), "撤回必须用 --reason 写明原因"),
        (("-t", "7", "--status", "done", "--date", "2021-09-05", "--replaces", "R1"), "记录 R1 已经撤回，不能再更正"),
        (("-t", "7", "--status", "done", "--date", "2021-09-05", "--replaces", "R7"), "第 7 项任务没有记录 R7"),
        (("-t", "7", "--extend", "2021Q3", "--to", "2021-10-31", "--reason", "x", "--replaces", "R1"), "--replaces（更正）要和 --status 一起用"),
        (("-t", "7", "--event", "x", "--replaces", "R1", "--date", "2021-09-05"), "没有触发事件可登记"),
        (("--status", "done", "--date", "2021-09-05"), "请用 --task 写明任务序号"),
    ):
        result = run_cli("record", "-u", F, *args, "--as-of", "2021-09-10", workspace=ws)
        assert result.code == 2, (args, result.out)
        assert words in result.err, (args, result.err)
        assert tree_bytes(ws) == before


def test_withdrawing_an_event_key_needs_the_task_when_two_tasks_have_it(ws: Path):
    record(ws, "-t", "6", "--event", "2021年预算批复", "--date", "2021-09-01", "--as-of", "2021-09-02")
    record(ws, "-t", "5", "--event", "处罚决定", "--date", "2021-09-01", "--as-of", "2021-09-02")
    refused = run_cli("record", "-u", F, "--withdraw", "E1", "--reason", "x", "--as-of", "2021-09-03", workspace=ws)
    assert refused.code == 2 and "编号 E1 在第 5、6 项任务中都有，请用 --task 指明是哪一项" in refused.err
    record(ws, "-t", "6", "--withdraw", "E1", "--reason", "批复日期登记错了", "--as-of", "2021-09-03")
    data = json.loads(run_cli("ledger", "-u", F, "--as-of", "2021-09-03", "--format", "json", workspace=ws).out)
    assert next(t for t in data["tasks"] if t["task"] == 6)["instances"] == []
    assert [v["instance"] for t in data["tasks"] if t["task"] == 5 for v in t["instances"]] == ["E1"]


def test_an_event_before_the_plan_counts_when_its_deadline_falls_in_the_plan(ws: Path):
    out = record(ws, "-t", "6", "--event", "2020年决算批复", "--date", "2021-06-15", "--as-of", "2021-06-30")
    assert "到期日 2021-07-13（20 个工作日）" in out
    assert run_cli("validate", workspace=ws).code == 0
    refused = run_cli("record", "-u", F, "-t", "6", "--event", "更早的批复", "--date", "2021-05-01", "--as-of", "2021-06-30", workspace=ws)
    assert refused.code == 2 and "计划生效前的事件只有在到期日落在计划期内时才能登记" in refused.err


def test_late_work_on_an_extended_instance_lands_in_that_instance(ws: Path):
    record(ws, "-t", "7", "--extend", "2021Q3", "--to", "2021-10-20", "--reason", "系统升级", "--as-of", "2021-09-25")
    record(ws, "-t", "7", "--status", "done", "--date", "2021-10-12", "--as-of", "2021-10-12")
    assert state(ws, 7, "2021Q3", "2021-10-12") == "done"  # met 10-12, before the new date 10-20
    assert state(ws, 7, "2021Q4", "2021-10-12") == "pending"
    # a second record in the extension window goes to Q4: Q3 already has what it needs
    record(ws, "-t", "7", "--status", "in_progress", "--date", "2021-10-15", "--as-of", "2021-10-15")
    assert [r["id"] for r in instance_json(ws, 7, "2021Q4", "2021-10-15")["records"]] == ["R2"]


def test_a_lagging_item_shows_the_days_since_its_last_progress(ws: Path):
    record(ws, "-t", "3", "--status", "in_progress", "--date", "2021-08-01", "--as-of", "2021-08-01")
    view = instance_json(ws, 3, "长期", "2021-11-01")
    assert (view["state"], view["idle_days"], view["days_overdue"]) == ("lagging", 92, None)
    md = run_cli("ledger", "-u", F, "--as-of", "2021-11-01", "--format", "md", workspace=ws).out
    assert "进度滞后（已92天无进展）" in md


def test_quota_with_categories_shows_both_counts(ws: Path):
    town = "敬南镇"
    for day, category in (("2021-09-02", "乡村振兴"), ("2021-09-09", "乡村振兴"), ("2021-09-16", "教育")):
        result = run_cli("record", "-u", town, "-t", "12", "--status", "done", "--date", day, "--category", category,
                         "--as-of", "2021-09-20", workspace=ws)
        assert result.code == 0, result.err
    md = run_cli("ledger", "-u", town, "--as-of", "2021-09-20", "--format", "md", workspace=ws).out
    assert "即将到期（3/4篇，2/4个方面）" in md
    hint = run_cli("record", "-u", town, "-t", "12", "--status", "done", "--date", "2021-09-21", "--as-of", "2021-09-21", workspace=ws)
    assert "提示：第 12 项要求每期涉及不同的工作方面，这条记录没有写 --category，不计入方面数。" in hint.out
