"""Drafting plans of our own, in the three shapes plans come in, worked out by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwgk.catalogue.model import build
from gwgk.catalogue.plan import TasksFile
from gwgk.catalogue.units import UnitsFile
from gwgk.drafting.deadlines import read_deadline
from gwgk.drafting.draft import draft
from gwgk.drafting.source import from_text, read_plan
from gwgk.drafting.units import group_kinds, split_names, unit_kind
from gwgk.errors import UsageError

PLANS = Path(__file__).resolve().parent / "plans"


def _rules(task: dict) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "notes"} for r in task["rules"]]


def _loads(result) -> None:
    """The draft is a catalogue every command can use: schema-valid and consistent."""
    tasks_file = TasksFile.model_validate(result.plan)
    units_file = UnitsFile.model_validate({"units": result.units, "groups": result.groups})
    _, findings = build(tasks_file, units_file)
    assert findings == []


# ------------------------------------------------------------------------- deadline phrases

@pytest.mark.parametrize(("cell", "expected"), [
    ("2022年7月底前", [{"kind": "date", "due": dt.date(2022, 7, 31), "source": "2022年7月底前"}]),
    ("9月30日前", [{"kind": "date", "due": dt.date(2022, 9, 30), "source": "9月30日前"}]),
    ("年底前", [{"kind": "date", "due": dt.date(2022, 12, 31), "source": "年底前"}]),
    ("年内", [{"kind": "date", "due": dt.date(2022, 12, 31), "source": "年内"}]),
    ("11月底前", [{"kind": "date", "due": dt.date(2022, 11, 30), "source": "11月底前"}]),
    ("2023年1月31日前", [{"kind": "date", "due": dt.date(2023, 1, 31), "source": "2023年1月31日前"}]),
    ("每月", [{"kind": "recurring", "every": "month", "quota": 1, "source": "每月"}]),
    ("每2个月", [{"kind": "recurring", "every": "bimonth", "quota": 1, "source": "每2个月"}]),
    ("每季度", [{"kind": "recurring", "every": "quarter", "quota": 1, "source": "每季度"}]),
    ("每半年", [{"kind": "recurring", "every": "halfyear", "quota": 1, "source": "每半年"}]),
    ("每年", [{"kind": "recurring", "every": "year", "quota": 1, "source": "每年"}]),
    ("每月不少于3篇", [{"kind": "recurring", "every": "month", "quota": 3, "source": "每月不少于3篇"}]),
    ("批复之日起20个工作日内", [{"kind": "event", "trigger": "批复", "days": 20, "day_count": "working", "source": "批复之日起20个工作日内"}]),
    ("形成起20日内", [{"kind": "event", "trigger": "形成", "days": 20, "day_count": "working", "source": "形成起20日内"}]),
    ("事件发生后5日内", [{"kind": "event", "trigger": "事件发生", "days": 5, "day_count": "calendar", "source": "事件发生后5日内"}]),
    ("长期", [{"kind": "continuous", "source": "长期"}]),
    ("持续推进", [{"kind": "continuous", "source": "持续推进"}]),
    ("不定期", [{"kind": "irregular", "source": "不定期"}]),
    ("6月底前完成摸底;12月底前完成整改", [
        {"kind": "date", "due": dt.date(2022, 6, 30), "source": "6月底前完成摸底"},
        {"kind": "date", "due": dt.date(2022, 12, 31), "source": "12月底前完成整改"},
    ]),
    ("首批:8月底前。其余:年底前", [
        {"kind": "date", "label": "首批", "due": dt.date(2022, 8, 31), "source": "首批:8月底前"},
        {"kind": "date", "label": "其余", "due": dt.date(2022, 12, 31), "source": "其余:年底前"},
    ]),
])
def test_a_deadline_phrase_becomes_its_rules(cell: str, expected: list[dict]) -> None:
    reading = read_deadline(cell, 2022)
    assert [{k: v for k, v in r.items() if k != "notes"} for r in reading.rules] == expected
    assert reading.unread == []
    assert all(r["source"] in cell for r in reading.rules)


def test_twenty_days_from_forming_is_read_as_working_days_with_the_regulation_as_note() -> None:
    (rule,) = read_deadline("信息形成起20日内", 2021).rules
    assert rule["day_count"] == "working"
    assert "第二十六条" in rule["notes"]


def test_a_phrase_no_pattern_reads_is_left_unread() -> None:
    reading = read_deadline("按上级要求,另行通知;每月15日前报送", 2022)
    assert reading.unread == []  # 另行通知 has no deadline word; 每月 reads as monthly
    assert read_deadline("次月5日内报送", 2022).rules == [] and read_deadline("次月5日内报送", 2022).unread == ["次月5日内报送"]


@given(st.integers(1, 12), st.integers(1, 28), st.sampled_from(["前", "以前", "之前", ""]))
def test_any_month_and_day_reads_as_that_date_of_the_plan_year(month: int, day: int, ending: str) -> None:
    phrase = f"{month}月{day}日{ending}"
    (rule,) = read_deadline(phrase, 2023).rules
    assert (rule["kind"], rule["due"], rule["source"]) == ("date", dt.date(2023, month, day), phrase)


# ------------------------------------------------------------------------- unit names

def test_names_split_on_list_marks_but_not_inside_brackets() -> None:
    assert split_names("市政府办公室、市直有关部门,各乡镇(街道、社区)") == ["市政府办公室", "市直有关部门", "各乡镇(街道、社区)"]


@pytest.mark.parametrize(("name", "kind"), [
    ("县政府办公室", "office"), ("市财政局", "department"), ("区委网信办", "department"),
    ("市政务服务中心", "department"), ("州生态环境局兴义分局", "branch"), ("市电力公司", "enterprise"),
    ("桔山街道", "subdistrict"), ("顶效镇", "town"), ("七舍乡", "township"), ("市融媒体", None),
])
def test_a_unit_kind_is_guessed_from_its_name(name: str, kind: str | None) -> None:
    assert unit_kind(name) == kind


@pytest.mark.parametrize(("name", "kinds"), [
    ("各乡镇(街道)", ["subdistrict", "town", "township"]), ("各镇(街道)", ["subdistrict", "town"]),
    ("各街道", ["subdistrict"]), ("县直有关部门", ["department", "branch"]), ("区直有关部门", ["department", "branch"]),
    ("各有关单位", []),
])
def test_a_group_phrase_names_the_kinds_of_its_members(name: str, kinds: list[str]) -> None:
    assert group_kinds(name) == kinds


# ------------------------------------------------------------------------- shape 1: body tasks

def test_a_body_only_plan_drafts_its_tasks_units_and_rules() -> None:
    result = draft(read_plan(PLANS / "qingshan-county-2022-body.txt"))
    assert result.year == 2022
    assert result.plan["plan"] == {
        "title": "青山县2022年政务公开工作要点", "attachment": "", "issuer": "青山县人民政府办公室",
        "issued": dt.date(2022, 5, 10), "year": 2022,
        "effective_from": dt.date(2022, 5, 10), "effective_to": dt.date(2022, 12, 31),
        "addressees": "各乡镇人民政府、街道办事处,县政府各部门",  # the 主送 line, for the 通报
    }
    assert [(p["id"], [s["id"] for s in p["sections"]]) for p in result.plan["parts"]] == [("一", ["(一)"]), ("二", ["(二)"])]
    tasks = result.plan["tasks"]
    assert [(t["id"], t["lead"], t["responsible"]) for t in tasks] == [
        (1, ["县政府办公室"], ["县直有关部门"]),
        (2, ["县司法局", "县政务服务中心"], ["县直有关部门", "各镇(街道)"]),
        (3, ["县政务服务中心"], ["县直有关部门", "各镇(街道)"]),
        (4, ["各镇(街道)"], []),
    ]
    assert tasks[1]["text"] == "重大政策文件要同步发布解读材料,做到应解读尽解读。"  # a broken line joined
    assert _rules(tasks[0]) == [{"kind": "date", "due": dt.date(2022, 7, 31),
                                 "source": "县直有关部门要及时发布本部门政策文件,2022年7月底前完成现行有效文件的清理公开"}]
    assert tasks[1]["rules"] == [] and "review" not in tasks[1]  # no deadline in the plan: none drafted (owed by the plan's end)
    assert _rules(tasks[2]) == [{"kind": "event", "trigger": "收到申请", "days": 20, "day_count": "working",
                                 "source": "依申请公开答复要在收到申请之日起20个工作日内办结"}]
    assert _rules(tasks[3]) == [{"kind": "recurring", "every": "quarter", "quota": 1, "source": "每季度"},
                                {"kind": "date", "due": dt.date(2022, 11, 30), "source": "11月底前"}]
    assert [(u["name"], u["kind"]) for u in result.units] == [
        ("县政府办公室", "office"), ("县司法局", "department"), ("县政务服务中心", "department")]
    assert [(g["name"], g.get("kinds"), "review" in g) for g in result.groups] == [
        ("县直有关部门", ["department", "branch"], False), ("各镇(街道)", ["subdistrict", "town"], True)]
    assert result.reviews == 1  # 各镇(街道) has no member yet
    assert [t["title"] for t in tasks] == ["县直有关部门要及时发布本部门政策文件", "重大政策文件要同步发布解读材料",
                                           "依申请公开答复要在收到申请之日起20个工作日内办结", "各镇(街道)每季度至少公开一次惠民资金发放信息"]
    _loads(result)


# ------------------------------------------------------------------------- shape 2: body + attachment

def test_a_plan_with_a_tab_separated_attachment_takes_duties_and_deadlines_from_it() -> None:
    result = draft(read_plan(PLANS / "yunling-city-2023-attachment.txt"))
    meta = result.plan["plan"]
    assert (meta["attachment"], meta["issued"], meta["effective_to"]) == ("云岭市2023年政务公开工作任务分解表", dt.date(2023, 3, 1), dt.date(2023, 12, 31))
    one, two, three = result.plan["tasks"]
    assert (one["lead"], one["responsible"]) == (["市财政局"], ["市直有关部门", "各乡镇(街道)"])
    assert one["duties"] == [{"units": ["市财政局"], "duty": "本级预决算公开。"},
                             {"units": ["市直部门", "各乡镇(街道)"], "duty": "部门预决算公开。"}]
    assert one["indicator"] is None  # the attachment repeats the body's words
    assert _rules(one) == [{"kind": "event", "trigger": "批复", "days": 20, "day_count": "working", "source": "批复之日起20个工作日内"}]
    assert two["deadline"] == "每半年;2023年12月31日前完成年度汇总"
    assert _rules(two) == [{"kind": "recurring", "every": "halfyear", "quota": 1, "source": "每半年"},
                           {"kind": "date", "due": dt.date(2023, 12, 31), "source": "2023年12月31日前完成年度汇总"}]
    assert (three["section"], three["remark"], three["duties"]) == ("(二)", "按要求发布", [{"units": ["市应急管理局", "各乡镇(街道)"], "duty": None}])
    assert _rules(three) == [{"kind": "event", "trigger": "事件发生", "days": 5, "day_count": "calendar", "source": "事件发生后5日内"}]
    assert [g["name"] for g in result.groups] == ["市直有关部门", "各乡镇(街道)"]
    assert result.groups[0]["aliases"] == ["市直部门"]
    _loads(result)


# ------------------------------------------------------------------------- shape 3: a table only

def _check_table_only(result) -> None:
    meta = result.plan["plan"]
    assert (meta["year"], meta["effective_from"], meta["effective_to"]) == (2024, dt.date(2024, 1, 1), dt.date(2025, 1, 31))
    assert "印发单位、印发日期" in meta["review"]
    assert [(p["id"], p["title"], [s["id"] for s in p["sections"]]) for p in result.plan["parts"]] == [
        ("一", "政策公开", ["(一)"]), ("二", "平台建设", ["(二)"])]
    tasks = result.plan["tasks"]
    assert [(t["id"], t["title"], t["text"], t["lead"], t["responsible"]) for t in tasks] == [
        (1, "政策解读", "重要政策文件出台后同步解读", ["区司法局"], ["区直有关部门"]),
        (2, "政务新媒体", "每月不少于1篇原创信息", ["区委网信办"], ["各街道"]),
        (3, "网站建设", "年底前完成网站改版", ["区政府办公室"], ["区大数据中心"]),
        (4, "信息公开年报", "按时发布年度报告", ["区政府办公室"], ["区直有关部门", "各街道"]),
        (5, "村务公开专区", "建设村务公开专区", ["区民政局"], ["各街道"]),
    ]
    assert [[(r["kind"], r.get("due") or r.get("every") or r.get("days")) for r in t["rules"]] for t in tasks] == [
        [("event", 0)], [("recurring", "month")], [("date", dt.date(2024, 12, 31))],
        [("date", dt.date(2025, 1, 31))], [],
    ]
    assert [("review" in t) or any("review" in r for r in t["rules"]) for t in tasks] == [False, False, False, False, True]
    assert "另行通知" in tasks[4]["review"]  # no deadline yet: no rule, and said so
    assert [(u["name"], u["kind"]) for u in result.units] == [
        ("区司法局", "department"), ("区委网信办", "department"), ("区政府办公室", "office"),
        ("区大数据中心", "department"), ("区民政局", "department")]
    assert result.reviews == 3  # the plan's issuer and date, 另行通知, and 各街道's members
    _loads(result)


def test_a_table_only_plan_in_text_is_drafted_from_its_columns() -> None:
    _check_table_only(draft(read_plan(PLANS / "qinghe-district-2024-table.txt")))


def qinghe_docx(path: Path) -> Path:
    """The table-only plan as a Word document, heading rows merged across the table."""
    import docx

    text = (PLANS / "qinghe-district-2024-table.txt").read_text(encoding="utf-8").splitlines()
    document = docx.Document()
    document.add_paragraph(text[0])
    rows = [[c.strip() for c in line.split("|")] for line in text[1:]]
    table = document.add_table(rows=len(rows), cols=6)
    for r, cells in enumerate(rows):
        if all(not c for c in cells[1:]):
            merged = table.rows[r].cells[0].merge(table.rows[r].cells[5])
            merged.text = cells[0]
            continue
        for c, value in enumerate(cells):
            table.rows[r].cells[c].text = value
    document.save(str(path))
    return path


def test_a_table_only_plan_in_a_docx_drafts_as_its_text_does(tmp_path: Path) -> None:
    source = read_plan(qinghe_docx(tmp_path / "清河区.docx"))
    assert source.tables[0][1] == ["一、政策公开"]  # a merged row is one cell, not six
    _check_table_only(draft(source))


# ------------------------------------------------------------------------- refusals

def test_a_document_without_tasks_is_refused() -> None:
    with pytest.raises(UsageError, match="没有找到任务：找过编号的任务.*任务表格.*请整表粘贴") as refused:
        draft(from_text("会议通知\n定于下周一召开全体会议。\n", "会议通知.txt"))
    assert "会议通知.txt" in str(refused.value)


def test_a_plan_without_a_year_asks_for_one() -> None:
    source = from_text("政务公开工作要点\n1.做好公开。(牵头单位:市政府办公室)\n", "要点.txt")
    with pytest.raises(UsageError, match="--year"):
        draft(source)
    assert draft(source, year=2025).plan["plan"]["effective_from"] == dt.date(2025, 1, 1)


def test_a_broken_docx_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "plan.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(UsageError, match="不是有效的 .docx"):
        read_plan(bad)


# ------------------------------------------------------------------------- other ways plans are written

def test_a_plan_in_other_common_styles_is_read_and_its_guesses_marked() -> None:
    result = draft(read_plan(PLANS / "songxi-county-2025-styles.txt"))
    tasks = result.plan["tasks"]
    assert [(t["id"], t["part"], t["lead"], t["responsible"]) for t in tasks] == [
        (1, "一", ["县司法局"], ["县直各部门"]),
        (2, "一", [], ["县直各部门", "各乡镇人民政府"]),  # the plan names only 责任单位: no lead
        (3, "二", ["县政府办公室"], ["各乡镇人民政府"]),
        (4, "二", ["县政府办公室"], []),
        (5, "二", ["县政府办公室"], []),
    ]
    reviews = [t.get("review", "") for t in tasks]
    assert reviews[1] == ""
    assert [("原文第 1 项" in r, "原文第 2 项" in r, "原文第 3 项" in r) for r in reviews[2:]] == [
        (True, False, False), (False, True, False), (False, False, True)]
    kinds = [[(r["kind"], r.get("due") or r.get("every"), "review" in r) for r in t["rules"]] for t in tasks]
    assert kinds == [
        [("date", dt.date(2025, 6, 30), False)],
        [],  # no deadline written: none invented
        [("recurring", "quarter", True)],
        [("recurring", "year", True)],
        [],  # "全年做好…" is no rule: owed by the end of the plan, as the text means
    ]
    assert [r["source"] for r in tasks[2]["rules"]] == ["按季度公开重点领域信息,每季度结束后10日内上传"]
    assert "期末后的天数" in tasks[2]["rules"][0]["review"]
    assert tasks[3]["rules"][0]["source"] == "发布政府信息公开工作年度报告,每年1月31日前完成"
    assert "1月31日前" in tasks[3]["rules"][0]["review"]
    _loads(result)


def test_word_list_numbers_which_are_not_in_the_text_are_read_as_task_numbers(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("桃源市2025年政务公开工作要点")
    document.add_paragraph("做好财政信息公开,每季度一次。(牵头单位:市财政局)", style="List Number")
    document.add_paragraph("这是列表外的说明。")
    document.add_paragraph("做好政策解读,9月底前完成。(牵头单位:市司法局,责任单位:市直有关部门)", style="List Number")
    path = tmp_path / "桃源市.docx"
    document.save(str(path))
    source = read_plan(path)
    assert source.lines[1] == "1.做好财政信息公开,每季度一次。(牵头单位:市财政局)"
    assert source.lines[3].startswith("2.做好政策解读")
    tasks = draft(source).plan["tasks"]
    assert [(t["id"], t["lead"], t["responsible"], [r["kind"] for r in t["rules"]]) for t in tasks] == [
        (1, ["市财政局"], [], ["recurring"]), (2, ["市司法局"], ["市直有关部门"], ["date"])]


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (34, "三十四")])
def test_chinese_numbers_as_word_draws_them(n: int, text: str) -> None:
    from gwgk.drafting.source import chinese_number

    assert chinese_number(n) == text


def test_a_table_with_lead_and_helpers_in_one_column() -> None:
    text = ("长河县2026年政务公开重点任务清单\n"
            "序号 | 重点任务 | 具体措施 | 责任单位 | 完成时限\n"
            "1 | 规划公开 | 公开十五五规划 | 县发展改革局牵头,县直各部门配合 | 2026年6月底前\n"
            "2 | 预算公开 | 公开部门预算 | 县财政局、县直各部门等 | 批复后20日内\n"
            "长河县人民政府办公室\n")
    one, two = draft(from_text(text, "长河县.txt")).plan["tasks"]
    assert (one["title"], one["text"], one["lead"], one["responsible"]) == ("规划公开", "公开十五五规划", ["县发展改革局"], ["县直各部门"])
    assert (two["lead"], two["responsible"]) == ([], ["县财政局", "县直各部门"])  # a 责任单位 column: responsible
    assert "review" not in two
    # 批复后20日内 (as the budget law has it) counts calendar days: only 工作日 or the forming of information means working days
    assert _rules(two) == [{"kind": "event", "trigger": "批复", "days": 20, "day_count": "calendar", "source": "批复后20日内"}]


PHRASES = ["2022年7月底前", "9月30日前", "年底前", "11月底前", "每月", "每2个月", "每季度", "每半年", "每年",
           "每月不少于1篇", "批复之日起20个工作日内", "形成起20日内", "事件发生后5日内", "长期", "不定期"]


@given(st.lists(st.sampled_from(PHRASES), min_size=1, max_size=4, unique=True), st.sampled_from(["。", ";", "\n", " "]))
def test_each_phrase_of_a_cell_becomes_one_rule_quoting_it(phrases: list[str], mark: str) -> None:
    cell = mark.join(phrases)
    reading = read_deadline(cell, 2022)
    assert [r["source"] for r in reading.rules] == phrases
    assert reading.unread == []


@pytest.mark.parametrize(("header", "expected"), [
    (["序号", "公开指标内容", "任务分工", "完成时限", "备注"], {"id": 0, "content": 1, "duties": 2, "deadline": 3, "remark": 4}),
    (["序号", "工作任务", "工作要求", "牵头单位", "责任单位", "完成时限"],
     {"id": 0, "content": 1, "requirement": 2, "lead": 3, "responsible": 4, "deadline": 5}),
    (["序号", "工作事项", "主办单位", "协办单位", "时间节点"], {"id": 0, "content": 1, "lead": 2, "responsible": 3, "deadline": 4}),
    (["兴义市2021年政务公开工作任务分解表", "", "", "", ""], {}),
])
def test_a_header_row_names_its_columns(header: list[str], expected: dict[str, int]) -> None:
    from gwgk.drafting.tasks import column_map

    assert column_map(header) == expected
