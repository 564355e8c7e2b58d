"""A deterministic synthetic workspace: N units, about M records each, for benchmarks.

Units are 70% departments and 30% towns, so every task of the bundled plan has owners; records are
spread over each unit's instances with a realistic mix (70% 已完成, 25% 推进中, 5% 不适用), and event
tasks get 1-3 recorded events. The YAML is written as text directly (json-quoted strings are valid
YAML), so a million records take seconds, and every file passes ``gwgk validate``.

    python benchmarks/make_workspace.py --units 70 --records 300 --out /tmp/city
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
from pathlib import Path

from gwgk.catalogue.model import build
from gwgk.catalogue.plan import TasksFile
from gwgk.catalogue.units import Unit, UnitsFile
from gwgk.files import yamlio
from gwgk.files.workspace import bundled_file
from gwgk.judge.schedule import instances

STATUSES = [("已完成", 70), ("推进中", 25), ("不适用", 5)]


def unit_names(count: int) -> list[tuple[str, str]]:
    """(name, kind) for ``count`` units: 70% departments, 30% towns."""
    return [(f"部门{i:05d}", "department") if i % 10 < 7 else (f"乡镇{i:05d}", "town") for i in range(count)]


def units_yaml(names: list[tuple[str, str]]) -> str:
    """units.yaml for generated units (name, kind)."""
    lines = ["units:"]
    for name, kind in names:
        lines += [f"  - name: {name}", f"    kind: {kind}", "    source: 基准测试合成"]
    lines += [
        "groups:",
        "  - name: 市直有关部门",
        "    aliases: [市直部门, 市直各部门, 市级各部门, 市级各有关部门, 各级各部门, 各部门, 市政府各部门,",
        "      市政府办公室, 市政务服务中心, 市投资促进局, 市发展改革局, 市市场监管局, 市司法局, 市财政局, 市卫生健康局,",
        "      市教育局, 市工业和科技局, 州生态环境局兴义分局, 市住房城乡建设局, 市交通运输局, 市水务局, 市电力公司,",
        "      市政务公开领导小组办公室, 政务公开领导小组办公室]",
        "    kinds: [department]",
        "  - name: 各乡镇(街道)",
        "    aliases: [各乡镇<街道>, 乡镇(街道), 各乡镇<街道>政府, 各乡镇(街道)政府, 各乡镇, 乡镇]",
        "    kinds: [town]",
    ]
    return "\n".join(lines) + "\n"


def _status(rng: random.Random) -> str:
    return rng.choices([s for s, _ in STATUSES], [w for _, w in STATUSES])[0]


def ledger_yaml(catalogue, unit: str, records: int, rng: random.Random) -> str:  # noqa: ANN001
    """A ledger for ``unit`` with about ``records`` records spread over the plan year."""
    plan = catalogue.plan
    span = (plan.effective_to - plan.effective_from).days
    assignments = catalogue.assignments(unit)
    entries = []
    for a in assignments:
        events = []
        if any(r.kind == "event" for r in a.rules):
            for k in range(1, rng.randint(1, 3) + 1):
                events.append((f"E{k}", f"事件{k}", plan.effective_from + dt.timedelta(days=rng.randrange(span))))
        entries.append((a, events, []))
    keyed = []
    for a, events, _recs in entries:
        from gwgk.entries.model import Event, LedgerTask

        entry = LedgerTask(task=a.task.id, role=a.role, events=[Event(key=k, title=t, date=d) for k, t, d in events])
        keyed.append([i.key for i in instances(a, entry, plan)] or [None])
    for n in range(records):
        slot = rng.randrange(len(entries))
        key = rng.choice(keyed[slot])
        if key is None:
            continue
        day = plan.effective_from + dt.timedelta(days=rng.randrange(span))
        entries[slot][2].append((day, _status(rng), key, n))
    out = [f"unit: {unit}", "tasks:"]
    for a, events, recs in entries:
        out += [f"  - task: {a.task.id}", f"    role: {'牵头' if a.role == 'lead' else '责任'}",
                f"    deadline: {json.dumps(a.task.deadline, ensure_ascii=False)}"]
        if events:
            out.append("    events:")
            for key, title, day in events:
                out += [f"      - key: {key}", f"        title: {title}", f"        date: {day.isoformat()}"]
        if recs:
            out.append("    records:")
            for day, status, key, n in recs:
                out += [f"      - date: {day.isoformat()}", f"        status: {status}", f"        instance: {json.dumps(key, ensure_ascii=False)}"]
                if status == "不适用" or n % 3 == 0:
                    out.append(f"        note: {json.dumps(f'第{n}条记录的说明:已在门户网站公开', ensure_ascii=False)}")
                if status == "已完成" and n % 2 == 0:
                    out.append(f"        evidence:\n          - http://www.example.gov.cn/zwgk/{n}.html")
    return "\n".join(out) + "\n"


def make(root: Path, units: int, records: int, seed: int = 2021) -> None:
    """Write the workspace at ``root`` (replacing it)."""
    if root.exists():
        shutil.rmtree(root)
    (root / "data").mkdir(parents=True)
    (root / "ledgers").mkdir()
    (root / "data" / "tasks.yaml").write_bytes(bundled_file("tasks.yaml"))
    names = unit_names(units)
    text = units_yaml(names)
    (root / "data" / "units.yaml").write_text(text, encoding="utf-8")
    tasks_file = TasksFile.model_validate(yamlio.load_fast(bundled_file("tasks.yaml").decode("utf-8"), "tasks.yaml"))
    units_file = UnitsFile(units=[Unit(name=n, kind=k, source="基准测试合成") for n, k in names],
                           groups=UnitsFile.model_validate(yamlio.load_fast(text, "units.yaml")).groups)
    catalogue, findings = build(tasks_file, units_file)
    assert not findings, findings[:3]
    rng = random.Random(seed)
    for name, _ in names:
        (root / "ledgers" / f"{name}.yaml").write_text(ledger_yaml(catalogue, name, records, rng), encoding="utf-8")


def main() -> None:
    """Make a workspace from the command line (see --help)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=70)
    parser.add_argument("--records", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    make(args.out, args.units, args.records, args.seed)


if __name__ == "__main__":
    main()
