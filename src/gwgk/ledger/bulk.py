"""Work done in bulk: one event into many units' ledgers, a unit's whole task list marked 不适用,
every pending record accepted or returned. Each is one all-or-nothing write under every ledger's
lock (``store.update_all``): a refusal on any unit writes nothing anywhere and names the unit. Each
entry written is an ordinary entry (its own id, the day entered) that can be withdrawn; ``dry_run``
plans the same entries and writes none of them (nor takes a lock, which would create its file)."""

from __future__ import annotations

import datetime as dt

from gwgk.catalogue.model import Catalogue
from gwgk.entries.history import live, next_id
from gwgk.entries.model import Ledger
from gwgk.entries.naming import same_title
from gwgk.errors import UsageError
from gwgk.files.workspace import Workspace
from gwgk.judge.dates import parse_date
from gwgk.judge.schedule import next_event_key
from gwgk.ledger.bulkevents import ENTRY_ID, EventFinder, replace_events, withdraw_events
from gwgk.ledger.bulkresult import (
    BulkLine,
    BulkRecord,
    BulkResult,
    Collect,
    entered_day,
    event_title,
    in_scope,
    owing_units,
    run,
    summarised,
    wants_bulk,
)
from gwgk.ledger.changes import optional_text, task_index
from gwgk.ledger.store import Change

__all__ = ["BulkLine", "BulkRecord", "BulkResult", "bulk_record", "wants_bulk"]


def bulk_record(ws: Workspace, catalogue: Catalogue, request: BulkRecord, today: dt.date, dry_run: bool) -> BulkResult:
    """``gwgk record`` for several units or tasks: an event (``--event``), 不适用 (``--status``), an
    extension (``--extend``), an event withdrawn or corrected by its name."""
    if request.unsupported:
        raise UsageError(f"批量登记不能用 {'、'.join(request.unsupported)}，请逐个单位登记")
    if sum(x is not None for x in (request.event, request.status, request.withdraw, request.extend)) != 1:
        raise UsageError("批量登记请在 --event（登记触发事件）、--status 不适用、--extend 实例（延期）和 --withdraw 事件名称（撤回事件）"
                         "中选择一个")
    if request.replaces is not None and request.event is None:
        raise UsageError("批量更正（--replaces 原事件名称）要和 --event 新事件名称 --date 日期 一起用")
    units, named = in_scope(catalogue, request)
    if request.withdraw is not None:
        return withdraw_events(ws, catalogue, request, units, named, today, dry_run)
    if request.extend is not None:
        return _extensions(ws, catalogue, request, units, named, today, dry_run)
    if request.event is not None:
        return _events(ws, catalogue, request, units, named, today, dry_run)
    return _not_applicable(ws, catalogue, request, units, named, today, dry_run)


def _events(ws: Workspace, catalogue: Catalogue, request: BulkRecord, units: list[str], named: set[str],
            today: dt.date, dry_run: bool) -> BulkResult:
    from gwgk.ledger.recording import Entry, build_change

    if request.replaces is not None:
        return replace_events(ws, catalogue, request, units, named, today, dry_run)
    got: Collect = ([], [])
    task, owing = owing_units(catalogue, request, units, named, got, "登记触发事件")
    day = entered_day(request.date, today, "事件发生的")
    title = event_title(request.event)
    changes: dict[str, Change] = {}
    for unit in owing:
        since, until = catalogue.task_units(task)[unit].span or (None, None)
        if (until is not None and day > until) or (since is not None and day < since):
            when = f"只存续到 {until}（已撤销或合并）" if until is not None and day > until else f"{since} 才设立"
            got[1].append(BulkLine(unit=unit, task=task, what=f"{unit} {when}，事件日期 {day} 不在其存续期内"))
            continue
        inner = build_change(catalogue, unit, Entry(unit=unit, task=task, event=title, date=request.date, stamp=request.stamp), today, [])
        changes[unit] = _one_event(unit, task, title, day, inner, got)
    run(ws, catalogue, changes, dry_run)
    return summarised("event", today, dry_run, len(units), got, f"第 {task} 项任务登记事件“{title}”（{day}）")


def _one_event(unit: str, task: int, title: str, day: dt.date, inner: Change, got: Collect) -> Change:
    def change(text: str, current: Ledger) -> tuple[str, Ledger]:
        entry = live(current.tasks[task_index(current, task)], False).task
        twin = next((e for e in entry.events if same_title(e.title, title) and e.date == day), None)
        if twin is not None:
            got[1].append(BulkLine(unit=unit, task=task, entry=twin.key, what=f"已登记过同一事件 {twin.key}"))
            return text, current
        key = next_event_key(current.tasks[task_index(current, task)])
        got[0].append(BulkLine(unit=unit, task=task, entry=key, what=f"事件“{title}”（{day}）"))
        return inner(text, current)

    return change


