"""The catalogue: the validated plan and units, cross-checked, with each unit's part in each task.

Pure: it takes parsed, schema-valid files and returns a ``Catalogue`` plus every inconsistency as
a ``Finding`` (which file, which path inside it, what is wrong). The loader turns paths into lines.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from gwgk.catalogue.plan import PlanMeta, Settings, Task, TasksFile
from gwgk.catalogue.rules import DateRule, Rule
from gwgk.catalogue.units import KIND_LABELS, Directory, Unit, UnitsFile, normalize
from gwgk.errors import UsageError

Role = Literal["lead", "responsible"]
ROLE_LABELS: dict[str, str] = {"lead": "牵头", "responsible": "责任"}

TASKS_FILE = "tasks"
UNITS_FILE = "units"


@dataclass(frozen=True)
class Finding:
    """An inconsistency found in a file, located by its path of keys and indexes."""

    file: str  # TASKS_FILE or UNITS_FILE
    path: tuple[str | int, ...]
    message: str


class Assignment(NamedTuple):
    """One unit's part in one task: its role, its own duties and the rules that bind it (a named
    tuple: reports build one per unit and task, and a frozen dataclass takes three times as long)."""

    task: Task
    unit: str
    role: Role
    duties: tuple[str, ...]
    rules: tuple[Rule, ...]
    # the unit's life span where it begins or ends inside the plan's period (None: the whole period):
    # it owes only the instances due within it
    span: tuple[dt.date | None, dt.date | None] | None = None

    @property
    def duty(self) -> str:
        """The unit's duties as one line (empty when the 任务分工 names none)."""
        return " ".join(self.duties)


@dataclass(frozen=True)
class Owing:
    """Who owes one task: the lead units, everyone owing (in catalogue order), their duties, and
    each rule with the units it binds (None: every unit owing the task)."""

    task: Task
    lead: frozenset[str]
    units: frozenset[str]
    duties: tuple[tuple[str | None, frozenset[str]], ...]  # each 任务分工 line (None: units named without one) and its units
    rules: tuple[tuple[Rule, frozenset[str] | None], ...]
    spans: Mapping[str, tuple[dt.date | None, dt.date | None]] = field(default_factory=dict, hash=False, compare=False)  # see ``Assignment.span``

    @functools.cached_property
    def _every_units_rules(self) -> tuple[Rule, ...] | None:
        """The rules, when every one binds every unit owing the task (one tuple for them all)."""
        return tuple(rule for rule, _ in self.rules) if all(only is None for _, only in self.rules) else None

    def rules_for(self, unit: str) -> tuple[Rule, ...]:
        """The rules that bind ``unit`` (one of ``units``)."""
        rules = self._every_units_rules
        return rules if rules is not None else tuple(rule for rule, only in self.rules if only is None or unit in only)

    def assignment(self, unit: str) -> Assignment:
        """The part of ``unit`` (one of ``units``) in the task."""
        duties: list[str] = []
        for duty, named in self.duties:
            if duty and unit in named and duty not in duties:
                duties.append(duty)
        return Assignment(self.task, unit, "lead" if unit in self.lead else "responsible", tuple(duties), self.rules_for(unit),
                          self.spans.get(unit))


