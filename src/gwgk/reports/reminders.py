"""催办: which items each unit is reminded of as of a day, and the message that tells it.

A unit is reminded of exactly what the 回头看 (``gwgk overdue``) names for it that day (overdue,
lagging, 未报送事件), of what falls due within N days, and of what the office returned in review (with the
reason); with ``unanswered``, also of the workbook it has not sent back. A unit with nothing to say
gets no message. Pure: the 回头看, the ledgers and the day are parameters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping

from pydantic import BaseModel, Field

from gwgk.catalogue.model import Catalogue
from gwgk.entries.history import reviews
from gwgk.entries.model import Ledger
from gwgk.judge.assessment import Assessed, assign_records
from gwgk.reports.ledger import as_known, assess_unit
from gwgk.reports.overdue import OverdueReport, unchecked_units
from gwgk.reports.wording import instance_label

SETTLED = frozenset(("done", "done_late", "submitted", "not_applicable"))
KIND_TITLES = {"overdue": "超期未完成", "lagging": "进度滞后", "no_event": "未报送触发事件", "due_soon": "即将到期",
               "returned": "被退回，需重新办理"}
NUMERALS = "一二三四五六七八九十"


class ReminderItem(BaseModel):
    """One item a unit is reminded of (``plan``, ``task``, ``instance``, ``state``, ``due`` in JSON;
    the rest gives the message its words)."""

    plan: int | None
    task: int
    instance: str
    state: str  # overdue, lagging, no_event, due_soon, or returned (returned and neither overdue nor due soon)
    due: dt.date | None
    title: str = Field(default="", exclude=True)
    label: str = Field(default="", exclude=True)  # the instance in words: a period, an event's name and day
    days_overdue: int | None = Field(default=None, exclude=True)
    idle_days: int | None = Field(default=None, exclude=True)
    returned: str | None = Field(default=None, exclude=True)  # the office's reason, when it returned a record

    def key(self) -> tuple[int | None, int, str]:
        """What names the instance."""
        return (self.plan, self.task, self.instance)


class Waiting(BaseModel):
    """A workbook sent to a unit and not returned (``reports.collect``)."""

    sent: dt.date
    waiting_days: int


class UnitReminder(BaseModel):
    """The reminder of one unit."""

    unit: str
    items: list[ReminderItem]
    waiting: Waiting | None = Field(default=None, exclude=True)
    text: str

    def digest(self) -> str:
        """A fingerprint of what the reminder names: the same items give the same one."""
        named = [self.unit, [[i.plan, i.task, i.instance, i.state, str(i.due)] for i in self.items],
                 self.waiting.sent.isoformat() if self.waiting else None]
        return hashlib.sha256(json.dumps(named, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


class Reminders(BaseModel):
    """Every unit's reminder as of ``as_of``, in the 回头看's order (units with the most overdue
    first), then the units it does not list; ``unchecked`` units have a broken ledger."""

    as_of: dt.date
    within: int
    units: list[UnitReminder]
    unchecked: list[str] = []


class Message(BaseModel):
    """One unit's reminder as it went out (or would, in a dry run)."""

    unit: str
    to: str
    items: list[ReminderItem]
    text: str
    sent: bool


class Failure(BaseModel):
    """A unit that was not reminded, and why."""

    unit: str
    error: str


class RemindResult(BaseModel):
    """``gwgk remind``."""

    as_of: dt.date
    via: str
    messages: list[Message]
    failed: list[Failure]


def due_soon(x: Assessed, as_of: dt.date, within: int) -> bool:
    """Whether the judged instance ``x`` is not finished and falls due within ``within`` days of
    ``as_of`` (a recurring period not begun yet waits for its start)."""
    return (x.due is not None and x.state in ("due_soon", "pending", "in_progress") and 0 <= (x.due - as_of).days <= within
            and not (x.instance.kind == "recurring" and x.instance.start is not None and as_of < x.instance.start))


def unit_extras(catalogue: Catalogue, unit: str, ledger: Ledger | None, as_of: dt.date, within: int) -> list[ReminderItem]:
    """What ``unit`` is reminded of beside the 回头看: instances not finished that fall due within
    ``within`` days of ``as_of`` (a recurring period not begun yet waits), and those whose record
    the office returned (as known on ``as_of``) and that are not finished since."""
    out: list[ReminderItem] = []
    year = catalogue.plan.year
    known = as_known(ledger, as_of)
    for ta in assess_unit(catalogue, unit, ledger, as_of):
        task = ta.assignment.task
        entry = known.task(task.id) if known else None
        decided = {k: v for k, v in reviews(entry).items() if v.decision == "returned"} if entry else {}
        reasons: dict[str, str] = {}
        if decided and entry:
            owned, _ = assign_records([x.instance for x in ta.assessed], [r for r in entry.records if r.id in decided])
            for key, records in owned.items():
                last = max(records, key=lambda r: (decided[r.id or ""].entered, r.id or ""))
                reasons[key] = decided[last.id or ""].reason or "（未写原因）"
        for x in ta.assessed:
            if x.state in SETTLED:
                continue
            key = x.instance.key
            soon = due_soon(x, as_of, within)
            if soon or key in reasons:
                event = (x.instance.event.title, x.instance.event.date) if x.instance.event else None
                out.append(ReminderItem(plan=year, task=task.id, instance=key, state="due_soon" if soon else "returned", due=x.due,
                                        title=task.title, label=instance_label(key, event), returned=reasons.get(key)))
    return out


