"""``gwgk tasks``, ``gwgk tasks show``, ``gwgk units``, ``gwgk validate``, ``gwgk init``
(each reading the ``--plan`` year's catalogue where a workspace holds several)."""

from __future__ import annotations

from pathlib import Path

import typer

from gwgk.commands import common
from gwgk.commands.app import CONTEXT, app
from gwgk.commands.plans import PLAN_HELP, checked_files, plan_catalogue

tasks_app = typer.Typer(
    help="查看任务目录：每项任务的原文、牵头和责任单位、任务分工与完成时限。",
    invoke_without_command=True,
    context_settings=CONTEXT,
    options_metavar="[选项]",
    subcommand_metavar="命令 [参数]...",
)
app.add_typer(tasks_app, name="tasks")


@tasks_app.callback()
def tasks(
    ctx: typer.Context,
    unit: str | None = typer.Option(None, "--unit", "-u", metavar="单位", help="只看这个单位承担的任务（可用简称或别名）。"),
    format: str = typer.Option("table", "--format", "-f", metavar="格式", help=common.FORMAT_HELP.format("table、json")),
    plan: int | None = typer.Option(None, "--plan", metavar="年度", help=PLAN_HELP),
    as_of: str | None = typer.Option(None, "--as-of", metavar="日期", help=common.AS_OF_HELP),
) -> None:
    """列出全部任务，或某个单位承担的任务。"""
    if ctx.invoked_subcommand is not None:
        return
    fmt = common.choose(format, ("table", "json"))
    from gwgk.reports.catalogue import tasks_report

    ws = common.workspace(ctx)
    cat = plan_catalogue(ws, plan, as_of)
    name = cat.resolve_unit(unit).name if unit else None
    report = tasks_report(cat, name)
    if fmt == "json":
        print(common.json_text(report), end="")
        return
    from gwgk.render.terminal import tasks_table

    common.show(tasks_table(report))


@tasks_app.command("show", context_settings=CONTEXT, options_metavar="[选项]")
def tasks_show(
    ctx: typer.Context,
    task_id: int = typer.Argument(..., metavar="序号", help="任务序号，1-33。"),
    unit: str | None = typer.Option(None, "--unit", "-u", metavar="单位", help="同时显示这个单位的角色和分工。"),
    format: str = typer.Option("table", "--format", "-f", metavar="格式", help=common.FORMAT_HELP.format("table、json")),
    plan: int | None = typer.Option(None, "--plan", metavar="年度", help=PLAN_HELP),
    as_of: str | None = typer.Option(None, "--as-of", metavar="日期", help=common.AS_OF_HELP),
) -> None:
    """显示一项任务的全部内容：原文、单位、分工、完成时限和解读出的时限规则。"""
    fmt = common.choose(format, ("table", "json"))
    from gwgk.errors import UsageError
    from gwgk.reports.catalogue import task_view

    ws = common.workspace(ctx)
    cat = plan_catalogue(ws, plan, as_of)
    name = cat.resolve_unit(unit).name if unit else None
    if name and name not in cat.task_units(task_id):
        raise UsageError(f"{name} 不承担第 {task_id} 项任务")
    view = task_view(cat, task_id, name)
    if fmt == "json":
        print(common.json_text(view), end="")
        return
    from gwgk.render.terminal import task_detail

    common.show(task_detail(view))


@app.command(context_settings=CONTEXT, options_metavar="[选项]")
def units(
    ctx: typer.Context,
    format: str = typer.Option("table", "--format", "-f", metavar="格式", help=common.FORMAT_HELP.format("table、json")),
    plan: int | None = typer.Option(None, "--plan", metavar="年度", help=PLAN_HELP),
    as_of: str | None = typer.Option(None, "--as-of", metavar="日期", help=common.AS_OF_HELP),
) -> None:
    """列出全部单位（类型、别名、承担任务数）和单位组。"""
    fmt = common.choose(format, ("table", "json"))
    from gwgk.reports.catalogue import units_report

    report = units_report(plan_catalogue(common.workspace(ctx), plan, as_of))
    if fmt == "json":
        print(common.json_text(report), end="")
        return
    from gwgk.render.terminal import units_table

    common.show(units_table(report))


@app.command(context_settings=CONTEXT, options_metavar="[选项]")
def validate(
    ctx: typer.Context,
    plan: int | None = typer.Option(None, "--plan", metavar="年度", help="只校验这一年的计划；不指定时校验全部计划和台账。"),
) -> int:
    """校验任务目录和全部台账；发现问题或待核对（review）的地方时逐条列出（文件：行：列）并以退出码 1 结束。"""
    from gwgk.ledger.validation import validate_files, validation_lines

    ws = common.workspace(ctx, use_cache=False)  # validate checks the files alone, never the cache
    result = validate_files(ws, checked_files(ws, plan), every=plan is None)
    if plan is None and not result.problems:  # data/contacts.yaml, checked against the units (gwgk remind)
        from gwgk.commands.remind import contacts_problems

        result.problems += contacts_problems(ws)
    for line in validation_lines(result, plan):
        print(line)
    return 1 if result.problems or result.warnings else 0


@app.command(context_settings=CONTEXT, options_metavar="[选项]")
def init(
    target: Path = typer.Argument(..., metavar="目录", help="新工作区的目录（不存在时会创建）。"),
    plan: Path | None = typer.Option(None, "--plan", metavar="计划文件", help="用这份计划原文（.txt 或 .docx）起草任务目录和单位，不用内置的兴义市计划。"),
    year: int | None = typer.Option(None, "--year", metavar="年度", help="与 --plan 一起用：计划年度；不指定时从标题或印发日期看出。"),
) -> int:
    """用内置的任务目录新建一个工作区（data/ 与 ledgers/）；已有工作区时拒绝覆盖。

    加 --plan 时改为从计划原文起草任务目录；有需要核对的地方时退出码为 1。
    """
    if plan is not None:
        from gwgk.commands.plans import init_from_plan

        return init_from_plan(target, plan, year)
    from gwgk.files.workspace import init as make

    ws = make(target)
    print(f"已在 {ws.root} 新建工作区：data/tasks.yaml、data/units.yaml 和空的 ledgers/。")
    print(f"下一步：gwgk --workspace {ws.root} tasks")
    return 0
