"""``gwgk overdue`` (the 回头看) and ``gwgk report`` (the year-end view)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer

from gwgk.commands import common
from gwgk.commands.app import CONTEXT, app
from gwgk.commands.plans import PLAN_HELP, book, books, lookback_scope
from gwgk.errors import EXIT_FOUND, EXIT_OK
from gwgk.process.collector import collector_paused

if TYPE_CHECKING:
    from gwgk.catalogue.model import Catalogue
    from gwgk.entries.closures import ClosureNote
    from gwgk.reports.notice import Notice
    from gwgk.reports.overdue import BrokenLedger, OverdueReport

OUTPUT_HELP = "写入文件而不是显示（原子写入）；文件名可含 {date}，如 reports/回头看-{date}.md。"
UNIT_OUTPUT_HELP = OUTPUT_HELP + "含 {unit} 时每个有超期、滞后事项（或台账有误）的单位各写一个文件，只含它自己的部分，如 '通报/{unit}.docx'。"


def _warn_broken(broken: list[BrokenLedger]) -> None:
    """Name every broken ledger on stderr, so a cron mail shows it even when the report goes to a file."""
    if not broken:
        return
    from gwgk.render.text import shown_lines
    from gwgk.reports.overdue import UNCHECKED

    print(f"注意：以下台账有误，相应单位{UNCHECKED}（改正后重新运行；--strict 时拒绝生成报告）：", file=sys.stderr)
    for line in shown_lines(broken):
        print("  " + line, file=sys.stderr)


def _note_closed(closed: list[ClosureNote], silent: bool) -> None:
    """A line on stderr for each plan the office closed: its leftovers are not listed."""
    for one in [] if silent else closed:
        print(f"提示：{one.plan} 年计划已于 {one.entered.isoformat()} 收尾（{one.id}：{one.reason}），回头看不再列出其未完成事项"
              f"（gwgk report --plan {one.plan} 仍计为超期未完成）。", file=sys.stderr)


def _note_period(cat: Catalogue, day: dt.date) -> None:
    """A one-line note on stderr when the as-of date is outside the plan's period."""
    plan = cat.plan
    if plan.effective_from <= day <= plan.effective_to:
        return
    side = "早于" if day < plan.effective_from else "晚于"
    print(f"提示：统计日期 {day.isoformat()} {side}计划期（{plan.effective_from.isoformat()} 至 "
          f"{plan.effective_to.isoformat()}），超期天数算到这一天；要看计划期内某一天，请用 --as-of。", file=sys.stderr)


def _notes(report: OverdueReport, catalogue: Catalogue, day: dt.date, silent: bool) -> None:
    """What the 回头看 says on stderr beside the report: the period note, broken ledgers, closed plans."""
    if not silent:
        _note_period(catalogue, day)
    _warn_broken(report.broken)
    _note_closed(report.closed, silent)


def _html(name: str) -> Callable[[Any], str]:
    """The HTML renderer ``name``, imported only when used (its imports cost every other format 5 ms)."""

    def page(model: Any) -> str:
        from gwgk.render import html

        return str(getattr(html, name)(model))

    return page


