"""Rows of reports as plain cells, and those rows as Markdown and as CSV for WPS/Excel.

CSV is UTF-8 with a byte-order mark (so Excel and WPS read the Chinese), and any cell that could
start a formula (= + - @, tab, carriage return) is prefixed with an apostrophe so it stays text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from gwgk.reports.ledger import InstanceView, LedgerReport, RecordView
from gwgk.reports.wording import chinese_date, cjk_punctuation, instance_label

if TYPE_CHECKING:
    from gwgk.reports.overdue import BrokenLedger, OverdueReport
    from gwgk.reports.year import YearReport

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LEDGER_HEADERS = ("序号", "任务", "角色", "本单位分工", "完成时限", "期次", "到期日", "状态", "灯", "最近进展", "佐证材料", "登记编号")
UNPLACED = "（不属于任何期次）"


def due_cell(due: dt.date | None, original_due: dt.date | None, extended: bool) -> str:
    """A due date, with the original date when extended."""
    if due is None:
        return "—"
    if extended and original_due is not None:
        return f"{due.isoformat()}（原{original_due.isoformat()}，已延期）"
    return due.isoformat()


def progress_cell(day: dt.date | None, note: str | None) -> str:
    """The last progress: date and note."""
    if day is None:
        return "—"
    return day.isoformat() + (f" {cjk_punctuation(note)}" if note else "")


def due_text(view: InstanceView) -> str:
    """The due date of an instance, with the original date when extended."""
    return due_cell(view.due, view.original_due, view.extended)


def idle_text(days: int) -> str:
    """How long a 长期 task has gone without progress: 已106天无进展."""
    return f"已{days}天无进展"


def quota_text(done: int, quota: int, categories: int, wanted: int | None) -> str:
    """Progress towards a quota: 3/4篇, with the categories when some are wanted: 3/4篇，2/4个方面."""
    text = f"{done}/{quota}篇"
    return text + (f"，{categories}/{wanted}个方面" if wanted else "")


def state_text(view: InstanceView) -> str:
    """The state in words, with days overdue or progress towards a quota."""
    text = view.state_label
    if view.state == "overdue" and view.days_overdue is not None:
        text += f"（超期{view.days_overdue}天）"
    elif view.state == "lagging" and view.idle_days is not None:
        text += f"（{idle_text(view.idle_days)}）"
    elif (view.quota > 1 or view.categories_wanted) and view.state not in ("done", "done_late", "not_applicable"):
        text += f"（{quota_text(view.done, view.quota, len(view.categories), view.categories_wanted)}）"
    if view.state == "not_applicable" and view.reason:
        text += f"：{cjk_punctuation(view.reason)}"
    return text


def progress_text(view: InstanceView) -> str:
    """The last progress of an instance: date and note."""
    return progress_cell(view.last_progress, view.last_note)


def instance_text(view: InstanceView) -> str:
    """The instance in words (2021年第三季度), an event by its name and date."""
    return instance_label(view.instance, (view.event, view.event_date) if view.event else None)


def record_ids(records: Sequence[RecordView]) -> str:
    """The ids of an instance's records, each marked when it covers the whole task or is withdrawn."""
    out = []
    for r in records:
        marks = [m for m, on in (("整项任务", r.whole_task), ("已撤回", r.withdrawn is not None)) if on]
        out.append((r.id or "—") + (f"（{'，'.join(marks)}）" if marks else ""))
    return "、".join(out)


def ledger_rows(report: LedgerReport) -> list[list[str]]:
    """One row per instance (a task with none yet gets one row saying what it waits for)."""
    rows: list[list[str]] = []
    for task in report.tasks:
        head = [str(task.task), task.title, task.role_label, task.duty or "—", task.deadline]
        if not task.instances:
            waiting = task.without_instances("—")
            rows.append([*head, waiting, "—", "—", "—", "—", "—", "—"])
        for i, view in enumerate(task.instances):
            cells = head if i == 0 else ["", "", "", "", ""]
            rows.append([
                *cells, instance_text(view), due_text(view), state_text(view), view.light_label,
                progress_text(view), "、".join(view.evidence) or "—", record_ids(view.records) or "—",
            ])
        if task.unplaced:
            rows.append(["", "", "", "", "", UNPLACED, "—", "—", "—", "—", "—", record_ids(task.unplaced)])
    return rows


