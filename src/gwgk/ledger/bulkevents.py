"""Undoing a city-wide event in bulk: withdrawing it from every unit's ledger, or correcting it (a
wrong date, a wrong name), each unit's event found by its name, since the same event has its own key
in each ledger (E1 here, E3 there). All or nothing as every bulk write (``bulk.run``); each unit's
entries are the ones ``gwgk record --withdraw`` or ``--replaces`` writes for one unit."""

from __future__ import annotations

import datetime as dt
import re

from gwgk.catalogue.model import Catalogue
from gwgk.entries.history import live
from gwgk.entries.model import STATUS_LABELS, Event, Ledger, LedgerTask
from gwgk.entries.naming import same_title
from gwgk.errors import UsageError
from gwgk.files.workspace import Workspace
from gwgk.judge.dates import parse_date
from gwgk.ledger.bulkresult import BulkLine, BulkRecord, BulkResult, Collect, entered_day, event_title, owing_units, run, summarised
from gwgk.ledger.changes import optional_text, task_index
from gwgk.ledger.store import Change

ENTRY_ID = re.compile(r"[RXWVE]\d+", re.IGNORECASE)


class EventFinder:
    """Finds each unit's event by its name, and keeps the names of the events it saw, so that a name
    no unit has is refused with the nearest ones (nothing was written then: every unit skipped)."""

    def __init__(self, several: str) -> None:
        self.titles: set[str] = set()
        self.several = several  # what to do when a unit has several events of the name

    def named(self, current: Ledger, task: int, title: str, day: dt.date | None) -> tuple[Event | None, str]:
        """The one event of ``task`` still counting that is called ``title`` (on ``day`` when
        given), or None and why not."""
        counting = live(current.tasks[task_index(current, task)], False).task.events
        self.titles.update(e.title for e in counting)
        events = [e for e in counting if same_title(e.title, title) and (day is None or e.date == day)]
        if len(events) == 1:
            return events[0], ""
        if not events:
            return None, f"没有名为“{title}”{f'、日期为 {day} ' if day else ''}的事件（或已撤回）"
        dates = "、".join(f"{e.key}（{e.date}）" for e in events)
        return None, f"有 {len(events)} 个名为“{title}”的事件：{dates}，{self.several}"

    def refuse_unknown(self, got: Collect, title: str) -> None:
        """``UsageError`` when no unit has an event called ``title`` (a typo, most likely)."""
        if got[0] or not all(line.what.startswith("没有名为") or line.what.startswith("不承担") for line in got[1]):
            return
        import difflib

        close = difflib.get_close_matches(title, sorted(self.titles), n=3, cutoff=0.4)
        hint = f"，您是不是要找：{'、'.join(close)}？" if close else "（可运行 gwgk ledger --unit 单位 查看已登记的事件）"
        raise UsageError(f"范围内没有单位有名为“{title}”的事件{hint}；没有写入任何台账")


def withdraw_events(ws: Workspace, catalogue: Catalogue, request: BulkRecord, units: list[str], named: set[str],
                    today: dt.date, dry_run: bool) -> BulkResult:
    """``gwgk record --group G | --unit U… --task N --withdraw 事件名称 --reason 原因``: the event of
    that name withdrawn from every unit's ledger that has it (the others skipped and said so)."""
    name = optional_text(request.withdraw, "--withdraw") or ""
    if ENTRY_ID.fullmatch(name) and len(units) > 1:
        raise UsageError(f"批量撤回请用事件名称（如 --withdraw “2021年预算批复”），不要用编号 {name}：同一事件在各单位台账里的编号不同")
    if not optional_text(request.reason, "--reason"):
        raise UsageError("撤回必须用 --reason 写明原因")
    got: Collect = ([], [])
    if ENTRY_ID.fullmatch(name):  # one unit: the entry by its id, as without --dry-run
        changes = {units[0]: _by_id(catalogue, units[0], name.upper(), request, today, got)}
    else:
        task, owing = owing_units(catalogue, request, units, named, got, "批量撤回或更正事件")
        on = parse_date(request.date, "--date 日期") if request.date else None  # which day's event, when several
        finder = EventFinder("请加 --date 日期 指明撤回哪一天的")
        changes = {unit: _withdrawn(catalogue, unit, task, name, on, request, today, got, finder) for unit in owing}
    run(ws, catalogue, changes, dry_run)
    if not ENTRY_ID.fullmatch(name):
        finder.refuse_unknown(got, name)
    return summarised("withdraw", today, dry_run, len(units), got, f"撤回事件“{name}”")


def _by_id(catalogue: Catalogue, unit: str, target: str, request: BulkRecord, today: dt.date, got: Collect) -> Change:
    from gwgk.ledger.withdrawal import withdrawal_change

    inner = withdrawal_change(catalogue, unit, target, request.task, request.reason, today, [], request.stamp)

    def change(text: str, current: Ledger) -> tuple[str, Ledger]:
        new_text, after = inner(text, current)
        got[0].append(BulkLine(unit=unit, task=request.task, entry=_withdrawal_of(after, target), what=f"撤回 {target}"))
        return new_text, after

    return change


