"""Drafting a catalogue from a plan's own text: reading a .txt or .docx into lines and tables
(``source``), finding its tasks in the shapes plans come in (``tasks``), reading deadline phrases
into rules (``deadlines``), turning unit names into units and groups (``units``), and putting it
all together as a draft ``tasks.yaml`` with every open question marked ``review`` (``draft``).

May import: ``gwgk.errors``, ``gwgk.files`` and ``gwgk.catalogue`` (and python-docx, lazily, to
read .docx). Only ``source`` reads a file; the rest is pure.
"""
