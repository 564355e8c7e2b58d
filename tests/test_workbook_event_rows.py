"""新事件 rows under attack (issue 28, the tester's findings 2, 3, 4, 13, 16, 17 and 18): a unit says
“no such event this year” on the row; an old copy of a workbook never brings back what the office
withdrew or corrected; a second event of the same name, a cell of the wrong type, a name shaped like
an entry key and a row copied whole are refused at their cells, nothing written.

Task 6 (预决算公开) is due 20 working days after its event (see test_workbook_events): from
2021-09-01, due 2021-09-29; from 2021-09-03 (Friday): 9-6, 7, 8, 9, 10, 13, 14, 15, 16, 17, 18
(Saturday, worked for 中秋), 22, 23, 24, 26 (Sunday, worked for 国庆), 27, 28, 29, 30, 10-8 (the
holiday 10-1 to 10-7 off): due 2021-10-08. 市财政局 owes task 16 (舆情回应), an event task too.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from gwgk.entries.naming import event_title_refusal, same_title

from .conftest import run_cli, tree_bytes
from .test_workbook_events import AS_OF, F, export, fill_spare, instance, spare_rows

BUDGET = "2021年预算批复"


def ok(ws: Path, *args: str) -> str:
    result = run_cli(*args, workspace=ws)
    assert result.code == 0, result.err
    return result.out


def refused(ws: Path, path: Path, *cells: tuple[str, str]) -> None:
    """``path`` is refused (exit 2) with each ``(cell, message)`` named, and nothing is written."""
    before = tree_bytes(ws)
    result = run_cli("import", str(path), *AS_OF, workspace=ws)
    assert result.code == 2, result.out
    for cell, message in cells:
        assert f"{path} {F}!{cell}: {message}" in result.err, (cell, result.err)
    assert tree_bytes(ws) == before


def ledger_tasks(ws: Path) -> dict[int, dict]:
    data = yaml.safe_load((ws / "ledgers" / f"{F}.yaml").read_text(encoding="utf-8"))
    return {t["task"]: t for t in data["tasks"]}


def instance_on(ws: Path, task: int, key: str, day: str) -> dict:
    data = json.loads(ok(ws, "ledger", "-u", F, "--as-of", day, "--format", "json"))
    return next(i for t in data["tasks"] if t["task"] == task for i in t["instances"] if i["instance"] == key)


def no_event_tasks(ws: Path, day: str) -> list[int]:
    data = json.loads(ok(ws, "overdue", "-u", F, "--as-of", day, "--format", "json"))
    return sorted(i["task"] for i in data["items"] if i["state"] == "no_event")


def state_cell(path: Path, task: int, which: int = 0) -> str:
    sheet = load_workbook(path).worksheets[0]
    return sheet.cell(spare_rows(sheet, task)[which], 8).value


# finding 2: “no such event this year” through the workbook


def test_a_new_event_row_with_not_applicable_and_no_event_is_the_whole_task_not_applicable(ws: Path, tmp_path: Path):
    tasks = ws / "data" / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("settings:\n", "settings:\n  expect_events_by: 2021-09-30\n", 1),
                     encoding="utf-8")
    assert no_event_tasks(ws, "2021-10-08") == [1, 5, 6, 13, 14, 16, 17, 18, 19, 22]
    exported = export(ws, tmp_path)
    assert state_cell(exported, 16).endswith("本年度没有这类事件的，不填事件，“完成情况”选“不适用”，备注写原因）")
    row = spare_rows(load_workbook(exported).worksheets[0], 16)[0]
    filled = fill_spare(exported, tmp_path / "na.xlsx", 16, {"I": "不适用", "M": "本年度未发生涉及本单位的舆情"})
    dry = ok(ws, "import", str(filled), *AS_OF, "--dry-run")
    assert dry == (f"{F}：将新增 1 条记录。\n"
                   f"  {filled} {F}!{row}行 第 16 项 整项任务：— → 2021-10-08 不适用，备注：本年度未发生涉及本单位的舆情\n"
                   "（试运行，没有写入任何内容）\n")
    out = ok(ws, "import", str(filled), *AS_OF)
    assert out == f"{F}：新增 1 条记录。\n  写入的条目：R1\n"
    # the same entry as `gwgk record --task 16 --status 不适用 --reason …` (no instance), but for its source
    other = tmp_path / "other"
    other.mkdir()
    (other / "data").mkdir()
    for name in ("tasks.yaml", "units.yaml"):
        (other / "data" / name).write_bytes((ws / "data" / name).read_bytes())
    (other / "ledgers").mkdir()
    ok(other, "record", "-u", F, "-t", "16", "--status", "不适用", "--reason", "本年度未发生涉及本单位的舆情", "--date", "2021-10-08", *AS_OF)
    by_hand = ledger_tasks(other)[16]["records"]
    imported = ledger_tasks(ws)[16]["records"]
    assert imported == [{**by_hand[0], "source": f"导入：{filled.name}"}]
    assert "instance" not in imported[0] and imported[0]["status"] in ("不适用", "not_applicable")
    # 未报送事件 ends for task 16 from the day it was entered; the other event tasks are still listed
    assert no_event_tasks(ws, "2021-10-09") == [1, 5, 6, 13, 14, 17, 18, 19, 22]
    assert 16 in no_event_tasks(ws, "2021-10-07")  # a past day is unchanged
    # imported again, on a later day too: nothing written
    before = tree_bytes(ws)
    for day in ("2021-10-08", "2021-10-12"):
        again = ok(ws, "import", str(filled), "--as-of", day)
        assert again == f"{F}：新增 0 条记录，1 条与台账已有记录相同，跳过。\n"
    assert tree_bytes(ws) == before
    # the next export shows it where the unit entered it
    following = export(ws, tmp_path, "next.xlsx")
    assert state_cell(following, 16).endswith("\nR1：整项任务不适用（本年度未发生涉及本单位的舆情）")
    # an event reported after all is registered, and the office is told the whole-task 不适用 still covers it
    late = fill_spare(following, tmp_path / "late.xlsx", 16, {"F": "某政策舆情", "G": "2021-10-08"})
    assert ok(ws, "import", str(late), *AS_OF) == (
        f"{F}：新增 0 条记录，登记 1 个事件。\n"
        f"  {late} {F}!{row}行：第 16 项已登记整项任务不适用（R1），这个事件也按不适用计；本年度确有这类事件的，"
        f"请撤回 R1（gwgk record --unit {F} --task 16 --withdraw R1 --reason 原因）\n"
        "  写入的条目：E1\n")


def test_not_applicable_without_a_reason_or_a_completion_without_an_event_stays_refused(ws: Path, tmp_path: Path):
    exported = export(ws, tmp_path)
    row = spare_rows(load_workbook(exported).worksheets[0], 16)[0]
    refused(ws, fill_spare(exported, tmp_path / "a.xlsx", 16, {"I": "不适用"}), (f"M{row}", "选择“不适用”时请在备注中写明原因"))
    refused(ws, fill_spare(exported, tmp_path / "b.xlsx", 16, {"I": "已完成", "J": "2021-09-10"}),
            (f"F{row}", "填写了完成情况，但没有填写事件：请在“期次”填事件名称，在“到期日”填事件日期；"
                        "本年度没有发生这类事件的，“完成情况”选“不适用”并在“备注”写明原因"))


# finding 3: what the office withdrew or corrected is not brought back


def test_reimporting_after_the_office_corrected_the_event_brings_nothing_back(ws: Path, tmp_path: Path):
    exported = export(ws, tmp_path)
    row = spare_rows(load_workbook(exported).worksheets[0], 6)[0]
    filled = fill_spare(exported, tmp_path / "e.xlsx", 6, {"F": BUDGET, "G": "2021-09-01", "I": "已完成", "J": "2021-09-10"})
    assert "写入的条目：E1、R1" in ok(ws, "import", str(filled), *AS_OF)
    # the office corrects the date: E1 and R1 withdrawn, E2 and R2 (R1 moved onto E2) written
    ok(ws, "record", "-u", F, "-t", "6", "--event", BUDGET, "--date", "2021-09-03", "--replaces", "E1", "--as-of", "2021-10-09")
    before = tree_bytes(ws)
    again = ok(ws, "import", str(filled), "--as-of", "2021-10-11")
    assert again == (f"{F}：新增 0 条记录，1 条与台账已有记录相同，跳过，1 行所填的事件或记录已被撤回或更正（见下）。\n"
                     f"  {filled} {F}!{row}行：第 6 项 新事件“{BUDGET}”（2021-09-01）已被更正（E1）为 E2“{BUDGET}”（2021-09-03），"
                     "不再另行登记；同一行的完成情况记在 E2 上（已有的不重复登记）\n")
    assert tree_bytes(ws) == before
    e2 = instance_on(ws, 6, "E2", "2021-10-11")
    assert (e2["due"], e2["state"], e2["completed_on"]) == ("2021-10-08", "done", "2021-09-10")
    # a completion the unit adds later on the same old row goes to the event that corrected it
    later = fill_spare(filled, tmp_path / "later.xlsx", 6, {"I": "已完成", "J": "2021-09-15", "L": "http://czj.example/js"})
    assert "写入的条目：R3\n" in ok(ws, "import", str(later), "--as-of", "2021-10-11")
    task6 = ledger_tasks(ws)[6]
    assert [(e["key"], e["date"], e.get("replaces")) for e in task6["events"]] == [
        ("E1", dt.date(2021, 9, 1), None), ("E2", dt.date(2021, 9, 3), "E1")]
    assert [(r["id"], r["date"], r["instance"]) for r in task6["records"]] == [
        ("R1", dt.date(2021, 9, 10), "E1"), ("R2", dt.date(2021, 9, 10), "E2"), ("R3", dt.date(2021, 9, 15), "E2")]


def test_reimporting_after_the_office_withdrew_the_event_or_a_record_brings_nothing_back(ws: Path, tmp_path: Path):
    exported = export(ws, tmp_path)
    sheet = load_workbook(exported).worksheets[0]
    row = spare_rows(sheet, 6)[0]
    ordinary = next(r for r in range(3, sheet.max_row + 1) if (sheet.cell(r, 14).value or "").startswith(f"{F}|2|2021-09-30|1|"))
    filled = fill_spare(exported, tmp_path / "e.xlsx", 6, {"F": BUDGET, "G": "2021-09-01"})
    wb = load_workbook(filled)
    wb.worksheets[0][f"I{ordinary}"], wb.worksheets[0][f"J{ordinary}"] = "已完成", "2021-09-28"
    wb.worksheets[0][f"L{ordinary}"] = "http://czj.example/a"
    wb.save(filled)
    assert "写入的条目：R1、E1" in ok(ws, "import", str(filled), *AS_OF)
    ok(ws, "record", "-u", F, "-t", "6", "--withdraw", "E1", "--reason", "误报", "--as-of", "2021-10-09")
    ok(ws, "record", "-u", F, "-t", "2", "--withdraw", "R1", "--reason", "佐证不对", "--as-of", "2021-10-09")
    before = tree_bytes(ws)
    again = ok(ws, "import", str(filled), "--as-of", "2021-10-11")
    assert again == (f"{F}：新增 0 条记录，2 行所填的事件或记录已被撤回或更正（见下）。\n"
                     f"  {filled} {F}!{ordinary}行：第 2 项 2021-09-30 的记录（2021-09-28 已完成，佐证 1 项）"
                     "已被撤回或更正（R1），不再登记；如确需再次登记，请用 gwgk record 登记\n"
                     f"  {filled} {F}!{row}行：第 6 项 新事件“{BUDGET}”（2021-09-01）已被撤回（E1），不再登记；"
                     "如确需再次登记，请用 gwgk record --event 登记\n")
    assert tree_bytes(ws) == before
    # a row whose content the unit changed (another date, other evidence) is registered as ever
    wb = load_workbook(filled)
    wb.worksheets[0][f"G{row}"] = "2021-09-03"
    wb.worksheets[0][f"L{ordinary}"] = "http://czj.example/b"
    wb.save(tmp_path / "changed.xlsx")
    out = ok(ws, "import", str(tmp_path / "changed.xlsx"), "--as-of", "2021-10-11")
    assert out == f"{F}：新增 1 条记录，登记 1 个事件。\n  写入的条目：R2、E2\n"
    assert instance_on(ws, 6, "E2", "2021-10-11")["due"] == "2021-10-08"


# finding 4: one name, two dates


def test_a_new_event_row_naming_a_live_event_with_another_date_is_refused(ws: Path, tmp_path: Path):
    exported = export(ws, tmp_path)
    row, second = spare_rows(load_workbook(exported).worksheets[0], 6)
    ok(ws, "record", "-u", F, "-t", "6", "--event", BUDGET, "--date", "2021-09-01", "--as-of", "2021-10-05")
    late = fill_spare(exported, tmp_path / "late.xlsx", 6, {"F": BUDGET, "G": "2021-09-03", "I": "已完成", "J": "2021-09-20"})
    refused(ws, late, (f"G{row}", "已有同名事件 E1（2021-09-01）：同一事件请把日期改为 2021-09-01，另一事件请换一个名称"))
    # two rows of one import: one name, two dates
    both = fill_spare(fill_spare(exported, tmp_path / "b1.xlsx", 6, {"F": "2021年预算调整", "G": "2021-09-01"}),
                      tmp_path / "b2.xlsx", 6, {"F": "2021年预算调整", "G": "2021-09-03"}, which=1)
    refused(ws, both, (f"G{second}", "本次导入的另一行已有同名事件（2021-09-01）：同一事件请把日期改为 2021-09-01，另一事件请换一个名称"))
    # the same name in full-width or half-width forms is the same event: attached to E1, not a second one
    wide = fill_spare(exported, tmp_path / "wide.xlsx", 6, {"F": "２０２１年预算批复", "G": "2021-09-01", "I": "已完成", "J": "2021-09-10"})
    assert ok(ws, "import", str(wide), *AS_OF) == f"{F}：新增 1 条记录。\n  写入的条目：R1\n"
    assert [e["key"] for e in ledger_tasks(ws)[6]["events"]] == ["E1"]
    assert instance(ws, 6, "E1")["state"] == "done"


# findings 16 and 17: what an event cell may hold


def test_event_cells_of_the_wrong_kind_are_refused_at_the_cell(ws: Path, tmp_path: Path):
    exported = export(ws, tmp_path)
    row = spare_rows(load_workbook(exported).worksheets[0], 6)[0]
    cases = [
        ({"F": "#REF!", "G": "2021-09-01"}, "F", "这里是 Excel 的错误值“#REF!”，请填写事件名称"),
        ({"F": BUDGET, "G": "#VALUE!"}, "G", "这里是 Excel 的错误值“#VALUE!”，请填写事件日期"),
        ({"F": dt.datetime(2021, 7, 2), "G": "2021-09-01"}, "F",
         "事件名称要写文字（如“2021年预算批复”），这里填的是日期或数字“2021-07-02 00:00:00”；事件日期请填在“到期日”一栏"),
        ({"F": 2021, "G": "2021-09-01"}, "F", "事件名称要写文字（如“2021年预算批复”），这里填的是日期或数字“2021”"),
        ({"F": BUDGET, "G": 3.5}, "G", "事件日期“3.5”不是有效的日期"),
        ({"F": BUDGET, "G": 3}, "G", "事件日期 1900-01-03 不在计划期内（2021-06-24 至 2021-12-31），计划生效前的事件只有在到期日落在计划期内时才能登记"),
        ({"F": "E1", "G": "2021-09-01"}, "F", "事件名称“E1”像台账条目的编号（E1、R3 之类），会与编号混淆；请写明是什么事件"),
        ({"F": "r3", "G": "2021-09-01"}, "F", "事件名称“r3”像台账条目的编号"),
        ({"F": "2021年\n预算批复", "G": "2021-09-01"}, "F", "事件名称里有换行（U+000A），事件名称请写在一行里"),
        ({"F": "预算\u200b批复", "G": "2021-09-01"}, "F", "事件名称里有不可见的控制字符（U+200B），请删除后再登记"),
        ({"F": BUDGET, "G": "2021-09-01", "I": "已完成", "J": "2021-09-10", "M": "#N/A"}, "M",
         "这里是 Excel 的错误值“#N/A”，请改为要填写的内容"),
    ]
    for n, (values, column, message) in enumerate(cases):
        refused(ws, fill_spare(exported, tmp_path / f"bad{n}.xlsx", 6, values), (f"{column}{row}", message))


@pytest.mark.parametrize(("title", "why"), [
    ("E1", "像台账条目的编号"), ("e7", "像台账条目的编号"), ("Ｅ１", "像台账条目的编号"), ("W 12", "像台账条目的编号"),
    ("a\r\nb", "换行（U+000D）"), ("a\u2028b", "换行（U+2028）"), ("a\tb", "不可见的控制字符（U+0009）"),
    ("\ufeffa", "不可见的控制字符（U+FEFF）"), ("", "不能为空"), ("字" * 2001, "太长（最多 2000 字）"),
])
def test_the_shared_event_name_rule_refuses(title: str, why: str):
    refusal = event_title_refusal(title)
    assert refusal is not None and why in refusal


@pytest.mark.parametrize("title", [BUDGET, "E1号文件印发", "EV1", "2021", "第1次", "关于（调整）的批复", "字" * 2000])
def test_the_shared_event_name_rule_accepts(title: str):
    assert event_title_refusal(title) is None


@given(st.text(max_size=60))
def test_a_name_the_rule_accepts_is_one_line_of_visible_text_and_no_key(title: str):
    import unicodedata

    if event_title_refusal(title) is None:
        assert title.strip() and len(title) <= 2000
        assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") for ch in title)
        folded = unicodedata.normalize("NFKC", title).strip().upper()
        assert not (len(folded) >= 2 and folded[0].isascii() and folded[0].isalpha() and folded[1:].strip().isdecimal()
                    and folded[1:].strip().isascii())


@given(st.sampled_from("ERXWVCerxwvc"), st.integers(min_value=0, max_value=10**6), st.sampled_from(["", " ", "  "]))
def test_every_key_shaped_name_is_refused(letter: str, number: int, space: str):
    assert "像台账条目的编号" in (event_title_refusal(f"{space}{letter}{space}{number}{space}") or "")


def test_names_are_the_same_whatever_the_width():
    assert same_title("２０２１年预算（调整）", " 2021年预算(调整)")
    assert not same_title("2021年预算批复", "2021年預算批复")


# finding 13: two 新事件 rows


def test_two_new_event_rows_alike_in_every_cell_are_a_copy_but_two_completions_are_kept(ws: Path, tmp_path: Path):
    exported = export(ws, tmp_path)
    row, second = spare_rows(load_workbook(exported).worksheets[0], 6)
    values = {"F": BUDGET, "G": "2021-09-01", "I": "已完成", "J": "2021-09-10"}
    copied = fill_spare(fill_spare(exported, tmp_path / "c1.xlsx", 6, values), tmp_path / "c2.xlsx", 6, values, which=1)
    refused(ws, copied, (f"A{second}", f"这一行与第 {row} 行完全相同，是复制的多余行，请删除"))
    two = fill_spare(fill_spare(exported, tmp_path / "t1.xlsx", 6, values), tmp_path / "t2.xlsx", 6,
                     {**values, "J": "2021-09-13"}, which=1)
    assert ok(ws, "import", str(two), *AS_OF) == f"{F}：新增 2 条记录，登记 1 个事件。\n  写入的条目：E1、R1、R2\n"
    assert [(r["id"], r["date"], r["instance"]) for r in ledger_tasks(ws)[6]["records"]] == [
        ("R1", dt.date(2021, 9, 10), "E1"), ("R2", dt.date(2021, 9, 13), "E1")]


def event_row(path: Path, task: int, key: str) -> int:
    sheet = load_workbook(path).worksheets[0]
    return next(r for r in range(3, sheet.max_row + 1) if (sheet.cell(r, 14).value or "").startswith(f"{F}|{task}|{key}|1|"))


def test_a_row_of_an_event_the_office_corrected_or_withdrew_since_the_export(ws: Path, tmp_path: Path):
    ok(ws, "record", "-u", F, "-t", "6", "--event", BUDGET, "--date", "2021-09-01", "--as-of", "2021-10-05")
    exported = export(ws, tmp_path)
    row = event_row(exported, 6, "E1")
    wb = load_workbook(exported)
    wb.worksheets[0][f"I{row}"], wb.worksheets[0][f"J{row}"] = "已完成", "2021-09-20"
    wb.save(tmp_path / "done.xlsx")
    # corrected since: the completion goes onto the event that corrected it
    ok(ws, "record", "-u", F, "-t", "6", "--event", BUDGET, "--date", "2021-09-03", "--replaces", "E1", "--as-of", "2021-10-09")
    out = ok(ws, "import", str(tmp_path / "done.xlsx"), "--as-of", "2021-10-11")
    assert out == (f"{F}：新增 1 条记录，1 行所填的事件或记录已被撤回或更正（见下）。\n"
                   f"  {tmp_path / 'done.xlsx'} {F}!{row}行：第 6 项 事件 E1“{BUDGET}”（2021-09-01）已被更正为 E2“{BUDGET}”（2021-09-03），"
                   "这一行的完成情况记在 E2 上（已有的不重复登记）\n"
                   "  写入的条目：R1\n")
    e2 = instance_on(ws, 6, "E2", "2021-10-11")
    assert (e2["due"], e2["state"], e2["completed_on"]) == ("2021-10-08", "done", "2021-09-20")
    before = tree_bytes(ws)
    ok(ws, "import", str(tmp_path / "done.xlsx"), "--as-of", "2021-10-12")
    assert tree_bytes(ws) == before
    # withdrawn outright: nothing is written, and the summary says why
    ok(ws, "record", "-u", F, "-t", "6", "--event", "2021年预算调整", "--date", "2021-09-15", "--as-of", "2021-10-12")
    newer = tmp_path / "newer.xlsx"
    ok(ws, "export", "--unit", F, "--as-of", "2021-10-12", "--output", str(newer))
    row = event_row(newer, 6, "E3")
    wb = load_workbook(newer)
    wb.worksheets[0][f"I{row}"], wb.worksheets[0][f"J{row}"] = "推进中", "2021-10-01"
    wb.save(tmp_path / "progress.xlsx")
    ok(ws, "record", "-u", F, "-t", "6", "--withdraw", "E3", "--reason", "误报", "--as-of", "2021-10-13")
    before = tree_bytes(ws / "ledgers")  # the workbook's return is logged (gwgk collect): no ledger is written
    out = ok(ws, "import", str(tmp_path / "progress.xlsx"), "--as-of", "2021-10-13")
    assert out == (f"{F}：新增 0 条记录，1 条与台账已有记录相同，跳过，1 行所填的事件或记录已被撤回或更正（见下）。\n"
                   f"  {tmp_path / 'progress.xlsx'} {F}!{row}行：第 6 项 事件 E3“2021年预算调整”（2021-09-15）已被撤回，"
                   "这一行的完成情况不再登记；如确需登记，请用 gwgk record 登记\n")
    assert tree_bytes(ws / "ledgers") == before


def test_a_row_inserted_below_a_new_event_row_is_refused(ws: Path, tmp_path: Path):
    exported = export(ws, tmp_path)
    wb = load_workbook(exported)
    sheet = wb.worksheets[0]
    row = spare_rows(sheet, 6)[0]
    sheet[f"F{row}"], sheet[f"G{row}"], sheet[f"I{row}"], sheet[f"J{row}"] = BUDGET, "2021-09-01", "已完成", "2021-09-10"
    sheet.insert_rows(row + 1)
    sheet[f"I{row + 1}"], sheet[f"J{row + 1}"] = "已完成", "2021-09-13"
    wb.save(tmp_path / "inserted.xlsx")
    refused(ws, tmp_path / "inserted.xlsx", (f"A{row + 1}", "新事件行下方插入的行对应不到事件：同一事件的另一次完成，请填在另一个新事件行，"
                                                            "写上相同的事件名称和日期"))
