"""``gwgk remind`` (催办: each unit its own reminder, by file, e-mail or a group robot) and
``gwgk collect`` (who has sent back the workbook they were sent)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from gwgk.commands import common
from gwgk.commands.app import CONTEXT, app
from gwgk.errors import EXIT_FOUND, EXIT_OK

if TYPE_CHECKING:
    from gwgk.catalogue.contacts import Contacts
    from gwgk.catalogue.model import Catalogue
    from gwgk.commands.plans import Book
    from gwgk.entries.model import Ledger, Stamp
    from gwgk.files.workspace import Workspace
    from gwgk.reports.collect import CollectReport
    from gwgk.reports.duesoon import OverdueDueSoon
    from gwgk.reports.overdue import OverdueReport
    from gwgk.reports.reminders import ReminderItem, Reminders, Waiting
    from gwgk.send.deliver import Channel, Outcome

REMINDERS_LOG = "reminders.jsonl"
WORKBOOKS_LOG = "workbooks.jsonl"
CONTACTS = "contacts.yaml"
DEFAULT_OUTPUT = "催办-{date}/{unit}.txt"
WAITING_HELP = "发出的工作台账超过多少天没有交回算未答复。"


def _log(ws: Workspace, name: str) -> tuple[Path, str]:
    path = ws.log_dir / name
    return path, ws.name(path)


def read_log(ws: Workspace, name: str) -> list[tuple[int, dict[str, Any]]]:
    """The entries of the workspace's log ``name`` with their line numbers."""
    from gwgk.files import journal

    return journal.read(*_log(ws, name))


def append_log(ws: Workspace, name: str, entries: list[dict[str, Any]]) -> None:
    """Append ``entries`` to the workspace's log ``name``."""
    from gwgk.files import journal

    path, shown = _log(ws, name)
    journal.append(path, entries, ws.root, shown)


def record_sent(ws: Workspace, cat: Catalogue, sheets: list[tuple[str, Any]], day: dt.date) -> None:
    """Record in ``log/workbooks.jsonl`` that the workbook of ``sheets`` went to each of its units."""
    from gwgk.excel.export import workbook_key

    key = workbook_key(cat, sheets, day)
    stamp = common.stamp(None)
    _append_new(ws, [{"kind": "export", "unit": unit, "day": day.isoformat(), "workbook": key, "via": "export",
                      "at": stamp.at.isoformat(), "by": stamp.by} for unit, _ in sheets])


def record_returned(ws: Workspace, returned: list[tuple[str, dt.date, str | None]], day: dt.date, stamp: Stamp) -> None:
    """Record in ``log/workbooks.jsonl`` that each (unit, export day, key) workbook came back on
    ``day``, imported by ``stamp.by`` at ``stamp.at``."""
    _append_new(ws, [{"kind": "import", "unit": unit, "day": day.isoformat(), "exported": exported.isoformat(),
                      "workbook": key, "at": stamp.at.isoformat(), "by": stamp.by} for unit, exported, key in returned])


def _append_new(ws: Workspace, entries: list[dict[str, Any]]) -> None:
    """Append to the workbook log the entries it does not hold yet: the same workbook (its key
    names its export day) sent again, or returned again on any later day, is the same event; what
    counts is the first time it came back (importing a workbook twice writes nothing)."""
    def same(e: dict[str, Any]) -> tuple[Any, ...]:
        return (e.get("kind"), e.get("unit"), e.get("workbook"), e.get("exported"), e.get("day") if e.get("kind") == "export" else None)

    held = {same(e) for _, e in read_log(ws, WORKBOOKS_LOG)}
    append_log(ws, WORKBOOKS_LOG, [e for e in entries if same(e) not in held])


def load_contacts(ws: Workspace, cat: Catalogue, *, required: bool) -> Contacts | None:
    """``data/contacts.yaml`` checked against the units (exit 2 with every problem located); None
    when it does not exist and is not ``required``."""
    from gwgk.errors import DataError, UsageError

    path = ws.root / "data" / CONTACTS
    if not path.exists():
        if required:
            raise UsageError(f"没有 data/{CONTACTS}：发邮件或机器人消息前，请先写好各单位的联系方式（见 docs/manual/remind.md）")
        return None
    from gwgk.catalogue.contacts import ContactsFile, checked, name_problems
    from gwgk.files import yamlio
    from gwgk.files.loader import load_model, located, read_bytes

    name = ws.name(path)
    try:
        data, text = load_model(path, ContactsFile, name)
    except DataError as exc:  # the names' problems too, so that every problem is seen at once
        if not exc.problems or exc.message != f"{name} 的内容不符合格式要求":
            raise
        text = yamlio.decode(read_bytes(path, name), name)
        more = [located(text, name, loc, message) for loc, message in name_problems(yamlio.load_fast(text, name), cat.directory)]
        raise DataError(exc.message, sorted([*exc.problems, *more], key=lambda p: (p.line or 0, p.column or 0))) from None
    contacts, problems = checked(data, cat.directory)
    if problems:
        raise DataError(f"{name} 的内容不符合要求", [located(text, name, loc, message) for loc, message in problems])
    return contacts


