"""What reports remember between runs, per group of units, so that a new as-of day reads each
unit's timeline instead of its ledger, and the same day again reads the findings.

Two kinds of cache entry (``files.cache``), each a group's:

* ``timelines``: for the units of one group of the catalogue (its units in order, ``GROUP`` at a
  time), ``[unit, ledger key, timeline]`` each (``judge.timeline``; ``{"absent": true}`` for a unit
  without a ledger). A timeline does not depend on the day: it holds as long as its ledger's key
  (size, mtime, SHA-256) does, and the entry as long as the catalogue and gwgk's code and holiday
  data do. A unit whose ledger changed has its timeline made again, the group's others kept; a
  report over some units (``--unit``, ``--group``) reads and adds to the same entries.
* ``findings``: for the units of a report that fall in one such group, their findings as of the
  last day asked, in the compact form (``findings.timeline_findings``), keyed on the day, the
  catalogue and every unit's ledger key. Another day, or a changed ledger, is judged again from
  the timelines.

A group is keyed, looked up, judged and remembered by whichever process takes it
(``LazyLedgers.each_group``), so all of that runs on every CPU. Nothing is remembered of a ledger
that cannot be read or is broken, nor findings of a group that holds one, nor any ledger's parsed
data (``_timeline``). Both kinds are untrusted
input: an entry of another shape is judged afresh (a well-formed forged one is believed: README's
可靠性与安全 says what that allows, and ``--no-cache`` avoids it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from gwgk.errors import Problem
from gwgk.files import cache
from gwgk.judge.timeline import DayJudge, unit_timeline
from gwgk.ledger.store import LazyLedgers
from gwgk.process.collector import collector_paused
from gwgk.reports.findings import UnitFindings, decoded, timeline_findings
from gwgk.reports.wording import event_words

KIND = "findings"
TIMELINES = "timelines"
EVENTS = "events"  # a ledger's event names, remembered with its timeline for the bytes it was made from
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
    problems (also left in ``ledgers.problems``, in unit order); nothing is remembered of it then.
    """
    catalogue = ledgers.catalogue
    judge = DayJudge(catalogue, as_of)
    place = {unit: i // GROUP for i, unit in enumerate(catalogue.units)}
    for unit in units:
        place.setdefault(unit, -1)  # a unit an earlier plan's catalogue does not have: it owes nothing there
    groups: list[list[str]] = []
    for unit in units:  # runs of the units in scope that share a group of the catalogue
        if groups and place[groups[-1][-1]] == place[unit] and len(groups[-1]) < GROUP:
            groups[-1].append(unit)
        else:
            groups.append([unit])

    def judged(lazy: LazyLedgers, group: list[str]) -> list[tuple[list[Any], list[Problem]]]:
        return _group_findings(lazy, judge, group, place[group[0]])

    out = []
    with collector_paused():  # timelines and findings hold no cycles (forked workers inherit the pause)
        for group, (found, _) in zip(groups, ledgers.each_group(judged, groups)):
            for unit, (compact, problems) in zip(group, found):
                try:
                    findings = decoded(compact, catalogue, as_of)
                    if findings.unit != unit:
                        raise ValueError("another unit's findings")
                except Exception:  # noqa: BLE001 - remembered findings of another shape are untrusted input
                    ((compact, problems),) = _group_findings(ledgers, judge, [unit], place[unit], remember=False)
                    findings = decoded(compact, catalogue, as_of)
                out.append(Remembered(unit, findings, problems))
    return out


def _group_findings(lazy: LazyLedgers, judge: DayJudge, group: list[str], number: int, remember: bool = True
                    ) -> list[tuple[list[Any], list[Problem]]]:
    """The findings of each unit of ``group`` (units of the catalogue's group ``number``) as of the
    judge's day in the compact form, and the problems its ledger gave (also left in
    ``lazy.problems``, in unit order): remembered for the day, or judged from the remembered
    timelines, or from timelines made (and remembered) now. Without ``remember``, nothing is read
    from the cache but ledgers, and nothing is written."""
    catalogue = lazy.catalogue
    start = len(lazy.problems)
    keys: dict[str, dict[str, Any] | None] = {}
    problems: dict[str, list[Problem]] = {}
    for unit in group:
        count = len(lazy.problems)
        keys[unit] = lazy.key(unit)
        if len(lazy.problems) > count:
            problems[unit] = lazy.problems[count:]
    # one findings entry per catalogue (plan year) and units asked together: a 回头看 across plans keeps each
    name = "\x00".join([catalogue.version, *group])
    day_key = {"as_of": judge.as_of.isoformat(), "catalogue": catalogue.version, "ledgers": [[u, keys[u]] for u in group]}
    if remember and not problems:
        entry = cache.lookup(lazy.cache_dir, name, day_key, KIND)
        if entry is not None and isinstance(entry["data"], list) and len(entry["data"]) == len(group):
            return [(compact, []) for compact in entry["data"]]
    timelines = f"{catalogue.version}\x00{number}"
    kept = _remembered_timelines(lazy, timelines) if remember else {}
    made = False
    out: list[list[Any]] = []
    for unit in group:
        item = kept.get(unit)
        if item is not None and item[1] == keys[unit] and keys[unit] is not None and unit not in problems:
            try:
                out.append(timeline_findings(judge, unit, item[2]))
                continue
            except Exception:  # noqa: BLE001 - a remembered timeline is untrusted input, even one that refuses the
                pass  # day (its words could be anyone's): made again, one that truly cannot judge the day refuses again
        count = len(lazy.problems)
        timeline = _timeline(lazy, unit, keys[unit] is not None)
        if len(lazy.problems) > count:
            problems.setdefault(unit, []).extend(lazy.problems[count:])
        elif unit not in problems:
            keys[unit] = lazy.read_key(unit)  # the bytes the timeline was made from, should the file have changed
            kept[unit], made = [unit, keys[unit], timeline], True
        out.append(timeline_findings(judge, unit, timeline))
    del lazy.problems[start:]  # put back in unit order: those of reading each ledger, then of parsing it
    for unit in group:
        lazy.problems.extend(problems.get(unit, []))
    if remember and made:
        cache.store(lazy.cache_dir, timelines, {"catalogue": catalogue.version}, list(kept.values()), None, TIMELINES)
    if remember and not problems:
        day_key["ledgers"] = [[u, keys[u]] for u in group]
        cache.store(lazy.cache_dir, name, day_key, out, None, KIND)
    return [(compact, problems.get(unit, [])) for unit, compact in zip(group, out)]


def _remembered_timelines(ledgers: LazyLedgers, name: str) -> dict[str, list[Any]]:
    """The items of a group's timelines entry by unit (each still to be checked against its ledger's key)."""
    entry = cache.lookup(ledgers.cache_dir, name, {"catalogue": ledgers.catalogue.version}, TIMELINES)
    if entry is None or not isinstance(entry["data"], list):
        return {}
    return {item[0]: item for item in entry["data"]
            if isinstance(item, list) and len(item) == 3 and isinstance(item[0], str) and isinstance(item[2], list)}


def _timeline(lazy: LazyLedgers, unit: str, has_ledger: bool) -> list[Any]:
    """The timeline of ``unit`` made from its ledger (that of an empty ledger if it has none or it is broken).

    The ledger's parsed data is read from the cache when there, but not written to it: the timeline
    is what reports remember of a ledger, and writing each ledger's data too cost a cold report a
    tenth of its time for the commands that read them (``import``, ``review --pending``).
    """
    data, dumped = lazy.plain_parsed(unit, remember=False) if has_ledger else (None, False)
    words = event_words(data) if data is not None else {}
    if words:
        _remember_events(lazy, unit, words)  # the names reports show, from the same parse
    try:
        return unit_timeline(lazy.catalogue, unit, data, dumped=dumped)
    except Exception:  # noqa: BLE001 - cached data of another shape is untrusted input: parse the file
        data = lazy.plain(unit, use_cache=False) if has_ledger else None
        return unit_timeline(lazy.catalogue, unit, data)


Events = dict[tuple[int, str], tuple[str, dt.date | None]]


def remembered_events(lazy: LazyLedgers, unit: str) -> Events:
    """The events of ``unit``'s ledger by (task, key): name and day, remembered for the bytes its
    findings were judged from (read again from the ledger when not: nothing for one that cannot be
    read). The entry, untrusted input, only ever gives a name and a day to show."""
    key = lazy.read_key(unit)
    if isinstance(key, dict) and "sha256" in key:
        entry = cache.lookup(lazy.cache_dir, lazy.name(unit), key, EVENTS)
        if entry is not None and _events_shaped(entry["data"]):
            return event_words({"tasks": entry["data"]})
    data, _ = lazy.plain_parsed(unit, remember=False)
    words = event_words(data)
    _remember_events(lazy, unit, words)
    return words


def _events_shaped(data: Any) -> bool:
    """Whether ``data`` has the form gwgk writes an events entry in (never empty): anything else is
    a miss, and the ledger is read."""
    return (isinstance(data, list) and bool(data) and all(
        isinstance(t, dict) and type(t.get("task")) is int and isinstance(t.get("events"), list) and t["events"] and all(
            isinstance(e, dict) and isinstance(e.get("key"), str) and isinstance(e.get("title"), str)
            and (e.get("date") is None or isinstance(e.get("date"), str)) for e in t["events"]) for t in data))


def _remember_events(lazy: LazyLedgers, unit: str, words: Events) -> None:
    key = lazy.read_key(unit)
    if not (isinstance(key, dict) and "sha256" in key):
        return
    tasks: dict[int, list[dict[str, str | None]]] = {}
    for (task, event_key), (title, day) in words.items():
        tasks.setdefault(task, []).append({"key": event_key, "title": title, "date": day.isoformat() if day else None})
    cache.store(lazy.cache_dir, lazy.name(unit), key, [{"task": t, "events": e} for t, e in tasks.items()], None, EVENTS)
