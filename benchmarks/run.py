"""The performance benchmark: every target of issue 7 measured on this machine, in one run.

    python benchmarks/run.py            # everything, including the 1,000,000-record province (~10 min)
    python benchmarks/run.py --quick    # without the province
    python benchmarks/run.py --vs-taskwarrior   # gwgk against Taskwarrior on as many tasks as records

Times are medians of whole processes (start-up included); peak memory is the child's max RSS.
Each figure is printed with its reference, measured in the same run, and the verdict.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from make_workspace import make  # noqa: E402

GWGK = [sys.executable, "-m", "gwgk"]
# Issue 7 measured a minimal typer app's --help at 127 ms on this kind of machine. Its fixed-second
# targets are also shown scaled by how fast the machine is in this run (floor / 127 ms): a shared
# VM's speed varies from run to run, and the ratio targets are immune to that anyway.
ISSUE_FLOOR = 0.127

MINIMAL_APP = '''
import typer
app = typer.Typer(add_completion=False, no_args_is_help=True)
tasks = typer.Typer(invoke_without_command=True)
app.add_typer(tasks, name="tasks")

@app.callback()
def root(workspace: str = typer.Option(None, "--workspace", "-w")): pass

@tasks.callback()
def tasks_(unit: str = typer.Option(None), format: str = typer.Option("table")): pass

@tasks.command("show")
def show(n: int, unit: str = typer.Option(None), format: str = typer.Option("table")): pass

for name in ("units", "validate", "init", "ledger", "record", "overdue", "report", "export", "import"):
    def command(unit: str = typer.Option(None), as_of: str = typer.Option(None), format: str = typer.Option("table"),
                output: str = typer.Option(None)): pass
    app.command(name)(command)

app()
'''


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Seconds and peak RSS (KiB) of one run of ``cmd`` in a fresh measuring process."""
    probe = (
        "import resource, subprocess, sys, time;"
        "t = time.perf_counter();"
        "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode)"
    )
    out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True, cwd=cwd, check=True).stdout.split()
    if out[2] not in ("0", "1"):
        raise SystemExit(f"command failed ({out[2]}): {' '.join(cmd)}")
    return float(out[0]), int(out[1])


def median(cmd: list[str], times: int, before=None, cwd: Path | None = None, command=None) -> tuple[float, int]:  # noqa: ANN001
    """Median seconds and max peak KiB over ``times`` runs (``before`` runs ahead of each;
    ``command``, if given, makes each run's command)."""
    seconds, peaks = [], []
    for _ in range(times):
        if before:
            before()
        s, k = run(command() if command else cmd, cwd)
        seconds.append(s)
        peaks.append(k)
    return statistics.median(seconds), max(peaks)


def interleaved(commands: list[list[str]], times: int) -> list[float]:
    """Median seconds of each command, the commands run in turn ``times`` times."""
    seconds: list[list[float]] = [[] for _ in commands]
    for _ in range(times):
        for i, cmd in enumerate(commands):
            seconds[i].append(run(cmd)[0])
    return [statistics.median(s) for s in seconds]


ROWS: list[tuple[str, str, str, str, bool]] = []
SPEED = {"factor": 1.0}


def row(target: str, measured: str, reference: str, ok: bool) -> None:
    """Print one figure with its reference and verdict, and keep it for the summary."""
    ROWS.append((target, measured, reference, "通过 pass" if ok else "未达 miss", ok))
    print(f"  {target}: {measured} (reference {reference}) -> {'pass' if ok else 'MISS'}", flush=True)


def info_row(target: str, seconds: float) -> None:
    """A figure the issue sets no target for, shown so the table tells the whole story."""
    ROWS.append((target, f"{seconds:.2f} s", "—", "参考 info", True))
    print(f"  {target}: {seconds:.2f} s (no target)", flush=True)


def timed_row(target: str, seconds: float, limit: float) -> None:
    """A fixed-second target: the raw verdict, and the verdict with the limit scaled to this run's machine speed."""
    scaled = limit * SPEED["factor"]
    verdict = "通过 pass" if seconds <= limit else ("按机器速度折算后通过 pass when scaled" if seconds <= scaled else "未达 miss")
    ROWS.append((target, f"{seconds:.2f} s", f"{limit} s; scaled {scaled:.2f} s", verdict, seconds <= limit))
    print(f"  {target}: {seconds:.2f} s (limit {limit} s, scaled {scaled:.2f} s) -> {verdict}", flush=True)


