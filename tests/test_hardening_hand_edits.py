"""Attacks on hand edits of the generated fields (issue 30, cause 11): a changed ``duty``, ``role``
or ``deadline``, ``dropped: true`` added by hand, a deleted task block. ``validate`` reports each,
an entry written for another task leaves them as they are, and only the explicit sync
(``gwgk ledger --unit U``) changes them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import run_cli

AS_OF = ["--as-of", "2021-10-08"]
RECORD = ["record", "-u", "市财政局", "-t", "3", "-s", "推进中", "-d", "2021-08-01", "-n", "在线更新", *AS_OF]


@pytest.fixture
def ledger(ws: Path) -> Path:
    assert run_cli("ledger", "-u", "市财政局", *AS_OF, workspace=ws).code == 0
    return ws / "ledgers/市财政局.yaml"


def block(text: str, task: int) -> str:
    return re.search(rf"  - task: {task}\n(?:    .*\n)*", text).group(0)


EDITS = {
    "duty": lambda b: re.sub(r"    duty: .*\n", "    duty: 手工改写的分工。\n", b, count=1),
    "role": lambda b: b.replace("    role: 牵头\n", "    role: 责任\n", 1) if "role: 牵头" in b else b.replace("    role: 责任\n", "    role: 牵头\n", 1),
    "deadline": lambda b: re.sub(r"    deadline: .*\n", "    deadline: 手工改写的时限\n", b, count=1),
    "dropped": lambda b: b + "    dropped: true\n",
}


@pytest.mark.parametrize("field", list(EDITS))
@pytest.mark.parametrize("writer", [RECORD, ["record", "-u", "市财政局", "-t", "6", "--event", "2021年预算批复", "--date", "2021-09-01", *AS_OF]],
                         ids=["record", "event"])
def test_a_hand_edit_of_a_generated_field_is_reported_and_kept(ws: Path, ledger: Path, field: str, writer: list[str]):
    text = ledger.read_text(encoding="utf-8")
    original = block(text, 7)
    edited = EDITS[field](original)
    assert edited != original
    text = text.replace(original, edited, 1)
    ledger.write_text(text, encoding="utf-8")
    line = text[: text.index(edited)].count("\n") + 1
    check = run_cli("validate", workspace=ws)
    assert check.code == 1, check.out + check.err
    assert "ledgers/市财政局.yaml:" in check.out and "第 7 项" in check.out and "gwgk ledger --unit 市财政局" in check.out
    assert any(line <= int(n) <= line + 6 for n in re.findall(r"ledgers/市财政局\.yaml:(\d+):", check.out)), check.out
    assert run_cli(*writer, workspace=ws).code == 0
    after = ledger.read_text(encoding="utf-8")
    assert block(after, 7) == edited  # the next entry, on another task, kept it
    assert run_cli("validate", workspace=ws).code == 1
    assert run_cli("ledger", "-u", "市财政局", *AS_OF, workspace=ws).code == 0  # the explicit sync
    assert block(ledger.read_text(encoding="utf-8"), 7) == original
    assert run_cli("validate", workspace=ws).code == 0


def test_a_deleted_block_is_not_restored_by_an_entry_on_another_task(ws: Path, ledger: Path):
    text = ledger.read_text(encoding="utf-8")
    gone = block(text, 7)
    text = text.replace(gone, "", 1)
    ledger.write_text(text, encoding="utf-8")
    assert run_cli(*RECORD, workspace=ws).code == 0
    after = ledger.read_text(encoding="utf-8")
    assert "  - task: 7\n" not in after and "在线更新" in after
    assert run_cli("ledger", "-u", "市财政局", *AS_OF, workspace=ws).code == 0
    assert block(ledger.read_text(encoding="utf-8"), 7) == gone


def test_an_entry_for_a_deleted_block_adds_that_block_alone(ws: Path, ledger: Path):
    text = ledger.read_text(encoding="utf-8")
    edited = EDITS["duty"](block(text, 7))
    text = text.replace(block(text, 7), edited, 1).replace(block(text, 3), "", 1)
    ledger.write_text(text, encoding="utf-8")
    result = run_cli(*RECORD, workspace=ws)
    assert result.code == 0, result.err
    after = ledger.read_text(encoding="utf-8")
    assert "  - task: 3\n" in after and "在线更新" in after
    assert block(after, 7) == edited  # the other hand edit untouched


def test_import_leaves_hand_edits_of_other_tasks(ws: Path, ledger: Path, tmp_path: Path):
    from .test_workbook import export, fill

    workbook = fill(export(ws, tmp_path), tmp_path / "f.xlsx", {(3, "长期"): {"I": "推进中", "J": "2021-09-01"}})
    text = ledger.read_text(encoding="utf-8")
    edited = EDITS["deadline"](block(text, 7))
    ledger.write_text(text.replace(block(text, 7), edited, 1), encoding="utf-8")
    assert run_cli("import", str(workbook), *AS_OF, workspace=ws).code == 0
    assert block(ledger.read_text(encoding="utf-8"), 7) == edited


def test_a_changed_role_is_named_in_the_ledgers_own_words(ws: Path, ledger: Path):
    """The catalogue's role is shown as the ledger writes it (牵头/责任), never its internal English name."""
    text = ledger.read_text(encoding="utf-8")
    original = block(text, 7)  # 市财政局 leads task 7
    assert "    role: 牵头\n" in original
    ledger.write_text(text.replace(original, original.replace("    role: 牵头\n", "    role: 责任\n", 1), 1), encoding="utf-8")
    check = run_cli("validate", workspace=ws)
    assert check.code == 1
    assert "第 7 项的 role 与任务目录不同（目录为“牵头”）" in check.out, check.out
    assert "lead" not in check.out and "responsible" not in check.out
