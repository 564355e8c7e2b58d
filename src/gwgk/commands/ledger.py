"""``gwgk ledger`` (show a unit's 台账, creating or syncing its file) and ``gwgk record``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import typer

from gwgk.commands import common
from gwgk.commands.app import CONTEXT, app
from gwgk.commands.plans import PLAN_HELP, book

if TYPE_CHECKING:
    from gwgk.catalogue.model import Catalogue
    from gwgk.entries.model import Ledger

LEDGER_FORMATS = ("table", "json", "md", "csv")


@app.command(context_settings=CONTEXT, options_metavar="[选项]")
def ledger(
    ctx: typer.Context,
    unit: str | None = typer.Option(None, "--unit", "-u", metavar="单位", help="单位名称（可用简称或别名）。"),
    all_units: bool = typer.Option(False, "--all", help="为全部单位创建或同步台账文件。"),
    as_of: str | None = typer.Option(None, "--as-of", metavar="日期", help=common.AS_OF_HELP),
    format: str = typer.Option("table", "--format", "-f", metavar="格式", help=common.FORMAT_HELP.format("table、json、md、csv")),
    output: str | None = typer.Option(None, "--output", "-o", metavar="文件",
                                      help="写入文件而不是显示；文件名可含 {date}；与 --all 同用时须含 {unit}，每个单位写一个文件，如 '台账/{unit}.md'。"),
    plan: int | None = typer.Option(None, "--plan", metavar="年度", help=PLAN_HELP),
) -> None:
    """显示一个单位的工作台账（任务、分工、期限、状态、进展）；台账文件不存在时自动生成，目录变动时自动同步。"""
    from gwgk.errors import UsageError

    fmt = common.choose(format, LEDGER_FORMATS)
    day = common.as_of(as_of)
    chosen = book(common.workspace(ctx, use_cache=False), plan, day)  # a writer decides from the files alone
    ws, cat = chosen.workspace, chosen.catalogue
    if all_units:
        if unit:
            raise UsageError("--unit 和 --all 只能用一个")
        if output is not None and not common.per_unit(output):
            raise UsageError(f"--all 写文件时，--output 须含 {{unit}}（每个单位一个文件），如 '台账/{{unit}}.{'txt' if fmt == 'table' else fmt}'")
        from gwgk.ledger.store import sync_all

        counts = sync_all(ws, cat, None if output is None else lambda name, book: _deliver(cat, name, book, day, fmt, output))
        print(f"全部 {len(cat.units)} 个单位：新建台账 {counts['created']} 本，同步 {counts['synced']} 本，无变化 {counts['same']} 本。")
        if output is not None:
            print(f"各单位的台账已分别写入 {common.output_path(output, day, '单位')}（“单位”换成单位名称），共 {len(cat.units)} 个文件。")
        return
    if not unit:
        raise UsageError("请用 --unit 指定单位，或用 --all 处理全部单位")
    name = cat.resolve_unit(unit).name
    from gwgk.ledger.store import current

    _deliver(cat, name, current(ws, cat, name, dropping=True).ledger, day, fmt, output)


def _deliver(cat: Catalogue, unit: str, ledger: Ledger | None, day: dt.date, fmt: str, output: str | None) -> None:
    """One unit's 台账 as of ``day`` shown, or written to ``output`` (its ``{unit}`` the unit's name)."""
    from gwgk.render import terminal, text
    from gwgk.reports.ledger import ledger_report

    report = ledger_report(cat, unit, ledger, day)
    common.deliver(fmt, report, output, day, table=terminal.ledger_table, announce=False,
                   texts={"md": text.ledger_markdown, "csv": text.ledger_csv}, unit=unit)


@app.command(context_settings=CONTEXT, options_metavar="[选项]")
def record(
    ctx: typer.Context,
    unit: list[str] = typer.Option([], "--unit", "-u", metavar="单位",
                                   help="单位名称（可用简称或别名）；批量登记事件或“不适用”时可写多次。"),
    group: list[str] = typer.Option([], "--group", "-g", metavar="单位组", help="批量登记：单位组的每个成员（如 各乡镇（街道））；可写多次。"),
    task: int | None = typer.Option(None, "--task", "-t", metavar="序号", help="任务序号（撤回时可省略）。"),
    all_tasks: bool = typer.Option(False, "--all-tasks", help="批量登记“不适用”：单位承担的全部任务（需 --status 不适用 --reason）。"),
    status: str | None = typer.Option(None, "--status", "-s", metavar="状态", help="登记进度：done/已完成、in_progress/推进中、not_applicable/不适用。"),
    event: str | None = typer.Option(None, "--event", "-e", metavar="事件", help="登记触发事件（如“2021年预算批复”），据此计算到期日。"),
    extend: str | None = typer.Option(None, "--extend", metavar="实例",
                                      help="为这个实例登记延期（需 --to 和 --reason）；与 --group 或多个 --unit 一起用时为每个单位的这一期登记延期。"),
    withdraw: str | None = typer.Option(None, "--withdraw", metavar="编号",
                                        help="撤回一条登记错的记录、事件或延期（如 R12，需 --reason）；从撤回之日起不再计入。"
                                             "批量（--group 或多个 --unit）时写事件名称，撤回各单位台账里的这一事件。"),
    replaces: str | None = typer.Option(None, "--replaces", metavar="编号", help="更正：撤回这条记录（如 R12），同时登记 --status 写明的新记录；"
                                        "批量更正事件时写原事件的名称，与 --event、--date 一起用。"),
    date: str | None = typer.Option(None, "--date", "-d", metavar="日期", help="完成或发生的日期（如 2021-09-28）。"),
    instance: str | None = typer.Option(None, "--instance", "-i", metavar="实例", help="属于哪个实例（如 2021Q3、2021-09-30、E1）；可按日期推断时可省略。"),
    note: str | None = typer.Option(None, "--note", "-n", metavar="说明", help="说明。"),
    evidence: list[str] = typer.Option([], "--evidence", metavar="佐证", help="佐证材料：网址或文件路径，可写多次。"),
    category: str | None = typer.Option(None, "--category", "-c", metavar="方面", help="工作方面（第12项等要求“不同工作方面”时填写）。"),
    to: str | None = typer.Option(None, "--to", metavar="日期", help="延期后的新期限。"),
    reason: str | None = typer.Option(None, "--reason", "-r", metavar="原因", help="延期、撤回、更正或“不适用”的原因。"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只列出将要写入的条目，不写入任何台账。"),
    format: str = typer.Option("table", "--format", "-f", metavar="格式", help=common.FORMAT_HELP.format("table、json（批量登记的结果）")),
    as_of: str | None = typer.Option(None, "--as-of", metavar="日期", help="把哪一天当作今天（不能登记今天以后的日期）；默认是今天（北京时间）。"),
    plan: int | None = typer.Option(None, "--plan", metavar="年度", help=PLAN_HELP),
    by: str | None = typer.Option(None, "--by", metavar="姓名", help=common.BY_HELP),
    again: bool = typer.Option(False, "--again", help="与已有记录完全相同时仍然登记（如同一天发布的另一篇信息）。"),
) -> None:
    """登记进度、触发事件、延期，或撤回、更正登记错的条目，写入 ledgers/<单位>.yaml；任何一项不合格都不写入并以退出码 2 结束。
    --group 或多个 --unit 把同一事件登记到每个单位，--all-tasks 把单位的全部任务登记为“不适用”，全部成功才写入。"""
    from gwgk.errors import UsageError
    from gwgk.ledger.bulk import BulkRecord, bulk_record, wants_bulk
    from gwgk.ledger.recording import Entry, apply_entry

    day = common.as_of(as_of)
    fmt = common.choose(format, ("table", "json"))
    stamp = common.stamp(by)
    chosen = book(common.workspace(ctx, use_cache=False), plan, day)  # a writer decides from the files alone
    ws, cat = chosen.workspace, chosen.catalogue
    if wants_bulk(unit, group, all_tasks, dry_run, fmt):
        request = BulkRecord(units=list(unit), group=group, task=task, all_tasks=all_tasks, status=status, event=event,
                             date=date, reason=reason, note=note, stamp=stamp, withdraw=withdraw, replaces=replaces,
                             extend=extend, to=to,
                             unsupported=[o for o, v in (("--replaces", replaces if status else None),
                                          ("--instance", instance), ("--evidence", evidence), ("--category", category),
                                          ("--to", None if extend else to), ("--again", again)) if v])
        return common.bulk_result(bulk_record(ws, cat, request, day, dry_run), fmt)
    if not unit:
        raise UsageError("请用 --unit 写明单位")
    entry = Entry(stamp=stamp, again=again,
        unit=unit[0], task=task, status=status, event=event, extend=extend, withdraw=withdraw, replaces=replaces,
        date=date, instance=instance,
        note=note, evidence=list(evidence), category=category, to=to, reason=reason,
    )
    for line in apply_entry(ws, cat, entry, day):
        print(line)
