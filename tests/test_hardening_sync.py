"""Attacks on syncing a ledger with a changed catalogue: only the generated values that changed and
the lines that come or go are written; hand-typed spellings, comments, quoting, a byte-order mark
and the file's line breaks are kept (issue 13, cause 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gwgk.files import yamlio

from .conftest import run_cli
from .test_hardening_files import AS_OF, LEDGER

HAND_TYPED = """\
    records:
      - id: R1
        date: 2021-09-20
        status: 已完成
        note: +.inf   # 手写的注释
        category: 0x10
        evidence:
          - 1_0.5
          - '单引号'
          - "双引号"
      - id: R2
        date: 2021-09-21
        status: 推进中
        note: .NaN
"""

TASK_3_OLD = "    duty: 网上办事指南更新维护。\n    deadline: 长期   # 不要动我\n"
TASK_3_NEW = "    duty: 网上办事指南更新维护并公开。\n    deadline: 长期坚持   # 不要动我\n"
TASK_26 = ("  # 第 26 项 公共企事业单位信息公开\n  - task: 26\n    role: 牵头\n"
           "    duty: 根据职能职责做好本行业公共企事业单位信息公开,及相应的公开标准体系。\n    deadline: 9月底\n")


def _task_block(text: str, task: int) -> tuple[int, int]:
    start = text.index(f"  - id: {task}\n")
    return start, text.index(f"  - id: {task + 1}\n")


def change_catalogue(ws: Path) -> None:
    """Task 2 no longer names 市财政局, task 26 now does, and task 3's duty and deadline text change."""
    path = ws / "data/tasks.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = _task_block(text, 2)
    block = text[start:end].replace("lead: [市政府办公室, 市直有关部门]", "lead: [市政府办公室]") \
        .replace("      - units: [市直部门、乡镇（街道）]", "      - units: [乡镇(街道)]").replace("units: [市直部门, 乡镇(街道)]", "units: [乡镇(街道)]")
    text = text[:start] + block + text[end:]
    start, end = _task_block(text, 3)
    block = text[start:end].replace("        duty: 网上办事指南更新维护。", "        duty: 网上办事指南更新维护并公开。") \
        .replace("    deadline: 长期\n", "    deadline: 长期坚持\n")
    text = text[:start] + block + text[end:]
    text = text.replace("市卫生健康局, 市电力公司]", "市卫生健康局, 市电力公司, 市财政局]")
    path.write_text(text, encoding="utf-8")


def hand_edited_ledger(ws: Path) -> str:
    """The ledger of 市财政局 with records typed by hand under task 2 and a comment on task 3."""
    assert run_cli("ledger", "-u", "市财政局", *AS_OF, workspace=ws).code == 0
    path = ws / LEDGER
    text = path.read_text(encoding="utf-8")
    text = text.replace("    deadline: 9月底。\n", "    deadline: 9月底。\n" + HAND_TYPED, 1)
    text = text.replace("    duty: 网上办事指南更新维护。\n    deadline: 长期\n", TASK_3_OLD, 1)
    assert HAND_TYPED in text and TASK_3_OLD in text
    return text


@pytest.mark.parametrize(("bom", "newline"), [(b"", "\n"), (b"\xef\xbb\xbf", "\n"), (b"", "\r\n"), (b"\xef\xbb\xbf", "\r\n"), (b"", "\r")])
def test_a_sync_writes_only_what_changed_and_keeps_every_other_byte(ws: Path, bom: bytes, newline: str):
    text = hand_edited_ledger(ws)
    path = ws / LEDGER
    path.write_bytes(bom + text.replace("\n", newline).encode("utf-8"))
    change_catalogue(ws)

    result = run_cli("ledger", "-u", "市财政局", *AS_OF, workspace=ws)
    assert result.code == 0, result.err

    expected = text.replace("    deadline: 9月底。\n" + HAND_TYPED, "    deadline: 9月底。\n    dropped: true\n" + HAND_TYPED, 1)
    expected = expected.replace(TASK_3_OLD, TASK_3_NEW, 1)
    expected = expected.replace("  # 第 27 项", TASK_26 + "  # 第 27 项", 1)
    assert path.read_bytes() == bom + expected.replace("\n", newline).encode("utf-8")
    assert run_cli("validate", workspace=ws).code == 0


def test_a_sync_back_removes_the_dropped_line_and_marks_what_is_no_longer_owed(ws: Path):
    text = hand_edited_ledger(ws)
    path = ws / LEDGER
    path.write_text(text, encoding="utf-8")
    tasks = ws / "data/tasks.yaml"
    original = tasks.read_bytes()
    change_catalogue(ws)
    assert run_cli("ledger", "-u", "市财政局", *AS_OF, workspace=ws).code == 0
    tasks.write_bytes(original)

    assert run_cli("ledger", "-u", "市财政局", *AS_OF, workspace=ws).code == 0
    back = text.replace("  # 第 27 项", TASK_26.replace("    deadline: 9月底\n", "    deadline: 9月底\n    dropped: true\n") + "  # 第 27 项", 1)
    assert path.read_text(encoding="utf-8") == back


def test_a_layout_the_splice_cannot_edit_still_syncs_through_the_round_trip(ws: Path):
    text = hand_edited_ledger(ws)
    path = ws / LEDGER
    # task 3's deadline as a folded block: not a one-line value, so not edited as text
    path.write_text(text.replace(TASK_3_OLD, "    duty: 网上办事指南更新维护。\n    deadline: >-\n      长期\n", 1), encoding="utf-8")
    change_catalogue(ws)
    assert run_cli("ledger", "-u", "市财政局", *AS_OF, workspace=ws).code == 0
    tasks = {t["task"]: t for t in yamlio.load_fast(path.read_text(encoding="utf-8"), LEDGER)["tasks"]}
    assert tasks[3]["deadline"] == "长期坚持" and tasks[3]["duty"] == "网上办事指南更新维护并公开。"
    assert tasks[2]["dropped"] is True and tasks[2]["records"][0]["note"] in ("+.inf", ".inf") and 26 in tasks
    assert run_cli("validate", workspace=ws).code == 0
