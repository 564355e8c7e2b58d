"""A plan's document as lines of text and tables of cells, from plain text (UTF-8, UTF-16 with BOM,
GB18030), a web page saved as .html (``html``) or a .docx file."""

from __future__ import annotations

import re
from pathlib import Path

from gwgk.drafting.document import MAX_DOCX_BYTES, MAX_DOCX_PART, MAX_LINE_CHARS, MAX_PLAN_BYTES, MAX_TEXT_CHARS, PlanSource
from gwgk.errors import UsageError

__all__ = ["MAX_LINE_CHARS", "MAX_TEXT_CHARS", "PlanSource", "decode", "decode_html", "from_text", "read_plan"]

_SPLIT_CELLS = re.compile(r"[ \u3000]{0,8}[|｜\t][ \u3000]{0,8}")


def _is_row(line: str, in_table: bool = False) -> bool:
    """A table row pasted on one line: three cells or more, or two inside a table already begun
    (a row whose merged cells were lost in copying)."""
    return ("|" in line or "｜" in line or "\t" in line) and len(_cells(line)) >= (2 if in_table else 3)


def _is_bar(line: str) -> bool:
    """A line of a table pasted one cell per line: "|", "工作任务 |", "| 1"."""
    stripped = line.strip()
    return bool(stripped) and ("|" in stripped or "｜" in stripped) and len(_cells(line)) <= 2 and \
        len([c for c in _cells(line) if c]) <= 1


def _cells(line: str) -> list[str]:
    cells = _SPLIT_CELLS.split(line.strip())
    if cells and cells[0] == "" and line.strip()[:1] in "|｜":
        cells = cells[1:]
    while cells and cells[-1] == "" and line.rstrip()[-1:] in "|｜":
        cells = cells[:-1]
        break
    return [c.strip() for c in cells]


def from_text(text: str, name: str) -> PlanSource:
    """Lines and tables of a plain-text plan: a table is a run of lines with ``|`` or tab columns,
    or a run of lines holding one cell each between ``|`` marks."""
    if len(text) > MAX_TEXT_CHARS:
        raise UsageError(f"“{name}”有 {len(text)} 个字符，超过 {MAX_TEXT_CHARS} 个（一份工作要点通常只有几万字），请检查是否选错了文件")
    raws = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n").split("\n")
    raws = _excel_cells(raws)
    for number, raw in enumerate(raws, 1):
        if len(raw) > MAX_LINE_CHARS:
            raise UsageError(f"“{name}”第 {number} 行有 {len(raw)} 个字符，超过 {MAX_LINE_CHARS} 个（一段正文或一个单元格"
                             "不会这么长），请检查是否粘贴有误")
    bars = [_is_bar(raw) for raw in raws]
    source = PlanSource(name)
    table: list[list[str]] | None = None
    stream: list[str] | None = None
    for i, raw in enumerate(raws):
        line = raw.strip().lstrip("\ufeff")
        near_bar = bars[i] or (i + 1 < len(raws) and bars[i + 1]) or (i > 0 and bars[i - 1] and stream is not None)
        if stream is not None and not line:
            continue
        if near_bar and not _is_row(raw, table is not None):
            if stream is None:
                stream = []
                source.streams.append(stream)
            stream.extend(c for c in _cells(raw) if c)
            table = None
            continue
        stream = None
        if _is_row(raw, table is not None):
            if table is None:
                table = []
                source.tables.append(table)
            table.append(_cells(raw))
            continue
        table = None
        if line:
            source.lines.append(line)
    source.streams = [s for s in source.streams if len(s) >= 4]
    return source


def _open_cell(line: str) -> bool:
    """Whether a row copied from Excel ends inside a quoted cell (a line break in the cell)."""
    last = line.rsplit("\t", 1)[-1]
    return last.startswith('"') and last.count('"') % 2 == 1


def _excel_cells(raws: list[str]) -> list[str]:
    """Rows copied from Excel or WPS: a cell holding line breaks comes in quotes over several lines
    (``1<TAB>"做好公开<LF>第二行"<TAB>县财政局``); each such row is put back on one line, its cells
    unquoted. Lines without tabs are left alone."""
    out: list[str] = []
    i = 0
    while i < len(raws):
        line = raws[i]
        if "\t" in line and _open_cell(line):
            joined, j = line, i + 1
            while j < len(raws) and j - i <= 50 and _open_cell(joined):
                joined += raws[j]  # Chinese text has no space where a line breaks
                j += 1
            if not _open_cell(joined):
                out.append(_unquote(joined))
                i = j
                continue
        out.append(_unquote(line) if "\t" in line and '"' in line else line)
        i += 1
    return out


