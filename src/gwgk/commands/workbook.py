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
    all_units: bool = typer.Option(False, "--all", help="导出全部单位:--output 是文件夹时每个单位一个文件,是 .xlsx 文件时每个单位一个工作表。"),
    as_of: str | None = typer.Option(None, "--as-of", metavar="日期", help=common.AS_OF_HELP),
    output: str = typer.Option(..., "--output", "-o", metavar="路径", help="导出的 .xlsx 文件,或文件夹(每个单位一个文件);可含 {date}。"),
    plan: int | None = typer.Option(None, "--plan", metavar="年度", help=PLAN_HELP),
) -> None:
    """把台账导出为 Excel/WPS 工作簿(任务分解表格式),发给各单位填写“完成情况、完成时间、佐证材料”。"""
    from gwgk.errors import UsageError
    from gwgk.excel.export import unit_rows, workbook_bytes
    from gwgk.ledger.store import read

    day = common.as_of(as_of)
    chosen = book(common.workspace(ctx), plan, day)
    ws, cat = chosen.workspace, chosen.catalogue
    if bool(unit) == bool(all_units):
        raise UsageError("请用 --unit 指定一个单位,或用 --all 导出全部单位(二者选一)")
    names = [cat.resolve_unit(unit).name] if unit else list(cat.units)
    target = common.output_path(output, day)
    one_file = target.suffix.lower() == ".xlsx"  # otherwise a folder: one file per unit in it
    sheets = []
    for name in names:
        # read as it is, never created or synced: exporting writes nothing but the workbooks
        sheets.append((name, unit_rows(cat, name, read(ws, cat, name).ledger, day)))
    if one_file:
        path = common.emit_bytes(workbook_bytes(cat, sheets, day), str(target), day)
        print(f"已导出 {len(sheets)} 个单位的台账到 {path}")
        return
    for name, rows in sheets:
        common.emit_bytes(workbook_bytes(cat, [(name, rows)], day), str(target / f"{name}-台账-{day.isoformat()}.xlsx"), day)
    print(f"已导出 {len(sheets)} 个单位的台账到 {target}/(每个单位一个文件)")


@app.command("import", context_settings=CONTEXT, options_metavar="[选项]")
def import_(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(..., metavar="工作簿", help="各单位填好的 .xlsx 工作簿,可以写多个。"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只检查并逐行显示将要写入的内容(现在 → 将是),不写入。"),
    withdraw_cleared: bool = typer.Option(False, "--withdraw-cleared", help="把清空或删除了的已登记行当作撤回那条登记(否则拒绝导入)。"),
    as_of: str | None = typer.Option(None, "--as-of", metavar="日期", help="把哪一天当作今天(完成时间不能晚于它);默认是今天(北京时间)。"),
    plan: int | None = typer.Option(None, "--plan", metavar="年度", help=PLAN_HELP),
) -> None:
    """导入各单位填好的工作簿:逐格检查,有任何问题就全部不写入(退出码 2);改动已登记的行算更正,同一工作簿导入两次不会重复登记。"""
    from gwgk.errors import DataError
    from gwgk.excel.reader import read_workbooks
    from gwgk.ledger.recording import imported_change
    from gwgk.ledger.store import load_all, update_all

    day = common.as_of(as_of)
    chosen = book(common.workspace(ctx), plan, day)
    ws, cat = chosen.workspace, chosen.catalogue
    ledgers, problems = load_all(ws, cat)
    if problems:
        raise DataError("台账有错误,请先改正(可运行 gwgk validate 查看)", problems)
    result = read_workbooks([(f, str(f)) for f in files], cat, ledgers, day, withdraw_cleared)
    if result.problems:
        raise DataError(f"工作簿有 {len(result.problems)} 处问题,没有写入任何内容", result.problems)
    units = [u for u in cat.units if result.planned.get(u) or result.skipped.get(u)]
    if not units:
        print(f"检查了 {result.rows} 行,没有新的内容需要登记。")
        return
    added_by_unit: dict[str, list[str]] = {name: [] for name in units}
    if not dry_run:  # every ledger locked and checked before any is written: all or nothing
        update_all(ws, cat, {name: imported_change(name, [(p.task, p.record, p.withdraw) for p in result.planned[name]],
                                                   added_by_unit[name], day)
                             for name in units if result.planned.get(name)})
    for name in units:
        planned = result.planned.get(name, [])
        added = added_by_unit[name]
        records = sum(p.record is not None for p in planned)
        withdrawals = sum(p.withdraw is not None for p in planned)
        verb = "将" if dry_run else ""
        line = f"{name}:{verb}新增 {records} 条记录"
        if withdrawals:
            line += f",{verb}撤回 {withdrawals} 条原有登记"
        if result.skipped.get(name):
            line += f",{result.skipped[name]} 条与台账已有记录相同,跳过"
        print(line + "。")
        if dry_run:
            for p in planned:
                print(f"  {p.where} 第 {p.task} 项 {p.instance}:{p.before} → {p.after}")
        elif added:
            print(f"  写入的条目:{'、'.join(added)}")
    if dry_run:
        print("(试运行,没有写入任何内容)")
