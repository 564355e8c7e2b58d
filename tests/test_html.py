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
        assert "date" in cells["到期日"][0].split() and "date" in cells["实例"][0].split()
    html = run_cli("overdue", *AS_OF, "-u", "市财政局", "--format", "html", workspace=ws).out
    assert "td.date,td.num" in html and "white-space:nowrap" in html and "@media (max-width:600px)" in html


def test_the_number_after_each_bar_is_what_the_bar_shows(ws: Path):
    golden_workspace(ws)
    out = run_cli("report", *AS_OF, "--format", "html", workspace=ws).out
    # each bar's segments carry their value in a <title>; the number after the bar is their sum
    segments = re.findall(r'<rect class="bar" x="([\d.]+)" y="(\d+)" width="([\d.]+)"[^>]*><title>(\S+) \S+ (\d+)</title>', out)
    bars: dict[str, list[tuple[float, float, int]]] = {}
    for x, _, width, unit, value in segments:
        bars.setdefault(unit, []).append((float(x), float(width), int(value)))
    numbers = re.findall(r'<text x="([\d.]+)" y="(\d+)">(\d+)</text>', out)
    names = re.findall(r'<text x="[\d.]+" y="(\d+)" text-anchor="end">([^<]+)</text>', out)
    by_y = {y: name for y, name in names}
    data = json.loads(run_cli("report", *AS_OF, "--format", "json", workspace=ws).out)
    units = {u["unit"]: u for u in data["units"]}
    scale = None
    for _x, y, number in numbers:
        unit = by_y[y]
        u = units[unit]
        assert int(number) == u["done_on_time"] + u["done_late"] + u["overdue"] + u["lagging"]
        if unit in bars:
            assert int(number) == sum(v for _, _, v in bars[unit])
            width = sum(w for _, w, _ in bars[unit])
            scale = scale or width / int(number)
            assert abs(width - scale * int(number)) < 0.5  # the bar's length is its number, on one scale
    assert len(numbers) == len(units) == 48

