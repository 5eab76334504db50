"""How large a workbook is once unzipped: an XLSX is a zip archive, and one of a few megabytes
can hold gigabytes of sheet (a zip bomb: 5.9 MB held 1.5 GB, and reading it kept a web worker
busy for minutes at 4 GB). The archive's directory says each member's size without inflating
anything, so a workbook is refused before it is read."""

from __future__ import annotations

import io
import math
import zipfile

#: The most a workbook may hold unzipped. A return or register of the largest council (tens of
#: thousands of rows) is a few tens of megabytes of sheet; Excel's own row limit is about 120 MB.
XLSX_MAX_UNZIPPED = 256 * 1024 * 1024


def too_large(data: bytes) -> str | None:
    """Why a workbook is refused for its unzipped size, or None (also for a file that is not a
    zip archive: the reader names that)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            size = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if size <= XLSX_MAX_UNZIPPED:
        return None
    return (
        f"the workbook holds {math.ceil(size / 1024 / 1024):,} MB once unzipped, more than the "
        f"{XLSX_MAX_UNZIPPED // 1024 // 1024} MB a return or register can be: save the table "
        "as CSV, or check the file is the one meant"
    )
