"""The 核对表 of a drafted plan as an Excel/WPS workbook (rows from ``gwgk.drafting.checksheet``)."""

from __future__ import annotations

import io

from gwgk.drafting.checksheet import HEADERS, rows
from gwgk.drafting.draft import Draft
from gwgk.render.text import FORMULA_STARTS

WIDTHS = (5, 16, 48, 26, 16, 16, 24, 24, 22, 36, 8)


def _safe(text: str) -> str:
    """A cell's text as text: a plan's words starting with ``=`` are never a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def workbook(draft: Draft) -> bytes:
    """The .xlsx bytes of the 核对表: the plan's words beside what was read, unsure rows in yellow."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "核对表"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E2E3E5")
    unsure = PatternFill("solid", fgColor="FFF3CD")
    for row in rows(draft):
        sheet.append([row.id, *(_safe(c) for c in row.cells()[1:])])
        if row.reviews:
            sheet.cell(sheet.max_row, 10).fill = unsure
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in sheet.iter_rows(min_row=1):
        for cell in line:
            cell.alignment = wrap
    for index, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
    sheet.freeze_panes = "C2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
