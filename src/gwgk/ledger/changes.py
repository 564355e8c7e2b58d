"""What every kind of entry shares on its way into a ledger: text cleaned as typed, the new item
spliced into the file and verified, and the states it leaves behind."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from gwgk.catalogue.model import Assignment, Catalogue
from gwgk.entries.history import Entry, known_on, live
from gwgk.entries.model import MAX_TEXT, Ledger
from gwgk.errors import DataError, UsageError
from gwgk.files import yamlsplice
from gwgk.judge.assessment import STATE_LABELS, assess_known, assign_records
from gwgk.judge.schedule import instances
from gwgk.ledger.document import (
    event_item,
    extension_item,
    reads_as,
    record_item,
    review_item,
    withdrawal_item,
)

ITEMS: dict[str, Callable[[Any], dict[str, Any]]] = {"records": record_item, "events": event_item, "extensions": extension_item, "withdrawals": withdrawal_item,
         "reviews": review_item}

LINE_SEPARATORS = {"\r\n": "\n", "\r": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"}


def clean_text(value: str, what: str = "文字") -> str:
    """Text as it will be stored: line separators pasted from Word become newlines; any other
    control character is refused (it cannot be told apart from layout in YAML)."""
    for separator, newline in LINE_SEPARATORS.items():
        value = value.replace(separator, newline)
    bad = [ch for ch in value if unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\n\t"
           or ch in "\ufeff\ufffe\uffff"]
    if bad:
        raise UsageError(f"{what}里有不可见的控制字符（U+{ord(bad[0]):04X}），请删除后再登记")
    return value.strip()


def optional_text(value: str | None, what: str = "文字") -> str | None:
    """``clean_text`` of an optional value typed as option ``what``, at most ``MAX_TEXT`` characters
    (named by the option, whichever field it fills: a 不适用's reason is its note); empty text is None."""
    if value is None:
        return None
    text = clean_text(value, what)
    if len(text) > MAX_TEXT:
        raise UsageError(f"“{what}”太长（最多 {MAX_TEXT} 个字符）")
    return text or None


def appended(text: str, index: int, key: str, item: dict[str, Any], expected: Ledger, name: str) -> str:
    """``text`` with ``item`` added to list ``key`` of task entry ``index``; the text splice is
    tried first (every other byte kept), then ruamel's round trip; each must parse to ``expected``."""
    attempts: tuple[Callable[[], str], ...] = (
        lambda: yamlsplice.append_item(text, ("tasks", index), key, item),
        lambda: yamlsplice.append_item_roundtrip(text, ("tasks", index), key, item, name),
    )
    for attempt in attempts:
        try:
            candidate = attempt()
        except yamlsplice.CannotSplice:
            continue
        try:
            if reads_as(candidate, name, expected):
                return candidate
        except DataError:
            continue
    raise DataError(f"无法安全地写入 {name}，文件没有改动")


def with_entry(text: str, ledger: Ledger, index: int, kind: str, entry: Entry, name: str) -> tuple[str, Ledger]:
    """``text`` and ``ledger`` with ``entry`` appended to list ``kind`` (``records``, ``events``…) of
    task entry ``index``: the new text verified to read back as the new ledger (see ``appended``)."""
    task = ledger.tasks[index]
    tasks = list(ledger.tasks)
    tasks[index] = task.model_copy(update={kind: [*getattr(task, kind), entry]})
    expected = ledger.model_copy(update={"tasks": tasks})
    return appended(text, index, kind, ITEMS[kind](entry), expected, name), expected


def with_entries(text: str, ledger: Ledger, items: list[tuple[int, str, Entry]], name: str) -> tuple[str, Ledger]:
    """``with_entry`` for many entries at once, ``(task index, list, entry)`` each: every item spliced
    in one pass and the result verified once (a bulk write of a thousand entries reads its file back
    once, not a thousand times); where that cannot be done, one ``with_entry`` at a time."""
    if not items:
        return text, ledger
    tasks = list(ledger.tasks)
    grouped: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for index, kind, entry in items:
        tasks[index] = tasks[index].model_copy(update={kind: [*getattr(tasks[index], kind), entry]})
        grouped.setdefault((index, kind), []).append(ITEMS[kind](entry))
    expected = ledger.model_copy(update={"tasks": tasks})
    try:
        candidate = yamlsplice.append_items(text, [(("tasks", index), kind, new) for (index, kind), new in grouped.items()])
        if reads_as(candidate, name, expected):
            return candidate, expected
    except (yamlsplice.CannotSplice, DataError):
        pass
    for index, kind, entry in items:
        text, ledger = with_entry(text, ledger, index, kind, entry, name)
    return text, ledger


def states_after(catalogue: Catalogue, unit: str, task: int, ledger: Ledger, today: dt.date, owner: str | None) -> str:
    """`` 现在:…。`` for a task the unit owes (empty for one it no longer owes)."""
    assignment = catalogue.task_units(task).get(unit)
    return "" if assignment is None else f"现在：{states_now(catalogue, assignment, ledger, today, owner)}。"


def task_index(ledger: Ledger, task: int) -> int:
    """Where task ``task`` stands in the ledger's list (``DataError`` if it has no entry for it: a
    block deleted by hand, or a task the catalogue added since, which only the explicit sync adds)."""
    found = next((i for i, e in enumerate(ledger.tasks) if e.task == task), None)
    if found is None:
        raise MissingTask(task, f"台账中没有第 {task} 项任务的条目，没有写入")
    return found


class MissingTask(DataError):
    """The ledger has no block for the task an entry is for: the writer adds that block alone and
    applies the entry again (``store``)."""

    def __init__(self, task: int, message: str):
        super().__init__(message)
        self.task = task


def _states(catalogue: Catalogue, assignment: Assignment, ledger: Ledger, today: dt.date) -> dict[str, str]:
    entry = known_on(ledger, today).task(assignment.task.id)
    judged = assess_known(assignment, entry, today, catalogue.plan, catalogue.settings)
    return {a.instance.key: a.state for a in judged.assessed}


def counted_in(catalogue: Catalogue, assignment: Assignment, ledger: Ledger, today: dt.date, record_id: str) -> list[str]:
    """The instances record ``record_id`` counts for in ``ledger`` as of ``today``, as the ledger
    judges it (an extension's late work, a 不适用 of the whole task: every instance)."""
    entry = known_on(ledger, today).task(assignment.task.id)
    if entry is None:
        return []
    counted = live(entry, False).task
    record = next((r for r in counted.records if r.id == record_id), None)
    if record is None:
        return []
    found = instances(assignment, counted, catalogue.plan)
    if record.instance is None and record.status == "not_applicable":
        return [i.key for i in found]
    owned, _ = assign_records(found, list(counted.records), counted.extensions)
    return [key for key, records in owned.items() if any(r.id == record_id for r in records)]


def state_changes(catalogue: Catalogue, assignment: Assignment, before: Ledger, after: Ledger, today: dt.date,
                  shown: Iterable[str] = ()) -> str:
    """`` 随之变化：K 甲 → 乙。`` for each instance (other than those ``shown``) whose state as of
    ``today`` the write changes (empty when none does)."""
    old, new = _states(catalogue, assignment, before, today), _states(catalogue, assignment, after, today)
    skip = set(shown)
    changed = [f"{key} {STATE_LABELS.get(old.get(key, ''), '（无此实例）')} → {STATE_LABELS[state]}"
               for key, state in new.items() if key not in skip and old.get(key) != state]
    changed += [f"{key} {STATE_LABELS[state]} → （不再有此实例）" for key, state in old.items() if key not in new and key not in skip]
    return f"随之变化：{'、'.join(changed)}。" if changed else ""


def states_now(catalogue: Catalogue, assignment: Assignment, ledger: Ledger, today: dt.date, owner: str | None) -> str:
    """The states of the task's instances (only ``owner``'s, when given) after the change, in words."""
    entry = known_on(ledger, today).task(assignment.task.id)
    after = assess_known(assignment, entry, today, catalogue.plan, catalogue.settings)
    states = [f"{a.instance.key} {STATE_LABELS[a.state]}" for a in after.assessed if owner is None or a.instance.key == owner]
    return "、".join(states) or "（暂无实例）"
