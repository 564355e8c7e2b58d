"""销号 review (issue 12): with settings.review on, a 已完成 record awaits the office's review.

Task 18 (规章和规范性文件集中统一公开) is due 6月底 = 2021-06-30 for 市财政局.
"""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import run_cli, tree_bytes

F = "市财政局"


def ok(ws: Path, *args: str) -> str:
    result = run_cli(*args, workspace=ws)
    assert result.code == 0, result.err
    return result.out


def view(ws: Path, as_of: str, task: int = 18, instance: str = "2021-06-30") -> dict:
    data = json.loads(ok(ws, "ledger", "-u", F, "--as-of", as_of, "--format", "json"))
    return next(v for t in data["tasks"] if t["task"] == task for v in t["instances"] if v["instance"] == instance)


def test_a_done_record_awaits_review_and_is_done_on_its_own_date_once_accepted(reviewed: Path):
    out = ok(reviewed, "record", "-u", F, "-t", "18", "--status", "done", "--date", "2021-06-28", "--evidence", "http://a", "--as-of", "2021-07-02")
    assert "现在：2021-06-30 待审核。" in out and "待政务公开办审核销号" in out
    assert (view(reviewed, "2021-07-05")["state"], view(reviewed, "2021-07-05")["light"]) == ("submitted", "yellow")
    pending = json.loads(ok(reviewed, "review", "--pending", "--format", "json", "--as-of", "2021-07-05"))
    assert pending == {"as_of": "2021-07-05", "items": [{"unit": F, "task": 18, "instance": "2021-06-30", "record": "R1",
                                                        "date": "2021-06-28", "entered": "2021-07-02", "evidence": ["http://a"]}]}
    assert json.loads(ok(reviewed, "review", "--pending", "--format", "json", "--as-of", "2021-07-01"))["items"] == []
    out = ok(reviewed, "review", "-u", "财政局", "--record", "R1", "--accept", "--as-of", "2021-07-09")
    assert out == "已将 市财政局 第 18 项任务的记录 R1（2021-06-28 已完成）审核通过（销号），审核编号 V1。现在：2021-06-30 已完成。\n"
    accepted = view(reviewed, "2021-07-09")
    assert (accepted["state"], accepted["completed_on"]) == ("done", "2021-06-28")  # on time: accepted later
    assert accepted["records"][0]["review"] == {"id": "V1", "decision": "accepted", "decision_label": "通过",
                                                "entered": "2021-07-09", "reason": None}
    assert view(reviewed, "2021-07-08")["state"] == "submitted"  # the review was not yet known
    assert json.loads(ok(reviewed, "review", "--pending", "--format", "json", "--as-of", "2021-07-09"))["items"] == []


def test_a_returned_record_no_longer_counts_and_the_unit_sees_why(reviewed: Path):
    ok(reviewed, "record", "-u", F, "-t", "18", "--status", "done", "--date", "2021-06-28", "--as-of", "2021-07-02")
    ok(reviewed, "review", "-u", F, "--record", "R1", "--return", "--reason", "佐证材料缺失", "--as-of", "2021-07-06")
    returned = view(reviewed, "2021-07-06")
    assert (returned["state"], returned["days_overdue"]) == ("overdue", 6)
    assert returned["records"][0]["review"]["reason"] == "佐证材料缺失"
    report = json.loads(ok(reviewed, "overdue", "-u", F, "--as-of", "2021-07-06", "--format", "json"))
    assert any(i["task"] == 18 and i["state"] == "overdue" for i in report["items"])


def test_the_year_report_counts_submitted_separately(reviewed: Path):
    ok(reviewed, "record", "-u", F, "-t", "18", "--status", "done", "--date", "2021-06-28", "--as-of", "2021-07-02")
    report = json.loads(ok(reviewed, "report", "--as-of", "2021-07-05", "--format", "json"))
    finance = next(u for u in report["units"] if u["unit"] == F)
    assert (finance["submitted"], finance["done_on_time"]) == (1, 0)


def test_review_refusals_write_nothing(reviewed: Path, ws: Path):
    ok(reviewed, "record", "-u", F, "-t", "18", "--status", "done", "--date", "2021-06-28", "--as-of", "2021-07-02")
    ok(reviewed, "record", "-u", F, "-t", "7", "--status", "in_progress", "--date", "2021-07-03", "--as-of", "2021-07-03")
    ok(reviewed, "review", "-u", F, "--record", "R1", "--accept", "--as-of", "2021-07-04")
    before = tree_bytes(reviewed)
    for args, words in (
        (("--record", "R1", "--accept"), "R1 已在 2021-07-04 审核过（V1：通过），不在待审核之列"),
        (("--record", "R2", "--accept"), "R2 不是“已完成”记录，不需要审核"),
        (("--record", "R9", "--accept"), "没有记录 R9"),
        (("--record", "R1", "--return"), "退回必须用 --reason 写明原因"),
        (("--record", "R1"), "请在 --accept（通过）、--return（退回）和 --withdraw（撤回审核）中选择一个"),
    ):
        result = run_cli("review", "-u", F, *args, "--as-of", "2021-07-10", workspace=reviewed)
        assert result.code == 2 and words in result.err, (args, result.err)
        assert tree_bytes(reviewed) == before


def test_review_is_refused_when_the_office_has_not_turned_it_on(ws: Path):
    ok(ws, "record", "-u", F, "-t", "18", "--status", "done", "--date", "2021-06-28", "--as-of", "2021-07-02")
    before = tree_bytes(ws)
    for args in (("--pending",), ("-u", F, "--record", "R1", "--accept")):
        result = run_cli("review", *args, workspace=ws)
        assert result.code == 2 and "没有开启销号审核" in result.err
    assert tree_bytes(ws) == before
    assert view(ws, "2021-07-02")["state"] == "done"  # without review a 已完成 counts at once


def test_the_overdue_report_counts_submitted_separately(reviewed: Path):
    ok(reviewed, "record", "-u", F, "-t", "18", "--status", "done", "--date", "2021-06-28", "--as-of", "2021-07-02")
    report = json.loads(ok(reviewed, "overdue", "-u", F, "--as-of", "2021-07-05", "--format", "json"))
    assert (report["total_submitted"], report["units"][0]["submitted"]) == (1, 1)
    assert not any(i["task"] == 18 for i in report["items"])  # awaiting the office: not the unit's problem
    md = ok(reviewed, "overdue", "-u", F, "--as-of", "2021-07-05", "--format", "md")
    assert "另有1项次已登记完成、待审核销号。" in md
    assert "| 市财政局 | 8 | 0 | 1 |" in md  # 待审核 has its column in the count per unit
