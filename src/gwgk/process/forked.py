"""Work shared among processes forked from this one, so a report over many units uses every CPU.

A forked child inherits everything read so far (the catalogue, the ledgers' keys) at no cost and
sends back what it did, pickled, through a pipe; the parent does a share of its own meanwhile. A
child that fails (an exception, a kill) has its share done again in the parent, where any error
surfaces as usual. Only on Linux: macOS's system libraries are not safe to fork, and Windows has no
fork; there, and for little work, everything is done here, in order.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def shared_out(work: Callable[[int], T], count: int, processes: int) -> list[T]:
    """``[work(i) for i in range(count)]``, shared among up to ``processes`` processes (one per CPU
    at most), this one included."""
    processes = min(processes, os.cpu_count() or 1, count)
    if processes < 2 or not sys.platform.startswith("linux"):
        return [work(i) for i in range(count)]
    shares = [list(range(count))[p::processes] for p in range(processes)]
    pending = [(_forked(work, share), share) for share in shares[1:]]
    results: list[Any] = [None] * count
    try:
        for i in shares[0]:
            results[i] = work(i)
        while pending:
            child, share = pending[0]
            sent = _sent_back(child)
            del pending[0]
            for n, i in enumerate(share):
                results[i] = sent[n] if sent is not None else work(i)
    finally:
        for child, _ in pending:  # after an error here: no child is left blocked on a pipe nobody reads
            _ended(child)
    return results


def _forked(work: Callable[[int], Any], share: list[int]) -> tuple[int, int] | None:
    """A child process doing ``work`` on each of ``share``: its pid and the pipe it answers on (None:
    no process to be had)."""
    try:
        read, write = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid:
        os.close(write)
        return pid, read
    status = 1
    try:  # the child: never return into the parent's code, nor run its exit handlers
        os.close(read)
        data = pickle.dumps([work(i) for i in share], protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write, "wb") as answer:
            answer.write(data)
        status = 0
    finally:
        os._exit(status)


def _ended(child: tuple[int, int] | None) -> None:
    """Stop a child of ``_forked`` whose answer is not wanted, and reap it."""
    if child is None:
        return
    pid, read = child
    os.close(read)  # a child still writing gets a broken pipe and ends
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def _sent_back(child: tuple[int, int] | None) -> list[Any] | None:
    """What a child of ``_forked`` sent back, once it has ended; None if it failed."""
    if child is None:
        return None
    pid, read = child
    with os.fdopen(read, "rb") as answer:
        data = answer.read()
    _, status = os.waitpid(pid, 0)
    return pickle.loads(data) if status == 0 and data else None  # our own child's answer, never a file's
