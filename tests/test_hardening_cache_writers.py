"""Attacks on the cache as seen by commands that write (issue 30, cause 3): an entry whose hashes
were recomputed is believed by nothing that writes (``record``, ``ledger --all``, ``ledger -u``,
``import``, ``export``, ``review``), and no entry can make a reader crash or print its text."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from .conftest import run_cli, tree_bytes

AS_OF = ["--as-of", "2021-10-08"]


def forged(path: Path, data: object) -> None:
    """Rewrite an entry's data keeping its header valid: the SHA-256 recomputed, as an attacker would."""
    head = json.loads(path.read_bytes().partition(b"\n")[0])
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    head["sha256"] = hashlib.sha256(body).hexdigest()
    path.write_bytes(json.dumps(head).encode("utf-8") + b"\n" + body)


def data_entry(ws: Path, top: str) -> tuple[Path, dict]:
    """The cache entry of a catalogue file (the one whose data has key ``top``) and its data."""
    for path in (ws / ".gwgk/cache/data").glob("*.json"):
        data = json.loads(path.read_bytes().partition(b"\n")[2])
        if top in data:
            return path, data
    raise AssertionError("no entry")


def forge_catalogue(ws: Path, how: str) -> None:
    assert run_cli("tasks", workspace=ws).code == 0  # fills the catalogue's entries
    path, data = data_entry(ws, "tasks")
    if how == "deadline":
        for task in data["tasks"]:
            task["deadline"] = "伪造的完成时限"
    elif how == "extra task":
        task = json.loads(json.dumps(data["tasks"][-1]))
        task["id"] = max(t["id"] for t in data["tasks"]) + 1
        task["title"] = "伪造的任务"
        data["tasks"].append(task)
    elif how == "removed task":
        data["tasks"] = [t for t in data["tasks"] if t["id"] != 3]
    elif how == "duty":
        for task in data["tasks"]:
            for duty in task["duties"]:
                duty["duty"] = "伪造的职责"
    forged(path, data)


FORGERIES = ["deadline", "extra task", "removed task", "duty"]
WRITERS = [
    ["record", "-u", "市财政局", "-t", "3", "-s", "推进中", "-d", "2021-08-01", "-n", "更新指南", *AS_OF],
    ["ledger", "--all", *AS_OF],
    ["ledger", "-u", "市财政局", *AS_OF],
]


@pytest.mark.parametrize("how", FORGERIES)
@pytest.mark.parametrize("args", WRITERS, ids=lambda a: " ".join(a[:2]))
def test_writers_decide_from_the_files_not_a_forged_catalogue_entry(demo: Path, tmp_path: Path, how: str, args: list[str]):
    """The same command on a copy without any cache writes exactly the same bytes: what a writer
    writes never depends on the cache."""
    clean = tmp_path / "clean"
    shutil.copytree(demo, clean)
    forge_catalogue(demo, how)
    honest = run_cli(*args, workspace=clean)
    result = run_cli(*args, workspace=demo)
    assert (result.code, result.out) == (honest.code, honest.out), result.err
    assert tree_bytes(demo) == tree_bytes(clean)
    text = "".join(p.read_text(encoding="utf-8") for p in (demo / "ledgers").glob("*.yaml"))
    assert "伪造" not in text
    assert run_cli("validate", workspace=demo).code == 0


def test_a_forged_ledger_entry_does_not_reach_a_written_ledger(demo: Path, tmp_path: Path):
    """The parsed-ledger entries import and review fill: forging one changes nothing written."""
    from .conftest import remember_parsed_ledgers

    clean = tmp_path / "clean"
    shutil.copytree(demo, clean)
    for path in remember_parsed_ledgers(demo):
        data = json.loads(path.read_bytes().partition(b"\n")[2])
        for task in data["tasks"]:
            task["deadline"] = "伪造的完成时限"
            for record in task.get("records", []):
                record["note"] = "伪造的说明"
        forged(path, data)
    for args in WRITERS:
        assert run_cli(*args, workspace=demo).code == run_cli(*args, workspace=clean).code
    assert tree_bytes(demo) == tree_bytes(clean)


def test_export_does_not_take_the_catalogue_from_the_cache(demo: Path, tmp_path: Path):
    from openpyxl import load_workbook

    forge_catalogue(demo, "duty")
    target = tmp_path / "out.xlsx"
    assert run_cli("export", "-u", "市财政局", *AS_OF, "-o", str(target), workspace=demo).code == 0
    book = load_workbook(target)
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any("伪造" in c for c in cells)


