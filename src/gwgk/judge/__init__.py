"""Judging: dates as typed and the plan's periods (``dates``), Chinese working days
(``workdays``), the instances a unit owes (``schedule``), the state of each as of a date
(``assessment``, the reference), its steps on a ledger's plain data (``fast``), and each unit's
judgement as a function of the day, made once and read for any as-of day (``timeline``).

May import: ``gwgk.errors``, ``gwgk.catalogue`` and ``gwgk.entries`` (and chinesecalendar,
dateutil). Pure: no I/O and no clock; "today" is always a parameter.
"""
