"""A light node tree of the plain block YAML ledgers are written in, for editing them as text.

``yamlio.compose`` builds libyaml's node tree of a whole document: for a 100,000-record ledger,
ten seconds and over 500 MB, of which a text splice reads a few nodes. ``shallow(text, limit)``
gives the nodes ``yamlsplice`` reads (``id``, ``value``, ``style``, ``flow_style``, ``start_mark``
and ``end_mark`` with 0-based ``line`` and ``column``) from the lines of a text ``yamlblock`` reads,
down to depth ``limit``: a mapping or list at that depth is a leaf with no ``value`` (its marks
span its lines, so its last line is known), and nothing below it is built. Any other text, and
anything this reader leaves to libyaml, is composed by libyaml. Every text spliced is read back
and compared with what was meant, so a mark wrong here is a refusal, never a wrong file.
"""

from __future__ import annotations

import re
from itertools import chain
from typing import Any, NamedTuple

from gwgk.files.yamlblock import _OUTSIDE, MAX_DEPTH, NOT_BLOCK, _value, pieces
from gwgk.files.yamlio import compose

# yamlblock's line pattern, with the spaces between a key's colon and its value kept
_LINES = re.compile(r"^( *)((?:-(?: +|$))?)(?:([A-Za-z_][A-Za-z0-9_]{0,99}):(?:( +)(.*))?|(.*))$", re.MULTILINE)


class Mark(NamedTuple):
    """A place in the text: 0-based line and column (in characters)."""

    line: int
    column: int


class Node:
    """A node as ``yamlio.compose`` gives it, for what ``yamlsplice`` reads of it."""

    __slots__ = ("end_mark", "flow_style", "id", "start_mark", "style", "value")

    def __init__(self, kind: str, value: Any, start: Mark, end: Mark, style: str | None = None):
        self.id, self.value, self.start_mark, self.end_mark, self.style = kind, value, start, end, style
        self.flow_style = False


def shallow(text: str, limit: int) -> Any:
    """The node tree of ``text`` down to depth ``limit`` (see the module's doc); libyaml's whole
    tree for a text this reader leaves to it."""
    tree = _tree(text, limit)
    return compose(text) if tree is None else tree


def _scalar(written: str, line: int, column: int) -> Node:
    shown = written.rstrip(" ")
    style = shown[0] if shown[0] in "'\"" else ""
    inner = shown if not style else shown[1:-1].replace("''", "'") if style == "'" else shown[1:-1]
    return Node("scalar", inner, Mark(line, column), Mark(line, column + len(shown)), style)


def _empty(line: int, column: int) -> Node:
    """An empty value, placed as libyaml places it: just after the ":" or "-"."""
    return Node("scalar", "", Mark(line, column), Mark(line, column), "")


class _Open:
    """An open collection: the column of its entries, whether a list, its depth, its node (None
    past the limit) and whether its entries are built (not at the limit)."""

    __slots__ = ("column", "depth", "is_list", "node", "shown")

    def __init__(self, column: int, is_list: bool, depth: int, node: Node | None, limit: int):
        self.column, self.is_list, self.depth, self.node = column, is_list, depth, node
        self.shown = node if depth < limit else None


