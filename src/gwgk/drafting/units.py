"""Unit names as a plan writes them: split into names, told apart as units or groups, and new
units and groups drafted with a kind guessed from the name (or marked for review)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from gwgk.catalogue.units import Directory, normalize

_SEPARATORS = "、,;/，；／"
_OPEN = "((<〈《[【（［"
_CLOSE = "))>〉》]】）］"
_TOWNSHIP_WORDS = {"街道": "subdistrict", "镇": "town", "乡": "township"}
_DEPARTMENTS = "branch,department"  # the key of a group of departments named without a level
_LEVELS = set("省市州县区旗乡镇")
_BRACKETS = str.maketrans({"<": "(", ">": ")", "〈": "(", "〉": ")"})
_PREFIX = re.compile(r"(?:\w{0,4}?[省市县区州旗])")
_GROUP = re.compile(r"^(?:各|全)|有关|各(?:部门|单位|级)|^(?:市|县|区|州|旗)(?:直|级)|^(?:乡镇|镇|街道|乡)(?:\(|$)")
_UNIT_SUFFIX = re.compile(
    r"(?:局|办|办公室|中心|委|委员会|院|所|站|队|会|处|厅|部|社|馆|台|团|小组|公司|集团|银行|政府|街道|街道办事处|镇|乡|"
    r"管委会|管委|分局|支队|大队|法院|检察院|公安局|部门|单位|党委|党组|馆|室|科|股|科室|股室|县市区|区县|市县|支行|分行|海关|组|专班|校|开发区|经开区|高新区|新区|园区|景区|功能区|试验区|示范区|合作区)$"
)
_OFFICE = re.compile(r"政府办公室|政府办$|政办$|领导小组办公室$")
_BRANCH = re.compile(r"(?:分局|支队|大队|派出所|分中心)$")
_ENTERPRISE = re.compile(r"(?:公司|集团|银行)$")
_DEPARTMENT = re.compile(r"(?:局|办|办公室|中心|委|委员会|院|所|站|会|处|厅|部|社|馆|台|团|小组|管委会|管委|队|室)$")


def split_names(text: str) -> list[str]:
    """The names in a list such as "市政府办公室、市直有关部门,各乡镇<街道>" (brackets kept whole)."""
    names: list[str] = []
    depth = 0
    current = ""
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        if ch in _SEPARATORS and depth == 0:
            names.append(current)
            current = ""
        else:
            current += ch
    names.append(current)
    out: list[str] = []
    for name in names:
        # "县政府办公室牵头", "县直各部门配合", "市财政局等": the unit without the word about its part
        name = _ROLE_END.sub("", name.strip(" 。.:："))
        # "市住建局等政府各有关部门": one unit named, and the group it stands for
        for part in _AND_OTHERS.split(name):
            part = part.strip()
            if not part or _NOT_A_NAME.search(part):
                continue
            pieces = part.split()
            if len(pieces) > 1:  # "县政府办公室 县财政局": a cell's lines joined; "县 财政局": a stray space
                out.extend(pieces) if all(looks_like_unit(p) for p in pieces) else out.append("".join(pieces))
                continue
            out.append(part)
    return out


_ROLE_END = re.compile(r"(?:按照?职责(?:分工)?)?(?:分别牵头|牵头|配合|负责落实|参照落实|参照执行|具体落实|负责实施|负责|参与|落实|等单位|等部门|等)"
                       r"(?:落实)?$")
_AND_OTHERS = re.compile(r"(?<=[局委办院厅所站队室科股馆部会心司])等(?=\S{2,})|(?<=[^和及与])(?:及|和)(?=各|有关|[县市区州省镇乡])")
_NOT_A_NAME = re.compile(r"^(?:以下|下同|统称|简称)|待定|另定|另行|暂无|^无$|^/$|^—+$|^-+$")


def is_placeholder(text: str) -> bool:
    """Whether a unit cell says the unit is still to be named ("牵头单位待定", "另行明确")."""
    return bool(re.search(r"待定|另定|另行明确|另行确定|暂无|^无$|^/$|^—+$|^-+$", text.strip()))


def looks_like_unit(name: str) -> bool:
    """Whether a phrase reads as a unit or group name (it ends as such names do)."""
    folded = normalize(name)
    folded = re.sub(r"\([^)]{0,20}\)$", "", folded)
    if not folded or len(folded) > 40 or _NOT_A_NAME.search(folded) or re.search(r"[,;:。!?]", folded):
        return False
    return bool(_UNIT_SUFFIX.search(folded) or _GROUP.search(folded))


def is_group(name: str) -> bool:
    """Whether a name stands for many units ("市直有关部门", "各乡镇(街道)")."""
    return bool(_GROUP.search(normalize(name)))


def unit_kind(name: str) -> str | None:
    """The kind a unit's name says it is, or None when the name does not tell."""
    folded = normalize(name)
    if _OFFICE.search(folded):
        return "office"
    if folded.endswith(("街道", "街道办事处")):
        return "subdistrict"
    if folded.endswith(("镇", "镇人民政府", "镇政府")):
        return "town"
    if folded.endswith(("乡", "乡人民政府", "乡政府")):
        return "township"
    if _ENTERPRISE.search(folded):
        return "enterprise"
    if _BRANCH.search(folded) and not folded.startswith(("市", "县", "区")):
        return "branch"
    if _DEPARTMENT.search(folded):
        return "department"
    return None


