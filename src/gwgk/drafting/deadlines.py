"""Deadline phrases of a plan read into rules, each quoting its words in ``source``.

A cell of 完成时限 ("最新规划:形成20日内。9月底完成公开。") is cut into clauses; each phrase found
in a clause becomes one rule. What no pattern reads is not guessed: the caller marks it for review.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from gwgk.drafting.text import close_date_gaps, fold

NUMBER = r"(?:\d{1,4}|[一二两三四五六七八九十]{1,4})"
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
REGULATION_NOTE = (
    "20日按《中华人民共和国政府信息公开条例》第二十六条理解为自信息形成或变更之日起20个工作日，"
    "遇法定节假日顺延、调休上班日计入。"
)
_INFO_TRIGGER = re.compile(r"形成|产生|变更|更新|制作|获取|制定")

_EVENT_ANCHOR = re.compile(
    rf"(?:(?:之日|之时)?(?:起|后)(?P<n>{NUMBER})个?(?P<unit>工作日|自然日|日|天)内?"
    rf"|(?<=形成|产生|发生|更新|变更|出台|印发|批复|收到|申请|之日)(?P<n2>{NUMBER})个?(?P<unit2>工作日|自然日|日|天)内"
    rf"|(?:之日)?(?:起|后)(?P<n3>{NUMBER})个月内?)"
)
_TRIGGER_STOP = re.compile(r"[,、;。]")


class _EventMatch:
    """A match of ``_EVENT_DAYS`` (trigger words, then the days): the trigger is the up to 24
    characters before the days back to a clause mark, as the leftmost match of the lazy pattern."""

    def __init__(self, text: str, start: int, days: re.Match[str]):
        self._text, self._start, self._days = text, start, days

    def __getitem__(self, name: str) -> str | None:
        if name in ("trigger", "trigger3"):
            alternative = "trigger3" if self._days["n3"] else "trigger"
            return self._text[self._start:self._days.start()] if name == alternative else None
        return self._days[name]

    def group(self, index: int = 0) -> str:
        return self._text[self._start:self._days.end()]

    def span(self) -> tuple[int, int]:
        return self._start, self._days.end()


class _EventDays:
    """Finds "形成起20日内", "收到申请之日起20个工作日内", "结束后1个月内" in one pass over the text
    (the days first, then the trigger before them: no pattern starts at every character)."""

    pattern = "event days"

    def finditer(self, text: str) -> list[_EventMatch]:
        out: list[_EventMatch] = []
        previous = 0
        for days in _EVENT_ANCHOR.finditer(text):
            start = max(previous, days.start() - 24)
            stops = [stop.end() for stop in _TRIGGER_STOP.finditer(text, start, days.start())]
            if stops:
                start = stops[-1]
            if days["n3"] and start == days.start():
                continue  # "后1个月内" needs its trigger words
            out.append(_EventMatch(text, start, days))
            previous = days.end()
        return out


_EVENT_DAYS = _EventDays()
_EVENT_SAME = re.compile(r"与(?P<trigger>[^,;。]{1,24}?)(?:起同时|同时|同步|起|时)")
_EVENT_OPEN = re.compile(r"(?P<trigger>[^,、;。]{0,24}?(?:产生|发生|形成|出台|收到|作出|公布))后")
_RECURRING = re.compile(rf"(?:每|按)(?P<per>半年|季度|季|年度|年|个月|月|(?P<n>{NUMBER})个?月)")
_QUOTA = re.compile(rf"不少于(?P<n>{NUMBER})|(?P<m>{NUMBER})(?:次|篇|条|期)")
_CATEGORIES = re.compile(rf"(?P<n>{NUMBER})个不同")
_DATE = re.compile(
    r"(?:(?P<y>\d{4})年|(?P<next>次年|明年|下一年))?(?P<m>\d{1,2}|十[一二]?|[一二三四五六七八九])月"
    r"(?:(?P<d>\d{1,2})日|(?P<end>底|末|中旬|上旬|下旬|份))?(?P<before>以前|之前|前)?"
)
_NUMERIC_DATE = re.compile(r"(?<!\d)(?P<y>\d{4})[.\-/](?P<m>\d{1,2})[.\-/](?P<d>\d{1,2})(?!\d)(?:日)?(?:以前|之前|前)?")
_YEAR_ONLY = re.compile(r"^(?P<y>\d{4})\s{0,2}年度?(?:完成)?$")  # a 完成时限 cell of a year alone
_QUOTA_WORDS = re.compile(r"\d+\s{0,2}(?:篇|次|条|期|个|件|项|份|批|家|人)|不少于\s{0,2}\d+")
# "年内" is this year; "三年内", "一年内" are spans of years, no deadline of this plan
_YEAR_END = re.compile(r"(?:(?P<y>\d{4})年|(?<![一二两三四五六七八九十百\d个几多]))(?:年底|年末|年内|年度内)|(?P<y2>\d{4})年(?:底|末|内)")
_ALL_YEAR = re.compile(r"全年")
_HALF = re.compile(r"(?:(?P<y>\d{4})年)?(?P<half>上半年|下半年)(?:前|末|底)?")
_QUARTER = re.compile(r"(?:(?P<y>\d{4})年)?第?(?P<q>[一二三四1-4])季度(?:末|底)?(?:前)?")
_CONTINUOUS = re.compile(r"长期|持续推进|持续开展|持续|常态化|长效|动态更新|动态调整|实时更新")
_VAGUE = re.compile(r"及时|随时|即时|尽快|适时|年中|按要求|按规定|同步")
_PROMPTLY = re.compile(r"^(?:及时|随时|即时)(?:公开|发布|更新|办理)?$")
_DAY_IN_PERIOD = re.compile(r"(?:的|第)?(?:\d{1,2}|[一二三四五六七八九十]{1,3})(?:个工作日|日|号)(?:以前|之前|前|内)?")
_MID_YEAR = re.compile(r"(?:(?P<y>\d{4})年)?年中")
_IRREGULAR = re.compile(r"不定期|适时|根据工作需要|按需")
_HINT = re.compile(r"\d|[日月天年]内|前|底|每|[一二两三四五六七八九十]|完成")  # a clause with these words is a deadline someone meant
_CLAUSE_SPLIT = re.compile(r"[。;;\n]+|\s+")
_LABEL = re.compile(r"^(?P<label>[^\d:,,。]{1,12})[::](?P<rest>.+)$")
_PERIODS = {"月": "month", "个月": "month", "季度": "quarter", "季": "quarter", "半年": "halfyear", "年": "year", "年度": "year"}
_MONTHS_PERIOD = {1: "month", 2: "bimonth", 3: "quarter", 6: "halfyear", 12: "year"}


_CN_NUMBER = re.compile(r"(?:(?P<tens>[一二两三四五六七八九]?)十(?P<ones>[一二三四五六七八九]?)|(?P<one>[一二两三四五六七八九]))")


class NotANumber(ValueError):
    """A numeral gwgk cannot read as one number ("三四篇": three or four)."""


def number(text: str) -> int:
    """An Arabic numeral of up to four digits or a Chinese one up to 99 ("20", "两", "十二");
    ``NotANumber`` for anything else ("三四", "一一")."""
    if text.isdigit() and len(text) <= 4:
        return int(text)
    found = _CN_NUMBER.fullmatch(text)
    if found is None:
        raise NotANumber(text)
    if found["one"]:
        return _CN_DIGITS[found["one"]]
    return (_CN_DIGITS[found["tens"]] if found["tens"] else 1) * 10 + (_CN_DIGITS[found["ones"]] if found["ones"] else 0)


@dataclass
class Reading:
    """The rules read from some text, and what in it could not be read."""

    rules: list[dict[str, Any]] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)


def clauses(cell: str) -> list[str]:
    """The clauses of a deadline cell, stripped of closing punctuation (full- or half-width)."""
    out = []
    at = 0
    folded = fold(cell)
    for cut in _CLAUSE_SPLIT.finditer(folded):
        out.append(cell[at:cut.start()])
        at = cut.end()
    out.append(cell[at:])
    return [c.strip(",,、 ").strip("，") for c in out if c.strip(",,、 ").strip("，")]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _date_from(match: re.Match[str], year: int) -> dt.date | None:
    y = int(match["y"]) if match["y"] else year + (1 if match["next"] else 0)
    month = number(match["m"])
    if not 1 <= month <= 12:
        return None
    end = match["end"]
    try:
        if match["d"]:
            return dt.date(y, month, int(match["d"]))
        if end == "上旬":
            return dt.date(y, month, 10)
        if end == "中旬":
            return dt.date(y, month, 20)
    except ValueError:
        return None
    return _month_end(y, month)


def _trigger(text: str) -> str:
    cleaned = re.split(r"[::]", text)[-1]
    cleaned = re.sub(r"^(?:自|从|在|于|各类|对)", "", cleaned.strip(",,、 "))
    cleaned = re.sub(r"之日$", "", cleaned)
    cleaned = re.split(r"[在自从于]", cleaned)[-1] or cleaned  # "答复要在收到申请" -> "收到申请"
    return cleaned or "事件"


def _event(match: re.Match[str]) -> dict[str, Any]:
    if match["n3"]:  # "征求活动结束后1个月内": months as 30 days each, which the plan did not say
        months = number(match["n3"])
        return {"kind": "event", "trigger": _trigger(match["trigger3"]), "days": 30 * months, "day_count": "calendar",
                "review": f"“{months}个月内”按 {30 * months} 个自然日计，请核对"}
    days = number(match["n"] or match["n2"])
    trigger = _trigger(match["trigger"])
    rule: dict[str, Any] = {"kind": "event", "trigger": trigger, "days": days}
    unit = match["unit"] or match["unit2"]
    if days == 0:
        rule.pop("days")
        rule["days"] = 0
    elif unit == "工作日":
        rule["day_count"] = "working"
    elif unit == "日" and _INFO_TRIGGER.search(match.group(0)):
        rule["day_count"] = "working"
        rule["notes"] = REGULATION_NOTE.replace("20日", f"{days}日").replace("20个", f"{days}个")
    else:
        rule["day_count"] = "calendar"
    return rule


def _recurring(match: re.Match[str], rest: str) -> dict[str, Any]:
    rule: dict[str, Any] = {"kind": "recurring"}
    if match["n"]:
        months = number(match["n"])
        every = _MONTHS_PERIOD.get(months)
        if every is None:
            return {"kind": "irregular", "review": f"“每{months}个月”不是 gwgk 支持的周期（每月、每2个月、每季度、每半年、每年），暂按不定期，请改写"}
    else:
        every = _PERIODS[match["per"]]
    rule["every"] = every
    categories = _CATEGORIES.search(rest)
    quota = _QUOTA.search(rest[categories.end():] if categories else rest)
    try:
        count = number(quota["n"] or quota["m"]) if quota else 1
    except NotANumber:  # "每月三四篇": a range, not a quota
        count = 1
        rule["review"] = f"“{quota.group(0) if quota else ''}”不是一个确定的数量，暂按每期不少于1件，请核对 quota"
    if categories:
        rule["quota"] = max(count, number(categories["n"]))
        rule["categories"] = number(categories["n"])
    else:
        rule["quota"] = max(count, 1)
    return rule


def _after_period(match: re.Match[str], rest: str) -> dict[str, Any] | None:
    """"每季度结束后10日内": a recurring rule (gwgk counts to the period's end), marked for review."""
    period = _RECURRING.search(match["trigger"] or match["trigger3"] or "")
    if period is None:
        return None
    rule = _recurring(period, rest)
    if rule["kind"] == "recurring":
        rule["review"] = f"“{match.group(0)}”：gwgk 按每期期末计，没有算上期末后的天数，请核对"
    return rule


def _finders(year: int) -> list[tuple[Any, Any]]:
    return [
        (_EVENT_DAYS, lambda m, rest: _after_period(m, rest) or _event(m)),
        (_EVENT_SAME, lambda m, rest: {"kind": "event", "trigger": _trigger(m["trigger"]), "days": 0, "notes": "与触发事件同日完成（0天）。"}),
        (_RECURRING, lambda m, rest: _recurring(m, rest)),
        (_HALF, lambda m, rest: {"kind": "date", "due": dt.date(int(m["y"] or year), 6 if m["half"] == "上半年" else 12, 30 if m["half"] == "上半年" else 31)}),
        (_QUARTER, lambda m, rest: {"kind": "date", "due": _month_end(int(m["y"] or year), 3 * number(m["q"]))}),
        (_YEAR_END, lambda m, rest: {"kind": "date", "due": dt.date(int(m["y"] or m["y2"] or year), 12, 31)}),
        (_NUMERIC_DATE, lambda m, rest: {"kind": "date", "due": dt.date(int(m["y"]), int(m["m"]), int(m["d"]))}),
        (_DATE, lambda m, rest: (lambda d: {"kind": "date", "due": d} if d else None)(_date_from(m, year))),
        (_YEAR_ONLY, lambda m, rest: {"kind": "date", "due": dt.date(int(m["y"]), 12, 31),
                                      "review": f"“{m.group(0)}”按这一年年底计，请核对"}),
        (_EVENT_OPEN, lambda m, rest: {"kind": "event", "trigger": _trigger(m["trigger"]), "notes": "计划未规定天数，不设到期日，不会判为超期。"}),
        (_CONTINUOUS, lambda m, rest: {"kind": "continuous"}),
        (_ALL_YEAR, lambda m, rest: {"kind": "continuous", "review": "“全年”按长期任务理解，如是年底前完成请改为 date"}),
        (_MID_YEAR, lambda m, rest: {"kind": "date", "due": dt.date(int(m["y"] or year), 6, 30),
                                     "review": "“年中”按6月30日计，请核对"}),
        (_IRREGULAR, lambda m, rest: {"kind": "irregular"}),
        (_PROMPTLY, lambda m, rest: {"kind": "irregular", "review": f"“{m.group(0)}”没有具体期限，暂按不定期，请核对"}),
    ]


MAX_RULES = 24  # more rules than any 完成时限 cell of a real plan holds: the rest is left unread


def _made(make: Any, match: re.Match[str], rest: str, year: int) -> dict[str, Any] | None:
    """The rule a finder makes of a match; None when its numbers or dates are no real ones."""
    try:
        rule: dict[str, Any] | None = make(match, rest)
    except (ValueError, OverflowError):  # "0000年年底前", "13月", "三四篇" where one number is needed
        return None
    if rule is not None and rule.get("due") is not None and not year - 1 <= rule["due"].year <= year + 2:
        return None  # "2099年底前" in a 2022 plan is a typing error, not a deadline
    return rule


def read_clause(clause: str, year: int) -> list[dict[str, Any]]:
    """The rules in one clause, in the order their words appear; ``source`` set on each."""
    folded = fold(clause)
    label = None
    labelled = _LABEL.match(folded)
    if labelled and not _HINT.search(labelled["label"]) and not _CONTINUOUS.search(labelled["label"]):
        label = labelled["label"].strip()
    taken: list[tuple[int, int]] = []  # sorted, disjoint spans already read
    found: list[tuple[int, dict[str, Any], tuple[int, int]]] = []
    for pattern, make in _finders(year):
        for match in pattern.finditer(folded):
            start, end = match.span()
            if len(found) >= MAX_RULES:
                break
            if end == start:
                continue
            at = bisect.bisect_left(taken, (start, end))
            if (at > 0 and taken[at - 1][1] > start) or (at < len(taken) and taken[at][0] < end):
                continue
            rule = _made(make, match, folded[end:end + 80], year)
            if rule is None:
                continue
            if start and folded[start - 1].isdigit() and "review" not in rule:  # "0年内": a number left over
                rule["review"] = f"“{clause[max(0, start - 8):end]}”中的数字未能读懂，请核对"
            if rule["kind"] in ("continuous", "irregular") and any(r["kind"] == rule["kind"] for _, r, _ in found):
                continue
            taken.insert(at, (start, end))
            found.append((start, rule, (start, end)))
    found.sort(key=lambda item: item[0])
    # "每年1月31日前", "每月10日前": a day inside each period, which a recurring rule cannot hold
    for _, periodic, (_, end) in [item for item in found if item[1]["kind"] == "recurring"]:
        inside = [item for item in found if item[1]["kind"] == "date" and 0 <= item[2][0] - end <= 2]
        if inside:
            words = "、".join(clause[a:b] for _, _, (a, b) in inside)
            periodic["review"] = f"每期内的具体时间“{words}”无法表示，gwgk 按每期期末计，请核对"
            found = [item for item in found if item not in inside]
    for _, periodic, (_, end) in [item for item in found if item[1]["kind"] == "recurring"]:
        day = _DAY_IN_PERIOD.match(folded, end)  # "每月10日前": the 10 is no part of a recurring rule
        if day and "review" not in periodic:
            periodic["review"] = f"每期内的具体时间“{clause[day.start():day.end()]}”无法表示，gwgk 按每期期末计，请核对"
    for item in [i for i in found if i[1]["kind"] == "recurring"]:
        first = next(i for i in found if i[1]["kind"] == "recurring" and i[1].get("every") == item[1].get("every"))
        if first is not item:  # "按季度公开…,每季度结束后10日内上传": one period, said twice
            if "review" in item[1]:
                first[1]["review"] = item[1]["review"]
            found.remove(item)
    _mark_leftover_numbers(clause, folded, found, labelled.end("label") if label and labelled else 0)
    out = []
    for _, rule, (start, end) in found:
        if label:
            rule = {"kind": rule["kind"], "label": label, **{k: v for k, v in rule.items() if k != "kind"}}
        rule["source"] = clause if len(found) == 1 else clause[start:end]
        out.append(rule)
    return out


def _mark_leftover_numbers(clause: str, folded: str, found: list[tuple[int, dict[str, Any], tuple[int, int]]], skip: int) -> None:
    """A number no rule read ("每季度第一个月10日前": the 10) marks the clause's first rule: the
    reading is partial, and silent it would be wrong."""
    if not found:
        return
    spans = [span for _, _, span in found] + [m.span() for m in _QUOTA_WORDS.finditer(folded)]
    for number in re.finditer(r"\d+", folded):
        if number.start() >= skip and not any(a <= number.start() < b for a, b in spans):
            rule = found[0][1]
            if "review" not in rule:
                rule["review"] = f"“{clause[:60]}”中的“{clause[number.start():number.end() + 4]}”未能读懂，请核对"
            return


def read_deadline(cell: str, year: int) -> Reading:
    """Every rule in a 完成时限 cell, and the clauses that look like deadlines but were not read."""
    reading = Reading()
    for clause in clauses(close_date_gaps(cell)):
        if len(reading.rules) > MAX_RULES:
            reading.unread.append(clause)
            break
        rules = read_clause(clause, year)
        if rules:
            reading.rules.extend(rules)
        elif _HINT.search(fold(clause)) or _VAGUE.search(fold(clause)):
            reading.unread.append(clause)
    return reading


_BODY_DATE = re.compile(
    r"(?:\d{4}年)?(?:\d{1,2}|十[一二]?|[一二三四五六七八九])月(?:\d{1,2}日|底|末)?(?:以前|之前|前)|年底前|年内|年度内|上半年前?"
    r"|\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2}(?:日)?(?:以前|之前|前)"
)


def read_text(text: str, year: int) -> list[dict[str, Any]]:
    """Every rule a task's own text sets, for plans that give no 完成时限 column."""
    out: list[dict[str, Any]] = []
    for sentence in re.split(r"(?<=[。;；])", text):
        sentence = sentence.strip().rstrip("。;；")
        if sentence:
            out.extend(read_clause(sentence, year))
        if len(out) > MAX_RULES:
            break
    return out


def read_body(text: str, year: int) -> list[dict[str, Any]]:
    """Date rules the task's own text sets ("2021年6月底前,…要…"), each quoting its sentence."""
    out: list[dict[str, Any]] = []
    for sentence in re.split(r"(?<=[。;；])", text):
        sentence = sentence.strip().rstrip("。;；")
        if len(out) > MAX_RULES:
            break
        if not _BODY_DATE.search(fold(sentence)):
            continue
        for rule in read_clause(sentence, year):
            if rule["kind"] == "date":
                rule["source"] = sentence
                rule.setdefault("notes", "出自正文。")
                out.append(rule)
    return out