def _tree(text: str, limit: int) -> Node | None:  # noqa: C901, PLR0912 - one pass over the lines, as yamlblock's
    if "\r" in text or _OUTSIDE.search(text) is not None:
        return None
    readable: dict[str, bool] = {}  # each value written: whether yamlblock reads it
    stack: list[_Open] = []
    root: Node | None = None
    # a "key:" or "-" with nothing after it: the collection it is in, its key (None: an item), its
    # column, and where an empty value would be
    pending: tuple[_Open, str | None, int, Mark] | None = None
    last = Mark(0, 0)  # the end of the last line with content
    for number, (indent, dashes, key, spaces, value, item) in enumerate(chain.from_iterable(pieces(text, _LINES))):
        if not (key or dashes):
            if not item or item[0] == "#":
                continue
            return None
        column = len(indent)
        if pending is not None:
            owner, slot, owner_column, empty = pending
            pending = None
            owner_is_list = owner.is_list and slot is None
            if column > owner_column or (dashes and column == owner_column and not owner_is_list):
                node = None if owner.shown is None else Node("sequence" if dashes else "mapping", [], Mark(number, column), last)
                if node is not None:
                    _put(owner.shown, slot, node)  # type: ignore[arg-type]
                stack.append(_Open(column, bool(dashes), owner.depth + 1, node, limit))
                if len(stack) > MAX_DEPTH:
                    return None
            elif owner.shown is not None:
                _put(owner.shown, slot, _empty(*empty))
        if not stack or column != stack[-1].column or (stack[-1].is_list and not dashes):
            while stack and (stack[-1].column > column or (stack[-1].column == column and stack[-1].is_list and not dashes)):
                _close(stack.pop(), last)
            if not stack:
                if root is not None or column:
                    return None
                root = Node("sequence" if dashes else "mapping", [], Mark(number, column), last)
                stack.append(_Open(0, bool(dashes), 0, root, limit))
            if stack[-1].column != column:
                return None
        top = stack[-1]
        if dashes:
            if not top.is_list:
                return None
            if not key:
                if not item:
                    pending = (top, None, column, Mark(number, column + 1))
                    last = Mark(number, column + 1)
                    continue
                if not _readable(item, readable):
                    return None
                if top.shown is not None:
                    top.shown.value.append(_scalar(item, number, column + len(dashes)))
                last = Mark(number, column + len(dashes) + len(item.rstrip(" ")))
                continue
            start = column + len(dashes)
            mapping = None if top.shown is None else Node("mapping", [], Mark(number, start), last)
            if mapping is not None:
                top.shown.value.append(mapping)  # type: ignore[union-attr]
            top = _Open(start, False, top.depth + 1, mapping, limit)
            stack.append(top)
            if len(stack) > MAX_DEPTH:
                return None
        elif top.is_list:
            return None
        key_start = column + len(dashes)
        key_node = None if top.shown is None else Node("scalar", key, Mark(number, key_start), Mark(number, key_start + len(key)), "")
        if value:
            if not _readable(value, readable):
                return None
            at = key_start + len(key) + 1 + len(spaces)
            if top.shown is not None:
                top.shown.value.append((key_node, _scalar(value, number, at)))
            last = Mark(number, at + len(value.rstrip(" ")))
        else:
            if top.shown is not None:
                top.shown.value.append([key_node, None])
            pending = (top, key, key_start, Mark(number, key_start + len(key) + 1))
            last = Mark(number, key_start + len(key) + 1)
    if pending is not None and pending[0].shown is not None:
        _put(pending[0].shown, pending[1], _empty(*pending[3]))
    while stack:
        _close(stack.pop(), last)
    if root is not None:
        _tuples(root)
    return root


def _readable(written: str, readable: dict[str, bool]) -> bool:
    found = readable.get(written)
    if found is None:
        found = readable[written] = _value(written) is not NOT_BLOCK
    return found


def _put(owner: Node, slot: str | None, node: Node) -> None:
    """A value in its place: a list's next item (``slot`` None), or the value of a mapping's last
    key (``slot``), which waits for it."""
    if slot is None:
        owner.value.append(node)
    else:
        owner.value[-1][1] = node


def _close(entry: _Open, last: Mark) -> None:
    """A collection ends at the end of its last line with content."""
    if entry.node is not None:
        entry.node.end_mark = last


def _tuples(root: Node) -> None:
    """Each mapping's pairs as tuples, as libyaml gives them."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.id == "mapping":
            node.value = [(k, v) for k, v in node.value]
            stack.extend(v for _, v in node.value if v.id != "scalar")
        elif node.id == "sequence":
            stack.extend(v for v in node.value if v.id != "scalar")
