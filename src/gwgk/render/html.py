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
from gwgk.reports.year import YearReport

COLOURS = {"red": "#d93025", "yellow": "#f2a600", "green": "#1e8e3e", "lightgreen": "#81c995"}

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
"""


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n"
        "<footer>由 gwgk 生成。</footer>\n</body>\n</html>\n"
    )


# the columns a phone (390 px) shows; the others are hidden below 600 px, so none scrolls sideways
NARROW = ("单位", "任务", "到期日", "超期天数", "状态", "超期未完成", "进度滞后")
YEAR_NARROW = ("单位", "应完成", "超期未完成", "进度滞后", "按时完成率", "序号", "任务")
DATES = ("到期日", "实例")  # dates and instance keys (2021-06-30, 2021Q2) never wrap
# a state's light, for colouring the 状态 cell as the terminal and the workbook do
STATE_LIGHTS = {"超期未完成": "red", "进度滞后": "yellow", "即将到期": "yellow", "不适用": "grey",
                "待审核": "yellow", "已完成": "green", "逾期完成": "green", "推进中": "green", "未到期": "green", "持续推进": "green",
                "台账有误，未核查": "red"}


def _classes(header: str, cell: str, numeric: bool, phone_columns: Sequence[str] | None) -> str:
    names = ["num"] if numeric else []
    if header in DATES:
        names.append("date")
    state = cell.split("（")[0]  # 进度滞后（已 106 天无进展） is lit as 进度滞后
    if header == "状态" and state in STATE_LIGHTS:
        names.append(f"s-{STATE_LIGHTS[state]}")
    if phone_columns is not None and header not in phone_columns:
        names.append("wide")
    return f" class=\"{' '.join(names)}\"" if names else ""


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[str] = (), caption: str = "",
           phone_columns: Sequence[str] | None = None) -> str:
    """A table; with ``phone_columns``, the other columns are hidden on a phone."""
    wide = {h for h in headers if phone_columns is not None and h not in phone_columns}
    hidden = " class=\"wide\""
    head = "".join(f"<th scope=\"col\"{hidden if h in wide else ''}>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(
            f"<td{_classes(h, c, h in numeric, phone_columns)}>{escape(c)}</td>" for h, c in zip(headers, row)
        ) + "</tr>\n"
        for row in rows
    )
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f"<div class=\"scroll\"><table>{cap}<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody></table></div>\n"


def bar_chart(title: str, rows: Sequence[tuple[str, Sequence[tuple[str, int, str]]]]) -> str:
    """A horizontal stacked bar chart as inline SVG: one bar per row, segments (label, value, colour)."""
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
        total = sum(v for _, v, _ in segments)
        parts.append(f"<text x=\"{x + 4:.1f}\" y=\"{y + 17}\">{total}</text>")
    parts.append("</svg>")
    return "".join(parts)


def _legend(items: Sequence[tuple[str, str]]) -> str:
    return "<p class=\"legend\">" + "".join(f"<span><i style=\"background:{COLOURS[c]}\"></i>{escape(t)}</span>" for t, c in items) + "</p>\n"


def _broken(broken: Sequence[BrokenLedger]) -> str:
    """The broken ledgers as a red heading and a list; nothing when every ledger was read."""
    if not broken:
        return ""
    heading, *lines = broken_lines(broken)
    return f"<h2 class=\"broken\">{escape(heading)}</h2>\n<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>\n"


def overdue_html(report: OverdueReport) -> str:
    """The 回头看 as a web page: a bar per unit (red overdue, yellow lagging), then the tables."""
    title = f"回头看：超期未完成和进度滞后事项（截至 {report.as_of.isoformat()}）"
    body = f"<h1>{escape(title)}</h1>\n<p>{escape(overdue_summary(report))}</p>\n"
    body += _broken(report.broken)
    shown = [c for c in report.units if c.overdue or c.lagging]
    if shown:
        chart = bar_chart("各单位超期未完成和进度滞后事项数", [(c.unit, [("超期未完成", c.overdue, "red"), ("进度滞后", c.lagging, "yellow")]) for c in shown])
        body += "<h2>各单位情况</h2>\n" + _legend([("超期未完成", "red"), ("进度滞后", "yellow")]) + chart + "\n"
        body += _table(COUNT_HEADERS, count_rows(report), numeric=COUNT_HEADERS[1:])
        body += "<h2>事项清单</h2>\n" + _table(overdue_headers(report), overdue_rows(report), numeric=("序号", "超期天数"), phone_columns=NARROW)
    return _page(title, body)


def year_html(report: YearReport) -> str:
    """The year-end report as a web page: a stacked bar per unit, the paragraph, then the tables."""
    title = f"{report.plan_title}落实情况（截至 {report.as_of.isoformat()}）"
    chart = bar_chart("各单位任务完成情况", [
        (u.unit, [("按时完成", u.done_on_time, "green"), ("逾期完成", u.done_late, "lightgreen"),
                  ("超期未完成", u.overdue, "red"), ("进度滞后", u.lagging, "yellow")])
        for u in report.units
    ])
    legend = _legend([("按时完成", "green"), ("逾期完成", "lightgreen"), ("超期未完成", "red"), ("进度滞后", "yellow")])
    body = (
        f"<h1>{escape(title)}</h1>\n{_broken(report.broken)}<h2>存在的主要问题及改进情况</h2>\n<p>{escape(report.paragraph)}</p>\n"
        f"<h2>各单位完成情况</h2>\n{legend}{chart}\n"
        + _table(UNIT_SUMMARY_HEADERS, unit_summary_rows(report), numeric=UNIT_SUMMARY_HEADERS[1:], phone_columns=YEAR_NARROW)
        + "<h2>各任务完成情况</h2>\n"
        + _table(TASK_SUMMARY_HEADERS, task_summary_rows(report), numeric=("序号", "承担单位数", "超期未完成", "进度滞后"), phone_columns=YEAR_NARROW)
    )
    return _page(title, body)
