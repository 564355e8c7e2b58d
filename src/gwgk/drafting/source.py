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
    for paragraph in document.paragraphs:
        for line in paragraph.text.splitlines():
            if line.strip():
                source.lines.append(line.strip())
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
