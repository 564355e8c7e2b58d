"""The steps of ``reports.ledger.assess_unit`` taken on a ledger's plain data
(``Ledger.model_dump(mode="json", exclude_defaults=True)``, what the cache holds) instead of the
``Ledger``: the same answer, a good deal sooner. ``judge.timeline`` takes them at each day a
ledger's entries change. Pure: no I/O, no clock.

Why it is faster, and why it is still the same judgement:

* Entries become small named tuples with the attribute names of the models, so the reference's
  own per-task step (``assessment.task_prepared``) judges them unchanged; no pydantic model is
  built or copied.
* Ids (``history.with_ids``), what is known on the day (``history.known_on``) and what counts
  (``history.live``) are applied to the rows the same way; ``tests/test_fast.py`` checks the whole
  judgement against the reference on generated ledgers.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

_NUMBER = re.compile(r"^[A-Z]([0-9]+)$")
_day = dt.date.fromisoformat


class Row(NamedTuple):
    """A record, as the judgement reads it."""

    id: str | None
    date: dt.date
    status: str
    instance: str | None
    note: str | None
    evidence: list[str]
    category: str | None


class EventRow(NamedTuple):
    """An event, as the judgement reads it."""

    key: str
    title: str
    date: dt.date


class ExtensionRow(NamedTuple):
    """An extension, as the judgement reads it."""

    id: str | None
    instance: str
    to: dt.date
    reason: str


class Counted(NamedTuple):
    """One task's entries that count as of the day (the attributes ``instances`` reads)."""

    records: list[Row]
    events: list[EventRow]
    extensions: list[ExtensionRow]


def _number(entry_id: str | None) -> int:
    match = _NUMBER.match(entry_id or "")
    return int(match.group(1)) if match else 0


def _missing_ids(tasks: list[dict[str, Any]], kind: str, prefix: str) -> dict[tuple[int, int], str]:
    """The ids ``history.with_ids`` gives entries of ``kind`` that have none, by (task, item) index."""
    out: dict[tuple[int, int], str] = {}
    if all("id" in item for t in tasks for item in t.get(kind, ())):
        return out
    used = max((_number(item.get("id")) for t in tasks for item in t.get(kind, ())), default=0)
    for ti, task in enumerate(tasks):
        for i, item in enumerate(task.get(kind, ())):
            if item.get("id") is None:
                used += 1
                out[(ti, i)] = f"{prefix}{used}"
    return out


_STATUSES = frozenset(("done", "in_progress", "not_applicable"))
_ROLES = frozenset(("lead", "responsible"))
_DECISIONS = frozenset(("accepted", "returned"))


def _text(value: Any, optional: bool = True) -> None:
    if not (isinstance(value, str) or (optional and value is None)):
        raise ValueError("not text")


def shape_checked(data: Any) -> dict[str, Any]:
    """``data`` if it has the shape of a dumped ``Ledger`` in every value the judgement reads;
    ``ValueError`` otherwise (cache entries are untrusted input: a forged one must not be judged)."""
    if not isinstance(data, dict) or not isinstance(data.get("unit"), str) or not isinstance(data.get("tasks", []), list):
        raise ValueError("not a ledger")
    for t in data.get("tasks", ()):
        if not isinstance(t, dict) or type(t.get("task")) is not int or t.get("role") not in _ROLES:
            raise ValueError("not a ledger task")
        for r in t.get("records", ()):
            if r["status"] not in _STATUSES or not isinstance(r.get("evidence", []), list):
                raise ValueError("not a record")
            _day(r["date"])
            for name in ("id", "instance", "note", "category"):
                _text(r.get(name))
            if r.get("entered") is not None:
                _day(r["entered"])
        for e in t.get("events", ()):
            _text(e["key"], False)
            _text(e["title"], False)
            _day(e["date"])
            if e.get("entered") is not None:
                _day(e["entered"])
        for x in t.get("extensions", ()):
            _text(x.get("id"))
            _text(x["instance"], False)
            _text(x["reason"], False)
            _day(x["to"])
            if x.get("entered") is not None:
                _day(x["entered"])
        for w in t.get("withdrawals", ()):
            _text(w["target"], False)
            _day(w["entered"])
        for v in t.get("reviews", ()):
            if v["decision"] not in _DECISIONS:
                raise ValueError("not a review")
            _text(v["record"], False)
            _day(v["entered"])
    return data


