"""Work done in bulk (issue 28): one event into many units' ledgers, a unit's tasks marked 不适用,
every pending record accepted or returned: all or nothing under the locks, ``--dry-run`` writing
nothing, one result as text or JSON, every entry an ordinary entry that can be withdrawn.

Facts of the built-in catalogue used here: the group 各乡镇(街道) has 32 members, each owing task 6
(预决算公开, “形成起20日内”, 20 working days); of the 13 members of 市直有关部门 only 2 owe task 15;
市财政局 owes 28 tasks.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gwgk.files import storage

from .conftest import run_cli, tree_bytes

TOWNS = "各乡镇"
AS_OF = ("--as-of", "2021-07-05")
EVENT = ("--task", "6", "--event", "2021年预算批复", "--date", "2021-07-01", *AS_OF)


def ok(ws: Path, *args: str) -> str:
    result = run_cli(*args, workspace=ws)
    assert result.code == 0, result.err
    return result.out


def refused(ws: Path, *args: str) -> str:
    result = run_cli(*args, workspace=ws)
    assert result.code == 2, (result.out, result.err)
    assert "Traceback" not in result.err
    return result.err


def ledger_json(ws: Path, unit: str, as_of: str = "2021-07-05") -> dict:
    return json.loads(ok(ws, "ledger", "-u", unit, "--as-of", as_of, "--format", "json"))


def task_of(view: dict, task: int) -> dict:
    return next(t for t in view["tasks"] if t["task"] == task)


# ---------------------------------------------------------------- one event into many ledgers


def test_a_city_wide_event_goes_into_every_member_of_the_group_once(ws: Path):
    out = ok(ws, "record", "--group", TOWNS, *EVENT)
    assert out == "第 6 项任务登记事件“2021年预算批复”（2021-07-01）：涉及 32 个单位，写入 32 条（32 个单位的台账），跳过 0 条。\n"
    assert len(list((ws / "ledgers").glob("*.yaml"))) == 32
    e1 = next(i for i in task_of(ledger_json(ws, "黄草街道"), 6)["instances"] if i["instance"] == "E1")
    # 20 working days from Thursday 2021-07-01: July has no holiday, so 2021-07-29
    assert e1["due"] == "2021-07-29"
    again = json.loads(ok(ws, "record", "--group", TOWNS, *EVENT, "--format", "json"))
    assert (again["units"], again["written"], len(again["skipped"])) == (32, [], 32)
    assert again["skipped"][0] == {"unit": "黄草街道", "task": 6, "entry": "E1", "what": "已登记过同一事件 E1"}


def test_units_named_one_by_one_and_a_group_member_that_does_not_owe_the_task(ws: Path):
    result = json.loads(ok(ws, "record", "--group", "市直有关部门", "--task", "15", "--event", "文件印发",
                           "--date", "2021-07-01", *AS_OF, "--format", "json"))
    assert (len(result["written"]), len(result["skipped"])) == (2, 11)
    assert all(s["what"] == "不承担第 15 项任务" for s in result["skipped"])
    # a unit named by hand that does not owe the task is a mistake: refused, nothing written
    before = tree_bytes(ws)
    err = refused(ws, "record", "-u", "黄草街道", "-u", "市发展改革局", "--task", "15", "--event", "文件印发",
                  "--date", "2021-07-01", *AS_OF)
    assert "市发展改革局 不承担第 15 项任务" in err and "没有写入任何台账" in err
    assert tree_bytes(ws) == before
    out = ok(ws, "record", "-u", "黄草街道", "-u", "兴泰街道", *EVENT)
    assert "涉及 2 个单位，写入 2 条" in out


def test_a_bulk_event_is_withdrawable_like_any_event(ws: Path):
    ok(ws, "record", "-u", "黄草街道", "-u", "兴泰街道", *EVENT, "--by", "张三")
    for unit in ("黄草街道", "兴泰街道"):  # an ordinary entry: who wrote it, and when
        assert "        entered: 2021-07-05\n        at: " in (ws / f"ledgers/{unit}.yaml").read_text(encoding="utf-8")
        assert "        by: 张三\n" in (ws / f"ledgers/{unit}.yaml").read_text(encoding="utf-8")
    out = ok(ws, "record", "-u", "黄草街道", "--withdraw", "E1", "--task", "6", "--reason", "日期登记错了", "--as-of", "2021-07-06")
    assert "已撤回 黄草街道 第 6 项任务的 E1" in out
    keys = [i["instance"] for i in task_of(ledger_json(ws, "黄草街道", "2021-07-06"), 6)["instances"]]
    assert "E1" not in keys
    assert "E1" in [i["instance"] for i in task_of(ledger_json(ws, "兴泰街道", "2021-07-06"), 6)["instances"]]


def test_dry_run_lists_what_it_would_write_and_writes_nothing(ws: Path):
    before = tree_bytes(ws)
    out = ok(ws, "record", "--group", TOWNS, *EVENT, "--dry-run")
    lines = out.splitlines()
    assert lines[0] == "（试运行，没有写入）第 6 项任务登记事件“2021年预算批复”（2021-07-01）：涉及 32 个单位，将写入 32 条（32 个单位的台账），跳过 0 条。"
    assert lines[1] == "  将写入 黄草街道 第 6 项任务 E1：事件“2021年预算批复”（2021-07-01）"
    assert len(lines) == 33
    assert tree_bytes(ws) == before


def test_one_ledger_locked_or_one_broken_refuses_the_whole_and_names_the_unit(ws: Path, monkeypatch):
    ok(ws, "record", "-u", "黄草街道", "-u", "兴泰街道", "-u", "桔山街道", "--task", "6", "--event", "首次", "--date", "2021-07-01", *AS_OF)
    monkeypatch.setattr(storage, "LOCK_TIMEOUT_SECONDS", 0.3)
    before = tree_bytes(ws)
    with storage.locked(ws / ".gwgk/locks/兴泰街道.yaml.lock", "兴泰街道"):
        err = refused(ws, "record", "--group", TOWNS, *EVENT)
    assert "兴泰街道" in err and "正被另一个 gwgk 进程写入" in err and "没有写入任何台账" in err
    assert tree_bytes(ws) == before
    (ws / "ledgers/桔山街道.yaml").write_text("unit: 桔山街道\ntasks: 5\n", encoding="utf-8")
    before = tree_bytes(ws)
    err = refused(ws, "record", "--group", TOWNS, *EVENT)
    assert "桔山街道" in err and "没有写入任何台账" in err
    assert tree_bytes(ws) == before


@pytest.mark.parametrize(("args", "expected"), [
    (("--group", TOWNS, "--task", "6", "--status", "已完成", "--date", "2021-07-01"), "只能登记“不适用”"),
    (("--group", TOWNS, "--task", "6", "--event", "x", "--date", "2021-07-01", "--instance", "E1"), "批量登记不能用 --instance"),
    (("--group", TOWNS, "--all-tasks", "--event", "x", "--date", "2021-07-01"), "不能用 --all-tasks"),
    (("--group", TOWNS, "--task", "6", "--event", "x", "--date", "2021-08-01"), "不能登记将来的日期"),
    (("--group", "没有这个组", "--task", "6", "--event", "x", "--date", "2021-07-01"), "没有单位组"),
    (("--group", TOWNS, "--task", "6", "--event", "x", "--date", "2021-03-01"), "不在计划期内"),
    (("--group", TOWNS, "--task", "99", "--event", "x", "--date", "2021-07-01"), "没有第 99 项任务"),
    (("-u", "市财政局", "--all-tasks", "--status", "不适用"), "必须用 --reason"),
    (("-u", "市财政局", "--status", "不适用", "--reason", "x", "--dry-run"), "--task 序号 或 --all-tasks"),
])
def test_bulk_refusals_are_exit_2_in_chinese_and_write_nothing(ws: Path, args: tuple[str, ...], expected: str):
    before = tree_bytes(ws)
    assert expected in refused(ws, "record", *args, *AS_OF)
    assert tree_bytes(ws) == before


# ---------------------------------------------------------------- a unit's whole task list 不适用


def test_all_tasks_not_applicable_for_a_unit_then_again_skips_them_all(ws: Path):
    out = ok(ws, "record", "-u", "市财政局", "--all-tasks", "--status", "不适用", "--reason", "机构改革，职能划转", *AS_OF)
    assert out == "承担的全部任务登记“不适用”：涉及 1 个单位，写入 28 条（1 个单位的台账），跳过 0 条。\n"
    view = ledger_json(ws, "市财政局")
    assert all(i["state"] == "not_applicable" for t in view["tasks"] for i in t["instances"])
    again = json.loads(ok(ws, "record", "-u", "市财政局", "--all-tasks", "--status", "不适用", "--reason", "机构改革，职能划转",
                          *AS_OF, "--format", "json"))
    assert (len(again["written"]), len(again["skipped"])) == (0, 28)
    # each is an ordinary record: R1 is task 1's, withdrawn on its own
    ok(ws, "record", "-u", "市财政局", "--withdraw", "R1", "--reason", "第1项仍要承担", "--as-of", "2021-07-06")
    after = ledger_json(ws, "市财政局", "2021-07-06")
    assert all(i["state"] != "not_applicable" for i in task_of(after, 1)["instances"])
    assert all(i["state"] == "not_applicable" for i in task_of(after, 2)["instances"])


def test_one_task_not_applicable_for_a_group_skips_members_that_do_not_owe_it(ws: Path):
    result = json.loads(ok(ws, "record", "--group", "市直有关部门", "--task", "15", "--status", "不适用",
                           "--reason", "本年度无此类文件", *AS_OF, "--format", "json"))
    assert result["action"] == "not_applicable" and (len(result["written"]), len(result["skipped"])) == (2, 11)
    assert {w["entry"] for w in result["written"]} == {"R1"}


# ---------------------------------------------------------------- review --all


def _done(ws: Path, unit: str, task: str, date: str, as_of: str, *extra: str) -> None:
    ok(ws, "record", "-u", unit, "-t", task, "--status", "done", "--date", date, "--as-of", as_of, *extra)


def test_review_all_accepts_every_pending_record_that_matches(reviewed: Path):
    ws = reviewed
    _done(ws, "市财政局", "18", "2021-06-28", "2021-07-02")
    ok(ws, "record", "-u", "黄草街道", "-u", "兴泰街道", *EVENT)
    _done(ws, "黄草街道", "6", "2021-07-03", "2021-07-05", "-i", "E1")
    _done(ws, "兴泰街道", "6", "2021-07-03", "2021-07-06", "-i", "E1")
    before = tree_bytes(ws)
    dry = ok(ws, "review", "--accept", "--all", "--task", "6", "--as-of", "2021-07-07", "--dry-run")
    assert dry.splitlines() == [
        "（试运行，没有写入）待审核记录审核通过（销号）：查看了 48 个单位的台账，其中 2 个单位有符合条件的待审核记录；将写入 2 条，跳过 0 条。",
        "  将写入 黄草街道 第 6 项任务 V1：记录 R1（2021-07-03 已完成）",
        "  将写入 兴泰街道 第 6 项任务 V1：记录 R1（2021-07-03 已完成）",
    ]
    assert tree_bytes(ws) == before
    result = json.loads(ok(ws, "review", "--accept", "--all", "--entered-before", "2021-07-06", "--as-of", "2021-07-07", "--format", "json"))
    assert [(w["unit"], w["task"], w["entry"]) for w in result["written"]] == [("市财政局", 18, "V1"), ("黄草街道", 6, "V1")]
    assert (result["units"], result["matched_units"]) == (48, 2)
    pending = json.loads(ok(ws, "review", "--pending", "--as-of", "2021-07-07", "--format", "json"))["items"]
    assert [(p["unit"], p["record"]) for p in pending] == [("兴泰街道", "R1")]
    # a report as of a day before the reviews is unchanged: still awaiting review then
    assert len(json.loads(ok(ws, "review", "--pending", "--as-of", "2021-07-06", "--format", "json"))["items"]) == 3
    out = ok(ws, "review", "--return", "--all", "--reason", "佐证材料缺失", "-u", "兴泰街道", "--as-of", "2021-07-07")
    assert out == "待审核记录退回（原因：佐证材料缺失）：查看了 1 个单位的台账，其中 1 个单位有符合条件的待审核记录；写入 1 条，跳过 0 条。\n"
    view = task_of(ledger_json(ws, "兴泰街道", "2021-07-07"), 6)
    assert view["instances"][0]["records"][0]["review"]["decision"] == "returned"
    nothing = ok(ws, "review", "--accept", "--all", "--as-of", "2021-07-07")
    assert nothing == "待审核记录审核通过（销号）：查看了 48 个单位的台账，没有符合条件的待审核记录，没有写入。\n"


def test_review_all_refused_without_reason_or_with_a_broken_ledger(reviewed: Path):
    ws = reviewed
    _done(ws, "市财政局", "18", "2021-06-28", "2021-07-02")
    assert "必须用 --reason" in refused(ws, "review", "--return", "--all", "--as-of", "2021-07-07")
    assert "不能同时用 --record" in refused(ws, "review", "--accept", "--all", "--record", "R1", "-u", "市财政局", "--as-of", "2021-07-07")
    assert "要和 --all 一起用" in refused(ws, "review", "--accept", "-u", "市财政局", "--record", "R1", "--dry-run", "--as-of", "2021-07-07")
    (ws / "ledgers/市教育局.yaml").write_text("unit: 市教育局\ntasks: 5\n", encoding="utf-8")
    before = tree_bytes(ws)
    err = refused(ws, "review", "--accept", "--all", "--as-of", "2021-07-07")
    assert "市教育局" in err and "没有写入任何台账" in err
    assert tree_bytes(ws) == before


def test_review_all_writes_many_reviews_of_one_ledger_with_consecutive_ids(reviewed: Path):
    ws = reviewed
    # twenty 已完成 records of one task, each pending (identical ones would be refused as twins)
    for day in range(1, 21):
        _done(ws, "市财政局", "18", f"2021-06-{day + 5:02d}", "2021-07-02", "--note", f"第{day}次")
    result = json.loads(ok(ws, "review", "--accept", "--all", "--as-of", "2021-07-03", "--format", "json"))
    assert [w["entry"] for w in result["written"]] == [f"V{i}" for i in range(1, 21)]
    assert json.loads(ok(ws, "review", "--pending", "--as-of", "2021-07-03", "--format", "json"))["items"] == []


def test_append_items_writes_many_lists_in_one_pass_keeping_every_other_byte():
    from gwgk.files.yamlio import load_fast
    from gwgk.files.yamlsplice import append_item, append_items

    text = ("unit: 甲\ntasks:\n  - task: 1  # 第一项\n    records:\n      - id: R1\n        date: 2021-07-01\n"
            "        status: 已完成\n    # 手写的注释\n  - task: 2\n    role: 责任\n")
    one = {"id": "V1", "record": "R1", "decision": "通过"}
    two = {"id": "V2", "record": "R1", "decision": "退回", "reason": "多行\n原因"}
    event = {"key": "E1", "title": "预算批复", "date": "2021-07-02"}
    batched = append_items(text, [(("tasks", 0), "reviews", [one, two]), (("tasks", 1), "events", [event])])
    stepwise = append_item(append_item(append_item(text, ("tasks", 0), "reviews", one), ("tasks", 0), "reviews", two),
                           ("tasks", 1), "events", event)
    assert batched == stepwise
    assert "  - task: 1  # 第一项\n" in batched and "    # 手写的注释\n" in batched
    data = load_fast(batched, "x.yaml")
    assert [r.get("reason") for r in data["tasks"][0]["reviews"]] == [None, "多行\n原因"]
    assert data["tasks"][1]["events"][0]["title"] == "预算批复"


def _everything(root: Path) -> dict[str, bytes | None]:
    """Every file and folder under ``root``, gwgk's own .gwgk included (its cache, its lock files)."""
    return {str(p.relative_to(root)): p.read_bytes() if p.is_file() else None for p in sorted(root.rglob("*"))}


