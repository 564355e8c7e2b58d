"""The fast block reader against libyaml: whatever it reads, libyaml reads the same; the rest it leaves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gwgk.errors import DataError
from gwgk.files.yamlblock import NOT_BLOCK, block_data
from gwgk.files.yamlio import load_events, load_fast

from .conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]


def typed(value: Any) -> Any:
    """``value`` with every scalar's type beside it and mapping order kept (True is not 1)."""
    if isinstance(value, dict):
        return ("map", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", [typed(v) for v in value])
    return (type(value).__name__, value)


def libyaml(text: str) -> Any:
    """What libyaml's path gives ``text``, or the DataError class when it refuses it."""
    try:
        return typed(load_events(text, "t.yaml"))
    except DataError:
        return DataError


def agrees(text: str) -> Any:
    """The block reader's value of ``text`` after checking libyaml gives the same (None if it left it)."""
    got = block_data(text)
    if got is NOT_BLOCK:
        return None
    assert libyaml(text) == typed(got), text
    return got


# ------------------------------------------------------------------ exact cases, worked by hand

def test_a_ledger_as_gwgk_writes_it():
    text = (
        "# 工作台账：市财政局\n"
        "unit: 市财政局\n"
        "tasks:\n"
        "  # 第 1 项 规划信息公开\n"
        "  - task: 1\n"
        "    role: 牵头\n"
        "    deadline: 最新规划:形成20日内。 历史规划:到“十二五”时期,既往不限。\n"
        "    extensions:\n"
        "      - instance: '2021-09-30'\n"
        "        to: 2021-10-31\n"
        "        reason: 'it''s agreed'\n"
        "    records:\n"
        "      - date: 2021-10-05\n"
        "        status: 已完成\n"
        "        note: \"a:b, [c] {d}\"\n"
        "        evidence:\n"
        "          - http://www.xingyi.gov.cn/zwgk/1.html\n"
        "          - 2021年部门预算公开目录.xlsx\n"
        "        dropped: false\n"
        "        empty:\n"
        "  - task: 2\n"
        "    role: ~\n"
    )
    assert agrees(text) == {
        "unit": "市财政局",
        "tasks": [
            {"task": 1, "role": "牵头", "deadline": "最新规划:形成20日内。 历史规划:到“十二五”时期,既往不限。",
             "extensions": [{"instance": "2021-09-30", "to": "2021-10-31", "reason": "it's agreed"}],
             "records": [{"date": "2021-10-05", "status": "已完成", "note": "a:b, [c] {d}",
                          "evidence": ["http://www.xingyi.gov.cn/zwgk/1.html", "2021年部门预算公开目录.xlsx"],
                          "dropped": False, "empty": None}]},
            {"task": 2, "role": None},
        ],
    }


def test_sequences_at_their_keys_indent_and_scalars():
    text = "a:\n- 1\n- +2\n- 007\n- x y  \nb:\nc: null\nd: True\ne: ''\nf: \"\"\n"
    assert agrees(text) == {"a": [1, 2, "007", "x y"], "b": None, "c": None, "d": True, "e": "", "f": ""}


def test_items_with_nothing_after_the_dash():
    assert agrees("-\n- \n-\n  a: 1\n  b:\n  - x\n-\n    - y\n") == [None, None, {"a": 1, "b": ["x"]}, ["y"]]
    assert agrees("a:\n  -\n  - 1\n") == {"a": [None, 1]}


def test_an_integer_too_long_for_python_is_text_on_both_paths():
    """Python reads no integer of over 4,300 digits (found by an attack on this reader): a number
    of 1,000 digits or more stays text, so that the schema says where it does not belong."""
    long_number = "1" * 5000
    assert agrees(f"a: {long_number}\nb: {'9' * 999}\n") == {"a": long_number, "b": int("9" * 999)}
    assert agrees(f"- +{long_number}\n- {'9' * 1000}\n") == [f"+{long_number}", "9" * 1000]
    assert load_events(f"{'1' * 1010}: x\n", "t.yaml") == {"1" * 1010: "x"}  # a key: libyaml takes up to 1,024 characters
    with pytest.raises(DataError) as refused:
        load_events(f"a: !!int {long_number}\n", "t.yaml")
    assert refused.value.problems[0].message == "不支持 YAML 标签“tag:yaml.org,2002:int”"


def test_a_ledger_with_an_overlong_number_gets_a_located_problem(ws: Path):
    ledger = ws / "ledgers/市财政局.yaml"
    ledger.parent.mkdir(exist_ok=True)
    ledger.write_text(f"unit: 市财政局\ntasks:\n  - task: {'1' * 5000}\n    role: 牵头\n", encoding="utf-8")
    result = run_cli("validate", workspace=ws)
    assert result.code == 1 and "ledgers/市财政局.yaml:3:11: “task”应为整数，现在的数字太长" in result.out, result.out + result.err


def test_text_no_file_decodes_to_is_refused_not_raised():
    with pytest.raises(DataError) as refused:
        load_fast("a: \ud800\n", "t.yaml")
    assert "代理项" in refused.value.problems[0].message


def test_windows_line_breaks_read_as_libyaml_reads_them():
    text = "# 注释\r\nunit: 市财政局\r\ntasks:\r\n  - task: 1\r\n    note: 'a '\r\n    records:\r\n"
    assert agrees(text) == {"unit": "市财政局", "tasks": [{"task": 1, "note": "a ", "records": None}]}


def test_empty_and_comment_only_documents_are_none():
    assert agrees("") is None and block_data("") is None
    assert block_data("# 只有注释\n\n   \n") is None
    assert load_fast("# 只有注释\n", "t.yaml") is None


@pytest.mark.parametrize("text", [
    "a: [1, 2]\n",            # flow collection
    "a: {}\n",
    "a: |\n  text\n",         # block scalar
    "a: >\n  text\n",
    "a: b\n  c\n",            # a plain scalar over two lines
    "a:\n  b\n",
    "- a\n  b\n",
    "a: \"x\\ny\"\n",         # an escape
    "a: 'x\n  y'\n",          # a quoted scalar over two lines
    "a: &x 1\nb: *x\n",       # anchor, alias
    "a: !!str 1\n",           # tag
    "---\na: 1\n",            # document markers, directives
    "a: 1\n...\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: 1\rb: 2\r",           # CR line breaks alone
    "a: 1\r\nb: 2\r",
    "a:\tb\n",                # tab
    "a: x\u2028y\n",          # a YAML 1.1 line break
    "a: x\x85y\n",
    "a: \ufeffx\n",
    "a: x\x7fy\n",
    "a: b # comment\n",       # a comment after a value
    "a: 1\na: 2\n",           # a duplicate key
    "a: b: c\n",
    "a: b:\n",
    "a:b\n",
    "- - x\n",
    "a: -1\n",
    "a: 1\n  b: 2\n",         # indents that do not line up
    "a:\n    b: 1\n  c: 2\n",
    "  a: 1\n",
    "- a\nb: 1\n",            # a second root
    "a: 1\n- b\n",
    "scalar\n",
    "a: 'x' y\n",
    "a: \"x\" # c\n",
    "? a\n: b\n",
    "x" * 101 + ": 1\n",      # a key longer than this reader takes
])
def test_what_it_leaves_to_libyaml(text):
    assert block_data(text) is NOT_BLOCK


def test_nesting_deeper_than_it_takes_is_left():
    deep = "".join(" " * (2 * i) + f"k{i}:\n" for i in range(40)) + " " * 80 + "v: 1\n"
    assert block_data(deep) is NOT_BLOCK
    shallow = "".join(" " * (2 * i) + f"k{i}:\n" for i in range(10)) + " " * 20 + "v: 1\n"
    assert agrees(shallow) is not None


def test_every_bundled_ledger_is_read_here():
    """The fast path is the usual one: every demo ledger (as gwgk writes them) is plain block YAML."""
    ledgers = sorted((ROOT / "ledgers").glob("*.yaml"))
    assert ledgers
    for path in ledgers:
        assert agrees(path.read_text(encoding="utf-8")) is not None, path.name


# ------------------------------------------------------------------ generated texts

KEYS = ["a", "b", "task", "records", "x_1", "null", "True", "false", "note"]
SCALARS = [
    "abc", "已完成", "2021-09-30", "2021Q3", "1", "+1", "-1", "0", "007", "1.5", "0x1f", "1_000", "~", "null",
    "Null", "true", "FALSE", "yes", "'q''s'", "''", "'a #b'", "\"dq\"", "\"\"", "\"a\\nb\"", "\"a'b\"", "a: b",
    "a #b", "a#b", "a:", "a:b", "[1, 2]", "[]", "{}", "{a: 1}", "&x a", "*x", "!!str 1", "!x a", "|", ">", "'open",
    "\"open", "\"x\" y", "a  b", "http://x.y/z?q=1#f", "a,b]", "%x", "@x", "`x", "?x", ":x", ",x", "-x", "- x",
    "=", "<<", "\u3000x\u3000", "a\tb", "a\rb", "x\u2028y", "x\x85y", "\x7f", "\ufeffx", "é", "😀", "\\", "a\\b",
    "最新规划:形成20日内。 历史规划:到“十二五”", "#", " ", "a ", "'", "\"",
]


@st.composite
def lines(draw: Any) -> str:
    """One line of a YAML-like text: keys, items, comments and oddities at drawn indents."""
    indent = " " * draw(st.sampled_from([0, 0, 2, 2, 4, 4, 6, 8, 1, 3]))
    key = draw(st.sampled_from(KEYS))
    value = draw(st.sampled_from(SCALARS))
    shape = draw(st.sampled_from(["{k}: {v}", "{k}:", "- {v}", "- {k}: {v}", "- {k}:", "-   {k}: {v}", "# {v}",
                                  "", "-", "---", "{k}:{v}", "- - {v}", "{k}:  {v}   ", "{v}", "{k} : {v}"]))
    return indent + shape.format(k=key, v=value)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lines(), max_size=12), st.booleans())
