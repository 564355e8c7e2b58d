"""``gwgk overdue`` (the 回头看) and ``gwgk report`` (the year-end view)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import typer

from gwgk.commands import common
from gwgk.commands.app import CONTEXT, app
from gwgk.commands.plans import PLAN_HELP, book, books
from gwgk.errors import EXIT_FOUND, EXIT_OK
from gwgk.files.acyclic import collector_paused

if TYPE_CHECKING:
    from pydantic import BaseModel

    from gwgk.catalogue.model import Catalogue
    from gwgk.ledger.store import LazyLedgers
    from gwgk.render.table import Block
    from gwgk.reports.findings import UnitFindings
    from gwgk.reports.overdue import BrokenLedger, OverdueItem, OverdueReport
    from gwgk.reports.year import YearReport

OUTPUT_HELP = "写入文件而不是显示(原子写入);文件名可含 {date},如 reports/回头看-{date}.md。"


def _scope(cat: Catalogue, units: list[str], group: str | None) -> list[str]:
    """The units a report covers: ``--group`` members and ``--unit`` names, else every unit."""
    from gwgk.errors import UsageError

    chosen: list[str] = []
    if group:
        match = cat.directory.lookup(group)
        if match is None or not match.is_group:
            names = "、".join(cat.directory.groups)
            raise UsageError(f"没有单位组“{group}”,可用:{names}")
        chosen.extend(match.units)
    for name in units:
        unit = cat.resolve_unit(name).name
        if unit not in chosen:
            chosen.append(unit)
    if not chosen:
        return list(cat.units)
    return [u for u in cat.units if u in chosen]


def _readable(ledgers: LazyLedgers, units: list[str], day: dt.date, unit_of_file: dict[str, str]) -> Iterator[UnitFindings]:
    """The findings of each unit whose ledger can be read, one at a time; a broken ledger's
    problems are left in ``ledgers.problems`` and its file mapped to its unit in ``unit_of_file``."""
    from gwgk.reports.remembered import remembered_findings

    for unit, found, problems in remembered_findings(ledgers, units, day):
        if problems:
            unit_of_file.update({p.file: unit for p in problems})
        else:
            yield found


def _broken(ledgers: LazyLedgers, unit_of_file: dict[str, str]) -> list[BrokenLedger]:
    """Every problem of a broken ledger: the units' ledgers first, then files that belong to no unit."""
    from gwgk.reports.overdue import broken_ledgers

    problems = sorted(ledgers.problems, key=lambda p: p.file not in unit_of_file)
    return broken_ledgers(problems, unit_of_file)


def _refuse_broken(ledgers: LazyLedgers) -> None:
    """``--strict``: refuse the report when any ledger is broken (exit 2)."""
    from gwgk.errors import DataError

    if ledgers.problems:
        raise DataError("台账有错误,为免得出错误的结论,没有生成报告;请先改正(可运行 gwgk validate 查看)", ledgers.problems)


def _warn_broken(broken: list[BrokenLedger]) -> None:
    """Name every broken ledger on stderr, so a cron mail shows it even when the report goes to a file."""
    if not broken:
        return
    from gwgk.render.text import shown_lines
    from gwgk.reports.overdue import UNCHECKED

    print(f"注意:以下台账有误,相应单位{UNCHECKED}(改正后重新运行;--strict 时拒绝生成报告):", file=sys.stderr)
    for line in shown_lines(broken):
        print("  " + line, file=sys.stderr)


def _note_period(cat: Catalogue, day: dt.date) -> None:
    """A one-line note on stderr when the as-of date is outside the plan's period."""
    plan = cat.plan
    if plan.effective_from <= day <= plan.effective_to:
        return
    side = "早于" if day < plan.effective_from else "晚于"
    print(f"提示:统计日期 {day.isoformat()} {side}计划期({plan.effective_from.isoformat()} 至 "
          f"{plan.effective_to.isoformat()}),超期天数算到这一天;要看计划期内某一天,请用 --as-of。", file=sys.stderr)


def _require_file(fmt: str, output: str | None) -> None:
    """A Word document goes to a file, never to the terminal."""
    from gwgk.errors import UsageError

    if fmt == "docx" and output is None:
        raise UsageError("Word 文档(docx)不能显示在终端上,请用 --output 指定文件,如 --output '回头看通报-{date}.docx'")


