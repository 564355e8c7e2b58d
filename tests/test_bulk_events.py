"""Undoing a city-wide event in bulk (issue 28, beyond its list): the same event has its own key in
each unit's ledger, so ``record --group … --withdraw 名称`` and ``--event 新名称 --date D --replaces 原名称``
find it by its name in every ledger; all or nothing, ``--dry-run`` writing nothing, entries as for one unit.

Task 6 is due 20 working days after its event: from 2021-07-01 on 2021-07-29, from 2021-07-02 (a
Friday; July has no holiday) on 2021-07-30.
"""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import run_cli, tree_bytes
from .test_bulk import AS_OF, EVENT, TOWNS, ledger_json, ok, refused, task_of

LATER = ("--as-of", "2021-07-06")


def instances(ws: Path, unit: str, as_of: str = "2021-07-06") -> list[tuple[str, str, list[str]]]:
    task = task_of(ledger_json(ws, unit, as_of), 6)
    return [(i["instance"], i["due"], [r["date"] for r in i["records"]]) for i in task["instances"]]


def test_a_wrong_date_is_corrected_in_every_unit_and_records_move_along(ws: Path):
    ok(ws, "record", "--group", TOWNS, *EVENT)
    ok(ws, "record", "-u", "黄草街道", "-t", "6", "-s", "已完成", "-d", "2021-07-03", "-i", "E1", *AS_OF)
    ok(ws, "record", "-u", "兴泰街道", "-t", "6", "--event", "另一事件", "--date", "2021-07-02", *AS_OF)
    before = tree_bytes(ws)
    fix = ("record", "--group", TOWNS, "--task", "6", "--event", "2021年预算批复", "--date", "2021-07-02",
           "--replaces", "2021年预算批复", *LATER)
    dry = ok(ws, *fix, "--dry-run").splitlines()
    # every entry is listed: 32 new events, 32 withdrawals of the old, and 黄草街道's record moved (its
    # withdrawal and the new record): 66
    assert dry[0] == ("（试运行，没有写入）第 6 项任务更正事件“2021年预算批复”为“2021年预算批复”（2021-07-02）：涉及 32 个单位，"
                      "将写入 66 条（32 个单位的台账），跳过 0 条。")
    assert dry[1:5] == ["  将写入 黄草街道 第 6 项任务 E2：事件“2021年预算批复”（2021-07-02）",
                        "  将写入 黄草街道 第 6 项任务 W1：撤回 E1",
                        "  将写入 黄草街道 第 6 项任务 W2：撤回 R1",
                        "  将写入 黄草街道 第 6 项任务 R2：记录改登到 E2（2021-07-03 已完成，更正 R1）"]
    assert "  将写入 兴泰街道 第 6 项任务 E3：事件“2021年预算批复”（2021-07-02）" in dry  # its E2 is the other event
    assert tree_bytes(ws) == before
    result = json.loads(ok(ws, *fix, "--format", "json"))
    assert (result["action"], len(result["written"]), result["skipped"]) == ("replace_event", 66, [])
    assert instances(ws, "黄草街道") == [("E2", "2021-07-30", ["2021-07-03"])]
    assert [i for i in instances(ws, "兴泰街道") if i[0] != "E2"] == [("E3", "2021-07-30", [])]
    # a report as of the day before the correction is unchanged
    assert instances(ws, "黄草街道", "2021-07-05") == [("E1", "2021-07-29", ["2021-07-03"])]
    # run again: every unit has it corrected already
    rerun = json.loads(ok(ws, *fix, "--format", "json"))
    assert (rerun["written"], len(rerun["skipped"])) == ([], 32)
    assert rerun["skipped"][0] == {"unit": "黄草街道", "task": 6, "entry": "E2", "what": "事件 E2 已是“2021年预算批复”（2021-07-02）"}
    # a name no unit has (a typo): refused with the nearest, nothing written
    before = tree_bytes(ws)
    err = refused(ws, "record", "--group", TOWNS, "--task", "6", "--event", "2021年预算批复", "--date", "2021-07-05",
                  "--replaces", "2021年预算批附", *LATER)
    assert "范围内没有单位有名为“2021年预算批附”的事件，您是不是要找：2021年预算批复？" in err
    err = refused(ws, "record", "--group", TOWNS, "--task", "6", "--withdraw", "预算", "--reason", "x", *LATER)
    assert "范围内没有单位有名为“预算”的事件" in err
    assert tree_bytes(ws) == before