def _md_cell(value: str) -> str:
    return cjk_punctuation(value).replace("|", "\\|").replace("\n", "<br>") or " "


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-style Markdown table."""
    lines = ["| " + " | ".join(h.replace("\n", "") for h in headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """CSV text (no BOM; ``emit`` adds it when writing) with formula-safe cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    risky = set(FORMULA_STARTS)  # a cell that could start a formula gets an apostrophe, so it stays text
    writer.writerows([("'" + c) if c[:1] in risky else c for c in map(cjk_punctuation, row)] for row in rows)
    return buffer.getvalue()


def ledger_markdown(report: LedgerReport) -> str:
    """The 台账 as Markdown."""
    summary = "、".join(f"{_label(k)}{v}项" for k, v in report.summary.items())
    return (
        f"# 工作台账：{report.unit}\n\n截至{chinese_date(report.as_of)}。{summary}。\n\n"
        + markdown_table(LEDGER_HEADERS, ledger_rows(report))
    )


LEDGER_CSV_HEADERS = ("序号", "任务", "角色", "本单位分工", "完成时限", "期次", "事件", "事件日期", "到期日", "原到期日",
                      "已延期", "状态", "超期天数", "灯", "最近进展日期", "最近进展", "佐证材料", "登记编号")


def _iso(day: dt.date | None) -> str:
    return "" if day is None else day.isoformat()


def ledger_csv_rows(report: LedgerReport) -> Iterator[list[str]]:
    """One row per instance for sorting and filtering in WPS/Excel: 序号 and 任务 on every row, each
    date a date of its own column (the original due date and the extension apart), empty for none."""
    for task in report.tasks:
        head = [str(task.task), task.title, task.role_label, task.duty or "", task.deadline]
        if not task.instances:
            waiting = task.without_instances("")
            yield [*head, "", "", "", "", "", "", waiting, "", "", "", "", "", ""]
        for view in task.instances:
            # days overdue have their own column; the rest of the state's words stay with it
            state = view.state_label if view.state == "overdue" else state_text(view)
            yield [
                *head, instance_text(view), view.event or "", _iso(view.event_date), _iso(view.due),
                _iso(view.original_due) if view.extended else "", "是" if view.extended else "", state,
                "" if view.days_overdue is None else str(view.days_overdue), view.light_label,
                _iso(view.last_progress), view.last_note or "", "、".join(view.evidence), record_ids(view.records),
            ]
        if task.unplaced:
            yield [*head, UNPLACED, "", "", "", "", "", "", "", "", "", "", "", record_ids(task.unplaced)]


def ledger_csv(report: LedgerReport) -> str:
    """The 台账 as CSV, one row per instance (``ledger_csv_rows``)."""
    return csv_text(LEDGER_CSV_HEADERS, ledger_csv_rows(report))


def _label(state: str) -> str:
    from gwgk.judge.assessment import STATE_LABELS

    return STATE_LABELS.get(state, state)


# ---------------------------------------------------------------- 回头看 (overdue)

OVERDUE_HEADERS = ("单位", "序号", "任务", "角色", "本单位分工", "期次", "到期日", "超期天数", "状态", "最近进展")
COUNT_HEADERS = ("单位", "超期未完成", "进度滞后", "待审核")
NO_UNIT = "（不属于任何单位）"


def broken_line(b: BrokenLedger) -> str:
    """A broken ledger's problem as one line: unit, file:line:col, message."""
    where = b.file if b.line is None else f"{b.file}:{b.line}:{b.column or 1}"
    return f"{b.unit or NO_UNIT} {where}: {b.message}"  # a place as every message gives one (errors.Problem)


SHOWN_PER_FILE = 10  # a ledger with thousands of problems is named, not listed: gwgk validate lists them all


