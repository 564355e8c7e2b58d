"""``gwgk plan list``, ``gwgk plan draft``, and choosing a plan for ``--plan`` (used by the
catalogue commands) and drafting a new workspace's catalogue (``gwgk init --plan``)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from gwgk.commands import common
from gwgk.commands.app import CONTEXT, app

if TYPE_CHECKING:
    from gwgk.catalogue.load import PlanFile
    from gwgk.catalogue.model import Catalogue
    from gwgk.catalogue.units import Directory
    from gwgk.drafting.draft import Draft
    from gwgk.files.workspace import Workspace

PLAN_HELP = "看哪一年的计划（如 2022）；不指定时用 --as-of 那天已开始的最新一年的计划。"

plan_app = typer.Typer(
    help="年度计划：列出工作区里的各年计划，或从计划原文起草新一年的任务目录。",
    no_args_is_help=True,
    context_settings=CONTEXT,
    options_metavar="[选项]",
    subcommand_metavar="命令 [参数]...",
)
app.add_typer(plan_app, name="plan")


def plans(ws: Workspace) -> list[PlanFile]:
    """Every plan of the workspace, by year (exit 2 listing every broken plan file)."""
    from gwgk.catalogue.load import load_plans

    return load_plans(ws.tasks_path, ws.root, ws.cache_dir)


def chosen(ws: Workspace, year: int | None, as_of: str | None) -> PlanFile:
    """The plan ``--plan`` names, or the latest one begun by ``--as-of``."""
    from gwgk.catalogue.load import chosen_plan

    return chosen_plan(plans(ws), year, common.as_of(as_of))


def plan_catalogue(ws: Workspace, year: int | None, as_of: str | None) -> Catalogue:
    """The validated catalogue of the chosen plan, with the workspace's units."""
    from gwgk.catalogue.load import PLANS_FOLDER, load_catalogue

    if year is None and not (ws.tasks_path.parent / PLANS_FOLDER).is_dir():
        return common.catalogue(ws)  # a one-plan workspace, as before plan years
    plan = chosen(ws, year, as_of)
    return load_catalogue(plan.path, ws.units_path, plan.name, ws.name(ws.units_path), ws.cache_dir)


CLOSE_REASON_HELP = "原因（如“2021年度工作已总结，剩余事项不再催办”），写入 data/closures.yaml。"


