"""Applying a change to a ledger's text: verified by reading it back, after adding the block of a
task the change writes into that the ledger has none for (and syncing nothing else)."""

from __future__ import annotations

from collections.abc import Callable

from gwgk.catalogue.model import Catalogue
from gwgk.entries.model import Ledger
from gwgk.errors import DataError
from gwgk.ledger.changes import MissingTask
from gwgk.ledger.document import synced_text
from gwgk.ledger.parsing import reads_as

Change = Callable[[str, Ledger], tuple[str, Ledger]]


def applied(change: Change, text: str, current: Ledger, name: str) -> str:
    """The new text, parsed back and compared with the expected ledger before it is trusted."""
    new, expected = change(text, current)
    if not reads_as(new, name, expected):
        raise DataError(f"无法安全地写入 {name}（写入后的内容与预期不符），文件没有改动")
    return new


def applied_with_blocks(change: Change, text: str, current: Ledger, catalogue: Catalogue, unit: str, name: str,
                        recheck: Callable[[str, Ledger | None], Ledger]) -> str:
    """``applied`` of ``change``, after adding a block for a task it writes into that the ledger has
    none for (a task the catalogue added, or a block deleted by hand), and syncing nothing else: a
    hand edit of another task's generated fields stays as it is. ``recheck(text, parsed)`` is the
    ledger of a text (checked against the catalogue)."""
    added: set[int] = set()
    while True:
        try:
            return applied(change, text, current, name)
        except MissingTask as missing:  # raised before the change does anything else
            owed = {a.task.id for a in catalogue.assignments(unit)}
            if missing.task in added or missing.task not in owed:
                raise DataError(f"{name} 中没有第 {missing.task} 项任务，而目录也不要求 {unit} 承担它，没有写入") from None
            added.add(missing.task)
            text, synced = synced_text(text, current, catalogue, unit, name, only={missing.task})
            current = recheck(text, synced)
