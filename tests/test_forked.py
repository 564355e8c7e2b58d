"""Work shared among forked processes (``process.forked``): results in order, a failing child's share
done again here, and no child left behind when this process's own share fails."""

from __future__ import annotations

import os
import signal
import sys

import pytest

from gwgk.process.forked import shared_out

LINUX = sys.platform.startswith("linux")


def test_results_come_back_in_order_from_every_process():
    pids = shared_out(lambda i: (i, os.getpid()), 9, 3)
    assert [i for i, _ in pids] == list(range(9))
    if LINUX and (os.cpu_count() or 1) >= 2:
        assert len({pid for _, pid in pids}) >= 2  # shared out, not done in one process
        assert pids[0][1] == os.getpid()  # this process takes the first share


def test_a_child_that_fails_has_its_share_done_here():
    parent = os.getpid()

    def work(i: int) -> int:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer would
        return i * i

    assert shared_out(work, 8, 2) == [i * i for i in range(8)]


@pytest.mark.skipif(not LINUX, reason="children are forked on Linux only; elsewhere the work is done here")
def test_an_error_here_leaves_no_child_blocked_or_unreaped():
    parent = os.getpid()

    def work(i: int) -> bytes:
        if os.getpid() == parent:
            raise MemoryError("this process's share fails")
        return b"x" * 1_000_000  # more than a pipe holds: the child blocks until it is read

    signal.alarm(20)  # a hang fails the test instead of the suite
    try:
        with pytest.raises(MemoryError):
            shared_out(work, 4, 2)
    finally:
        signal.alarm(0)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # every child has been reaped
