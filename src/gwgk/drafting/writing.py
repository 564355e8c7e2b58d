"""A draft as YAML text: the plan file, a new ``units.yaml``, or an existing one with the draft's
new units, groups and spellings added (every other byte kept where the layout allows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from gwgk.drafting.draft import Draft
from gwgk.files import yamlio, yamlsplice

PLAN_HEADER = (
    "gwgk 任务目录草稿：由 gwgk plan draft 从计划原文起草。\n"
    "标有 review 的地方是起草时没有把握的，请对照原文核对，改好后删去那一行 review；\n"
    "gwgk validate 会逐条列出尚未核对的地方。title 是按正文拟的简称，可以改短。"
)
UNITS_HEADER = (
    "gwgk 单位目录：由 gwgk init --plan 从计划原文起草，只含计划点名的单位和单位组。\n"
    "kind：office 办公室 / department 部门 / branch 派驻机构 / enterprise 企业 / subdistrict 街道 / town 镇 / township 乡。\n"
    "标有 review 的地方请核对；“各乡镇（街道）”这类单位组的成员要把各乡镇街道加进 units 才有。"
)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return yamlio.new_map([(k, _plain(v)) for k, v in value.items()])
    if isinstance(value, list):
        seq = yamlio.new_seq([_plain(v) for v in value])
        if all(isinstance(v, str) for v in value):
            seq.fa.set_flow_style()  # names on one line: [市财政局, 市直有关部门], as in tasks.yaml
        return seq
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)  # a fresh object: no YAML anchors
    return value


LARGE_DRAFT_TASKS = 200  # past this, the round trip's emitter takes seconds: libyaml's writes the draft


def plan_yaml(draft: Draft) -> str:
    """The text of ``data/plans/<year>.yaml`` (or ``data/tasks.yaml``) for the draft."""
    if len(draft.plan["tasks"]) > LARGE_DRAFT_TASKS:
        return yamlio.dump_new(draft.plan, PLAN_HEADER)
    doc = _plain(draft.plan)
    yamlio.start_comment(doc, PLAN_HEADER)
    return yamlio.dump_roundtrip(doc)


def new_units_yaml(draft: Draft) -> str:
    """The text of a new workspace's ``data/units.yaml``: the units and groups the plan names."""
    doc = _plain({"units": draft.units, "groups": draft.groups})
    yamlio.start_comment(doc, UNITS_HEADER)
    return yamlio.dump_roundtrip(doc)


def units_with_draft(text: str, draft: Draft, name: str) -> str:
    """An existing ``units.yaml`` with the draft's new units, groups and group spellings added; each
    new unit exists from the new plan's start (``since``), so that it owes nothing of earlier plans."""
    start = draft.plan["plan"]["effective_from"]
    draft = replace(draft, units=[{**unit, "since": unit.get("since", start)} for unit in draft.units])
    if draft.aliases:
        doc = yamlio.load_roundtrip(text, name)
        for group in doc.get("groups") or []:
            extra = draft.aliases.get(group.get("name"), [])
            if extra:
                if group.get("aliases") is None:
                    group["aliases"] = yamlio.new_seq()
                group["aliases"].extend(s for s in extra if s not in group["aliases"])
        for key, items in (("units", draft.units), ("groups", draft.groups)):
            if items:
                if doc.get(key) is None:
                    doc[key] = yamlio.new_seq()
                doc[key].extend(_plain(item) for item in items)
        return yamlio.dump_roundtrip(doc)
    for key, items in (("units", draft.units), ("groups", draft.groups)):
        for item in items:
            try:
                text = yamlsplice.append_item(text, (), key, item)
            except yamlsplice.CannotSplice:
                text = yamlsplice.append_item_roundtrip(text, (), key, item, name)
    return text
