"""New list items rendered as YAML text, byte for byte as ruamel's round trip renders them, fast.

A bulk write appends a thousand entries; rendering them through the round trip's Python emitter
took most of the command's time. Most of their values are of a few kinds whose rendering is
known (an id, a status, a name, a date), so those are written directly; every other distinct
value is rendered once, through one round-trip dump of all of them, and reused. A list holding
anything that does not render on one line (a multi-line note, a nested list) goes through the
round trip whole. ``tests/test_yamlitems.py`` holds the two ways to the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Sequence
from typing import Any

from gwgk.files.yamlio import dump_roundtrip, new_map, new_seq

__all__ = ["rendered_lists"]

# Text the round trip writes plain whatever the context: a letter or a Han character first, then
# letters, digits, Han characters and full-width punctuation (none of them a YAML indicator).
_PLAIN = re.compile(r"[A-Za-z\u4e00-\u9fff][0-9A-Za-z_\u4e00-\u9fff\u3001-\u303f\uff01-\uff5e]*")
# words some YAML reader takes for a boolean, a null or a number: left to the round trip
_RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"})
# a value this long may be folded by the writer at a column that depends on its indentation
_LONGEST = 2000


def _direct(value: Any) -> str | None:
    """The rendering of ``value`` when it is of a kind known without the writer, else None."""
    kind = type(value)
    if kind is str:
        if len(value) <= _LONGEST and _PLAIN.fullmatch(value) and value.lower() not in _RESERVED:
            return str(value)
        return None
    if kind is int:
        return str(value)
    if kind is dt.date:
        return str(value.isoformat())
    return None


def _through_writer(values: Sequence[Any]) -> list[str | None]:
    """Each value as the round trip renders it after ``key:`` (without the space), or None where
    that takes more than one line: one dump of them all."""
    if not values:
        return []
    out: list[str | None] = [None] * len(values)
    current = -1
    for line in dump_roundtrip(new_map([(f"v{i}", value) for i, value in enumerate(values)])).splitlines():
        head, colon, rest = line.partition(":")
        if line[:1] == "v" and colon and head[1:].isdigit():
            current = int(head[1:])
            out[current] = rest[1:] if rest.startswith(" ") else rest
        elif 0 <= current < len(values):
            out[current] = None  # a continuation line: the value takes more than one line
    return out


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list, tuple, set))


def rendered_lists(lists: Sequence[Sequence[dict[str, Any]]]) -> list[str]:
    """Each list of items (dicts of plain values) as the block the round trip renders for it under
    a key, dedented to column 0: ``- key: value`` and ``  key: value`` lines."""
    pending: dict[tuple[type, Any], int] = {}
    values: list[Any] = []
    for items in lists:
        for item in items:
            for value in item.values():
                if _is_scalar(value) and _direct(value) is None and (type(value), value) not in pending:
                    pending[(type(value), value)] = len(values)
                    values.append(value)
    written = _through_writer(values)

    def text(part: Any) -> str | None:
        direct = _direct(part)
        if direct is not None:
            return direct
        return written[pending[(type(part), part)]]

    out: list[str] = []
    for items in lists:
        lines: list[str] | None = []
        for item in items:
            if lines is None or not item:
                lines = None
                break
            for n, (key, value) in enumerate(item.items()):
                if not (_is_scalar(key) and _is_scalar(value)):
                    lines = None
                    break
                key_text, value_text = _direct(key), text(value)
                if key_text is None or value_text is None:
                    lines = None
                    break
                lines.append(f"{'- ' if n == 0 else '  '}{key_text}:{' ' + value_text if value_text else ''}\n")
        out.append("".join(lines) if lines is not None else _whole(items))
    return out


def _whole(items: Sequence[dict[str, Any]]) -> str:
    """One list through the round trip, dedented to column 0."""
    dumped = dump_roundtrip(new_map([("k", new_seq([new_map(list(item.items())) for item in items]))]))
    return textwrap.dedent(dumped.split("\n", 1)[1])
