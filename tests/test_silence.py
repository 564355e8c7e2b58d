"""未报送事件 (issue 28): a unit that registered no event for an event task by the day the office set
(``settings.expect_events_by`` for every event task, or a task rule's ``expect_event_by``) is listed
in the 回头看, so silence is visible.

市财政局 owes ten tasks with an event rule: 1, 5, 6, 13, 14, 16, 17, 18, 19, 22 (data/tasks.yaml).
"""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import run_cli

F = "市财政局"
EVENT_TASKS = [1, 5, 6, 13, 14, 16, 17, 18, 19, 22]


def ok(ws: Path, *args: str) -> str:
    result = run_cli(*args, workspace=ws)
    assert result.code == 0, result.err
    return result.out


def setting(ws: Path, text: str) -> None:
    tasks = ws / "data" / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("  due_soon_days: 15\n", f"  due_soon_days: 15\n{text}", 1),
                     encoding="utf-8")


def silent(ws: Path, day: str) -> list[dict]:
    data = json.loads(ok(ws, "overdue", "-u", F, "--as-of", day, "--format", "json"))
    return [i for i in data["items"] if i["state"] == "no_event"]


def test_every_event_task_without_an_event_is_listed_after_the_day_set(ws: Path):
    setting(ws, "  expect_events_by: 2021-09-30\n")
    assert silent(ws, "2021-09-30") == []  # by that day, not yet after it
    items = silent(ws, "2021-10-08")
    assert sorted(i["task"] for i in items) == EVENT_TASKS
    six = next(i for i in items if i["task"] == 6)
    assert (six["state_label"], six["due"], six["idle_days"], six["instance"]) == ("未报送事件", "2021-09-30", 8, "（无事件）")
    data = json.loads(ok(ws, "overdue", "-u", F, "--as-of", "2021-10-08", "--format", "json"))
    assert data["total_no_event"] == 10 and data["units"][0]["no_event"] == 10
    shown = ok(ws, "overdue", "-u", F, "--as-of", "2021-10-08")
    assert "有 10 项有触发事件的任务到期未报送任何事件（未报送事件）。" in shown
    # an event registered (on any day) takes the task off the list from the day it is entered
    ok(ws, "record", "-u", F, "-t", "6", "--event", "2021年预算批复", "--date", "2021-09-01", "--as-of", "2021-10-09")
    assert 6 in [i["task"] for i in silent(ws, "2021-10-08")]  # a past day is unchanged
    assert 6 not in [i["task"] for i in silent(ws, "2021-10-09")]
    # withdrawn, it no longer counts
    ok(ws, "record", "-u", F, "--withdraw", "E1", "-t", "6", "--reason", "登记错了", "--as-of", "2021-10-10")
    assert 6 in [i["task"] for i in silent(ws, "2021-10-10")]


def test_a_task_rule_sets_its_own_day(ws: Path):
    tasks = ws / "data" / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    marker = "        trigger: 上年度决算、本年度预算形成\n"
    assert marker in text
    tasks.write_text(text.replace(marker, marker + "        expect_event_by: 2021-08-31\n", 1), encoding="utf-8")
    assert [i["task"] for i in silent(ws, "2021-09-01")] == [6]
    assert silent(ws, "2021-08-31") == []
    # every unit owing task 6 without an event: 45 units (data/tasks.yaml: task 6 is owed by 45)
    data = json.loads(ok(ws, "overdue", "--as-of", "2021-09-01", "--format", "json"))
    assert data["total_no_event"] == 45


def test_nothing_is_listed_when_the_office_sets_no_day(ws: Path):
    assert silent(ws, "2021-12-31") == []


def test_a_task_marked_not_applicable_as_a_whole_is_not_silent(ws: Path):
    """No such event this year: the unit says so with a whole-task 不适用, and is no longer listed
    from the day that is entered (withdrawn, it is listed again)."""
    setting(ws, "  expect_events_by: 2021-09-30\n")
    ok(ws, "record", "-u", F, "-t", "16", "-s", "不适用", "-d", "2021-10-09", "-r", "本年度未发生涉及本单位的政务舆情",
       "--as-of", "2021-10-09")
    assert 16 in [i["task"] for i in silent(ws, "2021-10-08")]
    assert 16 not in [i["task"] for i in silent(ws, "2021-10-09")]
    ok(ws, "record", "-u", F, "--withdraw", "R1", "--reason", "登记错了", "--as-of", "2021-10-10")
    assert 16 in [i["task"] for i in silent(ws, "2021-10-10")]


def test_the_reminder_chases_silence_too(ws: Path):
    setting(ws, "  expect_events_by: 2021-09-30\n")
    text = ok(ws, "remind", "-u", F, "--as-of", "2021-10-08", "--dry-run")
    lines = text.splitlines()
    head = next(n for n, line in enumerate(lines) if "、未报送触发事件（10项）" in line)
    assert lines[head + 3] == ("  3. 第6项“预决算公开”：截至2021年9月30日仍未报送任何触发事件；事件已发生的，请在工作台账中填报事件名称、日期"
                               "和办理情况，本年度没有发生的，请登记“不适用”并写明原因。")
    data = json.loads(ok(ws, "remind", "-u", F, "--as-of", "2021-10-08", "--dry-run", "--format", "json"))
    assert sum(i["state"] == "no_event" for i in data["messages"][0]["items"]) == 10


