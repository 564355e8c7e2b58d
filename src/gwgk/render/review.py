"""Drawing the 销号 queue: a terminal table and Markdown."""

from __future__ import annotations

from gwgk.render.table import Block, Cell, Column, Table
from gwgk.render.text import markdown_table
from gwgk.reports.review import PendingReport
from gwgk.reports.wording import chinese_date, instance_label

PENDING_HEADERS = ("单位", "序号", "期次", "记录", "完成日期", "登记日期", "佐证材料")


def pending_rows(report: PendingReport) -> list[list[str]]:
    """One row per record awaiting review."""
    return [[i.unit, str(i.task), instance_label(i.instance) if i.instance else "—", i.record, i.date.isoformat(), i.entered.isoformat(),
             "、".join(i.evidence) or "—"] for i in report.items]


def pending_summary(report: PendingReport) -> str:
    """One sentence: how many records wait."""
    return f"截至{chinese_date(report.as_of)}，待审核销号的“已完成”记录共{len(report.items)}条。"


def pending_table(report: PendingReport) -> list[Block]:
    """``gwgk review --pending`` for the terminal."""
    blocks: list[Block] = [pending_summary(report)]
    if report.items:
        rows: list[list[Cell]] = [list(row) for row in pending_rows(report)]
        blocks.append(Table([Column(h, right=h == "序号") for h in PENDING_HEADERS], rows, title="待审核"))
    return blocks


def pending_markdown(report: PendingReport) -> str:
    """``gwgk review --pending --format md``."""
    text = f"# 待审核销号\n\n{pending_summary(report)}\n"
    return text + ("\n" + markdown_table(PENDING_HEADERS, pending_rows(report)) if report.items else "")
