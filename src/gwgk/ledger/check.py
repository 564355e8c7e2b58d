"""Whether a ledger is consistent with the catalogue: pure, every problem located by path."""

from __future__ import annotations

from typing import Any

from gwgk.catalogue.model import ROLE_LABELS, Catalogue
from gwgk.entries.history import withdrawn
from gwgk.entries.model import Ledger
from gwgk.errors import DataError
from gwgk.judge.assessment import assign_records
from gwgk.judge.schedule import event_due, event_rule, instances
from gwgk.ledger.document import record_window

Path = tuple[str | int, ...]


def check(ledger: Ledger, catalogue: Catalogue, unit: str, *, require_sync: bool = False,
          dropping: bool = False) -> list[tuple[Path, str]]:
    """Every inconsistency of ``ledger`` (the file of ``unit``) with the catalogue.

    With ``require_sync``, an entry for a task the unit no longer owes (and not marked ``dropped``)
    is a problem too; commands that sync the file themselves leave it out. A task id the catalogue
    does not know at all (a typo, ``task: 71``) is a problem everywhere, unless marked ``dropped``
    or ``dropping`` (``gwgk ledger``, the explicit sync, which then marks it).
    """
    problems: list[tuple[Path, str]] = entry_problems(ledger)
    if require_sync:  # validate: entries left attached to a withdrawn event (reports judge them as before)
        problems += orphan_problems(ledger) + undated_problems(ledger)
    if ledger.unit != unit:
        problems.append((("unit",), f"台账写的单位是“{ledger.unit}”，但文件名对应的单位是“{unit}”"))
    if ledger.plan is not None and ledger.plan != catalogue.plan.year:
        problems.append((("plan",), f"台账写的是 {ledger.plan} 年的计划，但它在 {catalogue.plan.year} 年计划的台账文件夹里"))
    owed = {a.task.id: a for a in catalogue.assignments(unit)}
    first, last = record_window(catalogue)
    plan = catalogue.plan
    seen: dict[int, int] = {}
    for i, entry in enumerate(ledger.tasks):
        here: Path = ("tasks", i)
        if entry.task in seen:
            problems.append(((*here, "task"), f"第 {entry.task} 项任务在台账中出现了两次（另见第 {seen[entry.task] + 1} 个任务）"))
            continue
        seen[entry.task] = i
        assignment = owed.get(entry.task)
        if require_sync and assignment is not None:
            problems += _generated_differences(entry, here, assignment, unit)
        if assignment is None:
            if entry.task not in catalogue.tasks and not entry.dropped and not dropping:
                problems.append(((*here, "task"), f"第 {entry.task} 项：目录中没有这项任务（序号写错了？）；如目录确实删去了这项任务，"
                                                  f"运行 gwgk ledger --unit {unit} 把它标记为 dropped"))
            elif require_sync and not entry.dropped:
                why = "目录中没有这项任务" if entry.task not in catalogue.tasks else f"{unit} 不承担这项任务"
                problems.append(((*here, "task"), f"第 {entry.task} 项：{why}；如目录已改动，运行 gwgk ledger --unit {unit} 同步"))
            continue
        keys_seen: set[str] = set()
        undated = False  # an event whose due day is past the calendar: its instances cannot be made
        for e, event in enumerate(entry.events):
            if event.key in keys_seen:
                problems.append(((*here, "events", e, "key"), f"事件编号“{event.key}”重复"))
            keys_seen.add(event.key)
            rule = event_rule(assignment.rules)
            try:
                due = event_due(rule, event.date) if rule is not None else None
            except DataError as exc:
                problems.append(((*here, "events", e, "date"), exc.message))
                undated = True
                continue
            # an event before the plan took effect counts when what it makes due falls inside the plan
            early = event.date < plan.effective_from and first <= event.date and due is not None and due >= plan.effective_from
            if not (plan.effective_from <= event.date <= plan.effective_to or early):
                problems.append(((*here, "events", e, "date"), f"事件日期 {event.date} 不在计划期内（{plan.effective_from} 至 {plan.effective_to}）"))
        if entry.events and event_rule(assignment.rules) is None:
            problems.append(((*here, "events"), f"第 {entry.task} 项任务没有“形成起…日内”之类的事件规则，不能登记触发事件"))
        if undated:
            continue
        found = instances(assignment, entry, plan)
        keys = [inst.key for inst in found]
        by_key = {inst.key: inst for inst in found}
        for r, record in enumerate(entry.records):
            where = (*here, "records", r)
            if not first <= record.date <= last:
                problems.append(((*where, "date"), f"记录日期 {record.date} 超出允许范围（{first} 至 {last}）"))
            if record.instance is not None and record.instance not in by_key:
                problems.append(((*where, "instance"), f"第 {entry.task} 项任务没有实例“{record.instance}”，可用的有：{'、'.join(keys) or '(无)'}"))
            if record.status == "not_applicable" and not (record.note or "").strip():
                problems.append(((*where, "status"), "登记“不适用”必须在 note 里写明原因"))
        stray = (assign_records(found, [r for r in entry.records if r.instance is None or r.instance in by_key])[1]
                 if any(r.instance is None for r in entry.records) else [])  # only a record naming no instance can fit none
        place = {id(record): r for r, record in enumerate(entry.records)} if stray else {}
        for record in stray:
            r = place[id(record)]  # by identity: list.index compares models, O(n²) on a big ledger
            problems.append(((*here, "records", r, "date"),
                             f"无法判断这条 {record.date} 的记录属于第 {entry.task} 项的哪个实例，请加上 instance（可用的有：{'、'.join(keys) or '无'}）"))
        for x, extension in enumerate(entry.extensions):
            inst = by_key.get(extension.instance)
            if inst is None:
                problems.append(((*here, "extensions", x, "instance"),
                                 f"第 {entry.task} 项任务没有实例“{extension.instance}”，可用的有：{'、'.join(keys) or '（无）'}"))
            elif inst.due is None:
                problems.append(((*here, "extensions", x, "instance"), f"实例“{extension.instance}”没有到期日，不能延期"))
            elif extension.to <= inst.due:
                problems.append(((*here, "extensions", x, "to"), f"延期后的期限 {extension.to} 应晚于原期限 {inst.due}"))
        if len({x.instance for x in entry.extensions}) != len(entry.extensions):
            problems.append(((*here, "extensions"), "同一个实例登记了多次延期，请只保留一条"))
    return problems


