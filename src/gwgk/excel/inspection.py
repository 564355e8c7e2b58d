"""Judging a workbook file before anything reads its cells: by what it is and contains, not by
what its parts are called or how their bytes look (a FIFO named ``x.xlsx``, zip bombs, external
links, macros, DTDs and entity declarations, formulas on any sheet, in any encoding).

Every part is parsed as XML (expat, the parser openpyxl itself reads with), so UTF-16 text,
character references (``external&#76;ink``) and namespace prefixes are judged as a reader sees
them. The scan also bounds what the workbook expands to before openpyxl builds anything: shared
strings, styles, cells, rows beyond the last a gwgk workbook can have, and elements in all, each
refused as soon as the bound is passed, so a bomb is refused within a second or two.
"""

from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_ROW = 20001  # the header and 20,000 rows (``reader.MAX_ROWS``)
MAX_STRINGS = 300_000  # shared strings: a full gwgk sheet has at most 20,000 × 14 cells
MAX_STYLES = 20_000  # cell formats (Excel's own limit is 64,000; a gwgk workbook has a few dozen)
MAX_CELLS = 300_000  # a full sheet: 20,000 rows × 14 columns is 280,000
MAX_ELEMENTS = 1_500_000  # elements in all parts together (a full sheet has about 1.2 million): a second or two of parsing

_SPREADSHEET = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")
_LINK_WORDS = ("externallink", "vbaproject", "macroenabled", "activex", "oleobject", "vbadata", "attachedtoolbars",
               "externalreference", "ole2", "msdownload")
_MEDIA = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".emf", ".wmf", ".tif", ".tiff")
_PARSE_ERRORS = (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError, NotImplementedError, KeyError)


class _Refused(Exception):
    """Why the workbook is refused, raised from inside the parse to stop it at once; ``where`` is
    the sheet and cell (``市财政局!J9``) when the reason has one."""

    def __init__(self, message: str, where: str | None = None):
        super().__init__(message)
        self.where = where


@dataclass
class Scan:
    """What the parts of a workbook hold: why it is refused (None: it is not) and its formulas."""

    refusal: str | None = None
    formulas: list[str] = field(default_factory=list)
    where: str | None = None  # the sheet and cell the refusal is about, if it is about one


_SCANS: dict[tuple[str, int, int], Scan] = {}


def refuse_hostile(path: Path, name: str) -> str | None:
    """Why ``path`` must not be opened at all (None when it looks like a plain workbook).

    Judged by content, not by part names: a FIFO or device named ``x.xlsx`` is never opened; an
    external link or macro is found by its content type and relationship type (and target mode)
    wherever the part lives; any DTD or entity declaration refuses the workbook, as does a part
    that is not well-formed XML, or a workbook expanding past the bounds above.
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
    return scan(path).refusal


def refusal_place(path: Path) -> str | None:
    """The sheet and cell (``市财政局!J9``) ``refuse_hostile``'s reason is about, if any (from its
    scan: a file never scanned, such as a FIFO refused by its kind, has none)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    found = _SCANS.get((str(path), info.st_size, info.st_mtime_ns))
    return found.where if found is not None else None


def formula_cells(path: Path) -> list[str]:
    """``part!cell`` of every formula in any part of the workbook (the first few)."""
    return scan(path).formulas


def scan(path: Path) -> Scan:
    """The scan of every part of the workbook at ``path`` (remembered for its size and mtime)."""
    try:
        info = os.stat(path)
        memo = (str(path), info.st_size, info.st_mtime_ns)
    except OSError:
        return Scan("工作簿已损坏，无法打开")
    found = _SCANS.get(memo)
    if found is None:
        found = _SCANS[memo] = _scan(path)
    return found


def _scan(path: Path) -> Scan:
    result = Scan()
    try:
        if not zipfile.is_zipfile(path):
            return Scan("不是 xlsx 工作簿（请在 WPS/Excel 中“另存为” .xlsx 格式）")
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            unpacked = sum(e.file_size for e in entries)
            if unpacked > MAX_UNPACKED_BYTES or any(e.compress_size and e.file_size / e.compress_size > MAX_RATIO and e.file_size > 1_000_000 for e in entries):
                return Scan("工作簿解压后异常巨大（疑似压缩炸弹），拒绝打开")
            counts = _Counts()
            for entry in sorted(entries, key=_scan_order):
                why = _by_name(entry.filename)
                if why:
                    return Scan(why)
                if entry.filename.endswith("/") or entry.filename.lower().endswith(_MEDIA):
                    continue
                _Part(entry.filename, counts, result.formulas).parse(archive, entry)
    except _Refused as refused:
        return Scan(str(refused), result.formulas, refused.where)
    except _PARSE_ERRORS:
        return Scan("工作簿已损坏，无法打开")
    return result


