"""What every bulk command shares: the request and the one result (``BulkRecord``, ``BulkResult``),
and running the changes all or nothing (``run``), each refusal naming its unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pydantic import BaseModel

from gwgk.catalogue.model import Catalogue
from gwgk.entries.model import Ledger, Stamp
from gwgk.errors import ConflictError, GwgkError, Problem, UsageError
from gwgk.files.workspace import Workspace
from gwgk.judge.dates import parse_date
from gwgk.ledger.store import Change, update_all


class BulkLine(BaseModel):
    """One entry a bulk command wrote (or would write), or one it left out and why."""

    unit: str
    task: int | None = None
    entry: str | None = None
    what: str


class BulkResult(BaseModel):
    """The one result of a bulk command (``--format json``); ``summary`` is its Chinese sentence."""

    action: str
    as_of: dt.date
    dry_run: bool
    units: int
    matched_units: int | None = None  # review: the units in scope with a matching pending record
    written: list[BulkLine]
    skipped: list[BulkLine]
    summary: str

    def lines(self) -> list[str]:
        """The summary, then what was left out and why, and (for ``--dry-run``) every entry planned."""
        out = [self.summary]
        if self.dry_run:
            out += [f"  将写入 {_place(item)}{item.entry or ''}：{item.what}" for item in self.written]
        out += [f"  跳过 {_place(item).rstrip()}：{item.what}" for item in self.skipped]
        return out


def _place(item: BulkLine) -> str:
    return item.unit + (f" 第 {item.task} 项任务 " if item.task is not None else " ")


@dataclass
class BulkRecord:
    """What ``gwgk record`` was asked to do for many units or tasks, as typed."""

    units: list[str] = field(default_factory=list)
    group: list[str] = field(default_factory=list)
    task: int | None = None
    all_tasks: bool = False
    status: str | None = None
    event: str | None = None
    date: str | None = None
    reason: str | None = None
    note: str | None = None
    withdraw: str | None = None  # an event, by its name (each unit's key differs), or one unit's entry by id
    replaces: str | None = None  # with ``event``: the event, by its name, that the new one corrects
    extend: str | None = None  # an instance every unit owing the task has (2021Q3), extended ``to`` a day
    to: str | None = None
    unsupported: list[str] = field(default_factory=list)
    stamp: Stamp | None = None  # who writes, and when (``at``/``by`` of every entry)


def wants_bulk(units: list[str], group: list[str], all_tasks: bool, dry_run: bool, fmt: str) -> bool:
    """Whether ``gwgk record`` works in bulk (several units, a group, every task, a dry run, JSON)."""
    return bool(group) or len(units) > 1 or all_tasks or dry_run or fmt == "json"


Collect = tuple[list[BulkLine], list[BulkLine]]


def _guarded(unit: str, change: Change) -> Change:
    """``change`` whose refusal names ``unit`` and says that no ledger was written."""

    def named(text: str, current: Ledger) -> tuple[str, Ledger]:
        try:
            return change(text, current)
        except GwgkError as exc:
            raise type(exc)(f"{unit}：{exc.message}；批量操作没有写入任何台账", exc.problems) from None

    return named


def run(ws: Workspace, catalogue: Catalogue, changes: dict[str, Change], dry_run: bool) -> None:
    """Apply ``changes`` all or nothing (or only plan them, for ``dry_run``); a unit's ledger that
    cannot be read or written refuses the whole and is named."""
    try:
        update_all(ws, catalogue, {unit: _guarded(unit, c) for unit, c in changes.items()}, dry_run=dry_run)
    except ConflictError as exc:
        # a ledger locked by another writer: name the broken ledgers too, so one wait shows every problem
        problems = [*exc.problems, *_broken(ws, catalogue, list(changes))]
        raise ConflictError(f"{exc.message}；批量操作没有写入任何台账", problems) from None
    except GwgkError as exc:
        if "批量操作没有写入" in exc.message:
            raise
        raise type(exc)(f"{exc.message}；批量操作没有写入任何台账", exc.problems) from None


def _broken(ws: Workspace, catalogue: Catalogue, units: list[str]) -> list[Problem]:
    """The problems of those of ``units``' ledgers that cannot be read (read without their locks)."""
    from gwgk.ledger.store import LazyLedgers

    ledgers = LazyLedgers(ws, catalogue)
    for unit in units:
        ledgers.get(unit)
    return ledgers.problems


