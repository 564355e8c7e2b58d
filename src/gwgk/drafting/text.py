"""Punctuation-blind reading: a plan's text folded, character for character, to half-width.

Plans mix full-width ``，：；（）`` and half-width ``, : ; ( )`` (a converted or pasted text, a PDF's
stray half-width colon). Every pattern of the drafter is matched on ``fold(text)``, which maps each
character to exactly one character, so a match's span is also the span of the original words:
quotes (``text``, ``source``) are always cut from the text as the plan wrote it.
"""

from __future__ import annotations

import re

_PAIRS = {
    "（": "(", "）": ")", "：": ":", "；": ";", "，": ",", "｜": "|", "　": " ", "．": ".", "！": "!",
    "？": "?", "［": "[", "］": "]", "＜": "<", "＞": ">", "－": "-", "—": "-", "～": "~", "／": "/",
    "﹐": ",", "﹔": ";", "﹕": ":", "﹙": "(", "﹚": ")", "︰": ":", "､": "、", "\u00a0": " ",
    "\u2002": " ", "\u2003": " ",
}
_PAIRS.update({chr(0xFF10 + i): str(i) for i in range(10)})
_PAIRS.update({chr(0xFF21 + i): chr(0x41 + i) for i in range(26)})
_PAIRS.update({chr(0xFF41 + i): chr(0x61 + i) for i in range(26)})
_TABLE = str.maketrans(_PAIRS)
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def fold(text: str) -> str:
    """``text`` with full-width digits, letters and punctuation as half-width ones, same length."""
    return text.translate(_TABLE)


_SPACE_IN_DATE = re.compile(r"(?<=\d)[ \t\u3000\u00a0]{1,3}(?=[年月日])|(?<=\d[年月])[ \t\u3000\u00a0]{1,3}(?=\d|底|末|前|内)")


def close_date_gaps(text: str) -> str:
    """"2022 年底前" (a stray space from a PDF) read as "2022年底前"; other spaces kept."""
    return _SPACE_IN_DATE.sub("", text)
