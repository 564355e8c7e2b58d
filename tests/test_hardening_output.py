"""Attacks on ``--output`` (issue 30, cause 1): the report folder swapped for a link to ``ledgers/``
between the check and the write, and the current folder deleted (cause 21)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from gwgk.commands import common
from gwgk.files import storage

from .conftest import run_cli

AS_OF = ["--as-of", "2021-10-08"]
LEDGER = "ledgers/市财政局.yaml"
COMMANDS = [["overdue", *AS_OF, "-f", "md"], ["report", *AS_OF, "-f", "md"], ["ledger", "-u", "市财政局", *AS_OF, "-f", "md"]]


def ledger_bytes(ws: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((ws / "ledgers").iterdir()) if p.is_file()}


@pytest.fixture
def raced(ws: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A workspace with a ledger, and a report folder outside it that an attacker can swap."""
    assert run_cli("ledger", "-u", "市财政局", *AS_OF, workspace=ws).code == 0
    reports = tmp_path / "reports"
    reports.mkdir()
    return ws, reports


def swap_for_link(reports: Path, ws: Path) -> None:
    """The attacker's move: the report folder becomes a link to ``ledgers/``."""
    reports.rename(reports.with_name("reports.orig"))
    reports.symlink_to(ws / "ledgers")


def swap_once_checked(monkeypatch, reports: Path, ws: Path) -> None:  # noqa: ANN001
    """The swap lands exactly between ``--output``'s name check and the write."""
    checked = common.output_path

    def check_then_swap(template, day, *rest):  # noqa: ANN001, ANN002, ANN202
        path = checked(template, day, *rest)
        swap_for_link(reports, ws)
        return path

    monkeypatch.setattr(common, "output_path", check_then_swap)


def swap_once_opened(monkeypatch, reports: Path, ws: Path) -> list[bool]:  # noqa: ANN001
    """The swap lands right after the report folder is opened (the list says whether it did)."""
    opened = os.open
    swapped: list[bool] = []

    def open_then_swap(path, flags, *args, **kwargs):  # noqa: ANN001, ANN202
        fd = opened(path, flags, *args, **kwargs)
        if not swapped and flags & getattr(os, "O_DIRECTORY", 0) and str(path) == str(reports):
            swapped.append(True)
            swap_for_link(reports, ws)
        return fd

    monkeypatch.setattr(os, "open", open_then_swap)
    return swapped


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_folder_swapped_after_the_check_never_reaches_ledgers(raced, monkeypatch, args):
    """The swap lands exactly between the name check and the write: on main the ledger was
    replaced by the report (exit 0)."""
    ws, reports = raced
    swap_once_checked(monkeypatch, reports, ws)
    before = ledger_bytes(ws)
    result = run_cli(*args, "-o", str(reports / "市财政局.yaml"), workspace=ws)
    assert ledger_bytes(ws) == before
    assert result.code == 2, result.err
    assert "--output 不能写到工作区的 ledgers/ 文件夹里" in result.err
    assert "已经写入" not in result.err
    assert not [p for p in (ws / "ledgers").iterdir() if p.name.startswith(storage.TEMP_PREFIX)]


def test_folder_above_swapped_is_caught_too(ws: Path, tmp_path: Path, monkeypatch):
    """The link is one level up: ``reports/2021`` where ``reports`` becomes a link to the workspace."""
    assert run_cli("ledger", "-u", "市财政局", *AS_OF, workspace=ws).code == 0
    outer = tmp_path / "out"
    (outer / "ledgers").mkdir(parents=True)
    checked = common.output_path

    def check_then_swap(template, day, *rest):  # noqa: ANN001, ANN002, ANN202
        path = checked(template, day, *rest)
        outer.rename(tmp_path / "out.orig")
        outer.symlink_to(ws)
        return path

    monkeypatch.setattr(common, "output_path", check_then_swap)
    before = ledger_bytes(ws)
    result = run_cli("overdue", *AS_OF, "-o", str(outer / "ledgers" / "市财政局.yaml"), workspace=ws)
    assert ledger_bytes(ws) == before
    assert result.code == 2 and "不能写到工作区的 ledgers/" in result.err


def test_folder_swapped_after_it_was_opened_gets_the_report(raced, monkeypatch):
    """Once the folder is open, swapping its name changes nothing: the report goes to the folder
    that was checked (now under its new name), the ledgers are untouched."""
    ws, reports = raced
    swapped = swap_once_opened(monkeypatch, reports, ws)
    before = ledger_bytes(ws)
    result = run_cli("overdue", *AS_OF, "-f", "md", "-o", str(reports / "市财政局.yaml"), workspace=ws)
    monkeypatch.undo()
    assert swapped and result.code == 0, result.err
    assert ledger_bytes(ws) == before
    assert "回头看" in (reports.with_name("reports.orig") / "市财政局.yaml").read_text(encoding="utf-8")


