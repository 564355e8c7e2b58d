"""``gwgk record``: turn what a user typed into one new record, event or extension, checked in full
before anything is written, and append it to the unit's ledger."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from gwgk.catalogue.model import Catalogue
from gwgk.entries.model import (
    STATUS_LABELS,
    Event,
    Extension,
    Ledger,
    Record,
    same_record,
    status_of,
)
from gwgk.errors import DataError, UsageError
from gwgk.files import yamlio
from gwgk.files.workspace import Workspace
from gwgk.judge.assessment import STATE_LABELS, assess_task
from gwgk.judge.dates import parse_date
from gwgk.judge.schedule import (
    event_due,
    event_rule,
    instances,
    next_event_key,
    owner_instance,
)
from gwgk.ledger.document import event_item, extension_item, record_item, record_window
from gwgk.ledger.store import Change, parse, update


@dataclass
class Entry:
    """What the user asked to record, as typed."""

    unit: str
    task: int
    status: str | None = None
    event: str | None = None
    extend: str | None = None
    date: str | None = None
    instance: str | None = None
    note: str | None = None
    evidence: list[str] = field(default_factory=list)
    category: str | None = None
    to: str | None = None
    reason: str | None = None
    source: str | None = None


LINE_SEPARATORS = {"\r\n": "\n", "\r": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"}


def clean_text(value: str, what: str = "文字") -> str:
    """Text as it will be stored: line separators pasted from Word become newlines; any other
    control character is refused (it cannot be told apart from layout in YAML)."""
    for separator, newline in LINE_SEPARATORS.items():
        value = value.replace(separator, newline)
    bad = [ch for ch in value if unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\n\t"
           or ch in "\ufeff\ufffe\uffff"]
    if bad:
        raise UsageError(f"{what}里有不可见的控制字符(U+{ord(bad[0]):04X}),请删除后再登记")
    return value.strip()


def _text(value: str | None, what: str = "文字") -> str | None:
    if value is None:
        return None
    return clean_text(value, what) or None


def appended(text: str, index: int, key: str, item: dict[str, Any], expected: Ledger, name: str) -> str:
    """``text`` with ``item`` added to list ``key`` of task entry ``index``; the text splice is
    tried first (every other byte kept), then ruamel's round trip; each must parse to ``expected``."""
    attempts = (
        lambda: yamlio.append_item(text, ("tasks", index), key, item),
        lambda: yamlio.append_item_roundtrip(text, ("tasks", index), key, item, name),
    )
    for attempt in attempts:
        try:
            candidate = attempt()
        except yamlio.CannotSplice:
            continue
        try:
            if parse(candidate, name) == expected:
                return candidate
        except DataError:
            continue
    raise DataError(f"无法安全地写入 {name},文件没有改动")


def _modes(entry: Entry) -> str:
    chosen = [m for m, v in (("status", entry.status), ("event", entry.event), ("extend", entry.extend)) if v is not None]
    if len(chosen) != 1:
        raise UsageError("请在 --status(登记进度)、--event(登记触发事件)、--extend(登记延期)中选择一个且只选一个")
    return chosen[0]


def _date(entry: Entry, today: dt.date, what: str) -> dt.date:
    if entry.date is None:
        raise UsageError(f"请用 --date 写明{what}日期")
    day = parse_date(entry.date, "--date 日期")
    if day > today:
        raise UsageError(f"--date {day} 在今天({today})之后,不能登记将来的日期")
    return day


