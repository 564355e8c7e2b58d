"""Attacks on where a refused draft's problems are located (issue 30, cause 15): a draft that is
refused was never written, so its problems must not point at a line of a file on disk as if it
held them."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import run_cli, tree_bytes

PLAN = "兴义市2022年政务公开工作要点\n一、做好公开\n1.做好规划公开。({unit}牵头,9月底前完成)\n"  # as converted text has it


@pytest.mark.parametrize(("unit", "args"), [("CON", ["--year", "2022"]), ("市财政局", ["--year", "1"]), ("PRN", ["--year", "2022"]),
                                            ("AUX", ["--year", "2022"])])
def test_problems_of_an_unwritten_draft_say_it_is_a_draft(ws: Path, tmp_path: Path, unit: str, args: list[str]):
    source = tmp_path / "plan.txt"
    source.write_text(PLAN.format(unit=unit), encoding="utf-8")
    before = tree_bytes(ws)
    result = run_cli("plan", "draft", str(source), *args, workspace=ws)
    assert result.code in (1, 2), result.out + result.err
    if result.code == 2:
        assert tree_bytes(ws) == before
    for line in result.err.splitlines():  # every location names the draft, never the file on disk alone
        if ".yaml:" in line:
            assert "（起草稿，未写入）:" in line, line


def test_a_refused_draft_is_located_in_the_draft(ws: Path):
    """Whatever the drafting lets through to the final check (a unit named CON in a units.yaml
    draft here): the problem is located in the draft, which says it was not written."""
    from gwgk.commands.plans import _check
    from gwgk.errors import DataError

    units = (ws / "data/units.yaml").read_text(encoding="utf-8") + "  - name: CON\n    kind: department\n"
    tasks = (ws / "data/tasks.yaml").read_text(encoding="utf-8")
    with pytest.raises(DataError) as refused:
        _check(tasks, "data/plans/2022.yaml", units, "data/units.yaml")
    assert refused.value.problems
    assert all(str(p.file).endswith("（起草稿，未写入）") for p in refused.value.problems), refused.value.problems
