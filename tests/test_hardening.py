"""Attacks: bad, hostile and interrupted input never loses data and never shows a traceback."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gwgk.catalogue.load import load_catalogue
from gwgk.errors import EXIT_INTERNAL
from gwgk.files import storage
from gwgk.files.workspace import Workspace
from gwgk.ledger.store import update

from .conftest import REPO, run_cli, tree_bytes

AS_OF = ["--as-of", "2021-10-08"]
GOOD_LEDGER = """unit: 市财政局
tasks:
  - task: 7
    role: 牵头
    deadline: 每季度一次
    records:
      - date: 2021-09-28
        status: 已完成
"""


def with_ledger(ws: Path, text: str | bytes) -> Path:
    path = ws / "ledgers/市财政局.yaml"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def assert_refused_everywhere(ws: Path, expected: str) -> None:
    """validate exits 1, record, ledger and the strict reports exit 2; the reports without --strict
    cover the other units and exit 1; the message is located; nothing changes."""
    before = tree_bytes(ws)
    checked = run_cli("validate", workspace=ws)
    assert checked.code == 1, checked.out
    assert expected in checked.out, checked.out
    for args in (["overdue", *AS_OF, "--strict"], ["record", "-u", "市财政局", "-t", "7", "-s", "done", "-d", "2021-09-01", *AS_OF],
                 ["ledger", "-u", "市财政局", *AS_OF], ["report", *AS_OF, "--strict"]):
        result = run_cli(*args, workspace=ws)
        assert result.code == 2, (args, result.out)
        assert expected in result.err and "Traceback" not in result.err + result.out
    for args in (["overdue", *AS_OF], ["report", *AS_OF]):
        result = run_cli(*args, workspace=ws)
        assert result.code == 1, (args, result.err)
        assert expected in result.err and "Traceback" not in result.err + result.out
    assert tree_bytes(ws) == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD_LEDGER.replace("    role: 牵头", "\trole: 牵头"), "ledgers/市财政局.yaml:4:1: YAML 格式错误：这里有制表符（Tab）"),
        (GOOD_LEDGER.replace("    role: 牵头", "      role: 牵头"), "ledgers/市财政局.yaml:4:11: YAML 格式错误"),
        (GOOD_LEDGER.replace("deadline: 每季度一次", 'deadline: "每季度一次'), "ledgers/市财政局.yaml:"),
        (GOOD_LEDGER.replace("    deadline: 每季度一次", "    deadline: 每季度一次\n    deadline: 长期"), "ledgers/市财政局.yaml:6:5: 键“deadline”重复出现（第一次在第 5 行）"),
        (GOOD_LEDGER.replace("status: 已完成", "status: 做完了"), "ledgers/市财政局.yaml:8:17: 状态“做完了”不认识，应写 已完成、推进中、不适用 之一"),
        (GOOD_LEDGER.replace("2021-09-28", "2021-02-30"), "ledgers/市财政局.yaml:7:15: “date”的值“2021-02-30”不是有效日期"),
        (GOOD_LEDGER.replace("2021-09-28", "9月底"), "ledgers/市财政局.yaml:7:15: “date”的值“9月底”不是有效日期"),
        (GOOD_LEDGER.replace("task: 7", "task: 七"), "ledgers/市财政局.yaml:3:11: “task”应为整数，现在是“七”"),
        (GOOD_LEDGER + "      - date: 2021-09-29\n        status: done\n        instance: 2021Q9\n", "没有实例“2021Q9”"),
        (GOOD_LEDGER + "  - task: 5\n    role: 责任\n    records:\n      - date: 2021-08-01\n        status: 已完成\n",
         "ledgers/市财政局.yaml:12:15: 无法判断这条 2021-08-01 的记录属于第 5 项的哪个实例，请加上 instance（可用的有：无）"),
        (GOOD_LEDGER.replace("    records:", "    colour: red\n    records:"), "不认识的字段“colour”"),
        (GOOD_LEDGER.replace("unit: 市财政局", "unit: 市教育局"), "ledgers/市财政局.yaml:1:7: 台账写的单位是“市教育局”，但文件名对应的单位是“市财政局”"),
        ("", "ledgers/市财政局.yaml: 文件是空的"),
        ("records: 5\n", "缺少字段“unit”"),
        ("- 一\n- 二\n", "“内容”应为“键: 值”的映射"),
        (GOOD_LEDGER.encode("gbk"), "ledgers/市财政局.yaml:1:7: 文件不是 UTF-8 编码，看起来是 GBK/GB18030 编码"),
        (GOOD_LEDGER.encode("utf-16"), "文件是 UTF-16 编码"),
        (GOOD_LEDGER.replace("已完成", "已完成\x00"), "文件含有空字符"),
        ("unit: &a 市财政局\ntasks: *a\n", "ledgers/市财政局.yaml:1:7: 不支持 YAML 锚点和别名"),
        ("unit: 市财政局\ntasks:\n  - &t {task: 7, role: 牵头}\n  - *t\n", "不支持 YAML 锚点和别名"),
        ("unit: !!python/object/apply:os.system ['touch /tmp/gwgk-pwned']\ntasks: []\n", "不支持 YAML 标签“tag:yaml.org,2002:python/object/apply:os.system”"),
        ("unit: !custom 市财政局\ntasks: []\n", "不支持 YAML 标签“!custom”"),
    ],
    ids=["tab", "indent", "unclosed-quote", "duplicate-key", "status", "impossible-date", "9月底", "task-not-int",
         "unknown-instance", "no-instance-fits", "unknown-field", "wrong-unit", "empty", "wrong-shape", "a-list", "gbk", "utf16", "nul",
         "scalar-alias", "alias", "python-tag", "custom-tag"],
)
def test_bad_ledgers_are_refused_with_their_place(ws: Path, text, expected):
    with_ledger(ws, text)
    assert_refused_everywhere(ws, expected)
    assert not Path("/tmp/gwgk-pwned").exists()


@pytest.mark.parametrize("task", [99, 71, 34, 1000])
def test_an_unknown_task_id_is_an_error_everywhere_until_marked_by_the_explicit_sync(ws: Path, task: int):
    # a typo (task: 71 for 7) or a task the catalogue dropped: never silently ignored or repaired
    path = with_ledger(ws, GOOD_LEDGER.replace("task: 7", f"task: {task}"))
    before = path.read_bytes()
    expected = f"ledgers/市财政局.yaml:3:11: 第 {task} 项：目录中没有这项任务"
    checked = run_cli("validate", workspace=ws)
    assert checked.code == 1 and expected in checked.out
    for args in (["overdue", *AS_OF, "-u", "市财政局", "--strict"], ["report", *AS_OF, "--strict"],
                 ["record", "-u", "市财政局", "-t", "3", "-s", "done", "-d", "2021-09-01", *AS_OF],
                 ["export", "-u", "市财政局", "-o", str(ws.parent / "x.xlsx"), *AS_OF]):
        result = run_cli(*args, workspace=ws)
        assert result.code == 2 and expected in result.err, (args, result.err)
        assert path.read_bytes() == before
    # without --strict the 回头看 still runs, naming the ledger and leaving its unit unchecked (exit 1)
    for args in (["overdue", *AS_OF, "-u", "市财政局"], ["report", *AS_OF]):
        result = run_cli(*args, workspace=ws)
        assert result.code == 1 and expected in result.err and "台账有误，未核查" in result.out, (args, result.err)
        assert path.read_bytes() == before
    # only the explicit sync marks it, and says nothing is lost
    assert run_cli("ledger", "-u", "市财政局", *AS_OF, workspace=ws).code == 0
    text = path.read_text(encoding="utf-8")
    assert f"  - task: {task}\n    role: 牵头\n    deadline: 每季度一次\n    dropped: true\n    records:\n      - date: 2021-09-28\n" in text
    assert run_cli("validate", workspace=ws).code == 0
    assert run_cli("overdue", *AS_OF, "-u", "市财政局", workspace=ws).code == 0


def test_a_bom_is_accepted(ws: Path):
    with_ledger(ws, b"\xef\xbb\xbf" + GOOD_LEDGER.encode("utf-8"))
    assert run_cli("validate", workspace=ws).code == 0
    assert run_cli("overdue", *AS_OF, "-u", "市财政局", workspace=ws).code == 0


def test_a_directory_where_a_ledger_should_be(ws: Path):
    (ws / "ledgers/市财政局.yaml").mkdir()
    assert_refused_everywhere(ws, "ledgers/市财政局.yaml: 这里应该是一个文件，却是一个文件夹")


def test_billion_laughs_is_refused_fast_with_little_memory(ws: Path):
    lines = ["unit: 市财政局", 'a0: &a0 ["哈哈哈哈哈哈哈哈"]']
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 10)]
    lines.append("tasks: *a9")
    with_ledger(ws, "\n".join(lines) + "\n")
    started = time.perf_counter()
    result = run_cli("validate", workspace=ws)
    assert time.perf_counter() - started < 5
    assert result.code == 1 and "不支持 YAML 锚点和别名" in result.out


def test_an_enormous_ledger_is_refused_before_parsing(ws: Path):
    with open(ws / "ledgers/市财政局.yaml", "wb") as f:
        f.write(GOOD_LEDGER.encode())
        f.write(b"# " + b"x" * (17 * 1024 * 1024) + b"\n")
    started = time.perf_counter()
    assert_refused_everywhere(ws, "文件有 16777217 字节，超过上限 16777216 字节")
    assert time.perf_counter() - started < 30


@pytest.mark.parametrize("name", ["../etc/passwd", "/etc/passwd", "ledgers/../../x", "市财政局\x00", "..", "市财政局/../市教育局"])
def test_unit_names_never_become_paths(ws: Path, name: str):
    before = tree_bytes(ws)
    result = run_cli("record", "-u", name, "-t", "7", "-s", "done", "-d", "2021-09-01", *AS_OF, workspace=ws)
    assert result.code == 2 and result.err.startswith("错误：")
    assert tree_bytes(ws) == before
    assert sorted(p.name for p in ws.parent.iterdir()) == ["ws"]


def test_full_width_and_compatibility_spellings_find_the_same_unit_and_file(ws: Path):
    for spelling in ("市财政局", "市财政局", "市 财政局"):
        assert run_cli("record", "-u", spelling, "-t", "3", "-s", "推进中", "-d", "2021-08-01", "-n", spelling, *AS_OF, workspace=ws).code == 0
    assert [p.name for p in (ws / "ledgers").iterdir()] == ["市财政局.yaml"]


@pytest.mark.parametrize(
    ("name", "message"),
    [("../市水务局", "单位名称“../市水务局”不能含有"), ("CON", "单位名称“CON”在 Windows 上不能用作文件名"),
     ("com1.txt", "单位名称“com1.txt”在 Windows 上不能用作文件名"), ("市水务局.", "单位名称“市水务局.”在 Windows 上不能用作文件名")],
)
def test_a_unit_name_that_cannot_be_a_file_name_is_refused_in_the_catalogue(ws: Path, name: str, message: str):
    units = ws / "data/units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("name: 市水务局", f"name: {name}"), encoding="utf-8")
    result = run_cli("validate", workspace=ws)
    assert result.code == 1 and message in result.out


# ---------------------------------------------------------------- crashes


def make_ledger(ws: Path) -> Path:
    assert run_cli("ledger", "-u", "市财政局", *AS_OF, workspace=ws).code == 0
    return ws / "ledgers/市财政局.yaml"


def test_a_write_that_fails_before_the_rename_leaves_the_old_ledger(ws: Path, monkeypatch):
    path = make_ledger(ws)
    before = path.read_bytes()

    def crash(*_args):
        raise OSError(errno.EIO, "模拟：进程在改名前崩溃")

    monkeypatch.setattr(storage.os, "replace", crash)
    monkeypatch.setattr(storage.swap, "_rename", crash)
    result = run_cli("record", "-u", "市财政局", "-t", "3", "-s", "推进中", "-d", "2021-08-01", *AS_OF, workspace=ws)
    assert result.code == 2 and "原文件未改动" in result.err
    assert path.read_bytes() == before
    assert [p.name for p in (ws / "ledgers").iterdir()] == ["市财政局.yaml"]  # the temp file was removed


def test_a_full_disk_leaves_the_old_ledger(ws: Path, monkeypatch):
    path = make_ledger(ws)
    before = path.read_bytes()
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage.os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    result = run_cli("record", "-u", "市财政局", "-t", "3", "-s", "推进中", "-d", "2021-08-01", *AS_OF, workspace=ws)
    assert result.code == 2 and "原文件未改动" in result.err and "No space left" in result.err
    assert path.read_bytes() == before and len(list((ws / "ledgers").iterdir())) == 1


def test_a_killed_writer_leaves_nothing_that_blocks(ws: Path):
    path = make_ledger(ws)
    stale = ws / "ledgers" / f"{storage.TEMP_PREFIX}市财政局.yaml.abcd"
    stale.write_text("半截", encoding="utf-8")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    lock = ws / ".gwgk/locks/市财政局.yaml.lock"
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sys, time; from filelock import FileLock; l = FileLock(sys.argv[1]); l.acquire(); print('held', flush=True); time.sleep(60)",
                               str(lock)], stdout=subprocess.PIPE)
    assert holder.stdout.readline().strip() == b"held"
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert lock.exists()  # the lock file is left behind, but the OS lock died with its holder
    started = time.perf_counter()
    result = run_cli("record", "-u", "市财政局", "-t", "3", "-s", "推进中", "-d", "2021-08-01", *AS_OF, workspace=ws)
    assert result.code == 0 and time.perf_counter() - started < 10
    assert not stale.exists()
    assert "2021-08-01" in path.read_text(encoding="utf-8")


# ---------------------------------------------------------------- concurrency


def test_reports_beside_twenty_writers_always_read_whole_files(ws: Path):
    make_ledger(ws)
    env = {**os.environ, "GWGK_WORKSPACE": str(ws)}
    gwgk = [sys.executable, "-m", "gwgk"]
    writers = [subprocess.Popen([*gwgk, "record", "-u", "市财政局", "-t", "3", "-s", "推进中", "-d", f"2021-08-{i + 1:02d}", "-n", f"第{i}次", *AS_OF],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for i in range(20)]
    readers = [subprocess.Popen([*gwgk, "overdue", "-u", "市财政局", *AS_OF, "-f", "json"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
               for _ in range(6)]
    assert [p.wait(timeout=180) for p in writers] == [0] * 20
    assert [p.wait(timeout=180) for p in readers] == [0] * 6, [p.stderr.read().decode() for p in readers]
    assert (ws / "ledgers/市财政局.yaml").read_text(encoding="utf-8").count("note: 第") == 20


def test_writers_on_different_units_do_not_block_each_other(ws: Path):
    make_ledger(ws)
    cat = load_catalogue(ws / "data/tasks.yaml", ws / "data/units.yaml", "t", "u")
    space = Workspace(ws)
    with storage.locked(space.locks_dir / "市财政局.yaml.lock", "市财政局.yaml"):
        started = time.perf_counter()
        _, written = update(space, cat, "市教育局")
        assert written and time.perf_counter() - started < 5


# ---------------------------------------------------------------- fuzzing


def mutate(text: str, data) -> str:  # noqa: ANN001 - hypothesis data
    lines = text.splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 3))):
        if not lines:
            break
        i = data.draw(st.integers(0, len(lines) - 1))
        kind = data.draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "insert", "truncate", "swap"]))
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "indent":
            lines[i] = "  " + lines[i]
        elif kind == "dedent":
            lines[i] = lines[i][2:]
        elif kind == "insert":
            junk = data.draw(st.text(alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#%@`,?\t 0123456789年月日已完成\\")), max_size=8))
            at = data.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + junk + lines[i][at:]
        elif kind == "truncate":
            lines[i] = lines[i][: data.draw(st.integers(0, len(lines[i])))]
        else:
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines)


LEDGER_SAMPLE = (REPO / "ledgers/市财政局.yaml").read_text(encoding="utf-8")
TASKS = (REPO / "data/tasks.yaml").read_text(encoding="utf-8")


@given(data=st.data())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_fuzzed_ledgers_never_crash_and_refusals_write_nothing(ws: Path, data):
    with_ledger(ws, mutate(LEDGER_SAMPLE, data))
    for args, allowed in ((["validate"], (0, 1)), (["overdue", *AS_OF, "-u", "市财政局"], (0, 1)),
                          (["overdue", *AS_OF, "-u", "市财政局", "--strict"], (0, 2)),
                          (["record", "-u", "市财政局", "-t", "3", "-s", "推进中", "-d", "2021-08-01", *AS_OF], (0, 2))):
        before = tree_bytes(ws)
        result = run_cli(*args, workspace=ws)
        assert result.code in allowed and result.code != EXIT_INTERNAL, (args, result.err)
        assert "Traceback" not in result.err + result.out
        if result.code == 2:
            assert result.err.startswith("错误：") and tree_bytes(ws) == before


@given(data=st.data())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_fuzzed_catalogues_never_crash(ws: Path, data):
    (ws / "data/tasks.yaml").write_text(mutate(TASKS, data), encoding="utf-8")
    before = tree_bytes(ws)
    for args, allowed in ((["validate"], (0, 1)), (["overdue", *AS_OF, "-u", "市财政局"], (0, 2)), (["tasks", "--format", "json"], (0, 2))):
        result = run_cli(*args, workspace=ws)
        assert result.code in allowed, (args, result.err)
        assert "Traceback" not in result.err + result.out
    assert tree_bytes(ws) == before
