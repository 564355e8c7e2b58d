"""Attacks on writes of several files (issue 30, cause 6, and cause 20): a full disk on the second
file, kill -9 between two renames, a hand edit of ``units.yaml`` during ``plan draft``. Every such
write is all or nothing, and an exit after a write never says nothing was written."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gwgk.files import storage

from .conftest import REPO, run_cli, tree_bytes
from .test_workbook import AS_OF, export, fill

PLANS = REPO / "tests" / "plans"
DONE = {"I": "已完成", "J": "2021-09-28"}


def two_workbooks(ws: Path, tmp_path: Path) -> tuple[Path, Path]:
    a = fill(export(ws, tmp_path, "市财政局"), tmp_path / "a.xlsx", {(7, "2021Q3"): DONE})
    b = fill(export(ws, tmp_path, "市教育局"), tmp_path / "b.xlsx", {(3, "长期"): {"I": "推进中", "J": "2021-09-01"}})
    return a, b


def full_after(monkeypatch, writes: int) -> None:  # noqa: ANN001
    """The disk fills after ``writes`` temp files were written: the next one fails with ENOSPC."""
    real_fdopen = os.fdopen
    count = [0]

    class Full:
        def __init__(self, handle):  # noqa: ANN001
            self.handle = handle

        def __enter__(self):  # noqa: ANN204
            return self

        def __exit__(self, *exc):  # noqa: ANN002, ANN204
            self.handle.close()

        def fileno(self) -> int:
            return self.handle.fileno()

        def flush(self) -> None:
            self.handle.flush()

        def write(self, data):  # noqa: ANN001, ANN202
            raise OSError(errno.ENOSPC, "No space left on device")

    def fdopen(fd, mode="r", *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        handle = real_fdopen(fd, mode, *args, **kwargs)
        if "w" not in mode:
            return handle
        count[0] += 1
        return Full(handle) if count[0] > writes else handle

    monkeypatch.setattr(storage.os, "fdopen", fdopen)


def temps(root: Path) -> list[Path]:
    return [p for p in root.rglob(storage.TEMP_PREFIX + "*")]


@pytest.mark.parametrize("writes", [0, 1, 2])
def test_import_of_two_workbooks_on_a_filling_disk_writes_neither(ws: Path, tmp_path: Path, monkeypatch, writes: int):
    a, b = two_workbooks(ws, tmp_path)
    run_cli("ledger", "-u", "市财政局", *AS_OF, workspace=ws)
    run_cli("ledger", "-u", "市教育局", *AS_OF, workspace=ws)
    before = tree_bytes(ws)
    full_after(monkeypatch, writes)
    result = run_cli("import", str(a), str(b), *AS_OF, workspace=ws)
    monkeypatch.undo()
    assert result.code == 2, result.err
    assert "No space left" in result.err and "没有改动" in result.err and "已经写入" not in result.err
    assert tree_bytes(ws) == before and not temps(ws)
    done = run_cli("import", str(a), str(b), *AS_OF, workspace=ws)
    assert done.code == 0 and "市财政局:新增 1 条记录" in done.out.replace("：", ":") and "市教育局" in done.out


KILL_AT_SECOND_RENAME = textwrap.dedent("""
    import os, sys
    from gwgk.files import storage
    real = storage.swap.replace_if
    count = [0]
    def replace_if(new, path, same):
        if path.suffix == ".yaml" and "ledgers" in path.parts or path.name in ("units.yaml",):
            count[0] += 1
            if count[0] == int(os.environ["KILL_AT"]):
                os.kill(os.getpid(), 9)
        return real(new, path, same)
    storage.swap.replace_if = replace_if
    from gwgk.cli import run
    sys.argv = ["gwgk", *sys.argv[1:]]
    run()
