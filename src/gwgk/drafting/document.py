"""A plan's document as the readers give it (lines of text and tables of cells), and the bounds
on what a plan may be: past them the text is no plan, and drafting it is refused at once."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_PLAN_BYTES = 4 * 1024 * 1024  # a plan's text or web page is some 100 KB
MAX_DOCX_BYTES = 20 * 1024 * 1024  # a .docx some 1 MB, more with the pictures of its seals (never read)
MAX_TEXT_CHARS = 200_000  # characters: the bundled plan has 20,000, the longest 要点 we know some 40,000
MAX_LINE_CHARS = 10_000  # the longest paragraph or cell of a real plan is some 3,000 characters
MAX_DOCX_PART = 32 * 1024 * 1024  # document.xml unpacked


@dataclass
class PlanSource:
    """The body of a plan (paragraphs, one per line), its tables (rows of cell texts), and its
    tables pasted one cell per line (``streams``: the cells in order, rows lost)."""

    name: str
    lines: list[str] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    streams: list[list[str]] = field(default_factory=list)
