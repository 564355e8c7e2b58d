"""Hostile and odd plans (issue 30, causes 7 and 8): every one drafted with a review mark or refused
with a located Chinese message (exit 2, nothing written); none crashes, none runs long.

Time is measured by ``python benchmarks/drafting.py --hostile``; here the inputs are sized so that
quadratic drafting would make these tests run for minutes (they take about a second each).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from gwgk.drafting.deadlines import read_deadline
from gwgk.drafting.draft import draft
from gwgk.drafting.source import MAX_LINE_CHARS, MAX_TEXT_CHARS, from_text, read_plan
from gwgk.errors import UsageError
from tests.conftest import run_cli

HEADER = "某县2022年政务公开工作要点\n序号 | 工作任务 | 牵头单位 | 完成时限\n"


def table(cell: str, rows: int = 1) -> str:
    return HEADER + "".join(f"{i} | 做好公开 | 县政府办公室 | {cell}\n" for i in range(1, rows + 1))


def _only_task(text: str) -> dict:
    (task,) = draft(from_text(text, "plan.txt")).plan["tasks"]
    return task


def _marked(task: dict) -> bool:
    return "review" in task or any("review" in r for r in task["rules"])


# ------------------------------------------------------------------------- cause 7: plain input

@pytest.mark.parametrize("cell", ["每月三四篇", "每季度二三次", "不少于一一篇", "每月不少于一一篇", "每年十十次"])
def test_a_quota_that_is_no_one_number_is_marked_not_a_crash(cell: str) -> None:
    task = _only_task(table(cell))
    assert _marked(task)
    assert all(r["kind"] == "recurring" and r["quota"] == 1 for r in task["rules"])


@pytest.mark.parametrize("cell", ["每月" + "9" * 4400 + "篇", "形成" + "1" * 5000 + "日内", "9" * 4400 + "月底前",
                                  "不少于" + "8" * 9000])
def test_a_number_of_thousands_of_digits_is_read_as_no_number(cell: str) -> None:
    task = _only_task(table(cell))
    assert all(r.get("quota", 1) < 10_000 and r.get("days", 0) < 10_000 for r in task["rules"])
    assert _marked(task) or task["rules"]


@pytest.mark.parametrize("cell", ["0000年年底前", "0000年6月底前", "0年内", "0000年上半年", "0000年第三季度末",
                                  "9999年12月31日前", "2022年13月底前", "2022年2月30日前", "0000年年中"])
def test_a_year_or_day_that_is_no_real_one_is_marked_not_a_crash(cell: str) -> None:
    task = _only_task(table(cell))
    assert _marked(task)
    assert all(r["kind"] != "date" or 2021 <= r["due"].year <= 2024 for r in task["rules"])


@pytest.mark.parametrize("year", ["0", "-1", "10000", "99999999999999999999", "1999"])
def test_a_year_option_out_of_range_is_refused_naming_it(year: str, tmp_path: Path) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_text(table("年底前"), encoding="utf-8")
    run = run_cli("init", str(tmp_path / "新"), "--plan", str(plan), "--year", year)
    assert run.code == 2 and "年度" in run.err and "Traceback" not in run.err
    assert not (tmp_path / "新").exists()


def test_a_year_option_out_of_range_is_refused_by_plan_draft_too(ws: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_text(table("年底前"), encoding="utf-8")
    before = sorted(p.name for p in (ws / "data").rglob("*"))
    run = run_cli("plan", "draft", str(plan), "--year", "0", workspace=ws)
    assert run.code == 2 and "--year 0 不是有效的计划年度" in run.err
    assert sorted(p.name for p in (ws / "data").rglob("*")) == before


def _docx_with(document_xml: bytes, numbering_xml: bytes | None = None) -> bytes:
    """A minimal Word document whose parts are the given bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            + ('<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
               if numbering_xml else "") + "</Types>"))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>"))
        rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                + ('<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>'
                   if numbering_xml else "") + "</Relationships>")
        archive.writestr("word/_rels/document.xml.rels", rels)
        archive.writestr("word/document.xml", document_xml)
        if numbering_xml:
            archive.writestr("word/numbering.xml", numbering_xml)
    return out.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _paragraphs(*texts: str, num: str = "") -> bytes:
    body = "".join(f"<w:p><w:pPr>{num}</w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>" for t in texts)
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>'.encode()


