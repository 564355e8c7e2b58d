"""The static checks CI runs, run by the test command too, so that a developer's ``pytest`` fails on
what CI would: ruff's rules and mypy's types as pyproject.toml sets them, and full-width
punctuation in every Chinese sentence the code writes."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))

import fullwidth  # noqa: E402

# drafting/'s literals are mostly the punctuation it reads by (strip sets, separators, patterns), which
# must keep both widths; its review marks are full-width and quote the plan as written (tests/test_drafting_*)
NOT_YET = ("drafting",)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=600, check=False)


def test_ruff_finds_nothing() -> None:
    done = run("ruff", "check", "src", "tests", "benchmarks", "scripts")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_nothing() -> None:
    done = run("mypy")
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_chinese_sentence_in_the_code_is_full_width() -> None:
    half = [str(p.relative_to(REPO)) for p in sorted((REPO / "src" / "gwgk").rglob("*.py"))
            if not set(NOT_YET) & set(p.parts) and fullwidth.convert(p.read_text(encoding="utf-8")) != p.read_text(encoding="utf-8")]
    assert half == []


def test_the_punctuation_check_sees_half_width_and_leaves_code_alone() -> None:
    comma, colon, opening, closing = ",", ":", "(", ")"
    source = f'raise UsageError(f"没有单位“{{name}}”{comma}可用{colon}{{names}}{opening}共 {{n:d}} 个{closing}")\npattern = r"(\\d+):"\n'
    assert fullwidth.convert(source) == 'raise UsageError(f"没有单位“{name}”，可用：{names}（共 {n:d} 个）")\npattern = r"(\\d+):"\n'
    assert fullwidth.convert('url = "见 http://x.cn/a:b"\nkey = "a: b"\n') == 'url = "见 http://x.cn/a:b"\nkey = "a: b"\n'