def _scan_order(entry: zipfile.ZipInfo) -> tuple[int, str]:
    """Content types first, then relationships, then the rest: what a part is declared to be is
    judged before its bytes."""
    lowered = entry.filename.lower()
    order = 0 if lowered == "[content_types].xml" else 1 if lowered.endswith(".rels") else 2 if lowered.endswith("workbook.xml") else 3
    return (order, entry.filename)


def _by_name(filename: str) -> str | None:
    lowered = filename.lower()
    if "externallink" in lowered:
        return "工作簿含有外部链接，请删除外部链接（或复制粘贴为数值）后再导入"
    if lowered.endswith(".bin") or "vbaproject" in lowered:
        return "工作簿含有宏或二进制部件，请另存为不含宏的 .xlsx 后再导入"
    return None


class _Counts:
    """What all parts hold together, and what the parts read so far say of the others: each
    relationship's target by its part and id, and each sheet's title by its part."""

    def __init__(self) -> None:
        self.strings = self.styles = self.cells = self.elements = 0
        self.targets: dict[tuple[str, str], str] = {}
        self.titles: dict[str, str] = {}


_RELATIONSHIP_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships id"
_STRICT_RELATIONSHIP_ID = "http://purl.oclc.org/ooxml/officeDocument/relationships id"


def _source_of(rels: str) -> str:
    """The part a relationships part belongs to: ``xl/_rels/workbook.xml.rels`` → ``xl/workbook.xml``."""
    folder, _, name = rels.rpartition("/")
    parent = folder.rpartition("/")[0] if folder.endswith("_rels") else folder
    return (parent + "/" if parent else "") + name[: -len(".rels")]


def _resolved(source: str, target: str) -> str:
    import posixpath

    if target.startswith("/"):
        return posixpath.normpath(target[1:])
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


LINKS = "工作簿含有外部链接或宏，请删除外部链接（或复制粘贴为数值）、另存为不含宏的 .xlsx 后再导入"


