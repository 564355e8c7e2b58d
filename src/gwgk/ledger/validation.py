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
    tasks: int = 0
    units: int = 0
    ledgers: int = 0


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
    from gwgk.ledger.store import load_all

    ledgers, problems = load_all(ws, catalogue, require_sync=True)
    result.problems.extend(problems)
    result.ledgers = len(ledgers) + len({p.file for p in problems})
    return result
