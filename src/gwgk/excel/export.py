"""Exporting a unit's 台账 as an Excel/WPS workbook in the 任务分解表 layout.

One row per instance (a period that needs several items gets one row per item, 第1篇…), the
catalogue's columns locked, the columns a unit fills unlocked, a hidden key column and a hidden
``_gwgk`` sheet so ``gwgk import`` can match every row back and check the catalogue version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gwgk.catalogue.model import ROLE_LABELS, Catalogue
from gwgk.entries.history import live, reviews
from gwgk.entries.model import STATUS_LABELS, Ledger, Record
from gwgk.judge.assessment import STATE_LABELS, Assessed, assign_records
from gwgk.judge.schedule import event_rule
from gwgk.render.text import FORMULA_STARTS, quota_text
from gwgk.reports.ledger import as_known, assess_unit
from gwgk.reports.wording import chinese_date, cjk_punctuation, instance_label

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.workbook.workbook import Workbook

HEADERS = ("序号", "任务", "牵头/责任", "本单位任务分工", "完成时限", "期次", "到期日", "当前状态",
           "完成情况", "完成时间", "工作方面", "佐证材料", "备注", "键")
LOCKED_COLUMNS = 8  # A-H come from the catalogue and the ledger
FILL = {"status": 9, "date": 10, "category": 11, "evidence": 12, "note": 13}
KEY_COLUMN = 14
# Printed on A4 landscape, fitted to one page wide: the visible columns (128 widths) print the 12 pt
# text at about 9 pt. The 任务 column shows the task's name; its whole 公开指标内容 (a paragraph, up to
# a page of a township's sheet per task when printed) is the cell's comment, read on screen.
WIDTHS = (4, 16, 5, 13, 12, 11, 13, 11, 7, 11, 7, 11, 6, 4)
FONT_SIZE = 12
TITLE_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3  # the title (unit, plan, as-of day), the headings, the first task
MARGIN_INCHES = 0.3
META_SHEET = "_gwgk"
LOCKED_FILL = "EDEDED"  # the columns a unit does not fill: grey, as README says
FILL_HEADER = "DDEBF7"  # the columns it fills: blue headings
STATE_FONTS = {"red": "C00000", "yellow": "9C5700", "green": "006100", "grey": "595959"}  # 当前状态 in its light's colour
WAITING = "（待登记触发事件）"
NEW_EVENT = "（新事件：在“期次”填事件名称，在“到期日”填事件日期，完成情况可同行填写）"
# on the first spare row of a task with no event yet: how to say there was none this year
NO_EVENT_YET = "（新事件：在“期次”填事件名称，在“到期日”填事件日期，完成情况可同行填写；本年度没有这类事件的，不填事件，“完成情况”选“不适用”，备注写原因）"
EVENT_CELLS = {"title": 6, "date": 7}  # F and G of a spare event row: the unit fills them (blue)
EVENT_FILL = "DDEBF7"


@dataclass(frozen=True)
class Row:
    """One row of a unit's sheet: the locked cells, the prefilled cells (from record ``record``)
    and the key."""

    key: str
    locked: tuple[str, ...]
    light: str
    fill: dict[str, str]
    editable: bool
    record: str | None = None
    text: str = ""  # what the 任务 cell shows on the task's first row: the task's name
    full: str = ""  # the task's 公开指标内容 (the cell's comment; an older export showed it in the cell)
    head: tuple[str, ...] = ()  # the task's cells on its first row (later rows leave 任务, 分工 and 完成时限 blank)
    spare_event: bool = False  # a row for an event the unit reports: 期次 and 到期日 are its name and date
    event: tuple[str, dt.date] | None = None  # an event instance's name and date


def is_spare(instance: str) -> bool:
    """Whether a key's instance names a spare event row (``+1``, ``+2``…) rather than an instance."""
    return instance.startswith("+")


def digest(value: str) -> str:
    """A short fingerprint of a locked cell, so an edit to it is seen on import."""
    return hashlib.sha256(value.strip().encode("utf-8")).hexdigest()[:6]


def row_key(unit: str, task: int, instance: str, slot: int, record: str | None = None, shown: tuple[str, str] = ("", "")) -> str:
    """The hidden key of a row: ``unit|task|instance|slot``, then the record the row was prefilled
    with and the fingerprints of its 到期日 and 当前状态 cells as exported."""
    return f"{unit}|{task}|{instance}|{slot}|{record or ''}|{digest(shown[0])}{digest(shown[1])}"


