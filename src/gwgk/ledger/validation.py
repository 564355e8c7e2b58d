"""``gwgk validate``: every problem in the catalogue and in every ledger, all at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gwgk.errors import DataError, Problem
from gwgk.files.workspace import Workspace


@dataclass
class ValidationResult:
    """What ``gwgk validate`` found."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # a draft's review marks, still to be checked
    tasks: int = 0
    units: int = 0
    ledgers: int = 0
    years: set[int] = field(default_factory=set)  # the years of the plans read


def validate_workspace(ws: Workspace, plan_path: Path | None = None) -> ValidationResult:
    """Check a plan (``data/tasks.yaml`` unless ``plan_path``), then (if it is sound) every ledger of
    that plan (``ws`` is the view of the workspace whose ledgers belong to it) against it."""
    from gwgk.catalogue.load import load_catalogue

    result = ValidationResult()
    path = plan_path or ws.tasks_path
    try:
        catalogue = load_catalogue(path, ws.units_path, ws.name(path), ws.name(ws.units_path))
    except DataError as exc:
        result.problems.extend(exc.problems)
        return result
    result.tasks, result.units = len(catalogue.tasks), len(catalogue.units)
    result.years.add(catalogue.plan.year)
    from gwgk.ledger.store import LazyLedgers

    lazy = LazyLedgers(ws, catalogue, require_sync=True)
    # each ledger read, checked and let go: a workspace of large ledgers is never in memory at once
    read = sum(1 for unit in lazy.paths if lazy.get(unit) is not None)
    result.problems.extend(lazy.problems)
    result.ledgers = read + len({p.file for p in lazy.problems})
    return result


def validate_files(ws: Workspace, files: list[tuple[Path, str]], *, every: bool) -> ValidationResult:
    """Check the catalogue ``files`` (each plan, then ``units.yaml``) and, with ``every``, each plan's
    ledgers: every problem and every ``review`` mark a draft left, all at once. The counts are
    those of ``data/tasks.yaml`` and of every ledger checked."""
    from gwgk.catalogue.load import load_catalogue, review_marks

    result = ValidationResult()
    for path, name in files:
        try:
            if every and path != ws.units_path:
                # each plan with its own ledgers: ledgers/ for data/tasks.yaml, ledgers/<year>/ for the others
                found = validate_workspace(ws if path == ws.tasks_path else ws.for_plan(path.stem), path)
                result.problems.extend(found.problems)
                if path == ws.tasks_path:
                    result.tasks, result.units = found.tasks, found.units
                result.ledgers += found.ledgers
                result.years |= found.years
            elif path != ws.units_path:
                result.years.add(load_catalogue(path, ws.units_path, name, ws.name(ws.units_path)).plan.year)
            result.warnings.extend(review_marks(path, name))
        except DataError as exc:
            result.problems.extend(exc.problems)
    if every:
        from gwgk.ledger.closing import closure_problems

        result.problems.extend(closure_problems(ws, result.years))
    result.problems = list(dict.fromkeys(result.problems))  # units.yaml's problems come with every plan read
    return result


def validation_lines(result: ValidationResult, plan: int | None) -> list[str]:
    """What ``gwgk validate`` prints: every problem, every review mark, then the verdict."""
    lines = [str(p) for p in result.problems] + [f"{w}（警告）" for w in result.warnings]
    if result.problems or result.warnings:
        found = [f"{len(result.problems)} 个问题"] if result.problems else []
        found += [f"{len(result.warnings)} 处待核对"] if result.warnings else []
        return [*lines, f"发现 {'、'.join(found)}。"]
    if plan is not None:
        return [f"校验通过：{plan} 年的计划。"]
    return [f"校验通过：{result.tasks} 项任务，{result.units} 个单位，{result.ledgers} 本台账。"]
