"""The bundled catalogue against the plan's text, task by task.

Expected values were read off ``data/source/xingyi-2021-work-plan.txt`` by hand: the main text's
(牵头单位:…,责任单位:…) for lead/responsible, the attachment's 完成时限 for the rules.
"""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from gwgk.catalogue.load import load_catalogue
from gwgk.catalogue.rules import DateRule, EventRule, RecurringRule
from gwgk.files.workspace import bundled_file

from .conftest import PLAN_TEXT, REPO

FLAT = PLAN_TEXT.replace("\n", "")


@pytest.fixture(scope="module")
def cat():
    return load_catalogue(REPO / "data/tasks.yaml", REPO / "data/units.yaml", "tasks.yaml", "units.yaml")


D, T = "市直有关部门", "各乡镇<街道>"
AS_WRITTEN = {
    1: (["市政府办公室", D], [T]), 2: (["市政府办公室", D], [T]),
    3: (["市政务服务中心", "市投资促进局"], [D, T]), 4: (["市发展改革局", "市市场监管局"], [D, T]),
    5: (["市司法局"], [D, T]), 6: (["市财政局"], [D, T]), 7: (["市财政局"], ["市政府办公室", D, T]),
    8: ([T], [D]), 9: (["市卫生健康局"], [D, T]), 10: (["市卫生健康局"], [D, T]),
    11: (["市卫生健康局"], [D, "各乡镇<街道>政府"]), 12: ([D, T], []), 13: ([D, T], []), 14: ([D], []),
    15: (["市投资促进局", "市政务服务中心"], [T]), 16: (["市直各部门", T], []), 17: ([D, T], []),
    18: ([D, "市司法局", T], []), 19: (["市政府办公室", D, T], []), 20: (["市政府办公室", D, T], []),
    21: (["市政府办公室"], []), 22: (["市政府办公室", D, T], []), 23: ([D, T], []), 24: (["市政府办公室"], []),
    25: ([D, T], []),
    26: (["市教育局", "市工业和科技局", "州生态环境局兴义分局", "市住房城乡建设局", "市交通运输局", "市水务局", "市卫生健康局", "市电力公司"], []),
    27: ([D, T], []), 28: ([D, T], []), 29: (["市司法局"], []), 30: (["市政务公开领导小组办公室", "各级各部门", T], []),
    31: ([D, T], []), 32: ([D, T], []), 33: ([D, T], []),
}

# month:4/4 = monthly, 4 items in 4 categories; event:20w = 20 working days; event:- = no number.
RULES = {
    1: ["event:20w", "date:2021-09-30"], 2: ["date:2021-09-30"], 3: ["continuous"], 4: ["continuous"],
    5: ["event:20w"], 6: ["event:20w"], 7: ["quarter:1"], 8: ["quarter:1"], 9: ["irregular"], 10: ["irregular"],
    11: ["irregular"], 12: ["bimonth:1", "month:4/4"], 13: ["event:0"], 14: ["event:0"], 15: ["event:0"],
    16: ["event:-"], 17: ["event:-"], 18: ["date:2021-06-30", "event:20w"], 19: ["event:20w"], 20: ["continuous"],
    21: ["continuous"], 22: ["event:20w"], 23: ["date:2021-06-30"], 24: ["event:20w"], 25: ["date:2021-06-30"],
    26: ["date:2021-09-30"], 27: ["date:2021-06-30"], 28: ["continuous"], 29: ["event:20w"],
    30: ["date:2021-06-30", "irregular"], 31: ["quarter:1"], 32: ["continuous", "date:2021-12-31"],
    33: ["date:2021-06-30", "continuous"],
}


def code(rule) -> str:
    if isinstance(rule, DateRule):
        return f"date:{rule.due.isoformat()}"
    if isinstance(rule, RecurringRule):
        return f"{rule.every}:{rule.quota}" + (f"/{rule.categories}" if rule.categories else "")
    if isinstance(rule, EventRule):
        if rule.days is None:
            return "event:-"
        return f"event:{rule.days}" + ({"working": "w", "calendar": "c"}[rule.day_count] if rule.days else "")
    return rule.kind


