"""The 回头看 通报: the notice in 公文 form that the office issues after a 回头看, as a model of
paragraphs, a summary table per unit, an attachment listing each unit's items, and the 版头 and 版记
(发文字号, 主送, 抄送, 印发机关 and 印发日期) — ``render.docx`` draws it per GB/T 9704-2012.

Every count in the notice comes from one list of per-unit summaries (``merged_summaries``: every
plan covered, a finished plan's 长期 tasks no longer lagging), so the paragraph, the table and the
attachment agree with each other and with ``overdue --format json``.

Pure: the as-of date and the rectification date are parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel

from gwgk.catalogue.model import Catalogue
from gwgk.catalogue.plan import DocumentSettings
from gwgk.errors import UsageError
from gwgk.reports.findings import UnitSummary, summed
from gwgk.reports.overdue import UNCHECKED, OverdueItem, OverdueReport, unchecked_units
from gwgk.reports.wording import chinese_date, chinese_number, instance_label

DEFAULT_ADDRESSEES = "各有关单位"
RECTIFY_WORKING_DAYS = 10
ATTACHMENT_TITLE = "各单位超期未完成和进度滞后事项清单"
ATTACHMENT_HEADERS = ("单位", "序号", "任务", "期次", "到期日", "超期天数", "状态")
UNIT_ITEM_HEADERS = ("序号", "任务", "期次", "到期日", "超期天数", "状态")
SUMMARY_TITLE = "各单位落实情况"
SUMMARY_HEADERS = ("单位", "应完成", "按时完成", "逾期完成", "超期未完成", "待审核", "不适用", "进度滞后", "超期最久的事项")
NAMED = 5  # units and tasks named in 存在的问题; the rest are in the table and the attachment


class NoticeParagraph(BaseModel):
    """One paragraph of the notice: a first- or second-level heading, body text, or the place of
    the summary table (``table``, its text the table's title)."""

    kind: Literal["h1", "h2", "text", "table"]
    text: str


class NoticeRow(BaseModel):
    """One row of the attachment: an overdue or lagging instance, or a unit not checked."""

    unit: str
    task: int | None
    title: str
    instance: str  # the instance in words (2021年第三季度), never its key
    due: dt.date | None
    days_overdue: int | None
    state_label: str

    def cells(self) -> list[str]:
        """The row as the attachment's cells (单位, 序号, 任务, 期次, 到期日, 超期天数, 状态)."""
        return [self.unit, *self.unit_cells()]

    def unit_cells(self) -> list[str]:
        """The row without its unit (a unit's own list)."""
        return ["" if self.task is None else str(self.task), self.title, self.instance,
                "" if self.due is None else self.due.isoformat(),
                "" if self.days_overdue is None else str(self.days_overdue), self.state_label]


class UnitPart(BaseModel):
    """One unit's part of the attachment: its heading and its items."""

    unit: str
    heading: str
    rows: list[NoticeRow]


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
    number: str | None = None  # 发文字号; None: no 版头
    cc: str | None = None  # 抄送
    printer: str = ""  # 印发机关
    printed: str = ""  # 印发日期: 2021年10月8日印发
    summary: list[UnitSummary] = []  # the summary table: a row per unit checked, then the total
    parts: list[UnitPart] = []  # the attachment, unit by unit


def default_rectify_by(as_of: dt.date) -> dt.date:
    """Ten working days after the as-of date."""
    from gwgk.errors import DataError, UsageError
    from gwgk.judge.workdays import add_working_days

    try:
        return add_working_days(as_of, RECTIFY_WORKING_DAYS)
    except DataError as exc:
        raise UsageError(f"无法从统计日期 {as_of} 推算默认的整改期限（{exc.message}）；请用 --rectify-by 指定整改期限") from None


def document_number(pattern: str | None, number: str | None, year: int) -> str | None:
    """The 发文字号: ``number`` as written when it is more than a serial number, else the
    ``pattern`` (``兴政公办〔{year}〕{n}号``) with ``{year}`` and ``{n}`` filled (a blank of two
    spaces where no serial number is given yet, to be filled by hand); None without either."""
    if number is not None and number.strip() and not number.strip().isdigit():
        return number.strip()
    if pattern is None:
        if number is not None:
            raise UsageError(f"--number {number} 只是序号，但计划的 settings.documents.number 没有写文号格式"
                             "（如 兴政公办〔{year}〕{n}号）；请写出完整文号，如 --number 兴政公办〔2021〕12号")
        return None
    serial = str(int(number)) if number is not None and number.strip() else "\u3000\u3000"
    return pattern.replace("{year}", str(year)).replace("{n}", serial)


def merged_summaries(plans: Iterable[tuple[bool, Iterable[UnitSummary]]], units: Sequence[str]) -> list[UnitSummary]:
    """One summary per unit of ``units`` (in that order) adding up its summaries of every plan
    covered; ``plans`` gives, per plan, whether its year is over (its 长期 tasks no longer lag, as
    the 回头看 lists them) and its units' summaries. Units with no summary (not checked) are left out."""
    by_unit: dict[str, list[UnitSummary]] = {}
    for ended, summaries in plans:
        for s in summaries:
            by_unit.setdefault(s.unit, []).append(s.model_copy(update={"lagging": 0}) if ended else s)
    return [summed(by_unit[u], u) for u in units if u in by_unit]


def _addressees(catalogue: Catalogue, scope: Sequence[str], given: str | None) -> str:
    if given:
        return given
    if scope and len(scope) < len(catalogue.units) and len(scope) <= NAMED:
        return "、".join(scope)
    return catalogue.settings.documents.addressees or catalogue.plan.addressees or DEFAULT_ADDRESSEES


def _overview(report: OverdueReport, total: UnitSummary) -> str:
    done = total.done_on_time + total.done_late
    text = (f"本次共核查{report.units_in_scope}个单位。截至{chinese_date(report.as_of)}，到期应完成事项{total.owed}项次，"
            f"已完成{done}项次（其中逾期完成{total.done_late}项次）")
    if total.submitted:
        text += f"，已报完成待审核{total.submitted}项次"
    if total.not_applicable:
        text += f"，登记不适用{total.not_applicable}项次"
    text += f"，超期未完成{total.overdue}项次；长期任务进度滞后{total.lagging}项次"
    text += f"；有触发事件的任务未报送事件{report.total_no_event}项次。" if report.total_no_event else "。"
    if report.units_with_items:
        text += f"{report.units_with_items}个单位存在超期未完成或进度滞后事项。"
    else:
        text += "各单位均按要求推进，未发现超期未完成或进度滞后事项。"
    unchecked = unchecked_units(report.broken)
    if unchecked:
        text += f"另有{len(unchecked)}个单位台账有误，未能核查。"
    return text + "各单位落实情况见下表，具体事项见附件。"


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
    named = "、".join(f"{f'{plan}年计划' if years else ''}第{task}项“{title}”（{n}项次，涉及{len(units)}个单位）"
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
        found.append(("部分台账填写有误", f"{'、'.join(unchecked)}的工作台账有误，无法读取，本次未能核查。"))
    shown = [(head, text) for head, text in found if text]
    if not shown:
        return [NoticeParagraph(kind="text", text="本次回头看未发现超期未完成或进度滞后事项。")]
    out: list[NoticeParagraph] = []
    for i, (head, text) in enumerate(shown):
        out.append(NoticeParagraph(kind="h2", text=f"（{chinese_number(i + 1)}）{head}"))
        out.append(NoticeParagraph(kind="text", text=text))
    return out


def _requirements(report: OverdueReport, rectify_by: dt.date) -> str:
    text = (f"请存在问题的单位对照附件逐项核查，超期未完成或进度滞后的立即着手整改，于{chinese_date(rectify_by)}前"
            "整改到位，并在工作台账中登记完成情况和佐证材料；确因客观原因不能按期完成的，在台账中登记延期及原因。")
    if report.broken:
        text += "台账有误的单位请先改正台账（可运行gwgk validate查看问题所在），再登记整改情况。"
    return text + "整改情况将纳入下一次回头看跟进督查。"


def item_row(item: OverdueItem, years: bool) -> NoticeRow:
    """An item as a row of the attachment (the plan's year after the task when several are covered)."""
    lagging = item.state == "lagging" and item.idle_days is not None
    return NoticeRow(unit=item.unit, task=item.task, title=f"{item.title}（{item.plan}年）" if years else item.title,
                     instance=item.instance_label or instance_label(item.instance), due=item.due,
                     days_overdue=item.days_overdue if item.state == "overdue" else None,
                     state_label=f"{item.state_label}（已{item.idle_days}天无进展）" if lagging else item.state_label)


def attachment_rows(report: OverdueReport) -> list[NoticeRow]:
    """The attachment: every unit not checked, then every overdue or lagging item of the report."""
    rows = [NoticeRow(unit=u, task=None, title="", instance="", due=None, days_overdue=None, state_label=UNCHECKED)
            for u in unchecked_units(report.broken)]
    years = len(report.plans) > 1  # several plan years: each task says which plan it is from
    return rows + [item_row(i, years) for i in report.items]


def unit_parts(report: OverdueReport) -> list[UnitPart]:
    """The attachment unit by unit, in the report's order (the units not checked first)."""
    parts = [UnitPart(unit=u, heading=f"{u}（{UNCHECKED}）", rows=[]) for u in unchecked_units(report.broken)]
    years = len(report.plans) > 1
    by_unit: dict[str, list[NoticeRow]] = {}
    for item in report.items:
        by_unit.setdefault(item.unit, []).append(item_row(item, years))
    for count in report.units:
        if count.unit not in by_unit:
            continue
        said = [f"超期未完成{count.overdue}项次"] if count.overdue else []
        said += [f"进度滞后{count.lagging}项次"] if count.lagging else []
        parts.append(UnitPart(unit=count.unit, heading=f"{count.unit}（{'，'.join(said)}）", rows=by_unit[count.unit]))
    return parts


def plan_titles(titles: Sequence[str]) -> str:
    """《A》 or 《A》《B》, the plans covered, the latest first."""
    return "".join(f"《{t}》" for t in dict.fromkeys(titles))


def notice(catalogue: Catalogue, report: OverdueReport, summaries: Sequence[UnitSummary], rectify_by: dt.date,
           scope: Sequence[str] = (), *, titles: Sequence[str] = (), issuer: str | None = None,
           number: str | None = None, addressees: str | None = None, cc: str | None = None,
           printer: str | None = None) -> Notice:
    """The 通报 of a 回头看: 总体情况 and the summary table from ``summaries`` (one per unit checked,
    every plan covered added up: ``merged_summaries``), 存在的问题 from the report, 整改要求 with
    ``rectify_by``, the attachment listing each unit's items; ``scope`` the units asked for (a few
    units are addressed by name); ``titles`` the titles of the plans covered (default: the
    catalogue's). ``issuer``, ``number`` (a serial number for the settings' pattern, or a whole
    文号), ``addressees``, ``cc`` and ``printer`` override ``settings.documents`` for this notice."""
    plan = catalogue.plan
    documents: DocumentSettings = catalogue.settings.documents
    named = plan_titles(titles or [plan.title])
    order = {c.unit: i for i, c in enumerate(report.units)}  # the report's order: the most overdue first
    rows = sorted((s for s in summaries if s.unit in order), key=lambda s: order[s.unit])
    total = summed(rows)
    lead = (f"为推动{named}各项任务落实，按照“配套建立工作台账，适时跟进督查”的要求，"
            f"对各单位截至{chinese_date(report.as_of)}的落实情况开展了“回头看”。现将有关情况通报如下：")
    body = [
        NoticeParagraph(kind="text", text=lead),
        NoticeParagraph(kind="h1", text="一、总体情况"),
        NoticeParagraph(kind="text", text=_overview(report, total)),
        NoticeParagraph(kind="table", text=SUMMARY_TITLE),
        NoticeParagraph(kind="h1", text="二、存在的问题"),
        *_problems(report, catalogue.settings.lag_days),
        NoticeParagraph(kind="h1", text="三、整改要求"),
        NoticeParagraph(kind="text", text=_requirements(report, rectify_by)),
    ]
    signer = issuer or documents.issuer or plan.issuer
    return Notice(
        as_of=report.as_of, title=f"关于{named}落实情况“回头看”的通报",
        addressees=_addressees(catalogue, scope, addressees), body=body, attachment_title=ATTACHMENT_TITLE,
        attachment=attachment_rows(report), issuer=signer, date=chinese_date(report.as_of), rectify_by=rectify_by,
        number=document_number(documents.number, number, report.as_of.year),
        cc=cc if cc is not None else documents.cc, printer=printer or documents.printer or signer,
        printed=f"{chinese_date(report.as_of)}印发", summary=[*rows, total], parts=unit_parts(report),
    )
