"""The catalogue from its two files: each read and validated by the loader, then cross-checked;
the plans of a workspace (``data/tasks.yaml`` and ``data/plans/<year>.yaml``), and review marks."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gwgk.catalogue.model import TASKS_FILE, UNITS_FILE, Catalogue, build
from gwgk.catalogue.plan import PlanMeta, TasksFile
from gwgk.catalogue.units import UnitsFile
from gwgk.errors import DataError, Problem, UsageError
from gwgk.files.loader import load_model, located, read_bytes
from gwgk.files.yamlio import load_fast


def load_catalogue(tasks_path: Path, units_path: Path, tasks_name: str, units_name: str,
                   cache_dir: Path | None = None) -> Catalogue:
    """The catalogue from its two files; ``DataError`` listing every problem in both."""
    problems: list[Problem] = []
    loaded: dict[str, tuple[Any, str]] = {}
    for key, path, name, model in (
        (TASKS_FILE, tasks_path, tasks_name, TasksFile),
        (UNITS_FILE, units_path, units_name, UnitsFile),
    ):
        try:
            loaded[key] = load_model(path, model, name, cache_dir)
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError("任务目录有错误", problems)
    (tasks_file, tasks_text), (units_file, units_text) = loaded[TASKS_FILE], loaded[UNITS_FILE]
    version = hashlib.sha256((tasks_text + "\x00" + units_text).encode("utf-8")).hexdigest()[:12]
    catalogue, findings = build(tasks_file, units_file, version)
    if findings:
        texts = {TASKS_FILE: (tasks_text, tasks_name), UNITS_FILE: (units_text, units_name)}
        raise DataError(
            "任务目录有错误",
            [located(texts[f.file][0], texts[f.file][1], f.path, f.message) for f in findings],
        )
    return catalogue


# ---------------------------------------------------------------- several plans in one workspace

PLANS_FOLDER = "plans"


@dataclass(frozen=True)
class PlanFile:
    """One plan of a workspace: its file, how the user sees that file, and its metadata."""

    path: Path
    name: str
    meta: PlanMeta
    tasks: int


def plan_paths(tasks_path: Path) -> list[Path]:
    """``data/tasks.yaml`` and every ``data/plans/<year>.yaml`` beside it, in year order."""
    folder = tasks_path.parent / PLANS_FOLDER
    found = sorted(folder.glob("*.yaml"), key=lambda p: (not p.stem.isdigit(), p.stem)) if folder.is_dir() else []
    return [tasks_path, *found]


def load_plans(tasks_path: Path, root: Path, cache_dir: Path | None = None) -> list[PlanFile]:
    """Every plan of the workspace, by year; ``DataError`` listing every broken file or repeated year."""
    problems: list[Problem] = []
    plans: list[PlanFile] = []
    for path in plan_paths(tasks_path):
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        try:
            tasks_file, text = load_model(path, TasksFile, name, cache_dir)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        if path.parent.name == PLANS_FOLDER and path.stem != str(tasks_file.plan.year):
            year = tasks_file.plan.year
            problems.append(located(text, name, ("plan", "year"), f"文件名是 {path.stem}，计划年度却是 {year}（应为 {year}.yaml）"))
        clash = next((p for p in plans if p.meta.year == tasks_file.plan.year), None)
        if clash is not None:
            problems.append(located(text, name, ("plan", "year"), f"{tasks_file.plan.year} 年的计划已在 {clash.name} 中"))
        plans.append(PlanFile(path, name, tasks_file.plan, len(tasks_file.tasks)))
    if problems:
        raise DataError("计划文件有错误", problems)
    return sorted(plans, key=lambda p: p.meta.year)


def current_plan(plans: list[PlanFile], as_of: dt.date) -> PlanFile:
    """The latest plan whose period has begun by ``as_of`` (the earliest plan if none has)."""
    begun = [p for p in plans if p.meta.effective_from <= as_of]
    return begun[-1] if begun else plans[0]


def chosen_plan(plans: list[PlanFile], year: int | None, as_of: dt.date) -> PlanFile:
    """The plan of ``year`` (``UsageError`` naming the years there are), or the current one."""
    if year is None:
        return current_plan(plans, as_of)
    for plan in plans:
        if plan.meta.year == year:
            return plan
    have = "、".join(str(p.meta.year) for p in plans)
    raise UsageError(f"工作区里没有 {year} 年的计划（现有：{have}）；可用 gwgk plan draft 添加")


def review_marks(path: Path, name: str) -> list[Problem]:
    """Every ``review`` mark in a catalogue file, located, as a warning to show the user."""
    text = read_bytes(path, name).decode("utf-8-sig", errors="replace")
    data = load_fast(text, name)
    found: list[Problem] = []

    def walk(node: Any, loc: tuple[Any, ...]) -> None:
        if isinstance(node, dict):
            # a draft's mark is text; ``settings.review: true`` is the 销号 switch, not a mark
            if node.get("review") not in (None, "") and not isinstance(node.get("review"), bool):
                where = located(text, name, (*loc, "review"), f"待核对：{node['review']}")
                found.append(where)
            for key, value in node.items():
                walk(value, (*loc, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, (*loc, index))

    walk(data, ())
    return found
