"""Drawing report models as terminal tables. Knows nothing of files, the clock or the terminal itself:
the width and whether to colour are parameters (``commands.common.show`` decides them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gwgk.catalogue.model import ROLE_LABELS
from gwgk.render.table import Adaptive, Block, Column, Styled, Table, blocks_text
from gwgk.reports.wording import chinese_date, cjk_punctuation, instance_label

if TYPE_CHECKING:
    from gwgk.reports.catalogue import TasksReport, TaskView, UnitsReport
    from gwgk.reports.ledger import LedgerReport
    from gwgk.reports.overdue import OverdueReport
    from gwgk.reports.year import YearReport

DEFAULT_WIDTH = 120


def console_text(blocks: list[Block], width: int = DEFAULT_WIDTH, *, color: bool = False) -> str:
    """The blocks as text ``width`` columns wide; with ANSI colours only when ``color``."""
    return blocks_text(blocks, width, color=color)


def tasks_table(report: TasksReport) -> list[Block]:
    """``gwgk tasks``: one row per task."""
    title = report.plan["title"] + (f" —— {report.unit} 承担的任务" if report.unit else "")
    if report.unit:
        middle = [Column("角色", no_wrap=True), Column("本单位分工", min_width=16)]
    else:
        middle = [Column("牵头单位", min_width=10), Column("责任单位", min_width=8)]
    table = Table([Column("序号", right=True, no_wrap=True), Column("任务", min_width=10), *middle,
                   Column("完成时限", min_width=10), Column("时限规则", min_width=12)], title=title)
    for task in report.tasks:
        if report.unit:
            cells = [ROLE_LABELS[task.role or "responsible"], task.unit_duty or "—"]
        else:
            cells = ["、".join(task.lead_as_written), "、".join(task.responsible_as_written) or "—"]
        table.rows.append([str(task.id), task.title, *cells, task.deadline, ";".join(task.rule_summaries)])
    return [table, f"共 {len(report.tasks)} 项任务。"]


def task_detail(task: TaskView) -> list[Block]:
    """``gwgk tasks show N``: everything about one task."""
    table = Table([Column("项", no_wrap=True, style="bold"), Column("内容")], box=False, show_header=False)
    table.add_row("序号", str(task.id))
    table.add_row("部分", f"{task.part}、{task.part_title}")
    table.add_row("小节", f"{task.section}{task.section_title}")
    table.add_row("简称", task.title)
    table.add_row("正文", task.text)
    if task.indicator:
        table.add_row("公开指标内容", task.indicator)
    table.add_row("牵头单位", "、".join(task.lead_as_written) + f"（共 {len(task.lead)} 个单位）")
    responsible = "、".join(task.responsible_as_written) or "—"
    table.add_row("责任单位", responsible + (f"（共 {len(task.responsible)} 个单位）" if task.responsible else ""))
    for duty in task.duties:
        table.add_row("任务分工", f"{'、'.join(duty.units_as_written)}：{duty.duty or '(未写具体分工)'}")
    table.add_row("完成时限", task.deadline)
    if task.remark:
        table.add_row("备注", task.remark)
    for summary, rule in zip(task.rule_summaries, task.rules):
        line = f"{summary}  （依据原文：“{rule['source']}”）"
        if rule.get("applies_to"):
            line += f"  适用于：{'、'.join(rule['applies_to'])}"
        if rule.get("notes"):
            line += f"\n  说明：{rule['notes']}"
        table.add_row("时限规则", line)
    return [table]


def units_table(report: UnitsReport) -> list[Block]:
    """``gwgk units``: every unit and group."""
    table = Table([Column("单位"), Column("类型"), Column("别名"), Column("牵头任务", right=True), Column("责任任务", right=True)], title="单位")
    for unit in report.units:
        table.rows.append([unit.name, unit.kind_label, "、".join(unit.aliases) or "—", str(unit.lead_tasks), str(unit.responsible_tasks)])
    groups = Table([Column("单位组"), Column("其他写法"), Column("成员", right=True)], title="单位组（计划中的统称）")
    for group in report.groups:
        groups.rows.append([group.name, "、".join(group.aliases), f"{len(group.members)} 个"])
    return [table, f"共 {len(report.units)} 个单位。", groups]


LIGHT_STYLES = {"red": "bold red", "yellow": "yellow", "green": "green", "grey": "bright_black"}


STACK_BELOW = 110  # narrower than this, the 台账 is drawn one block per task


def _ledger_summary(report: LedgerReport) -> str:
    from gwgk.judge.assessment import STATE_LABELS

    summary = "、".join(f"{STATE_LABELS.get(k, k)}{v}项" for k, v in report.summary.items())
    return f"{report.unit}：共{len(report.tasks)}项任务；{summary}。"


def _ledger_wide(report: LedgerReport) -> Table:
    """The 台账 as a table; columns empty on every row are left out, text columns get the room."""
    from gwgk.render.text import LEDGER_HEADERS, ledger_rows

    rows = ledger_rows(report)
    lights: list[str] = []
    for t in report.tasks:
        lights += [v.light for v in t.instances] or [""]
        lights += [""] if t.unplaced else []
    keep = [i for i, h in enumerate(LEDGER_HEADERS) if h != "灯" and any(r[i] not in ("", "—") for r in rows)]
    widths = {"任务": 12, "本单位分工": 16, "完成时限": 12, "最近进展": 12}
    columns = [Column(LEDGER_HEADERS[i], right=LEDGER_HEADERS[i] == "序号", min_width=widths.get(LEDGER_HEADERS[i], 0),
                      no_wrap=LEDGER_HEADERS[i] in ("序号", "角色")) for i in keep]
    table = Table(columns, title=f"工作台账：{report.unit}（截至{chinese_date(report.as_of)}）")
    state = LEDGER_HEADERS.index("状态")
    for row, light in zip(rows, lights):
        table.rows.append([Styled(row[i], LIGHT_STYLES.get(light or "", "")) if i == state else cjk_punctuation(row[i]) for i in keep])
    return table


def _ledger_stacked(report: LedgerReport) -> list[Styled | str]:
    """The 台账 one block per task: a heading line, the duty and deadline, then a line per instance."""
    from gwgk.render.text import UNPLACED, due_text, instance_text, progress_text, record_ids, state_text

    out: list[Styled | str] = [Styled(f"工作台账：{report.unit}（截至{chinese_date(report.as_of)}）", "bold")]
    for task in report.tasks:
        out.append("")
        out.append(Styled(f"第{task.task}项 {cjk_punctuation(task.title)}（{task.role_label}）", "bold"))
        if task.duty:
            out.append(f"  分工：{cjk_punctuation(task.duty)}")
        out.append(f"  时限：{cjk_punctuation(task.deadline)}")
        if not task.instances:
            out.append("  " + task.without_instances("—"))
        for view in task.instances:
            parts = [instance_text(view), f"到期{due_text(view)}" if view.due else "", state_text(view)]
            if view.last_progress:
                parts.append(f"最近进展{progress_text(view)}")
            if view.evidence:
                parts.append("佐证 " + "、".join(view.evidence))
            if view.records:
                parts.append("登记 " + record_ids(view.records))
            out.append(Styled("  · " + "  ".join(p for p in parts if p), LIGHT_STYLES.get(view.light, "") if view.light in ("red", "yellow") else ""))
        if task.unplaced:
            out.append(f"  · {UNPLACED}  登记 {record_ids(task.unplaced)}")
    out.append("")
    return out


def ledger_table(report: LedgerReport) -> list[Block]:
    """``gwgk ledger``: the 台账, one row per instance with the state coloured by its light (a block
    per task on a narrow terminal); the summary line first and again at the end."""
    summary = _ledger_summary(report)
    return [summary, Adaptive(_ledger_wide(report), _ledger_stacked(report), STACK_BELOW), summary]


def rows_table(title: str | None, headers: tuple[str, ...], rows: list[list[str]], right: tuple[str, ...] = ()) -> Table:
    """A table of plain cells; columns named in ``right`` are right-aligned."""
    return Table([Column(h, right=h in right) for h in headers], [[cjk_punctuation(c) for c in r] for r in rows], title=title)


def _overdue_stacked(report: OverdueReport) -> list[Styled | str]:
    """The items one block per unit, a line per item, for a narrow terminal."""
    from gwgk.render.text import OVERDUE_HEADERS, due_cell, unchecked_rows

    out: list[Styled | str] = []
    for row in unchecked_rows(report.broken, OVERDUE_HEADERS):
        out += ["", Styled(f"{row[0]}：{row[8]}", "bold red"), *("  " + line for line in row[-1].split("\n"))]
    previous = None
    for item in report.items:
        if item.unit != previous:
            out += ["", Styled(item.unit, "bold")]
            previous = item.unit
        days = (f"超期{item.days_overdue}天" if item.state == "overdue" else
                f"期限已过{item.idle_days}天" if item.state == "no_event" else f"已{item.idle_days}天无进展")
        due = f"到期{due_cell(item.due, item.original_due, item.extended)}  " if item.due else ""
        year = f"{item.plan}年计划" if len(report.plans) > 1 else ""
        label = item.instance_label or instance_label(item.instance)
        out.append(Styled(f"  · {year}第{item.task}项 {cjk_punctuation(item.title)}  {label}  {due}{days}  {item.state_label}",
                          "red" if item.state == "overdue" else "yellow"))
    out.append("")
    return out


def overdue_table(report: OverdueReport) -> list[Block]:
    """``gwgk overdue``: the items grouped by unit, then the count per unit and the total."""
    from gwgk.render.text import (
        COUNT_HEADERS,
        broken_lines,
        count_rows,
        overdue_headers,
        overdue_rows,
        overdue_summary,
    )

    out: list[Block] = [Styled("回头看：超期未完成和进度滞后事项", "bold")]
    broken = broken_lines(report.broken)
    if broken:
        out += [Styled(broken[0], "bold red"), *broken[1:]]
    if report.items or report.broken:
        out.append(overdue_summary(report))  # first, so a long list does not hide it, and again at the end
        items = rows_table(None, overdue_headers(report), overdue_rows(report, repeat_unit=False), right=("序号", "超期天数"))
        out += [Adaptive(items, _overdue_stacked(report), STACK_BELOW),
                rows_table("各单位情况", COUNT_HEADERS, count_rows(report), right=COUNT_HEADERS[1:])]
    out.append(overdue_summary(report))
    return out


def year_table(report: YearReport) -> list[Block]:
    """``gwgk report``: the paragraph, then per-unit and per-task tables."""
    from gwgk.render.text import (
        TASK_SUMMARY_HEADERS,
        UNIT_SUMMARY_HEADERS,
        broken_lines,
        task_summary_rows,
        unit_summary_rows,
    )

    numeric = UNIT_SUMMARY_HEADERS[1:]
    return [
        Styled(f"{report.plan_title}落实情况（截至{chinese_date(report.as_of)}）", "bold"),
        *[Styled(line, "bold red") if i == 0 else line for i, line in enumerate(broken_lines(report.broken))],
        Styled("存在的主要问题及改进情况", "bold"),
        report.paragraph,
        rows_table("各单位完成情况", UNIT_SUMMARY_HEADERS, unit_summary_rows(report), right=numeric),
        rows_table("各任务完成情况", TASK_SUMMARY_HEADERS, task_summary_rows(report), right=("序号", "承担单位数", "超期未完成", "进度滞后")),
    ]