FINDINGS_FORGERIES = [
    lambda compact: [[{"x": 1}] * 3 for _ in compact],
    lambda compact: [[None, "x", -1, 10**30] for _ in compact],
    lambda compact: [{"unit": "伪造"} for _ in compact],
    lambda compact: [[[9999, "2021Q3", "overdue", "9999-99-99"]] for _ in compact],
    lambda compact: [["伪造的错误信息"] * 8 for _ in compact],
    lambda compact: [json.loads(json.dumps(c).replace("2021", "9999")) for c in compact],
    lambda compact: [json.loads(json.dumps(c).replace("overdue", "伪造的状态")) for c in compact],
    lambda compact: [prefixed(c) for c in compact],
    lambda compact: [numbers_changed(c) for c in compact],
]


def findings_entries(ws: Path) -> list[Path]:
    return sorted((ws / ".gwgk/cache/findings").glob("*.json"))


@pytest.mark.parametrize("forge", FINDINGS_FORGERIES)
@pytest.mark.parametrize("fmt", ["table", "json", "docx"])
def test_readers_survive_any_forged_findings(demo: Path, tmp_path: Path, forge, fmt: str):
    args = ["overdue", *AS_OF, "-f", fmt] + (["-o", str(tmp_path / "x.docx")] if fmt == "docx" else [])
    truth = run_cli(*args, workspace=demo)
    assert truth.code == 0
    for path in findings_entries(demo):
        data = json.loads(path.read_bytes().partition(b"\n")[2])
        forged(path, forge(data))
    result = run_cli(*args, workspace=demo)
    assert result.code in (0, 1), result.err
    assert "伪造" not in result.err and "内部错误" not in result.err


TIMELINE_FORGERIES = [
    lambda t: json.loads(json.dumps(t).replace("2021", "0001")),
    lambda t: json.loads(json.dumps(t).replace("2021-", "9999-")),
    lambda t: [[item[0], item[1], [["伪造的错误信息"] * 4]] for item in t],
    lambda t: [[item[0], item[1], [[10**40, "x", None, {"a": 1}]]] for item in t],
    lambda t: [[item[0], item[1], prefixed(item[2])] for item in t],
    lambda t: [[item[0], item[1], numbers_changed(item[2])] for item in t],
    lambda t: [[item[0], item[1], refusing(item[2])] for item in t],
]


def refusing(timeline: list) -> list:
    """Every course's snapshots replaced by one that reads as "this day cannot be judged", with the
    attacker's words as the reason."""
    notes, tasks = timeline
    return [notes, [[task, [course[:5] + [[0, 0, "伪造的错误信息"]] for course in courses]] for task, courses in tasks]]


def prefixed(value: object) -> object:
    """Every string of ``value`` with the attacker's text in front."""
    if isinstance(value, str):
        return "伪造" + value
    if isinstance(value, list):
        return [prefixed(v) for v in value]
    if isinstance(value, dict):
        return {k: prefixed(v) for k, v in value.items()}
    return value


def numbers_changed(value: object) -> object:
    """Every number of ``value`` made huge or negative."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return -value * 10**12 - 1
    if isinstance(value, list):
        return [numbers_changed(v) for v in value]
    if isinstance(value, dict):
        return {k: numbers_changed(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("forge", TIMELINE_FORGERIES)
@pytest.mark.parametrize("args", [["overdue", "--as-of", "2021-11-08"], ["report", "--as-of", "2021-12-31"],
                                  ["overdue", "--as-of", "2021-11-08", "-f", "json"]], ids=lambda a: " ".join(a))
def test_readers_survive_any_forged_timeline(demo: Path, forge, args: list[str]):
    assert run_cli("overdue", *AS_OF, workspace=demo).code == 0  # fills the timelines
    truth = run_cli(*args, "--no-cache", workspace=demo)
    shutil.rmtree(demo / ".gwgk/cache/findings", ignore_errors=True)
    for path in sorted((demo / ".gwgk/cache/timelines").glob("*.json")):
        data = json.loads(path.read_bytes().partition(b"\n")[2])
        forged(path, forge(data))
    result = run_cli(*args, workspace=demo)
    assert result.code == truth.code, result.err
    # what README allows a forged well-formed entry: a different cached report, never an error of its words
    assert "伪造" not in result.err and "内部错误" not in result.err