def test_an_event_is_withdrawn_by_name_from_every_ledger_that_has_it(ws: Path):
    ok(ws, "record", "-u", "黄草街道", "-u", "兴泰街道", *EVENT)
    out = ok(ws, "record", "--group", TOWNS, "--task", "6", "--withdraw", "2021年预算批复", "--reason", "不是全市统一的事件", *LATER)
    assert out.splitlines()[0] == "撤回事件“2021年预算批复”：涉及 32 个单位，写入 2 条（2 个单位的台账），跳过 30 条。"
    assert "  跳过 桔山街道 第 6 项任务：没有名为“2021年预算批复”的事件（或已撤回）" in out.splitlines()
    # a unit skipped is not given a ledger it did not have
    assert sorted(p.stem for p in (ws / "ledgers").glob("*.yaml")) == sorted(["黄草街道", "兴泰街道"])
    assert instances(ws, "黄草街道") == [] and instances(ws, "黄草街道", "2021-07-05")[0][0] == "E1"
    text = (ws / "ledgers" / "兴泰街道.yaml").read_text(encoding="utf-8")
    assert "      - id: W1\n        target: E1\n        entered: 2021-07-06\n" in text and "reason: 不是全市统一的事件" in text


def test_a_unit_whose_event_has_records_refuses_the_whole_and_nothing_is_written(ws: Path):
    ok(ws, "record", "--group", TOWNS, *EVENT)
    ok(ws, "record", "-u", "兴泰街道", "-t", "6", "-s", "已完成", "-d", "2021-07-03", "-i", "E1", *AS_OF)
    before = tree_bytes(ws)
    err = refused(ws, "record", "--group", TOWNS, "--task", "6", "--withdraw", "2021年预算批复", "--reason", "错了", *LATER)
    assert "兴泰街道：事件 E1 有记录 R1依附" in err and "批量操作没有写入任何台账" in err
    assert tree_bytes(ws) == before


def test_keys_are_refused_in_bulk_and_taken_for_one_unit(ws: Path):
    ok(ws, "record", "-u", "黄草街道", "-u", "兴泰街道", *EVENT)
    before = tree_bytes(ws)
    err = refused(ws, "record", "--group", TOWNS, "--task", "6", "--withdraw", "E1", "--reason", "错了", *LATER)
    assert "批量撤回请用事件名称" in err
    err = refused(ws, "record", "-u", "黄草街道", "-u", "兴泰街道", "--task", "6", "--event", "新", "--date", "2021-07-02",
                  "--replaces", "e1", *LATER)
    assert "批量更正请用原事件的名称" in err
    assert refused(ws, "record", "--group", TOWNS, "--task", "6", "--withdraw", "2021年预算批复", *LATER).strip().endswith(
        "撤回必须用 --reason 写明原因")
    # one unit's withdrawal by its id can be tried first
    out = ok(ws, "record", "-u", "黄草街道", "--withdraw", "E1", "--task", "6", "--reason", "错了", *LATER, "--dry-run")
    assert out.splitlines()[0] == "（试运行，没有写入）撤回事件“E1”：涉及 1 个单位，将写入 1 条（1 个单位的台账），跳过 0 条。"
    assert out.splitlines()[1] == "  将写入 黄草街道 第 6 项任务 W1：撤回 E1"
    assert tree_bytes(ws) == before


