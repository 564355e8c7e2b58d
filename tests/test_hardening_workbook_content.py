"""Attacks on what an imported workbook holds (issue 30, causes 2, 4 and 5): rows beyond the
declared ``<dimension>``, sheets gwgk did not export, hostile content in UTF-16 or behind character
references, parts outside their usual folders, and decompression bombs within the size limits."""

from __future__ import annotations

import random
import re
import time
import zipfile
from pathlib import Path

import pytest

from .conftest import run_cli, tree_bytes
from .test_hardening_workbooks import DONE, added, refused, rewritten
from .test_workbook import AS_OF, export, fill, row_of

SHEET = "xl/worksheets/sheet1.xml"
RELS = "xl/_rels/workbook.xml.rels"


@pytest.fixture
def filled(ws: Path, tmp_path: Path) -> Path:
    return fill(export(ws, tmp_path), tmp_path / "filled.xlsx", {(7, "2021Q3"): DONE})


def imported(ws: Path, *paths: Path) -> str:
    result = run_cli("import", *map(str, paths), *AS_OF, workspace=ws)
    assert result.code == 0, result.err
    return result.out


def utf16(data: bytes) -> bytes:
    """The same XML in UTF-16 (with its BOM and a declaration saying so)."""
    text = data.decode("utf-8")
    text = re.sub(r"^<\?xml[^>]*\?>", "", text)
    return ('<?xml version="1.0" encoding="UTF-16"?>' + text).encode("utf-16")


# ---------------------------------------------------------------- 2. what is there, not what the header claims


