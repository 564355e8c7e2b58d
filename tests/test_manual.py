"""The user's manual (docs/manual/) keeps up with the program: every command and every option that
``gwgk --help`` shows is written in it, and every page is linked from the manual's index."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from typer.main import get_command

from gwgk.commands.app import app

from .conftest import REPO

MANUAL = REPO / "docs" / "manual"


def manual_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(MANUAL.glob("*.md")))


def commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command under ``group`` with its path of names (``("plan", "draft")``), hidden ones aside."""
    if path:
        yield path, group
    if hasattr(group, "commands"):
        for name, command in group.commands.items():
            if not command.hidden:
                yield from commands(command, (*path, name))


def long_options(command: Any) -> list[str]:
    return [opt for p in command.params if p.param_type_name == "option" and not p.hidden
            for opt in p.opts + p.secondary_opts if opt.startswith("--") and opt != "--help"]


def test_every_command_is_in_the_manual() -> None:
    text = manual_text()
    missing = [" ".join(path) for path, _ in commands(get_command(app)) if f"gwgk {' '.join(path)}" not in text]
    assert missing == []


def test_every_option_of_every_command_is_in_the_manual() -> None:
    text = manual_text()
    root = get_command(app)
    missing = [opt for opt in long_options(root) if opt not in text]
    for path, command in commands(root):
        missing += [f"gwgk {' '.join(path)} {opt}" for opt in long_options(command)
                    if not re.search(re.escape(opt) + r"(?![\w-])", text)]
    assert missing == []


def test_the_index_links_every_page_and_the_front_page_links_the_index() -> None:
    index = (MANUAL / "README.md").read_text(encoding="utf-8")
    pages = {p.name for p in MANUAL.glob("*.md")} - {"README.md"}
    linked = set(re.findall(r"\]\(([^)#]+\.md)\)", index))
    assert pages - linked == set()
    front = (REPO / "README.md").read_text(encoding="utf-8")
    assert all(f"docs/manual/{page}" in front for page in pages)


def test_the_check_sees_a_missing_option() -> None:
    root = get_command(app)
    text = manual_text().replace("--rectify-by", "--rectify")
    overdue = root.commands["overdue"]  # type: ignore[attr-defined]
    assert "--rectify-by" in long_options(overdue)
    assert not re.search(re.escape("--rectify-by") + r"(?![\w-])", text)