class _Part:
    """One part parsed with expat, its handlers judging each element as it comes."""

    def __init__(self, name: str, counts: _Counts, formulas: list[str]):
        self.name = name
        self.short = counts.titles.get(name) or name.rsplit("/", 1)[-1]
        self.counts = counts
        self.numeric = False
        self.digits: list[str] | None = None
        self.parser: Any = None
        self.formulas = formulas
        self.cell = "?"
        self.row = 0
        self.last_row = 0
        self.last_column = 0

    def parse(self, archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
        from xml.parsers import expat

        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._entity
        parser.StartElementHandler = self._start
        self.parser = parser  # text and end handlers are set only inside a numeric cell's value
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        try:
            with archive.open(entry) as stream:
                while True:
                    chunk = stream.read(1 << 20)
                    parser.Parse(chunk, not chunk)
                    if not chunk:
                        break
        except expat.ExpatError as exc:
            raise _Refused(f"工作簿的部件“{self.name}”不是完好的 XML（第 {exc.lineno} 行第 {exc.offset + 1} 列），"
                           "请用 WPS/Excel 打开后另存为 .xlsx 再试") from None

    def _doctype(self, *_: Any) -> None:
        raise _Refused(f"工作簿的部件“{self.name}”含有 DTD 或实体声明，拒绝打开")

    def _entity(self, *_: Any) -> None:
        raise _Refused(f"工作簿的部件“{self.name}”含有 DTD 或实体声明，拒绝打开")

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        counts = self.counts
        counts.elements += 1
        if counts.elements > MAX_ELEMENTS:
            raise _Refused(f"工作簿解压后的内容超过 {MAX_ELEMENTS} 个元素（疑似压缩炸弹），拒绝打开")
        cut = tag.rfind(" ")
        namespace, local = tag[:cut] if cut > 0 else "", tag[cut + 1:]
        if local in ("Override", "Default"):
            if any(word in attrs.get("ContentType", "").lower() for word in _LINK_WORDS):
                raise _Refused(LINKS)
        elif local == "Relationship":
            if self.name.lower().endswith(".rels"):
                source = _source_of(self.name)
                self.counts.targets[(source, attrs.get("Id", ""))] = _resolved(source, attrs.get("Target", ""))
            kind = attrs.get("Type", "").strip().lower()
            if any(word in kind for word in _LINK_WORDS):
                raise _Refused(LINKS)
            if attrs.get("TargetMode", "").strip().lower() == "external" and not kind.endswith("/hyperlink"):
                raise _Refused("工作簿含有外部链接，请删除外部链接（或复制粘贴为数值）后再导入")
        if namespace and namespace not in _SPREADSHEET:
            return
        if local == "c":
            counts.cells += 1
            if counts.cells > MAX_CELLS:
                raise _Refused(f"工作簿有超过 {MAX_CELLS} 个单元格，拒绝导入")
            self._cell(attrs.get("r"))
            self.numeric = attrs.get("t", "n") == "n"
        elif local == "sheet":
            rid = attrs.get(_RELATIONSHIP_ID) or attrs.get(_STRICT_RELATIONSHIP_ID)
            part = counts.targets.get((self.name, rid or ""))
            if part is not None and attrs.get("name"):
                counts.titles[part] = attrs["name"]
        elif local == "row":
            self._row(attrs.get("r"))
        elif local in ("v", "is"):
            if self.row > MAX_ROW:
                raise _Refused(f"这里有内容，而工作表超过 {MAX_ROW - 1} 行，拒绝导入", f"{self.short}!{self.cell}")
            if local == "v" and self.numeric:
                self.digits = []
                self.parser.CharacterDataHandler = self._text
                self.parser.EndElementHandler = self._end
        elif local == "f":
            if len(self.formulas) < 5:
                self.formulas.append(f"{self.short}!{self.cell}")
        elif local == "si":
            counts.strings += 1
            if counts.strings > MAX_STRINGS:
                raise _Refused(f"工作簿的共享字符串超过 {MAX_STRINGS} 个（疑似压缩炸弹），拒绝导入")
        elif local == "xf":
            counts.styles += 1
            if counts.styles > MAX_STYLES:
                raise _Refused(f"工作簿的单元格格式超过 {MAX_STYLES} 种（疑似压缩炸弹），拒绝导入")

    def _text(self, data: str) -> None:
        if self.digits is not None:
            self.digits.append(data)
            if len(self.digits) > 64:
                self._number()

    def _end(self, tag: str) -> None:
        self.parser.CharacterDataHandler = None
        self.parser.EndElementHandler = None
        if self.digits is not None:
            self._number()

    def _number(self) -> None:
        """A numeric cell's value must be a finite number (``NaN``, ``INF`` or text is refused at its cell)."""
        import math

        text = "".join(self.digits or ()).strip()
        self.digits = None
        if not text:
            return  # no value (a formula's cell without its cached result): read as empty
        try:
            ok = math.isfinite(float(text)) and len(text) <= 64
        except ValueError:
            ok = False
        if not ok:
            raise _Refused(f"数字单元格里的“{text[:20]}”不是有效的数字，请填写数字或日期", f"{self.short}!{self.cell}")

    def _row(self, ref: str | None) -> None:
        number = self.last_row + 1
        if ref is not None:
            if not ref.isdigit() or not 1 <= int(ref) <= 1048576:
                raise _Refused(f"“{self.short}”中的行号“{ref[:20]}”不是有效的行号")
            number = int(ref)
        if number <= self.last_row:
            raise _Refused(f"“{self.short}”的第 {number} 行出现了两次或顺序颠倒，请用 WPS/Excel 打开后另存为 .xlsx 再试")
        self.row = self.last_row = number
        self.last_column = 0
        self.cell = f"第 {number} 行"

    def _cell(self, ref: str | None) -> None:
        column = self.last_column + 1
        if ref is not None:
            letters = ref.rstrip("0123456789")
            digits = ref[len(letters):]
            if not (1 <= len(letters) <= 3 and letters.isascii() and letters.isalpha() and digits.isdigit()):
                raise _Refused(f"“{self.short}”中的单元格引用“{ref[:20]}”无效")
            column = 0
            for letter in letters.upper():
                column = column * 26 + ord(letter) - 64
            if int(digits) != self.row and self.row:
                raise _Refused(f"“{self.short}”中的单元格 {ref} 不在它所在的第 {self.row} 行")
            if column > 16384:
                raise _Refused(f"“{self.short}”中的单元格引用“{ref[:20]}”超出工作表范围")
            self.cell = ref.upper()
        else:
            from openpyxl.utils import get_column_letter

            self.cell = f"{get_column_letter(min(column, 16384))}{self.row}"
        if column <= self.last_column:
            raise _Refused(f"“{self.short}”的单元格 {self.cell} 出现了两次或顺序颠倒，请用 WPS/Excel 打开后另存为 .xlsx 再试")
        self.last_column = column
