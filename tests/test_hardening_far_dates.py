"""Attacks with dates at the ends of the calendar (issue 30, cause 10): every date gwgk computes
from a date a user gave (``--as-of``, ``--rectify-by``, an event, an extension, a record) is
checked against the calendar's range: a located Chinese refusal or problem, never exit 3."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import run_cli

FAR = ["9999-12-31", "9999-12-25", "9999-06-30", "0001-01-01", "1900-02-28"]
COMMANDS = [
    ["overdue"], ["overdue", "-f", "json", "--no-cache"], ["report"], ["ledger", "-u", "市政府办公室"],
    ["export", "-u", "市政府办公室"], ["record", "-u", "市政府办公室", "-t", "3", "-s", "推进中", "-d", "2021-08-01"],
]


def ran(ws: Path, tmp_path: Path, args: list[str], day: str) -> tuple[int, str]:
    extra = ["-o", str(tmp_path / "out.xlsx")] if args[0] == "export" else []
    result = run_cli(*args, "--as-of", day, *extra, workspace=ws)
    assert "内部错误" not in result.err and "Traceback" not in result.err, result.err
    assert result.code in (0, 1, 2), result.err
    return result.code, result.err


@pytest.mark.parametrize("day", FAR)
def test_far_as_of_days_never_crash_any_report(demo: Path, tmp_path: Path, day: str):
    for args in [*COMMANDS, ["overdue", "-f", "docx", "-o", str(tmp_path / "n.docx")], ["report", "-f", "docx", "-o", str(tmp_path / "y.docx")]]:
        ran(demo, tmp_path, args, day)


def test_the_notice_on_the_last_day_of_the_calendar_is_a_refusal_naming_rectify_by(demo: Path, tmp_path: Path):
    result = run_cli("overdue", "--as-of", "9999-12-31", "-f", "docx", "-o", str(tmp_path / "n.docx"), workspace=demo)
    assert result.code == 2 and "--rectify-by" in result.err and "9999-12-31" in result.err
    assert not (tmp_path / "n.docx").exists()


@pytest.mark.parametrize("date", FAR)
@pytest.mark.parametrize("day", ["2021-10-08", "9999-12-31"])
def test_a_far_event_date_is_a_located_problem(demo: Path, tmp_path: Path, date: str, day: str):
    ledger = demo / "ledgers/市政府办公室.yaml"
    text = ledger.read_text(encoding="utf-8")
    assert "date: 2021-09-13" in text
    ledger.write_text(text.replace("date: 2021-09-13", f"date: {date}"), encoding="utf-8")
    line = text[: text.index("date: 2021-09-13")].count("\n") + 1
    for args in COMMANDS:
        ran(demo, tmp_path, args, day)
    check = run_cli("validate", workspace=demo)
    assert check.code == 1 and f"ledgers/市政府办公室.yaml:{line}:" in check.out + check.err


@pytest.mark.parametrize("date", ["9999-12-31", "9999-12-01", "0001-01-01"])
def test_a_far_extension_never_crashes(demo: Path, tmp_path: Path, date: str):
    ledger = demo / "ledgers/市财政局.yaml"
    text = ledger.read_text(encoding="utf-8")
    assert "to: 2021-10-31" in text
    ledger.write_text(text.replace("to: 2021-10-31", f"to: {date}"), encoding="utf-8")
    for args in [["overdue"], ["report"], ["ledger", "-u", "市财政局"], ["overdue", "-f", "docx", "-o", str(tmp_path / "n.docx")]]:
        for day in ("2021-10-08", "9999-12-31"):
            ran(demo, tmp_path, args, day)
    assert run_cli("validate", workspace=demo).code in (0, 1)


@pytest.mark.parametrize("rectify", ["9999-12-31", "0001-01-01"])
def test_far_rectify_by_days(demo: Path, tmp_path: Path, rectify: str):
    for day in ("2021-10-08", "9999-12-31"):
        ran(demo, tmp_path, ["overdue", "-f", "docx", "--rectify-by", rectify, "-o", str(tmp_path / "n.docx")], day)