@plan_app.command("close", context_settings=CONTEXT, options_metavar="[选项]")
def plan_close(
    ctx: typer.Context,
    year: int = typer.Argument(..., metavar="年度", help="要收尾的计划年度，如 2021。"),
    reason: str | None = typer.Option(None, "--reason", "-r", metavar="原因", help=CLOSE_REASON_HELP),
    as_of: str | None = typer.Option(None, "--as-of", metavar="日期", help="从哪一天起收尾（默认今天，北京时间）。"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只显示将要记录的收尾，不写入。"),
    format: str = typer.Option("table", "--format", "-f", metavar="格式", help=common.FORMAT_HELP.format("table、json")),
    by: str | None = typer.Option(None, "--by", metavar="姓名", help=common.BY_HELP),
) -> None:
    """计划收尾：从这一天起回头看不再列出这一年计划的未完成事项；这一计划的年终汇总仍计为超期未完成并注明收尾。可用 gwgk plan reopen 撤回。"""
    _closing(ctx, year, "close", reason, as_of, dry_run, format, by)


@plan_app.command("reopen", context_settings=CONTEXT, options_metavar="[选项]")
def plan_reopen(
    ctx: typer.Context,
    year: int = typer.Argument(..., metavar="年度", help="要重新开启的计划年度，如 2021。"),
    reason: str | None = typer.Option(None, "--reason", "-r", metavar="原因", help="撤回收尾的原因。"),
    as_of: str | None = typer.Option(None, "--as-of", metavar="日期", help="从哪一天起撤回收尾（默认今天，北京时间）。"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只显示将要记录的撤回，不写入。"),
    format: str = typer.Option("table", "--format", "-f", metavar="格式", help=common.FORMAT_HELP.format("table、json")),
    by: str | None = typer.Option(None, "--by", metavar="姓名", help=common.BY_HELP),
) -> None:
    """撤回计划收尾（条目保留）：从这一天起回头看重新列出这一年计划的未完成事项。"""
    _closing(ctx, year, "reopen", reason, as_of, dry_run, format, by)


def _closing(ctx: typer.Context, year: int, decision: str, reason: str | None, as_of: str | None, dry_run: bool, fmt: str,
             by: str | None) -> None:
    from gwgk.errors import UsageError
    from gwgk.ledger.closing import change_closures

    fmt = common.choose(fmt, ("table", "json"))
    day = common.as_of(as_of)
    chosen = book(common.workspace(ctx, use_cache=False), year, day)  # a writer decides from the files alone
    if chosen.catalogue.plan.year != year:
        raise UsageError(f"工作区里没有 {year} 年的计划（只有 {chosen.catalogue.plan.year} 年）")
    common.bulk_result(change_closures(chosen.workspace, chosen.catalogue, decision, reason, day, dry_run, common.stamp(by)), fmt)


@plan_app.command("list", context_settings=CONTEXT, options_metavar="[选项]")
def plan_list(
    ctx: typer.Context,
    as_of: str | None = typer.Option(None, "--as-of", metavar="日期", help=common.AS_OF_HELP),
    format: str = typer.Option("table", "--format", "-f", metavar="格式", help=common.FORMAT_HELP.format("table、json")),
) -> None:
    """列出工作区里的各年计划（年度、标题、印发单位和日期、任务数），标出当前计划。"""
    fmt = common.choose(format, ("table", "json"))
    from gwgk.catalogue.load import current_plan
    from gwgk.reports.plans import plans_report

    found = plans(common.workspace(ctx))
    report = plans_report([(p.meta, p.tasks) for p in found], current_plan(found, common.as_of(as_of)).meta.year)
    if fmt == "json":
        print(common.json_text(report), end="")
        return
    from gwgk.render.terminal import rows_table

    rows = [[str(p.year), p.title, p.issuer, p.issued.isoformat(), str(p.tasks), "当前" if p.current else ""] for p in report.plans]
    common.show([rows_table("年度计划", ("年度", "标题", "印发单位", "印发日期", "任务数", "当前"), rows, ("任务数",)),
                 f"共 {len(rows)} 个计划。"])


def _read_draft(source: Path, year: int | None, ws: Workspace | None) -> Draft:
    from gwgk.drafting.draft import draft
    from gwgk.drafting.source import read_plan

    directory = _every_unit(ws) if ws is not None else None
    return draft(read_plan(source), directory, year)


def _every_unit(ws: Workspace) -> Directory:
    """Every unit and group of the workspace, whichever years they exist in (a plan's catalogue holds
    only the units of its period): what a new plan's names are matched against, so that a unit set
    up for one later plan is found again by the next."""
    from gwgk.catalogue.units import Directory, UnitsFile
    from gwgk.files.loader import load_model

    common.catalogue(ws)  # refuses a broken catalogue as before
    units, _ = load_model(ws.units_path, UnitsFile, ws.name(ws.units_path), ws.cache_dir)
    return Directory(units.units, units.groups)


def _check(plan_text: str, plan_name: str, units_text: str, units_name: str) -> None:
    """Refuse (exit 2, nothing written) when the draft would not load as a catalogue."""
    from gwgk.catalogue.model import build
    from gwgk.catalogue.plan import TasksFile
    from gwgk.catalogue.units import UnitsFile
    from gwgk.errors import DataError
    from gwgk.files.loader import located, validate
    from gwgk.files.yamlio import load_fast

    # the draft is not on disk: its problems are located in the draft, and say so
    plan_name, units_name = f"{plan_name}（起草稿，未写入）", f"{units_name}（起草稿，未写入）"
    tasks_file = validate(TasksFile, load_fast(plan_text, plan_name), plan_text, plan_name)
    units_file = validate(UnitsFile, load_fast(units_text, units_name), units_text, units_name)
    _, findings = build(tasks_file, units_file)
    if findings:
        texts = {"tasks": (plan_text, plan_name), "units": (units_text, units_name)}
        raise DataError("起草的任务目录无法使用，没有写入任何文件", [located(*texts[f.file], f.path, f.message) for f in findings])


def _keep_source(source: Path, data: Path) -> None:
    """A copy of the plan's text in ``data/source/``, to check the draft against (never overwritten)."""
    from gwgk.files.storage import write_atomic

    copy = data / "source" / source.name
    if not copy.exists():
        write_atomic(copy, source.read_bytes(), make_parents=True)


def _summary(result: Draft, where: str) -> int:
    tasks = result.plan["tasks"]
    print(f"已起草 {result.year} 年计划《{result.plan['plan']['title']}》：{len(tasks)} 项任务，写入 {where}。")
    if result.units or result.groups:
        print(f"新增 {len(result.units)} 个单位、{len(result.groups)} 个单位组（data/units.yaml）。")
    spellings = sum(len(v) for v in result.aliases.values())
    if spellings:
        print(f"为已有单位组增加 {spellings} 种写法：" + "、".join(s for v in result.aliases.values() for s in v) + "。")
    if result.reviews:
        print(f"有 {result.reviews} 处标了 review，需要对照原文核对；运行 gwgk validate 逐条查看。")
        return 1
    print("没有需要核对的地方。")
    return 0


@plan_app.command("draft", context_settings=CONTEXT, options_metavar="[选项]")
def plan_draft(
    ctx: typer.Context,
    source: Path = typer.Argument(..., metavar="计划文件", help="计划原文：纯文本、Word 或另存的网页（.txt、.docx、.html）。"),
    year: int | None = typer.Option(None, "--year", metavar="年度", help="计划年度；不指定时从标题或印发日期看出。"),
    replace: bool = typer.Option(False, "--replace", help="这一年已有计划时，用新起草的替换它。"),
    check_sheet: Path | None = typer.Option(
        None, "--check-sheet", metavar="核对表", help="另写核对表（.xlsx 或 .html）：每项任务的原文与读作对照。"),
) -> int:
    """从计划原文起草一年的任务目录，写入 data/plans/<年度>.yaml，新单位加入 data/units.yaml。

    读不准的地方标 review；有需要核对的地方时退出码为 1。
    """
    from gwgk.catalogue.load import PLANS_FOLDER
    from gwgk.errors import UsageError

    ws = common.workspace(ctx, use_cache=False)  # a writer decides from the files alone
    sheet_kind = _sheet_kind(check_sheet)
    result = _read_draft(source, year, ws)
    existing = {p.meta.year: p for p in plans(ws)}
    target = ws.tasks_path.parent / PLANS_FOLDER / f"{result.year}.yaml"
    if result.year in existing:
        if not replace:
            raise UsageError(f"工作区已有 {result.year} 年的计划（{existing[result.year].name}）；要替换请加 --replace")
        target = existing[result.year].path
    _write_draft(ws, result, target, source, check_sheet, sheet_kind)
    return _summary(result, ws.name(target))


def _sheet_kind(path: Path | None) -> str:
    """The 核对表's format from its name (refused before anything is drafted when it is neither)."""
    from gwgk.errors import UsageError

    if path is None:
        return ""
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("xlsx", "html", "htm"):
        raise UsageError(f"核对表“{path}”应以 .xlsx 或 .html 结尾")
    if path.parent and not path.expanduser().parent.is_dir():
        raise UsageError(f"无法写入核对表“{path}”：文件夹“{path.parent}”不存在")
    return kind


def _write_sheet(ws: Workspace, result: Draft, path: Path, kind: str) -> None:
    """The check sheet, through one descriptor of its folder (never into the workspace's own folders)."""
    from gwgk.errors import WorkspaceError
    from gwgk.files.storage import write_into_folder

    if kind == "xlsx":
        from gwgk.excel.checksheet import workbook

        data = workbook(result)
    else:
        from gwgk.drafting.checksheet import html

        data = html(result).encode("utf-8")
    try:
        write_into_folder(path.expanduser(), data, refuse_in=[Path(os.path.realpath(p)) for p in ws.protected_dirs],
                          what="--check-sheet")
    except OSError as exc:
        raise WorkspaceError(f"核对表“{path}”无法写入：{exc.strerror or exc}；任务目录没有写入") from None
    print(f"核对表写入 {path}：每项任务一行，原文与读作对照。")


def _write_draft(ws: Workspace, result: Draft, target: Path, source: Path, check_sheet: Path | None, sheet_kind: str) -> None:
    """The check sheet first (one that cannot be written leaves the workspace as it was), then the
    plan, units.yaml (only if it still holds what was read: a hand edit meanwhile is kept) and the
    source's copy, all or nothing."""
    from gwgk.drafting.writing import plan_yaml, units_with_draft
    from gwgk.files.commit import write_all
    from gwgk.files.loader import read_bytes
    from gwgk.files.storage import ANY, fingerprint, locked

    units_name = ws.name(ws.units_path)
    with locked(ws.locks_dir / "catalogue.lock", "任务目录"):
        raw_units = read_bytes(ws.units_path, units_name)
        units_text = raw_units.decode("utf-8-sig")
        new_units = units_with_draft(units_text, result, units_name)
        plan_text = plan_yaml(result)
        _check(plan_text, ws.name(target), new_units, units_name)
        if check_sheet is not None:
            _write_sheet(ws, result, check_sheet, sheet_kind)
        files = [(target, plan_text.encode("utf-8"), ANY)]
        if new_units != units_text:
            files.append((ws.units_path, new_units.encode("utf-8"), fingerprint(raw_units)))
        copy = ws.tasks_path.parent / "source" / source.name  # the plan's text, to check the draft against
        if not copy.exists():
            files.append((copy, source.read_bytes(), None))
        write_all(files, ws.journal_dir, make_parents=True)


def init_from_plan(target: Path, source: Path, year: int | None) -> int:
    """``gwgk init DIR --plan PLAN``: a new workspace holding only the catalogue drafted from PLAN."""
    from gwgk.drafting.writing import new_units_yaml, plan_yaml
    from gwgk.errors import WorkspaceError
    from gwgk.files.commit import write_all

    root = target.expanduser().resolve()
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"“{root}”已存在且不是文件夹，没有创建工作区")
    data = root / "data"
    if any((data / f).exists() for f in ("tasks.yaml", "units.yaml")) or ((root / "ledgers").is_dir() and any((root / "ledgers").iterdir())):
        raise WorkspaceError(f"“{root}”已经是工作区（已有 data/ 或 ledgers/ 中的文件），为免覆盖，没有做任何改动")
    result = _read_draft(source, year, None)
    plan_text, units_text = plan_yaml(result), new_units_yaml(result)
    _check(plan_text, "data/tasks.yaml", units_text, "data/units.yaml")
    try:
        write_all([(data / "units.yaml", units_text.encode("utf-8"), None),
                   (data / "tasks.yaml", plan_text.encode("utf-8"), None)], root / ".gwgk" / "journal", make_parents=True)
        _keep_source(source, data)
        (root / "ledgers").mkdir(parents=True, exist_ok=True)
        (root / ".gitignore").write_text(".gwgk/\n", encoding="utf-8")
    except OSError as exc:
        raise WorkspaceError(f"无法在“{root}”创建工作区：{exc.strerror or exc}") from None
    code = _summary(result, "data/tasks.yaml")
    print(f"已在 {root} 新建工作区。下一步：gwgk --workspace {root} validate")
    return code


def checked_files(ws: Workspace, year: int | None) -> list[tuple[Path, str]]:
    """The catalogue files ``gwgk validate`` looks at: every plan (or the ``--plan`` one) and units.yaml."""
    from gwgk.catalogue.load import plan_paths

    if year is None:
        files = [(path, ws.name(path)) for path in plan_paths(ws.tasks_path)]
    else:
        plan = chosen(ws, year, None)
        files = [(plan.path, plan.name)]
    return [*files, (ws.units_path, ws.name(ws.units_path))]


@dataclass(frozen=True)
class Book:
    """One plan's catalogue and the view of the workspace whose ledgers belong to that plan."""

    catalogue: Catalogue
    workspace: Workspace


def books(ws: Workspace, year: int | None, day: dt.date, *, every: bool = False) -> list[Book]:
    """The plans a ledger command works on: the ``--plan`` year; without it the current plan (the
    latest begun by ``day``), or with ``every`` each plan begun by then (the 回头看 across years)."""
    from gwgk.catalogue.load import (
        PLANS_FOLDER,
        chosen_plan,
        current_plan,
        load_catalogue,
    )

    if year is None and not (ws.tasks_path.parent / PLANS_FOLDER).is_dir():
        return [Book(common.catalogue(ws), ws)]  # a one-plan workspace, as before plan years
    found = plans(ws)
    if year is not None:
        picked = [chosen_plan(found, year, day)]
    elif every:
        picked = [p for p in found if p.meta.effective_from <= day] or [found[0]]
    else:
        picked = [current_plan(found, day)]
    return [
        Book(load_catalogue(p.path, ws.units_path, p.name, ws.name(ws.units_path), ws.cache_dir),
             ws.for_plan("" if p.path == ws.tasks_path else str(p.meta.year)))
        for p in picked
    ]


def book(ws: Workspace, year: int | None, day: dt.date) -> Book:
    """The one plan a ledger command works on (``--plan``, or the current plan)."""
    return books(ws, year, day)[0]


def lookback_scope(chosen: list[Book], unit: list[str], group: list[str], day: dt.date) -> list[str]:
    """The units the 回头看 over the plans ``chosen`` covers (``gwgk overdue`` and ``gwgk remind``):
    ``--unit``/``--group`` in the latest plan, else every unit set up by ``day``, and a unit dissolved
    before the latest plan still answers for the years it owed."""
    scope = chosen[-1].catalogue.scope(unit, group, day)
    if not unit and not group:
        scope += [u for u in dict.fromkeys(u for b in chosen[:-1] for u in b.catalogue.units_begun(day)) if u not in scope]
    return scope
