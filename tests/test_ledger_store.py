"""Ledger files: generated, synced, appended byte for byte, locked, and never overwritten blindly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gwgk.catalogue.load import load_catalogue
from gwgk.errors import ConflictError
from gwgk.files.workspace import Workspace
from gwgk.ledger.store import ledger_path, update

from .conftest import WRITTEN, run_cli, tree_bytes


def catalogue(ws: Path):
    return load_catalogue(ws / "data/tasks.yaml", ws / "data/units.yaml", "data/tasks.yaml", "data/units.yaml")


def make_ledger(ws: Path, unit: str = "市财政局") -> Path:
    assert run_cli("ledger", "--unit", unit, "--as-of", "2021-10-08", workspace=ws).code == 0
    return ws / "ledgers" / f"{unit}.yaml"


def test_generated_ledger_reads_on_its_own(ws: Path):
    text = make_ledger(ws).read_text(encoding="utf-8")
    assert text.startswith("# 工作台账：市财政局\n")
    assert "\nunit: 市财政局\ntasks:\n  # 第 1 项 规划信息公开\n  - task: 1\n    role: 牵头\n    duty: 根据职能,负责专项、空间。\n" in text
    assert "  # 第 7 项 政府债务信息公开\n  - task: 7\n    role: 牵头\n    duty: 市政府相关债务信息。 本单位债务信息。\n    deadline: 每季度一次\n" in text
    assert text.count("  - task: ") == 28


HAND_EDITED = """\
# 我们单位的台账,张三维护
unit: 市财政局   # 单位
tasks:
  # 第 1 项 规划信息公开
  - task: 1
    role: 牵头
    duty: 根据职能,负责专项、空间。
    deadline: 最新规划:形成20日内。 历史规划:到“十二五”时期,既往不限。9月底完成公开。
  # 第 2 项 规划归集整理
  - task: 2
    role: 牵头
    duty: 规划上传。
    deadline: 9月底。

    # 手写:这一项由办公室李四负责
  # 第 7 项 政府债务信息公开
  - task: 7
    role: 牵头
    deadline: 每季度一次
    records:
      - date: 2021-07-10   # 补登
        status: 已完成
        instance: 2021Q2
        note: "二季度:债务限额、余额"
      # 三季度还没做
  # 末尾的说明
