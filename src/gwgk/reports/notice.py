"""The 回头看 通报: the notice in 公文 form that the office issues after a 回头看, as a model of
paragraphs and an attachment table (``render.docx`` draws it per GB/T 9704-2012).

Pure: the as-of date and the rectification date are parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel

from gwgk.catalogue.model import Catalogue
from gwgk.reports.findings import UnitSummary
from gwgk.reports.overdue import UNCHECKED, OverdueReport, unchecked_units

DEFAULT_ADDRESSEES = "各有关单位"
RECTIFY_WORKING_DAYS = 10
ATTACHMENT_TITLE = "超期未完成和进度滞后事项清单"
ATTACHMENT_HEADERS = ("单位", "序号", "任务", "实例", "到期日", "超期天数", "状态")
ORDINALS = "一二三四五六七八九十"
NAMED = 5  # units and tasks named in 存在的问题; the rest are in the attachment


class NoticeParagraph(BaseModel):
    """One paragraph of the notice: a first- or second-level heading, or body text."""

    kind: Literal["h1", "h2", "text"]
    text: str


class NoticeRow(BaseModel):
    """One row of the attachment: an overdue or lagging instance, or a unit not checked."""

    unit: str
    task: int | None
    title: str
    instance: str
    due: dt.date | None
    days_overdue: int | None
    state_label: str

    def cells(self) -> list[str]:
        """The row as the attachment's cells (单位, 序号, 任务, 实例, 到期日, 超期天数, 状态)."""
        return [self.unit, "" if self.task is None else str(self.task), self.title, self.instance,
                "" if self.due is None else self.due.isoformat(),
                "" if self.days_overdue is None else str(self.days_overdue), self.state_label]


class Notice(BaseModel):
    """``gwgk overdue --format docx``: the 通报."""

    as_of: dt.date
    title: str
    addressees: str
    body: list[NoticeParagraph]
    attachment_title: str
    attachment: list[NoticeRow]
    issuer: str
    date: str  # 成文日期 in Arabic numerals: 2021年10月8日
    rectify_by: dt.date


def chinese_date(day: dt.date) -> str:
    """2021-10-08 as 2021年10月8日 (Arabic numerals, as GB/T 9704-2012 asks for 成文日期)."""
    return f"{day.year}年{day.month}月{day.day}日"


def default_rectify_by(as_of: dt.date) -> dt.date:
    """Ten working days after the as-of date."""
    from gwgk.judge.workdays import add_working_days

    return add_working_days(as_of, RECTIFY_WORKING_DAYS)


def _addressees(catalogue: Catalogue, scope: Sequence[str]) -> str:
    if scope and len(scope) < len(catalogue.units) and len(scope) <= NAMED:
        return "、".join(scope)
    return catalogue.plan.addressees or DEFAULT_ADDRESSEES


def _overview(report: OverdueReport, summaries: Sequence[UnitSummary]) -> str:
    owed = sum(s.owed for s in summaries)
    done = sum(s.done_on_time + s.done_late for s in summaries)
    late = sum(s.done_late for s in summaries)
    na = sum(s.not_applicable for s in summaries)
    text = (f"本次共核查{report.units_in_scope}个单位。截至{chinese_date(report.as_of)}，到期应完成事项{owed}项次，"
            f"已完成{done}项次（其中逾期完成{late}项次）")
    if na:
        text += f"，登记不适用{na}项次"
    text += f"，超期未完成{report.total_overdue}项次；长期任务进度滞后{report.total_lagging}项次"
    text += f"；有触发事件的任务未报送事件{report.total_no_event}项次。" if report.total_no_event else "。"
    if report.units_with_items:
        text += f"{report.units_with_items}个单位存在超期未完成或进度滞后事项。"
    else:
        text += "各单位均按要求推进，未发现超期未完成或进度滞后事项。"
    unchecked = unchecked_units(report.broken)
    if unchecked:
        text += f"另有{len(unchecked)}个单位台账有误，未能核查。"
    return text


def _worst_units(report: OverdueReport) -> str | None:
    behind = [c for c in report.units if c.overdue][:NAMED]
    if not behind:
        return None
    named = "、".join(f"{c.unit}（{c.overdue}项次）" for c in behind)
    more = sum(1 for c in report.units if c.overdue) - len(behind)
    return f"超期未完成事项较多的单位是{named}" + (f"，另有{more}个单位存在超期未完成事项。" if more > 0 else "。")


