"""What a batch of filled workbooks would change (``ImportResult``), row by row (``Planned``), as
``excel.reader`` finds it and ``excel.intake`` writes and reports it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gwgk.entries.model import Record


@dataclass(frozen=True)
class Planned:
    """What one row changes in a ledger: a new record, a correction (the prefilled record withdrawn
    and a new one replacing it) or, for a cleared or deleted row, a withdrawal alone."""

    where: str  # 文件 工作表!行
    task: int
    instance: str
    before: str  # what the ledger holds for the row now, in words
    after: str  # what it will hold
    record: Record | None
    withdraw: str | None
    event: tuple[str, dt.date] | None = None  # an event the unit reported on a spare row, registered first


@dataclass
class ImportResult:
    """What a batch of workbooks would change, per unit, and what was wrong with it."""

    planned: dict[str, list[Planned]] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    rows: int = 0
    returned: list[tuple[str, dt.date, str | None]] = field(default_factory=list)  # unit, export day, workbook key
    notes: dict[str, list[str]] = field(default_factory=dict)  # what the office should know of what is written
    retired: dict[str, list[str]] = field(default_factory=dict)  # rows bringing back what the office withdrew: not written
