"""The text of a ledger file: generating a new one, syncing one with a changed catalogue, and the
YAML form of the entries people add. Uses ``yamlio`` and ``yamlsplice`` for every YAML operation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gwgk.catalogue.model import ROLE_LABELS, Assignment, Catalogue
from gwgk.entries.history import missing_ids
from gwgk.entries.model import (
    REVIEW_LABELS,
    STATUS_LABELS,
    Event,
    Extension,
    Ledger,
    LedgerTask,
    Record,
    Review,
    Withdrawal,
)
from gwgk.errors import DataError
from gwgk.files import yamlio, yamlsplice
from gwgk.files.yamllight import shallow
from gwgk.ledger.parsing import parse as parse  # re-exported: where every reader of ledger text finds it
from gwgk.ledger.parsing import reads_as as reads_as

HEADER = """工作台账：{unit}
依据《{title}》及附件《{attachment}》，由 gwgk 按任务目录生成。
可以手工编辑，改后运行 gwgk validate 检查；也可以用 gwgk record 登记。每项任务下可添加：
  records    进度记录：date 日期、status 状态（已完成/推进中/不适用）、instance 实例（如 2021Q3、2021-09-30、E1）、
             category 工作方面、note 说明（不适用时写原因）、evidence 佐证材料（网址或文件路径）
  events     触发事件（用于“形成起20日内”等）：key 编号（E1、E2…）、title 事件、date 日期
  extensions 延期：instance 实例、to 新期限、reason 原因
