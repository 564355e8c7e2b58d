"""Reports as Word documents laid out per GB/T 9704-2012 (``render.gbt9704``: the page, the title,
tables, the 版头 and 版记): the 回头看 通报 and the year-end report. Imported only when a docx is
asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.shared import Mm, Pt

from gwgk.render.gbt9704 import (
    BODY_FONT,
    H1_FONT,
    H2_FONT,
    RED,
    RED_HEX,
    TABLE_SIZE,
    TEXT_WIDTH_MM,
    TITLE_FONT,
    _body,
    _border,
    _fonts,
    _lines,
    _off_grid,
    _paragraph,
    _properties,
    _saved,
    _signature,
    _title,
    official_document,
    table,
)
from gwgk.render.wrapping import title_lines

if TYPE_CHECKING:
    from docx.document import Document as DocumentType
    from docx.text.paragraph import Paragraph

    from gwgk.reports.findings import UnitSummary
    from gwgk.reports.notice import Notice, UnitPart
    from gwgk.reports.year import YearReport


def _masthead(document: DocumentType, issuer: str, number: str) -> None:
    """The 版头: the issuer in red 小标宋 centred, the 发文字号 under it, a red rule under that."""
    _paragraph(document, "", indent=False)
    mark = _lines(document, title_lines(issuer, TEXT_WIDTH_MM / 25.4 * 72 // 30), TITLE_FONT, Pt(30),
                  WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    mark.paragraph_format.line_spacing = Pt(40)
    _off_grid(mark)
    _paragraph(document, "", indent=False)
    numbered = _paragraph(document, number, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _border(numbered, "bottom", 12, RED_HEX)
    _paragraph(document, "", indent=False)


def _colophon(document: DocumentType, cc: str | None, printer: str, printed: str) -> None:
    """The 版记 after the last of the content: 抄送 (when any) and 印发机关 with 印发日期, between
    rules, in 四号, kept together. (GB/T 9704 puts it at the foot of the last page; a section set
    to the page's bottom is not read so by LibreOffice, so it follows the content.)"""
    size = Pt(14)
    _paragraph(document, "", indent=False)
    lines: list[Paragraph] = []
    if cc:
        paragraph = _paragraph(document, f"抄送：{cc.rstrip('。')}。", size=size, indent=False)
        paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = size
        paragraph.paragraph_format.first_line_indent = Pt(0)
        lines.append(paragraph)
    paragraph = _paragraph(document, "", indent=False)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = size
    paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM) - 2 * size, WD_TAB_ALIGNMENT.RIGHT)
    _fonts(paragraph.add_run(f"{printer}\t{printed}"), BODY_FONT, size)
    lines.append(paragraph)
    _border(lines[0], "top", 8)  # the first and last rules 0.35 mm (1 pt), the one between 0.25 mm
    for upper in lines[:-1]:
        _border(upper, "bottom", 6)
    _border(lines[-1], "bottom", 8)
    for p in lines:
        p.paragraph_format.keep_together = True
        p.paragraph_format.keep_with_next = p is not lines[-1]



SUMMARY_WIDTHS = (28, 14, 14, 14, 14, 14, 14, 14, 30)  # mm, 156 in all: three characters of 五号 in 14 mm
UNIT_ITEM_WIDTHS = (10, 46, 32, 22, 14, 32)  # 序号 任务 期次 到期日 超期天数 状态: 2021年第二季度 on one line


def summary_cells(s: UnitSummary) -> list[str]:
    """A unit's row of the notice's summary table, without the worst item."""
    return [s.unit, str(s.owed), str(s.done_on_time), str(s.done_late), str(s.overdue), str(s.submitted),
            str(s.not_applicable), str(s.lagging)]


