"""The catalogue from its two files: each read and validated by the loader, then cross-checked."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from gwgk.catalogue.model import TASKS_FILE, UNITS_FILE, Catalogue, build
from gwgk.catalogue.plan import TasksFile
from gwgk.catalogue.units import UnitsFile
from gwgk.errors import DataError, Problem
from gwgk.files.loader import load_model, located


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
