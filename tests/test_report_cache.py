"""Per-unit 回头看 findings remembered across runs: reused only inside their window, never wrong."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from gwgk.files import cache

from .conftest import REPO, run_cli

AS_OF = "2021-10-08"


@pytest.fixture
def demo(ws: Path) -> Path:
    for path in (REPO / "ledgers").glob("*.yaml"):
        shutil.copy(path, ws / "ledgers" / path.name)
    return ws


def overdue(ws: Path, day: str, *extra: str) -> str:
    result = run_cli("overdue", "--as-of", day, "--format", "json", *extra, workspace=ws)
    assert result.code == 0, result.err
    return result.out


def entries(ws: Path) -> dict[str, dict]:
    found = {}
    for path in (ws / ".gwgk/cache/findings").glob("*.json"):
        head, body = path.read_text(encoding="utf-8").split("\n")
        entry = {**json.loads(head), "data": json.loads(body)}
        found[entry["data"]["unit"]] = entry
    return found


def fresh(ws: Path, day: str) -> str:
    shutil.rmtree(ws / ".gwgk", ignore_errors=True)
    return overdue(ws, day)


def test_every_unit_in_scope_is_remembered_with_its_window(demo: Path):
    overdue(demo, AS_OF)
    found = entries(demo)
    assert len(found) == 48  # every unit of the catalogue, with a ledger or without
    for entry in found.values():
        data = entry["data"]
        assert data["as_of"] == AS_OF
        assert data["valid_from"] is None or data["valid_from"] <= AS_OF
        assert data["valid_until"] is None or AS_OF < data["valid_until"]
    # 市财政局 has a ledger: its key is the file's; a unit without one is keyed on that absence
    assert found["市财政局"]["key"]["ledger"]["sha256"]
    assert found["市教育局"]["key"]["ledger"] == {"absent": True}


def test_a_later_day_reuses_what_still_holds_and_judges_the_rest_afresh(demo: Path):
    overdue(demo, AS_OF)
    later = "2021-10-12"
    ends = [e["data"]["valid_until"] for e in entries(demo).values()]
    assert any(end is not None and end <= later for end in ends) and any(end is None or end > later for end in ends)
    remembered = overdue(demo, later)
    kept = {e["data"]["as_of"] for e in entries(demo).values()}
    assert kept == {AS_OF, later}  # some units were reused, the others judged again
    assert remembered == fresh(demo, later)


def test_long_after_the_plan_every_unit_is_reused_on_any_later_day(demo: Path):
    overdue(demo, "2026-11-25")
    assert all(e["data"]["valid_until"] is None for e in entries(demo).values())
    remembered = overdue(demo, "2027-03-01")
    assert {e["data"]["as_of"] for e in entries(demo).values()} == {"2026-11-25"}
    assert remembered == fresh(demo, "2027-03-01")


def test_days_outside_the_window_are_judged_afresh(demo: Path):
    overdue(demo, AS_OF)
    for day in ("2021-06-01", "2021-12-31", "2022-03-01"):
        assert overdue(demo, day) == fresh(demo, day)
        overdue(demo, AS_OF)


def test_a_new_day_is_counted_on_remembered_items(demo: Path):
    overdue(demo, "2026-11-25")
    shown = json.loads(overdue(demo, "2026-11-26"))
    worst = max(shown["items"], key=lambda i: i["days_overdue"])
    assert worst["days_overdue"] == (dt.date(2026, 11, 26) - dt.date.fromisoformat(worst["due"])).days
    assert {e["data"]["as_of"] for e in entries(demo).values()} == {"2026-11-25"}


def test_garbled_or_altered_entries_are_judged_afresh(demo: Path):
    expected = overdue(demo, AS_OF)
    first, second, third = sorted((demo / ".gwgk/cache/findings").glob("*.json"))[:3]
    head, body = first.read_text(encoding="utf-8").split("\n")
    first.write_text(head + "\n" + body.replace('"as_of"', '"unit":"别的单位","as_of"', 1), encoding="utf-8")
    head, body = second.read_text(encoding="utf-8").split("\n")
    second.write_text(head + "\n" + body[:-2], encoding="utf-8")  # torn
    third.write_text("{坏", encoding="utf-8")
    assert overdue(demo, AS_OF) == expected
    assert all(cache.lookup(demo / ".gwgk/cache", name, e["key"], "findings") for name, e in named_entries(demo).items())


def named_entries(ws: Path) -> dict[str, dict]:
    return {f"ledgers/{unit}.yaml": entry for unit, entry in entries(ws).items()}


def test_an_entry_from_other_gwgk_code_is_not_used(demo: Path, monkeypatch: pytest.MonkeyPatch):
    overdue(demo, AS_OF)
    name = "ledgers/市财政局.yaml"
    key = entries(demo)["市财政局"]["key"]
    assert cache.lookup(demo / ".gwgk/cache", name, key, "findings") is not None
    monkeypatch.setattr(cache, "code_stamp", lambda: "another-version")
    assert cache.lookup(demo / ".gwgk/cache", name, key, "findings") is None


def test_a_changed_ledger_is_judged_afresh(demo: Path):
    overdue(demo, AS_OF)
    path = demo / "ledgers/市财政局.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: 已完成\n        note: 三季度政府债务信息",
                                                             "status: 推进中\n        note: 三季度政府债务信息"), encoding="utf-8")
    shown = overdue(demo, AS_OF, "--unit", "市财政局")
    assert '"instance": "2021Q3"' in shown
    assert overdue(demo, AS_OF) == fresh(demo, AS_OF)


def test_the_year_report_reads_the_same_findings(demo: Path):
    def year(day: str) -> str:
        result = run_cli("report", "--as-of", day, "--format", "json", workspace=demo)
        assert result.code == 0, result.err
        return result.out

    overdue(demo, "2026-11-25")  # remembered by the 回头看 ...
    remembered = year("2026-12-31")  # ... and reused by the year-end report on a later day
    assert {e["data"]["as_of"] for e in entries(demo).values()} == {"2026-11-25"}
    shutil.rmtree(demo / ".gwgk")
    assert remembered == year("2026-12-31")
    overdue(demo, "2021-12-29")
    mixed = year("2021-12-31")
    kept = {e["data"]["as_of"] for e in entries(demo).values()}
    assert "2021-12-31" in kept and len(kept) > 1  # some units were judged again, others reused
    assert mixed == fresh_year(demo, "2021-12-31")


def fresh_year(ws: Path, day: str) -> str:
    shutil.rmtree(ws / ".gwgk", ignore_errors=True)
    return run_cli("report", "--as-of", day, "--format", "json", workspace=ws).out