def notice_docx(notice: Notice) -> bytes:
    """The 回头看 通报 as a .docx: 版头 (with a 发文字号), title, 主送, body with the summary table,
    附件说明, issuer and date; then the attachment, unit by unit; then the 版记."""
    from gwgk.reports.notice import SUMMARY_HEADERS, UNIT_ITEM_HEADERS

    document = official_document()
    _properties(document, notice.title, notice.issuer, notice.as_of)
    if notice.number:
        _masthead(document, notice.issuer, notice.number)
    _title(document, notice.title)
    _paragraph(document, "", indent=False)
    _paragraph(document, f"{notice.addressees}：", indent=False, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    worst = {part.unit: part for part in notice.parts}
    for part in notice.body:
        if part.kind == "table":
            caption = _paragraph(document, part.text, H1_FONT, size=TABLE_SIZE, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
            caption.paragraph_format.keep_with_next = True
            rows = [[*summary_cells(s), _worst(worst.get(s.unit))] for s in notice.summary]
            if rows:
                rows[-1][-1] = ""
            table(document, SUMMARY_HEADERS, rows, SUMMARY_WIDTHS, numeric=SUMMARY_HEADERS[1:-1])
            continue
        _body(document, part.kind, part.text)
    _paragraph(document, "", indent=False)
    _paragraph(document, f"附件：{notice.attachment_title}")
    _signature(document, notice.issuer, notice.date)
    # the attachment starts a new page: "附件" at the top left in 黑体, its title, each unit's list
    attachment = _paragraph(document, "", indent=False)
    attachment.add_run().add_break(WD_BREAK.PAGE)
    _fonts(attachment.add_run("附件"), H1_FONT)
    _paragraph(document, "", indent=False)
    _title(document, notice.attachment_title)
    if not notice.parts:
        _body(document, "text", "本次回头看未发现超期未完成或进度滞后事项。")
    for i, unit in enumerate(notice.parts):
        heading = _body(document, "h1", f"{_ordinal(i)}{unit.heading}")
        heading.paragraph_format.first_line_indent = Pt(0)
        if unit.rows:
            table(document, UNIT_ITEM_HEADERS, [row.unit_cells() for row in unit.rows], UNIT_ITEM_WIDTHS,
                  numeric=("序号", "超期天数"))
    _colophon(document, notice.cc, notice.printer, notice.printed)
    return _saved(document, notice.as_of)


def _ordinal(i: int) -> str:
    from gwgk.reports.wording import chinese_number

    return f"{chinese_number(i + 1)}、"


def _worst(part: UnitPart | None) -> str:
    """The first (longest overdue) item of a unit's list, in a few words."""
    if part is None:
        return "—"
    for row in part.rows:
        if row.days_overdue is not None:
            return f"第{row.task}项，超期{row.days_overdue}天"
    return "—"


UNIT_WIDTHS = (30, 14, 14, 14, 14, 14, 14, 14, 14, 14)  # 156 mm: 单位 and nine counts
TASK_WIDTHS = (11, 40, 17, 17, 17, 54)


def year_docx(report: YearReport, issuer: str | None = None) -> bytes:
    """The year-end report as a .docx: the paragraph for the annual report, then the two tables,
    then the issuer (when given) and the date."""
    from gwgk.render.text import (
        TASK_SUMMARY_HEADERS,
        UNIT_SUMMARY_HEADERS,
        task_summary_rows,
        unit_summary_rows,
    )
    from gwgk.reports.wording import chinese_date

    title = f"{report.plan_title}落实情况"
    document = official_document()
    _properties(document, title, issuer or report.plan_title, report.as_of)
    _title(document, title)
    _paragraph(document, f"（截至{chinese_date(report.as_of)}）", H2_FONT, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, "", indent=False)
    _body(document, "h1", "一、存在的主要问题及改进情况")
    _body(document, "text", report.paragraph)
    _body(document, "h1", "二、各单位完成情况")
    table(document, UNIT_SUMMARY_HEADERS, unit_summary_rows(report), UNIT_WIDTHS, numeric=UNIT_SUMMARY_HEADERS[1:])
    _body(document, "h1", "三、各任务完成情况")
    table(document, TASK_SUMMARY_HEADERS, task_summary_rows(report), TASK_WIDTHS,
          numeric=("序号", "承担单位数", "超期未完成", "进度滞后"))
    if issuer:
        _signature(document, issuer, chinese_date(report.as_of))
    return _saved(document, report.as_of)
