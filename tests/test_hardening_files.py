"""Attacks on how gwgk touches files: output after a write, --output targets, modes, odd files and
locales (issue 13, causes 2, 9, 10, 11, 12)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gwgk.commands.app import ENGLISH_REFUSAL, locale_refusal
from gwgk.files import storage

from .conftest import run_cli

AS_OF = ["--as-of", "2021-10-08"]
RECORD = ["record", "-u", "市财政局", "-t", "3", "-s", "推进中", "-d", "2021-08-01", *AS_OF]
LEDGER = "ledgers/市财政局.yaml"


def gwgk(ws: Path, *args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    """``gwgk`` in a real process (stdout and locale are what the test makes them)."""
    full_env = {**os.environ, "GWGK_WORKSPACE": str(ws), **(env or {})}
    kwargs.setdefault("stdout", subprocess.PIPE)
    return subprocess.run([sys.executable, "-m", "gwgk", *args], env=full_env, stderr=subprocess.PIPE, timeout=60, **kwargs)


def all_bytes(root: Path) -> dict[str, bytes]:
    """Every regular file under ``root`` (ledgers, catalogue, reports; not the cache)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.is_symlink() and ".gwgk" not in p.parts}


# ---------------------------------------------------------------- 2. the truth after a write


def test_record_into_a_full_stdout_says_the_ledger_was_written(ws: Path):
    with open("/dev/full", "wb") as full:
        done = gwgk(ws, *RECORD, stdout=full)
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert "无法输出结果：磁盘已满" in err and "以下文件已经写入" in err and str(ws / LEDGER) in err
    assert "没有被改动" not in err and "内部错误" not in err
    assert "2021-08-01" in (ws / LEDGER).read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [["overdue", *AS_OF], ["report", *AS_OF], ["tasks"], ["units", "-f", "json"]])
def test_a_read_command_into_a_full_stdout_is_refused_and_writes_nothing(ws: Path, args):
    before = all_bytes(ws)
    with open("/dev/full", "wb") as full:
        done = gwgk(ws, *args, stdout=full)
    err = done.stderr.decode()
    assert done.returncode == 2 and "无法输出结果：磁盘已满，没有写入任何文件" in err, err
    assert "Traceback" not in err and all_bytes(ws) == before


def closed_pipe(ws: Path, *args: str) -> subprocess.CompletedProcess:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before gwgk writes a byte (``| true``)
    try:
        return gwgk(ws, *args, stdout=write_end)
    finally:
        os.close(write_end)


def test_record_into_a_closed_pipe_is_done_and_says_what_it_wrote(ws: Path):
    done = closed_pipe(ws, *RECORD)
    err = done.stderr.decode()
    assert done.returncode == 0, err
    assert "以下文件已经写入" in err and "错误" not in err and "Traceback" not in err
    assert "2021-08-01" in (ws / LEDGER).read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [["overdue", *AS_OF], ["tasks"], ["units"], ["ledger", "-u", "市财政局", "-f", "csv", *AS_OF], ["--help"]])
def test_a_closed_pipe_is_not_an_error(ws: Path, args):
    done = closed_pipe(ws, *args)
    assert done.returncode == 0 and done.stderr.decode() in ("", ) or "已经写入" in done.stderr.decode(), done.stderr.decode()
    assert "内部错误" not in done.stderr.decode()


def test_an_internal_error_after_a_write_names_the_file_written(ws: Path, monkeypatch):
    import gwgk.commands.ledger as ledger_command

    real_print = print

    def broken_print(*args, **kwargs):
        if kwargs.get("file") is None:
            raise RuntimeError("模拟的缺陷")
        real_print(*args, **kwargs)

    monkeypatch.setattr(ledger_command, "print", broken_print, raising=False)
    result = run_cli(*RECORD, workspace=ws)
    assert result.code == 3 and "已写入的文件：" in result.err and LEDGER in result.err
    assert "数据文件没有被改动" not in result.err


# ---------------------------------------------------------------- 10. --output writes reports only


@pytest.mark.parametrize("target", ["ledgers/市财政局.yaml", "ledgers/新报告.md", "data/tasks.yaml", "data/回头看.md",
                                    ".gwgk/cache/x.md", "ledgers/../ledgers/x.md", "./data/../data/units.yaml", "ledgers"])
def test_output_never_writes_into_the_workspace_folders(ws: Path, target: str, monkeypatch):
    run_cli("ledger", "-u", "市财政局", *AS_OF, workspace=ws)
    (ws / ".gwgk/cache").mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(ws)
    before = all_bytes(ws)
    for args in (["overdue", *AS_OF, "-o", target], ["report", *AS_OF, "-o", target, "-f", "md"],
                 ["ledger", "-u", "市财政局", *AS_OF, "-o", target, "-f", "csv"]):
        result = run_cli(*args, workspace=ws)
        assert result.code == 2 and result.err.startswith("错误：--output"), (args, result.err)
    assert all_bytes(ws) == before


