"""Append-only logs: one JSON object a line (``log/reminders.jsonl``, ``log/workbooks.jsonl``).

gwgk only ever appends to a log: each entry is written whole with one ``write`` on a file opened
for appending, under the log's lock, and flushed to disk before the command goes on. A last line
without its newline is what a crash mid-write leaves: it is ignored when read (and the next entry
starts on a new line); any other line that is not a JSON object is a located problem.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from gwgk.errors import DataError, GwgkError, Problem
from gwgk.files.storage import locked

MAX_LOG_BYTES = 64 * 1024 * 1024


def _lock_of(path: Path, root: Path) -> Path:
    return root / ".gwgk" / "locks" / f"{path.name}.lock"


def append(path: Path, entries: list[dict[str, Any]], root: Path, name: str) -> None:
    """Append ``entries`` to the log ``path`` (made with its folder if missing), durably."""
    if not entries:
        return
    text = "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in entries)
    with locked(_lock_of(path, root), name):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except OSError as exc:
            raise GwgkError(f"无法写入记录文件“{name}”：{exc.strerror or exc}") from None
        try:
            size = os.fstat(fd).st_size
            if size:  # a torn last line from a crash: begin on a line of our own
                with open(path, "rb") as handle:
                    handle.seek(size - 1)
                    if handle.read(1) != b"\n":
                        text = "\n" + text
            os.write(fd, text.encode("utf-8"))
            os.fsync(fd)
        except OSError as exc:
            raise GwgkError(f"无法写入记录文件“{name}”：{exc.strerror or exc}") from None
        finally:
            os.close(fd)


def read(path: Path, name: str) -> list[tuple[int, dict[str, Any]]]:
    """Every entry of the log ``path`` in order with its line number ([] when there is none yet); a
    line that is not a JSON object is a located problem (``DataError``, all of them at once)."""
    from gwgk.files.loader import read_regular

    try:
        raw, _ = read_regular(path, MAX_LOG_BYTES)
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise DataError("无法读取记录文件", [Problem(name, None, None, f"无法读取：{exc.strerror or exc}")]) from None
    if len(raw) > MAX_LOG_BYTES:
        raise DataError("记录文件太大", [Problem(name, None, None, f"超过 {MAX_LOG_BYTES // 1024 // 1024} MB，请把旧记录另存后再运行")])
    lines = raw.split(b"\n")
    torn = lines.pop()  # b"" after a final newline; otherwise an entry a crash cut short
    del torn
    out: list[tuple[int, dict[str, Any]]] = []
    problems: list[Problem] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            problems.append(Problem(name, number, 1, "这一行不是有效的记录（JSON），gwgk 只追加记录，请不要手工修改这个文件"))
            continue
        if not isinstance(entry, dict):
            problems.append(Problem(name, number, 1, "这一行不是一条记录（应为 JSON 对象）"))
            continue
        out.append((number, entry))
    if problems:
        raise DataError(f"记录文件 {name} 有损坏的行", problems)
    return out