def test_generated_lines_read_as_libyaml_reads_them(parts, final_break):
    agrees("\n".join(parts) + ("\n" if final_break else ""))


MORE_KEYS = ["unit", "plan", "role", "duty", "deadline", "events", "key", "title", "date", "status", "instance"]
SAFE = ["abc", "已完成", "2021-09-30", "2021Q3", "1", "+1", "0", "007", "1.5", "~", "null", "true", "FALSE", "yes",
        "'q''s'", "''", "'a #b'", "\"dq\"", "\"a'b\"", "a#b", "a:b", "a  b", "http://x.y/z?q=1#f", "a,b]", "=", "é",
        "\u3000x\u3000", "最新规划:形成20日内。 历史规划:到“十二五”", "😀", "a\\b"]
def _first_key(pair: tuple[str, Any]) -> str | None:
    return pair[0] if pair[0] not in ("a", "null") else None  # "a" and "null" may repeat: duplicate keys


def _nested(inner: Any) -> Any:
    """Lists of items, or lists of key and value pairs (mappings), of ``inner``."""
    return st.one_of(st.lists(inner, min_size=1, max_size=4),
                     st.lists(st.tuples(st.sampled_from(KEYS + MORE_KEYS), inner), min_size=1, max_size=4, unique_by=_first_key))


