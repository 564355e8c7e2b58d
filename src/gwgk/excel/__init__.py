"""Excel/WPS workbooks: building a unit's 台账 workbook to send out (``export``) and reading the
filled workbooks that come back (``reader``). The only package that imports openpyxl.

May import: every layer below ``commands``.
"""
