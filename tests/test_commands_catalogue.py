"""``gwgk tasks``, ``tasks show``, ``units``, ``init``, ``--workspace`` and unit names, through the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .conftest import run_cli, tree_bytes


def test_tasks_json_shape(ws: Path):
    result = run_cli("tasks", "--format", "json", workspace=ws)
    assert result.code == 0
    data = json.loads(result.out)
    assert data["plan"]["issued"] == "2021-06-24" and data["plan"]["effective_to"] == "2021-12-31"
    assert [t["id"] for t in data["tasks"]] == list(range(1, 34))
    task2 = data["tasks"][1]
    assert task2["rules"] == [{"kind": "date", "due": "2021-09-30", "source": "9月底", "applies_to": []}]
    assert "市政府办公室" in task2["lead"] and "市财政局" in task2["lead"] and "市直有关部门" not in task2["lead"]
    assert len(task2["lead"]) == 14 and len(task2["responsible"]) == 32
    assert task2["lead_as_written"] == ["市政府办公室", "市直有关部门"]


@pytest.mark.parametrize("spelling", ["市财政局", "兴义市财政局", "财政局", "财政", "市 财政局"])
def test_unit_by_name_alias_or_partial(ws: Path, spelling: str):
    result = run_cli("tasks", "--unit", spelling, "--format", "json", workspace=ws)
    assert result.code == 0
    data = json.loads(result.out)
    assert data["unit"] == "市财政局"
    assert [t["id"] for t in data["tasks"]] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19, 20, 22, 23, 25, 27, 28, 30, 31, 32, 33]
    roles = {t["id"]: t["role"] for t in data["tasks"]}
    assert (roles[6], roles[7], roles[3], roles[12]) == ("lead", "lead", "responsible", "lead")


def test_full_width_spelling_of_a_township(ws: Path):
    result = run_cli("tasks", "--unit", "黄草街道办事处", "--format", "json", workspace=ws)
    assert json.loads(result.out)["unit"] == "黄草街道"


@pytest.mark.parametrize(
    ("spelling", "message"),
    [
        ("财正局", "错误：没有找到单位“财正局”，您是不是要找：市财政局？"),
        ("局", "错误：“局”可能指多个单位："),
        ("各乡镇(街道)", "错误：“各乡镇(街道)”是单位组（各乡镇(街道)），不是一个单位，请写出具体单位名称"),
        ("火星办", "错误：没有找到单位“火星办”，可运行 gwgk units 查看全部单位"),
    ],
)
def test_unknown_or_ambiguous_unit_is_refused(ws: Path, spelling: str, message: str):
    result = run_cli("tasks", "--unit", spelling, workspace=ws)
    assert result.code == 2
    assert result.err.startswith(message)
    assert result.out == ""


def test_tasks_show(ws: Path):
    result = run_cli("tasks", "show", "3", "--unit", "市政府办公室", "--format", "json", workspace=ws)
    data = json.loads(result.out)
    assert (data["role"], data["unit_duty"]) == ("responsible", "市长热线处理。")
    assert data["deadline"] == "长期"
    table = run_cli("tasks", "show", "18", workspace=ws)
    assert table.code == 0
    assert "现行有效文件入库：2021-06-30 前" in table.out
    assert "新制定或更新的文件：规范性文件及备案、清理信息产生或更新起 20 个工作日内" in table.out


def test_tasks_show_refusals(ws: Path):
    assert run_cli("tasks", "show", "34", workspace=ws).err == "错误：没有第 34 项任务（本计划共 33 项，序号 1-33）\n"
    assert run_cli("tasks", "show", "21", "--unit", "市财政局", workspace=ws).err == "错误：市财政局 不承担第 21 项任务\n"
    bad = run_cli("tasks", "show", "三", workspace=ws)
    assert bad.code == 2 and "应为整数" in bad.err


def test_units(ws: Path):
    data = json.loads(run_cli("units", "--format", "json", workspace=ws).out)
    assert len(data["units"]) == 48
    finance = next(u for u in data["units"] if u["name"] == "市财政局")
    assert (finance["kind_label"], finance["groups"], finance["lead_tasks"] + finance["responsible_tasks"]) == ("市直部门", ["市直有关部门"], 28)
    assert [(g["name"], len(g["members"])) for g in data["groups"]] == [("市直有关部门", 13), ("各乡镇(街道)", 32)]
    table = run_cli("units", workspace=ws)
    assert "共 48 个单位。" in table.out


def test_format_and_option_errors_are_chinese(ws: Path):
    bad = run_cli("tasks", "--format", "xml", workspace=ws)
    assert (bad.code, bad.err) == (2, "错误：--format 的值“xml”不支持，可选：table、json\n")
    typo = run_cli("tasks", "--formt", "json", workspace=ws)
    assert typo.code == 2 and typo.err.startswith("错误：没有选项 --formt，您是不是要用 --format？")
    nocmd = run_cli("taks", workspace=ws)
    assert nocmd.code == 2 and nocmd.err.startswith("错误：没有命令“taks”")


def test_help_is_chinese():
    result = run_cli("--help")
    assert result.code == 0
    assert "用法：gwgk [选项]" in result.out and "显示本帮助并退出。" in result.out and "命令" in result.out


def test_workspace_from_environment_and_from_parents(ws: Path, monkeypatch):
    assert run_cli("units", env={"GWGK_WORKSPACE": str(ws)}).code == 0
    deep = ws / "ledgers" / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert run_cli("units", env={"GWGK_WORKSPACE": ""}).code == 0


def test_no_workspace_is_refused(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("units", env={"GWGK_WORKSPACE": ""})
    assert result.code == 2 and "都不是 gwgk 工作区" in result.err


def test_init_and_refuse_to_overwrite(tmp_path: Path):
    target = tmp_path / "new"
    made = run_cli("init", str(target))
    assert made.code == 0
    assert sorted(p.name for p in (target / "data").iterdir()) == ["source", "tasks.yaml", "units.yaml"]
    assert run_cli("validate", workspace=target).out == "校验通过：33 项任务，48 个单位，0 本台账。\n"
    (target / "data/tasks.yaml").write_text("# 我改过\n", encoding="utf-8")
    before = tree_bytes(target)
    again = run_cli("init", str(target))
    assert again.code == 2 and "为免覆盖，没有做任何改动" in again.err
    assert tree_bytes(target) == before


@pytest.mark.parametrize("command", [[], ["tasks"], ["tasks", "show"], ["units"], ["validate"], ["init"], ["ledger"], ["record"],
                                     ["overdue"], ["report"], ["export"], ["import"]])
def test_every_help_page_is_chinese(command):
    result = run_cli(*command, "--help")
    assert result.code == 0 and "用法：gwgk" in result.out and "显示本帮助并退出。" in result.out
    for english in ("Usage", "Options", "Arguments", "Commands", "COMMAND", "ARGS", "<bool>", "<int>", "<text>", "list[", "Show this message"):
        assert english not in result.out, (command, english)


@pytest.mark.parametrize(("args", "expected"), [
    (("review", "--accept", "R1", "-u", "市财政局"), "错误：多余的参数：R1"),
    (("ledger", "-u", "市财政局", "a", "b"), "错误：多余的参数：a b"),
    (("overdu",), "错误：没有命令“overdu”，您是不是要用 overdue？"),
    (("record", "--unit"), "错误：选项 --unit 后面需要写一个值"),
    (("tasks", "--unit", "市财政局", "--help=x"), "错误：选项 --help 后面不需要值"),
])
def test_every_usage_error_of_the_parser_is_chinese(ws: Path, args: tuple[str, ...], expected: str):
    result = run_cli(*args, workspace=ws)
    assert result.code == 2
    assert result.err.startswith(expected), result.err
    assert not re.search(r"[A-Za-z]{4,} [a-z]{3,}", result.err.replace("gwgk", "")), result.err