@dataclass
class Catalogue:
    """The plan, its tasks and units, and who owes what."""

    plan: PlanMeta
    settings: Settings
    tasks: dict[int, Task]
    directory: Directory
    version: str = ""
    parts: dict[str, str] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    _owing: dict[int, Owing] = field(default_factory=dict)  # by task id, in task order

    @property
    def units(self) -> dict[str, Unit]:
        """Every unit by its name, in catalogue order."""
        return self.directory.units

    def units_begun(self, day: dt.date) -> list[str]:
        """The units set up by ``day`` (all but those whose ``since`` is later), in catalogue order:
        whom a report as of ``day`` covers, so that adding a unit never changes an earlier report."""
        return [name for name, unit in self.directory.units.items() if unit.since is None or unit.since <= day]

    def assignments(self, unit: str) -> list[Assignment]:
        """The tasks ``unit`` owes, in task order."""
        # Built on demand: a province of 10,000 units would otherwise hold 300,000 of them.
        return [owing.assignment(unit) for owing in self._owing.values() if unit in owing.units]

    def owings(self, unit: str) -> list[Owing]:
        """Who owes each task ``unit`` owes, in task order (``assignments`` without building one
        for each: a report needs the whole assignment only for the tasks it lists)."""
        return [owing for owing in self._owing.values() if unit in owing.units]

    def task_rules(self, task_id: int) -> tuple[Rule, ...]:
        """The rules of task ``task_id`` as judged: its own, or the plan's end when it has none."""
        owing = self._owing.get(task_id)
        return tuple(rule for rule, _ in owing.rules) if owing is not None else ()

    def task_units(self, task_id: int) -> dict[str, Assignment]:
        """Every unit that owes task ``task_id``, with its assignment."""
        owing = self._owing.get(task_id)
        if owing is None:
            return {}
        return {unit: owing.assignment(unit) for unit in self.directory.units if unit in owing.units}

    def task(self, task_id: int) -> Task:
        """The task numbered ``task_id``; ``UsageError`` if there is none."""
        try:
            return self.tasks[task_id]
        except KeyError:
            raise UsageError(f"没有第 {task_id} 项任务（本计划共 {len(self.tasks)} 项，序号 {min(self.tasks)}-{max(self.tasks)}）") from None

    def resolve_unit(self, name: str) -> Unit:
        """The unit meant by a hand-typed name (see ``Directory.resolve_unit``)."""
        return self.directory.resolve_unit(name)

    def scope(self, units: Iterable[str] = (), group: str | Iterable[str] | None = None, day: dt.date | None = None) -> list[str]:
        """The units a report covers, in catalogue order: the members of ``group`` (one or several)
        and the units named (hand-typed names resolved), else every unit (set up by ``day``, when
        given: adding a unit never changes an earlier report); ``UsageError`` for a name that is no
        group or unit."""
        chosen: list[str] = []
        for one in [group] if isinstance(group, str) else list(group or []):
            match = self.directory.lookup(one)
            if match is None or not match.is_group:
                names = "、".join(self.directory.groups)
                raise UsageError(f"没有单位组“{one}”，可用：{names}")
            chosen.extend(u for u in match.units if u not in chosen)
        for name in units:
            unit = self.resolve_unit(name).name
            if unit not in chosen:
                chosen.append(unit)
        if not chosen:
            return self.units_begun(day) if day is not None else list(self.units)
        return [u for u in self.units if u in chosen]

    def expand(self, names: Iterable[str]) -> list[str]:
        """Unit names for a list of unit and group spellings, in catalogue order, no repeats."""
        wanted: set[str] = set()
        for name in names:
            match = self.directory.lookup(name)
            if match is not None:
                wanted.update(match.units)
        return [u for u in self.units if u in wanted]


def _file_key(name: str) -> str:
    """``name`` as a case-insensitive file system compares file names: letter by letter in simple
    upper case (NTFS's table, which keeps ß as it is), composed and decomposed accents as one (APFS)."""
    return "".join(c if len(c.upper()) != 1 else c.upper() for c in unicodedata.normalize("NFC", name))


