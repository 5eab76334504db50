"""An OC3 exported with its DOB blank, unreadable or left out: the care leavers' ages come
from the returns' headers, which hold every child of the return (every care-leaver figure read
as none, without a word)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from sufficiency.ingest import load_data
from sufficiency.measures import compute

AT = dt.date(2026, 3, 31)
FIGURES = (
    "care_leavers_by_age",
    "care_leavers_in_touch",
    "care_leavers_eet",
    "care_leavers_suitable_accommodation",
)


def _dob(folder: Path, value: str | None) -> None:
    """Every OC3 DOB of the 2026 return as ``value`` (None: no DOB column)."""
    oc3 = folder / "ssda903" / "2026" / "oc3.csv"
    lines = oc3.read_text().splitlines()
    assert lines[0] == "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM"
    rows = [line.split(",") for line in lines]
    if value is None:
        out = [[r[0], *r[2:]] for r in rows]
    else:
        out = [rows[0], *([r[0], value, *r[2:]] for r in rows[1:])]
    oc3.write_text("\n".join(",".join(r) for r in out) + "\n")


def _figures(folder: Path) -> dict[str, object]:
    result = load_data(folder)
    assert result.dataset is not None
    values = compute(result.dataset, AT, list(FIGURES)).values
    return {m: values[m].to_json() for m in FIGURES}


@pytest.mark.parametrize("value", ["", "23-12-2006", None], ids=["blank", "unread", "no-column"])
@pytest.mark.parametrize("returns", [(2022, 2023, 2024, 2025, 2026), (2026,)], ids=["all", "one"])
def test_the_care_leavers_ages_come_from_the_header(
    demo_dir: Path, tmp_path: Path, value: str | None, returns: tuple[int, ...]
) -> None:
    data = tmp_path / "D"
    shutil.copytree(demo_dir, data)
    for year in {2022, 2023, 2024, 2025} - set(returns):
        shutil.rmtree(data / "ssda903" / str(year))
    before = _figures(data)
    assert before["care_leavers_in_touch"] == {"count": 53, "denominator": 57, "pct": 93.0}
    _dob(data, value)
    assert _figures(data) == before
