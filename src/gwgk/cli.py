"""Entry point of the ``gwgk`` command."""

from __future__ import annotations

import contextlib
import os
import sys

from gwgk.commands import catalogue as _catalogue  # noqa: F401 - registers commands
from gwgk.commands import ledger as _ledger  # noqa: F401
from gwgk.commands import log as _log  # noqa: F401
from gwgk.commands import plans as _plans  # noqa: F401
from gwgk.commands import remind as _remind  # noqa: F401
from gwgk.commands import reports as _reports  # noqa: F401
from gwgk.commands import review as _review  # noqa: F401
from gwgk.commands import workbook as _workbook  # noqa: F401
from gwgk.commands.app import app


def main() -> None:
    """Run gwgk with the process's arguments; exits (``SystemExit``) 0, 1 or 2."""
    app()


def run() -> None:
    """The ``gwgk`` process (the command and ``python -m gwgk``): ``main``, and then the process ends
    at once (``os._exit``) once its output is flushed.

    A normal exit frees every object of the heap one by one, a tenth of a new day's 回头看 over a
    thousand units (50 ms), and nothing needs it: files are written and closed, locks are the
    system's, forked children reaped. Under a tracer or profiler, or with coverage loaded (which
    may measure through ``sys.monitoring``), the exit is the normal one, so that they still write
    what they gathered; code that embeds gwgk calls ``main``, which returns by ``SystemExit``.
    """
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:  # started with it closed (>&-, 2>&-, no console): nothing shows, nothing fails
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives until exit
    try:
        main()
    except SystemExit as exc:
        measured = sys.gettrace() or sys.getprofile() or "coverage" in sys.modules
        if not (exc.code is None or isinstance(exc.code, int)) or measured:
            raise
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a closed pipe was reported by the command
                stream.flush()
        os._exit(exc.code or 0)


if __name__ == "__main__":
    run()