def test_a_folder_flipping_between_real_and_link_never_loses_a_ledger(raced):
    """A thread flips the report folder between a real folder and a link to ``ledgers/`` while
    reports are written into it: every run writes the report folder or refuses, never a ledger."""
    ws, reports = raced
    real = reports.with_name("reports.real")
    real.mkdir()
    link = reports.with_name("reports.link")
    link.symlink_to(ws / "ledgers")
    reports.rmdir()
    os.symlink(real, reports)
    stop = threading.Event()

    def flip() -> None:
        while not stop.is_set():
            for source in (link, real):
                tmp = reports.with_name("reports.tmp")
                try:
                    os.symlink(source, tmp)
                    os.replace(tmp, reports)  # the name points at ledgers/, then at the real folder
                except OSError:
                    pass

    before = ledger_bytes(ws)
    flipper = threading.Thread(target=flip)
    flipper.start()
    try:
        for i in range(60):
            args = COMMANDS[i % 3]
            result = run_cli(*args, "-o", str(reports / "市财政局.yaml"), workspace=ws)
            assert result.code in (0, 2), result.err
            if result.code == 2:
                assert "不能写到工作区的 ledgers/" in result.err or "无法" in result.err, result.err
    finally:
        stop.set()
        flipper.join()
    assert ledger_bytes(ws) == before
    assert not [p for p in (ws / "ledgers").iterdir() if p.name.startswith(storage.TEMP_PREFIX)]


def test_output_into_a_protected_folder_given_relative_is_refused(ws: Path, monkeypatch):
    assert run_cli("ledger", "-u", "市财政局", *AS_OF, workspace=ws).code == 0
    monkeypatch.chdir(ws / "ledgers")
    before = ledger_bytes(ws)
    result = run_cli("overdue", *AS_OF, "-o", "市财政局.yaml", workspace=ws)
    assert result.code == 2 and "不能写到工作区的 ledgers/" in result.err
    assert ledger_bytes(ws) == before


def test_export_all_into_a_folder_swapped_after_the_check_never_reaches_ledgers(raced, monkeypatch):
    ws, reports = raced
    swap_once_checked(monkeypatch, reports, ws)
    before = ledger_bytes(ws)
    result = run_cli("export", "--all", *AS_OF, "-o", str(reports), workspace=ws)
    assert result.code == 2 and "不能写到工作区的 ledgers/" in result.err, result.err
    assert ledger_bytes(ws) == before


def test_export_all_into_a_folder_swapped_after_it_was_opened_writes_the_opened_folder(raced, monkeypatch):
    ws, reports = raced
    swapped = swap_once_opened(monkeypatch, reports, ws)
    before = ledger_bytes(ws)
    result = run_cli("export", "--all", *AS_OF, "-o", str(reports), workspace=ws)
    monkeypatch.undo()
    assert swapped and result.code == 0, result.err
    assert ledger_bytes(ws) == before
    assert len(list(reports.with_name("reports.orig").glob("*.xlsx"))) > 40


def test_a_check_sheet_never_lands_in_the_workspaces_own_folders(ws: Path, tmp_path: Path, monkeypatch):
    """``plan draft --check-sheet`` writes through one descriptor of its folder as ``--output`` does:
    a folder that is (or becomes, after the name was checked) a link into ``ledgers/`` is refused."""
    from gwgk.commands import plans

    source = Path(__file__).parent / "plans" / "lanxi-county-2023" / "published.txt"
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    named = plans._sheet_kind

    def check_then_swap(path):  # noqa: ANN001, ANN202
        kind = named(path)
        swap_for_link(sheets, ws)
        return kind

    monkeypatch.setattr(plans, "_sheet_kind", check_then_swap)
    before = {str(p): p.read_bytes() for p in ws.rglob("*") if p.is_file() and ".gwgk" not in p.parts}
    result = run_cli("plan", "draft", str(source), "--check-sheet", str(sheets / "核对表.html"), workspace=ws)
    assert result.code == 2, result.err
    assert "--check-sheet 不能写到工作区的 ledgers/ 文件夹里" in result.err and "Traceback" not in result.err
    assert {str(p): p.read_bytes() for p in ws.rglob("*") if p.is_file() and ".gwgk" not in p.parts} == before
    monkeypatch.undo()
    # given straight into data/, refused the same way
    result = run_cli("plan", "draft", str(source), "--check-sheet", str(ws / "data" / "核对表.xlsx"), workspace=ws)
    assert result.code == 2 and "--check-sheet 不能写到工作区的 data/ 文件夹里" in result.err
    assert not (ws / "data" / "核对表.xlsx").exists()
