"""``gwgk log``: every entry of the ledgers in the order it was written, who wrote it, and 补登."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from gwgk.commands import common
from gwgk.commands.app import CONTEXT, app

if TYPE_CHECKING:
    from gwgk.catalogue.model import Catalogue
    from gwgk.entries.model import Ledger
    from gwgk.errors import Problem
    from gwgk.files.workspace import Workspace

LOG_FORMATS = ("table", "json", "csv")


@app.command(context_settings=CONTEXT, options_metavar="[选项]")
def log(
    ctx: typer.Context,
    unit: str | None = typer.Option(None, "--unit", "-u", metavar="单位", help="只看这个单位的登记（可用简称或别名）。"),
    since: str | None = typer.Option(None, "--since", metavar="日期", help="只看这一天（北京时间）及以后写入的登记。"),
    format: str = typer.Option("table", "--format", "-f", metavar="格式", help=common.FORMAT_HELP.format("table、json、csv")),
    output: str | None = typer.Option(None, "--output", "-o", metavar="文件", help="写入文件而不是显示。"),
) -> None:
    """按写入的先后列出各年全部台账的登记：写入时间、写入人、单位、编号、类别、任务/实例、登记日期，以及是否补登。"""
    from gwgk.errors import DataError
    from gwgk.judge.dates import parse_date
    from gwgk.reports.log import log_report

    fmt = common.choose(format, LOG_FORMATS)
    day = parse_date(since, "--since 日期") if since is not None else None
    ws = common.workspace(ctx)
    ledgers, problems, name = _every_ledger(ws, unit)
    if problems:
        raise DataError("台账有错误，请先改正（可运行 gwgk validate 查看）", problems)
    report = log_report(ledgers, name, day)
    today = common.as_of(None)
    if fmt == "json":
        common.emit(common.json_text(report), output, today)
    elif fmt == "csv":
        from gwgk.render.log import log_csv

        common.emit(log_csv(report), output, today, bom=True)
    else:
        from gwgk.render.log import log_table

        if output:
            common.emit(common.table_text(log_table(report)), output, today)
        else:
            common.show(log_table(report))


def _every_ledger(ws: Workspace, unit: str | None) -> tuple[list[tuple[int | None, Ledger, Catalogue]], list[Problem], str | None]:
    """Each plan's ledgers (with its year: None for data/tasks.yaml's), the problems reading them,
    and the unit ``--unit`` names (looked up in every plan: a unit may exist in some years only)."""
    from gwgk.catalogue.load import PLANS_FOLDER, load_catalogue
    from gwgk.commands.plans import plans
    from gwgk.errors import UsageError
    from gwgk.ledger.store import LazyLedgers

    views: list[tuple[Catalogue, Workspace, int | None]]
    if (ws.tasks_path.parent / PLANS_FOLDER).is_dir():
        views = [(load_catalogue(p.path, ws.units_path, p.name, ws.name(ws.units_path), ws.cache_dir),
                  ws.for_plan("" if p.path == ws.tasks_path else str(p.meta.year)),
                  None if p.path == ws.tasks_path else p.meta.year) for p in plans(ws)]
    else:
        views = [(common.catalogue(ws), ws, None)]
    name = None
    if unit is not None:
        errors: list[UsageError] = []
        for cat, _, _ in views:
            try:
                name = cat.resolve_unit(unit).name
                break
            except UsageError as exc:
                errors.append(exc)
        if name is None:
            raise errors[-1]
    out: list[tuple[int | None, Ledger, Catalogue]] = []
    problems: list[Problem] = []
    for cat, view, year in views:
        lazy = LazyLedgers(view, cat)
        for unit_name in cat.units if name is None else [u for u in cat.units if u == name]:
            ledger = lazy.get(unit_name)
            if ledger is not None:
                out.append((year, ledger, cat))
        problems.extend(lazy.problems)
    return out, problems, name
