"""Reading filled workbooks back: every row matched to its ledger instance, every changed cell
checked, every problem reported as ``文件 工作表!单元格: message``; nothing is written unless the
whole batch is clean. A row identical to a record already in the ledger is skipped, so importing
the same workbook twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gwgk.catalogue.model import Catalogue
from gwgk.entries.model import STATUS_LABELS, Ledger, Record, same_record, status_of
from gwgk.errors import GwgkError
from gwgk.excel.export import (
    FILL,
    HEADERS,
    KEY_COLUMN,
    LOCKED_COLUMNS,
    META_SHEET,
    unit_rows,
)
from gwgk.judge.dates import parse_date
from gwgk.ledger.document import record_window

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_ROWS = 20000
COMPARED_COLUMNS = 6  # A-F come from the catalogue; G (due) and H (state) are recomputed anyway


@dataclass
class ImportResult:
    """What a batch of workbooks would add, per unit, and what was wrong with it."""

    records: dict[str, list[tuple[int, Record]]] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    rows: int = 0


def _refuse_hostile(path: Path, name: str) -> str | None:
    """Why ``path`` must not be opened at all (None when it looks like a plain workbook).

    Judged by content, not by part names: a FIFO or device named ``x.xlsx`` is never opened; an
    external link or macro is found by its content type and relationship type wherever the part
    lives; any DTD or entity declaration, and any formula on any sheet, refuses the workbook.
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        return f"无法读取:{exc.strerror or exc}"
    if stat.S_ISDIR(info.st_mode):
        return "这是一个文件夹,不是工作簿"
    if not stat.S_ISREG(info.st_mode):
        return "不是普通文件(是管道、设备或套接字),不是工作簿"
    if info.st_size > MAX_FILE_BYTES:
        return f"文件有 {info.st_size} 字节,超过上限 {MAX_FILE_BYTES} 字节"
    try:
        if not zipfile.is_zipfile(path):
            return "不是 xlsx 工作簿(请在 WPS/Excel 中“另存为” .xlsx 格式)"
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            unpacked = sum(e.file_size for e in entries)
            if unpacked > MAX_UNPACKED_BYTES or any(e.compress_size and e.file_size / e.compress_size > MAX_RATIO and e.file_size > 1_000_000 for e in entries):
                return "工作簿解压后异常巨大(疑似压缩炸弹),拒绝打开"
            return _refuse_parts(archive, entries)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError, NotImplementedError):
        return "工作簿已损坏,无法打开"


_LINK_WORDS = (b"externallink", b"vbaproject", b"macroenabled", b"activex", b"oleobject", b"vbadata", b"attachedtoolbars")
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


def _refuse_parts(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> str | None:
    """Why the parts of an xlsx refuse it: by what they declare and contain, not by their names."""
    for entry in entries:
        lowered = entry.filename.lower()
        if "externallink" in lowered:
            return "工作簿含有外部链接,请删除外部链接(或复制粘贴为数值)后再导入"
        if lowered.endswith(".bin") or "vbaproject" in lowered:
            return "工作簿含有宏或二进制部件,请另存为不含宏的 .xlsx 后再导入"
        if not lowered.endswith((".xml", ".rels")):
            continue
        data = archive.read(entry)
        folded = data.lower()
        if b"<!doctype" in folded or b"<!entity" in folded:
            return f"工作簿的部件“{entry.filename}”含有 DTD 或实体声明,拒绝打开"
        if lowered.endswith(".rels") or lowered == "[content_types].xml":
            if any(word in folded for word in _LINK_WORDS):
                return "工作簿含有外部链接或宏,请删除外部链接(或复制粘贴为数值)、另存为不含宏的 .xlsx 后再导入"
            if b'targetmode="external"' in folded and b"hyperlink" not in folded:
                return "工作簿含有外部链接,请删除外部链接(或复制粘贴为数值)后再导入"
    return None


def _formula_cells(path: Path) -> list[str]:
    """``part!cell`` of every formula on every sheet of the workbook (first few), found in the XML."""
    found: list[str] = []
    with zipfile.ZipFile(path) as archive:
        for entry in archive.infolist():
            if not entry.filename.lower().startswith("xl/worksheets/") or not entry.filename.lower().endswith(".xml"):
                continue
            data = archive.read(entry)
            for match in _FORMULA.finditer(data):
                cell = _CELL_REF.findall(data, max(0, match.start() - 400), match.start())
                found.append(f"{entry.filename.rsplit('/', 1)[-1]}!{cell[-1].decode('ascii', 'replace') if cell else '?'}")
                if len(found) >= 5:
                    return found
    return found


_CELL_REF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\b[^>]*?\br=\"([A-Za-z]{1,3}[0-9]{1,7})\"")


