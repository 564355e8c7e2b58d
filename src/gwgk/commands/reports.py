"""``gwgk overdue`` (the 回头看) and ``gwgk report`` (the year-end view)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from gwgk.commands import common
from gwgk.commands.app import CONTEXT, app
from gwgk.errors import EXIT_FOUND, EXIT_OK

if TYPE_CHECKING:
    from pydantic import BaseModel

    from gwgk.catalogue.model import Catalogue
    from gwgk.files.workspace import Workspace
    from gwgk.ledger.store import LazyLedgers
    from gwgk.render.table import Block

OUTPUT_HELP = "写入文件而不是显示(原子写入);文件名可含 {date},如 reports/回头看-{date}.md。"
R = TypeVar("R")


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


def _built(ws: Workspace, cat: Catalogue, build: Callable[[LazyLedgers], R]) -> R:
    """A report built over every ledger, read one at a time; refused if any ledger is broken."""
    from gwgk.errors import DataError
    from gwgk.ledger.store import LazyLedgers

    ledgers = LazyLedgers(ws, cat)
    result = build(ledgers)
    if ledgers.problems:
        raise DataError("台账有错误,为免得出错误的结论,没有生成报告;请先改正(可运行 gwgk validate 查看)", ledgers.problems)
    return result


def _deliver(fmt: str, model: BaseModel, output: str | None, day: dt.date, *, silent: bool,
             table: Callable[[Any], list[Block]], texts: Mapping[str, Callable[[Any], str]]) -> None:
    """Render ``model`` in ``fmt`` (``table`` for the terminal, ``texts`` by format, JSON from the
    model itself) and print it or write it to ``--output``."""
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


@app.command(context_settings=CONTEXT, options_metavar="[选项]")
def overdue(
    ctx: typer.Context,
    as_of: str | None = typer.Option(None, "--as-of", metavar="日期", help=common.AS_OF_HELP),
    unit: list[str] = typer.Option([], "--unit", "-u", metavar="单位", help="只看这些单位,可写多次。"),
    group: str | None = typer.Option(None, "--group", "-g", metavar="单位组", help="只看这个单位组,如 市直有关部门、各乡镇(街道)。"),
    format: str = typer.Option("table", "--format", "-f", metavar="格式", help=common.FORMAT_HELP.format("table、json、md、csv、html")),
    output: str | None = typer.Option(None, "--output", "-o", metavar="文件", help=OUTPUT_HELP),
    no_cache: bool = typer.Option(False, "--no-cache", help=common.NO_CACHE_HELP),
    check: bool = typer.Option(False, "--check", help="有超期未完成事项时以退出码 1 结束(供定时任务判断)。"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="没有超期未完成事项时什么也不显示。"),
) -> int:
    """回头看:列出各单位超期未完成(红)和进度滞后(黄)的事项,问题最多的单位在前。"""
    fmt = common.choose(format, ("table", "json", "md", "csv", "html"))
    day = common.as_of(as_of)
    ws = common.workspace(ctx, use_cache=not no_cache)
    cat = common.catalogue(ws)
    scope = _scope(cat, unit, group)
    from gwgk.reports.overdue import overdue_report
    from gwgk.reports.remembered import findings_of

    report = _built(ws, cat, lambda ledgers: overdue_report(day, {u: findings_of(ledgers, u, day).items for u in scope}))
    silent = quiet and report.total_overdue == 0
    from gwgk.render import html, terminal, text

    _deliver(fmt, report, output, day, silent=silent, table=terminal.overdue_table,
             texts={"md": text.overdue_markdown, "csv": text.overdue_csv, "html": html.overdue_html})
    return EXIT_FOUND if check and report.total_overdue else EXIT_OK


@app.command(context_settings=CONTEXT, options_metavar="[选项]")
def report(
    ctx: typer.Context,
    as_of: str | None = typer.Option(None, "--as-of", metavar="日期", help=common.AS_OF_HELP),
    format: str = typer.Option("table", "--format", "-f", metavar="格式", help=common.FORMAT_HELP.format("table、json、md、html")),
    output: str | None = typer.Option(None, "--output", "-o", metavar="文件", help=OUTPUT_HELP),
    no_cache: bool = typer.Option(False, "--no-cache", help=common.NO_CACHE_HELP),
) -> None:
    """年终汇总:各单位应完成、按时完成、逾期完成、超期、滞后和按时完成率,各任务超期情况,以及年度报告用的问题段落。"""
    fmt = common.choose(format, ("table", "json", "md", "html"))
    day = common.as_of(as_of)
    ws = common.workspace(ctx, use_cache=not no_cache)
    cat = common.catalogue(ws)
    from gwgk.reports.remembered import findings_of
    from gwgk.reports.year import year_report

    result = _built(ws, cat, lambda ledgers: year_report(cat, (findings_of(ledgers, u, day) for u in cat.units), day))
    from gwgk.render import html, terminal, text

    _deliver(fmt, result, output, day, silent=False, table=terminal.year_table,
             texts={"md": text.year_markdown, "html": html.year_html})
