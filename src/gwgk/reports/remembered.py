"""The findings of a report's units remembered for the day they were judged as of, so that asking
the same question again (the same units, the same as-of day, no ledger changed) reads one entry.

One entry per catalogue and set of units (the last as-of day asked) under ``.gwgk/cache/findings/``, written
once per run rather than once per unit: ten thousand renames cost a province about 1.75 s. Its key
is the as-of day, the catalogue version and every unit's ledger key (size, mtime and SHA-256, or
its absence), so a changed ledger or another day is a miss, judged afresh by the fast judgement
(``judge.fast``) from the cached ledgers. Items are stored as rows of the values that cannot be
looked up again (titles and labels come from the catalogue), which keeps the entry small.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from gwgk.errors import Problem
from gwgk.files import cache
from gwgk.files.acyclic import collector_paused
from gwgk.judge.timeline import DayJudge, unit_timeline
from gwgk.ledger.store import LazyLedgers
from gwgk.reports.findings import UnitFindings, decoded, timeline_findings

KIND = "findings"
TIMELINES = "timelines"
GROUP = 128  # units whose timelines are remembered in one entry (a province's would pass the entries' size limit)


class Remembered(NamedTuple):
    """One unit's findings, and the problems of its ledger (none: the findings can be trusted)."""

    unit: str
    findings: UnitFindings
    problems: list[Problem]


def remembered_findings(ledgers: LazyLedgers, units: list[str], as_of: dt.date) -> list[Remembered]:
    """The findings of each of ``units`` as of ``as_of``: remembered for that day, or judged from the
    units' timelines (remembered for their ledgers' content, or made from the ledgers).

    A ledger that cannot be read or is broken gives the findings of an empty ledger and its
    problems (also left in ``ledgers.problems``); nothing is remembered of it then.
    """
    catalogue = ledgers.catalogue
    judge = DayJudge(catalogue, as_of)

    def judged(lazy: LazyLedgers, group: list[str]) -> list[tuple[list[Any], list[Problem]]]:
        return _group_findings(lazy, judge, group)

    groups = [units[i:i + GROUP] for i in range(0, len(units), GROUP)]
    out = []
    with collector_paused():  # timelines and findings hold no cycles (forked workers inherit the pause)
        for group, (found, _) in zip(groups, ledgers.each_group(judged, groups)):
            for unit, (compact, problems) in zip(group, found):
                try:
                    findings = decoded(compact, catalogue, as_of)
                    if findings.unit != unit:
                        raise ValueError("another unit's findings")
                except Exception:  # noqa: BLE001 - remembered findings of another shape are untrusted input
                    ((compact, problems),) = _group_findings(ledgers, judge, [unit], remembered=False)
                    findings = decoded(compact, catalogue, as_of)
                out.append(Remembered(unit, findings, problems))
    return out


def _group_findings(lazy: LazyLedgers, judge: DayJudge, group: list[str], remembered: bool = True
                    ) -> list[tuple[list[Any], list[Problem]]]:
    """The findings of each unit of ``group`` as of the judge's day in the compact form, and the
    problems its ledger gave: remembered for the day (unless not ``remembered``), or judged from the
    group's remembered timelines, or from timelines made (and remembered) now."""
    catalogue = lazy.catalogue
    keys: dict[str, dict[str, Any] | None] = {}
    problems: dict[str, list[Problem]] = {}
    for unit in group:
        count = len(lazy.problems)
        keys[unit] = lazy.key(unit)
        if len(lazy.problems) > count:
            problems[unit] = lazy.problems[count:]
    # one entry of each kind per catalogue (plan year) and group of units: a 回头看 across plans keeps each
    name = "\x00".join([catalogue.version, *group])
    day_key = {"as_of": judge.as_of.isoformat(), "catalogue": catalogue.version, "ledgers": [[u, keys[u]] for u in group]}
    if remembered and not problems:
        entry = cache.lookup(lazy.cache_dir, name, day_key, KIND)
        if entry is not None and isinstance(entry["data"], list) and len(entry["data"]) == len(group):
            return [(compact, []) for compact in entry["data"]]
    known = _remembered_timelines(lazy, name, keys)
    made = False
    out: list[tuple[list[Any], list[Problem]]] = []
    for unit in group:
        timeline = known.get(unit)
        if timeline is not None:
            try:
                out.append((timeline_findings(judge, unit, timeline), []))
                continue
            except Exception:  # noqa: BLE001 - a remembered timeline of another shape is untrusted input: make it again
                del known[unit]
        count = len(lazy.problems)
        timeline = _timeline(lazy, unit, keys[unit] is not None)
        found = lazy.problems[count:]
        if found:
            problems.setdefault(unit, []).extend(found)
        elif unit not in problems:
            known[unit], made = timeline, True
        out.append((timeline_findings(judge, unit, timeline), problems.get(unit, [])))
    if made:
        entry = [[unit, keys[unit], known[unit]] for unit in group if unit in known]
        cache.store(lazy.cache_dir, name, {"catalogue": catalogue.version}, entry, None, TIMELINES)
    if not problems:
        cache.store(lazy.cache_dir, name, day_key, [compact for compact, _ in out], None, KIND)
    return out


def _remembered_timelines(ledgers: LazyLedgers, name: str, keys: dict[str, dict[str, Any] | None]) -> dict[str, list[Any]]:
    """The timelines remembered for these units whose ledgers are still what they were made from."""
    entry = cache.lookup(ledgers.cache_dir, name, {"catalogue": ledgers.catalogue.version}, TIMELINES)
    out: dict[str, list[Any]] = {}
    if entry is None or not isinstance(entry["data"], list):
        return out
    for item in entry["data"]:
        if isinstance(item, list) and len(item) == 3 and isinstance(item[2], list) and item[0] in keys and keys[item[0]] == item[1]:
            out[item[0]] = item[2]
    return out


def _timeline(lazy: LazyLedgers, unit: str, has_ledger: bool) -> list[Any]:
    """The timeline of ``unit`` made from its ledger (that of an empty ledger if it has none or it is broken)."""
    data, dumped = lazy.plain_parsed(unit) if has_ledger else (None, False)
    try:
        return unit_timeline(lazy.catalogue, unit, data, dumped=dumped)
    except Exception:  # noqa: BLE001 - cached data of another shape is untrusted input: parse the file
        data = lazy.plain(unit, use_cache=False) if has_ledger else None
        return unit_timeline(lazy.catalogue, unit, data)
