"""Attacks on replacing a ledger: an edit that lands while gwgk writes it is kept, or the write is
refused as a conflict (issue 13, cause 1). fsync is slowed by an ``LD_PRELOAD`` shim built here."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from gwgk.files import storage, swap
from gwgk.files.storage import fingerprint

from .conftest import run_cli
from .test_hardening_files import AS_OF, LEDGER, RECORD, gwgk

# ---------------------------------------------------------------- 1. an edit during the write


def test_replace_if_keeps_a_change_made_before_the_swap(tmp_path: Path):
    target, new = tmp_path / "台账.yaml", tmp_path / "新"
    target.write_bytes(b"read\n")
    new.write_bytes(b"ours\n")
    target.write_bytes(b"read\nedited\n")  # the edit after gwgk read
    assert not swap.replace_if(new, target, lambda old: old == b"read\n")
    assert target.read_bytes() == b"read\nedited\n" and new.read_bytes() == b"ours\n"
    assert swap.replace_if(new, target, lambda old: old == b"read\nedited\n")
    assert target.read_bytes() == b"ours\n"


def test_replace_if_never_replaces_a_file_created_meanwhile(tmp_path: Path):
    target, new = tmp_path / "台账.yaml", tmp_path / "新"
    new.write_bytes(b"ours\n")
    target.write_bytes(b"theirs\n")
    assert not swap.replace_if(new, target, lambda old: old is None)
    assert target.read_bytes() == b"theirs\n"
    target.unlink()
    assert swap.replace_if(new, target, lambda old: old is None) and target.read_bytes() == b"ours\n"


def test_write_atomic_with_expected_refuses_a_changed_file(tmp_path: Path):
    from gwgk.errors import ConflictError

    target = tmp_path / "台账.yaml"
    target.write_bytes(b"a\n")
    seen = fingerprint(b"a\n")
    target.write_bytes(b"a\nb\n")
    with pytest.raises(ConflictError):
        storage.write_atomic(target, b"c\n", expected=seen)
    assert target.read_bytes() == b"a\nb\n" and [p.name for p in tmp_path.iterdir()] == ["台账.yaml"]
    storage.write_atomic(target, b"c\n", expected=fingerprint(b"a\nb\n"))
    assert target.read_bytes() == b"c\n"


SHIM = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <unistd.h>
int fsync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int)) dlsym(RTLD_NEXT, "fsync");
    const char *us = getenv("SLOW_FSYNC_US");
    usleep(us ? atoi(us) : 0);
    return real(fd);
}
"""


