"""Replacing a file only if it still holds what was read: the replace itself is the check.

On Linux, ``renameat2(RENAME_EXCHANGE)`` swaps the new file and the old one in one step; the old
file, now under the temp name, is compared with what was read, and swapped back on a mismatch, so
an edit made before the swap is kept. A file that did not exist is created with
``RENAME_NOREPLACE``, so one created meanwhile is never replaced. Elsewhere the comparison is made
right before ``os.replace``: the narrowest window without kernel help.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

AT_FDCWD = -100
RENAME_NOREPLACE = 1
RENAME_EXCHANGE = 2


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # here, not at the top: only a write needs it, and it costs start-up time

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)  # the C library the interpreter already uses
        function = libc.renameat2
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        function.restype = ctypes.c_int
        return function
    return None


def _rename(old: Path, new: Path, flags: int) -> None:
    import ctypes

    function = _renameat2()
    assert function is not None
    if function(AT_FDCWD, os.fsencode(old), AT_FDCWD, os.fsencode(new), flags) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(new))


def _read(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def replace_if(new: Path, path: Path, still_same: Callable[[bytes | None], bool]) -> bool:
    """Move ``new`` over ``path`` if ``still_same(bytes of path, or None if absent)``; False (and
    ``path`` untouched, ``new`` left in place) otherwise."""
    if _renameat2() is not None:
        try:
            return _exchange(new, path, still_same)
        except OSError as exc:
            if exc.errno not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
                raise
    if not still_same(_read(path)):
        return False
    os.replace(new, path)
    return True


GRACE_SECONDS = 0.005
WRITER_WAIT_SECONDS = 0.5  # a writer still holding the old file then: refuse, keep theirs


def _exchange(new: Path, path: Path, still_same: Callable[[bytes | None], bool]) -> bool:
    ours = _read(new)
    try:
        _rename(new, path, RENAME_EXCHANGE)
    except FileNotFoundError:
        if not still_same(None):
            return False
        try:
            _rename(new, path, RENAME_NOREPLACE)
        except FileExistsError:
            return False  # created meanwhile: theirs is kept
        return True
    old = _read(new)  # ``new`` now names the file that was in place
    if still_same(old) and _unchanged_since(new, old):
        return not _late_edit(new, path, old, ours)
    _swap_back(new, path, ours)
    return False


def _swap_back(new: Path, path: Path, ours: bytes | None) -> None:
    """Theirs back in place and ours back under the temp name; anything a writer appended to ours
    while it was in place (it opened the path after the swap) is appended to theirs, not lost."""
    _rename(new, path, RENAME_EXCHANGE)
    _wait_for_writers(new)  # a writer that opened ours before the swap back finishes into it
    now = _read(new)
    if now is not None and ours is not None and len(now) > len(ours) and now.startswith(ours):
        with open(path, "ab") as handle:
            handle.write(now[len(ours):])


def _wait_for_writers(path: Path) -> float:
    """Wait (up to ``WRITER_WAIT_SECONDS``) while another process holds ``path`` open for writing;
    returns how long it waited."""
    waited = 0.0
    while _open_for_writing(path) is True and waited < WRITER_WAIT_SECONDS:
        time.sleep(GRACE_SECONDS)
        waited += GRACE_SECONDS
    return waited


def _late_edit(new: Path, path: Path, old: bytes | None, ours: bytes | None) -> bool:
    """Whether a writer that opened the old file just before the swap wrote into it after it was
    compared (an editor's open-append-close straddling the swap). It is given a moment; if it did,
    the old file, with its edit, goes back in place, and what reached ours meanwhile (appends by a
    writer that opened the path after the swap) is appended to it, so that no edit is lost and the
    write is refused as a conflict."""
    if _open_for_writing(new) is None:
        time.sleep(GRACE_SECONDS)  # no lease check where leases are not supported: a moment anyway
    waited = _wait_for_writers(new)
    if _unchanged_since(new, old) and waited < WRITER_WAIT_SECONDS:
        return False
    _swap_back(new, path, ours)
    return True


def _open_for_writing(path: Path) -> bool | None:
    """Whether another process holds ``path`` open for writing: a read lease is refused then
    (``fcntl(F_SETLEASE)``, Linux). None where leases are not available to tell."""
    try:
        import fcntl
    except ImportError:  # Windows
        return None
    if not hasattr(fcntl, "F_SETLEASE"):
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_RDLCK)
        fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_UNLCK)
        return False
    except OSError as exc:
        return True if exc.errno in (errno.EAGAIN, errno.EBUSY) else None
    finally:
        os.close(fd)


def _unchanged_since(path: Path, seen: bytes | None) -> bool:
    """Whether ``path`` still holds exactly the bytes it held when read: an edit in place of the same
    length (an editor overwriting the file it opened before the swap) changes no size, so the
    content itself is compared."""
    try:
        return seen is not None and _read(path) == seen
    except OSError:
        return False
