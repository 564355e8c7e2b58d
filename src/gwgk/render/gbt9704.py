"""The page and the parts of a Word document laid out per GB/T 9704-2012 《党政机关公文格式》: A4; margins top 37 mm,
bottom 35 mm, left 28 mm, right 26 mm; 22 lines of 28 characters (a line and character grid); title in
方正小标宋简体 二号; body 仿宋_GB2312 三号; first-level headings 黑体, second-level 楷体_GB2312; page
numbers "— 1 —" in 四号 宋体, odd pages right and even pages left, one character in from the edge.

The 公文 fonts are not on every computer, so each is declared in the document's font table with the
common font to use instead (w:altName): 方正小标宋简体 → 宋体, 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体.
Digits and Latin letters are set in Times New Roman, as offices do.

python-docx is imported here and in ``render.docx`` only, and these modules only when a docx is
asked for. Every text goes through ``wording.cjk_punctuation``: the plan's converted text often
carries half-width punctuation, a 公文 never does.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from gwgk.render.wrapping import header_lines, text_width, title_lines
from gwgk.reports.wording import cjk_punctuation

if TYPE_CHECKING:
    from docx.document import Document as DocumentType
    from docx.text.paragraph import Paragraph


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
# the grid: 225 mm / 22 lines = 28.95 pt a line, rounded down so that the 22nd line still fits.
# 156 mm / 28 characters = 15.79 pt a character: the body's characters are set 0.25 pt closer
# (w:spacing, in twentieths of a point), 28 of them 441 pt of the 442.2 pt line. A character grid
# (w:charSpace) would say the same to Word and WPS, but LibreOffice spreads such lines to about 15
# characters; letter spacing reads the same in all three.
LINE_PITCH_TWIPS = math.floor(TEXT_HEIGHT_MM / 25.4 * 1440 / LINES)
CHAR_PITCH_PT = TEXT_WIDTH_MM / 25.4 * 72 / CHARS
CHAR_SPACING_TWIPS = math.floor((CHAR_PITCH_PT - BODY_SIZE.pt) * 20)  # -5: 0.25 pt closer
LINE_PITCH = Pt(LINE_PITCH_TWIPS / 20)
TABLE_CELL_MARGIN_TWIPS = 57  # 1 mm each side: the tables' narrow columns keep their words whole
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
    """The section's line grid: 22 lines (28 characters a line come from the body's spacing)."""
    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
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


# the elements that follow w:spacing in a w:rPr (the schema's order, which Word holds to)
_AFTER_SPACING = tuple(f"w:{t}" for t in (
    "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign",
    "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish",
))


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
    rpr = normal.element.get_or_add_rPr()
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CHAR_SPACING_TWIPS))
    rpr.insert_element_before(spacing, *_AFTER_SPACING)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
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
        _fonts(paragraph.add_run(cjk_punctuation(text)), font, size)
    return paragraph


TITLE_CAPACITY = (TEXT_WIDTH_MM / 25.4 * 72) // TITLE_SIZE.pt  # 20 characters of 二号 in a line


def _lines(document: DocumentType, lines: Sequence[str], font: str, size: Pt, align: WD_ALIGN_PARAGRAPH,
           *, color: RGBColor | None = None) -> Paragraph:
    """One paragraph of ``lines``, each after a line break."""
    paragraph = _paragraph(document, "", indent=False, align=align)
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        _fonts(run, font, size)
        if color is not None:
            run.font.color.rgb = color
        if i < len(lines) - 1:
            run.add_break()
    return paragraph


def _title(document: DocumentType, text: str) -> None:
    """The title in 二号 小标宋, centred, broken between words into even lines."""
    paragraph = _lines(document, title_lines(text, TITLE_CAPACITY), TITLE_FONT, TITLE_SIZE, WD_ALIGN_PARAGRAPH.CENTER)
    paragraph.paragraph_format.line_spacing = Pt(35)  # a 二号 title line needs more than the body's 28.95 pt
    paragraph.paragraph_format.keep_with_next = True
    _off_grid(paragraph)  # else each title line snaps to two grid lines


def _body(document: DocumentType, kind: str, text: str) -> Paragraph:
    font = {"h1": H1_FONT, "h2": H2_FONT}.get(kind, BODY_FONT)
    paragraph = _paragraph(document, text, font, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    if kind in ("h1", "h2"):
        paragraph.paragraph_format.keep_with_next = True  # a heading never ends a page
    return paragraph


def _off_grid(paragraph: Paragraph) -> None:
    """Let the paragraph keep its own line spacing instead of snapping to the page's line grid."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().append(snap)