@pytest.mark.parametrize("document", [
    b"<w:document",  # cut short
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><w:document ' + W.encode() + b"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>",
    b"\xff\xfe\x00garbage",
    b'<?xml version="1.0" encoding="UTF-8"?><other/>',
])
def test_a_malformed_or_entity_laden_docx_is_refused_in_chinese(document: bytes, tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes(_docx_with(document))
    with pytest.raises(UsageError, match="plan.docx"):
        draft(read_plan(path))


def test_a_docx_part_that_unpacks_past_the_bound_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    huge = _paragraphs("某县2022年政务公开工作要点") [:-len(b"</w:body></w:document>")] + b" " * (33 * 1024 * 1024) + b"</w:body></w:document>"
    path = tmp_path / "plan.docx"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", huge)
    path.write_bytes(out.getvalue())
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(UsageError, match="解压后"):
        read_plan(path)


@pytest.mark.parametrize("numbering", [
    '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="9"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%10."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>',
    '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="x"><w:start w:val="一"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>',
    '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="99999999999999999999"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>',
])
def test_word_numbering_with_odd_levels_or_numbers_reads_the_text_without_it(numbering: str, tmp_path: Path) -> None:
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:numbering {W}>{numbering}</w:numbering>'.encode()
    num = '<w:numPr><w:ilvl w:val="9"/><w:numId w:val="1"/></w:numPr>'
    path = tmp_path / "plan.docx"
    path.write_bytes(_docx_with(_paragraphs("某县2022年政务公开工作要点", "做好公开。(牵头单位:县政府办公室)", num=num), xml))
    source = read_plan(path)
    assert source.lines[-1].endswith("做好公开。(牵头单位:县政府办公室)")


# ------------------------------------------------------------------------- cause 8: size and time

@pytest.mark.parametrize("cell", ["形成" * 4_900, "1" * 9_900, "与" * 9_900, "每" * 9_900, "形成后1日内;" * 1_400,
                                  "每月;" * 3_000, "2022年6月底前;" * 900])
def test_a_huge_deadline_cell_is_drafted_with_its_rules_bounded(cell: str) -> None:
    task = _only_task(table(cell))
    assert len(task["rules"]) <= 24
    assert len(task.get("review", "")) < 2_000


@pytest.mark.parametrize("line", ["1.做好公开" + "形成" * 4_900, "1.做好公开" + "(甲牵头(乙" * 1_600,
                                  "1.做好公开" + "做好工作:" * 1_900, "(一)做好公开。" + "(牵头单位:甲" * 1_400])
def test_a_huge_body_paragraph_is_drafted(line: str) -> None:
    result = draft(from_text("某县2022年政务公开工作要点\n" + line + "\n", "plan.txt"))
    assert len(result.plan["tasks"]) == 1


@pytest.mark.parametrize("text", [
    "x" * (MAX_LINE_CHARS + 1),
    "某县2022年政务公开工作要点\n" + ("做好公开" * 9 + "\n") * (MAX_TEXT_CHARS // 36),
    "\t" * (MAX_LINE_CHARS + 5),
])
def test_a_text_past_the_bounds_is_refused_naming_the_bound(text: str) -> None:
    with pytest.raises(UsageError, match="超过"):
        from_text(text, "plan.txt")


def test_a_line_past_the_bound_is_refused_with_its_line_number() -> None:
    with pytest.raises(UsageError, match="第 3 行有 10001 个字符"):
        from_text("标题\n1.做好公开\n" + "甲" * (MAX_LINE_CHARS + 1), "plan.txt")


@pytest.mark.parametrize("text", [
    "某县2022年政务公开工作要点\n" + "".join(f"{i % 999 + 1}.做好公开第{i}项。(牵头单位:县政府办公室)\n" for i in range(5_000)),
    HEADER + "".join(f"{i} | 做好公开 | 县政府办公室 | 年底前\n" for i in range(1, 5_000)),
    "某县2022年政务公开工作要点\n工作任务\n|\n牵头单位\n|\n完成时限\n|\n" + "做好公开\n|\n县政府办公室\n|\n年底前\n|\n" * 5_000,
])
def test_thousands_of_tasks_are_refused_early(text: str) -> None:
    with pytest.raises(UsageError, match="任务超过 1000 项"):
        draft(from_text(text, "plan.txt"))


def test_nine_hundred_and_ninety_nine_tasks_are_drafted() -> None:
    text = "某县2022年政务公开工作要点\n" + "".join(f"{i}.做好公开第{i}项。(牵头单位:县政府办公室)\n" for i in range(1, 1000))
    assert len(draft(from_text(text, "plan.txt")).plan["tasks"]) == 999  # numbers of up to three digits


def test_a_web_page_with_absurd_spans_and_nesting_is_read() -> None:
    from gwgk.drafting.html import from_html

    page = ("<p>某县2022年政务公开工作要点</p><table><tr><th>序号</th><th>工作任务</th><th>牵头单位</th><th>完成时限</th></tr>"
            '<tr><td rowspan="99999999">1</td><td colspan="-3">做好公开</td><td rowspan="x">县政府办公室</td><td>年底前</td></tr>'
            + "<tr><td>" * 2_000 + "</table>" * 2_000)
    source = from_html(page, "plan.html")
    assert source.tables[0][0] == ["序号", "工作任务", "牵头单位", "完成时限"]


@pytest.mark.parametrize("phrase", ["每月" * 2, "形成20日内" + "。" * 3_000, "(" * 3_000 + "牵头单位:县政府办公室" + ")" * 3_000])
def test_odd_phrases_read_without_error(phrase: str) -> None:
    read_deadline(phrase, 2022)
    draft(from_text("某县2022年政务公开工作要点\n1.做好公开" + phrase + "\n", "plan.txt"))


# ------------------------------------------------------------------------- anything at all

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PIECES = ["1.", "1、", "(1)", "（一）", "一、", "①", "1)", "|", "\t", "\n", "，", ",", "：", ":", "；", ";", "（", "）", "(", ")",
          "牵头单位", "责任单位", "配合", "牵头", "负责落实", "参照落实", "以下均需", "不再逐一列出", "待定", "县财政局", "各乡镇（街道）",
          "序号", "工作任务", "具体要求", "完成时限", "备注", "年底前", "2022年6月底前", "每月", "10日前", "形成", "20日内", "0000年",
          "每月三四篇", "不少于一一篇", "9" * 30, "2022.13.45", "“", "”", "\"", "<", ">", "。", "、", " ", "附件", "2022年3月1日",
          "某县2022年政务公开工作要点"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=80))
def test_any_text_is_drafted_or_refused_in_chinese(pieces: list[str]) -> None:
    text = "".join(pieces)
    try:
        result = draft(from_text(text, "plan.txt"), year=2022)
    except UsageError as exc:
        assert "plan.txt" in str(exc) or "年度" in str(exc)
        return
    from gwgk.catalogue.plan import TasksFile

    TasksFile.model_validate(result.plan)  # whatever was drafted is a valid plan file


HTML_PIECES = ["<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", '<td rowspan="3">', '<td colspan="2">', "<th>", '<td rowspan="0">',
               '<td colspan="99999">', "<p>", "</p>", "<br>", "<script>", "</script>", "&nbsp;", "&#x4e00;", "&bogus;", "<!--", "-->",
               "序号", "工作任务", "牵头单位", "完成时限", "1", "做好公开", "县财政局", "年底前", "一、总体", "（一）"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(HTML_PIECES) | st.text(max_size=4), max_size=120))
