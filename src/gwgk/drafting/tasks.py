"""The tasks of a plan in the shapes plans come in.

1. Numbered tasks in the body (``1.`` ``1、`` ``(1)`` ``①``, or ``(一)`` paragraphs), each with a unit
   note in one of its forms: ``(牵头单位:…,责任单位:…)``, ``(责任单位:…)``, ``(X牵头,Y配合)``,
   ``(责任时限:…,牵头单位:…)``, or a closing clause ``X牵头,Y落实;各镇(街)参照落实``.
2. The same, with an attachment 任务分解表 that gives each numbered task its duties and deadline.
3. A table only, with any of the usual headers, as a real table (.docx, .html) or pasted as text:
   cells joined by ``|`` or tabs, or one cell per line; merged cells missing, rows with more or
   fewer cells than the header, the header repeated after a page break.

Every pattern is matched on the folded text (``text.fold``), so full- and half-width punctuation
read alike; every quoted text is cut from the plan's own words.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from gwgk.drafting.found import (
    DATE_LINE,
    ISSUER,
    MAX_TASKS,
    PART,
    SECTION,
    TASK,
    TITLE,
    PlanDraft,
    TaskDraft,
)
from gwgk.drafting.notes import STANDING, end_note, has_note, take_note
from gwgk.drafting.source import PlanSource
from gwgk.drafting.tables import _header, _line_tables, _table, column_map, duties_of, header_start, stream_rows
from gwgk.drafting.text import CIRCLED, fold
from gwgk.drafting.units import split_names

__all__ = ["PlanDraft", "TaskDraft", "column_map", "duties_of", "read_tasks"]


# ----------------------------------------------------------------------------------- the body

def _meta(lines: list[str], plan: PlanDraft) -> None:
    for i, line in enumerate(lines[:400]):
        folded = fold(line)
        # 主送机关: near the top, a line of addressees ("各乡镇政府、街道办事处,市政府各部门:")
        if (plan.addressees is None and i < 12 and folded.rstrip().endswith(":") and folded.startswith("各")
                and len(line) <= 200):
            plan.addressees = line.rstrip().rstrip(":：").strip()
        date = DATE_LINE.match(folded.replace(" ", "")) if len(line) <= 30 else None
        if date and plan.issued is None:
            try:
                plan.issued = dt.date(int(date["y"]), int(date["m"]), int(date["d"]))
            except ValueError:
                continue
            if i and ISSUER.search(lines[i - 1].strip()) and len(lines[i - 1]) <= 40:
                plan.issuer = lines[i - 1].strip()
        if folded.startswith("附件") and plan.attachment is None and len(line) <= 80:
            plan.attachment = re.sub(r"^附件\s{0,3}\d{0,2}\s{0,3}[:]?", "", folded).strip() or None
            if plan.attachment:
                plan.attachment = line[len(line) - len(plan.attachment):]
        if (plan.title is None and TITLE.search(line) and len(line) <= 60 and not re.search(r"[,。:;]", folded)
                and not re.search(r"关于印发|通知$|^附件", folded)):
            plan.title = line.strip().strip("《》")


def _start(line: str, folded: str, part: str | None, section: str | None) -> TaskDraft | None:
    m = TASK.match(folded)
    if m is None:
        return None
    if m["cid"]:
        number, style = CIRCLED.index(m["cid"]) + 1, "circled"
    elif m["pid"]:
        number, style = int(m["pid"]), "paren"
    else:
        number, style = int(m["id"]), "dot"
    return TaskDraft(number, part, section, line[m.start("text"):], style=style)


_PAGE_NUMBER = re.compile(r"^[\s\-—–_·]{0,6}(?:第\s{0,2})?\d{1,3}(?:\s{0,2}页)?[\s\-—–_·]{0,6}$|^[\s\-—–]{0,6}\d{1,3}\s{0,2}/\s{0,2}\d{1,3}[\s\-—–]{0,6}$")
Paragraph = list[Any]  # [section id, part id or None, heading, text]: a "(一)" paragraph of the body


def _body(lines: list[str], plan: PlanDraft) -> list[Paragraph]:
    """The numbered tasks of the body; returns its "(一)标题。正文" paragraphs, which are the tasks
    of a plan that numbers none."""
    part = section = None
    current: TaskDraft | None = None
    closed = False  # the current task's last line ended with its unit note
    sections: list[tuple[str, str]] = []
    standing: list[str] = []
    paragraphs: list[Paragraph] = []  # (一) paragraphs, for plans numbering no tasks
    paragraph: Paragraph | None = None  # the one whose text the next plain lines are
    inherited = ""  # the unit note of the section the next tasks are in
    for line in lines:
        folded = fold(line)
        if _PAGE_NUMBER.match(folded):
            continue  # "— 3 —": a page number of a text copied from a PDF, inside a task
        if paragraph is not None and (PART.match(folded) or SECTION.match(folded) or TASK.match(folded)
                                      or DATE_LINE.match(folded.replace(" ", "")) or folded.startswith("附件")):
            paragraph = None
        if folded.startswith("附件") or DATE_LINE.match(folded.replace(" ", "")):
            current = None
            if plan.tasks:
                break
            continue
        if (found := STANDING.search(folded)) and len(line) <= 80 and not TASK.match(folded):
            standing = split_names(line[found.start("names"):found.end("names")])
            current = None
            continue
        if (m := PART.match(folded)) and not has_note(folded, line) and len(line) <= 80:
            part, section, current, inherited = m["id"], None, None, ""
            sections = []
            plan.parts.append((part, line[m.start("title"):].strip(), sections))
            continue
        if (m := SECTION.match(folded)) and not has_note(folded, line):
            title = line[m.start("title"):].strip()
            head = re.split(r"[。;:]", fold(title), maxsplit=1)
            if len(head) > 1 and len(head[1].strip()) > 10:  # "(一)推进公开。围绕…": a heading and its text
                paragraphs.append([m["id"], part, title[: len(head[0])], title])
                title = title[: len(head[0])]
            elif len(title) <= 40:  # "(一)推进公开", its text in the lines below
                paragraph = [m["id"], part, title, ""]
                paragraphs.append(paragraph)
            section, current, inherited = m["id"], None, ""
            sections.append((section, title))
            continue
        if m := SECTION.match(folded):
            # "(一)…(牵头单位:…)": the plan numbers its tasks as sections (or, if "1." tasks follow,
            # this is their section, its note theirs)
            current = TaskDraft(len(plan.tasks) + 1, part, m["id"], line[m.start("title"):].strip(), style="section",
                                heading=m["id"])
            note = end_note(folded) or end_note(folded, bare=True)
            sections.append((m["id"], line[m.start("title"):note.start() if note else len(line)].strip().rstrip("。.")))
            current.responsible.extend(standing)
            plan.tasks.append(current)
            closed, inherited = True, ""
            continue
        task = _start(line, folded, part, section)
        if task is not None and current is not None and current.style == "dot" and task.style in ("paren", "circled") and not closed:
            current.text += line  # "(1)…" under "1.…": a sub-item of the task, not a task
            closed = end_note(folded) is not None
            continue
        if task is not None and current is not None and current.style == "section" and current is plan.tasks[-1]:
            # "(一)做好发布。(牵头单位:…)" then "1.…": a section heading whose note is for its tasks
            plan.tasks.pop()
            section, inherited = current.heading, current.text
            task.section = section  # its heading was put among the sections when it was read
        if task is not None:
            if len(plan.tasks) > MAX_TASKS:
                break  # no plan has that many: drafting stops, and the caller refuses
            current = task
            task.inherited = inherited
            closed = end_note(folded) is not None
            task.responsible.extend(standing)
            plan.tasks.append(task)
            continue
        if ISSUER.search(line.strip()) and len(line) <= 30 and ":" not in folded:
            current = None  # the signature under the last task, not part of it
            continue
        if current is not None and not closed:
            current.text += line  # a line broken inside a paragraph (Chinese text has no spaces)
            closed = end_note(folded) is not None
        elif paragraph is not None:
            paragraph[3] += line
    _settle_units(plan.tasks)
    return paragraphs


def _settle_units(tasks: list[TaskDraft]) -> None:
    """Each task's units from its note, plus those a standing clause ("以下均需…落实") names."""
    standing: list[str] = []
    for task in tasks:
        carried = list(dict.fromkeys(task.responsible + standing))
        read = take_note(task)
        if read.standing:  # "(…;以下均需各县市区落实,不再逐一列出)": this task and every later one
            standing = read.standing
            carried = list(dict.fromkeys(carried + standing))
        if not (read.lead or read.responsible) and task.inherited:
            heading = TaskDraft(0, None, None, task.inherited)
            read = take_note(heading)
            read.reviews.append(f"这一项没有单位注明，单位取自所在小节的“{heading.note[:40]}”，请核对")
        task.lead = read.lead
        task.responsible = read.responsible + [n for n in carried if n not in read.lead and n not in read.responsible]
        task.reviews.extend(read.reviews)
        if read.deadline:
            task.deadline = read.deadline
        if carried and not (read.lead or read.responsible):
            task.reviews.append("单位取自前文“以下均需" + "、".join(carried) + "落实”，请核对")


