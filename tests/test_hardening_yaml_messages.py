"""Attacks on where and how YAML problems are told (issue 30, cause 14): U+2028 and U+2029 are line
breaks to the parser but not to a person, so every location after one is counted again; a ``~:``
key and a ``%YAML 1.3`` directive are told in Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import run_cli

AS_OF = ["--as-of", "2021-10-08"]


@pytest.fixture
def ledger(ws: Path) -> Path:
    assert run_cli("ledger", "-u", "市财政局", *AS_OF, workspace=ws).code == 0
    return ws / "ledgers/市财政局.yaml"


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def problems(ws: Path) -> str:
    result = run_cli("validate", workspace=ws)
    assert result.code in (1, 2), result.out + result.err
    assert "内部错误" not in result.err
    return result.out + result.err


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u2028\u2029\u2028"])
@pytest.mark.parametrize("error", [
    ("    records:\n      - date: 2021-08-01\n        status: 差不多了\n", "差不多了"),  # a value pydantic refuses
    ("    records:\n      - date: 2021-02-30\n        status: 推进中\n", "2021-02-30"),  # a date that does not exist
    ("    bogus: 1\n", "bogus"),  # a field the schema does not know
    ("    records: [1, 2\n", "records: [1, 2"),  # a parser error
])
def test_locations_after_a_unicode_line_separator_are_a_persons_lines(ws: Path, ledger: Path, separator: str, error):
    addition, needle = error
    text = ledger.read_text(encoding="utf-8")
    marker = "  - task: 3\n    role: 责任\n"
    assert marker in text
    before = "  - task: 2\n    role: 牵头\n"
    assert before in text
    text = text.replace(before, before + f'    records:\n      - date: 2021-08-01\n        status: 推进中\n'
                                         f"        note: '第一段{separator}第二段'\n", 1)
    text = text.replace(marker, marker + addition, 1)
    ledger.write_text(text, encoding="utf-8")
    expected = line_of(text, needle)
    out = problems(ws)
    found = [int(n) for n in re.findall(r"ledgers/市财政局\.yaml:(\d+):", out)]
    assert found, out
    assert expected in found or expected + 1 in found and "records: [1, 2" in addition, (expected, out)
    assert all(n <= text.count("\n") + 1 for n in found)


def test_a_separator_in_a_comment_is_located_on_the_comment_line(ws: Path, ledger: Path):
    """The parser ends the comment at the separator and reads the rest as content: the problem
    is told on the line a person sees it on."""
    text = ledger.read_text(encoding="utf-8").replace("unit: 市财政局\n", "unit: 市财政局\n# 说明\u2028第二段\n", 1)
    ledger.write_text(text, encoding="utf-8")
    line = line_of(text, "# 说明\u2028")
    out = problems(ws)
    assert f"ledgers/市财政局.yaml:{line}:" in out or f"ledgers/市财政局.yaml:{line + 1}:1:" in out, out  # at its end


def test_a_separator_inside_a_quoted_note_keeps_later_lines(ws: Path, ledger: Path):
    text = ledger.read_text(encoding="utf-8")
    marker = "  - task: 3\n    role: 责任\n"
    text = text.replace(marker, marker + '    records:\n      - date: 2021-08-01\n        status: 推进中\n'
                                          "        note: '甲\u2028乙\u2029丙'\n", 1)
    text = text.replace("  - task: 7\n", "  - task: 7\n    nonsense: 1\n", 1)
    ledger.write_text(text, encoding="utf-8")
    out = problems(ws)
    assert f"ledgers/市财政局.yaml:{line_of(text, 'nonsense')}:" in out, out


@pytest.mark.parametrize(("key", "line_text"), [("~", "~: 1"), ("null", "null: 1"), ("", ": 1"), ("Null", "Null: x")])
def test_a_null_key_is_told_in_chinese(ws: Path, ledger: Path, key: str, line_text: str):
    text = ledger.read_text(encoding="utf-8").replace("unit: 市财政局\n", f"unit: 市财政局\n{line_text}\n", 1)
    ledger.write_text(text, encoding="utf-8")
    out = problems(ws)
    assert "Keys should be strings" not in out and "ledgers/市财政局.yaml:" in out
    assert re.search(r"[\u4e00-\u9fff]", out.split("ledgers/市财政局.yaml:", 1)[1])
    assert not re.search(r"\([A-Za-z ]{6,}\)", out), out


@pytest.mark.parametrize("directive", ["%YAML 1.3", "%YAML 2.0", "%YAML 1.1\n%YAML 1.1", "%FOO bar", "%TAG ! !x\n%TAG ! !y"])
def test_directives_are_told_in_chinese(ws: Path, ledger: Path, directive: str):
    ledger.write_text(directive + "\n---\n" + ledger.read_text(encoding="utf-8"), encoding="utf-8")
    out = problems(ws)
    assert "incompatible" not in out and "found" not in out, out
    assert "ledgers/市财政局.yaml:1:" in out or "ledgers/市财政局.yaml:2:" in out, out
