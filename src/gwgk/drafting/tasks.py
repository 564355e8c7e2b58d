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
import functools
import re
from dataclasses import dataclass, field

from gwgk.drafting.deadlines import read_deadline
from gwgk.drafting.source import PlanSource
from gwgk.drafting.text import CIRCLED, fold
from gwgk.drafting.units import is_placeholder, looks_like_unit, split_names

CN = "一二三四五六七八九十"
PART = re.compile(rf"^(?P<id>[{CN}]{{1,3}})\s{{0,2}}[、.](?P<title>.+)$")
SECTION = re.compile(rf"^(?P<id>\([{CN}]{{1,3}}\))\s{{0,2}}(?P<title>.+)$")
TASK = re.compile(rf"^(?:(?P<id>\d{{1,3}})\s{{0,2}}[.、]|\((?P<pid>\d{{1,3}})\)|(?P<cid>[{CIRCLED}]))\s{{0,2}}(?P<text>\S.*)$")
DATE_LINE = re.compile(r"^(?P<y>\d{4})\s{0,3}年\s{0,3}(?P<m>\d{1,2})\s{0,3}月\s{0,3}(?P<d>\d{1,2})\s{0,3}日$")
TITLE = re.compile(r"(工作要点|实施方案|工作方案|任务分解表|任务分解|任务清单|责任清单|重点任务|工作任务|分工方案)")
ISSUER = re.compile(r"(办公室|人民政府|政府|委员会|领导小组|办公厅|局)$")
# A unit note at the end of a paragraph: "(…)" holding a role word or a "单位:" key.
_NOTE_WORDS = re.compile(r"牵头|配合|负责|落实|单位|部门|科室|时限")
_INNER_WORDS = re.compile(r"牵头|责任|配合")
_CLOSING_WORDS = re.compile(r"牵头|配合|参照落实|负责落实")
_BRACKETS = re.compile(r"[()]")
_MAX_NOTE = 400  # characters: the longest unit note of a real plan is some 150


@dataclass(frozen=True)
class Note:
    """Where a unit note is in a text: its opening bracket (or first word) and its words."""

    begin: int
    first: int
    last: int

    def start(self, group: str | None = None) -> int:
        return self.first if group else self.begin

    def end(self, group: str | None = None) -> int:
        return self.last


def bracket_groups(folded: str) -> list[Note]:
    """The top-level ``( … )`` groups of a text, brackets inside kept with their group (one pass)."""
    out: list[Note] = []
    depth, opened = 0, -1
    for mark in _BRACKETS.finditer(folded):
        i = mark.start()
        if folded[i] == "(":
            if depth == 0:
                opened = i
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0 and i - opened <= _MAX_NOTE:
                out.append(Note(opened, opened + 1, i))
    return out


def end_note(folded: str, bare: bool = False) -> Note | None:
    """The bracketed note closing a text ("…。(牵头单位:…)"), with role words, or any (``bare``)."""
    end = len(folded.rstrip(" \t"))
    if end and folded[end - 1] in "。.;":
        end -= 1
    if not end or folded[end - 1] != ")":
        return None
    depth = 0
    for i in range(end - 1, max(end - 1 - _MAX_NOTE, -1), -1):
        ch = folded[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth -= 1
            if depth == 0:
                note = Note(i, i + 1, end - 1)
                words = folded[note.first:note.last]
                return note if bare or _NOTE_WORDS.search(words) else None
    return None


def closing_clause(folded: str) -> Note | None:
    """The last sentence of a text when it names units by role ("县政府办公室牵头,县直各部门配合。")."""
    text = folded.rstrip(" \t")
    if text.endswith(("。", ".")):
        text = text[:-1]
    first = text.rfind("。") + 1
    if not 2 <= len(text) - first <= 320 or not _CLOSING_WORDS.search(text, first):
        return None
    return Note(first, first, len(text))


KEYS = (
    ("lead", ("牵头单位", "牵头部门", "牵头科室", "主办单位", "主责单位")),
    ("responsible", ("责任单位", "责任部门", "责任科室", "配合单位", "配合部门", "参与单位", "协办单位", "落实单位")),
    ("deadline", ("完成时限", "责任时限", "时限要求", "完成时间", "时间要求", "时限", "时间")),
)
STANDING = re.compile(r"以下(?:各项)?(?:任务|工作)?(?:均需|均由|均要|均应|需|由)(?P<names>[^,;。]{2,60}?)(?:负责)?(?:落实|执行|办理)")
ROLE = re.compile(r"(?P<names>.*?)(?:按照?职责(?:分工)?)?(?P<role>分别牵头|牵头|配合|参与|负责落实|参照落实|参照执行|具体落实|负责实施|"
                  r"负责|落实)(?:落实)?$")

COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("id", ("序号", "编号")),
    ("duties", ("任务分工", "责任分工", "分工")),
    ("lead", ("牵头单位", "牵头部门", "牵头科室", "主办单位", "主责单位")),
    ("responsible", ("责任单位", "责任部门", "责任科室", "责任股室", "参与单位", "协办单位", "协同单位", "落实单位", "实施单位")),
    ("helpers", ("配合单位", "配合部门", "配合科室", "协助单位", "协办部门")),
    ("deadline", ("完成时限", "完成时间", "完成期限", "时限要求", "时间要求", "时间节点", "完成节点", "进度安排", "时限", "时间")),
    ("remark", ("备注",)),
    ("requirement", ("工作要求", "具体要求", "具体工作要求", "工作措施", "主要措施", "具体措施", "工作目标", "主要内容", "具体内容")),
    ("content", ("公开指标内容", "指标内容", "工作任务", "重点任务", "任务内容", "工作内容", "主要任务", "具体任务",
                 "工作事项", "任务事项", "公开事项", "公开内容", "目标任务", "任务")),
)
KIND_OF_COLUMN = {"id": "number", "content": "text", "requirement": "text", "lead": "unit", "responsible": "unit", "helpers": "unit",
                  "duties": "duties", "deadline": "deadline", "remark": "remark"}