def split_key(key: str) -> tuple[str, str | None, tuple[str, str] | None]:
    """``unit|task|instance|slot``, the prefilled record id and the exported fingerprints of a key
    (a key from an older export has only the first four parts)."""
    parts = key.split("|")
    if len(parts) == 6 and len(parts[5]) == 12:
        return "|".join(parts[:4]), parts[4] or None, (parts[5][:6], parts[5][6:])
    return "|".join(parts[:4]), None, None


def record_cells(record: Record | None) -> dict[str, str]:
    """The cells a record fills: status, date, category, evidence (one per line) and note."""
    if record is None:
        return {}
    return {
        "status": STATUS_LABELS[record.status], "date": record.date.isoformat(), "category": record.category or "",
        "evidence": "\n".join(record.evidence), "note": record.note or "",
    }


def state_cell(x: Assessed, returned: list[tuple[str, str]]) -> str:
    """The 当前状态 cell: the state, progress towards a quota, and any record the office returned."""
    text = STATE_LABELS[x.state]
    if (x.quota > 1 or x.categories_wanted) and x.state not in ("done", "done_late", "not_applicable"):
        text += f"（{quota_text(x.done_count, x.quota, len(x.categories), x.categories_wanted)}）"
    for record, reason in returned:
        text += f"\n{record}被退回：{cjk_punctuation(reason)}"
    return text


def unit_rows(catalogue: Catalogue, unit: str, ledger: Ledger | None, as_of: dt.date) -> list[Row]:
    """The rows of ``unit``'s sheet as of ``as_of``, prefilled with what the ledger held that day."""
    rows: list[Row] = []
    known = as_known(ledger, as_of)
    for ta in assess_unit(catalogue, unit, ledger, as_of):
        a = ta.assignment
        task = a.task
        entry = known.task(task.id) if known else None
        full = cjk_punctuation(task.indicator or task.text)
        head = (str(task.id), cjk_punctuation(task.title), ROLE_LABELS[a.role], cjk_punctuation(a.duty or "—"),
                cjk_punctuation(task.deadline))
        first = len(rows)
        has_events = event_rule(a.rules) is not None
        if not ta.assessed and not has_events:
            rows.append(Row(row_key(unit, task.id, "", 1, None, ("—", "—")), (*head, WAITING, "—", "—"), "green", {}, False,
                            text=head[1], full=full, head=head))
        # the records each instance owns, as the assessment counts them (a task-wide 不适用 shows in
        # the state of every row, and prefills none)
        counted = live(entry, False).task if entry else None
        owned, _ = assign_records([x.instance for x in ta.assessed], list(counted.records) if counted else [],
                                  counted.extensions if counted else ())
        wide = next((r for r in counted.records if r.whole_task), None) if counted else None
        decided = {k: v for k, v in (reviews(entry) if entry else {}).items() if v.decision == "returned"}
        every, _ = assign_records([x.instance for x in ta.assessed], [r for r in entry.records if r.id in decided]) if decided and entry else ({}, [])
        for x in ta.assessed:
            key = x.instance.key
            records = sorted(owned.get(key, []), key=lambda r: r.date)
            returned = [(r.id or "", decided[r.id or ""].reason or "") for r in every.get(key, [])]
            due = "—" if x.due is None else x.due.isoformat()
            state = state_cell(x, returned)
            if wide is not None and x.state == "not_applicable":  # named, so that its id is found here too
                state += f"\n{wide.id}：整项任务不适用"
            slots = max(x.quota, 1)
            words = instance_label(key, (x.instance.event.title, x.instance.event.date) if x.instance.event else None)
            for slot in range(1, slots + 1):
                label = words if slots == 1 else f"{words}第{slot}篇"
                prefill = (records[-1] if records else None) if slots == 1 else records[slot - 1] if slot <= len(records) else None
                record_id = prefill.id if prefill else None
                # the task's words once per task: printed on every instance row, they would fill pages
                shown = head if len(rows) == first else (head[0], "", head[2], "", "")
                event = x.instance.event
                rows.append(Row(row_key(unit, task.id, key, slot, record_id, (due, state)), (*shown, label, due, state), x.light,
                                record_cells(prefill), True, record_id, head[1], full, head,
                                event=(event.title, event.date) if event else None))
        # rows for events a unit reports itself, under each event task (the office sets how many)
        for spare in range(1, catalogue.settings.spare_event_rows + 1 if has_events else 1):
            shown = head if len(rows) == first else (head[0], "", head[2], "", "")
            # a whole-task 不适用 (no such event this year) shows here, where the unit entered it
            state = NO_EVENT_YET if spare == 1 and not ta.assessed and wide is None else NEW_EVENT
            if wide is not None:
                state += f"\n{wide.id}：整项任务不适用（{cjk_punctuation(wide.note or '')[:20]}）"
            rows.append(Row(row_key(unit, task.id, f"+{spare}", 1, None, ("", state)), (*shown, "", "", state), "grey",
                            {}, True, None, head[1], full, head, spare_event=True))
    return rows


