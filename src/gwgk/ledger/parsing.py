"""A ledger's text as a ``Ledger``, within the memory a ledger near the 16 MiB limit allows.

A long list of entries is validated a part at a time, each part's repeated values shared at once
(``entries.model.Sharing``) and its data let go: validating a 100,000-record ledger whole held both
its data and its unshared models, 300 MiB and more. A write's new text is compared with the ledger
it should read as a part at a time too (``reads_as``), so the two are never both whole in memory.
"""

from __future__ import annotations

from typing import Any

from gwgk.entries.model import Event, Extension, Ledger, Record, Review, Sharing, Withdrawal, compacted
from gwgk.errors import DataError, Problem
from gwgk.files import yamlio
from gwgk.files.loader import order, validate, validate_items

_ENTRY_KINDS: dict[str, type[Any]] = {"records": Record, "events": Event, "extensions": Extension,
                                      "withdrawals": Withdrawal, "reviews": Review}
PART = 4000  # entries validated at a time in a long list
_LAST_PARSED: list[tuple[str, Ledger]] = []


def parse(text: str, name: str) -> Ledger:
    """A ledger's text as a validated ``Ledger`` (``DataError`` with located problems).

    The last text parsed is remembered with its ledger: a write reads its new text back at each
    step that checks it (three times), which took seconds each for a ledger near the size limit."""
    if _LAST_PARSED and _LAST_PARSED[0][0] == text:
        return _LAST_PARSED[0][1]
    _LAST_PARSED.clear()  # its memory is needed now
    ledger = _parsed(text, name)
    assert ledger is not None  # only a comparison gives None
    _LAST_PARSED.append((text, ledger))
    return ledger


def reads_as(text: str, name: str, expected: Ledger) -> bool:
    """``parse(text, name) == expected`` (``DataError`` alike), without the ledger of ``text`` ever
    whole beside ``expected``: long lists are compared a part at a time. When it holds, ``parse``
    of ``text`` gives ``expected`` from then on."""
    if _LAST_PARSED and _LAST_PARSED[0][0] == text:
        return _LAST_PARSED[0][1] == expected
    _LAST_PARSED.clear()
    if _parsed(text, name, expected) is None:
        return False
    _LAST_PARSED.append((text, expected))
    return True


def forget_parsed() -> None:
    """Let go of the ledger ``parse`` remembers (a reader that keeps only its plain data)."""
    _LAST_PARSED.clear()


class _Compared:
    """Each part of a long list compared with the same entries of the list it should be."""

    def __init__(self, wanted: list[Any] | None):
        self.wanted, self.start, self.same = wanted, 0, wanted is not None

    def __call__(self, models: list[Any]) -> None:
        end = self.start + len(models)
        self.same = self.same and self.wanted is not None and self.wanted[self.start:end] == models
        self.start = end


def _parsed(text: str, name: str, against: Ledger | None = None) -> Ledger | None:
    """``parse`` without remembering; with ``against``, ``against`` when the text reads as it and
    None when not (the long lists' parts compared and let go)."""
    data = yamlio.load_fast(text, name)
    long = []  # each long list taken out of the data, with its task's index and its kind
    tasks = data.get("tasks") if type(data) is dict else None
    for index, task in enumerate(tasks if type(tasks) is list else []):
        for kind in _ENTRY_KINDS if type(task) is dict else ():
            if type(task.get(kind)) is list and len(task[kind]) > PART:
                long.append((index, kind, task[kind]))
                task[kind] = []
    if not long:
        whole = compacted(validate(Ledger, data, text, name))
        return whole if against is None else against if whole == against else None
    problems: list[Problem] = []
    ledger: Ledger | None = None
    sharing = Sharing()
    try:
        ledger = validate(Ledger, data, text, name)
    except DataError as exc:
        problems.extend(exc.problems)
    del data
    lists, compared = [], []
    for index, kind, items in long:
        wanted = getattr(against.tasks[index], kind) if against is not None and index < len(against.tasks) else None
        each = sharing.share if against is None else _Compared(wanted if wanted is not None and len(wanted) == len(items) else None)
        models, found = validate_items(_ENTRY_KINDS[kind], items, text, name, ("tasks", index, kind), PART, each, keep=against is None)
        lists.append((index, kind, models))
        compared.append(each)
        problems.extend(found)
    if problems or ledger is None:
        raise DataError(f"{name} 的内容不符合格式要求", sorted(set(problems), key=order))
    if against is not None:  # the rest compared with what ``against`` has beside its long lists
        bare = list(against.tasks)
        for index, kind, _ in long:
            if index < len(bare):
                bare[index] = bare[index].model_copy(update={kind: []})
        same = all(isinstance(c, _Compared) and c.same for c in compared) and ledger == against.model_copy(update={"tasks": bare})
        return against if same else None
    compacted(ledger, sharing)  # the long lists' parts are shared already
    for index, kind, models in lists:
        ledger.tasks[index].__dict__[kind] = models
    return ledger