COLUMN_WORDS = {"lead": "牵头单位", "responsible": "责任单位", "helpers": "配合单位", "deadline": "完成时限", "duties": "任务分工"}
MAX_TASKS = 1000


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
    note: str = ""  # the plan's own words naming the units (for the 核对表)
    style: str = ""  # how the plan numbered it: "dot", "paren", "circled", "section", "row"
    numbered: bool = True  # False: a table row without a number, numbered here in order


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


# ----------------------------------------------------------------------------------- unit notes

@dataclass
class Units:
    """Who a note or a unit cell names, in each role, and what it could not place."""

    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    deadline: str = ""
    standing: list[str] = field(default_factory=list)
    reviews: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.lead or self.responsible or self.deadline or self.standing or self.reviews)


def _clauses(text: str) -> list[str]:
    """``text`` cut at top-level ``, ;`` (full- or half-width), brackets kept whole."""
    out, depth, start = [], 0, 0
    folded = fold(text)
    for i, ch in enumerate(folded):
        if ch in "(<[【《":
            depth += 1
        elif ch in ")>]】》":
            depth = max(depth - 1, 0)
        elif ch in ",;。" and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return [c.strip() for c in out if c.strip()]


def read_units(text: str) -> Units:
    """The roles a note or unit cell gives: "牵头单位:A,责任单位:B", "A牵头,B配合", "A、B负责落实",
    "以下均需C落实", a bare list (responsible, marked), or nothing when the words name no unit."""
    found = Units()
    pending: list[str] = []  # names whose role a later clause gives ("A,B负责落实")
    bare: list[str] = []
    roles_seen = False
    last_key: str | None = None  # "牵头单位:A,B": B is a lead too
    for clause in _clauses(text):
        folded = fold(clause)
        if standing := STANDING.search(folded):
            found.standing.extend(split_names(clause[standing.start("names"):standing.end("names")]))
            continue
        if re.match(r"^(?:以下|下同|统称|简称)", folded) or "不再逐一列出" in folded:
            continue
        keyed = re.match(r"^(?P<key>[^:]{2,6}):(?P<value>.*)$", folded)
        if keyed:
            key = next((k for k, words in KEYS if keyed["key"].strip() in words), None)
            value = clause[keyed.start("value"):].strip()
            if key == "deadline":
                found.deadline = value
                continue
            if key is not None:
                roles_seen = True
                if is_placeholder(value):
                    found.reviews.append(f"计划写的是“{clause}”,没有点名单位")
                    continue
                names = split_names(value)
                (found.lead if key == "lead" else found.responsible).extend(names)
                last_key = key
                continue
        role = ROLE.match(folded)
        if role and role["names"].strip():
            roles_seen = True
            names = pending + split_names(clause[: role.end("names")])
            pending = []
            if role["role"] in ("牵头", "分别牵头"):
                found.lead.extend(names)
            else:
                found.responsible.extend(names)
            last_key = None
            continue
        names = split_names(clause)
        if names and all(looks_like_unit(n) for n in names):
            if last_key is not None:
                (found.lead if last_key == "lead" else found.responsible).extend(names)
            else:
                pending.extend(names)
            continue
        if is_placeholder(clause):
            found.reviews.append(f"计划写的是“{clause}”,没有点名单位")
            roles_seen = True
            continue
        return Units()  # words that are no unit note
    if pending and roles_seen:
        found.responsible.extend(pending)
    elif pending:
        bare = pending
        found.responsible.extend(bare)
        found.reviews.append("计划只列了单位“" + "、".join(bare) + "”,没有说牵头还是责任,已记为责任单位,请核对")
    found.lead = list(dict.fromkeys(found.lead))
    found.responsible = [n for n in dict.fromkeys(found.responsible) if n not in found.lead]
    return found


