"""``gwgk plan close`` and ``gwgk plan reopen``: the office's decision to stop chasing a finished
plan's leftovers, kept in ``data/closures.yaml`` as entries (an id, the day entered, the reason),
appended under a lock and verified before the file is replaced; a reopening is a withdrawal entry."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from gwgk.catalogue.model import Catalogue
from gwgk.entries.closures import Closure, Closures, ClosureWithdrawal
from gwgk.entries.model import Stamp
from gwgk.errors import DataError, Problem, UsageError
from gwgk.files import yamlio, yamlsplice
from gwgk.files.loader import read_file, validate
from gwgk.files.storage import fingerprint, locked, write_atomic
from gwgk.files.workspace import Workspace
from gwgk.ledger.changes import optional_text

NAME = "data/closures.yaml"
HEADER = ("# 政务公开办的计划收尾决定：gwgk plan close 写入，gwgk plan reopen 撤回；请不要手工修改。\n"
          "# closures 收尾：id 编号、plan 年度、entered 登记日期、reason 原因；withdrawals 撤回：target 撤回的收尾编号。\n")


def closures_path(ws: Workspace) -> Path:
    """Where the closures of every plan of the workspace are kept."""
    return ws.root / "data" / "closures.yaml"


def read_closures(ws: Workspace) -> Closures:
    """Every closure of the workspace (none when the file does not exist); ``DataError`` with the
    located problems for a file that is not valid."""
    text, _ = _text(closures_path(ws))
    return Closures() if text is None else _parsed(text)


def closure_problems(ws: Workspace, years: set[int]) -> list[Problem]:
    """What ``gwgk validate`` finds in ``data/closures.yaml``: every problem at its line, all at once
    (a file that does not read, a closure of a plan the workspace does not have when ``years`` is
    known, a withdrawal of a closure that is not there or entered before it, an id used twice)."""
    try:
        text, _ = _text(closures_path(ws))
        if text is None:
            return []
        closures = _parsed(text)
    except DataError as exc:
        return list(exc.problems) or [Problem(NAME, None, None, exc.message)]

    found: list[Problem] = []

    def problem(path: tuple[Any, ...], message: str) -> None:
        line, column = yamlio.position(text, path) or (None, None)
        found.append(Problem(NAME, line, column, message))

    seen: set[str] = set()
    ids = [("closures", i, c.id) for i, c in enumerate(closures.closures)]
    for key, i, item_id in ids + [("withdrawals", i, w.id) for i, w in enumerate(closures.withdrawals)]:
        if item_id in seen:
            problem((key, i, "id"), f"编号 {item_id} 重复")
        seen.add(item_id)
    by_id = {c.id: c for c in closures.closures}
    for i, closure in enumerate(closures.closures):
        if years and closure.plan not in years:
            problem(("closures", i, "plan"), f"收尾的计划年度 {closure.plan} 不在工作区的计划中（现有：{'、'.join(map(str, sorted(years)))}）")
    for i, withdrawal in enumerate(closures.withdrawals):
        target = by_id.get(withdrawal.target)
        if target is None:
            problem(("withdrawals", i, "target"), f"撤回的收尾 {withdrawal.target} 不存在")
        elif withdrawal.entered < target.entered:
            problem(("withdrawals", i, "entered"), f"撤回日期 {withdrawal.entered} 早于被撤回的收尾 {target.id} 的登记日期 {target.entered}")
    return found


def _text(path: Path) -> tuple[str | None, str | None]:
    """The file's text and the fingerprint of its bytes (None, None: there is no file yet)."""
    if not path.exists():
        return None, None
    raw, _ = read_file(path, NAME)
    return yamlio.decode(raw, NAME), fingerprint(raw)


def _parsed(text: str) -> Closures:
    data = yamlio.load_fast(text, NAME)
    return validate(Closures, data if data is not None else {}, text, NAME)


class ClosureResult(BaseModel):
    """The one result of ``plan close`` / ``plan reopen`` (``--format json``)."""

    action: str
    as_of: dt.date
    dry_run: bool
    plan: int
    entry: str
    summary: str

    def lines(self) -> list[str]:
        """The summary, as printed."""
        return [self.summary]


