"""Report models for ``gwgk tasks`` and ``gwgk units``: what is shown, apart from how it is drawn."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel

from gwgk.catalogue.model import Catalogue, Role
from gwgk.catalogue.plan import PlanMeta
from gwgk.catalogue.rules import describe
from gwgk.catalogue.units import KIND_LABELS


class DutyView(BaseModel):
    """A line of the 任务分工, with its units as written and as resolved."""

    units_as_written: list[str]
    units: list[str]
    duty: str | None


class TaskView(BaseModel):
    """A task as shown by ``gwgk tasks``; lead and responsible are resolved to units."""

    id: int
    part: str
    part_title: str
    section: str
    section_title: str
    title: str
    text: str
    indicator: str | None
    lead: list[str]
    responsible: list[str]
    lead_as_written: list[str]
    responsible_as_written: list[str]
    duties: list[DutyView]
    deadline: str
    remark: str | None
    rules: list[dict[str, Any]]
    rule_summaries: list[str]
    role: Role | None = None
    unit_duty: str | None = None


class TasksReport(BaseModel):
    """``gwgk tasks``: the plan and its tasks (for one unit, only the tasks it owes)."""

    plan: dict[str, Any]
    unit: str | None = None
    tasks: list[TaskView]


class UnitView(BaseModel):
    """A unit with its kind, aliases, groups and how many tasks it owes."""

    name: str
    kind: str
    kind_label: str
    aliases: list[str]
    code: str | None
    source: str
    groups: list[str]
    lead_tasks: int
    responsible_tasks: int
    since: dt.date | None = None  # its life span (None: always)
    until: dt.date | None = None
    successor: str | None = None


class GroupView(BaseModel):
    """A group name of the plan and its member units."""

    name: str
    aliases: list[str]
    members: list[str]


class UnitsReport(BaseModel):
    """``gwgk units``."""

    units: list[UnitView]
    groups: list[GroupView]


def plan_dict(plan: PlanMeta) -> dict[str, Any]:
    """The plan's metadata as JSON-ready values."""
    unset = {"review"} if plan.review is None else set()  # only a draft's plan carries one
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in plan.model_dump(exclude=unset).items()}


def task_view(catalogue: Catalogue, task_id: int, unit: str | None = None) -> TaskView:
    """One task, resolved; with ``unit``, also that unit's role and duty."""
    task = catalogue.task(task_id)
    assignments = catalogue.task_units(task_id)
    assignment = assignments.get(unit) if unit else None
    return TaskView(
        id=task.id,
        part=task.part,
        part_title=catalogue.parts.get(task.part, ""),
        section=task.section,
        section_title=catalogue.sections.get(task.section, ""),
        title=task.title,
        text=task.text,
        indicator=task.indicator,
        lead=[u for u, a in assignments.items() if a.role == "lead"],
        responsible=[u for u, a in assignments.items() if a.role == "responsible"],
        lead_as_written=list(task.lead),
        responsible_as_written=list(task.responsible),
        duties=[
            DutyView(units_as_written=list(d.units), units=catalogue.expand(d.units), duty=d.duty)
            for d in task.duties
        ],
        deadline=task.deadline,
        remark=task.remark,
        rules=[r.model_dump(mode="json", exclude_none=True) for r in (assignment.rules if assignment else catalogue.task_rules(task_id))],
        rule_summaries=[describe(r) for r in (assignment.rules if assignment else catalogue.task_rules(task_id))],
        role=assignment.role if assignment else None,
        unit_duty=assignment.duty if assignment else None,
    )


def tasks_report(catalogue: Catalogue, unit: str | None = None) -> TasksReport:
    """All tasks, or those ``unit`` owes."""
    ids = [a.task.id for a in catalogue.assignments(unit)] if unit else sorted(catalogue.tasks)
    return TasksReport(
        plan=plan_dict(catalogue.plan),
        unit=unit,
        tasks=[task_view(catalogue, i, unit) for i in ids],
    )


def units_report(catalogue: Catalogue) -> UnitsReport:
    """Every unit and group."""
    directory = catalogue.directory
    members = {g.name: directory.members(g) for g in directory.groups.values()}
    units = []
    for unit in catalogue.units.values():
        owed = catalogue.assignments(unit.name)
        units.append(UnitView(
            name=unit.name,
            kind=unit.kind,
            kind_label=KIND_LABELS[unit.kind],
            aliases=list(unit.aliases),
            code=unit.code,
            source=unit.source,
            groups=[g for g, m in members.items() if unit.name in m],
            lead_tasks=sum(a.role == "lead" for a in owed),
            responsible_tasks=sum(a.role == "responsible" for a in owed),
            since=unit.since, until=unit.until, successor=unit.successor,
        ))
    groups = [GroupView(name=g.name, aliases=list(g.aliases), members=list(members[g.name])) for g in directory.groups.values()]
    return UnitsReport(units=units, groups=groups)
