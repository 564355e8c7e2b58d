"""Timelines and findings remembered per group of units: the same question again reads the
findings; another day is judged from the timelines without reading a ledger; another set of units
or a changed ledger is judged afresh; cached and uncached reports are byte-identical on every day."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gwgk.files import cache
from gwgk.reports import remembered

from .conftest import run_cli

AS_OF = "2021-10-08"


def overdue(ws: Path, day: str, *extra: str) -> str:
    result = run_cli("overdue", "--as-of", day, "--format", "json", *extra, workspace=ws)
    assert result.code == 0, result.err
    return result.out


def year(ws: Path, day: str) -> str:
    result = run_cli("report", "--as-of", day, "--format", "json", workspace=ws)
    assert result.code == 0, result.err
    return result.out


def entries(ws: Path) -> list[dict]:
    found = []
    for path in (ws / ".gwgk/cache/findings").glob("*.json"):
        head, body = path.read_text(encoding="utf-8").split("\n")
        found.append({**json.loads(head), "data": json.loads(body)})
    return found


def fresh(ws: Path, day: str, *extra: str) -> str:
    shutil.rmtree(ws / ".gwgk", ignore_errors=True)
    return overdue(ws, day, *extra)


def test_one_entry_holds_every_unit_of_a_group_for_the_day(demo: Path):  # the demo's 48 units are one group
    overdue(demo, AS_OF)
    (entry,) = entries(demo)
    assert entry["key"]["as_of"] == AS_OF
    assert len(entry["data"]) == len(entry["key"]["ledgers"]) == 48  # every unit, with a ledger or without
    keys = dict(entry["key"]["ledgers"])
    assert keys["市财政局"]["sha256"] and keys["市教育局"] == {"absent": True}


def test_the_same_day_again_is_read_not_judged(demo: Path, monkeypatch: pytest.MonkeyPatch):
    expected = overdue(demo, AS_OF)

    def refuse(*args: object) -> None:
        raise AssertionError("judged again")

    monkeypatch.setattr(remembered, "timeline_findings", refuse)
    monkeypatch.setattr(remembered, "unit_timeline", refuse)
    assert overdue(demo, AS_OF) == expected
    assert json.loads(year(demo, AS_OF))["as_of"] == AS_OF  # the year-end report reads the same entry


def test_another_day_is_judged_afresh_and_replaces_the_entry(demo: Path):
    overdue(demo, AS_OF)
    later = overdue(demo, "2021-10-12")
    assert [e["key"]["as_of"] for e in entries(demo)] == ["2021-10-12"]
    assert later == fresh(demo, "2021-10-12")


def test_a_new_day_is_judged_from_the_remembered_timelines_without_reading_a_ledger(demo: Path, monkeypatch: pytest.MonkeyPatch):
    overdue(demo, AS_OF)
    expected = fresh(demo, "2021-12-20")
    shutil.rmtree(demo / ".gwgk")
    overdue(demo, AS_OF)

    def refuse(*args: object) -> None:
        raise AssertionError("a ledger read again")

    monkeypatch.setattr(remembered, "unit_timeline", refuse)
    monkeypatch.setattr(remembered.LazyLedgers, "plain", refuse)
    monkeypatch.setattr(remembered.LazyLedgers, "plain_parsed", refuse)
    assert overdue(demo, "2021-12-20") == expected


def test_a_changed_ledger_makes_only_its_own_timeline_again(demo: Path, monkeypatch: pytest.MonkeyPatch):
    overdue(demo, AS_OF)
    path = demo / "ledgers/市财政局.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: 已完成\n        note: 三季度政府债务信息",
                                                             "status: 推进中\n        note: 三季度政府债务信息"), encoding="utf-8")
    made = []
    monkeypatch.setattr(remembered, "unit_timeline", lambda cat, unit, data, real=remembered.unit_timeline, **kw: made.append(unit) or real(cat, unit, data, **kw))
    shown = overdue(demo, "2021-12-20")
    assert made == ["市财政局"]
    assert shown == fresh(demo, "2021-12-20")


def test_a_report_over_some_units_reads_the_timelines_a_report_over_all_made(demo: Path, monkeypatch: pytest.MonkeyPatch):
    towns = ("2021-12-20", "--group", "各乡镇(街道)")
    two = ("2021-12-21", "--unit", "市财政局", "--unit", "敬南镇")
    expected = [fresh(demo, *towns), fresh(demo, *two)]
    shutil.rmtree(demo / ".gwgk")
    overdue(demo, AS_OF)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a timeline made again: {args[1]}")

    monkeypatch.setattr(remembered, "unit_timeline", refuse)
    assert [overdue(demo, *towns), overdue(demo, *two)] == expected


def test_a_forged_timeline_never_covers_a_ledger_that_cannot_be_read(demo: Path):
    overdue(demo, AS_OF)
    path = demo / "ledgers/市财政局.yaml"
    path.unlink()
    path.mkdir()  # unreadable now
    (entry,) = (demo / ".gwgk/cache/timelines").glob("*.json")
    head, body = entry.read_text(encoding="utf-8").split("\n")
    data = [item if item[0] != "市财政局" else ["市财政局", None, [[], []]] for item in json.loads(body)]
    body = json.dumps(data, ensure_ascii=False)
    header = {**json.loads(head), "sha256": hashlib.sha256(body.encode("utf-8")).hexdigest()}
    entry.write_text(json.dumps(header) + "\n" + body, encoding="utf-8")
    result = run_cli("overdue", "--as-of", "2021-12-20", "--format", "json", workspace=demo)
    assert result.code == 1
    assert [b["unit"] for b in json.loads(result.out)["broken"]] == ["市财政局"]


def test_another_set_of_units_has_its_own_entry(demo: Path):
    overdue(demo, AS_OF)
    only = overdue(demo, AS_OF, "--unit", "市财政局")
    assert len(entries(demo)) == 2
    assert only == fresh(demo, AS_OF, "--unit", "市财政局")


def test_a_changed_ledger_is_judged_afresh(demo: Path):
    overdue(demo, AS_OF)
    path = demo / "ledgers/市财政局.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: 已完成\n        note: 三季度政府债务信息",
                                                             "status: 推进中\n        note: 三季度政府债务信息"), encoding="utf-8")
    shown = overdue(demo, AS_OF, "--unit", "市财政局")
    assert '"instance": "2021Q3"' in shown
    assert overdue(demo, AS_OF) == fresh(demo, AS_OF)


def test_garbled_altered_or_foreign_entries_are_judged_afresh(demo: Path, monkeypatch: pytest.MonkeyPatch):
    expected = overdue(demo, AS_OF)
    (path,) = (demo / ".gwgk/cache/findings").glob("*.json")
    head, body = path.read_text(encoding="utf-8").split("\n")
    for garbled in (head + "\n" + body[:-2], head + "\n" + body.replace("市财政局", "市教育局", 1), "{坏"):
        path.write_text(garbled, encoding="utf-8")
        assert overdue(demo, AS_OF) == expected
    entry = entries(demo)[0]
    name = "\x00".join([entry["key"]["catalogue"], *(u for u, _ in entry["key"]["ledgers"])])
    assert cache.lookup(demo / ".gwgk/cache", name, entry["key"], "findings") is not None
    monkeypatch.setattr(cache, "code_stamp", lambda: "another-version")
    assert cache.lookup(demo / ".gwgk/cache", name, entry["key"], "findings") is None


def test_a_forged_entry_with_other_units_findings_is_judged_afresh(demo: Path):
    expected = overdue(demo, AS_OF)
    (path,) = (demo / ".gwgk/cache/findings").glob("*.json")
    head, body = path.read_text(encoding="utf-8").split("\n")
    data = json.loads(body)
    data[1] = data[0]  # well formed, hash recomputed, but the second unit's place holds the first's findings
    body = json.dumps(data, ensure_ascii=False)
    header = {**json.loads(head), "sha256": hashlib.sha256(body.encode("utf-8")).hexdigest()}
    path.write_text(json.dumps(header) + "\n" + body, encoding="utf-8")
    assert overdue(demo, AS_OF) == expected


DAYS = st.dates(dt.date(2021, 5, 20), dt.date(2022, 3, 31)).map(dt.date.isoformat)


@given(st.lists(DAYS, min_size=1, max_size=4))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_cached_and_uncached_reports_are_byte_identical_on_every_day(demo: Path, days: list[str]):
    shutil.rmtree(demo / ".gwgk", ignore_errors=True)
    cached = []
    for day in days + days[:1]:  # each day, then the first again: from the parsed files, then remembered
        cached.append((overdue(demo, day), year(demo, day)))
    for day, (shown, summed) in zip(days + days[:1], cached):
        shutil.rmtree(demo / ".gwgk", ignore_errors=True)
        assert (overdue(demo, day), year(demo, day)) == (shown, summed)


def test_ledgers_parsed_in_worker_processes_give_the_same_report(demo: Path, monkeypatch: pytest.MonkeyPatch):
    from gwgk.ledger import store

    expected = fresh(demo, AS_OF)
    shutil.rmtree(demo / ".gwgk")
    monkeypatch.setattr(store, "PARALLEL_FROM", 2)  # the demo's ledgers are enough for two processes
    monkeypatch.setattr(remembered, "GROUP", 5)
    assert overdue(demo, AS_OF) == expected
    assert len(list((demo / ".gwgk/cache/timelines").glob("*.json"))) == 10  # 48 units in groups of five, each made in a worker
    assert not (demo / ".gwgk/cache/ledgers").exists()  # reports remember no parsed ledger
    # a broken ledger is found by the read that follows, as without the workers, and named
    shutil.rmtree(demo / ".gwgk")
    (demo / "ledgers/市财政局.yaml").write_text("unit: 市财政局\ntasks: [坏\n", encoding="utf-8")
    result = run_cli("overdue", "--as-of", AS_OF, "--format", "json", workspace=demo)
    assert result.code == 1 and "ledgers/市财政局.yaml:3:1" in result.err
    # nothing remembered of the group of five units with the broken ledger; the nine other groups are
    remembered_units = [u for e in entries(demo) for u, _ in e["key"]["ledgers"]]
    assert len(remembered_units) == 48 - 5 and "市财政局" not in remembered_units


def test_units_judged_in_worker_processes_give_the_same_report_and_problems_in_order(demo: Path, monkeypatch: pytest.MonkeyPatch):
    from gwgk.ledger import store

    for unit, text in (("市财政局", "tasks: [坏\n"), ("市教育局", "unit: 市教育局\ntasks:\n  - task: 71\n    role: 牵头\n"),
                       ("市水务局", "unit: 市水务局\ntasks:\n  - task: 3\n    role: 做\n")):
        (demo / f"ledgers/{unit}.yaml").write_text(text, encoding="utf-8")
    (demo / "ledgers/市卫生健康局.yaml").mkdir()  # cannot be read at all: found when keyed, before the others are parsed
    outputs = {}
    monkeypatch.setattr(remembered, "GROUP", 5)
    for parallel_from in (10**6, 2):
        monkeypatch.setattr(store, "PARALLEL_FROM", parallel_from)
        runs = []
        for day in (AS_OF, "2021-12-20"):  # the second day: parsed files cached, findings judged anew
            result = run_cli("overdue", "--as-of", day, "--format", "json", workspace=demo)
            assert result.code == 1
            runs.append((result.out, result.err))
        outputs[parallel_from] = runs
    assert outputs[2] == outputs[10**6]
    broken = json.loads(outputs[2][0][0])["broken"]
    # in the catalogue's order, whatever stage found each problem and whichever process did
    assert list(dict.fromkeys(b["unit"] for b in broken)) == ["市财政局", "市卫生健康局", "市教育局", "市水务局"]


def test_a_worker_process_that_fails_has_its_share_done_again(demo: Path, monkeypatch: pytest.MonkeyPatch):
    import os

    from gwgk.ledger import store

    expected = fresh(demo, AS_OF)
    shutil.rmtree(demo / ".gwgk")
    monkeypatch.setattr(store, "PARALLEL_FROM", 2)
    monkeypatch.setattr(remembered, "GROUP", 5)
    parent, real = os.getpid(), remembered._group_findings

    def only_here(*args, **kwargs):
        if os.getpid() != parent:
            raise MemoryError("a worker killed half way")
        return real(*args, **kwargs)

    monkeypatch.setattr(remembered, "_group_findings", only_here)
    assert overdue(demo, AS_OF) == expected
