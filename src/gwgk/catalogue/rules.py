"""Deadline rules: the structured reading of a task's 完成时限.

Each rule quotes, in ``source``, the exact words of the plan it was read from, so that a test can
find it in the plan's text and a person can see why gwgk expects what it expects.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Period = Literal["month", "bimonth", "quarter", "halfyear", "year"]
DayCount = Literal["working", "calendar"]

PERIOD_LABELS: dict[str, str] = {
    "month": "每月", "bimonth": "每2个月", "quarter": "每季度", "halfyear": "每半年", "year": "每年",
}
KIND_LABELS: dict[str, str] = {
    "date": "限期",
    "recurring": "定期",
    "event": "事件触发",
    "continuous": "长期",
    "irregular": "不定期",
}


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=1, description="计划原文中这条规则所依据的文字（逐字）")
    label: str | None = Field(None, description="规则的简短名称，如“历史规划”")
    applies_to: list[str] = Field(
        default_factory=list,
        description="只对这些单位类型或单位名称适用；为空表示对该任务的所有单位适用",
    )
    notes: str | None = None
    review: str | None = Field(None, description="起草时没有把握、需要人工核对的原因；核对后删去")


class DateRule(_Rule):
    """A fixed due date: "9月底" is 2021-09-30."""

    kind: Literal["date"]
    due: dt.date


class RecurringRule(_Rule):
    """Every month, two months, quarter, half year or year, at least ``quota`` items (in ``categories`` kinds)."""

    kind: Literal["recurring"]
    every: Period
    quota: int = Field(1, ge=1, le=1000)
    categories: int | None = Field(None, ge=1, le=1000, description="每期至少涉及的不同工作方面数")

    @model_validator(mode="after")
    def _categories_within_quota(self) -> RecurringRule:
        if self.categories is not None and self.categories > self.quota:
            raise ValueError("categories（不同方面数）不能大于 quota（每期条数）")
        return self


class EventRule(_Rule):
    """Due ``days`` after a triggering event; ``days`` is None where the plan sets no number."""

    kind: Literal["event"]
    trigger: str = Field(min_length=1)
    days: int | None = Field(None, ge=0, le=366)
    day_count: DayCount | None = None
    expect_event_by: dt.date | None = None  # a unit with no event registered by then: 未报送事件 in the 回头看

    @model_validator(mode="after")
    def _day_count_when_days(self) -> EventRule:
        if self.days and self.day_count is None:
            raise ValueError("days 大于 0 时必须给出 day_count（working 工作日 或 calendar 自然日）")
        if self.days is None and self.day_count is not None:
            raise ValueError("没有 days 时不能给出 day_count")
        return self


class ContinuousRule(_Rule):
    """长期: no due date; lagging when nothing is recorded for ``lag_days``."""

    kind: Literal["continuous"]


class IrregularRule(_Rule):
    """不定期: no due date and never overdue."""

    kind: Literal["irregular"]


Rule = Annotated[
    DateRule | RecurringRule | EventRule | ContinuousRule | IrregularRule,
    Field(discriminator="kind"),
]


def describe(rule: Rule) -> str:
    """A short Chinese description of a rule, for tables."""
    if isinstance(rule, DateRule):
        text = f"{rule.due.isoformat()} 前"
    elif isinstance(rule, RecurringRule):
        text = f"{PERIOD_LABELS[rule.every]}不少于 {rule.quota} 条"
        if rule.categories:
            text += f"（涉及 {rule.categories} 个不同方面）"
    elif isinstance(rule, EventRule):
        if rule.days is None:
            text = f"{rule.trigger}后按程序办理（未定天数）"
        elif rule.days == 0:
            text = f"与{rule.trigger}同时"
        else:
            unit = "个工作日" if rule.day_count == "working" else "天"
            text = f"{rule.trigger}起 {rule.days} {unit}内"
    else:
        text = KIND_LABELS[rule.kind]
    return f"{rule.label}：{text}" if rule.label else text
