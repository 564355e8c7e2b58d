"""``gwgk plan list``, ``gwgk plan draft``, ``gwgk init --plan`` and ``--plan YEAR`` through the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import REPO, run_cli, tree_bytes
from tests.test_drafting import PLANS, qinghe_docx

XINGYI = {"year": 2021, "title": "兴义市2021年政务公开工作要点", "issuer": "兴义市人民政府办公室",
          "issued": "2021-06-24", "tasks": 33}
YUNLING = {"year": 2023, "title": "云岭市2023年政务公开工作要点", "issuer": "云岭市人民政府办公室",
           "issued": "2023-03-01", "tasks": 3}


def _marks(path: Path, name: str) -> list[str]:
    """The warning lines validate must print for ``path``: each ``review:`` value's line and column."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.lstrip()
        if stripped.startswith("review:"):
            message = stripped.removeprefix("review:").strip()
            column = len(line) - len(stripped) + len("review: ") + 1
            out.append(f"{name}:{number}:{column}: 待核对：{message}（警告）")
    return out


def test_plan_list_shows_the_one_plan_of_a_workspace(ws: Path) -> None:
    run = run_cli("plan", "list", "--format", "json", workspace=ws)
    assert run.code == 0
    assert json.loads(run.out) == {"plans": [{**XINGYI, "current": True}]}


def test_plan_draft_adds_a_year_and_its_new_units_keeping_units_yaml_as_it_was(ws: Path) -> None:
    units_before = (ws / "data" / "units.yaml").read_text(encoding="utf-8")
    run = run_cli("plan", "draft", str(PLANS / "yunling-city-2023-attachment.txt"), workspace=ws)
    assert run.code == 0, run.out + run.err
    assert "写入 data/plans/2023.yaml" in run.out and "新增 1 个单位" in run.out
    assert (ws / "data" / "source" / "yunling-city-2023-attachment.txt").is_file()  # kept to check the draft against
    units_after = (ws / "data" / "units.yaml").read_text(encoding="utf-8")
    added = "  - name: 市应急管理局\n    kind: department\n    source: 计划正文\n    since: 2023-03-01\n"  # exists from the plan's start
    assert added in units_after
    assert units_after.replace(added, "") == units_before  # every other byte kept
    listed = json.loads(run_cli("plan", "list", "--format", "json", "--as-of", "2023-06-01", workspace=ws).out)
    assert listed == {"plans": [{**XINGYI, "current": False}, {**YUNLING, "current": True}]}
    earlier = json.loads(run_cli("plan", "list", "--format", "json", "--as-of", "2023-02-28", workspace=ws).out)
    assert [p["current"] for p in earlier["plans"]] == [True, False]
    table = run_cli("plan", "list", "--as-of", "2023-06-01", workspace=ws)
    assert "云岭市2023年政务公开工作要点" in table.out and "共 2 个计划。" in table.out


def test_the_plan_option_chooses_the_year_and_without_it_the_latest_begun(ws: Path) -> None:
    run_cli("plan", "draft", str(PLANS / "yunling-city-2023-attachment.txt"), workspace=ws)
    chosen = json.loads(run_cli("tasks", "--plan", "2023", "--format", "json", workspace=ws).out)
    assert chosen["plan"]["year"] == 2023 and [t["id"] for t in chosen["tasks"]] == [1, 2, 3]
    assert chosen["tasks"][0]["lead_as_written"] == ["市财政局"]
    assert chosen["tasks"][0]["responsible_as_written"] == ["市直有关部门", "各乡镇(街道)"]
    assert json.loads(run_cli("tasks", "--as-of", "2021-07-01", "--format", "json", workspace=ws).out)["plan"]["year"] == 2021
    assert json.loads(run_cli("tasks", "--as-of", "2023-03-01", "--format", "json", workspace=ws).out)["plan"]["year"] == 2023
    shown = json.loads(run_cli("tasks", "show", "2", "--plan", "2023", "--format", "json", workspace=ws).out)
    assert [r["every"] if "every" in r else r["due"] for r in shown["rules"]] == ["halfyear", "2023-12-31"]
    units = json.loads(run_cli("units", "--plan", "2023", "--format", "json", workspace=ws).out)
    owing = {u["name"]: u for u in units["units"]}
    assert owing["市应急管理局"]["lead_tasks"] == 1
    missing = run_cli("tasks", "--plan", "2030", workspace=ws)
    assert missing.code == 2 and "没有 2030 年的计划（现有：2021、2023）" in missing.err


def test_a_year_already_present_is_refused_unless_replaced(ws: Path) -> None:
    plan = str(PLANS / "yunling-city-2023-attachment.txt")
    assert run_cli("plan", "draft", plan, workspace=ws).code == 0
    before = tree_bytes(ws)
    again = run_cli("plan", "draft", plan, workspace=ws)
    assert again.code == 2 and "已有 2023 年的计划" in again.err and "--replace" in again.err
    assert tree_bytes(ws) == before
    same_as_bundled = run_cli("plan", "draft", str(REPO / "data" / "source" / "xingyi-2021-work-plan.txt"), workspace=ws)
    assert same_as_bundled.code == 2 and "data/tasks.yaml" in same_as_bundled.err
    replaced = run_cli("plan", "draft", plan, "--replace", workspace=ws)
    assert replaced.code == 0
    assert tree_bytes(ws) == before  # the same plan drafts to the same bytes


