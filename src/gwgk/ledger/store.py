"""Ledger files on disk: where they are, reading them, and changing one safely.

A change is made under the file's lock; the new text is parsed back and must equal the expected
ledger before it is written; and if the file changed on disk since it was read (a hand edit in
an editor), nothing is written.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from gwgk.catalogue.model import Catalogue
from gwgk.catalogue.units import unit_name_problem
from gwgk.entries.history import missing_ids, with_ids
from gwgk.entries.model import Ledger, trusted_ledger
from gwgk.errors import ConflictError, DataError, Problem, UsageError
from gwgk.files import yamlio
from gwgk.files.commit import write_all
from gwgk.files.loader import located, read_file
from gwgk.files.storage import clean_stale_temps, fingerprint, locked_all
from gwgk.files.workspace import Workspace
from gwgk.ledger.applying import Change as Change  # re-exported: what every kind of entry builds
from gwgk.ledger.applying import applied_with_blocks
from gwgk.ledger.check import check
from gwgk.ledger.document import ids_written, needs_sync, new_text, parse, synced_text
from gwgk.ledger.parsing import forget_parsed
from gwgk.process.forked import shared_out

SUFFIX = ".yaml"


def ledger_path(ws: Workspace, unit: str) -> Path:
    """``ledgers/<unit>.yaml`` for a catalogue unit; never a path outside ``ledgers/``."""
    if unit_name_problem(unit) is not None:
        raise UsageError(f"单位名称“{unit}”不能用作文件名")
    path = ws.ledgers_dir / f"{unit}{SUFFIX}"
    if path.parent != ws.ledgers_dir:
        raise UsageError(f"单位名称“{unit}”不能用作文件名")
    return path


@dataclass
class LedgerFile:
    """A ledger as read: its text and bytes' fingerprint (None when the file does not exist yet)."""

    unit: str
    path: Path
    name: str
    text: str | None
    fingerprint: str | None
    ledger: Ledger | None
    bom: bool = False  # the file began with a UTF-8 byte-order mark
    newline: str = "\n"  # its line breaks, when all alike ("\r\n", "\r"); ``text`` has "\n"


def _layout(text: str) -> str:
    """The line break a file uses throughout ("\n", "\r\n" or "\r"); "\n" when mixed."""
    crlf = text.count("\r\n")
    if crlf and crlf == text.count("\n") == text.count("\r"):
        return "\r\n"
    if "\r" in text and "\n" not in text:
        return "\r"
    return "\n"


def _file_bytes(text: str, before: LedgerFile) -> bytes:
    """The bytes of ``text`` laid out as the file was: its byte-order mark and its line breaks."""
    if before.newline != "\n":
        text = text.replace("\n", before.newline)
    return (b"\xef\xbb\xbf" if before.bom else b"") + text.encode("utf-8")


def checked(text: str, name: str, catalogue: Catalogue, unit: str, *, require_sync: bool = False,
            dropping: bool = False, parsed: Ledger | None = None) -> Ledger:
    """Parse (unless ``parsed``, the ledger of ``text``, is given) and check against the catalogue;
    ``DataError`` listing every problem."""
    ledger = parsed if parsed is not None else parse(text, name)
    found = check(ledger, catalogue, unit, require_sync=require_sync, dropping=dropping)
    problems = [located(text, name, path, message) for path, message in found]
    if problems:
        raise DataError(f"台账 {name} 有错误，请先改正", problems)
    return ledger


def read(ws: Workspace, catalogue: Catalogue, unit: str, *, dropping: bool = False) -> LedgerFile:
    """The ledger file of ``unit`` as it is now (checked), or an absent one."""
    path = ledger_path(ws, unit)
    name = ws.name(path)
    if not path.exists():
        return LedgerFile(unit, path, name, None, None, None)
    raw, _ = read_file(path, name)
    text = yamlio.decode(raw, name)
    newline = _layout(text)
    if newline != "\n":  # edited as LF text; written back with the file's own line breaks
        text = text.replace(newline, "\n")
    return LedgerFile(unit, path, name, text, fingerprint(raw), checked(text, name, catalogue, unit, dropping=dropping),
                      raw.startswith(b"\xef\xbb\xbf"), newline)


