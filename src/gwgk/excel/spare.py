"""Reading a filled 新事件 row (a spare row under an event task): the event the unit reports (its
name in 期次, its date in 到期日) and, on the same row, its completion; or, with neither name nor
date, the whole task 不适用 (no such event this year), as ``gwgk record --task N --status 不适用``
writes it. Every refusal is at its cell; an event or record the office has since withdrawn or
corrected is not brought back by an old copy of the workbook, but named in the summary.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Protocol

from gwgk.entries.history import live, withdrawn
from gwgk.entries.model import status_of
from gwgk.entries.naming import event_title_refusal, same_title
from gwgk.errors import GwgkError
from gwgk.excel.cells import cell_text, date_of, folded
from gwgk.excel.export import EVENT_CELLS, FILL, Row, split_key
from gwgk.excel.planned import ImportResult, Planned

if TYPE_CHECKING:
    from collections.abc import Callable

    from gwgk.catalogue.model import Catalogue
    from gwgk.entries.model import Ledger


class Batch(Protocol):
    """What a spare row needs of the import it is read in (``excel.reader``'s batch)."""

    catalogue: Catalogue
    ledgers: dict[str, Ledger]
    today: dt.date
    result: ImportResult
    reported: set[tuple[str, int, str, dt.date]]

    def problem(self, where: str, message: str) -> None: ...  # noqa: D102

    def retire(self, unit: str, line: str) -> None: ...  # noqa: D102

    def _record(self, row: Row, shown: str | None, cells: dict[str, str], filled: dict[str, Any], ref: Any, unit: str,  # noqa: D102
                file_name: str, at: str, *, event: tuple[str, dt.date] | None = None, instance: str | None = None) -> None: ...


NO_EVENT_HINT = "本年度没有发生这类事件的，“完成情况”选“不适用”并在“备注”写明原因"


def spare_event(batch: Batch, row: Row, values: dict[int, Any], filled: dict[str, Any], ref: Callable[[int], str],
                unit: str, file_name: str, at: str) -> None:
    """A spare row of ``unit``'s sheet: checked cell by cell, then planned on ``batch`` (or skipped)."""
    from gwgk.judge.schedule import event_rule
    from gwgk.ledger.imported import live_event, retired_events, successor
    from gwgk.ledger.recording import event_day_refusal

    task = int(split_key(row.key)[0].split("|")[1])
    title_cell, day_cell = values.get(EVENT_CELLS["title"]), values.get(EVENT_CELLS["date"])
    raw_title = title_cell.value if title_cell is not None else None
    raw_day = day_cell.value if day_cell is not None else None
    title, day_text = cell_text(raw_title), cell_text(raw_day)
    at_title, at_day = ref(EVENT_CELLS["title"]), ref(EVENT_CELLS["date"])
    if not title and not day_text:
        if filled and status_of(cell_text(filled.get("status"))) == "not_applicable":
            batch._record(row, None, {}, filled, ref, unit, file_name, at)  # the whole task: no such event this year
        elif filled:
            batch.problem(at_title, f"填写了完成情况，但没有填写事件：请在“期次”填事件名称，在“到期日”填事件日期；{NO_EVENT_HINT}")
        return
    problems = len(batch.result.problems)
    for cell, place, what in ((title_cell, at_title, "事件名称"), (day_cell, at_day, "事件日期")):
        if cell is not None and getattr(cell, "data_type", None) == "e":
            batch.problem(place, f"这里是 Excel 的错误值“{cell_text(cell.value)}”，请填写{what}")
    if len(batch.result.problems) > problems:
        return
    if not title:
        batch.problem(at_title, "请填写事件名称（如“2021年预算批复”）")
        return
    if not isinstance(raw_title, str):
        batch.problem(at_title, f"事件名称要写文字（如“2021年预算批复”），这里填的是日期或数字“{title}”；事件日期请填在“到期日”一栏")
        return
    refusal = event_title_refusal(title)
    if refusal:
        batch.problem(at_title, refusal)
        return
    if not day_text:
        batch.problem(at_day, "请填写事件日期")
        return
    try:
        if isinstance(raw_day, float) and not raw_day.is_integer():
            raise GwgkError("not a day")  # a number such as 3.5: no date typed as such
        day = date_of(raw_day)
    except GwgkError:
        batch.problem(at_day, f"事件日期“{day_text}”不是有效的日期")
        return
    assignment = batch.catalogue.task_units(task).get(unit)
    rule = event_rule(assignment.rules) if assignment else None
    refusal = "这项任务没有触发事件" if rule is None else event_day_refusal(batch.catalogue, rule, day)
    if day > batch.today:
        refusal = f"事件日期 {day} 在今天（{batch.today}）之后，不能登记将来的日期"
    if refusal:
        batch.problem(at_day, refusal)
        return
    ledger = batch.ledgers.get(unit)
    entry = ledger.task(task) if ledger else None
    twin = live_event(entry, title, day) if entry else None
    planned = batch.result.planned.get(unit, [])
    batch.reported.add((unit, task, folded(title), day))  # its row, once imported, is not missing from this copy
    if twin is None:
        gone = retired_events(entry, title, day) if entry else []
        after = successor(entry, gone) if entry and gone else None
        if gone and after is None:  # an old copy of a row already imported: the office has withdrawn its event since
            batch.retire(unit, f"{at}：第 {task} 项 新事件“{title}”（{day}）已被撤回（{'、'.join(gone)}），不再登记"
                               + ("，同一行的完成情况也不再登记" if filled else "")
                               + "；如确需再次登记，请用 gwgk record --event 登记")
            return
        if after is not None:  # corrected since: the row's completion belongs to the event that corrected it
            batch.retire(unit, f"{at}：第 {task} 项 新事件“{title}”（{day}）已被更正（{'、'.join(gone)}）为 {after.key}"
                               f"“{after.title}”（{after.date}），不再另行登记"
                               + (f"；同一行的完成情况记在 {after.key} 上（已有的不重复登记）" if filled else ""))
            if not filled:
                return
            twin = after
    if twin is None:
        others = [(f"已有同名事件 {e.key}", e.date) for e in (live(entry, False).task.events if entry else [])
                  if same_title(e.title, title)]
        others += [("本次导入的另一行已有同名事件", p.event[1]) for p in planned
                   if p.task == task and p.event and same_title(p.event[0], title)]
        namesake = next(((which, other) for which, other in others if other != day), None)
        if namesake is not None:
            which, other = namesake
            batch.problem(at_day, f"{which}（{other}）：同一事件请把日期改为 {other}，另一事件请换一个名称")
            return
        # the same event given on another row of this import: one name as written first
        title = next((p.event[0] for p in planned if p.task == task and p.event and p.event[1] == day
                      and same_title(p.event[0], title)), title)
    fresh = twin is None and not any(p.task == task and p.event == (title, day) for p in planned)
    if filled:
        batch._record(row, None, {}, filled, ref, unit, file_name, at, event=None if twin else (title, day),
                      instance=twin.key if twin else None)
    elif not fresh:
        batch.result.skipped[unit] = batch.result.skipped.get(unit, 0) + 1
    else:
        batch.result.planned.setdefault(unit, []).append(
            Planned(at, task, "新事件", "—", f"事件“{title}”（{day}）", None, None, (title, day)))
    wide = next((r for r in live(entry, False).task.records if r.whole_task), None) if entry else None
    if fresh and wide is not None and any(p.task == task and p.event == (title, day) for p in batch.result.planned.get(unit, [])):
        # registered, but judged 不适用 while the whole task is: the office should know the unit has an event after all
        batch.result.notes.setdefault(unit, []).append(
            f"{at}：第 {task} 项已登记整项任务不适用（{wide.id}），这个事件也按不适用计；本年度确有这类事件的，"
            f"请撤回 {wide.id}（gwgk record --unit {unit} --task {task} --withdraw {wide.id} --reason 原因）")


def event_row_target(batch: Batch, unit: str, task: int, key: str, replaces: str | None, at: str) -> tuple[str, str | None] | None:
    """Where a row of registered event ``key`` belongs now: ``(instance, replaces)``, on the event
    that corrected ``key`` if the office has corrected it since the export (the record the row showed
    then is the one moved with it); None when the event was withdrawn outright (said in the summary)."""
    from gwgk.ledger.imported import successor

    ledger = batch.ledgers.get(unit)
    entry = ledger.task(task) if ledger else None
    if entry is None or key not in withdrawn(entry):
        return key, replaces
    event = next((e for e in entry.events if e.key == key), None)
    words = f"事件 {key}" + (f"“{event.title}”（{event.date}）" if event else "")
    after = successor(entry, [key])
    if after is None:
        batch.retire(unit, f"{at}：第 {task} 项 {words}已被撤回，这一行的完成情况不再登记；如确需登记，请用 gwgk record 登记")
        return None
    batch.retire(unit, f"{at}：第 {task} 项 {words}已被更正为 {after.key}“{after.title}”（{after.date}），"
                       f"这一行的完成情况记在 {after.key} 上（已有的不重复登记）")
    if replaces is not None:  # the record the row showed, moved onto the new event with it
        replaces = next((r.id for r in live(entry, False).task.records if r.replaces == replaces and r.instance == after.key), replaces)
    return after.key, replaces


FILLED_COLUMNS = (EVENT_CELLS["title"], EVENT_CELLS["date"], *FILL.values())  # what a copied spare row repeats
