"""The parsed-ledger cache: byte-identical reports with and without it, and never trusted over the file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from gwgk.entries.model import Ledger, trusted_ledger
from gwgk.files import yamlio

from .conftest import REPO, remember_parsed_ledgers, run_cli, successful_outputs

REPORTS = [
    ("overdue", "--as-of", "2021-10-08", "--format", "json"),
    ("overdue", "--as-of", "2021-10-08", "--format", "md"),
    ("report", "--as-of", "2021-12-31", "--format", "json"),
]


def outputs(ws: Path) -> list[str]:
    return successful_outputs(ws, REPORTS)


def parsed_entries(ws: Path) -> list[Path]:
    """The parsed-ledger cache's entries."""
    return list((ws / ".gwgk/cache/ledgers").glob("*.json"))


def test_cached_and_uncached_reports_are_byte_identical(demo: Path):
    cold = outputs(demo)
    assert parsed_entries(demo) == []  # reports remember timelines, not each parsed ledger
    assert cold == outputs(demo)
    shutil.rmtree(demo / ".gwgk")
    assert len(remember_parsed_ledgers(demo)) == 4  # as import and review do: reports then make timelines from them
    assert outputs(demo) == cold


def test_a_change_that_keeps_size_and_mtime_is_still_seen(demo: Path):
    outputs(demo)  # fill the cache
    path = demo / "ledgers/市财政局.yaml"
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    changed = text.replace("status: 已完成\n        note: 三季度政府债务信息", "status: 推进中\n        note: 三季度政府债务信息")
    assert changed != text and len(changed.encode()) == len(text.encode())
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    shown = run_cli("overdue", "--as-of", "2021-10-08", "--unit", "市财政局", "--format", "json", workspace=demo).out
    assert '"instance": "2021Q3"' in shown  # Q3 of task 7 is no longer done


def test_corrupt_or_foreign_cache_entries_are_rebuilt(demo: Path):
    expected = outputs(demo)
    for junk in ("{这不是 JSON", '{"format": 1, "key": {}, "data": []}'):
        for entry in remember_parsed_ledgers(demo):
            entry.write_text(junk, encoding="utf-8")
        shutil.rmtree(demo / ".gwgk/cache/timelines")  # so the reports read the parsed entries
        shutil.rmtree(demo / ".gwgk/cache/findings")
        assert outputs(demo) == expected


def test_an_unwritable_cache_is_no_obstacle(demo: Path):
    (demo / ".gwgk").write_text("一个文件挡住了缓存目录", encoding="utf-8")
    assert outputs(demo) == outputs(demo)


def test_a_broken_ledger_is_reported_even_when_its_old_version_was_cached(demo: Path):
    outputs(demo)
    path = demo / "ledgers/敬南镇.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: 已完成", "status: 完成了吗"), encoding="utf-8")
    result = run_cli("overdue", "--as-of", "2021-10-08", workspace=demo)
    assert result.code == 1 and "敬南镇 ledgers/敬南镇.yaml:" in result.err  # named, not judged from the cache
    strict = run_cli("overdue", "--as-of", "2021-10-08", "--strict", workspace=demo)
    assert strict.code == 2 and "ledgers/敬南镇.yaml:" in strict.err


@pytest.mark.parametrize("path", sorted((REPO / "ledgers").glob("*.yaml")), ids=lambda p: p.stem)
def test_trusted_ledger_equals_the_validated_one(path: Path):
    validated = Ledger.model_validate(yamlio.load_fast(path.read_text(encoding="utf-8"), path.name))
    rebuilt = trusted_ledger(validated.model_dump(mode="json", exclude_defaults=True))
    assert rebuilt == validated
    assert rebuilt.model_dump() == validated.model_dump()
    assert rebuilt.model_dump_json() == validated.model_dump_json()


def test_the_catalogue_is_read_through_the_cache_and_a_changed_file_is_seen(ws: Path):
    first = run_cli("tasks", "--format", "json", workspace=ws)
    assert first.code == 0 and len(list((ws / ".gwgk/cache/data").glob("*.json"))) == 2
    assert run_cli("tasks", "--format", "json", workspace=ws).out == first.out
    tasks = ws / "data/tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("title: 规划信息公开", "title: 规划信息公开（改）", 1), encoding="utf-8")
    changed = run_cli("tasks", "--format", "json", workspace=ws).out
    assert "规划信息公开（改）" in changed and changed != first.out


def test_a_broken_catalogue_is_refused_even_when_its_old_version_was_cached(ws: Path):
    assert run_cli("tasks", workspace=ws).code == 0
    units = ws / "data/units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("kind: department", "kind: 部门", 1), encoding="utf-8")
    result = run_cli("tasks", workspace=ws)
    assert result.code == 2 and "data/units.yaml:" in result.err
