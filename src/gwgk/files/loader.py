"""From files to validated models: read bytes, parse YAML, validate with pydantic, locate problems.

Every problem becomes a ``Problem`` with file, line and column, in Chinese; a caller gets all of
them at once.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from gwgk.errors import DataError, Problem
from gwgk.files import yamlio

M = TypeVar("M", bound=BaseModel)
DATA_CACHE = "data"


def read_regular(path: Path | str, limit: int) -> tuple[bytes, os.stat_result]:
    """At most ``limit + 1`` bytes of a regular file and its status; ``OSError`` otherwise.

    The file is opened without blocking and checked on the open handle, so a FIFO or device put
    where a file should be is refused (``IsADirectoryError``/``NotRegularFile``) and never waited on.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))
        with open(fd, "rb", closefd=False) as handle:
            return handle.read(limit + 1), info
    finally:
        os.close(fd)


class NotRegularFile(OSError):
    """A FIFO, device node or socket where a regular file was expected."""


def read_bytes(path: Path, name: str) -> bytes:
    """The bytes of ``path``; a located problem if it is missing, a folder, not a regular file
    (FIFO, device) or unreadable."""
    return read_file(path, name)[0]


def read_file(path: Path, name: str) -> tuple[bytes, os.stat_result]:
    """The bytes and status of ``path``, as ``read_bytes``."""
    try:
        return read_regular(path, yamlio.MAX_FILE_BYTES)
    except IsADirectoryError:
        raise DataError("应为文件，却是文件夹", [Problem(name, None, None, "这里应该是一个文件，却是一个文件夹")]) from None
    except NotRegularFile:
        raise DataError("不是普通文件", [Problem(name, None, None, "这里应该是一个普通文件，却是管道、设备或套接字，拒绝读取")]) from None
    except FileNotFoundError:
        raise DataError("文件不存在", [Problem(name, None, None, "文件不存在")]) from None
    except PermissionError:
        raise DataError("没有权限读取文件", [Problem(name, None, None, "没有权限读取该文件")]) from None
    except OSError as exc:
        raise DataError("无法读取文件", [Problem(name, None, None, f"无法读取：{exc.strerror or exc}")]) from None


_PYDANTIC_MESSAGES = {
    "invalid_key": "这里的键不是文字（是 ~、null 之类的空值或别的值），请写上正确的键名",
    "missing": "缺少字段“{field}”",
    "extra_forbidden": "不认识的字段“{field}”（拼写错误？）",
    "string_type": "“{field}”应为文字",
    "string_too_short": "“{field}”不能为空",
    "string_too_long": "“{field}”太长（最多 {max_length} 个字符）",
    "int_type": "“{field}”应为整数",
    "int_parsing": "“{field}”应为整数，现在是“{input}”",
    "int_from_float": "“{field}”应为整数，现在是“{input}”",
    "int_parsing_size": "“{field}”应为整数，现在的数字太长",
    "bool_type": "“{field}”应为 true 或 false",
    "bool_parsing": "“{field}”应为 true 或 false",
    "list_type": "“{field}”应为列表（每项以“- ”开头，或写成 [a, b]）",
    "dict_type": "“{field}”应为“键: 值”的映射",  # half-width: YAML syntax
    "model_type": "“{field}”应为“键: 值”的映射",  # half-width: YAML syntax
    "model_attributes_type": "“{field}”应为“键: 值”的映射",  # half-width: YAML syntax
    "date_type": "“{field}”应为日期，写成 2021-09-30 的格式",
    "date_parsing": "“{field}”的值“{input}”不是有效日期，应写成 2021-09-30 的格式",
    "date_from_datetime_parsing": "“{field}”的值“{input}”不是有效日期，应写成 2021-09-30 的格式",
    "date_from_datetime_inexact": "“{field}”只写日期，不要写时间",
    "too_short": "“{field}”至少要有 {min_length} 项",
    "too_long": "“{field}”最多 {max_length} 项",
    "greater_than_equal": "“{field}”不能小于 {ge}",
    "less_than_equal": "“{field}”不能大于 {le}",
    "greater_than": "“{field}”必须大于 {gt}",
    "literal_error": "“{field}”的值“{input}”不允许，应为 {expected}",
    "enum": "“{field}”的值“{input}”不允许，应为 {expected}",
    "union_tag_invalid": "规则类型 kind“{tag}”不存在，应为 {expected_tags}",
    "union_tag_not_found": "缺少规则类型字段“kind”",
    "url_parsing": "“{field}”不是有效的网址",
}


def _field_of(loc: tuple[Any, ...]) -> str:
    for step in reversed(loc):
        if isinstance(step, str):
            return step
    return "内容"


def pydantic_message(error: dict[str, Any]) -> str:
    """A Chinese sentence for one pydantic error."""
    kind = error.get("type", "")
    ctx = dict(error.get("ctx") or {})
    if kind == "value_error":
        message = str(ctx.get("error", error.get("msg", "")))
        return message.removeprefix("Value error, ")
    template = _PYDANTIC_MESSAGES.get(kind)
    raw_input = error.get("input")
    shown = raw_input if isinstance(raw_input, (str, int, float)) else str(raw_input)[:40]
    if template is None:
        return f"“{_field_of(tuple(error.get('loc', ())))}”的值无效（{error.get('msg', '')}）"
    values = {"field": _field_of(tuple(error.get("loc", ()))), "input": shown, **ctx}
    if "expected" in values:
        values["expected"] = str(values["expected"]).replace(" or ", " 或 ").replace("'", "")
    if "expected_tags" in values:
        values["expected_tags"] = str(values["expected_tags"]).replace("'", "")
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template