def test_output_through_a_symlink_into_ledgers_is_refused(ws: Path, tmp_path: Path):
    run_cli("ledger", "-u", "市财政局", *AS_OF, workspace=ws)
    link = tmp_path / "看起来无害.md"
    link.symlink_to(ws / LEDGER)
    folder_link = tmp_path / "reports"
    folder_link.symlink_to(ws / "ledgers")
    before = all_bytes(ws)
    for target in (link, folder_link / "x.md"):
        result = run_cli("overdue", *AS_OF, "-o", str(target), workspace=ws)
        assert result.code == 2 and "不能写到工作区的 ledgers/" in result.err, result.err
    assert all_bytes(ws) == before and link.is_symlink()


def test_export_into_ledgers_is_refused(ws: Path):
    before = all_bytes(ws)
    result = run_cli("export", "-u", "市财政局", *AS_OF, "-o", str(ws / "ledgers/x.xlsx"), workspace=ws)
    assert result.code == 2 and "--output 不能写到" in result.err
    result = run_cli("export", "--all", *AS_OF, "-o", str(ws / ".gwgk/out"), workspace=ws)
    assert result.code == 2 and "--output 不能写到" in result.err
    assert not (ws / "ledgers/x.xlsx").exists() and not (ws / ".gwgk/out").exists()
    assert {k: v for k, v in all_bytes(ws).items() if not k.startswith("ledgers/")} == {k: v for k, v in before.items()}


def test_output_refuses_devices_fifos_and_folders(ws: Path, tmp_path: Path):
    fifo, fifo_book = tmp_path / "管道.md", tmp_path / "管道.xlsx"
    folder, folder_book = tmp_path / "文件夹.md", tmp_path / "文件夹.xlsx"
    for path in (fifo, fifo_book):
        os.mkfifo(path)
    for path in (folder, folder_book):
        path.mkdir()
    cases = [(["overdue", "-o", "/dev/null"], "不是普通文件"), (["report", "-o", "/dev/zero"], "不是普通文件"),
             (["overdue", "-o", str(fifo)], "不是普通文件"), (["ledger", "-u", "市财政局", "-o", str(fifo)], "不是普通文件"),
             (["overdue", "-o", str(folder)], "是一个文件夹"), (["export", "-u", "市财政局", "-o", str(fifo_book)], "不是普通文件"),
             (["export", "-u", "市财政局", "-o", str(folder_book)], "是一个文件夹")]
    for args, message in cases:
        result = run_cli(*args, *AS_OF, workspace=ws)
        assert result.code == 2 and message in result.err, (args, result.err)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert list(folder.iterdir()) == [] and list(folder_book.iterdir()) == []


def test_write_atomic_itself_refuses_a_device_node(tmp_path: Path):
    from gwgk.errors import UsageError

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for target in (Path("/dev/null"), fifo, tmp_path):
        with pytest.raises(UsageError):
            storage.write_atomic(target, b"x")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


# ---------------------------------------------------------------- 9. overlong input


LONG = "字" * 2001


@pytest.mark.parametrize(("args", "expected"), [
    (["record", "-u", "市财政局", "-t", "3", "-s", "推进中", "-d", "2021-08-01", "-n", LONG], "“--note”太长（最多 2000 个字符）"),
    (["record", "-u", "市财政局", "-t", "12", "-s", "推进中", "-d", "2021-08-01", "-c", "方" * 101], "“--category”太长（最多 100 个字符）"),
    (["record", "-u", "市财政局", "-t", "3", "-s", "推进中", "-d", "2021-08-01", "--evidence", "h" * 2001], "太长（最多 2000 个字符）"),
    (["record", "-u", "市财政局", "-t", "3", "-s", "不适用", "-d", "2021-08-01", "-r", LONG], "“--reason”太长（最多 2000 个字符）"),
    (["overdue", "-o", "a" * 256 + ".md"], "--output 的文件名或路径太长"),
    (["overdue", "-o", "报" * 90 + ".md"], "--output 的文件名或路径太长"),
    (["report", "-o", "/".join(["a" * 200] * 25) + "/x.md"], "--output 的文件名或路径太长"),
])
def test_overlong_input_is_refused_in_chinese(ws: Path, args, expected):
    before = all_bytes(ws)
    result = run_cli(*args, *AS_OF, workspace=ws)
    assert result.code == 2 and expected in result.err, result.err
    assert "should" not in result.err and "pydantic" not in result.err and "Traceback" not in result.err
    assert all_bytes(ws) == before


