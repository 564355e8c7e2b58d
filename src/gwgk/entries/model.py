"""The schema of a ledger file (``ledgers/<unit>.yaml``): what a unit has recorded.

The file is written for people: roles and statuses are Chinese words (牵头/责任, 已完成/推进中/不适用);
the English forms are accepted too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from gwgk.files.trusted import built

Status = Literal["done", "in_progress", "not_applicable"]
STATUS_LABELS: dict[str, str] = {"done": "已完成", "in_progress": "推进中", "not_applicable": "不适用"}
STATUS_WORDS: dict[str, str] = {
    **{k: k for k in STATUS_LABELS},
    **{v: k for k, v in STATUS_LABELS.items()},
    "完成": "done", "已办结": "done", "办结": "done",
    "进行中": "in_progress", "正在推进": "in_progress", "推进": "in_progress",
    "不涉及": "not_applicable", "无此项": "not_applicable", "n/a": "not_applicable", "na": "not_applicable",
}
ROLE_WORDS: dict[str, str] = {"lead": "lead", "responsible": "responsible", "牵头": "lead", "责任": "responsible"}
MAX_TEXT = 2000


def status_of(value: Any) -> Any:
    """The canonical status for an English or Chinese word (unknown words pass on to be refused)."""
    if isinstance(value, str):
        return STATUS_WORDS.get(value.strip().lower(), value)
    return value


def _known_status(value: Any) -> Any:
    """A status word as written in ledgers, or a refusal that names those words."""
    status = status_of(value)
    if status not in STATUS_LABELS:
        raise ValueError(f"状态“{value}”不认识，应写 {'、'.join(STATUS_LABELS.values())} 之一")
    return status


def _role_of(value: Any) -> Any:
    if isinstance(value, str):
        return ROLE_WORDS.get(value.strip(), value)
    return value


def _evidence_list(value: Any) -> Any:
    if isinstance(value, str):
        return [value]
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


ID_PATTERN = r"^[A-Z][0-9]{1,6}$"
REVIEW_WORDS: dict[str, str] = {"accepted": "accepted", "returned": "returned", "通过": "accepted", "销号": "accepted",
                                "退回": "returned"}
REVIEW_LABELS: dict[str, str] = {"accepted": "通过", "returned": "退回"}


def _review_of(value: Any) -> Any:
    if isinstance(value, str):
        return REVIEW_WORDS.get(value.strip(), value)
    return value


EntryId = Annotated[str, Field(pattern=ID_PATTERN, max_length=7)]
MAX_NAME = 60


class _Written(_Strict):
    """Who wrote an entry and the real moment it was written (None in entries written before gwgk
    kept them, and in entries added by hand)."""

    at: dt.datetime | None = Field(None, description="写入的时刻（含时区），由 gwgk 按时钟记下")
    by: str | None = Field(None, min_length=1, max_length=MAX_NAME, description="谁写入的")

    def late(self, entered: dt.date | None) -> bool:
        """Whether the entry is 补登: written (``at``, read in its own zone) after the day it is
        entered as."""
        return self.at is not None and entered is not None and self.at.date() > entered


@dataclass(frozen=True)
class Stamp:
    """Who writes the entries of one command, and when: the real moment (with its zone), never the
    ``--as-of`` day. Made by the command layer, the only code that reads the clock."""

    at: dt.datetime
    by: str

    @property
    def fields(self) -> dict[str, Any]:
        """The ``at`` and ``by`` fields of a new entry."""
        return {"at": self.at, "by": self.by}


class Record(_Written):
    """One entry of progress: what was done (``date``), when it was entered, and the evidence."""

    id: EntryId | None = None
    date: dt.date
    status: Annotated[Status, BeforeValidator(_known_status)]
    instance: str | None = Field(None, max_length=40)
    note: str | None = Field(None, max_length=MAX_TEXT)
    evidence: Annotated[list[Annotated[str, Field(max_length=MAX_TEXT)]], BeforeValidator(_evidence_list)] = Field(default_factory=list)
    category: str | None = Field(None, max_length=100)
    source: str | None = Field(None, max_length=300)
    entered: dt.date | None = None  # None: a ledger written before entry dates; read as entered on ``date``
    replaces: EntryId | None = None

    @property
    def whole_task(self) -> bool:
        """A 不适用 naming no instance: the whole task does not apply to the unit."""
        return self.status == "not_applicable" and self.instance is None

    @property
    def entered_on(self) -> dt.date:
        """The day the record was entered (its own date for records written before entry dates)."""
        return self.entered or self.date


class Event(_Written):
    """A triggering event (规划形成, 文件形成…) that starts an event rule's clock; ``key`` is its id."""

    key: str = Field(min_length=1, max_length=40)
    title: str = Field(min_length=1, max_length=MAX_TEXT)
    date: dt.date
    entered: dt.date | None = None
    replaces: str | None = Field(None, min_length=1, max_length=40, description="更正的是哪个事件（其编号）")

    @property
    def entered_on(self) -> dt.date:
        """The day the event was entered (its own date for events written before entry dates)."""
        return self.entered or self.date


