"""The HTML pages at desktop and phone width: state colours, dates kept whole, the columns a phone
shows, and charts whose numbers are what the bars show."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from .conftest import run_cli
from .test_reports import AS_OF, golden_workspace


class _Cells(HTMLParser):
    """The cells of the last table of a page: (tag, class, text) per cell, row by row."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[tuple[str, str, str]]] = []
        self.texts: list[tuple[str, str]] = []  # svg <text> (x, content)
        self._cell: list | None = None
        self._text_x: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.rows = []
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = [tag, a.get("class") or "", ""]
        elif tag == "text":
            self._text_x = a.get("x")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(tuple(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[2] += data
        elif self._text_x is not None:
            self.texts.append((self._text_x, data))
            self._text_x = None


def test_overdue_html_colours_states_keeps_dates_whole_and_fits_a_phone(ws: Path):
    golden_workspace(ws)
    page = _Cells()
    page.feed(run_cli("overdue", *AS_OF, "-u", "市财政局", "-u", "敬南镇", "--format", "html", workspace=ws).out)
    header, *rows = page.rows
    on_phone = [text for _, cls, text in header if "wide" not in cls]
    assert on_phone == ["单位", "任务", "到期日", "超期天数", "状态"]
    for row in rows:
        cells = {h[2]: (cls, text) for h, (_, cls, text) in zip(header, row)}
        light = {"超期未完成": "s-red", "进度滞后": "s-yellow"}[cells["状态"][1].split("（")[0]]
        assert light in cells["状态"][0].split()
        assert "date" in cells["到期日"][0].split()
    html = run_cli("overdue", *AS_OF, "-u", "市财政局", "--format", "html", workspace=ws).out
    assert "td.date,td.num" in html and "white-space:nowrap" in html and "@media (max-width:600px)" in html


def _bars(svg: str) -> tuple[dict[str, list[tuple[float, float, int]]], list[tuple[str, int]]]:
    """Each bar's segments (x, width, value) by row name, and the (row name, number) after each bar."""
    segments = re.findall(r'<rect class="bar" x="([\d.]+)" y="(\d+)" width="([\d.]+)"[^>]*><title>(\S+) \S+ (\d+)</title>', svg)
    bars: dict[str, list[tuple[float, float, int]]] = {}
    for x, _, width, name, value in segments:
        bars.setdefault(name, []).append((float(x), float(width), int(value)))
    numbers = re.findall(r'<text x="([\d.]+)" y="(\d+)">(\d+)</text>', svg)
    by_y = dict(re.findall(r'<text x="[\d.]+" y="(\d+)" text-anchor="end">([^<]+)</text>', svg))
    return bars, [(by_y[y], int(n)) for _, y, n in numbers]


def test_the_number_after_each_bar_is_what_the_bar_shows(ws: Path):
    golden_workspace(ws)
    record_done = run_cli("record", "-u", "市财政局", "-t", "2", "-s", "已完成", "-d", "2021-10-05", *AS_OF, workspace=ws)
    assert record_done.code == 0, record_done.err
    out = run_cli("report", *AS_OF, "--format", "html", workspace=ws).out
    ranked, spread = re.findall(r"<svg.*?</svg>", out)
    data = json.loads(run_cli("report", *AS_OF, "--format", "json", workspace=ws).out)
    units = {u["unit"]: u for u in data["units"]}
    # the ranked chart: the 15 units with most overdue, each bar 应完成 in its parts, never longer
    bars, numbers = _bars(ranked)
    assert [name for name, _ in numbers] == [u["unit"] for u in data["units"]][:15]
    scale = None
    for unit, number in numbers:
        u = units[unit]
        assert number == u["owed"] == u["done_on_time"] + u["done_late"] + u["overdue"] + u["submitted"] + u["not_applicable"]
        assert number == sum(v for _, _, v in bars[unit])
        width = sum(w for _, w, _ in bars[unit])
        scale = scale or width / number
        assert abs(width - scale * number) < 0.5  # the bar's length is its number, on one scale
    # the distribution: every unit with an on-time rate is in one band
    _, bands = _bars(spread)
    assert sum(n for _, n in bands) == sum(1 for u in units.values() if u["on_time_rate"] is not None) == 48
    finance = units["市财政局"]["on_time_rate"]
    assert dict(bands)["20%以下"] == 48 and finance is not None and 0 < finance < 0.2


def test_the_look_back_page_ranks_units_jumps_to_each_and_prints(ws: Path):
    out = run_cli("overdue", *AS_OF, "--format", "html", workspace=ws).out
    data = json.loads(run_cli("overdue", *AS_OF, "--format", "json", workspace=ws).out)
    ranked, spread = re.findall(r"<svg.*?</svg>", out)
    _, numbers = _bars(ranked)
    # 48 units: the chart names the 15 with most overdue (the JSON's order), the rest are in the table
    assert [name for name, _ in numbers] == [u["unit"] for u in data["units"]][:15]
    assert "其余33个单位见下表" in out
    _, bands = _bars(spread)
    assert sum(n for _, n in bands) == 48
    # a jump link to every unit with items, and each unit's first item row has that id
    links = re.findall(r'<a href="#(u-[^"]+)">', out)
    ids = re.findall(r'<tr id="(u-[^"]+)">', out)
    assert len(ids) == len(set(ids)) == 48 and set(links) == set(ids)
    assert "@media print" in out and "thead{display:table-header-group}" in out and "break-inside:avoid" in out
