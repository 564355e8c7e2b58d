"""gwgk's 回头看 against Taskwarrior's ``overdue`` on as many tasks as the workspace has records.

Used by ``python benchmarks/run.py --vs-taskwarrior``. Taskwarrior (the ``task`` command, from the
system's package manager) gets one task per ledger record, 30% of them pending, their due dates
spread over the plan's year, imported in bulk (``task import`` of one JSON file, hooks and garbage
collection off) into a temporary TASKDATA. Each path runs gwgk and Taskwarrior in turn, so a drift
in the machine's speed affects both alike, and prints the ratio of the medians:

* a new as-of day: parsed ledgers and their timelines cached, findings not (``.gwgk/cache/findings``
  removed before each run);
* no cache at all (``.gwgk`` removed before each run);
* the same day again (everything cached).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from make_workspace import make

GWGK = [sys.executable, "-m", "gwgk"]
PENDING_SHARE = 0.3


def _timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    """Seconds of one whole run of ``cmd`` (start-up included), measured by a fresh process."""
    probe = ("import subprocess, sys, time; t = time.perf_counter();"
             "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
             "print(time.perf_counter() - t, p.returncode)")
    out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True, check=True, env=env).stdout.split()
    if out[1] not in ("0", "1"):
        raise SystemExit(f"command failed ({out[1]}): {' '.join(cmd)}")
    return float(out[0])


def record_count(ws: Path) -> int:
    """How many records the workspace's ledgers hold (make_workspace writes each as ``      - date:``)."""
    return sum(p.read_text(encoding="utf-8").count("\n      - date: ") for p in (ws / "ledgers").glob("*.yaml"))


def taskwarrior_tasks(count: int, start: dt.date, end: dt.date, seed: int = 2021) -> list[dict[str, str]]:
    """``count`` tasks: 30% pending, the rest completed, due dates spread over ``start``..``end``."""
    rng = random.Random(seed)
    span = (end - start).days + 1
    tasks = []
    for n in range(count):
        due = (start + dt.timedelta(days=rng.randrange(span))).strftime("%Y%m%dT000000Z")
        task = {"uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "description": f"任务 {n}",
                "project": f"unit{n // 100}", "entry": start.strftime("%Y%m%dT000000Z"), "due": due}
        if rng.random() < PENDING_SHARE:
            task["status"] = "pending"
        else:
            task.update(status="completed", end=due)
        tasks.append(task)
    return tasks


def compare(units: int, records: int, runs: int) -> None:
    """Build both sides, run the three paths alternating the two commands, print the ratios."""
    if shutil.which("task") is None:
        print("跳过:没有找到 Taskwarrior(task 命令);请先安装,如 apt-get install taskwarrior。"
              " Skipped: Taskwarrior's `task` is not installed.")
        return
    work = Path(tempfile.mkdtemp(prefix="gwgk-vs-task-"))
    try:
        ws = work / "ws"
        make(ws, units, records)
        count = record_count(ws)
        env = {**os.environ, "TASKDATA": str(work / "taskdata"), "TASKRC": os.devnull}
        (work / "taskdata").mkdir()
        (work / "tasks.json").write_text(json.dumps(taskwarrior_tasks(count, dt.date(2021, 1, 1), dt.date(2021, 12, 31)),
                                                    ensure_ascii=False), encoding="utf-8")
        subprocess.run(["task", "rc.hooks=off", "rc.gc=off", "rc.confirmation=off", "import", str(work / "tasks.json")],
                       env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        task = ["task", "rc.hooks=off", "rc.gc=off", "overdue"]
        print(f"{units} units x {records} records: {count} records, {count} Taskwarrior tasks", flush=True)
        days = iter(f"2021-{m:02d}-{d:02d}" for d in range(1, 29) for m in (10, 11, 12))

        def overdue(day: str) -> list[str]:
            return [*GWGK, "-w", str(ws), "overdue", "--as-of", day, "--format", "csv", "--output", str(work / "o.csv")]

        _timed(overdue("2021-10-08"))  # fills the caches
        paths = [
            ("a new as-of day (timelines cached, findings not)", lambda: shutil.rmtree(ws / ".gwgk/cache/findings", ignore_errors=True), True),
            ("no cache at all", lambda: shutil.rmtree(ws / ".gwgk", ignore_errors=True), True),
            ("the same day again", None, False),
        ]
        print("\n| path | gwgk | Taskwarrior | ratio |\n|---|---|---|---|")
        for label, before, new_day in paths:
            ours, theirs = [], []
            same = overdue("2021-10-08")
            _timed(same)
            for _ in range(runs):
                if before:
                    before()
                ours.append(_timed(overdue(next(days)) if new_day else same))
                theirs.append(_timed(task, env))
            a, b = statistics.median(ours), statistics.median(theirs)
            print(f"| {label} | {a:.2f} s | {b:.2f} s | {a / b:.2f}x |", flush=True)
        print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} CPUs, {dt.date.today()}, {runs} runs each, medians")
    finally:
        shutil.rmtree(work, ignore_errors=True)
