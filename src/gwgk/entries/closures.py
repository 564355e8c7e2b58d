"""The office's decisions to close a plan year (``data/closures.yaml``): from the day a closure is
entered the 回头看 stops chasing that plan's leftovers, while the plan's own year report still counts
them as 超期未完成 and names the closure. Like every entry, a closure has an id and the day it was
entered, and is withdrawn by a new entry, never deleted: a report as of an earlier day is unchanged."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from gwgk.entries.model import MAX_TEXT, EntryId, _Written


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Closure(_Written):
    """``gwgk plan close YEAR``: the plan of ``plan`` is closed as of ``entered``."""

    id: EntryId
    plan: int = Field(ge=1900, le=2999)
    entered: dt.date
    reason: str = Field(min_length=1, max_length=MAX_TEXT)


class ClosureWithdrawal(_Written):
    """``gwgk plan reopen YEAR``: closure ``target`` no longer counts from ``entered``."""

    id: EntryId
    target: EntryId
    entered: dt.date
    reason: str = Field(min_length=1, max_length=MAX_TEXT)


class Closures(_Strict):
    """The whole of ``data/closures.yaml``."""

    closures: list[Closure] = Field(default_factory=list)
    withdrawals: list[ClosureWithdrawal] = Field(default_factory=list)

    def closed(self, plan: int, day: dt.date) -> Closure | None:
        """The closure of ``plan`` that counts as of ``day`` (entered by then and not withdrawn by then)."""
        gone = {w.target for w in self.withdrawals if w.entered <= day}
        return next((c for c in self.closures if c.plan == plan and c.entered <= day and c.id not in gone), None)

    def standing(self, plan: int) -> Closure | None:
        """The closure of ``plan`` that no withdrawal has withdrawn, whatever its day (at most one
        stands: a plan is closed again only after its closure is withdrawn)."""
        gone = {w.target for w in self.withdrawals}
        return next((c for c in self.closures if c.plan == plan and c.id not in gone), None)

    def next_id(self, kind: str) -> str:
        """A new id: ``C1, C2…`` for closures, ``W1, W2…`` for their withdrawals."""
        items = self.closures if kind == "closures" else self.withdrawals
        return ("C" if kind == "closures" else "W") + str(1 + max((int(i.id[1:]) for i in items), default=0))


class ClosureNote(BaseModel):
    """A closure as reports name it."""

    id: str
    plan: int
    entered: dt.date
    reason: str


def note(closure: Closure) -> ClosureNote:
    """The report's note of ``closure``."""
    return ClosureNote(id=closure.id, plan=closure.plan, entered=closure.entered, reason=closure.reason)