def _unquote(line: str) -> str:
    cells = line.split("\t")
    return "\t".join(c[1:-1].replace('""', '"') if len(c) >= 2 and c.startswith('"') and c.endswith('"') else c for c in cells)


def decode(raw: bytes, name: str) -> str:
    """The text of a plain-text plan: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise UsageError(f"“{name}”标明是 UTF-16 编码，但内容无法按 UTF-16 读取") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UsageError(f"“{name}”不是 UTF-8、UTF-16 或 GB18030 编码的文字文件，无法读取")


def read_plan(path: Path) -> PlanSource:
    """The plan at ``path`` (.txt/.md in UTF-8 or GB18030, or .docx); ``UsageError`` if unreadable."""
    suffix = path.suffix.lower()
    try:
        if not path.is_file():
            raise UsageError(f"找不到计划文件“{path}”")
        bound = MAX_DOCX_BYTES if suffix == ".docx" else MAX_PLAN_BYTES
        if path.stat().st_size > bound:
            raise UsageError(f"计划文件“{path.name}”超过 {bound // 1024 // 1024}MB，不像是一份工作要点")
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"无法读取计划文件“{path}”：{exc.strerror or exc}") from None
    if suffix == ".docx":
        return _from_docx(raw, path.name)
    if suffix == ".doc":
        raise UsageError(f"“{path.name}”是旧版 Word（.doc）文件，请先另存为 .docx 或纯文本")
    if suffix in (".html", ".htm", ".mhtml"):
        from gwgk.drafting.html import from_html

        return from_html(decode_html(raw, path.name), path.name)
    return from_text(decode(raw, path.name), path.name)


def decode_html(raw: bytes, name: str) -> str:
    """A saved web page's text, in the charset its ``<meta>`` names (else UTF-8, else GB18030)."""
    declared = re.search(rb"charset=[\"']?([A-Za-z0-9_-]{2,20})", raw[:4096])
    if declared:
        try:
            return raw.decode(declared.group(1).decode("ascii").lower().replace("gb2312", "gb18030").replace("gbk", "gb18030"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(raw, name)


def _from_docx(raw: bytes, name: str) -> PlanSource:
    import io
    import zipfile

    import docx
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            for info in archive.infolist():
                if info.filename.endswith(".xml") and info.file_size > MAX_DOCX_PART:
                    raise UsageError(f"“{name}”中的 {info.filename} 解压后有 {info.file_size} 字节，超过 "
                                     f"{MAX_DOCX_PART // 1024 // 1024}MB，不像是一份工作要点")
                if info.filename == "word/document.xml":
                    head = archive.open(info).read(4096)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise UsageError(f"“{name}”的 word/document.xml 含有 DOCTYPE 或实体声明，Word 不会这样保存，为安全起见不读取")
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError, EOFError, OSError, NotImplementedError) as exc:
        raise UsageError(f"“{name}”不是有效的 .docx 文件（{type(exc).__name__}：{str(exc)[:120]}）") from None
    try:
        source = _docx_source(document, name)
    except (AttributeError, TypeError, KeyError, IndexError, ValueError) as exc:
        raise UsageError(f"“{name}”的内容结构不像 Word 保存的文档，无法读取（{type(exc).__name__}）") from None
    for number, line in enumerate(source.lines, 1):
        if len(line) > MAX_LINE_CHARS:
            raise UsageError(f"“{name}”第 {number} 段有 {len(line)} 个字符，超过 {MAX_LINE_CHARS} 个，不像是一份工作要点")
    return source


def _docx_source(document: object, name: str) -> PlanSource:
    source = PlanSource(name)
    try:
        numbers = _Numbering(document)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError):
        numbers = _Numbering(None)  # numbering that Word itself could not draw: read the text without it
    for paragraph in document.paragraphs:  # type: ignore[attr-defined]
        label = numbers.label(paragraph)  # Word's own list numbers are not in the text
        for index, line in enumerate(paragraph.text.splitlines()):
            if line.strip():
                source.lines.append((label if index == 0 else "") + line.strip())
    for table in document.tables:  # type: ignore[attr-defined]
        rows: list[list[str]] = []
        for row in table.rows:
            cells: list[str] = []
            previous = None
            for cell in row.cells:
                # A merged cell is repeated by python-docx once per grid column: keep it once.
                if previous is not None and cell._tc is previous:
                    continue
                previous = cell._tc
                cells.append(" ".join(p.strip() for p in cell.text.splitlines() if p.strip()))
            rows.append(cells)
        source.tables.append(rows)
    if sum(len(line) for line in source.lines) + sum(len(c) for t in source.tables for r in t for c in r) > MAX_TEXT_CHARS:
        raise UsageError(f"“{name}”的文字超过 {MAX_TEXT_CHARS} 个字符（一份工作要点通常只有几万字），请检查是否选错了文件")
    for table in source.tables:
        for row in table:
            if any(len(c) > MAX_LINE_CHARS for c in row):
                raise UsageError(f"“{name}”的表格中有一个单元格超过 {MAX_LINE_CHARS} 个字符，不像是一份工作要点")
    return source


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CHINESE = "零一二三四五六七八九"
_CHINESE_FORMATS = {"chineseCounting", "chineseCountingThousand", "ideographTraditional", "taiwaneseCounting",
                    "japaneseCounting", "ideographDigital"}


