"""What workbooks brought (``gwgk import``), written into one unit's ledger: withdrawals of cleared
or corrected rows, events a unit reported on spare rows, and records, each an ordinary entry."""

from __future__ import annotations

import datetime as dt

from gwgk.entries.history import live, next_id, withdrawn
from gwgk.entries.model import Event, Ledger, Record, Stamp, Withdrawal, same_record
from gwgk.errors import DataError
from gwgk.judge.schedule import next_event_key
from gwgk.ledger.changes import task_index, with_entry
from gwgk.ledger.store import Change


def imported_change(unit: str, items: list[tuple[int, Record | None, str | None, tuple[str, dt.date] | None]], added: list[str],
                    today: dt.date, source: str = "导入工作簿", stamp: Stamp | None = None) -> Change:
    """A change writing what workbooks brought, one verified append at a time, each entry with a new
    id and entered ``today``: for each ``(task, record, withdraw, event)``, the withdrawal of
    ``withdraw`` (a correction or a cleared row), then ``event`` (a name and a date the unit reported:
    registered unless the task holds it already) and then ``record`` (belonging to that event).

    A record the ledger already holds (same content, whatever its source) is left out, so a workbook
    imported twice adds nothing the second time; the ids written go into ``added``.
    """
    name = f"ledgers/{unit}.yaml"
    written = stamp.fields if stamp is not None else {}

    def change(text: str, current: Ledger) -> tuple[str, Ledger]:
        start = len(added)
        try:
            return appended(text, current)
        except DataError:
            del added[start:]  # applied again once the ledger has the missing task's block
            raise

    def appended(text: str, current: Ledger) -> tuple[str, Ledger]:
        expected = current
        for task, record, target, reported in items:
            index = task_index(expected, task)
            new_id = next_id(expected, "records") if record is not None else None
            if target is not None and target not in withdrawn(expected.tasks[index]):
                why = f"{source}：更正为 {new_id}" if record is not None else f"{source}：清空了这一行"
                withdrawal = Withdrawal(id=next_id(expected, "withdrawals"), target=target, entered=today, reason=why, **written)
                text, expected = with_entry(text, expected, index, "withdrawals", withdrawal, name)
                added.append(withdrawal.id)
            if reported is not None:
                title, day = reported
                events = live(expected.tasks[index], False).task.events
                event = next((e for e in events if e.title == title and e.date == day), None)
                if event is None:
                    event = Event(key=next_event_key(expected.tasks[index]), title=title, date=day, entered=today, **written)
                    text, expected = with_entry(text, expected, index, "events", event, name)
                    added.append(event.key)
                record = record.model_copy(update={"instance": event.key}) if record is not None else None
            if record is None or any(same_record(record, r) for r in live(expected.tasks[index], False).task.records):
                continue
            record = record.model_copy(update={"id": new_id, "entered": today, **written})
            text, expected = with_entry(text, expected, index, "records", record, name)
            added.append(new_id or "")
        return text, expected

    return change
