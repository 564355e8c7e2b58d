"""Judging a workbook file before anything reads its cells: by what it is and contains, not by
what its parts are called (a FIFO named ``x.xlsx``, zip bombs, external links, macros, DTDs and
entity declarations, formulas on any sheet)."""

from __future__ import annotations

import os
import re
import stat
import zipfile
from pathlib import Path

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200

def refuse_hostile(path: Path, name: str) -> str | None:
    """Why ``path`` must not be opened at all (None when it looks like a plain workbook).

    Judged by content, not by part names: a FIFO or device named ``x.xlsx`` is never opened; an
    external link or macro is found by its content type and relationship type wherever the part
    lives; any DTD or entity declaration, and any formula on any sheet, refuses the workbook.
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        return f"无法读取：{exc.strerror or exc}"
    if stat.S_ISDIR(info.st_mode):
        return "这是一个文件夹，不是工作簿"
    if not stat.S_ISREG(info.st_mode):
        return "不是普通文件（是管道、设备或套接字），不是工作簿"
    if info.st_size > MAX_FILE_BYTES:
        return f"文件有 {info.st_size} 字节，超过上限 {MAX_FILE_BYTES} 字节"
    try:
        if not zipfile.is_zipfile(path):
            return "不是 xlsx 工作簿（请在 WPS/Excel 中“另存为” .xlsx 格式）"
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            unpacked = sum(e.file_size for e in entries)
            if unpacked > MAX_UNPACKED_BYTES or any(e.compress_size and e.file_size / e.compress_size > MAX_RATIO and e.file_size > 1_000_000 for e in entries):
                return "工作簿解压后异常巨大（疑似压缩炸弹），拒绝打开"
            return _refuse_parts(archive, entries)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError, NotImplementedError):
        return "工作簿已损坏，无法打开"


_LINK_WORDS = (b"externallink", b"vbaproject", b"macroenabled", b"activex", b"oleobject", b"vbadata", b"attachedtoolbars")
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


def _refuse_parts(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> str | None:
    """Why the parts of an xlsx refuse it: by what they declare and contain, not by their names."""
    for entry in entries:
        lowered = entry.filename.lower()
        if "externallink" in lowered:
            return "工作簿含有外部链接，请删除外部链接（或复制粘贴为数值）后再导入"
        if lowered.endswith(".bin") or "vbaproject" in lowered:
            return "工作簿含有宏或二进制部件，请另存为不含宏的 .xlsx 后再导入"
        if not lowered.endswith((".xml", ".rels")):
            continue
        data = archive.read(entry)
        folded = data.lower()
        if b"<!doctype" in folded or b"<!entity" in folded:
            return f"工作簿的部件“{entry.filename}”含有 DTD 或实体声明，拒绝打开"
        if lowered.endswith(".rels") or lowered == "[content_types].xml":
            if any(word in folded for word in _LINK_WORDS):
                return "工作簿含有外部链接或宏，请删除外部链接（或复制粘贴为数值）、另存为不含宏的 .xlsx 后再导入"
            if b'targetmode="external"' in folded and b"hyperlink" not in folded:
                return "工作簿含有外部链接，请删除外部链接（或复制粘贴为数值）后再导入"
    return None


def formula_cells(path: Path) -> list[str]:
    """``part!cell`` of every formula on every sheet of the workbook (first few), found in the XML."""
    found: list[str] = []
    with zipfile.ZipFile(path) as archive:
        for entry in archive.infolist():
            if not entry.filename.lower().startswith("xl/worksheets/") or not entry.filename.lower().endswith(".xml"):
                continue
            data = archive.read(entry)
            for match in _FORMULA.finditer(data):
                cell = _CELL_REF.findall(data, max(0, match.start() - 400), match.start())
                found.append(f"{entry.filename.rsplit('/', 1)[-1]}!{cell[-1].decode('ascii', 'replace') if cell else '?'}")
                if len(found) >= 5:
                    return found
    return found


_CELL_REF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\b[^>]*?\br=\"([A-Za-z]{1,3}[0-9]{1,7})\"")
