"""``gwgk`` with no arguments and ``--help`` on an 80-column terminal."""

from __future__ import annotations

import re
import subprocess
import sys

from typer.main import get_command

from gwgk.commands.app import app

from .conftest import run_cli


def first_sentence(help_text: str) -> str:
    text = help_text.strip().split("\n\n")[0].replace("\n", "")
    return text.split("。")[0] + "。"


def plain(out: str) -> str:
    """The help text with the box drawing and the line breaks inside cells taken out."""
    cells = [re.sub(r"^│ (\S+)?\s+", "", line).rstrip(" │") for line in out.splitlines() if line.startswith("│")]
    return "".join(c.strip() for c in cells)


def test_no_arguments_shows_the_help_and_exits_0():
    done = subprocess.run([sys.executable, "-m", "gwgk"], capture_output=True, text=True, timeout=60,
                          env={"COLUMNS": "80", "PATH": ""})
    assert done.returncode == 0, done.stderr
    assert "用法：gwgk [选项] 命令 [参数]..." in done.stdout and "overdue" in done.stdout
    assert "错误" not in done.stdout + done.stderr


def test_help_at_80_columns_shows_each_commands_whole_first_sentence():
    result = run_cli("--help", env={"COLUMNS": "80"})
    assert result.code == 0
    assert "…" not in result.out
    text = plain(result.out)
    commands = get_command(app).commands
    assert len(commands) >= 10
    for name, command in commands.items():
        assert re.sub(r"\s", "", first_sentence(command.help or "")) in re.sub(r"\s", "", text), name
