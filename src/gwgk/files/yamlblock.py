"""A fast reader for the plain block YAML that ledgers are written in, or nothing.

``block_data(text)`` gives the same values as ``yamlio.load_events`` (libyaml) for a document
written the way gwgk and a person editing it write ledgers: block mappings and sequences by
indentation, one scalar a line (plain, or quoted without escapes), comment lines, LF or CRLF line
breaks. For anything else (flow collections, block or multi-line scalars, escapes, anchors,
aliases, tags, document markers, tabs, lone CRs, characters YAML does not print, a duplicate key,
an odd indent) it gives ``NOT_BLOCK`` and the caller parses with libyaml, which reads it or says
where it is wrong. So this reader never accepts a text libyaml would refuse or read otherwise; it
only skips libyaml's Python event objects (a cold report spent a third of its time on them).
``plain_value`` says, for both readers, what a plain scalar means. ``tests/test_yamlblock.py``
checks the reader against libyaml on generated texts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain
from typing import Any

NOT_BLOCK: Any = object()

# each line: its indent, a "- ", then a "key:" and its value or an item's value (a key is short:
# libyaml takes no implicit key over 1,024 characters); values keep their trailing spaces (greedy
# groups are a third faster here than lazy ones)
_LINES = re.compile(r"^( *)((?:-(?: +|$))?)(?:([A-Za-z_][A-Za-z0-9_]{0,99}):(?: +(.*))?|(.*))$", re.MULTILINE)
# what libyaml does not take as it is in a block (tabs, CR and the YAML 1.1 line breaks, non-printable
# characters, a byte-order mark), sent to libyaml to read or refuse (named by what is out: the class
# of what is in takes 3 ms to compile, on every start)
_OUTSIDE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
# a plain scalar's first character that is an indicator (or a quote: handled apart)
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_DOUBLE = re.compile(r'"([^"\\]*)"')
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUES = frozenset(("true", "True", "TRUE"))
_FALSES = frozenset(("false", "False", "FALSE"))
_SPECIAL_KEYS = _NULLS | _TRUES | _FALSES  # the keys that are not text
# an integer of up to 999 digits; longer is text (Python reads no integer of over 4,300 digits)
INTEGER = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,998})")
MAX_DEPTH = 32
_UNSEEN: Any = object()
# lines are matched a piece of the text at a time: the matches of a whole 16 MiB ledger at once
# (five strings and a tuple a line) took 170 MB, more than the values built from them
PIECE = 1 << 18


def pieces(text: str, pattern: re.Pattern[str] = _LINES) -> Iterator[list[tuple[str, ...]]]:
    """The lines of ``text`` matched by ``pattern``, a list for each piece of about ``PIECE``
    characters of whole lines; a piece with a line the pattern does not take is cut short by a line
    whose last group is "?" and the others empty (which reads as a scalar alone)."""
    start, size = 0, len(text)
    while start <= size:
        end = text.find("\n", start + PIECE) if start + PIECE < size else -1
        piece = text[start:] if end < 0 else text[start:end]
        lines = pattern.findall(piece)
        if len(lines) != piece.count("\n") + 1:
            yield [("",) * (pattern.groups - 1) + ("?",)]
            return
        yield lines
        if end < 0:
            return
        start = end + 1


def _value(written: str) -> Any:
    """The value of one scalar written on one line (``NOT_BLOCK`` for what this reader leaves)."""
    text = written.rstrip(" ")
    first = text[0]
    if first in _INDICATORS:
        if first == '"':
            found = _DOUBLE.fullmatch(text)
            return NOT_BLOCK if found is None else found.group(1)
        if first == "'":
            found = _SINGLE.fullmatch(text)
            return NOT_BLOCK if found is None else found.group(1).replace("''", "'")
        return NOT_BLOCK
    if ": " in text or " #" in text or text[-1] == ":":
        return NOT_BLOCK
    return plain_value(text)


def plain_value(text: str) -> Any:
    """What a plain (unquoted) scalar's text means, for both readers: None, a boolean, an integer,
    or the text itself (dates, floats and the rest stay text: the schema decides what they mean)."""
    if text in _NULLS:
        return None
    if text in _TRUES:
        return True
    if text in _FALSES:
        return False
    if INTEGER.fullmatch(text):
        return int(text)
    return text


def block_data(text: str) -> Any:
    """The plain data of ``text`` as ``yamlio.load_fast`` gives it, or ``NOT_BLOCK``."""
    if "\r" in text:  # Windows line breaks (Notepad, WPS); a CR alone is left to libyaml
        text = text.replace("\r\n", "\n")
    if _OUTSIDE.search(text) is not None:
        return NOT_BLOCK
    lines = chain.from_iterable(pieces(text))
    values: dict[str, Any] = {}  # each scalar's text once: dates, states and keys repeat
    unseen, value_of = _UNSEEN, _value
    # the open blocks, (column of their entries, the mapping or list, whether a list), innermost last
    stack: list[tuple[int, Any, bool]] = []
    top_column, top_is_list = -1, False
    top: Any = None
    root: Any = NOT_BLOCK
    # a "key:" or "-" with nothing after it: its mapping or list, key or index, column, and whether a list
    pending: tuple[Any, Any, int, bool] | None = None
    for indent, dashes, key, value, item in lines:
        if not (key or dashes):
            if not item or item[0] == "#":
                continue  # a blank line or a comment
            return NOT_BLOCK  # a scalar alone (a continued one, a document marker, a quoted key …)
        column = len(indent)
        if pending is not None:
            owner, slot, owner_column, owner_is_list = pending
            pending = None
            if column > owner_column or (dashes and column == owner_column and not owner_is_list):
                top_column, top, top_is_list = column, [] if dashes else {}, bool(dashes)
                owner[slot] = top
                stack.append((column, top, top_is_list))
                if len(stack) > MAX_DEPTH:
                    return NOT_BLOCK
            else:
                owner[slot] = None
        if column != top_column or (top_is_list and not dashes):
            while stack and (stack[-1][0] > column or (stack[-1][0] == column and stack[-1][2] and not dashes)):
                stack.pop()
            if not stack:
                if root is not NOT_BLOCK or column:
                    return NOT_BLOCK
                root = [] if dashes else {}
                stack.append((0, root, bool(dashes)))
            top_column, top, top_is_list = stack[-1]
            if top_column != column:
                return NOT_BLOCK
        if dashes:
            if not top_is_list:
                return NOT_BLOCK
            if not key:
                if not item:
                    top.append(None)
                    pending = (top, len(top) - 1, column, True)
                    continue
                found = values.get(item, unseen)
                if found is unseen:
                    found = values[item] = value_of(item)
                if found is NOT_BLOCK:
                    return NOT_BLOCK
                top.append(found)
                continue
            mapping: dict[Any, Any] = {}
            top.append(mapping)
            top_column, top, top_is_list = column + len(dashes), mapping, False
            stack.append((top_column, top, False))
            if len(stack) > MAX_DEPTH:
                return NOT_BLOCK
        elif top_is_list:
            return NOT_BLOCK
        if key in _SPECIAL_KEYS:
            key = plain_value(key)
        if key in top:
            return NOT_BLOCK
        if value:
            found = values.get(value, unseen)
            if found is unseen:
                found = values[value] = value_of(value)
            if found is NOT_BLOCK:
                return NOT_BLOCK
            top[key] = found
        else:
            pending = (top, key, top_column, False)
    if pending is not None:
        pending[0][pending[1]] = None
    return None if root is NOT_BLOCK else root