def shown_lines(broken: Sequence[BrokenLedger]) -> list[str]:
    """``broken_line`` of each problem, at most ``SHOWN_PER_FILE`` per file, then how many more."""
    by_file: dict[str, list[BrokenLedger]] = {}
    for b in broken:
        by_file.setdefault(b.file, []).append(b)
    lines = []
    for file, problems in by_file.items():
        lines += [broken_line(b) for b in problems[:SHOWN_PER_FILE]]
        if len(problems) > SHOWN_PER_FILE:
            unit = problems[0].unit or NO_UNIT
            lines.append(f"{unit} {file}: ……另有{len(problems) - SHOWN_PER_FILE}处错误，运行gwgk validate查看全部")  # half-width: a location
    return lines


def broken_lines(broken: Sequence[BrokenLedger]) -> list[str]:
    """``shown_lines`` under a heading; nothing when every ledger was read."""
    from gwgk.reports.overdue import UNCHECKED

    return [f"{UNCHECKED}：", *shown_lines(broken)] if broken else []


def unchecked_rows(broken: Sequence[BrokenLedger], headers: Sequence[str]) -> list[list[str]]:
    """A row per unit whose ledger is broken: the unit, 台账有误,未核查 as its state, and where."""
    from gwgk.reports.overdue import UNCHECKED

    by_unit: dict[str, list[BrokenLedger]] = {}
    for b in broken:
        if b.unit is not None:
            by_unit.setdefault(b.unit, []).append(b)
    rows = []
    for unit, problems in by_unit.items():
        row = [unit if h == "单位" else UNCHECKED if h in ("状态", "超期未完成", "应完成") else "" for h in headers]
        if headers[-1] == "最近进展":  # where the ledger is wrong, for the clerk who will fix it
            row[-1] = "\n".join(line.removeprefix(unit + " ") for line in shown_lines(problems))
        rows.append(row)
    return rows


def overdue_headers(report: OverdueReport) -> tuple[str, ...]:
    """The item columns: ``OVERDUE_HEADERS``, with 年度 after 单位 when the report covers several plan years."""
    return (OVERDUE_HEADERS[0], "年度", *OVERDUE_HEADERS[1:]) if len(report.plans) > 1 else OVERDUE_HEADERS


def overdue_rows(report: OverdueReport, *, repeat_unit: bool = True) -> list[list[str]]:
    """One row per overdue or lagging instance, worst unit first."""
    return list(iter_overdue_rows(report, repeat_unit=repeat_unit))


def iter_overdue_rows(report: OverdueReport, *, repeat_unit: bool = True) -> Iterator[list[str]]:
    """``overdue_rows`` one at a time (a province has a hundred thousand of them); the units whose
    ledger is broken first, 台账有误,未核查."""
    yield from unchecked_rows(report.broken, overdue_headers(report))
    years = len(report.plans) > 1
    previous = None
    for item in report.items:
        due = due_cell(item.due, item.original_due, item.extended)
        progress = progress_cell(item.last_progress, item.last_note)
        unit = item.unit if repeat_unit or item.unit != previous else ""
        previous = item.unit
        lagging = item.state == "lagging" and item.idle_days is not None
        silent = item.state == "no_event" and item.idle_days is not None  # counted from the day an event was expected
        state = item.state_label
        if lagging and item.idle_days is not None:
            state = f"{item.state_label}（{idle_text(item.idle_days)}）"
        elif silent:
            state = f"{item.state_label}（期限已过{item.idle_days}天）"
        yield [unit, *([str(item.plan)] if years else []), str(item.task), item.title, item.role_label, item.duty or "—",
               item.instance_label or instance_label(item.instance), due, "—" if lagging or silent else str(item.days_overdue),
               state, progress]


def count_rows(report: OverdueReport) -> list[list[str]]:
    """One row per unit that has anything overdue, lagging or awaiting review, and a total row."""
    rows = unchecked_rows(report.broken, COUNT_HEADERS)
    rows += [[c.unit, str(c.overdue), str(c.lagging), str(c.submitted)] for c in report.units
             if c.overdue or c.lagging or c.submitted]
    rows.append(["合计", str(report.total_overdue), str(report.total_lagging), str(report.total_submitted)])
    return rows