def contacts_problems(ws: Workspace) -> list[Any]:
    """Every problem of ``data/contacts.yaml`` (none when it is absent or right), for ``gwgk validate``."""
    from gwgk.errors import DataError

    try:
        load_contacts(ws, common.catalogue(ws), required=False)
    except DataError as exc:
        return list(exc.problems)
    return []


def workbook_events(ws: Workspace) -> list[Any]:
    """The entries of ``log/workbooks.jsonl`` as ``WorkbookEvent`` values (exit 2 naming a bad line)."""
    from pydantic import ValidationError

    from gwgk.errors import DataError, Problem
    from gwgk.reports.collect import WorkbookEvent

    shown = _log(ws, WORKBOOKS_LOG)[1]
    events, problems = [], []
    for line, entry in read_log(ws, WORKBOOKS_LOG):
        try:
            events.append(WorkbookEvent.model_validate(entry))
        except ValidationError:
            problems.append(Problem(shown, line, 1, "这一行不是有效的工作台账收发记录；gwgk 只追加记录，请不要手工修改这个文件"))
    if problems:
        raise DataError(f"记录文件 {shown} 有损坏的行", problems)
    return events


def built_reminders(chosen: list[Book], scope: list[str], day: dt.date, within: int,
                    waiting: dict[str, Waiting] | None, office: str) -> Reminders:
    """Every unit's reminder as of ``day``: the items of the 回头看 (``reports.lookback``, as
    ``gwgk overdue`` builds it), then what falls due within ``within`` days and what was returned,
    over the plans ``chosen``."""
    from gwgk.reports.lookback import lookback
    from gwgk.reports.reminders import reminders, unit_extras

    looked = lookback([(b.workspace, b.catalogue) for b in chosen], scope, day)
    report = looked.named(looked.report)  # an event's instance named by the event, as the 回头看 names it
    extras: dict[str, list[ReminderItem]] = {u: [] for u in scope}
    for unit, catalogue, ledger in _each_ledger(chosen, scope):
        extras[unit] += unit_extras(catalogue, unit, ledger, day, within)
    return reminders(day, within, report, extras, scope, waiting, office=office)


def _each_ledger(chosen: list[Book], scope: list[str]) -> Iterator[tuple[str, Catalogue, Ledger | None]]:
    """Each unit of ``scope`` in each plan with its ledger there; a broken ledger is skipped (the
    回头看 names its unit as not checked)."""
    from gwgk.ledger.store import LazyLedgers

    for b in chosen:
        ledgers = LazyLedgers(b.workspace, b.catalogue)
        for unit in scope:
            known = len(ledgers.problems)
            ledger = ledgers.get(unit)
            if len(ledgers.problems) == known:
                yield unit, b.catalogue, ledger


def due_soon_view(chosen: list[Book], report: OverdueReport, day: dt.date, within: int | None) -> OverdueDueSoon:
    """``gwgk overdue --due-soon``: the 回头看 ``report`` with what falls due within ``within`` days
    (default the latest plan's ``settings.due_soon_days``) beside it."""
    from gwgk.reports.duesoon import unit_due_soon, with_due_soon

    days = chosen[-1].catalogue.settings.due_soon_days if within is None else within
    scope = [u.unit for u in report.units]
    items = [i for unit, catalogue, ledger in _each_ledger(chosen, scope) for i in unit_due_soon(catalogue, unit, ledger, day, days)]
    return with_due_soon(report, days, items)


