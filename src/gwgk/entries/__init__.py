"""What people enter into a ledger: the schema of ``ledgers/<unit>.yaml`` (records, events,
extensions) as pydantic models (``model``).

May import: ``gwgk.errors``, ``gwgk.files`` (to rebuild cached models) and ``gwgk.catalogue``.
Pure: no I/O, no clock.
"""