""")


def killed(ws: Path, *args: str, at: int = 2) -> subprocess.CompletedProcess:
    env = {**os.environ, "GWGK_WORKSPACE": str(ws), "KILL_AT": str(at)}
    return subprocess.run([sys.executable, "-c", KILL_AT_SECOND_RENAME, *args], env=env, capture_output=True, timeout=120)


def test_kill_between_two_ledger_renames_is_completed_by_the_next_command(ws: Path, tmp_path: Path):
    a, b = two_workbooks(ws, tmp_path)
    run_cli("ledger", "-u", "市财政局", *AS_OF, workspace=ws)
    run_cli("ledger", "-u", "市教育局", *AS_OF, workspace=ws)
    before = tree_bytes(ws)
    proc = killed(ws, "import", str(a), str(b), *AS_OF)
    assert proc.returncode == -9, proc.stderr.decode()
    halfway = tree_bytes(ws)
    assert sum(halfway[k] != v for k, v in before.items()) == 1  # one ledger renamed, one not
    # any next command, even a report, completes the import: both ledgers hold what it wrote
    assert run_cli("overdue", *AS_OF, workspace=ws).code in (0, 1)
    done = tree_bytes(ws)
    assert all(done[k] != v for k, v in before.items() if k.startswith("ledgers/"))
    assert "2021-09-28" in done["ledgers/市财政局.yaml"].decode() and "2021-09-01" in done["ledgers/市教育局.yaml"].decode()
    assert not temps(ws) and not list((ws / ".gwgk/journal").glob("*.json"))
    assert run_cli("validate", workspace=ws).code == 0
    again = run_cli("import", str(a), str(b), *AS_OF, workspace=ws)  # nothing left to add: the import was whole
    # (only the workbook log learns that the workbooks came back: the killed run never got to say so)
    assert again.code == 0 and without_log(tree_bytes(ws)) == without_log(done)


def without_log(tree: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in tree.items() if not k.startswith("log/")}


def test_a_hand_edit_after_the_kill_is_kept_not_overwritten_by_the_completion(ws: Path, tmp_path: Path):
    a, b = two_workbooks(ws, tmp_path)
    run_cli("ledger", "-u", "市财政局", *AS_OF, workspace=ws)
    run_cli("ledger", "-u", "市教育局", *AS_OF, workspace=ws)
    assert killed(ws, "import", str(a), str(b), *AS_OF).returncode == -9
    pending = [p for p in (ws / "ledgers").glob("*.yaml")]
    edited = {}
    for path in pending:  # someone edits both ledgers by hand before any gwgk runs again
        path.write_bytes(path.read_bytes() + "# 手工补充\n".encode())
        edited[path.name] = path.read_bytes()
    run_cli("overdue", *AS_OF, workspace=ws)
    assert {p.name: p.read_bytes() for p in pending} == edited
    assert not temps(ws)


def test_plan_draft_with_no_room_for_units_yaml_writes_nothing(ws: Path, monkeypatch):
    before = tree_bytes(ws)
    full_after(monkeypatch, 1)  # room for data/plans/2023.yaml, not for units.yaml
    result = run_cli("plan", "draft", str(PLANS / "yunling-city-2023-attachment.txt"), workspace=ws)
    monkeypatch.undo()
    assert result.code == 2 and "No space left" in result.err and "没有改动" in result.err
    assert tree_bytes(ws) == before and not temps(ws)
    assert run_cli("overdue", "--as-of", "2023-06-01", workspace=ws).code in (0, 1)
    assert run_cli("plan", "draft", str(PLANS / "yunling-city-2023-attachment.txt"), workspace=ws).code == 0


def test_plan_draft_killed_between_its_two_files_is_completed(ws: Path, tmp_path: Path):
    clean = tmp_path / "clean"
    shutil.copytree(ws, clean)
    plan = str(PLANS / "yunling-city-2023-attachment.txt")
    assert run_cli("plan", "draft", plan, workspace=clean).code == 0
    proc = killed(ws, "plan", "draft", plan, at=1)
    assert proc.returncode == -9, proc.stderr.decode()
    assert run_cli("validate", workspace=ws).code in (0, 1)
    assert tree_bytes(ws) == tree_bytes(clean)
    assert run_cli("overdue", "--as-of", "2023-06-01", workspace=ws).code in (0, 1)


def test_a_hand_edit_of_units_yaml_during_plan_draft_is_kept(ws: Path, monkeypatch):
    from gwgk.drafting import writing

    real = writing.units_with_draft
    units = ws / "data" / "units.yaml"

    def edited_meanwhile(text, result, name):  # noqa: ANN001, ANN202
        out = real(text, result, name)
        units.write_bytes(units.read_bytes() + "# 手工修改\n".encode())
        return out

    monkeypatch.setattr(writing, "units_with_draft", edited_meanwhile)
    before = tree_bytes(ws)
    result = run_cli("plan", "draft", str(PLANS / "yunling-city-2023-attachment.txt"), workspace=ws)
    assert result.code == 2 and "units.yaml" in result.err and "被修改" in result.err, result.err
    after = tree_bytes(ws)
    assert after["data/units.yaml"].endswith("# 手工修改\n".encode())
    assert {k: v for k, v in after.items() if k != "data/units.yaml"} == {k: v for k, v in before.items() if k != "data/units.yaml"}


@pytest.mark.parametrize("writes", [0, 6, 20])
def test_export_all_on_a_filling_disk_writes_no_workbook(ws: Path, tmp_path: Path, monkeypatch, writes: int):
    out = tmp_path / "out"
    full_after(monkeypatch, writes)
    result = run_cli("export", "--all", *AS_OF, "-o", str(out), workspace=ws)
    monkeypatch.undo()
    assert result.code == 2 and "No space left" in result.err and "没有改动" in result.err
    assert not out.exists() or not list(out.iterdir())
    assert "已经写入" not in result.err


KILL_AT_AN_XLSX_RENAME = textwrap.dedent("""
    import os, sys
    real = os.replace
    count = [0]
    def replace(src, dst, *args, **kwargs):
        if str(dst).endswith(".xlsx"):
            count[0] += 1
            if count[0] == int(os.environ["KILL_AT"]):
                os.kill(os.getpid(), 9)
        return real(src, dst, *args, **kwargs)
    os.replace = replace
    from gwgk.cli import run
    sys.argv = ["gwgk", *sys.argv[1:]]
    run()
""")


def test_export_all_killed_midway_is_completed(ws: Path, tmp_path: Path):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-c", KILL_AT_AN_XLSX_RENAME, "export", "--all", *AS_OF, "-o", str(out)],
                          env={**os.environ, "GWGK_WORKSPACE": str(ws), "KILL_AT": "5"}, capture_output=True, timeout=120)
    assert proc.returncode == -9, proc.stderr.decode()
    assert len(list(out.glob("*.xlsx"))) == 4
    assert run_cli("units", "--format", "json", workspace=ws).code == 0  # any next command completes it
    assert len(list(out.glob("*.xlsx"))) > 40 and not temps(out)
