"""What an event may be called. An event's name is how people tell events apart (in the workbook, in
bulk ``--withdraw 名称`` and ``--replaces 名称``, in reports), while entry keys (``E1``, ``R3``…)
name entries of one ledger: a name shaped like a key, or one broken over lines, confuses the two.
Shared by ``gwgk record --event`` and the workbook's 新事件 rows.

Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
import unicodedata

from gwgk.entries.model import MAX_TEXT

_KEY_SHAPED = re.compile(r"^[A-Z]\s*[0-9]+$")  # E1, e7, R3, Ｗ２ (after NFKC folding)
_INVISIBLE = ("Cc", "Cf", "Cs", "Zl", "Zp")  # control (tab, line feed…), format (zero width, BOM…), surrogate, line and paragraph separators


def event_title_refusal(title: str) -> str | None:
    """Why ``title`` (as typed, already trimmed) cannot name an event, in Chinese; None when it can.

    Refused: an empty name, a name longer than ``MAX_TEXT`` characters, a line break, tab or any
    other control or invisible format character, and a name shaped like an entry key (a letter and
    a number: ``E1``, ``e7``, ``R3``, full-width ``Ｅ１`` too)."""
    if not title.strip():
        return "事件名称不能为空，请写明事件，如“2021年预算批复”"
    if len(title) > MAX_TEXT:
        return f"事件名称太长（最多 {MAX_TEXT} 字）"
    bad = next((ch for ch in title if unicodedata.category(ch) in _INVISIBLE), None)
    if bad is not None:
        if bad in "\r\n\x0b\x0c\x85" or unicodedata.category(bad) in ("Zl", "Zp"):
            return f"事件名称里有换行（U+{ord(bad):04X}），事件名称请写在一行里"
        return f"事件名称里有不可见的控制字符（U+{ord(bad):04X}），请删除后再登记"
    folded = unicodedata.normalize("NFKC", title).strip().upper()
    if _KEY_SHAPED.match(folded):
        return (f"事件名称“{title}”像台账条目的编号（E1、R3 之类），会与编号混淆；"
                "请写明是什么事件，如“2021年预算批复”")
    return None


def same_title(a: str, b: str) -> bool:
    """Whether two event names are the same name: compared after NFKC folding (full-width and
    half-width letters, digits and punctuation alike) and trimming, as a unit may type either."""
    return unicodedata.normalize("NFKC", a).strip() == unicodedata.normalize("NFKC", b).strip()