def _cached_only(ws: Workspace, catalogue: Catalogue, file_key: dict[str, Any], name: str,
                 require_sync: bool) -> dict[str, Any] | None:
    """The cached plain data of the ledger whose bytes have ``file_key``, if the cache holds it."""
    from gwgk.files import cache

    wanted = catalogue.version + ("+sync" if require_sync else "")
    entry = cache.lookup(ws.cache_dir, name, file_key)
    if entry is not None and entry.get("checked_for") in (wanted, catalogue.version + "+sync"):
        data: dict[str, Any] = entry["data"]
        return data
    return None


def _cached_data(ws: Workspace, catalogue: Catalogue, unit: str, raw: bytes, file_key: dict[str, Any], name: str,
                 require_sync: bool, use_cache: bool = True, remember: bool = True) -> tuple[dict[str, Any], Ledger | None]:
    """One ledger for reading only, through the cache (unless ``use_cache`` is off): its plain data
    (``model_dump(mode="json", exclude_defaults=True)`` of what ``checked`` gives on its text), and
    the ``Ledger`` when it was parsed here rather than read from the cache (and then remembered,
    unless ``remember`` is off)."""
    from gwgk.files import cache

    wanted = catalogue.version + ("+sync" if require_sync else "")
    found = _cached_only(ws, catalogue, file_key, name, require_sync) if use_cache else None
    if found is not None:
        return found, None
    ledger = checked(yamlio.decode(raw, name), name, catalogue, unit, require_sync=require_sync)
    forget_parsed()  # a reader keeps the plain data, often not the ledger: nothing else should hold it
    data = ledger.model_dump(mode="json", exclude_defaults=True)
    if remember:
        cache.store(ws.cache_dir, name, file_key, data, wanted)
    return data, ledger


ABSENT: dict[str, Any] = {"absent": True}
T = TypeVar("T")
PARALLEL_FROM = 100  # units per extra process: fewer are not worth starting one
KEPT_BYTES = 32 * 1024 * 1024  # ledger bytes kept from keying to parsing (a group's are 2.5 MB in a city)


