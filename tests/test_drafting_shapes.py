"""The shapes plans come in (web pages, encodings, Word merges), the honest model of a task with no
lead or no deadline through the ledger, and the 核对表 (``plan draft --check-sheet``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gwgk.drafting.draft import draft
from gwgk.drafting.html import from_html
from gwgk.drafting.notes import read_units
from gwgk.drafting.source import from_text, read_plan
from tests.conftest import run_cli
from tests.plans import forms

PLANS = Path(__file__).resolve().parent / "plans"


# ------------------------------------------------------------------------- web pages and Word tables

def test_a_web_page_gives_a_cell_merged_down_to_each_row_and_one_merged_across_once() -> None:
    page = ("<html><head><title>不读</title><script>var a = '<td>x</td>';</script></head><body><p>标题</p>"
            "<table><tr><th>A</th><th>B</th><th>C</th></tr>"
            '<tr><td rowspan="2">甲</td><td>1</td><td>x</td></tr>'
            "<tr><td>2</td><td>y</td></tr>"
            '<tr><td colspan="2">乙</td><td>z</td></tr>'
            '<tr><td colspan="3">二、一行标题</td></tr></table><p>落款&nbsp;单位</p></body></html>')
    source = from_html(page, "p.html")
    assert source.lines == ["标题", "落款 单位"]
    assert source.tables == [[["A", "B", "C"], ["甲", "1", "x"], ["甲", "2", "y"], ["乙", "z"], ["二、一行标题"]]]


def test_a_word_table_with_merged_cells_reads_as_the_web_page_does(tmp_path: Path) -> None:
    folder = PLANS / "jingzhou-city-2022"
    word = read_plan(forms.docx_of(folder, tmp_path / "plan.docx"))
    page = read_plan(folder / "published.html")
    assert word.tables == page.tables
    assert word.tables[0][2][0:3] == ["一、以公开助力经济平稳健康发展。", "（一）加强涉及市场主体的信息公开。", "2"]  # merged down


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030"])
def test_a_text_plan_in_any_common_encoding_reads_alike(encoding: str, tmp_path: Path) -> None:
    text = (PLANS / "qingshan-county-2022-body.txt").read_text(encoding="utf-8")
    path = tmp_path / "plan.txt"
    path.write_bytes(text.encode(encoding))
    assert read_plan(path).lines == from_text(text, "plan.txt").lines


def test_a_web_page_saved_in_gb2312_is_read_in_its_charset() -> None:
    source = read_plan(PLANS / "jinxiu-education-2022" / "published.html")
    assert source.lines[0] == "锦秀市教育局2022年政务公开工作任务分解表"


# ------------------------------------------------------------------------- notes and clauses

@pytest.mark.parametrize(("note", "lead", "responsible"), [
    ("牵头单位：市财政局，责任单位：市直各部门", ["市财政局"], ["市直各部门"]),
    ("牵头单位:市财政局;责任单位:市直各部门", ["市财政局"], ["市直各部门"]),
    ("责任单位：县司法局", [], ["县司法局"]),
    ("县司法局牵头，县直各部门配合", ["县司法局"], ["县直各部门"]),
    ("县政府办公室牵头，县直各部门落实；各镇（街）参照落实", ["县政府办公室"], ["县直各部门", "各镇（街）"]),
    ("责任时限：2022年底前，牵头单位：县市场监管局，责任单位：县直各执法部门", ["县市场监管局"], ["县直各执法部门"]),
    ("市政府各有关部门，各县市区人民政府、功能区管委会负责落实", [], ["市政府各有关部门", "各县市区人民政府", "功能区管委会"]),
    ("市金融办、人民银行潍坊市中心支行分别牵头落实", ["市金融办", "人民银行潍坊市中心支行"], []),
    ("国家发展改革委、财政部按职责分工负责", [], ["国家发展改革委", "财政部"]),
    ("牵头单位：市政府办公室、市直有关部门，各乡镇（街道）", ["市政府办公室", "市直有关部门", "各乡镇（街道）"], []),
])
def test_a_unit_note_in_any_of_its_forms_and_punctuations(note: str, lead: list[str], responsible: list[str]) -> None:
    for text in (note, note.translate(forms.HALF)):
        read = read_units(text)
        assert (read.lead, read.responsible) == ([n.translate(forms.HALF) if text != note else n for n in lead],
                                                 [n.translate(forms.HALF) if text != note else n for n in responsible])


@pytest.mark.parametrize("clause", ["以下均需各县市区落实，不再逐一列出", "负责落实", "参照落实", "以下统称各县（区）政府",
                                    "牵头单位待定", "另行明确"])
def test_a_clause_or_placeholder_is_never_a_unit(clause: str) -> None:
    read = read_units(clause)
    assert not any(word in name for name in read.lead + read.responsible
                   for word in ("以下", "落实", "统称", "待定", "另行"))


def test_a_placeholder_lead_is_marked_and_drafts_no_unit() -> None:
    result = draft(from_text("某县2022年政务公开工作要点\n1．做好公开，年底前完成。（牵头单位待定）\n", "plan.txt"))
    (task,) = result.plan["tasks"]
    assert task["lead"] == [] and task["responsible"] == [] and "牵头单位待定" in task["review"]
    assert result.units == [] and result.groups == []


# ------------------------------------------------------------------------- the honest model

NO_DEADLINE = """丰乐县2024年政务公开工作要点
丰乐县人民政府办公室
2024年5月6日
1、建立政务公开工作联络员制度。（牵头单位：县政府办公室）
2、做好政策解读，持续推进。（责任单位：县司法局）
"""


def test_a_task_without_deadline_or_lead_is_stored_so_and_owed_by_the_plan_end(tmp_path: Path) -> None:
    plan = tmp_path / "丰乐县.txt"
    plan.write_text(NO_DEADLINE, encoding="utf-8")
    target = tmp_path / "丰乐县"
    run = run_cli("init", str(target), "--plan", str(plan))
    assert run.code == 0, run.out + run.err  # nothing unsure: the plan says exactly this
    text = (target / "data" / "tasks.yaml").read_text(encoding="utf-8")
    assert "rules: []" in text and "lead: []" in text and "牵头单位待定" not in text
    shown = json.loads(run_cli("tasks", "show", "1", "--format", "json", workspace=target).out)
    assert [s.replace("：", ":") for s in shown["rule_summaries"]] == ["未写时限:2024-12-31 前"]
    two = json.loads(run_cli("tasks", "show", "2", "--format", "json", workspace=target).out)
    assert (two["lead"], two["responsible"]) == ([], ["县司法局"])
    ledger = json.loads(run_cli("ledger", "--unit", "县司法局", "--as-of", "2024-12-01", "--format", "json", workspace=target).out)
    assert [(t["task"], t["role"], [i["due"] for i in t["instances"]]) for t in ledger["tasks"]] == [(2, "responsible", ["2024-12-31"])]
    late = run_cli("overdue", "--as-of", "2025-01-10", "--format", "json", workspace=target)
    assert {(item["unit"], item["task"], item["due"], item["state"]) for item in json.loads(late.out)["items"]} == {
        ("县政府办公室", 1, "2024-12-31", "overdue"), ("县司法局", 2, "2024-12-31", "overdue")}


def test_a_task_that_no_unit_owes_loads_only_while_it_is_marked() -> None:
    from gwgk.catalogue.model import build
    from gwgk.catalogue.plan import TasksFile
    from gwgk.catalogue.units import UnitsFile

    result = draft(from_text("某县2022年政务公开工作要点\n1．做好公开，年底前完成。\n", "plan.txt"))
    (task,) = result.plan["tasks"]
    assert task["lead"] == task["responsible"] == [] and "没有写" in task["review"]
    units = UnitsFile.model_validate({"units": [], "groups": []})
    assert build(TasksFile.model_validate(result.plan), units)[1] == []
    del task["review"]
    (finding,) = build(TasksFile.model_validate(result.plan), units)[1]
    assert "没有单位承担" in finding.message


# ------------------------------------------------------------------------- the 核对表

def test_plan_draft_writes_a_check_sheet_workbook_beside_the_draft(ws: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    sheet = tmp_path / "核对表.xlsx"
    run = run_cli("plan", "draft", str(PLANS / "jingzhou-city-2022" / "published.html"), "--check-sheet", str(sheet), workspace=ws)
    assert run.code == 1 and "核对表写入" in run.out
    rows = list(load_workbook(sheet).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("序号", "标题", "原文：任务", "原文：单位", "原文：完成时限")
    assert len(rows) == 7
    four = rows[4]
    assert four[3] == "市财政局牵头" and four[4] == "2022年6月底前；动态更新"
    assert (four[5], four[6], four[8]) == ("市财政局", "各县市区人民政府", "2022-06-30 前；长期")
    assert "早于计划印发日期" in four[9]  # the review marks beside the row
    five = rows[5]
    assert five[5] == "（计划没有写）" and "10日前" in five[9]


def test_plan_draft_writes_a_check_sheet_page(ws: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "核对表.html"
    run = run_cli("plan", "draft", str(PLANS / "lanxi-county-2023" / "published.txt"), "--check-sheet", str(sheet), workspace=ws)
    assert run.code == 1
    page = sheet.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "《澜溪县2023年政务公开工作要点》起草核对表" in page
    assert "县政府办公室牵头，县直各部门落实；各镇（街）参照落实。" in page
    assert page.count('<tr class="unsure">') + page.count('<tr class="sure">') == 6
    assert "（计划没有写）" in page  # task 5: 牵头单位待定


def test_a_check_sheet_of_another_kind_is_refused_before_anything_is_written(ws: Path, tmp_path: Path) -> None:
    before = sorted(str(p) for p in ws.rglob("*"))
    run = run_cli("plan", "draft", str(PLANS / "lanxi-county-2023" / "published.txt"), "--check-sheet", str(tmp_path / "表.pdf"), workspace=ws)
    assert run.code == 2 and ".xlsx 或 .html" in run.err
    assert sorted(str(p) for p in ws.rglob("*")) == before


# ------------------------------------------------------------------------- more ways plans are written

def _summary(text: str) -> list[tuple]:
    return [(t["id"], t["lead"], t["responsible"], [(r["kind"], str(r.get("due", r.get("every", "")))) for r in t["rules"]])
            for t in draft(from_text(text, "plan.txt")).plan["tasks"]]


def test_unit_lines_under_tasks_successive_notes_lead_marks_and_numeric_dates() -> None:
    text = ("某县2023年政务公开工作要点\n一、加强公开\n"
            "1．做好财政信息公开。\n牵头单位：县财政局；责任单位：县直各部门\n"
            "2．做好政策解读。\n责任单位：县司法局\n"
            "3．做好规划公开。（牵头单位：县发改局）（完成时限：2023年6月底前）\n"
            "4．做好年报发布。（县政府办（牵头）、县直各部门）\n"
            "5) 做好网站管理，2023.09.30前完成整改。（牵头单位：县数据局）\n"
            "6．做好执法公示，2023-11-30前完成。（牵头单位：县司法局）\n")
    assert _summary(text) == [
        (1, ["县财政局"], ["县直各部门"], []),
        (2, [], ["县司法局"], []),
        (3, ["县发改局"], [], [("date", "2023-06-30")]),
        (4, ["县政府办"], ["县直各部门"], []),
        (5, ["县数据局"], [], [("date", "2023-09-30")]),
        (6, ["县司法局"], [], [("date", "2023-11-30")]),
    ]
    assert "review" not in draft(from_text(text, "plan.txt")).plan["tasks"][2]  # two notes in a row are no puzzle


def test_rows_copied_from_excel_with_line_breaks_in_cells() -> None:
    text = ('某县2023年政务公开重点任务清单\n序号\t工作任务\t牵头单位\t完成时限\n'
            '1\t"做好财政信息公开，\n细化到项级科目"\t县财政局\t2023年6月底前\n'
            '2\t做好“政策解读”\t"县司法局、\n县直各部门"\t长期\n3\t"做好""规划""公开"\t县发改局\t每季度\n')
    tasks = draft(from_text(text, "plan.txt")).plan["tasks"]
    assert [t["text"] for t in tasks] == ["做好财政信息公开，细化到项级科目", "做好“政策解读”", '做好"规划"公开']
    assert tasks[1]["lead"] == ["县司法局", "县直各部门"]


def test_a_pasted_header_of_two_rows_and_numbers_in_chinese() -> None:
    text = ("某县2023年政务公开重点任务清单\n序号 | 工作任务 | 责任单位 | 完成时限\n牵头单位 | 配合单位\n"
            "一 | 做好财政信息公开 | 县财政局 | 县直各部门 | 2023年6月底前\n二 | 做好政策解读 | 县司法局 | | 长期\n")
    assert _summary(text) == [(1, ["县财政局"], ["县直各部门"], [("date", "2023-06-30")]),
                              (2, ["县司法局"], [], [("continuous", "")])]


def test_a_plan_of_headed_paragraphs_without_numbers_is_drafted_not_refused() -> None:
    text = ("北京市2016年政务公开工作要点\n一、围绕深化改革推进公开\n（一）推进权力清单公开\n对权力清单进行动态调整。\n"
            "（二）推进行政审批公开\n6月底前公布中介服务事项清单。（市审改办牵头）\n")
    result = draft(from_text(text, "plan.txt"))
    assert [(t["id"], t["title"], t["lead"]) for t in result.plan["tasks"]] == [
        (1, "推进权力清单公开", []), (2, "推进行政审批公开", ["市审改办"])]
    assert all("没有给任务编号" in t["review"] for t in result.plan["tasks"])


def test_a_check_sheet_that_cannot_be_written_leaves_the_workspace_as_it_was(ws: Path, tmp_path: Path) -> None:
    taken = tmp_path / "核对表.xlsx"
    taken.mkdir()  # a folder where the sheet should go
    def files() -> dict[str, bytes]:  # the workspace's own files (the cache may fill meanwhile)
        return {str(p): p.read_bytes() for p in ws.rglob("*") if p.is_file() and ".gwgk" not in p.parts}

    before = files()
    run = run_cli("plan", "draft", str(PLANS / "lanxi-county-2023" / "published.txt"), "--check-sheet", str(taken), workspace=ws)
    assert run.code == 2 and "核对表.xlsx" in run.err
    assert files() == before


def test_keys_after_a_space_trailing_unit_sentences_cells_of_several_lines_and_partial_deadlines() -> None:
    text = ("某县2023年政务公开工作要点\n1．做好财政信息公开。（牵头单位：县财政局 责任单位：县直各部门）\n"
            "2．做好政策解读。\n责任单位：各乡镇（街道）、县直各部门。\n完成时限：2023年底前。\n")
    assert _summary(text) == [(1, ["县财政局"], ["县直各部门"], []),
                              (2, [], ["各乡镇（街道）", "县直各部门"], [("date", "2023-12-31")])]
    table = ("某县2023年政务公开重点任务清单\n序号 | 工作任务 | 牵头单位 | 完成时限\n"
             "1 | 做好公开 | 县政府办公室 县财政局 | 每季度第一个月10日前\n2 | 做好解读 | 县 司法局 | 2023年\n")
    one, two = draft(from_text(table, "plan.txt")).plan["tasks"]
    assert one["lead"] == ["县政府办公室", "县财政局"] and two["lead"] == ["县司法局"]
    assert "“10日前”未能读懂" in one["rules"][0]["review"]  # read in part: said so
    assert (two["rules"][0]["due"].isoformat(), "年底" in two["rules"][0]["review"]) == ("2023-12-31", True)


def test_a_table_whose_tasks_are_numbered_as_sections_in_their_own_cells() -> None:
    text = ("某县2023年政务公开重点任务清单\n重点任务 | 责任单位 | 完成时限\n"
            "（一）做好财政公开。 | 县财政局 | 年底前\n（二）做好政策解读。 | 县司法局 | 长期\n")
    tasks = draft(from_text(text, "plan.txt")).plan["tasks"]
    assert [(t["section"], t["text"], t["responsible"]) for t in tasks] == [
        ("(一)", "做好财政公开。", ["县财政局"]), ("(二)", "做好政策解读。", ["县司法局"])]


def test_a_section_whose_note_is_for_the_numbered_tasks_under_it() -> None:
    text = ("某县2023年政务公开工作要点\n一、加强政策发布\n"
            "（一）做好政策发布。（牵头单位：县政府办公室，责任单位：县直各部门）\n"
            "1．及时发布政策文件。\n2．做好政策解读，年底前完成。（牵头单位：县司法局）\n"
            "（二）做好回应关切\n3．及时回应关切。（牵头单位：县委宣传部）\n")
    result = draft(from_text(text, "plan.txt"))
    assert [(t["id"], t["section"], t["lead"], t["responsible"]) for t in result.plan["tasks"]] == [
        (1, "(一)", ["县政府办公室"], ["县直各部门"]), (2, "(一)", ["县司法局"], []), (3, "(二)", ["县委宣传部"], [])]
    assert "取自所在小节" in result.plan["tasks"][0]["review"]  # an interpretation: said so
    assert [s["title"] for s in result.plan["parts"][0]["sections"]] == ["做好政策发布", "做好回应关切"]


def test_a_text_copied_from_a_pdf_with_broken_lines_and_page_numbers() -> None:
    text = ("某县2023年政务公开工作要点\n1．做好财政信息公开，细化到\n— 3 —\n项级科目。（牵头单位：县财政\n局，责任单位：县直各部门）\n"
            "2．做好政策解读，2023 年底前完成。（牵头单位：县司法局）\n")
    one, two = draft(from_text(text, "plan.txt")).plan["tasks"]
    assert (one["text"], one["lead"], one["responsible"]) == ("做好财政信息公开，细化到项级科目。", ["县财政局"], ["县直各部门"])
    assert [(r["kind"], r["due"].isoformat()) for r in two["rules"]] == [("date", "2023-12-31")]
