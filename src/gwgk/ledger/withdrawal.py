"""``gwgk record --withdraw ID``: an entry that was wrong stops counting from the day it is
withdrawn. Nothing is deleted: the entry stays in the ledger, and a withdrawal (its own id, the day
and the reason) is added beside it, so a report as of an earlier day still sees it."""

from __future__ import annotations

import datetime as dt

from gwgk.catalogue.model import Catalogue
from gwgk.entries.history import live, next_id, with_ids, withdrawn
from gwgk.entries.model import REVIEW_LABELS, STATUS_LABELS, Extension, Ledger, LedgerTask, Record, Stamp, Withdrawal
from gwgk.errors import UsageError
from gwgk.ledger.changes import optional_text, states_after, with_entry
from gwgk.ledger.store import Change


def _targets(entry: LedgerTask) -> dict[str, str]:
    """What can be withdrawn in a task, by id: its records, events, extensions and reviews, in words."""
    out = {r.id or "": f"记录（{r.date} {STATUS_LABELS[r.status]}）" for r in entry.records}
    out.update({e.key: f"事件“{e.title}”（{e.date}）" for e in entry.events})
    out.update({x.id or "": f"实例 {x.instance} 的延期（至 {x.to}）" for x in entry.extensions})
    out.update({v.id: f"对记录 {v.record} 的审核（{REVIEW_LABELS[v.decision]}）" for v in entry.reviews})
    return out


def attached(task: LedgerTask, key: str) -> tuple[list[Record], list[Extension]]:
    """The records and extensions that count and belong to event ``key`` of ``task`` (named by their
    instance): what withdrawing the event alone would leave attached to nothing."""
    counted = live(task, False).task
    return ([r for r in counted.records if r.instance == key], [x for x in counted.extensions if x.instance == key])


def find_target(ledger: Ledger, target: str, task: int | None) -> int:
    """The index of the task holding entry ``target``; ``UsageError`` when there is none, or when
    an event key names entries of several tasks and ``task`` does not say which."""
    holders = [i for i, t in enumerate(ledger.tasks) if target in _targets(t) and (task is None or t.task == task)]
    if not holders:
        where = f"第 {task} 项任务" if task is not None else ledger.unit + " 的台账"
        raise UsageError(f"{where}中没有编号为 {target} 的条目（可运行 gwgk ledger --unit {ledger.unit} --format json 查看各条目编号）")
    if len(holders) > 1:
        tasks = "、".join(str(ledger.tasks[i].task) for i in holders)
        raise UsageError(f"编号 {target} 在第 {tasks} 项任务中都有，请用 --task 指明是哪一项")
    return holders[0]


def withdrawal_change(catalogue: Catalogue, unit: str, target: str, task: int | None, reason: str | None,
                      today: dt.date, out: list[str], stamp: Stamp | None = None) -> Change:
    """The change that withdraws entry ``target`` of ``unit``'s ledger as of ``today``."""
    wanted = target.strip().upper()
    why = optional_text(reason, "--reason")
    if not why:
        raise UsageError("撤回必须用 --reason 写明原因")
    if task is not None:
        catalogue.task(task)

    def change(text: str, current: Ledger) -> tuple[str, Ledger]:
        current = with_ids(current)
        index = find_target(current, wanted, task)
        entry = current.tasks[index]
        if wanted in withdrawn(entry):
            before = withdrawn(entry)[wanted]
            raise UsageError(f"{wanted} 已在 {before.entered} 撤回（{before.id}：{before.reason}），不能再次撤回")
        if any(e.key == wanted for e in entry.events):
            records, extensions = attached(entry, wanted)
            if records or extensions:
                names = "、".join([*(f"记录 {r.id}" for r in records), *(f"延期 {x.id}" for x in extensions)])
                raise UsageError(f"事件 {wanted} 有{names}依附，单独撤回会使它们不再计入任何实例，没有撤回。"
                                 f"事件登记错了：用 gwgk record --unit {unit} --task {entry.task} --event 事件 --date 日期 "
                                 f"--replaces {wanted} 更正，依附的登记随之改登；如果这些登记本身也错了，先逐条撤回它们")
        withdrawal = Withdrawal(id=next_id(current, "withdrawals"), target=wanted, entered=today, reason=why,
                                **(stamp.fields if stamp is not None else {}))
        new, expected = with_entry(text, current, index, "withdrawals", withdrawal, f"ledgers/{unit}.yaml")
        out.append(f"已撤回 {unit} 第 {entry.task} 项任务的 {wanted} {_targets(entry)[wanted]}，撤回编号 {withdrawal.id}，"
                   f"原因：{why}；从 {today} 起不再计入。" + states_after(catalogue, unit, entry.task, expected, today, None))
        return new, expected

    return change
