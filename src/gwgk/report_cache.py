"""Each unit's 回头看 findings remembered across runs, so a province-wide report reads little more
than the ledgers' bytes.

A unit's findings are a pure function of its ledger, the catalogue and the as-of date; and over a
window of as-of dates (``UnitOverdue.valid_from`` to ``valid_until``) they only count one more day
overdue each day. An entry is kept under ``.gwgk/cache/overdue/`` keyed on the ledger file's size,
mtime and SHA-256 (or its absence), the catalogue version and gwgk's code, and is used for any
as-of date inside its window; otherwise the unit is judged afresh and the entry replaced. Items are
stored as rows of the values that cannot be looked up again (titles and labels come from the
catalogue), which keeps entries small and quick to read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import cache
from .assessment import STATE_LABELS
from .catalogue import ROLE_LABELS, Catalogue
from .ledger_store import LazyLedgers
from .overdue_report import OverdueItem, UnitOverdue, unit_overdue
from .trusted import built

KIND = "overdue"


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def _row(item: OverdueItem) -> list[Any]:
    return [item.task, item.instance, _iso(item.due), _iso(item.original_due), item.extended, item.days_overdue,
            item.state, item.role, item.duty, _iso(item.last_progress), item.last_note]


def _item(row: list[Any], unit: str, catalogue: Catalogue, later: int) -> OverdueItem:
    task, instance, due, original_due, extended, days, state, role, duty, progress, note = row
    return built(OverdueItem, {
        "unit": unit, "task": task, "title": catalogue.tasks[task].title, "instance": instance, "due": _day(due),
        "original_due": _day(original_due), "extended": extended, "days_overdue": days + later, "state": state,
        "state_label": STATE_LABELS[state], "role": role, "role_label": ROLE_LABELS[role], "duty": duty,
        "last_progress": _day(progress), "last_note": note,
    })


def _remembered(ledgers: LazyLedgers, unit: str, key: dict[str, Any], as_of: dt.date) -> list[OverdueItem] | None:
    entry = cache.lookup(ledgers.cache_dir, ledgers.name(unit), key, KIND)
    if entry is None:
        return None
    data = entry["data"]
    try:
        found = UnitOverdue(unit=data["unit"], as_of=data["as_of"], valid_from=data["valid_from"],
                            valid_until=data["valid_until"], items=[])
        if found.unit != unit or not found.holds_on(as_of):
            return None
        later = (as_of - found.as_of).days
        return [_item(row, unit, ledgers.catalogue, later) for row in data["items"]]
    except (KeyError, TypeError, ValueError):  # an entry of another shape: judge afresh
        return None


def overdue_items(ledgers: LazyLedgers, unit: str, as_of: dt.date) -> list[OverdueItem]:
    """The overdue and lagging items of ``unit`` as of ``as_of``: remembered, or judged and remembered.

    A ledger that cannot be read or is broken gives no items and a problem in ``ledgers.problems``.
    """
    file_key = ledgers.key(unit)
    if file_key is None:
        return []
    key = {"ledger": file_key, "catalogue": ledgers.catalogue.version}
    items = _remembered(ledgers, unit, key, as_of)
    if items is not None:
        return items
    problems = len(ledgers.problems)
    found = unit_overdue(ledgers.catalogue, unit, ledgers.get(unit), as_of)
    if len(ledgers.problems) == problems:
        data = {"unit": unit, "as_of": found.as_of.isoformat(), "valid_from": _iso(found.valid_from),
                "valid_until": _iso(found.valid_until), "items": [_row(i) for i in found.items]}
        cache.store(ledgers.cache_dir, ledgers.name(unit), key, data, None, KIND)
    return found.items
