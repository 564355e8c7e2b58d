"""The corpus of plans and the forms each is read in.

Each plan is a folder of ``tests/plans/`` holding ``answer.yaml`` (its source, its hand answers),
the plan as published (``published.txt`` in full-width punctuation, or ``published.html`` as saved
from the government site) and ``pasted.txt``: the same plan as a clerk pastes it, half-width, its
tables flattened (cells joined by ``|`` or tabs, or one cell per line between ``|`` lines or ending
in `` |``; a cell merged over several
rows given only in the first of them, as a web page copies). ``python tests/plans/forms.py``
writes every ``pasted.txt`` from the published form; a .docx of each .html plan, with its merged
cells merged in Word, is built when it is scored (``docx_of``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
HALF = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")"})
FULL = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）"})


def rule_key(rule: dict) -> str:
    """A drafted rule as the answers write it: "date 2022-06-30", "recurring month", "event 20", "continuous"."""
    kind = rule["kind"]
    if kind == "date":
        return f"date {rule['due']}"
    if kind == "recurring":
        return f"recurring {rule['every']}"
    if kind == "event":
        return f"event {rule['days']}" if rule.get("days") is not None else "event -"
    return str(kind)


def plans() -> list[Path]:
    """Every corpus plan's folder, by name."""
    return sorted(p for p in HERE.iterdir() if (p / "answer.yaml").is_file())


def answer(folder: Path) -> dict:
    """The hand answers of a plan."""
    return yaml.safe_load((folder / "answer.yaml").read_text(encoding="utf-8"))


def _html_rows(path: Path) -> tuple[list[str], list[list[tuple[str, int, int]]]]:
    """The lines of a corpus .html page and its table as rows of (text, rowspan, colspan)."""
    from html.parser import HTMLParser

    class Page(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.lines: list[str] = []
            self.rows: list[list[tuple[str, int, int]]] = []
            self.cell: list[str] | None = None
            self.span = (1, 1)
            self.text: list[str] = []

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "table":
                self.lines.append("@table")
            elif tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.cell = []
                self.span = (int(a.get("rowspan") or 1), int(a.get("colspan") or 1))

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.cell is not None:
                self.rows[-1].append(("".join(self.cell).strip(), *self.span))
                self.cell = None
            elif tag == "p":
                line = "".join(self.text).strip()
                if line:
                    self.lines.append(line)
                self.text = []

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)
            else:
                self.text.append(data)

    from gwgk.drafting.source import decode_html

    page = Page()
    page.feed(decode_html(path.read_bytes(), path.name))
    return page.lines, page.rows


def pasted_text(folder: Path) -> str:
    """The plan as pasted from the page: half-width, the table flattened as ``answer.yaml`` says."""
    how = answer(folder).get("paste", "pipes")
    if (folder / "published.txt").is_file():
        from gwgk.drafting.source import decode

        return decode((folder / "published.txt").read_bytes(), "published.txt").translate(HALF)
    lines, rows = _html_rows(folder / "published.html")
    out = [line.translate(HALF) for line in lines if not line.startswith("@table")]
    where = next((i for i, line in enumerate(lines) if line.startswith("@table")), len(out))
    flat: list[str] = []
    for row in rows:
        cells = [text.translate(HALF) for text, _, _ in row]  # merged cells: only in their first row
        if how == "tabs":
            flat.append("\t".join(cells))
        elif how == "lines":
            flat.extend(c for cell in cells for c in (cell, "|"))
        elif how == "bars":  # each cell on its line ending in "|", a "|" line between rows
            flat.extend([f"{cell} |" for cell in cells] + ["|"])
        else:
            flat.append(" | ".join(cells) + " |")
    before = [line for line in out[:where]]
    after = [line for line in out[where:]]
    return "\n".join(before + flat + after) + "\n"


def docx_of(folder: Path, target: Path) -> Path:
    """A Word document of a corpus .html plan: its paragraphs, and its table with merged cells
    merged in Word (vertically and across), the header row marked to repeat on each page."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    lines, rows = _html_rows(folder / "published.html")
    document = docx.Document()
    where = next((i for i, line in enumerate(lines) if line.startswith("@table")), len(lines))
    for line in lines[:where]:
        document.add_paragraph(line)
    width = max(sum(c for _, _, c in row) for row in rows) if rows else 0
    grid: list[list[tuple[str, int, int] | None]] = []
    taken: dict[tuple[int, int], bool] = {}
    for r, row in enumerate(rows):
        line: list[tuple[str, int, int] | None] = [None] * width
        c = 0
        for cell in row:
            while c < width and taken.get((r, c)):
                c += 1
            if c >= width:
                break
            line[c] = cell
            for dr in range(cell[1]):
                for dc in range(cell[2]):
                    taken[(r + dr, c + dc)] = True
            c += cell[2]
        grid.append(line)
    if rows:
        table = document.add_table(rows=len(rows), cols=width)
        for r, line in enumerate(grid):
            for c, cell in enumerate(line):
                if cell is None:
                    continue
                text, rowspan, colspan = cell
                target_cell = table.cell(r, c)
                if rowspan > 1 or colspan > 1:
                    target_cell = target_cell.merge(table.cell(min(r + rowspan, len(rows)) - 1, min(c + colspan, width) - 1))
                target_cell.text = text
        header = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header.append(repeat)
    for line in lines[where + 1:]:
        document.add_paragraph(line)
    document.save(str(target))
    return target


if __name__ == "__main__":
    for folder in plans():
        (folder / "pasted.txt").write_text(pasted_text(folder), encoding="utf-8")
        print(f"{folder.name}: pasted.txt", file=sys.stderr)