task、role、duty、deadline 由目录生成，目录变动时会被更新；dropped: true 表示目录中已不再要求本单位承担该任务。"""


def _entry_comment(assignment: Assignment) -> str:
    return f"第 {assignment.task.id} 项 {assignment.task.title}"


def _entry(assignment: Assignment) -> Any:
    entry = yamlio.new_map([("task", assignment.task.id), ("role", ROLE_LABELS[assignment.role])])
    if assignment.duty:
        entry["duty"] = assignment.duty
    entry["deadline"] = assignment.task.deadline
    return entry


def new_text(catalogue: Catalogue, unit: str, plan: int | None = None) -> str:
    """A new ledger for ``unit``: a header, then one entry per task it owes (``plan``: the year, for
    the ledgers of a plan other than ``data/tasks.yaml``'s)."""
    doc = yamlio.new_map([("unit", unit)])
    if plan is not None:
        doc["plan"] = plan
    tasks = yamlio.new_seq()
    for i, assignment in enumerate(catalogue.assignments(unit)):
        tasks.append(_entry(assignment))
        yamlio.comment_before_item(tasks, i, _entry_comment(assignment), indent=2)
    doc["tasks"] = tasks
    meta = catalogue.plan
    yamlio.start_comment(doc, HEADER.format(unit=unit, title=meta.title, attachment=meta.attachment))
    return yamlio.dump_roundtrip(doc)


def needs_sync(ledger: Ledger, catalogue: Catalogue, unit: str) -> bool:
    """Whether the generated part of ``ledger`` differs from what the catalogue says now."""
    owed = {a.task.id: a for a in catalogue.assignments(unit)}
    present = {e.task for e in ledger.tasks}
    if set(owed) - present:
        return True
    for entry in ledger.tasks:
        assignment = owed.get(entry.task)
        if assignment is None:
            if not entry.dropped:
                return True
            continue
        if entry.dropped or entry.role != assignment.role or (entry.duty or "") != assignment.duty or entry.deadline != assignment.task.deadline:
            return True
    return False


def synced_ledger(ledger: Ledger, catalogue: Catalogue, unit: str, only: set[int] | None = None) -> Ledger:
    """``ledger`` as a sync with the catalogue leaves it: generated fields refreshed, tasks no longer
    owed marked ``dropped``, new tasks added in task order; nothing people added is touched.
    With ``only``, just the blocks of those tasks are added, nothing else changed (what an entry
    for a task the ledger has no block for needs)."""
    owed = {a.task.id: a for a in catalogue.assignments(unit)}
    if only is not None:
        owed = {t: a for t, a in owed.items() if t in only}
    tasks = []
    for entry in ledger.tasks:
        if only is not None:
            tasks.append(entry)
            continue
        assignment = owed.get(entry.task)
        if assignment is None:
            tasks.append(entry.model_copy(update={"dropped": True}))
        else:
            tasks.append(entry.model_copy(update={"dropped": False, "role": assignment.role, "duty": assignment.duty or None,
                                                  "deadline": assignment.task.deadline}))
    present = {e.task for e in ledger.tasks}
    for task_id in sorted(set(owed) - present):
        position = next((i for i, e in enumerate(tasks) if e.task > task_id), len(tasks))
        a = owed[task_id]
        tasks.insert(position, LedgerTask(task=task_id, role=a.role, duty=a.duty or None, deadline=a.task.deadline))
    return ledger.model_copy(update={"tasks": tasks})


def _sync_edits(text: str, ledger: Ledger, catalogue: Catalogue, unit: str, only: set[int] | None = None) -> list[yamlsplice.Edit]:
    """The text edits of a sync: only the values that change, the lines that come or go."""
    owed = {a.task.id: a for a in catalogue.assignments(unit)}
    if only is not None:
        owed = {t: a for t, a in owed.items() if t in only}
    root = shallow(text, 3)  # the tasks' own keys: what is below them is not read
    edits = []
    for i, entry in enumerate(ledger.tasks if only is None else ()):
        at = ("tasks", i)
        assignment = owed.get(entry.task)
        if assignment is None:
            if not entry.dropped:
                edits.append(yamlsplice.key_inserted(text, root, at, "dropped", True, "deadline"))
            continue
        if entry.dropped:
            edits.append(yamlsplice.key_dropped(text, root, at, "dropped"))
        if entry.role != assignment.role:
            edits.append(yamlsplice.value_replaced(text, root, at, "role", ROLE_LABELS[assignment.role]))
        if (entry.duty or "") != assignment.duty:
            if not assignment.duty:
                edits.append(yamlsplice.key_dropped(text, root, at, "duty"))
            elif entry.duty is None:
                edits.append(yamlsplice.key_inserted(text, root, at, "duty", assignment.duty, "role"))
            else:
                edits.append(yamlsplice.value_replaced(text, root, at, "duty", assignment.duty))
        if entry.deadline != assignment.task.deadline:
            if entry.deadline is None:
                edits.append(yamlsplice.key_inserted(text, root, at, "deadline", assignment.task.deadline,
                                                     "duty" if entry.duty is not None else "role"))
            else:
                edits.append(yamlsplice.value_replaced(text, root, at, "deadline", assignment.task.deadline))
    present = {e.task for e in ledger.tasks}
    new: dict[int, list[tuple[Any, str]]] = {}
    for task_id in sorted(set(owed) - present):
        position = next((i for i, e in enumerate(ledger.tasks) if e.task > task_id), len(ledger.tasks))
        new.setdefault(position, []).append((_entry(owed[task_id]), _entry_comment(owed[task_id])))
    edits += [yamlsplice.items_inserted(text, root, ("tasks",), position, items) for position, items in new.items()]
    return edits


def synced_text(text: str, ledger: Ledger, catalogue: Catalogue, unit: str, name: str,
                only: set[int] | None = None) -> tuple[str, Ledger | None]:
    """``text`` (of ``ledger``) with new tasks added, dropped ones marked and generated fields
    refreshed, and the ledger it was verified to read back as (None: not read back here).

    Never removes an entry or anything people added to it. The changed values and new lines are
    spliced into the text, every other byte kept, and the result must read back as
    ``synced_ledger``; a layout that cannot be spliced goes through ruamel's round trip.
    """
    expected = synced_ledger(ledger, catalogue, unit, only)
    try:
        spliced = yamlsplice.apply_edits(text, _sync_edits(text, ledger, catalogue, unit, only))
        if reads_as(spliced, name, expected):
            return spliced, expected
    except (yamlsplice.CannotSplice, DataError):
        pass
    return _synced_roundtrip(text, catalogue, unit, name, only), None


def _synced_roundtrip(text: str, catalogue: Catalogue, unit: str, name: str, only: set[int] | None = None) -> str:
    """The sync through ruamel's round trip (comments and order kept; hand-typed spellings may change)."""
    owed = {a.task.id: a for a in catalogue.assignments(unit)}
    if only is not None:
        owed = {t: a for t, a in owed.items() if t in only}
    doc = yamlio.load_roundtrip(text, name)
    tasks = doc.get("tasks")
    if tasks is None:
        tasks = doc["tasks"] = yamlio.new_seq()
    present = {int(e["task"]) for e in tasks}
    for entry in (tasks if only is None else ()):
        assignment = owed.get(int(entry["task"]))
        if assignment is None:
            if not entry.get("dropped"):
                keys = list(entry.keys())
                position = keys.index("deadline") + 1 if "deadline" in keys else len(keys)
                entry.insert(position, "dropped", True)
            continue
        if entry.get("dropped"):
            del entry["dropped"]
        entry["role"] = ROLE_LABELS[assignment.role]
        if assignment.duty:
            if "duty" in entry:
                entry["duty"] = assignment.duty
            else:
                entry.insert(2, "duty", assignment.duty)
        elif "duty" in entry:
            del entry["duty"]
        entry["deadline"] = assignment.task.deadline
    for task_id in sorted(set(owed) - present):
        position = next((i for i, e in enumerate(tasks) if int(e["task"]) > task_id), len(tasks))
        tasks.insert(position, _entry(owed[task_id]))
        yamlio.comment_before_item(tasks, position, _entry_comment(owed[task_id]), indent=2)
    return yamlio.dump_roundtrip(doc)


def _written(item: dict[str, Any], entry: Record | Event | Extension | Withdrawal | Review) -> dict[str, Any]:
    """``item`` with who wrote the entry and when, after its day of entry (where gwgk knows them)."""
    if entry.at is not None:
        item["at"] = entry.at
    if entry.by is not None:
        item["by"] = entry.by
    return item


def record_item(record: Record) -> dict[str, Any]:
    """A record as the mapping written into the file (Chinese status word, optional keys omitted)."""
    item: dict[str, Any] = {}
    if record.id:
        item["id"] = record.id
    item["date"] = record.date
    if record.entered:
        item["entered"] = record.entered
    _written(item, record)
    item["status"] = STATUS_LABELS[record.status]
    for key in ("instance", "category", "note"):
        value = getattr(record, key)
        if value is not None:
            item[key] = value
    if record.evidence:
        item["evidence"] = yamlio.new_seq(list(record.evidence))  # block style: any string survives
    if record.source:
        item["source"] = record.source
    if record.replaces:
        item["replaces"] = record.replaces
    return item


def event_item(event: Event) -> dict[str, Any]:
    """An event as written into the file."""
    item: dict[str, Any] = {"key": event.key, "title": event.title, "date": event.date}
    if event.entered:
        item["entered"] = event.entered
    _written(item, event)
    if event.replaces:
        item["replaces"] = event.replaces
    return item


def extension_item(extension: Extension) -> dict[str, Any]:
    """An extension as written into the file."""
    item: dict[str, Any] = {"id": extension.id} if extension.id else {}
    item.update({"instance": extension.instance, "to": extension.to, "reason": extension.reason})
    if extension.entered:
        item["entered"] = extension.entered
    return _written(item, extension)


def withdrawal_item(withdrawal: Withdrawal) -> dict[str, Any]:
    """A withdrawal as written into the file."""
    return _written({"id": withdrawal.id, "target": withdrawal.target, "entered": withdrawal.entered}, withdrawal) | {
        "reason": withdrawal.reason}


def review_item(review: Review) -> dict[str, Any]:
    """A review as written into the file (通过 or 退回)."""
    item: dict[str, Any] = {"id": review.id, "record": review.record, "decision": REVIEW_LABELS[review.decision],
                            "entered": review.entered}
    _written(item, review)
    if review.reason:
        item["reason"] = review.reason
    return item


def ids_written(text: str, ledger: Ledger, name: str) -> str:
    """``text`` with the ids ``entries.history.missing_ids`` gives written into the entries that lack
    them (one new line each; a layout that cannot be spliced goes through the round trip)."""
    missing = missing_ids(ledger)
    if not missing:
        return text
    try:
        return yamlsplice.insert_first_keys(text, [(("tasks", t, kind, i), "id", entry_id) for t, kind, i, entry_id in missing])
    except yamlsplice.CannotSplice:
        doc = yamlio.load_roundtrip(text, name)
        for t, kind, i, entry_id in missing:
            doc["tasks"][t][kind][i].insert(0, "id", entry_id)
        return yamlio.dump_roundtrip(doc)


def record_window(catalogue: Catalogue) -> tuple[dt.date, dt.date]:
    """Dates a record may carry: from 1 January of the plan's year (work for a quarter can predate
    the plan) to the end of the following year (late completions are still recorded)."""
    plan = catalogue.plan
    return dt.date(plan.year, 1, 1), dt.date(plan.effective_to.year + 1, 12, 31)
