"""Reports as Word documents laid out per GB/T 9704-2012 《党政机关公文格式》: A4; margins top 37 mm,
bottom 35 mm, left 28 mm, right 26 mm; 22 lines of 28 characters (a line and character grid); title in
方正小标宋简体 二号; body 仿宋_GB2312 三号; first-level headings 黑体, second-level 楷体_GB2312; page
numbers "— 1 —" in 四号 宋体, odd pages right and even pages left, one character in from the edge.

The 公文 fonts are not on every computer, so each is declared in the document's font table with the
common font to use instead (w:altName): 方正小标宋简体 → 宋体, 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体.
Digits and Latin letters are set in Times New Roman, as offices do.

python-docx is imported here only, and this module only when a docx is asked for.
"""

from __future__ import annotations

import copy
import io
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

if TYPE_CHECKING:
    from docx.document import Document as DocumentType
    from docx.text.paragraph import Paragraph

    from gwgk.reports.notice import Notice
    from gwgk.reports.year import YearReport

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", H2_FONT: "楷体", H1_FONT: "SimHei", PAGE_NUMBER_FONT: "SimSun"}

TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(10.5)  # 五号
MARGINS = {"top": 37, "bottom": 35, "left": 28, "right": 26}  # mm
LINES, CHARS = 22, 28
TEXT_HEIGHT_MM = 297 - MARGINS["top"] - MARGINS["bottom"]
TEXT_WIDTH_MM = 210 - MARGINS["left"] - MARGINS["right"]
# the grid: 225 mm / 22 lines = 28.95 pt a line; 156 mm / 28 characters = 15.79 pt a character;
# rounded down, so that the 22nd line and the 28th character still fit
LINE_PITCH_TWIPS = math.floor(TEXT_HEIGHT_MM / 25.4 * 1440 / LINES)
CHAR_SPACE = math.floor((TEXT_WIDTH_MM / 25.4 * 72 / CHARS - BODY_SIZE.pt) * 4096)  # 4096ths of a point over the font size
LINE_PITCH = Pt(LINE_PITCH_TWIPS / 20)
INDENT = Pt(2 * BODY_SIZE.pt)  # 首行缩进二字


def _fonts(run_or_style: Any, east_asian: str, size: Pt | None = None, *, bold: bool = False) -> None:
    """Set a run's (or style's) fonts: ``east_asian`` for Chinese, Times New Roman for the rest."""
    font = run_or_style.font
    font.name = LATIN_FONT if east_asian != PAGE_NUMBER_FONT else PAGE_NUMBER_FONT
    rpr = run_or_style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    if size is not None:
        font.size = size
    font.bold = bold


