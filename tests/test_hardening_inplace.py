"""Attack on the swap (issue 30, cause 9): an editor that opened the ledger before gwgk swapped it
and then overwrites it in place with the same number of bytes. The size does not change; the
content does, and the edit must be kept (exit 2), never lost under an exit 0."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from gwgk.files import swap

from .conftest import run_cli

AS_OF = ["--as-of", "2021-10-08"]
RECORD = ["record", "-u", "市财政局", "-t", "3", "-s", "推进中", "-d", "2021-08-01", "-n", "在线更新", *AS_OF]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")


def same_length_edit(data: bytes) -> bytes:
    """A hand edit that keeps every byte count: two CJK characters for two others (in a comment)."""
    assert "# 工作台账".encode() in data
    edited = data.replace("# 工作台账".encode(), "# 工作账簿".encode(), 1)
    assert len(edited) == len(data) and edited != data
    return edited


@pytest.mark.parametrize("moment", ["after the exchange", "while waiting for writers"])
def test_a_same_length_edit_in_place_during_the_swap_is_kept(ws: Path, monkeypatch, moment: str):
    assert run_cli("ledger", "-u", "市财政局", *AS_OF, workspace=ws).code == 0
    ledger = ws / "ledgers/市财政局.yaml"
    original = ledger.read_bytes()
    edited = []

    def edit_in_place(path: Path) -> None:
        """The editor writes through the descriptor it opened before the swap: in place."""
        with open(path, "r+b") as handle:
            data = handle.read()
            handle.seek(0)
            handle.write(same_length_edit(data))
        edited.append(path)

    if moment == "after the exchange":
        real_read = swap._read
        calls = []

        def read(path: Path) -> bytes | None:
            data = real_read(path)
            calls.append(path)
            if len(calls) == 2 and not edited:  # the old file, just read under the temp name
                edit_in_place(path)
            return data

        monkeypatch.setattr(swap, "_read", read)
    else:
        real_wait = swap._wait_for_writers

        def wait(path: Path) -> float:
            if not edited:
                edit_in_place(path)
            return real_wait(path)

        monkeypatch.setattr(swap, "_wait_for_writers", wait)
    result = run_cli(*RECORD, workspace=ws)
    monkeypatch.undo()
    assert edited
    assert result.code == 2 and "被修改" in result.err, result.err
    assert ledger.read_bytes() == same_length_edit(original)  # the hand edit, whole, and nothing of gwgk's
    assert not [p for p in ledger.parent.iterdir() if p.name.startswith(".gwgk-tmp-")]
    again = run_cli(*RECORD, workspace=ws)
    assert again.code == 0 and "# 工作账簿" in ledger.read_text(encoding="utf-8") and "在线更新" in ledger.read_text(encoding="utf-8")
