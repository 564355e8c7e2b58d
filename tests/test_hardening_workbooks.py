"""Attacks on import: workbooks judged by what they contain (issue 13, cause 8) and all or nothing
across workbooks (cause 3)."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest

from gwgk.files import storage

from .conftest import run_cli, tree_bytes
from .test_workbook import AS_OF, export, fill

DONE = {"I": "已完成", "J": "2021-09-28"}


def rewritten(source: Path, target: Path, change) -> Path:  # noqa: ANN001 - change(name, bytes) -> bytes | None
    """A copy of the workbook ``source`` with each part passed through ``change`` (None drops it)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = change(item.filename, src.read(item))
            if data is not None:
                dst.writestr(item.filename, data)
    return target


def added(source: Path, target: Path, parts: dict[str, bytes], content_type: bytes = b"", relationship: bytes = b"") -> Path:
    def change(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", content_type + b"</Types>")
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", relationship + b"</Relationships>")
        return data

    rewritten(source, target, change)
    with zipfile.ZipFile(target, "a") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return target


def refused(ws: Path, *paths: Path) -> str:
    before = tree_bytes(ws)
    result = run_cli("import", *map(str, paths), *AS_OF, workspace=ws)
    assert result.code == 2 and "Traceback" not in result.err and "内部错误" not in result.err, result.err
    assert tree_bytes(ws) == before
    return result.err


@pytest.fixture
def filled(ws: Path, tmp_path: Path) -> Path:
    return fill(export(ws, tmp_path), tmp_path / "filled.xlsx", {(7, "2021Q3"): DONE})


EXTERNAL_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"
EXTERNAL_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLink"


@pytest.mark.parametrize(("parts", "content_type", "relationship", "expected"), [
    ({"xl/refs/ref1.xml": b"<externalLink/>"}, b'<Override PartName="/xl/refs/ref1.xml" ContentType="' + EXTERNAL_TYPE + b'"/>',
     b'<Relationship Id="rId99" Type="' + EXTERNAL_REL + b'" Target="refs/ref1.xml"/>', "外部链接"),
    ({"xl/proj.bin": b"\xd0\xcf\x11\xe0"}, b'<Override PartName="/xl/proj.bin" ContentType="application/vnd.ms-office.vbaProject"/>',
     b'<Relationship Id="rId98" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="proj.bin"/>', "宏"),
    ({"xl/a.dat": b"x"}, b'<Default Extension="dat" ContentType="application/vnd.ms-office.vbaProject"/>', b"", "宏"),
    ({}, b"", b'<Relationship Id="rId97" Type="http://example.com/x" Target="file:///C:/secret.xlsx" TargetMode="External"/>', "外部链接"),
    ({"xl/ext.xml": b"<a/>"}, b'<Override PartName="/xl/ext.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>', b"", "宏"),
])
def test_links_and_macros_are_found_by_content_type_and_relationship(ws: Path, tmp_path: Path, filled: Path, parts, content_type, relationship, expected):
    hostile = added(filled, tmp_path / "hostile.xlsx", parts, content_type, relationship)
    assert expected in refused(ws, hostile)


def test_a_dtd_or_entity_is_refused_wherever_it_is(ws: Path, tmp_path: Path, filled: Path):
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    names = zipfile.ZipFile(filled).namelist()
    for part in [p for p in ("xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml", "[Content_Types].xml") if p in names]:
        hostile = rewritten(filled, tmp_path / "xxe.xlsx", lambda name, data, part=part: xxe + data.split(b"?>", 1)[-1] if name == part else data)
        assert "DTD 或实体声明" in refused(ws, hostile)
    lol = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    hostile = rewritten(filled, tmp_path / "lol.xlsx", lambda name, data: lol + data.split(b"?>", 1)[-1] if name == "xl/styles.xml" else data)
    assert "DTD 或实体声明" in refused(ws, hostile)


def sheet_edit(filled: Path, target: Path, edit) -> Path:  # noqa: ANN001
    return rewritten(filled, target, lambda name, data: edit(data) if name == "xl/worksheets/sheet1.xml" else data)


@pytest.mark.parametrize("edit", [
    lambda d: d[: len(d) // 2],  # truncated XML
    lambda d: d.replace(b"<sheetData>", b"<sheetData><row", 1),
    lambda d: re.sub(rb'r="J(\d+)"', rb'r="ZZZZ99999999"', d, count=1),
    lambda d: re.sub(rb'<c r="A(\d+)"', rb'<c r="A\1" t="n"><v>abc</v></c><c r="B\1"', d, count=1),
    lambda d: re.sub(rb'<c r="(J\d+)"[^>]*>.*?</c>', rb'<c r="\1"><v>1e12</v></c>', d, count=1, flags=re.S),
    lambda d: re.sub(rb'<c r="(J\d+)"[^>]*>.*?</c>', rb'<c r="\1" t="d"><v>not-a-date</v></c>', d, count=1, flags=re.S),
    lambda d: re.sub(rb'<c r="(J\d+)"[^>]*>.*?</c>', rb'<c r="\1"><v>-5</v></c>', d, count=1, flags=re.S),
])
def test_malformed_sheets_give_a_located_refusal_not_a_crash(ws: Path, tmp_path: Path, filled: Path, edit):
    err = refused(ws, sheet_edit(filled, tmp_path / "bad.xlsx", edit))
    assert str(tmp_path / "bad.xlsx") in err


@pytest.mark.parametrize("serial", [1e12, 2958466, 0, -1, 1e308])
def test_huge_or_impossible_date_serials_are_refused_at_their_cell(ws: Path, tmp_path: Path, serial: float):
    exported = export(ws, tmp_path)
    bad = fill(exported, tmp_path / "serial.xlsx", {(7, "2021Q3"): {"I": "已完成", "J": serial}})
    err = refused(ws, bad)
    assert "市财政局!J" in err and "不是有效的日期" in err or "不在允许范围内" in err


def test_formulas_anywhere_are_refused(ws: Path, tmp_path: Path, filled: Path):
    from openpyxl import load_workbook

    for where in ("extra-sheet", "far-column", "header", "meta"):
        wb = load_workbook(filled)
        if where == "extra-sheet":
            wb.create_sheet("附表")["C3"] = "=WEBSERVICE(\"http://example.com\")"
        elif where == "far-column":
            wb.worksheets[0]["Z5"] = "=1+1"
        elif where == "header":
            wb.worksheets[0]["P1"] = "=HYPERLINK(\"http://x\")"
        else:
            wb["_gwgk"]["E1"] = "=NOW()"
        path = tmp_path / f"{where}.xlsx"
        wb.save(path)
        assert "这里是公式" in refused(ws, path), where


@pytest.mark.parametrize("kind", ["fifo", "folder", "dev-null-link"])
def test_a_fifo_folder_or_device_named_xlsx_is_refused_at_once(ws: Path, tmp_path: Path, kind: str):
    path = tmp_path / "x.xlsx"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to("/dev/null")
    assert "不是普通文件" in refused(ws, path) or "文件夹" in refused(ws, path)


# ---------------------------------------------------------------- 3. all or nothing


def test_import_takes_every_lock_before_writing_any(ws: Path, tmp_path: Path, monkeypatch):
    a = fill(export(ws, tmp_path, "市财政局"), tmp_path / "a.xlsx", {(7, "2021Q3"): DONE})
    b = fill(export(ws, tmp_path, "市教育局"), tmp_path / "b.xlsx", {(3, "长期"): {"I": "推进中", "J": "2021-09-01"}})
    before = tree_bytes(ws)
    monkeypatch.setattr(storage, "LOCK_TIMEOUT_SECONDS", 0.5)
    for held in ("市教育局", "市财政局"):
        with storage.locked(ws / f".gwgk/locks/{held}.yaml.lock", held):
            result = run_cli("import", str(a), str(b), *AS_OF, workspace=ws)
        assert result.code == 2 and "正被另一个 gwgk 进程写入" in result.err, result.err
        assert tree_bytes(ws) == before
    done = run_cli("import", str(a), str(b), *AS_OF, workspace=ws)
    assert done.code == 0 and "市财政局：新增 1 条记录" in done.out and "市教育局：新增 1 条记录" in done.out


def test_a_conflict_found_on_the_second_ledger_writes_neither(ws: Path, tmp_path: Path):
    a = fill(export(ws, tmp_path, "市财政局"), tmp_path / "a.xlsx", {(7, "2021Q3"): DONE})
    b = fill(export(ws, tmp_path, "市教育局"), tmp_path / "b.xlsx", {(3, "长期"): {"I": "推进中", "J": "2021-09-01"}})
    (ws / "ledgers/市教育局.yaml").write_text("unit: 市教育局\ntasks: 5\n", encoding="utf-8")
    before = tree_bytes(ws)
    result = run_cli("import", str(a), str(b), *AS_OF, workspace=ws)
    assert result.code == 2 and tree_bytes(ws) == before