def _declare_fallbacks(document: DocumentType) -> None:
    """Name, in the font table, the common font to use where a 公文 font is not installed."""
    from lxml import etree

    part = document.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    w = root.nsmap["w"]
    for name, alternative in FALLBACKS.items():
        font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
        etree.SubElement(font, f"{{{w}}}altName", {f"{{{w}}}val": alternative})
        etree.SubElement(font, f"{{{w}}}charset", {f"{{{w}}}val": "86"})  # GB2312
        etree.SubElement(font, f"{{{w}}}family", {f"{{{w}}}val": "auto"})
        etree.SubElement(font, f"{{{w}}}pitch", {f"{{{w}}}val": "variable"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _grid(section: Any) -> None:
    """The section's line and character grid: 22 lines of 28 characters."""
    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    sect.append(grid)


def _page_number(paragraph: Paragraph) -> None:
    """"— N —" with N a PAGE field, in 四号 宋体."""
    def run(text: str | None = None) -> Any:
        r = paragraph.add_run(text)
        _fonts(r, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        return r

    run("— ")
    for kind, instruction in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = run()
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            r._r.append(field)
        elif instruction == " PAGE ":
            text = OxmlElement("w:instrText")
            text.set(qn("xml:space"), "preserve")
            text.text = instruction
            r._r.append(text)
        else:
            r.text = instruction
    run(" —")


def _footers(document: DocumentType) -> None:
    """Page numbers: odd pages at the right, even pages at the left, one character in (四号 is 14 pt)."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = PAGE_NUMBER_SIZE
        else:
            fmt.left_indent = PAGE_NUMBER_SIZE
        _page_number(paragraph)


def official_document() -> DocumentType:
    """An empty A4 document set up per GB/T 9704-2012 (page, grid, fonts, page numbers)."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS["top"]), Mm(MARGINS["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS["left"]), Mm(MARGINS["right"])
    section.footer_distance = Mm(28)  # 页码位于版心下边缘之下,一字线上距版心下边缘 7 mm
    _grid(section)
    normal = document.styles["Normal"]
    _fonts(normal, BODY_FONT, BODY_SIZE)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = False
    _declare_fallbacks(document)
    _footers(document)
    return document


def _paragraph(document: DocumentType, text: str, font: str = BODY_FONT, *, size: Pt = BODY_SIZE,
               indent: bool = True, align: WD_ALIGN_PARAGRAPH | None = None) -> Paragraph:
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = INDENT
    if text:
        _fonts(paragraph.add_run(text), font, size)
    return paragraph


def _title(document: DocumentType, text: str) -> None:
    paragraph = _paragraph(document, text, TITLE_FONT, size=TITLE_SIZE, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph.paragraph_format.line_spacing = Pt(35)  # a 二号 title line needs more than the body's 28.95 pt
    _off_grid(paragraph)  # else each title line snaps to two grid lines


def _body(document: DocumentType, kind: str, text: str) -> None:
    font = {"h1": H1_FONT, "h2": H2_FONT}.get(kind, BODY_FONT)
    _paragraph(document, text, font, align=WD_ALIGN_PARAGRAPH.JUSTIFY)


def _off_grid(paragraph: Paragraph) -> None:
    """Let the paragraph keep its own line spacing instead of snapping to the page's line grid."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().append(snap)


def _cell_text(cell: Any, text: str, *, header: bool, right: bool) -> None:
    paragraph = cell.paragraphs[0]
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.first_line_indent = Pt(0)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if header else (WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT)
    _off_grid(paragraph)  # table text keeps its own size
    _fonts(paragraph.add_run(text), H1_FONT if header else BODY_FONT, TABLE_SIZE)


def table(document: DocumentType, headers: Sequence[str], rows: Sequence[Sequence[str]], widths_mm: Sequence[float],
          numeric: Sequence[str] = ()) -> None:
    """A bordered table in 五号, its header row (黑体) repeated on every page."""
    grid = document.add_table(rows=2, cols=len(headers))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for column, width in zip(grid.columns, widths_mm):
        column.width = Mm(width)  # w:gridCol, which LibreOffice and WPS go by
        for cell in column.cells:
            cell.width = Mm(width)
    header_row, model_row = grid.rows
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_row._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(header_row.cells, headers):
        _cell_text(cell, text, header=True, right=False)
    for cell, header in zip(model_row.cells, headers):
        _cell_text(cell, "#", header=False, right=header in numeric)  # a placeholder, so each cell has its w:t
    # every data row is a copy of the formatted model row with its texts filled in: building each
    # cell through python-docx took 9 s for the city's thousand-row attachment
    model = model_row._tr
    body = model.getparent()
    body.remove(model)
    text_tag = qn("w:t")
    for row in rows:
        tr = copy.deepcopy(model)
        for t, text in zip(tr.iter(text_tag), row):
            t.text = text
            if text != text.strip():
                t.set(qn("xml:space"), "preserve")
        body.append(tr)


def _signature(document: DocumentType, issuer: str, date: str) -> None:
    """The issuer centred over the date; the date four characters in from the right."""
    def width(text: str) -> float:  # in characters: digits are half wide
        return sum(0.5 if ch.isascii() else 1 for ch in text)

    _paragraph(document, "", indent=False)
    date_right = 4.0
    issuer_right = max(0.0, date_right + (width(date) - width(issuer)) / 2)
    for text, right in ((issuer, issuer_right), (date, date_right)):
        paragraph = _paragraph(document, text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        paragraph.paragraph_format.right_indent = Pt(right * BODY_SIZE.pt)


def _saved(document: DocumentType) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


NOTICE_WIDTHS = (23, 12, 34, 22, 22, 19, 24)  # mm, 156 in all: 超期未完成 and 2021-06-30 on one line


def notice_docx(notice: Notice) -> bytes:
    """The 回头看 通报 as a .docx: title, 主送, body, 附件说明, issuer and date; then the attachment."""
    from gwgk.reports.notice import ATTACHMENT_HEADERS

    document = official_document()
    _title(document, notice.title)
    _paragraph(document, "", indent=False)
    _paragraph(document, f"{notice.addressees}：", indent=False, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    for part in notice.body:
        _body(document, part.kind, part.text)
    _paragraph(document, "", indent=False)
    _paragraph(document, f"附件：{notice.attachment_title}")
    _signature(document, notice.issuer, notice.date)
    # the attachment starts a new page: "附件" at the top left in 黑体, its title, the table
    attachment = _paragraph(document, "", indent=False)
    attachment.add_run().add_break(WD_BREAK.PAGE)
    _fonts(attachment.add_run("附件"), H1_FONT)
    _paragraph(document, "", indent=False)
    _title(document, notice.attachment_title)
    _paragraph(document, "", indent=False)
    table(document, ATTACHMENT_HEADERS, [row.cells() for row in notice.attachment], NOTICE_WIDTHS,
          numeric=("序号", "超期天数"))
    return _saved(document)


UNIT_WIDTHS = (36, 16, 17, 17, 18, 17, 14, 21)
TASK_WIDTHS = (11, 40, 17, 17, 17, 54)


def year_docx(report: YearReport) -> bytes:
    """The year-end report as a .docx: the paragraph for the annual report, then the two tables."""
    from gwgk.render.text import (
        TASK_SUMMARY_HEADERS,
        UNIT_SUMMARY_HEADERS,
        task_summary_rows,
        unit_summary_rows,
    )
    from gwgk.reports.notice import chinese_date

    document = official_document()
    _title(document, f"{report.plan_title}落实情况")
    _paragraph(document, f"（截至{chinese_date(report.as_of)}）", H2_FONT, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, "", indent=False)
    _body(document, "h1", "一、存在的主要问题及改进情况")
    _body(document, "text", report.paragraph)
    _body(document, "h1", "二、各单位完成情况")
    table(document, UNIT_SUMMARY_HEADERS, unit_summary_rows(report), UNIT_WIDTHS, numeric=UNIT_SUMMARY_HEADERS[1:])
    _body(document, "h1", "三、各任务完成情况")
    table(document, TASK_SUMMARY_HEADERS, task_summary_rows(report), TASK_WIDTHS,
          numeric=("序号", "承担单位数", "超期未完成", "进度滞后"))
    return _saved(document)