def test_plan_metadata(cat):
    plan = cat.plan
    assert (plan.title, plan.issuer, plan.year) == ("兴义市2021年政务公开工作要点", "兴义市人民政府办公室", 2021)
    assert (plan.issued, plan.effective_from, plan.effective_to) == (dt.date(2021, 6, 24), dt.date(2021, 6, 24), dt.date(2021, 12, 31))
    assert "2021年6月24日" in PLAN_TEXT and plan.title in PLAN_TEXT and plan.attachment in PLAN_TEXT


def test_33_tasks_in_4_parts_and_14_sections(cat):
    assert sorted(cat.tasks) == list(range(1, 34))
    assert list(cat.parts) == ["一", "二", "三", "四"]
    assert len(cat.sections) == 14
    for part, title in cat.parts.items():
        assert f"{part}、{title}" in PLAN_TEXT
    for section, title in cat.sections.items():
        assert f"{section}{title}" in PLAN_TEXT
    sections = {"(一)": [1, 2], "(二)": [3, 4, 5], "(三)": [6, 7, 8], "(四)": [9, 10, 11], "(五)": [12],
                "(六)": [13, 14, 15], "(七)": [16, 17], "(八)": [18, 19, 20], "(九)": [21, 22, 23, 24],
                "(十)": [25, 26, 27], "(十一)": [28, 29, 30], "(十二)": [31], "(十三)": [32], "(十四)": [33]}
    assert {s: [t.id for t in cat.tasks.values() if t.section == s] for s in sections} == sections
    parts = {"一": range(1, 12), "二": range(12, 18), "三": range(18, 31), "四": range(31, 34)}
    assert all(cat.tasks[i].part == p for p, ids in parts.items() for i in ids)


@pytest.mark.parametrize("task_id", range(1, 34))
def test_texts_are_verbatim(cat, task_id):
    task = cat.tasks[task_id]
    assert f"{task_id}.{task.text}(牵头单位:" in FLAT
    if task.indicator is not None:
        assert task.indicator != task.text
        assert f"{task_id} | {task.indicator} | " in PLAN_TEXT
    else:
        assert f"{task_id} | {task.text} | " in PLAN_TEXT
    assert f" | {task.deadline} |" in PLAN_TEXT
    for duty in task.duties:
        if duty.duty is not None:
            assert f"{'、'.join(duty.units)}:{duty.duty}" in PLAN_TEXT
        else:
            assert f"{'、'.join(duty.units)}。" in PLAN_TEXT
    for rule in task.rules:
        assert rule.source in FLAT, rule.source


@pytest.mark.parametrize("task_id", range(1, 34))
def test_lead_and_responsible_as_written(cat, task_id):
    task = cat.tasks[task_id]
    assert (task.lead, task.responsible) == AS_WRITTEN[task_id]
    written = "、".join(task.lead)
    assert written in FLAT or ",".join(task.lead) in FLAT


@pytest.mark.parametrize("task_id", range(1, 34))
def test_rules(cat, task_id):
    assert [code(r) for r in cat.tasks[task_id].rules] == RULES[task_id]


def test_twenty_days_are_working_days_and_say_why(cat):
    for task in cat.tasks.values():
        for rule in task.rules:
            if isinstance(rule, EventRule) and rule.days == 20:
                assert rule.day_count == "working"
                assert "第二十六条" in rule.notes and "工作日" in rule.notes


DEPTS = ["市政务服务中心", "市投资促进局", "市发展改革局", "市市场监管局", "市司法局", "市财政局", "市卫生健康局",
         "市教育局", "市工业和科技局", "州生态环境局兴义分局", "市住房城乡建设局", "市交通运输局", "市水务局"]


def townships():
    with (REPO / "data/source/xingyi-townships-2021.csv").open(encoding="utf-8") as f:
        return [row["name"] for row in csv.DictReader(f)]


