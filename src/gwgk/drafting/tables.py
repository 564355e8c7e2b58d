"""Task tables, from Word, from a web page or pasted as text: the header's columns (any of the usual
names), each row's cells placed in them by what they hold (a number, a heading, units, a deadline,
text) so that rows missing merged cells or holding more cells than the header still read right,
and tables pasted one cell per line cut back into rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gwgk.drafting.cells import _alignment_cost, _cost, align, cell_kind, number_of
from gwgk.drafting.deadlines import read_deadline
from gwgk.drafting.found import DATE_LINE, ISSUER, MAX_TASKS, PART, SECTION, TASK, PlanDraft, TaskDraft
from gwgk.drafting.notes import STANDING, read_units
from gwgk.drafting.text import fold
from gwgk.drafting.units import is_placeholder, looks_like_unit, split_names

COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("id", ("序号", "编号")),
    ("duties", ("任务分工", "责任分工", "分工")),
    ("lead", ("牵头单位", "牵头部门", "牵头科室", "主办单位", "主责单位")),
    ("responsible", ("责任单位", "责任部门", "责任科室", "责任股室", "参与单位", "协办单位", "协同单位", "落实单位", "实施单位",
                     "责任主体", "实施主体", "承办单位", "主责部门")),
    ("helpers", ("配合单位", "配合部门", "配合科室", "协助单位", "协办部门")),
    ("deadline", ("完成时限", "完成时间", "完成期限", "时限要求", "时间要求", "时间节点", "完成节点", "进度安排", "时限", "时间")),
    ("remark", ("备注",)),
    ("requirement", ("工作要求", "具体要求", "具体工作要求", "工作措施", "主要措施", "具体措施", "工作目标", "主要内容", "具体内容",
                     "公开要求", "公开标准", "工作标准")),
    ("content", ("公开指标内容", "指标内容", "工作任务", "重点任务", "任务内容", "工作内容", "主要任务", "具体任务",
                 "工作事项", "任务事项", "公开事项", "公开内容", "目标任务", "任务名称", "重点工作", "工作重点", "主要工作",
                 "具体事项", "任务")),
)
KIND_OF_COLUMN = {"id": "number", "content": "text", "requirement": "text", "lead": "unit", "responsible": "unit", "helpers": "unit",
                  "duties": "duties", "deadline": "deadline", "remark": "remark"}
COLUMN_WORDS = {"lead": "牵头单位", "responsible": "责任单位", "helpers": "配合单位", "deadline": "完成时限", "duties": "任务分工"}


def column_map(row: list[str]) -> dict[str, int]:
    """Which cell holds which column, for a header row (empty when the row is no header)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        name = re.sub(r"\s", "", fold(cell))
        if len(name) > 12:
            continue
        if re.fullmatch(r"[一二三四五]级(?:指标|任务|目录)", name):
            found["content"] = index  # "一级指标 | 二级指标 | 三级指标": the deepest level is the task
            continue
        for key, spellings in COLUMNS:
            if key not in found and any(s in name for s in spellings):
                found[key] = index
                break
    has_task = "content" in found or "requirement" in found
    others = {"deadline", "lead", "duties", "responsible", "helpers", "id", "remark"} & found.keys()
    return found if has_task and others else {}


def duties_of(cell: str) -> list[tuple[list[str], str | None]]:
    """The 任务分工 lines of a cell ("市政府办公室:总体规划 市直部门:…") as (units, duty)."""
    text = cell.strip()
    folded = fold(text)
    heads = [m for m in re.finditer(r"(?:^|(?<=[\s。;]))(?P<units>[^\s:。;]{2,80}?):", folded)
             if split_names(text[m.start("units"):m.end("units")])
             and all(looks_like_unit(n) for n in split_names(text[m.start("units"):m.end("units")]))]
    if not heads:
        names = split_names(text.rstrip("。"))
        if names and all(looks_like_unit(n) for n in names):
            return [(names, None)]
        return []
    out: list[tuple[list[str], str | None]] = []
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        duty = text[head.end():end].strip() or None
        out.append((split_names(text[head.start("units"):head.end("units")]), duty))
    return out


