"""``gwgk review``: the office's 销号 of a 已完成 record (accepted: the instance is done as of the
record's own date) or its return with a reason (the instance is judged as if the record were not
there, and the unit sees why). A review is an entry like any other: an id and the day entered."""

from __future__ import annotations

import datetime as dt

from gwgk.catalogue.model import Catalogue
from gwgk.entries.history import known_on, next_id, reviews, withdrawn
from gwgk.entries.model import REVIEW_LABELS, Ledger, Review, Stamp
from gwgk.errors import UsageError
from gwgk.ledger.changes import optional_text, states_after, with_entry
from gwgk.ledger.store import Change


def require_review(catalogue: Catalogue) -> None:
    """Refuse (exit 2) when the office has not turned 销号 review on."""
    if catalogue.settings.review_start is None:
        raise UsageError("任务目录没有开启销号审核（在 data/tasks.yaml 的 settings 中写 review_from: 开始日期 后才能审核）")  # half-width: YAML


def review_change(catalogue: Catalogue, unit: str, record_id: str, decision: str, reason: str | None,
                  today: dt.date, out: list[str], stamp: Stamp | None = None) -> Change:
    """The change that accepts or returns record ``record_id`` of ``unit`` as of ``today``."""
    require_review(catalogue)
    wanted = record_id.strip().upper()
    why = optional_text(reason, "--reason")
    if not decision:
        raise UsageError("请在 --accept（通过）、--return（退回）和 --withdraw（撤回审核）中选择一个")
    if decision == "withdrawn":
        return _withdrawn_review(catalogue, unit, wanted, why, today, out, stamp)
    if decision == "returned" and not why:
        raise UsageError("退回必须用 --reason 写明原因，单位会在台账和工作簿里看到")

    def change(text: str, current: Ledger) -> tuple[str, Ledger]:
        index = next((i for i, t in enumerate(current.tasks) if any(r.id == wanted for r in t.records)), None)
        if index is None:
            raise UsageError(f"{unit} 的台账中没有记录 {wanted}（可运行 gwgk review --pending --unit {unit} 查看待审核的记录）")
        entry = current.tasks[index]
        record = next(r for r in entry.records if r.id == wanted)
        known = known_on(current, today).tasks[index]
        if record.status != "done":
            raise UsageError(f"{wanted} 不是“已完成”记录，不需要审核")
        if all(r.id != wanted for r in known.records):
            raise UsageError(f"{wanted} 在 {record.entered_on} 才登记，{today} 时还不能审核")
        if wanted in withdrawn(known):
            raise UsageError(f"{wanted} 已经撤回，不能审核")
        if record.instance is not None and record.instance in withdrawn(known) and any(e.key == record.instance for e in known.events):
            raise UsageError(f"{wanted} 属于已撤回的事件 {record.instance}，不计入任何实例，不能审核；"
                             f"请先用 gwgk record --task {entry.task} --event 事件 --date 日期 --replaces {record.instance} 把它改登到正确的事件")
        start = catalogue.settings.review_start
        if start is not None and record.entered_on < start:
            raise UsageError(f"{wanted} 在 {record.entered_on} 登记，早于销号审核开始的 {start}，不需要审核")
        if wanted in reviews(known):
            done = reviews(known)[wanted]
            raise UsageError(f"{wanted} 已在 {done.entered} 审核过（{done.id}：{REVIEW_LABELS[done.decision]}），不在待审核之列")
        review = Review(id=next_id(current, "reviews"), record=wanted, decision=decision, entered=today, reason=why,
                        **(stamp.fields if stamp is not None else {}))
        new, expected = with_entry(text, current, index, "reviews", review, f"ledgers/{unit}.yaml")
        verb = "审核通过（销号）" if decision == "accepted" else f"退回（原因：{why}）"
        out.append(f"已将 {unit} 第 {entry.task} 项任务的记录 {wanted}（{record.date} 已完成）{verb}，审核编号 {review.id}。"
                   + states_after(catalogue, unit, entry.task, expected, today, record.instance))
        return new, expected

    return change


def _withdrawn_review(catalogue: Catalogue, unit: str, wanted: str, why: str | None, today: dt.date, out: list[str],
                      stamp: Stamp | None) -> Change:
    """``review --withdraw --record R``: the review of record ``wanted`` that counts is withdrawn (a
    withdrawal entry, as ``record --withdraw V…`` writes); the record awaits review again."""
    from gwgk.ledger.withdrawal import withdrawal_change

    if not why:
        raise UsageError("撤回审核必须用 --reason 写明原因")

    def change(text: str, current: Ledger) -> tuple[str, Ledger]:
        index = next((i for i, t in enumerate(current.tasks) if any(r.id == wanted for r in t.records)), None)
        if index is None:
            raise UsageError(f"{unit} 的台账中没有记录 {wanted}")
        decided = reviews(known_on(current, today).tasks[index]).get(wanted)
        if decided is None:
            raise UsageError(f"{wanted} 截至 {today} 没有审核（或审核已撤回），不需要撤回审核")
        return withdrawal_change(catalogue, unit, decided.id, current.tasks[index].task, why, today, out, stamp)(text, current)

    return change