def has_note(folded: str, line: str) -> bool:
    """Whether a (folded) line ends with a unit note, with role words or with unit names only."""
    if end_note(folded):
        return True
    bare = end_note(folded, bare=True)
    return bare is not None and bool(read_units(line[bare.start("note"):bare.end("note")]).responsible)


def _take_note(task: TaskDraft) -> Units:
    """Cut the unit note(s) off the task's text and read them."""
    folded = fold(task.text)
    note = end_note(folded)
    if note is None and has_note(folded, task.text):
        note = end_note(folded, bare=True)
    if note is not None:
        read = read_units(task.text[note.start("note"):note.end("note")])
        if read:
            task.note = task.text[note.start():].strip()
            body = task.text[:note.start()].rstrip()
            inner = _inner_notes(body)
            if inner is not None:
                body, more = inner
                read.lead = list(dict.fromkeys(more.lead + read.lead))
                read.responsible = [n for n in dict.fromkeys(more.responsible + read.responsible) if n not in read.lead]
                read.reviews.append("这一项正文里有几处单位注明,已合并为一项,请核对是否应拆成几项")
            task.text = body
            return read
    closing = closing_clause(folded)
    if closing is not None:
        read = read_units(task.text[closing.start("note"):closing.end("note")])
        if read and (read.lead or read.responsible):
            task.note = task.text[closing.start("note"):].strip()
            task.text = task.text[:closing.start("note")].rstrip()
            return read
    inner = _inner_notes(task.text)
    if inner is not None:
        task.text, read = inner
        read.reviews.append("单位注明不在这一项的末尾,请核对")
        return read
    return Units()


def _inner_notes(text: str) -> tuple[str, Units] | None:
    """Unit notes inside a paragraph ("…(牵头单位:县发改局)常态化推进…"): their units, merged."""
    folded = fold(text)
    found = Units()
    for match in bracket_groups(folded):
        if not _INNER_WORDS.search(folded, match.first, match.last):
            continue
        read = read_units(text[match.start("note"):match.end("note")])
        if read.lead or read.responsible:
            found.lead.extend(read.lead)
            found.responsible.extend(read.responsible)
            found.reviews.extend(read.reviews)
            found.standing.extend(read.standing)
    if not (found.lead or found.responsible):
        return None
    found.lead = list(dict.fromkeys(found.lead))
    found.responsible = [n for n in dict.fromkeys(found.responsible) if n not in found.lead]
    return text, found


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


Paragraph = tuple[str, "str | None", str, str]


def _body(lines: list[str], plan: PlanDraft) -> list[Paragraph]:
    """The numbered tasks of the body; returns its "(一)标题。正文" paragraphs, which are the tasks
    of a plan that numbers none."""
    part = section = None
    current: TaskDraft | None = None
    closed = False  # the current task's last line ended with its unit note
    sections: list[tuple[str, str]] = []
    standing: list[str] = []
    paragraphs: list[Paragraph] = []  # (一) paragraphs, for plans numbering no tasks
    for line in lines:
        folded = fold(line)
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
            part, section, current = m["id"], None, None
            sections = []
            plan.parts.append((part, line[m.start("title"):].strip(), sections))
            continue
        if (m := SECTION.match(folded)) and not has_note(folded, line):
            title = line[m.start("title"):].strip()
            head = re.split(r"[。;:]", fold(title), maxsplit=1)
            if len(head) > 1 and len(head[1].strip()) > 10:  # "(一)推进公开。围绕…": a heading and its text
                paragraphs.append((m["id"], part, title[: len(head[0])], line))
                title = title[: len(head[0])]
            section, current = m["id"], None
            sections.append((section, title))
            continue
        if (m := SECTION.match(folded)) and not any(t.section for t in plan.tasks if t.style != "section"):
            # "(一)…(牵头单位:…)": the plan numbers its tasks as sections
            current = TaskDraft(len(plan.tasks) + 1, part, None, line[m.start("title"):].strip(), style="section")
            current.responsible.extend(standing)
            plan.tasks.append(current)
            closed = True
            continue
        task = _start(line, folded, part, section)
        if task is not None and current is not None and current.style == "dot" and task.style in ("paren", "circled") and not closed:
            current.text += line  # "(1)…" under "1.…": a sub-item of the task, not a task
            closed = end_note(folded) is not None
            continue
        if task is not None:
            if len(plan.tasks) > MAX_TASKS:
                break  # no plan has that many: drafting stops, and the caller refuses
            current = task
            closed = end_note(folded) is not None
            task.responsible.extend(standing)
            plan.tasks.append(task)
            continue
        if ISSUER.search(line.strip()) and len(line) <= 30:
            current = None  # the signature under the last task, not part of it
            continue
        if current is not None and not closed:
            current.text += line  # a line broken inside a paragraph (Chinese text has no spaces)
            closed = end_note(folded) is not None
    _settle_units(plan.tasks)
    return paragraphs


