"""Reports as one self-contained HTML file for the office intranet: inline CSS and SVG, no scripts,
no external fonts; Chinese text by the system's font stack; tables scroll sideways on a phone."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from gwgk.render.table import text_width
from gwgk.render.text import (
    COUNT_HEADERS,
    TASK_SUMMARY_HEADERS,
    UNIT_SUMMARY_HEADERS,
    broken_lines,
    count_rows,
    overdue_headers,
    overdue_rows,
    overdue_summary,
    task_summary_rows,
    unit_summary_rows,
)
from gwgk.reports.overdue import BrokenLedger, OverdueReport
from gwgk.reports.wording import chinese_date, cjk_punctuation
from gwgk.reports.year import YearReport, percent

COLOURS = {"red": "#d93025", "yellow": "#f2a600", "green": "#1e8e3e", "lightgreen": "#81c995", "grey": "#9aa0a6"}

CSS = """
body{font-family:"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",
"WenQuanYi Micro Hei",sans-serif;margin:0 auto;max-width:1200px;padding:12px;color:#202124;line-height:1.6}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #dadce0}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;font-size:.9em;min-width:100%}
th,td{border:1px solid #dadce0;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#f1f3f4;white-space:nowrap}td.num{text-align:right;white-space:nowrap}
.legend span{display:inline-block;margin-right:1em}.legend i{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:-.1em}
svg{width:100%;height:auto;max-width:720px}svg text{font-size:13px;fill:#202124}
td{min-width:3.5em}
td.date,td.num,td[class*="s-"]{white-space:nowrap}
td.s-red{background:#fce8e6;color:#a50e0e;font-weight:bold}td.s-yellow{background:#fef7e0;color:#8a5a00}
td.s-green{background:#e6f4ea;color:#0d652d}td.s-grey{background:#f1f3f4;color:#5f6368}
h2.broken{color:#a50e0e}
@media (max-width:600px){body{padding:6px}table{font-size:.85em}th,td{padding:3px 4px}td{min-width:0}.wide{display:none}}
footer{margin-top:2em;color:#5f6368;font-size:.8em}
nav{margin:.6em 0;line-height:2}nav a{display:inline-block;margin-right:.8em;white-space:nowrap}
tr:target td{outline:2px solid #1a73e8}
.note{color:#5f6368;font-size:.9em}
@media print{
@page{size:A4 landscape;margin:12mm}
body{max-width:none;padding:0;font-size:10pt;color:#000}
nav,footer{display:none}
.scroll{overflow:visible}
.wide{display:table-cell !important}th.wide{display:table-cell !important}
table{font-size:9pt}thead{display:table-header-group}tr{page-break-inside:avoid;break-inside:avoid}
h2{page-break-after:avoid;break-after:avoid}
svg{max-width:16cm}a{color:inherit;text-decoration:none}
td.s-red,td.s-yellow,td.s-green,td.s-grey{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n"
        "<footer>由gwgk生成。</footer>\n</body>\n</html>\n"
    )


def _text(value: str) -> str:
    """Escaped text, punctuated as Chinese text is (``wording.cjk_punctuation``)."""
    return escape(cjk_punctuation(value))


# the columns a phone (390 px) shows; the others are hidden below 600 px, so none scrolls sideways
NARROW = ("单位", "任务", "到期日", "超期天数", "状态", "超期未完成", "进度滞后", "待审核")
YEAR_NARROW = ("单位", "应完成", "超期未完成", "按时完成率", "序号", "任务")
DATES = ("到期日",)  # dates (2021-06-30) never wrap
# a state's light, for colouring the 状态 cell as the terminal and the workbook do
STATE_LIGHTS = {"超期未完成": "red", "进度滞后": "yellow", "即将到期": "yellow", "不适用": "grey",
                "待审核": "yellow", "已完成": "green", "逾期完成": "green", "推进中": "green", "未到期": "green", "持续推进": "green",
                "台账有误，未核查": "red"}


def anchor(unit: str) -> str:
    """The id of a unit's first row in a page's item list (jump links go to it)."""
    return "u-" + "".join(ch if ch.isalnum() else "-" for ch in unit)


def _classes(header: str, cell: str, numeric: bool, phone_columns: Sequence[str] | None) -> str:
    names = ["num"] if numeric else []
    if header in DATES:
        names.append("date")
    state = cell.split("（")[0]  # 进度滞后（已106天无进展） is lit as 进度滞后
    if header == "状态" and state in STATE_LIGHTS:
        names.append(f"s-{STATE_LIGHTS[state]}")
    if phone_columns is not None and header not in phone_columns:
        names.append("wide")
    return f" class=\"{' '.join(names)}\"" if names else ""


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[str] = (), caption: str = "",
           phone_columns: Sequence[str] | None = None, anchors: bool = False, links: Sequence[str] = ()) -> str:
    """A table; with ``phone_columns``, the other columns are hidden on a phone; with ``anchors``, each
    unit's first row carries its id (``anchor``); the units named in ``links`` link to their rows."""
    wide = {h for h in headers if phone_columns is not None and h not in phone_columns}
    hidden = " class=\"wide\""
    head = "".join(f"<th scope=\"col\"{hidden if h in wide else ''}>{escape(h)}</th>" for h in headers)
    unit_at = headers.index("单位") if "单位" in headers else None
    seen: set[str] = set()
    linked = set(links)
    out = []
    for row in rows:
        unit = row[unit_at] if unit_at is not None else ""
        ident = ""
        if anchors and unit and unit not in seen:
            seen.add(unit)
            ident = f" id=\"{escape(anchor(unit))}\""
        cells = []
        for h, c in zip(headers, row):
            text = _text(c)
            if h == "单位" and c in linked:
                text = f"<a href=\"#{escape(anchor(c))}\">{text}</a>"
            cells.append(f"<td{_classes(h, cjk_punctuation(c), h in numeric, phone_columns)}>{text}</td>")
        out.append(f"<tr{ident}>" + "".join(cells) + "</tr>\n")
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f"<div class=\"scroll\"><table>{cap}<thead><tr>{head}</tr></thead>\n<tbody>\n{''.join(out)}</tbody></table></div>\n"


def bar_chart(title: str, rows: Sequence[tuple[str, Sequence[tuple[str, int, str]]]], *, total: Sequence[int] | None = None) -> str:
    """A horizontal stacked bar chart as inline SVG: one bar per row, segments (label, value, colour);
    the number after each bar is its segments' sum (or ``total``'s)."""
    # narrow enough that a phone shows the 13px labels at about 11px; 165 fits a 12-character name
    label_width, bar_width, row_height = 165, 250, 24
    # a 13px Chinese character is about 6.5 viewBox units per terminal column; the longest name fits
    label_width = max(label_width, max((text_width(name) for name, _ in rows), default=0) * 7 + 10)
    biggest = max((sum(v for _, v, _ in segs) for _, segs in rows), default=0) or 1
    height = row_height * len(rows) + 10
    parts = [f"<svg role=\"img\" aria-label=\"{escape(title)}\" viewBox=\"0 0 {label_width + bar_width + 60} {height}\" xmlns=\"http://www.w3.org/2000/svg\">",
             f"<title>{escape(title)}</title>"]
    for i, (name, segments) in enumerate(rows):
        y = 5 + i * row_height
        parts.append(f"<text x=\"{label_width - 6}\" y=\"{y + 17}\" text-anchor=\"end\">{escape(name)}</text>")
        x = float(label_width)
        for label, value, colour in segments:
            if value <= 0:
                continue
            width = bar_width * value / biggest
            parts.append(
                f"<rect class=\"bar\" x=\"{x:.1f}\" y=\"{y + 4}\" width=\"{width:.1f}\" height=\"{row_height - 8}\" fill=\"{COLOURS[colour]}\">"
                f"<title>{escape(name)} {escape(label)} {value}</title></rect>"
            )
            x += width
        number = sum(v for _, v, _ in segments) if total is None else total[i]
        parts.append(f"<text x=\"{x + 4:.1f}\" y=\"{y + 17}\">{number}</text>")
    parts.append("</svg>")
    return "".join(parts)


def _legend(items: Sequence[tuple[str, str]]) -> str:
    return "<p class=\"legend\">" + "".join(f"<span><i style=\"background:{COLOURS[c]}\"></i>{escape(t)}</span>" for t, c in items) + "</p>\n"


def _broken(broken: Sequence[BrokenLedger]) -> str:
    """The broken ledgers as a red heading and a list; nothing when every ledger was read."""
    if not broken:
        return ""
    heading, *lines = broken_lines(broken)
    return f"<h2 class=\"broken\">{_text(heading)}</h2>\n<ul>" + "".join(f"<li>{_text(line)}</li>" for line in lines) + "</ul>\n"


RANKED = 15  # units a chart names; the distribution and the table show every unit


def distribution(counts: Sequence[int], bands: Sequence[tuple[int, int | None]]) -> list[tuple[str, int]]:
    """How many of ``counts`` fall in each band (``lo``–``hi``, None: and more), with the band's words."""
    out = []
    for lo, hi in bands:
        label = (f"{lo}项次" if lo == hi else f"{lo}—{hi}项次") if hi is not None else f"{lo}项次以上"
        out.append((label, sum(1 for c in counts if c >= lo and (hi is None or c <= hi))))
    return out


OVERDUE_BANDS = ((0, 0), (1, 5), (6, 10), (11, 20), (21, None))


def _distribution_chart(title: str, bands: Sequence[tuple[str, int]], colour: str) -> str:
    return bar_chart(title, [(label, [("单位数", n, colour)]) for label, n in bands])


def _nav(links: Sequence[tuple[str, str]], units: Sequence[str]) -> str:
    """Jump links to the page's sections, and to each unit's rows."""
    parts = ["<nav aria-label=\"跳转\">跳转：" + "".join(f"<a href=\"#{h}\">{escape(t)}</a>" for h, t in links) + "</nav>"]
    if units:
        parts.append("<nav aria-label=\"按单位查看\">按单位查看：" +
                     "".join(f"<a href=\"#{escape(anchor(u))}\">{escape(u)}</a>" for u in units) + "</nav>")
    return "\n".join(parts) + "\n"


def overdue_html(report: OverdueReport) -> str:
    """The 回头看 as a web page: jump links, the units ranked by overdue items and how many units have
    how many, then the count per unit (each linking to its items) and the item list."""
    title = f"回头看：超期未完成和进度滞后事项（截至{chinese_date(report.as_of)}）"
    body = f"<h1>{escape(title)}</h1>\n<p>{_text(overdue_summary(report))}</p>\n"
    shown = [c for c in report.units if c.overdue or c.lagging or c.submitted]
    with_items = [c.unit for c in report.units if c.overdue or c.lagging]
    if shown:
        body += _nav([("units", "各单位情况"), ("items", "事项清单")], with_items)
    body += _broken(report.broken)
    if shown:
        ranked = [c for c in report.units if c.overdue or c.lagging][:RANKED]
        chart = bar_chart(f"超期未完成事项最多的{len(ranked)}个单位",
                          [(c.unit, [("超期未完成", c.overdue, "red"), ("进度滞后", c.lagging, "yellow")]) for c in ranked])
        more = len(with_items) - len(ranked)
        spread = distribution([c.overdue for c in report.units], OVERDUE_BANDS)
        body += ("<h2 id=\"units\">各单位情况</h2>\n" + _legend([("超期未完成", "red"), ("进度滞后", "yellow")]) + chart + "\n"
                 + (f"<p class=\"note\">其余{more}个单位见下表。</p>\n" if more > 0 else "")
                 + "<h2>超期未完成事项数的分布</h2>\n<p class=\"note\">横轴为单位数。</p>\n"
                 + _distribution_chart("各单位超期未完成事项数的分布", spread, "red") + "\n")
        body += _table(COUNT_HEADERS, count_rows(report), numeric=COUNT_HEADERS[1:], links=with_items)
        body += ("<h2 id=\"items\">事项清单</h2>\n"
                 + _table(overdue_headers(report), overdue_rows(report), numeric=("序号", "超期天数"), phone_columns=NARROW,
                          anchors=True))
    return _page(title, body)


RATE_BANDS = ((0.0, 0.2, "20%以下"), (0.2, 0.5, "20%—50%"), (0.5, 0.8, "50%—80%"), (0.8, 1.0, "80%—99.9%"), (1.0, 1.01, "100%"))


def year_html(report: YearReport) -> str:
    """The year-end report as a web page: jump links, the paragraph, the units with most overdue
    (each bar 应完成 and its parts, so it never passes 应完成), how many units have which on-time
    rate, then the tables."""
    title = f"{report.plan_title}落实情况（截至{chinese_date(report.as_of)}）"
    ranked = [u for u in report.units if u.owed][:RANKED]
    chart = bar_chart(f"超期未完成事项最多的{len(ranked)}个单位：应完成事项的构成", [
        (u.unit, [("按时完成", u.done_on_time, "green"), ("逾期完成", u.done_late, "lightgreen"),
                  ("超期未完成", u.overdue, "red"), ("待审核", u.submitted, "yellow"), ("不适用", u.not_applicable, "grey")])
        for u in ranked
    ])
    legend = _legend([("按时完成", "green"), ("逾期完成", "lightgreen"), ("超期未完成", "red"), ("待审核", "yellow"),
                      ("不适用", "grey")])
    rates = [u.on_time_rate for u in report.units if u.on_time_rate is not None]
    bands = [(label, sum(1 for r in rates if lo <= r < hi)) for lo, hi, label in RATE_BANDS]
    none = len(report.units) - len(rates)
    body = (
        f"<h1>{escape(title)}</h1>\n"
        + _nav([("paragraph", "存在的主要问题及改进情况"), ("units", "各单位完成情况"), ("tasks", "各任务完成情况")], [])
        + f"{_broken(report.broken)}<h2 id=\"paragraph\">存在的主要问题及改进情况</h2>\n<p>{_text(report.paragraph)}</p>\n"
        + "<h2 id=\"units\">各单位完成情况</h2>\n"
        + "<p class=\"note\">应完成＝按时完成＋逾期完成＋超期未完成＋待审核＋不适用；未到期和进度滞后另列。"
        + f"全部合计按时完成率{percent(report.totals.on_time_rate)}。</p>\n"
        + f"{legend}{chart}\n"
        + "<h2>按时完成率的分布</h2>\n<p class=\"note\">横轴为单位数" + (f"；另有{none}个单位尚无可计算的完成率" if none else "") + "。</p>\n"
        + _distribution_chart("各单位按时完成率的分布", bands, "green") + "\n"
        + _table(UNIT_SUMMARY_HEADERS, unit_summary_rows(report), numeric=UNIT_SUMMARY_HEADERS[1:], phone_columns=YEAR_NARROW)
        + "<h2 id=\"tasks\">各任务完成情况</h2>\n"
        + _table(TASK_SUMMARY_HEADERS, task_summary_rows(report), numeric=("序号", "承担单位数", "超期未完成", "进度滞后"), phone_columns=YEAR_NARROW)
    )
    return _page(title, body)