@pytest.fixture(scope="module")
def slow_fsync(tmp_path_factory) -> str:
    """An ``LD_PRELOAD`` library that makes every ``fsync`` sleep ``SLOW_FSYNC_US`` microseconds."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None or not sys.platform.startswith("linux"):
        pytest.skip("needs a C compiler on Linux to build the fsync-slowing shim")
    folder = tmp_path_factory.mktemp("shim")
    (folder / "slow.c").write_text(SHIM, encoding="utf-8")
    subprocess.run([compiler, "-shared", "-fPIC", "-o", str(folder / "slow.so"), str(folder / "slow.c"), "-ldl"], check=True)
    return str(folder / "slow.so")


def edit_during_the_write(ws: Path, shim: str, edit, args: list[str]) -> subprocess.CompletedProcess:
    """Run ``gwgk args`` with fsync slowed to 1.5 s; call ``edit()`` once its temp file exists."""
    env = {**os.environ, "GWGK_WORKSPACE": str(ws), "LD_PRELOAD": shim, "SLOW_FSYNC_US": "1500000"}
    process = subprocess.Popen([sys.executable, "-m", "gwgk", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while not any(p.name.startswith(storage.TEMP_PREFIX) for p in (ws / "ledgers").iterdir()):
        assert time.time() < deadline and process.poll() is None, process.stderr.read().decode() if process.poll() is not None else ""
        time.sleep(0.005)
    edit()
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(args, process.returncode, out, err)


def append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def replace_by_editor(path: Path, text: str) -> None:
    temp = path.with_name(".编辑器临时文件")
    temp.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    os.replace(temp, path)


@pytest.mark.parametrize("how", [append, replace_by_editor])
def test_an_edit_made_while_gwgk_writes_is_never_lost(ws: Path, slow_fsync: str, how):
    assert run_cli(*RECORD, workspace=ws).code == 0
    path = ws / LEDGER
    done = edit_during_the_write(ws, slow_fsync, lambda: how(path, "# 手工编辑\n"),
                                 ["record", "-u", "市财政局", "-t", "3", "-s", "推进中", "-d", "2021-08-02", *AS_OF])
    text = path.read_text(encoding="utf-8")
    assert "# 手工编辑" in text, (done.returncode, done.stderr.decode())
    assert (done.returncode == 2 and "被修改" in done.stderr.decode()) or (done.returncode == 0 and "2021-08-02" in text)
    assert not any(p.name.startswith(storage.TEMP_PREFIX) for p in (ws / "ledgers").iterdir())


def test_a_ledger_made_by_hand_while_gwgk_creates_it_is_kept(ws: Path, slow_fsync: str):
    path = ws / LEDGER
    hand = "# 别人手工建的台账\n"
    done = edit_during_the_write(ws, slow_fsync, lambda: path.write_text(hand, encoding="utf-8"), RECORD)
    assert path.read_text(encoding="utf-8") == hand
    assert done.returncode == 2 and "被修改" in done.stderr.decode()


def test_a_ledger_deleted_while_gwgk_writes_is_not_resurrected_silently(ws: Path, slow_fsync: str):
    assert run_cli(*RECORD, workspace=ws).code == 0
    path = ws / LEDGER
    done = edit_during_the_write(ws, slow_fsync, path.unlink,
                                 ["record", "-u", "市财政局", "-t", "3", "-s", "推进中", "-d", "2021-08-02", *AS_OF])
    assert done.returncode == 2 and not path.exists()


def test_an_editor_appending_every_few_ms_loses_nothing(ws: Path):
    assert run_cli(*RECORD, workspace=ws).code == 0
    path = ws / LEDGER
    stop = threading.Event()
    appended: list[int] = []

    def editor():
        i = 0
        while not stop.is_set():
            append(path, f"# 编辑 {i}\n")
            appended.append(i)
            i += 1
            time.sleep(0.002)

    thread = threading.Thread(target=editor)
    thread.start()
    try:
        codes = [gwgk(ws, "record", "-u", "市财政局", "-t", "3", "-s", "推进中", "-d", f"2021-08-{d:02d}", *AS_OF).returncode for d in range(2, 8)]
    finally:
        stop.set()
        thread.join()
    text = path.read_text(encoding="utf-8")
    assert set(codes) <= {0, 2}
    assert all(f"# 编辑 {i}\n" in text for i in appended), [i for i in appended if f"# 编辑 {i}\n" not in text][:5]


# ---------------------------------------------------------------- 5. writes keep the file's layout (part)


@pytest.mark.parametrize(("bom", "newline"), [(b"", "\r\n"), (b"\xef\xbb\xbf", "\n"), (b"\xef\xbb\xbf", "\r\n"), (b"", "\r"), (b"\xef\xbb\xbf", "\r")])
def test_a_record_keeps_the_bom_and_the_line_breaks(ws: Path, bom: bytes, newline: str):
    assert run_cli(*RECORD, workspace=ws).code == 0
    path = ws / LEDGER
    original = path.read_text(encoding="utf-8")
    path.write_bytes(bom + original.replace("\n", newline).encode("utf-8"))
    before = path.read_bytes()
    result = run_cli("record", "-u", "市财政局", "-t", "3", "-s", "推进中", "-d", "2021-08-02", "-n", "第二次", *AS_OF, workspace=ws)
    assert result.code == 0, result.err
    after = path.read_bytes()
    assert after.startswith(bom) and (not bom or not after[3:].startswith(bom))
    text = after[len(bom):].decode("utf-8")
    others = {"\r\n": ("\r\n", ""), "\n": ("\r",), "\r": ("\n",)}[newline]
    if newline == "\r\n":
        assert text.count("\r\n") == text.count("\n") == text.count("\r")
    else:
        assert all(o not in text for o in others if o)
    # every byte of the old file is still there, in order: only the new record was inserted
    old_lines = before[len(bom):].decode("utf-8").split(newline)
    new_lines = text.split(newline)
    it = iter(new_lines)
    assert all(line in it for line in old_lines) and "第二次" in text
