"""``gwgk export`` (台账 workbooks out to the units) and ``gwgk import`` (filled workbooks back)."""

from __future__ import annotations

from pathlib import Path

import typer

from gwgk.commands import common
from gwgk.commands.app import CONTEXT, app
from gwgk.commands.plans import PLAN_HELP, book


@app.command(context_settings=CONTEXT, options_metavar="[选项]")
def export(
    ctx: typer.Context,
    unit: str | None = typer.Option(None, "--unit", "-u", metavar="单位", help="导出这个单位的台账。"),
    all_units: bool = typer.Option(False, "--all", help="导出全部单位：--output 是文件夹时每个单位一个文件，是 .xlsx 文件时每个单位一个工作表。"),
    as_of: str | None = typer.Option(None, "--as-of", metavar="日期", help=common.AS_OF_HELP),
    output: str = typer.Option(..., "--output", "-o", metavar="路径", help="导出的 .xlsx 文件，或文件夹（每个单位一个文件）；可含 {date}。"),
    plan: int | None = typer.Option(None, "--plan", metavar="年度", help=PLAN_HELP),
) -> None:
    """把台账导出为 Excel/WPS 工作簿（任务分解表格式），发给各单位填写“完成情况、完成时间、佐证材料”。"""
    from gwgk.commands.remind import record_sent
    from gwgk.errors import UsageError
    from gwgk.excel.export import unit_rows, workbook_bytes
    from gwgk.ledger.store import read

    day = common.as_of(as_of)
    chosen = book(common.workspace(ctx, use_cache=False), plan, day)  # a writer decides from the files alone
    ws, cat = chosen.workspace, chosen.catalogue
    if bool(unit) == bool(all_units):
        raise UsageError("请用 --unit 指定一个单位，或用 --all 导出全部单位（二者选一）")
    names = [cat.resolve_unit(unit).name] if unit else list(cat.units)
    target = common.output_path(output, day)
    one_file = target.suffix.lower() == ".xlsx"  # otherwise a folder: one file per unit in it
    sheets = []
    for name in names:
        # read as it is, never created or synced: exporting writes nothing but the workbooks
        sheets.append((name, unit_rows(cat, name, read(ws, cat, name).ledger, day)))
    if one_file:
        path = common.emit_bytes(workbook_bytes(cat, sheets, day), str(target), day)
        record_sent(ws, cat, sheets, day)  # which workbook went to which unit: gwgk collect
        print(f"已导出 {len(sheets)} 个单位的台账到 {path}")
        return
    common.emit_all([(f"{name}-台账-{day.isoformat()}.xlsx", workbook_bytes(cat, [(name, rows)], day)) for name, rows in sheets],
                    target, ws.journal_dir)  # every file or none
    for name, rows in sheets:
        record_sent(ws, cat, [(name, rows)], day)
    print(f"已导出 {len(sheets)} 个单位的台账到 {target}/（每个单位一个文件）")


@app.command("import", context_settings=CONTEXT, options_metavar="[选项]")
def import_(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(..., metavar="工作簿", help="各单位填好的 .xlsx 工作簿，可以写多个。"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只检查并逐行显示将要写入的内容（现在 → 将是），不写入。"),
    withdraw_cleared: bool = typer.Option(False, "--withdraw-cleared", help="把清空或删除了的已登记行当作撤回那条登记（否则拒绝导入）。"),
    as_of: str | None = typer.Option(None, "--as-of", metavar="日期", help="把哪一天当作今天（完成时间不能晚于它）；默认是今天（北京时间）。"),
    plan: int | None = typer.Option(None, "--plan", metavar="年度", help=PLAN_HELP),
    by: str | None = typer.Option(None, "--by", metavar="姓名", help=common.BY_HELP),
) -> None:
    """导入各单位填好的工作簿：逐格检查，有任何问题就全部不写入（退出码 2）；改动已登记的行算更正，同一工作簿导入两次不会重复登记。"""
    from gwgk.commands.remind import record_returned
    from gwgk.excel.intake import import_workbooks, intake_lines

    day = common.as_of(as_of)
    stamp = common.stamp(by)
    chosen = book(common.workspace(ctx, use_cache=False), plan, day)  # a writer decides from the files alone
    intake = import_workbooks(chosen.workspace, chosen.catalogue, files, day,
                              withdraw_cleared=withdraw_cleared, dry_run=dry_run, stamp=stamp)
    if not dry_run:  # which workbooks came back: gwgk collect
        record_returned(chosen.workspace, intake.result.returned, day, stamp)
    for line in intake_lines(intake):
        print(line)