def located(text: str, name: str, loc: tuple[Any, ...], message: str) -> Problem:
    """A problem at the node ``loc`` of the YAML ``text``."""
    where = yamlio.position(text, loc)
    if where is None:
        return Problem(name, None, None, message)
    return Problem(name, where[0], where[1], message)


def validate(model: type[M], data: Any, text: str, name: str) -> M:
    """``data`` as a ``model``; every schema error located in ``text``, raised together."""
    if data is None:
        raise DataError("文件是空的", [Problem(name, None, None, "文件是空的，没有任何内容")])
    try:
        result = model.model_validate(data)
    except ValidationError as exc:
        problems = [
            located(text, name, tuple(err["loc"]), pydantic_message(err))  # type: ignore[arg-type]
            for err in exc.errors(include_url=False)
        ]
        raise DataError(f"{name} 的内容不符合格式要求", sorted(set(problems), key=order)) from None
    coerced = list(_coerced(data, result, ()))
    if coerced:
        problems = [located(text, name, loc, message) for loc, message in coerced]
        raise DataError(f"{name} 的内容不符合格式要求", sorted(set(problems), key=order))
    return result


@functools.cache
def _list_of(item: type[M]) -> TypeAdapter[list[M]]:
    return TypeAdapter(list[item])  # type: ignore[valid-type]


def validate_items(item: type[M], items: list[Any], text: str, name: str, loc: tuple[Any, ...], size: int,
                   each: Callable[[list[M]], None], *, keep: bool = True) -> tuple[list[M], list[Problem]]:
    """The list ``items`` at ``loc`` of a file's data as ``item`` models, validated ``size`` at a
    time, with the located problems of every part (as ``validate`` locates them). Each valid part is
    given to ``each`` and its data let go at once (``items`` is left holding None), so a long list
    never has both its data and its models whole in memory; without ``keep``, the models are let go
    too (none is returned)."""
    out: list[M] = []
    problems: list[Problem] = []
    adapter = _list_of(item)
    for start in range(0, len(items), size):
        part = items[start:start + size]
        items[start:start + len(part)] = [None] * len(part)
        try:
            models = adapter.validate_python(part)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                at = err["loc"]  # a list's errors start with the item's index
                problems.append(located(text, name, (*loc, start + int(at[0]), *at[1:]), pydantic_message(err)))  # type: ignore[arg-type]
            continue
        problems.extend(located(text, name, (*loc, start + path[0], *path[1:]), message) for path, message in _coerced(part, models, ()))
        each(models)
        if keep:
            out.extend(models)
    return out, problems


def _coerced(data: Any, value: Any, loc: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Where pydantic's lax mode turned plain data into something else: a number into a date
    (``date: 1632787200``), ``true`` into a number (``task: true``), a number or word into a yes/no.

    Only the leaves YAML gave as numbers or booleans are looked at (text is most of a ledger), so
    the check costs little; each is compared with what the model made of it."""
    for path, raw in _typed_leaves(data, loc):
        got = _at(value, path)
        if got is _MISSING:
            continue
        field = _field_of(path)
        if isinstance(got, bool):
            if not isinstance(raw, bool):
                yield path, f"“{field}”应为 true 或 false，现在是“{raw}”"
        elif isinstance(raw, str):
            continue
        elif isinstance(got, int):
            if isinstance(raw, bool):
                yield path, f"“{field}”应为整数，现在是“{str(raw).lower()}”"
        elif isinstance(got, dt.date):
            yield path, f"“{field}”的值“{raw}”不是日期，应写成 2021-09-30 的格式"


_MISSING = object()
_FLAG_KEYS = frozenset(("dropped",))  # yes/no fields a word could be coerced into


def _typed_leaves(data: Any, loc: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], Any]]:
    """The leaves of ``data`` that are neither text nor None (and flags' text), with their paths."""
    out = []
    stack = [(data, loc)] if type(data) in (dict, list) else []
    while stack:
        node, at = stack.pop()
        for key, item in node.items() if type(node) is dict else enumerate(node):
            kind = type(item)
            if kind is str:
                if key in _FLAG_KEYS:
                    out.append(((*at, key), item))
            elif kind is dict or kind is list:
                stack.append((item, (*at, key)))
            elif item is not None:
                out.append(((*at, key), item))
    return out


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        if isinstance(value, BaseModel) and isinstance(step, str) and step in type(value).model_fields:
            value = getattr(value, step)
        elif isinstance(value, (list, tuple)) and isinstance(step, int) and 0 <= step < len(value):
            value = value[step]
        else:
            return _MISSING
    return value


def order(problem: Problem) -> tuple[int, int, str]:
    """Problems in the order of the file: by line, column, then message."""
    return (problem.line or 0, problem.column or 0, problem.message)


def load_model(path: Path, model: type[M], name: str, cache_dir: Path | None = None) -> tuple[M, str]:
    """Read, parse and validate one file; returns the model and the file's text.

    With ``cache_dir``, the parsed data of a file that validated is kept there (JSON, keyed on the
    file's bytes) and validated again from it next time, which skips the YAML parser.
    """
    raw, info = read_file(path, name)
    text = yamlio.decode(raw, name)
    if cache_dir is None:
        return validate(model, yamlio.load_fast(text, name), text, name), text
    from gwgk.files import cache

    file_key = cache.key(raw, info)
    entry = cache.lookup(cache_dir, name, file_key, DATA_CACHE)
    if entry is not None:
        try:
            return model.model_validate(entry["data"]), text
        except Exception:  # noqa: BLE001 - a cache entry is untrusted input: parse the file
            pass
    data = yamlio.load_fast(text, name)
    result = validate(model, data, text, name)
    cache.store(cache_dir, name, file_key, data, None, DATA_CACHE)
    return result, text
