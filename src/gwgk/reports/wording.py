"""How documents name what the ledgers key by code: an instance ``2021Q3`` is 2021年第三季度,
``2021B4`` is 2021年7—8月, ``2021H1`` 2021年上半年, an event's ``E1`` its name and date. Keys stay
the data's (JSON, ledgers, the workbook's hidden key); only the words a reader sees change. Pure.
"""

from __future__ import annotations

import datetime as dt
import re

NUMERALS = "零一二三四五六七八九十"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_PERIOD = re.compile(r"^(\d{4})([BQH])(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
_EVENT = re.compile(r"^E(\d+)$")
_REPEAT = re.compile(r"^(.*)#(\d+)$")


def chinese_date(day: dt.date) -> str:
    """2021-10-08 as 2021年10月8日 (Arabic numerals, as GB/T 9704-2012 asks for 成文日期)."""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_number(n: int) -> str:
    """1 as 一, 12 as 十二, 21 as 二十一 (up to 99; larger numbers in Arabic numerals)."""
    if 0 <= n <= 10:
        return NUMERALS[n]
    if n < 20:
        return "十" + NUMERALS[n - 10]
    if n < 100:
        return NUMERALS[n // 10] + "十" + (NUMERALS[n % 10] if n % 10 else "")
    return str(n)


def period_label(key: str) -> str | None:
    """The words for a period or date key (None for a key that is neither)."""
    if match := _MONTH.match(key):
        return f"{int(match[1])}年{int(match[2])}月"
    if match := _DAY.match(key):
        try:
            return chinese_date(dt.date(int(match[1]), int(match[2]), int(match[3])))
        except ValueError:
            return None
    if match := _PERIOD.match(key):
        year, kind, index = int(match[1]), match[2], int(match[3])
        if kind == "Q" and 1 <= index <= 4:
            return f"{year}年第{NUMERALS[index]}季度"
        if kind == "H" and index in (1, 2):
            return f"{year}年{'上' if index == 1 else '下'}半年"
        if kind == "B" and 1 <= index <= 6:
            return f"{year}年{2 * index - 1}—{2 * index}月"
        return None
    if match := _YEAR.match(key):
        return f"{match[1]}年度"
    return None


def instance_label(key: str, event: tuple[str, dt.date | None] | None = None) -> str:
    """The words for an instance key: its period or due day, ``长期`` and ``不定期`` as they are, an
    event by ``event`` (its name and day) when given, else as the task's Nth event; a key made
    unique with ``#2`` gets （第2次）."""
    if match := _REPEAT.match(key):
        return f"{instance_label(match[1], event)}（第{match[2]}次）"
    if event is not None:
        name, day = event
        return f"{name}（{chinese_date(day)}）" if day else name
    if match := _EVENT.match(key):
        return f"第{match[1]}次触发事件"
    return period_label(key) or key


def has_code(text: str) -> bool:
    """Whether ``text`` shows a programmer's period or event code (2021Q3, 2021B4, 2021H1, E1, 实例)."""
    return bool(re.search(r"(?<![0-9A-Za-z])(\d{4}[BQH]\d|E\d+)(?![0-9A-Za-z])|实例", text))


_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’《》、"
_PAIR = re.compile(r"\(([^()]*)\)")
_HAS_CJK = re.compile(f"[{_CJK}]")
_SINGLE = re.compile(f"(?<=[{_CJK}]) ?([,:;]) ?|([,:;]) ?(?=[{_CJK}])")
_FULL = {",": "，", ":": "：", ";": "；"}
# a problem's place, as ``errors.Problem`` writes it: ledgers/x.yaml:3:5: (or ledgers/x.yaml: )
_PLACE = re.compile(r"[^\s:：]+\.(?:yaml|yml|xlsx|docx|txt|json|csv)(?::\d+){0,2}: ")


def cjk_punctuation(text: str) -> str:
    """``text`` as Chinese official text is punctuated: ASCII ``, : ;`` next to a Chinese character
    and ASCII parentheses around or next to one made full-width ``，：；（）`` (a plan's text converted
    from a document often carries half-width ones); file positions (``a.yaml:3:5``), web addresses
    and numbers keep theirs."""
    if not text or not any(c in text for c in ",:;()"):
        return text
    places = _PLACE.findall(text)
    if places:  # a file position keeps its colons, as every message locates a problem
        text = _PLACE.sub("\0", text)

    def pair(m: re.Match[str]) -> str:
        start, end = m.start(), m.end()
        around = text[max(start - 1, 0):start] + m[1] + text[end:end + 1]
        return f"（{m[1]}）" if _HAS_CJK.search(around) else m[0]

    text = _PAIR.sub(pair, text)
    text = _SINGLE.sub(lambda m: _FULL[m[1] or m[2]], text)
    for place in places:
        text = text.replace("\0", place, 1)
    return text


def ascii_in_chinese(text: str) -> list[str]:
    """The places where ``text`` has an ASCII ``, : ; ( )`` next to a Chinese character (for tests
    and checks: none should be left in a generated sentence)."""
    text = _PLACE.sub("\0", text)
    return [text[max(m.start() - 6, 0):m.end() + 6] for m in
            re.finditer(f"[{_CJK}] ?[,:;()]|[,:;()] ?[{_CJK}]", text)]


def event_words(plain: object) -> dict[tuple[int, str], tuple[str, dt.date | None]]:
    """The events of a ledger's plain data (``LazyLedgers.plain``) by (task, key): name and day.
    Anything of another shape is left out (the data may come from the cache, untrusted input)."""
    found: dict[tuple[int, str], tuple[str, dt.date | None]] = {}
    tasks = plain.get("tasks") if isinstance(plain, dict) else None
    for t in tasks if isinstance(tasks, list) else ():
        events = t.get("events") if isinstance(t, dict) else None
        if not isinstance(t, dict) or not isinstance(t.get("task"), int) or not isinstance(events, list):
            continue
        for e in events:
            if isinstance(e, dict) and isinstance(e.get("key"), str) and isinstance(e.get("title"), str):
                day = e.get("date")
                try:
                    when = day if isinstance(day, dt.date) else dt.date.fromisoformat(day) if isinstance(day, str) else None
                except ValueError:
                    when = None
                found[(t["task"], e["key"])] = (e["title"], when)
    return found


def is_event_key(key: str) -> bool:
    """Whether an instance key is an event's (E1, E2#2, …)."""
    return bool(_EVENT.match(key.split("#")[0]))
