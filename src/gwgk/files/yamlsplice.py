"""Editing YAML text in place: a change adds, replaces or removes only the lines and values it is
about, and every other byte of the file (comments, quoting, hand-typed spellings such as ``+.inf``
or ``0x10``) is kept.

Positions come from the node tree ``yamlio.compose`` gives (``yamllight.shallow`` for what they read of a plain block text), and new YAML text from ``yamlio``'s
round-trip writer: this module reads and writes no YAML of its own. Layouts it does not edit as
text (flow style, a value spread over lines, line breaks YAML reads but a text editor does not)
raise ``CannotSplice``; the caller then goes through ruamel's round trip. A caller verifies that
the new text reads back as the document it meant.
"""

from __future__ import annotations

import re
import textwrap
from array import array
from collections.abc import Sequence
from typing import Any, NamedTuple

from gwgk.files.yamlio import (
    CannotSplice,
    dump_roundtrip,
    load_roundtrip,
    new_map,
    new_seq,
    walk,
)
from gwgk.files.yamlitems import rendered_lists
from gwgk.files.yamllight import shallow

__all__ = ["CannotSplice", "Edit", "append_item", "append_items", "append_item_roundtrip", "apply_edits", "insert_first_keys",
           "key_dropped", "key_inserted", "items_inserted", "value_replaced"]


class Edit(NamedTuple):
    """Replace the text between two character offsets with ``new`` (equal offsets: an insertion)."""

    start: int
    end: int
    new: str


def _last_line(node: Any) -> int:
    """0-based index of the last line holding content of ``node`` (its comments excluded)."""
    if node.id == "mapping" and node.value and not node.flow_style:
        return _last_line(node.value[-1][1])
    if node.id == "sequence" and node.value and not node.flow_style:
        return _last_line(node.value[-1])
    end = node.end_mark
    if node.id == "scalar" and node.value == "" and node.style is None:
        return int(node.start_mark.line)  # an empty value ends on its key's line
    return int(end.line - 1 if end.column == 0 else end.line)


def _indented(block: str, columns: int) -> str:
    pad = " " * columns
    return "".join(pad + line if line.strip() else line for line in block.splitlines(keepends=True))


def _block_mapping(root: Any, path: Sequence[Any]) -> Any:
    mapping = walk(root, path)
    if mapping.id != "mapping" or mapping.flow_style or not mapping.value:
        raise CannotSplice("not a block mapping")
    return mapping


def _pair(mapping: Any, key: str) -> tuple[Any, Any] | None:
    return next(((k, v) for k, v in mapping.value if k.id == "scalar" and k.value == key), None)


def append_item(text: str, mapping_path: Sequence[Any], key: str, item: dict[str, Any]) -> str:
    """``text`` with ``item`` appended to the block list ``key`` of the mapping at ``mapping_path``.

    The list is created when the key is missing. Every other byte of ``text`` is kept: the new lines
    go right after the last content line of the list (or of the mapping), so comments written above
    the next entry stay above it. Raises ``CannotSplice`` for layouts it does not edit as text.
    """
    mapping = _block_mapping(shallow(text, len(mapping_path) + 2), mapping_path)
    pair = _pair(mapping, key)
    value = None if pair is None else pair[1]
    rendered = textwrap.dedent(dump_roundtrip(new_seq([new_map(list(item.items()))])))
    if value is None:
        column = mapping.start_mark.column
        block = " " * column + f"{key}:\n" + _indented(rendered, column + 2)
        after = _last_line(mapping)
    elif value.id == "sequence" and not value.flow_style and value.value:
        block = _indented(rendered, value.start_mark.column)
        after = _last_line(value)
    else:
        raise CannotSplice("the list is empty or in flow style")
    return _inserted_after(text, [(after, 0, block)])


def append_items(text: str, appends: Sequence[tuple[Sequence[Any], str, Sequence[dict[str, Any]]]]) -> str:
    """``append_item`` for many lists at once, ``(mapping path, key, items)`` each: the text composed
    once and each list's new items written in one block (a thousand entries in one pass, not a
    thousand). Every other byte of ``text`` is kept; ``CannotSplice`` as ``append_item``."""
    appends = [a for a in appends if a[2]]
    root = shallow(text, max((len(a[0]) + 2 for a in appends), default=0))
    places: list[tuple[int, int, str]] = []
    for order, ((mapping_path, key, _), rendered) in enumerate(zip(appends, rendered_lists([a[2] for a in appends]))):
        mapping = _block_mapping(root, mapping_path)
        pair = _pair(mapping, key)
        value = None if pair is None else pair[1]
        if value is None:
            column = mapping.start_mark.column
            block, after = " " * column + f"{key}:\n" + _indented(rendered, column + 2), _last_line(mapping)
        elif value.id == "sequence" and not value.flow_style and value.value:
            block, after = _indented(rendered, value.start_mark.column), _last_line(value)
        else:
            raise CannotSplice("the list is empty or in flow style")
        places.append((after, order, block))
    return _inserted_after(text, places)


