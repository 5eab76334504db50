"""Downloads the web app sends: one attachment builder, and CSV with every cell formula-safe."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from sufficiency.cells import safe_row


def attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    """``content`` sent as a file named ``filename`` (the browser saves it, never shows it)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(
    filename: str, header: Sequence[object], rows: Iterable[Iterable[object]]
) -> HttpResponse:
    """A CSV attachment whose cells cannot run as spreadsheet formulas (see sufficiency.cells)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(safe_row(header))
    writer.writerows(safe_row(row) for row in rows)
    return attachment(buf.getvalue(), "text/csv; charset=utf-8", filename)
