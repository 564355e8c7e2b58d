"""Units and groups (``data/units.yaml``) and how a name typed by hand finds its unit.

Names are compared after NFKC normalisation (full-width ``(`` is ``(``) with white space removed,
so "各乡镇(街道)" and "各乡镇(街道)" are the same spelling.
"""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from gwgk.errors import UsageError

UnitKind = Literal["office", "department", "branch", "enterprise", "subdistrict", "town", "township"]

KIND_LABELS: dict[str, str] = {
    "office": "办公室",
    "department": "市直部门",
    "branch": "派驻机构",
    "enterprise": "企业",
    "subdistrict": "街道",
    "town": "镇",
    "township": "乡",
}
UNSAFE_NAME_CHARS = set('/\\:*?"<>|[]')  # path and Windows file-name characters, and [ ] of sheet names
WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$",
                   *(f"COM{i}" for i in "0123456789¹²³"), *(f"LPT{i}" for i in "0123456789¹²³")}
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def unit_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a unit's name, or None: the one rule, used where the catalogue is
    read and again where a ledger's file name is made.

    A unit name becomes a file name (``ledgers/<name>.yaml``) on Linux and Windows and a
    worksheet's name, so it has: no control, format, private-use, unassigned or line/paragraph
    separator characters (U+0085, U+2028, zero-width spaces…); no white space but the plain
    space, and none at either end; none of ``/ \\ : * ? " < > | [ ]``, in any width; no dot at
    either end; and is no Windows device name (CON, COM1, COM¹, CONIN$, CLOCK$…) before its first dot.
    """
    folded = unicodedata.normalize("NFKC", name)
    if not name or not folded.strip():
        return "单位名称不能为空"
    bad = [ch for ch in name if unicodedata.category(ch) in _REFUSED_CATEGORIES or (ch.isspace() and ch != " ")]
    if bad:
        shown = name.encode("unicode_escape").decode("ascii") if not name.isprintable() else name
        return f"单位名称“{shown}”含有不可见的控制字符或换行符（U+{ord(bad[0]):04X}）"
    if name != name.strip() or any(ch in UNSAFE_NAME_CHARS for ch in name + folded):
        return f"单位名称“{name}”不能含有 / \\ : * ? \" < > | [ ]（包括全角写法），也不能以空格开头或结尾"
    if name.startswith(".") or name.endswith(".") or folded.endswith("."):
        return f"单位名称“{name}”在 Windows 上不能用作文件名（以点开头或结尾）"
    stem = folded.split(".")[0].strip().upper()
    if stem in WINDOWS_DEVICES or name.split(".")[0].strip().upper() in WINDOWS_DEVICES:
        return f"单位名称“{name}”在 Windows 上不能用作文件名（设备名）"
    return None


class Unit(BaseModel):
    """A unit that owes work under the plan."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=60)
    kind: UnitKind
    aliases: list[str] = Field(default_factory=list)
    code: str | None = Field(None, description="统计用区划代码（乡镇街道）")
    source: str = Field(description="这个单位从哪里来：计划正文、乡镇区划表，或本单位添加")
    note: str | None = None
    review: str | None = Field(None, description="起草时没有把握、需要人工核对的原因；核对后删去")
    since: dt.date | None = Field(None, description="设立（或开始承担任务）之日；不写表示一直存在")
    until: dt.date | None = Field(None, description="撤销、合并或更名之日（这天是它存在的最后一天）；不写表示仍然存在")
    successor: str | None = Field(None, description="合并或更名后承接工作的单位（写 until 时可写）")

    @model_validator(mode="after")
    def _span_in_order(self) -> Unit:
        if self.since is not None and self.until is not None and self.since > self.until:
            raise ValueError(f"单位“{self.name}”的 since（{self.since}）不能晚于 until（{self.until}）")
        if self.successor is not None and self.until is None:
            raise ValueError(f"单位“{self.name}”写了 successor（承接单位），也要用 until 写明撤销、合并或更名之日")
        return self

    def exists_on(self, day: dt.date) -> bool:
        """Whether the unit exists on ``day`` (within ``since`` … ``until``)."""
        return (self.since is None or self.since <= day) and (self.until is None or day <= self.until)

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        """Whether the unit exists on some day from ``start`` to ``end``."""
        return (self.since is None or self.since <= end) and (self.until is None or start <= self.until)

    def span_text(self) -> str:
        """The unit's life span in words (empty when it has none)."""
        parts = []
        if self.since is not None:
            parts.append(f"{self.since} 起设立")
        if self.until is not None:
            parts.append(f"{self.until} 后撤销" + (f"，由{self.successor}承接" if self.successor else ""))
        return "，".join(parts)

    @field_validator("name")
    @classmethod
    def _usable_as_file_name(cls, name: str) -> str:
        problem = unit_name_problem(name)
        if problem is not None:
            raise ValueError(problem)
        return name


