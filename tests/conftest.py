"""Shared fixtures: the repository, a fresh workspace per test, and a CLI runner."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gwgk.cli import app

REPO = Path(__file__).resolve().parent.parent
PLAN_TEXT = (REPO / "data" / "source" / "xingyi-2021-work-plan.txt").read_text(encoding="utf-8")


@dataclass
class Run:
    """The outcome of one CLI call."""

    code: int
    out: str
    err: str


def run_cli(*args: str, workspace: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run ``gwgk`` in-process through typer's CliRunner."""
    argv = (["--workspace", str(workspace)] if workspace else []) + list(args)
    result = CliRunner().invoke(app, argv, env={"COLUMNS": "160", **(env or {})}, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


CLOCK = dt.datetime(2026, 12, 6, 10, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
WRITER = "测试员"
WRITTEN = "        at: 2026-12-06 10:00:00+08:00\n        by: 测试员\n"  # what each entry written in a test carries


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process commands read a fixed moment and writer, so that what they write is known exactly."""
    import gwgk.commands.common as common

    monkeypatch.setattr(common, "_now", lambda zone: CLOCK.astimezone(zone))
    monkeypatch.setenv("GWGK_USER", WRITER)


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A new workspace made from the repository's catalogue, with no ledgers."""
    root = tmp_path / "ws"
    (root / "data").mkdir(parents=True)
    for name in ("tasks.yaml", "units.yaml"):
        shutil.copy(REPO / "data" / name, root / "data" / name)
    (root / "ledgers").mkdir()
    return root


@pytest.fixture
def demo(ws: Path) -> Path:
    """The workspace with the repository's four demo ledgers."""
    for path in (REPO / "ledgers").glob("*.yaml"):
        shutil.copy(path, ws / "ledgers" / path.name)
    return ws


def successful_outputs(ws: Path, commands: list[tuple[str, ...]]) -> list[str]:
    """What each of ``commands`` prints, each asserted to succeed."""
    results = [run_cli(*args, workspace=ws) for args in commands]
    assert all(r.code == 0 for r in results), [r.err for r in results]
    return [r.out for r in results]


def switch_review_on(ws: Path) -> Path:
    """``ws`` with 销号 review on from the start of the plan (``settings.review: true``)."""
    tasks = ws / "data" / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    tasks.write_text(text.replace("  due_soon_days: 15\n", "  due_soon_days: 15\n  review: true\n", 1), encoding="utf-8")
    return ws


@pytest.fixture
def reviewed(ws: Path) -> Path:
    """The workspace with 销号 review on from the start (``switch_review_on``)."""
    return switch_review_on(ws)


def add_next_year(ws: Path) -> Path:
    """``ws`` with a 2022 plan (``data/plans/2022.yaml``): the 2021 plan moved one year on."""
    text = (ws / "data" / "tasks.yaml").read_text(encoding="utf-8")
    (ws / "data" / "plans").mkdir()
    moved = text.replace("2021-", "2022-").replace("year: 2021", "year: 2022").replace("2021年政务公开", "2022年政务公开")
    (ws / "data" / "plans" / "2022.yaml").write_text(moved, encoding="utf-8")
    return ws


@pytest.fixture
def two_years(ws: Path) -> Path:
    """The workspace with a 2022 plan beside the 2021 one (``add_next_year``)."""
    return add_next_year(ws)


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes, to prove a refused command wrote nothing."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and ".gwgk" not in p.parts}


def remember_parsed_ledgers(ws: Path) -> list[Path]:
    """Fill the parsed-ledger cache as ``import`` and ``review --pending`` do when they read every
    ledger through ``LazyLedgers`` (reports remember timelines, not parsed ledgers); returns its entries."""
    from gwgk.commands.common import catalogue
    from gwgk.files.workspace import find
    from gwgk.ledger.store import LazyLedgers

    workspace = find(str(ws), {}, ws)
    lazy = LazyLedgers(workspace, catalogue(workspace))
    for unit in lazy.paths:
        assert lazy.get(unit) is not None, lazy.problems
    return sorted((ws / ".gwgk/cache/ledgers").glob("*.json"))