def test_any_web_page_is_read_and_drafted_or_refused(pieces: list[str]) -> None:
    from gwgk.drafting.html import from_html

    try:
        draft(from_html("<p>某县2022年政务公开工作要点</p>" + "".join(pieces), "plan.html"), year=2022)
    except UsageError as exc:
        assert "plan.html" in str(exc)


def test_a_large_draft_is_written_by_the_fast_emitter_and_reads_back_as_the_round_trip_does() -> None:
    from gwgk.drafting.writing import LARGE_DRAFT_TASKS, PLAN_HEADER, plan_yaml
    from gwgk.files import yamlio

    text = "某县2022年政务公开工作要点\n" + "".join(
        f"{i}.做好公开第{i}项：“引号”、#号、'单引号'、: 冒号，每月{i % 28 + 1}日前报送。(牵头单位:县{i % 50}局,责任单位:各乡镇(街道))\n"
        for i in range(1, LARGE_DRAFT_TASKS + 50))
    result = draft(from_text(text, "plan.txt"))
    fast = plan_yaml(result)
    slow = yamlio.dump_roundtrip(yamlio.new_map(list(result.plan.items())))
    assert fast.startswith("# " + PLAN_HEADER.splitlines()[0])
    assert yamlio.load_fast(fast, "fast.yaml") == yamlio.load_fast(slow, "slow.yaml")
