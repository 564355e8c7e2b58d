"""The bundled 2021 plan drafted from its text, compared with the hand-made ``data/tasks.yaml``."""

from __future__ import annotations

from pathlib import Path

import yaml

from gwgk.catalogue.load import load_catalogue
from gwgk.catalogue.model import build
from gwgk.catalogue.plan import TasksFile
from gwgk.catalogue.units import UnitsFile
from gwgk.drafting.draft import draft
from gwgk.drafting.source import read_plan

REPO = Path(__file__).resolve().parent.parent
PLAN = REPO / "data" / "source" / "xingyi-2021-work-plan.txt"


def _hand_made() -> TasksFile:
    return TasksFile.model_validate(yaml.safe_load((REPO / "data" / "tasks.yaml").read_text(encoding="utf-8")))


def _rule_key(rule) -> tuple[str, str]:
    return (rule.kind, rule.due.isoformat() if getattr(rule, "due", None) else "")


def test_the_bundled_plan_drafts_close_to_the_hand_made_catalogue() -> None:
    drafted = TasksFile.model_validate(draft(read_plan(PLAN)).plan)
    hand = _hand_made()
    assert [t.id for t in drafted.tasks] == [t.id for t in hand.tasks] == list(range(1, 34))
    assert drafted.plan.model_dump(exclude={"review"}) == hand.plan.model_dump(exclude={"review"})
    units_equal = rules_equal = 0
    for mine, theirs in zip(drafted.tasks, hand.tasks):
        if (mine.lead, mine.responsible) == (theirs.lead, theirs.responsible):
            units_equal += 1
        else:
            print(f"第 {mine.id} 项 单位不同:起草 {mine.lead}/{mine.responsible},手工 {theirs.lead}/{theirs.responsible}")
        ours, hands = sorted(map(_rule_key, mine.rules)), sorted(map(_rule_key, theirs.rules))
        if ours == hands:
            rules_equal += 1
        else:
            print(f"第 {mine.id} 项 规则不同:起草 {ours},手工 {hands}")
    print(f"牵头/责任单位一致 {units_equal}/33,规则类型与到期日一致 {rules_equal}/33")
    assert units_equal >= 30
    assert rules_equal >= 28


def test_the_bundled_plan_drafted_against_the_bundled_units_needs_no_new_unit() -> None:
    units = UnitsFile.model_validate(yaml.safe_load((REPO / "data" / "units.yaml").read_text(encoding="utf-8")))
    catalogue = load_catalogue(REPO / "data" / "tasks.yaml", REPO / "data" / "units.yaml", "tasks.yaml", "units.yaml")
    result = draft(read_plan(PLAN), catalogue.directory)
    assert result.units == [] and result.groups == [] and result.aliases == {}
    _, findings = build(TasksFile.model_validate(result.plan), units)
    assert findings == []
