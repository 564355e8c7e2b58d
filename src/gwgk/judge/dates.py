"""Dates as people type them, and the plan's periods. Pure: "today" is always a parameter."""

from __future__ import annotations

import datetime as dt
import re

from dateutil.relativedelta import relativedelta

from gwgk.errors import UsageError

CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")  # no DST in China since 1991

_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)


def parse_date(text: str, what: str = "日期") -> dt.date:
    """A date from ``2021-09-28``, ``2021/9/28``, ``20210928`` or ``2021年9月28日``.

    Raises ``UsageError`` naming ``what`` for anything else, including impossible dates.
    """
    cleaned = "".join(str(text).split())
    for pattern in _PATTERNS:
        match = pattern.match(cleaned)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise UsageError(f"{what}“{text}”不存在（没有这一天）") from None
    raise UsageError(f"{what}“{text}”不是有效日期，请写成 2021-09-28 或 2021年9月28日")


def today(now: dt.datetime) -> dt.date:
    """The date in Asia/Shanghai at the instant ``now`` (which must carry a time zone)."""
    return now.astimezone(CHINA).date()


PERIOD_MONTHS: dict[str, int] = {"month": 1, "bimonth": 2, "quarter": 3, "halfyear": 6, "year": 12}


def period_bounds(every: str, year: int, index: int) -> tuple[dt.date, dt.date]:
    """First and last day of period ``index`` (1-based) of ``year``."""
    months = PERIOD_MONTHS[every]
    start = dt.date(year, 1, 1) + relativedelta(months=(index - 1) * months)
    return start, start + relativedelta(months=months, days=-1)


def periods_per_year(every: str) -> int:
    """12, 6, 4, 2 or 1."""
    return 12 // PERIOD_MONTHS[every]
