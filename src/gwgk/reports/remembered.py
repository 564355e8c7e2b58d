"""The findings of a report's units remembered for the day they were judged as of, so that asking
the same question again (the same units, the same as-of day, no ledger changed) reads one entry.

One entry per catalogue and set of units (the last as-of day asked) under ``.gwgk/cache/findings/``, written
once per run rather than once per unit: ten thousand renames cost a province about 1.75 s. Its key
is the as-of day, the catalogue version and every unit's ledger key (size, mtime and SHA-256, or
its absence), so a changed ledger or another day is a miss, judged afresh by the fast judgement
(``judge.fast``) from the cached ledgers. Items are stored as rows of the values that cannot be
looked up again (titles and labels come from the catalogue), which keeps the entry small.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any, NamedTuple

from gwgk.catalogue.model import ROLE_LABELS, Catalogue
from gwgk.errors import Problem
from gwgk.files import cache
from gwgk.files.trusted import built
from gwgk.judge.assessment import STATE_LABELS
from gwgk.ledger.store import LazyLedgers
from gwgk.reports.findings import TaskTally, UnitFindings, UnitSummary, judged_findings, on_time_rate
from gwgk.reports.overdue import OverdueItem

KIND = "findings"


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


_parsed = functools.lru_cache(maxsize=4096)(dt.date.fromisoformat)  # a province's items share a few hundred dates


def _day(text: str | None) -> dt.date | None:
    return None if text is None else _parsed(text)


def _row(item: OverdueItem) -> list[Any]:
    return [item.task, item.instance, _iso(item.due), _iso(item.original_due), item.extended, item.days_overdue,
            item.idle_days, item.state, item.role, item.duty, _iso(item.last_progress), item.last_note]


def _item(row: list[Any], unit: str, catalogue: Catalogue) -> OverdueItem:
    task, instance, due, original_due, extended, days, idle, state, role, duty, progress, note = row
    return built(OverdueItem, {
        "unit": unit, "plan": catalogue.plan.year, "task": task, "title": catalogue.tasks[task].title, "instance": instance, "due": _day(due),
        "original_due": _day(original_due), "extended": extended, "days_overdue": days, "idle_days": idle,
        "state": state, "state_label": STATE_LABELS[state], "role": role, "role_label": ROLE_LABELS[role],
        "duty": duty, "last_progress": _day(progress), "last_note": note,
    })


def _encoded(found: UnitFindings) -> list[Any]:
    s = found.summary
    return [found.unit, [_row(i) for i in found.items],
            [s.owed, s.done_on_time, s.done_late, s.overdue, s.lagging, s.not_applicable, s.submitted],
            found.tasks, [list(t) for t in found.behind]]


def _decoded(data: list[Any], catalogue: Catalogue, as_of: dt.date) -> UnitFindings:
    unit, items, counts, tasks, behind = data
    owed, done, late, overdue, lagging, na, submitted = counts
    summary = built(UnitSummary, {
        "unit": unit, "owed": owed, "done_on_time": done, "done_late": late, "overdue": overdue, "lagging": lagging,
        "not_applicable": na, "on_time_rate": on_time_rate(done, owed, na), "submitted": submitted,
    })
    return built(UnitFindings, {
        "unit": unit, "as_of": as_of, "items": [_item(row, unit, catalogue) for row in items], "summary": summary,
        "tasks": tasks, "behind": [TaskTally(t, o, g) for t, o, g in behind],
    })


class Remembered(NamedTuple):
    """One unit's findings, and the problems of its ledger (none: the findings can be trusted)."""

    unit: str
    findings: UnitFindings
    problems: list[Problem]


def remembered_findings(ledgers: LazyLedgers, units: list[str], as_of: dt.date) -> list[Remembered]:
    """The findings of each of ``units`` as of ``as_of``: remembered, or judged and remembered.

    A ledger that cannot be read or is broken gives the findings of an empty ledger and its
    problems (also left in ``ledgers.problems``); nothing is remembered then.
    """
    problems: dict[str, list[Problem]] = {}
    file_keys = []
    for unit in units:
        count = len(ledgers.problems)
        file_keys.append(ledgers.key(unit))
        if len(ledgers.problems) > count:
            problems[unit] = ledgers.problems[count:]
    # one entry per catalogue (plan year) and set of units: a 回头看 across plans keeps each
    name = "\x00".join([ledgers.catalogue.version, *units])
    key = {"as_of": as_of.isoformat(), "catalogue": ledgers.catalogue.version,
           "ledgers": [[u, k] for u, k in zip(units, file_keys)]}
    if not problems:
        entry = cache.lookup(ledgers.cache_dir, name, key, KIND)
        if entry is not None:
            try:
                found = [_decoded(d, ledgers.catalogue, as_of) for d in entry["data"]]
                if [f.unit for f in found] == units:
                    return [Remembered(f.unit, f, []) for f in found]
            except Exception:  # noqa: BLE001 - an entry of another shape is untrusted input: judge afresh
                pass
    judge = ledgers.judge(as_of)
    keys = dict(zip(units, file_keys))

    def judged(lazy: LazyLedgers, unit: str) -> list[Any]:
        # encoded: what a forked worker sends back is small, and the entry stored below is made of it
        data = lazy.plain(unit) if keys[unit] is not None else None
        try:
            found = judged_findings(judge, unit, data)
        except Exception:  # noqa: BLE001 - cached data of another shape is untrusted input: parse the file
            data = lazy.plain(unit, use_cache=False) if keys[unit] is not None else None
            found = judged_findings(judge, unit, data)
        return _encoded(found)

    results = ledgers.each_unit(judged, units)
    for unit, (_, found) in zip(units, results):
        if found:
            problems.setdefault(unit, []).extend(found)
    encoded = [e for e, _ in results]
    out = [Remembered(unit, _decoded(e, ledgers.catalogue, as_of), problems.get(unit, [])) for unit, e in zip(units, encoded)]
    if not problems:
        cache.store(ledgers.cache_dir, name, key, encoded, None, KIND)
    return out