def _settle_units(tasks: list[TaskDraft]) -> None:
    """Each task's units from its note, plus those a standing clause ("以下均需…落实") names."""
    standing: list[str] = []
    for task in tasks:
        carried = list(dict.fromkeys(task.responsible + standing))
        read = _take_note(task)
        if read.standing:  # "(…;以下均需各县市区落实,不再逐一列出)": this task and every later one
            standing = read.standing
            carried = list(dict.fromkeys(carried + standing))
        task.lead = read.lead
        task.responsible = read.responsible + [n for n in carried if n not in read.lead and n not in read.responsible]
        task.reviews.extend(read.reviews)
        if read.deadline:
            task.deadline = read.deadline
        if carried and not (read.lead or read.responsible):
            task.reviews.append("单位取自前文“以下均需" + "、".join(carried) + "落实”,请核对")


def _paragraph_tasks(paragraphs: list[Paragraph], plan: PlanDraft) -> None:
    """A plan that numbers no task: each "(一)标题。正文" paragraph is one."""
    for number, (section, part, title, line) in enumerate(paragraphs, 1):
        folded = fold(line)
        m = SECTION.match(folded)
        text = line[m.start("title"):].strip() if m else line
        task = TaskDraft(number, part, section, text, title=title.rstrip("。.;; "), style="paragraph")
        task.reviews.append("计划没有给任务编号,按“" + section + "”段落起草为一项任务,请核对")
        plan.tasks.append(task)
    _settle_units(plan.tasks)


# ----------------------------------------------------------------------------------- tables