def test_an_overlong_reason_for_closing_a_plan_is_named_by_its_option(ws: Path):
    result = run_cli("plan", "close", "2021", "--reason", LONG, "--as-of", "2022-02-01", workspace=ws)
    assert result.code == 2 and "“--reason”太长（最多 2000 个字符）" in result.err, result.err
    assert not (ws / "data" / "closures.yaml").exists()


@pytest.mark.parametrize("workspace", ["a" * 300, "工" * 100, "/".join(["b" * 250] * 20)])
def test_an_overlong_workspace_path_is_refused_in_chinese(tmp_path: Path, workspace: str):
    result = run_cli("overdue", *AS_OF, workspace=tmp_path / workspace)
    assert result.code == 2 and result.err.startswith("错误：") and "太长" in result.err, result.err


# ---------------------------------------------------------------- 11. modes


@pytest.fixture
def umask():
    old = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(old)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_files_follow_the_umask(ws: Path, tmp_path: Path, umask, mask: int, mode: int):
    umask(mask)
    assert run_cli(*RECORD, workspace=ws).code == 0
    assert run_cli("overdue", *AS_OF, "-o", str(tmp_path / "回头看.md"), workspace=ws).code == 0
    assert run_cli("export", "-u", "市教育局", *AS_OF, "-o", str(tmp_path / "x.xlsx"), workspace=ws).code == 0
    for path in (ws / LEDGER, tmp_path / "回头看.md", tmp_path / "x.xlsx"):
        assert stat.S_IMODE(path.stat().st_mode) == mode, path


@pytest.mark.parametrize("mode", [0o640, 0o600, 0o664, 0o604])
def test_an_existing_files_mode_is_kept(ws: Path, tmp_path: Path, mode: int):
    assert run_cli(*RECORD, workspace=ws).code == 0
    (ws / LEDGER).chmod(mode)
    report = tmp_path / "r.md"
    report.write_text("旧", encoding="utf-8")
    report.chmod(mode)
    assert run_cli("record", "-u", "市财政局", "-t", "3", "-s", "推进中", "-d", "2021-08-02", *AS_OF, workspace=ws).code == 0
    assert run_cli("overdue", *AS_OF, "-o", str(report), workspace=ws).code == 0
    assert stat.S_IMODE((ws / LEDGER).stat().st_mode) == mode and stat.S_IMODE(report.stat().st_mode) == mode
    assert "2021-08-02" in (ws / LEDGER).read_text(encoding="utf-8") and report.read_text(encoding="utf-8") != "旧"


@pytest.mark.parametrize("mode", [0o444, 0o400, 0o555, 0o000])
def test_a_read_only_file_is_never_replaced(ws: Path, tmp_path: Path, mode: int):
    assert run_cli(*RECORD, workspace=ws).code == 0
    report = tmp_path / "r.md"
    report.write_text("旧", encoding="utf-8")
    before = (ws / LEDGER).read_bytes()
    for path in (ws / LEDGER, report):
        path.chmod(mode)
    try:
        result = run_cli("record", "-u", "市财政局", "-t", "3", "-s", "推进中", "-d", "2021-08-02", *AS_OF, workspace=ws)
        # as root a mode-000 file can be read, and is refused as read-only; otherwise it cannot be read
        assert result.code == 2 and ("是只读文件" in result.err or "没有权限" in result.err), result.err
        result = run_cli("overdue", *AS_OF, "-o", str(report), workspace=ws)
        assert result.code == 2 and "是只读文件" in result.err
    finally:
        for path in (ws / LEDGER, report):
            path.chmod(0o644)
    assert (ws / LEDGER).read_bytes() == before and report.read_text(encoding="utf-8") == "旧"


# ---------------------------------------------------------------- 12. odd files and locales


@pytest.mark.parametrize(("where", "unit"), [(LEDGER, "市财政局"), ("ledgers/市教育局.yaml", "市教育局"),
                                            ("data/units.yaml", "市财政局"), ("data/tasks.yaml", "市财政局")])
def test_a_fifo_where_a_file_should_be_is_refused_at_once(ws: Path, where: str, unit: str):
    assert run_cli(*RECORD, workspace=ws).code == 0
    (ws / where).unlink(missing_ok=True)
    os.mkfifo(ws / where)
    before = all_bytes(ws)
    expected = "找不到 data/tasks.yaml" if where == "data/tasks.yaml" else "管道、设备或套接字"
    for args in (["overdue", *AS_OF], ["record", "-u", unit, "-t", "3", "-s", "推进中", "-d", "2021-08-02", *AS_OF],
                 ["ledger", "-u", unit, *AS_OF], ["validate"], ["report", *AS_OF], ["export", "-u", unit, "-o", "x.xlsx", *AS_OF]):
        started = time.perf_counter()
        done = gwgk(ws, *args, cwd=ws.parent)
        err = done.stderr.decode() + done.stdout.decode()
        assert done.returncode in (1, 2) and expected in err, (args, err)
        assert time.perf_counter() - started < 20
    assert all_bytes(ws) == before and stat.S_ISFIFO(os.stat(ws / where).st_mode)


