"""Entries derived from workspace files, under ``.gwgk/cache/<kind>/``, so that reading every ledger
is fast: parsed ledgers (``ledgers``), the catalogue files' parsed data (``data``, see ``loader``),
and, per group of units, their timelines (``timelines``) and their findings as of the last day
asked (``findings``), see ``reports.remembered``.

Why JSON: it is read by a C parser (about ten times faster than even libyaml here), it can only
ever produce plain data (a pickle left in a shared office folder could run code), and a person can
open it. Each entry is keyed on its file's size, mtime and SHA-256 (a group's entries on every
ledger's, each timeline next to the key it was made from), so it is never trusted over the file:
any change to the file, even one that keeps size and mtime, is a miss. A ledger entry also records
whether the data passed the catalogue check, and for which catalogue version.

Entries also carry a stamp of gwgk's own code and of chinesecalendar's holiday data (the size and
mtime of their modules), so an upgrade or an edit of either, which may judge the same data
differently, never meets an entry it did not write.

The cache is best-effort: a missing, stale, corrupt or unwritable entry is rebuilt silently (or
not at all), and two processes filling the same entry at once each write a whole file atomically.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import stat
from pathlib import Path
from typing import Any

from gwgk.files.storage import write_atomic
from gwgk.process.collector import collector_paused

FORMAT = 4
LEDGERS = "ledgers"


@functools.cache
def code_stamp() -> str:
    """A fingerprint of the installed gwgk modules and of the holiday data it counts working days
    with (names, sizes, mtimes): timelines and findings hold due dates counted in working days."""
    package = Path(__file__).parent.parent
    folders = [package, *sorted(p for p in package.iterdir() if (p / "__init__.py").is_file())]
    calendar = importlib.util.find_spec("chinese_calendar")
    if calendar is not None and calendar.origin:
        folders.append(Path(calendar.origin).parent)
    parts = []
    for folder in folders:
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.name.endswith(".py"):
                stat = entry.stat()
                parts.append(f"{folder.name}/{entry.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def entry_path(cache_dir: Path, name: str, kind: str = LEDGERS) -> Path:
    """The cache file of kind ``kind`` (a folder) for the ledger shown as ``name``."""
    return Path(_entry_file(str(cache_dir), name, kind))


def _entry_file(cache_dir: str, name: str, kind: str) -> str:
    # plain strings: pathlib's joins cost a province 0.4 s
    return os.path.join(cache_dir, kind, hashlib.sha256(name.encode("utf-8")).hexdigest()[:24] + ".json")


def key(raw: bytes, stat: os.stat_result) -> dict[str, Any]:
    """What an entry must match: size, mtime and content hash of the file's bytes."""
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": hashlib.sha256(raw).hexdigest()}


def lookup(cache_dir: Path | None, name: str, file_key: dict[str, Any], kind: str = LEDGERS) -> dict[str, Any] | None:
    """The cached entry for this exact file content (and this gwgk), or None.

    An entry is two lines: a header (format, code stamp, key, ``checked_for``, and the SHA-256 of
    the second line) and the data. Data whose hash does not match, torn or altered, is not used.
    The entry is untrusted input: a symlink, FIFO or device, an entry over ``MAX_ENTRY_BYTES`` and
    JSON nested too deep for the parser are each simply a miss. (A well-formed entry whose hashes
    match is believed: README's 可靠性与安全 says what that allows, and ``--no-cache`` avoids it.)
    """
    if cache_dir is None:
        return None
    try:
        raw = _read_entry(_entry_file(str(cache_dir), name, kind))
        head, _, body = raw.partition(b"\n")
        header = json.loads(head)
        if (not isinstance(header, dict) or header.get("format") != FORMAT or header.get("code") != code_stamp()
                or header.get("key") != file_key or header.get("sha256") != hashlib.sha256(body).hexdigest()):
            return None
        with collector_paused():  # JSON makes no cycles
            data = json.loads(body)
    except (OSError, ValueError, RecursionError, MemoryError):
        return None
    return {**header, "data": data}


MAX_ENTRY_BYTES = 64 * 1024 * 1024


def _read_entry(file: str) -> bytes:
    """The bytes of a cache entry that is a plain regular file (not a link, FIFO or device)."""
    fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
            raise OSError("not a plain cache entry")
        with open(fd, "rb", closefd=False) as handle:
            raw = handle.read(MAX_ENTRY_BYTES + 1)
    finally:
        os.close(fd)
    if len(raw) > MAX_ENTRY_BYTES:
        raise OSError("cache entry too large")
    return raw


def store(cache_dir: Path | None, name: str, file_key: dict[str, Any], data: Any, checked_for: str | None, kind: str = LEDGERS) -> None:
    """Remember ``data`` for this file content (silently does nothing where it cannot write)."""
    if cache_dir is None:
        return
    try:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        if len(body) > MAX_ENTRY_BYTES:
            return  # ``lookup`` would refuse it: writing it would only cost time
        header = {"format": FORMAT, "code": code_stamp(), "key": file_key, "checked_for": checked_for,
                  "sha256": hashlib.sha256(body).hexdigest()}
        text = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n" + body
        # No fsync: an entry torn by a power cut fails its hash, and is rebuilt.
        write_atomic(entry_path(cache_dir, name, kind), text, make_parents=True, durable=False)
    except Exception:  # noqa: BLE001 - a read-only workspace simply goes without a cache
        pass