"""


def test_record_keeps_a_hand_commented_ledger_byte_for_byte(ws: Path):
    path = make_ledger(ws)
    # keep the hand-written layout but with every task the unit owes, so no sync is needed
    generated = path.read_text(encoding="utf-8")
    rest = generated[generated.index("  # 第 3 项"):]
    rest = rest.replace("  # 第 7 项 政府债务信息公开\n  - task: 7\n    role: 牵头\n    duty: 市政府相关债务信息。 本单位债务信息。\n    deadline: 每季度一次\n", "")
    head = HAND_EDITED.replace("    duty: 规划上传。\n    deadline: 9月底。\n", "    duty: 规划上传。\n    deadline: 9月底。\n")
    task7 = head[head.index("  # 第 7 项"):]
    original = head[: head.index("  # 第 7 项")] + rest.replace("  # 第 8 项", task7.replace("  # 末尾的说明\n", "") + "  # 第 8 项") + "  # 末尾的说明\n"
    original = original.replace("  - task: 7\n    role: 牵头\n    deadline", "  - task: 7\n    role: 牵头\n    duty: 市政府相关债务信息。 本单位债务信息。\n    deadline")
    path.write_text(original, encoding="utf-8")

    result = run_cli("record", "--unit", "市财政局", "--task", "7", "--status", "done", "--date", "2021-09-28",
                     "--note", "三季度: 债务信息 #1", "--evidence", "http://www.xingyi.gov.cn/a?b=1", "--as-of", "2021-10-08", workspace=ws)
    assert result.code == 0, result.err
    # the hand-written record gets its id (one new line, its comment kept); the new one comes with
    # its own id and the day it was entered
    added = ("      - id: R2\n        date: 2021-09-28\n        entered: 2021-10-08\n" + WRITTEN + "        status: 已完成\n"
             "        note: '三季度: 债务信息 #1'\n        evidence:\n          - http://www.xingyi.gov.cn/a?b=1\n")
    anchor = "        note: \"二季度:债务限额、余额\"\n"
    numbered = original.replace("      - date: 2021-07-10   # 补登\n", "      - id: R1\n        date: 2021-07-10   # 补登\n")
    assert path.read_text(encoding="utf-8") == numbered.replace(anchor, anchor + added)

    result = run_cli("record", "--unit", "市财政局", "--task", "2", "--status", "推进中", "--date", "2021-09-01", "--as-of", "2021-10-08", workspace=ws)
    assert result.code == 0, result.err
    anchor2 = "    duty: 规划上传。\n    deadline: 9月底。\n"
    expected = numbered.replace(anchor, anchor + added).replace(
        anchor2, anchor2 + "    records:\n      - id: R3\n        date: 2021-09-01\n        entered: 2021-10-08\n" + WRITTEN + "        status: 推进中\n")
    assert path.read_text(encoding="utf-8") == expected


def test_refused_records_change_nothing(ws: Path):
    make_ledger(ws)
    before = tree_bytes(ws)
    for args in (
        ["--task", "7", "--status", "done", "--date", "2021-13-01"],
        ["--task", "7", "--status", "finished", "--date", "2021-09-01"],
        ["--task", "7", "--status", "done", "--date", "2021-09-01", "--instance", "2021Q1"],
        ["--task", "21", "--status", "done", "--date", "2021-09-01"],
        ["--task", "99", "--status", "done", "--date", "2021-09-01"],
        ["--task", "7", "--status", "done", "--date", "2021-10-09"],  # after --as-of
        ["--task", "7", "--status", "不适用", "--date", "2021-09-01"],  # no reason
        ["--task", "2", "--extend", "2021-09-30", "--to", "2021-09-01", "--reason", "x"],
        ["--task", "2", "--extend", "2021-09-30", "--to", "2021-10-31"],
        ["--task", "2", "--event", "规划形成", "--date", "2021-09-01"],  # task 2 has no event rule
        ["--task", "6", "--event", "预算批复", "--date", "2021-03-01"],  # before the plan
        ["--task", "33", "--status", "done", "--date", "2021-06-20"],  # ambiguous instance
    ):
        result = run_cli("record", "--unit", "市财政局", *args, "--as-of", "2021-10-08", workspace=ws)
        assert result.code == 2, (args, result.out)
        assert result.err.startswith("错误：") and "Traceback" not in result.err
        assert tree_bytes(ws) == before


def test_event_prints_key_and_due(ws: Path):
    result = run_cli("record", "-u", "财政局", "-t", "6", "--event", "2021年预算批复", "--date", "2021-09-01", "--as-of", "2021-10-08", workspace=ws)
    assert result.out == "已为 市财政局 第 6 项任务登记事件 E1：2021年预算批复（2021-09-01），到期日 2021-09-29（20 个工作日）。\n"


def test_sync_adds_new_tasks_and_marks_dropped_ones_without_losing_records(ws: Path):
    path = make_ledger(ws)
    assert run_cli("record", "-u", "市财政局", "-t", "2", "--status", "done", "--date", "2021-09-20", "--as-of", "2021-10-08", workspace=ws).code == 0
    tasks_yaml = ws / "data/tasks.yaml"
    text = tasks_yaml.read_text(encoding="utf-8")
    # task 2 no longer names 市直有关部门; task 26 now also names 市财政局
    text = text.replace("  - id: 2\n    part: 一\n    section: (一)\n    title: 规划归集整理", "  - id: 2\n    part: 一\n    section: (一)\n    title: 规划归集整理", 1)
    start = text.index("  - id: 2\n")
    block = text[start:text.index("  - id: 3\n")]
    text = text.replace(block, block.replace("lead: [市政府办公室, 市直有关部门]", "lead: [市政府办公室]").replace("      - units: [市直部门、乡镇(街道)]", "      - units: [乡镇(街道)]").replace("units: [市直部门, 乡镇(街道)]", "units: [乡镇(街道)]"))
    text = text.replace("市卫生健康局, 市电力公司]", "市卫生健康局, 市电力公司, 市财政局]")
    tasks_yaml.write_text(text, encoding="utf-8")
    stale = run_cli("validate", workspace=ws)
    assert stale.code == 1 and "第 2 项：市财政局 不承担这项任务；如目录已改动，运行 gwgk ledger --unit 市财政局 同步" in stale.out

    assert run_cli("ledger", "--unit", "市财政局", "--as-of", "2021-10-08", workspace=ws).code == 0
    new = path.read_text(encoding="utf-8")
    assert "  - task: 2\n    role: 牵头\n    duty: 规划上传。\n    deadline: 9月底。\n    dropped: true\n    records:\n      - id: R1\n        date: 2021-09-20\n        entered: 2021-10-08\n" + WRITTEN + "        status: 已完成\n" in new
    assert "  # 第 26 项 公共企事业单位信息公开\n  - task: 26\n    role: 牵头\n" in new
    assert new.index("task: 26") < new.index("task: 27")
    assert run_cli("validate", workspace=ws).code == 0


def test_write_refused_when_the_file_changed_meanwhile(ws: Path):
    path = make_ledger(ws)
    cat = catalogue(ws)
    space = Workspace(ws)

    def hand_edit_then_change(text, current):
        path.write_text(path.read_text(encoding="utf-8") + "# 有人刚刚手工改了\n", encoding="utf-8")
        return text + "# gwgk 的改动\n", current

    with pytest.raises(ConflictError, match="在执行期间被修改"):
        update(space, cat, "市财政局", hand_edit_then_change)
    assert path.read_text(encoding="utf-8").endswith("# 有人刚刚手工改了\n")


def test_ledger_path_stays_inside_ledgers(ws: Path):
    space = Workspace(ws)
    assert ledger_path(space, "市财政局") == ws / "ledgers" / "市财政局.yaml"
    for bad in ("../etc/passwd", "/abs", "a/b", "a\\b", "..", "x\x00y", "a/b", "a\b"):
        with pytest.raises(Exception, match="不能用作文件名"):
            ledger_path(space, bad)


def test_ledger_all_creates_every_file(ws: Path):
    result = run_cli("ledger", "--all", workspace=ws)
    assert result.out == "全部 48 个单位：新建台账 48 本，同步 0 本，无变化 0 本。\n"
    again = run_cli("ledger", "--all", workspace=ws)
    assert again.out == "全部 48 个单位：新建台账 0 本，同步 0 本，无变化 48 本。\n"
    assert run_cli("validate", workspace=ws).out == "校验通过：33 项任务，48 个单位，48 本台账。\n"


def test_twenty_concurrent_records_all_land(ws: Path):
    make_ledger(ws)
    env = {**os.environ, "GWGK_WORKSPACE": str(ws)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "gwgk", "record", "--unit", "市财政局", "--task", "3", "--status", "in_progress",
             "--date", f"2021-08-{i + 1:02d}", "--note", f"第{i}次", "--as-of", "2021-10-08"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        for i in range(20)
    ]
    outcomes = [(p.wait(timeout=120), p.stderr.read().decode()) for p in procs]
    assert all(code == 0 for code, _ in outcomes), outcomes
    text = (ws / "ledgers/市财政局.yaml").read_text(encoding="utf-8")
    assert sorted(int(line.split("第")[1].split("次")[0]) for line in text.splitlines() if "note: 第" in line) == list(range(20))


def test_a_group_of_ledgers_is_read_once_when_kept_and_again_when_over_the_bound(demo: Path, monkeypatch: pytest.MonkeyPatch):
    """A cold report reads each ledger from disk once: the bytes keyed for a group are kept until
    it is parsed; past ``KEPT_BYTES`` they are dropped and read again, with the same findings."""
    import datetime as dt

    from gwgk.commands.common import catalogue
    from gwgk.files.workspace import find
    from gwgk.ledger import store
    from gwgk.reports.remembered import remembered_findings

    reads: list[str] = []
    real_read = store.read_file

    def counted(path: Path, name: str):
        reads.append(path.name)
        return real_read(path, name)

    monkeypatch.setattr(store, "read_file", counted)
    workspace = find(str(demo), {}, demo).without_cache()
    cat = catalogue(workspace)
    ledgers = store.LazyLedgers(workspace, cat)
    kept = remembered_findings(ledgers, list(cat.units), dt.date(2021, 10, 8))
    names = sorted(p.name for p in (demo / "ledgers").glob("*.yaml"))
    assert sorted(reads) == names and len(names) == 4
    assert ledgers._read == {} and ledgers._read_bytes == 0  # nothing kept after the group's work

    reads.clear()
    monkeypatch.setattr(store, "KEPT_BYTES", 1)
    ledgers = store.LazyLedgers(workspace, cat)
    again = remembered_findings(ledgers, list(cat.units), dt.date(2021, 10, 8))
    assert sorted(reads) == sorted(names * 2)
    assert [r.findings for r in again] == [r.findings for r in kept]
