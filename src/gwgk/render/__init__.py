"""Drawing report models: plain-text tables sized for a terminal (``table``, ``terminal``),
Markdown and CSV (``text``), a self-contained HTML page (``html``).

May import: ``gwgk.errors``, ``gwgk.catalogue``, ``gwgk.judge`` (for labels) and ``gwgk.reports``.
Renderers return text or bytes; none prints: ``commands`` does.
"""