NUMBER_HELP = "通报的发文字号：只写序号（如 12）时按计划设置 settings.documents.number 的格式（如 兴政公办〔{year}〕{n}号）排出，也可写完整文号。"
ISSUER_HELP = "通报的发文机关（署名），如 兴义市政务公开领导小组办公室；默认按计划设置或计划的印发单位。"
YEAR_ISSUER_HELP = "Word 文档末尾署名的机关；默认按计划设置 settings.documents.issuer，没有时不署名。"
def _deliver_lookback(fmt: str, report: OverdueReport, output: str | None, day: dt.date, *, silent: bool,
                      issue: Callable[[OverdueReport, list[str]], Notice], scope: list[str], due_soon: bool = False) -> None:
    """The 回头看 printed or written in ``fmt`` (the 通报 made by ``issue`` from a report and the
    units addressed); with ``{unit}`` in ``output``, each unit that has a part of its own gets a
    file of that part alone."""
    from gwgk.render import reminders, terminal, text
    from gwgk.reports.parts import unit_part, units_with_parts

    table, md = ((reminders.overdue_due_soon_table, reminders.overdue_due_soon_markdown) if due_soon
                 else (terminal.overdue_table, text.overdue_markdown))

    parts = [(u, unit_part(report, u)) for u in units_with_parts(report)] if common.per_unit(output) else [(None, report)]
    for unit, part in parts:
        def docx(part: OverdueReport = part, units: list[str] = [unit] if unit else scope) -> bytes:
            from gwgk.render.docx import notice_docx

            return notice_docx(issue(part, units))

        common.deliver(fmt, part, output, day, silent=silent, table=table, unit=unit, docx=docx,
                       texts={"md": md, "csv": text.overdue_csv, "html": _html("overdue_html")})


STRICT_HELP = "有任何台账有误就拒绝生成报告（退出码 2）；默认照常生成，把台账有误的单位列在最前，退出码 1。"


@app.command(context_settings=CONTEXT, options_metavar="[选项]")
@collector_paused()  # a report builds hundreds of thousands of objects, none in a cycle: see ``process.collector``
def overdue(
    ctx: typer.Context,
    as_of: str | None = typer.Option(None, "--as-of", metavar="日期", help=common.AS_OF_HELP),
    unit: list[str] = typer.Option([], "--unit", "-u", metavar="单位", help="只看这些单位，可写多次。"),
    group: list[str] = typer.Option([], "--group", "-g", metavar="单位组", help="只看这个单位组，如 市直有关部门、各乡镇（街道）；可写多次。"),
    format: str = typer.Option("table", "--format", "-f", metavar="格式",
                               help=common.FORMAT_HELP.format("table、json、md、csv、html、docx（通报，须写 --output）")),
    output: str | None = typer.Option(None, "--output", "-o", metavar="文件", help=OUTPUT_HELP),
    no_cache: bool = typer.Option(False, "--no-cache", help=common.NO_CACHE_HELP),
    check: bool = typer.Option(False, "--check", help="有超期未完成或未报送事件的事项时以退出码 1 结束（供定时任务判断）。"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="没有超期未完成、未报送事件的事项时什么也不显示。"),
    strict: bool = typer.Option(False, "--strict", help=STRICT_HELP),
    rectify_by: str | None = typer.Option(None, "--rectify-by", metavar="日期", help="通报里的整改期限；默认是统计日期后第 10 个工作日。"),
    plan: int | None = typer.Option(None, "--plan", metavar="年度",
                                    help="只看这一年的计划；不指定时包括 --as-of 那天已开始的每一年的计划（上一年仍未完成的事项也列出）。"),
    due_soon: bool = typer.Option(False, "--due-soon", help="在超期和滞后事项旁边，再列出 --within 天内到期、尚未完成的事项（格式限 table、json、md）。"),
    within: int | None = typer.Option(None, "--within", min=0, max=366, metavar="天数",
                                      help="--due-soon 列出多少天内到期的事项；默认是任务目录 settings.due_soon_days。"),
    number: str | None = typer.Option(None, "--number", metavar="文号", help=NUMBER_HELP),
    issuer: str | None = typer.Option(None, "--issuer", metavar="机关", help=ISSUER_HELP),
    addressees: str | None = typer.Option(None, "--addressees", metavar="主送", help="通报的主送机关；默认按计划设置或计划的主送。"),
    cc: str | None = typer.Option(None, "--cc", metavar="抄送", help="通报版记里的抄送机关；默认按计划设置 settings.documents.cc。"),
    printer: str | None = typer.Option(None, "--printer", metavar="机关", help="通报版记里的印发机关；默认同发文机关。"),
) -> int:
    """回头看：列出各单位超期未完成（红）和进度滞后（黄）的事项，问题最多的单位在前；--format docx 生成通报。"""
    fmt = common.choose(format, ("table", "json", "md") if due_soon else ("table", "json", "md", "csv", "html", "docx"))
    common.require_file(fmt, output)
    day = common.as_of(as_of)
    from gwgk.commands.remind import due_soon_view
    from gwgk.judge.dates import parse_date
    from gwgk.reports.lookback import lookback

    rectify_day = None if rectify_by is None else parse_date(rectify_by, "--rectify-by 日期")
    chosen = books(common.workspace(ctx, use_cache=not no_cache), plan, day, every=True)
    cat = chosen[-1].catalogue  # the latest plan begun: the notice's title, the period note
    scope = lookback_scope(chosen, unit, group, day)
    result = lookback([(b.workspace, b.catalogue) for b in chosen], scope, day, strict=strict)
    # every event instance named by its event, in every format
    report = result.named(result.report) if not due_soon else due_soon_view(chosen, result.report, day, within)
    silent = quiet and report.total_overdue == 0 and report.total_no_event == 0 and not report.broken
    _notes(report, cat, day, silent)

    def issue(part: OverdueReport, units: list[str]) -> Notice:  # the 通报, made only for --format docx
        from gwgk.reports.notice import default_rectify_by, notice

        return notice(cat, part, result.summaries, rectify_day or default_rectify_by(day), units, titles=result.titles,
                      issuer=issuer, number=number, addressees=addressees, cc=cc, printer=printer)

    _deliver_lookback(fmt, report, output, day, silent=silent, issue=issue, scope=scope, due_soon=due_soon)
    return EXIT_FOUND if report.broken or (check and (report.total_overdue or report.total_no_event)) else EXIT_OK