def overdue_summary(report: OverdueReport) -> str:
    """One sentence: how many units and items (and how many units were not checked)."""
    from gwgk.reports.overdue import unchecked_units

    text = (
        f"截至{chinese_date(report.as_of)}，{report.units_in_scope}个单位中有{report.units_with_items}个单位存在问题："
        f"超期未完成{report.total_overdue}项次，进度滞后{report.total_lagging}项次。"
    )
    if report.total_no_event:
        text += f"有 {report.total_no_event} 项有触发事件的任务到期未报送任何事件（未报送事件）。"
    if report.total_submitted:
        text += f"另有{report.total_submitted}项次已登记完成、待审核销号。"
    unchecked = unchecked_units(report.broken)
    if report.broken:
        text += f"另有{len(unchecked)}个单位台账有误，未核查。" if unchecked else "另有台账文件不属于任何单位。"
    return text


def overdue_markdown(report: OverdueReport) -> str:
    """The 回头看 as Markdown: summary, counts per unit, then every item."""
    from gwgk.reports.overdue import UNCHECKED

    text = f"# 回头看：超期未完成和进度滞后事项\n\n{overdue_summary(report)}\n\n"
    if report.broken:
        text += f"## {UNCHECKED}\n\n" + "".join(f"- {_md_cell(line)}\n" for line in broken_lines(report.broken)[1:]) + "\n"
    if not report.items and not report.broken:
        return text
    return (text + "## 各单位情况\n\n" + markdown_table(COUNT_HEADERS, count_rows(report))
            + "\n## 事项清单\n\n" + markdown_table(overdue_headers(report), overdue_rows(report)))


def overdue_csv(report: OverdueReport) -> str:
    """The 回头看 items as CSV."""
    return csv_text(overdue_headers(report), iter_overdue_rows(report))


# ---------------------------------------------------------------- year-end report

# 应完成 = 按时完成 + 逾期完成 + 超期未完成 + 待审核 + 不适用 (``findings.UnitSummary``); 未到期 and
# 进度滞后 are apart from it
UNIT_SUMMARY_HEADERS = ("单位", "应完成", "按时完成", "逾期完成", "超期未完成", "待审核", "不适用", "按时完成率", "未到期", "进度滞后")
TASK_SUMMARY_HEADERS = ("序号", "任务", "承担单位数", "超期未完成", "进度滞后", "未按期单位")


def unit_summary_rows(report: YearReport) -> list[list[str]]:
    """One row per unit (those whose ledger is broken first, 台账有误,未核查), then the total."""
    from gwgk.reports.overdue import UNCHECKED, unchecked_units
    from gwgk.reports.year import percent

    rows = [[unit, UNCHECKED, *[""] * (len(UNIT_SUMMARY_HEADERS) - 2)] for unit in unchecked_units(report.broken)]
    return rows + [
        [u.unit, str(u.owed), str(u.done_on_time), str(u.done_late), str(u.overdue), str(u.submitted), str(u.not_applicable),
         percent(u.on_time_rate), str(u.not_due), str(u.lagging)]
        for u in [*report.units, report.totals]
    ]


def task_summary_rows(report: YearReport) -> list[list[str]]:
    """One row per task, most overdue first."""
    rows = []
    for t in report.tasks:
        behind = "、".join(t.units_behind[:6]) + (f"等{len(t.units_behind)}个单位" if len(t.units_behind) > 6 else "")
        rows.append([str(t.task), t.title, str(t.units), str(t.overdue), str(t.lagging), behind or "—"])
    return rows


def year_markdown(report: YearReport) -> str:
    """The year-end report as Markdown."""
    return (
        f"# {report.plan_title}落实情况（截至{chinese_date(report.as_of)}）\n\n"
        + "".join(f"- {_md_cell(line)}\n" for line in broken_lines(report.broken)) + ("\n" if report.broken else "")
        + f"## 存在的主要问题及改进情况\n\n{report.paragraph}\n\n"
        "## 各单位完成情况\n\n" + markdown_table(UNIT_SUMMARY_HEADERS, unit_summary_rows(report))
        + "\n## 各任务完成情况\n\n" + markdown_table(TASK_SUMMARY_HEADERS, task_summary_rows(report))
    )
