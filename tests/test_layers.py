"""The package's layers, read from the source with ``ast`` so the rules hold for code written later.

Layers, lowest first: errors, process, files, catalogue, drafting, entries, judge, ledger, reports, render, excel,
send, commands (and the entry points). A module may import its own layer and the layers below it, never
one above. Third-party libraries stay in the layer that owns them, the pure core does no I/O and
reads no clock, and no module imports another that (directly or not) imports it back.
"""

from __future__ import annotations

import ast
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "gwgk"

LAYERS = ("errors", "process", "files", "catalogue", "drafting", "entries", "judge", "ledger", "reports", "render", "excel", "send",
          "commands", "cli")
RANK = {name: i for i, name in enumerate(LAYERS)} | {"__init__": 0, "__main__": len(LAYERS)}

# Which layers may import a third-party library (by its top-level name).
OWNERS = {
    "typer": {"commands"}, "click": {"commands"}, "rich": {"commands"},
    "yaml": {"files"}, "ruamel": {"files"}, "filelock": {"files"},
    "openpyxl": {"render", "excel"}, "docx": {"drafting", "render", "excel"},
    "chinese_calendar": {"judge"}, "dateutil": {"judge"},
    "smtplib": {"send"}, "email": {"send"}, "urllib": {"send"}, "ssl": {"send"}, "hmac": {"send"},
}
# The pure core: no I/O, no process state, no clock. (``catalogue.load`` wires the loader, and
# ``reports.remembered`` keeps findings in the cache, ``reports.survey`` reads a plan's ledgers through
# it: they are named here as the exceptions.)
PURE = {"catalogue", "entries", "judge", "reports"}
IMPURE_MODULES = {"gwgk.catalogue.load", "gwgk.reports.remembered", "gwgk.reports.survey"}
IO_MODULES = {"os", "sys", "pathlib", "shutil", "tempfile", "subprocess", "time", "io", "builtins"}
PURE_MAY_USE_FILES = {"gwgk.files.trusted"}  # rebuilds validated models: no I/O
CLOCK_CALLS = {"now", "today", "utcnow", "time", "monotonic"}


def module_name(path: Path, root: Path) -> str:
    """``gwgk.judge.schedule`` for ``<root>/judge/schedule.py``."""
    parts = path.relative_to(root).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(("gwgk", *parts))


def layer_of(module: str) -> str:
    """The layer a ``gwgk.…`` module belongs to."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports(tree: ast.AST, module: str, is_package: bool) -> Iterator[tuple[str, int]]:
    """Every module imported anywhere in ``tree`` (type-checking and function-level imports too)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield target, node.lineno
            for alias in node.names:  # ``from gwgk.files import yamlio`` imports gwgk.files.yamlio
                yield f"{target}.{alias.name}", node.lineno


def clock_calls(tree: ast.AST) -> Iterator[int]:
    """Lines that read the clock: ``date.today()``, ``datetime.now()``, ``time.time()``…"""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CLOCK_CALLS:
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if name in ("date", "datetime", "time", "dt"):
                yield node.lineno


def modules(root: Path) -> dict[str, tuple[Path, ast.AST]]:
    """Every module of the package under ``root``, parsed."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        if "bundled" in path.parts:
            continue
        found[module_name(path, root)] = (path, ast.parse(path.read_text(encoding="utf-8")))
    return found


def type_only_lines(tree: ast.AST) -> set[int]:
    """Lines of imports under ``if TYPE_CHECKING:``: names for annotations, nothing run."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            lines.update(n.lineno for stmt in node.body for n in ast.walk(stmt) if isinstance(n, (ast.Import, ast.ImportFrom)))
    return lines