trees = st.recursive(st.integers(0, 7).flatmap(lambda n: st.sampled_from(SCALARS if n == 0 else SAFE)), _nested, max_leaves=24)


@st.composite
def rendered(draw: Any, node: Any, column: int) -> list[str]:
    """The block lines of ``node`` (a scalar's text, a list of items, or a list of key and value
    pairs) with its entries at ``column``; each nested block's indent is drawn."""
    out: list[str] = []
    if isinstance(node, str):
        return [" " * column + node]
    mapping = bool(node) and isinstance(node[0], tuple)
    for entry in node:
        head = " " * column + ("" if mapping else "-" + " " * draw(st.sampled_from([1, 1, 2, 3])))
        value = entry[1] if mapping else entry
        key = f"{entry[0]}:" if mapping else ""
        if isinstance(value, str):
            out.append(head + (f"{key} {value}" if mapping else value))
            continue
        if not mapping and value and isinstance(value[0], tuple) and draw(st.booleans()):
            # "- key: value" then the item's other keys under the first
            inner = draw(rendered(value, len(head)))
            out.append(head + inner[0][len(head):])
            out.extend(inner[1:])
            continue
        out.append(head + key if mapping else head.rstrip())
        same = mapping and not (value and isinstance(value[0], tuple)) and draw(st.booleans())
        out.extend(draw(rendered(value, column if same else column + draw(st.sampled_from([1, 2, 2, 4])))))
    return out


@st.composite
def documents_as_lines(draw: Any) -> str:
    """A block document of drawn shape, with comments and blank lines put in, and sometimes one
    line changed: its indent, its value, or a character put in somewhere."""
    out = draw(rendered(draw(trees.filter(lambda t: not isinstance(t, str))), 0))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(out)))
        out.insert(at, " " * draw(st.integers(0, 6)) + draw(st.sampled_from(["# 注释", "#", "", "  "])))
    if draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(0, len(out) - 1))
        line = out[at]
        how = draw(st.sampled_from(["indent", "dedent", "char"]))
        if how == "indent":
            line = " " + line
        elif how == "dedent":
            line = line[1:]
        else:
            where = draw(st.integers(0, len(line)))
            line = line[:where] + draw(st.sampled_from([":", " ", "#", " #", "-", "'", '"', "\t", "\r", "&", "!", "\r\n"])) + line[where:]
        out[at] = line
    return draw(st.sampled_from(["\n", "\r\n"])).join(out) + draw(st.sampled_from(["", "\n", "\n\n", "\r\n"]))


@settings(max_examples=4000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents_as_lines())
def test_generated_documents_read_as_libyaml_reads_them(text):
    agrees(text)


plain_text = st.text(st.sampled_from("ab 1-:#'\"[]{},&*!|>%@`~?=\\已完成\u3000é"), min_size=1, max_size=8)
leaves = st.one_of(st.none(), st.booleans(), st.integers(-5, 2000), plain_text)
def _containers(inner: Any) -> Any:
    keys = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True)
    return st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4))


documents = st.recursive(leaves, _containers, max_leaves=20)


@settings(max_examples=1500, deadline=None)
@given(documents, st.sampled_from([2, 3, 4]), st.booleans())
def test_dumped_documents_read_back_as_libyaml_reads_them(document, indent, plain_style):
    """Documents as PyYAML writes them in block style: most are read here, each as libyaml reads it."""
    text = yaml.safe_dump({"root": document}, allow_unicode=True, default_flow_style=False, indent=indent,
                          width=10_000, sort_keys=False, default_style=None if plain_style else "'")
    got = agrees(text)
    if got is not None:
        assert typed(got) == typed(load_fast(text, "t.yaml"))
