"""The plan as data: its metadata, settings, parts, sections and tasks (``plan``), deadline
rules (``rules``), units and groups and how a typed name finds its unit (``units``), the
cross-checked ``Catalogue`` with who owes what (``model``), and reading it from its two files
(``load``).

May import: ``gwgk.errors`` and ``gwgk.files``. Everything but ``load`` is pure: no I/O, no clock.
"""
