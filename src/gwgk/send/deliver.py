"""Sending each unit its reminder by one channel, once a day, and recording what went out.

* Each unit is reached by its own contact for the channel, else by that of a group it belongs to:
  a group's contact gets one message for all its members that have something to hear.
* A reminder already sent on the same day for the same items (``log/reminders.jsonl``) is not sent
  again; one that failed is tried again on the next run, and only it.
* A failure (no contact, server down, refused address, robot error) fails the units of that message,
  named with the reason; the other messages still go. Every attempt is appended to the log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gwgk.catalogue.contacts import PASSWORD_ENV, Contact, Contacts, has
from gwgk.errors import GwgkError
from gwgk.reports.reminders import (
    Failure,
    Message,
    Reminders,
    RemindResult,
    UnitReminder,
)
from gwgk.send.robots import RateLimit, SendError, robot_label

CHANNEL_LABELS = {"file": "文本文件", "email": "电子邮件", "dingtalk": "钉钉群机器人", "wecom": "企业微信群机器人"}


@dataclass
class Outcome:
    """What a run did: the result to show, the log entries to append, how many were sent before."""

    result: RemindResult
    log: list[dict[str, Any]] = field(default_factory=list)
    workbooks: list[dict[str, Any]] = field(default_factory=list)  # workbooks attached: export entries
    already: list[str] = field(default_factory=list)  # units reminded of the same items earlier that day


@dataclass
class Destination:
    """Where one message goes: a unit's own contact, a group's, or a file; the units it tells."""

    to: str
    contact: Contact | None
    group: str | None = None
    path: Path | None = None
    units: list[UnitReminder] = field(default_factory=list)


@dataclass
class Channel:
    """What sending needs besides the reminders: the contacts, the environment (secrets), where a
    file goes, the workbook to attach, the robots' rate limit and the clock."""

    via: str
    contacts: Contacts | None = None
    env: Mapping[str, str] = field(default_factory=dict)
    path_of: Callable[[str], Path] | None = None
    attach: Callable[[str], tuple[str, bytes, str]] | None = None  # unit -> file name, bytes, workbook key
    limiter: RateLimit = field(default_factory=RateLimit)
    write: Callable[[Path, bytes], None] | None = None
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    by: str = ""  # who sends (``GWGK_USER`` or the login name), on every log entry
    # appends entries to the reminder log and the workbook log, called after each message, so that
    # what went out is on record before the next one is tried (a run cut short resends nothing sent)
    record: Callable[[list[dict[str, Any]], list[dict[str, Any]]], None] | None = None
    mailer: Any = None  # the run's one SMTP connection (``mail.Mailer``), opened at the first mail


def already_sent(log: list[dict[str, Any]], reminders: Reminders, via: str) -> set[str]:
    """The units whose reminder of the same items went out by ``via`` as of the same day."""
    day = reminders.as_of.isoformat()
    done = {(e.get("unit"), e.get("digest")) for e in log
            if e.get("kind") == "remind" and e.get("sent") is True and e.get("as_of") == day and e.get("via") == via}
    return {r.unit for r in reminders.units if (r.unit, r.digest()) in done}


def _destinations(units: list[UnitReminder], ch: Channel, failed: list[Failure]) -> list[Destination]:
    out: dict[str, Destination] = {}
    for r in units:
        if ch.via == "file":
            assert ch.path_of is not None
            path = ch.path_of(r.unit)
            out.setdefault(str(path), Destination(str(path), None, path=path)).units.append(r)
            continue
        assert ch.contacts is not None
        own = ch.contacts.units.get(r.unit)
        if has(own, ch.via):
            out.setdefault(f"unit:{r.unit}", Destination(_to(ch.via, own, r.unit), own)).units.append(r)
            continue
        group = next((g for g, (members, c) in ch.contacts.groups.items() if r.unit in members and has(c, ch.via)), None)
        if group is None:
            failed.append(Failure(unit=r.unit, error=f"data/contacts.yaml 中没有这个单位（或它所在单位组）的{CHANNEL_LABELS[ch.via]}联系方式"))
            continue
        contact = ch.contacts.groups[group][1]
        out.setdefault(f"group:{group}", Destination(_to(ch.via, contact, group) + "（单位组，一条消息）", contact, group)).units.append(r)
    return list(out.values())


def _to(via: str, contact: Contact | None, owner: str) -> str:
    assert contact is not None
    if via == "email":
        return ", ".join(contact.email)
    robot = getattr(contact, via)
    return robot_label(via, robot.url, owner)


def _text(d: Destination, as_of: dt.date) -> str:
    if d.group is None:
        return d.units[0].text if len(d.units) == 1 else "\n".join(r.text for r in d.units)
    head = f"{d.group}各单位：截至{as_of.year}年{as_of.month}月{as_of.day}日，以下{len(d.units)}个单位有政务公开工作事项需要抓紧办理。\n"
    return head + "".join(f"\n{r.text}" for r in d.units)


