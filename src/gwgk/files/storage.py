"""Writing files so that nothing is ever half-written or silently overwritten.

* ``write_atomic``: temp file in the same folder, flushed and fsynced, then ``os.replace``.
* ``locked``: an exclusive ``filelock`` per file (``<file>.lock``), so concurrent writers queue.
* ``fingerprint``: what a file looked like when read, to refuse writing over a change made since.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from gwgk.errors import ConflictError, GwgkError, UsageError

LOCK_TIMEOUT_SECONDS = 30.0
TEMP_PREFIX = ".gwgk-tmp-"


def write_atomic(path: Path, data: bytes, *, make_parents: bool = False, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` in one step; on any failure the old file is untouched.

    ``durable=False`` skips the fsync: for files that may be lost in a power cut (cache entries).
    """
    folder = path.parent
    if make_parents:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"无法创建文件夹“{folder}”:{exc.strerror or exc}") from None
    if path.is_dir():
        raise UsageError(f"“{path}”是一个文件夹,不能写成文件")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX + path.name + ".", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if path.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp_name, path.stat().st_mode & 0o777)
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise GwgkError(f"写入“{path}”失败,原文件未改动:{exc.strerror or exc}") from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


@contextlib.contextmanager
def locked(lock_file: Path, what: str, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the exclusive lock ``lock_file`` (guarding the file named ``what``) for the block.

    The lock is an OS lock (``fcntl``/``msvcrt``), so a killed process releases it: a stale
    lock file left behind never blocks the next run.
    """
    from filelock import FileLock, Timeout

    try:
        lock_file.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GwgkError(f"无法创建锁文件夹“{lock_file.parent}”:{exc.strerror or exc}") from None
    lock = FileLock(str(lock_file), timeout=timeout)
    try:
        with lock:
            yield
    except Timeout:
        raise ConflictError(f"“{what}”正被另一个 gwgk 进程写入,等待 {timeout:.0f} 秒后仍未释放,请稍后再试") from None


def fingerprint(data: bytes) -> str:
    """A short content hash, to tell whether a file changed between read and write."""
    return hashlib.sha256(data).hexdigest()


def clean_stale_temps(folder: Path, older_than_seconds: float = 3600.0, now: float | None = None) -> int:
    """Remove temp files a killed writer left behind (only ours, only old ones); returns how many."""
    import time

    now = time.time() if now is None else now
    removed = 0
    if not folder.is_dir():
        return 0
    for path in folder.glob(TEMP_PREFIX + "*"):
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > older_than_seconds:
                path.unlink()
                removed += 1
    return removed
