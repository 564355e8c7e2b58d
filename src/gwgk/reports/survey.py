"""One plan's units judged as of a day: each unit's findings, and the ledgers that could not be read.

Every report over many units (the 回头看, the year report) starts here, so that a broken ledger is
handled alike everywhere: its unit is left out of the findings and named among the broken ledgers
(``--strict`` refuses the report instead).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwgk.errors import DataError
from gwgk.ledger.store import LazyLedgers
from gwgk.reports.overdue import BrokenLedger, broken_ledgers

if TYPE_CHECKING:
    from gwgk.catalogue.model import Catalogue
    from gwgk.entries.model import Ledger
    from gwgk.files.workspace import Workspace
    from gwgk.reports.findings import UnitFindings

BROKEN_REFUSAL = "台账有错误，为免得出错误的结论，没有生成报告；请先改正（可运行 gwgk validate 查看）"


class Survey:
    """The findings of ``units`` of one plan as of ``day``: ``findings()`` yields them one at a
    time (a province's year report never holds them all), then ``broken()`` names what could not
    be read."""

    def __init__(self, workspace: Workspace, catalogue: Catalogue, units: list[str], day: dt.date):
        self.catalogue = catalogue
        self.units = units
        self.day = day
        self._ledgers = LazyLedgers(workspace, catalogue)
        self._unit_of_file: dict[str, str] = {}

    def findings(self) -> Iterator[UnitFindings]:
        """The findings of each unit whose ledger can be read, in scope order."""
        from gwgk.reports.remembered import remembered_findings

        for unit, found, problems in remembered_findings(self._ledgers, self.units, self.day):
            if problems:
                self._unit_of_file.update({p.file: unit for p in problems})
            else:
                yield found

    def ledger(self, unit: str) -> Ledger | None:
        """The ledger of ``unit`` as read (None: none yet, or unreadable: named by ``broken``)."""
        return self._ledgers.get(unit)
    def events(self, unit: str) -> dict[tuple[int, str], tuple[str, dt.date | None]]:
        """The events of ``unit``'s ledger by (task, key): their names and days, for every report
        to name an event's instance by (nothing for a ledger that cannot be read)."""
        from gwgk.reports.remembered import remembered_events

        return remembered_events(self._ledgers, unit)

    def broken(self, *, strict: bool = False) -> list[BrokenLedger]:
        """Every problem of a broken ledger, the units' ledgers first, then files that belong to no
        unit; with ``strict``, ``DataError`` (exit 2) when there is any."""
        problems = self._ledgers.problems
        if strict and problems:
            raise DataError(BROKEN_REFUSAL, problems)
        ordered = sorted(problems, key=lambda p: p.file not in self._unit_of_file)
        return broken_ledgers(ordered, self._unit_of_file)