def roles(cat, task_id):
    units = cat.task_units(task_id)
    return ({u for u, a in units.items() if a.role == "lead"}, {u for u, a in units.items() if a.role == "responsible"})


def test_resolved_units_of_representative_tasks(cat):
    towns = set(townships())
    assert roles(cat, 1) == ({"市政府办公室", *DEPTS}, towns)
    assert roles(cat, 3) == ({"市政务服务中心", "市投资促进局"}, {*DEPTS, *towns, "市政府办公室"} - {"市政务服务中心", "市投资促进局"})
    assert roles(cat, 7) == ({"市财政局"}, {"市政府办公室", *DEPTS, *towns} - {"市财政局"})
    assert roles(cat, 8) == (towns, set(DEPTS))
    assert roles(cat, 18) == ({*DEPTS, *towns}, set())
    assert roles(cat, 21) == ({"市政府办公室"}, set())
    assert roles(cat, 26) == (set(AS_WRITTEN[26][0]), set())
    assert roles(cat, 29) == ({"市司法局"}, set())
    assert roles(cat, 30) == ({"市政务公开领导小组办公室", *DEPTS, *towns}, set())


def test_task_3_office_is_named_only_in_the_duties(cat):
    office = cat.task_units(3)["市政府办公室"]
    assert office.role == "responsible" and office.duties == ("市长热线处理。",)


def test_a_unit_gets_its_own_duty_and_its_groups(cat):
    assert cat.task_units(6)["市财政局"].duties == ("各单位的预算决算公开。", "所属本单位的国有资产预算支出公开。")
    assert cat.task_units(1)["黄草街道"].duties == ("本地区域规划",)


def test_task_12_rules_by_unit_kind(cat):
    dept = cat.task_units(12)["市财政局"].rules
    town = cat.task_units(12)["敬南镇"].rules
    assert [code(r) for r in dept] == ["bimonth:1"]
    assert [code(r) for r in town] == ["month:4/4"]


def test_task_30_check_only_for_the_leading_group_office(cat):
    assert [code(r) for r in cat.task_units(30)["市政务公开领导小组办公室"].rules] == ["date:2021-06-30"]
    assert [code(r) for r in cat.task_units(30)["市财政局"].rules] == ["irregular"]


def test_32_townships_with_codes(cat):
    rows = list(csv.DictReader((REPO / "data/source/xingyi-townships-2021.csv").open(encoding="utf-8")))
    kinds = {"街道": "subdistrict", "镇": "town", "乡": "township"}
    assert len(rows) == 32
    for row in rows:
        unit = cat.units[row["name"]]
        assert (unit.code, unit.kind) == (row["code"], kinds[row["kind"]])
    counted = [u.kind for u in cat.units.values()]
    assert (counted.count("subdistrict"), counted.count("town"), counted.count("township")) == (12, 17, 3)


@pytest.mark.parametrize("spelling", ["市直有关部门", "市直部门", "市直各部门", "市级各部门", "市级各有关部门", "各级各部门"])
def test_department_spellings(cat, spelling):
    match = cat.directory.lookup(spelling)
    assert match.is_group and sorted(match.units) == sorted(DEPTS)


@pytest.mark.parametrize("spelling", ["各乡镇<街道>", "各乡镇(街道)", "乡镇(街道)", "各乡镇<街道>政府", "各乡镇(街道)", "乡镇(街道)"])
def test_township_spellings(cat, spelling):
    match = cat.directory.lookup(spelling)
    assert match.is_group and sorted(match.units) == sorted(townships())


def test_every_named_unit_is_in_the_plan_text(cat):
    for unit in cat.units.values():
        if unit.kind in ("subdistrict", "town", "township"):
            continue
        assert unit.name in FLAT or unit.name.removeprefix("市") in FLAT, unit.name


def test_the_wheel_ships_the_same_catalogue():
    assert bundled_file("tasks.yaml") == (REPO / "data/tasks.yaml").read_bytes()
    assert bundled_file("source/xingyi-2021-work-plan.txt") == PLAN_TEXT.encode("utf-8")
