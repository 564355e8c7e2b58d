"""A cache of parsed ledger files under ``.gwgk/cache/`` so that reading every ledger is fast.

Why JSON: it is read by a C parser (about ten times faster than even libyaml here), it can only
ever produce plain data (a pickle left in a shared office folder could run code), and a person can
open it. Each entry is keyed on the file's size, mtime and SHA-256, so it is never trusted over
the file: any change to the file, even one that keeps size and mtime, is a miss. An entry also
records whether the data passed the catalogue check, and for which catalogue version.

The cache is best-effort: a missing, stale, corrupt or unwritable entry is rebuilt silently (or
not at all), and two processes filling the same entry at once each write a whole file atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .storage import write_atomic

FORMAT = 2


def entry_path(cache_dir: Path, name: str) -> Path:
    """The cache file of the ledger shown as ``name``."""
    return cache_dir / "ledgers" / (hashlib.sha256(name.encode("utf-8")).hexdigest()[:24] + ".json")


def key(raw: bytes, stat: os.stat_result) -> dict[str, Any]:
    """What an entry must match: size, mtime and content hash of the file's bytes."""
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": hashlib.sha256(raw).hexdigest()}


def lookup(cache_dir: Path, name: str, file_key: dict[str, Any]) -> dict[str, Any] | None:
    """The cached entry for this exact file content, or None."""
    try:
        entry = json.loads(entry_path(cache_dir, name).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("key") != file_key:
        return None
    return entry


def store(cache_dir: Path, name: str, file_key: dict[str, Any], data: Any, checked_for: str | None) -> None:
    """Remember ``data`` for this file content (silently does nothing where it cannot write)."""
    entry = {"format": FORMAT, "key": file_key, "checked_for": checked_for, "data": data}
    try:
        write_atomic(entry_path(cache_dir, name), json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), make_parents=True)
    except Exception:  # noqa: BLE001 - a read-only workspace simply goes without a cache
        pass
