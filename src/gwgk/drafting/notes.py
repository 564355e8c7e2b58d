"""Unit notes as plans write them, read into roles: "(牵头单位:A,责任单位:B)", "(A牵头,B配合)",
"(责任单位:B)", "(责任时限:…,牵头单位:…)", "A、B负责落实", "以下均需C落实,不再逐一列出", a closing
clause "X牵头,Y落实;各镇(街)参照落实", or unit names only; found in linear time (bracket
matching, not patterns that start at every character)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gwgk.drafting.found import TaskDraft
from gwgk.drafting.text import fold
from gwgk.drafting.units import is_placeholder, looks_like_unit, split_names

_NOTE_WORDS = re.compile(r"牵头|配合|负责|落实|单位|部门|科室|时限")
_INNER_WORDS = re.compile(r"牵头|责任|配合")
_CLOSING_WORDS = re.compile(r"牵头|配合|参照落实|负责落实|(?:责任|牵头|配合)(?:单位|部门|科室)\s{0,2}:")
_BRACKETS = re.compile(r"[()]")
_LEAD_MARK = re.compile(r"(?P<name>[^、,;]{2,40}?)\((?:牵头|牵头单位)\)、?")
_MAX_NOTE = 400  # characters: the longest unit note of a real plan is some 150


@dataclass(frozen=True)
class Note:
    """Where a unit note is in a text: its opening bracket (or first word) and its words."""

    begin: int
    first: int
    last: int

    def start(self, group: str | None = None) -> int:
        return self.first if group else self.begin

    def end(self, group: str | None = None) -> int:
        return self.last


def bracket_groups(folded: str) -> list[Note]:
    """The top-level ``( … )`` groups of a text, brackets inside kept with their group (one pass)."""
    out: list[Note] = []
    depth, opened = 0, -1
    for mark in _BRACKETS.finditer(folded):
        i = mark.start()
        if folded[i] == "(":
            if depth == 0:
                opened = i
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0 and i - opened <= _MAX_NOTE:
                out.append(Note(opened, opened + 1, i))
    return out


def end_note(folded: str, bare: bool = False) -> Note | None:
    """The bracketed note closing a text ("…。(牵头单位:…)"), with role words, or any (``bare``)."""
    end = len(folded.rstrip(" \t"))
    if end and folded[end - 1] in "。.;":
        end -= 1
    if not end or folded[end - 1] != ")":
        return None
    depth = 0
    for i in range(end - 1, max(end - 1 - _MAX_NOTE, -1), -1):
        ch = folded[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth -= 1
            if depth == 0:
                note = Note(i, i + 1, end - 1)
                words = folded[note.first:note.last]
                return note if bare or _NOTE_WORDS.search(words) else None
    return None


_KEYED_SENTENCE = re.compile(r"\s{0,4}(?:(?:牵头|责任|配合|参与|协办|主办|主责)(?:单位|部门|科室)|(?:完成|责任)?时限|完成时间)\s{0,2}:")


def closing_clause(folded: str) -> Note | None:
    """The last sentence of a text when it names units by role ("县政府办公室牵头,县直各部门配合。"),
    with the keyed sentences before it ("责任单位:A。完成时限:年底前。")."""
    text = folded.rstrip(" \t")
    if text.endswith(("。", ".")):
        text = text[:-1]
    first = text.rfind("。") + 1
    if not 2 <= len(text) - first <= 320 or not (_CLOSING_WORDS.search(text, first) or _KEYED_SENTENCE.match(text, first)):
        return None
    for _ in range(3):  # "责任单位:A。完成时限:年底前": the unit sentence before the deadline one
        before = text.rfind("。", 0, first - 1) + 1 if first > 1 else 0
        if first > 1 and 2 <= first - 1 - before <= 320 and _KEYED_SENTENCE.match(text, before):
            first = before
        else:
            break
    return Note(first, first, len(text))


KEYS = (
    ("lead", ("牵头单位", "牵头部门", "牵头科室", "主办单位", "主责单位")),
    ("responsible", ("责任单位", "责任部门", "责任科室", "配合单位", "配合部门", "参与单位", "协办单位", "落实单位")),
    ("deadline", ("完成时限", "责任时限", "时限要求", "完成时间", "时间要求", "时限", "时间")),
)
STANDING = re.compile(r"以下(?:各项)?(?:任务|工作)?(?:均需|均由|均要|均应|需|由)(?P<names>[^,;。]{2,60}?)(?:负责)?(?:落实|执行|办理)")
ROLE = re.compile(r"(?P<names>.*?)(?:按照?职责(?:分工)?)?(?P<role>分别牵头|牵头|配合|参与|负责落实|参照落实|参照执行|具体落实|负责实施|"
                  r"负责|落实)(?:落实)?$")


@dataclass
class Units:
    """Who a note or a unit cell names, in each role, and what it could not place."""

    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    deadline: str = ""
    standing: list[str] = field(default_factory=list)
    reviews: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.lead or self.responsible or self.deadline or self.standing or self.reviews)


_KEY_START = re.compile(r"\s{1,4}(?=(?:牵头|责任|配合|参与|协办|落实|主办|主责)(?:单位|部门|科室)\s{0,2}:|(?:完成|责任)?时限\s{0,2}:)")


def _clauses(text: str) -> list[str]:
    """``text`` cut at top-level ``, ;`` (full- or half-width), and before a key written after a
    space ("牵头单位:A 责任单位:B"), brackets kept whole."""
    out, depth, start = [], 0, 0
    folded = fold(text)
    cuts = {m.start() for m in _KEY_START.finditer(folded)}
    for i, ch in enumerate(folded):
        if ch in "(<[【《":
            depth += 1
        elif ch in ")>]】》":
            depth = max(depth - 1, 0)
        elif (ch in ",;。" or i in cuts) and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return [c.strip() for c in out if c.strip()]


def read_units(text: str) -> Units:
    """The roles a note or unit cell gives: "牵头单位:A,责任单位:B", "A牵头,B配合", "A、B负责落实",
    "以下均需C落实", a bare list (responsible, marked), or nothing when the words name no unit."""
    found = Units()
    pending: list[str] = []  # names whose role a later clause gives ("A,B负责落实")
    bare: list[str] = []
    roles_seen = False
    last_key: str | None = None  # "牵头单位:A,B": B is a lead too
    for clause in _clauses(text):
        folded = fold(clause)
        marked = list(_LEAD_MARK.finditer(folded))
        if marked:  # "县政府办(牵头)、县直各部门": the marked names lead, the others are responsible
            found.lead.extend(n for m in marked for n in split_names(clause[m.start("name"):m.end("name")]))
            at, rest = 0, ""
            for m in marked:
                rest, at = rest + clause[at:m.start()], m.end()
            found.responsible.extend(split_names(rest + clause[at:]))
            roles_seen = True
            continue
        if standing := STANDING.search(folded):
            found.standing.extend(split_names(clause[standing.start("names"):standing.end("names")]))
            continue
        if re.match(r"^(?:以下|下同|统称|简称)", folded) or "不再逐一列出" in folded:
            continue
        keyed = re.match(r"^(?P<key>[^:]{2,6}):(?P<value>.*)$", folded)
        if keyed:
            key = next((k for k, words in KEYS if keyed["key"].strip() in words), None)
            value = clause[keyed.start("value"):].strip()
            if key == "deadline":
                found.deadline = value
                continue
            if key is not None:
                roles_seen = True
                if is_placeholder(value):
                    found.reviews.append(f"计划写的是“{clause}”，没有点名单位")
                    continue
                names = split_names(value)
                (found.lead if key == "lead" else found.responsible).extend(names)
                last_key = key
                continue
        role = ROLE.match(folded)
        if role and role["names"].strip():
            roles_seen = True
            names = pending + split_names(clause[: role.end("names")])
            pending = []
            if role["role"] in ("牵头", "分别牵头"):
                found.lead.extend(names)
            else:
                found.responsible.extend(names)
            last_key = None
            continue
        names = split_names(clause)
        if names and all(looks_like_unit(n) for n in names):
            if last_key is not None:
                (found.lead if last_key == "lead" else found.responsible).extend(names)
            else:
                pending.extend(names)
            continue
        if is_placeholder(clause):
            found.reviews.append(f"计划写的是“{clause}”，没有点名单位")
            roles_seen = True
            continue
        return Units()  # words that are no unit note
    if pending and roles_seen:
        found.responsible.extend(pending)
    elif pending:
        bare = pending
        found.responsible.extend(bare)
        found.reviews.append("计划只列了单位“" + "、".join(bare) + "”，没有说牵头还是责任，已记为责任单位，请核对")
    found.lead = list(dict.fromkeys(found.lead))
    found.responsible = [n for n in dict.fromkeys(found.responsible) if n not in found.lead]
    return found


def has_note(folded: str, line: str) -> bool:
    """Whether a (folded) line ends with a unit note, with role words or with unit names only."""
    if end_note(folded):
        return True
    bare = end_note(folded, bare=True)
    return bare is not None and bool(read_units(line[bare.start("note"):bare.end("note")]).responsible)


def take_note(task: TaskDraft) -> Units:
    """Cut the unit note(s) off the task's text and read them."""
    folded = fold(task.text)
    note = end_note(folded)
    if note is None and has_note(folded, task.text):
        note = end_note(folded, bare=True)
    if note is not None:
        read = read_units(task.text[note.start("note"):note.end("note")])
        if read:
            task.note = task.text[note.start():].strip()
            body = task.text[:note.start()].rstrip()
            for _ in range(3):  # "…(牵头单位:X)(完成时限:6月底前)": notes one after another
                before = end_note(fold(body))
                more = read_units(body[before.start("note"):before.end("note")]) if before is not None else None
                if before is None or not more:
                    break
                task.note = body[before.start():].strip() + task.note
                read.lead = list(dict.fromkeys(more.lead + read.lead))
                read.responsible = [n for n in dict.fromkeys(more.responsible + read.responsible) if n not in read.lead]
                read.deadline = read.deadline or more.deadline
                read.reviews.extend(more.reviews)
                body = body[:before.start()].rstrip()
            inner = _inner_notes(body)
            if inner is not None:
                body, more = inner
                read.lead = list(dict.fromkeys(more.lead + read.lead))
                read.responsible = [n for n in dict.fromkeys(more.responsible + read.responsible) if n not in read.lead]
                read.reviews.append("这一项正文里有几处单位注明，已合并为一项，请核对是否应拆成几项")
            task.text = body
            return read
    closing = closing_clause(folded)
    if closing is not None:
        read = read_units(task.text[closing.start("note"):closing.end("note")])
        if read and (read.lead or read.responsible):
            task.note = task.text[closing.start("note"):].strip()
            task.text = task.text[:closing.start("note")].rstrip()
            return read
    inner = _inner_notes(task.text)
    if inner is not None:
        task.text, read = inner
        read.reviews.append("单位注明不在这一项的末尾，请核对")
        return read
    return Units()


def _inner_notes(text: str) -> tuple[str, Units] | None:
    """Unit notes inside a paragraph ("…(牵头单位:县发改局)常态化推进…"): their units, merged."""
    folded = fold(text)
    found = Units()
    for match in bracket_groups(folded):
        if not _INNER_WORDS.search(folded, match.first, match.last):
            continue
        read = read_units(text[match.start("note"):match.end("note")])
        if read.lead or read.responsible:
            found.lead.extend(read.lead)
            found.responsible.extend(read.responsible)
            found.reviews.extend(read.reviews)
            found.standing.extend(read.standing)
    if not (found.lead or found.responsible):
        return None
    found.lead = list(dict.fromkeys(found.lead))
    found.responsible = [n for n in dict.fromkeys(found.responsible) if n not in found.lead]
    return text, found