def violations(root: Path) -> list[str]:
    """Every breach of the layering rules in the package at ``root``, as readable lines. An import
    for annotations only (``if TYPE_CHECKING:``) keeps the layer order but does no I/O."""
    parsed = modules(root)
    out: list[str] = []
    graph: dict[str, set[str]] = {}
    for module, (path, tree) in parsed.items():
        layer = layer_of(module)
        where = f"{path.relative_to(root)}"
        edges = graph.setdefault(module, set())
        typing_only = type_only_lines(tree)
        for target, line in imports(tree, module, path.name == "__init__.py"):
            top = target.split(".")[0]
            if top == "gwgk" and target not in parsed and target.rsplit(".", 1)[0] in parsed:
                target = target.rsplit(".", 1)[0]  # ``from gwgk.files.trusted import built``
            if top == "gwgk":
                if target in parsed and target != module:
                    edges.add(target)
                other = layer_of(target)
                if other in RANK and RANK[other] > RANK[layer]:
                    out.append(f"{where}:{line}: {layer} imports {target}, a higher layer ({other})")
                if (layer in PURE and module not in IMPURE_MODULES and other == "files" and line not in typing_only
                        and target not in PURE_MAY_USE_FILES and target != "gwgk.files"):
                    out.append(f"{where}:{line}: the pure layer {layer} imports {target}")
            elif top in OWNERS and layer not in OWNERS[top]:
                out.append(f"{where}:{line}: {layer} imports {top}, which only {'/'.join(sorted(OWNERS[top]))} may")
            elif layer in PURE and module not in IMPURE_MODULES and top in IO_MODULES:
                out.append(f"{where}:{line}: the pure layer {layer} imports {top}")
        if layer in PURE and module not in IMPURE_MODULES:
            out.extend(f"{where}:{line}: the pure layer {layer} reads the clock" for line in clock_calls(tree))
    out.extend(f"import circle: {' -> '.join(c)}" for c in cycles(graph))
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One circle through each strongly connected group of modules (Tarjan), if any."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group) + [sorted(group)[0]])

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_package_keeps_its_layers() -> None:
    assert violations(PACKAGE) == []


def test_every_module_belongs_to_a_layer() -> None:
    loose = sorted(m for m in modules(PACKAGE) if layer_of(m) not in RANK)
    assert loose == []
    top_level = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top_level) <= 6, top_level


def test_no_module_passes_400_lines() -> None:
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


def test_every_package_says_what_it_owns_and_may_import() -> None:
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        if init.parent.name == "bundled":
            continue
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "May import" in doc, init


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    """A copy of the package to plant violations in."""
    copy = tmp_path / "gwgk"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "bundled"))
    return copy


def _plant(root: Path, module: str, line: str) -> None:
    path = root / module
    path.write_text(path.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")


@pytest.mark.parametrize(("module", "line", "expected"), [
    ("judge/schedule.py", "from gwgk.commands import common", "judge imports gwgk.commands.common, a higher layer (commands)"),
    ("catalogue/rules.py", "from gwgk.reports.year import percent", "catalogue imports gwgk.reports.year, a higher layer (reports)"),
    ("files/storage.py", "from gwgk.ledger import store", "files imports gwgk.ledger.store, a higher layer (ledger)"),
    ("reports/year.py", "import typer", "reports imports typer, which only commands may"),
    ("ledger/store.py", "import yaml", "ledger imports yaml, which only files may"),
    ("ledger/document.py", "from ruamel.yaml import YAML", "ledger imports ruamel, which only files may"),
    ("reports/overdue.py", "import openpyxl", "reports imports openpyxl, which only excel/render may"),
    ("judge/assessment.py", "import os", "the pure layer judge imports os"),
    ("reports/ledger.py", "from gwgk.files import storage", "the pure layer reports imports gwgk.files.storage"),
    ("judge/schedule.py", "TODAY = dt.date.today()", "the pure layer judge reads the clock"),
    ("reports/findings.py", "from gwgk.reports import notice", "import circle: gwgk.reports.findings -> gwgk.reports.notice -> gwgk.reports.findings"),
])
def test_a_planted_violation_is_caught(planted: Path, module: str, line: str, expected: str) -> None:
    assert violations(planted) == []
    _plant(planted, module, line)
    found = violations(planted)
    assert any(expected in v for v in found), found


# ------------------------------------------------------------------ thin commands

COMMAND_BODY_LINES = 30  # a command parses options, calls one builder, renders: more is logic in the wrong layer


def command_bodies(root: Path) -> Iterator[tuple[str, int]]:
    """Every typer command and callback under ``root/commands`` with its body's length in lines
    (after the docstring; the options in the signature do not count)."""
    for path in sorted((root / "commands").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any(
                    "command" in ast.unparse(d) or "callback" in ast.unparse(d) for d in node.decorator_list):
                body = node.body[1:] if isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant) else node.body
                if body:
                    yield f"commands/{path.name}::{node.name}", (body[-1].end_lineno or 0) - body[0].lineno + 1


def test_every_command_body_is_thin() -> None:
    long = [f"{name}: {lines} lines" for name, lines in command_bodies(PACKAGE) if lines > COMMAND_BODY_LINES]
    assert long == []


def test_a_long_command_is_caught(planted: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(COMMAND_BODY_LINES + 1))
    _plant(planted, "commands/catalogue.py", f"@app.command()\ndef fat() -> None:\n    \"\"\"太长。\"\"\"\n{body}")
    assert [name for name, lines in command_bodies(planted) if lines > COMMAND_BODY_LINES] == ["commands/catalogue.py::fat"]