class LazyLedgers:
    """Every ledger of the workspace, read one at a time when asked for (through the cache), so
    that a report over ten thousand units never holds them all in memory. Problems found on the way
    are collected in ``problems``; a caller must look at them before trusting what it built."""

    def __init__(self, ws: Workspace, catalogue: Catalogue, *, require_sync: bool = False):
        self.ws, self.catalogue, self.require_sync = ws, catalogue, require_sync
        self.cache_dir = ws.cache_dir
        self.paths: dict[str, Path] = {}
        self.problems: list[Problem] = []
        self._read: dict[str, tuple[bytes, dict[str, Any]]] = {}  # bytes keyed and not yet parsed
        self._read_bytes = 0  # how many bytes ``_read`` holds
        self._keys: dict[str, dict[str, Any]] = {}  # the last key read of each ledger: see ``_data``
        self._folder = ws.name(ws.ledgers_dir)
        if not ws.ledgers_dir.is_dir():
            return
        # os.scandir, not Path.glob: a province has ten thousand ledgers
        for file_name in sorted(e.name for e in os.scandir(ws.ledgers_dir) if e.name.endswith(SUFFIX)):
            unit = file_name[: -len(SUFFIX)]
            path = ws.ledgers_dir / file_name
            if unit in catalogue.units:
                self.paths[unit] = path
                continue
            suggestion = catalogue.directory.suggest(unit, 1)
            hint = f"，是不是“{suggestion[0]}”？" if suggestion else ""
            self.problems.append(Problem(ws.name(path), None, None, f"目录中没有单位“{unit}”，这本台账不属于任何单位{hint}"))

    def name(self, unit: str) -> str:
        """How the ledger file of ``unit`` is shown (whether or not it exists)."""
        return f"{self._folder}/{unit}{SUFFIX}"

    def key(self, unit: str) -> dict[str, Any] | None:
        """The ledger file's cache key as it is now (``ABSENT`` if there is none; None if it cannot
        be read: see ``problems``). The bytes are kept for a ``get`` of the unit that follows (those
        of a group keyed together, up to ``KEPT_BYTES``)."""
        from gwgk.files import cache

        path = self.paths.get(unit)
        if path is None:
            return ABSENT
        self._forget(unit)
        try:
            raw, stat = read_file(path, self.name(unit))
        except DataError as exc:
            self.problems.extend(exc.problems or [Problem(self.name(unit), None, None, exc.message)])
            self._keys.pop(unit, None)
            return None
        file_key = cache.key(raw, stat)
        if self._read_bytes + len(raw) > KEPT_BYTES:
            self._forget()
        self._read[unit] = (raw, file_key)
        self._read_bytes += len(raw)
        self._keys[unit] = file_key
        return file_key

    def get(self, unit: str, default: Ledger | None = None) -> Ledger | None:
        """The ledger of ``unit`` (None if it has none, or if it is broken: see ``problems``)."""
        found = self._data(unit)
        if found is None:
            return default
        data, ledger = found
        if ledger is not None:
            return ledger
        try:
            return trusted_ledger(data)
        except Exception:  # noqa: BLE001 - an entry of another shape is untrusted input: read the file
            found = self._data(unit, use_cache=False)
            return default if found is None else found[1]

    def each_group(self, work: Callable[[LazyLedgers, list[str]], T], groups: list[list[str]]) -> list[tuple[T, list[Problem]]]:
        """``work(self, group)`` for each of ``groups`` (lists of units), in order, with the problems
        it found (also added to ``problems``, in group order). With enough units the groups are
        shared among one process per CPU (``process.forked``): each inherits the catalogue and
        everything read so far."""
        units = sum(len(group) for group in groups)
        start = len(self.problems)
        results = shared_out(lambda i: self._one(work, groups[i]), len(groups), min(4, units // PARALLEL_FROM))
        del self.problems[start:]  # a share done here added its own; all are put back in group order
        for _, problems in results:
            self.problems.extend(problems)
        return results

    def _one(self, work: Callable[[LazyLedgers, list[str]], Any], group: list[str]) -> tuple[Any, list[Problem]]:
        """``work(self, group)`` and the problems it added."""
        count = len(self.problems)
        try:
            return work(self, group), self.problems[count:]
        finally:
            self._forget()  # what the group's work did not parse

    def _forget(self, unit: str | None = None) -> tuple[bytes, dict[str, Any]] | None:
        """Drop the kept bytes of ``unit`` (of every unit: None), returning those of ``unit``."""
        if unit is None:
            self._read.clear()
            self._read_bytes = 0
            return None
        read = self._read.pop(unit, None)
        if read is not None:
            self._read_bytes -= len(read[0])
        return read

    def read_key(self, unit: str) -> dict[str, Any] | None:
        """The key of the bytes of ``unit``'s ledger last read in this run (``ABSENT`` if it has
        none; None if it has not been read, or could not be)."""
        return ABSENT if unit not in self.paths else self._keys.get(unit)

    def plain(self, unit: str, *, use_cache: bool = True) -> dict[str, Any] | None:
        """The ledger of ``unit`` as plain data (``Ledger.model_dump(mode="json", exclude_defaults=True)``),
        as timelines are made from it; None if it has none, or if it is broken (see ``problems``).
        Without ``use_cache``, parsed from the file whatever the cache holds (for data of a cache
        entry that the judgement could not read: the cache is untrusted input)."""
        found = self._data(unit, use_cache=use_cache)
        return None if found is None else found[0]

    def plain_parsed(self, unit: str, *, remember: bool = True) -> tuple[dict[str, Any] | None, bool]:
        """``plain(unit)``, and whether it was parsed from the file here (so it has the shape of a
        ``Ledger``) rather than read from the cache (untrusted input). Without ``remember``, data
        parsed here is not written to the cache."""
        found = self._data(unit, remember=remember)
        return (None, False) if found is None else (found[0], found[1] is not None)

    def _data(self, unit: str, use_cache: bool = True, remember: bool = True) -> tuple[dict[str, Any], Ledger | None] | None:
        path = self.paths.get(unit)
        if path is None:
            return None
        if use_cache and unit not in self._read and unit in self._keys:
            # keyed earlier in this run (a report keys every ledger first): the cache may hold the
            # data for those very bytes, which saves reading the file again
            data = _cached_only(self.ws, self.catalogue, self._keys[unit], self.name(unit), self.require_sync)
            if data is not None:
                return data, None
        if unit not in self._read:
            self.key(unit)
        read = self._forget(unit)
        if read is None:
            return None  # unreadable: the problem is recorded
        raw, file_key = read
        name = self.name(unit)
        try:
            return _cached_data(self.ws, self.catalogue, unit, raw, file_key, name, self.require_sync, use_cache, remember)
        except DataError as exc:
            self.problems.extend(exc.problems or [Problem(name, None, None, exc.message)])
            return None


def load_all(ws: Workspace, catalogue: Catalogue, *, require_sync: bool = False) -> tuple[dict[str, Ledger], list[Problem]]:
    """Every ledger in ``ledgers/`` by unit, and every problem found in any of them."""
    lazy = LazyLedgers(ws, catalogue, require_sync=require_sync)
    ledgers = {}
    for unit in lazy.paths:
        ledger = lazy.get(unit)
        if ledger is not None:
            ledgers[unit] = ledger
    return ledgers, lazy.problems


def current(ws: Workspace, catalogue: Catalogue, unit: str, *, dropping: bool = False) -> LedgerFile:
    """The ledger of ``unit`` as it is, after creating or syncing its file if that is needed
    (a ledger already in step with the catalogue is only read: no lock, no write)."""
    found = read(ws, catalogue, unit, dropping=dropping)
    if found.ledger is not None and not needs_sync(found.ledger, catalogue, unit):
        return found
    del found  # read again under the lock; the ledger written replaces it
    return update(ws, catalogue, unit, dropping=dropping)[0]


def update(ws: Workspace, catalogue: Catalogue, unit: str, change: Change | None = None, *,
           dropping: bool = False) -> tuple[LedgerFile, bool]:
    """Create or sync the ledger of ``unit`` and apply ``change``; returns the result and whether
    the file was written. Locked against other gwgk writers; refuses if the file changed meanwhile.
    """
    return update_all(ws, catalogue, {unit: change}, dropping=dropping)[unit]


def sync_all(ws: Workspace, catalogue: Catalogue, each: Callable[[str, Ledger | None], None] | None = None) -> dict[str, int]:
    """``gwgk ledger --all``: every unit's ledger created or synced with the catalogue (tasks it
    dropped marked), one at a time, and given to ``each`` (unit, ledger) when asked; how many were
    ``created``, ``synced`` and the ``same``."""
    counts = {"created": 0, "synced": 0, "same": 0}
    for name in catalogue.units:
        existed = ledger_path(ws, name).exists()
        result, written = update(ws, catalogue, name, dropping=True)
        counts["same" if not written else "synced" if existed else "created"] += 1
        if each is not None:
            each(name, result.ledger)
    return counts


def _lock_of(ws: Workspace, unit: str) -> tuple[Path, str]:
    path = ledger_path(ws, unit)
    return ws.locks_dir / f"{path.name}.lock", ws.name(path)


def update_all(ws: Workspace, catalogue: Catalogue, changes: dict[str, Change | None], *,
               dropping: bool = False, dry_run: bool = False) -> dict[str, tuple[LedgerFile, bool]]:
    """``update`` for several units, all or nothing: every lock is taken (in a fixed order) and
    every new text made and checked before the first file is written; any refusal writes none.
    ``dropping``: task ids the catalogue no longer knows are marked ``dropped`` (the explicit sync);
    ``dry_run``: everything made and checked, nothing written (each result says it was not)."""
    # a dry run takes no lock: it creates nothing, not even a lock file (each ledger is read whole,
    # as every writer replaces it whole)
    with contextlib.nullcontext() if dry_run else locked_all([_lock_of(ws, unit) for unit in changes]):
        if not dry_run:
            clean_stale_temps(ws.ledgers_dir)  # left by a writer that was killed mid-write
        planned = {unit: _planned(ws, catalogue, unit, change, dropping) for unit, change in changes.items()}
        written = {unit: _file_bytes(text, before) for unit, (before, text, _) in planned.items() if text is not None and text != before.text}
        for unit, data in written.items():
            if len(data) > yamlio.MAX_FILE_BYTES:  # gwgk would refuse to read what it wrote
                raise DataError(f"写入后 {planned[unit][0].name} 将有 {len(data)} 字节，超过上限 {yamlio.MAX_FILE_BYTES} 字节，"
                                "所有台账都没有改动；请把已办结的记录另存归档后再登记")
        # all or nothing: every new text beside its ledger first, then renamed into place under a journal
        if not dry_run:
            for unit in written:  # what a written ledger held before is not needed any more (16 MiB: 100 MB)
                planned[unit][0].ledger = None
            try:
                write_all([(planned[unit][0].path, data, planned[unit][0].fingerprint) for unit, data in written.items()],
                          ws.journal_dir, make_parents=True, follow_links=True)  # a symlinked ledger stays a link
            except ConflictError:
                if len(written) > 1:
                    raise  # it names the ledgers kept as they were (those written are listed after it)
                names = "、".join(planned[unit][0].name for unit in written)
                raise ConflictError(f"{names} 在执行期间被修改（可能有人正在手工编辑），为免覆盖，没有写入；请重新运行") from None
        results: dict[str, tuple[LedgerFile, bool]] = {}
        for unit, (before, text, current) in planned.items():
            if unit not in written or dry_run:
                results[unit] = (before, False)
                continue
            data = written[unit]
            results[unit] = (LedgerFile(unit, before.path, before.name, text, fingerprint(data), current, before.bom, before.newline), True)
        return results


def _planned(ws: Workspace, catalogue: Catalogue, unit: str, change: Change | None, dropping: bool) -> tuple[LedgerFile, str | None, Ledger]:
    """The ledger of ``unit`` as read, its new text (created, synced, changed; None: there is no
    ledger and the change left it so) and that text's ledger."""
    before = read(ws, catalogue, unit, dropping=dropping)
    text = before.text if before.text is not None else new_text(catalogue, unit, int(ws.plan_folder) if ws.plan_folder else None)
    current = before.ledger if before.ledger is not None else checked(text, before.name, catalogue, unit, dropping=dropping)
    # only a ledger's creation and the explicit sync (no change: ``gwgk ledger``) change its generated
    # fields; an entry written into an existing ledger leaves a hand edit of them as it is (``validate`` reports it)
    if (change is None or before.text is None) and needs_sync(current, catalogue, unit):
        text, synced = synced_text(text, current, catalogue, unit, before.name)
        current = checked(text, before.name, catalogue, unit, dropping=dropping, parsed=synced)
    if change is not None:
        if missing_ids(current):  # ids are written before an entry refers to one of them
            expected = with_ids(current)
            text = ids_written(text, current, before.name)
            current = checked(text, before.name, catalogue, unit)
            if current != expected:
                raise DataError(f"无法安全地为 {before.name} 中的条目编号，文件没有改动")
        made = text
        text = applied_with_blocks(change, text, current, catalogue, unit, before.name,
                                   lambda new, synced: checked(new, before.name, catalogue, unit, dropping=dropping, parsed=synced))
        if before.text is None and text == made:
            return before, None, current  # nothing to write (a bulk change that skipped the unit): no ledger made for it
        current = checked(text, before.name, catalogue, unit)
    return before, text, current
