"""The tasks of a plan in the three shapes plans come in.

1. Numbered tasks in the body, each ending "(牵头单位:…,责任单位:…)".
2. The same, with an attachment 任务分解表 (序号 / 公开指标内容 / 任务分工 / 完成时限 / 备注) that
   gives each numbered task its duties and deadline.
3. A table only (工作任务 / 工作要求 / 牵头单位 / 责任单位 / 完成时限), in text or in a .docx.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from gwgk.drafting.source import PlanSource
from gwgk.drafting.units import looks_like_unit, split_names

PART = re.compile(r"^(?P<id>[一二三四五六七八九十]+)、(?P<title>.+)$")
SECTION = re.compile(r"^(?P<id>[((][一二三四五六七八九十]+[))])(?P<title>.+)$")
TASK = re.compile(r"^(?:(?P<id>\d{1,3})\s*[.、.．]|\((?P<pid>\d{1,3})\))\s*(?P<text>\S.*)$")
DATE_LINE = re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日$")
TITLE = re.compile(r"(工作要点|实施方案|工作方案|任务分解表|任务清单|重点任务|工作任务)")
ISSUER = re.compile(r"(办公室|人民政府|政府|委员会|领导小组|办公厅)$")
UNITS_NOTE = re.compile(r"[((]\s*(?:(?:牵头|责任|配合)(?:单位|部门)\s*[::]|[^()()]{2,80}?牵头[,,;;、]?[^()()]*[))][。.]?$)")
LEADS_AND_HELPS = re.compile(r"^(?P<lead>[^()()]+?)牵头[,,;;、]?(?P<rest>[^()()]*)$")
RESPONSIBLE_WORD = re.compile(r"(?:责任|配合|参与)(?:单位|部门)\s*[::]")

COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("id", ("序号", "编号")),
    ("duties", ("任务分工", "责任分工", "分工")),
    ("lead", ("牵头单位", "牵头部门", "主办单位", "主责单位")),
    ("responsible", ("责任单位", "责任部门", "配合单位", "配合部门", "参与单位", "协办单位", "协同单位")),
    ("deadline", ("完成时限", "完成时间", "完成期限", "时限要求", "时间要求", "时间节点", "完成节点", "进度安排", "时限", "时间")),
    ("remark", ("备注",)),
    ("requirement", ("工作要求", "具体要求", "工作措施", "主要措施", "具体措施", "工作目标")),
    ("content", ("公开指标内容", "指标内容", "工作任务", "重点任务", "任务内容", "工作内容", "主要任务", "具体任务",
                 "工作事项", "任务事项", "公开事项", "公开内容", "任务")),
)


@dataclass
class TaskDraft:
    """One task as found in the plan, before its units and rules are settled."""

    id: int
    part: str | None
    section: str | None
    text: str
    indicator: str | None = None
    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    duties: list[tuple[list[str], str | None]] = field(default_factory=list)
    deadline: str = ""
    remark: str | None = None
    title: str | None = None
    reviews: list[str] = field(default_factory=list)


@dataclass
class PlanDraft:
    """What a plan says about itself, its parts and sections, and its tasks."""

    title: str | None = None
    attachment: str | None = None
    issuer: str | None = None
    issued: dt.date | None = None
    addressees: str | None = None
    parts: list[tuple[str, str, list[tuple[str, str]]]] = field(default_factory=list)
    tasks: list[TaskDraft] = field(default_factory=list)


def fold(text: str) -> str:
    """Full-width digits, letters and punctuation as plain ones (for matching only)."""
    return unicodedata.normalize("NFKC", text)


def _meta(lines: list[str], plan: PlanDraft) -> None:
    for i, line in enumerate(lines):
        folded = fold(line)
        # 主送机关: near the top, a line of addressees ("各乡镇政府、街道办事处,市政府各部门:")
        if (plan.addressees is None and i < 12 and folded.rstrip().endswith(":") and folded.startswith("各")
                and len(line) <= 200):
            plan.addressees = line.rstrip().rstrip("::").strip()
        date = DATE_LINE.match(folded.replace(" ", ""))
        if date and plan.issued is None:
            try:
                plan.issued = dt.date(int(date["y"]), int(date["m"]), int(date["d"]))
            except ValueError:
                continue
            if i and ISSUER.search(lines[i - 1]) and len(lines[i - 1]) <= 40:
                plan.issuer = lines[i - 1]
        if folded.startswith("附件") and plan.attachment is None:
            plan.attachment = re.sub(r"^附件\s*\d*\s*[::]?", "", folded).strip() or None
        if (plan.title is None and TITLE.search(line) and len(line) <= 60 and not re.search(r"[,,。::;;]", line)
                and not re.search(r"关于印发|通知$|^附件", folded)):
            plan.title = line.strip("《》")


def _units_note(text: str) -> tuple[str, list[str], list[str]]:
    """The task text without its closing "(牵头单位:…)", and the lead and responsible names."""
    starts = list(UNITS_NOTE.finditer(text))
    if not starts:
        return text, [], []
    start = starts[-1].start()
    note = text[start + 1:].rstrip("。. ")
    if note.endswith((")", ")")):
        note = note[:-1]
    body = text[:start].rstrip()
    plain = LEADS_AND_HELPS.match(note)
    if plain and ":" not in note and ":" not in note:  # "(县政府办公室牵头,县直各部门配合)"
        rest = re.sub(r"(?:配合|负责|参与|落实|按职责分工负责)$", "", plain["rest"].strip(",,;; "))
        return body, split_names(plain["lead"]), split_names(rest) if rest else []
    parts = RESPONSIBLE_WORD.split(note, maxsplit=1)
    lead_text = re.sub(r"^\s*(?:牵头)(?:单位|部门)\s*[::]", "", parts[0]).strip(",,;; ")
    if not re.match(r"^\s*牵头", parts[0]) and len(parts) == 1:
        return body, [], split_names(re.sub(r"^.*?[::]", "", parts[0]))
    lead = split_names(lead_text) if lead_text else []
    responsible = split_names(parts[1]) if len(parts) > 1 else []
    return body, lead, responsible


def _body(lines: list[str], plan: PlanDraft) -> None:
    part = section = None
    current: TaskDraft | None = None
    sections: list[tuple[str, str]] = []
    for line in lines:
        folded = fold(line)
        if folded.startswith("附件") or DATE_LINE.match(folded.replace(" ", "")):
            current = None
            if plan.tasks:
                break
            continue
        if (m := PART.match(line)) and not UNITS_NOTE.search(line):
            part, section, current = m["id"], None, None
            sections = []
            plan.parts.append((part, m["title"].strip(), sections))
            continue
        if (m := SECTION.match(line)) and not UNITS_NOTE.search(line):
            section, current = m["id"], None
            sections.append((section, m["title"].strip()))
            continue
        if (m := SECTION.match(line)) and not any(t.section for t in plan.tasks):
            # "(一)…(牵头单位:…)": the plan numbers its tasks as sections
            current = TaskDraft(len(plan.tasks) + 1, part, None, m["title"].strip())
            plan.tasks.append(current)
            continue
        if m := TASK.match(folded):
            number = int(m["id"] or m["pid"])
            current = TaskDraft(number, part, section, line[len(line) - len(m["text"]):] if len(line) == len(folded) else m["text"])
            plan.tasks.append(current)
            continue
        if ISSUER.search(line) and len(line) <= 30:
            current = None  # the signature under the last task, not part of it
            continue
        if current is not None and not UNITS_NOTE.search(current.text):
            current.text += line  # a line broken inside a paragraph (Chinese text has no spaces)
    for task in plan.tasks:
        task.text, task.lead, task.responsible = _units_note(task.text)


def column_map(row: list[str]) -> dict[str, int]:
    """Which cell holds which column, for a header row (empty when the row is no header)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        name = re.sub(r"\s", "", fold(cell))
        for key, spellings in COLUMNS:
            if key not in found and any(s in name for s in spellings) and len(name) <= 12:
                found[key] = index
                break
    has_task = "content" in found or "requirement" in found
    return found if has_task and ({"deadline", "lead", "duties"} & found.keys()) else {}