def chinese_number(n: int) -> str:
    """一 … 九十九 (and plain digits past that)."""
    if n < 10:
        return _CHINESE[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CHINESE[tens]) + "十" + (_CHINESE[ones] if ones else "")
    return str(n)


def _small(text: str | None) -> int | None:
    """A number attribute of Word's numbering, or None when it is none (or absurdly long)."""
    if text is None or not text.strip().isdigit() or len(text.strip()) > 6:
        return None
    return int(text)


class _Numbering:
    """The numbers Word draws before numbered paragraphs ("1.", "(一)"), counted as Word does."""

    def __init__(self, document: object | None):
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId -> ilvl -> (start, format, text)
        self.counters: dict[str, list[int | None]] = {}
        if document is None:
            return
        try:
            root = document.part.numbering_part.element  # type: ignore[attr-defined]
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for node in root.findall(_W + "abstractNum"):
            levels = {}
            for lvl in node.findall(_W + "lvl"):
                start, fmt, text = lvl.find(_W + "start"), lvl.find(_W + "numFmt"), lvl.find(_W + "lvlText")
                level = _small(lvl.get(_W + "ilvl"))
                if level is None or level > 8:
                    continue
                levels[level] = (
                    (_small(start.get(_W + "val")) or 0) if start is not None else 1,
                    fmt.get(_W + "val") if fmt is not None else "decimal",
                    text.get(_W + "val") if text is not None else "",
                )
            abstract[node.get(_W + "abstractNumId")] = levels
        for num in root.findall(_W + "num"):
            ref = num.find(_W + "abstractNumId")
            if ref is not None and ref.get(_W + "val") in abstract:
                self.levels[num.get(_W + "numId")] = abstract[ref.get(_W + "val")]

    @staticmethod
    def _num_pr(paragraph: object) -> tuple[str, int] | None:
        ppr = paragraph._p.pPr  # type: ignore[attr-defined]
        found = ppr.find(_W + "numPr") if ppr is not None else None
        style = paragraph.style  # type: ignore[attr-defined]
        while found is None and style is not None:
            style_ppr = style.element.find(_W + "pPr")
            found = style_ppr.find(_W + "numPr") if style_ppr is not None else None
            style = style.base_style
        if found is None or found.find(_W + "numId") is None:
            return None
        level = _small(found.find(_W + "ilvl").get(_W + "val")) if found.find(_W + "ilvl") is not None else 0
        if level is None or level > 8:
            return None
        return found.find(_W + "numId").get(_W + "val"), level

    def label(self, paragraph: object) -> str:
        """The number Word shows before ``paragraph`` ("" for an unnumbered one or a bullet)."""
        where = self._num_pr(paragraph)
        if where is None or where[0] not in self.levels or where[1] not in self.levels[where[0]]:
            return ""
        num_id, level = where
        levels = self.levels[num_id]
        counters = self.counters.setdefault(num_id, [None] * 9)
        start, fmt, text = levels[level]
        counters[level] = start if counters[level] is None else counters[level] + 1  # type: ignore[operator]
        for deeper in range(level + 1, 9):
            counters[deeper] = None
        if fmt in ("bullet", "none"):
            return ""
        for shown in range(9):
            if f"%{shown + 1}" in text:
                counted = counters[shown]
                value = counted if counted is not None else levels.get(shown, (1, "", ""))[0]
                form = levels.get(shown, (1, "decimal", ""))[1]
                text = text.replace(f"%{shown + 1}", chinese_number(value or 0) if form in _CHINESE_FORMATS else str(value))
        return text