def orphan_problems(ledger: Ledger) -> list[tuple[Path, str]]:
    """Records and extensions that still count but belong to a withdrawn event: they count for no
    instance (a ledger written before event corrections moved them, or edited by hand)."""
    problems: list[tuple[Path, str]] = []
    for t, entry in enumerate(ledger.tasks):
        if not entry.withdrawals or not entry.events:
            continue
        gone = withdrawn(entry)
        events = {e.key for e in entry.events if e.key in gone}
        returned = {v.record for v in entry.reviews if v.decision == "returned"}
        attached: list[tuple[str, int, str | None, str | None]] = [
            *(("records", i, r.id, r.instance) for i, r in enumerate(entry.records)),
            *(("extensions", i, x.id, x.instance) for i, x in enumerate(entry.extensions))]
        for kind, i, item_id, instance in attached:
            if instance is not None and instance in events and item_id not in gone and item_id not in returned:
                what = "记录" if kind == "records" else "延期"
                problems.append((("tasks", t, kind, i, "instance"),
                                 f"{what} {item_id or ''} 属于已撤回的事件 {instance}（{gone[instance].id}），不计入任何实例："
                                 f"用 gwgk record --task {entry.task} --event 事件 --date 日期 --replaces {instance} "
                                 f"把它改登到正确的事件，或撤回它"))
    return problems


_KINDS = {"records": "记录", "events": "事件", "extensions": "延期"}


def undated_problems(ledger: Ledger) -> list[tuple[Path, str]]:
    """Entries without ``entered`` added after gwgk began writing entry dates into this ledger (by
    hand, as its header invites): such an entry reads as entered on its own date (an extension: from
    the start), so it changes every report as of an earlier day, silently. An entry written before
    entry dates (the ones a ledger of an older version holds) is not named: it comes before every
    dated entry of its list, and its own date is not later than the first day anything was entered."""
    dated = [item.entered for entry in ledger.tasks for kind in ("records", "events", "extensions", "withdrawals", "reviews")
             for item in getattr(entry, kind) if item.entered is not None]
    if not dated:
        return []
    first = min(dated)
    problems: list[tuple[Path, str]] = []
    for t, entry in enumerate(ledger.tasks):
        for kind, label in _KINDS.items():
            after_dated = False
            for i, item in enumerate(getattr(entry, kind)):
                if item.entered is not None:
                    after_dated = True
                    continue
                own = getattr(item, "date", None)
                if not after_dated and (own is None or own <= first):
                    continue
                name = getattr(item, "id", None) or getattr(item, "key", None) or ""
                read_as = f"按它自己的日期 {own} 算作当天登记" if own is not None else "算作从计划开始就已登记"
                problems.append((("tasks", t, kind, i), f"第 {entry.task} 项的{label}{f' {name} ' if name else ''}没有登记日期（entered）：{read_as}，"
                                                         "会改变截至此前各日的报告；手工添加的条目请写上 entered: 实际添加的日期"))  # half-width: YAML
    return problems


