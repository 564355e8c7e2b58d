"""The ledger as a record across years, reorganisations, review and corrections, saying who wrote
what (issue 26): who and when (``at``, ``by``, 补登, ``gwgk log``), units with a life span, review
from a day, event corrections, duplicates judged by meaning, every entry findable, and
confirmations naming the instances a write counts for and changes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from .conftest import REPO, WRITTEN, add_next_year, run_cli, tree_bytes

F = "市财政局"
PLAN_2022 = REPO / "tests" / "plans" / "qingshan-county-2022-body.txt"


def ok(ws: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = run_cli(*args, workspace=ws, env=env)
    assert result.code == 0, (args, result.out, result.err)
    return result.out


def refused(ws: Path, *args: str) -> str:
    before = tree_bytes(ws)
    result = run_cli(*args, workspace=ws)
    assert result.code == 2, (args, result.out, result.err)
    assert tree_bytes(ws) == before  # nothing written
    return result.err


def ledger_text(ws: Path, unit: str = F) -> str:
    return (ws / "ledgers" / f"{unit}.yaml").read_text(encoding="utf-8")


def set_units(ws: Path, extra: str) -> None:
    """``data/units.yaml`` with ``extra`` YAML lines added to its units list."""
    path = ws / "data" / "units.yaml"
    text = path.read_text(encoding="utf-8")
    head, groups = text.split("\ngroups:", 1)
    path.write_text(head.rstrip("\n") + "\n" + extra + "groups:" + groups, encoding="utf-8")


# ------------------------------------------------------------------ who and when


def test_every_entry_carries_the_moment_written_and_the_writer(ws: Path):
    ok(ws, "record", "-u", F, "-t", "7", "--status", "done", "--date", "2021-09-28", "--as-of", "2021-09-28", "--by", "张三")
    ok(ws, "record", "-u", F, "-t", "6", "--event", "决算批复", "--date", "2021-09-01", "--as-of", "2021-09-02")
    text = ledger_text(ws)
    assert ("      - id: R1\n        date: 2021-09-28\n        entered: 2021-09-28\n"
            "        at: 2026-12-06 10:00:00+08:00\n        by: 张三\n        status: 已完成\n") in text
    assert "      - key: E1\n        title: 决算批复\n        date: 2021-09-01\n        entered: 2021-09-02\n" + WRITTEN in text


def test_the_writer_is_by_then_gwgk_user_then_the_login_name(ws: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("GWGK_USER")
    import getpass

    monkeypatch.setattr(getpass, "getuser", lambda: "zhangsan")
    ok(ws, "record", "-u", F, "-t", "7", "--status", "done", "--date", "2021-09-28", "--as-of", "2021-09-28")
    assert "        by: zhangsan\n" in ledger_text(ws)
    ok(ws, "record", "-u", F, "-t", "7", "--status", "done", "--date", "2021-09-29", "--as-of", "2021-09-29",
       env={"GWGK_USER": "李四"})
    assert "        by: 李四\n" in ledger_text(ws)
    err = refused(ws, "record", "-u", F, "-t", "7", "--status", "done", "--date", "2021-09-20", "--by", "甲" * 61)
    assert "写入人姓名" in err


def test_log_lists_entries_by_moment_with_backfills_marked(ws: Path, monkeypatch: pytest.MonkeyPatch):
    import datetime as dt

    import gwgk.commands.common as common

    zone = dt.timezone(dt.timedelta(hours=8))
    moments = iter([dt.datetime(2021, 10, 8, 9, 30, tzinfo=zone), dt.datetime(2021, 10, 9, 15, 0, tzinfo=zone),
                    dt.datetime(2021, 10, 10, 8, 0, tzinfo=zone)])
    monkeypatch.setattr(common, "_now", lambda z: next(moments).astimezone(z))
    ok(ws, "record", "-u", F, "-t", "7", "--status", "done", "--date", "2021-09-28", "--by", "张三", "--as-of", "2021-10-08")
    ok(ws, "record", "-u", "敬南镇", "-t", "7", "--status", "不适用", "--date", "2021-07-01", "--reason", "本镇无债务",
       "--by", "李四", "--as-of", "2021-07-01")  # written 2021-10-09: 补登
    ok(ws, "record", "-u", F, "--withdraw", "R1", "--reason", "链接错", "--by", "王五", "--as-of", "2021-10-10")
    data = json.loads(ok(ws, "log", "--format", "json"))
    rows = [(i["at"], i["by"], i["unit"], i["id"], i["kind"], i["task"], i["entered"], i["late"]) for i in data["items"]]
    assert rows == [
        ("2021-10-08T09:30:00+08:00", "张三", F, "R1", "record", 7, "2021-10-08", False),
        ("2021-10-09T15:00:00+08:00", "李四", "敬南镇", "R1", "record", 7, "2021-07-01", True),
        ("2021-10-10T08:00:00+08:00", "王五", F, "W1", "withdrawal", 7, "2021-10-10", False),
    ]
    # a record naming no instance shows the one the ledger counts it for; a withdrawal, what it withdraws
    assert [i["instance"] for i in data["items"]] == ["2021Q3", "整项任务", "R1"]
    assert [i["id"] for i in json.loads(ok(ws, "log", "--unit", "财政", "--format", "json"))["items"]] == ["R1", "W1"]
    assert [i["id"] for i in json.loads(ok(ws, "log", "--since", "2021-10-09", "--format", "json"))["items"]] == ["R1", "W1"]
    table = [line for line in csv.reader(io.StringIO(ok(ws, "log", "--format", "csv")))]
    assert table[0] == ["写入时间", "写入人", "单位", "编号", "类别", "任务/实例", "登记日期", "补登", "内容"]
    assert table[2][:8] == ["2021-10-09 15:00:00+08:00", "李四", "敬南镇", "R1", "记录", "第7项 整项任务", "2021-07-01", "补登"]
    text = ok(ws, "log")
    assert "全部台账的登记共 3 条，其中补登 1 条。" in text


def test_ledgers_written_before_at_and_by_read_as_before(demo: Path):
    before = ok(demo, "overdue", "--as-of", "2021-10-08", "--format", "json")
    items = json.loads(ok(demo, "log", "--format", "json"))["items"]
    assert items and all(i["at"] is None and i["by"] is None and not i["late"] for i in items)
    days = [i["entered"] or "" for i in items]
    assert days == sorted(days)  # no moment: by the day of entry
    assert ok(demo, "overdue", "--as-of", "2021-10-08", "--format", "json") == before


# ------------------------------------------------------------------ units with a life span


def test_a_new_plan_with_new_units_leaves_past_reports_byte_identical(ws: Path):
    formats = ("table", "json", "md", "csv", "html")
    before = {fmt: ok(ws, "overdue", "--as-of", "2021-12-31", "--format", fmt) for fmt in formats}
    year = ok(ws, "report", "--as-of", "2021-12-31", "--format", "json")
    result = run_cli("plan", "draft", str(PLAN_2022), "--year", "2022", workspace=ws)
    assert result.code in (0, 1), result.err
    assert "新增 3 个单位" in result.out
    units = (ws / "data" / "units.yaml").read_text(encoding="utf-8")
    assert "  - name: 县司法局\n    kind: department\n    source: 计划正文\n    since: 2022-05-10\n" in units
    assert {fmt: ok(ws, "overdue", "--as-of", "2021-12-31", "--format", fmt) for fmt in formats} == before
    assert ok(ws, "report", "--as-of", "2021-12-31", "--format", "json") == year
    assert "48个单位" in before["table"]
    # the new units owe the new plan, not the old one
    assert "51个单位" in ok(ws, "overdue", "--as-of", "2022-12-31", "--plan", "2022")
    err = refused(ws, "record", "-u", "县司法局", "--plan", "2021", "-t", "2", "--status", "done", "--date", "2021-09-01",
                  "--as-of", "2021-10-01")
    assert "县司法局（2022-05-10 起设立）在 2021 年计划的计划期内不存在，不承担这一年的任务" in err


def test_a_unit_set_up_during_the_plan_owes_only_what_falls_due_after(ws: Path):
    before = ok(ws, "overdue", "--as-of", "2021-09-30", "--format", "json")
    set_units(ws, "  - name: 市医疗保障局\n    kind: department\n    source: 本单位添加\n    since: 2021-10-01\n")
    assert ok(ws, "overdue", "--as-of", "2021-09-30", "--format", "json") == before
    later = json.loads(ok(ws, "overdue", "--as-of", "2021-12-31", "--unit", "市医疗保障局", "--format", "json"))
    owed = {(i["task"], i["instance"]) for i in later["items"] if i["state"] == "overdue"}
    # quarterly task 8: only 2021Q4 (due 12-31, not yet overdue); 9月底 tasks (due 09-30) not owed at all
    assert not any(instance in ("2021Q2", "2021Q3", "2021-09-30") for _, instance in owed)
    view = json.loads(ok(ws, "ledger", "-u", "市医疗保障局", "--as-of", "2021-12-31", "--format", "json"))
    task8 = next(t for t in view["tasks"] if t["task"] == 8)
    assert [i["instance"] for i in task8["instances"]] == ["2021Q4"]


def test_a_dissolved_unit_owes_nothing_due_after_its_last_day(ws: Path):
    path = ws / "data" / "units.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  - name: 市教育局\n" in text
    path.write_text(text.replace("  - name: 市教育局\n", "  - name: 市教育局\n    until: 2021-10-31\n    successor: 市财政局\n", 1),
                    encoding="utf-8")
    view = json.loads(ok(ws, "ledger", "-u", "市教育局", "--as-of", "2021-12-31", "--format", "json"))
    dues = [i["due"] for t in view["tasks"] for i in t["instances"] if i["due"]]
    assert dues and max(dues) <= "2021-10-31"
    path.write_text(text.replace("  - name: 市教育局\n", "  - name: 市教育局\n    until: 2021-10-31\n    successor: 没有的局\n", 1),
                    encoding="utf-8")
    result = run_cli("validate", workspace=ws)
    assert result.code == 1 and "承接单位“没有的局”不在单位列表中" in result.out


# ------------------------------------------------------------------ review from a day


def test_review_on_and_no_draft_marks_validates(ws: Path):
    path = ws / "data" / "tasks.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("settings:\n", "settings:\n  review: true\n", 1), encoding="utf-8")
    result = run_cli("validate", workspace=ws)
    assert result.code == 0, result.out + result.err
    assert "待核对" not in result.out


def test_review_from_a_later_day_leaves_earlier_reports_unchanged(ws: Path):
    ok(ws, "record", "-u", F, "-t", "2", "--status", "done", "--date", "2021-09-20", "--as-of", "2021-09-20")
    ok(ws, "record", "-u", F, "-t", "7", "--status", "done", "--date", "2021-10-12", "--as-of", "2021-10-12")
    days = ("2021-10-08", "2021-10-11")
    before = {d: (ok(ws, "overdue", "--as-of", d, "--format", "json"), ok(ws, "ledger", "-u", F, "--as-of", d, "--format", "json"))
              for d in days}
    path = ws / "data" / "tasks.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("settings:\n", "settings:\n  review_from: 2021-10-12\n", 1), encoding="utf-8")
    assert run_cli("validate", workspace=ws).code == 0
    after = {d: (ok(ws, "overdue", "--as-of", d, "--format", "json"), ok(ws, "ledger", "-u", F, "--as-of", d, "--format", "json"))
             for d in days}
    assert after == before
    # entered on the start day: awaits review; entered before: counts as it did
    pending = json.loads(ok(ws, "review", "--pending", "--as-of", "2021-10-12", "--format", "json"))
    assert [(i["task"], i["record"]) for i in pending["items"]] == [(7, "R2")]
    err = refused(ws, "review", "-u", F, "--record", "R1", "--accept", "--as-of", "2021-10-13")
    assert "早于销号审核开始的 2021-10-12，不需要审核" in err


# ------------------------------------------------------------------ event corrections


def _event_with_record(ws: Path) -> None:
    ok(ws, "record", "-u", F, "-t", "6", "--event", "2020年决算批复", "--date", "2021-07-02", "--as-of", "2021-07-02")
    ok(ws, "record", "-u", F, "-t", "6", "--status", "done", "--date", "2021-07-20", "--instance", "E1", "--as-of", "2021-07-20")


def test_withdrawing_an_event_records_depend_on_is_refused(ws: Path):
    _event_with_record(ws)
    err = refused(ws, "record", "-u", F, "--withdraw", "E1", "--task", "6", "--reason", "日期错", "--as-of", "2021-08-01")
    assert "事件 E1 有记录 R1依附" in err and "--replaces E1" in err


def test_an_event_correction_moves_its_records_in_one_write(ws: Path):
    _event_with_record(ws)
    past = ok(ws, "ledger", "-u", F, "--as-of", "2021-07-31", "--format", "json")
    out = ok(ws, "record", "-u", F, "-t", "6", "--event", "2020年决算批复", "--date", "2021-07-12", "--replaces", "E1",
             "--as-of", "2021-08-01")
    assert out == ("已为 市财政局 第 6 项任务更正事件 E1（已撤回）为 E2：2020年决算批复（2021-07-12），到期日 2021-08-09。"
                   "随之改登：R1 → R2。现在：E2 已完成。\n")
    text = ledger_text(ws)
    assert "        replaces: E1\n" in text and "        instance: E2\n        replaces: R1\n" in text
    view = json.loads(ok(ws, "ledger", "-u", F, "--as-of", "2021-08-01", "--format", "json"))
    task6 = next(t for t in view["tasks"] if t["task"] == 6)
    assert [(i["instance"], i["state"]) for i in task6["instances"]] == [("E2", "done")]
    assert [r["id"] for r in task6["instances"][0]["records"]] == ["R2"]
    assert ok(ws, "ledger", "-u", F, "--as-of", "2021-07-31", "--format", "json") == past  # the past as it was
    assert run_cli("validate", workspace=ws).code == 0


def test_validate_names_a_record_left_on_a_withdrawn_event(ws: Path):
    _event_with_record(ws)
    path = ws / "ledgers" / f"{F}.yaml"
    text = path.read_text(encoding="utf-8")  # as an older gwgk left it: E1 withdrawn, R1 still attached
    path.write_text(text.replace("        instance: E1\n", "        instance: E1\n    withdrawals:\n      - id: W1\n"
                                 "        target: E1\n        entered: 2021-08-01\n        reason: 日期错\n", 1), encoding="utf-8")
    result = run_cli("validate", workspace=ws)
    assert result.code == 1 and "记录 R1 属于已撤回的事件 E1（W1），不计入任何实例" in result.out
    # the right event registered later: --replaces moves the record onto it, without a second event
    ok(ws, "record", "-u", F, "-t", "6", "--event", "2020年决算批复", "--date", "2021-07-12", "--as-of", "2021-08-02")
    out = ok(ws, "record", "-u", F, "-t", "6", "--event", "2020年决算批复", "--date", "2021-07-12", "--replaces", "E1",
             "--as-of", "2021-08-02")
    assert "随之改登：R1 → R2" in out and ledger_text(ws).count("key: E") == 2
    assert run_cli("validate", workspace=ws).code == 0


# ------------------------------------------------------------------ duplicates by meaning


def test_a_second_identical_post_is_accepted_when_the_user_says_so(ws: Path):
    town = "黄草街道"
    args = ("record", "-u", town, "-t", "12", "--status", "done", "--date", "2021-09-06", "--category", "乡村振兴",
            "--note", "信息一篇", "--as-of", "2021-09-06")
    ok(ws, *args)
    out = ok(ws, *args)
    assert "没有重复登记" in out and "--again" in out
    assert ledger_text(ws, town).count("date: 2021-09-06") == 1
    ok(ws, *args, "--again")
    assert "--again" in refused(ws, "record", "-u", town, "-t", "12", "--event", "x", "--date", "2021-09-06", "--again")
    assert ledger_text(ws, town).count("date: 2021-09-06") == 2
    ok(ws, *args[:-2], "--evidence", "http://x/2", "--as-of", "2021-09-06")  # distinct evidence: another post
    assert ledger_text(ws, town).count("date: 2021-09-06") == 3


def test_reimporting_an_unchanged_workbook_with_an_undated_inapplicable_row_writes_nothing(ws: Path, tmp_path: Path):
    out = tmp_path / "out.xlsx"
    ok(ws, "export", "-u", F, "--as-of", "2021-10-08", "--output", str(out))
    wb = load_workbook(out)
    sheet = wb.worksheets[0]
    row = next(r for r in range(2, sheet.max_row + 1) if (sheet.cell(r, 14).value or "").startswith(f"{F}|8|2021Q3|1|"))
    sheet[f"I{row}"], sheet[f"M{row}"] = "不适用", "本局无惠民资金"  # no date: the import day
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    ok(ws, "import", str(filled), "--as-of", "2021-10-09")
    before = tree_bytes(ws)
    again = ok(ws, "import", str(filled), "--as-of", "2021-10-15")
    assert tree_bytes(ws) == before
    assert again == "市财政局：新增 0 条记录，1 条与台账已有记录相同，跳过。\n"


# ------------------------------------------------------------------ every entry findable, confirmations


def test_whole_task_and_unplaced_records_appear_with_their_ids(ws: Path):
    ok(ws, "record", "-u", "敬南镇", "-t", "7", "--status", "不适用", "--date", "2021-07-01", "--reason", "无债务", "--as-of", "2021-07-01")
    view = json.loads(ok(ws, "ledger", "-u", "敬南镇", "--as-of", "2021-10-08", "--format", "json"))
    task7 = next(t for t in view["tasks"] if t["task"] == 7)
    assert all([(r["id"], r["whole_task"]) for r in i["records"]] == [("R1", True)] for i in task7["instances"])
    for fmt in ("md", "csv", "table"):
        assert "R1（整项任务）" in ok(ws, "ledger", "-u", "敬南镇", "--as-of", "2021-10-08", "--format", fmt)
    # a record left on a withdrawn event (as an older gwgk left it) is shown apart, with its id
    _event_with_record(ws)
    path = ws / "ledgers" / f"{F}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("        instance: E1\n", "        instance: E1\n    withdrawals:\n      - id: W1\n"
                                 "        target: E1\n        entered: 2021-08-01\n        reason: 日期错\n", 1), encoding="utf-8")
    view = json.loads(ok(ws, "ledger", "-u", F, "--as-of", "2021-10-08", "--format", "json"))
    assert [r["id"] for t in view["tasks"] for r in t["unplaced"]] == ["R1"]
    for fmt in ("md", "csv", "table"):
        out = ok(ws, "ledger", "-u", F, "--as-of", "2021-10-08", "--format", fmt)
        assert "（不属于任何期次）" in out and "R1" in out


def test_confirmations_name_the_counted_instance_and_the_instances_changed(ws: Path):
    ok(ws, "record", "-u", F, "-t", "7", "--extend", "2021Q3", "--to", "2021-10-20", "--reason", "等待", "--as-of", "2021-09-25")
    out = ok(ws, "record", "-u", F, "-t", "7", "--status", "done", "--date", "2021-10-12", "--as-of", "2021-10-12")
    assert out.startswith("已为 市财政局 第 7 项任务（实例 2021Q3）登记 R1：2021-10-12 已完成。现在：2021Q3 已完成。")
    ok(ws, "record", "-u", F, "-t", "7", "--status", "done", "--date", "2021-06-20", "--instance", "2021Q2", "--as-of", "2021-10-13")
    out = ok(ws, "record", "-u", F, "-t", "7", "--status", "done", "--date", "2021-10-02", "--instance", "2021Q4",
             "--replaces", "R2", "--as-of", "2021-10-14")
    assert out == ("已为 市财政局 第 7 项任务（实例 2021Q4）更正 R2（已撤回）为 R3：2021-10-02 已完成。现在：2021Q4 已完成。"
                   "随之变化：2021Q2 已完成 → 超期未完成。\n")
    out = ok(ws, "record", "-u", "敬南镇", "-t", "7", "--status", "不适用", "--date", "2021-07-01", "--reason", "无债务",
             "--as-of", "2021-10-14")
    assert out.startswith("已为 敬南镇 第 7 项任务（整项任务：2021Q2、2021Q3、2021Q4）登记 R1：2021-07-01 不适用。"
                          "现在：2021Q2 不适用、2021Q3 不适用、2021Q4 不适用。")


def test_a_unit_set_up_for_one_later_plan_is_found_again_by_the_next(ws: Path):
    assert run_cli("plan", "draft", str(PLAN_2022), "--year", "2022", workspace=ws).code in (0, 1)
    units = (ws / "data" / "units.yaml").read_text(encoding="utf-8")
    result = run_cli("plan", "draft", str(PLAN_2022), "--year", "2023", workspace=ws)
    assert result.code in (0, 1), result.err
    assert "新增" not in result.out and (ws / "data" / "units.yaml").read_text(encoding="utf-8") == units
    assert run_cli("validate", "--plan", "2023", workspace=ws).code in (0, 1)  # review marks only
    assert "县司法局" in ok(ws, "overdue", "--plan", "2023", "--as-of", "2023-12-31")


def test_a_unit_dissolved_before_the_latest_plan_still_answers_for_its_years(ws: Path):
    add_next_year(ws)
    path = ws / "data" / "units.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - name: 市教育局\n", "  - name: 市教育局\n    until: 2021-12-31\n", 1),
                    encoding="utf-8")
    data = json.loads(ok(ws, "overdue", "--as-of", "2022-10-01", "--format", "json"))
    mine = {(i["plan"], i["instance"]) for i in data["items"] if i["unit"] == "市教育局"}
    assert mine and {plan for plan, _ in mine} == {2021}  # its 2021 items, none of 2022
    err = refused(ws, "record", "-u", "市教育局", "-t", "2", "--status", "done", "--date", "2022-09-01", "--as-of", "2022-10-01")
    assert "市教育局（2021-12-31 后撤销）在 2022 年计划的计划期内不存在" in err
