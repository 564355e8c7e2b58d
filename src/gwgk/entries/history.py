"""A ledger as a record: every entry has an id, and a ledger can be seen as it stood on any day.

* Ids: records ``R1``, ``R2``…, extensions ``X1``…, withdrawals ``W1``…, reviews ``V1``… are unique in
  the whole ledger; an event's ``key`` (``E1``…, unique within its task) is its id. Entries written
  before ids existed get the next free numbers in file order (``with_ids``); gwgk writes those ids
  into the file the next time it writes the ledger, so they never move.
* As of a day (``known_on``): only entries entered on or before it. An entry without ``entered``
  was written before entry dates and counts as entered on its own date (an extension: from the start).
* What counts (``live``): withdrawn entries and returned records are out; with 销号 review on, a
  已完成 record counts only once accepted, and until then awaits review.

Pure: no I/O, no clock.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from gwgk.entries.model import (
    Event,
    Extension,
    Ledger,
    LedgerTask,
    Record,
    Review,
    Withdrawal,
)

PREFIXES = {"records": "R", "extensions": "X", "withdrawals": "W", "reviews": "V"}
_NUMBER = re.compile(r"^[A-Z]([0-9]+)$")
Entry = Record | Event | Extension | Withdrawal | Review


def _number(entry_id: str | None) -> int:
    match = _NUMBER.match(entry_id or "")
    return int(match.group(1)) if match else 0


def next_id(ledger: Ledger, kind: str) -> str:
    """A new id for an entry of ``kind`` (``records``, ``extensions``, ``withdrawals``, ``reviews``)."""
    used = max((_number(getattr(item, "id", None)) for t in ledger.tasks for item in getattr(t, kind)), default=0)
    return f"{PREFIXES[kind]}{used + 1}"


def missing_ids(ledger: Ledger) -> list[tuple[int, str, int, str]]:
    """The entries without an id and the id each gets: ``(task index, list, item index, id)``, in
    file order, numbered after the highest id already used for that kind."""
    out: list[tuple[int, str, int, str]] = []
    for kind in ("records", "extensions"):
        used = max((_number(item.id) for t in ledger.tasks for item in getattr(t, kind)), default=0)
        for t, task in enumerate(ledger.tasks):
            for i, item in enumerate(getattr(task, kind)):
                if item.id is None:
                    used += 1
                    out.append((t, kind, i, f"{PREFIXES[kind]}{used}"))
    return out


def with_ids(ledger: Ledger) -> Ledger:
    """``ledger`` with every record and extension given an id (the same object if none lacks one)."""
    missing = missing_ids(ledger)
    if not missing:
        return ledger
    tasks = list(ledger.tasks)
    lists: dict[tuple[int, str], list[Any]] = {}
    for t, kind, i, entry_id in missing:
        items = lists.get((t, kind))
        if items is None:  # not setdefault: its default, a copy of the list, would be made for every entry
            items = lists[(t, kind)] = list(getattr(tasks[t], kind))
        items[i] = items[i].model_copy(update={"id": entry_id})
    for (t, kind), items in lists.items():
        tasks[t] = tasks[t].model_copy(update={kind: items})
    return ledger.model_copy(update={"tasks": tasks})


def _known(entry: Record | Event | Extension | Withdrawal | Review, day: dt.date) -> bool:
    entered = entry.entered_on
    return entered is None or entered <= day


def known_on(ledger: Ledger, day: dt.date) -> Ledger:
    """The ledger as it stood at the end of ``day``: entries entered later are left out."""
    if not any(not _known(item, day) for _, item in entries(ledger)):
        return ledger
    tasks = [
        task.model_copy(update={kind: [x for x in getattr(task, kind) if _known(x, day)] for kind in ENTRY_LISTS})
        for task in ledger.tasks
    ]
    return ledger.model_copy(update={"tasks": tasks})


ENTRY_LISTS = ("records", "events", "extensions", "withdrawals", "reviews")


def entries(ledger: Ledger) -> Iterator[tuple[LedgerTask, Entry]]:
    """Every entry of the ledger with its task, in file order."""
    for task in ledger.tasks:
        for kind in ENTRY_LISTS:
            for item in getattr(task, kind):
                yield task, item


@dataclass(frozen=True)
class Live:
    """One task's entries that count, and the ids of 已完成 records awaiting review."""

    task: LedgerTask
    pending: frozenset[str]


def withdrawn(task: LedgerTask) -> dict[str, Withdrawal]:
    """The task's withdrawals by the id they withdraw (the first, if a hand edit made two)."""
    out: dict[str, Withdrawal] = {}
    for w in task.withdrawals:
        out.setdefault(w.target, w)
    return out


def reviews(task: LedgerTask) -> dict[str, Review]:
    """The task's reviews that count, by the record they decide (the first, if a hand edit made
    two): a withdrawn review no longer decides its record, which awaits review again."""
    gone = {w.target for w in task.withdrawals} if task.withdrawals else set()
    out: dict[str, Review] = {}
    for v in task.reviews:
        if v.id not in gone:
            out.setdefault(v.record, v)
    return out


def live(task: LedgerTask, review: dt.date | bool | None) -> Live:
    """What of ``task`` counts: its entries less the withdrawn ones and the returned records; with
    ``review`` (the day 销号 review starts: ``Settings.review_start``; True: from the start, False
    or None: off), the 已完成 records entered on or after it that no review has decided yet are
    named as pending."""
    if isinstance(review, bool):
        review = dt.date.min if review else None
    gone = withdrawn(task)
    decided = reviews(task)
    if not gone and not decided and review is None:
        return Live(task, frozenset())
    records = [r for r in task.records if r.id not in gone
               and not (r.id in decided and decided[r.id].decision == "returned")]
    pending = frozenset(r.id or "" for r in records
                        if review is not None and r.status == "done" and r.id not in decided and r.entered_on >= review)
    counted = task.model_copy(update={
        "records": records,
        "events": [e for e in task.events if e.key not in gone],
        "extensions": [x for x in task.extensions if x.id not in gone],
    })
    return Live(counted, pending)