def _subject(d: Destination, as_of: dt.date) -> str:
    who = d.group + "各单位" if d.group else d.units[0].unit
    count = sum(len(r.items) for r in d.units)
    what = f"{count}项事项请抓紧办理" if count else "工作台账请尽快交回"
    return f"【政务公开提醒】{who}：{what}（截至{as_of.isoformat()}）"


def deliver(reminders: Reminders, ch: Channel, log: list[dict[str, Any]], *, dry_run: bool) -> Outcome:
    """Send every reminder not sent already that day by ``ch`` (``dry_run``: send nothing) and say
    what went out, what failed, and what to append to the logs."""
    failed = [Failure(unit=u, error="台账有误，未核查，没有提醒；请先改正（可运行 gwgk validate 查看）") for u in reminders.unchecked]
    done = already_sent(log, reminders, ch.via)
    todo = [r for r in reminders.units if r.unit not in done]
    messages: list[Message] = []
    outcome = Outcome(RemindResult(as_of=reminders.as_of, via=ch.via, messages=[], failed=[]), already=sorted(done))
    for d in _destinations(todo, ch, failed):
        error = None
        attached: list[tuple[str, str]] = []
        if not dry_run:
            try:
                attached = _send(d, ch, reminders.as_of)
            except GwgkError as exc:  # a send that failed, or a file that could not be written
                error = exc.message
        for r in d.units:
            messages.append(Message(unit=r.unit, to=d.to, items=r.items, text=r.text, sent=not dry_run and error is None))
            if error is not None:
                failed.append(Failure(unit=r.unit, error=error))
        if dry_run:
            continue
        entries = [_entry(r, d, ch, reminders.as_of, error) for r in d.units]
        workbooks = [{"kind": "export", "unit": unit, "day": reminders.as_of.isoformat(), "workbook": key, "via": ch.via,
                      "at": ch.now.isoformat(timespec="seconds"), "by": ch.by} for unit, key in attached]
        outcome.log += entries
        outcome.workbooks += workbooks
        if ch.record is not None:
            ch.record(entries, workbooks)
    outcome.result = RemindResult(as_of=reminders.as_of, via=ch.via, messages=messages, failed=failed)
    return outcome


def _entry(r: UnitReminder, d: Destination, ch: Channel, as_of: dt.date, error: str | None) -> dict[str, Any]:
    entry = {"kind": "remind", "at": ch.now.isoformat(timespec="seconds"), "by": ch.by, "as_of": as_of.isoformat(), "via": ch.via,
             "unit": r.unit, "to": d.to, "digest": r.digest(), "items": [i.model_dump(mode="json") for i in r.items],
             "sent": error is None}
    if d.group:
        entry["group"] = d.group
    if error is not None:
        entry["error"] = error
    return entry


def _send(d: Destination, ch: Channel, as_of: dt.date) -> list[tuple[str, str]]:
    """Send one destination's message; the (unit, workbook key) of each workbook attached."""
    text = _text(d, as_of)
    if ch.via == "file":
        assert d.path is not None and ch.write is not None
        ch.write(d.path, text.encode("utf-8"))
        return []
    assert d.contact is not None
    if ch.via == "email":
        return _mail(d, ch, as_of, text)
    robot = getattr(d.contact, ch.via)
    label = robot_label(ch.via, robot.url, d.group or d.units[0].unit)
    if ch.via == "wecom":
        from gwgk.send.robots import send_wecom

        send_wecom(robot.url, text, label, ch.limiter)
        return []
    from gwgk.send.robots import send_dingtalk

    secret = None
    if robot.secret_env:
        secret = ch.env.get(robot.secret_env)
        if not secret:
            raise SendError(f"环境变量 {robot.secret_env} 没有设置：{label}的加签密钥要从它读取")
    send_dingtalk(robot.url, secret, text, label, ch.limiter)
    return []


def _mail(d: Destination, ch: Channel, as_of: dt.date, text: str) -> list[tuple[str, str]]:
    from gwgk.send.mail import Mailer, message

    assert ch.contacts is not None and ch.contacts.smtp is not None and d.contact is not None
    if ch.mailer is None:
        ch.mailer = Mailer(ch.contacts.smtp, ch.env.get(PASSWORD_ENV))
    files: list[tuple[str, bytes]] = []
    keys: list[tuple[str, str]] = []
    if ch.attach is not None:
        for r in d.units:
            name, data, key = ch.attach(r.unit)
            files.append((name, data))
            keys.append((r.unit, key))
    ch.mailer.send(message(ch.contacts.smtp.sender, d.contact.email, _subject(d, as_of), text, files))
    return keys


def close(ch: Channel) -> None:
    """Close the channel's mail connection, if one was opened."""
    if ch.mailer is not None:
        ch.mailer.close()
        ch.mailer = None
