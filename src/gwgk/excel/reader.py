"""Reading filled workbooks back: every row matched to its ledger instance, every changed cell
checked, every problem reported as ``文件 工作表!单元格: message``; nothing is written unless the
whole batch is clean. A row identical to a record already in the ledger is skipped, so importing
the same workbook twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from gwgk.catalogue.model import Catalogue
from gwgk.entries.history import live, with_ids, withdrawn
from gwgk.entries.model import STATUS_LABELS, Ledger, Record, same_record, status_of
from gwgk.errors import GwgkError, Problem
from gwgk.excel.export import (
    EVENT_CELLS,
    FILL,
    HEADER_ROW,
    HEADERS,
    KEY_COLUMN,
    LOCKED_COLUMNS,
    META_SHEET,
    Row,
    digest,
    record_cells,
    split_key,
    unit_rows,
)
from gwgk.excel.inspection import formula_cells, refusal_place, refuse_hostile
from gwgk.excel.planned import ImportResult, Planned
from gwgk.excel.spare import FILLED_COLUMNS, event_row_target, spare_event
from gwgk.judge.dates import parse_date
from gwgk.ledger.document import record_window
from gwgk.ledger.imported import retired_records

COMPARED_COLUMNS = 6  # A-F against the catalogue; G (到期日) and H (当前状态) against their exported fingerprints


def _find_record(ledger: Ledger | None, record_id: str | None) -> Record | None:
    """The record ``record_id`` of the ledger (ids as ``entries.history`` gives them), if any."""
    if ledger is None or not record_id:
        return None
    return next((r for t in ledger.tasks for r in t.records if r.id == record_id), None)

from gwgk.excel.cells import MAX_ROWS, cell_text, date_of, first_filled, folded, headings_row, located_errors, record_words  # noqa: E402, F401 - record_words is read from here too


class _Batch:
    def __init__(self, catalogue: Catalogue, ledgers: dict[str, Ledger], today: dt.date, withdraw_cleared: bool):
        self.catalogue = catalogue
        self.ledgers = ledgers
        self.today = today
        self.withdraw_cleared = withdraw_cleared
        self.result = ImportResult()
        self.reported: set[tuple[str, int, str, dt.date]] = set()  # events given on spare rows: unit, task, name, date

    def problem(self, where: str, message: str) -> None:
        self.result.problems.append(str(Problem(where, None, None, message)))

    def retire(self, unit: str, line: str) -> None:
        """A row not written because what it brings was withdrawn or corrected: said in the summary."""
        self.result.retired.setdefault(unit, []).append(line)

    def read(self, path: Path, name: str) -> None:
        why = refuse_hostile(path, name)
        if why:
            place = refusal_place(path)
            self.problem(f"{name} {place}" if place else name, why)
            return
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=False, keep_links=False)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
            self.problem(name, f"工作簿无法读取（{type(exc).__name__}），请用 WPS/Excel 打开后另存为 .xlsx 再试")
            return
        already = len(self.result.problems)
        try:
            self._read_workbook(wb, path, name)
            if not any("这里是公式" in p for p in self.result.problems[already:]):
                for where in formula_cells(path):  # formulas outside the columns read, or on another sheet
                    self.problem(f"{name} {where}", "这里是公式；工作簿里不能有公式，请“选择性粘贴为数值”后再导入")
        except Exception as exc:  # noqa: BLE001 - malformed XML, a bad cell reference or a bad value met while reading
            self.problem(name, f"工作簿的内容无法读取（{type(exc).__name__}），请用 WPS/Excel 打开后另存为 .xlsx 再试")
        finally:
            wb.close()

    def _read_workbook(self, wb: Any, path: Path, name: str) -> None:
        if META_SHEET not in wb.sheetnames:
            self.problem(name, "不是 gwgk 导出的工作簿（缺少隐藏的 _gwgk 工作表），请用 gwgk export 导出后再填写")
            return
        for sheet in wb.worksheets:  # what is there, not what the sheet's <dimension> claims
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()
        meta_rows = [[cell_text(c) for c in row] for row in wb[META_SHEET].iter_rows(max_row=2000, max_col=3, values_only=True)]
        meta = {row[0]: row[1:] for row in meta_rows if row and row[0] in ("catalogue", "as_of", "workbook")}
        sheets = {row[1]: row[2] for row in meta_rows if row and row[0] == "sheet" and len(row) >= 3}
        version = (meta.get("catalogue") or [""])[0]
        if version != self.catalogue.version:
            self.problem(name, f"工作簿由另一个版本的任务目录导出（工作簿 {version or '未知'}，当前 {self.catalogue.version}），请重新导出后再填写")
            return
        try:
            exported = parse_date((meta.get("as_of") or [""])[0], "导出日期")
        except GwgkError:
            self.problem(f"{name} {META_SHEET}", "隐藏的 _gwgk 工作表被改动过")
            return
        for title in wb.sheetnames:  # every sheet is read: content on one gwgk did not export is never dropped silently
            if title != META_SHEET and title not in sheets:
                filled = first_filled(wb[title])
                if filled:
                    self.problem(f"{name} {title}!{filled}", "这个工作表不是 gwgk 导出的，其中的内容不会被导入；"
                                 "请把内容填到导出的工作表中，再删除这个工作表后导入")
        for title, unit in sheets.items():
            if title not in wb.sheetnames:
                self.problem(name, f"工作表“{title}”不见了")
                continue
            if unit not in self.catalogue.units:
                self.problem(f"{name} {title}", f"目录中没有单位“{unit}”")
                continue
            self._read_sheet(wb[title], f"{name} {title}", unit, exported, path.name)
            self.result.returned.append((unit, exported, (meta.get("workbook") or [""])[0] or None))

    def _read_sheet(self, ws: Any, where: str, unit: str, exported: dt.date, file_name: str) -> None:
        seen: dict[str, int] = {}
        expected = self._rows(ws, where, unit, exported, file_name, seen)
        for base, row in (expected or {}).items():
            task = base.split("|")[1]
            if row.event is not None and (unit, int(task), folded(row.event[0]), row.event[1]) in self.reported:
                continue  # the row of an event this sheet reported on a spare row (imported before): not deleted
            if row.record and base not in seen:  # a prefilled row that was deleted
                self._cleared(row, row.record, row.fill, f"{where} 第 {task} 项 {row.locked[5]} 的行", unit, "该行被删除")

    def _cleared(self, row: Row, record: str, cells: dict[str, str], where: str, unit: str, how: str) -> None:
        """A prefilled row cleared or deleted: a withdrawal of ``record``, only when asked for."""
        _, task, instance, _slot = split_key(row.key)[0].split("|")
        if not self.withdraw_cleared:
            self.problem(where, f"{how}，而这一行登记过 {record}（{record_words(cells)}）；"
                                "如确要撤回这条登记，导入时加 --withdraw-cleared，否则请恢复这一行")
            return
        self.result.planned.setdefault(unit, []).append(
            Planned(where, int(task), instance, f"{record} {record_words(cells)}", f"撤回 {record}", None, record))

    def _rows(self, ws: Any, where: str, unit: str, exported: dt.date, file_name: str, seen: dict[str, int]
              ) -> dict[str, Row] | None:
        from openpyxl.utils import get_column_letter

        ledger = self.ledgers.get(unit)
        expected = {split_key(row.key)[0]: row for row in unit_rows(self.catalogue, unit, ledger, exported)}
        known = with_ids(ledger) if ledger is not None else None
        # the headings are on row 2 under a title row (row 1 in a workbook exported before it had one)
        first = [[cell_text(c.value) for c in row] for row in ws.iter_rows(min_row=1, max_row=HEADER_ROW, max_col=len(HEADERS))]
        at = next((i for i, header in enumerate(first, start=1) if headings_row(header)), None)
        if at is None:
            self.problem(f"{where}!A{HEADER_ROW}", "表头被改动过，请不要增删或移动列")
            return None
        above: Row | None = None  # the last exported row read: an inserted row adds to it
        copies: dict[tuple[str, ...], int] = {}  # a filled 新事件 row's cells: the row first holding them
        for index, cells in enumerate(ws.iter_rows(min_row=at + 1, max_col=KEY_COLUMN), start=at + 1):
            if index > MAX_ROWS + at:
                self.problem(where, f"工作表超过 {MAX_ROWS} 行，拒绝导入")
                return None
            values = {c.column: c for c in cells if getattr(c, "column", None)}

            def ref(col: int, index: int = index) -> str:
                return f"{where}!{get_column_letter(col)}{index}"

            formulas = [col for col, c in values.items() if c.data_type == "f"]
            for col in formulas:
                self.problem(ref(col), "这里是公式，请填写数值（可复制后“选择性粘贴为数值”）")
            if formulas:
                continue
            for col in (c for c in FILL.values() if c in values and values[c].data_type == "e"):
                self.problem(ref(col), f"这里是 Excel 的错误值“{cell_text(values[col].value)}”，请改为要填写的内容")
            if any(c in values and values[c].data_type == "e" for c in FILL.values()):
                continue
            key = cell_text(values[KEY_COLUMN].value) if KEY_COLUMN in values else ""
            filled = {name: values[col].value for name, col in FILL.items() if col in values and cell_text(values[col].value)}
            if not key:
                copied = any(cell_text(values[c].value) for c in range(1, LOCKED_COLUMNS + 1) if c in values)
                if filled and not copied and above is not None and above.spare_event:
                    self.problem(ref(1), "新事件行下方插入的行对应不到事件：同一事件的另一次完成，请填在另一个新事件行，"
                                         "写上相同的事件名称和日期")
                elif filled and not copied and above is not None and above.editable:
                    # a row inserted below an exported one: one more record of the same instance
                    self._record(replace(above, record=None, fill={}), None, {}, filled, ref, unit, file_name, f"{where}!{index}行")
                elif filled or copied:
                    self.problem(ref(1), "这一行不是导出时的行（缺少隐藏的键列），无法对应到台账；请在某一期的行下方插入空行，"
                                         "只填写蓝色的列，不要复制行")
                continue
            base, shown_record, shown = split_key(key)
            row = expected.get(base)
            if row is None or not key.startswith(unit + "|"):
                self.problem(ref(KEY_COLUMN), "这一行对应不到台账中的任何实例（任务或实例已变化？），请重新导出")
                continue
            if base in seen:
                self.problem(ref(1), f"这一行是第 {seen[base]} 行的复制，是多余的行，请删除"
                                     "（同一实例需要多条记录时，请填在导出时留好的空行里）")
                continue
            seen[base] = index
            above = row
            self.result.rows += 1
            for col in range(1, LOCKED_COLUMNS + 1):
                if row.spare_event and col in EVENT_CELLS.values():
                    continue  # the event's name and date: the unit's to fill
                got = cell_text(values[col].value) if col in values else ""
                if col > COMPARED_COLUMNS:  # 到期日, 当前状态: as they were exported, by fingerprint
                    changed = shown is not None and digest(got) != shown[col - COMPARED_COLUMNS - 1]
                elif col == 2:  # the task's name on its first row; an older export showed its whole text, on every row
                    changed = folded(got) not in ("" if not row.locked[1] else folded(row.locked[1]), folded(row.text),
                                                   folded(row.full))
                elif col in (4, 5) and not row.locked[col - 1] and row.head:  # on a task's first row only (an older export: every row)
                    changed = folded(got) not in ("", folded(row.head[col - 1]))
                elif col == 6:  # 期次: in words, or the key an older export showed
                    changed = folded(got) not in (folded(row.locked[5]), split_key(row.key)[0].split("|")[2])
                else:
                    changed = folded(got) != folded(row.locked[col - 1])
                if changed:
                    self.problem(ref(col), f"受保护的“{HEADERS[col - 1]}”被改动过（应为“{row.locked[col - 1][:30]}”），请改回或重新导出")
            # what the row showed when exported: the record named in its key, as the ledger holds it
            record = _find_record(known, shown_record) if shown is not None else None
            prefill = {k: v for k, v in record_cells(record).items() if v}
            if shown is None:
                prefill, shown_record = {k: v for k, v in row.fill.items() if v}, row.record
            given = {k: cell_text(v) for k, v in filled.items()}
            if row.spare_event:
                texts = (base.split("|")[1], *(cell_text(values[c].value) if c in values else "" for c in FILLED_COLUMNS))
                if any(texts[1:]) and texts in copies:  # a 新事件 row copied whole: one record twice
                    self.problem(ref(1), f"这一行与第 {copies[texts]} 行完全相同，是复制的多余行，请删除"
                                         "（同一事件需要多条记录时，请写明各自的完成时间或佐证）")
                    continue
                copies.setdefault(texts, index)
                spare_event(self, row, values, filled, ref, unit, file_name, f"{where}!{index}行")
                continue
            if given == prefill:
                if prefill:
                    self.result.skipped[unit] = self.result.skipped.get(unit, 0) + 1  # exactly what was exported
                continue
            if not given:
                if shown_record:
                    self._cleared(row, shown_record, prefill, f"{where}!{index}行", unit, "这一行被清空了")
                continue
            self._record(row, shown_record, prefill, filled, ref, unit, file_name, f"{where}!{index}行")
        return expected

    def _record(self, row: Row, shown: str | None, cells: dict[str, str], filled: dict[str, Any], ref: Any, unit: str,
                file_name: str, at: str, *, event: tuple[str, dt.date] | None = None, instance: str | None = None) -> None:
        _, task_text, key_instance, _slot = split_key(row.key)[0].split("|")
        task = int(task_text)
        spare = row.spare_event
        if not row.editable:
            self.problem(ref(FILL["status"]), "这项任务还没有登记触发事件，请先用 gwgk record --event 登记")
            return
        raw_status = cell_text(filled.get("status"))
        status = status_of(raw_status)
        if not raw_status:
            self.problem(ref(FILL["status"]), "填写了其他内容但没有选择“完成情况”")
            return
        if status not in STATUS_LABELS:
            self.problem(ref(FILL["status"]), f"“{raw_status}”不是可选的完成情况，应为 已完成、推进中 或 不适用")
            return
        if "date" not in filled and status != "not_applicable":
            self.problem(ref(FILL["date"]), "请填写完成时间")
            return
        try:
            day = date_of(filled["date"]) if "date" in filled else self.today  # 不适用 needs a reason, not a date
        except GwgkError as exc:
            self.problem(ref(FILL["date"]), exc.message)
            return
        first, last = record_window(self.catalogue)
        if not first <= day <= min(last, self.today):
            self.problem(ref(FILL["date"]), f"完成时间 {day} 不在允许范围内（{first} 至 {min(last, self.today)}）")
            return
        cleaned = self._cleaned(filled, ref)
        if cleaned is None:
            return
        note, evidence, category = cleaned
        if status == "not_applicable" and not note:
            self.problem(ref(FILL["note"]), "选择“不适用”时请在备注中写明原因")
            return
        replaces = shown
        if shown and cells.get("status") == STATUS_LABELS["in_progress"] and status == "done":
            # progress reported done: a new record beside the progress, which stays true; the
            # cells left as they were belong to the progress, not to the new record
            replaces = None
            note = None if note == (cells.get("note") or None) else note
            evidence = [] if "\n".join(evidence) == cells.get("evidence", "") else evidence
            category = None if category == (cells.get("category") or None) else category
        target = instance if spare else key_instance
        if not spare and row.event is not None:  # a registered event's row: the event may have been corrected since
            moved = event_row_target(self, unit, task, key_instance, replaces, at)
            if moved is None:
                return
            target, replaces = moved
        try:
            record = Record(date=day, status=status, instance=target, note=note, evidence=evidence,
                            category=category, source=f"导入：{file_name}", replaces=replaces)
        except Exception as exc:  # noqa: BLE001 - pydantic's own message is English: each error at its own cell
            for column, message in located_errors(exc):
                self.problem(ref(column), message)
            return
        ledger = self.ledgers.get(unit)
        entry = ledger.task(task) if ledger else None
        existing = list(live(entry, False).task.records) if entry else []
        planned = self.result.planned.setdefault(unit, [])
        corrected = replaces is not None and entry is not None and replaces in withdrawn(entry)
        undated = "date" not in filled  # an undated 不适用 row is the same row whatever day it is imported
        if (replaces is None or corrected) and (event is None and any(same_record(record, r, undated) for r in existing)
                                                or any(p.task == task and p.event == event and p.record
                                                       and same_record(record, p.record, undated) for p in planned)):
            self.result.skipped[unit] = self.result.skipped.get(unit, 0) + 1
            return
        gone = retired_records(entry, record, undated) if entry is not None and event is None and (replaces is None or corrected) else []
        if gone:  # an old copy of a row already imported: the office has withdrawn or corrected its record since
            self.retire(unit, f"{at}：第 {task} 项 {record.instance or '整项任务'} 的记录（{record_words(record_cells(record))}）"
                              f"已被撤回或更正（{'、'.join(gone)}），不再登记；如确需再次登记，请用 gwgk record 登记")
            return
        before = f"{shown} {record_words(cells)}" if shown else "—"
        after = record_words(record_cells(record)) + (f"（更正 {replaces}）" if replaces else "")
        if event is not None:
            after = f"事件“{event[0]}”（{event[1]}），{after}"
        planned.append(Planned(at, task, record.instance or ("新事件" if event else "整项任务"), before, after, record, replaces, event))


    def _cleaned(self, filled: dict[str, Any], ref: Any) -> tuple[str | None, list[str], str | None] | None:
        """备注, 佐证材料 and 工作方面 as they will be stored (line separators pasted from Word as
        newlines), or None after a problem at the cell holding a control or format character."""
        from gwgk.errors import UsageError
        from gwgk.ledger.changes import clean_text

        out: dict[str, Any] = {}
        for name, what in (("note", "备注"), ("evidence", "佐证材料"), ("category", "工作方面")):
            try:
                out[name] = clean_text(cell_text(filled.get(name)), what)
            except UsageError as exc:
                self.problem(ref(FILL[name]), exc.message)
                return None
        evidence = [e.strip() for e in re.split(r"[\n、；\x3b]", out["evidence"]) if e.strip()]
        return out["note"] or None, evidence, out["category"] or None


def read_workbooks(paths: list[tuple[Path, str]], catalogue: Catalogue, ledgers: dict[str, Ledger], today: dt.date,
                   withdraw_cleared: bool = False) -> ImportResult:
    """Everything the workbooks would change, and every problem in them. A prefilled row that was
    cleared or deleted is a withdrawal with ``withdraw_cleared``, otherwise a problem."""
    batch = _Batch(catalogue, ledgers, today, withdraw_cleared)
    for path, name in paths:
        batch.read(path, name)
    return batch.result
