"""The light node tree of block ledgers against libyaml's: every node it builds has libyaml's kind,
value, style and marks, a collection at the depth limit ends on the line libyaml's ends on, and it
reads every plain block text the block reader reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gwgk.files.yamlblock import NOT_BLOCK, block_data
from gwgk.files.yamlio import CannotSplice, compose
from gwgk.files.yamllight import _tree, shallow
from gwgk.files.yamlsplice import _last_line, append_item, insert_first_keys

from .test_yamlblock import documents_as_lines

ROOT = Path(__file__).resolve().parents[1]


def same(full: Any, light: Any, depth: int, limit: int, path: tuple[Any, ...] = ()) -> None:
    """``light`` is ``full`` (libyaml's node) down to ``limit``; below it only the end is kept."""
    assert light.id == full.id, path
    assert tuple(light.start_mark) == (full.start_mark.line, full.start_mark.column), path
    assert light.flow_style == bool(getattr(full, "flow_style", False)), path
    if full.id == "scalar":
        assert (light.value, light.style) == (full.value, full.style), path
        assert tuple(light.end_mark) == (full.end_mark.line, full.end_mark.column), path
        return
    if depth >= limit:
        assert light.value == [], path
        assert _last_line(light) == _last_line(full), path
        return
    assert len(light.value) == len(full.value), path
    if full.id == "mapping":
        for (light_key, light_value), (full_key, full_value) in zip(light.value, full.value):
            same(full_key, light_key, 0, 1, (*path, full_key.value))
            same(full_value, light_value, depth + 1, limit, (*path, full_key.value))
    else:
        for i, (light_item, full_item) in enumerate(zip(light.value, full.value)):
            same(full_item, light_item, depth + 1, limit, (*path, i))
    assert _last_line(light) == _last_line(full), path


def agrees(text: str) -> bool:
    """Whether the light tree read ``text`` (it matching libyaml's at every limit when it did)."""
    trees = {limit: _tree(text, limit) for limit in (1, 2, 3, 4, 99)}
    if trees[99] is None:
        assert all(tree is None for tree in trees.values()), text
        # it reads what the block reader reads (an empty document is libyaml's None as well)
        assert block_data(text) in (NOT_BLOCK, None) or "\r" in text, text
        return False
    full = compose(text)  # a text libyaml refuses is never read here (a duplicate key is composed by both)
    for limit, tree in trees.items():
        same(full, tree, 0, limit)
    return True


def test_a_ledger_as_gwgk_writes_it_and_its_empty_values():
    text = ("# 台账\nunit: 市财政局\ntasks:\n  # 第 7 项\n  - task: 7\n    role: 牵头\n    duty:\n    records:\n"
            "      - id: R1\n        date: 2021-08-01\n        note: 'it''s'   \n        evidence:\n          - a\n          -\n"
            "      # 一条注释\n\n      - id: R2\n        date: \"2021-08-02\"\n  - task: 8\n    role: 责任\nplan:\n")
    assert agrees(text)
    records = _tree(text, 4).value[1][1].value[0].value[3][1]
    assert [item.value for item in records.value] == [[], []]  # the records at the limit: only their lines
    assert [_last_line(item) for item in records.value] == [13, 17]


def test_what_it_leaves_to_libyaml_is_composed_by_libyaml():
    for text in ("a: [1, 2]\n", "a: |\n  x\n", "a: b\r\nc: d\r\n", "a:\n  - - x\n", "a: 'x\n  y'\n", "a: &x 1\n"):
        assert _tree(text, 99) is None
        assert shallow(text, 2).value[0][0].value == "a"


def test_every_bundled_ledger_is_read_as_libyaml_reads_it():
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "ledgers").rglob("*.yaml"))]
    assert texts
    for text in texts:
        assert agrees(text)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents_as_lines())
def test_generated_documents_give_libyaml_s_nodes(text):
    agrees(text)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 40), st.sampled_from(["", "      # 注释\n", "\n"]))
def test_splices_of_a_long_list_are_those_libyaml_s_tree_gives(records, after):
    text = ("unit: 市财政局\ntasks:\n  - task: 7\n    role: 牵头\n    records:\n"
            + "".join(f"      - date: 2021-08-{1 + i % 28:02d}\n        status: 推进中\n" for i in range(records))
            + after + "  - task: 8\n    role: 责任\n")
    appended = append_item(text, ("tasks", 0), "records", {"date": dt.date(2021, 9, 1), "status": "推进中"})
    assert appended == text.replace(after + "  - task: 8", "      - date: 2021-09-01\n        status: 推进中\n" + after + "  - task: 8")
    ids = insert_first_keys(text, [(("tasks", 0, "records", i), "id", f"R{i + 1}") for i in range(records)])
    assert ids.count("      - id: R") == records and "- id: R1\n        date: 2021-08-01\n" in ids
    try:
        insert_first_keys(text, [(("tasks", 0, "role"), "id", "R1")])
    except CannotSplice:
        pass
    else:
        raise AssertionError("a value that is not a mapping was spliced into")


def _by_lines(text: str, places: list[tuple[int, int, str]]) -> str:
    """What splices did before cutting at offsets: the text split into a list of its lines."""
    lines = text.splitlines(keepends=True)
    for after, _, block in sorted(places, reverse=True):
        if after >= len(lines):
            raise CannotSplice("position past the end")
        if not lines[after].endswith("\n"):
            lines[after] += "\n"
        lines.insert(after + 1, block)
    return "".join(lines)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["a", "", "  - b: 1", "# c", "甲"]), max_size=8), st.booleans(),
       st.lists(st.tuples(st.integers(0, 9), st.integers(0, 3), st.sampled_from(["X\n", "  Y: 2\n"])), min_size=1, max_size=4),
       st.sampled_from(["", "\r", "\u2028", "\x0c"]))
def test_blocks_put_after_lines_by_offsets_as_by_a_list_of_lines(lines, final_break, places, odd):
    from gwgk.files.yamlsplice import _inserted_after

    text = "\n".join(lines) + ("\n" if final_break else "")
    if odd and lines:
        text = text.replace("a", "a" + odd, 1)
    places = [(after, order, block) for order, (after, _, block) in enumerate(places)]
    try:
        expected = _by_lines(text, places)
    except CannotSplice:
        with pytest.raises(CannotSplice):
            _inserted_after(text, places)
        return
    assert _inserted_after(text, places) == expected