class Extension(_Written):
    """延期: an instance judged against a new date, for a reason."""

    id: EntryId | None = None
    instance: str = Field(min_length=1, max_length=40)
    to: dt.date
    reason: str = Field(min_length=1, max_length=MAX_TEXT)
    entered: dt.date | None = None  # None: written before entry dates; known from the start

    @property
    def entered_on(self) -> dt.date | None:
        """The day the extension was entered (None: known from the start)."""
        return self.entered


class Withdrawal(_Written):
    """撤回: an entry (record, event or extension, by id) that no longer counts from ``entered`` on."""

    id: EntryId
    target: str = Field(min_length=1, max_length=40)
    entered: dt.date
    reason: str = Field(min_length=1, max_length=MAX_TEXT)

    @property
    def entered_on(self) -> dt.date:
        """The day the withdrawal was entered."""
        return self.entered


class Review(_Written):
    """销号审核: the office accepts a 已完成 record, or returns it with a reason."""

    id: EntryId
    record: EntryId
    decision: Annotated[Literal["accepted", "returned"], BeforeValidator(_review_of)]
    entered: dt.date
    reason: str | None = Field(None, max_length=MAX_TEXT)

    @property
    def entered_on(self) -> dt.date:
        """The day the review was entered."""
        return self.entered


class LedgerTask(_Strict):
    """A task in a unit's ledger: the generated header, then what people added."""

    task: int = Field(ge=1)
    role: Annotated[Literal["lead", "responsible"], BeforeValidator(_role_of)]
    duty: str | None = None
    deadline: str | None = None
    dropped: bool = False
    records: list[Record] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    extensions: list[Extension] = Field(default_factory=list)
    withdrawals: list[Withdrawal] = Field(default_factory=list)
    reviews: list[Review] = Field(default_factory=list)


class Ledger(_Strict):
    """A whole ledger file."""

    unit: str = Field(min_length=1)
    plan: int | None = Field(None, ge=2000, le=2100, description="计划年度；data/tasks.yaml 那一年的台账不写")
    tasks: list[LedgerTask] = Field(default_factory=list)

    def task(self, task_id: int) -> LedgerTask | None:
        """The entry for ``task_id`` (None if the ledger has none)."""
        for entry in self.tasks:
            if entry.task == task_id:
                return entry
        return None


class Sharing:
    """What the entries of a ledger just validated repeat, held once: one set of field names for the
    entries that set the same fields, one object for each day, one empty list of evidence.

    Pydantic gives every entry a set of the names it set (728 bytes), a new object for every date
    and a list for every record's evidence: together about half of what a 100,000-record ledger
    took. Sharing them is safe: gwgk never changes an entry in place (a copy with ``model_copy``
    gets its own set of names; an entry with other evidence is a new entry)."""

    def __init__(self) -> None:
        self.none: list[str] = []  # the one empty list of evidence
        self.names: dict[frozenset[str], set[str]] = {}
        self.days: dict[dt.date, dt.date] = {}

    def share(self, entries: list[Any]) -> None:
        """Let ``entries`` (of one kind) hold the shared values."""
        if not entries:
            return
        names, days, fields = self.names, self.days, _DAY_FIELDS[type(entries[0])]
        records = type(entries[0]) is Record
        last: set[str] | None = None  # the last entry's own set, and the set shared for it
        shared: set[str] | None = None
        for entry in entries:
            own = entry.__pydantic_fields_set__
            if own != last:  # entries in a row mostly set the same fields
                last, shared = own, names.setdefault(frozenset(own), own)
            if shared is not own:
                object.__setattr__(entry, "__pydantic_fields_set__", shared)
            values = entry.__dict__
            for field in fields:
                day = values[field]
                if day is not None:
                    values[field] = days.setdefault(day, day)
            if records and not values["evidence"]:
                values["evidence"] = self.none


