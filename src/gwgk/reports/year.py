"""The year-end report model (``gwgk report``): per unit and per task, and a paragraph for the
annual report's "五、存在的主要问题及改进情况"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from pydantic import BaseModel

from gwgk.catalogue.model import Catalogue
from gwgk.entries.closures import ClosureNote
from gwgk.reports.findings import UnitFindings, UnitSummary, summed
from gwgk.reports.overdue import BrokenLedger, unchecked_units
from gwgk.reports.wording import chinese_date

if TYPE_CHECKING:
    from gwgk.files.workspace import Workspace


class TaskSummary(BaseModel):
    """One task across units: how many units are behind on it."""

    task: int
    title: str
    units: int
    overdue: int
    lagging: int
    units_behind: list[str]


class YearReport(BaseModel):
    """``gwgk report``."""

    as_of: dt.date
    plan_title: str
    units: list[UnitSummary]
    tasks: list[TaskSummary]
    totals: UnitSummary
    paragraph: str
    broken: list[BrokenLedger] = []  # ledgers that could not be read; their units are in no table
    closure: ClosureNote | None = None  # the office closed the plan (``gwgk plan close``): still counted, named


def percent(rate: float | None) -> str:
    """0.8571 as 85.7%; — when there is no rate."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


def counts_sentence(total: UnitSummary) -> str:
    """应完成 and its parts in one clause, as every document words them (full-width, no spaces)."""
    text = (f"应完成的工作任务共{total.owed}项次，按时完成{total.done_on_time}项次，逾期完成{total.done_late}项次，"
            f"超期未完成{total.overdue}项次")
    if total.submitted:
        text += f"，已报完成待审核{total.submitted}项次"
    text += f"，不适用{total.not_applicable}项次，按时完成率{percent(total.on_time_rate)}"
    if total.not_due:
        text += f"；另有未到期事项{total.not_due}项次"
    if total.lagging:
        text += f"，长期任务进度滞后{total.lagging}项次"
    return text


def _names(names: list[str], limit: int = 5) -> str:
    shown = "、".join(names[:limit])
    return shown + (f"等{len(names)}个单位" if len(names) > limit else "")


def year_report(catalogue: Catalogue, findings: Iterable[UnitFindings], as_of: dt.date) -> YearReport:
    """The year-end report from the findings of every unit of the catalogue
    (``findings.timeline_findings``, through ``remembered``)."""
    units: list[UnitSummary] = []
    per_task: dict[int, dict[str, set[str] | int]] = {
        t: {"units": set(), "overdue": 0, "lagging": 0, "behind": set()} for t in catalogue.tasks
    }
    for found in findings:
        units.append(found.summary)
        for task in found.tasks:
            per_task[task]["units"].add(found.unit)  # type: ignore[union-attr]
        for tally in found.behind:
            stats = per_task[tally.task]
            stats["overdue"] += tally.overdue  # type: ignore[operator]
            stats["lagging"] += tally.lagging  # type: ignore[operator]
            stats["behind"].add(found.unit)  # type: ignore[union-attr]
    tasks = [
        TaskSummary(task=t, title=catalogue.tasks[t].title, units=len(s["units"]), overdue=s["overdue"], lagging=s["lagging"],  # type: ignore[arg-type]
                    units_behind=[u for u in catalogue.units if u in s["behind"]])  # type: ignore[operator]
        for t, s in per_task.items()
    ]
    tasks.sort(key=lambda t: (-t.overdue, -t.lagging, t.task))
    total = summed(units)
    order = {name: i for i, name in enumerate(catalogue.units)}
    units.sort(key=lambda u: (-u.overdue, -u.lagging, u.on_time_rate if u.on_time_rate is not None else 2.0, order[u.unit]))
    return YearReport(
        as_of=as_of, plan_title=catalogue.plan.title, units=units, tasks=tasks, totals=total,
        paragraph=paragraph(catalogue, as_of, units, tasks, total),
    )


def year_report_of(workspace: Workspace, catalogue: Catalogue, day: dt.date, *, strict: bool = False) -> YearReport:
    """The year-end report of one plan as of ``day``, every unit's ledger read from ``workspace``;
    broken ledgers named in it (``strict``: refused, ``DataError``)."""
    from gwgk.entries.closures import note
    from gwgk.ledger.closing import read_closures
    from gwgk.reports.survey import Survey

    survey = Survey(workspace, catalogue, catalogue.units_begun(day), day)
    result = year_report(catalogue, survey.findings(), day)
    broken = survey.broken(strict=strict)
    result = with_broken(catalogue, result, broken) if broken else result
    closure = read_closures(workspace).closed(catalogue.plan.year, day)
    return with_closure(result, note(closure)) if closure else result


def with_closure(report: YearReport, closure: ClosureNote) -> YearReport:
    """The report naming the office's closure of the plan: its overdue items still count (they were
    owed and not done), and the paragraph says they are no longer chased."""
    day = f"{closure.entered.year}年{closure.entered.month}月{closure.entered.day}日"
    text = (f"{report.paragraph}{day}，政务公开办决定该计划收尾（{closure.id}，原因：{closure.reason}），"
            f"其超期未完成的{report.totals.overdue}项次仍计入本汇总，不再列入回头看催办。")
    return report.model_copy(update={"closure": closure, "paragraph": text})


def with_broken(catalogue: Catalogue, report: YearReport, broken: list[BrokenLedger]) -> YearReport:
    """The report with the broken ledgers named, in the model and in the paragraph."""
    text = paragraph(catalogue, report.as_of, report.units, report.tasks, report.totals, unchecked_units(broken))
    return report.model_copy(update={"broken": broken, "paragraph": text})


def paragraph(catalogue: Catalogue, as_of: dt.date, units: list[UnitSummary], tasks: list[TaskSummary], total: UnitSummary,
              unchecked: list[str] | None = None) -> str:
    """A paragraph in the style of the annual report's 存在的主要问题及改进情况, built from the figures
    (in 公文 style: no spaces around numbers)."""
    day = chinese_date(as_of)
    text = f"截至{day}，全市{len(units)}个单位对照《{catalogue.plan.title}》{counts_sentence(total)}。"
    if unchecked:
        text += f"另有{_names(unchecked)}的工作台账有误，未核查。"
    problems = []
    behind = [u.unit for u in units if u.overdue]
    if behind:
        problems.append(f"部分单位任务落实不到位，{_names(behind)}存在超期未完成事项")
    worst = [t for t in tasks if t.overdue][:3]
    if worst:
        # ranked by the number shown first: overdue instances (tasks come sorted by it)
        listed = "、".join(f"第{t.task}项“{t.title}”（超期{t.overdue}项次，涉及{len(t.units_behind)}个单位）" for t in worst)
        problems.append(f"部分任务推进较慢，超期较集中的是{listed}")
    lagging = [u.unit for u in units if u.lagging]
    if lagging:
        problems.append(
            f"长期任务跟进不够，{_names(lagging)}的长期任务超过{catalogue.settings.lag_days}天没有进展记录"
        )
    if problems:
        ordinals = "一二三四五"
        text += "存在的主要问题：" + "；".join(f"{ordinals[i]}是{p}" for i, p in enumerate(problems)) + "。"
        text += "改进措施：对照工作台账逐项核查，超期未完成或进度滞后的立即着手整改，明确责任人和完成时限，整改情况纳入下一年度工作要点跟进督查。"
    else:
        text += "各单位均按要求推进，未发现超期未完成或进度滞后的事项。"
    if total.submitted:
        text += f"单位已报完成、待政务公开办审核销号的{total.submitted}项次，审核后计入完成情况。"
    return text
