"""What a table cell holds (a number, a heading, units, a deadline, text) and where a row's cells
go: the cheapest monotone alignment of cell kinds to the header's column kinds, so that a row
missing a merged cell, or holding more cells than the header, still reads right."""

from __future__ import annotations

import functools
import re

from gwgk.drafting.deadlines import read_deadline
from gwgk.drafting.found import PART, SECTION, TASK
from gwgk.drafting.notes import read_units
from gwgk.drafting.text import CIRCLED, fold

NUMBER_CELL = re.compile(rf"^(?:\d{{1,3}}[.、]?|\(\d{{1,3}}\)|[{CIRCLED}]|[一二三四五六七八九十]{{1,3}}|\d{{1,3}}[.\-]\d{{1,3}}[.、]?)$")
_DEADLINE_WORDS = re.compile(r"底前|月底|年底|年内|日前|月前|前完成|长期|持续|常态|每[月季年半周]|不定期|及时|适时|随时|动态|同步|"
                             r"工作日内|日内|天内|上半年|下半年|季度|全年|年中|按要求|按规定|另行通知")


_ACTION = re.compile(r"公开|发布|做好|开展|推进|建立|健全|规范|加强|完善|落实|编制|制定")


@functools.lru_cache(maxsize=4096)
def cell_kind(cell: str) -> str:
    """What a cell holds: empty, number, part, section, unit, deadline or text."""
    folded = fold(cell).strip()
    if not folded:
        return "empty"
    if NUMBER_CELL.match(folded):
        return "number"
    if len(folded) <= 60 and PART.match(folded) and not TASK.match(folded):
        return "part"
    if len(folded) <= 60 and SECTION.match(folded):
        return "section"
    if len(folded) <= 300 and (read_units(cell).lead or read_units(cell).responsible) and not re.search(r"[。]", folded[:-1]):
        return "unit"
    sentence = ((folded.endswith("。") and len(folded) > 8) or (len(folded) > 25 and not re.search(r"\d", folded))
                or (len(folded) > 10 and _ACTION.search(folded) is not None))
    if len(folded) <= 60 and not sentence and (_DEADLINE_WORDS.search(folded) or read_deadline(cell, 2000).rules):
        return "deadline"
    if len(folded) <= 300 and (_DEADLINE_WORDS.search(folded) or read_deadline(cell, 2000).rules):
        return "dated"  # text with deadline words: a task's text, or a 完成时限 cell written as a sentence
    return "text"


def number_of(cell: str) -> int | None:
    """The task number a 序号 cell holds ("3", "(3)", "③", "三"); None for "1.2" or "1-2", which
    number sub-items: those rows are numbered in order instead."""
    folded = fold(cell).strip().strip(".、()")
    if folded.isdigit():
        return int(folded)
    if folded in CIRCLED:
        return CIRCLED.index(folded) + 1
    if re.fullmatch(r"[一二三四五六七八九十]{1,3}", folded):
        from gwgk.drafting.deadlines import NotANumber, number

        try:
            return number(folded)
        except NotANumber:
            return None
    return None


_COST = {
    ("number", "number"): 0, ("text", "text"): 0, ("unit", "unit"): 0, ("deadline", "deadline"): 0,
    ("dated", "text"): 0, ("dated", "deadline"): 1, ("dated", "duties"): 0.5,
    ("unit", "duties"): 0, ("text", "duties"): 0.5, ("part", "text"): 0.5, ("section", "text"): 0.5,
    ("unit", "text"): 2.5, ("deadline", "text"): 2.5, ("number", "text"): 3,
    ("text", "unit"): 4, ("text", "deadline"): 4, ("unit", "deadline"): 4, ("deadline", "unit"): 4,
}


def _cost(kind: str, column: str) -> float:
    if kind == "empty":
        return 0.2
    if column == "remark":
        return 1
    return _COST.get((kind, column), 6)


def align(kinds: list[str], columns: list[str]) -> list[int | None]:
    """Each cell's column (None: dropped), the cheapest monotone alignment of cell kinds to column
    kinds: a missing cell is a merged one (skipped), an extra one is dropped."""
    n, m = len(kinds), len(columns)
    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    step: list[list[tuple[int, int, int | None]]] = [[(0, 0, None)] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0
    for i in range(n + 1):
        for j in range(m + 1):
            here = best[i][j]
            if here == inf:
                continue
            if j < m and here + 1.5 + 0.01 * j < best[i][j + 1]:  # a column missing: earlier ones are merged first
                best[i][j + 1], step[i][j + 1] = here + 1.5 + 0.01 * j, (i, j, None)
            if i < n:
                drop = 0.1 if kinds[i] == "empty" else 0.3 if kinds[i] in ("part", "section") else 3
                if here + drop < best[i + 1][j]:
                    best[i + 1][j], step[i + 1][j] = here + drop, (i, j, None)
                if j < m and here + _cost(kinds[i], columns[j]) < best[i + 1][j + 1]:
                    best[i + 1][j + 1], step[i + 1][j + 1] = here + _cost(kinds[i], columns[j]), (i, j, j)
    out: list[int | None] = [None] * n
    i, j = n, m
    while i or j:
        pi, pj, col = step[i][j]
        if pi < i and col is not None:
            out[pi] = col
        i, j = pi, pj
    return out


def _alignment_cost(kinds: list[str], columns: list[str], placed: list[int | None]) -> float:
    """What ``align`` paid for ``placed``: each cell's cost where it went, each dropped cell's and
    each skipped column's (as ``align`` counts them)."""
    used = {index for index in placed if index is not None}
    cost = sum(_cost(k, columns[i]) if i is not None else 0.1 if k == "empty" else 0.3 if k in ("part", "section") else 3
               for k, i in zip(kinds, placed))
    return cost + sum(1.5 + 0.01 * j for j in range(len(columns)) if j not in used and j < max(used, default=-1))
