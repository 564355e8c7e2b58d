"""A broken catalogue: every problem reported with file, line and column, and nothing written."""

from __future__ import annotations

from pathlib import Path

from .conftest import run_cli, tree_bytes


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth occurrence of ``needle``."""
    start = -1
    for _ in range(nth):
        start = text.index(needle, start + 1)
    return text[:start].count("\n") + 1


def edit(path: Path, old: str, new: str, count: int = 1) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, count)
    path.write_text(text, encoding="utf-8")
    return text


def test_many_problems_are_reported_together(ws: Path):
    tasks = ws / "data/tasks.yaml"
    edit(tasks, "  - id: 5\n", "  - id: 4\n")
    edit(tasks, "lead: [市司法局]", "lead: [市不存在局]")
    edit(tasks, "due: 2021-09-30", "due: 2022-09-30")
    text = edit(tasks, "      - kind: irregular", "      - kind: sometimes")
    before = tree_bytes(ws)

    result = run_cli("validate", workspace=ws)

    assert result.code == 1
    lines = result.out.splitlines()
    assert f"data/tasks.yaml:{line_of(text, 'kind: sometimes')}:9: 规则类型 kind“sometimes”不存在，应为 date, recurring, event, continuous, irregular" in lines
    assert lines[-1] == "发现 1 个问题。"  # schema errors stop before cross-checks
    assert tree_bytes(ws) == before

    edit(tasks, "      - kind: sometimes", "      - kind: irregular")
    result = run_cli("validate", workspace=ws)
    assert result.code == 1
    assert f"data/tasks.yaml:{line_of(text, '  - id: 4', 2)}:9: 任务序号 4 重复（第一次出现在第 4 个任务）" in result.out
    assert f"data/tasks.yaml:{line_of(text, '[市不存在局]')}:12: 单位或单位组“市不存在局”不在 units.yaml 中" in result.out
    assert f"data/tasks.yaml:{line_of(text, 'due: 2022-09-30')}:14: 第 1 项任务的期限 2022-09-30 不在计划期内（2021-06-24 至 2021-12-31）" in result.out
    assert "发现 3 个问题。" in result.out


def test_a_command_that_needs_the_catalogue_refuses_with_exit_2(ws: Path):
    edit(ws / "data/tasks.yaml", "lead: [市司法局]", "lead: [市司法厅]")
    result = run_cli("tasks", workspace=ws)
    assert result.code == 2
    assert result.err.startswith("错误：任务目录有错误\n")
    assert "您是不是要写：市司法局" in result.err


def test_bad_yaml_names_the_line(ws: Path):
    units = ws / "data/units.yaml"
    text = units.read_text(encoding="utf-8")
    lines = text.splitlines()
    target = line_of(text, "  - name: 市财政局")
    lines[target - 1] = "\t- name: 市财政局"
    units.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("validate", workspace=ws)
    assert result.code == 1
    assert result.out.startswith(f"data/units.yaml:{target}:1: YAML 格式错误：这里有制表符（Tab），YAML 只能用空格缩进")


def test_unknown_field_and_wrong_type(ws: Path):
    tasks = ws / "data/tasks.yaml"
    text = edit(tasks, "  lag_days: 90", "  lag_days: 九十\n  colour: red")
    result = run_cli("validate", workspace=ws)
    assert result.code == 1
    assert f"data/tasks.yaml:{line_of(text, '  lag_days:')}:13: “lag_days”应为整数，现在是“九十”" in result.out
    assert f"data/tasks.yaml:{line_of(text, 'colour')}:11: 不认识的字段“colour”（拼写错误？）" in result.out


def test_missing_catalogue_file(ws: Path):
    (ws / "data/units.yaml").unlink()
    result = run_cli("validate", workspace=ws)
    assert (result.code, result.out.splitlines()[0]) == (1, "data/units.yaml: 文件不存在")


def test_group_member_that_does_not_exist(ws: Path):
    text = edit(ws / "data/units.yaml", "    kinds: [department, branch]\n", "    kinds: [department, branch]\n    members: [市外星局]\n")
    result = run_cli("validate", workspace=ws)
    assert result.code == 1
    assert f"data/units.yaml:{line_of(text, '[市外星局]')}:15: 单位组“市直有关部门”的成员“市外星局”不在单位列表中" in result.out
