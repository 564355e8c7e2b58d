"""What the cells of a filled workbook say: a date in any of the forms units write it, plain text,
protected text compared without regard to punctuation width, the headings row, a record in words."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from gwgk.errors import GwgkError
from gwgk.excel.export import FILL, HEADERS
from gwgk.judge.dates import parse_date

MAX_ROWS = 20000  # rows of a sheet read at the most


def record_words(cells: dict[str, str]) -> str:
    """A row's record in words: date, status, category, how much evidence, the note."""
    if not any(cells.values()):
        return "（空）"
    text = " ".join(v for v in (cells.get("date", ""), cells.get("status", "")) if v)
    if cells.get("category"):
        text += f"，方面：{cells['category']}"
    evidence = [e for e in cells.get("evidence", "").splitlines() if e.strip()]
    if evidence:
        text += f"，佐证 {len(evidence)} 项"
    if cells.get("note"):
        text += f"，备注：{cells['note'][:20]}"
    return text


def date_of(value: Any) -> dt.date:
    """A date cell as a date: an Excel date or serial number, or text in any form gwgk reads."""
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


def headings_row(header: list[str]) -> bool:
    """Whether ``header`` is the headings row, as exported now or before (实例 for 期次)."""
    shown = header[: len(HEADERS) - 1]
    before = {"期次": "实例", "任务": "公开指标内容"}  # the headings of an older export
    return shown == list(HEADERS[:-1]) or shown == [before.get(h, h) for h in HEADERS[:-1]]


def folded(text: str) -> str:
    """Protected text as compared: full-width and half-width punctuation alike (a workbook exported
    before gwgk wrote full-width, or saved by an office suite that changed it, is still the same)."""
    return unicodedata.normalize("NFKC", text).strip()


def cell_text(value: Any) -> str:
    """A cell as trimmed text (a whole-number float without its .0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def first_filled(ws: Any) -> str | None:
    """The first cell of ``ws`` with anything in it (its reference), if any."""
    for row in ws.iter_rows(max_row=MAX_ROWS + 1):
        for cell in row:
            if getattr(cell, "value", None) is not None and cell_text(cell.value):
                return str(cell.coordinate)
    return None


def located_errors(exc: Exception) -> list[tuple[int, str]]:
    """The column and Chinese message of each error pydantic found in a row's record."""
    errors = exc.errors() if hasattr(exc, "errors") else []
    out = []
    for error in errors:
        field = str(error.get("loc", ("note",))[0])
        column = FILL.get(field, FILL["note"])
        limit = (error.get("ctx") or {}).get("max_length")
        what = {"note": "备注", "evidence": "佐证材料中的一项", "category": "工作方面"}.get(field, "这一格")
        if error.get("type") == "string_too_long" and limit:
            out.append((column, f"{what}太长：最多 {limit} 个字"))
        else:
            out.append((column, f"{what}的内容格式不对"))
    return out or [(FILL["note"], "这一行的内容无法登记")]