def build_change(catalogue: Catalogue, unit: str, entry: Entry, today: dt.date, out: list[str]) -> Change:
    """The change to apply to the unit's ledger (validated inside, under the file's lock)."""
    mode = _modes(entry)
    catalogue.task(entry.task)  # refuses an unknown task number in Chinese
    assignment = catalogue.task_units(entry.task).get(unit)
    if assignment is None:
        raise UsageError(f"{unit} 不承担第 {entry.task} 项任务,不能登记(可运行 gwgk tasks --unit {unit} 查看)")

    def change(text: str, current: Ledger) -> tuple[str, Ledger]:
        index = next(i for i, e in enumerate(current.tasks) if e.task == entry.task)
        ledger_task = current.tasks[index]
        found = instances(assignment, ledger_task, catalogue.plan)
        keys = [i.key for i in found]
        expected = current.model_copy(deep=True)
        target = expected.tasks[index]
        name = f"ledgers/{unit}.yaml"
        if mode == "event":
            rule = event_rule(assignment.rules)
            if rule is None:
                raise UsageError(f"第 {entry.task} 项任务的完成时限不是“形成起…日内”之类,没有触发事件可登记")
            day = _date(entry, today, "事件发生的")
            plan = catalogue.plan
            if not plan.effective_from <= day <= plan.effective_to:
                raise UsageError(f"事件日期 {day} 不在计划期内({plan.effective_from} 至 {plan.effective_to})")
            title = _text(entry.event, "--event")
            if not title:
                raise UsageError("--event 需要写明事件,如“2021年预算批复”")
            event = Event(key=next_event_key(ledger_task), title=title, date=day)
            target.events.append(event)
            due = event_due(rule, day)
            when = f"到期日 {due}" if due else "计划未规定天数,不设到期日"
            if due and rule.days:
                when += f"({rule.days} 个{'工作日' if rule.day_count == 'working' else '自然日'})"
            elif due:
                when += "(与事件同时)"
            out.append(f"已为 {unit} 第 {entry.task} 项任务登记事件 {event.key}:{title}({day}),{when}。")
            return appended(text, index, "events", event_item(event), expected, name), expected
        if mode == "extend":
            key = entry.extend or ""
            inst = next((i for i in found if i.key == key), None)
            if inst is None:
                raise UsageError(f"第 {entry.task} 项任务没有实例“{key}”,可用的有:{'、'.join(keys) or '(无)'}")
            if inst.due is None:
                raise UsageError(f"实例“{key}”没有到期日,不需要延期")
            if any(x.instance == key for x in ledger_task.extensions):
                raise UsageError(f"实例“{key}”已经登记过延期;如需更改,请直接编辑台账文件")
            if entry.to is None:
                raise UsageError("登记延期需要 --to 写明新的期限")
            new_due = parse_date(entry.to, "--to 日期")
            if new_due <= inst.due:
                raise UsageError(f"新的期限 {new_due} 应晚于原期限 {inst.due}")
            if new_due > record_window(catalogue)[1]:
                raise UsageError(f"新的期限 {new_due} 太晚了(最晚 {record_window(catalogue)[1]})")
            reason = _text(entry.reason, "--reason")
            if not reason:
                raise UsageError("登记延期必须用 --reason 写明原因")
            extension = Extension(instance=key, to=new_due, reason=reason)
            target.extensions.append(extension)
            out.append(f"已为 {unit} 第 {entry.task} 项任务的实例 {key} 登记延期:{inst.due} → {new_due}(原因:{reason})。")
            return appended(text, index, "extensions", extension_item(extension), expected, name), expected
        status = status_of(entry.status)
        if status not in STATUS_LABELS:
            raise UsageError(f"状态“{entry.status}”不认识,可用:已完成(done)、推进中(in_progress)、不适用(not_applicable)")
        day = _date(entry, today, "完成或推进的")
        first, last = record_window(catalogue)
        if not first <= day <= last:
            raise UsageError(f"--date {day} 超出允许的范围({first} 至 {last})")
        instance = _text(entry.instance, "--instance")
        if instance is not None and instance not in keys:
            raise UsageError(f"第 {entry.task} 项任务没有实例“{instance}”,可用的有:{'、'.join(keys) or '(无,请先用 --event 登记触发事件)'}")
        if instance is None and status != "not_applicable" and owner_instance(found, day) is None:
            raise UsageError(f"无法按日期 {day} 判断属于第 {entry.task} 项的哪个实例,请用 --instance 指明:{'、'.join(keys) or '(无,请先用 --event 登记触发事件)'}")
        note = _text(entry.note, "--note")
        if status == "not_applicable":
            reason = _text(entry.reason, "--reason") or note
            if not reason:
                raise UsageError("登记“不适用”必须用 --reason 写明原因")
            note = reason
        record = Record(
            date=day, status=status, instance=instance, note=note,
            evidence=[e for e in (_text(x, "--evidence") for x in entry.evidence) if e],
            category=_text(entry.category, "--category"), source=entry.source,
        )
        target.records.append(record)
        after = assess_task(assignment, target, today, catalogue.plan, catalogue.settings)
        by_date = owner_instance(found, day)
        owner = instance or (by_date.key if by_date else None)
        states = [f"{a.instance.key} {STATE_LABELS[a.state]}" for a in after.assessed if owner is None or a.instance.key == owner]
        scope = f"实例 {owner}" if owner else "整项任务"
        out.append(f"已为 {unit} 第 {entry.task} 项任务({scope})登记:{day} {STATUS_LABELS[status]}。现在:{'、'.join(states)}。")
        return appended(text, index, "records", record_item(record), expected, name), expected

    return change


def apply_entry(ws: Workspace, catalogue: Catalogue, entry: Entry, today: dt.date) -> list[str]:
    """Record ``entry`` into the unit's ledger; returns the lines to print."""
    unit = catalogue.resolve_unit(entry.unit).name
    out: list[str] = []
    change = build_change(catalogue, unit, entry, today, out)
    update(ws, catalogue, unit, change)
    return out


def records_change(unit: str, items: list[tuple[int, Record]], added: list[Record]) -> Change:
    """A change appending ``items`` (task, record) to a ledger, one verified append at a time.

    Records already in the ledger (same content, whatever their source) are left out, so a
    workbook imported twice adds nothing the second time; what was added goes into ``added``.
    """

    def change(text: str, current: Ledger) -> tuple[str, Ledger]:
        expected = current
        for task, record in items:
            index = next(i for i, e in enumerate(expected.tasks) if e.task == task)
            if any(same_record(record, r) for r in expected.tasks[index].records):
                continue
            step = expected.model_copy(deep=True)
            step.tasks[index].records.append(record)
            text = appended(text, index, "records", record_item(record), step, f"ledgers/{unit}.yaml")
            expected = step
            added.append(record)
        return text, expected

    return change