@dataclass
class _Table:
    """The reading state of a task table: its header and what the rows above it said."""

    header: list[str | None]  # column key per position
    part: str | None = None
    section: str | None = None
    previous: dict[str, str] = field(default_factory=dict)
    standing: list[str] = field(default_factory=list)


def _header(row: list[str]) -> list[str | None] | None:
    columns = column_map(row)
    if not columns:
        return None
    keys: list[str | None] = [None] * len(row)
    for key, index in columns.items():
        keys[index] = key
    while keys and keys[-1] is None and not row[len(keys) - 1].strip():
        keys.pop()
    return keys


def _heading(cell: str, table: _Table, plan: PlanDraft, body: bool) -> bool:
    folded = fold(cell).strip()
    if (m := PART.match(folded)) and not TASK.match(folded):
        if not body:
            table.part, table.section = m["id"], None
            plan.parts.append((m["id"], cell.strip()[m.start("title"):].strip().rstrip("。."), []))
        return True
    if m := SECTION.match(folded):
        if not body:
            if table.part is None:
                table.part = "一"
                plan.parts.append(("一", plan.title or "工作任务", []))
            table.section = m["id"]
            plan.parts[-1][2].append((m["id"], cell.strip()[m.start("title"):].strip().rstrip("。.")))
        return True
    return False


def _row(row: list[str], table: _Table, plan: PlanDraft, body: bool, count: int) -> TaskDraft | None:
    """The task of one data row (None for a heading, a repeated header or an empty row)."""
    cells = [c.strip() for c in row]
    filled = [c for c in cells if c]
    if not filled or _header(cells) is not None:
        return None
    if len(set(filled)) == 1 and len(cells) > 1 and cell_kind(filled[0]) not in ("text", "dated") or len(filled) == 1:
        _heading(filled[0], table, plan, body)  # a heading row (merged across the table), or a stray line
        return None
    kinds = [cell_kind(c) for c in cells]
    columns = [KIND_OF_COLUMN.get(k or "", "remark") for k in table.header]
    trimmed = len(cells)
    while trimmed and not cells[trimmed - 1]:
        trimmed -= 1
    aligned = align(kinds, columns)
    positional = "part" not in kinds and "section" not in kinds and trimmed <= len(table.header) <= len(cells) and (
        sum(_cost(k, c) for k, c in zip(kinds, columns)) <= _alignment_cost(kinds, columns, aligned) + 0.5)
    placed = list(range(len(cells))) if positional else aligned
    values: dict[str, str] = {}
    number: int | None = None
    headings: list[str] = []
    for cell, kind, index in zip(cells, kinds, placed):
        if kind in ("part", "section") and (index is None or table.header[index] in ("content", "requirement", None)):
            _heading(cell, table, plan, body)
            headings.append(cell)
            continue
        if kind == "number" and number is None:
            number = number_of(cell)
            continue
        key = table.header[index] if index is not None and index < len(table.header) else None
        if key is not None and key != "id":
            values[key] = cell  # an empty cell is a cell the plan left empty, not a merged one
    text = values.get("requirement") or values.get("content")
    if not text and headings and any(values.get(k) for k in ("lead", "responsible", "helpers", "deadline", "duties")):
        # "(一)做好财政公开。" with its units and deadline beside it: the task numbered as a section
        m = SECTION.match(fold(headings[-1])) or PART.match(fold(headings[-1]))
        text = headings[-1][m.start("title"):].strip() if m else headings[-1]
        values["content"] = text
    if not text:
        return None
    if (standing := STANDING.search(fold(text))) is not None:  # "(以下均需各县市区落实,不再逐一列出)"
        table.standing = split_names(text[standing.start("names"):standing.end("names")])
    if number is None:  # "1.积极推进…": the number written in the text cell
        m = TASK.match(fold(text))
        if m and (m["id"] or m["pid"]):
            number = int(m["id"] or m["pid"])
            text = text[m.start("text"):]
    reviews: list[str] = []
    for key in ("content", "lead", "responsible", "helpers", "deadline", "duties"):
        if key in table.header and key not in values and table.previous.get(key) and not positional:
            values[key] = table.previous[key]  # a cell merged over several rows, lost in pasting
            if key != "content":
                reviews.append(f"这一行缺少“{COLUMN_WORDS[key]}”一栏（合并单元格），已按上一行取“{values[key][:40]}”，请核对")
    table.previous.update({k: v for k, v in values.items() if k in ("content", "lead", "responsible", "helpers", "deadline", "duties")})
    values = {k: v for k, v in values.items() if v}
    task = TaskDraft(number if number is not None else count + 1, table.part, table.section, text, style="row",
                     numbered=number is not None)
    task.reviews.extend(reviews)
    if values.get("requirement") and values.get("content"):
        task.title = values["content"]
        task.indicator = None
    elif values.get("content") and not values.get("requirement"):
        task.indicator = values["content"]
    _row_units(task, values)
    task.responsible.extend(n for n in table.standing if n not in task.responsible and n not in task.lead)
    task.deadline = values.get("deadline", "")
    task.remark = values.get("remark") or None
    if not task.deadline and task.remark and read_deadline(task.remark, 2000).rules:
        task.deadline = task.remark  # "完成时限" left empty, the deadline written in 备注
        task.reviews.append(f"完成时限一栏为空，按备注“{task.remark[:40]}”读取，请核对")
    return task


