"""Attacks on the cache (``.gwgk/cache/``) as untrusted input (issue 13, cause 7): malformed,
odd-typed, deeply nested or non-regular entries are ignored and rebuilt; a well-formed forged
entry can change a cached report, and ``--no-cache`` and ``validate`` read the files alone."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gwgk.files import cache

from .conftest import remember_parsed_ledgers, run_cli, successful_outputs

REPORTS = [("overdue", "--as-of", "2021-10-08", "--format", "json"), ("report", "--as-of", "2021-12-31", "--format", "json"),
           ("ledger", "-u", "市财政局", "--as-of", "2021-10-08", "--format", "json"), ("tasks", "--format", "json")]


def outputs(ws: Path) -> list[str]:
    return successful_outputs(ws, REPORTS)


def entries(ws: Path) -> list[Path]:
    """Every cache entry, of every kind (parsed ledgers remembered first: reports do not remember them)."""
    remember_parsed_ledgers(ws)
    found = sorted((ws / ".gwgk/cache").rglob("*.json"))
    assert {p.parent.name for p in found} == {"ledgers", "data", "findings", "timelines", "events"}
    return found


def forged(path: Path, data: object) -> None:
    """Rewrite an entry's data keeping its header valid: the SHA-256 recomputed, as an attacker would."""
    head = json.loads(path.read_bytes().partition(b"\n")[0])
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    head["sha256"] = hashlib.sha256(body).hexdigest()
    path.write_bytes(json.dumps(head).encode("utf-8") + b"\n" + body)


NESTED = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("data", [json.loads("[" * 900 + "]" * 900), {"tasks": 5}, {"tasks": [{"task": "x"}]}, [], None, "字",
                                  {"tasks": [{"task": 7, "role": "lead", "records": [{"date": "不是日期", "status": 1}]}]}])
def test_odd_typed_entries_with_a_valid_hash_are_ignored(demo: Path, data):
    expected = outputs(demo)
    for path in entries(demo):
        forged(path, data)
    assert outputs(demo) == expected


@pytest.mark.parametrize("body", [NESTED.encode(), b"{" * 50_000, b"\xff\xfe", b"", b"[1e999999]", b'{"a":' * 10_000])
def test_malformed_or_deeply_nested_entries_are_ignored(demo: Path, body: bytes):
    expected = outputs(demo)
    for path in entries(demo):
        head = json.loads(path.read_bytes().partition(b"\n")[0])
        head["sha256"] = hashlib.sha256(body).hexdigest()
        path.write_bytes(json.dumps(head).encode() + b"\n" + body)
    assert outputs(demo) == expected
    for path in entries(demo):  # a deeply nested header too
        path.write_bytes(NESTED.encode() + b"\n" + body)
    assert outputs(demo) == expected


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "symlink-to-ledger", "folder"])
def test_non_regular_entries_are_ignored_and_never_hang(demo: Path, kind: str):
    expected = outputs(demo)
    for path in entries(demo):
        path.unlink()
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "dev-zero":
            path.symlink_to("/dev/zero")
        elif kind == "symlink-to-ledger":
            path.symlink_to(demo / "ledgers/市财政局.yaml")
        else:
            path.mkdir()
    env = {**os.environ, "GWGK_WORKSPACE": str(demo)}
    for args in REPORTS:  # real processes: a hang would time out, /dev/zero would run out of memory
        done = subprocess.run([sys.executable, "-m", "gwgk", *args], env=env, capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr.decode()
        assert done.stdout.decode() == expected[REPORTS.index(args)]


def test_an_oversized_entry_is_ignored(demo: Path, monkeypatch):
    expected = outputs(demo)
    monkeypatch.setattr(cache, "MAX_ENTRY_BYTES", 10)
    assert outputs(demo) == expected


def forge_done(demo: Path) -> None:
    """What someone who can write .gwgk/ can do: mark every record of every cached ledger done
    (as import and review remember them: reports remember timelines, not parsed ledgers)."""
    paths = remember_parsed_ledgers(demo)
    assert len(paths) == 4
    for path in paths:
        data = json.loads(path.read_bytes().partition(b"\n")[2])
        for task in data["tasks"]:
            for record in task.get("records", []):
                record["status"] = "done"
        forged(path, data)
    shutil.rmtree(demo / ".gwgk/cache/findings")
    shutil.rmtree(demo / ".gwgk/cache/timelines")


def test_a_forged_well_formed_entry_is_caught_by_no_cache_and_validate(demo: Path):
    args = ("overdue", "--as-of", "2021-10-08", "--format", "json")
    year = ("report", "--as-of", "2021-12-31", "--format", "json")
    truth, year_truth = run_cli(*args, workspace=demo).out, run_cli(*year, workspace=demo).out
    forge_done(demo)
    assert run_cli(*args, workspace=demo).out != truth  # the limit README states: a forged entry changes a cached report
    before = {p: p.read_bytes() for p in (demo / ".gwgk/cache").rglob("*.json")}
    assert run_cli(*args, "--no-cache", workspace=demo).out == truth
    assert run_cli(*year, "--no-cache", workspace=demo).out == year_truth
    assert {p: p.read_bytes() for p in (demo / ".gwgk/cache").rglob("*.json")} == before  # --no-cache reads and writes no entry
    assert run_cli("validate", workspace=demo).code == 0


def test_no_cache_gives_the_same_reports_and_leaves_no_cache(demo: Path):
    for args in REPORTS[:2]:
        with_cache = run_cli(*args, workspace=demo).out
        shutil.rmtree(demo / ".gwgk")
        assert run_cli(*args, "--no-cache", workspace=demo).out == with_cache
        assert not (demo / ".gwgk").exists()


def test_validate_reads_the_files_alone(demo: Path):
    outputs(demo)
    path = demo / "ledgers/市财政局.yaml"
    forge_done(demo)
    assert run_cli("validate", workspace=demo).code == 0
    path.write_text(path.read_text(encoding="utf-8").replace("status: 已完成", "status: 做完了", 1), encoding="utf-8")
    result = run_cli("validate", workspace=demo)
    assert result.code == 1 and "状态“做完了”不认识" in result.out
