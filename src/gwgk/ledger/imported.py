"""What workbooks brought (``gwgk import``), written into one unit's ledger: withdrawals of cleared
or corrected rows, events a unit reported on spare rows, and records, each an ordinary entry."""

from __future__ import annotations

import datetime as dt

from gwgk.entries.history import live, next_id, withdrawn
from gwgk.entries.model import Event, Ledger, LedgerTask, Record, Stamp, Withdrawal, same_record
from gwgk.entries.naming import same_title
from gwgk.errors import DataError
from gwgk.judge.schedule import next_event_key
from gwgk.ledger.changes import task_index, with_entry
from gwgk.ledger.store import Change


def live_event(task: LedgerTask, title: str, day: dt.date) -> Event | None:
    """The task's live event of that name (``same_title``) and date, if any."""
    return next((e for e in live(task, False).task.events if e.date == day and same_title(e.title, title)), None)


def retired_events(task: LedgerTask, title: str, day: dt.date) -> list[str]:
    """The keys of the task's withdrawn events (withdrawn, or corrected by ``--replaces``) of that
    name and date: a workbook row naming one of them is an old copy, not a new event."""
    gone = withdrawn(task)
    return [e.key for e in task.events if e.key in gone and e.date == day and same_title(e.title, title)]


def successor(task: LedgerTask, keys: list[str]) -> Event | None:
    """The live event that corrected one of ``keys`` (its ``replaces``, followed through later
    corrections), if any: where a record given for a corrected event belongs now."""
    chain = set(keys)
    grew = True
    while grew:
        grew = False
        for e in task.events:
            if e.replaces in chain and e.key not in chain:
                chain.add(e.key)
                grew = True
    return next((e for e in live(task, False).task.events if e.key in chain and e.key not in keys), None)


def retired_records(task: LedgerTask, record: Record, any_date: bool = False) -> list[str]:
    """The ids of the task's withdrawn records (withdrawn, corrected, or moved with a corrected event)
    that say what ``record`` says (``same_record``): a workbook row bringing one back is an old copy."""
    gone = withdrawn(task)
    return [r.id or "" for r in task.records if r.id in gone and same_record(record, r, any_date)]


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
                event = live_event(expected.tasks[index], title, day)
                if event is None and retired_events(expected.tasks[index], title, day):
                    continue  # withdrawn or corrected since the workbook was read: not brought back
                if event is None:
                    event = Event(key=next_event_key(expected.tasks[index]), title=title, date=day, entered=today, **written)
                    text, expected = with_entry(text, expected, index, "events", event, name)
                    added.append(event.key)
                record = record.model_copy(update={"instance": event.key}) if record is not None else None
            if record is None or any(same_record(record, r) for r in live(expected.tasks[index], False).task.records):
                continue
            if target is None and reported is None and retired_records(expected.tasks[index], record):
                continue  # a record withdrawn since the workbook was read: not brought back
            record = record.model_copy(update={"id": new_id, "entered": today, **written})
            text, expected = with_entry(text, expected, index, "records", record, name)
            added.append(new_id or "")
        return text, expected

    return change