def _cell_text(cell: Any, text: str | Sequence[str], *, header: bool, right: bool) -> None:
    paragraph = cell.paragraphs[0]
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.first_line_indent = Pt(0)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if header else (WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT)
    _off_grid(paragraph)  # table text keeps its own size
    lines = [text] if isinstance(text, str) else list(text)
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        _fonts(run, H1_FONT if header else BODY_FONT, TABLE_SIZE)
        run.element.get_or_add_rPr().insert_element_before(_spacing(0), *_AFTER_SPACING)  # the body's closer setting is for 三号
        if i < len(lines) - 1:
            run.add_break()


def _spacing(twips: int) -> Any:
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(twips))
    return spacing


def _row_properties(tr: Any, *, header: bool) -> None:
    """A row that never splits across pages; the heading row repeated on every page."""
    trpr = tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):  # in the schema's order, after any gridBefore/gridAfter
        if tag == "w:tblHeader" and not header:
            continue
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        trpr.append(element)


def _cell_margins(grid: Any) -> None:
    tblpr = grid._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(TABLE_CELL_MARGIN_TWIPS))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    tblpr.append(margins)


def table(document: DocumentType, headers: Sequence[str], rows: Sequence[Sequence[str]], widths_mm: Sequence[float],
          numeric: Sequence[str] = ()) -> None:
    """A bordered table in 五号, its header row (黑体) repeated on every page, no row split across pages,
    headings broken between words where a column is narrow."""
    grid = document.add_table(rows=2, cols=len(headers))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    _cell_margins(grid)
    for column, width in zip(grid.columns, widths_mm):
        column.width = Mm(width)  # w:gridCol, which LibreOffice and WPS go by
        for cell in column.cells:
            cell.width = Mm(width)
    header_row, model_row = grid.rows
    _row_properties(header_row._tr, header=True)
    _row_properties(model_row._tr, header=False)
    for cell, text, width in zip(header_row.cells, headers, widths_mm):
        usable = width - 2 * TABLE_CELL_MARGIN_TWIPS / 1440 * 25.4
        _cell_text(cell, header_lines(text, usable, TABLE_SIZE.pt / 72 * 25.4), header=True, right=False)
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
        for t, text in zip(tr.iter(text_tag), map(cjk_punctuation, row)):
            t.text = text
            if text != text.strip():
                t.set(qn("xml:space"), "preserve")
        body.append(tr)


def _signature(document: DocumentType, issuer: str, date: str) -> None:
    """The issuer centred over the date; the date four characters in from the right."""
    _paragraph(document, "", indent=False)
    date_right = 4.0
    issuer_right = max(0.0, date_right + (text_width(date) - text_width(issuer)) / 2)
    for text, right in ((issuer, issuer_right), (date, date_right)):
        paragraph = _paragraph(document, text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        paragraph.paragraph_format.right_indent = Pt(right * BODY_SIZE.pt)
        paragraph.paragraph_format.keep_together = True


RED = RGBColor(0xE6, 0x00, 0x12)  # 发文机关标志 and the red separator
RED_HEX = "E60012"


# the elements that follow w:pBdr in a w:pPr
_AFTER_BORDERS = tuple(f"w:{t}" for t in (
    "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct",
    "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
    "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
    "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
))


def _border(paragraph: Paragraph, side: str, size_eighths: int, color: str = "000000") -> None:
    """A rule along one side of the paragraph (``size_eighths``: its thickness in eighths of a point)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.insert_element_before(borders, *_AFTER_BORDERS)
    rule = OxmlElement(f"w:{side}")
    rule.set(qn("w:val"), "single")
    rule.set(qn("w:sz"), str(size_eighths))
    rule.set(qn("w:space"), "1")
    rule.set(qn("w:color"), color)
    borders.append(rule)


def _properties(document: DocumentType, title: str, author: str, day: dt.date) -> None:
    """The file's properties: title, author and times the document's own, not python-docx's template's."""
    props = document.core_properties
    props.title = title
    props.author = props.last_modified_by = author
    props.created = props.modified = dt.datetime(day.year, day.month, day.day)
    props.revision = 1
    props.comments = ""
    props.keywords = ""
    props.subject = ""
    props.category = ""


def _saved(document: DocumentType, day: dt.date) -> bytes:
    """The document's bytes, the same for the same content and day (``files.zipped``)."""
    from gwgk.files.zipped import fixed_zip

    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip(buffer.getvalue(), day)