@app.command(context_settings=CONTEXT, options_metavar="[选项]")
@collector_paused()  # a report builds hundreds of thousands of objects, none in a cycle: see ``process.collector``
def report(
    ctx: typer.Context,
    as_of: str | None = typer.Option(None, "--as-of", metavar="日期", help=common.AS_OF_HELP),
    format: str = typer.Option("table", "--format", "-f", metavar="格式", help=common.FORMAT_HELP.format("table、json、md、html、docx（须写 --output）")),
    output: str | None = typer.Option(None, "--output", "-o", metavar="文件", help=OUTPUT_HELP),
    strict: bool = typer.Option(False, "--strict", help=STRICT_HELP),
    plan: int | None = typer.Option(None, "--plan", metavar="年度", help=PLAN_HELP),
    no_cache: bool = typer.Option(False, "--no-cache", help=common.NO_CACHE_HELP),
    issuer: str | None = typer.Option(None, "--issuer", metavar="机关", help=YEAR_ISSUER_HELP),
) -> int:
    """年终汇总：各单位应完成、按时完成、逾期完成、超期、滞后和按时完成率，各任务超期情况，以及年度报告用的问题段落。"""
    fmt = common.choose(format, ("table", "json", "md", "html", "docx"))
    common.require_file(fmt, output)
    day = common.as_of(as_of)
    chosen = book(common.workspace(ctx, use_cache=not no_cache), plan, day)
    from gwgk.reports.year import year_report_of

    result = year_report_of(chosen.workspace, chosen.catalogue, day, strict=strict)
    _note_period(chosen.catalogue, day)
    _warn_broken(result.broken)
    from gwgk.render import terminal, text

    def docx() -> bytes:
        from gwgk.render.docx import year_docx

        return year_docx(result, issuer or chosen.catalogue.settings.documents.issuer)

    common.deliver(fmt, result, output, day, silent=False, table=terminal.year_table,
                   texts={"md": text.year_markdown, "html": _html("year_html")}, docx=docx)
    return EXIT_FOUND if result.broken else EXIT_OK
