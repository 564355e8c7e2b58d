"""``gwgk remind --via email`` against a real SMTP server (aiosmtpd) the tests start on 127.0.0.1.

Units: 市财政局 and 敬南镇 have their own addresses; 黄草街道 (a 街道) is reached through the group
各乡镇(街道), whose address gets one mail for all its members that have something to hear.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import io
import json
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import run_cli

aiosmtpd = pytest.importorskip("aiosmtpd")  # a declared test extra: pip install -e .[test]
from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402

F, J, H = "市财政局", "敬南镇", "黄草街道"
PASSWORD = "S3cret-Pass-Word-29"  # noqa: S105 - a test's own
DAY = "2021-10-08"


class Box:
    """What the server received; addresses in ``refuse`` are refused at RCPT."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.refuse: set[str] = set()
        self.logins: list[tuple[bytes, bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001, ANN201, N802
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data):  # noqa: ANN001, ANN201
        if isinstance(auth_data, LoginPassword):
            self.logins.append((auth_data.login, auth_data.password))
            return AuthResult(success=auth_data.login == b"gwgk" and auth_data.password == PASSWORD.encode())
        return AuthResult(success=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def box() -> Iterator[tuple[Box, int]]:
    handler = Box()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, authenticator=handler.authenticate, auth_require_tls=False)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def contacts(ws: Path, port: int, security: str = "none", user: bool = True) -> None:
    login = ", user: gwgk" if user else ""
    (ws / "data" / "contacts.yaml").write_text(
        f"smtp: {{host: 127.0.0.1, port: {port}, security: {security}, sender: gwgk@example.gov.cn{login}, timeout: 10}}\n"
        "signature: 市政务公开办，电话 0859-0000000\n"
        "units:\n"
        f"  {F}: {{email: [czj@example.gov.cn]}}\n"
        f"  {J}: {{email: [jnz@example.gov.cn, jnz-office@example.gov.cn]}}\n"
        "groups:\n"
        "  各乡镇(街道): {email: xz@example.gov.cn}\n", encoding="utf-8")


def remind(ws: Path, *more: str, env: dict[str, str] | None = None):  # noqa: ANN201
    args = ("remind", "--as-of", DAY, "-u", F, "-u", J, "-u", H, "--via", "email", "-f", "json", *more)
    return run_cli(*args, workspace=ws, env={"GWGK_SMTP_PASSWORD": PASSWORD, **(env or {})})


def parsed(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


def test_each_unit_gets_its_mail_with_its_workbook_and_a_group_one_mail(demo: Path, box: tuple[Box, int]):
    handler, port = box
    contacts(demo, port)
    r = remind(demo, "--attach")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert [m["unit"] for m in data["messages"]] == [J, H, F] and all(m["sent"] for m in data["messages"])
    assert handler.logins == [(b"gwgk", PASSWORD.encode())]
    by_to = {tuple(sorted(rcpt)): raw for _, rcpt, raw in handler.messages}
    assert sorted(by_to) == [("czj@example.gov.cn",), ("jnz-office@example.gov.cn", "jnz@example.gov.cn"), ("xz@example.gov.cn",)]
    assert all(sender == "gwgk@example.gov.cn" for sender, _, _ in handler.messages)

    raw = by_to[("czj@example.gov.cn",)]
    assert b"\nSubject: =?utf-8?" in raw.replace(b"\r\n", b"\n")  # the Chinese subject encoded for mail
    mail = parsed(raw)
    count = len(next(m for m in data["messages"] if m["unit"] == F)["items"])
    assert mail["Subject"] == f"【政务公开提醒】{F}：{count}项事项请抓紧办理（截至{DAY}）"
    body = mail.get_body(("plain",))
    assert body is not None and body.get_content() == next(m for m in data["messages"] if m["unit"] == F)["text"]
    assert "市政务公开办，电话 0859-0000000。" in body.get_content()
    (attachment,) = list(mail.iter_attachments())
    assert attachment.get_filename() == f"{F}-台账-{DAY}.xlsx"
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(attachment.get_content()))
    assert F in wb.sheetnames and "_gwgk" in wb.sheetnames

    group = parsed(by_to[("xz@example.gov.cn",)])
    assert group["Subject"].startswith("【政务公开提醒】各乡镇(街道)各单位：")
    group_body = group.get_body(("plain",))
    assert group_body is not None and f"{H}：" in group_body.get_content()
    assert [a.get_filename() for a in group.iter_attachments()] == [f"{H}-台账-{DAY}.xlsx"]
    # the workbooks attached are recorded as sent: collect sees them
    sent = json.loads(run_cli("collect", "--as-of", DAY, "-f", "json", "-u", F, "-u", H, workspace=demo).out)
    assert [(u["unit"], u["sent"]) for u in sent["units"]] == [(F, DAY), (H, DAY)]


def test_dry_run_sends_and_writes_nothing_and_a_second_run_sends_nothing(demo: Path, box: tuple[Box, int]):
    handler, port = box
    contacts(demo, port)

    def digest() -> str:
        h = hashlib.sha256()
        for p in sorted(demo.rglob("*")):
            h.update(str(p).encode() + (p.read_bytes() if p.is_file() else b""))
        return h.hexdigest()

    before = digest()
    r = remind(demo, "--dry-run")
    assert r.code == 0 and len(json.loads(r.out)["messages"]) == 3
    assert handler.messages == [] and digest() == before
    assert remind(demo).code == 0 and len(handler.messages) == 3
    again = remind(demo)
    assert again.code == 0 and json.loads(again.out)["messages"] == [] and len(handler.messages) == 3


def test_a_refused_address_fails_its_unit_only_and_only_it_is_retried(demo: Path, box: tuple[Box, int]):
    handler, port = box
    contacts(demo, port)
    handler.refuse = {"jnz@example.gov.cn", "jnz-office@example.gov.cn"}
    r = remind(demo)
    assert r.code == 1
    data = json.loads(r.out)
    assert [f["unit"] for f in data["failed"]] == [J] and "拒收" in data["failed"][0]["error"]
    assert {m["unit"]: m["sent"] for m in data["messages"]} == {J: False, H: True, F: True}
    assert f"未能提醒 {J}" in r.err
    assert len(handler.messages) == 2
    handler.refuse = set()
    retry = remind(demo)
    assert retry.code == 0 and [m["unit"] for m in json.loads(retry.out)["messages"]] == [J]
    assert len(handler.messages) == 3 and sorted(handler.messages[-1][1]) == ["jnz-office@example.gov.cn", "jnz@example.gov.cn"]
    log = [json.loads(x) for x in (demo / "log" / "reminders.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(e["unit"], e["sent"]) for e in log] == [(J, False), (H, True), (F, True), (J, True)]


def test_a_server_that_cannot_be_reached_fails_every_unit_with_exit_1(demo: Path):
    contacts(demo, free_port())
    r = remind(demo)
    assert r.code == 1
    data = json.loads(r.out)
    assert sorted(f["unit"] for f in data["failed"]) == sorted([F, J, H])
    assert all("无法连接邮件服务器 127.0.0.1" in f["error"] for f in data["failed"])


def test_no_password_no_mail(demo: Path, box: tuple[Box, int]):
    handler, port = box
    contacts(demo, port)
    r = run_cli("remind", "--as-of", DAY, "--via", "email", workspace=demo, env={"GWGK_SMTP_PASSWORD": ""})
    assert r.code == 2 and "GWGK_SMTP_PASSWORD" in r.err and handler.messages == []
    assert not (demo / "log").exists()
    dry = run_cli("remind", "--as-of", DAY, "-u", F, "-u", J, "--via", "email", "--dry-run", workspace=demo, env={"GWGK_SMTP_PASSWORD": ""})
    assert dry.code == 0 and "试运行" in dry.out and handler.messages == []  # a dry run needs no password


def test_a_wrong_password_is_reported_and_never_shown(demo: Path, box: tuple[Box, int]):
    handler, port = box
    contacts(demo, port)
    r = remind(demo, env={"GWGK_SMTP_PASSWORD": "Wrong-Pass-Word-29"})
    assert r.code == 1 and "拒绝登录" in r.out and handler.messages == []
    assert "Wrong-Pass-Word-29" not in r.out + r.err
    assert b"Wrong-Pass-Word-29" not in b"".join(p.read_bytes() for p in demo.rglob("*") if p.is_file())


def test_the_password_is_nowhere_in_the_workspace_the_log_or_the_output(demo: Path, box: tuple[Box, int], tmp_path: Path):
    handler, port = box
    contacts(demo, port)
    outs = [remind(demo, "--attach"), remind(demo), remind(demo, "--dry-run")]
    handler.refuse = {"czj@example.gov.cn"}
    outs.append(remind(demo, "--as-of", "2021-10-09"))
    assert [o.code for o in outs] == [0, 0, 0, 1]
    for o in outs:
        assert PASSWORD not in o.out + o.err
    for p in demo.rglob("*"):
        if p.is_file():
            assert PASSWORD.encode() not in p.read_bytes(), p


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make a test certificate")
def test_starttls_with_a_certificate_made_for_the_test(demo: Path, tmp_path: Path):
    import ssl

    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    handler = Box()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                            authenticator=handler.authenticate)
    controller.start()
    try:
        contacts(demo, port, security="starttls")
        untrusted = remind(demo, "--as-of", DAY)
        assert untrusted.code == 1 and "加密连接失败" in untrusted.out and handler.messages == []
        trusted = remind(demo, env={"SSL_CERT_FILE": str(cert)})
        assert trusted.code == 0, trusted.out
        assert len(handler.messages) == 3 and handler.logins == [(b"gwgk", PASSWORD.encode())]
    finally:
        controller.stop()
