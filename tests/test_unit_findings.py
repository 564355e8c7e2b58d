"""One unit's findings: the 回头看 items and the year-end counts from one pass."""

from __future__ import annotations

import datetime as dt

from gwgk.catalogue.load import load_catalogue
from gwgk.ledger.store import parse
from gwgk.reports.findings import unit_findings

from .conftest import REPO

CAT = load_catalogue(REPO / "data/tasks.yaml", REPO / "data/units.yaml", "tasks.yaml", "units.yaml")
FINANCE = parse((REPO / "ledgers/市财政局.yaml").read_text(encoding="utf-8"), "市财政局.yaml")


def test_items_counts_and_tallies_agree():
    found = unit_findings(CAT, "市财政局", FINANCE, dt.date(2021, 10, 8))
    # the demo ledger as of 2021-10-08: 3 overdue, 4 lagging (as `gwgk overdue --unit 市财政局` lists)
    assert [i.state for i in found.items].count("overdue") == 3 == found.summary.overdue
    assert [i.state for i in found.items].count("lagging") == 4 == found.summary.lagging
    assert sum(t.overdue for t in found.behind) == 3 and sum(t.lagging for t in found.behind) == 4
    assert all(t.overdue or t.lagging for t in found.behind)
    assert found.tasks == [a.task.id for a in CAT.assignments("市财政局")]
    assert [t.task for t in found.behind] == sorted({i.task for i in found.items})
    assert found.items[0].state == "overdue" and found.items[-1].state == "lagging"
    days = [i.days_overdue for i in found.items if i.state == "overdue"]
    assert days == sorted(days, reverse=True)


def test_a_unit_without_a_ledger_owes_everything_due():
    found = unit_findings(CAT, "市教育局", None, dt.date(2022, 1, 5))
    assert found.summary.done_on_time == 0 and found.summary.owed == found.summary.overdue > 0
    assert found.summary.on_time_rate == 0.0