def summarised(action: str, today: dt.date, dry_run: bool, units: int, got: Collect, done: str,
            matched: int | None = None, matched_what: str = "符合条件的待审核记录") -> BulkResult:
    """The one result of a bulk command: what it wrote and left out, and its Chinese summary
    (``matched``: for review, the units with a matching pending record)."""
    written, skipped = got
    verb = "将写入" if dry_run else "写入"
    touched = len({w.unit for w in written})
    if matched is None:
        summary = f"{done}：涉及 {units} 个单位，{verb} {len(written)} 条（{touched} 个单位的台账），跳过 {len(skipped)} 条。"
    elif matched == 0:
        summary = f"{done}：查看了 {units} 个单位的台账，没有{matched_what}，没有写入。"
    else:
        summary = (f"{done}：查看了 {units} 个单位的台账，其中 {matched} 个单位有{matched_what}；"
                   f"{verb} {len(written)} 条，跳过 {len(skipped)} 条。")
    if dry_run:
        summary = "（试运行，没有写入）" + summary
    return BulkResult(action=action, as_of=today, dry_run=dry_run, units=units, matched_units=matched, written=written,
                      skipped=skipped, summary=summary)


def in_scope(catalogue: Catalogue, request: BulkRecord) -> tuple[list[str], set[str]]:
    """The units named (and the ones named one by one, which must owe the task)."""
    if not request.units and not request.group:
        raise UsageError("请用 --unit 单位（可写多次）或 --group 单位组 写明登记到哪些单位")
    named = {catalogue.resolve_unit(u).name for u in request.units}
    return catalogue.scope(request.units, request.group), named


def entered_day(value: str | None, today: dt.date, what: str) -> dt.date:
    """The ``--date`` of an event, required and not after ``today``."""
    if value is None:
        raise UsageError(f"请用 --date 写明{what}日期")
    day = parse_date(value, "--date 日期")
    if day > today:
        raise UsageError(f"--date {day} 在今天（{today}）之后，不能登记将来的日期")
    return day


def owing_units(catalogue: Catalogue, request: BulkRecord, units: list[str], named: set[str], got: Collect,
                doing: str) -> tuple[int, list[str]]:
    """The one task ``request`` names (required for ``doing``) and the units of ``units`` that owe
    it; the others are skipped and said so, or refused when named one by one (a mistake, then)."""
    if request.task is None or request.all_tasks:
        raise UsageError(f"{doing}要用 --task 写明一项任务（不能用 --all-tasks）")
    task = request.task
    catalogue.task(task)
    owing = catalogue.task_units(task)
    kept = []
    for unit in units:
        if unit in owing:
            kept.append(unit)
        elif unit in named:
            raise UsageError(f"{unit} 不承担第 {task} 项任务，不能登记；批量操作没有写入任何台账")
        else:
            got[1].append(BulkLine(unit=unit, task=task, what=f"不承担第 {task} 项任务"))
    return task, kept


def event_title(typed: str | None) -> str:
    """The ``--event`` name of a bulk command, refused (``UsageError``) as ``gwgk record --event``
    refuses it, before any ledger is read."""
    from gwgk.entries.naming import event_title_refusal
    from gwgk.ledger.changes import optional_text

    title = optional_text(typed, "--event") or ""
    if not title:
        raise UsageError("--event 需要写明事件，如“2021年预算批复”")
    refusal = event_title_refusal(title)
    if refusal:
        raise UsageError(f"--event：{refusal}")
    return title