def column_map(row: list[str]) -> dict[str, int]:
    """Which cell holds which column, for a header row (empty when the row is no header)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        name = re.sub(r"\s", "", fold(cell))
        if len(name) > 12:
            continue
        for key, spellings in COLUMNS:
            if key not in found and any(s in name for s in spellings):
                found[key] = index
                break
    has_task = "content" in found or "requirement" in found
    return found if has_task and ({"deadline", "lead", "duties", "responsible", "helpers"} & found.keys()) else {}


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


NUMBER_CELL = re.compile(rf"^(?:\d{{1,3}}[.、]?|\(\d{{1,3}}\)|[{CIRCLED}])$")
_DEADLINE_WORDS = re.compile(r"底前|月底|年底|年内|日前|月前|前完成|长期|持续|常态|每[月季年半周]|不定期|及时|适时|随时|动态|同步|"
                             r"工作日内|日内|天内|上半年|下半年|季度|全年|年中|按要求|按规定|另行通知")


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
    sentence = (folded.endswith("。") and len(folded) > 15) or (len(folded) > 25 and not re.search(r"\d", folded))
    if len(folded) <= 60 and not sentence and (_DEADLINE_WORDS.search(folded) or read_deadline(cell, 2000).rules):
        return "deadline"
    return "text"


_COST = {
    ("number", "number"): 0, ("text", "text"): 0, ("unit", "unit"): 0, ("deadline", "deadline"): 0,
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
    if len(set(filled)) == 1 and len(cells) > 1 and cell_kind(filled[0]) != "text" or len(filled) == 1:
        _heading(filled[0], table, plan, body)  # a heading row (merged across the table), or a stray line
        return None
    kinds = [cell_kind(c) for c in cells]
    columns = [KIND_OF_COLUMN.get(k or "", "remark") for k in table.header]
    trimmed = len(cells)
    while trimmed and not cells[trimmed - 1]:
        trimmed -= 1
    positional = "part" not in kinds and "section" not in kinds and trimmed <= len(table.header) <= len(cells)
    placed = list(range(len(cells))) if positional else align(kinds, columns)
    values: dict[str, str] = {}
    number: int | None = None
    for cell, kind, index in zip(cells, kinds, placed):
        if kind in ("part", "section") and (index is None or table.header[index] in ("content", "requirement", None)):
            _heading(cell, table, plan, body)
            continue
        if kind == "number" and number is None:
            number = int(re.sub(r"\D", "", fold(cell)) or 0) or (CIRCLED.index(cell) + 1 if cell in CIRCLED else None)
            continue
        key = table.header[index] if index is not None and index < len(table.header) else None
        if key is not None and key != "id":
            values[key] = cell  # an empty cell is a cell the plan left empty, not a merged one
    text = values.get("requirement") or values.get("content")
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
                reviews.append(f"这一行缺少“{COLUMN_WORDS[key]}”一栏(合并单元格),已按上一行取“{values[key][:40]}”,请核对")
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
        task.reviews.append(f"完成时限一栏为空,按备注“{task.remark[:40]}”读取,请核对")
    return task


def _row_units(task: TaskDraft, values: dict[str, str]) -> None:
    notes = [values[k] for k in ("lead", "responsible", "helpers") if values.get(k)]
    task.note = " / ".join(notes)
    lead_cell, responsible_cell = values.get("lead", ""), values.get("responsible", "")
    if lead_cell:
        read = read_units(lead_cell)
        task.lead = read.lead + read.responsible  # the 牵头单位 column names leads, whatever words follow
        if is_placeholder(lead_cell):
            task.reviews.append(f"牵头单位一栏写的是“{lead_cell}”,没有点名单位,请补上")
        elif not task.lead:
            task.reviews.append(f"牵头单位一栏“{lead_cell[:40]}”未能分出单位,请核对 lead")
    if responsible_cell:
        read = read_units(responsible_cell)
        if read.lead:  # one column: "县政府办公室牵头,县直各部门配合"
            task.lead = list(dict.fromkeys(task.lead + read.lead))
        bare = [r for r in read.reviews if "没有说牵头还是责任" in r]
        task.responsible = [n for n in read.responsible if n not in task.lead]
        task.reviews.extend(r for r in read.reviews if r not in bare)
        if is_placeholder(responsible_cell):
            task.reviews.append(f"责任单位一栏写的是“{responsible_cell}”,没有点名单位,请补上")
        elif not (read.lead or read.responsible):
            task.reviews.append(f"责任单位一栏“{responsible_cell[:40]}”未能分出单位,请核对 responsible")
    if values.get("helpers"):
        read = read_units(values["helpers"])
        task.responsible.extend(n for n in read.lead + read.responsible if n not in task.responsible and n not in task.lead)
        if not (read.lead or read.responsible):
            task.reviews.append(f"配合单位一栏“{values['helpers'][:40]}”未能分出单位,请核对 responsible")
    if values.get("duties"):
        task.duties = duties_of(values["duties"])
        if not task.duties:
            task.reviews.append(f"任务分工“{values['duties'][:40]}”未能分出单位,请核对 duties")


def _table(rows: list[list[str]], plan: PlanDraft, body: bool, header: list[str | None] | None) -> tuple[list[TaskDraft], list[str | None] | None]:
    """The tasks of one table; ``header`` is that of the table before (a table cut in two)."""
    out: list[TaskDraft] = []
    table = _Table(header or [])
    for row in rows:
        found = _header(row)
        if found is not None:
            table.header = found
            continue
        if not table.header:
            continue
        task = _row(row, table, plan, body, len(out))
        if task is not None:
            out.append(task)
            if len(out) > MAX_TASKS:
                break
    return out, table.header or None


def stream_rows(cells: list[str]) -> list[list[str]]:
    """A table pasted one cell per line, cut back into rows: the header (the first cells naming
    columns), then a row ending at each cell of the last column's kind, and before each number."""
    start = next((i for i in range(len(cells)) if column_map(cells[i:i + 12])), None)
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
        texts += kind == "text"
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


# ----------------------------------------------------------------------------------- together

def read_tasks(source: PlanSource) -> PlanDraft:
    """Every task of the plan, from its body, its task table, or both (matched by number)."""
    plan = PlanDraft()
    _meta(source.lines, plan)
    paragraphs = _body(source.lines, plan)
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
                    row_task.reviews.append("这一项只见于附件表格,正文中没有同序号的任务,请核对")
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
            task.reviews.append(f"计划分部分编号,这是原文第 {task.id} 项,已改为连续编号第 {number} 项")
            task.id = number