class Group(BaseModel):
    """A collective name the plan uses ("市直有关部门") and the units it stands for."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    kinds: list[UnitKind] = Field(default_factory=list, description="这些类型的单位都属于本组")
    members: list[str] = Field(default_factory=list, description="另外属于本组的单位")
    note: str | None = None
    review: str | None = Field(None, description="起草时没有把握、需要人工核对的原因；核对后删去")


class UnitsFile(BaseModel):
    """The schema of ``data/units.yaml``."""

    model_config = ConfigDict(extra="forbid")

    units: list[Unit]
    groups: list[Group] = Field(default_factory=list)


def normalize(name: str) -> str:
    """The comparable form of a unit name: NFKC, no white space, ``<>`` read as ``()``."""
    folded = unicodedata.normalize("NFKC", name)
    folded = folded.replace("<", "(").replace(">", ")").replace("〈", "(").replace("〉", ")")
    return "".join(ch for ch in folded if not ch.isspace())


@dataclass(frozen=True)
class Match:
    """What a name resolved to: one unit, or a group and its members."""

    name: str
    units: tuple[str, ...]
    is_group: bool


class Directory:
    """Every unit and group by every spelling; resolves names and suggests the nearest."""

    def __init__(self, units: list[Unit], groups: list[Group], outside: list[Unit] | None = None, year: int | None = None):
        self.units: dict[str, Unit] = {u.name: u for u in units}
        self.groups: dict[str, Group] = {g.name: g for g in groups}
        # units of the workspace that do not exist in this plan's period: named in messages only
        self.outside: dict[str, Unit] = {normalize(s): u for u in outside or () for s in (u.name, *u.aliases)}
        self.year = year
        self._by_spelling: dict[str, Match] = {}
        self.duplicates: list[str] = []
        for unit in units:
            match = Match(unit.name, (unit.name,), False)
            for spelling in (unit.name, *unit.aliases):
                self._add(spelling, match)
        for group in groups:
            match = Match(group.name, self.members(group), True)
            for spelling in (group.name, *group.aliases):
                self._add(spelling, match)

    def _add(self, spelling: str, match: Match) -> None:
        key = normalize(spelling)
        existing = self._by_spelling.get(key)
        if existing is not None and existing.name != match.name:
            self.duplicates.append(spelling)
            return
        self._by_spelling[key] = match

    def members(self, group: Group) -> tuple[str, ...]:
        """The units of a group, in catalogue order."""
        wanted = set(group.members)
        return tuple(
            u.name for u in self.units.values() if u.kind in group.kinds or u.name in wanted
        )

    def lookup(self, name: str) -> Match | None:
        """The unit or group spelled exactly ``name`` (after normalisation), or None."""
        return self._by_spelling.get(normalize(name))

    def resolve_unit(self, name: str) -> Unit:
        """The one unit a user means by ``name``: exact, alias or a unique partial match.

        Raises ``UsageError`` (exit 2) with the nearest names when there is no single answer.
        """
        key = normalize(name)
        if not key:
            raise UsageError("单位名称不能为空")
        match = self._by_spelling.get(key)
        if match is not None and not match.is_group:
            return self.units[match.name]
        if match is not None:
            raise UsageError(f"“{name}”是单位组（{match.name}），不是一个单位，请写出具体单位名称")
        gone = self.outside.get(key)
        if gone is not None:
            plan = f" {self.year} 年计划" if self.year else "本计划"
            raise UsageError(f"{gone.name}（{gone.span_text()}）在{plan}的计划期内不存在，不承担这一年的任务")
        partial = sorted(
            {m.name for spelling, m in self._by_spelling.items() if key in spelling and not m.is_group}
        )
        if len(partial) == 1:
            return self.units[partial[0]]
        if partial:
            listed = "、".join(partial[:12]) + ("等" if len(partial) > 12 else "")
            raise UsageError(f"“{name}”可能指多个单位：{listed}，请写得更具体一些")
        raise UsageError(self._unknown_message(name))

    def _unknown_message(self, name: str) -> str:
        suggestions = self.suggest(name)
        message = f"没有找到单位“{name}”"
        if suggestions:
            message += "，您是不是要找：" + "、".join(suggestions) + "？"
        else:
            message += "，可运行 gwgk units 查看全部单位"
        return message

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """The unit names closest to ``name``, best first."""
        key = normalize(name)
        spellings = {s: m.name for s, m in self._by_spelling.items() if not m.is_group}
        close = difflib.get_close_matches(key, list(spellings), n=limit * 3, cutoff=0.5)
        names: list[str] = []
        for spelling in close:
            if spellings[spelling] not in names:
                names.append(spellings[spelling])
        return names[:limit]