def _channel(book: Book, via: str, output: str | None, attach: bool, day: dt.date,
             contacts: Contacts | None, dry_run: bool) -> Channel:
    """What ``deliver`` needs for ``via``: where a file goes, the contacts and secrets, the workbooks
    (a dry run sends nothing, so it needs no password)."""
    from gwgk.errors import UsageError
    from gwgk.send.deliver import Channel

    if attach and via != "email":
        raise UsageError("--attach 只能和 --via email 一起用：工作台账作为邮件附件发出")
    if via != "file" and output is not None:
        raise UsageError("--output 只用于 --via file（每个单位一个文本文件）")
    if via == "email":
        _check_smtp(contacts, password=not dry_run)
    template = output or DEFAULT_OUTPUT
    if via == "file" and "{unit}" not in template:
        raise UsageError(f"--output 里要有 {{unit}}，每个单位一个文件，如 --output '催办/{{date}}/{{unit}}.txt'（现在是“{template}”）")

    def path_of(unit: str) -> Path:
        return common.output_path(template.replace("{unit}", unit), day)

    def write(path: Path, data: bytes) -> None:
        from gwgk.files.storage import write_atomic

        write_atomic(path, data, make_parents=True, what="--output")

    if via == "file":
        for unit in list(book.catalogue.units)[:1]:
            path_of(unit)  # a bad template is refused before anything is sent
    stamp = common.stamp(None)
    return Channel(via=via, contacts=contacts, env=dict(os.environ), path_of=path_of, write=write,
                   attach=_attachment(book, day) if attach else None, now=stamp.at, by=stamp.by)


def _check_smtp(contacts: Contacts | None, *, password: bool) -> None:
    from gwgk.catalogue.contacts import PASSWORD_ENV
    from gwgk.errors import UsageError

    if contacts is None or contacts.smtp is None:
        raise UsageError(f"data/{CONTACTS} 里没有 smtp（邮件服务器），无法发邮件")
    if password and contacts.smtp.user and not os.environ.get(PASSWORD_ENV):
        raise UsageError(f"邮件服务器要登录（用户 {contacts.smtp.user}），请在环境变量 {PASSWORD_ENV} 中提供密码（不要写进工作区的文件）")


def _attachment(book: Book, day: dt.date) -> Any:
    def attach(unit: str) -> tuple[str, bytes, str]:
        from gwgk.excel.export import unit_rows, workbook_bytes, workbook_key
        from gwgk.ledger.store import read

        sheets = [(unit, unit_rows(book.catalogue, unit, read(book.workspace, book.catalogue, unit).ledger, day))]
        return f"{unit}-台账-{day.isoformat()}.xlsx", workbook_bytes(book.catalogue, sheets, day), workbook_key(book.catalogue, sheets, day)

    return attach


def _sent(ws: Workspace, ch: Channel, built: Reminders, dry_run: bool) -> Outcome:
    """``deliver`` under the run's lock, each message recorded as it goes (a dry run: neither)."""
    from gwgk.send.deliver import close, deliver

    with _one_run(ws, dry_run):  # two runs at once (an hourly cron line) never send the same reminder twice
        ch.record = None if dry_run else _recorder(ws)
        try:
            return deliver(built, ch, [entry for _, entry in read_log(ws, REMINDERS_LOG)], dry_run=dry_run)
        finally:
            close(ch)


def _one_run(ws: Workspace, dry_run: bool) -> Any:
    """A lock held while a run reads the reminder log and sends (none for a dry run: it writes nothing)."""
    import contextlib

    from gwgk.files.storage import locked

    if dry_run:
        return contextlib.nullcontext()
    return locked(ws.root / ".gwgk" / "locks" / "remind.lock", "log/reminders.jsonl", timeout=600)


def _recorder(ws: Workspace) -> Any:
    """What ``deliver`` calls after each message: its entries appended to the two logs."""
    def record(sent: list[dict[str, Any]], workbooks: list[dict[str, Any]]) -> None:
        append_log(ws, REMINDERS_LOG, sent)
        append_log(ws, WORKBOOKS_LOG, workbooks)

    return record


def collected(ws: Workspace, units: list[str], day: dt.date) -> CollectReport:
    """Who has answered, as of ``day``."""
    from gwgk.reports.collect import collect_report

    return collect_report(day, units, workbook_events(ws))


