"""Attacks on what a replaced file keeps (issue 30, causes 18, 19 and 21): owner, group, mode and
extended attributes of a ledger, a ledger that is a symbolic link, temp files a killed writer left
outside ``ledgers/``, and a current folder deleted under gwgk."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gwgk.files import storage

from .conftest import REPO, run_cli

AS_OF = ["--as-of", "2021-10-08"]
RECORD = ["record", "-u", "市财政局", "-t", "3", "-s", "推进中", "-d", "2021-08-01", "-n", "在线更新", *AS_OF]
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def xattrs_supported(path: Path) -> bool:
    try:
        os.setxattr(path, "user.gwgk-probe", b"1")
        os.removexattr(path, "user.gwgk-probe")
        return True
    except (OSError, AttributeError):
        return False


@pytest.fixture
def ledger(ws: Path) -> Path:
    assert run_cli("ledger", "-u", "市财政局", *AS_OF, workspace=ws).code == 0
    return ws / "ledgers/市财政局.yaml"


@pytest.mark.skipif(not ROOT, reason="changing a file's owner needs root")
@pytest.mark.parametrize("args", [RECORD, ["ledger", "--all", *AS_OF]], ids=["record", "ledger --all"])
def test_a_root_run_write_keeps_owner_and_group(ws: Path, ledger: Path, args: list[str]):
    os.chown(ledger, 65534, 65534)
    os.chmod(ledger, 0o640)
    run_cli("ledger", "-u", "市财政局", *AS_OF, workspace=ws)
    assert run_cli(*RECORD, workspace=ws).code == 0
    info = ledger.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o777) == (65534, 65534, 0o640)
    assert "在线更新" in ledger.read_text(encoding="utf-8")


def test_an_owner_that_cannot_be_kept_is_a_refusal(ws: Path, ledger: Path, monkeypatch):
    """Where the owner cannot be given back (not root), the write is refused, the file kept."""
    before = ledger.read_bytes()

    def no_chown(*args):  # noqa: ANN002, ANN202
        raise PermissionError(1, "Operation not permitted")

    real_fstat = os.fstat

    def other_owner(fd):  # noqa: ANN001, ANN202
        info = real_fstat(fd)
        return os.stat_result((info.st_mode, info.st_ino, info.st_dev, info.st_nlink, info.st_uid + 1, info.st_gid,
                               info.st_size, int(info.st_atime), int(info.st_mtime), int(info.st_ctime)))

    monkeypatch.setattr(storage.os, "fchown", no_chown)
    monkeypatch.setattr(storage.os, "fstat", other_owner)
    result = run_cli(*RECORD, workspace=ws)
    monkeypatch.undo()
    assert result.code == 2 and "属于另一个用户" in result.err and "市财政局.yaml" in result.err, result.err
    assert ledger.read_bytes() == before
    assert not [p for p in ledger.parent.iterdir() if p.name.startswith(storage.TEMP_PREFIX)]


def test_extended_attributes_are_kept(ws: Path, ledger: Path):
    if not xattrs_supported(ledger):
        pytest.skip("this file system keeps no user extended attributes")
    os.setxattr(ledger, "user.office", "政务公开办".encode())
    assert run_cli(*RECORD, workspace=ws).code == 0
    assert os.getxattr(ledger, "user.office").decode() == "政务公开办"
    assert "在线更新" in ledger.read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [RECORD, ["ledger", "-u", "市财政局", *AS_OF]], ids=["record", "ledger -u"])
def test_a_symlinked_ledger_stays_a_link_and_its_target_receives_the_entries(ws: Path, tmp_path: Path, ledger: Path, args: list[str]):
    elsewhere = tmp_path / "synced" / "市财政局.yaml"
    elsewhere.parent.mkdir()
    ledger.rename(elsewhere)
    ledger.symlink_to(elsewhere)
    assert run_cli(*RECORD, workspace=ws).code == 0
    assert ledger.is_symlink() and os.path.realpath(ledger) == str(elsewhere)
    assert "在线更新" in elsewhere.read_text(encoding="utf-8")
    assert run_cli(*args, workspace=ws).code == 0
    assert ledger.is_symlink()


def stale(folder: Path, name: str, age: float) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{storage.TEMP_PREFIX}{name}"
    path.write_bytes(b"half")
    os.utime(path, (time.time() - age, time.time() - age))
    return path


def test_temp_files_left_in_an_output_folder_are_cleaned(ws: Path, tmp_path: Path):
    out = tmp_path / "out"
    old = stale(out, "市财政局-台账.xlsx.123.0", 7200)
    fresh = stale(out, "市教育局-台账.xlsx.124.0", 10)  # a writer still at work
    assert run_cli("export", "--all", *AS_OF, "-o", str(out), workspace=ws).code == 0
    assert not old.exists() and fresh.exists()
    old = stale(tmp_path, "回头看.md.5.0", 7200)
    assert run_cli("overdue", *AS_OF, "-o", str(tmp_path / "回头看.md"), workspace=ws).code == 0
    assert not old.exists()


def test_temp_files_left_in_data_are_cleaned_by_the_next_catalogue_write(ws: Path):
    old = stale(ws / "data", "units.yaml.99.0", 7200)
    old_plan = stale(ws / "data" / "plans", "2023.yaml.99.1", 7200)
    fresh = stale(ws / "data", "tasks.yaml.99.2", 5)
    result = run_cli("plan", "draft", str(REPO / "tests/plans/yunling-city-2023-attachment.txt"), workspace=ws)
    assert result.code == 0, result.err
    assert not old.exists() and not old_plan.exists() and fresh.exists()


def test_a_deleted_current_folder_is_named(ws: Path, tmp_path: Path):
    gone = tmp_path / "gone"
    code = ("import os, sys; os.chdir(sys.argv[1]); os.rmdir(sys.argv[1]); from gwgk.cli import run; "
            "sys.argv = ['gwgk', *sys.argv[2:]]; run()")
    env = {**os.environ, "GWGK_WORKSPACE": str(ws)}
    for args in (["overdue", *AS_OF], ["overdue", *AS_OF, "-o", "x.md"], ["tasks"], ["init", "新工作区"]):
        gone.mkdir()
        proc = subprocess.run([sys.executable, "-c", code, str(gone), *args], env=env, capture_output=True, timeout=60)
        err = proc.stderr.decode()
        assert proc.returncode == 2 and "当前文件夹已不存在" in err, (args, err)
