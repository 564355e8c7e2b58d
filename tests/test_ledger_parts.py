"""A ledger's long lists of entries validated a part at a time: the same ledger, and the same
located problems, as validated whole; the values entries repeat held once."""

from __future__ import annotations

import pytest

from gwgk.entries.model import Ledger
from gwgk.errors import DataError
from gwgk.ledger import parsing


def long_ledger(records: int) -> str:
    lines = ["unit: 市财政局", "tasks:", "  - task: 7", "    role: 牵头", "    records:"]
    for i in range(records):
        lines += [f"      - id: R{i + 1}", f"        date: 2021-0{7 + i % 3}-1{i % 10}", "        entered: 2021-10-08",
                  f"        at: 2021-10-08 09:{i % 60:02d}:00+08:00", "        by: 张三", "        status: 推进中"]
    lines += ["    events:", "      - key: E1", "        title: 规划形成", "        date: 2021-08-01", "  - task: 8", "    role: 责任"]
    return "\n".join(lines) + "\n"


def whole(text: str, monkeypatch: pytest.MonkeyPatch) -> Ledger:
    with monkeypatch.context() as patch:
        patch.setattr(parsing, "PART", 10**9)
        return parsing._parsed(text, "ledgers/市财政局.yaml")


def test_a_long_list_reads_as_it_does_whole_with_its_repeated_values_held_once(monkeypatch):
    text = long_ledger(9_001)
    parts = parsing._parsed(text, "ledgers/市财政局.yaml")
    assert parts == whole(text, monkeypatch)
    records = parts.tasks[0].records
    assert len(records) == 9_001 and records[8_999].id == "R9000"
    assert records[0].date is records[4_020].date is records[9_000].date  # 2021-07-10, in three parts
    assert records[1].entered is records[8_000].entered
    assert records[0].evidence is records[9_000].evidence == []
    assert records[0].model_fields_set is records[9_000].model_fields_set
    copied = records[0].model_copy(update={"note": "改"})
    assert copied.model_fields_set == {*records[0].model_fields_set, "note"} and "note" not in records[1].model_fields_set


def test_problems_in_several_parts_are_those_of_the_whole_list_all_at_once(monkeypatch):
    """Each part's problems, located in the whole text, all given together."""
    lines = long_ledger(9_001).split("\n")
    lines[lines.index("        date: 2021-07-10")] = "        date: 1632787200"  # record 1: a number is no date
    lines[lines.index("      - id: R4500") + 5] = "        status: 完成了吗"  # record 4,500: an unknown status
    lines[lines.index("      - id: R9001") + 4] = "        by: 张三\n        colour: 红"  # record 9,001: an unknown field
    lines[lines.index("    role: 责任")] = "    role: 配合"  # task 8: an unknown role
    text = "\n".join(lines)
    with pytest.raises(DataError) as parts:
        parsing._parsed(text, "ledgers/市财政局.yaml")
    with pytest.raises(DataError) as one, monkeypatch.context() as patch:
        patch.setattr(parsing, "PART", 10**9)
        parsing._parsed(text, "ledgers/市财政局.yaml")
    # validated whole, a value pydantic would coerce (a number for a date) is named once the schema
    # errors are mended; the part it is in passes the schema, so in parts it is named at once, too
    assert parts.value.problems == [parts.value.problems[0], *one.value.problems]
    assert "1632787200" in parts.value.problems[0].message
    assert [(p.line, p.column) for p in parts.value.problems] == [(7, 15), (27_005, 17), (54_011, 17), (54_018, 11)]
    assert parts.value.message == one.value.message == "ledgers/市财政局.yaml 的内容不符合格式要求"
