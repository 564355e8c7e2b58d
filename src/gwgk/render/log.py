"""Drawing ``gwgk log``: a terminal table and CSV."""

from __future__ import annotations

from gwgk.render.table import Block, Column, Styled, Table
from gwgk.render.text import csv_text
from gwgk.reports.log import LogItem, LogReport

LOG_HEADERS = ("写入时间", "写入人", "单位", "编号", "类别", "任务/实例", "登记日期", "补登", "内容")


def _task(item: LogItem) -> str:
    year = f"{item.plan}年" if item.plan is not None else ""
    return f"{year}第{item.task}项" + (f" {item.instance}" if item.instance else "")


def log_rows(report: LogReport) -> list[list[str]]:
    """One row per entry, in the order written."""
    return [[i.at.isoformat(sep=" ") if i.at else "—", i.by or "—", i.unit, i.id, i.kind_label, _task(i),
             i.entered.isoformat() if i.entered else "—", "补登" if i.late else "", i.summary] for i in report.items]


def log_summary(report: LogReport) -> str:
    """One sentence: how many entries, how many of them 补登."""
    scope = report.unit or "全部台账"
    since = f" {report.since.isoformat()} 以来写入" if report.since else ""
    late = sum(i.late for i in report.items)
    return f"{scope}{since}的登记共 {len(report.items)} 条，其中补登 {late} 条。"


def log_table(report: LogReport) -> list[Block]:
    """``gwgk log`` for the terminal."""
    blocks: list[Block] = [log_summary(report)]
    if report.items:
        rows: list[list[str | Styled]] = [[*row] for row in log_rows(report)]
        blocks.append(Table([Column(h) for h in LOG_HEADERS], rows, title="登记日志"))
    return blocks


def log_csv(report: LogReport) -> str:
    """``gwgk log --format csv`` (``emit`` adds the BOM)."""
    return csv_text(LOG_HEADERS, log_rows(report))
