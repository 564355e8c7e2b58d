"""A plan's text drafted into a catalogue: a ``tasks.yaml``-shaped document, the units and groups
it names that the workspace does not know yet, and a ``review`` mark on whatever needs a person."""

from __future__ import annotations

import collections
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from gwgk.catalogue.units import Directory
from gwgk.drafting.deadlines import MAX_RULES, read_body, read_deadline, read_text
from gwgk.drafting.found import MAX_TASKS, PlanDraft, TaskDraft
from gwgk.drafting.source import PlanSource
from gwgk.drafting.tasks import read_tasks
from gwgk.drafting.text import fold
from gwgk.drafting.units import Roster, looks_like_unit
from gwgk.errors import UsageError

DEFAULT_PART = "一"
DEFAULT_SECTION = "(一)"  # an id, as the plans of data/ write them
RULE_ORDER = ("kind", "label", "every", "quota", "categories", "trigger", "days", "day_count", "due",
              "applies_to", "source", "notes", "review")


@dataclass
class Draft:
    """A drafted plan: the document for ``data/plans/<year>.yaml`` and what goes into units.yaml."""

    year: int
    plan: dict[str, Any]
    units: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    aliases: dict[str, list[str]] = field(default_factory=dict)  # existing group -> new spellings
    notes: dict[int, str] = field(default_factory=dict)  # task id -> the plan's words naming its units

    @property
    def reviews(self) -> int:
        """How many review marks the draft carries (plan, tasks, rules, new units and groups)."""
        return count_reviews(self.plan) + count_reviews(self.units) + count_reviews(self.groups)


def count_reviews(node: Any) -> int:
    """The number of ``review`` keys anywhere in a plain data tree."""
    if isinstance(node, dict):
        return int(node.get("review") is not None) + sum(count_reviews(v) for v in node.values())
    if isinstance(node, list):
        return sum(count_reviews(v) for v in node)
    return 0


FIRST_YEAR, LAST_YEAR = 2000, 2099
REFUSAL = (
    "“{name}”里没有找到任务：找过编号的任务（“1.”“1、”“（1）”“①”或“（一）”开头的段落）和任务表格"
    "（表头含“工作任务”“重点任务”“具体要求”或“工作内容”，以及“牵头单位”“责任单位”“完成时限”之一）。"
    "从网页或 Word 复制表格时，请整表粘贴，使每行一段、单元格之间用制表符或“|”隔开，或把网页另存为 .html、"
    "把 Word 文件直接交给 gwgk（.docx）"
)


def plan_year(plan: PlanDraft, year: int | None) -> int:
    """The year the plan is for: ``--year``, else the year in its title, else its issue year."""
    if year is not None:
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise UsageError(f"--year {year} 不是有效的计划年度，应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间")
        return year
    found = re.search(r"(20\d{2})\s{0,2}年", fold(plan.title or ""))
    if found:
        return int(found.group(1))
    if plan.issued is not None and FIRST_YEAR <= plan.issued.year <= LAST_YEAR:
        return plan.issued.year
    raise UsageError("无法从计划中看出年度（标题里没有“20XX年”，也没有印发日期），请用 --year 指定")


def _rules(task: TaskDraft, year: int) -> tuple[list[dict[str, Any]], list[str]]:
    reviews: list[str] = []
    reading = read_deadline(task.deadline, year)
    rules = reading.rules
    if reading.unread:
        shown = "”“".join(c[:40] for c in reading.unread[:5]) + ("”等" if len(reading.unread) > 5 else "”")
        reviews.append("完成时限中“" + shown + "未能读成规则，请核对 rules")
    kinds = collections.Counter(r["kind"] for r in rules)
    for rule in rules:
        if kinds[rule["kind"]] > 1 and rule["kind"] != "date":
            rule["review"] = "同一完成时限里有多条同类规则，若各自只适用于部分单位，请填写 applies_to"
    dues = {r["due"] for r in rules if r["kind"] == "date"}
    if not task.deadline.strip():
        # no 完成时限: the dates, periods and events the text sets; "持续推进" in a sentence is no rule
        # nor is "与文件同步组织" (publishing together, which no ledger entry could mark)
        rules.extend(r for r in read_text(task.text, year)
                     if r["kind"] not in ("continuous", "irregular") and not (r["kind"] == "event" and r.get("days") == 0))
        dues = {r["due"] for r in rules if r["kind"] == "date"}
    for rule in read_body(task.text, year):
        if rule["due"] not in dues:
            dues.add(rule["due"])
            rules.append(rule)
    if not rules and task.deadline.strip() and not reading.unread:
        reviews.append(f"未能读懂完成时限“{task.deadline.strip()[:60]}”，没有写规则，请补上 rules")
    if len(rules) > MAX_RULES:
        reviews.append(f"读出的规则超过 {MAX_RULES} 条，只保留了前 {MAX_RULES} 条，请对照原文核对 rules")
        rules = rules[:MAX_RULES]
    ordered = [{k: rule[k] for k in RULE_ORDER if k in rule} for rule in rules]
    return ordered, reviews


