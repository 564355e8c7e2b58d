"""Full-width punctuation in the Chinese sentences of Python string literals.

    python scripts/fullwidth.py FILE...          # rewrite the files in place
    python scripts/fullwidth.py --check FILE...  # list what would change, exit 1 if anything

A `,` `:` `;` `?` next to a Chinese character (spaces aside; in an f-string a `{field}` counts as a
word of the sentence when the literal holds Chinese) becomes `，` `：` `；` `？`, and a pair of `( )`
that touches or holds Chinese becomes `（ ）`. Raw strings (patterns) and docstrings are left
alone (but for a command's docstring, which is its help text), and so is everything inside an f-string's `{...}` and any literal on a line that ends with
the comment `# half-width: …` (YAML syntax shown to the user, such as “键: 值”).
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
from pathlib import Path

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’]")
WIDE = {",": "，", ":": "：", ";": "；", "?": "？", "(": "（", ")": "）"}
PREFIX = re.compile(r"^([rRbBuUfF]*)('''|\"\"\"|'|\")", re.S)


def _fields(body: str, is_f: bool) -> list[bool]:
    """Per character: True where it lies inside an f-string replacement field."""
    inside = [False] * len(body)
    if not is_f:
        return inside
    depth, i = 0, 0
    while i < len(body):
        c = body[i]
        if depth == 0 and body.startswith("{{", i) or depth == 0 and body.startswith("}}", i):
            i += 2
            continue
        if c == "{":
            depth += 1
        if depth:
            inside[i] = True
        if c == "}" and depth:
            depth -= 1
        i += 1
    return inside


def _neighbour(body: str, inside: list[bool], i: int, step: int, chinese: bool) -> bool:
    """Whether the nearest non-space character from ``i`` in direction ``step`` is Chinese
    (or a replacement field in a Chinese literal)."""
    j = i + step
    while 0 <= j < len(body) and body[j] == " ":
        j += step
    if not 0 <= j < len(body):
        return False
    if inside[j]:
        return chinese
    return bool(CJK.match(body[j]))


def widen(body: str, is_f: bool) -> str:
    """``body`` (a literal's text between its quotes) with its Chinese punctuation made full-width."""
    chinese = bool(CJK.search(body))
    if not chinese:
        return body
    inside = _fields(body, is_f)
    out = list(body)
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i, c in enumerate(body):
        if inside[i]:
            continue
        if c == "(":
            stack.append(i)
        elif c == ")" and stack:
            pairs.append((stack.pop(), i))
        elif c in ",:;?":
            if c == ":" and body[i + 1:i + 3] == "//":
                continue  # a URL
            if _neighbour(body, inside, i, -1, chinese) or _neighbour(body, inside, i, 1, chinese):
                out[i] = WIDE[c]
    for a, b in pairs:
        held = body[a + 1:b]
        if (CJK.search(held) or _neighbour(body, inside, a, -1, chinese) or _neighbour(body, inside, b, 1, chinese)):
            out[a], out[b] = "（", "）"
    return "".join(out)


def _help_lines(source: str) -> set[int]:
    """The first lines of the docstrings of commands (functions decorated ``….command(…)`` or
    ``….callback(…)``): typer shows them as help."""
    lines: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        commands = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
            "command" in ast.unparse(d) or "callback" in ast.unparse(d) for d in node.decorator_list)
        if commands and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                lines.add(first.lineno)
    return lines


def convert(source: str) -> str:
    """The module's text with every Chinese string literal widened (docstrings and raw strings kept)."""
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    helps = _help_lines(source)
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    edits: list[tuple[int, int, str]] = []
    previous = None
    for tok in tokens:
        if tok.type == tokenize.STRING:
            # a docstring (or any string alone as a statement) is documentation, not output
            is_doc = (previous in (None, tokenize.INDENT, tokenize.NEWLINE, tokenize.DEDENT) and tok.line.strip() == tok.string.strip()
                      and tok.start[0] not in helps)
            match = PREFIX.match(tok.string)
            kept = "# half-width:" in tok.line
            if match and not is_doc and not kept and "r" not in match.group(1).lower() and "b" not in match.group(1).lower():
                quote = match.group(2)
                start = len(match.group(0))
                body = tok.string[start:len(tok.string) - len(quote)]
                new = widen(body, "f" in match.group(1).lower())
                if new != body:
                    begin = offsets[tok.start[0] - 1] + tok.start[1]
                    end = offsets[tok.end[0] - 1] + tok.end[1]
                    edits.append((begin, end, tok.string[:start] + new + quote))
        if tok.type not in (tokenize.NL, tokenize.COMMENT):
            previous = tok.type
    for begin, end, text in reversed(edits):
        source = source[:begin] + text + source[end:]
    return source


def main(argv: list[str]) -> int:
    """Rewrite (or with --check, list) the files named in ``argv``."""
    check = "--check" in argv
    changed = 0
    for name in (a for a in argv if a != "--check"):
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        new = convert(text)
        if new != text:
            changed += 1
            if check:
                print(f"{path}: half-width punctuation in Chinese text")
            else:
                path.write_text(new, encoding="utf-8")
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
