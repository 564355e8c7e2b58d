"""Ledger files as documents: generating and syncing their text (``document``), checking one
against the catalogue (``check``), reading and changing them safely (``store``), turning what a
user typed into an entry (``recording``) and validating a whole workspace (``validation``).

May import: ``gwgk.errors``, ``gwgk.files``, ``gwgk.catalogue``, ``gwgk.entries`` and
``gwgk.judge``.
"""
