"""The one module that parses and emits YAML (``yamlblock`` is its fast reader, used only here).

Two parsers, each for what it is good at:

* reading: ``yamlblock`` for the plain block text ledgers are written in (line by line: nearly three
  times as fast as building values from libyaml's events), and PyYAML's libyaml-backed ``CSafeLoader``
  (about 6x faster than ruamel's round-trip loader) for anything else; both hardened alike: no
  tags that build objects, no anchors/aliases (so no "billion laughs"), no duplicate keys, and no
  implicit timestamps (dates reach pydantic as text, so an impossible date is a located
  validation error, not a crash);
* writing: ruamel.yaml's round-trip mode, used only for the one file a command writes, so that
  comments, key order and hand edits survive; a large document written from scratch (a drafted
  plan of hundreds of tasks), which has nothing to keep, goes through libyaml's emitter (``dump_new``).

Positions for error messages come from composing the text again (C speed) only when something
is wrong.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

import yaml

from gwgk.errors import DataError, Problem
from gwgk.files.yamlblock import INTEGER, NOT_BLOCK, block_data, plain_value
from gwgk.files.yamlerrors import _mark_problem, _translate_yaml_problem, located
from gwgk.process.collector import collector_paused

MAX_FILE_BYTES = 16 * 1024 * 1024

_CLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def decode(raw: bytes, name: str) -> str:
    """Text of a file's bytes: UTF-8 (a byte-order mark is allowed), else a located problem."""
    if len(raw) > MAX_FILE_BYTES:
        raise DataError(
            "文件过大，拒绝读取",
            [Problem(name, None, None, f"文件有 {len(raw)} 字节，超过上限 {MAX_FILE_BYTES} 字节")],
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError(
            "文件编码不是 UTF-8",
            [Problem(name, 1, 1, "文件是 UTF-16 编码，请用记事本或 WPS“另存为”UTF-8 编码")],
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = "文件不是 UTF-8 编码"
        try:
            raw.decode("gb18030")
            hint += "，看起来是 GBK/GB18030 编码（Windows 记事本的“ANSI”）"
        except UnicodeDecodeError:
            pass
        raise DataError(
            "文件编码错误",
            [Problem(name, line, column, hint + "，请另存为 UTF-8 编码后再试")],
        ) from None
    if "\x85" in text:  # YAML reads NEL as a line break: what a person sees is not what is read
        where = text.index("\x85")
        line = text[:where].count("\n") + 1
        column = where - (text.rfind("\n", 0, where) + 1) + 1
        raise DataError("文件含有 NEL 换行符", [Problem(name, line, column, "文件含有不可见的 NEL 换行符（U+0085），请删除")])
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise DataError("文件含有空字符", [Problem(name, line, None, "文件含有空字符（NUL），不是文本文件")])
    return text


_PLAIN = "plain"
_QUOTED = "quoted"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _Composer(_CLoader):  # type: ignore[misc, valid-type]
    """libyaml composes the node tree, for positions and text edits; no tag is resolved (cheaply)."""

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:  # noqa: D102 - no path resolvers here
        return None

    def ascend_resolver(self) -> None:  # noqa: D102
        return None

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:  # noqa: D102 - PyYAML hook, called for every node
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else _QUOTED
        return _SEQ if kind is yaml.SequenceNode else _MAP


class _Refused(Exception):
    def __init__(self, message: str, mark: Any):
        super().__init__(message)
        self.message, self.mark = message, mark


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_STR = "tag:yaml.org,2002:str"
_ANCHORS = "不支持 YAML 锚点和别名（& 和 *），请直接写出内容"
MAX_DEPTH = 64  # a ledger is five levels deep; a thousand nested brackets are an attack, not data


def _scalar(event: Any) -> Any:
    """The value of a scalar event: plain words become None, booleans and integers; dates, floats
    and the rest stay text (the schema decides what they mean); quoted text stays text."""
    tag, value = event.tag, event.value
    control = _CONTROL.search(value) if event.style == '"' else None
    if control:
        bad = control.group()
        raise _Refused(f"双引号里的转义写出了不可见的控制字符（U+{ord(bad):04X}），请删除", event.start_mark)
    if tag is None or tag == "!":
        return plain_value(value) if event.implicit[0] else value
    if tag == _STR:
        return value
    if tag == "tag:yaml.org,2002:int" and INTEGER.fullmatch(value):
        return int(value)
    raise _Refused(f"不支持 YAML 标签“{tag}”", event.start_mark)


def _collection_tag(event: Any, plain: str) -> None:
    if event.anchor is not None:
        raise _Refused(_ANCHORS, event.start_mark)
    if event.tag not in (None, "!", plain):
        raise _Refused(f"不支持 YAML 标签“{event.tag}”", event.start_mark)


def _events_data(parser: Any) -> Any:
    """The plain data of one YAML document, built from libyaml's events as they come: no node tree
    is kept (a 16 MiB ledger's tree takes three times the memory of its data), and anchors, aliases,
    tags, duplicate keys, keys that are not scalars and deep nesting are refused where they occur."""
    get = parser.get_event
    scalar, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    # each open collection: [container, pending key (mappings; _NO_KEY when none), key lines (mappings)]
    stack: list[list[Any]] = []
    root: Any = None
    document = None
    while True:
        event = get()
        if event is None:
            return root
        kind = type(event)
        if kind is scalar:
            if event.anchor is not None:
                raise _Refused(_ANCHORS, event.start_mark)
            value = _scalar(event)
        elif kind is mapping_start or kind is sequence_start:
            _collection_tag(event, _MAP if kind is mapping_start else _SEQ)
            if stack and stack[-1][1] is _NO_KEY and type(stack[-1][0]) is dict:
                raise _Refused("映射的键必须是简单的文字或数字", event.start_mark)
            if len(stack) >= MAX_DEPTH:
                raise _Refused("YAML 嵌套层次过深，拒绝读取", event.start_mark)
            stack.append([{}, _NO_KEY, {}] if kind is mapping_start else [[], None, None])
            continue
        elif kind in ends:
            value = stack.pop()[0]
        elif kind is yaml.AliasEvent:
            raise _Refused(_ANCHORS, event.start_mark)
        elif kind is yaml.DocumentStartEvent:
            if document is not None:
                raise yaml.composer.ComposerError("expected a single document in the stream", document,
                                                  "but found another document", event.start_mark)
            document = event.start_mark
            continue
        else:
            continue
        if not stack:
            root = value
            continue
        top = stack[-1]
        container = top[0]
        if type(container) is list:
            container.append(value)
        elif top[1] is _NO_KEY:
            lines = top[2]
            if value in lines:
                raise _Refused(f"键“{value}”重复出现（第一次在第 {lines[value] + 1} 行）", event.start_mark)
            lines[value] = event.start_mark.line
            top[1] = value
        else:
            container[top[1]] = value
            top[1] = _NO_KEY


_NO_KEY = object()


def load_fast(text: str, name: str) -> Any:
    """Parse one YAML document quickly and safely; raises ``DataError`` with a located problem.

    Plain block YAML, as ledgers are written, is read by ``yamlblock`` (nearly three times as fast); anything
    else by ``load_events``, which reads the same texts the same way.
    """
    with collector_paused():  # the values built have no cycles
        data = block_data(text)
    return load_events(text, name) if data is NOT_BLOCK else data


def load_events(text: str, name: str) -> Any:
    """``load_fast`` by libyaml alone: libyaml parses in C; ``_events_data`` builds plain values from
    its events, refusing anchors, aliases, duplicate keys and tags, and leaving dates as text."""
    try:
        parser = _CLoader(text)
    except UnicodeEncodeError:  # a lone surrogate: no file decodes to one (``decode``), but a caller's text might
        raise DataError("文件编码错误", [Problem(name, None, None, "含有无法编码的字符（孤立的 UTF-16 代理项）")]) from None
    try:
        with collector_paused():  # the values built have no cycles
            return _events_data(parser)
    except yaml.YAMLError as exc:
        raise DataError("YAML 格式错误", [_mark_problem(name, exc, text)]) from None
    except _Refused as exc:
        problem = Problem(name, *located(exc.mark, text), exc.message)
        raise DataError("YAML 嵌套过深" if exc.message.startswith("YAML 嵌套") else "YAML 内容不被接受", [problem]) from None
    finally:
        parser.dispose()


def position(text: str, loc: Sequence[Any]) -> tuple[int, int] | None:
    """Line and column (1-based) of the node at ``loc`` (keys and list indexes) in ``text``.

    Walks as deep as the path exists; a path element that is not in the document (a missing
    field, or a pydantic union tag) is skipped, so the answer is the nearest enclosing node.
    """
    node = _composed(text)
    if node is None:
        return None
    node = walk(node, loc, strict=False)
    return located(node.start_mark, text)


class CannotSplice(Exception):
    """The document's layout is one the text splices (``yamlsplice``) do not edit as text (flow style, …)."""


def walk(node: Any, path: Sequence[Any], strict: bool = True) -> Any:
    """The node at ``path`` (keys and list indexes). A step not in the document raises
    ``CannotSplice`` when ``strict``; otherwise it is skipped, giving the nearest enclosing node."""
    for step in path:
        if node.id == "mapping":
            for key_node, value_node in node.value:
                if key_node.id == "scalar" and key_node.value == str(step):
                    node = value_node
                    break
            else:
                if strict:
                    raise CannotSplice(f"no key {step!r}")
        elif node.id == "sequence" and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
        elif strict:
            raise CannotSplice(f"no step {step!r}")
    return node


def compose(text: str) -> Any:
    """The node tree of ``text`` (nodes have ``id`` "scalar", "sequence" or "mapping", ``value``,
    ``style``/``flow_style`` and 0-based ``start_mark``/``end_mark``), for editing it as text;
    ``CannotSplice`` if it does not parse."""
    try:
        return yaml.compose(text, Loader=_Composer)
    except (yaml.YAMLError, RecursionError):
        raise CannotSplice("does not parse") from None


_LAST_COMPOSED: list[tuple[str, Any]] = []


def _composed(text: str) -> Any:
    """The node tree of ``text`` (None if it does not parse); the last one is kept, so that locating
    the thousand problems of one file composes it once, not a thousand times."""
    if _LAST_COMPOSED and _LAST_COMPOSED[0][0] is text:
        return _LAST_COMPOSED[0][1]
    try:
        node = compose(text)
    except CannotSplice:
        node = None
    _LAST_COMPOSED[:] = [(text, node)]
    return node


# ---------------------------------------------------------------- round trip (writing only)


def _roundtrip_yaml() -> Any:
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
        line, column = located(mark, text) if mark is not None else (None, None)
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


# ---------------------------------------------------------------- fast writing of new documents


class _NewDocumentDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """libyaml's emitter for a document written from scratch: mappings in block style, lists of
    plain values on one line ("[市财政局, 市直有关部门]"), the others in block style."""

    def ignore_aliases(self, data: Any) -> bool:
        return True  # one value written twice must not become an anchor and an alias: gwgk reads none


def _represent_list(dumper: Any, data: list[Any]) -> Any:
    flow = all(not isinstance(v, (dict, list)) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_dict(dumper: Any, data: dict[str, Any]) -> Any:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=False)


_NewDocumentDumper.add_representer(list, _represent_list)
_NewDocumentDumper.add_representer(dict, _represent_dict)


def dump_new(data: Any, header: str = "") -> str:
    """YAML text of plain data (dicts, lists, strings, numbers, dates, None) written from scratch,
    with ``header`` as ``#`` lines on top: libyaml's emitter, some twenty times as fast as the round
    trip on a large document (a drafted plan of a thousand tasks), which has nothing to keep."""
    body: str = yaml.dump(data, Dumper=_NewDocumentDumper, allow_unicode=True, sort_keys=False, width=4096, indent=2)
    comment = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return comment + body
