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
    for row in range(2, sheet.max_row + 1):
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
    assert [c.value for c in sheet[1]] == ["序号", "公开指标内容", "牵头/责任", "本单位任务分工", "完成时限", "实例", "到期日", "当前状态",
                                           "完成情况", "完成时间", "工作方面", "佐证材料", "备注", "键"]
    assert sheet.freeze_panes == "B2" and sheet.protection.sheet and sheet.column_dimensions["N"].hidden
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$1"
    q3 = row_of(sheet, 7, "2021Q3")
    assert [sheet.cell(q3, c).value for c in (1, 3, 6, 7, 8)] == ["7", "牵头", "2021Q3", "2021-09-30", "超期未完成"]
    assert sheet.cell(q3, 1).protection.locked and not sheet.cell(q3, 9).protection.locked
    assert sheet.cell(q3, 8).fill.fgColor.rgb.endswith("F8D7DA")  # red row
    validation = sheet.data_validations.dataValidation[0]
    assert validation.formula1 == '"已完成,推进中,不适用"' and str(validation.sqref).startswith("I2:I")
    # the 20 rows of quarterly/date/长期/不定期 instances plus one row per task still waiting for an event
    assert sheet.max_row - 1 == len([r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 14).value])


def test_township_gets_four_rows_per_month_for_task_12(ws: Path, tmp_path: Path):
    sheet = load_workbook(export(ws, tmp_path, "黄草街道")).worksheets[0]
    labels = [sheet.cell(r, 6).value for r in range(2, sheet.max_row + 1) if sheet.cell(r, 14).value.startswith("黄草街道|12|2021-09|")]
    assert labels == ["2021-09 第1篇", "2021-09 第2篇", "2021-09 第3篇", "2021-09 第4篇"]


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
    assert overdue["units"] == [{"unit": "市财政局", "overdue": 12, "lagging": 5, "submitted": 0, "no_event": 0}]  # 15 - 3 overdue, 6 - 1 lagging

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
        ({"F": "2021Q4"}, "F", "受保护的“实例”被改动过（应为“2021Q3”）"),
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
    sheet[f"I{last}"] = "已完成"
    # an event task's spare row filled with a completion but no event (issue 28: the unit names the event itself)
    waiting = next(r for r in range(2, sheet.max_row) if (sheet.cell(r, 8).value or "").startswith("（新事件"))
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
