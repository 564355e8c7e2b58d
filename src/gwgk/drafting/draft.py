"""A plan's text drafted into a catalogue: a ``tasks.yaml``-shaped document, the units and groups
it names that the workspace does not know yet, and a ``review`` mark on whatever needs a person."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from gwgk.catalogue.units import Directory
from gwgk.drafting.deadlines import read_body, read_deadline, read_text
from gwgk.drafting.source import PlanSource
from gwgk.drafting.tasks import PlanDraft, TaskDraft, fold, read_tasks
from gwgk.drafting.units import Roster
from gwgk.errors import UsageError

DEFAULT_PART = "一"
DEFAULT_SECTION = "(一)"
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


def plan_year(plan: PlanDraft, year: int | None) -> int:
    """The year the plan is for: ``--year``, else the year in its title, else its issue year."""
    if year is not None:
        return year
    found = re.search(r"(20\d{2})\s*年", fold(plan.title or ""))
    if found:
        return int(found.group(1))
    if plan.issued is not None:
        return plan.issued.year
    raise UsageError("无法从计划中看出年度(标题里没有“20XX年”,也没有印发日期),请用 --year 指定")


def _rules(task: TaskDraft, year: int) -> tuple[list[dict[str, Any]], list[str]]:
    reviews: list[str] = []
    reading = read_deadline(task.deadline, year)
    rules = reading.rules
    if reading.unread:
        reviews.append("完成时限中“" + "”“".join(reading.unread) + "”未能读成规则,请核对 rules")
    kinds = [r["kind"] for r in rules]
    for rule in rules:
        if kinds.count(rule["kind"]) > 1 and rule["kind"] != "date":
            rule["review"] = "同一完成时限里有多条同类规则,若各自只适用于部分单位,请填写 applies_to"
    dues = {r["due"] for r in rules if r["kind"] == "date"}
    if not task.deadline.strip():
        rules.extend(read_text(task.text, year))  # no 完成时限 column: the text says it all
        dues = {r["due"] for r in rules if r["kind"] == "date"}
    for rule in read_body(task.text, year):
        if rule["due"] not in dues:
            dues.add(rule["due"])
            rules.append(rule)
    if not rules:
        words = task.deadline.strip()
        rules.append({
            "kind": "irregular", "source": words or task.text[:30],
            "review": f"未能读懂完成时限“{words}”,暂按不定期,请改写" if words else "计划没有写这项任务的完成时限,暂按不定期,请核对",
        })
    ordered = [{k: rule[k] for k in RULE_ORDER if k in rule} for rule in rules]
    return ordered, reviews


def _units(task: TaskDraft, issuer: str | None) -> list[str]:
    reviews = []
    if not task.lead and task.responsible:
        task.lead, task.responsible = task.responsible, []
        reviews.append("计划只写了责任单位,已记为牵头单位(lead),请核对")
    if not task.lead and task.duties:
        task.lead = list(task.duties[0][0])
        rest = [n for units, _ in task.duties[1:] for n in units if n not in task.lead]
        task.responsible = task.responsible or list(dict.fromkeys(rest))
        reviews.append("计划没有写牵头单位,按任务分工第一行推定,请核对 lead 和 responsible")
    if not task.lead:
        task.lead = [issuer or "牵头单位待定"]
        reviews.append("计划没有写牵头单位,也没有任务分工,暂记为印发单位,请核对 lead")
    return reviews


def _task(task: TaskDraft, year: int, issuer: str | None) -> dict[str, Any]:
    reviews = list(task.reviews) + _units(task, issuer)
    rules, rule_reviews = _rules(task, year)
    reviews.extend(rule_reviews)
    title = task.title or re.split(r"[,,。;;]", task.text)[0][:20]
    out: dict[str, Any] = {
        "id": task.id, "part": task.part or DEFAULT_PART, "section": task.section or DEFAULT_SECTION,
        "title": title, "text": task.text, "indicator": task.indicator,
        "lead": task.lead, "responsible": task.responsible,
        "duties": [{"units": units, "duty": duty} for units, duty in task.duties],
        "deadline": task.deadline, "remark": task.remark, "rules": rules,
    }
    if reviews:
        out["review"] = ";".join(reviews)
    return out


def _period(plan: PlanDraft, year: int, tasks: list[dict[str, Any]]) -> tuple[dt.date, dt.date]:
    start = plan.issued if plan.issued is not None and plan.issued.year == year else dt.date(year, 1, 1)
    end = dt.date(year, 12, 31)
    for task in tasks:
        for rule in task["rules"]:
            if rule["kind"] != "date":
                continue
            if rule["due"] < start:
                rule["review"] = f"到期日 {rule['due']} 早于计划印发日期,请核对"
                start = rule["due"]
            end = max(end, rule["due"])
    return start, end


def _parts(plan: PlanDraft, tasks: list[dict[str, Any]], title: str) -> list[dict[str, Any]]:
    parts: list[dict[str, Any]] = [{"id": pid, "title": ptitle, "sections": [{"id": sid, "title": stitle} for sid, stitle in sections]}
             for pid, ptitle, sections in plan.parts]
    for part in parts:
        if not part["sections"]:
            section = f"({part['id']})"  # one section per part, numbered as the part is
            part["sections"].append({"id": section, "title": part["title"]})
            for task in tasks:
                if task["part"] == part["id"]:
                    task["section"] = section
    if any(t["part"] == DEFAULT_PART and not any(p["id"] == DEFAULT_PART for p in parts) for t in tasks):
        parts.insert(0, {"id": DEFAULT_PART, "title": title, "sections": [{"id": DEFAULT_SECTION, "title": title}]})
    return parts


def draft(source: PlanSource, directory: Directory | None = None, year: int | None = None) -> Draft:
    """The draft catalogue of the plan in ``source``, reusing the units of ``directory``.

    Raises ``UsageError`` when the document holds no numbered task and no task table.
    """
    found = read_tasks(source)
    if not found.tasks:
        raise UsageError(f"“{source.name}”里没有找到编号的任务或任务分解表,看起来不是一份工作要点")
    the_year = plan_year(found, year)
    title = found.title or f"{the_year}年政务公开工作要点"
    tasks = [_task(t, the_year, found.issuer) for t in found.tasks]
    start, end = _period(found, the_year, tasks)
    meta: dict[str, Any] = {
        "title": title, "attachment": found.attachment or "", "issuer": found.issuer or "",
        "issued": found.issued or start, "year": the_year, "effective_from": start, "effective_to": end,
    }
    if found.addressees:
        meta["addressees"] = found.addressees
    missing = [word for word, value in (("标题", found.title), ("印发单位", found.issuer), ("印发日期", found.issued)) if not value]
    if missing:
        meta["review"] = "计划中没有找到" + "、".join(missing) + ",请补上"
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
    return Draft(the_year, plan, list(roster.units.values()), list(roster.groups.values()), roster.aliases)
