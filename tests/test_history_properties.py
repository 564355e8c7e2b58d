"""Property: a report as of a day never sees what was entered after it (issue 12).

For any ledger and any day D, adding entries entered after D (records, withdrawals, extensions,
reviews) changes nothing in the ledger view or the findings as of D.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gwgk.catalogue.load import load_catalogue
from gwgk.entries.model import Extension, Ledger, LedgerTask, Record, Review, Withdrawal
from gwgk.reports.findings import unit_findings
from gwgk.reports.ledger import ledger_report

from .conftest import REPO

CAT = load_catalogue(REPO / "data/tasks.yaml", REPO / "data/units.yaml", "tasks.yaml", "units.yaml")
REVIEWING = CAT.settings.model_copy(update={"review": True})
UNITS = ["市财政局", "敬南镇", "市政府办公室"]
DAYS = st.dates(dt.date(2021, 6, 1), dt.date(2022, 1, 31))
LAG = st.integers(0, 40)


@st.composite
def ledgers(draw: st.DrawFn) -> tuple[str, Ledger, dt.date]:
    unit = draw(st.sampled_from(UNITS))
    owed = [a.task.id for a in CAT.assignments(unit)]
    tasks = {t: LedgerTask(task=t, role="lead") for t in draw(st.lists(st.sampled_from(owed), min_size=1, max_size=5, unique=True))}
    n = 0
    for task in tasks.values():
        for _ in range(draw(st.integers(0, 4))):
            n += 1
            day = draw(DAYS)
            task.records.append(Record(id=f"R{n}", date=day, entered=day + dt.timedelta(days=draw(LAG)),
                                       status=draw(st.sampled_from(["done", "in_progress"]))))
    return unit, Ledger(unit=unit, tasks=sorted(tasks.values(), key=lambda t: t.task)), draw(DAYS)


@st.composite
def later_entries(draw: st.DrawFn, ledger: Ledger, as_of: dt.date) -> Ledger:
    """``ledger`` with entries entered after ``as_of`` added to it."""
    out = ledger.model_copy(deep=True)
    after = st.integers(1, 60).map(lambda n: as_of + dt.timedelta(days=n))
    for i, task in enumerate(out.tasks):
        for r in list(task.records):
            choice = draw(st.sampled_from(["none", "withdraw", "accept", "return"]))
            if choice == "withdraw":
                task.withdrawals.append(Withdrawal(id=f"W{(r.id or '')[1:]}", target=r.id or "", entered=draw(after), reason="x"))
            elif choice in ("accept", "return") and r.status == "done":
                task.reviews.append(Review(id=f"V{(r.id or '')[1:]}", record=r.id or "", entered=draw(after),
                                           decision="accepted" if choice == "accept" else "returned", reason="x"))
        for k in range(draw(st.integers(0, 2))):
            day = draw(DAYS)
            task.records.append(Record(id=f"R{900 + 10 * i + k}", date=min(day, as_of), entered=draw(after), status="done"))
        if draw(st.booleans()):
            task.extensions.append(Extension(id=f"X{i + 1}", instance=draw(st.sampled_from(["2021Q3", "2021-09-30", "2021-12"])),
                                             to=dt.date(2022, 1, 20), reason="x", entered=draw(after)))
    return out


def _findings(unit: str, ledger: Ledger, as_of: dt.date) -> tuple:
    found = unit_findings(CAT, unit, ledger, as_of)
    return found.items, found.summary, found.behind


@given(st.data())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_entries_entered_after_the_day_change_nothing_as_of_that_day(data: st.DataObject):
    unit, ledger, as_of = data.draw(ledgers())
    more = data.draw(later_entries(ledger, as_of))
    assert _findings(unit, more, as_of) == _findings(unit, ledger, as_of)
    assert ledger_report(CAT, unit, more, as_of) == ledger_report(CAT, unit, ledger, as_of)
    reviewing = CAT.__class__(**{**CAT.__dict__, "settings": REVIEWING})
    assert (unit_findings(reviewing, unit, more, as_of).items == unit_findings(reviewing, unit, ledger, as_of).items)


# Issue 26: nor what is added or switched on later: a plan's new units, a unit set up later, 销号
# review from a later day. The whole report as of the day (every unit's findings, whom it covers).

def _catalogue(new_units: list[tuple[str, str, dt.date]], review_from: dt.date | None):
    """The catalogue with units added (name, kind, since) and review on from a day."""
    from gwgk.catalogue.model import build
    from gwgk.catalogue.plan import TasksFile
    from gwgk.catalogue.units import Unit, UnitsFile
    from gwgk.files.loader import load_model

    tasks, _ = load_model(REPO / "data/tasks.yaml", TasksFile, "tasks.yaml")
    units, _ = load_model(REPO / "data/units.yaml", UnitsFile, "units.yaml")
    added = [Unit(name=name, kind=kind, source="本单位添加", since=since) for name, kind, since in new_units]  # type: ignore[arg-type]
    units = units.model_copy(update={"units": [*units.units, *added]})
    if review_from is not None:
        tasks = tasks.model_copy(update={"settings": tasks.settings.model_copy(update={"review_from": review_from})})
    cat, findings = build(tasks, units)
    assert not findings
    return cat


def _whole(cat, ledgers: dict[str, Ledger], as_of: dt.date) -> list:
    return [(unit, _findings_in(cat, unit, ledgers.get(unit), as_of)) for unit in cat.units_begun(as_of)]


def _findings_in(cat, unit: str, ledger: Ledger | None, as_of: dt.date) -> tuple:
    found = unit_findings(cat, unit, ledger, as_of)
    return found.items, found.summary, found.behind


NEW_KINDS = st.sampled_from(["department", "town", "subdistrict", "office"])


@given(st.data())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_units_added_and_review_switched_on_later_change_nothing_as_of_the_day(data: st.DataObject):
    unit, ledger, as_of = data.draw(ledgers())
    later = st.integers(1, 400).map(lambda n: as_of + dt.timedelta(days=n))
    new_units = [(f"新设单位{i}", data.draw(NEW_KINDS), data.draw(later)) for i in range(data.draw(st.integers(1, 3)))]
    review_from = data.draw(st.one_of(st.none(), later))
    more = data.draw(later_entries(ledger, as_of))
    ledgers_ = {unit: ledger}
    before = _whole(CAT, ledgers_, as_of)
    after = _whole(_catalogue(new_units, review_from), {unit: more, **{name: more.model_copy(update={"unit": name})
                                                                         for name, _, _ in new_units}}, as_of)
    assert after == before