def _extensions(ws: Workspace, catalogue: Catalogue, request: BulkRecord, units: list[str], named: set[str],
                today: dt.date, dry_run: bool) -> BulkResult:
    """One instance extended to a new day for every unit owing the task: the office's decision for
    the whole city. A period (``2021Q3``) is the same key in every unit; an event is named by its
    name, as its key differs between units. A unit that has an extension of it already, or no
    event of that name, is skipped."""
    got: Collect = ([], [])
    task, owing = owing_units(catalogue, request, units, named, got, "批量延期")
    wanted = (request.extend or "").strip()
    if ENTRY_ID.fullmatch(wanted) and wanted[:1].upper() == "E" and len(units) > 1:
        raise UsageError(f"批量为事件延期请用事件名称（如 --extend “2021年预算批复”），不要用编号 {wanted}：同一事件在各单位台账里的编号不同")
    if request.to is None:
        raise UsageError("登记延期需要 --to 写明新的期限")
    to = parse_date(request.to, "--to 日期")
    if not optional_text(request.reason, "--reason"):
        raise UsageError("登记延期必须用 --reason 写明原因")
    finder = EventFinder("请逐个单位按编号延期")
    changes = {unit: _one_extension(catalogue, unit, task, wanted, request, today, got, finder) for unit in owing}
    run(ws, catalogue, changes, dry_run)
    return summarised("extend", today, dry_run, len(units), got, f"第 {task} 项任务的 {wanted} 延期至 {to}")


def _one_extension(catalogue: Catalogue, unit: str, task: int, wanted: str, request: BulkRecord, today: dt.date,
                   got: Collect, finder: EventFinder) -> Change:
    from gwgk.judge.schedule import event_rule, instances
    from gwgk.ledger.recording import Entry, build_change

    assignment = catalogue.task_units(task)[unit]

    def change(text: str, current: Ledger) -> tuple[str, Ledger]:
        entry = live(current.tasks[task_index(current, task)], False).task
        key, what = wanted, wanted
        if all(i.key != wanted for i in instances(assignment, entry, catalogue.plan)):
            event, why = finder.named(current, task, wanted, None)
            if event is not None:
                key, what = event.key, f"事件 {event.key}“{wanted}”（{event.date}）"
            elif event_rule(assignment.rules) is not None:
                got[1].append(BulkLine(unit=unit, task=task, what=why))
                return text, current
        twin = next((x for x in entry.extensions if x.instance == key), None)
        if twin is not None:
            got[1].append(BulkLine(unit=unit, task=task, entry=twin.id, what=f"{what} 已登记过延期 {twin.id}（至 {twin.to}）"))
            return text, current
        new_id = next_id(current, "extensions")
        inner = build_change(catalogue, unit, Entry(unit=unit, task=task, extend=key, to=request.to, reason=request.reason,
                                                    stamp=request.stamp), today, [])
        new_text, after = inner(text, current)
        got[0].append(BulkLine(unit=unit, task=task, entry=new_id, what=f"{what} 延期"))
        return new_text, after

    return change


def _not_applicable(ws: Workspace, catalogue: Catalogue, request: BulkRecord, units: list[str], named: set[str],
                    today: dt.date, dry_run: bool) -> BulkResult:
    from gwgk.entries.model import status_of
    from gwgk.ledger.recording import Entry, build_change

    if status_of(request.status) != "not_applicable":
        raise UsageError("批量登记进度只能登记“不适用”（--status 不适用 --reason 原因）；已完成、推进中请逐项登记")
    if (request.task is None) == (not request.all_tasks):
        raise UsageError("请用 --task 序号 或 --all-tasks（该单位承担的全部任务）写明哪些任务，二者选一")
    if not optional_text(request.reason, "--reason"):
        raise UsageError("登记“不适用”必须用 --reason 写明原因")
    date = request.date or today.isoformat()
    got: Collect = ([], [])
    changes: dict[str, Change] = {}
    for unit in units:
        tasks = [a.task.id for a in catalogue.assignments(unit)]
        if request.task is not None:
            catalogue.task(request.task)
            if request.task not in tasks:
                if unit in named:
                    raise UsageError(f"{unit} 不承担第 {request.task} 项任务，不能登记；批量操作没有写入任何台账")
                got[1].append(BulkLine(unit=unit, task=request.task, what=f"不承担第 {request.task} 项任务"))
                continue
            tasks = [request.task]
        inner = [(t, build_change(catalogue, unit, Entry(unit=unit, task=t, status="not_applicable", date=date,
                                                         reason=request.reason, note=request.note, stamp=request.stamp), today, []))
                 for t in tasks]
        changes[unit] = _each_task(unit, inner, got)
    run(ws, catalogue, changes, dry_run)
    scope = f"第 {request.task} 项任务" if request.task is not None else "承担的全部任务"
    return summarised("not_applicable", today, dry_run, len(units), got, f"{scope}登记“不适用”")


def _each_task(unit: str, inner: list[tuple[int, Change]], got: Collect) -> Change:
    def change(text: str, current: Ledger) -> tuple[str, Ledger]:
        for task, one in inner:
            # the whole task 不适用 already (on any day: a retry the next day is not a new fact)
            entry = live(current.tasks[task_index(current, task)], False).task
            wide = next((r for r in entry.records if r.whole_task), None)
            if wide is not None:
                got[1].append(BulkLine(unit=unit, task=task, entry=wide.id, what=f"已登记“不适用”（{wide.id}，{wide.date}）"))
                continue
            new_id = next_id(current, "records")
            new_text, after = one(text, current)
            if new_text == text:
                got[1].append(BulkLine(unit=unit, task=task, what="已有相同的“不适用”记录"))
                continue
            got[0].append(BulkLine(unit=unit, task=task, entry=new_id, what="不适用"))
            text, current = new_text, after
        return text, current

    return change
