"""``gwgk import`` as one step: filled workbooks checked against every ledger, then written to all
the ledgers they change under their locks, all or nothing; and what to tell the user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gwgk.errors import DataError

if TYPE_CHECKING:
    from gwgk.catalogue.model import Catalogue
    from gwgk.entries.model import Stamp
    from gwgk.excel.planned import ImportResult
    from gwgk.files.workspace import Workspace


@dataclass(frozen=True)
class Intake:
    """What an import found and did: the checked workbooks, the units they change (catalogue
    order) and, unless a dry run, the ids written to each unit's ledger."""

    result: ImportResult
    units: list[str]
    added: dict[str, list[str]]
    dry_run: bool


def import_workbooks(ws: Workspace, catalogue: Catalogue, files: list[Path], day: dt.date, *,
                     withdraw_cleared: bool = False, dry_run: bool = False, stamp: Stamp | None = None) -> Intake:
    """Check ``files`` against every ledger and, unless ``dry_run``, write what they change (each
    entry written by ``stamp``'s writer at its moment).
    ``DataError`` (exit 2, nothing written) when a ledger is broken or any cell is refused."""
    from gwgk.excel.reader import read_workbooks
    from gwgk.ledger.imported import imported_change
    from gwgk.ledger.store import load_all, update_all

    ledgers, problems = load_all(ws, catalogue)
    if problems:
        raise DataError("台账有错误，请先改正（可运行 gwgk validate 查看）", problems)
    result = read_workbooks([(f, str(f)) for f in files], catalogue, ledgers, day, withdraw_cleared)
    if result.problems:
        raise DataError(f"工作簿有 {len(result.problems)} 处问题，没有写入任何内容", result.problems)
    units = [u for u in catalogue.units if result.planned.get(u) or result.skipped.get(u) or result.retired.get(u)]
    added: dict[str, list[str]] = {name: [] for name in units}
    if units and not dry_run:  # every ledger locked and checked before any is written: all or nothing
        update_all(ws, catalogue, {name: imported_change(name, [(p.task, p.record, p.withdraw, p.event) for p in result.planned[name]],
                                                         added[name], day, stamp=stamp)
                                   for name in units if result.planned.get(name)})
    return Intake(result, units, added, dry_run)


def intake_lines(intake: Intake) -> list[str]:
    """What ``gwgk import`` prints: per unit what was (or would be) added, withdrawn and skipped."""
    result = intake.result
    if not intake.units:
        return [f"检查了 {result.rows} 行，没有新的内容需要登记。"]
    lines: list[str] = []
    verb = "将" if intake.dry_run else ""
    for name in intake.units:
        planned = result.planned.get(name, [])
        records = sum(p.record is not None for p in planned)
        withdrawals = sum(p.withdraw is not None for p in planned)
        events = len({(p.task, p.event) for p in planned if p.event is not None})
        line = f"{name}：{verb}新增 {records} 条记录"
        if events:
            line += f"，{verb}登记 {events} 个事件"
        if withdrawals:
            line += f"，{verb}撤回 {withdrawals} 条原有登记"
        if result.skipped.get(name):
            line += f"，{result.skipped[name]} 条与台账已有记录相同，跳过"
        retired = result.retired.get(name, [])
        if retired:
            line += f"，{len(retired)} 行所填的事件或记录已被撤回或更正（见下）"
        lines.append(line + "。")
        lines += [f"  {text}" for text in [*retired, *result.notes.get(name, [])]]
        if intake.dry_run:
            lines += [f"  {p.where} 第 {p.task} 项 {p.instance}：{p.before} → {p.after}" for p in planned]
        elif intake.added[name]:
            lines.append(f"  写入的条目：{'、'.join(intake.added[name])}")
    if intake.dry_run:
        lines.append("（试运行，没有写入任何内容）")
    return lines
