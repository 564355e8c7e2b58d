"""``data/contacts.yaml``: how each unit (or group of units) is reached, and the office's mail server.

Secrets are never in this file: the SMTP password comes from ``GWGK_SMTP_PASSWORD`` and a 钉钉
robot's signing secret from the environment variable its ``secret_env`` names. A file that holds
one anyway is refused (without repeating it). Pure: the model and its cross-check with the units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from gwgk.catalogue.units import Directory

PASSWORD_ENV = "GWGK_SMTP_PASSWORD"
_SECRET_KEYS = ("password", "passwd", "pass", "secret", "token", "口令", "密码")
_EMAIL = re.compile(r"^[^@\s<>,;，；]+@[^@\s<>,;，；]+\.[^@\s<>,;，；]+$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class _NoSecrets(BaseModel):
    """A part of the file where a password or secret key is refused by name, its value never shown."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_secrets(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in data:
                if isinstance(key, str) and key.strip().lower() in _SECRET_KEYS:
                    raise ValueError(f"“{key}”不能写在工作区文件里：密码用环境变量 {PASSWORD_ENV}，"
                                     "机器人加签密钥用 secret_env 指定的环境变量")
        return data


class SmtpSettings(_NoSecrets):
    """The office's own mail server."""

    model_config = ConfigDict(extra="forbid")

    host: str = Field(min_length=1)
    port: int = Field(587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    sender: str
    user: str | None = None
    timeout: int = Field(30, ge=1, le=600)

    @field_validator("sender")
    @classmethod
    def _address(cls, value: str) -> str:
        if not _EMAIL.match(value.strip()):
            raise ValueError(f"发件人“{value}”不是有效的电子邮件地址")
        return value.strip()


class Robot(_NoSecrets):
    """A group robot's webhook (钉钉 custom robot or 企业微信 group robot)."""

    model_config = ConfigDict(extra="forbid")

    url: str
    secret_env: str | None = None  # 钉钉 加签: the environment variable holding the secret

    @field_validator("url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+/\S*$", value.strip()):
            raise ValueError("“url”应为机器人的 webhook 网址，以 https:// 开头")
        return value.strip()

    @field_validator("secret_env")
    @classmethod
    def _env_name(cls, value: str | None) -> str | None:
        if value is not None and not _ENV_NAME.match(value):
            raise ValueError(f"“secret_env”应为环境变量的名字（字母、数字、下划线），现在是“{value}”")
        return value


class Contact(_NoSecrets):
    """How one unit or group is reached, by channel."""

    model_config = ConfigDict(extra="forbid")

    email: list[str] = Field(default_factory=list)
    dingtalk: Robot | None = None
    wecom: Robot | None = None

    @field_validator("email", mode="before")
    @classmethod
    def _one_or_more(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("email")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        bad = [a for a in value if not _EMAIL.match(a.strip())]
        if bad:
            raise ValueError(f"“{'、'.join(bad)}”不是有效的电子邮件地址")
        return [a.strip() for a in value]


class ContactsFile(BaseModel):
    """The schema of ``data/contacts.yaml``."""

    model_config = ConfigDict(extra="forbid")

    smtp: SmtpSettings | None = None
    signature: str = Field("", max_length=200, description="提醒末尾的联系方式，如“市政务公开办，电话 0859-0000000”")
    units: dict[str, Contact] = Field(default_factory=dict)
    groups: dict[str, Contact] = Field(default_factory=dict)


CHANNELS = ("email", "dingtalk", "wecom")


@dataclass(frozen=True)
class Contacts:
    """The contacts checked against the units: each by its unit's (or group's) catalogue name."""

    smtp: SmtpSettings | None
    units: dict[str, Contact]
    groups: dict[str, tuple[tuple[str, ...], Contact]]  # group name: its members, its contact
    signature: str = ""


def has(contact: Contact | None, via: str) -> bool:
    """Whether ``contact`` reaches by channel ``via``."""
    if contact is None:
        return False
    return bool(contact.email) if via == "email" else getattr(contact, via) is not None


def _resolved(name: str, want_group: bool, directory: Directory) -> tuple[str | None, tuple[str, ...], str | None]:
    """The catalogue name a contact's ``name`` means, its units, or the problem with it."""
    match = directory.lookup(name)
    if match is None:
        near = directory.suggest(name)
        hint = f"，您是不是要写：{'、'.join(near)}？" if near else ""
        return None, (), f"单位或单位组“{name}”不在 units.yaml 中{hint}"
    if match.is_group != want_group:
        what, where = ("单位组", "groups") if match.is_group else ("单位", "units")
        return None, (), f"“{name}”是{what}，应写在 {where} 下"
    return match.name, match.units, None


def name_problems(data: Any, directory: Directory) -> list[tuple[tuple[str, ...], str]]:
    """The problems of the unit and group names in the plain data of a contacts file (for a file
    whose schema is broken too, so that every problem is shown at once)."""
    problems: list[tuple[tuple[str, ...], str]] = []
    if not isinstance(data, dict):
        return problems
    for section, want_group in (("units", False), ("groups", True)):
        names = data.get(section)
        for name in names if isinstance(names, dict) else ():
            problem = _resolved(str(name), want_group, directory)[2]
            if problem:
                problems.append(((section, name), problem))
    return problems


def checked(data: ContactsFile, directory: Directory) -> tuple[Contacts, list[tuple[tuple[str, ...], str]]]:
    """The contacts with every unit and group named by its catalogue name (aliases accepted), and
    the problems: an unknown name (with the nearest), a unit in the groups' list or the other way
    round, a name given twice; each with its place in the file."""
    problems: list[tuple[tuple[str, ...], str]] = []
    units: dict[str, Contact] = {}
    groups: dict[str, tuple[tuple[str, ...], Contact]] = {}
    for section, want_group in (("units", False), ("groups", True)):
        for name, contact in getattr(data, section).items():
            canonical, members, problem = _resolved(name, want_group, directory)
            if canonical is None:
                problems.append(((section, name), problem or ""))
            elif canonical in (groups if want_group else units):
                problems.append(((section, name), f"“{name}”（{canonical}）写了两次"))
            elif want_group:
                groups[canonical] = (members, contact)
            else:
                units[canonical] = contact
    return Contacts(data.smtp, units, groups, data.signature.strip()), problems