def reminders(as_of: dt.date, within: int, overdue: OverdueReport, extras: Mapping[str, list[ReminderItem]],
              scope: Iterable[str], unanswered: Mapping[str, Waiting] | None = None, *, office: str = "") -> Reminders:
    """The reminders of the units in ``scope``: each unit's items of the 回头看 ``overdue`` (as of the
    same day), then its ``extras`` (``unit_extras`` of each plan), a returned record's reason joined to
    the item it concerns; ``unanswered`` adds the workbook a unit has not sent back (and with it,
    only those units are reminded). ``office`` signs the message."""
    unchecked = unchecked_units(overdue.broken)
    by_unit: dict[str, list[ReminderItem]] = {}
    for i in overdue.items:
        by_unit.setdefault(i.unit, []).append(ReminderItem(
            plan=i.plan, task=i.task, instance=i.instance, state=i.state, due=i.due, title=i.title, label=i.instance_label or "",
            days_overdue=i.days_overdue if i.state == "overdue" else None, idle_days=i.idle_days))
    order = list(dict.fromkeys([*by_unit, *scope]))
    wanted = set(scope)
    out: list[UnitReminder] = []
    for unit in order:
        if unit not in wanted or unit in unchecked:
            continue
        items = by_unit.get(unit, [])
        seen = {i.key(): i for i in items}
        extra = sorted(extras.get(unit, []), key=lambda i: (i.state != "due_soon", i.due or dt.date.max, i.plan or 0, i.task, i.instance))
        for item in extra:
            if item.key() in seen:
                if item.returned:
                    seen[item.key()].returned = item.returned
                continue
            seen[item.key()] = item
            items.append(item)
        waiting = unanswered.get(unit) if unanswered is not None else None
        if unanswered is not None and waiting is None:
            continue
        if not items and waiting is None:
            continue
        out.append(UnitReminder(unit=unit, items=items, waiting=waiting, text=message_text(unit, as_of, within, items, waiting, office)))
    return Reminders(as_of=as_of, within=within, units=out, unchecked=[u for u in unchecked if u in wanted])


def _cn_day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _line(item: ReminderItem, as_of: dt.date, with_plan: bool) -> str:
    # no instance for 未报送事件 (no event was registered); else the period, or the event's name and day
    shown = "" if item.state == "no_event" else f"（{item.label or instance_label(item.instance)}）"
    head = f"第{item.task}项“{item.title}”{shown}" if item.title else f"第{item.task}项{shown}"
    if with_plan and item.plan is not None:
        head = f"{item.plan}年计划" + head
    due = f"应于{_cn_day(item.due)}前完成" if item.due else ""
    if item.state == "overdue":
        words = f"{due}，已超期{item.days_overdue or 0}天"
    elif item.state == "no_event":
        by = f"截至{_cn_day(item.due)}" if item.due else "至今"
        words = (f"{by}仍未报送任何触发事件；事件已发生的，请在工作台账中填报事件名称、日期和办理情况，"
                 "本年度没有发生的，请登记“不适用”并写明原因")
    elif item.state == "lagging":
        words = f"已{item.idle_days or 0}天没有新的进展" if item.idle_days is not None else "进度滞后"
    elif item.state == "due_soon" and item.due is not None:
        left = (item.due - as_of).days
        words = f"{due}，" + ("今天到期" if left == 0 else f"还有{left}天")
    else:
        words = due
    if item.returned:
        words = (words + "；" if words else "") + f"报送的完成情况被退回，原因：{item.returned.rstrip('。')}"
    return f"{head}{'：' + words if words else ''}。"


def message_text(unit: str, as_of: dt.date, within: int, items: list[ReminderItem], waiting: Waiting | None, office: str = "") -> str:
    """The plain text of one unit's reminder, ready to paste into a group chat or print (each item
    with its plan's year when the items come from more than one plan)."""
    with_plan = len({i.plan for i in items}) > 1
    lines = [f"{unit}：", f"截至{_cn_day(as_of)}，贵单位政务公开工作有以下事项需要抓紧办理："]
    number = 0
    for kind, title in KIND_TITLES.items():
        listed = [i for i in items if i.state == kind]
        if not listed:
            continue
        extra = f"，{within}天内到期" if kind == "due_soon" else ""
        lines.append(f"{NUMERALS[number]}、{title}（{len(listed)}项{extra}）")
        lines.extend(f"  {n}. {_line(i, as_of, with_plan)}" for n, i in enumerate(listed, start=1))
        number += 1
    if waiting is not None:
        lines.append(f"{NUMERALS[number]}、工作台账未交回")
        lines.append(f"  {_cn_day(waiting.sent)}发给贵单位的工作台账尚未交回（已等待{waiting.waiting_days}天），请填写后尽快交回。")
    lines.append("请按时限办理，办理后在工作台账中如实登记完成情况和佐证材料。" + (f"{office.rstrip('。')}。" if office else ""))
    return "\n".join(lines) + "\n"