_DAY_FIELDS: dict[type, tuple[str, ...]] = {Record: ("date", "entered"), Event: ("date", "entered"), Extension: ("to", "entered"),
                                            Withdrawal: ("entered",), Review: ("entered",)}


def compacted(ledger: Ledger, sharing: Sharing | None = None) -> Ledger:
    """``ledger`` (just validated) with its entries holding shared values (``Sharing``)."""
    sharing = sharing or Sharing()
    for task in ledger.tasks:
        for entries in (task.records, task.events, task.extensions, task.withdrawals, task.reviews):
            sharing.share(entries)
    return ledger


SAME_RECORD_FIELDS = ("date", "status", "instance", "note", "evidence", "category")


def same_record(a: Record, b: Record, any_date: bool = False) -> bool:
    """Whether two records say the same thing (task, instance, status, date, category, note and
    evidence), wherever and whenever they were entered. ``any_date``: ``a`` was given no date of its
    own (an undated 不适用 row of a workbook takes the day it is imported), so its date says nothing."""
    return all(getattr(a, f) == getattr(b, f) for f in SAME_RECORD_FIELDS if not (any_date and f == "date"))


class LedgerLookup(Protocol):
    """Where reports get each unit's ledger: a dict, or ledgers read lazily one at a time."""

    def get(self, unit: str, default: Ledger | None = None) -> Ledger | None: ...  # noqa: D102


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _opt_day(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _opt_moment(value: str | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(value)


def _written(item: dict[str, Any]) -> dict[str, Any]:
    return {"at": _opt_moment(item.get("at")), "by": item.get("by")}


def trusted_ledger(data: dict[str, Any]) -> Ledger:
    """A ``Ledger`` from ``Ledger.model_dump(mode="json")`` of a ledger validated before.

    Only for the cache, whose entries are written after full validation and keyed on the file's
    content hash; skipping validation makes reading a cached city-wide workspace several times faster.
    """
    tasks = []
    for t in data["tasks"]:
        tasks.append(built(LedgerTask, {
            "task": t["task"], "role": t["role"], "duty": t.get("duty"), "deadline": t.get("deadline"),
            "dropped": t.get("dropped", False),
            "records": [built(Record, {
                **_written(r), "id": r.get("id"), "date": _day(r["date"]), "status": r["status"], "instance": r.get("instance"),
                "note": r.get("note"), "evidence": r.get("evidence", []), "category": r.get("category"),
                "source": r.get("source"), "entered": _opt_day(r.get("entered")), "replaces": r.get("replaces"),
            }) for r in t.get("records", ())],
            "events": [built(Event, {**_written(e), "key": e["key"], "title": e["title"], "date": _day(e["date"]),
                                     "entered": _opt_day(e.get("entered")), "replaces": e.get("replaces")}) for e in t.get("events", ())],
            "extensions": [built(Extension, {**_written(x), "id": x.get("id"), "instance": x["instance"], "to": _day(x["to"]),
                                             "reason": x["reason"], "entered": _opt_day(x.get("entered"))})
                           for x in t.get("extensions", ())],
            "withdrawals": [built(Withdrawal, {**_written(w), "id": w["id"], "target": w["target"], "entered": _day(w["entered"]),
                                               "reason": w["reason"]}) for w in t.get("withdrawals", ())],
            "reviews": [built(Review, {**_written(v), "id": v["id"], "record": v["record"], "decision": v["decision"],
                                       "entered": _day(v["entered"]), "reason": v.get("reason")})
                        for v in t.get("reviews", ())],
        }))
    return built(Ledger, {"unit": data["unit"], "plan": data.get("plan"), "tasks": tasks})
