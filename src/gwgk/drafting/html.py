"""A plan saved from the browser (.html): its paragraphs as lines, its tables as rows of cells.

Government sites publish plans as web pages. A cell merged down several rows (``rowspan``) is
given to each row it covers, as Word's merged cells are; a cell merged across columns
(``colspan``) is kept once, as the .docx reader keeps it. Read with the standard library's
``html.parser``: nothing is fetched, no script runs.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from gwgk.drafting.document import MAX_LINE_CHARS, MAX_TEXT_CHARS, PlanSource
from gwgk.errors import UsageError

_BLOCKS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "tr", "table", "hr",
           "blockquote", "pre", "center", "dd", "dt"}
_SKIP = {"script", "style", "head", "title", "noscript", "template", "select", "option", "button"}
_SPACES = re.compile(r"[ \t\r\n\u00a0]+")
MAX_SPAN = 200


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._text: list[str] = []
        self._skip = 0
        self._stack: list[dict[str, Any]] = []  # open tables: rows, the current row and cell, spans pending

    def _flush(self) -> None:
        line = _SPACES.sub(" ", "".join(self._text)).strip()
        self._text = []
        if line:
            self.lines.append(line)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
            return
        if tag == "table":
            if self._stack and self._stack[-1]["cell"] is not None:
                self._stack[-1]["depth"] += 1  # a table inside a cell: read as the cell's text
                return
            self._flush()
            self._stack.append({"rows": [], "row": None, "cell": None, "spans": {}, "depth": 0, "grid": 0})
            return
        if not self._stack or self._stack[-1]["depth"]:
            if tag in _BLOCKS:
                self._flush() if not self._stack else self._text.append(" ")
            return
        table = self._stack[-1]
        if tag == "tr":
            self._end_row(table)
            table["row"], table["grid"] = [], 0
        elif tag in ("td", "th"):
            if table["row"] is None:
                table["row"], table["grid"] = [], 0
            self._end_cell(table)
            found = dict(attrs)
            table["cell"] = {"text": [], "rowspan": _span(found.get("rowspan")), "colspan": _span(found.get("colspan"))}
        elif tag in _BLOCKS and table["cell"] is not None:
            table["cell"]["text"].append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(self._skip - 1, 0)
            return
        if tag == "table" and self._stack:
            table = self._stack[-1]
            if table["depth"]:
                table["depth"] -= 1
                return
            self._end_row(table)
            self._stack.pop()
            self.tables.append(table["rows"])
            return
        if not self._stack:
            if tag in _BLOCKS:
                self._flush()
            return
        table = self._stack[-1]
        if tag in ("td", "th") and not table["depth"]:
            self._end_cell(table)
        elif tag == "tr" and not table["depth"]:
            self._end_row(table)

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._stack and self._stack[-1]["cell"] is not None:
            self._stack[-1]["cell"]["text"].append(data)
        elif not self._stack:
            self._text.append(data)

    def _end_cell(self, table: dict[str, Any]) -> None:
        cell = table["cell"]
        if cell is None or table["row"] is None:
            return
        table["cell"] = None
        text = _SPACES.sub(" ", "".join(cell["text"])).strip()
        if len(text) > MAX_LINE_CHARS:
            raise UsageError(f"网页中有一个表格单元格有 {len(text)} 个字符，超过 {MAX_LINE_CHARS} 个，不像是一份工作要点")
        self._place_spanned(table)
        table["row"].append(text)
        if cell["rowspan"] > 1:  # the rows below get it at this grid column (once, however wide)
            table["spans"][table["grid"]] = [text, cell["rowspan"] - 1, cell["colspan"]]
        table["grid"] += cell["colspan"]

    def _place_spanned(self, table: dict[str, Any], to_end: bool = False) -> None:
        """The cells merged down from rows above that stand at the current grid column (or, at the
        end of a row, at any column still ahead)."""
        spans = table["spans"]
        while table["grid"] in spans or (to_end and any(k >= table["grid"] for k in spans)):
            if table["grid"] not in spans:
                table["grid"] = min(k for k in spans if k >= table["grid"])
            text, left, width = spans[table["grid"]]
            table["row"].append(text)
            if left <= 1:
                del spans[table["grid"]]
            else:
                spans[table["grid"]][1] = left - 1
            table["grid"] += width

    def _end_row(self, table: dict[str, Any]) -> None:
        self._end_cell(table)
        if table["row"] is None:
            return
        self._place_spanned(table, to_end=True)
        row = table["row"]
        table["row"], table["grid"] = None, 0
        if any(c for c in row):
            table["rows"].append(row)

    def close(self) -> None:
        super().close()
        while self._stack:
            table = self._stack.pop()
            self._end_row(table)
            self.tables.append(table["rows"])
        self._flush()


def _span(value: str | None) -> int:
    if value is None or not value.strip().isdigit() or len(value.strip()) > 4:
        return 1
    return max(1, min(int(value), MAX_SPAN))


def from_html(text: str, name: str) -> PlanSource:
    """Lines and tables of a plan saved from the browser as .html."""
    page = _Page()
    page.feed(text)
    page.close()
    if sum(len(line) for line in page.lines) + sum(len(c) for t in page.tables for r in t for c in r) > MAX_TEXT_CHARS:
        raise UsageError(f"“{name}”的文字超过 {MAX_TEXT_CHARS} 个字符（一份工作要点通常只有几万字），请检查是否选错了文件")
    lines: list[str] = []
    for line in page.lines:
        if len(line) > MAX_LINE_CHARS:
            raise UsageError(f"“{name}”有一段 {len(line)} 个字符的正文，超过 {MAX_LINE_CHARS} 个，不像是一份工作要点")
        lines.append(line)
    return PlanSource(name, lines, [t for t in page.tables if t])