@app.command(context_settings=CONTEXT, options_metavar="[选项]")
def remind(
    ctx: typer.Context,
    as_of: str | None = typer.Option(None, "--as-of", metavar="日期", help=common.AS_OF_HELP),
    within: int | None = typer.Option(None, "--within", min=0, max=366, metavar="天数", help="提醒多少天内到期的事项；默认是任务目录 settings.due_soon_days。"),
    unit: list[str] = typer.Option([], "--unit", "-u", metavar="单位", help="只提醒这些单位，可写多次。"),
    group: list[str] = typer.Option([], "--group", "-g", metavar="单位组", help="只提醒这个单位组的单位；可写多次。"),
    plan: int | None = typer.Option(None, "--plan", metavar="年度", help="只看这一年的计划；默认包括 --as-of 那天已开始的每一年的计划。"),
    via: str = typer.Option("file", "--via", metavar="渠道",
                            help="发送渠道：file（文本文件）、email、dingtalk（钉钉）、wecom（企业微信）。"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只显示每条提醒和收件人，不发送，也不记录。"),
    format: str = typer.Option("table", "--format", "-f", metavar="格式", help=common.FORMAT_HELP.format("table、json")),
    output: str | None = typer.Option(None, "--output", "-o", metavar="文件",
                                      help=f"--via file 时每个单位的文件，须含 {{unit}}，可含 {{date}}；默认 {DEFAULT_OUTPUT}。"),
    attach: bool = typer.Option(False, "--attach", help="--via email 时附上各单位当天的工作台账（同 gwgk export）。"),
    unanswered: bool = typer.Option(False, "--unanswered", help="只催发出工作台账后超过 --waiting 天仍未交回的单位（见 gwgk collect）。"),
    waiting: int = typer.Option(7, "--waiting", min=0, metavar="天数", help=WAITING_HELP),
) -> int:
    """催办：给每个单位发它自己的提醒（超期、滞后、即将到期、被退回的事项），同一天同样的内容不重发，失败的下次重试。"""
    fmt = common.choose(format, ("table", "json"))
    channel = common.choose(via, ("file", "email", "dingtalk", "wecom"), "--via")
    day = common.as_of(as_of)
    from gwgk.commands.plans import books, lookback_scope
    from gwgk.reports.collect import unanswered as late

    ws = common.workspace(ctx, use_cache=not dry_run)  # a dry run writes nothing, not even the cache
    chosen = books(ws, plan, day, every=True)
    cat = chosen[-1].catalogue
    scope = lookback_scope(chosen, unit, group, day)  # the 回头看's units, so that each is reminded of what it names
    contacts = load_contacts(ws, cat, required=channel != "file")
    ch = _channel(chosen[-1], channel, output, attach, day, contacts, dry_run)
    late_units = late(collected(ws, scope, day), waiting) if unanswered else None
    built = built_reminders(chosen, scope, day, cat.settings.due_soon_days if within is None else within, late_units,
                            contacts.signature if contacts else "")
    outcome = _sent(ws, ch, built, dry_run)
    from gwgk.render.reminders import remind_text

    common.emit(common.json_text(outcome.result) if fmt == "json" else remind_text(outcome.result, outcome.already, dry_run), None, day)
    for failure in outcome.result.failed:
        print(f"未能提醒 {failure.unit}：{failure.error}", file=sys.stderr)
    return EXIT_FOUND if outcome.result.failed else EXIT_OK


@app.command(context_settings=CONTEXT, options_metavar="[选项]")
def collect(
    ctx: typer.Context,
    as_of: str | None = typer.Option(None, "--as-of", metavar="日期", help=common.AS_OF_HELP),
    format: str = typer.Option("table", "--format", "-f", metavar="格式", help=common.FORMAT_HELP.format("table、json")),
    unit: list[str] = typer.Option([], "--unit", "-u", metavar="单位", help="只看这些单位，可写多次。"),
    group: list[str] = typer.Option([], "--group", "-g", metavar="单位组", help="只看这个单位组的单位；可写多次。"),
    waiting: int = typer.Option(7, "--waiting", min=0, metavar="天数", help=WAITING_HELP),
    plan: int | None = typer.Option(None, "--plan", metavar="年度", help="按哪一年的计划列单位；默认是 --as-of 那天的当前计划。"),
) -> int:
    """收回情况：每个单位最近发出和交回的工作台账，交回的是不是最新发出的，以及超过 --waiting 天未交回的单位。"""
    fmt = common.choose(format, ("table", "json"))
    day = common.as_of(as_of)
    from gwgk.commands.plans import book
    from gwgk.reports.collect import unanswered

    ws = common.workspace(ctx)
    cat = book(ws, plan, day).catalogue
    report = collected(ws, cat.scope(unit, group, day), day)
    late = unanswered(report, waiting)
    if fmt == "json":
        common.emit(common.json_text(report), None, day)
    else:
        from gwgk.render.reminders import collect_blocks

        common.show(collect_blocks(report, late, waiting))
    return EXIT_FOUND if late else EXIT_OK
