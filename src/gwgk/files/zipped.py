"""Office files (.docx, .xlsx) made byte-identical for the same content: every zip entry dated the
document's own day (its as-of day) at midnight, in the order written, with the same compression and
attributes, and ``docProps/core.xml``'s created and modified times set to that day. A report as of
a past day is then the same file whenever it is made again."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

CORE = "docProps/core.xml"
_TIMES = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def fixed_zip(data: bytes, day: dt.date) -> bytes:
    """``data`` (a zip) rewritten with every entry dated ``day`` and the core properties' times
    set to ``day`` 00:00:00 UTC."""
    stamp = f"{day.isoformat()}T00:00:00Z".encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == CORE:
                content = _TIMES.sub(lambda m: m[1] + stamp + m[2], content)
            info = zipfile.ZipInfo(item.filename, date_time=(min(max(day.year, 1980), 2107), day.month, day.day, 0, 0, 0))  # the zip format's years
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            info.create_system = 0
            dst.writestr(info, content, compresslevel=6)
    return out.getvalue()
