"""A plan's document as lines of text and tables of cells, from plain text or a .docx file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from gwgk.errors import UsageError

MAX_PLAN_BYTES = 20 * 1024 * 1024
_SPLIT_CELLS = re.compile(r"\s*[|｜\t]\s*")


@dataclass
class PlanSource:
    """The body of a plan (paragraphs, one per line) and its tables (rows of cell texts)."""

    name: str
    lines: list[str] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)


def _is_row(line: str) -> bool:
    return ("|" in line or "｜" in line or "\t" in line) and len(_cells(line)) >= 3


def _cells(line: str) -> list[str]:
    cells = _SPLIT_CELLS.split(line.strip())
    if cells and cells[0] == "" and line.strip()[:1] in "|｜":
        cells = cells[1:]
    while cells and cells[-1] == "" and line.rstrip()[-1:] in "|｜":
        cells = cells[:-1]
        break
    return [c.strip() for c in cells]


def from_text(text: str, name: str) -> PlanSource:
    """Lines and tables of a plain-text plan: a table is a run of lines with ``|`` or tab columns."""
    source = PlanSource(name)
    table: list[list[str]] | None = None
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip().lstrip("\ufeff")
        if _is_row(raw):
            if table is None:
                table = []
                source.tables.append(table)
            table.append(_cells(raw))
            continue
        table = None
        if line:
            source.lines.append(line)
    return source


def read_plan(path: Path) -> PlanSource:
    """The plan at ``path`` (.txt/.md in UTF-8 or GB18030, or .docx); ``UsageError`` if unreadable."""
    suffix = path.suffix.lower()
    try:
        if not path.is_file():
            raise UsageError(f"找不到计划文件“{path}”")
        if path.stat().st_size > MAX_PLAN_BYTES:
            raise UsageError(f"计划文件“{path.name}”超过 20MB,不像是一份工作要点")
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"无法读取计划文件“{path}”:{exc.strerror or exc}") from None
    if suffix == ".docx":
        return _from_docx(raw, path.name)
    if suffix == ".doc":
        raise UsageError(f"“{path.name}”是旧版 Word(.doc)文件,请先另存为 .docx 或纯文本")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return from_text(raw.decode(encoding), path.name)
        except UnicodeDecodeError:
            continue
    raise UsageError(f"“{path.name}”不是 UTF-8 或 GB18030 编码的文字文件,无法读取")


def _from_docx(raw: bytes, name: str) -> PlanSource:
    import io
    import zipfile

    import docx
    try:
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UsageError(f"“{name}”不是有效的 .docx 文件({exc})") from None
    source = PlanSource(name)
    numbers = _Numbering(document)
    for paragraph in document.paragraphs:
        label = numbers.label(paragraph)  # Word's own list numbers are not in the text
        for index, line in enumerate(paragraph.text.splitlines()):
            if line.strip():
                source.lines.append((label if index == 0 else "") + line.strip())
    for table in document.tables:
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


class _Numbering:
    """The numbers Word draws before numbered paragraphs ("1.", "(一)"), counted as Word does."""

    def __init__(self, document: object):
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId -> ilvl -> (start, format, text)
        self.counters: dict[str, list[int | None]] = {}
        try:
            root = document.part.numbering_part.element  # type: ignore[attr-defined]
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for node in root.findall(_W + "abstractNum"):
            levels = {}
            for lvl in node.findall(_W + "lvl"):
                start, fmt, text = lvl.find(_W + "start"), lvl.find(_W + "numFmt"), lvl.find(_W + "lvlText")
                levels[int(lvl.get(_W + "ilvl"))] = (
                    int(start.get(_W + "val")) if start is not None else 1,
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
        level = found.find(_W + "ilvl")
        return found.find(_W + "numId").get(_W + "val"), int(level.get(_W + "val")) if level is not None else 0

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
                value = counters[shown] if counters[shown] is not None else levels.get(shown, (1, "", ""))[0]
                form = levels.get(shown, (1, "decimal", ""))[1]
                text = text.replace(f"%{shown + 1}", chinese_number(value or 0) if form in _CHINESE_FORMATS else str(value))
        return text
