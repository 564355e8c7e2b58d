"""Rows of reports as plain cells, and those rows as Markdown and as CSV for WPS/Excel.

CSV is UTF-8 with a byte-order mark (so Excel and WPS read the Chinese), and any cell that could
start a formula (= + - @, tab, carriage return) is prefixed with an apostrophe so it stays text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from .ledger_report import InstanceView, LedgerReport

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LEDGER_HEADERS = ("序号", "任务", "角色", "本单位分工", "完成时限", "实例", "到期日", "状态", "灯", "最近进展", "佐证材料")


def safe_cell(value: str) -> str:
    """``value`` as a spreadsheet will show it, never run it."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def due_text(view: InstanceView) -> str:
    """The due date, with the original date when extended."""
    if view.due is None:
        return "—"
    if view.extended and view.original_due is not None:
        return f"{view.due.isoformat()}(原 {view.original_due.isoformat()},已延期)"
    return view.due.isoformat()


def state_text(view: InstanceView) -> str:
    """The state in words, with days overdue or progress towards a quota."""
    text = view.state_label
    if view.state == "overdue" and view.days_overdue is not None:
        text += f"(超 {view.days_overdue} 天)"
    elif view.state == "lagging" and view.days_overdue is not None:
        text += f"(超 {view.days_overdue} 天无进展)"
    elif view.quota > 1 and view.state not in ("done", "done_late", "not_applicable"):
        text += f"({view.done}/{view.quota})"
    if view.state == "not_applicable" and view.reason:
        text += f":{view.reason}"
    return text


def progress_text(view: InstanceView) -> str:
    """The last progress: date and note."""
    if view.last_progress is None:
        return "—"
    return view.last_progress.isoformat() + (f" {view.last_note}" if view.last_note else "")


def instance_text(view: InstanceView) -> str:
    """The instance key, with its event when it has one."""
    if view.event:
        return f"{view.instance} {view.event}({view.event_date.isoformat() if view.event_date else ''})"
    return view.instance


def ledger_rows(report: LedgerReport) -> list[list[str]]:
    """One row per instance (a task with none yet gets one row saying what it waits for)."""
    rows: list[list[str]] = []
    for task in report.tasks:
        head = [str(task.task), task.title, task.role_label, task.duty or "—", task.deadline]
        if not task.instances:
            waiting = "待登记触发事件" if task.awaiting_events else "—"
            rows.append([*head, waiting, "—", "—", "—", "—", "—"])
            continue
        for i, view in enumerate(task.instances):
            cells = head if i == 0 else ["", "", "", "", ""]
            rows.append([
                *cells, instance_text(view), due_text(view), state_text(view), view.light_label,
                progress_text(view), "、".join(view.evidence) or "—",
            ])
    return rows


def _md_cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", "<br>") or " "


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-style Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def csv_text(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """CSV text (no BOM; ``emit`` adds it when writing) with formula-safe cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return buffer.getvalue()


def ledger_markdown(report: LedgerReport) -> str:
    """The 台账 as Markdown."""
    summary = "、".join(f"{_label(k)} {v}" for k, v in report.summary.items())
    return (
        f"# 工作台账:{report.unit}\n\n截至 {report.as_of.isoformat()}。{summary}。\n\n"
        + markdown_table(LEDGER_HEADERS, ledger_rows(report))
    )


def ledger_csv(report: LedgerReport) -> str:
    """The 台账 as CSV."""
    return csv_text(LEDGER_HEADERS, ledger_rows(report))


def _label(state: str) -> str:
    from .assessment import STATE_LABELS

    return STATE_LABELS.get(state, state)