def near_limit_ledger(records: int = 70_000) -> str:
    """A valid ledger of 市财政局 just under the 16 MiB a file may have: ``records`` records of task 7."""
    lines = ["unit: 市财政局\ntasks:\n  - task: 7\n    role: 牵头\n    deadline: 每季度一次\n    records:"]
    lines += [f"      - date: 2021-0{7 + i % 3}-1{i % 10}\n        status: 推进中\n        instance: 2021Q3\n"
              f"        note: 第{i}次报送,内容{'很长' * 20}" for i in range(records)]
    return "\n".join(lines) + "\n"


def written_ledger(records: int = 107_000) -> str:
    """A valid ledger of 市财政局 just under the 16 MiB limit in the shape gwgk writes: ``records``
    records of task 7, each with an id, the day it was entered, the moment and who wrote it."""
    lines = ["unit: 市财政局\ntasks:\n  - task: 7\n    role: 牵头\n    deadline: 每季度一次\n    records:"]
    lines += [f"      - id: R{i + 1}\n        date: 2021-0{7 + i % 3}-1{i % 10}\n        entered: 2021-10-0{1 + i % 8}\n"
              f"        at: 2021-10-0{1 + i % 8} 09:{i % 60:02d}:{i * 7 % 60:02d}+08:00\n        by: 张三\n        status: 推进中"
              for i in range(records)]
    return "\n".join(lines) + "\n"


def big_rows(work: Path) -> None:
    """Issue 30: 107,000 records as gwgk writes them (15.8 MiB), read cold, and each kind of write
    into it (every write reads the ledger and its new text whole, and verifies the new text)."""
    big = work / "big"
    shutil.copytree(REPO / "data", big / "data", ignore=shutil.ignore_patterns("__pycache__"))
    (big / "ledgers").mkdir()
    path = big / "ledgers" / "市财政局.yaml"
    text = written_ledger()
    reads = (("validate", ["validate"]), ("overdue, no cache", ["overdue", "--as-of", "2021-10-08", "-u", "市财政局", "-f", "csv", "--no-cache"]))
    writes = (("record", ["record", "-u", "市财政局", "-t", "7", "-s", "已完成", "-d", "2021-09-30", "--as-of", "2021-10-08"]),
              ("ledger -u (a sync)", ["ledger", "-u", "市财政局", "-f", "csv", "-o", str(work / "big.csv")]))
    for number, kind in (("6b", reads), ("6c", writes)):
        for label, cmd in kind:
            path.write_text(text, encoding="utf-8")
            shutil.rmtree(big / ".gwgk", ignore_errors=True)
            seconds, peak = run([*GWGK, "-w", str(big), *cmd])
            row(f"{number}. {label}, 107,000 records as gwgk writes them (15.8 MiB) <= 5 s, <= 300 MiB",
                f"{seconds:.2f} s, {peak / 1024:.0f} MiB", "5 s, 300 MiB", seconds <= 5 * SPEED["factor"] and peak / 1024 <= 300)


def bulk_rows(work: Path, runs: int) -> None:
    """Issue 28: a city-wide event into 48 units' ledgers, and accepting 1,000 pending records, each
    one all-or-nothing write (each run on a fresh copy of the workspace, so each writes the same)."""
    base = work / "bulk48"
    make(base, 48, 30)  # 48 units of about 30 records: about 1,000 已完成 records in all
    tasks = base / "data" / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("  due_soon_days: 15\n", "  due_soon_days: 15\n  review: true\n", 1),
                     encoding="utf-8")
    # ledgers as gwgk keeps them (synced with the catalogue), as every write leaves them
    subprocess.run([*GWGK, "-w", str(base), "ledger", "--all"], capture_output=True, check=True)
    copy = work / "bulk48-run"

    def fresh() -> None:
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(base, copy)

    units = [arg for path in sorted((base / "ledgers").glob("*.yaml")) for arg in ("--unit", path.stem)]
    event = [*GWGK, "-w", str(copy), "record", *units, "--task", "1", "--event", "全市统一印发", "--date", "2021-09-01",
             "--as-of", "2021-10-08"]
    seconds, _ = median(event, runs, before=fresh)
    timed_row("7a. record one event into 48 units' ledgers (--unit x48) <= 2 s", seconds, 2.0)
    fresh()
    pending = subprocess.run([*GWGK, "-w", str(copy), "review", "--accept", "--all", "--dry-run", "--format", "json",
                              "--as-of", "2022-01-10"], capture_output=True, text=True, check=True).stdout
    import json

    count = len(json.loads(pending)["written"])
    accept = [*GWGK, "-w", str(copy), "review", "--accept", "--all", "--as-of", "2022-01-10"]
    seconds, _ = median(accept, runs, before=fresh)
    timed_row(f"7b. review --accept --all: {count:,} pending records of 48 units <= 2 s", seconds, 2.0)


