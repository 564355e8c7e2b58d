"""Text tables for terminals, pipes and files: Chinese characters counted two columns wide, cells
wrapped to fit the width, heavy-head box lines, optional ANSI colour.

gwgk draws its own tables instead of using rich's: rich's general layout engine took about 0.2 s
for one unit's 台账, more than everything else the command does (see docs/performance.md), and
importing it cost another 0.06 s.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Union

ANSI = {"bold": "1", "red": "31", "green": "32", "yellow": "33", "bright_black": "90"}
# An ASCII word (a date, a number, a file name) is kept whole where it fits; anything else breaks
# between characters, as Chinese text does.
_TOKENS = re.compile(r"[!-~]+|\s+|.", re.S)
# Chinese typesetting never starts a line with these: the character before them moves down too.
NO_LINE_START = set("、，。.;:!?)】」』》〉”’…%")


@dataclass(frozen=True)
class Styled:
    """Text with a style such as "bold red" (shown only where colour is on)."""

    text: str
    style: str = ""


Cell = Union[str, Styled]  # noqa: UP007 - a type alias evaluated at run time, on Python 3.10 too


@dataclass(frozen=True)
class Column:
    """A table column: its header, alignment, and whether its cells may wrap."""

    header: str
    right: bool = False
    no_wrap: bool = False
    min_width: int = 0
    style: str = ""


@dataclass
class Table:
    """Rows of cells under columns; ``box=False`` draws a borderless two-space-separated table."""

    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    title: str | None = None
    box: bool = True
    show_header: bool = True

    def add_row(self, *cells: Cell) -> None:
        """Append a row."""
        self.rows.append(list(cells))


@dataclass
class Adaptive:
    """A table where the width allows it (``min_width`` columns or more), else the same content
    stacked as blocks one under another (``narrow``), which reads better than a squeezed table."""

    wide: Table
    narrow: list[Styled | str]
    min_width: int


Block = Union[Table, Adaptive, Styled, str]  # noqa: UP007 - a type alias evaluated at run time, on Python 3.10 too


def char_width(ch: str) -> int:
    """Columns a character takes on a terminal: 2 for wide (Chinese) characters, 0 for combining."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 0 if unicodedata.combining(ch) else 1


def text_width(text: str) -> int:
    """Columns a one-line text takes."""
    if text.isascii():
        return len(text)
    return sum(char_width(ch) for ch in text)