def _units(task: TaskDraft) -> list[str]:
    """What the plan leaves open about who owes the task: never filled in, only said; and names
    that do not read as units (a phrase taken for one would be the worst kind of error)."""
    if not task.lead and not task.responsible and not task.duties:
        return ["计划没有写这项任务的牵头单位和责任单位，请补上 lead 或 responsible"]
    odd = [n for n in (*task.lead, *task.responsible) if not looks_like_unit(n)]
    if odd:
        return ["“" + "”“".join(n[:30] for n in odd) + "”不像单位名称，请核对 lead 和 responsible"]
    return []


_TITLE_CUT = re.compile(r"[,。;:!?]")
_TITLE_MAX = 30


def title_of(text: str) -> tuple[str, str | None]:
    """A short title of the task's own words: its first phrase (not a deadline, not a bare
    subject), never cut inside a phrase; with a review when no short phrase fits."""
    folded = fold(text)
    phrases: list[str] = []
    at = 0
    for cut in _TITLE_CUT.finditer(folded):
        phrases.append(text[at:cut.start()].strip())
        at = cut.end()
        if len(phrases) >= 6:
            break
    else:
        phrases.append(text[at:].strip())
    phrases = [p for p in phrases if p]
    for phrase in phrases:
        if read_clause_is_deadline(phrase) or re.fullmatch(r"[^,。]{2,20}(?:要|应|需|须)", fold(phrase)):
            continue
        if len(phrase) <= _TITLE_MAX:
            return phrase, None
        pieces = re.split(r"(?<=[、])", phrase)
        short = ""
        for piece in pieces:
            if len(short) + len(piece) > _TITLE_MAX:
                break
            short += piece
        short = short.rstrip("、")
        if short and len(short) >= 6:
            return short, "标题取自正文第一句的前几项，请核对或改写 title"
        return phrase, f"正文第一句较长（“{phrase[:12]}…”），标题未截断，请改短 title"
    first = phrases[0] if phrases else text
    return first, "正文开头是完成时限或主语，标题未能取得，请改写 title"


def read_clause_is_deadline(phrase: str) -> bool:
    """Whether a phrase is only a deadline ("2022年9月30日前", "年底前")."""
    return bool(re.fullmatch(r"(?:\d{4}年)?(?:\d{1,2}月(?:\d{1,2}日|底|末|中旬|上旬|下旬)?|年底|年内|上半年|下半年)(?:以?前|之前)?(?:完成)?",
                             fold(phrase).replace(" ", "")))


def _task(task: TaskDraft, year: int) -> dict[str, Any]:
    reviews = list(task.reviews) + _units(task)
    rules, rule_reviews = _rules(task, year)
    reviews.extend(rule_reviews)
    title = task.title
    if title is not None and len(title) > 40:
        title = None
    if title is None:
        title, why = title_of(task.text)
        if why:
            reviews.append(why)
    out: dict[str, Any] = {
        "id": task.id, "part": task.part or DEFAULT_PART, "section": task.section or DEFAULT_SECTION,
        "title": title, "text": task.text, "indicator": task.indicator,
        "lead": task.lead, "responsible": task.responsible,
        "duties": [{"units": units, "duty": duty} for units, duty in task.duties],
        "deadline": task.deadline, "remark": task.remark, "rules": rules,
    }
    if reviews:
        out["review"] = "；".join(reviews)
    return out


