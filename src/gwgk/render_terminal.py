"""Drawing report models as terminal tables (rich). Knows nothing of files or the clock."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from .catalogue import ROLE_LABELS
from .catalogue_report import TasksReport, TaskView, UnitsReport
from .ledger_report import LedgerReport

if TYPE_CHECKING:
    from .overdue_report import OverdueReport
    from .year_report import YearReport

DEFAULT_WIDTH = 120


def console_text(renderables: Iterable[RenderableType], width: int | None = None) -> str:
    """Plain text (no colour) of renderables, for files, pipes and golden tests."""
    buffer = io.StringIO()
    width = width or int(os.environ.get("COLUMNS", DEFAULT_WIDTH))
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False,
                      legacy_windows=False, soft_wrap=False, emoji=False, highlight=False)
    for item in renderables:
        console.print(item)
    return buffer.getvalue()


def print_renderables(renderables: Iterable[RenderableType]) -> None:
    """Print to the terminal: colour on a terminal, plain and 120 wide in a pipe or cron."""
    if sys.stdout.isatty():
        console = Console(highlight=False, emoji=False)
        for item in renderables:
            console.print(item)
    else:
        sys.stdout.write(console_text(renderables))


def _table(title: str | None = None) -> Table:
    return Table(title=title, show_lines=False, header_style="bold", expand=False, title_justify="left")


def tasks_table(report: TasksReport) -> list[RenderableType]:
    """``gwgk tasks``: one row per task."""
    title = report.plan["title"] + (f" —— {report.unit} 承担的任务" if report.unit else "")
    table = _table(title)
    table.add_column("序号", justify="right", no_wrap=True)
    table.add_column("任务", min_width=10)
    if report.unit:
        table.add_column("角色", no_wrap=True)
        table.add_column("本单位分工", min_width=16)
    else:
        table.add_column("牵头单位", min_width=10)
        table.add_column("责任单位", min_width=8)
    table.add_column("完成时限", min_width=10)
    table.add_column("时限规则", min_width=12)
    for task in report.tasks:
        if report.unit:
            middle = [ROLE_LABELS[task.role or "responsible"], task.unit_duty or "—"]
        else:
            middle = ["、".join(task.lead_as_written), "、".join(task.responsible_as_written) or "—"]
        table.add_row(str(task.id), task.title, *middle, task.deadline, ";".join(task.rule_summaries))
    return [table, Text(f"共 {len(report.tasks)} 项任务。")]


def task_detail(task: TaskView) -> list[RenderableType]:
    """``gwgk tasks show N``: everything about one task."""
    table = Table(show_header=False, box=None, padding=(0, 1), expand=False)
    table.add_column("项", style="bold", no_wrap=True)
    table.add_column("内容")
    table.add_row("序号", str(task.id))
    table.add_row("部分", f"{task.part}、{task.part_title}")
    table.add_row("小节", f"{task.section}{task.section_title}")
    table.add_row("简称", task.title)
    table.add_row("正文", task.text)
    if task.indicator:
        table.add_row("公开指标内容", task.indicator)
    table.add_row("牵头单位", "、".join(task.lead_as_written) + f"(共 {len(task.lead)} 个单位)")
    responsible = "、".join(task.responsible_as_written) or "—"
    table.add_row("责任单位", responsible + (f"(共 {len(task.responsible)} 个单位)" if task.responsible else ""))
    for duty in task.duties:
        table.add_row("任务分工", f"{'、'.join(duty.units_as_written)}:{duty.duty or '(未写具体分工)'}")
    table.add_row("完成时限", task.deadline)
    if task.remark:
        table.add_row("备注", task.remark)
    for summary, rule in zip(task.rule_summaries, task.rules):
        line = f"{summary}  (依据原文:“{rule['source']}”)"
        if rule.get("applies_to"):
            line += f"  适用于:{'、'.join(rule['applies_to'])}"
        if rule.get("notes"):
            line += f"\n  说明:{rule['notes']}"
        table.add_row("时限规则", line)
    return [table]


def units_table(report: UnitsReport) -> list[RenderableType]:
    """``gwgk units``: every unit and group."""
    table = _table("单位")
    for name, justify in (("单位", "left"), ("类型", "left"), ("别名", "left"), ("牵头任务", "right"), ("责任任务", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for unit in report.units:
        table.add_row(unit.name, unit.kind_label, "、".join(unit.aliases) or "—", str(unit.lead_tasks), str(unit.responsible_tasks))
    groups = _table("单位组(计划中的统称)")
    groups.add_column("单位组")
    groups.add_column("其他写法")
    groups.add_column("成员", justify="right")
    for group in report.groups:
        groups.add_row(group.name, "、".join(group.aliases), f"{len(group.members)} 个")
    return [table, Text(f"共 {len(report.units)} 个单位。"), groups]


LIGHT_STYLES = {"red": "bold red", "yellow": "yellow", "green": "green", "grey": "bright_black"}


def ledger_table(report: LedgerReport) -> list[RenderableType]:
    """``gwgk ledger``: the 台账, one row per instance, the state coloured by its light."""
    from .render_text import LEDGER_HEADERS, ledger_rows

    table = _table(f"工作台账:{report.unit}(截至 {report.as_of.isoformat()})")
    for header in LEDGER_HEADERS:
        if header == "灯":
            continue
        table.add_column(header, justify="right" if header == "序号" else "left", overflow="fold")
    lights = [v.light if v else "" for t in report.tasks for v in (t.instances or [None])]
    for row, light in zip(ledger_rows(report), lights):
        state = Text(row[7], style=LIGHT_STYLES.get(light or "", ""))
        table.add_row(*row[:7], state, *row[9:])
    from .assessment import STATE_LABELS

    summary = "、".join(f"{STATE_LABELS.get(k, k)} {v}" for k, v in report.summary.items())
    return [table, Text(f"共 {len(report.tasks)} 项任务;{summary}。")]


def rows_table(title: str | None, headers: tuple[str, ...], rows: list[list[str]], right: tuple[str, ...] = ()) -> Table:
    """A table of plain cells; columns named in ``right`` are right-aligned."""
    table = _table(title)
    for header in headers:
        table.add_column(header, justify="right" if header in right else "left", overflow="fold")
    for row in rows:
        table.add_row(*row)
    return table


def overdue_table(report: "OverdueReport") -> list[RenderableType]:
    """``gwgk overdue``: the items grouped by unit, then the count per unit and the total."""
    from .render_text import COUNT_HEADERS, OVERDUE_HEADERS, count_rows, overdue_rows, overdue_summary

    out: list[RenderableType] = [Text("回头看:超期未完成和进度滞后事项", style="bold")]
    if report.items:
        items = rows_table(None, OVERDUE_HEADERS, overdue_rows(report, repeat_unit=False), right=("序号", "超期天数"))
        out += [items, rows_table("各单位情况", COUNT_HEADERS, count_rows(report), right=("超期未完成", "进度滞后"))]
    out.append(Text(overdue_summary(report)))
    return out


def year_table(report: "YearReport") -> list[RenderableType]:
    """``gwgk report``: the paragraph, then per-unit and per-task tables."""
    from .render_text import TASK_SUMMARY_HEADERS, UNIT_SUMMARY_HEADERS, task_summary_rows, unit_summary_rows

    numeric = UNIT_SUMMARY_HEADERS[1:]
    return [
        Text(f"{report.plan_title}落实情况(截至 {report.as_of.isoformat()})", style="bold"),
        Text("存在的主要问题及改进情况", style="bold"),
        Text(report.paragraph),
        rows_table("各单位完成情况", UNIT_SUMMARY_HEADERS, unit_summary_rows(report), right=numeric),
        rows_table("各任务完成情况", TASK_SUMMARY_HEADERS, task_summary_rows(report), right=("序号", "承担单位数", "超期未完成", "进度滞后")),
    ]
