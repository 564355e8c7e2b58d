"""Attacks on hand-added entries without ``entered`` (issue 30, cause 12, second half). Such an entry
reads as entered on its own date, so it changes every report as of an earlier day; ``validate`` names
each one at its line. Entries of a ledger written before entry dates are not named."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .conftest import run_cli

F = "市财政局"


def ok(ws: Path, *args: str) -> str:
    result = run_cli(*args, workspace=ws)
    assert result.code == 0, result.err
    return result.out


def line_of(text: str, needle: str) -> int:
    return text.splitlines().index(needle) + 1


def insert_after_last_record(text: str, task: int, lines: str) -> str:
    """``lines`` appended to the records of ``task`` (the block ends where the next key of the task starts)."""
    start = text.index(f"  - task: {task}\n")
    records = text.index("    records:\n", start) + len("    records:\n")
    end = re.compile(r"^(?!      )", re.M).search(text, records).start()
    return text[:end] + lines + text[end:]


@pytest.fixture
def written(ws: Path) -> Path:
    ok(ws, "record", "-u", F, "-t", "3", "-s", "推进中", "-d", "2021-08-01", "-n", "在线更新", "--as-of", "2021-08-02")
    return ws / "ledgers" / f"{F}.yaml"


@pytest.mark.parametrize("date", ["2021-07-15", "2021-08-01", "2021-09-30"])
def test_a_record_added_by_hand_without_entered_is_named_at_its_line(ws: Path, written: Path, date: str):
    # after a dated record in its list: named whatever its own date
    text = insert_after_last_record(written.read_text(encoding="utf-8"), 3,
                                    f"      - date: {date}\n        status: 已完成\n        note: 手工补记\n")
    written.write_text(text, encoding="utf-8")
    result = run_cli("validate", workspace=ws)
    assert result.code == 1
    line = line_of(text, f"      - date: {date}")
    assert (f"ledgers/{F}.yaml:{line}:9: 第 3 项的记录没有登记日期（entered）：按它自己的日期 {date} 算作当天登记，"
            "会改变截至此前各日的报告；手工添加的条目请写上 entered: 实际添加的日期") in result.out.splitlines()
    assert result.out.splitlines()[-1] == "发现 1 个问题。"
    # with entered written, nothing to name
    written.write_text(text.replace(f"      - date: {date}\n", f"      - date: {date}\n        entered: 2021-10-08\n"), encoding="utf-8")
    assert ok(ws, "validate").startswith("校验通过")


def test_an_event_or_a_record_of_another_task_added_later_than_anything_entered_is_named(ws: Path, written: Path):
    text = written.read_text(encoding="utf-8")
    start = text.index("  - task: 6\n")
    end = text.index("  - task:", start + 1)
    block = text[start:end] + "    events:\n      - key: E1\n        title: 2021年预算批复\n        date: 2021-09-01\n"
    block += "    records:\n      - date: 2021-09-20\n        status: 已完成\n        instance: E1\n"
    text = text[:start] + block + text[end:]
    written.write_text(text, encoding="utf-8")
    result = run_cli("validate", workspace=ws)
    out = result.out.splitlines()
    assert result.code == 1 and out[-1] == "发现 2 个问题。"
    assert {line.split("：")[0] for line in out[:2]} == {
        f"ledgers/{F}.yaml:{line_of(text, '      - date: 2021-09-20')}:9: 第 6 项的记录没有登记日期（entered）",
        f"ledgers/{F}.yaml:{line_of(text, '      - key: E1')}:9: 第 6 项的事件 E1 没有登记日期（entered）"}
    # the reason it matters: the record counts in a report as of a day before it was typed
    before = json.loads(ok(ws, "ledger", "-u", F, "--as-of", "2021-09-25", "--format", "json"))
    task6 = next(t for t in before["tasks"] if t["task"] == 6)
    assert task6["instances"][0]["records"][0]["date"] == "2021-09-20"


def test_a_ledger_written_before_entry_dates_is_not_named(demo: Path):
    ws = demo
    # the bundled ledgers hold no entered at all; a gwgk write then appends dated entries after them
    path = ws / "ledgers" / f"{F}.yaml"
    assert "entered" not in path.read_text(encoding="utf-8") and "records:" in path.read_text(encoding="utf-8")
    assert ok(ws, "validate").startswith("校验通过")
    ok(ws, "record", "-u", F, "-t", "3", "-s", "推进中", "-d", "2021-10-01", "-n", "在线更新", "--as-of", "2021-10-08")
    assert "entered: 2021-10-08" in path.read_text(encoding="utf-8")
    assert ok(ws, "validate").startswith("校验通过")
