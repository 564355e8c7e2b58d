"""Closing a plan year (issue 28): ``gwgk plan close 2021 --reason`` records the office's decision to
stop chasing the plan's leftovers. From that day the 回头看 no longer lists them; the plan's own
report still counts them as 超期未完成 and names the closure; ``plan reopen`` withdraws it; a report
as of an earlier day is unchanged.

The 2022 plan here is the 2021 plan moved one year on (as in ``test_plan_ledgers``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import run_cli, tree_bytes

F = "市财政局"
REASON = "2021年度工作已总结，剩余事项不再催办"


def ok(ws: Path, *args: str) -> str:
    result = run_cli(*args, workspace=ws)
    assert result.code == 0, result.err
    return result.out


def overdue(ws: Path, day: str, *extra: str) -> dict:
    return json.loads(ok(ws, "overdue", "-u", F, "--as-of", day, "--format", "json", *extra))


def test_a_closed_plan_leaves_the_look_back_from_that_day_and_stays_in_its_report(two_years: Path):
    ws = two_years
    before = overdue(ws, "2022-10-08")
    day_before = overdue(ws, "2022-09-30")
    plans_before = {i["plan"] for i in before["items"]}
    assert plans_before == {2021, 2022}
    report_before = json.loads(ok(ws, "report", "--plan", "2021", "--as-of", "2022-10-08", "--format", "json"))
    out = ok(ws, "plan", "close", "2021", "--reason", REASON, "--as-of", "2022-10-01")
    assert out == (f"已记录 2021 年计划（兴义市2021年政务公开工作要点）收尾，编号 C1，原因：{REASON}。从 2022-10-01 起回头看"
                   "不再列出这一计划的未完成事项；这一计划的年终汇总仍计为超期未完成，并注明收尾。\n")
    after = overdue(ws, "2022-10-08")
    assert {i["plan"] for i in after["items"]} == {2022}
    assert after["items"] == [i for i in before["items"] if i["plan"] == 2022]
    assert after["closed"] == [{"id": "C1", "plan": 2021, "entered": "2022-10-01", "reason": REASON}]
    shown = run_cli("overdue", "-u", F, "--as-of", "2022-10-08", workspace=ws)
    assert "2021 年计划已于 2022-10-01 收尾（C1：" in shown.err
    # the plan's own report still counts them, and names the closure
    report = json.loads(ok(ws, "report", "--plan", "2021", "--as-of", "2022-10-08", "--format", "json"))
    assert report["totals"] == report_before["totals"] and report["totals"]["overdue"] > 0
    assert report["closure"]["id"] == "C1"
    assert report["paragraph"].startswith(report_before["paragraph"])
    assert report["paragraph"].endswith(f"2022年10月1日，政务公开办决定该计划收尾（C1，原因：{REASON}），"
                                        f"其超期未完成的{report['totals']['overdue']}项次仍计入本汇总，不再列入回头看催办。")
    # as of a day before the closure: unchanged
    assert overdue(ws, "2022-09-30") == day_before
    earlier = json.loads(ok(ws, "report", "--plan", "2021", "--as-of", "2022-09-30", "--format", "json"))
    assert earlier["closure"] is None


def test_reopening_withdraws_the_closure_from_its_day_only(two_years: Path):
    ws = two_years
    ok(ws, "plan", "close", "2021", "--reason", REASON, "--as-of", "2022-10-01")
    out = ok(ws, "plan", "reopen", "2021", "--reason", "市政府要求继续督办", "--as-of", "2022-10-10")
    assert out == "已撤回 2021 年计划的收尾 C1，撤回编号 W1，原因：市政府要求继续督办。从 2022-10-10 起回头看重新列出这一计划的未完成事项。\n"
    assert 2021 in {i["plan"] for i in overdue(ws, "2022-10-10")["items"]}
    assert 2021 not in {i["plan"] for i in overdue(ws, "2022-10-09")["items"]}  # still closed that day
    text = (ws / "data" / "closures.yaml").read_text(encoding="utf-8")
    assert "  - id: C1\n    plan: 2021\n    entered: 2022-10-01\n" in text and "  - id: W1\n    target: C1\n" in text
    assert text.count("\n    by: ") == 2 and text.count("\n    at: ") == 2  # who wrote each, and when
    again = json.loads(ok(ws, "plan", "close", "2021", "--reason", "再次收尾", "--as-of", "2022-11-01", "--format", "json"))
    assert (again["entry"], again["dry_run"]) == ("C2", False)


@pytest.mark.parametrize(("args", "expected"), [
    (("plan", "close", "2021", "--as-of", "2022-10-01"), "必须用 --reason"),
    (("plan", "close", "2021", "--reason", "x", "--as-of", "2021-12-31"), "计划期内不能收尾"),
    (("plan", "close", "2020", "--reason", "x", "--as-of", "2022-10-01"), "2020"),
    (("plan", "reopen", "2021", "--reason", "x", "--as-of", "2022-10-01"), "没有收尾"),
])
def test_refusals_are_exit_2_and_write_nothing(two_years: Path, args: tuple[str, ...], expected: str):
    before = tree_bytes(two_years)
    result = run_cli(*args, workspace=two_years)
    assert result.code == 2 and expected in result.err, result.err
    assert tree_bytes(two_years) == before


def test_closing_twice_is_refused_and_dry_run_writes_nothing(ws: Path):
    before = tree_bytes(ws)
    out = ok(ws, "plan", "close", "2021", "--reason", REASON, "--as-of", "2022-02-01", "--dry-run")
    assert out.startswith("（试运行，没有写入）将记录 2021 年计划")
    assert tree_bytes(ws) == before
    ok(ws, "plan", "close", "2021", "--reason", REASON, "--as-of", "2022-02-01")
    result = run_cli("plan", "close", "2021", "--reason", REASON, "--as-of", "2022-03-01", workspace=ws)
    assert result.code == 2 and "已在 2022-02-01 收尾（C1：" in result.err
    # a one-plan workspace: its 回头看 is empty once closed, and says why
    data = json.loads(ok(ws, "overdue", "--as-of", "2022-03-01", "--format", "json"))
    assert (data["total_overdue"], [c["id"] for c in data["closed"]]) == (0, ["C1"])
    assert json.loads(ok(ws, "overdue", "--as-of", "2022-01-31", "--format", "json"))["total_overdue"] > 0


def test_a_broken_closures_file_is_refused_with_its_place(ws: Path):
    (ws / "data" / "closures.yaml").write_text("closures:\n  - id: C1\n    plan: 二〇二一\n    entered: 2022-02-01\n    reason: x\n",
                                              encoding="utf-8")
    result = run_cli("overdue", "--as-of", "2022-03-01", workspace=ws)
    assert result.code == 2 and "data/closures.yaml:3" in result.err, result.err


def test_validate_checks_the_closures_file_and_names_every_problem_at_its_line(ws: Path):
    ok(ws, "plan", "close", "2021", "--reason", REASON, "--as-of", "2022-02-01")
    ok(ws, "plan", "reopen", "2021", "--reason", "仍需督办", "--as-of", "2022-02-10")
    assert ok(ws, "validate").startswith("校验通过：")
    # by hand: a second closure reusing C1 for a plan the workspace does not have, and a withdrawal
    # of a closure that is not there
    (ws / "data" / "closures.yaml").write_text(
        "closures:\n"
        "  - id: C1\n    plan: 2021\n    entered: 2022-02-01\n    at: 2022-02-01 09:00:00+08:00\n    by: 张三\n    reason: 收尾\n"
        "  - id: C1\n    plan: 2030\n    entered: 2022-02-03\n    at: 2022-02-03 09:00:00+08:00\n    by: 张三\n    reason: 收尾\n"
        "withdrawals:\n"
        "  - id: W1\n    target: C7\n    entered: 2022-02-10\n    at: 2022-02-10 09:00:00+08:00\n    by: 张三\n    reason: 再开\n",
        encoding="utf-8")
    result = run_cli("validate", workspace=ws)
    assert result.code == 1
    assert result.out.splitlines() == [
        "data/closures.yaml:8:9: 编号 C1 重复",
        "data/closures.yaml:9:11: 收尾的计划年度 2030 不在工作区的计划中（现有：2021）",
        "data/closures.yaml:16:13: 撤回的收尾 C7 不存在",
        "发现 3 个问题。",
    ]


def test_validate_names_a_withdrawal_entered_before_its_closure_and_a_file_that_does_not_read(ws: Path):
    ok(ws, "plan", "close", "2021", "--reason", REASON, "--as-of", "2022-02-01")
    ok(ws, "plan", "reopen", "2021", "--reason", "仍需督办", "--as-of", "2022-02-10")
    path = ws / "data" / "closures.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("entered: 2022-02-10", "entered: 2022-01-10"), encoding="utf-8")
    result = run_cli("validate", workspace=ws)
    assert result.code == 1 and "撤回日期 2022-01-10 早于被撤回的收尾 C1 的登记日期 2022-02-01" in result.out
    path.write_text("closures:\n  - id: C1\n    plan: 二〇二一\n", encoding="utf-8")
    result = run_cli("validate", workspace=ws)
    assert result.code == 1 and "data/closures.yaml:3:11:" in result.out, result.out


def test_a_second_closure_of_a_plan_is_refused_whatever_its_day(two_years: Path):
    """Backdated under a standing closure, a second one made ``plan reopen`` withdraw one and say
    the plan was open again while the other still hid it (found by an attack on issue 28)."""
    ws = two_years
    ok(ws, "plan", "close", "2021", "--reason", REASON, "--as-of", "2022-10-10")
    before = tree_bytes(ws)
    for day in ("2022-09-01", "2022-10-10", "2023-01-01"):
        result = run_cli("plan", "close", "2021", "--reason", "再次", "--as-of", day, workspace=ws)
        assert result.code == 2 and "已在 2022-10-10 收尾（C1：" in result.err and "gwgk plan reopen" in result.err, result.err
    assert tree_bytes(ws) == before
    ok(ws, "plan", "reopen", "2021", "--reason", "继续督办", "--as-of", "2022-10-20")
    assert {i["plan"] for i in overdue(ws, "2022-10-21")["items"]} == {2021, 2022}
    # once withdrawn, the plan may be closed again, on another day
    ok(ws, "plan", "close", "2021", "--reason", "再次收尾", "--as-of", "2022-11-01")
    assert overdue(ws, "2022-11-02")["closed"][0]["id"] == "C2"
