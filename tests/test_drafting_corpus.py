"""Every corpus plan (tests/plans/*/), in every form, drafts to its hand answers.

Each task's lead, responsible units and rules are those written by hand in ``answer.yaml``; a
drafted task may differ only where it carries a ``review`` mark saying why (none does today:
``benchmarks/drafting.py`` prints the figures). Names are compared as gwgk compares them, so
“各镇(街道)” and “各镇(街道)” are one name; the plan's own words are kept as written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gwgk.catalogue.model import build
from gwgk.catalogue.plan import TasksFile
from gwgk.catalogue.units import UnitsFile, normalize
from gwgk.drafting.draft import draft
from gwgk.drafting.source import from_text, read_plan
from tests.plans import forms

CASES = [(folder, form) for folder in forms.plans()
         for form in ("published", "pasted", "docx") if form != "docx" or (folder / "published.html").is_file()]


def _read(folder: Path, form: str, tmp_path: Path):
    if form == "docx":
        return read_plan(forms.docx_of(folder, tmp_path / f"{folder.name}.docx"))
    if form == "pasted":
        return from_text((folder / "pasted.txt").read_text(encoding="utf-8"), "pasted.txt")
    published = folder / "published.html"
    return read_plan(published if published.is_file() else folder / "published.txt")


def test_the_corpus_holds_at_least_fifteen_plans_of_every_shape_with_their_source() -> None:
    plans = forms.plans()
    assert len(plans) >= 15
    for folder in plans:
        answer = forms.answer(folder)
        assert answer["source"] and answer["shape"] and answer["tasks"]
        assert (folder / "pasted.txt").read_text(encoding="utf-8") == forms.pasted_text(folder)  # regenerated
        published = (folder / "published.html") if (folder / "published.html").is_file() else folder / "published.txt"
        from gwgk.drafting.source import decode, decode_html

        reader = decode if published.suffix == ".txt" else decode_html
        text = reader(published.read_bytes(), published.name)
        assert any(mark in text for mark in "，：；（）"), folder.name  # as published: full-width
        assert not any(mark in (folder / "pasted.txt").read_text(encoding="utf-8") for mark in "，：；（）")
    shapes = " ".join(forms.answer(f)["shape"] for f in plans)
    for shape in ("body", "attachment", "table only", ".html", "one cell per line", "GB18030", "UTF-16", "merged"):
        assert shape in shapes, shape
    assert {forms.answer(f).get("paste") for f in plans} >= {"pipes", "tabs", "lines", "bars"}


@pytest.mark.parametrize(("folder", "form"), CASES, ids=[f"{f.name}-{form}" for f, form in CASES])
def test_a_corpus_plan_drafts_to_its_hand_answers(folder: Path, form: str, tmp_path: Path) -> None:
    answer = forms.answer(folder)
    result = draft(_read(folder, form, tmp_path))
    got = {t["id"]: t for t in result.plan["tasks"]}
    assert sorted(got) == [t["id"] for t in answer["tasks"]]
    for expected in answer["tasks"]:
        task = got[expected["id"]]
        assert sorted(map(normalize, task["lead"])) == sorted(map(normalize, expected["lead"])), task["id"]
        assert sorted(map(normalize, task["responsible"])) == sorted(map(normalize, expected["responsible"])), task["id"]
        assert sorted(map(forms.rule_key, task["rules"])) == sorted(expected["rules"]), task["id"]
    # the draft is a catalogue every command can use
    _, findings = build(TasksFile.model_validate(result.plan), UnitsFile.model_validate({"units": result.units, "groups": result.groups}))
    assert findings == []
    for unit in (*result.units, *result.groups):
        assert not any(word in unit["name"] for word in ("待定", "以下", "统称", "落实", "不再逐一")), unit["name"]