# what str.splitlines breaks lines at besides LF
_SPLIT_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _inserted_after(text: str, places: list[tuple[int, int, str]]) -> str:
    """``text`` with each block put after its line (``(line, order, block)``, lines as
    ``str.splitlines`` counts them, blocks after one line in ``order``); a last line without a
    line break gets one first."""
    if _SPLIT_BREAKS.search(text):
        lines = text.splitlines(keepends=True)
        for after, _, block in sorted(places, reverse=True):
            if after >= len(lines):
                raise CannotSplice("position past the end")
            if not lines[after].endswith("\n"):
                lines[after] += "\n"
            lines.insert(after + 1, block)
        return "".join(lines)
    # LF alone: cut at offsets, not into a list of every line (800,000 strings for a 16 MiB ledger)
    starts = _lines(text).starts
    count = len(starts) - 1 if text.endswith("\n") or not text else len(starts)
    out, done, broken = [], 0, text.endswith("\n")
    for after, _, block in sorted(places):
        if after >= count:
            raise CannotSplice("position past the end")
        at = starts[after + 1] if after + 1 < len(starts) else len(text)
        out.append(text[done:at])
        if at == len(text) and not broken:
            out.append("\n")
            broken = True
        out.append(block)
        done = at
    out.append(text[done:])
    return "".join(out)


def append_item_roundtrip(text: str, mapping_path: Sequence[Any], key: str, item: dict[str, Any], name: str) -> str:
    """The same as ``append_item`` through ruamel's round trip (comments kept, may move slightly)."""
    doc = load_roundtrip(text, name)
    node = doc
    for step in mapping_path:
        node = node[step]
    if key not in node or node[key] is None:
        node[key] = new_seq()
    node[key].append(new_map(list(item.items())))
    return dump_roundtrip(doc)


def insert_first_keys(text: str, inserts: Sequence[tuple[Sequence[Any], str, str]]) -> str:
    """``text`` with ``key: value`` written as the first key of each block mapping at a path.

    Only the new lines are added (``value`` must be a plain scalar that needs no quoting, such as
    an entry id); every other byte of ``text`` is kept. Raises ``CannotSplice`` for a mapping that
    is not in block style or does not start on its own line after ``- ``.
    """
    root = shallow(text, max((len(path) for path, _, _ in inserts), default=0))  # only the mappings' starts are read
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if text.count("\r\n") * 2 > text.count("\n") else "\n"
    places = []
    for path, key, value in inserts:
        node = walk(root, path)
        if node.id != "mapping" or node.flow_style:  # a block mapping is never empty
            raise CannotSplice("not a block mapping")
        line, column = node.start_mark.line, node.start_mark.column
        if line >= len(lines) or not re.fullmatch(r"\s*-\s+|\s*", lines[line][:column]):
            raise CannotSplice("the mapping does not start its line")
        places.append((line, column, f"{key}: {value}"))
    for line, column, entry in sorted(places, reverse=True):
        head, tail = lines[line][:column], lines[line][column:]
        lines[line] = head + entry + newline + " " * column + tail
    return "".join(lines)


# ---------------------------------------------------------------- edits computed on one tree, applied at once

# YAML also breaks lines at these; a text editor (and the offsets below) does not
_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")


class _Text:
    """A text and the offset of each of its lines, for turning marks into offsets."""

    def __init__(self, text: str):
        if _OTHER_BREAKS.search(text):
            raise CannotSplice("line breaks other than LF")
        self.text = text
        # an array, not a list: a list of a 16 MiB ledger's 800,000 offsets took 30 MB
        self.starts = array("q", [0])
        self.starts.extend(m.end() for m in re.finditer("\n", text))

    def offset(self, line: int, column: int = 0) -> int:
        if line >= len(self.starts):
            return len(self.text)
        return self.starts[line] + column

    def line_end(self, line: int) -> int:
        """The offset just after line ``line``'s break (the end of the text for the last line)."""
        return self.offset(line + 1)


_LAST_TEXT: list[_Text] = []


