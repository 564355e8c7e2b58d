"""Export and import of 台账 workbooks: a full round trip, and each kind of bad workbook refused
with the right cell named and no ledger changed."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from .conftest import run_cli, tree_bytes

AS_OF = ["--as-of", "2021-10-08"]


def export(ws: Path, tmp_path: Path, unit: str = "市财政局") -> Path:
    out = tmp_path / f"{unit}.xlsx"
    result = run_cli("export", "--unit", unit, *AS_OF, "--output", str(out), workspace=ws)
    assert result.code == 0, result.err
    return out


def row_of(sheet, task: int, instance: str) -> int:
    for row in range(3, sheet.max_row + 1):
        if (sheet.cell(row, 14).value or "").startswith(f"{sheet.title}|{task}|{instance}|1|"):
            return row
    raise AssertionError((task, instance))


def fill(path: Path, target: Path, cells: dict[tuple[int, str], dict[str, object]]) -> Path:
    """Fill cells as a unit would: by task and instance, column letters I-M."""
    wb = load_workbook(path)
    sheet = wb.worksheets[0]
    for (task, instance), values in cells.items():
        row = row_of(sheet, task, instance)
        for column, value in values.items():
            sheet[f"{column}{row}"] = value
    wb.save(target)
    return target


def test_export_layout(ws: Path, tmp_path: Path):
    wb = load_workbook(export(ws, tmp_path))
    assert wb.sheetnames == ["市财政局", "_gwgk"] and wb["_gwgk"].sheet_state == "hidden"
    sheet = wb["市财政局"]
    # a title row: the unit, the plan and the as-of day
    assert sheet["A1"].value == "市财政局工作台账（兴义市2021年政务公开工作要点，截至2021年10月8日）"
    assert "A1:M1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[2]] == ["序号", "任务", "牵头/责任", "本单位任务分工", "完成时限", "期次", "到期日", "当前状态",
                                           "完成情况", "完成时间", "工作方面", "佐证材料", "备注", "键"]
    assert sheet.freeze_panes == "C3" and sheet.protection.sheet and sheet.column_dimensions["N"].hidden
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$2"
    # rows may be inserted (another article of a period), nothing else about the sheet's layout
    assert not sheet.protection.insertRows and sheet.protection.deleteRows and sheet.protection.insertColumns
    q2, q3 = row_of(sheet, 7, "2021Q2"), row_of(sheet, 7, "2021Q3")
    # 序号 a number; the task's name once (its whole text the comment), the period in words
    assert [sheet.cell(q2, c).value for c in (1, 2, 3, 5, 6, 7, 8)] == [7, "政府债务信息公开", "牵头", "每季度一次", "2021年第二季度", "2021-06-30", "超期未完成"]
    assert sheet.cell(q2, 2).comment.text.startswith("持续深化地方政府债务信息公开，通过集中统一平台")
    assert [sheet.cell(q3, c).value for c in (1, 2, 3, 5, 6, 7, 8)] == [7, None, "牵头", None, "2021年第三季度", "2021-09-30", "超期未完成"]
    assert sheet.cell(q3, 1).protection.locked and not sheet.cell(q3, 9).protection.locked
    # the columns a unit does not fill are grey, whatever the state (its light colours the 当前状态 text)
    assert {sheet.cell(q3, c).fill.fgColor.rgb[-6:] for c in range(1, 9)} == {"EDEDED"}
    assert sheet.cell(q3, 8).font.color.rgb.endswith("C00000") and sheet.cell(q3, 8).font.b
    validation = sheet.data_validations.dataValidation[0]
    assert validation.formula1 == '"已完成,推进中,不适用"' and str(validation.sqref).startswith("I3:I")
    # the 20 rows of quarterly/date/长期/不定期 instances plus one row per task still waiting for an event
    assert sheet.max_row - 2 == len([r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 14).value])


def test_township_gets_four_rows_per_month_for_task_12(ws: Path, tmp_path: Path):
    sheet = load_workbook(export(ws, tmp_path, "黄草街道")).worksheets[0]
    labels = [sheet.cell(r, 6).value for r in range(3, sheet.max_row + 1) if sheet.cell(r, 14).value.startswith("黄草街道|12|2021-09|")]
    assert labels == ["2021年9月第1篇", "2021年9月第2篇", "2021年9月第3篇", "2021年9月第4篇"]


def test_round_trip(ws: Path, tmp_path: Path):
    exported = export(ws, tmp_path)
    filled = fill(exported, tmp_path / "filled.xlsx", {
        (7, "2021Q3"): {"I": "已完成", "J": "2021年9月28日", "L": "http://www.xingyi.gov.cn/a.html", "M": "三季度债务信息"},
        (2, "2021-09-30"): {"I": "已完成", "J": dt.datetime(2021, 10, 5)},
        (12, "2021B3"): {"I": "不适用", "J": "2021-07-01", "M": "重点信息栏目端口未开通"},
        (3, "长期"): {"I": "推进中", "J": 44440},  # an Excel serial date: 2021-09-01
    })
    result = run_cli("import", str(filled), *AS_OF, workspace=ws)
    assert (result.code, result.out) == (0, "市财政局：新增 4 条记录。\n  写入的条目：R1、R2、R3、R4\n"), result.err
    ledger = json.loads(run_cli("ledger", "-u", "市财政局", *AS_OF, "-f", "json", workspace=ws).out)
    states = {(t["task"], i["instance"]): i["state"] for t in ledger["tasks"] for i in t["instances"]}
    assert [states[k] for k in ((7, "2021Q3"), (2, "2021-09-30"), (12, "2021B3"), (3, "长期"))] == ["done", "done_late", "not_applicable", "ongoing"]
    overdue = json.loads(run_cli("overdue", "-u", "市财政局", *AS_OF, "-f", "json", workspace=ws).out)
    assert overdue["units"] == [{"unit": "市财政局", "overdue": 12, "lagging": 5, "submitted": 0, "no_event": 0,  # 15 - 3 overdue, 6 - 1 lagging
                                 "owed": 15, "done_on_time": 1, "done_late": 1, "not_applicable": 1, "not_due": 6}]

    before = tree_bytes(ws)
    again = run_cli("import", str(filled), *AS_OF, workspace=ws)
    assert again.out == "市财政局：新增 0 条记录，4 条与台账已有记录相同，跳过。\n"
    assert tree_bytes(ws) == before
    # a fresh export now carries the recorded values, and importing it unchanged is a no-op too
    second = export(ws, tmp_path)
    sheet = load_workbook(second).worksheets[0]
    assert sheet.cell(row_of(sheet, 7, "2021Q3"), 9).value == "已完成"
    assert run_cli("import", str(second), *AS_OF, workspace=ws).out == "市财政局：新增 0 条记录，4 条与台账已有记录相同，跳过。\n"
    after = tree_bytes(ws)  # log/workbooks.jsonl now says this workbook went out and came back; nothing else changed
    assert after.pop("log/workbooks.jsonl") != before.pop("log/workbooks.jsonl") and after == before


def refused(ws: Path, path: Path) -> str:
    before = tree_bytes(ws)
    result = run_cli("import", str(path), *AS_OF, workspace=ws)
    assert result.code == 2, result.out
    assert tree_bytes(ws) == before
    return result.err


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"I": "做完了", "J": "2021-09-28"}, "I", "“做完了”不是可选的完成情况"),
        ({"I": "已完成", "J": "九月底"}, "J", "完成时间“九月底”不是有效日期"),
        ({"I": "已完成", "J": "2021-02-30"}, "J", "完成时间“2021-02-30”不存在"),
        ({"I": "已完成", "J": "2021-10-20"}, "J", "完成时间 2021-10-20 不在允许范围内（2021-01-01 至 2021-10-08）"),
        ({"I": "已完成"}, "J", "请填写完成时间"),
        ({"J": "2021-09-28"}, "I", "填写了其他内容但没有选择“完成情况”"),
        ({"I": "不适用", "J": "2021-09-28"}, "M", "选择“不适用”时请在备注中写明原因"),
        ({"I": "已完成", "J": "=TODAY()"}, "J", "这里是公式，请填写数值"),
        ({"F": "2021年第四季度"}, "F", "受保护的“期次”被改动过（应为“2021年第三季度”）"),
        ({"D": "改过的分工", "I": "已完成", "J": "2021-09-28"}, "D", "受保护的“本单位任务分工”被改动过"),
    ],
)
def test_bad_cells_are_named(ws: Path, tmp_path: Path, cells, column, message):
    exported = export(ws, tmp_path)
    bad = fill(exported, tmp_path / "bad.xlsx", {(7, "2021Q3"): cells})
    row = row_of(load_workbook(bad).worksheets[0], 7, "2021Q3")
    err = refused(ws, bad)
    assert err.startswith("错误：工作簿有 1 处问题，没有写入任何内容\n")
    assert f"  {bad} 市财政局!{column}{row}: {message}" in err


def test_all_problems_at_once(ws: Path, tmp_path: Path):
    exported = export(ws, tmp_path)
    bad = fill(exported, tmp_path / "bad.xlsx", {(7, "2021Q3"): {"I": "x", "J": "2021-09-28"}, (2, "2021-09-30"): {"I": "已完成", "J": "y"}})
    assert refused(ws, bad).startswith("错误：工作簿有 2 处问题，没有写入任何内容\n")


def test_rows_without_key_and_waiting_rows(ws: Path, tmp_path: Path):
    exported = export(ws, tmp_path)
    wb = load_workbook(exported)
    sheet = wb.worksheets[0]
    last = sheet.max_row + 1
    sheet[f"A{last}"] = 7  # a row copied without its hidden key
    sheet[f"I{last}"] = "已完成"
    # an event task's spare row filled with a completion but no event (issue 28: the unit names the event itself)
    waiting = next(r for r in range(3, sheet.max_row) if (sheet.cell(r, 8).value or "").startswith("（新事件"))
    sheet[f"I{waiting}"] = "已完成"
    sheet[f"J{waiting}"] = "2021-09-01"
    wb.save(tmp_path / "bad.xlsx")
    err = refused(ws, tmp_path / "bad.xlsx")
    assert f"市财政局!A{last}: 这一行不是导出时的行（缺少隐藏的键列）" in err
    assert f"市财政局!F{waiting}: 填写了完成情况，但没有填写事件" in err


def test_other_catalogue_version(ws: Path, tmp_path: Path):
    exported = export(ws, tmp_path)
    tasks = ws / "data/tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("title: 政府公报数据库", "title: 政府公报"), encoding="utf-8")
    assert "工作簿由另一个版本的任务目录导出" in refused(ws, exported)


def test_hostile_files(ws: Path, tmp_path: Path):
    text = tmp_path / "not.xlsx"
    text.write_text("这不是工作簿", encoding="utf-8")
    assert "不是 xlsx 工作簿" in refused(ws, text)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (210 * 1024 * 1024))
    assert bomb.stat().st_size < 2_000_000
    assert "疑似压缩炸弹" in refused(ws, bomb)
    exported = export(ws, tmp_path)
    linked = tmp_path / "linked.xlsx"
    with zipfile.ZipFile(exported) as src, zipfile.ZipFile(linked, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/externalLinks/externalLink1.xml", "<externalLink/>")
    assert "外部链接" in refused(ws, linked)
    assert "不是 gwgk 导出的工作簿" in refused(ws, _plain_workbook(tmp_path))


def _plain_workbook(tmp_path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"] = "随便一个表"
    path = tmp_path / "plain.xlsx"
    wb.save(path)
    return path


def test_exported_text_never_becomes_a_formula(ws: Path, tmp_path: Path):
    run_cli("record", "-u", "市财政局", "-t", "7", "-s", "已完成", "-d", "2021-09-28", "-n", "=1+1", "--evidence", "@SUM(A1)", *AS_OF, workspace=ws)
    sheet = load_workbook(export(ws, tmp_path)).worksheets[0]
    row = row_of(sheet, 7, "2021Q3")
    assert (sheet.cell(row, 13).value, sheet.cell(row, 13).data_type) == ("=1+1", "s")
    assert (sheet.cell(row, 12).value, sheet.cell(row, 12).data_type) == ("@SUM(A1)", "s")


def test_export_all_into_one_workbook(ws: Path, tmp_path: Path):
    out = tmp_path / "全市.xlsx"
    assert run_cli("export", "--all", *AS_OF, "--output", str(out), workspace=ws).code == 0
    wb = load_workbook(out, read_only=True)
    assert len(wb.sheetnames) == 49 and wb.sheetnames[0] == "市政府办公室"


def test_prefill_follows_the_records_each_instance_owns(ws: Path, tmp_path: Path):
    # task 7 is quarterly: a dated record belongs to its quarter; a task-wide 不适用 to every quarter
    assert run_cli("record", "--unit", "市财政局", "--task", "7", "--status", "已完成", "--date", "2021-08-02",
                   "--note", "二季度后补", *AS_OF, workspace=ws).code == 0
    sheet = load_workbook(export(ws, tmp_path)).worksheets[0]
    q3 = row_of(sheet, 7, "2021Q3")
    assert [sheet.cell(q3, c).value for c in (8, 9, 10, 13)] == ["已完成", "已完成", "2021-08-02", "二季度后补"]
    assert sheet.cell(row_of(sheet, 7, "2021Q4"), 9).value in (None, "")
    assert run_cli("record", "--unit", "敬南镇", "--task", "7", "--status", "不适用", "--date", "2021-08-03",
                   "--reason", "本镇无政府债务", *AS_OF, workspace=ws).code == 0
    town = load_workbook(export(ws, tmp_path, "敬南镇")).worksheets[0]
    rows = [row_of(town, 7, q) for q in ("2021Q2", "2021Q3", "2021Q4")]
    # the state of every quarter, naming the record (so that its id is found in the workbook too)
    assert [town.cell(r, 8).value for r in rows] == ["不适用\nR1：整项任务不适用"] * 3
    assert [town.cell(r, 9).value for r in rows] == [None] * 3  # and no quarter pretends it was filled in


def test_a_row_inserted_below_a_period_is_one_more_article(ws: Path, tmp_path: Path):
    """A township that published a 5th article in September inserts a row below the month's rows
    (the sheet allows it without unprotecting) and fills only the blue columns."""
    town = "黄草街道"
    wb = load_workbook(export(ws, tmp_path, town))
    sheet = wb.worksheets[0]
    rows = [r for r in range(3, sheet.max_row + 1) if (sheet.cell(r, 14).value or "").startswith(f"{town}|12|2021-09|")]
    for n, r in enumerate(rows, start=1):
        sheet[f"I{r}"], sheet[f"J{r}"], sheet[f"K{r}"] = "已完成", f"2021-09-{n:02d}", ["乡村振兴", "安全生产", "教育", "医疗"][n - 1]
    sheet.insert_rows(rows[-1] + 1)
    extra = rows[-1] + 1
    sheet[f"I{extra}"], sheet[f"J{extra}"], sheet[f"K{extra}"], sheet[f"M{extra}"] = "已完成", "2021-09-20", "民生", "第5篇"
    wb.save(tmp_path / "filled.xlsx")
    result = run_cli("import", str(tmp_path / "filled.xlsx"), *AS_OF, workspace=ws)
    assert result.code == 0, result.err
    assert result.out.startswith(f"{town}：新增 5 条记录。")
    ledger = json.loads(run_cli("ledger", "-u", town, *AS_OF, "-f", "json", workspace=ws).out)
    september = next(i for t in ledger["tasks"] if t["task"] == 12 for i in t["instances"] if i["instance"] == "2021-09")
    assert sorted(r["date"] for r in september["records"]) == ["2021-09-01", "2021-09-02", "2021-09-03", "2021-09-04", "2021-09-20"]
    again = run_cli("import", str(tmp_path / "filled.xlsx"), *AS_OF, workspace=ws).out
    assert again.startswith(f"{town}：新增 0 条记录") and "5 条与台账已有记录相同" in again  # imported once only


def test_a_workbook_exported_before_the_title_row_still_imports(ws: Path, tmp_path: Path):
    """An older export: headings on row 1 (公开指标内容, 实例), the instance keys, the plan's text in full."""
    wb = load_workbook(export(ws, tmp_path))
    sheet = wb.worksheets[0]
    sheet.protection.sheet = False
    sheet.unmerge_cells("A1:M1")
    sheet.delete_rows(1)
    sheet["B1"], sheet["F1"] = "公开指标内容", "实例"
    for r in range(sheet.max_row, 1, -1):  # an older export had no spare rows for new events
        if (sheet.cell(r, 14).value or "").split("|")[2:3] in (["+1"], ["+2"]):
            sheet.delete_rows(r)
    for r in range(2, sheet.max_row + 1):
        key = sheet.cell(r, 14).value or ""
        if key:
            sheet.cell(r, 6).value = key.split("|")[2] or sheet.cell(r, 6).value
    q3 = next(r for r in range(2, sheet.max_row + 1) if (sheet.cell(r, 14).value or "").startswith("市财政局|7|2021Q3|1|"))
    sheet[f"I{q3}"], sheet[f"J{q3}"] = "已完成", "2021-09-28"
    wb.save(tmp_path / "old.xlsx")
    result = run_cli("import", str(tmp_path / "old.xlsx"), *AS_OF, workspace=ws)
    assert (result.code, result.out.splitlines()[0]) == (0, "市财政局：新增 1 条记录。"), result.err


def test_an_export_as_of_a_past_day_is_byte_identical(ws: Path, tmp_path: Path):
    first = export(ws, tmp_path).read_bytes()
    again = export(ws, tmp_path).read_bytes()
    assert first == again
    with zipfile.ZipFile(tmp_path / "市财政局.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(2021, 10, 8, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert "2021-10-08T00:00:00Z" in core and "openpyxl" not in core and "兴义市人民政府办公室" in core
