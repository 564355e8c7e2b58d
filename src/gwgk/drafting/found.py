"""What the drafter finds in a plan: its tasks as drafted (``TaskDraft``), what the plan says about
itself (``PlanDraft``), and the patterns of numbering, dates and titles every reader shares."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from gwgk.drafting.text import CIRCLED

CN = "一二三四五六七八九十"
PART = re.compile(rf"^(?P<id>[{CN}]{{1,3}})\s{{0,2}}[、.](?P<title>.+)$")
SECTION = re.compile(rf"^(?P<id>\([{CN}]{{1,3}}\))\s{{0,2}}(?P<title>.+)$")
TASK = re.compile(rf"^(?:(?P<id>\d{{1,3}})\s{{0,2}}[.、]|\(?(?P<pid>\d{{1,3}})\)|(?P<cid>[{CIRCLED}]))\s{{0,2}}(?P<text>\S.*)$")
DATE_LINE = re.compile(r"^(?P<y>\d{4})\s{0,3}年\s{0,3}(?P<m>\d{1,2})\s{0,3}月\s{0,3}(?P<d>\d{1,2})\s{0,3}日$")
TITLE = re.compile(r"(工作要点|实施方案|工作方案|任务分解表|任务分解|任务清单|责任清单|重点任务|工作任务|分工方案)")
ISSUER = re.compile(r"(办公室|人民政府|政府|委员会|领导小组|办公厅|局)$")
MAX_TASKS = 1000  # more than any plan has: drafting stops, and the plan is refused


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
    heading: str | None = None  # the "(一)" of a task numbered as a section
    inherited: str = ""  # the words of its section's unit note, for a task with none of its own


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