def _lines(text: str) -> _Text:
    """``_Text`` of ``text``, kept for the next edit of the same text (a sync makes dozens)."""
    if not _LAST_TEXT or _LAST_TEXT[0].text is not text:
        _LAST_TEXT[:] = [_Text(text)]
    return _LAST_TEXT[0]


def _inline(value: Any) -> str:
    """``value`` as the YAML text of a one-line scalar, as the round-trip writer spells it."""
    rendered = dump_roundtrip(new_map([("k", value)]))
    if not rendered.startswith("k: ") or rendered.count("\n") != 1:
        raise CannotSplice("the value does not fit on one line")
    return rendered[3:-1]


def _one_line_scalar(node: Any) -> None:
    if node.id != "scalar" or node.start_mark.line != node.end_mark.line or (node.value == "" and node.style is None):
        raise CannotSplice("not a one-line scalar")


def value_replaced(text: str, root: Any, path: Sequence[Any], key: str, value: Any) -> Edit:
    """The edit that writes ``value`` in place of the one-line value of ``key`` in the mapping at ``path``."""
    pair = _pair(_block_mapping(root, path), key)
    if pair is None:
        raise CannotSplice(f"no key {key!r}")
    node = pair[1]
    _one_line_scalar(node)
    lines = _lines(text)
    return Edit(lines.offset(node.start_mark.line, node.start_mark.column),
                lines.offset(node.end_mark.line, node.end_mark.column), _inline(value))


def key_inserted(text: str, root: Any, path: Sequence[Any], key: str, value: Any, after: str | None) -> Edit:
    """The edit that adds the line ``key: value`` to the mapping at ``path``, after the line of key
    ``after`` (or after the mapping's last line when ``after`` is absent)."""
    mapping = _block_mapping(root, path)
    found = _pair(mapping, after) if after is not None else None
    if found is not None:
        _one_line_scalar(found[1])
        line = found[1].end_mark.line
    else:
        line = _last_line(mapping)
    lines = _lines(text)
    at = lines.line_end(line)
    prefix = "" if text[:at].endswith("\n") or at == 0 else "\n"
    return Edit(at, at, prefix + " " * mapping.start_mark.column + f"{key}: {_inline(value)}\n")


def key_dropped(text: str, root: Any, path: Sequence[Any], key: str) -> Edit:
    """The edit that removes the line of ``key`` (a one-line value on a line of its own) from the mapping at ``path``."""
    pair = _pair(_block_mapping(root, path), key)
    if pair is None:
        raise CannotSplice(f"no key {key!r}")
    key_node, value_node = pair
    _one_line_scalar(value_node)
    lines = _lines(text)
    start = lines.offset(key_node.start_mark.line)
    if key_node.start_mark.line != value_node.end_mark.line or text[start:start + key_node.start_mark.column].strip():
        raise CannotSplice("the key does not have its line to itself")
    return Edit(start, lines.line_end(key_node.start_mark.line), "")


def items_inserted(text: str, root: Any, path: Sequence[Any], index: int, items: Sequence[tuple[Any, str | None]]) -> Edit:
    """The edit that inserts ``items`` (values, each with an optional comment line above it) into the
    block list at ``path`` before its item ``index`` (``len``: at the end). Comments above the item
    that follows stay above it."""
    seq = walk(root, path)
    if seq.id != "sequence" or seq.flow_style or not seq.value:
        raise CannotSplice("not a block list")
    rendered = []
    for value, comment in items:
        rendered += [f"# {line}\n" for line in (comment or "").splitlines()]
        rendered.append(textwrap.dedent(dump_roundtrip(new_seq([value]))))
    block = _indented("".join(rendered), seq.start_mark.column)
    lines = _lines(text)
    if index == 0:
        # before the first item's comments: right after the line of the key that opens the list
        if not path:
            raise CannotSplice("the document is a list")
        pair = _pair(_block_mapping(root, path[:-1]), str(path[-1]))
        if pair is None or pair[0].end_mark.line >= seq.start_mark.line:
            raise CannotSplice("the list does not start below its key")
        at = lines.line_end(pair[0].end_mark.line)
    else:
        at = lines.line_end(_last_line(seq.value[index - 1]))
    prefix = "" if text[:at].endswith("\n") or at == 0 else "\n"
    return Edit(at, at, prefix + block)


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with every edit made (all computed on the same ``text``; none may overlap another)."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end), reverse=True)
    for later, earlier in zip(ordered, ordered[1:]):
        if earlier.end > later.start:
            raise CannotSplice("edits overlap")
    for edit in ordered:
        text = text[:edit.start] + edit.new + text[edit.end:]
    return text
