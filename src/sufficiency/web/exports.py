"""CSV downloads the web app writes: one response builder, every cell formula-safe."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from sufficiency.cells import safe_row


def csv_response(
    filename: str, header: Sequence[object], rows: Iterable[Iterable[object]]
) -> HttpResponse:
    """A CSV attachment whose cells cannot run as spreadsheet formulas (see sufficiency.cells)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(safe_row(header))
    writer.writerows(safe_row(row) for row in rows)
    response = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