def entry_ids(data: dict[str, Any], review: str | None) -> tuple[dict[tuple[int, int], str], dict[tuple[int, int], str]]:
    """The ids ``history.with_ids`` gives records and extensions that have none, by (task, item)
    index; none at all where nothing reads them."""
    tasks = data.get("tasks", [])
    # ids matter only to withdrawals, reviews and review's pending records: most ledgers need none
    if not (review or any(t.get("withdrawals") or t.get("reviews") for t in tasks)):
        return {}, {}
    return _missing_ids(tasks, "records", "R"), _missing_ids(tasks, "extensions", "X")


class TaskRows(NamedTuple):
    """A task entry's rows, each with the day (ISO) from which it is known ("": always)."""

    records: list[tuple[str, Row]]
    events: list[tuple[str, EventRow]]
    extensions: list[tuple[str, ExtensionRow]]
    withdrawals: list[tuple[str, str]]  # (entered, target)
    reviews: list[tuple[str, str, str, str | None]]  # (entered, record, decision, id)


def task_rows(ti: int, t: dict[str, Any], ids: tuple[dict[tuple[int, int], str], dict[tuple[int, int], str]]) -> TaskRows:
    """The rows of task entry ``t`` (the ``ti``-th of its ledger); ``ids`` from ``entry_ids``."""
    record_ids, extension_ids = ids
    records = [(r.get("entered") or r["date"],
                Row(r.get("id") or record_ids.get((ti, i)), _day(r["date"]), r["status"], r.get("instance"),
                    r.get("note"), r.get("evidence", ()), r.get("category")))
               for i, r in enumerate(t.get("records", ()))]
    events = [(e.get("entered") or e["date"], EventRow(e["key"], e["title"], _day(e["date"]))) for e in t.get("events", ())]
    extensions = [(x.get("entered") or "", ExtensionRow(x.get("id") or extension_ids.get((ti, i)), x["instance"], _day(x["to"]), x["reason"]))
                  for i, x in enumerate(t.get("extensions", ()))]
    return TaskRows(records, events, extensions, [(w["entered"], w["target"]) for w in t.get("withdrawals", ())],
                    [(v["entered"], v["record"], v["decision"], v.get("id")) for v in t.get("reviews", ())])


def counted_on(rows: TaskRows, day: str, review: str | None) -> tuple[Counted, frozenset[str]]:
    """The entries of a task that count as of ``day`` (ISO; known by then, not withdrawn, not
    returned) and the ids of its 已完成 records awaiting review (``review``: the ISO day review
    starts, records entered before it need none; None: review is off)."""
    records = [r for known, r in rows.records if known <= day]  # ISO dates compare as text as they do as dates
    events = [e for known, e in rows.events if known <= day]
    extensions = [x for known, x in rows.extensions if known <= day]
    gone: set[str] = {target for entered, target in rows.withdrawals if entered <= day}
    decided: dict[str, str] = {}
    for entered, record, decision, review_id in rows.reviews:
        if entered <= day and review_id not in gone:  # a withdrawn review decides nothing
            decided.setdefault(record, decision)
    pending: frozenset[str] = frozenset()
    if gone or decided or review:
        records = [r for r in records if r.id not in gone and decided.get(r.id or "") != "returned"]
        if review is not None:
            late = {id(r) for known, r in rows.records if known >= review}
            pending = frozenset(r.id or "" for r in records if r.status == "done" and r.id not in decided and id(r) in late)
        events = [e for e in events if e.key not in gone]
        extensions = [x for x in extensions if x.id not in gone]
    return Counted(records, events, extensions), pending