NOT_UTF8 = {"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}


@pytest.mark.parametrize("args", [RECORD, ["overdue", *AS_OF], ["ledger", "--all"], ["validate"], ["tasks"]])
def test_a_non_utf8_locale_is_refused_at_once_in_english_where_chinese_cannot_show(ws: Path, args):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "LC_CTYPE")}
    before = all_bytes(ws)
    done = subprocess.run([sys.executable, "-m", "gwgk", "--workspace", str(ws), *args], env={**env, **NOT_UTF8},
                          capture_output=True, timeout=60)
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.decode("ascii") == "error: " + ENGLISH_REFUSAL.format("ascii") + "\n"
    assert all_bytes(ws) == before


def test_a_non_utf8_locale_is_refused_in_chinese_where_the_terminal_shows_it(ws: Path):
    env = {k: v for k, v in os.environ.items() if k != "LC_CTYPE"}
    done = subprocess.run([sys.executable, "-m", "gwgk", "--workspace", str(ws), *RECORD],
                          env={**env, **NOT_UTF8, "PYTHONIOENCODING": "gbk"}, capture_output=True, timeout=60)
    err = done.stderr.decode("gbk")
    assert done.returncode == 2 and err.startswith("错误：当前区域设置（locale）的编码是 ascii，不是 UTF-8")
    assert list((ws / "ledgers").iterdir()) == []


@pytest.mark.parametrize(("fs", "out", "err", "english"), [
    ("gbk", "gbk", "gbk", False), ("gb18030", "gb18030", "gb18030", False), ("iso8859-1", "iso8859-1", "iso8859-1", True),
    ("ascii", "ascii", "ascii", True), ("utf-8", "latin-1", "latin-1", True), ("utf-8", "ascii", "utf-8", False),
])
def test_which_locales_are_refused_and_in_which_language(fs, out, err, english):
    refusal = locale_refusal(["overdue"], fs, out, err)
    assert refusal is not None and refusal[1] is english


def test_utf8_locales_are_accepted_and_undecodable_arguments_refused():
    assert locale_refusal(["record", "-u", "市财政局"], "utf-8", "utf-8", "utf-8") is None
    assert locale_refusal(["-u", "市财政局"], "UTF8", "UTF-8", None) is None
    gbk_argument = "市财政局".encode("gbk").decode("utf-8", "surrogateescape")
    refusal = locale_refusal(["record", "-u", gbk_argument], "utf-8", "utf-8", "utf-8")
    assert refusal is not None and "不是有效的 UTF-8 文字" in refusal[0]


def test_gbk_encoded_arguments_under_utf8_mode_write_nothing(ws: Path):
    done = subprocess.run([os.fsencode(sys.executable), b"-m", b"gwgk", b"--workspace", os.fsencode(ws), b"record", b"-u",
                           "市财政局".encode("gbk"), b"-t", b"3", b"-s", b"done", b"-d", b"2021-08-01", b"--as-of", b"2021-10-08"],
                          env={**os.environ, "PYTHONUTF8": "1"}, capture_output=True, timeout=60)
    assert done.returncode == 2 and "不是有效的 UTF-8 文字" in done.stderr.decode("utf-8")
    assert list((ws / "ledgers").iterdir()) == []


@pytest.mark.parametrize(("first", "second"), [("Ab局", "AB局"), ("ab局", "Ab局"), ("Café局", "Cafe\u0301局")])
def test_units_whose_ledgers_would_be_one_file_on_windows_are_refused(ws: Path, first: str, second: str):
    """Two units differing only in case (or in how an accent is composed) share one ledger file on
    a case-insensitive file system: the catalogue is refused, at the second one's line."""
    units = ws / "data" / "units.yaml"
    text = units.read_text(encoding="utf-8")
    addition = f"  - name: {first}\n    kind: department\n    source: 手工\n  - name: {second}\n    kind: department\n    source: 手工\n"
    text = text.replace("units:\n", "units:\n" + addition, 1)
    units.write_text(text, encoding="utf-8")
    result = run_cli("validate", workspace=ws)
    assert result.code in (1, 2), result.err
    line = text.splitlines().index(f"  - name: {second}") + 1
    assert f"data/units.yaml:{line}:11: 单位“{second}”与“{first}”只有大小写（或 Unicode 写法）不同" in result.out + result.err
