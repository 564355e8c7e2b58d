"""``gwgk record``: turn what a user typed into one new entry (a record, a correction, an event, an
extension or a withdrawal), checked in full before anything is written, and append it to the
unit's ledger. Every entry gets an id and the day it was entered (``today``: the as-of day)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from gwgk.catalogue.model import Assignment, Catalogue
from gwgk.catalogue.rules import EventRule, RecurringRule
from gwgk.entries.history import known_on, live, next_id, withdrawn
from gwgk.entries.model import (
    STATUS_LABELS,
    Event,
    Extension,
    Ledger,
    LedgerTask,
    Record,
    Review,
    Stamp,
    Withdrawal,
    same_record,
    status_of,
)
from gwgk.entries.naming import event_title_refusal, same_title
from gwgk.errors import UsageError
from gwgk.files.workspace import Workspace
from gwgk.judge.assessment import STATE_LABELS, assess_known
from gwgk.judge.dates import parse_date
from gwgk.judge.schedule import (
    Instance,
    event_due,
    event_rule,
    instances,
    next_event_key,
    owner_instance,
)
from gwgk.ledger.changes import counted_in, optional_text, state_changes, states_now, task_index, with_entry
from gwgk.ledger.document import (
    record_window,
)
from gwgk.ledger.store import Change, update
from gwgk.ledger.withdrawal import attached, withdrawal_change


@dataclass
class Entry:
    """What the user asked to record, as typed."""

    unit: str
    task: int | None
    status: str | None = None
    event: str | None = None
    extend: str | None = None
    withdraw: str | None = None
    replaces: str | None = None
    date: str | None = None
    instance: str | None = None
    note: str | None = None
    evidence: list[str] = field(default_factory=list)
    category: str | None = None
    to: str | None = None
    reason: str | None = None
    source: str | None = None
    stamp: Stamp | None = None  # who writes it and when (set by the command)
    again: bool = False  # the same record once more on purpose (a second article the same day)


def _mode(entry: Entry) -> str:
    chosen = [m for m, v in (("status", entry.status), ("event", entry.event), ("extend", entry.extend),
                             ("withdraw", entry.withdraw)) if v is not None]
    if len(chosen) != 1:
        raise UsageError("请在 --status（登记进度）、--event（登记触发事件）、--extend（登记延期）、--withdraw（撤回）"
                         "中选择一个且只选一个")
    if entry.replaces is not None and chosen[0] not in ("status", "event"):
        raise UsageError("--replaces（更正）要和 --status 一起用（写明更正后的进度），或和 --event 一起用（写明更正后的事件）")
    if entry.again and chosen[0] != "status":
        raise UsageError("--again（与已有记录相同时仍然登记）只用于 --status 登记进度")
    if chosen[0] != "withdraw" and entry.task is None:
        raise UsageError("请用 --task 写明任务序号")
    return chosen[0]


def _date(entry: Entry, today: dt.date, what: str) -> dt.date:
    if entry.date is None:
        raise UsageError(f"请用 --date 写明{what}日期")
    day = parse_date(entry.date, "--date 日期")
    if day > today:
        raise UsageError(f"--date {day} 在今天（{today}）之后，不能登记将来的日期")
    return day


def _keys(found: list[Instance]) -> str:
    return "、".join(i.key for i in found) or "（无，请先用 --event 登记触发事件）"


def _event(catalogue: Catalogue, assignment: Assignment, entry: Entry, today: dt.date, current: Ledger,
           text: str, name: str, out: list[str]) -> tuple[str, Ledger]:
    rule = event_rule(assignment.rules)
    if rule is None:
        raise UsageError(f"第 {assignment.task.id} 项任务的完成时限不是“形成起…日内”之类，没有触发事件可登记")
    day = _date(entry, today, "事件发生的")
    due = event_due(rule, day)
    refusal = event_day_refusal(catalogue, rule, day)
    if refusal:
        raise UsageError(refusal)
    title = optional_text(entry.event, "--event")
    if not title:
        raise UsageError("--event 需要写明事件，如“2021年预算批复”")
    refusal = event_title_refusal(title)
    if refusal:
        raise UsageError(f"--event：{refusal}")
    index = task_index(current, assignment.task.id)
    replaced = _replaced_event(current.tasks[index], entry.replaces)
    twin = next((e for e in live(current.tasks[index], False).task.events if same_title(e.title, title) and e.date == day), None)
    if twin is not None and replaced is None:
        out.append(f"{current.unit} 第 {assignment.task.id} 项任务已登记过这个事件 {twin.key}：{title}（{day}），没有重复登记。")
        return text, current
    if twin is not None and twin.key == replaced:
        raise UsageError(f"事件 {replaced} 就是“{title}”（{day}），更正后的事件要写新的名称或日期")
    if twin is not None:  # the right event is registered already (an older correction): records move onto it
        event = twin
        new, expected = text, current
    else:
        event = Event(key=next_event_key(current.tasks[index]), title=title, date=day, entered=today, replaces=replaced,
                      **_written(entry))
        new, expected = with_entry(text, current, index, "events", event, name)
    if replaced is not None:
        new, expected = _moved_to_event(catalogue, assignment, entry, today, expected, new, name, index, replaced, event, out)
        return new, expected
    when = f"到期日 {due}" if due else "计划未规定天数，不设到期日"
    if due and rule.days:
        when += f"（{rule.days} 个{'工作日' if rule.day_count == 'working' else '自然日'}）"
    elif due:
        when += "（与事件同时）"
    out.append(f"已为 {expected.unit} 第 {assignment.task.id} 项任务登记事件 {event.key}：{title}（{day}），{when}。"
               + state_changes(catalogue, assignment, current, expected, today, [event.key]))
    return new, expected


def event_day_refusal(catalogue: Catalogue, rule: EventRule, day: dt.date) -> str | None:
    """Why an event on ``day`` cannot be registered for ``rule`` (None: it can). An event before the
    plan took effect still counts when what it makes due falls inside the plan."""
    plan = catalogue.plan
    first = record_window(catalogue)[0]
    outside = day > plan.effective_to or day < first  # checked first: no working-day count for a day far outside the plan
    if outside or (day < plan.effective_from and ((due := event_due(rule, day)) is None or due < plan.effective_from)):
        return (f"事件日期 {day} 不在计划期内（{plan.effective_from} 至 {plan.effective_to}），"
                "计划生效前的事件只有在到期日落在计划期内时才能登记")
    return None


def _extension(catalogue: Catalogue, assignment: Assignment, entry: Entry, today: dt.date, current: Ledger,
               text: str, name: str, out: list[str]) -> tuple[str, Ledger]:
    index = task_index(current, assignment.task.id)
    ledger_task = live(current.tasks[index], False).task
    found = instances(assignment, ledger_task, catalogue.plan)
    key = entry.extend or ""
    inst = next((i for i in found if i.key == key), None)
    if inst is None:
        raise UsageError(f"第 {assignment.task.id} 项任务没有实例“{key}”，可用的有：{_keys(found)}")
    if inst.due is None:
        raise UsageError(f"实例“{key}”没有到期日，不需要延期")
    if any(x.instance == key for x in ledger_task.extensions):
        raise UsageError(f"实例“{key}”已经登记过延期；如需更改，请先用 --withdraw 撤回原来的延期")
    if entry.to is None:
        raise UsageError("登记延期需要 --to 写明新的期限")
    new_due = parse_date(entry.to, "--to 日期")
    if new_due <= inst.due:
        raise UsageError(f"新的期限 {new_due} 应晚于原期限 {inst.due}")
    if new_due > record_window(catalogue)[1]:
        raise UsageError(f"新的期限 {new_due} 太晚了（最晚 {record_window(catalogue)[1]}）")
    reason = optional_text(entry.reason, "--reason")
    if not reason:
        raise UsageError("登记延期必须用 --reason 写明原因")
    extension = Extension(id=next_id(current, "extensions"), instance=key, to=new_due, reason=reason, entered=today,
                          **_written(entry))
    new, expected = with_entry(text, current, index, "extensions", extension, name)
    out.append(f"已为 {expected.unit} 第 {assignment.task.id} 项任务的实例 {key} 登记延期 {extension.id}："
               f"{inst.due} → {new_due}（原因：{reason}）。" + state_changes(catalogue, assignment, current, expected, today))
    return new, expected


def _record(catalogue: Catalogue, assignment: Assignment, entry: Entry, today: dt.date, current: Ledger,
            text: str, name: str, out: list[str]) -> tuple[str, Ledger]:
    task = assignment.task.id
    index = task_index(current, task)
    counted = live(current.tasks[index], False).task
    found = instances(assignment, counted, catalogue.plan)
    keys = [i.key for i in found]
    status = status_of(entry.status)
    if status not in STATUS_LABELS:
        raise UsageError(f"状态“{entry.status}”不认识，可用：已完成（done）、推进中（in_progress）、不适用（not_applicable）")
    day = _date(entry, today, "完成或推进的")
    first, last = record_window(catalogue)
    if not first <= day <= last:
        raise UsageError(f"--date {day} 超出允许的范围（{first} 至 {last}）")
    instance = optional_text(entry.instance, "--instance")
    if instance is not None and instance not in keys:
        raise UsageError(f"第 {task} 项任务没有实例“{instance}”，可用的有：{_keys(found)}")
    if instance is None and status != "not_applicable" and owner_instance(found, day) is None:
        raise UsageError(f"无法按日期 {day} 判断属于第 {task} 项的哪个实例，请用 --instance 指明：{_keys(found)}")
    note = optional_text(entry.note, "--note")
    if status == "not_applicable":
        note = optional_text(entry.reason, "--reason") or note
        if not note:
            raise UsageError("登记“不适用”必须用 --reason 写明原因")
    replaced = _replaced(current, index, entry.replaces)
    record = Record(
        id=next_id(current, "records"), date=day, entered=today, status=status, instance=instance, note=note,
        evidence=[e for e in (optional_text(x, "--evidence") for x in entry.evidence) if e],
        category=optional_text(entry.category, "--category"), source=entry.source, replaces=replaced,
        **_written(entry),
    )
    twin = next((r for r in counted.records if same_record(record, r)), None)
    if twin is not None and replaced is None and not entry.again:
        out.append(f"{current.unit} 第 {task} 项任务已有一条完全相同的记录 {twin.id}（{twin.date} {STATUS_LABELS[twin.status]}），"
                   "没有重复登记。")
        out.append("如果这是另一项工作（如同一天发布的另一篇信息），请加 --again 再登记一次，或用 --evidence 写明它自己的佐证（网址）。")
        return text, current
    expected = current
    if replaced is not None:
        why = optional_text(entry.reason, "--reason") if status != "not_applicable" else None
        withdrawal = Withdrawal(id=next_id(current, "withdrawals"), target=replaced, entered=today,
                                reason=why or f"更正为 {record.id}", **_written(entry))
        text, expected = with_entry(text, expected, index, "withdrawals", withdrawal, name)
    new_text, expected = with_entry(text, expected, index, "records", record, name)
    # the instance the ledger counts it for (late work of an extended instance, a whole task's 不适用…)
    counted_for = counted_in(catalogue, assignment, expected, today, record.id or "")
    owner = counted_for[0] if len(counted_for) == 1 else None
    if instance is None and status == "not_applicable":
        scope = "整项任务" + (f"：{'、'.join(counted_for)}" if counted_for else "")
    else:
        scope = f"实例 {owner}" if owner else "整项任务"
    done = f"登记 {record.id}：{day} {STATUS_LABELS[status]}"
    if replaced is not None:
        done = f"更正 {replaced}（已撤回）为 {record.id}：{day} {STATUS_LABELS[status]}"
    now = states_now(catalogue, assignment, expected, today, owner) if owner or not counted_for else "、".join(
        f"{key} {state}" for key, state in _words(catalogue, assignment, expected, today, counted_for))
    out.append(f"已为 {current.unit} 第 {task} 项任务（{scope}）{done}。现在：{now}。"
               + state_changes(catalogue, assignment, current, expected, today, counted_for))
    if status == "done" and record.category is None and _wants_categories(assignment, owner, found):
        out.append(f"提示：第 {task} 项要求每期涉及不同的工作方面，这条记录没有写 --category，不计入方面数。")
    start = catalogue.settings.review_start
    if status == "done" and start is not None and today >= start:
        out.append("这条“已完成”记录待政务公开办审核销号（gwgk review）。")
    return new_text, expected


def _replaced_event(task: LedgerTask, target: str | None) -> str | None:
    """The event key a correction replaces (an event of the task, withdrawn already or not)."""
    if target is None:
        return None
    wanted = target.strip().upper()
    keys = [e.key for e in task.events]
    if wanted not in keys:
        raise UsageError(f"第 {task.task} 项任务没有事件 {target}，可更正的有：{'、'.join(keys) or '（无）'}")
    return wanted


def _moved_to_event(catalogue: Catalogue, assignment: Assignment, entry: Entry, today: dt.date, current: Ledger,
                    text: str, name: str, index: int, replaced: str, event: Event, out: list[str]) -> tuple[str, Ledger]:
    """The correction of event ``replaced`` by ``event``, in the same verified write: the old event
    withdrawn (unless it is already), and each record and extension that counted for it withdrawn and
    entered again for the new event (an accepted record keeps its acceptance, by a new review)."""
    written = _written(entry)
    task = current.tasks[index]
    records, extensions = attached(task, replaced)
    expected = current
    why = optional_text(entry.reason, "--reason")
    if replaced not in withdrawn(task):
        withdrawal = Withdrawal(id=next_id(expected, "withdrawals"), target=replaced, entered=today,
                                reason=why or f"更正为 {event.key}", **written)
        text, expected = with_entry(text, expected, index, "withdrawals", withdrawal, name)
    moved: list[str] = []
    accepted = {v.record: v for v in task.reviews if v.decision == "accepted"}
    for old in records:
        copy = old.model_copy(update={"id": next_id(expected, "records"), "instance": event.key, "replaces": old.id,
                                      "entered": today, **written})
        text, expected = with_entry(text, expected, index, "withdrawals", Withdrawal(
            id=next_id(expected, "withdrawals"), target=old.id or "", entered=today, reason=f"随事件 {replaced} 更正为 {event.key}，改登为 {copy.id}",
            **written), name)
        text, expected = with_entry(text, expected, index, "records", copy, name)
        moved.append(f"{old.id} → {copy.id}")
        if old.id in accepted:
            review = Review(id=next_id(expected, "reviews"), record=copy.id or "", decision="accepted", entered=today,
                            reason=f"随事件更正由 {old.id} 改登，原审核 {accepted[old.id].id} 已通过", **written)
            text, expected = with_entry(text, expected, index, "reviews", review, name)
    rule = event_rule(assignment.rules)
    due = event_due(rule, event.date) if rule is not None else None
    dropped: list[str] = []
    for old_x in extensions:
        text, expected = with_entry(text, expected, index, "withdrawals", Withdrawal(
            id=next_id(expected, "withdrawals"), target=old_x.id or "", entered=today, reason=f"随事件 {replaced} 更正为 {event.key}",
            **written), name)
        if due is not None and old_x.to > due:
            copy_x = Extension(id=next_id(expected, "extensions"), instance=event.key, to=old_x.to, reason=old_x.reason,
                               entered=today, **written)
            text, expected = with_entry(text, expected, index, "extensions", copy_x, name)
            moved.append(f"{old_x.id} → {copy_x.id}")
        else:
            dropped.append(f"{old_x.id}（至 {old_x.to}，不晚于新的到期日）")
    task_id = assignment.task.id
    when = f"，到期日 {due}" if due else ""
    line = (f"已为 {current.unit} 第 {task_id} 项任务更正事件 {replaced}（已撤回）为 {event.key}：{event.title}（{event.date}）{when}。")
    if moved:
        line += f"随之改登：{'、'.join(moved)}。"
    if dropped:
        line += f"撤回的延期：{'、'.join(dropped)}。"
    out.append(line + f"现在：{states_now(catalogue, assignment, expected, today, None)}。")
    return text, expected


def _written(entry: Entry) -> dict[str, Any]:
    return entry.stamp.fields if entry.stamp is not None else {}


def _replaced(current: Ledger, index: int, target: str | None) -> str | None:
    """The id a correction replaces: a live record of the same task (refused otherwise)."""
    if target is None:
        return None
    wanted = target.strip().upper()
    entry = current.tasks[index]
    if wanted not in {r.id for r in entry.records}:
        raise UsageError(f"第 {entry.task} 项任务没有记录 {target}，可更正的有：{'、'.join(r.id or '' for r in entry.records) or '(无)'}")
    if wanted in withdrawn(entry):
        raise UsageError(f"记录 {wanted} 已经撤回，不能再更正")
    return wanted


def _words(catalogue: Catalogue, assignment: Assignment, ledger: Ledger, today: dt.date, keys: list[str]) -> list[tuple[str, str]]:
    """Each of ``keys`` with its state in words as of ``today``."""
    judged = assess_known(assignment, known_on(ledger, today).task(assignment.task.id), today, catalogue.plan, catalogue.settings)
    return [(a.instance.key, STATE_LABELS[a.state]) for a in judged.assessed if a.instance.key in keys]


def _wants_categories(assignment: Assignment, owner: str | None, found: list[Instance]) -> bool:
    rules = [i.rule for i in found if owner is None or i.key == owner]
    return any(isinstance(rule, RecurringRule) and rule.categories for rule in rules)


def build_change(catalogue: Catalogue, unit: str, entry: Entry, today: dt.date, out: list[str]) -> Change:
    """The change to apply to the unit's ledger (validated inside, under the file's lock)."""
    mode = _mode(entry)
    if mode == "withdraw":
        return withdrawal_change(catalogue, unit, entry.withdraw or "", entry.task, entry.reason, today, out, entry.stamp)
    assert entry.task is not None  # _mode refuses a missing --task
    catalogue.task(entry.task)  # refuses an unknown task number in Chinese
    assignment = catalogue.task_units(entry.task).get(unit)
    if assignment is None:
        raise UsageError(f"{unit} 不承担第 {entry.task} 项任务，不能登记（可运行 gwgk tasks --unit {unit} 查看）")
    make = {"event": _event, "extend": _extension, "status": _record}[mode]

    def change(text: str, current: Ledger) -> tuple[str, Ledger]:
        return make(catalogue, assignment, entry, today, current, text, f"ledgers/{unit}.yaml", out)

    return change


def apply_entry(ws: Workspace, catalogue: Catalogue, entry: Entry, today: dt.date) -> list[str]:
    """Record ``entry`` into the unit's ledger; returns the lines to print."""
    unit = catalogue.resolve_unit(entry.unit).name
    out: list[str] = []
    update(ws, catalogue, unit, build_change(catalogue, unit, entry, today, out))
    return out