def test_a_dry_run_creates_nothing_anywhere_not_even_a_lock_file_or_the_cache(reviewed: Path):
    ws = reviewed
    _done(ws, "市财政局", "18", "2021-06-28", "2021-07-02")
    ok(ws, "overdue", *AS_OF)  # whatever a report leaves in .gwgk is there before
    (ws / "data" / "tasks.yaml").write_text((ws / "data" / "tasks.yaml").read_text(encoding="utf-8") + "# 改过\n", encoding="utf-8")
    before = _everything(ws)
    for args in (("record", "-g", TOWNS, *EVENT), ("record", "-u", "市财政局", "--all-tasks", "--status", "不适用", "--reason", "撤并", *AS_OF),
                 ("review", "--accept", "--all", *AS_OF), ("review", "--return", "--all", "--reason", "佐证不全", *AS_OF),
                 ("plan", "close", "2021", "--reason", "不再催办", "--as-of", "2022-02-01")):
        assert ok(ws, *args, "--dry-run").startswith("（试运行，没有写入）")
        assert _everything(ws) == before, args


def test_one_locked_and_one_broken_are_both_named_after_one_wait(ws: Path, monkeypatch):
    ok(ws, "record", "-u", "黄草街道", "-u", "兴泰街道", "-u", "桔山街道", "--task", "6", "--event", "首次", "--date", "2021-07-01", *AS_OF)
    monkeypatch.setattr(storage, "LOCK_TIMEOUT_SECONDS", 0.3)
    (ws / "ledgers/桔山街道.yaml").write_text("unit: 桔山街道\ntasks: 5\n", encoding="utf-8")
    before = tree_bytes(ws)
    with storage.locked(ws / ".gwgk/locks/兴泰街道.yaml.lock", "兴泰街道"):
        err = refused(ws, "record", "--group", TOWNS, *EVENT)
    assert "兴泰街道" in err and "正被另一个 gwgk 进程写入" in err
    assert "ledgers/桔山街道.yaml:2:" in err, err
    assert tree_bytes(ws) == before
