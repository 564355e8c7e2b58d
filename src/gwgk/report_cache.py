"""Each unit's 回头看 findings remembered across runs, so a province-wide report reads little more
than the ledgers' bytes.

A unit's findings are a pure function of its ledger, the catalogue and the as-of date; and over a
window of as-of dates (``UnitOverdue.valid_from`` to ``valid_until``) they only count one more day
overdue each day. An entry is kept under ``.gwgk/cache/overdue/`` keyed on the ledger file's size,
mtime and SHA-256 (or its absence), the catalogue version and gwgk's code, and is used for any
as-of date inside its window; otherwise the unit is judged afresh and the entry replaced.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from . import cache
from .ledger_store import LazyLedgers
from .overdue_report import OverdueItem, UnitOverdue, unit_overdue

KIND = "overdue"


def _remembered(ledgers: LazyLedgers, unit: str, key: dict[str, Any], as_of: dt.date) -> UnitOverdue | None:
    entry = cache.lookup(ledgers.ws.cache_dir, ledgers.name(unit), key, KIND)
    if entry is None:
        return None
    try:
        found = UnitOverdue.model_validate(entry["data"])
    except (ValidationError, KeyError):
        return None
    return found if found.unit == unit and found.holds_on(as_of) else None


def overdue_items(ledgers: LazyLedgers, unit: str, as_of: dt.date) -> list[OverdueItem]:
    """The overdue and lagging items of ``unit`` as of ``as_of``: remembered, or judged and remembered.

    A ledger that cannot be read or is broken gives no items and a problem in ``ledgers.problems``.
    """
    file_key = ledgers.key(unit)
    if file_key is None:
        return []
    key = {"ledger": file_key, "catalogue": ledgers.catalogue.version}
    found = _remembered(ledgers, unit, key, as_of)
    if found is not None:
        return found.at(as_of)
    problems = len(ledgers.problems)
    found = unit_overdue(ledgers.catalogue, unit, ledgers.get(unit), as_of)
    if len(ledgers.problems) == problems:
        cache.store(ledgers.ws.cache_dir, ledgers.name(unit), key, found.model_dump(mode="json"), None, KIND)
    return found.items