def _appended(text: str | None, key: str, item: dict[str, Any], expected: Closures) -> str:
    if text is None:
        candidate = HEADER + yamlio.dump_roundtrip(yamlio.new_map([(key, yamlio.new_seq([yamlio.new_map(list(item.items()))]))]))
        attempts = [candidate]
    else:
        attempts = []
        with contextlib.suppress(yamlsplice.CannotSplice):
            attempts.append(yamlsplice.append_item(text, (), key, item))
        attempts.append(yamlsplice.append_item_roundtrip(text, (), key, item, NAME))
    for candidate in attempts:
        try:
            if _parsed(candidate) == expected:
                return candidate
        except DataError:
            continue
    raise DataError(f"无法安全地写入 {NAME}，文件没有改动")


def change_closures(ws: Workspace, catalogue: Catalogue, decision: str, reason: str | None, today: dt.date,
                    dry_run: bool, stamp: Stamp | None = None) -> ClosureResult:
    """Close (``decision="close"``) or reopen the plan of ``catalogue`` as of ``today`` (``stamp``:
    who writes it and when, as every entry)."""
    written = stamp.fields if stamp is not None else {}
    plan = catalogue.plan
    why = optional_text(reason, "--reason")
    if not why:
        raise UsageError("收尾或重新开启计划必须用 --reason 写明原因")
    path = closures_path(ws)
    # a dry run reads the file once and takes no lock: it creates nothing, not even a lock file
    with contextlib.nullcontext() if dry_run else locked(ws.root / ".gwgk" / "locks" / "closures.yaml.lock", NAME):
        text, old = _text(path)
        current = Closures() if text is None else _parsed(text)
        open_one = current.closed(plan.year, today)
        if decision == "close":
            if today <= plan.effective_to:
                raise UsageError(f"{plan.year} 年计划到 {plan.effective_to} 才结束，计划期内不能收尾")
            standing = current.standing(plan.year)  # on any day: two closures of one plan would make reopen a lie
            if open_one is not None or standing is not None:
                shown = open_one or standing
                assert shown is not None
                raise UsageError(f"{plan.year} 年计划已在 {shown.entered} 收尾（{shown.id}：{shown.reason}），不需要再次收尾；"
                                 "要改收尾的日期，请先用 gwgk plan reopen 撤回它")
            entry: Closure | ClosureWithdrawal = Closure(id=current.next_id("closures"), plan=plan.year, entered=today, reason=why,
                                                            **written)
            key, expected = "closures", current.model_copy(update={"closures": [*current.closures, entry]})
            summary = (f"已记录 {plan.year} 年计划（{plan.title}）收尾，编号 {entry.id}，原因：{why}。从 {today} 起回头看不再列出"
                       "这一计划的未完成事项；这一计划的年终汇总仍计为超期未完成，并注明收尾。")
        else:
            if open_one is None:
                raise UsageError(f"{plan.year} 年计划截至 {today} 没有收尾，不需要重新开启")
            entry = ClosureWithdrawal(id=current.next_id("withdrawals"), target=open_one.id, entered=today, reason=why, **written)
            key, expected = "withdrawals", current.model_copy(update={"withdrawals": [*current.withdrawals, entry]})
            summary = (f"已撤回 {plan.year} 年计划的收尾 {open_one.id}，撤回编号 {entry.id}，原因：{why}。"
                       f"从 {today} 起回头看重新列出这一计划的未完成事项。")
        fields = entry.model_dump(exclude_none=True)
        item: dict[str, Any] = {k: fields[k] for k in ("id", "plan", "target", "entered", "at", "by", "reason") if k in fields}
        new_text = _appended(text, key, item, expected)
        if dry_run:
            summary = "（试运行，没有写入）" + summary.replace("已记录", "将记录").replace("已撤回", "将撤回")
        else:
            write_atomic(path, new_text.encode("utf-8"), make_parents=True, expected=old, what=NAME)
    return ClosureResult(action=decision, as_of=today, dry_run=dry_run, plan=plan.year, entry=entry.id, summary=summary)