def test_the_office_extends_one_period_for_every_unit_at_once(ws: Path):
    # 2021Q3 of task 7 (每季度一次) is due 2021-09-30; the office grants the towns until 2021-10-15
    extend = ("record", "--group", TOWNS, "--task", "7", "--extend", "2021Q3", "--to", "2021-10-15", "--reason", "国庆假期顺延",
              "--as-of", "2021-09-28")
    before = tree_bytes(ws)
    assert ok(ws, *extend, "--dry-run").splitlines()[1] == "  将写入 黄草街道 第 7 项任务 X1：2021Q3 延期"
    assert tree_bytes(ws) == before
    out = ok(ws, *extend)
    assert out == "第 7 项任务的 2021Q3 延期至 2021-10-15：涉及 32 个单位，写入 32 条（32 个单位的台账），跳过 0 条。\n"
    overdue = json.loads(ok(ws, "overdue", "-u", "黄草街道", "--as-of", "2021-10-08", "--format", "json"))
    assert [i["instance"] for i in overdue["items"] if i["task"] == 7] == ["2021Q2"]
    # as of a day before the extension was entered, 2021Q3 is judged by its old due date
    early = json.loads(ok(ws, "ledger", "-u", "黄草街道", "--as-of", "2021-09-27", "--format", "json"))
    q3 = next(i for i in task_of(early, 7)["instances"] if i["instance"] == "2021Q3")
    assert q3["due"] == "2021-09-30"
    again = ok(ws, *extend)
    assert again.splitlines()[1] == "  跳过 黄草街道 第 7 项任务：2021Q3 已登记过延期 X1（至 2021-10-15）"
    # a period no unit has, or a new due day not later than the old one: refused, naming the unit, nothing written
    before = tree_bytes(ws)
    err = refused(ws, "record", "--group", TOWNS, "--task", "7", "--extend", "2021Q9", "--to", "2021-10-15", "--reason", "x",
                  "--as-of", "2021-09-28")
    assert "黄草街道：第 7 项任务没有实例“2021Q9”" in err and "批量操作没有写入任何台账" in err
    assert "--to" in refused(ws, "record", "--group", TOWNS, "--task", "6", "--event", "x", "--date", "2021-07-01", "--to", "2021-10-15",
                             *AS_OF)
    assert tree_bytes(ws) == before


def test_several_groups_are_all_taken(ws: Path):
    """``--group A --group B`` used only B (found by an attack on issue 28): every group named counts."""
    result = json.loads(ok(ws, "record", "--group", TOWNS, "--group", "市直有关部门", "--task", "6", "--event", "2021年预算批复",
                           "--date", "2021-07-01", *AS_OF, "--dry-run", "--format", "json"))
    owing = {line["unit"] for line in result["written"]}
    assert "黄草街道" in owing and result["units"] == 32 + 13
    overdue = json.loads(ok(ws, "overdue", "--group", TOWNS, "--group", "市直有关部门", "--as-of", "2021-10-08", "--format", "json"))
    assert overdue["units_in_scope"] == 32 + 13


def test_an_event_is_extended_by_its_name_in_every_unit(ws: Path):
    """The same event has its own key in each ledger (found by an attack on issue 28: ``--extend E2``
    extended two different events): in bulk an event is named by its name; keys are refused."""
    ok(ws, "record", "-u", "兴泰街道", "-t", "6", "--event", "其他事件", "--date", "2021-06-30", *AS_OF)
    ok(ws, "record", "-u", "黄草街道", "-u", "兴泰街道", *EVENT)  # 黄草街道 E1, 兴泰街道 E2
    err = refused(ws, "record", "-u", "黄草街道", "-u", "兴泰街道", "--task", "6", "--extend", "E2", "--to", "2021-10-15",
                  "--reason", "顺延", *LATER)
    assert "批量为事件延期请用事件名称" in err
    out = ok(ws, "record", "--group", TOWNS, "--task", "6", "--extend", "2021年预算批复", "--to", "2021年10月15日",
             "--reason", "预算批复顺延", *LATER).splitlines()
    assert out[0] == "第 6 项任务的 2021年预算批复 延期至 2021-10-15：涉及 32 个单位，写入 2 条（2 个单位的台账），跳过 30 条。"
    assert "  跳过 桔山街道 第 6 项任务：没有名为“2021年预算批复”的事件（或已撤回）" in out
    assert [i for i in instances(ws, "黄草街道") if i[0] == "E1"] == [("E1", "2021-10-15", [])]
    assert [i for i in instances(ws, "兴泰街道") if i[0] == "E2"] == [("E2", "2021-10-15", [])]
    assert [i for i in instances(ws, "兴泰街道") if i[0] == "E1"][0][1] != "2021-10-15"  # 其他事件 untouched


