"""``--format docx``: the 回头看 通报 and the year report as Word documents laid out per GB/T 9704-2012,
read back with python-docx; their text content is kept as golden files."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from gwgk.judge.workdays import add_working_days
from gwgk.reports.wording import cjk_punctuation

from .conftest import run_cli, tree_bytes
from .test_reports import AS_OF, check_golden, golden_workspace

EMU_PER_MM = 36000


def write_docx(ws: Path, tmp_path: Path, command: str, *args: str) -> tuple[Document, Path]:
    target = tmp_path / "out" / f"{command}-{{date}}.docx"
    result = run_cli(command, *AS_OF, "--format", "docx", "--output", str(target), *args, workspace=ws)
    assert result.code == 0, result.err
    written = tmp_path / "out" / f"{command}-2021-10-08.docx"
    assert result.err == f"已写入 {written}\n"
    return Document(str(written)), written


def east_asian(run) -> str | None:
    fonts = run._r.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


def document_text(document) -> str:
    """Every paragraph and table row of the body in order, then the footers: what the golden keeps."""
    lines: list[str] = []
    body = document.element.body
    tables = iter(document.tables)
    paragraphs = iter(document.paragraphs)
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(next(paragraphs).text)
        elif child.tag == qn("w:tbl"):
            for row in next(tables).rows:
                lines.append(" | ".join(c.text for c in row.cells))
    section = document.sections[0]
    lines.append("[页脚 单页] " + section.footer.paragraphs[0].text)
    lines.append("[页脚 双页] " + section.even_page_footer.paragraphs[0].text)
    return "\n".join(lines) + "\n"


def assert_gb9704_page(document) -> None:
    section = document.sections[0]
    assert (round(section.page_width / EMU_PER_MM), round(section.page_height / EMU_PER_MM)) == (210, 297)  # A4, in twips
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m / EMU_PER_MM) for m in margins] == [37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    # 225 mm of text height / 22 lines = 28.95 pt = 579 twips; 156 mm / 28 characters = 15.79 pt a
    # character: the 16 pt characters set 0.25 pt closer (-5 twentieths), 28 in 441 pt of the 442.2 pt
    # line. No character grid (w:charSpace), which LibreOffice reads otherwise than Word and WPS.
    assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch")), grid.get(qn("w:charSpace"))) == ("lines", "579", None)
    normal = document.styles["Normal"]
    assert normal.element.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-5"
    assert 28 * (16 - 0.25) <= 156 / 25.4 * 72 < 29 * (16 - 0.25)
    assert normal.font.size == Pt(16)
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.paragraph_format.line_spacing == Pt(28.95)
    # page numbers: "— N —" with a PAGE field, 四号 宋体, odd right and even left
    assert document.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —"
        assert " PAGE " in [t.text for t in paragraph._p.iter(qn("w:instrText"))]
        assert {(r.font.size, east_asian(r)) for r in paragraph.runs} == {(Pt(14), "宋体")}
    # the 公文 fonts fall back to common ones where they are not installed
    fonts = {f.get(qn("w:name")): f.find(qn("w:altName")) for f in font_table(document)}
    assert fonts["方正小标宋简体"].get(qn("w:val")) == "宋体"
    assert fonts["仿宋_GB2312"].get(qn("w:val")) == "仿宋"
    assert fonts["楷体_GB2312"].get(qn("w:val")) == "楷体"


def font_table(document):
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    root = etree.fromstring(document.part.part_related_by(RT.FONT_TABLE).blob)
    return root.findall(qn("w:font"))


def test_the_notice_is_a_gb9704_document(ws: Path, tmp_path: Path):
    golden_workspace(ws)
    document, _ = write_docx(ws, tmp_path, "overdue", "-u", "市财政局", "-u", "敬南镇")
    assert_gb9704_page(document)
    title = document.paragraphs[0]
    # broken between words into lines of at most 20 characters of 二号 (“落/实情况” never)
    assert title.text == "关于《兴义市2021年政务公开工作要点》\n落实情况“回头看”的通报"
    assert {(r.font.size, east_asian(r)) for r in title.runs} == {(Pt(22), "方正小标宋简体")}
    assert document.paragraphs[2].text == "市财政局、敬南镇："  # a few units: addressed by name
    fonts = {p.text: east_asian(p.runs[-1]) for p in document.paragraphs if p.runs}
    assert fonts["一、总体情况"] == fonts["二、存在的问题"] == fonts["三、整改要求"] == "黑体"
    assert fonts["（一）超期未完成事项较多"] == "楷体_GB2312"
    # 成文日期 in Arabic numerals, after the issuer
    texts = [p.text for p in document.paragraphs]
    assert texts[texts.index("兴义市人民政府办公室") + 1] == "2021年10月8日"
    # 2021-10-08 + 10 working days: 10-09 (a working Saturday after National Day), 10-11..15, 10-18..21
    assert add_working_days(dt.date(2021, 10, 8), 10) == dt.date(2021, 10, 21)
    assert any("于2021年10月21日前整改到位" in t for t in texts)


def test_the_notice_table_rows_equal_the_json_items(ws: Path, tmp_path: Path):
    golden_workspace(ws)
    document, _ = write_docx(ws, tmp_path, "overdue", "-u", "市财政局", "-u", "敬南镇")
    data = json.loads(run_cli("overdue", *AS_OF, "-u", "市财政局", "-u", "敬南镇", "--format", "json", workspace=ws).out)
    _summary, *lists = document.tables  # the summary in the body, then each unit's list in the attachment
    texts = [p.text for p in document.paragraphs]
    headings = [t for t in texts if re.match(r"^[一二三四五六七八九十]+、(敬南镇|市财政局)（", t)]
    assert headings == ["一、敬南镇（超期未完成16项次，进度滞后6项次）", "二、市财政局（超期未完成14项次，进度滞后5项次）"]
    rows = []
    for unit, table in zip(["敬南镇", "市财政局"], lists):
        cells = [[c.text for c in row.cells] for row in table.rows]
        assert cells[0] == ["序号", "任务", "期次", "到期日", "超期\n天数", "状态"]
        rows += [[unit, *row] for row in cells[1:]]
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)  # never split
    # a lagging item shows the days since its last progress in its state, not in 超期天数
    # the 通报 names an event by its name and day (the JSON's lists, made from timelines, by its place)
    named = {"第1次触发事件": "2021年预算批复（2021年9月1日）"}
    expected = [[i["unit"], str(i["task"]), cjk_punctuation(i["title"]), named.get(i["instance_label"], i["instance_label"]), i["due"] or "",
                 str(i["days_overdue"]) if i["state"] == "overdue" else "",
                 f"{i['state_label']}（已{i['idle_days']}天无进展）" if i["state"] == "lagging" else i["state_label"]]
                for i in data["items"]]
    assert rows == expected and len(expected) == 30 + 11


def test_notice_golden(ws: Path, tmp_path: Path):
    golden_workspace(ws)
    document, _ = write_docx(ws, tmp_path, "overdue", "-u", "市财政局", "-u", "敬南镇", "--rectify-by", "2021年10月20日")
    check_golden("notice.docx.txt", document_text(document))


def test_notice_of_the_whole_city_is_addressed_as_the_plan_is(ws: Path, tmp_path: Path):
    document, _ = write_docx(ws, tmp_path, "overdue")
    assert document.paragraphs[2].text == "各乡镇政府、街道办事处，市政府各部门，各开发区、景区管委，各园区、管理处，各国有企业："
    texts = [p.text for p in document.paragraphs]
    overview = texts[texts.index("一、总体情况") + 1]
    assert overview.startswith("本次共核查48个单位。截至2021年10月8日，到期应完成事项")


def test_year_report_docx(ws: Path, tmp_path: Path):
    golden_workspace(ws)
    document, _ = write_docx(ws, tmp_path, "report")
    assert_gb9704_page(document)
    data = json.loads(run_cli("report", *AS_OF, "--format", "json", workspace=ws).out)
    texts = [p.text for p in document.paragraphs]
    assert texts[texts.index("一、存在的主要问题及改进情况") + 1] == data["paragraph"]
    units, tasks = document.tables
    assert [r.cells[0].text for r in units.rows[1:]] == [u["unit"] for u in data["units"]] + ["合计"]
    assert [int(r.cells[4].text) for r in units.rows[1:-1]] == [u["overdue"] for u in data["units"]]
    assert [int(r.cells[0].text) for r in tasks.rows[1:]] == [t["task"] for t in data["tasks"]]
    assert [int(r.cells[3].text) for r in tasks.rows[1:]] == [t["overdue"] for t in data["tasks"]]
    check_golden("report.docx.txt", document_text(document))


def test_docx_goes_to_a_file_never_the_terminal(ws: Path):
    before = tree_bytes(ws)
    for command in ("overdue", "report"):
        result = run_cli(command, *AS_OF, "--format", "docx", workspace=ws)
        assert result.code == 2 and result.out == ""
        assert result.err.startswith("错误：Word 文档（docx）不能显示在终端上，请用 --output 指定文件")
    assert tree_bytes(ws) == before


def test_a_bad_rectify_date_is_refused(ws: Path, tmp_path: Path):
    result = run_cli("overdue", *AS_OF, "--format", "docx", "--output", str(tmp_path / "a.docx"), "--rectify-by", "下周五", workspace=ws)
    assert result.code == 2 and result.err.startswith("错误：") and not (tmp_path / "a.docx").exists()


def test_a_notice_over_a_broken_ledger_lists_the_unit_unchecked(ws: Path, tmp_path: Path):
    from .test_reports import break_finance_ledger

    break_finance_ledger(ws)
    target = tmp_path / "n.docx"
    result = run_cli("overdue", *AS_OF, "--format", "docx", "--output", str(target), workspace=ws)
    assert result.code == 1
    document = Document(str(target))
    texts = [p.text for p in document.paragraphs]
    assert texts.index("一、市财政局（台账有误，未核查）") > texts.index("附件")  # first in the attachment
    assert "市财政局" not in [row.cells[0].text for row in document.tables[0].rows]  # in no count of the summary
    assert any(p.text == "（四）部分台账填写有误" for p in document.paragraphs)


@pytest.mark.parametrize("argv", [["--help"], ["overdue", "--as-of", "2021-10-08", "-f", "json", "-u", "市财政局"]])
def test_docx_is_not_imported_unless_asked_for(ws: Path, argv: list[str]):
    code = ("import sys; from gwgk.cli import main; sys.argv = ['gwgk', '--workspace', sys.argv[1], *sys.argv[2:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\nprint('docx' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, str(ws), *argv], capture_output=True, text=True, timeout=60)
    assert done.stderr.strip().splitlines()[-1] == "False", done.stderr


def test_the_manuals_cron_line_for_the_notice_runs_as_written(ws: Path):
    import os
    import re
    import shlex

    from .conftest import REPO

    readme = (REPO / "docs" / "manual" / "reports.md").read_text(encoding="utf-8")
    (line,) = [m for m in re.findall(r"^\d+ \d+ \* \* \d +(.+)$", readme, re.M) if "--format docx" in m]
    gwgk_part = line.removeprefix("cd /srv/gwgk && ")
    assert shlex.split(gwgk_part)[:2] == ["gwgk", "overdue"]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(gwgk_part, shell=True, cwd=ws, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout == "", done.stderr
    (written,) = (ws / "reports").glob("回头看通报-*.docx")
    assert re.fullmatch(r"回头看通报-\d{4}-\d{2}-\d{2}\.docx", written.name)
    assert Document(str(written)).paragraphs[0].text.endswith("落实情况“回头看”的通报")
    assert not list((ws / "reports").glob(".gwgk-tmp-*"))
