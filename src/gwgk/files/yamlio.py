"""The one module that parses and emits YAML.

Two parsers, each for what it is good at:

* reading: PyYAML's libyaml-backed ``CSafeLoader`` (about 6x faster than ruamel's round-trip
  loader), hardened: no tags that build objects, no anchors/aliases (so no "billion laughs"),
  no duplicate keys, and no implicit timestamps (dates reach pydantic as text, so an impossible
  date is a located validation error, not a crash);
* writing: ruamel.yaml's round-trip mode, used only for the one file a command writes, so that
  comments, key order and hand edits survive.

Positions for error messages come from composing the text again (C speed) only when something
is wrong.
"""

from __future__ import annotations

import gc
import io
import re
import textwrap
from collections.abc import Sequence
from typing import Any

import yaml

from gwgk.errors import DataError, Problem
from gwgk.files.yamlerrors import _mark_problem, _translate_yaml_problem

MAX_FILE_BYTES = 16 * 1024 * 1024

_CLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def decode(raw: bytes, name: str) -> str:
    """Text of a file's bytes: UTF-8 (a byte-order mark is allowed), else a located problem."""
    if len(raw) > MAX_FILE_BYTES:
        raise DataError(
            "文件过大,拒绝读取",
            [Problem(name, None, None, f"文件有 {len(raw)} 字节,超过上限 {MAX_FILE_BYTES} 字节")],
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError(
            "文件编码不是 UTF-8",
            [Problem(name, 1, 1, "文件是 UTF-16 编码,请用记事本或 WPS“另存为”UTF-8 编码")],
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = "文件不是 UTF-8 编码"
        try:
            raw.decode("gb18030")
            hint += ",看起来是 GBK/GB18030 编码(Windows 记事本的“ANSI”)"
        except UnicodeDecodeError:
            pass
        raise DataError(
            "文件编码错误",
            [Problem(name, line, column, hint + ",请另存为 UTF-8 编码后再试")],
        ) from None
    if "\x85" in text:  # YAML reads NEL as a line break: what a person sees is not what is read
        where = text.index("\x85")
        line = text[:where].count("\n") + 1
        column = where - (text.rfind("\n", 0, where) + 1) + 1
        raise DataError("文件含有 NEL 换行符", [Problem(name, line, column, "文件含有不可见的 NEL 换行符(U+0085),请删除")])
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise DataError("文件含有空字符", [Problem(name, line, None, "文件含有空字符(NUL),不是文本文件")])
    return text


_PLAIN = "plain"
_QUOTED = "quoted"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUES = frozenset(("true", "True", "TRUE"))
_FALSES = frozenset(("false", "False", "FALSE"))
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")


class _Composer(_CLoader):  # type: ignore[misc, valid-type]
    """libyaml composes the node tree; implicit tags are left for ``_data`` to decide (cheaply)."""

    def descend_resolver(self, current_node, current_index):  # noqa: D102 - no path resolvers here
        return None

    def ascend_resolver(self):  # noqa: D102
        return None

    def resolve(self, kind, value, implicit):  # noqa: D102 - PyYAML hook, called for every node
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else _QUOTED
        return _SEQ if kind is yaml.SequenceNode else _MAP


class _Refused(Exception):
    def __init__(self, message: str, mark: Any):
        super().__init__(message)
        self.message, self.mark = message, mark


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def _scalar(node: Any) -> Any:
    tag, value = node.tag, node.value
    if node.style == '"' and _CONTROL.search(value):
        bad = _CONTROL.search(value).group()
        raise _Refused(f"双引号里的转义写出了不可见的控制字符(U+{ord(bad):04X}),请删除", node.start_mark)
    if tag == _PLAIN:
        if value in _NULLS:
            return None
        if value in _TRUES:
            return True
        if value in _FALSES:
            return False
        if _INT.fullmatch(value):
            return int(value)
        return value  # dates, floats and the rest stay text: the schema decides what they mean
    if tag in (_QUOTED, "tag:yaml.org,2002:str"):
        return value
    if tag == "tag:yaml.org,2002:int" and _INT.fullmatch(value):
        return int(value)
    raise _Refused(f"不支持 YAML 标签“{tag}”", node.start_mark)


def _data(node: Any, seen: set[int]) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if id(node) in seen:
        raise _Refused("不支持 YAML 锚点和别名(& 和 *),请直接写出内容", node.start_mark)
    seen.add(id(node))
    if node.tag not in (_MAP, _SEQ):
        raise _Refused(f"不支持 YAML 标签“{node.tag}”", node.start_mark)
    if isinstance(node, yaml.SequenceNode):
        return [_data(item, seen) for item in node.value]
    out: dict[Any, Any] = {}
    marks: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise _Refused("映射的键必须是简单的文字或数字", key_node.start_mark)
        key = _scalar(key_node)
        if key in marks:
            raise _Refused(f"键“{key}”重复出现(第一次在第 {marks[key].line + 1} 行)", key_node.start_mark)
        marks[key] = key_node.start_mark
        out[key] = _data(value_node, seen)
    return out


def _refuse_anchors(text: str) -> None:
    """Refuse any anchor (``&a``) or alias (``*a``), on a scalar as on a list or mapping: plain data
    has neither, and an alias repeated is how a small file asks for a huge amount of memory."""
    for event in yaml.parse(text, Loader=_CLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused("不支持 YAML 锚点和别名(& 和 *),请直接写出内容", event.start_mark)


def load_fast(text: str, name: str) -> Any:
    """Parse one YAML document quickly and safely; raises ``DataError`` with a located problem.

    libyaml builds the node tree in C; ``_data`` turns it into plain values, refusing aliases,
    duplicate keys and tags, and leaving dates as text. About 3x faster than PyYAML's constructor.
    """
    collecting = gc.isenabled()
    gc.disable()  # the node tree has no cycles; scanning it again and again costs a third of the time
    try:
        if "&" in text or "*" in text:
            _refuse_anchors(text)
        node = yaml.compose(text, Loader=_Composer)
        return None if node is None else _data(node, set())
    except yaml.YAMLError as exc:
        raise DataError("YAML 格式错误", [_mark_problem(name, exc)]) from None
    except _Refused as exc:
        raise DataError("YAML 内容不被接受", [Problem(name, exc.mark.line + 1, exc.mark.column + 1, exc.message)]) from None
    except RecursionError:
        raise DataError("YAML 嵌套过深", [Problem(name, None, None, "YAML 嵌套层次过深,拒绝读取")]) from None
    finally:
        if collecting:
            gc.enable()


def position(text: str, loc: Sequence[Any]) -> tuple[int, int] | None:
    """Line and column (1-based) of the node at ``loc`` (keys and list indexes) in ``text``.

    Walks as deep as the path exists; a path element that is not in the document (a missing
    field, or a pydantic union tag) is skipped, so the answer is the nearest enclosing node.
    """
    node = _composed(text)
    if node is None:
        return None
    node = _walk(node, loc, strict=False)
    return node.start_mark.line + 1, node.start_mark.column + 1


_LAST_COMPOSED: list[tuple[str, Any]] = []


def _composed(text: str) -> Any:
    """The node tree of ``text`` (None if it does not parse); the last one is kept, so that locating
    the thousand problems of one file composes it once, not a thousand times."""
    if _LAST_COMPOSED and _LAST_COMPOSED[0][0] is text:
        return _LAST_COMPOSED[0][1]
    try:
        node = yaml.compose(text, Loader=_CLoader)
    except (yaml.YAMLError, RecursionError):
        node = None
    _LAST_COMPOSED[:] = [(text, node)]
    return node


# ---------------------------------------------------------------- round trip (writing only)


def _roundtrip_yaml():
    from ruamel.yaml import YAML

    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 4096
    rt.indent(mapping=2, sequence=4, offset=2)
    rt.allow_unicode = True
    # one value written twice (an entry done and entered on the same day) must not become an
    # anchor and an alias: gwgk reads no aliases, so it would refuse the file it just wrote
    rt.representer.ignore_aliases = lambda *args: True
    return rt


def load_roundtrip(text: str, name: str) -> Any:
    """Parse for editing: comments, order and quoting are kept for ``dump_roundtrip``."""
    from ruamel.yaml.error import YAMLError as RuamelError

    try:
        return _roundtrip_yaml().load(text)
    except RuamelError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        raise DataError("YAML 格式错误", [Problem(name, line, column, _translate_yaml_problem(str(problem)))]) from None


def dump_roundtrip(data: Any) -> str:
    """YAML text of a document loaded by ``load_roundtrip`` or built from ``new_map``/``new_seq``."""
    buf = io.StringIO()
    _roundtrip_yaml().dump(data, buf)
    return buf.getvalue()


def new_map(items: Sequence[tuple[str, Any]] = ()) -> Any:
    """An empty (or filled) ordered mapping that keeps comments when dumped."""
    from ruamel.yaml.comments import CommentedMap

    return CommentedMap(items)


def new_seq(items: Sequence[Any] = ()) -> Any:
    """A list that keeps comments when dumped."""
    from ruamel.yaml.comments import CommentedSeq

    return CommentedSeq(items)


def comment_before_item(seq: Any, index: int, text: str, indent: int = 0) -> None:
    """Put ``# text`` on its own line(s) above item ``index`` of a round-trip list."""
    seq.yaml_set_comment_before_after_key(index, before=text, indent=indent)


def start_comment(mapping: Any, text: str) -> None:
    """Put ``# text`` lines at the very top of the document."""
    mapping.yaml_set_start_comment(text)


# ---------------------------------------------------------------- appending without disturbing


class CannotSplice(Exception):
    """The document's layout is one ``append_item`` does not edit as text (flow style, …)."""


def _walk(node: Any, path: Sequence[Any], strict: bool = True) -> Any:
    """The node at ``path`` (keys and list indexes). A step not in the document raises
    ``CannotSplice`` when ``strict``; otherwise it is skipped, giving the nearest enclosing node."""
    for step in path:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(step):
                    node = value_node
                    break
            else:
                if strict:
                    raise CannotSplice(f"no key {step!r}")
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
        elif strict:
            raise CannotSplice(f"no step {step!r}")
    return node


def _last_line(node: Any) -> int:
    """0-based index of the last line holding content of ``node`` (its comments excluded)."""
    if isinstance(node, yaml.MappingNode) and node.value and not node.flow_style:
        return _last_line(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
        return _last_line(node.value[-1])
    end = node.end_mark
    if isinstance(node, yaml.ScalarNode) and node.value == "" and node.style is None:
        return node.start_mark.line  # an empty value ends on its key's line
    return end.line - 1 if end.column == 0 else end.line


def _indented(block: str, columns: int) -> str:
    pad = " " * columns
    return "".join(pad + line if line.strip() else line for line in block.splitlines(keepends=True))


def append_item(text: str, mapping_path: Sequence[Any], key: str, item: dict[str, Any]) -> str:
    """``text`` with ``item`` appended to the block list ``key`` of the mapping at ``mapping_path``.

    The list is created when the key is missing. Every other byte of ``text`` is kept: the new lines
    go right after the last content line of the list (or of the mapping), so comments written above
    the next entry stay above it. Raises ``CannotSplice`` for layouts it does not edit as text.
    """
    root = yaml.compose(text, Loader=_CLoader)
    mapping = _walk(root, mapping_path)
    if not isinstance(mapping, yaml.MappingNode) or mapping.flow_style or not mapping.value:
        raise CannotSplice("not a block mapping")
    value = next((v for k, v in mapping.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)
    rendered = textwrap.dedent(dump_roundtrip(new_seq([new_map(list(item.items()))])))
    if value is None:
        column = mapping.start_mark.column
        block = " " * column + f"{key}:\n" + _indented(rendered, column + 2)
        after = _last_line(mapping)
    elif isinstance(value, yaml.SequenceNode) and not value.flow_style and value.value:
        block = _indented(rendered, value.start_mark.column)
        after = _last_line(value)
    else:
        raise CannotSplice("the list is empty or in flow style")
    lines = text.splitlines(keepends=True)
    if after >= len(lines):
        raise CannotSplice("position past the end")
    if not lines[after].endswith("\n"):
        lines[after] += "\n"
    lines.insert(after + 1, block)
    return "".join(lines)


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
    root = yaml.compose(text, Loader=_CLoader)
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if text.count("\r\n") * 2 > text.count("\n") else "\n"
    places = []
    for path, key, value in inserts:
        node = _walk(root, path)
        if not isinstance(node, yaml.MappingNode) or node.flow_style or not node.value:
            raise CannotSplice("not a block mapping")
        line, column = node.start_mark.line, node.start_mark.column
        if line >= len(lines) or not re.fullmatch(r"\s*-\s+|\s*", lines[line][:column]):
            raise CannotSplice("the mapping does not start its line")
        places.append((line, column, f"{key}: {value}"))
    for line, column, entry in sorted(places, reverse=True):
        head, tail = lines[line][:column], lines[line][column:]
        lines[line] = head + entry + newline + " " * column + tail
    return "".join(lines)
