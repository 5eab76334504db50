"""The dashboard with too few returns loaded (one truth per number, round 2): the CLI and the
statement named the figures that read further back than the first return, while the dashboard
showed long-term stability 68.3% against 65.5% with the full history, and 63 children in care
five years or more against 146, without a word. Each such figure is named on the page and in
its workbook."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.slow


def test_figures_reading_before_the_first_return_are_named(
    db: None, demo_dir: Path, tmp_path: Path, client_for: Callable[[str], Client]
) -> None:
    from openpyxl import load_workbook

    from sufficiency.web.bridge import import_data_folder

    folder = Path(shutil.copytree(demo_dir, tmp_path / "two-returns"))
    for year in ("2022", "2023", "2024"):
        shutil.rmtree(folder / "ssda903" / year)
    assert all(r.ok for r in import_data_folder(folder))
    client = client_for("analyst")
    page = client.get("/", {"theme": "stability", "year": "2026"}).content.decode()
    assert 'data-history="stability_long_term"' in page
    assert "Too few returns loaded: this figure reads back to 01/10/2023" in page
    assert 'data-history="stability_three_plus"' not in page  # its year only
    book = client.get("/dashboard/download/xlsx/", {"theme": "stability", "year": "2026"})
    sheet = load_workbook(io.BytesIO(book.content))["Definitions"]
    rows = {r[0]: r[4] for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]}
    assert rows["stability_long_term"].startswith("reads back to 01/10/2023")
    assert not rows["stability_three_plus"]