@pytest.mark.parametrize("dimension", ['<dimension ref="A1:N5"/>', '<dimension ref="A1"/>', '<dimension ref="A1:A1"/>', ""])
def test_rows_beyond_the_declared_dimension_are_read(ws: Path, tmp_path: Path, filled: Path, dimension: str):
    from openpyxl import load_workbook

    row = row_of(load_workbook(filled).worksheets[0], 7, "2021Q3")
    assert row > 5
    lying = rewritten(filled, tmp_path / "lying.xlsx",
                      lambda name, data: re.sub(rb"<dimension[^>]*/>", dimension.encode(), data) if name == SHEET else data)
    out = imported(ws, lying)
    assert "新增 1 条记录" in out
    assert "2021-09-28" in (ws / "ledgers/市财政局.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("where", ["I1048576", "J20002", "M30001"])
def test_a_value_far_below_the_sheet_is_refused_at_its_cell(ws: Path, tmp_path: Path, filled: Path, where: str):
    from openpyxl import load_workbook

    wb = load_workbook(filled)
    wb.worksheets[0][where] = "已完成"
    path = tmp_path / "far.xlsx"
    wb.save(path)
    err = refused(ws, path)
    assert where in err and "超过 20000 行" in err


def test_thirty_thousand_rows_beyond_the_dimension_are_refused(ws: Path, tmp_path: Path, filled: Path):
    extra = b"".join(b'<row r="%d"><c r="I%d" t="inlineStr"><is><t>x</t></is></c></row>' % (r, r) for r in range(100, 30100))

    def change(name: str, data: bytes) -> bytes:
        if name != SHEET:
            return data
        data = re.sub(rb'<row r="(\d{3,})".*?</row>', b"", data, flags=re.S)  # rows from 100 on make way
        return data.replace(b"</sheetData>", extra + b"</sheetData>")

    err = refused(ws, rewritten(filled, tmp_path / "long.xlsx", change))
    assert "I20002" in err and "超过 20000 行" in err


@pytest.mark.parametrize("title", ["附表", "Sheet1", "市财政局 (2)"])
def test_a_sheet_gwgk_did_not_export_is_read_and_named(ws: Path, tmp_path: Path, filled: Path, title: str):
    from openpyxl import load_workbook

    wb = load_workbook(filled)
    extra = wb.create_sheet(title)
    extra["I9"] = "已完成"
    extra["J9"] = "2021-09-28"
    path = tmp_path / "extra.xlsx"
    wb.save(path)
    err = refused(ws, path)
    assert f"{title}!I9" in err and "不是 gwgk 导出的" in err


def test_an_empty_extra_sheet_is_no_problem(ws: Path, tmp_path: Path, filled: Path):
    from openpyxl import load_workbook

    wb = load_workbook(filled)
    wb.create_sheet("空表")
    path = tmp_path / "empty-extra.xlsx"
    wb.save(path)
    assert "新增 1 条记录" in imported(ws, path)


def test_a_row_repeated_in_the_xml_is_refused_not_dropped(ws: Path, tmp_path: Path, filled: Path):
    """openpyxl keeps the first of two ``<row r="9">`` elements and silently drops the second."""
    from openpyxl import load_workbook

    row = row_of(load_workbook(filled).worksheets[0], 7, "2021Q3")

    def change(name: str, data: bytes) -> bytes:
        if name != SHEET:
            return data
        found = re.search(rb'<row r="%d".*?</row>' % row, data, flags=re.S)
        assert found
        return data[: found.start()] + re.sub(rb"<c r=\"[IJKLM]\d+\"[^>]*?(/>|>.*?</c>)", b"", found.group(0)) + data[found.start():]

    err = refused(ws, rewritten(filled, tmp_path / "twice.xlsx", change))
    assert f"第 {row} 行出现了两次" in err


# ---------------------------------------------------------------- 4. parsed XML, any encoding


def test_a_utf16_sheet_with_a_formula_is_refused(ws: Path, tmp_path: Path, filled: Path):
    def change(name: str, data: bytes) -> bytes:
        if name != SHEET:
            return data
        data = re.sub(rb'<c r="(M\d+)"', rb'<c r="\1" t="str"><f>WEBSERVICE("http://example.com/")</f><v>x</v></c><c r="N0"', data, count=1)
        data = re.sub(rb'<c r="N0"[^>]*?(/>|>.*?</c>)', b"", data, count=1, flags=re.S)
        return utf16(data)

    err = refused(ws, rewritten(filled, tmp_path / "utf16.xlsx", change))
    assert "公式" in err


def test_a_sheet_part_outside_worksheets_is_judged_too(ws: Path, tmp_path: Path, filled: Path):
    def change(name: str, data: bytes) -> bytes | None:
        if name == SHEET:
            return None
        if name in (RELS, "[Content_Types].xml"):
            return data.replace(b"worksheets/sheet1.xml", b"elsewhere/data.xml")
        return data

    moved = rewritten(filled, tmp_path / "moved.xlsx", change)
    original = zipfile.ZipFile(filled).read(SHEET)
    formula = re.sub(rb'<c r="(M\d+)"[^>]*?(/>|>.*?</c>)', rb'<c r="\1"><f>1+1</f><v>2</v></c>', original, count=1, flags=re.S)
    with zipfile.ZipFile(moved, "a") as archive:
        archive.writestr("xl/elsewhere/data.xml", formula)
    err = refused(ws, moved)
    assert "市财政局!M" in err and "公式" in err  # named by its sheet title, wherever the part lives


@pytest.mark.parametrize("part", ["xl/theme/theme1.xml", "docProps/core.xml", SHEET, "xl/styles.xml", "xl/workbook.xml", "[Content_Types].xml", RELS])
def test_a_utf16_part_with_an_internal_entity_is_refused(ws: Path, tmp_path: Path, filled: Path, part: str):
    def change(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        body = re.sub(rb"^<\?xml[^>]*\?>", b"", data).decode("utf-8")
        root = re.match(r"\s*<([\w:]+)", body).group(1)
        return ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE ' + root + ' [<!ENTITY e "注入的文字">]>' + body).encode("utf-16")

    assert "DTD 或实体声明" in refused(ws, rewritten(filled, tmp_path / "entity.xlsx", change))


@pytest.mark.parametrize("relationship", [
    b'<Relationship Id="hyperlink1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" '
    b'Target="file:///C:/secret.xlsx" TargetMode="External"/>',
    b'<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/external&#76;ink" Target="x.xml"/>',
    b'<Relationship Id="rId91" Type="http://example.com/hyperlink-like" Target="\\\\server\\share\\x.xlsx" TargetMode=" external "/>',
    b'<Relationship Id="rId92" Type="http://schemas.microsoft.com/office/2006/relationships/vba&#80;roject" Target="a.xml"/>',
])
def test_relationships_are_judged_by_type_and_target_mode_as_parsed(ws: Path, tmp_path: Path, filled: Path, relationship: bytes):
    err = refused(ws, added(filled, tmp_path / "rel.xlsx", {}, b"", relationship))
    assert "外部链接" in err


def test_an_external_link_in_a_utf16_rels_is_refused(ws: Path, tmp_path: Path, filled: Path):
    relationship = (b'<Relationship Id="rId95" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLink" '
                    b'Target="file:///C:/x.xlsx" TargetMode="External"/>')

    def change(name: str, data: bytes) -> bytes:
        return utf16(data.replace(b"</Relationships>", relationship + b"</Relationships>")) if name == RELS else data

    assert "外部链接" in refused(ws, rewritten(filled, tmp_path / "rels16.xlsx", change))


def test_a_content_type_behind_a_character_reference_is_refused(ws: Path, tmp_path: Path, filled: Path):
    hostile = added(filled, tmp_path / "ct.xlsx", {"xl/x.xml": b"<a/>"},
                    b'<Override PartName="/xl/x.xml" ContentType="application/vnd.ms-excel.sheet.macro&#69;nabled.main+xml"/>')
    assert "宏" in refused(ws, hostile)


def test_an_external_hyperlink_is_still_accepted(ws: Path, tmp_path: Path, filled: Path):
    """What the checks must not refuse: a cell's ordinary web link."""
    from openpyxl import load_workbook

    wb = load_workbook(filled)
    wb.worksheets[0]["A1"].hyperlink = "http://www.xingyi.gov.cn/"
    path = tmp_path / "link.xlsx"
    wb.save(path)
    assert "hyperlink" in zipfile.ZipFile(path).read("xl/worksheets/_rels/sheet1.xml.rels").decode()
    assert "新增 1 条记录" in imported(ws, path)


# ---------------------------------------------------------------- 5. bombs within the limits


def bomb(filled: Path, target: Path, part: str, make) -> Path:  # noqa: ANN001
    """``filled`` with ``part`` replaced by what ``make(original)`` gives (deflated); the shared
    strings, which a workbook saved by openpyxl lacks, added with their content type and relationship."""
    if part == "xl/sharedStrings.xml" and part not in zipfile.ZipFile(filled).namelist():
        added(filled, target.with_suffix(".base.xlsx"), {},
              b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>',
              b'<Relationship Id="rId77" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>')
        rewritten(target.with_suffix(".base.xlsx"), target, lambda name, data: data)
        with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(part, make(b""))
        return target
    return rewritten(filled, target, lambda name, data: make(data) if name == part else data)


def noise(count: int) -> list[int]:
    """Numbers that do not compress away, so a bomb stays within the compression-ratio limit."""
    return random.Random(count).choices(range(1 << 16), k=count)


def strings(count: int) -> bytes:
    body = b"".join(b"<si><t>%x</t></si>" % n for n in noise(count))
    return (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (count, count)
            + body + b"</sst>")


def styles(original: bytes, count: int) -> bytes:
    xfs = b"".join(b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0"/>' % (n % 200) for n in noise(count))
    return re.sub(rb"<cellXfs[^>]*>.*?</cellXfs>", lambda _: b'<cellXfs count="%d">' % count + xfs + b"</cellXfs>", original, flags=re.S)


def cells(original: bytes) -> bytes:
    numbers = iter(noise(420_000))
    rows = b"".join(b'<row r="%d">' % r + b"".join(b"<c><v>%d</v></c>" % next(numbers) for _ in range(60)) + b"</row>"
                    for r in range(10_000, 16_667))
    return original.replace(b"</sheetData>", rows + b"</sheetData>")


def elements(_: bytes) -> bytes:
    return b"<a>" + b"".join(b'<b x="%x"/>' % n for n in noise(3_000_000)) + b"</a>"


@pytest.mark.parametrize(("part", "make", "message"), [
    ("xl/sharedStrings.xml", lambda d: strings(1_000_000), "共享字符串"),
    ("xl/sharedStrings.xml", lambda d: strings(4_000_000), "共享字符串"),
    ("xl/styles.xml", lambda d: styles(d, 1_000_000), "单元格格式"),
    (SHEET, cells, "单元格"),
    ("docProps/app.xml", elements, "元素"),
], ids=["1M strings", "4M strings", "1M styles", "400k cells", "3M elements"])
def test_bombs_are_refused_early(ws: Path, tmp_path: Path, filled: Path, part: str, make, message: str):
    path = bomb(filled, tmp_path / "bomb.xlsx", part, make)
    assert path.stat().st_size < 20 * 1024 * 1024
    start = time.monotonic()
    err = refused(ws, path)
    elapsed = time.monotonic() - start
    assert message in err
    assert elapsed < 5, elapsed  # the bound; measured figures in docs/manual/security.md


def test_a_legitimate_full_workbook_is_not_taken_for_a_bomb(ws: Path, tmp_path: Path):
    """Every unit on one workbook (export --all as one file): well within every bound."""
    out = tmp_path / "all.xlsx"
    assert run_cli("export", "--all", *AS_OF, "-o", str(out), workspace=ws).code == 0
    before = {k: v for k, v in tree_bytes(ws).items() if not k.startswith("log/")}  # the workbook log records its return
    result = run_cli("import", str(out), *AS_OF, workspace=ws)
    assert result.code == 0, result.err
    after = {k: v for k, v in tree_bytes(ws).items() if not k.startswith("log/")}
    assert after == before  # nothing filled in: nothing to register