def wrapped(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns (ASCII words whole where they fit)."""
    width = max(width, 2)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if text_width(paragraph) <= width:
            lines.append(paragraph)
            continue
        line, used = "", 0
        for token in _TOKENS.findall(paragraph):
            size = text_width(token)
            if used + size <= width:
                line, used = line + token, used + size
                continue
            if token.isspace():
                lines.append(line.rstrip())
                line, used = "", 0
                continue
            if line:
                carried = ""
                if (token in NO_LINE_START and len(line) > 1 and char_width(line[-1]) == 2
                        and line[-1] not in NO_LINE_START and 2 + size <= width):
                    line, carried = line[:-1], line[-1]
                lines.append(line.rstrip())
                line, used = carried, text_width(carried)
            for ch in token:  # a token wider than the line is folded
                size = char_width(ch)
                if used + size > width and line:
                    lines.append(line)
                    line, used = "", 0
                line, used = line + ch, used + size
        lines.append(line.rstrip())
    return lines


def _plain(cell: Cell) -> str:
    return cell.text if isinstance(cell, Styled) else cell


def _widest_word(text: str) -> int:
    words = [t for t in _TOKENS.findall(text) if not t.isspace()]
    return max((text_width(w) for w in words), default=0)


def column_widths(table: Table, width: int) -> list[int]:
    """The width of each column's text so that the table fits ``width`` where it can: the widest
    wrappable columns are narrowed first, none below its longest word (at most 10) or its minimum."""
    natural, least = [], []
    for i, column in enumerate(table.columns):
        texts = [_plain(row[i]) for row in table.rows] + ([column.header] if table.show_header else [])
        lines = [line for t in texts for line in t.split("\n")]
        wide = max((text_width(line) for line in lines), default=0)
        natural.append(wide)
        if column.no_wrap:
            least.append(wide)
        else:
            word = max((min(_widest_word(line), 10) for line in lines), default=0)
            least.append(min(wide, max(column.min_width, word, 4)))
    gaps = 3 * len(natural) + 1 if table.box else 2 * (len(natural) - 1)
    room = width - gaps
    if sum(natural) <= room:
        return natural
    # Find the largest cap c with sum(max(least, min(natural, c))) <= room, then hand out what is left.
    low, high = 0, max(natural)
    while low < high:
        cap = (low + high + 1) // 2
        if sum(max(m, min(n, cap)) for n, m in zip(natural, least)) <= room:
            low = cap
        else:
            high = cap - 1
    widths = [max(m, min(n, low)) for n, m in zip(natural, least)]
    spare = room - sum(widths)
    for i, n in enumerate(natural):
        if spare <= 0:
            break
        if widths[i] < n:
            widths[i] += 1
            spare -= 1
    return widths


def _paint(text: str, style: str, color: bool) -> str:
    codes = [ANSI[s] for s in style.split() if s in ANSI]
    if not color or not codes or not text:
        return text
    return f"\x1b[{';'.join(codes)}m{text}\x1b[0m"


def _fitted(line: str, size: int, right: bool) -> str:
    pad = " " * (size - text_width(line))
    return pad + line if right else line + pad


def _row_lines(cells: list[Cell], table: Table, widths: list[int], color: bool, header: bool) -> list[str]:
    split = [wrapped(_plain(c), w) for c, w in zip(cells, widths)]
    height = max((len(s) for s in split), default=1)
    out = []
    for n in range(height):
        parts = []
        for i, (lines, size) in enumerate(zip(split, widths)):
            column = table.columns[i]
            text = _fitted(lines[n] if n < len(lines) else "", size, column.right and not header)
            cell = cells[i]
            style = "bold" if header else (cell.style if isinstance(cell, Styled) else column.style)
            parts.append(_paint(text, style, color))
        if table.box:
            bar = "┃" if header else "│"
            out.append(f"{bar} " + f" {bar} ".join(parts) + f" {bar}")
        else:
            out.append("  ".join(parts).rstrip())
    return out


def table_lines(table: Table, width: int, color: bool = False) -> list[str]:
    """The lines of ``table`` drawn in at most ``width`` columns (wider only if it cannot fit)."""
    widths = column_widths(table, width)
    out = [_paint(table.title, "bold", color)] if table.title else []
    spans = ["━" * (w + 2) for w in widths]
    if table.box:
        out.append("┏" + "┳".join(spans) + "┓" if table.show_header else "┌" + "┬".join("─" * (w + 2) for w in widths) + "┐")
    if table.show_header:
        out += _row_lines([c.header for c in table.columns], table, widths, color, header=True)
        if table.box:
            out.append("┡" + "╇".join(spans) + "┩")
    for row in table.rows:
        out += _row_lines(row, table, widths, color, header=False)
    if table.box:
        out.append("└" + "┴".join("─" * (w + 2) for w in widths) + "┘")
    return out


def blocks_text(blocks: Sequence[Block], width: int, color: bool = False) -> str:
    """Tables and paragraphs, one after another, as text ending in a newline."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Adaptive):
            if width >= block.min_width:
                lines += table_lines(block.wide, width, color)
                continue
            lines += blocks_text(block.narrow, width, color).rstrip("\n").split("\n")
            continue
        if isinstance(block, Table):
            lines += table_lines(block, width, color)
        else:
            styled = block if isinstance(block, Styled) else Styled(block)
            lines += [_paint(line, styled.style, color) for line in wrapped(styled.text, width)]
    return "\n".join(lines) + "\n"
