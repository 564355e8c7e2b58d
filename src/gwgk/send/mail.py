"""E-mail through the office's own SMTP server: STARTTLS, SSL or (on a trusted network) none,
logging in when ``user`` is set with the password from ``GWGK_SMTP_PASSWORD``.

One connection for a run, opened at the first message; a server that cannot be reached fails
every message with the same reason (tried once, not once per unit). A refused address fails only
the message it was in. Subjects, bodies and attachment names are UTF-8, encoded as mail requires.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

from gwgk.send.robots import SendError

if TYPE_CHECKING:
    from email.message import EmailMessage

    from gwgk.catalogue.contacts import SmtpSettings

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def message(sender: str, to: list[str], subject: str, text: str, attachments: Sequence[tuple[str, bytes]] = ()) -> EmailMessage:
    """A mail from ``sender`` to ``to``: ``text`` as its body, each (file name, bytes) workbook attached."""
    from email.message import EmailMessage
    from email.utils import formatdate, make_msgid

    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = ", ".join(to)
    mail["Subject"] = subject
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    mail.set_content(text, charset="utf-8")
    for name, data in attachments:
        mail.add_attachment(data, maintype=XLSX[0], subtype=XLSX[1], filename=name)
    return mail


class Mailer:
    """Sends mail through the server ``smtp`` describes (a context manager: the connection is
    closed at the end)."""

    def __init__(self, smtp: SmtpSettings, password: str | None):
        self.smtp = smtp
        self._password = password
        self._connection: Any = None
        self._broken: str | None = None  # why the server could not be used: every message fails with it

    def __enter__(self) -> Mailer:  # noqa: PYI034 - not subclassed
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Say goodbye to the server, if connected."""
        if self._connection is not None:
            import smtplib

            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._connection.quit()
            self._connection = None

    def _where(self) -> str:
        address = f"{self.smtp.host}:{self.smtp.port}"  # host:port, not a sentence's colon
        return f"邮件服务器 {address}"

    def _connect(self) -> Any:
        import smtplib
        import ssl

        s = self.smtp
        context = ssl.create_default_context()
        try:
            connection: smtplib.SMTP
            if s.security == "ssl":
                connection = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
            else:
                connection = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
                if s.security == "starttls":
                    connection.starttls(context=context)
        except smtplib.SMTPNotSupportedError:
            raise SendError(f"{self._where()} 不支持 STARTTLS；如服务器只用 SSL，请在 contacts.yaml 写 security: ssl") from None
        except ssl.SSLError as exc:
            raise SendError(f"与{self._where()} 建立加密连接失败（{exc.reason or type(exc).__name__}）") from None
        except (smtplib.SMTPException, OSError, ValueError) as exc:  # ValueError: a host name IDNA cannot encode
            why = getattr(exc, "strerror", None) or type(exc).__name__
            raise SendError(f"无法连接{self._where()}：{why}") from None
        if s.user:
            try:
                connection.login(s.user, self._password or "")
            except (smtplib.SMTPException, OSError):  # refused, or the server hung up after refusing
                with contextlib.suppress(smtplib.SMTPException, OSError):
                    connection.close()
                raise SendError(f"{self._where()} 拒绝登录（用户 {s.user}）：请检查环境变量 GWGK_SMTP_PASSWORD") from None
        return connection

    def send(self, mail: EmailMessage) -> None:
        """Send one mail; ``SendError`` if it did not go to every recipient."""
        import smtplib

        if self._broken is not None:
            raise SendError(self._broken)
        if self._connection is None:
            try:
                self._connection = self._connect()
            except SendError as exc:
                self._broken = exc.message
                raise
        try:
            refused = self._connection.send_message(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            raise SendError(f"{self._where()} 拒收以下地址：{'、'.join(exc.recipients)}") from None
        except smtplib.SMTPResponseException as exc:
            text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
            raise SendError(f"{self._where()} 拒绝了这封邮件（{exc.smtp_code} {text[:200]}）") from None
        except (smtplib.SMTPException, OSError) as exc:
            self._connection = None  # reconnect for the next message
            raise SendError(f"发送时与{self._where()} 的连接中断（{type(exc).__name__}）") from None
        if refused:
            raise SendError(f"{self._where()} 拒收以下地址：{'、'.join(refused)}")