def test_a_unit_set_up_later_has_as_long_from_its_first_day(ws: Path):
    """The plan runs from 2021-06-24; an event is expected by 2021-09-30, 98 days on. A unit set up
    on 2021-07-01 is given 98 days from then: 2021-10-07. One set up after that is not listed this
    year at all, nor is one wound up before the day (found by an attack on issue 28)."""
    from .test_record_history import set_units

    setting(ws, "  expect_events_by: 2021-09-30\n")
    set_units(ws, "  - name: 市医疗保障局\n    kind: department\n    source: 本单位添加\n    since: 2021-07-01\n"
                  "  - name: 市数据局\n    kind: department\n    source: 本单位添加\n    since: 2021-11-01\n")
    units = ws / "data" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("  - name: 市教育局\n", "  - name: 市教育局\n    until: 2021-09-15\n", 1),
                     encoding="utf-8")

    def no_event(unit: str, day: str) -> list[str]:
        data = json.loads(ok(ws, "overdue", "-u", unit, "--as-of", day, "--format", "json"))
        return sorted({i["due"] for i in data["items"] if i["state"] == "no_event"})

    assert no_event("市医疗保障局", "2021-10-07") == []
    assert no_event("市医疗保障局", "2021-10-08") == ["2021-10-07"]
    assert no_event("市数据局", "2021-12-31") == []
    assert no_event("市教育局", "2021-12-31") == []
    assert no_event(F, "2021-10-08") == ["2021-09-30"]


def test_cron_sees_silence_too(ws: Path):
    """``overdue --check`` exits 1 and ``--quiet`` speaks when the only findings are 未报送事件."""
    setting(ws, "  expect_events_by: 2021-06-30\n")
    for task in range(1, 34):  # every instance of 市财政局 settled: only silence is left
        run_cli("record", "-u", F, "-t", str(task), "-s", "不适用", "-d", "2021-06-25", "-r", "测试", "--as-of", "2021-06-25", workspace=ws)
    data = json.loads(ok(ws, "overdue", "-u", F, "--as-of", "2021-07-01", "--format", "json"))
    assert (data["total_overdue"], data["total_no_event"]) == (0, 0)  # whole-task 不适用 ends silence too
    view = json.loads(ok(ws, "ledger", "-u", F, "--as-of", "2021-07-01", "--format", "json"))
    six = next(t for t in view["tasks"] if t["task"] == 6)["unplaced"][0]["id"]  # its whole-task 不适用, shown apart
    ok(ws, "record", "-u", F, "--withdraw", six, "--reason", "登记错了", "--as-of", "2021-07-01")  # task 6 is open again
    data = json.loads(ok(ws, "overdue", "-u", F, "--as-of", "2021-07-02", "--format", "json"))
    assert (data["total_overdue"], data["total_no_event"]) == (0, 1)
    result = run_cli("overdue", "-u", F, "--as-of", "2021-07-02", "--check", "--quiet", workspace=ws)
    assert result.code == 1 and "未报送事件" in result.out


def test_a_whole_task_not_applicable_shows_on_the_row_of_an_event_task_without_events(ws: Path):
    ok(ws, "record", "-u", F, "-t", "16", "-s", "不适用", "-d", "2021-10-09", "-r", "本年度未发生", "--as-of", "2021-10-09")
    rows = [line for line in ok(ws, "ledger", "-u", F, "--as-of", "2021-10-09", "--format", "md").splitlines() if line.startswith("| 16 |")]
    assert rows and rows[0].split(" | ")[5] == "整项任务不适用（R1：本年度未发生）"
    view = json.loads(ok(ws, "ledger", "-u", F, "--as-of", "2021-10-09", "--format", "json"))
    unplaced = next(t for t in view["tasks"] if t["task"] == 16)["unplaced"]
    assert [(r["id"], r["whole_task"]) for r in unplaced] == [("R1", True)]
    # before it was entered, the row waits for an event as before
    rows = [line for line in ok(ws, "ledger", "-u", F, "--as-of", "2021-10-08", "--format", "md").splitlines() if line.startswith("| 16 |")]
    assert rows[0].split(" | ")[5] == "待登记触发事件"


def test_silence_is_shown_as_days_past_the_day_an_event_was_expected(ws: Path):
    setting(ws, "  expect_events_by: 2021-09-30\n")
    md = [line for line in ok(ws, "overdue", "-u", F, "--as-of", "2021-10-08", "--format", "md").splitlines()
          if line.startswith("| 市财政局 | 6 |") or line.startswith("|  | 6 |")]
    assert md and md[0].split(" | ")[7:9] == ["—", "未报送事件（期限已过8天）"]
    csv_rows = [line.split(",") for line in ok(ws, "overdue", "-u", F, "--as-of", "2021-10-08", "--format", "csv").splitlines()]
    six = next(r for r in csv_rows if r[1] == "6")
    assert six[5:9] == ["（无事件）", "2021-09-30", "—", "未报送事件（期限已过8天）"]