def _row_units(task: TaskDraft, values: dict[str, str]) -> None:
    notes = [values[k] for k in ("lead", "responsible", "helpers") if values.get(k)]
    task.note = " / ".join(notes)
    lead_cell, responsible_cell = values.get("lead", ""), values.get("responsible", "")
    if lead_cell:
        read = read_units(lead_cell)
        task.lead = read.lead + read.responsible  # the 牵头单位 column names leads, whatever words follow
        if is_placeholder(lead_cell):
            task.reviews.append(f"牵头单位一栏写的是“{lead_cell}”，没有点名单位，请补上")
        elif not task.lead:
            task.reviews.append(f"牵头单位一栏“{lead_cell[:40]}”未能分出单位，请核对 lead")
    if responsible_cell:
        read = read_units(responsible_cell)
        if read.lead:  # one column: "县政府办公室牵头,县直各部门配合"
            task.lead = list(dict.fromkeys(task.lead + read.lead))
        bare = [r for r in read.reviews if "没有说牵头还是责任" in r]
        task.responsible = [n for n in read.responsible if n not in task.lead]
        task.reviews.extend(r for r in read.reviews if r not in bare)
        if is_placeholder(responsible_cell):
            task.reviews.append(f"责任单位一栏写的是“{responsible_cell}”，没有点名单位，请补上")
        elif not (read.lead or read.responsible):
            task.reviews.append(f"责任单位一栏“{responsible_cell[:40]}”未能分出单位，请核对 responsible")
    if values.get("helpers"):
        read = read_units(values["helpers"])
        task.responsible.extend(n for n in read.lead + read.responsible if n not in task.responsible and n not in task.lead)
        if not (read.lead or read.responsible):
            task.reviews.append(f"配合单位一栏“{values['helpers'][:40]}”未能分出单位，请核对 responsible")
    if values.get("duties"):
        task.duties = duties_of(values["duties"])
        if not task.duties:
            task.reviews.append(f"任务分工“{values['duties'][:40]}”未能分出单位，请核对 duties")