def row_height(values: list[str], widths: list[float], font: float = FONT_SIZE) -> float:
    """A row height (points) that shows all wrapped text: spreadsheets do not grow rows by themselves
    for files they did not write. Column widths count the default 11 pt font's digits; at ``font``
    points a digit takes ``font / 11`` of them and a Chinese character a little less than twice that
    (measured in LibreOffice: a width of 18 holds about 9 characters at 12 pt)."""
    scale = font / 11
    lines = 1
    for value, width in zip(values, widths):
        usable = max(width - 1, 1)
        needed = 0
        for part in str(value).split("\n"):
            columns = sum(1.95 if ord(ch) > 0x2E80 else 1 for ch in part) * scale
            needed += max(1, math.ceil(columns / usable))
        lines = max(lines, needed)
    return min(font * 1.35 * lines + 4, 409.0)


def _text_cell(cell: Cell, value: str) -> None:
    cell.value = value
    if value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # stored as text: a spreadsheet never runs it


def add_sheet(wb: Workbook, catalogue: Catalogue, unit: str, rows: list[Row], as_of: dt.date) -> None:
    """A protected, print-ready sheet for ``unit``: a title row (unit, plan, as-of day), the
    headings, a row per instance; the catalogue's columns grey and locked, the columns a unit fills
    blue-headed and open; rows may be inserted (another article of a period: ``excel.reader`` reads
    an inserted row as one more record of the row above it)."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb.create_sheet(unit[:31])
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    body = Font(size=FONT_SIZE)
    grey = PatternFill("solid", fgColor=LOCKED_FILL)
    title = f"{unit}工作台账（{catalogue.plan.title}，截至{chinese_date(as_of)}）"
    ws.cell(row=TITLE_ROW, column=1, value=title).font = Font(bold=True, size=FONT_SIZE + 3)
    ws.cell(row=TITLE_ROW, column=1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=KEY_COLUMN - 1)
    ws.row_dimensions[TITLE_ROW].height = (FONT_SIZE + 3) * 2
    for col, (header, width) in enumerate(zip(HEADERS, WIDTHS), start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=header)
        cell.font = Font(bold=True, size=FONT_SIZE)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = border
        cell.fill = PatternFill("solid", fgColor=FILL_HEADER) if col > LOCKED_COLUMNS else grey
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.column_dimensions[get_column_letter(KEY_COLUMN)].hidden = True
    ws.row_dimensions[HEADER_ROW].height = row_height(list(HEADERS[:-1]), list(WIDTHS[:-1]))
    # a style made once per kind of cell and copied after (openpyxl hashes every style object it is
    # given: four thousand event rows took twelve seconds)
    made: dict[tuple[object, ...], Any] = {}

    def styled(cell: Cell, kind: tuple[object, ...], apply: Callable[[Cell], None]) -> None:
        if kind in made:
            cell._style = copy(made[kind])
        else:
            apply(cell)
            made[kind] = copy(cell._style)

    def locked_style(light: str, c: int) -> Callable[[Cell], None]:
        def apply(cell: Cell) -> None:
            cell.alignment = wrap
            cell.border = border
            cell.font = Font(size=FONT_SIZE, color=STATE_FONTS[light], bold=light == "red") if c == LOCKED_COLUMNS else body
            cell.fill = grey
        return apply

    def event_style(cell: Cell) -> None:
        cell.protection = Protection(locked=False)
        cell.fill = PatternFill("solid", fgColor=EVENT_FILL)

    def fill_style(editable: bool) -> Callable[[Cell], None]:
        def apply(cell: Cell) -> None:
            cell.alignment = wrap
            cell.border = border
            cell.font = body
            if editable:
                cell.protection = Protection(locked=False)
            else:
                cell.fill = grey
        return apply

    for r, row in enumerate(rows, start=FIRST_ROW):
        for c, value in enumerate(row.locked, start=1):
            cell = ws.cell(row=r, column=c)
            if c == 1 and value.isdigit():
                cell.value = int(value)  # 序号 a number, as a spreadsheet sorts and filters it
            else:
                _text_cell(cell, value)
            styled(cell, ("locked", row.light if c == LOCKED_COLUMNS else "", c == LOCKED_COLUMNS), locked_style(row.light, c))
        if row.locked[1] and row.full:
            note = Comment(row.full, "公开指标内容")
            note.width, note.height = 360, min(40 + len(row.full) * 2, 400)
            ws.cell(row=r, column=2).comment = note
        if row.spare_event:
            for c in EVENT_CELLS.values():
                styled(ws.cell(row=r, column=c), ("event", c), event_style)
        for name, c in FILL.items():
            cell = ws.cell(row=r, column=c)
            _text_cell(cell, row.fill.get(name, ""))
            styled(cell, ("fill", row.editable), fill_style(row.editable))
        ws.cell(row=r, column=KEY_COLUMN, value=row.key).data_type = "s"
        ws.row_dimensions[r].height = row_height([*row.locked, *row.fill.values()], [*WIDTHS[:LOCKED_COLUMNS], *(WIDTHS[c - 1] for c in FILL.values())])
    if rows:
        choices = DataValidation(type="list", formula1='"' + ",".join(STATUS_LABELS.values()) + '"', allow_blank=True,
                                 showErrorMessage=True, errorTitle="完成情况", error="请从下拉列表中选择：已完成、推进中、不适用")
        choices.add(f"I{FIRST_ROW}:I{len(rows) + FIRST_ROW - 1 + EXTRA_ROWS}")
        ws.add_data_validation(choices)
    ws.freeze_panes = f"C{FIRST_ROW}"
    ws.protection.sheet = True  # no password: anyone may unprotect, but import refuses edited catalogue cells
    ws.protection.formatRows = False
    ws.protection.formatColumns = False
    ws.protection.insertRows = False  # allowed: a row for another article of the period above it
    ws.print_title_rows = f"{TITLE_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_margins.left = ws.page_margins.right = MARGIN_INCHES
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.right.text = "填报人：          审核人：          （盖章）"


EXTRA_ROWS = 50  # the 完成情况 drop-down also covers rows a unit inserts below the last


def workbook_key(catalogue: Catalogue, sheets: list[tuple[str, list[Row]]], as_of: dt.date) -> str:
    """The hidden key naming a workbook (kept in its ``_gwgk`` sheet): the same catalogue, day and
    rows give the same key, so ``gwgk collect`` can tell which workbook came back."""
    named = "\n".join([catalogue.version, as_of.isoformat(), *(f"{unit}\t{row.key}" for unit, rows in sheets for row in rows)])
    return hashlib.sha256(named.encode("utf-8")).hexdigest()[:16]


def workbook_bytes(catalogue: Catalogue, sheets: list[tuple[str, list[Row]]], as_of: dt.date) -> bytes:
    """A workbook with one sheet per unit and the hidden ``_gwgk`` sheet (its key: ``workbook_key``)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for unit, rows in sheets:
        add_sheet(wb, catalogue, unit, rows, as_of)
    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    meta.append(["gwgk", "1"])
    meta.append(["catalogue", catalogue.version])
    meta.append(["as_of", as_of.isoformat()])
    meta.append(["workbook", workbook_key(catalogue, sheets, as_of)])
    for unit, _ in sheets:
        meta.append(["sheet", unit[:31], unit])
    props = wb.properties
    props.creator = props.lastModifiedBy = catalogue.plan.issuer
    props.title = f"工作台账（{catalogue.plan.title}）"
    props.created = props.modified = dt.datetime(as_of.year, as_of.month, as_of.day)
    buffer = io.BytesIO()
    wb.save(buffer)
    from gwgk.files.zipped import fixed_zip

    return fixed_zip(buffer.getvalue(), as_of)  # the same workbook for the same day, byte for byte