def _period(plan: PlanDraft, year: int, tasks: list[dict[str, Any]]) -> tuple[dt.date, dt.date]:
    start = plan.issued if plan.issued is not None and plan.issued.year == year else dt.date(year, 1, 1)
    end = dt.date(year, 12, 31)
    for task in tasks:
        for rule in task["rules"]:
            if rule["kind"] != "date":
                continue
            if rule["due"] < start:
                rule["review"] = f"到期日 {rule['due']} 早于计划印发日期，请核对"
                start = rule["due"]
            end = max(end, rule["due"])
    return start, end


def _parts(plan: PlanDraft, tasks: list[dict[str, Any]], title: str) -> list[dict[str, Any]]:
    parts: list[dict[str, Any]] = []
    for pid, ptitle, sections in plan.parts:
        if any(p["id"] == pid for p in parts):
            continue  # the body's parts again in the attachment table
        unique = list(dict.fromkeys(sid for sid, _ in sections))
        titles = dict(reversed(sections))
        parts.append({"id": pid, "title": ptitle, "sections": [{"id": sid, "title": titles[sid]} for sid in unique]})
    for part in parts:
        if not part["sections"]:
            section = f"({part['id']})"  # one section per part, numbered as the part is
            part["sections"].append({"id": section, "title": part["title"]})
            for task in tasks:
                if task["part"] == part["id"]:
                    task["section"] = section
    known = {p["id"]: [s["id"] for s in p["sections"]] for p in parts}
    for task in tasks:
        if task["part"] not in known:
            task["part"], task["section"] = DEFAULT_PART, DEFAULT_SECTION
        elif task["section"] not in known[task["part"]]:
            task["section"] = known[task["part"]][0]
    if any(t["part"] == DEFAULT_PART and not any(p["id"] == DEFAULT_PART for p in parts) for t in tasks):
        parts.insert(0, {"id": DEFAULT_PART, "title": title, "sections": [{"id": DEFAULT_SECTION, "title": title}]})
    return parts


def draft(source: PlanSource, directory: Directory | None = None, year: int | None = None) -> Draft:
    """The draft catalogue of the plan in ``source``, reusing the units of ``directory``.

    Raises ``UsageError`` when the document holds no numbered task and no task table.
    """
    if year is not None:
        plan_year(PlanDraft(), year)  # a year out of range is refused before anything is read
    found = read_tasks(source)
    if not found.tasks:
        raise UsageError(REFUSAL.format(name=source.name))
    if len(found.tasks) > MAX_TASKS:
        raise UsageError(f"“{source.name}”里的任务超过 {MAX_TASKS} 项，不像是一份工作要点（请检查是否选错了文件）")
    the_year = plan_year(found, year)
    title = found.title or f"{the_year}年政务公开工作要点"
    tasks = [_task(t, the_year) for t in found.tasks]
    start, end = _period(found, the_year, tasks)
    meta: dict[str, Any] = {
        "title": title, "attachment": found.attachment or "", "issuer": found.issuer or "",
        "issued": found.issued or start, "year": the_year, "effective_from": start, "effective_to": end,
    }
    if found.addressees:
        meta["addressees"] = found.addressees
    missing = [word for word, value in (("标题", found.title), ("印发单位", found.issuer), ("印发日期", found.issued)) if not value]
    if missing:
        meta["review"] = "计划中没有找到" + "、".join(missing) + "，请补上"
    roster = Roster(directory)
    for task in tasks:
        for name in (*task["lead"], *task["responsible"], *(n for d in task["duties"] for n in d["units"])):
            roster.add(name, "计划正文")
        for d, duty in enumerate(task["duties"]):
            if not duty["units"]:
                task["duties"].pop(d)
    roster.finish()
    plan = {"plan": meta, "settings": {"lag_days": 90, "due_soon_days": 15},
            "parts": _parts(found, tasks, title), "tasks": tasks}
    return Draft(the_year, plan, list(roster.units.values()), list(roster.groups.values()), roster.aliases,
                 {t.id: t.note for t in found.tasks})