def _table(rows: list[list[str]], plan: PlanDraft, body: bool, header: list[str | None] | None) -> tuple[list[TaskDraft], list[str | None] | None]:
    """The tasks of one table; ``header`` is that of the table before (a table cut in two)."""
    out: list[TaskDraft] = []
    table = _Table(header or [])
    just_header = False
    for row in rows:
        found = _header(row)
        if found is not None:
            table.header, just_header = found, True
            continue
        if not table.header:
            continue
        if just_header and (sub := _sub_header(row, table.header)) is not None:
            table.header = sub  # "责任单位" over "牵头单位 | 配合单位": a header of two rows, pasted
            continue
        just_header = False
        task = _row(row, table, plan, body, len(out))
        if task is not None:
            out.append(task)
            if len(out) > MAX_TASKS:
                break
    return out, table.header or None


def _sub_header(row: list[str], header: list[str | None]) -> list[str | None] | None:
    """The header with one of its columns split by the row under it ("责任单位" over "牵头单位 |
    配合单位"), when that row holds only column names; None when it is no such row."""
    names = [c for c in row if c.strip()]
    if len(names) < 2 or not all(_is_column_name(c) for c in names):
        return None
    keys = [k for k, _ in (next(((k, s) for k, spellings in COLUMNS for s in spellings if s in re.sub(r"\s", "", fold(c))),
                                 (None, "")) for c in names)]
    if any(k is None for k in keys):
        return None
    parent = next((i for i, k in enumerate(header) if k in ("responsible", "lead", "duties", "helpers")), None)
    if parent is None or any(k in header and header.index(k) != parent for k in keys):
        return None
    return [*header[:parent], *keys, *header[parent + 1:]]


def header_start(cells: list[str]) -> int | None:
    """Where the header of a table pasted one cell per line begins (the cells before it are the
    lines above the table: its title)."""
    return next((i for i in range(min(len(cells), 200)) if _is_column_name(cells[i]) and column_map(cells[i:i + 12])), None)


def stream_rows(cells: list[str]) -> list[list[str]]:
    """A table pasted one cell per line, cut back into rows: the header (the first cells naming
    columns), then a row ending at each cell of the last column's kind, and before each number."""
    start = header_start(cells)
    if start is None:
        return []
    width = 0
    while start + width < len(cells) and width < 12 and column_map([cells[start + width]]) == {} and _is_column_name(cells[start + width]):
        width += 1
    header = cells[start:start + width]
    keys = _header(header) or []
    last = KIND_OF_COLUMN.get(keys[-1] or "", "text") if keys else "text"
    rows: list[list[str]] = [header]
    current: list[str] = []
    texts = 0  # text cells in the current row
    for cell in cells[start + width:]:
        if len(rows) > 3 * MAX_TASKS:
            break
        kind = cell_kind(cell)
        if kind == "number" and texts:
            rows.append(current)
            current, texts = [], 0
        current.append(cell)
        texts += kind in ("text", "dated")
        if (kind == last or (last == "duties" and kind == "unit")) and texts:
            rows.append(current)
            current, texts = [], 0
    if current:
        rows.append(current)
    return rows


def _line_tables(lines: list[str]) -> list[list[str]]:
    """Runs of lines that are a table's cells, one per line: three or more column names in a row
    (“目标任务 / 主要内容 / 责任单位”), then cells up to the signature or the end."""
    out: list[list[str]] = []
    i = 0
    while i < len(lines):
        run = 0
        while i + run < len(lines) and run < 12 and _is_column_name(lines[i + run]):
            run += 1
        if run >= 3 and column_map(lines[i:i + run]):
            end = i + run
            while end < len(lines) and not DATE_LINE.match(fold(lines[end]).replace(" ", "")) \
                    and not fold(lines[end]).startswith("附件"):
                end += 1
            if end < len(lines) and end > i + run and ISSUER.search(lines[end - 1].strip()) and len(lines[end - 1]) <= 30:
                end -= 1  # the signature above the date
            out.append(lines[i:end])
            i = end
            continue
        i += 1
    return out


def _is_column_name(cell: str) -> bool:
    name = re.sub(r"\s", "", fold(cell))
    return 0 < len(name) <= 12 and any(s in name for _, spellings in COLUMNS for s in spellings)