def _deliver(fmt: str, model: BaseModel, output: str | None, day: dt.date, *, silent: bool,
             table: Callable[[Any], list[Block]], texts: Mapping[str, Callable[[Any], str]],
             docx: Callable[[], bytes] | None = None) -> None:
    """Render ``model`` in ``fmt`` (``table`` for the terminal, ``texts`` by format, JSON from the
    model itself, ``docx`` the Word document's bytes) and print it or write it to ``--output``."""
    if fmt == "docx" and docx is not None and output is not None:
        path = common.emit_bytes(docx(), output, day)
        if not silent:
            print(f"已写入 {path}", file=sys.stderr)
        return
    if fmt == "json":
        text = common.json_text(model)
    elif fmt in texts:
        text = texts[fmt](model)
    else:
        blocks = table(model)
        if output is None:
            if not silent:
                common.show(blocks)
            return
        text = common.table_text(blocks)
    if output is None:
        if not silent:
            common.emit(text, None, day)
        return
    path = common.emit(text, output, day, bom=fmt == "csv")
    if not silent:
        print(f"已写入 {path}", file=sys.stderr)


STRICT_HELP = "有任何台账有误就拒绝生成报告(退出码 2);默认照常生成,把台账有误的单位列在最前,退出码 1。"


@app.command(context_settings=CONTEXT, options_metavar="[选项]")
@collector_paused()  # a report builds hundreds of thousands of objects, none in a cycle: see ``files.acyclic``
def overdue(
    ctx: typer.Context,
    as_of: str | None = typer.Option(None, "--as-of", metavar="日期", help=common.AS_OF_HELP),
    unit: list[str] = typer.Option([], "--unit", "-u", metavar="单位", help="只看这些单位,可写多次。"),
    group: str | None = typer.Option(None, "--group", "-g", metavar="单位组", help="只看这个单位组,如 市直有关部门、各乡镇(街道)。"),
    format: str = typer.Option("table", "--format", "-f", metavar="格式", help=common.FORMAT_HELP.format("table、json、md、csv、html、docx(通报,须写 --output)")),
    output: str | None = typer.Option(None, "--output", "-o", metavar="文件", help=OUTPUT_HELP),
    no_cache: bool = typer.Option(False, "--no-cache", help=common.NO_CACHE_HELP),
    check: bool = typer.Option(False, "--check", help="有超期未完成事项时以退出码 1 结束(供定时任务判断)。"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="没有超期未完成事项时什么也不显示。"),
    strict: bool = typer.Option(False, "--strict", help=STRICT_HELP),
    rectify_by: str | None = typer.Option(None, "--rectify-by", metavar="日期", help="通报里的整改期限;默认是统计日期后第 10 个工作日。"),
    plan: int | None = typer.Option(None, "--plan", metavar="年度", help="只看这一年的计划;不指定时包括 --as-of 那天已开始的每一年的计划(上一年仍未完成的事项也列出)。"),
) -> int:
    """回头看:列出各单位超期未完成(红)和进度滞后(黄)的事项,问题最多的单位在前;--format docx 生成通报。"""
    fmt = common.choose(format, ("table", "json", "md", "csv", "html", "docx"))
    _require_file(fmt, output)
    day = common.as_of(as_of)
    from gwgk.judge.dates import parse_date

    rectify_day = None if rectify_by is None else parse_date(rectify_by, "--rectify-by 日期")
    chosen = books(common.workspace(ctx, use_cache=not no_cache), plan, day, every=True)
    cat = chosen[-1].catalogue  # the latest plan begun: the notice's title, the period note
    scope = _scope(cat, unit, group)
    from gwgk.ledger.store import LazyLedgers
    from gwgk.reports.overdue import overdue_report, unchecked_units

    items: dict[str, list[OverdueItem]] = {u: [] for u in scope}
    submitted = dict.fromkeys(scope, 0)
    broken: list[BrokenLedger] = []
    found: list[UnitFindings] = []
    for b in chosen:
        ledgers = LazyLedgers(b.workspace, b.catalogue)
        unit_of_file: dict[str, str] = {}
        readable = list(_readable(ledgers, scope, day, unit_of_file))
        if strict:
            _refuse_broken(ledgers)
        broken += _broken(ledgers, unit_of_file)
        # a plan whose year is over keeps its overdue items on the list; its 长期 tasks no longer lag
        ended = b.catalogue.plan.effective_to < day
        for one in readable:
            items[one.unit] += [i for i in one.items if not (ended and i.state == "lagging")]
            submitted[one.unit] += one.summary.submitted
        found = readable  # the latest plan's findings give the notice its counts
    unchecked = set(unchecked_units(broken))  # a unit with a broken ledger in any plan is not judged
    items = {u: listed for u, listed in items.items() if u not in unchecked}
    if len(chosen) > 1:
        for listed in items.values():
            listed.sort(key=lambda i: (i.state != "overdue", -(i.days_overdue or i.idle_days or 0), i.plan or 0, i.task, i.instance))
    report = overdue_report(day, items, submitted, [b.catalogue.plan.year for b in chosen], broken)
    silent = quiet and report.total_overdue == 0 and not broken
    if not silent:
        _note_period(cat, day)
    _warn_broken(broken)
    from gwgk.render import terminal, text

    def page(model: OverdueReport) -> str:  # the HTML renderer's imports cost every other format 5 ms
        from gwgk.render.html import overdue_html

        return overdue_html(model)

    def docx() -> bytes:
        from gwgk.render.docx import notice_docx
        from gwgk.reports.notice import default_rectify_by, notice

        summaries = [f.summary for f in found]
        return notice_docx(notice(cat, report, summaries, rectify_day or default_rectify_by(day), scope))

    _deliver(fmt, report, output, day, silent=silent, table=terminal.overdue_table,
             texts={"md": text.overdue_markdown, "csv": text.overdue_csv, "html": page}, docx=docx)
    return EXIT_FOUND if broken or (check and report.total_overdue) else EXIT_OK