def _worst_tasks(report: OverdueReport) -> str | None:
    counts: dict[tuple[int, int], tuple[str, int, set[str]]] = {}
    years = len(report.plans) > 1
    for item in report.items:
        if item.state != "overdue":
            continue
        key = (item.plan or 0, item.task)
        title, n, units = counts.get(key, (item.title, 0, set()))
        units.add(item.unit)
        counts[key] = (title, n + 1, units)
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1][1], kv[0]))[:NAMED]
    named = "、".join(f"{f'{plan}年' if years else ''}第{task}项“{title}”（{n}项次，涉及{len(units)}个单位）"
                     for (plan, task), (title, n, units) in ranked)
    return f"超期较集中的任务是{named}。"


def _lagging(report: OverdueReport, lag_days: int) -> str | None:
    units = [c.unit for c in report.units if c.lagging]
    if not units:
        return None
    named = "、".join(units[:NAMED]) + (f"等{len(units)}个单位" if len(units) > NAMED else "")
    return f"{named}的长期任务超过{lag_days}天没有进展记录，跟进督查不够及时。"


def _problems(report: OverdueReport, lag_days: int) -> list[NoticeParagraph]:
    found = [
        ("超期未完成事项较多", _worst_units(report)),
        ("部分任务推进较慢", _worst_tasks(report)),
        ("长期任务跟进不够", _lagging(report, lag_days)),
    ]
    unchecked = unchecked_units(report.broken)
    if unchecked:
        found.append(("部分台账填写有误", f"{'、'.join(unchecked)}的工作台账有误，无法读取，本次{UNCHECKED}。"))
    shown = [(head, text) for head, text in found if text]
    if not shown:
        return [NoticeParagraph(kind="text", text="本次回头看未发现超期未完成或进度滞后事项。")]
    out: list[NoticeParagraph] = []
    for i, (head, text) in enumerate(shown):
        out.append(NoticeParagraph(kind="h2", text=f"（{ORDINALS[i]}）{head}"))
        out.append(NoticeParagraph(kind="text", text=text))
    return out


def _requirements(report: OverdueReport, rectify_by: dt.date) -> str:
    text = (f"请存在问题的单位对照附件逐项核查，超期未完成或进度滞后的立即着手整改，于{chinese_date(rectify_by)}前"
            "整改到位，并在工作台账中登记完成情况和佐证材料；确因客观原因不能按期完成的，在台账中登记延期及原因。")
    if report.broken:
        text += "台账有误的单位请先改正台账（可运行 gwgk validate 查看问题所在），再登记整改情况。"
    return text + "整改情况将纳入下一次回头看跟进督查。"


def attachment_rows(report: OverdueReport) -> list[NoticeRow]:
    """The attachment: every unit not checked, then every overdue or lagging item of the report."""
    rows = [NoticeRow(unit=u, task=None, title="", instance="", due=None, days_overdue=None, state_label=UNCHECKED)
            for u in unchecked_units(report.broken)]
    years = len(report.plans) > 1  # several plan years: each task says which plan it is from
    rows += [NoticeRow(unit=i.unit, task=i.task, title=f"{i.title}（{i.plan}年）" if years else i.title, instance=i.instance,
                       due=i.due, days_overdue=i.days_overdue if i.state == "overdue" else None,
                       state_label=f"{i.state_label}（已{i.idle_days}天无进展）" if i.idle_days is not None else i.state_label)
             for i in report.items]
    return rows


def notice(catalogue: Catalogue, report: OverdueReport, summaries: Sequence[UnitSummary], rectify_by: dt.date,
           scope: Sequence[str] = ()) -> Notice:
    """The 通报 of a 回头看: 总体情况 from every checked unit's ``summaries``, 存在的问题 from the
    report, 整改要求 with ``rectify_by``, the attachment listing every item; ``scope`` the units
    asked for (a few units are addressed by name)."""
    plan = catalogue.plan
    lead = (f"为推动《{plan.title}》各项任务落实，按照“配套建立工作台账，适时跟进督查”的要求，"
            f"对各单位截至{chinese_date(report.as_of)}的落实情况开展了“回头看”。现将有关情况通报如下：")
    body = [
        NoticeParagraph(kind="text", text=lead),
        NoticeParagraph(kind="h1", text="一、总体情况"),
        NoticeParagraph(kind="text", text=_overview(report, summaries)),
        NoticeParagraph(kind="h1", text="二、存在的问题"),
        *_problems(report, catalogue.settings.lag_days),
        NoticeParagraph(kind="h1", text="三、整改要求"),
        NoticeParagraph(kind="text", text=_requirements(report, rectify_by)),
    ]
    return Notice(
        as_of=report.as_of, title=f"关于《{plan.title}》落实情况“回头看”的通报",
        addressees=_addressees(catalogue, scope), body=body, attachment_title=ATTACHMENT_TITLE,
        attachment=attachment_rows(report), issuer=plan.issuer, date=chinese_date(report.as_of), rectify_by=rectify_by,
    )
