"""Events through the workbook (issue 28): under each event task the exported sheet has spare rows
whose 实例 and 到期日 cells (blue, unlocked) take the event's name and date, with its completion on
the same row; import registers the event and the record in one write; exported event rows show the
event's name and date.

Task 6 (预决算公开) is due 20 working days after its event. From Wednesday 2021-09-01, counting the
中秋 holiday (9-19 to 9-21 off, Saturday 9-18 worked) and Sunday 9-26 (worked for 国庆): 9-2, 3, 6, 7, 8,
9, 10, 13, 14, 15, 16, 17, 18, 22, 23, 24, 26, 27, 28, 29: due 2021-09-29.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from openpyxl import load_workbook

from .conftest import run_cli, tree_bytes

F = "市财政局"
AS_OF = ("--as-of", "2021-10-08")


def export(ws: Path, tmp_path: Path, name: str = "out.xlsx") -> Path:
    out = tmp_path / name
    result = run_cli("export", "--unit", F, *AS_OF, "--output", str(out), workspace=ws)
    assert result.code == 0, result.err
    return out


def spare_rows(sheet, task: int) -> list[int]:
    return [r for r in range(2, sheet.max_row + 1) if (sheet.cell(r, 14).value or "").startswith(f"{F}|{task}|+")]


def fill_spare(exported: Path, target: Path, task: int, values: dict[str, object], which: int = 0) -> Path:
    wb = load_workbook(exported)
    sheet = wb.worksheets[0]
    row = spare_rows(sheet, task)[which]
    for column, value in values.items():
        sheet[f"{column}{row}"] = value
    wb.save(target)
    return target


def imported(ws: Path, path: Path, *extra: str) -> str:
    result = run_cli("import", str(path), *AS_OF, *extra, workspace=ws)
    assert result.code == 0, result.err
    return result.out


def instance(ws: Path, task: int, key: str) -> dict:
    data = json.loads(run_cli("ledger", "-u", F, *AS_OF, "--format", "json", workspace=ws).out)
    return next(i for t in data["tasks"] if t["task"] == task for i in t["instances"] if i["instance"] == key)


def test_export_has_spare_event_rows_with_blue_unlocked_name_and_date(ws: Path, tmp_path: Path):
    sheet = load_workbook(export(ws, tmp_path)).worksheets[0]
    rows = spare_rows(sheet, 6)
    assert len(rows) == 2
    row = rows[0]
    assert sheet.cell(row, 8).value.startswith("（新事件：在“期次”填事件名称")
    for column in (6, 7, 9, 10):
        assert not sheet.cell(row, column).protection.locked
    assert sheet.cell(row, 6).fill.fgColor.rgb.endswith("DDEBF7") and sheet.cell(row, 1).protection.locked
    assert not any(sheet.cell(r, 6).value == "（待登记触发事件）" for r in range(2, sheet.max_row + 1))


def test_round_trip_registers_the_event_and_its_record_and_reimport_writes_nothing(ws: Path, tmp_path: Path):
    filled = fill_spare(export(ws, tmp_path), tmp_path / "filled.xlsx", 6,
                        {"F": "2021年预算批复", "G": "2021-09-01", "I": "已完成", "J": "2021-09-10", "L": "http://czj.example/ys"})
    dry = run_cli("import", str(filled), *AS_OF, "--dry-run", workspace=ws)
    assert dry.code == 0 and "市财政局：将新增 1 条记录，将登记 1 个事件" in dry.out, dry.out
    out = imported(ws, filled)
    assert "市财政局：新增 1 条记录，登记 1 个事件。" in out and "E1" in out
    e1 = instance(ws, 6, "E1")
    assert (e1["due"], e1["state"], e1["completed_on"]) == ("2021-09-29", "done", "2021-09-10")
    ledger = (ws / "ledgers" / f"{F}.yaml").read_text(encoding="utf-8")
    assert "        title: 2021年预算批复\n        date: 2021-09-01\n        entered: 2021-10-08\n" in ledger
    assert "instance: E1" in ledger
    before = tree_bytes(ws)
    again = imported(ws, filled)
    assert "新增 0 条记录" in again or "没有新的内容" in again
    assert tree_bytes(ws) == before
    # the next export shows the event by name and date, never a bare key, and still has spare rows
    sheet = load_workbook(export(ws, tmp_path, "next.xlsx")).worksheets[0]
    labels = [sheet.cell(r, 6).value for r in range(2, sheet.max_row + 1) if (sheet.cell(r, 14).value or "").startswith(f"{F}|6|E1|")]
    assert labels == ["2021年预算批复（2021年9月1日）"]
    assert len(spare_rows(sheet, 6)) == 2


def test_an_event_alone_and_two_events_in_one_workbook(ws: Path, tmp_path: Path):
    exported = export(ws, tmp_path)
    one = fill_spare(exported, tmp_path / "one.xlsx", 6, {"F": "2020年决算批复", "G": "2021-08-20"})
    both = fill_spare(one, tmp_path / "both.xlsx", 6, {"F": "2021年预算调整", "G": "2021-09-15", "I": "推进中", "J": "2021-09-20"}, which=1)
    out = imported(ws, both)
    assert "市财政局：新增 1 条记录，登记 2 个事件。" in out
    assert instance(ws, 6, "E1")["state"] == "overdue"  # 2021-08-20 + 20 working days passed, nothing done
    assert instance(ws, 6, "E2")["records"][0]["status"] == "in_progress"


def test_refused_event_cells_are_named_and_nothing_is_written(ws: Path, tmp_path: Path):
    exported = export(ws, tmp_path)
    cases = [
        ({"G": "2021-09-01", "I": "已完成", "J": "2021-09-10"}, "F", "请填写事件名称"),
        ({"F": "2021年预算批复", "I": "已完成", "J": "2021-09-10"}, "G", "请填写事件日期"),
        ({"F": "2021年预算批复", "G": "九月一日"}, "G", "事件日期“九月一日”不是有效的日期"),
        ({"F": "2021年预算批复", "G": "2021-10-20"}, "G", "事件日期 2021-10-20 在今天（2021-10-08）之后，不能登记将来的日期"),
        ({"F": "2020年预算批复", "G": "2020-03-01"}, "G", "事件日期 2020-03-01 不在计划期内"),
        ({"F": "2021年预算批复", "G": "2021-09-01", "I": "已完成"}, "J", "请填写完成时间"),
    ]
    before = tree_bytes(ws)
    for n, (values, column, message) in enumerate(cases):
        bad = fill_spare(exported, tmp_path / f"bad{n}.xlsx", 6, values)
        row = spare_rows(load_workbook(bad).worksheets[0], 6)[0]
        result = run_cli("import", str(bad), *AS_OF, workspace=ws)
        assert result.code == 2, (values, result.out)
        assert f"市财政局!{column}{row}: {message}" in result.err, (values, result.err)
        assert tree_bytes(ws) == before


def test_the_office_sets_how_many_spare_event_rows_a_task_gets(ws: Path, tmp_path: Path):
    tasks = ws / "data" / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("settings:\n", "settings:\n  spare_event_rows: 5\n", 1), encoding="utf-8")
    exported = export(ws, tmp_path)
    assert len(spare_rows(load_workbook(exported).worksheets[0], 6)) == 5
    # the fifth one takes an event as the first does
    fill_spare(exported, tmp_path / "fifth.xlsx", 6, {"F": "2021年预算批复", "G": "2021-09-01", "I": "已完成", "J": "2021-09-10"}, which=4)
    imported(ws, tmp_path / "fifth.xlsx")
    assert instance(ws, 6, "E1")["due"] == "2021-09-29"
    # one at the least: an event task with no event has only its spare rows, which show the unit it owes the task
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("spare_event_rows: 5", "spare_event_rows: 1"), encoding="utf-8")
    sheet = load_workbook(export(ws, tmp_path, "one.xlsx")).worksheets[0]
    assert len(spare_rows(sheet, 6)) == 1 and len(spare_rows(sheet, 16)) == 1
    for bad, message in (("0", "“spare_event_rows”不能小于 1"), ("100", "“spare_event_rows”不能大于 50")):
        tasks.write_text(re.sub(r"spare_event_rows: \d+", f"spare_event_rows: {bad}", tasks.read_text(encoding="utf-8")), encoding="utf-8")
        result = run_cli("export", "--unit", F, *AS_OF, "--output", str(tmp_path / "x.xlsx"), workspace=ws)
        assert result.code == 2 and "data/tasks.yaml:" in result.err and message in result.err, result.err
        assert not (tmp_path / "x.xlsx").exists()
