"""A chart by year draws a comparator only in its own year. The stability chart drew the
DfE's 2024-25 England, region and neighbours figures again at 2025-26 (the DfE has published
nothing for it yet), labelled 2025-26, while the rate chart beside it said "not shown"."""

from __future__ import annotations

from pathlib import Path

from sufficiency.ingest import load_data
from sufficiency.published import published_years
from sufficiency.report.build import build_statement


def test_the_stability_chart_draws_no_comparator_in_a_year_not_yet_published(
    demo_dir: Path,
) -> None:
    ds = load_data(demo_dir).dataset
    assert ds is not None
    data = build_statement(ds, 2026, "internal")
    chart = next(c for s in data.sections for c in s.charts() if c.id == "stability_chart")
    assert chart.categories[-1] == "2025-26" and 2026 not in published_years("stability_three_plus")
    others = [s for s in chart.series if s.name != "This council"]
    assert others and all(s.values[-1] is None for s in others)
    assert all(s.values[-2] is not None for s in others)  # 2024-25's are drawn
