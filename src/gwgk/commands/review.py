"""``gwgk review``: the 销号 queue, and accepting or returning a 已完成 record."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import typer

from gwgk.commands import common
from gwgk.commands.app import CONTEXT, app
from gwgk.commands.plans import PLAN_HELP, book

if TYPE_CHECKING:
    from gwgk.catalogue.model import Catalogue
    from gwgk.files.workspace import Workspace


@app.command(context_settings=CONTEXT, options_metavar="[选项]")
def review(
    ctx: typer.Context,
    pending: bool = typer.Option(False, "--pending", help="列出待审核销号的“已完成”记录，等待最久的在前。"),
    unit: str | None = typer.Option(None, "--unit", "-u", metavar="单位", help="单位名称（可用简称或别名）。"),
    record: str | None = typer.Option(None, "--record", metavar="编号", help="要审核的记录编号，如 R12。"),
    accept: bool = typer.Option(False, "--accept", help="审核通过（销号）：该实例按记录的完成日期算作完成。"),
    return_: bool = typer.Option(False, "--return", help="退回（需 --reason）：该实例按没有这条记录计算，单位能看到原因。"),
    withdraw: bool = typer.Option(False, "--withdraw", help="撤回审核（需 --reason）：审核错了时用，记录从今天起重新待审核。"),
    reason: str | None = typer.Option(None, "--reason", "-r", metavar="原因", help="退回或撤回审核的原因。"),
    as_of: str | None = typer.Option(None, "--as-of", metavar="日期", help="按哪一天审核或列出（默认今天，北京时间）。"),
    format: str = typer.Option("table", "--format", "-f", metavar="格式", help=common.FORMAT_HELP.format("table、json、md")),
    plan: int | None = typer.Option(None, "--plan", metavar="年度", help=PLAN_HELP),
    by: str | None = typer.Option(None, "--by", metavar="姓名", help=common.BY_HELP),
    all_records: bool = typer.Option(False, "--all", help="批量：审核通过或退回全部符合条件（--unit、--task、--entered-before）的待审核记录。"),
    task: int | None = typer.Option(None, "--task", "-t", metavar="序号", help="与 --all 同用：只审核这项任务的记录。"),
    entered_before: str | None = typer.Option(None, "--entered-before", metavar="日期", help="与 --all 同用：只审核这一天之前登记的记录。"),
    reviewed_on: str | None = typer.Option(None, "--reviewed-on", metavar="日期", help="与 --withdraw --all 同用：撤回这一天做的全部审核。"),
    dry_run: bool = typer.Option(False, "--dry-run", help="与 --all 同用：只列出将要写入的审核，不写入任何台账。"),
) -> None:
    """销号审核：列出待审核的“已完成”记录（--pending），或审核通过（--accept）、退回（--return）一条记录或全部（--all），
    或撤回审核错了的（--withdraw）。"""
    from gwgk.errors import UsageError
    from gwgk.ledger.review import require_review

    day = common.as_of(as_of)
    chosen = book(common.workspace(ctx, use_cache=False), plan, day)  # a writer decides from the files alone
    ws, cat = chosen.workspace, chosen.catalogue
    require_review(cat)
    decision = _decision(accept, return_, withdraw)
    if pending:
        if record or accept or return_ or withdraw:
            raise UsageError("--pending 只列出待审核记录，不能同时用 --record、--accept、--return 或 --withdraw")
        _pending(ws, cat, unit, day, common.choose(format, ("table", "json", "md")))
        return
    if all_records:
        return _all(ws, cat, day, unit, record, decision, reason, task, entered_before, reviewed_on, dry_run, format, by)
    if task is not None or entered_before is not None or reviewed_on is not None or dry_run:
        raise UsageError("--task、--entered-before、--reviewed-on、--dry-run 要和 --all 一起用（批量审核）")
    if not unit or not record:
        raise UsageError("审核一条记录需要 --unit 单位 和 --record 编号；列出待审核记录用 --pending")
    from gwgk.ledger.review import review_change
    from gwgk.ledger.store import update

    name = cat.resolve_unit(unit).name
    out: list[str] = []
    update(ws, cat, name, review_change(cat, name, record, decision, reason, day, out, common.stamp(by)))
    for line in out:
        print(line)


def _decision(accept: bool, return_: bool, withdraw: bool) -> str:
    """accepted, returned or withdrawn: the one of ``--accept``, ``--return``, ``--withdraw`` given
    (checked where a decision is needed)."""
    if accept + return_ + withdraw > 1:
        from gwgk.errors import UsageError

        raise UsageError("请在 --accept（通过）、--return（退回）和 --withdraw（撤回审核）中只选择一个")
    return "accepted" if accept else "returned" if return_ else "withdrawn" if withdraw else ""


def _all(ws: Workspace, cat: Catalogue, day: dt.date, unit: str | None, record: str | None, decision: str,
         reason: str | None, task: int | None, entered_before: str | None, reviewed_on: str | None, dry_run: bool, fmt: str,
         by: str | None) -> None:
    """``review --all``: every matching pending record accepted or returned, or every review of a
    day withdrawn, all or nothing."""
    from gwgk.errors import UsageError
    from gwgk.ledger.bulkreview import BulkReview, bulk_review

    if record:
        raise UsageError("--all 审核全部符合条件的记录，不能同时用 --record")
    if not decision:
        raise UsageError("请在 --accept（通过）、--return（退回）和 --withdraw（撤回审核）中选择一个")
    if reviewed_on is not None and decision != "withdrawn":
        raise UsageError("--reviewed-on 用于撤回审核（--withdraw --all）")
    fmt = common.choose(fmt, ("table", "json"))
    request = BulkReview(decision=decision, reason=reason, units=[unit] if unit else [], task=task,
                         entered_before=entered_before, reviewed_on=reviewed_on, stamp=common.stamp(by))
    common.bulk_result(bulk_review(ws, cat, request, day, dry_run), fmt)


def _pending(ws: Workspace, cat: Catalogue, unit: str | None, day: dt.date, fmt: str) -> None:
    """Print the queue of records awaiting review."""
    from gwgk.errors import DataError
    from gwgk.ledger.store import LazyLedgers
    from gwgk.reports.review import pending_report

    ledgers = LazyLedgers(ws, cat)
    units = [cat.resolve_unit(unit).name] if unit else list(cat.units)
    report = pending_report(cat, ledgers, units, day)
    if ledgers.problems:
        raise DataError("台账有错误，请先改正（可运行 gwgk validate 查看）", ledgers.problems)
    if fmt == "json":
        print(common.json_text(report), end="")
        return
    from gwgk.render.review import pending_markdown, pending_table

    if fmt == "md":
        common.emit(pending_markdown(report), None, day)
    else:
        common.show(pending_table(report))
