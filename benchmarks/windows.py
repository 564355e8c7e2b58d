"""How long each unit's remembered findings hold, as a daily cron job would meet them.

For the first N units of a workspace and each given day, every ledger is cut to the records dated
by that day (as it would stand then), the unit is judged, and the days its findings still hold
are counted. Prints, per day, the share of units whose findings hold the next day too (a cron job
the day after reads them instead of judging again) and the median number of days ahead.

    python benchmarks/make_workspace.py --units 10000 --records 100 --out /tmp/province
    python benchmarks/windows.py /tmp/province --units 300
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
from pathlib import Path

from gwgk.catalogue.load import load_catalogue
from gwgk.entries.model import Ledger
from gwgk.files.workspace import Workspace
from gwgk.ledger.store import LazyLedgers
from gwgk.reports.findings import unit_findings

DAYS = ["2021-07-15", "2021-08-16", "2021-10-08", "2021-11-10", "2021-12-20", "2022-01-10", "2022-03-01"]
OPEN = 10_000  # days ahead shown for a window with no end


def as_it_stood(ledger: Ledger, day: dt.date) -> Ledger:
    """``ledger`` without the records dated after ``day``."""
    return ledger.model_copy(update={"tasks": [
        t.model_copy(update={"records": [r for r in t.records if r.date <= day]}) for t in ledger.tasks]})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--days", nargs="*", default=DAYS)
    args = parser.parse_args()
    ws = Workspace(args.workspace)
    catalogue = load_catalogue(ws.tasks_path, ws.units_path, "tasks.yaml", "units.yaml")
    lazy = LazyLedgers(ws, catalogue)
    ledgers = {unit: lazy.get(unit) for unit in list(lazy.paths)[: args.units]}
    print("| as of | units | findings hold the next day | median days ahead |\n|---|---|---|---|")
    for text in args.days:
        day = dt.date.fromisoformat(text)
        ahead = []
        for unit, ledger in ledgers.items():
            found = unit_findings(catalogue, unit, as_it_stood(ledger, day) if ledger else None, day)
            ahead.append(OPEN if found.valid_until is None else (found.valid_until - day).days)
        held = sum(a >= 2 for a in ahead) / len(ahead)
        median = statistics.median(ahead)
        print(f"| {text} | {len(ahead)} | {held:.0%} | {'open' if median >= OPEN else f'{median:g}'} |")


if __name__ == "__main__":
    main()