def _check_units_file(units_file: UnitsFile, directory: Directory) -> list[Finding]:
    findings: list[Finding] = []
    seen: set[str] = set()
    files: dict[str, str] = {}  # a ledger's file name as a case-insensitive file system sees it
    every = {u.name for u in units_file.units}
    for i, unit in enumerate(units_file.units):
        if unit.name in seen:
            findings.append(Finding(UNITS_FILE, ("units", i, "name"), f"单位“{unit.name}”重复"))
        elif (other := files.get(_file_key(unit.name))) is not None:
            findings.append(Finding(UNITS_FILE, ("units", i, "name"), f"单位“{unit.name}”与“{other}”只有大小写（或 Unicode 写法）不同："
                                                                      "在 Windows 和 macOS 上两者的台账是同一个文件，请改用可区分的名称"))
        seen.add(unit.name)
        files.setdefault(_file_key(unit.name), unit.name)
        if unit.successor is not None and (unit.successor not in every or unit.successor == unit.name):
            findings.append(Finding(UNITS_FILE, ("units", i, "successor"),
                                    f"单位“{unit.name}”的承接单位“{unit.successor}”不在单位列表中（要写另一个单位的全称）"))
    for spelling in directory.duplicates:
        findings.append(Finding(UNITS_FILE, ("units",), f"名称或别名“{spelling}”同时指向两个不同的单位或单位组"))
    for g, group in enumerate(units_file.groups):
        for m, member in enumerate(group.members):
            if member not in every:
                findings.append(Finding(UNITS_FILE, ("groups", g, "members", m), f"单位组“{group.name}”的成员“{member}”不在单位列表中"))
        members_ever = any(m in every for m in group.members) or any(u.kind in group.kinds for u in units_file.units)
        if not members_ever and group.review is None:  # a draft's open question says why
            findings.append(Finding(UNITS_FILE, ("groups", g), f"单位组“{group.name}”没有任何成员"))
    return findings


def _check_task(i: int, task: Task, tasks_file: TasksFile, directory: Directory) -> list[Finding]:
    findings: list[Finding] = []
    here: tuple[str | int, ...] = ("tasks", i)
    part_ids = {p.id: {s.id for s in p.sections} for p in tasks_file.parts}
    if task.part not in part_ids:
        findings.append(Finding(TASKS_FILE, (*here, "part"), f"第 {task.id} 项任务的部分“{task.part}”未在 parts 中定义"))
    elif task.section not in part_ids[task.part]:
        findings.append(Finding(TASKS_FILE, (*here, "section"), f"第 {task.id} 项任务的小节“{task.section}”不属于第“{task.part}”部分"))
    for key in ("lead", "responsible"):
        for j, name in enumerate(getattr(task, key)):
            if directory.lookup(name) is None and not _outside(name, directory):
                findings.append(Finding(TASKS_FILE, (*here, key, j), _unknown_name(name, directory)))
    for d, duty in enumerate(task.duties):
        for j, name in enumerate(duty.units):
            if directory.lookup(name) is None and not _outside(name, directory):
                findings.append(Finding(TASKS_FILE, (*here, "duties", d, "units", j), _unknown_name(name, directory)))
    if not (task.lead or task.responsible or task.duties) and task.review is None:
        findings.append(Finding(TASKS_FILE, (*here, "lead"), f"第 {task.id} 项任务没有牵头单位、责任单位或任务分工，没有单位承担它"))
    plan = tasks_file.plan
    for r, rule in enumerate(task.rules):
        if isinstance(rule, DateRule) and not plan.effective_from <= rule.due <= plan.effective_to:
            findings.append(Finding(
                TASKS_FILE, (*here, "rules", r, "due"),
                f"第 {task.id} 项任务的期限 {rule.due} 不在计划期内（{plan.effective_from} 至 {plan.effective_to}）",
            ))
        for j, target in enumerate(rule.applies_to):
            if target not in KIND_LABELS and directory.lookup(target) is None and not _outside(target, directory):
                findings.append(Finding(TASKS_FILE, (*here, "rules", r, "applies_to", j), f"applies_to 中的“{target}”既不是单位类型，也不是单位或单位组"))
    return findings


def _outside(name: str, directory: Directory) -> bool:
    """Whether ``name`` is a unit of the workspace that does not exist in this plan's period (the plan
    names it, it owes nothing: a unit owes only what falls due while it exists)."""
    return normalize(name) in directory.outside


def _unknown_name(name: str, directory: Directory) -> str:
    message = f"单位或单位组“{name}”不在 units.yaml 中"
    suggestions = directory.suggest(name)
    if suggestions:
        message += "，您是不是要写：" + "、".join(suggestions)
    return message


PLAN_END_LABEL = "未写时限"
PLAN_END_SOURCE = "（计划没有写这项任务的完成时限）"


