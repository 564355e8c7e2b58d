"""Report models: what each report shows, as pydantic models (so ``--format json`` is free),
built apart from how it is drawn. ``catalogue`` (tasks, units), ``ledger`` (one unit's 台账),
``findings`` (one unit's overdue items and counts), ``overdue`` (the 回头看), ``year`` (the
year-end report), and ``remembered`` (timelines and findings kept in the cache between runs).

May import: every lower layer (``errors``, ``files``, ``catalogue``, ``entries``, ``judge``,
``ledger``). Only ``remembered`` reads or writes (the cache); the builders are pure.
"""
