"""``gwgk overdue`` and ``gwgk report`` on small workspaces, with exact expected contents."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import REPO, run_cli, tree_bytes

GOLDEN = Path(__file__).parent / "golden"
AS_OF = ["--as-of", "2021-10-08"]


def overdue_json(ws: Path, *args: str) -> dict:
    result = run_cli("overdue", *AS_OF, "--format", "json", *args, workspace=ws)
    assert result.code == 0, result.err
    return json.loads(result.out)


def record(ws: Path, *args: str) -> None:
    result = run_cli("record", *args, *AS_OF, workspace=ws)
    assert result.code == 0, result.err


# An empty ledger of a department on 2021-10-08, worked out by hand from the plan:
# 6月底 tasks 18, 23, 25, 27, 33 and the Q2/B3 periods are 100 days late; B4 (Jul-Aug) 38 days;
# 9月底 tasks 1, 2 and the Q3 periods 8 days; 长期 tasks lag 16 days (2021-06-24 + 90 = 09-22).
EMPTY_DEPARTMENT = [
    (7, "2021Q2", 100), (8, "2021Q2", 100), (12, "2021B3", 100), (18, "2021-06-30", 100), (23, "2021-06-30", 100),
    (25, "2021-06-30", 100), (27, "2021-06-30", 100), (31, "2021Q2", 100), (33, "2021-06-30", 100), (12, "2021B4", 38),
    (1, "2021-09-30", 8), (2, "2021-09-30", 8), (7, "2021Q3", 8), (8, "2021Q3", 8), (31, "2021Q3", 8),
]
# lagging counts the days since the plan took effect (2021-06-24 to 10-08: 106), not days overdue
LAGGING = [(3, "长期", 106), (4, "长期", 106), (20, "长期", 106), (28, "长期", 106), (32, "长期", 106), (33, "长期", 106)]


def triples(data: dict, state: str) -> list[tuple[int, str, int]]:
    days = "idle_days" if state == "lagging" else "days_overdue"
    return [(i["task"], i["instance"], i[days]) for i in data["items"] if i["state"] == state]


def test_a_department_that_never_opened_its_ledger_owes_everything(ws: Path):
    data = overdue_json(ws, "--unit", "市财政局")
    assert data["as_of"] == "2021-10-08"
    assert triples(data, "overdue") == EMPTY_DEPARTMENT
    assert triples(data, "lagging") == LAGGING
    # the fields the JSON always had, then (additions) what it owed and what became of it: 15 past due,
    # all overdue; 6 instances not yet due
    assert data["units"] == [{"unit": "市财政局", "overdue": 15, "lagging": 6, "submitted": 0, "no_event": 0, "owed": 15, "done_on_time": 0,
                              "done_late": 0, "not_applicable": 0, "not_due": 6}]
    assert (data["total_owed"], data["total_not_due"]) == (15, 6)
    first = data["items"][0]
    assert {k: first[k] for k in ("unit", "task", "instance", "due", "days_overdue", "state", "role")} == {
        "unit": "市财政局", "task": 7, "instance": "2021Q2", "due": "2021-06-30", "days_overdue": 100, "state": "overdue", "role": "lead"}
    assert not (ws / "ledgers/市财政局.yaml").exists()  # reading never creates files


def test_recording_removes_lines(ws: Path):
    record(ws, "--unit", "市财政局", "--task", "7", "--status", "done", "--date", "2021-09-28")
    record(ws, "--unit", "市财政局", "--task", "2", "--status", "done", "--date", "2021-10-05")
    data = overdue_json(ws, "--unit", "市财政局")
    assert triples(data, "overdue") == [t for t in EMPTY_DEPARTMENT if t[:2] not in ((7, "2021Q3"), (2, "2021-09-30"))]
    ledger = json.loads(run_cli("ledger", "--unit", "市财政局", *AS_OF, "--format", "json", workspace=ws).out)
    task2 = next(t for t in ledger["tasks"] if t["task"] == 2)
    assert task2["instances"] == [task2["instances"][0]] and task2["instances"][0]["state"] == "done_late"
    assert task2["instances"][0]["light"] == "green"


def test_an_event_twenty_working_days_overdue_by_nine(ws: Path):
    record(ws, "--unit", "市财政局", "--task", "6", "--event", "2021年预算批复", "--date", "2021-09-01")
    data = overdue_json(ws, "--unit", "市财政局")
    (item,) = [i for i in data["items"] if i["task"] == 6]
    assert (item["instance"], item["due"], item["days_overdue"]) == ("E1", "2021-09-29", 9)


def test_extension_shows_the_original_date(ws: Path):
    record(ws, "--unit", "敬南镇", "--task", "27", "--extend", "2021-06-30", "--to", "2021-07-31", "--reason", "村委会换届")
    data = overdue_json(ws, "--unit", "敬南镇")
    (item,) = [i for i in data["items"] if i["task"] == 27]
    assert (item["due"], item["original_due"], item["extended"], item["days_overdue"]) == ("2021-07-31", "2021-06-30", True, 69)


def test_group_and_ordering(ws: Path):
    record(ws, "--unit", "黄草街道", "--task", "33", "--status", "done", "--date", "2021-06-30", "--instance", "2021-06-30")
    data = overdue_json(ws, "--group", "各乡镇(街道)")
    assert len(data["units"]) == 32
    assert data["units"][-1]["unit"] == "黄草街道"  # one item fewer: the least behind comes last
    # 1+2 (9月底), 7 and 8 (Q2, Q3), 12 (June-September), 18, 23, 25, 27, 33 (6月底), 31 (Q2, Q3)
    assert data["units"][0]["overdue"] == data["units"][1]["overdue"] == 1 + 1 + 2 + 2 + 4 + 1 + 1 + 1 + 1 + 1 + 2
    bad = run_cli("overdue", *AS_OF, "--group", "市直部门们", workspace=ws)
    assert bad.code == 2 and bad.err.startswith("错误：没有单位组“市直部门们”")


def test_exit_codes_check_and_quiet(ws: Path):
    assert run_cli("overdue", *AS_OF, "--unit", "市财政局", "--check", workspace=ws).code == 1
    assert run_cli("overdue", *AS_OF, "--unit", "市财政局", workspace=ws).code == 0
    early = run_cli("overdue", "--as-of", "2021-06-25", "--check", "--quiet", workspace=ws)
    assert (early.code, early.out, early.err) == (0, "", "")
    loud = run_cli("overdue", "--as-of", "2021-06-25", workspace=ws)
    assert loud.out.endswith("截至2021年6月25日，48个单位中有0个单位存在问题：超期未完成0项次，进度滞后0项次。\n")
    for args in (["--as-of", "2021-13-01"], ["--format", "pdf"], ["--unit", "火星局"], ["--as-of", "9月底"]):
        result = run_cli("overdue", *args, workspace=ws)
        assert result.code == 2 and result.err.startswith("错误："), args


def test_output_with_date_is_written_atomically(ws: Path, tmp_path: Path):
    target = tmp_path / "reports" / "回头看-{date}.md"
    result = run_cli("overdue", *AS_OF, "--unit", "市财政局", "--format", "md", "--output", str(target), workspace=ws)
    assert result.code == 0
    written = tmp_path / "reports" / "回头看-2021-10-08.md"
    assert written.read_text(encoding="utf-8").startswith("# 回头看：超期未完成和进度滞后事项\n\n截至2021年10月8日，1个单位中有1个单位存在问题：超期未完成15项次，进度滞后6项次。")
    assert [p.name for p in written.parent.iterdir()] == [written.name]  # no temp file left
    assert result.err == f"已写入 {written}\n"


def break_finance_ledger(ws: Path) -> int:
    """Record for 市财政局, then spoil the status by hand; the line of the spoilt status."""
    record(ws, "--unit", "市财政局", "--task", "7", "--status", "done", "--date", "2021-09-28")
    path = ws / "ledgers/市财政局.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: 已完成", "status: 做完了"), encoding="utf-8")
    return path.read_text(encoding="utf-8").splitlines().index("        status: 做完了") + 1


def test_strict_refuses_a_report_over_a_broken_ledger(ws: Path):
    line = break_finance_ledger(ws)
    before = tree_bytes(ws)
    for command in ("overdue", "report"):
        result = run_cli(command, *AS_OF, "--strict", workspace=ws)
        assert result.code == 2 and result.out == ""
        assert f"ledgers/市财政局.yaml:{line}:17: 状态“做完了”不认识，应写 已完成、推进中、不适用 之一" in result.err
    assert tree_bytes(ws) == before


def test_a_broken_ledger_is_named_first_and_the_rest_is_checked(ws: Path):
    line = break_finance_ledger(ws)
    (ws / "ledgers/市财正局.yaml").write_text("unit: 市财正局\ntasks: []\n", encoding="utf-8")
    before = tree_bytes(ws)
    result = run_cli("overdue", *AS_OF, workspace=ws)
    assert result.code == 1
    message = "状态“做完了”不认识，应写 已完成、推进中、不适用 之一"
    assert result.err.splitlines()[1:] == [
        f"  市财政局 ledgers/市财政局.yaml:{line}:17: {message}",
        "  （不属于任何单位） ledgers/市财正局.yaml: 目录中没有单位“市财正局”，这本台账不属于任何单位，是不是“市财政局”？",
    ]
    lines = result.out.splitlines()
    assert lines[1] == "台账有误，未核查："
    assert lines[2] == f"市财政局 ledgers/市财政局.yaml:{line}:17: {message}"
    data = overdue_json_any(ws)
    assert data["broken"] == [
        {"unit": "市财政局", "file": "ledgers/市财政局.yaml", "line": line, "column": 17, "message": message},
        {"unit": None, "file": "ledgers/市财正局.yaml", "line": None, "column": None,
         "message": "目录中没有单位“市财正局”，这本台账不属于任何单位，是不是“市财政局”？"},
    ]
    # 47 units checked; 市财政局 is in no list of findings (not judged as if its ledger were empty)
    assert data["units_in_scope"] == 47 and "市财政局" not in {u["unit"] for u in data["units"]}
    assert "市财政局" not in {i["unit"] for i in data["items"]}
    assert len(data["units"]) == 47 and data["total_overdue"] > 0
    year = run_cli("report", *AS_OF, "--format", "json", workspace=ws)
    assert year.code == 1
    report = json.loads(year.out)
    assert [b["unit"] for b in report["broken"]] == ["市财政局", None]
    assert len(report["units"]) == 47 and "市财政局" not in {u["unit"] for u in report["units"]}
    assert "全市47个单位" in report["paragraph"] and "另有市财政局的工作台账有误，台账有误，未核查。" not in report["paragraph"]
    assert "另有市财政局的工作台账有误，未核查。" in report["paragraph"]
    assert tree_bytes(ws) == before


def test_a_ledger_with_many_problems_is_named_not_listed_in_full(ws: Path):
    # 25 records a person spoilt: the report shows ten places and how many more, JSON keeps them all
    for day in range(1, 26):
        record(ws, "--unit", "市财政局", "--task", "3", "--status", "in_progress", "--date", f"2021-08-{day:02d}")
    path = ws / "ledgers/市财政局.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: 推进中", "status: 做着呢"), encoding="utf-8")
    lines = [n + 1 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()) if line == "        status: 做着呢"]
    message = "状态“做着呢”不认识，应写 已完成、推进中、不适用 之一"
    result = run_cli("overdue", *AS_OF, "--format", "md", workspace=ws)
    assert result.code == 1
    shown = [f"  市财政局 ledgers/市财政局.yaml:{n}:17: {message}" for n in lines[:10]]
    assert result.err.splitlines()[1:] == [*shown, "  市财政局 ledgers/市财政局.yaml: ……另有15处错误，运行gwgk validate查看全部"]
    assert "……另有15处错误" in result.out and f"ledgers/市财政局.yaml:{lines[10]}:17" not in result.out
    table = run_cli("overdue", *AS_OF, workspace=ws, env={"COLUMNS": "400"}).out
    assert "……另有15处错误，运行gwgk validate查看全部" in table and f"ledgers/市财政局.yaml:{lines[10]}:17" not in table
    assert len(overdue_json_any(ws)["broken"]) == 25


def overdue_json_any(ws: Path, *args: str) -> dict:
    result = run_cli("overdue", *AS_OF, "--format", "json", *args, workspace=ws)
    assert result.code in (0, 1), result.err
    return json.loads(result.out)


def test_a_broken_ledger_shows_in_every_format(ws: Path):
    break_finance_ledger(ws)
    for fmt in ("md", "csv", "html"):
        result = run_cli("overdue", *AS_OF, "--format", fmt, workspace=ws)
        assert result.code == 1
        assert "台账有误，未核查" in result.out and "ledgers/市财政局.yaml:" in result.out, fmt
    csv_rows = list(csv.reader(io.StringIO(run_cli("overdue", *AS_OF, "--format", "csv", workspace=ws).out)))
    assert csv_rows[1][0] == "市财政局" and csv_rows[1][8] == "台账有误，未核查"
    for fmt in ("table", "md", "html"):
        result = run_cli("report", *AS_OF, "--format", fmt, workspace=ws)
        assert result.code == 1 and "ledgers/市财政局.yaml:" in result.out, fmt
    table = run_cli("report", *AS_OF, "--format", "md", workspace=ws).out
    assert "| 市财政局 | 台账有误，未核查 |" in table  # first row of the per-unit table, not left out


def test_a_ledger_for_an_unknown_unit_is_reported(ws: Path):
    (ws / "ledgers/市财正局.yaml").write_text("unit: 市财正局\ntasks: []\n", encoding="utf-8")
    result = run_cli("validate", workspace=ws)
    assert result.code == 1
    assert "ledgers/市财正局.yaml: 目录中没有单位“市财正局”，这本台账不属于任何单位，是不是“市财政局”？" in result.out


# ------------------------------------------------------------------ the year-end report


def test_year_report_numbers(ws: Path):
    record(ws, "--unit", "市财政局", "--task", "7", "--status", "done", "--date", "2021-09-28")
    record(ws, "--unit", "市财政局", "--task", "2", "--status", "done", "--date", "2021-10-05")
    record(ws, "--unit", "市财政局", "--task", "12", "--status", "不适用", "--date", "2021-07-01", "--reason", "端口未开通")
    data = json.loads(run_cli("report", *AS_OF, "--format", "json", workspace=ws).out)
    finance = next(u for u in data["units"] if u["unit"] == "市财政局")
    # 15 past due by 10-08 (see EMPTY_DEPARTMENT), and B5/B6 of task 12 settled early: task 12 is N/A
    # as a whole (B3..B6); Q3 of task 7 on time, task 2 late. 应完成 = 1 + 1 + 11 + 0 + 4 = 17; not due
    # yet: task 7's Q4, task 31's Q4, and two more; 长期 tasks lagging apart
    assert finance == {"unit": "市财政局", "owed": 17, "done_on_time": 1, "done_late": 1, "overdue": 11, "lagging": 6,
                       "not_applicable": 4, "on_time_rate": round(1 / 13, 4), "submitted": 0, "not_due": 4}
    # fewest behind: 市电力公司 owes only task 26 (9月底), 8 days late, and no 长期 task
    assert {k: data["units"][-1][k] for k in ("unit", "owed", "overdue", "lagging")} == {"unit": "市电力公司", "owed": 1, "overdue": 1, "lagging": 0}
    assert data["paragraph"].startswith("截至2021年10月8日，全市48个单位对照《兴义市2021年政务公开工作要点》应完成的工作任务共754项次，")
    assert "存在的主要问题：一是部分单位任务落实不到位" in data["paragraph"]
    # 公文 style: no space next to a digit; the tasks named are ranked by the number shown after them
    assert not re.search(r" \d|\d ", data["paragraph"])
    shown = [int(n) for n in re.findall(r"第\d+项“[^”]+”（超期(\d+)项次", data["paragraph"])]
    assert shown == [152, 91, 90] and shown == sorted(shown, reverse=True)
    # task 12: 12 departments x B3, B4 (市财政局 is N/A) + 32 townships x June..September = 152
    # task 7: 46 units x Q2, Q3, less 市财政局's Q3 = 91
    assert [(t["task"], t["overdue"]) for t in data["tasks"][:2]] == [(12, 152), (7, 91)]


# ------------------------------------------------------------------ renderings


def golden_workspace(ws: Path) -> Path:
    """Two units with a little of everything, recorded through the CLI."""
    record(ws, "-u", "市财政局", "-t", "7", "-s", "已完成", "-d", "2021-09-28", "-n", "三季度债务信息", "--evidence", "=HYPERLINK(\"x\")")
    record(ws, "-u", "市财政局", "-t", "6", "-e", "2021年预算批复", "-d", "2021-09-01")
    record(ws, "-u", "市财政局", "-t", "1", "--extend", "2021-09-30", "--to", "2021-10-31", "-r", "资料归档中")
    record(ws, "-u", "市财政局", "-t", "3", "-s", "推进中", "-d", "2021-08-20", "-n", "+更新办事指南")
    record(ws, "-u", "敬南镇", "-t", "33", "-s", "已完成", "-d", "2021-06-30", "-i", "2021-06-30")
    return ws


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("GWGK_UPDATE_GOLDEN"):
        path.write_bytes(text.encode("utf-8"))
    assert text == path.read_bytes().decode("utf-8"), f"{name} differs; GWGK_UPDATE_GOLDEN=1 rewrites it"


@pytest.mark.parametrize("fmt", ["table", "md", "csv"])
def test_overdue_golden(ws: Path, fmt: str):
    golden_workspace(ws)
    result = run_cli("overdue", *AS_OF, "-u", "市财政局", "-u", "敬南镇", "--format", fmt, workspace=ws, env={"COLUMNS": "200"})
    assert result.code == 0
    check_golden(f"overdue.{'txt' if fmt == 'table' else fmt}", result.out)


@pytest.mark.parametrize("fmt", ["md", "csv"])
def test_ledger_golden(ws: Path, fmt: str):
    golden_workspace(ws)
    result = run_cli("ledger", *AS_OF, "-u", "市财政局", "--format", fmt, workspace=ws)
    check_golden(f"ledger-市财政局.{fmt}", result.out)


def test_csv_is_bom_utf8_and_formula_safe(ws: Path, tmp_path: Path):
    golden_workspace(ws)
    out = tmp_path / "a.csv"
    run_cli("ledger", *AS_OF, "-u", "市财政局", "--format", "csv", "--output", str(out), workspace=ws)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf\xe5\xba\x8f\xe5\x8f\xb7")  # BOM, then 序号
    text = raw.decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert "'=HYPERLINK(\"x\")" in cells
    assert "'+更新办事指南" in cells  # the note is a cell of its own now, so it starts the cell
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]


def test_ledger_csv_sorts(ws: Path, tmp_path: Path):
    golden_workspace(ws)
    text = run_cli("ledger", *AS_OF, "-u", "市财政局", "--format", "csv", workspace=ws).out
    rows = list(csv.DictReader(io.StringIO(text)))
    assert all(r["序号"].isdigit() and r["任务"] for r in rows)  # repeated on every instance row
    assert all(re.fullmatch(r"(\d{4}-\d{2}-\d{2})?", r[k]) for r in rows for k in ("到期日", "原到期日", "事件日期", "最近进展日期"))
    assert all(re.fullmatch(r"(\d+)?", r["超期天数"]) for r in rows)
    (extended,) = [r for r in rows if r["已延期"]]
    assert (extended["序号"], extended["到期日"], extended["原到期日"], extended["已延期"]) == ("1", "2021-10-31", "2021-09-30", "是")
    task7 = [(r["期次"], r["到期日"], r["状态"], r["超期天数"]) for r in rows if r["序号"] == "7"]
    assert task7 == [("2021年第二季度", "2021-06-30", "超期未完成", "100"), ("2021年第三季度", "2021-09-30", "已完成", ""),
                     ("2021年第四季度", "2021-12-31", "未到期", "")]
    (event,) = [r for r in rows if r["序号"] == "6"]
    assert (event["期次"], event["事件"], event["事件日期"], event["到期日"]) == ("2021年预算批复（2021年9月1日）", "2021年预算批复", "2021-09-01", "2021-09-29")


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_overdue_html_is_self_contained_with_chart_and_tables(ws: Path):
    golden_workspace(ws)
    result = run_cli("overdue", *AS_OF, "-u", "市财政局", "-u", "敬南镇", "--format", "html", workspace=ws)
    page = _Page()
    page.feed(result.out)
    names = [t for t, _ in page.tags]
    assert names.count("svg") == 2 and names.count("table") == 2  # the units ranked, and how many have how many
    bars = [a for t, a in page.tags if t == "rect" and a.get("class") == "bar"]
    # two units: overdue, lagging; then the distribution: 2 units with 11-20 overdue items
    assert [b["fill"] for b in bars] == ["#d93025", "#f2a600", "#d93025", "#f2a600", "#d93025"]
    assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in page.tags
    assert "script" not in names and "link" not in names
    assert not any(v.startswith(("http", "//")) for _, a in page.tags for k, v in a.items() if k in ("src", "href") and v)
    assert "Microsoft YaHei" in result.out and "<td>=HYPERLINK" not in result.out


def test_report_html(ws: Path):
    result = run_cli("report", *AS_OF, "--format", "html", workspace=ws)
    page = _Page()
    page.feed(result.out)
    names = [t for t, _ in page.tags]
    assert names.count("svg") == 2 and names.count("table") == 2
    # the 15 units with most overdue, each bar its 应完成 in parts (only overdue: nothing else is done),
    # then the distribution of on-time rates: 48 units, all of them below 20%
    assert len([a for t, a in page.tags if t == "rect"]) == 15 + 1


# ------------------------------------------------------------------ the manual's cron line


def test_the_manuals_cron_example_runs_as_written(ws: Path, tmp_path: Path):
    readme = (REPO / "docs" / "manual" / "reports.md").read_text(encoding="utf-8")
    line = re.search(r"^(\d+ \d+ \* \* \d) +(.+)$", readme, re.M)
    assert line, "the manual must contain a crontab line"
    command = line.group(2)
    assert command.startswith("cd /srv/gwgk && ")
    gwgk_part = command.removeprefix("cd /srv/gwgk && ")
    bindir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(gwgk_part, shell=True, cwd=ws, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr  # today everything of 2021 is long overdue
    written = list((ws / "reports").glob("回头看-*.md"))
    assert len(written) == 1 and re.fullmatch(r"回头看-\d{4}-\d{2}-\d{2}\.md", written[0].name)
    assert done.stdout == ""
    assert shlex.split(gwgk_part)[0] == "gwgk"


def test_an_as_of_outside_the_plan_period_gets_a_one_line_note(ws: Path):
    late = run_cli("overdue", "--as-of", "2026-11-25", "-u", "市电力公司", workspace=ws)
    assert late.code == 0
    assert late.err == ("提示：统计日期 2026-11-25 晚于计划期（2021-06-24 至 2021-12-31），超期天数算到这一天；"
                        "要看计划期内某一天，请用 --as-of。\n")
    early = run_cli("report", "--as-of", "2021-01-04", "--format", "json", workspace=ws)
    assert early.err.startswith("提示：统计日期 2021-01-04 早于计划期") and len(early.err.splitlines()) == 1
    inside = run_cli("overdue", *AS_OF, "-u", "市电力公司", workspace=ws)
    assert inside.err == ""