def group_kinds(name: str) -> list[str]:
    """The unit kinds a group phrase covers ("各乡镇(街道)": 街道, 镇, 乡), empty when unknown."""
    folded = normalize(name)
    if "乡镇" in folded:  # 乡镇 is the common word for every township-level division
        return ["subdistrict", "town", "township"]
    kinds = [kind for word, kind in _TOWNSHIP_WORDS.items() if word in folded]
    if kinds:
        return kinds
    if "部门" in folded:
        return ["department", "branch"]
    return []


def group_key(name: str) -> str:
    """Spellings of one group reduce to the same key: "市级各有关部门" and "市直部门" alike."""
    kinds = group_kinds(name)
    if kinds:  # one government has one body of departments and one of townships, however spelled
        level = re.match(r"^[省市州县区旗](?=直|级|本级)", normalize(name))
        return (level.group(0) if level and "部门" in name else "") + ",".join(sorted(kinds))
    return re.sub(r"各|有关|政府$", "", normalize(name))


@dataclass
class Roster:
    """The units and groups a draft names: the workspace's own, plus new ones drafted here."""

    directory: Directory | None
    units: dict[str, dict[str, Any]] = field(default_factory=dict)
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    _group_by_key: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)  # known group name -> new spellings

    def __post_init__(self) -> None:
        if self.directory is None:
            return
        for group in self.directory.groups.values():
            for spelling in (group.name, *group.aliases):
                self._group_by_key.setdefault(group_key(spelling), group.name)

    def known(self, name: str) -> bool:
        """Whether the workspace or this draft already knows the spelling ``name``."""
        if self.directory is not None and self.directory.lookup(name) is not None:
            return True
        key = normalize(name)
        return any(key == normalize(s) for u in (*self.units.values(), *self.groups.values())
                   for s in (u["name"], *u.get("aliases", [])))

    def add(self, name: str, source: str) -> None:
        """Make ``name`` resolvable: reuse a known unit or group, else draft a new one."""
        if self.known(name):
            return
        if not is_group(name) and (same := self._same_unit(name)) is not None:
            self.units[same].setdefault("aliases", []).append(name)
            return
        if is_group(name):
            self._add_group(name)
            return
        kind = unit_kind(name)
        unit: dict[str, Any] = {"name": name, "kind": kind or "department", "source": source}
        if kind is None:
            unit["review"] = f"无法从名称“{name}”判断单位类型，暂按市直部门（department），请核对 kind"
        nearest = self._nearest(name)
        if nearest is not None:
            unit["review"] = (unit.get("review", "") + ";" if "review" in unit else "") + (
                f"名称与已有单位“{nearest}”相近，如是同一单位请删去本条并把“{name}”加为其别名"
            )
        self.units[name] = unit

    def _nearest(self, name: str) -> str | None:
        """A known unit spelled almost as ``name`` (one character apart, say), if any."""
        if self.directory is None:
            return None
        key = normalize(name)
        for unit in self.directory.units.values():
            for spelling in (unit.name, *unit.aliases):
                other = normalize(spelling)
                # 区司法局 and 市司法局 are two governments' units, however alike their names
                if (key[:1] in _LEVELS or other[:1] in _LEVELS) and key[:1] != other[:1]:
                    continue
                if difflib.SequenceMatcher(None, key, other).ratio() >= 0.85:
                    return unit.name
        return None

    def _same_unit(self, name: str) -> str | None:
        """A drafted unit that ``name`` is a shorter or longer spelling of ("市" + name)."""
        key = normalize(name)
        for other in self.units:
            long, short = sorted((normalize(other), key), key=len, reverse=True)
            if long != short and long.endswith(short) and _PREFIX.fullmatch(long[: len(long) - len(short)]):
                return other
        return None

    def _add_group(self, name: str) -> None:
        key = group_key(name)
        same = self._group_by_key.get(key)
        if same is None and key == _DEPARTMENTS:  # "各部门": the departments of whichever level
            same = next((g for k, g in self._group_by_key.items() if k.endswith(_DEPARTMENTS)), None)
        if same is not None:
            if same in self.groups:
                self.groups[same].setdefault("aliases", []).append(name)
            elif name not in self.aliases.setdefault(same, []):
                self.aliases[same].append(name)
            return
        kinds = group_kinds(name)
        plain = name.translate(_BRACKETS)
        group: dict[str, Any] = {"name": plain} if plain != name else {"name": name}
        if plain != name:
            group["aliases"] = [name]
        if kinds:
            group["kinds"] = kinds
        else:
            group["members"] = []
            group["review"] = f"无法从“{name}”知道有哪些单位，请在 members 中列出成员"
        self.groups[group["name"]] = group
        self._group_by_key[key] = group["name"]

    def finish(self) -> None:
        """Mark groups whose kinds no unit of the workspace or the draft has (members unknown)."""
        present = {u["kind"] for u in self.units.values()}
        if self.directory is not None:
            present |= {u.kind for u in self.directory.units.values()}
        for group in self.groups.values():
            kinds = group.get("kinds")
            if kinds and not present.intersection(kinds) and "review" not in group:
                group["review"] = f"工作区里还没有“{group['name']}”包含的单位，请在 units 中加入（或在 members 中列出）"
        for group in self.groups.values():
            if group.get("aliases"):
                group["aliases"] = list(dict.fromkeys(group["aliases"]))