@app.command(context_settings=CONTEXT, options_metavar="[选项]")
@collector_paused()  # a report builds hundreds of thousands of objects, none in a cycle: see ``files.acyclic``
def report(
    ctx: typer.Context,
    as_of: str | None = typer.Option(None, "--as-of", metavar="日期", help=common.AS_OF_HELP),
    format: str = typer.Option("table", "--format", "-f", metavar="格式", help=common.FORMAT_HELP.format("table、json、md、html、docx(须写 --output)")),
    output: str | None = typer.Option(None, "--output", "-o", metavar="文件", help=OUTPUT_HELP),
    strict: bool = typer.Option(False, "--strict", help=STRICT_HELP),
    plan: int | None = typer.Option(None, "--plan", metavar="年度", help=PLAN_HELP),
    no_cache: bool = typer.Option(False, "--no-cache", help=common.NO_CACHE_HELP),
) -> int:
    """年终汇总:各单位应完成、按时完成、逾期完成、超期、滞后和按时完成率,各任务超期情况,以及年度报告用的问题段落。"""
    fmt = common.choose(format, ("table", "json", "md", "html", "docx"))
    _require_file(fmt, output)
    day = common.as_of(as_of)
    chosen = book(common.workspace(ctx, use_cache=not no_cache), plan, day)
    ws, cat = chosen.workspace, chosen.catalogue
    from gwgk.ledger.store import LazyLedgers
    from gwgk.reports.year import year_report

    ledgers = LazyLedgers(ws, cat)
    unit_of_file: dict[str, str] = {}
    result = year_report(cat, _readable(ledgers, list(cat.units), day, unit_of_file), day)
    if strict:
        _refuse_broken(ledgers)
    broken = _broken(ledgers, unit_of_file)
    if broken:
        from gwgk.reports.year import with_broken

        result = with_broken(cat, result, broken)
    _note_period(cat, day)
    _warn_broken(broken)
    from gwgk.render import terminal, text

    def page(model: YearReport) -> str:  # the HTML renderer's imports cost every other format 5 ms
        from gwgk.render.html import year_html

        return year_html(model)

    def docx() -> bytes:
        from gwgk.render.docx import year_docx

        return year_docx(result)

    _deliver(fmt, result, output, day, silent=False, table=terminal.year_table,
             texts={"md": text.year_markdown, "html": page}, docx=docx)
    return EXIT_FOUND if broken else EXIT_OK
