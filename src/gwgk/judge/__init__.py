"""Judging: dates as typed and the plan's periods (``dates``), Chinese working days
(``workdays``), the instances a unit owes (``schedule``) and the state of each as of a date
(``assessment``).

May import: ``gwgk.errors``, ``gwgk.catalogue`` and ``gwgk.entries`` (and chinesecalendar,
dateutil). Pure: no I/O and no clock; "today" is always a parameter.
"""