def duties_of(cell: str) -> list[tuple[list[str], str | None]]:
    """The 任务分工 lines of a cell ("市政府办公室:总体规划 市直部门:…") as (units, duty)."""
    text = cell.strip()
    heads = [m for m in re.finditer(r"(?:^|(?<=[\s。;;]))(?P<units>[^\s:。;;]{2,80}?)[::]", text)
             if all(looks_like_unit(n) for n in split_names(m["units"])) and split_names(m["units"])]
    if not heads:
        names = split_names(text.rstrip("。"))
        if names and all(looks_like_unit(n) for n in names):
            return [(names, None)]
        return []
    out: list[tuple[list[str], str | None]] = []
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        duty = text[head.end():end].strip() or None
        out.append((split_names(head["units"]), duty))
    return out


def _cell(row: list[str], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    return row[index].strip() if index is not None and index < len(row) else ""


def _table(rows: list[list[str]], plan: PlanDraft, body_ids: set[int], columns: dict[str, int]) -> list[TaskDraft]:
    """The tasks of one table; ``columns`` is the header of the table before (a table cut in two)."""
    if rows and column_map(rows[0]):
        columns = {}
    out: list[TaskDraft] = []
    part = section = None
    for row in rows:
        if not columns:
            columns = column_map(row)
            continue
        if column_map(row) == columns:
            continue  # a header repeated on a new page
        filled = [c for c in row if c.strip()]
        if len(filled) == 1 and len(set(c.strip() for c in row if c.strip())) == 1:
            heading = filled[0].strip()
            if (m := PART.match(heading)) and not body_ids:
                part, section = m["id"], None
                plan.parts.append((part, m["title"], []))
            elif (m := SECTION.match(heading)) and not body_ids:
                if part is None:
                    part = "一"
                    plan.parts.append((part, plan.title or "工作任务", []))
                section = m["id"]
                plan.parts[-1][2].append((section, m["title"]))
            continue
        number = re.sub(r"\D", "", fold(_cell(row, columns, "id")))
        content = _cell(row, columns, "content")
        requirement = _cell(row, columns, "requirement")
        if not (content or requirement):
            continue
        task = TaskDraft(int(number) if number else len(out) + 1, part, section, requirement or content)
        if requirement and content:
            task.title = content[:20]
        task.indicator = content if content and not requirement else None
        task.lead = split_names(_cell(row, columns, "lead"))
        task.responsible = split_names(_cell(row, columns, "responsible"))
        together = LEADS_AND_HELPS.match(_cell(row, columns, "responsible"))
        if not task.lead and together:  # one column: "县政府办公室牵头,县直各部门配合"
            task.lead, task.responsible = split_names(together["lead"]), split_names(together["rest"])
        task.duties = duties_of(_cell(row, columns, "duties"))
        if columns.get("duties") is not None and _cell(row, columns, "duties") and not task.duties:
            task.reviews.append(f"任务分工“{_cell(row, columns, 'duties')[:40]}”未能分出单位,请核对 duties")
        task.deadline = _cell(row, columns, "deadline")
        task.remark = _cell(row, columns, "remark") or None
        out.append(task)
    return out


def read_tasks(source: PlanSource) -> PlanDraft:
    """Every task of the plan, from its body, its task table, or both (matched by number)."""
    plan = PlanDraft()
    _meta(source.lines, plan)
    _body(source.lines, plan)
    by_id = {t.id: t for t in plan.tasks}
    in_body = bool(by_id)
    columns: dict[str, int] = {}
    for rows in source.tables:
        header = next((column_map(r) for r in rows if column_map(r)), None)
        if rows and plan.attachment is None and TITLE.search("".join(rows[0])) and not column_map(rows[0]):
            plan.attachment = next(c for c in rows[0] if c.strip()).strip()
        found = _table(rows, plan, set(by_id), columns)
        columns = header or columns
        for row_task in found:
            task = by_id.get(row_task.id)
            if task is None:
                if in_body:
                    row_task.reviews.append("这一项只见于附件表格,正文中没有同序号的任务,请核对")
                plan.tasks.append(row_task)
                by_id[row_task.id] = row_task
                continue
            if row_task.indicator and row_task.indicator != task.text:
                task.indicator = row_task.indicator
            task.lead = task.lead or row_task.lead
            task.responsible = task.responsible or row_task.responsible
            task.duties, task.deadline, task.remark = row_task.duties, row_task.deadline, row_task.remark
            task.reviews.extend(row_task.reviews)
    _numbered_once(plan.tasks)
    return plan


def _numbered_once(tasks: list[TaskDraft]) -> None:
    """Number the tasks 1, 2, 3… where the plan restarts its numbering (each part from 1)."""
    if len({t.id for t in tasks}) == len(tasks):
        return
    for number, task in enumerate(tasks, 1):
        if task.id != number:
            task.reviews.append(f"计划分部分编号,这是原文第 {task.id} 项,已改为连续编号第 {number} 项")
            task.id = number
