"""Attacks on where import problems are named (issue 30, cause 13): overlong 工作方面 and 佐证材料 at
their own cells, ``NaN``, ``INF`` and text in numeric (date) cells at their cell, control and format
characters in 备注 as a located refusal (line separators pasted from Word as newlines)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import run_cli
from .test_hardening_workbooks import refused, rewritten
from .test_workbook import AS_OF, export, fill, row_of

SHEET = "xl/worksheets/sheet1.xml"


def filled_row(ws: Path, tmp_path: Path, cells: dict[str, object]) -> tuple[Path, int]:
    from openpyxl import load_workbook

    exported = export(ws, tmp_path)
    path = fill(exported, tmp_path / "filled.xlsx", {(7, "2021Q3"): {"I": "已完成", "J": "2021-09-28", **cells}})
    return path, row_of(load_workbook(path).worksheets[0], 7, "2021Q3")


@pytest.mark.parametrize(("column", "value", "message"), [
    ("K", "方" * 101, "工作方面太长：最多 100 个字"),
    ("L", "佐" * 2001, "佐证材料中的一项太长：最多 2000 个字"),
    ("M", "备" * 2001, "备注太长：最多 2000 个字"),
])
def test_overlong_cells_are_named_at_their_own_cell(ws: Path, tmp_path: Path, column: str, value: str, message: str):
    path, row = filled_row(ws, tmp_path, {column: value})
    err = refused(ws, path)
    assert f"市财政局!{column}{row}: {message}" in err, err
    assert "ValidationError" not in err


@pytest.mark.parametrize("value", [b"NaN", b"nan", b"INF", b"-inf", b"Infinity", b"abc", b"1e400", b"0x10", b"1,5"])
def test_non_numbers_in_a_numeric_date_cell_are_named_at_the_cell(ws: Path, tmp_path: Path, value: bytes):
    path, row = filled_row(ws, tmp_path, {"J": 44467})  # a date serial, in the date-formatted cell

    def change(name: str, data: bytes) -> bytes:
        if name != SHEET:
            return data
        edited = re.sub(rb'(<c r="J%d"[^>]*>)<v>44467</v>' % row, rb"\1<v>" + value + b"</v>", data)
        assert edited != data
        return edited

    err = refused(ws, rewritten(path, tmp_path / "nan.xlsx", change))
    assert f"市财政局!J{row}" in err and "不是有效的数字" in err, err
    assert "ValueError" not in err


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_line_separators_in_a_note_become_newlines(ws: Path, tmp_path: Path, char: str):
    path, _ = filled_row(ws, tmp_path, {"M": f"第一行{char}第二行"})
    result = run_cli("import", str(path), *AS_OF, workspace=ws)
    assert result.code == 0, result.err
    text = (ws / "ledgers/市财政局.yaml").read_text(encoding="utf-8")
    assert char not in text and "第一行" in text and "第二行" in text
    assert run_cli("validate", workspace=ws).code == 0


@pytest.mark.parametrize(("column", "char"), [("M", "\ufeff"), ("M", "\x07"), ("K", "\ufeff"), ("L", "\x1b"), ("M", "\ufffe")])
def test_control_and_format_characters_are_refused_at_their_cell(ws: Path, tmp_path: Path, column: str, char: str):
    path, row = filled_row(ws, tmp_path, {})

    def change(name: str, data: bytes) -> bytes:  # openpyxl will not write them: put them in the XML
        if name != SHEET:
            return data
        cell = f'<c r="{column}{row}" t="inlineStr"><is><t>说明&#{ord(char)};文字</t></is></c>'.encode()
        return re.sub(rb'<c r="%s%d"[^>]*?(/>|>.*?</c>)' % (column.encode(), row), cell, data, count=1, flags=re.S)

    bad = rewritten(path, tmp_path / "ctl.xlsx", change)
    if char in "\x07\x1b\ufffe":  # not even allowed in XML 1.0: the part is not well-formed
        err = refused(ws, bad)
        assert "不是完好的 XML" in err or "不可见" in err, err
        return
    err = refused(ws, bad)
    assert f"市财政局!{column}{row}" in err and f"U+{ord(char):04X}" in err, err
    assert "无法安全地写入" not in err