def test_a_file_that_is_no_plan_is_refused_and_nothing_is_written(ws: Path, tmp_path: Path) -> None:
    notice = tmp_path / "会议通知.txt"
    notice.write_text("会议通知\n定于下周一召开全体会议。\n", encoding="utf-8")
    before = tree_bytes(ws)
    for path in (notice, tmp_path / "没有这个文件.txt"):
        run = run_cli("plan", "draft", str(path), workspace=ws)
        assert run.code == 2 and "Traceback" not in run.err
    assert tree_bytes(ws) == before


def test_validate_lists_every_review_mark_with_its_place_and_exits_1(ws: Path) -> None:
    run = run_cli("plan", "draft", str(PLANS / "qinghe-district-2024-table.txt"), workspace=ws)
    # the plan's issuer and date, and 另行通知 (各街道 are known here: the bundled 街道)
    assert run.code == 1 and "有 2 处标了 review" in run.out
    result = run_cli("validate", workspace=ws)
    expected = _marks(ws / "data" / "plans" / "2024.yaml", "data/plans/2024.yaml")
    expected += _marks(ws / "data" / "units.yaml", "data/units.yaml")
    assert len(expected) == 2
    assert result.code == 1
    assert result.out.splitlines() == [*expected, "发现 2 处待核对。"]
    only = run_cli("validate", "--plan", "2021", workspace=ws)
    assert (only.code, only.out) == (0, "校验通过：2021 年的计划。\n")


def test_init_from_a_plan_makes_a_workspace_of_that_plan_alone(tmp_path: Path) -> None:
    target = tmp_path / "青山县"
    run = run_cli("init", str(target), "--plan", str(PLANS / "qingshan-county-2022-body.txt"))
    assert run.code == 1, run.out + run.err
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == [
        ".gitignore", "data/source/qingshan-county-2022-body.txt", "data/tasks.yaml", "data/units.yaml"]
    assert (target / "data" / "source" / "qingshan-county-2022-body.txt").read_bytes() == (PLANS / "qingshan-county-2022-body.txt").read_bytes()
    result = run_cli("validate", workspace=target)
    expected = _marks(target / "data" / "tasks.yaml", "data/tasks.yaml") + _marks(target / "data" / "units.yaml", "data/units.yaml")
    assert result.code == 1 and result.out.splitlines() == [*expected, "发现 1 处待核对。"]
    tasks = json.loads(run_cli("tasks", "--format", "json", workspace=target).out)
    assert tasks["plan"]["year"] == 2022 and len(tasks["tasks"]) == 4
    ledger = run_cli("ledger", "--unit", "县司法局", "--as-of", "2022-06-01", "--format", "json", workspace=target)
    assert ledger.code == 0, ledger.err
    # 县司法局 leads task 2 and, as one of 县直有关部门, is responsible for tasks 1 and 3
    assert [(t["task"], t["role"]) for t in json.loads(ledger.out)["tasks"]] == [(1, "responsible"), (2, "lead"), (3, "responsible")]
    assert run_cli("overdue", "--as-of", "2022-08-15", workspace=target).code == 0


def test_init_from_a_docx_plan(tmp_path: Path) -> None:
    target = tmp_path / "清河区"
    run = run_cli("init", str(target), "--plan", str(qinghe_docx(tmp_path / "清河区.docx")))
    assert run.code == 1 and "有 3 处标了 review" in run.out
    units = json.loads(run_cli("units", "--format", "json", workspace=target).out)
    assert [u["name"] for u in units["units"]] == ["区司法局", "区委网信办", "区政府办公室", "区大数据中心", "区民政局"]


def test_init_from_something_that_is_no_plan_writes_nothing(tmp_path: Path) -> None:
    notice = tmp_path / "通知.txt"
    notice.write_text("通知\n请各单位按时参会。\n", encoding="utf-8")
    run = run_cli("init", str(tmp_path / "新工作区"), "--plan", str(notice))
    assert run.code == 2 and "没有找到任务" in run.err and "通知.txt" in run.err
    assert not (tmp_path / "新工作区").exists()
    existing = tmp_path / "旧"
    shutil.copytree(REPO / "data", existing / "data", ignore=shutil.ignore_patterns("__init__.py", "source"))
    refused = run_cli("init", str(existing), "--plan", str(PLANS / "qingshan-county-2022-body.txt"))
    assert refused.code == 2 and "已经是工作区" in refused.err


def test_a_new_spelling_of_a_known_group_becomes_its_alias_and_units_yaml_keeps_its_comments(ws: Path, tmp_path: Path) -> None:
    plan = tmp_path / "2022.txt"
    plan.write_text("兴义市2022年政务公开工作要点\n兴义市人民政府办公室\n2022年3月1日\n"
                    "1.做好预算公开。(牵头单位:市财政局,责任单位:市直属各部门、各乡镇(街道))\n", encoding="utf-8")
    before = (ws / "data" / "units.yaml").read_text(encoding="utf-8")
    run = run_cli("plan", "draft", str(plan), workspace=ws)
    assert run.code == 0 and "没有需要核对的地方" in run.out  # no 完成时限: none drafted, owed by the plan's end
    after = (ws / "data" / "units.yaml").read_text(encoding="utf-8")
    assert [line for line in after.splitlines() if line.startswith("#")] == [line for line in before.splitlines() if line.startswith("#")]
    units = json.loads(run_cli("units", "--plan", "2022", "--format", "json", workspace=ws).out)
    group = next(g for g in units["groups"] if g["name"] == "市直有关部门")
    assert "市直属各部门" in group["aliases"]
    assert len(units["units"]) == 48  # nothing new: every name was known
    assert json.loads(run_cli("tasks", "--plan", "2022", "--format", "json", workspace=ws).out)["tasks"][0]["responsible_as_written"] == ["市直属各部门", "各乡镇(街道)"]
