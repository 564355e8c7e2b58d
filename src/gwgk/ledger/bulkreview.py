"""销号 review in bulk: every pending record that matches accepted or returned, or every review of
a day withdrawn (a wrong ``--accept --all`` undone), all or nothing (``bulkresult.run``); each
entry the one ``gwgk review`` or ``gwgk record --withdraw`` writes for one record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from gwgk.catalogue.model import Catalogue
from gwgk.entries.history import PREFIXES, Entry, known_on, live, next_id, reviews, with_ids, withdrawn
from gwgk.entries.model import Ledger, Review, Stamp, Withdrawal
from gwgk.errors import UsageError
from gwgk.files.workspace import Workspace
from gwgk.judge.dates import parse_date
from gwgk.ledger.bulkresult import BulkLine, BulkResult, Collect, run, summarised
from gwgk.ledger.changes import optional_text, with_entries
from gwgk.ledger.store import Change, LazyLedgers


@dataclass
class BulkReview:
    """``gwgk review --all``: which pending records to accept or return."""

    decision: str  # accepted, returned, or withdrawn (the reviews entered on ``reviewed_on``)
    reason: str | None = None
    units: list[str] = field(default_factory=list)
    task: int | None = None
    entered_before: str | None = None
    reviewed_on: str | None = None
    stamp: Stamp | None = None


def _pending(catalogue: Catalogue, ledger: Ledger, unit: str, today: dt.date,
             wanted: Callable[[int, dt.date], bool]) -> list[tuple[int, str, dt.date, bool]]:
    """The records of ``ledger`` awaiting review as of ``today`` that ``wanted`` keeps: (task index,
    id, date, whether it belongs to a withdrawn event: counted nowhere, so not to be reviewed)."""
    owed = {o.task.id for o in catalogue.owings(unit)}
    known = known_on(with_ids(ledger), today)  # a ledger written before ids: the ids it will be given
    out = []
    for index, entry in enumerate(known.tasks):
        if entry.task not in owed:
            continue
        counted = live(entry, catalogue.settings.review_start or dt.date.min)
        gone = {e.key for e in entry.events} & set(withdrawn(entry))
        out += [(index, r.id or "", r.date, r.instance in gone) for r in counted.task.records
                if r.id in counted.pending and wanted(entry.task, r.entered_on)]
    return out


def bulk_review(ws: Workspace, catalogue: Catalogue, request: BulkReview, today: dt.date, dry_run: bool) -> BulkResult:
    """Accept or return every pending record that matches, all or nothing."""
    from gwgk.errors import DataError
    from gwgk.ledger.review import require_review

    require_review(catalogue)
    if request.decision == "withdrawn":
        return _withdraw_reviews(ws, catalogue, request, today, dry_run)
    why = optional_text(request.reason, "--reason")
    if request.decision == "returned" and not why:
        raise UsageError("退回必须用 --reason 写明原因，单位会在台账和工作簿里看到")
    # an empty value (a script's unset variable) is refused, never read as “no limit”
    before = parse_date(request.entered_before, "--entered-before 日期") if request.entered_before is not None else None
    if request.task is not None:
        catalogue.task(request.task)
    units = catalogue.scope(request.units)

    def wanted(task: int, entered: dt.date) -> bool:
        return (request.task is None or task == request.task) and (before is None or entered < before)

    ledgers = LazyLedgers(ws, catalogue)
    touched = [u for u in units if (found := ledgers.get(u)) is not None and _pending(catalogue, found, u, today, wanted)]
    if ledgers.problems:
        raise DataError("台账有错误，批量审核没有写入任何台账，请先改正（可运行 gwgk validate 查看）", ledgers.problems)
    got: Collect = ([], [])
    changes = {u: _reviews(catalogue, u, request.decision, why, today, wanted, got, request.stamp) for u in touched}
    run(ws, catalogue, changes, dry_run)
    verb = "审核通过（销号）" if request.decision == "accepted" else f"退回（原因：{why}）"
    return summarised("review_" + request.decision, today, dry_run, len(units), got, f"待审核记录{verb}", len(touched))


def _reviews(catalogue: Catalogue, unit: str, decision: str, why: str | None, today: dt.date,
             wanted: Callable[[int, dt.date], bool], got: Collect, stamp: Stamp | None) -> Change:
    def change(text: str, current: Ledger) -> tuple[str, Ledger]:
        items: list[tuple[int, str, Entry]] = []
        number = int(next_id(current, "reviews")[1:])
        for index, record, day, orphaned in _pending(catalogue, current, unit, today, wanted):
            task = current.tasks[index].task
            if orphaned:
                got[1].append(BulkLine(unit=unit, task=task, entry=record, what="属于已撤回的事件，不计入任何实例，不审核"))
                continue
            review = Review(id=f"{PREFIXES['reviews']}{number}", record=record, decision=decision, entered=today, reason=why,
                            **(stamp.fields if stamp is not None else {}))
            number += 1
            items.append((index, "reviews", review))
            got[0].append(BulkLine(unit=unit, task=task, entry=review.id, what=f"记录 {record}（{day} 已完成）"))
        return with_entries(text, current, items, f"ledgers/{unit}.yaml")

    return change


def _withdraw_reviews(ws: Workspace, catalogue: Catalogue, request: BulkReview, today: dt.date, dry_run: bool) -> BulkResult:
    """Every review entered on ``reviewed_on`` (of ``units``, of ``task``) that still counts,
    withdrawn: its record awaits review again from ``today``; a report as of an earlier day is unchanged."""
    from gwgk.errors import DataError

    why = optional_text(request.reason, "--reason")
    if not why:
        raise UsageError("撤回审核必须用 --reason 写明原因")
    if request.reviewed_on is None:
        raise UsageError("批量撤回审核要用 --reviewed-on 日期 写明撤回哪一天的审核（如误操作的那一天）")
    if request.entered_before is not None:
        raise UsageError("--entered-before 用于审核，撤回审核请用 --reviewed-on 日期")
    day = parse_date(request.reviewed_on, "--reviewed-on 日期")
    if request.task is not None:
        catalogue.task(request.task)
    units = catalogue.scope(request.units)

    def matching(ledger: Ledger) -> list[tuple[int, Review]]:
        known = known_on(ledger, today)
        return [(i, v) for i, entry in enumerate(known.tasks) if request.task is None or entry.task == request.task
                for v in reviews(entry).values() if v.entered == day]

    ledgers = LazyLedgers(ws, catalogue)
    touched = [u for u in units if (found := ledgers.get(u)) is not None and matching(found)]
    if ledgers.problems:
        raise DataError("台账有错误，批量撤回审核没有写入任何台账，请先改正（可运行 gwgk validate 查看）", ledgers.problems)
    got: Collect = ([], [])

    def withdrawing(unit: str) -> Change:
        def change(text: str, current: Ledger) -> tuple[str, Ledger]:
            items: list[tuple[int, str, Entry]] = []
            number = int(next_id(current, "withdrawals")[1:])
            for index, v in matching(current):
                withdrawal = Withdrawal(id=f"{PREFIXES['withdrawals']}{number}", target=v.id, entered=today, reason=why,
                                        **(request.stamp.fields if request.stamp is not None else {}))
                number += 1
                items.append((index, "withdrawals", withdrawal))
                got[0].append(BulkLine(unit=unit, task=current.tasks[index].task, entry=withdrawal.id,
                                       what=f"撤回审核 {v.id}（记录 {v.record}：{'通过' if v.decision == 'accepted' else '退回'}）"))
            return with_entries(text, current, items, f"ledgers/{unit}.yaml")

        return change

    run(ws, catalogue, {u: withdrawing(u) for u in touched}, dry_run)
    return summarised("review_withdrawn", today, dry_run, len(units), got, f"撤回 {day} 的审核（原因：{why}）", len(touched),
                      "这一天做的审核")