def _withdrawal_of(ledger: Ledger, target: str) -> str | None:
    return next((w.id for entry in ledger.tasks for w in entry.withdrawals if w.target == target), None)


def _withdrawn(catalogue: Catalogue, unit: str, task: int, name: str, on: dt.date | None, request: BulkRecord,
               today: dt.date, got: Collect, finder: EventFinder) -> Change:
    from gwgk.ledger.withdrawal import withdrawal_change

    def change(text: str, current: Ledger) -> tuple[str, Ledger]:
        event, why = finder.named(current, task, name, on)
        if event is None:
            got[1].append(BulkLine(unit=unit, task=task, what=why))
            return text, current
        new_text, after = withdrawal_change(catalogue, unit, event.key, task, request.reason, today, [], request.stamp)(text, current)
        got[0].append(BulkLine(unit=unit, task=task, entry=_withdrawal_of(after, event.key),
                               what=f"撤回事件 {event.key}“{event.title}”（{event.date}）"))
        return new_text, after

    return change


def new_entries(before: LedgerTask, after: LedgerTask) -> list[tuple[str, str]]:
    """Every entry of ``after`` that ``before`` lacks, by id, in words (a correction writes several:
    the new event, the withdrawal of the old, each record and extension moved to the new)."""
    out: list[tuple[str, str]] = []
    keys = {e.key for e in before.events}
    out += [(e.key, f"事件“{e.title}”（{e.date}）") for e in after.events if e.key not in keys]
    ids = {w.id for w in before.withdrawals}
    out += [(w.id, f"撤回 {w.target}") for w in after.withdrawals if w.id not in ids]
    had = {r.id for r in before.records}
    out += [(r.id or "", f"记录改登到 {r.instance}（{r.date} {STATUS_LABELS[r.status]}，更正 {r.replaces}）" if r.replaces
             else f"记录（{r.date} {STATUS_LABELS[r.status]}）") for r in after.records if r.id not in had]
    had = {x.id for x in before.extensions}
    out += [(x.id or "", f"延期改登到 {x.instance}（至 {x.to}）") for x in after.extensions if x.id not in had]
    return out


def replace_events(ws: Workspace, catalogue: Catalogue, request: BulkRecord, units: list[str], named: set[str],
                   today: dt.date, dry_run: bool) -> BulkResult:
    """``gwgk record --group G | --unit U… --task N --event 新名称 --date D --replaces 原名称``: in every
    unit's ledger that has the event called 原名称, the corrected event registered in its place (the
    records and extensions on it moved along, as ``--replaces`` does for one unit)."""
    from gwgk.ledger.recording import Entry, build_change

    old = optional_text(request.replaces, "--replaces") or ""
    if ENTRY_ID.fullmatch(old) and len(units) > 1:
        raise UsageError(f"批量更正请用原事件的名称（--replaces “原事件名称”），不要用编号 {old}：同一事件在各单位台账里的编号不同")
    got: Collect = ([], [])
    task, owing = owing_units(catalogue, request, units, named, got, "批量撤回或更正事件")
    day = entered_day(request.date, today, "更正后事件发生的")
    title = event_title(request.event)
    finder = EventFinder("请逐个单位按编号更正")

    def replaced(unit: str) -> Change:
        def change(text: str, current: Ledger) -> tuple[str, Ledger]:
            event, why = (None, "") if ENTRY_ID.fullmatch(old) else finder.named(current, task, old, None)
            key = old.upper() if ENTRY_ID.fullmatch(old) else event.key if event else None
            if event is not None and same_title(event.title, title) and event.date == day:
                got[1].append(BulkLine(unit=unit, task=task, entry=event.key, what=f"事件 {event.key} 已是“{title}”（{day}）"))
                return text, current
            if key is None:
                done = finder.named(current, task, title, day)[0]  # corrected before, one unit at a time
                got[1].append(BulkLine(unit=unit, task=task, entry=done.key if done else None,
                                       what=f"事件 {done.key} 已是“{title}”（{day}）" if done else why))
                return text, current
            inner = build_change(catalogue, unit, Entry(unit=unit, task=task, event=title, date=request.date, replaces=key,
                                                         stamp=request.stamp), today, [])
            new_text, after = inner(text, current)
            index = task_index(current, task)
            got[0].extend(BulkLine(unit=unit, task=task, entry=entry_id, what=what)
                          for entry_id, what in new_entries(current.tasks[index], after.tasks[index]))
            return new_text, after

        return change

    run(ws, catalogue, {unit: replaced(unit) for unit in owing}, dry_run)
    if not ENTRY_ID.fullmatch(old):
        finder.refuse_unknown(got, old)
    return summarised("replace_event", today, dry_run, len(units), got, f"第 {task} 项任务更正事件“{old}”为“{title}”（{day}）")