def many_entries_rows(work: Path, runs: int) -> None:
    """Issue 30: a ledger under 1 MB with thousands of entries of one kind runs within 5 s (4,000
    records each withdrawn: ``ledger -u``; 4,000 events: ``export``)."""
    sys.path.insert(0, str(REPO))
    from tests.test_hardening_many_entries import events_ledger, withdrawn_ledger

    for label, text, cmd in (("4,000 records each withdrawn (0.8 MB): ledger -u", withdrawn_ledger(4000),
                              ["ledger", "-u", "市财政局", "--as-of", "2021-10-08", "-f", "csv"]),
                             ("4,000 events (0.4 MB): export", events_ledger(4000),
                              ["export", "-u", "市财政局", "--as-of", "2021-10-08", "-o", str(work / "events.xlsx")])):
        ws = work / "many"
        shutil.rmtree(ws, ignore_errors=True)
        shutil.copytree(REPO / "data", ws / "data", ignore=shutil.ignore_patterns("__pycache__", "source"))
        (ws / "ledgers").mkdir()
        (ws / "ledgers" / "市财政局.yaml").write_text(text, encoding="utf-8")
        seconds, _ = median([*GWGK, "-w", str(ws), *cmd], runs)
        timed_row(f"8. a ledger of {label} <= 5 s", seconds, 5.0)