def _date_of(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        if not 1 <= value <= 2958465:  # Excel's own range: 1900-01-01 to 9999-12-31
            raise GwgkError(f"完成时间“{value}”不是有效的日期")
        try:
            converted = from_excel(value)
        except (OverflowError, ValueError):
            raise GwgkError(f"完成时间“{value}”不是有效的日期") from None
        return converted.date() if isinstance(converted, dt.datetime) else converted
    return parse_date(str(value), "完成时间")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()



class _Batch:
    def __init__(self, catalogue: Catalogue, ledgers: dict[str, Ledger], today: dt.date):
        self.catalogue = catalogue
        self.ledgers = ledgers
        self.today = today
        self.result = ImportResult()

    def problem(self, where: str, message: str) -> None:
        self.result.problems.append(f"{where}: {message}")

    def read(self, path: Path, name: str) -> None:
        why = _refuse_hostile(path, name)
        if why:
            self.problem(name, why)
            return
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=False, keep_links=False)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
            self.problem(name, f"工作簿无法读取({type(exc).__name__}),请用 WPS/Excel 打开后另存为 .xlsx 再试")
            return
        already = len(self.result.problems)
        try:
            self._read_workbook(wb, path, name)
            if not any("这里是公式" in p for p in self.result.problems[already:]):
                for where in _formula_cells(path):  # formulas outside the columns read, or on another sheet
                    self.problem(f"{name} {where}", "这里是公式;工作簿里不能有公式,请“选择性粘贴为数值”后再导入")
        except Exception as exc:  # noqa: BLE001 - malformed XML, a bad cell reference or a bad value met while reading
            self.problem(name, f"工作簿的内容无法读取({type(exc).__name__}),请用 WPS/Excel 打开后另存为 .xlsx 再试")
        finally:
            wb.close()

    def _read_workbook(self, wb: Any, path: Path, name: str) -> None:
        if META_SHEET not in wb.sheetnames:
            self.problem(name, "不是 gwgk 导出的工作簿(缺少隐藏的 _gwgk 工作表),请用 gwgk export 导出后再填写")
            return
        meta_rows = [[_text(c) for c in row] for row in wb[META_SHEET].iter_rows(max_row=2000, max_col=3, values_only=True)]
        meta = {row[0]: row[1:] for row in meta_rows if row and row[0] in ("catalogue", "as_of")}
        sheets = {row[1]: row[2] for row in meta_rows if row and row[0] == "sheet" and len(row) >= 3}
        version = (meta.get("catalogue") or [""])[0]
        if version != self.catalogue.version:
            self.problem(name, f"工作簿由另一个版本的任务目录导出(工作簿 {version or '未知'},当前 {self.catalogue.version}),请重新导出后再填写")
            return
        try:
            exported = parse_date((meta.get("as_of") or [""])[0], "导出日期")
        except GwgkError:
            self.problem(f"{name} {META_SHEET}", "隐藏的 _gwgk 工作表被改动过")
            return
        for title, unit in sheets.items():
            if title not in wb.sheetnames:
                self.problem(name, f"工作表“{title}”不见了")
                continue
            if unit not in self.catalogue.units:
                self.problem(f"{name} {title}", f"目录中没有单位“{unit}”")
                continue
            self._read_sheet(wb[title], f"{name} {title}", unit, exported, path.name)

    def _read_sheet(self, ws: Any, where: str, unit: str, exported: dt.date, file_name: str) -> None:
        from openpyxl.utils import get_column_letter

        ledger = self.ledgers.get(unit)
        expected = {row.key: row for row in unit_rows(self.catalogue, unit, ledger, exported)}
        header = [_text(c.value) for c in next(ws.iter_rows(min_row=1, max_row=1, max_col=len(HEADERS)), ())]
        if header[: len(HEADERS) - 1] != list(HEADERS[:-1]):
            self.problem(f"{where}!A1", "表头被改动过,请不要增删或移动列")
            return
        for index, cells in enumerate(ws.iter_rows(min_row=2, max_col=KEY_COLUMN), start=2):
            if index > MAX_ROWS + 1:
                self.problem(where, f"工作表超过 {MAX_ROWS} 行,拒绝导入")
                return
            values = {c.column: c for c in cells if getattr(c, "column", None)}

            def ref(col: int) -> str:
                return f"{where}!{get_column_letter(col)}{index}"

            formulas = [col for col, c in values.items() if c.data_type == "f"]
            for col in formulas:
                self.problem(ref(col), "这里是公式,请填写数值(可复制后“选择性粘贴为数值”)")
            if formulas:
                continue
            key = _text(values[KEY_COLUMN].value) if KEY_COLUMN in values else ""
            filled = {name: values[col].value for name, col in FILL.items() if col in values and _text(values[col].value)}
            if not key:
                if filled or any(_text(values[c].value) for c in range(1, LOCKED_COLUMNS + 1) if c in values):
                    self.problem(ref(1), "这一行不是导出时的行(缺少隐藏的键列),无法对应到台账;请不要插入或复制行")
                continue
            row = expected.get(key)
            if row is None or not key.startswith(unit + "|"):
                self.problem(ref(KEY_COLUMN), "这一行对应不到台账中的任何实例(任务或实例已变化?),请重新导出")
                continue
            self.result.rows += 1
            for col in range(1, COMPARED_COLUMNS + 1):
                got = _text(values[col].value) if col in values else ""
                if got != row.locked[col - 1].strip():
                    self.problem(ref(col), f"受保护的“{HEADERS[col - 1]}”被改动过(应为“{row.locked[col - 1][:30]}”),请改回或重新导出")
            if not filled:
                continue
            if {k: _text(v) for k, v in filled.items()} == {k: v for k, v in row.fill.items() if v}:
                self.result.skipped[unit] = self.result.skipped.get(unit, 0) + 1  # exactly what was exported
                continue
            self._record(row, filled, ref, unit, file_name)

    def _record(self, row: Any, filled: dict[str, Any], ref: Any, unit: str, file_name: str) -> None:
        _, task_text, instance, _slot = row.key.split("|")
        task = int(task_text)
        if not row.editable:
            self.problem(ref(FILL["status"]), "这项任务还没有登记触发事件,请先用 gwgk record --event 登记")
            return
        raw_status = _text(filled.get("status"))
        status = status_of(raw_status)
        if not raw_status:
            self.problem(ref(FILL["status"]), "填写了其他内容但没有选择“完成情况”")
            return
        if status not in STATUS_LABELS:
            self.problem(ref(FILL["status"]), f"“{raw_status}”不是可选的完成情况,应为 已完成、推进中 或 不适用")
            return
        if "date" not in filled:
            self.problem(ref(FILL["date"]), "请填写完成时间")
            return
        try:
            day = _date_of(filled["date"])
        except GwgkError as exc:
            self.problem(ref(FILL["date"]), exc.message)
            return
        first, last = record_window(self.catalogue)
        if not first <= day <= min(last, self.today):
            self.problem(ref(FILL["date"]), f"完成时间 {day} 不在允许范围内({first} 至 {min(last, self.today)})")
            return
        note = _text(filled.get("note")) or None
        if status == "not_applicable" and not note:
            self.problem(ref(FILL["note"]), "选择“不适用”时请在备注中写明原因")
            return
        evidence = [e.strip() for e in _text(filled.get("evidence")).replace("、", "\n").replace(";", "\n").splitlines() if e.strip()]
        try:
            record = Record(date=day, status=status, instance=instance, note=note, evidence=evidence,
                            category=_text(filled.get("category")) or None, source=f"导入:{file_name}")
        except Exception as exc:  # noqa: BLE001 - pydantic's own message is English
            self.problem(ref(FILL["note"]), f"内容过长或格式不对({type(exc).__name__})")
            return
        ledger = self.ledgers.get(unit)
        entry = ledger.task(task) if ledger else None
        existing = list(entry.records) if entry else []
        pending = self.result.records.setdefault(unit, [])
        if any(same_record(record, r) for r in existing) or any(t == task and same_record(record, r) for t, r in pending):
            self.result.skipped[unit] = self.result.skipped.get(unit, 0) + 1
            return
        pending.append((task, record))


def read_workbooks(paths: list[tuple[Path, str]], catalogue: Catalogue, ledgers: dict[str, Ledger], today: dt.date) -> ImportResult:
    """Everything the workbooks would add, and every problem in them."""
    batch = _Batch(catalogue, ledgers, today)
    for path, name in paths:
        batch.read(path, name)
    return batch.result
