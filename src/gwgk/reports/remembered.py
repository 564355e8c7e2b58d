"""Each unit's findings remembered across runs, so a province-wide report reads little more than
the ledgers' bytes.

A unit's findings (``unit_findings``) are a pure function of its ledger, the catalogue and the
as-of date; over a window of as-of days (``valid_from`` to ``valid_until``) they stay the same but
for each item being one day more overdue a day. An entry is kept under ``.gwgk/cache/findings/``
keyed on the ledger file's size, mtime and SHA-256 (or its absence), the catalogue version and
gwgk's code, and is used for any as-of day inside its window; otherwise the unit is judged afresh
and the entry replaced. Items are stored as rows of the values that cannot be looked up again
(titles and labels come from the catalogue), which keeps entries small and quick to read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gwgk.catalogue.model import ROLE_LABELS, Catalogue
from gwgk.files import cache
from gwgk.files.trusted import built
from gwgk.judge.assessment import STATE_LABELS
from gwgk.ledger.store import LazyLedgers
from gwgk.reports.findings import (
    TaskTally,
    UnitFindings,
    UnitSummary,
    on_time_rate,
    unit_findings,
    within,
)
from gwgk.reports.overdue import OverdueItem

KIND = "findings"


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def _row(item: OverdueItem) -> list[Any]:
    return [item.task, item.instance, _iso(item.due), _iso(item.original_due), item.extended, item.days_overdue,
            item.idle_days, item.state, item.role, item.duty, _iso(item.last_progress), item.last_note]


def _item(row: list[Any], unit: str, catalogue: Catalogue, later: int) -> OverdueItem:
    task, instance, due, original_due, extended, days, idle, state, role, duty, progress, note = row
    return built(OverdueItem, {
        "unit": unit, "plan": catalogue.plan.year, "task": task, "title": catalogue.tasks[task].title, "instance": instance, "due": _day(due),
        "original_due": _day(original_due), "extended": extended, "days_overdue": days + later if days else 0,
        "idle_days": None if idle is None else idle + later, "state": state,
        "state_label": STATE_LABELS[state], "role": role, "role_label": ROLE_LABELS[role], "duty": duty,
        "last_progress": _day(progress), "last_note": note,
    })


def _encoded(found: UnitFindings) -> dict[str, Any]:
    s = found.summary
    return {
        "unit": found.unit, "as_of": found.as_of.isoformat(), "valid_from": _iso(found.valid_from),
        "valid_until": _iso(found.valid_until), "items": [_row(i) for i in found.items],
        "summary": [s.owed, s.done_on_time, s.done_late, s.overdue, s.lagging, s.not_applicable, s.submitted],
        "tasks": found.tasks, "behind": [list(t) for t in found.behind],
    }


def _decoded(data: dict[str, Any], unit: str, catalogue: Catalogue, as_of: dt.date) -> UnitFindings | None:
    """The findings an entry holds, counted on to ``as_of``; None if it is for another unit or window."""
    valid_from, valid_until, then = _day(data["valid_from"]), _day(data["valid_until"]), _day(data["as_of"])
    if data["unit"] != unit or then is None or not within(as_of, valid_from, valid_until):
        return None
    later = (as_of - then).days
    owed, done, late, overdue, lagging, na, submitted = data["summary"]
    summary = built(UnitSummary, {
        "unit": unit, "owed": owed, "done_on_time": done, "done_late": late, "overdue": overdue, "lagging": lagging,
        "not_applicable": na, "on_time_rate": on_time_rate(done, owed, na), "submitted": submitted,
    })
    return built(UnitFindings, {
        "unit": unit, "as_of": as_of, "valid_from": valid_from, "valid_until": valid_until,
        "items": [_item(row, unit, catalogue, later) for row in data["items"]], "summary": summary,
        "tasks": data["tasks"],
        "behind": [TaskTally(t, o, g) for t, o, g in data["behind"]],
    })


def findings_of(ledgers: LazyLedgers, unit: str, as_of: dt.date) -> UnitFindings:
    """The findings of ``unit`` as of ``as_of``: remembered, or judged and remembered.

    A ledger that cannot be read or is broken gives the findings of an empty ledger and a problem in
    ``ledgers.problems`` (which the caller must look at).
    """
    file_key = ledgers.key(unit)
    key = {"ledger": file_key, "catalogue": ledgers.catalogue.version}
    if file_key is not None:
        entry = cache.lookup(ledgers.cache_dir, ledgers.name(unit), key, KIND)
        if entry is not None:
            try:
                found = _decoded(entry["data"], unit, ledgers.catalogue, as_of)
            except Exception:  # noqa: BLE001 - an entry of another shape is untrusted input: judge afresh
                found = None
            if found is not None:
                return found
    problems = len(ledgers.problems)
    found = unit_findings(ledgers.catalogue, unit, ledgers.get(unit) if file_key is not None else None, as_of)
    if file_key is not None and len(ledgers.problems) == problems:
        cache.store(ledgers.cache_dir, ledgers.name(unit), key, _encoded(found), None, KIND)
    return found
