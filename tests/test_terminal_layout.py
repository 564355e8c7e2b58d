"""Terminal layouts at the widths people use: the 台账 stacks one block per task below 110 columns,
keeps the table above, and the summary line comes first and last."""

from __future__ import annotations

import json
from pathlib import Path

from gwgk.render.table import text_width
from gwgk.reports.wording import cjk_punctuation

from .conftest import run_cli
from .test_reports import AS_OF, golden_workspace


def ledger_out(ws: Path, columns: int) -> list[str]:
    result = run_cli("ledger", *AS_OF, "-u", "市财政局", workspace=ws, env={"COLUMNS": str(columns)})
    assert result.code == 0, result.err
    return result.out.splitlines()


def test_a_narrow_terminal_gets_one_block_per_task(ws: Path):
    golden_workspace(ws)
    data = json.loads(run_cli("ledger", *AS_OF, "-u", "市财政局", "--format", "json", workspace=ws).out)
    lines = ledger_out(ws, 100)
    assert all(text_width(line) <= 100 for line in lines)
    assert not any(line.startswith(("┏", "│")) for line in lines)
    headings = [line for line in lines if line.startswith("第")]
    # the plan's own half-width punctuation printed full-width, as Chinese text is: 村(居)务 as 村（居）务
    assert headings == [f"第{t['task']}项 {cjk_punctuation(t['title'])}（{t['role_label']}）" for t in data["tasks"]]
    instances = [line for line in lines if line.startswith("  · ")]
    assert len(instances) == sum(len(t["instances"]) for t in data["tasks"])
    assert "  · 2021年9月30日  到期2021-10-31（原2021-09-30，已延期）  未到期" in lines
    assert lines[0] == lines[-1] and lines[0].startswith("市财政局：共28项任务；")


def test_a_wide_terminal_gets_the_table_without_empty_columns(ws: Path):
    golden_workspace(ws)
    lines = ledger_out(ws, 160)
    assert lines[2].startswith("┏") and all(text_width(line) <= 160 for line in lines)
    header = lines[3]
    assert "任务" in header and "佐证材料" in header  # 佐证材料 has one cell filled
    assert lines[0] == lines[-1]
    fresh = run_cli("ledger", *AS_OF, "-u", "敬南镇", workspace=ws, env={"COLUMNS": "160"}).out.splitlines()
    assert "佐证材料" not in fresh[3]  # nothing recorded with evidence: the column is left out


def test_overdue_on_a_narrow_terminal_is_a_line_per_item(ws: Path):
    golden_workspace(ws)
    args = ("overdue", *AS_OF, "-u", "市财政局", "-u", "敬南镇")
    data = json.loads(run_cli(*args, "--format", "json", workspace=ws).out)
    lines = run_cli(*args, workspace=ws, env={"COLUMNS": "100"}).out.splitlines()
    assert all(text_width(line) <= 100 for line in lines)
    items = [line for line in lines if line.startswith("  · ")]
    assert len(items) == len(data["items"]) == 41
    assert items[0] == "  · 第7项 政府债务信息公开  2021年第二季度  到期2021-06-30  超期100天  超期未完成"
    assert [line for line in lines if line in ("市财政局", "敬南镇")] == [u["unit"] for u in data["units"]]
    assert lines[1] == lines[-1] and lines[1].startswith("截至2021年10月8日，2个单位中有2个单位存在问题")
