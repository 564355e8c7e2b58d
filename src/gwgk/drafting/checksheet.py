"""The 核对表: one row per drafted task, the plan's own words beside what was read from them.

A clerk checks a 40-task plan against the original in minutes: the task's text, the words that
name its units (the note or the unit cells) and its deadline words, then the lead, responsible
units, duties and rules as read (in words), the title, and every review mark saying why the
drafter was unsure. ``rows`` builds the rows (pure); ``html`` writes them as one page; the .xlsx
is written by ``gwgk.excel.checksheet``.
"""

from __future__ import annotations

import html as html_escape
from dataclasses import dataclass
from typing import Any

from gwgk.drafting.draft import Draft

HEADERS = ("序号", "标题", "原文：任务", "原文：单位", "原文：完成时限", "读作：牵头单位", "读作：责任单位",
           "读作：任务分工", "读作：完成时限规则", "需要核对", "核对人")
_PERIODS = {"month": "每月", "bimonth": "每2个月", "quarter": "每季度", "halfyear": "每半年", "year": "每年"}


@dataclass(frozen=True)
class Row:
    """One task of the 核对表."""

    id: int
    title: str
    text: str
    units_words: str
    deadline_words: str
    lead: str
    responsible: str
    duties: str
    rules: str
    reviews: str

    def cells(self) -> tuple[str, ...]:
        """The row's cells in the order of ``HEADERS`` (the last one left for the clerk)."""
        return (str(self.id), self.title, self.text, self.units_words, self.deadline_words, self.lead, self.responsible,
                self.duties, self.rules, self.reviews, "")


def rule_words(rule: dict[str, Any]) -> str:
    """A drafted rule in words: "2022-06-30 前", "每季度不少于1件", "收到申请起20个工作日内"."""
    kind = rule["kind"]
    if kind == "date":
        text = f"{rule['due']} 前"
    elif kind == "recurring":
        text = f"{_PERIODS.get(rule.get('every', ''), rule.get('every', ''))}不少于{rule.get('quota', 1)}件"
        if rule.get("categories"):
            text += f"（涉及{rule['categories']}个方面）"
    elif kind == "event":
        days = rule.get("days")
        if days is None:
            text = f"{rule.get('trigger', '事件')}后（未定天数）"
        elif days == 0:
            text = f"与{rule.get('trigger', '事件')}同时"
        else:
            text = f"{rule.get('trigger', '事件')}起{days}个{'工作日' if rule.get('day_count') == 'working' else '自然日'}内"
    else:
        text = {"continuous": "长期", "irregular": "不定期"}.get(kind, kind)
    return f"{rule['label']}：{text}" if rule.get("label") else text


def rows(draft: Draft) -> list[Row]:
    """The 核对表 of a draft, one row per task in the plan's order."""
    end = draft.plan["plan"]["effective_to"]
    out = []
    for task in draft.plan["tasks"]:
        marks = [task["review"]] if task.get("review") else []
        marks += [f"规则“{r.get('source', '')[:30]}”：{r['review']}" for r in task["rules"] if r.get("review")]
        rules = "；".join(rule_words(r) for r in task["rules"]) or f"（计划没有写完成时限，按计划期末 {end} 计）"
        duties = "；".join("、".join(d["units"]) + ("：" + d["duty"] if d.get("duty") else "") for d in task["duties"])
        out.append(Row(
            id=task["id"], title=task["title"], text=task["text"], units_words=draft.notes.get(task["id"], ""),
            deadline_words=task["deadline"], lead="、".join(task["lead"]) or "（计划没有写）",
            responsible="、".join(task["responsible"]) or "（无）", duties=duties, rules=rules, reviews="；".join(marks),
        ))
    return out


_STYLE = """
body { font-family: "SimSun", "Songti SC", serif; margin: 1.5em; }
h1 { font-size: 1.4em; text-align: center; }
p.note { color: #444; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #666; padding: 0.3em 0.4em; vertical-align: top; }
th { background: #eee; position: sticky; top: 0; }
td.words { background: #fafaf5; }
tr.unsure td.review { background: #fff3cd; font-weight: bold; }
@media print { th { position: static; } }
"""


def html(draft: Draft) -> str:
    """The 核对表 as one self-contained HTML page (opens in any browser, prints on A4 landscape)."""
    meta = draft.plan["plan"]
    found = rows(draft)
    unsure = sum(1 for r in found if r.reviews)
    head = "".join(f"<th>{html_escape.escape(h)}</th>" for h in HEADERS)
    body = []
    for row in found:
        cells = row.cells()
        tds = []
        for index, cell in enumerate(cells):
            css = "words" if 2 <= index <= 4 else "review" if index == 9 else ""
            tds.append(f'<td class="{css}">{html_escape.escape(cell)}</td>' if css else f"<td>{html_escape.escape(cell)}</td>")
        body.append(f'<tr class="{"unsure" if row.reviews else "sure"}">' + "".join(tds) + "</tr>")
    title = html_escape.escape(f"《{meta['title']}》起草核对表")
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{_STYLE}</style></head><body>\n"
        f"<h1>{title}</h1>\n"
        f'<p class="note">共 {len(found)} 项任务，其中 {unsure} 项有需要核对的地方（黄色）。请对照计划原文逐行核对“读作”各栏，'
        "改正 data/plans 下的任务目录后删去其中的 review。</p>\n"
        f"<table><thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(body) + "\n</tbody></table></body></html>\n"
    )
