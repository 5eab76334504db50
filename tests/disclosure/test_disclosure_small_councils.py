"""Small councils (40 to 120 children), where a third attack round recovered counts the
statement hid: the two age-band tables (10-15 = 10-12 + 13-15), the children placed from a
referral by kind asked for and made against those placed, a reunification plan's outcomes
against its children still looked after, a demand stream's start against last year's count,
and the council's own providers' nights against its in-house fostering's. The independent
attacker knows each of those definitions; it recovers nothing from these statements."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from attacker import recover, statement_knowledge
from disclosure_helpers import insider, load, synth, write

pytestmark = pytest.mark.slow

#: (seed, children, council, statement year): each leaked, or was refused, before.
COUNCILS = [
    (1, 60, "E06000019", 2026),  # the age bands; placed from a referral; in-house nights
    (12, 40, "E09000001", 2026),  # reunification outcomes
    (21, 40, "E06000019", 2025),  # the age bands, in every year
    (23, 120, "E08000025", 2025),  # UASC at the start of the year
    (1, 7, "E09000001", 2026),  # refused once; publishes withholding what nothing protects
    (1, 25, "E06000053", 2026),  # 5 placed outside, given by its 2025 statement's 22 of 27
]


def _drawing_without_figures(chart: Any) -> str:
    return f'<svg role="img"><title>{html.escape(chart.alt)}</title></svg>'


@pytest.mark.parametrize(
    ("seed", "children", "la", "year"), COUNCILS, ids=[f"seed{c[0]}-{c[1]}" for c in COUNCILS]
)
def test_nothing_is_recovered_from_a_small_council(
    seed: int, children: int, la: str, year: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sufficiency.report.charts.render_svg", _drawing_without_figures)
    ds = load(synth(tmp_path / "data", seed, children, tuple(range(2022, 2027)), la))
    folder = write(ds, year, "publish", tmp_path / "published")
    truth, _ = insider(ds, year)
    found = recover(statement_knowledge(folder), truth)
    assert not found, "\n".join(str(f) for f in found)
