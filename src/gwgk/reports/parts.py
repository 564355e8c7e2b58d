"""Parts of a 回头看 for the documents: one unit's own part (``--output 'dir/{unit}.docx'``), and
the report with each event's instance named by the event (its name and day) instead of its key.
Pure: the ledgers' events are given."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from gwgk.reports.overdue import OverdueReport, unchecked_units
from gwgk.reports.wording import instance_label, is_event_key

Events = Mapping[tuple[int, str], tuple[str, dt.date | None]]


def unit_part(report: OverdueReport, unit: str) -> OverdueReport:
    """The report as it concerns ``unit`` alone: its items, its count, its broken ledger."""
    counts = [c for c in report.units if c.unit == unit]
    return report.model_copy(update={
        "items": [i for i in report.items if i.unit == unit], "units": counts,
        "total_overdue": sum(c.overdue for c in counts), "total_lagging": sum(c.lagging for c in counts),
        "total_submitted": sum(c.submitted for c in counts), "units_in_scope": 1,
        **{f"total_{name}": sum(getattr(c, name) for c in counts)
           for name in ("owed", "done_on_time", "done_late", "not_applicable", "not_due")},
        "units_with_items": sum(1 for c in counts if c.overdue or c.lagging),
        "broken": [b for b in report.broken if b.unit == unit],
    })


def units_with_parts(report: OverdueReport) -> list[str]:
    """The units that have a part of their own: those not checked, then those with items."""
    return [*unchecked_units(report.broken), *(c.unit for c in report.units if c.overdue or c.lagging)]


def with_event_names(report: OverdueReport, events_of: Callable[[str, int | None], Events]) -> OverdueReport:
    """``report`` with each event instance's ``instance_label`` its event's name and day, from
    ``events_of(unit, plan year)`` (asked once per unit and plan that has such an item)."""
    asked: dict[tuple[str, int | None], Events] = {}
    items = []
    changed = False
    for item in report.items:
        if is_event_key(item.instance):
            where = (item.unit, item.plan)
            if where not in asked:
                asked[where] = events_of(item.unit, item.plan)
            event = asked[where].get((item.task, item.instance.split("#")[0]))
            if event is not None:
                item = item.model_copy(update={"instance_label": instance_label(item.instance, event)})
                changed = True
        items.append(item)
    return report.model_copy(update={"items": items}) if changed else report
