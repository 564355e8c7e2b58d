"""Ledgers under 1 MB with thousands of entries of one kind (issue 30: nothing handed in under 1 MB
runs past 5 s). Found by hand: 4,000 records each withdrawn made ``ledger -u`` look up the task's
withdrawals once per record (5.3 s), and 4,000 events made ``export`` style every cell through
openpyxl's hashing (12.6 s). The work done is counted here; the seconds are rows of
``benchmarks/run.py``."""

from __future__ import annotations

import io
from pathlib import Path

from gwgk.entries import history
from gwgk.reports import ledger as ledger_report_module

from .conftest import run_cli

F = "市财政局"
HEAD = "unit: 市财政局\ntasks:\n"


def withdrawn_ledger(count: int) -> str:
    """Task 7 with ``count`` records, each withdrawn, and as many reviews of other records."""
    records = "".join(f"      - id: R{i}\n        date: 2021-07-{1 + i % 28:02d}\n        status: 已完成\n        instance: 2021Q3\n"
                      f"        entered: 2021-09-01\n" for i in range(1, count + 1))
    withdrawals = "".join(f"      - id: W{i}\n        target: R{i}\n        entered: 2021-09-02\n        reason: 错\n"
                          for i in range(1, count + 1))
    return HEAD + "  - task: 7\n    role: 牵头\n    records:\n" + records + "    withdrawals:\n" + withdrawals


def events_ledger(count: int) -> str:
    """Task 6 (an event task) with ``count`` events."""
    events = "".join(f"      - key: E{i}\n        title: 事件{i}\n        date: 2021-07-{1 + i % 28:02d}\n        entered: 2021-08-01\n"
                     for i in range(1, count + 1))
    return HEAD + "  - task: 6\n    role: 牵头\n    events:\n" + events


def test_withdrawals_are_looked_up_once_a_task_not_once_a_record(ws: Path, monkeypatch):
    text = withdrawn_ledger(4000)
    assert len(text.encode()) < 1024 * 1024
    (ws / "ledgers" / f"{F}.yaml").write_text(text, encoding="utf-8")
    calls = []
    real = history.withdrawn

    def counted(task):  # noqa: ANN001, ANN202
        calls.append(task.task)
        return real(task)

    monkeypatch.setattr(ledger_report_module, "withdrawn", counted)
    result = run_cli("ledger", "-u", F, "--as-of", "2021-10-08", "--format", "json", workspace=ws)
    assert result.code == 0, result.err
    assert calls.count(7) == 1
    assert result.out.count('"withdrawn": {') == 4000


def test_four_thousand_event_rows_are_styled_as_one_and_read_back(ws: Path, tmp_path: Path, monkeypatch):
    from openpyxl import load_workbook
    from openpyxl.styles import Protection

    text = events_ledger(4000)
    assert len(text.encode()) < 1024 * 1024
    (ws / "ledgers" / f"{F}.yaml").write_text(text, encoding="utf-8")
    made = []
    real = Protection.__init__

    def counted(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        made.append(1)
        real(self, *args, **kwargs)

    monkeypatch.setattr(Protection, "__init__", counted)
    out = tmp_path / "events.xlsx"
    result = run_cli("export", "-u", F, "--as-of", "2021-10-08", "-o", str(out), workspace=ws)
    assert result.code == 0, result.err
    assert len(made) < 50  # a style per kind of cell, not one per cell (4,000 rows × 5 open cells)
    sheet = load_workbook(io.BytesIO(out.read_bytes())).worksheets[0]
    rows = [r for r in range(1, sheet.max_row + 1) if str(sheet.cell(r, 14).value or "").startswith(f"{F}|6|E")]
    assert len(rows) == 4000
    last = rows[-1]
    # every row styled as the first: open (blue-headed) cells to fill, grey locked ones
    assert not sheet.cell(last, 9).protection.locked and sheet.cell(last, 1).protection.locked
    assert sheet.cell(last, 1).fill.fgColor.rgb == sheet.cell(rows[0], 1).fill.fgColor.rgb
