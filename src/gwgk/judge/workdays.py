"""Counting working days on the Chinese calendar, with its holidays and make-up workdays (调休).

The holiday data comes from ``chinesecalendar``, which covers the years its release knows; a date
outside them is refused loudly rather than guessed.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from gwgk.errors import DataError


@lru_cache(maxsize=4096)
def is_workday(day: dt.date) -> bool:
    """Whether ``day`` is a working day in mainland China （调休 Saturdays included）."""
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        raise DataError(
            f"节假日数据不覆盖 {day.year} 年（chinesecalendar {getattr(chinese_calendar, '__version__', '')}），"
            "无法按工作日计算期限；请升级 chinesecalendar 后再试"
        ) from None


@lru_cache(maxsize=4096)
def add_working_days(start: dt.date, days: int) -> dt.date:
    """The day on which ``days`` working days after ``start`` have passed (``start`` not counted).

    With ``days == 0`` the answer is ``start`` itself.
    """
    day = start
    counted = 0
    while counted < days:
        if day == dt.date.max:
            raise DataError(beyond_calendar(start, days, "个工作日"))
        day += dt.timedelta(days=1)
        if is_workday(day):
            counted += 1
    return day


def beyond_calendar(start: dt.date, days: int, unit: str = "天") -> str:
    """Why a day counted from ``start`` cannot be given: it falls past the calendar's last day."""
    return f"从 {start} 起 {days} {unit}后已超出日历的范围（最晚到 9999-12-31），请检查这个日期"