def plan_end_rule(end: dt.date) -> DateRule:
    """What a task the plan gives no deadline is owed by: the end of the plan period (shown as
    such); a rule written into the task replaces it."""
    return DateRule(kind="date", due=end, label=PLAN_END_LABEL, source=PLAN_END_SOURCE, review=None,
                    notes="计划没有写完成时限，按计划期末（effective_to）计；如有时限，请在 rules 中写明。")


def _rule_units(rule: Rule, directory: Directory, by_kind: dict[str, set[str]]) -> frozenset[str] | None:
    """The units a rule binds: those of its ``applies_to`` kinds, units and groups (None: all)."""
    if not rule.applies_to:
        return None
    out: set[str] = set()
    for target in rule.applies_to:
        out |= by_kind.get(target, set())
        match = directory.lookup(target)
        if match is not None:
            out.update(match.units)
    return frozenset(out)


def _owing(tasks_file: TasksFile, directory: Directory) -> tuple[dict[int, Owing], list[Finding]]:
    by_task: dict[int, Owing] = {}
    findings: list[Finding] = []
    by_kind: dict[str, set[str]] = {}
    for unit in directory.units.values():
        by_kind.setdefault(unit.kind, set()).add(unit.name)
    plan = tasks_file.plan
    spans = {u.name: (u.since, u.until) for u in directory.units.values()
             if (u.since is not None and u.since > plan.effective_from) or (u.until is not None and u.until < plan.effective_to)}

    def expand(names: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for name in names:
            match = directory.lookup(name)
            if match is not None:
                out.update(match.units)
        return out

    for i, task in enumerate(tasks_file.tasks):
        lead = expand(task.lead)
        responsible = expand(task.responsible) - lead
        duties = tuple((duty.duty, frozenset(expand(duty.units))) for duty in task.duties)
        # A unit named only in the 任务分工 (task 3's 市政府办公室) owes the task as responsible.
        owed = lead.union(responsible, *(named for _, named in duties))
        rules = tuple((rule, _rule_units(rule, directory, by_kind)) for rule in task.rules) or (
            (plan_end_rule(tasks_file.plan.effective_to), None),)
        if all(only is not None for _, only in rules):
            unbound = owed.difference(*(only for _, only in rules if only is not None))
            for name in directory.units if unbound else ():  # in catalogue order
                if name in unbound:
                    findings.append(Finding(TASKS_FILE, ("tasks", i, "rules"), f"第 {task.id} 项任务没有一条规则适用于“{name}”"))
        by_task[task.id] = Owing(task, frozenset(lead), frozenset(owed), duties, rules, spans)
    return by_task, findings


def build(tasks_file: TasksFile, units_file: UnitsFile, version: str = "") -> tuple[Catalogue, list[Finding]]:
    """The catalogue and every inconsistency between and within the two files."""
    plan = tasks_file.plan
    inside = [u for u in units_file.units if u.overlaps(plan.effective_from, plan.effective_to)]
    outside = [u for u in units_file.units if not u.overlaps(plan.effective_from, plan.effective_to)]
    directory = Directory(inside, units_file.groups, outside, plan.year)
    findings = _check_units_file(units_file, directory)
    seen: dict[int, int] = {}
    for i, task in enumerate(tasks_file.tasks):
        if task.id in seen:
            findings.append(Finding(TASKS_FILE, ("tasks", i, "id"), f"任务序号 {task.id} 重复（第一次出现在第 {seen[task.id] + 1} 个任务）"))
        seen.setdefault(task.id, i)
        findings.extend(_check_task(i, task, tasks_file, directory))
    by_task, owing_findings = _owing(tasks_file, directory)
    findings.extend(owing_findings)
    catalogue = Catalogue(
        plan=tasks_file.plan,
        settings=tasks_file.settings,
        tasks={t.id: t for t in tasks_file.tasks},
        directory=directory,
        version=version,
        parts={p.id: p.title for p in tasks_file.parts},
        sections={s.id: s.title for p in tasks_file.parts for s in p.sections},
        _owing={task_id: by_task[task_id] for task_id in sorted(by_task)},
    )
    return catalogue, findings
