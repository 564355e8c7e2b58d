"""YAML parser errors in Chinese: libyaml's English phrases, each with what to do about it."""

from __future__ import annotations

from typing import Any

from gwgk.errors import Problem


def _mark_problem(name: str, exc: Any, text: str | None = None) -> Problem:
    """A located problem for a PyYAML or ruamel error (its mark, its phrase in Chinese)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    what = getattr(exc, "problem", None) or str(exc)
    message = _translate_yaml_problem(str(what))
    if mark is None:
        return Problem(name, None, None, message)
    return Problem(name, *located(mark, text), message)


def located(mark: Any, text: str | None) -> tuple[int, int]:
    """Line and column (1-based) of a parser's mark as a person counts them: YAML parsers also break
    lines at U+2028, U+2029 and U+0085, which no editor shows as a new line, so the position is
    counted again from the mark's character index with only LF, CRLF and CR as line breaks."""
    index = getattr(mark, "index", None)
    if text is None or not isinstance(index, int) or not 0 <= index <= len(text):
        return mark.line + 1, mark.column + 1
    before = text[:index]
    line = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
    start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return line, index - start + 1


_YAML_PHRASES = {
    "found character '\\t' that cannot start any token": "这里有制表符（Tab），YAML 只能用空格缩进",
    "found a tab character that violates indentation": "这里有制表符（Tab），YAML 只能用空格缩进",
    "found a tab character where an indentation space is expected": "这里有制表符（Tab），YAML 只能用空格缩进",
    "mapping values are not allowed": "这里不能出现“键: 值”，多半是缩进不对或值里的冒号需要加引号",  # half-width: YAML syntax
    "block sequence entries are not allowed": "这里不能出现列表项“- ”，多半是缩进不对",
    "did not find expected <document start>": "这一行多余或缩进不对（顶层内容应从行首开始）",
    "did not find expected node content": "这里缺少内容，多半是缩进不对或多了一个符号",
    "did not find expected ',' or ']'": "方括号 [ ] 没有闭合，或列表项之间缺少逗号",
    "did not find expected ',' or '}'": "花括号 { } 没有闭合，或各项之间缺少逗号",
    "found unexpected end of stream": "文件在引号或括号闭合前就结束了",
    "found duplicate anchor": "锚点（&）重复",
    "found undefined tag handle": "使用了未定义的标签（!）",
    "did not find URI escaped octet": "标签（!）写法不对",
    "could not find expected ':'": "缺少冒号“:”，或者引号没有闭合",  # half-width: YAML syntax
    "did not find expected key": "这里应该是“键: 值”，多半是缩进不对",  # half-width: YAML syntax
    "did not find expected '-' indicator": "列表项应以“- ”开头，多半是缩进不对",
    "expected <block end>, but found '<block sequence start>'": "列表的缩进不对",
    "expected <block end>, but found '<block mapping start>'": "缩进不对",
    "expected <block end>, but found '-'": "列表项“-”的缩进不对",
    "found undefined alias": "使用了未定义的别名",
    "found unknown escape character": "双引号里有无效的转义字符（反斜杠），请改用单引号",
    "found character that cannot start any token": "这里的字符不能作为开头，值里有特殊字符时请加引号",
    "found unexpected ':'": "这里不能出现冒号，值里有冒号时请加引号",
    "expected alphabetic or numeric character, but found": "锚点或别名的名字不对",
    "found unexpected document separator": "出现了多余的文档分隔符“---”",
    "expected a single document in the stream": "文件里只能有一个 YAML 文档",
    "but found another document": "文件里只能有一个 YAML 文档（这里又开始了一个用“---”分隔的文档）",
    "exceeded maximum nesting depth": "YAML 嵌套层次过深，拒绝读取",
    "found incompatible YAML document": "不支持这里声明的 YAML 版本（只读 YAML 1.1 和 1.2），请删除以“%YAML”开头的这一行",
    "found duplicate %YAML directive": "“%YAML”版本声明重复，请删除多余的一行",
    "found duplicate %TAG directive": "“%TAG”声明重复，请删除多余的一行",
    "found unknown directive": "不认识以“%”开头的这一行（指令），请删除它",
}


def _translate_yaml_problem(text: str) -> str:
    """The Chinese form of one parser phrase."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return text  # already one of our own messages
    for english, chinese in _YAML_PHRASES.items():
        if english in text:
            return f"YAML 格式错误：{chinese}"
    if "special characters are not allowed" in text or "control characters" in text:
        return "YAML 格式错误：文件含有不允许的控制字符"
    return f"YAML 格式错误：无法解析这里的内容，请检查缩进、引号和括号（{text}）"
