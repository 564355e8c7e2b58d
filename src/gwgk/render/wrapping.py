"""Where the lines of a document's title and of a table's headings break: between words, never
inside one (“落实情况” is not “落/实情况”, “按时完成” not “按时完/成”). Pure text, no python-docx."""

from __future__ import annotations

import re


def text_width(text: str) -> float:
    """The width of ``text`` in characters: digits, Latin letters and ASCII punctuation are half wide."""
    return sum(0.5 if ch.isascii() else 1 for ch in text)


# where a title may break: after a closing 书名号 or quotation mark, before an opening one, after 关于
_TITLE_BREAKS = re.compile(r"(?<=[》”])|(?=[《“])|(?<=^关于)|(?=落实情况)|(?=的通报$)")


def title_lines(text: str, capacity: float) -> list[str]:
    """``text`` in lines of at most ``capacity`` characters, broken only between words (after a
    closing 书名号 or quotation mark, before an opening one, after 关于, before 落实情况 and 的通报)
    and as even as those places allow; a stretch longer than a line is broken at the line's end."""
    cuts = sorted({m.start() for m in _TITLE_BREAKS.finditer(text)} - {0, len(text)})
    points = [0, *cuts, len(text)]
    # fewest lines first, then the shortest longest line: a small search over the break points
    best: tuple[int, float, list[int]] | None = None
    n = len(points)

    def walk(i: int, chosen: list[int]) -> None:
        nonlocal best
        if i == n - 1:
            widths = [text_width(text[a:b]) for a, b in zip(chosen, chosen[1:])]
            key = (len(widths), max(widths), chosen)
            if best is None or key[:2] < best[:2]:
                best = key
            return
        for j in range(i + 1, n):
            if text_width(text[points[i]:points[j]]) > capacity:
                break
            walk(j, [*chosen, points[j]])

    if n <= 16:
        walk(0, [0])
    if best is None:  # some stretch does not fit a line: break at the line's end
        lines, line = [], ""
        for ch in text:
            if text_width(line + ch) > capacity:
                lines.append(line)
                line = ""
            line += ch
        return [*lines, line] if line else lines
    chosen = best[2]
    return [text[a:b] for a, b in zip(chosen, chosen[1:])]


# where a table heading breaks when its column is too narrow for it on one line: between words
HEADER_BREAKS = {"超期未完成": "超期\n未完成", "按时完成": "按时\n完成", "逾期完成": "逾期\n完成", "进度滞后": "进度\n滞后",
                 "超期天数": "超期\n天数", "承担单位数": "承担\n单位数", "按时完成率": "按时\n完成率",
                 "超期最久的事项": "超期最久\n的事项", "未按期单位": "未按期\n单位"}


def header_lines(text: str, usable_mm: float, char_mm: float) -> list[str]:
    """A table heading as lines that fit ``usable_mm`` of a column (characters ``char_mm`` wide),
    broken between words."""
    if text_width(text) * char_mm <= usable_mm or text not in HEADER_BREAKS:
        return [text]
    return HEADER_BREAKS[text].split("\n")