def test_a_unit_corrected_alone_before_is_skipped_by_the_bulk_correction(ws: Path):
    ok(ws, "record", "--group", TOWNS, "--task", "6", "--event", "B", "--date", "2021-07-01", *AS_OF)
    ok(ws, "record", "-u", "黄草街道", "--task", "6", "--event", "B", "--date", "2021-07-02", "--replaces", "E1", *LATER)
    result = json.loads(ok(ws, "record", "--group", TOWNS, "--task", "6", "--event", "B", "--date", "2021-07-02", "--replaces", "B",
                           "--as-of", "2021-07-07", "--format", "json"))
    assert len(result["written"]) == 31 * 2 and result["skipped"] == [
        {"unit": "黄草街道", "task": 6, "entry": "E2", "what": "事件 E2 已是“B”（2021-07-02）"}]


def test_marking_tasks_not_applicable_again_the_next_day_writes_nothing(ws: Path):
    first = json.loads(ok(ws, "record", "-u", "市财政局", "--all-tasks", "--status", "不适用", "--reason", "机构改革", *AS_OF,
                          "--format", "json"))
    assert len(first["written"]) == 28
    before = tree_bytes(ws)
    again = json.loads(ok(ws, "record", "-u", "市财政局", "--all-tasks", "--status", "不适用", "--reason", "机构改革", *LATER,
                          "--format", "json"))
    assert (again["written"], len(again["skipped"])) == ([], 28)
    assert again["skipped"][0]["what"] == "已登记“不适用”（R1，2021-07-05）"
    assert tree_bytes(ws) == before


def test_a_city_wide_event_skips_a_unit_that_no_longer_exists_on_its_day(ws: Path):
    units = ws / "data" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("  - name: 雄武乡\n", "  - name: 雄武乡\n    until: 2021-08-31\n", 1),
                     encoding="utf-8")
    result = json.loads(ok(ws, "record", "--group", TOWNS, "--task", "6", "--event", "决算批复", "--date", "2021-09-10",
                           "--as-of", "2021-09-15", "--format", "json"))
    assert len(result["written"]) == 31
    assert result["skipped"] == [{"unit": "雄武乡", "task": 6, "entry": None,
                                  "what": "雄武乡 只存续到 2021-08-31（已撤销或合并），事件日期 2021-09-10 不在其存续期内"}]
    assert not (ws / "ledgers" / "雄武乡.yaml").exists()


def test_event_names_follow_one_rule_on_the_command_line_and_in_bulk(ws: Path):
    """The name rule the workbook uses (``entries.naming``): one line, visible, not shaped like a key;
    and a name matches whatever its width (found by an attack on issue 28)."""
    before = tree_bytes(ws)
    for name, message in (("E7", "像台账条目的编号"), ("ｅ１", "像台账条目的编号"), ("预算\n批复", "事件名称里有换行"), ("预算\u2028批复", "事件名称里有换行")):
        one = run_cli("record", "-u", "黄草街道", "--task", "6", "--event", name, "--date", "2021-07-01", *AS_OF, workspace=ws)
        assert one.code == 2 and message in one.err, (name, one.err)
        many = refused(ws, "record", "--group", TOWNS, "--task", "6", "--event", name, "--date", "2021-07-01", *AS_OF)
        assert message in many and "黄草街道：" not in many
    assert tree_bytes(ws) == before
    ok(ws, "record", "-u", "黄草街道", "-u", "兴泰街道", "--task", "6", "--event", "2021年预算批复（第1批）", "--date", "2021-07-01", *AS_OF)
    # the same name typed in half-width brackets is the same event: nothing registered twice, and bulk finds it
    again = json.loads(ok(ws, "record", "-u", "黄草街道", "-u", "兴泰街道", "--task", "6", "--event", "2021年预算批复(第1批)",
                          "--date", "2021-07-01", *AS_OF, "--format", "json"))
    assert (again["written"], len(again["skipped"])) == ([], 2)
    out = ok(ws, "record", "-u", "黄草街道", "-u", "兴泰街道", "--task", "6", "--withdraw", "2021年预算批复(第1批)", "--reason", "x", *LATER)
    assert "写入 2 条" in out