def _paragraph_tasks(paragraphs: list[Paragraph], plan: PlanDraft) -> None:
    """A plan that numbers no task: each "(一)标题。正文" paragraph is one, as is a "(一)标题" line
    with the paragraphs under it."""
    for section, part, title, text in (p for p in paragraphs if p[3].strip()):
        number = len(plan.tasks) + 1
        task = TaskDraft(number, part, section, text.strip(), title=title.rstrip("。.;; "), style="paragraph")
        task.reviews.append("计划没有给任务编号，按“" + section + "”段落起草为一项任务，请核对")
        plan.tasks.append(task)
    _settle_units(plan.tasks)


# ----------------------------------------------------------------------------------- tables


# ----------------------------------------------------------------------------------- together

def read_tasks(source: PlanSource) -> PlanDraft:
    """Every task of the plan, from its body, its task table, or both (matched by number)."""
    plan = PlanDraft()
    above = [c for cells in source.streams for c in cells[:header_start(cells) or 0]]  # a title pasted with its table
    _meta(above + source.lines, plan)
    paragraphs = _body(source.lines, plan)
    _numbered_once(plan.tasks)  # a body numbering each part from 1: matched to the table in order
    by_id = {t.id: t for t in plan.tasks}
    in_body = bool(by_id)
    header: list[str | None] | None = None
    tables = list(source.tables) + [stream_rows(cells) for cells in source.streams]
    for rows in tables:
        if rows and plan.attachment is None and TITLE.search("".join(rows[0])) and _header(rows[0]) is None:
            plan.attachment = next(c for c in rows[0] if c.strip()).strip()
        found, header = _table(rows, plan, in_body, header)
        for row_task in found:
            if not row_task.numbered and not in_body:
                row_task.id = len(plan.tasks) + 1
            task = by_id.get(row_task.id)
            if task is None:
                if in_body:
                    row_task.reviews.append("这一项只见于附件表格，正文中没有同序号的任务，请核对")
                plan.tasks.append(row_task)
                by_id[row_task.id] = row_task
                continue
            if row_task.indicator and fold(row_task.indicator) != fold(task.text):
                task.indicator = row_task.indicator
            task.lead = task.lead or row_task.lead
            task.responsible = task.responsible or row_task.responsible
            task.duties, task.remark = row_task.duties, row_task.remark
            task.deadline = row_task.deadline or task.deadline
            task.reviews.extend(row_task.reviews)
    if not plan.tasks:
        for cells in _line_tables(source.lines):  # a table pasted one cell per line, without any "|"
            found, header = _table(stream_rows(cells), plan, False, None)
            for row_task in found:
                row_task.id = len(plan.tasks) + 1 if not row_task.numbered else row_task.id
                plan.tasks.append(row_task)
    if not plan.tasks:
        _paragraph_tasks(paragraphs, plan)
    _numbered_once(plan.tasks)
    return plan


def _numbered_once(tasks: list[TaskDraft]) -> None:
    """Number the tasks 1, 2, 3… where the plan restarts its numbering (each part from 1)."""
    if len({t.id for t in tasks}) == len(tasks):
        return
    for number, task in enumerate(tasks, 1):
        if task.id != number:
            task.reviews.append(f"计划分部分编号，这是原文第 {task.id} 项，已改为连续编号第 {number} 项")
            task.id = number