def main() -> None:
    """Run every benchmark the options ask for and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 10,000-unit province")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--vs-taskwarrior", action="store_true",
                        help="only the three ratios against Taskwarrior (1,000 units x 100 records unless --units/--records)")
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--records", type=int, default=100)
    args = parser.parse_args()
    if args.vs_taskwarrior:
        from vs_taskwarrior import compare

        compare(args.units, args.records, args.runs)
        return
    work = Path(tempfile.mkdtemp(prefix="gwgk-bench-"))
    try:
        minimal = work / "minimal.py"
        minimal.write_text(MINIMAL_APP, encoding="utf-8")
        demo = work / "demo"
        shutil.copytree(REPO / "data", demo / "data", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(REPO / "ledgers", demo / "ledgers")
        ledger_cmd = [*GWGK, "-w", str(demo), "ledger", "--unit", "市财政局", "--as-of", "2021-10-08"]
        first, _ = run(ledger_cmd)  # the first run in a workspace also fills its cache
        # The floor and the commands measured against it take turns, so a drift in the shared VM's
        # speed during the run affects them alike.
        floor, helped, ledger = interleaved([[sys.executable, str(minimal), "--help"], [*GWGK, "--help"], ledger_cmd], 3 * args.runs)
        SPEED["factor"] = max(1.0, floor / ISSUE_FLOOR)
        print(f"  machine speed this run: typer floor {floor * 1000:.0f} ms vs 127 ms in issue 7 -> factor {SPEED['factor']:.2f}", flush=True)
        row("1. gwgk --help <= 1.2x minimal typer app --help", f"{helped * 1000:.0f} ms ({helped / floor:.2f}x)",
            f"{floor * 1000:.0f} ms", helped <= 1.2 * floor)
        row("2. gwgk ledger --unit 市财政局 (demo) <= 2x minimal app", f"{ledger * 1000:.0f} ms ({ledger / floor:.2f}x)",
            f"{floor * 1000:.0f} ms", ledger <= 2 * floor)
        info_row("2b. the same, first run in a new workspace (parses the catalogue, fills the cache)", first)

        city = work / "city"
        make(city, 70, 300)
        overdue = [*GWGK, "-w", str(city), "overdue", "--as-of", "2021-10-08", "--format", "json"]
        cold, _ = median(overdue, args.runs, before=lambda: shutil.rmtree(city / ".gwgk", ignore_errors=True))
        run(overdue)
        warm, _ = median(overdue, args.runs)
        timed_row("3a. overdue, city 70x300, warm cache <= 0.5 s", warm, 0.5)
        timed_row("3b. overdue, city 70x300, cold (no cache) <= 1.5 s", cold, 1.5)
        # Findings are remembered for the one as-of day they were judged as of; each run here asks
        # another day, so every unit is judged again from its cached ledger.
        days = iter(f"2021-{m:02d}-{d:02d}" for d in range(1, 29) for m in (11, 12))
        rejudged, _ = median([], args.runs, command=lambda: [*GWGK, "-w", str(city), "overdue", "--as-of", next(days), "--format", "json"])
        info_row("3c. overdue, city, each run a new as-of day (timelines cached, findings not)", rejudged)

        big = work / "ledger1000"
        make(big, 10, 1000)  # every unit's ledger holds about 1,000 records
        unit = sorted((big / "ledgers").glob("*.yaml"))[0].stem
        stamp = iter(range(10_000))
        record = lambda: [*GWGK, "-w", str(big), "record", "--unit", unit, "--task", "3", "--status", "推进中",  # noqa: E731
                          "--date", "2021-08-01", "--note", f"基准 {next(stamp)}", "--as-of", "2021-10-08"]
        times = [run(record())[0] for _ in range(args.runs)]
        recorded = statistics.median(times)
        timed_row("5. record into a ledger of 1,000 records <= 1 s", recorded, 1.0)

        bulk_rows(work, args.runs)
        many_entries_rows(work, args.runs)

        # README: any accepted file up to the 16 MiB limit loads in <= 5 s and <= 300 MiB
        limit = work / "limit"
        shutil.copytree(REPO / "data", limit / "data", ignore=shutil.ignore_patterns("__pycache__"))
        (limit / "ledgers").mkdir()
        (limit / "ledgers" / "市财政局.yaml").write_text(near_limit_ledger(), encoding="utf-8")
        for label, cmd in (("validate", ["validate"]), ("overdue, no cache", ["overdue", "--as-of", "2021-10-08", "-u", "市财政局", "-f", "csv"])):
            shutil.rmtree(limit / ".gwgk", ignore_errors=True)
            seconds, peak = run([*GWGK, "-w", str(limit), *cmd])
            row(f"6. {label}, a ledger just under 16 MiB (70,000 records) <= 5 s, <= 300 MiB",
                f"{seconds:.2f} s, {peak / 1024:.0f} MiB", "5 s, 300 MiB", seconds <= 5 * SPEED["factor"] and peak / 1024 <= 300)

        big_rows(work)

        if not args.quick:
            small, large = work / "p1k", work / "p10k"
            make(small, 1000, 100)
            make(large, 10000, 100)
            results = {}
            for label, ws in (("1k", small), ("10k", large)):
                cmd = [*GWGK, "-w", str(ws), "overdue", "--as-of", "2021-10-08", "--format", "csv", "--output", str(work / f"{label}.csv")]
                run(cmd)  # fill the cache
                results[label] = median(cmd, 3)
            warm10k, peak = results["10k"]
            timed_row("4a. overdue, province 10,000x100, warm <= 5 s", warm10k, 5.0)
            on = lambda day: [*GWGK, "-w", str(large), "overdue", "--as-of", day, "--format", "csv", "--output", str(work / "day.csv")]  # noqa: E731
            info_row("4d. overdue, province, a new as-of day (timelines cached, findings not)", run(on("2021-12-20"))[0])
            # A daily cron job: the day after a run is a new as-of day like any other.
            run(on("2022-01-10"))
            info_row("4e. overdue, province, the day after a run (a daily cron job: 2022-01-10, then 01-11)", run(on("2022-01-11"))[0])
            row("4b. province peak memory <= 500 MiB", f"{peak / 1024:.0f} MiB", "500 MiB", peak / 1024 <= 500)
            ratio = warm10k / results["1k"][0]
            row("4c. 1,000 -> 10,000 units costs <= 11x", f"{ratio:.1f}x", f"1k: {results['1k'][0]:.1f} s", ratio <= 11)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n| 目标 target | 实测 measured | 参照 reference | 结论 verdict |\n|---|---|---|---|")
    for target, measured, reference, verdict, _ in ROWS:
        print(f"| {target} | {measured} | {reference} | {verdict} |")
    print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')}, speed factor {SPEED['factor']:.2f}")


if __name__ == "__main__":
    main()