def _generated_differences(entry: Any, here: Path, assignment: Any, unit: str) -> list[tuple[Path, str]]:
    """Where the generated fields of ``entry`` differ from the catalogue: a hand edit (or a catalogue
    changed since), reported, never repaired but by the explicit sync."""
    sync = f"手工改动不会被自动改回；如要按目录更新，运行 gwgk ledger --unit {unit}"
    out: list[tuple[Path, str]] = []
    if entry.dropped:
        out.append(((*here, "dropped"), f"第 {entry.task} 项任务标了 dropped，但目录仍要求本单位承担；{sync}"))
    for name, wanted in (("role", assignment.role), ("duty", assignment.duty), ("deadline", assignment.task.deadline)):
        value = getattr(entry, name)
        if value is not None and value != (wanted or ""):  # absent: a ledger written by hand, which the sync fills
            shown = ROLE_LABELS.get(wanted or "", wanted) if name == "role" else wanted  # the word the ledger uses
            out.append(((*here, name), f"第 {entry.task} 项的 {name} 与任务目录不同（目录为“{(shown or '')[:40]}”）；{sync}"))
    return out


def entry_problems(ledger: Ledger) -> list[tuple[Path, str]]:
    """Ids used twice, withdrawals of entries that do not exist, reviews of records that are not
    已完成 records, and entries dated before they could have been entered."""
    problems: list[tuple[Path, str]] = []
    first_place: dict[str, Path] = {}
    for t, entry in enumerate(ledger.tasks):
        for kind in ("records", "extensions", "withdrawals", "reviews"):
            for i, item in enumerate(getattr(entry, kind)):
                where: Path = ("tasks", t, kind, i, "id")
                if item.id is None:
                    continue
                if item.id in first_place:
                    problems.append((where, f"编号 {item.id} 重复（另见第 {int(first_place[item.id][1]) + 1} 个任务）"))
                first_place.setdefault(item.id, where)
        targets = ({r.id for r in entry.records} | {e.key for e in entry.events} | {x.id for x in entry.extensions}
                   | {v.id for v in entry.reviews} if entry.withdrawals else set())
        gone = {w.target for w in entry.withdrawals}
        seen: set[str] = set()
        for w, withdrawal in enumerate(entry.withdrawals):
            if withdrawal.target not in targets:
                problems.append((("tasks", t, "withdrawals", w, "target"), f"第 {entry.task} 项任务中没有要撤回的条目 {withdrawal.target}"))
            elif withdrawal.target in seen:
                problems.append((("tasks", t, "withdrawals", w, "target"), f"{withdrawal.target} 被撤回了两次"))
            seen.add(withdrawal.target)
        done = {r.id for r in entry.records if r.status == "done"} if entry.reviews else set()
        reviewed: set[str] = set()
        for v, review in enumerate(entry.reviews):
            where = ("tasks", t, "reviews", v, "record")
            if review.record not in done:
                problems.append((where, f"第 {entry.task} 项任务中没有“已完成”记录 {review.record}，不能审核"))
            elif review.record in reviewed and review.id not in gone:
                problems.append((where, f"记录 {review.record} 被审核了两次（先前的审核没有撤回）"))
            if review.id not in gone:  # a withdrawn review leaves its record to be reviewed again
                reviewed.add(review.record)
            if review.decision == "returned" and not (review.reason or "").strip():
                problems.append((("tasks", t, "reviews", v, "reason"), "退回必须写明原因（reason）"))
        for r, record in enumerate(entry.records):
            if record.entered is not None and record.entered < record.date:
                problems.append((("tasks", t, "records", r, "entered"), f"登记日期 {record.entered} 早于完成日期 {record.date}"))
    return problems
