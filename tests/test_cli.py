"""The ``gwgk`` process: its output whole and its exit code kept when it ends at once (``cli.run``)."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import run_cli

OVERDUE = ("overdue", "--as-of", "2021-10-08", "--format", "json")


def process(ws: Path, *args: str, code: str | None = None) -> subprocess.CompletedProcess:
    """``python -m gwgk ARGS`` (or the Python ``code`` with those arguments) in the workspace ``ws``."""
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "gwgk", *args]
    return subprocess.run(command, env={**os.environ, "GWGK_WORKSPACE": str(ws)}, capture_output=True, timeout=120, check=False)


def test_a_report_larger_than_the_pipe_arrives_whole_with_its_exit_code(demo: Path):
    expected = run_cli(*OVERDUE, workspace=demo)
    assert expected.code == 0 and len(expected.out.encode()) > 256 * 1024  # more than the pipe and stdio buffers hold
    done = process(demo, *OVERDUE)
    assert (done.returncode, done.stdout.decode(), done.stderr.decode()) == (0, expected.out, "")
    checked = process(demo, *OVERDUE, "--check")
    assert checked.returncode == 1 and checked.stdout.decode() == expected.out


def closed(ws: Path, closing: str, *args: str) -> int:
    """The exit code of ``python -m gwgk ARGS`` started with a standard stream closed (``closing``:
    ``>&-``, ``2>&-`` or both, as a cron line or a console-less start leaves them)."""
    line = " ".join([shlex.quote(sys.executable), "-m", "gwgk", *map(shlex.quote, args), closing])
    return subprocess.run(["sh", "-c", line], env={**os.environ, "GWGK_WORKSPACE": str(ws)}, capture_output=True,
                          timeout=120, check=False).returncode


@pytest.mark.parametrize("closing", [">/dev/null 2>&-", ">&-", ">&- 2>&-"])
def test_a_closed_standard_stream_changes_no_exit_code(demo: Path, closing: str):
    assert closed(demo, closing, "tasks") == 0
    assert closed(demo, closing, *OVERDUE, "--output", str(demo / "o.json")) == 0
    assert (demo / "o.json").read_text(encoding="utf-8") == run_cli(*OVERDUE, workspace=demo).out
    assert closed(demo, closing, *OVERDUE, "--check") == 1
    assert closed(demo, closing, "overdue", "--as-of", "2021-02-30") == 2


def test_a_refusal_ends_with_2_and_its_whole_message(demo: Path):
    done = process(demo, "overdue", "--as-of", "2021-02-30")
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.decode().strip() == run_cli("overdue", "--as-of", "2021-02-30", workspace=demo).err.strip()


MARKED = """
import atexit, sys
atexit.register(lambda: print("atexit ran", file=sys.stderr))
{tracer}
from gwgk.cli import run
sys.argv = ["gwgk", *sys.argv[1:]]
run()
"""


def test_the_process_ends_at_once_unless_traced(demo: Path):
    """No exit handler runs after a command (the heap is not freed object by object), except under a
    tracer or profiler or with coverage loaded, whose own handlers must still write what they gathered."""
    fast = process(demo, "tasks", code=MARKED.format(tracer=""))
    traced = process(demo, "tasks", code=MARKED.format(tracer="sys.settrace(lambda *args: None)"))
    profiled = process(demo, "tasks", code=MARKED.format(tracer="sys.setprofile(lambda *args: None)"))
    # coverage may measure through sys.monitoring, which sets neither
    covered = process(demo, "tasks", code=MARKED.format(tracer="import types; sys.modules['coverage'] = types.ModuleType('coverage')"))
    assert fast.returncode == traced.returncode == profiled.returncode == covered.returncode == 0
    assert fast.stdout == traced.stdout == profiled.stdout == covered.stdout and b"33" in fast.stdout
    assert fast.stderr == b""
    assert traced.stderr.decode() == profiled.stderr.decode() == covered.stderr.decode() == "atexit ran\n"


def test_main_returns_by_system_exit_for_code_that_embeds_gwgk(demo: Path):
    embedded = process(demo, "tasks", code=MARKED.replace("run", "main").format(tracer="")
                       .replace("main()", "try:\n    main()\nexcept SystemExit as exc:\n    print('exit', exc.code, file=sys.stderr)"))
    assert embedded.returncode == 0 and embedded.stderr.decode() == "exit 0\natexit ran\n"
