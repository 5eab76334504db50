"""A scoring config's numbers are finite and in range: a weight of .nan scored every vacancy NaN
(and printed NaN, not JSON), 1e308 overflowed, a share of 2 gave more than full points, and full
points beyond the distance of none turned the distance curve upside down; each is now refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from sufficiency.matching.config import load_config


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("weights: {distance_home: .nan}", "weights.distance_home: Input should be a finite number"),
        ("weights: {distance_home: 1e308}", "weights.distance_home: Input should be less than or "
         "equal to 1000"),
        ("weights: {distance_home: -1}", "weights.distance_home: Input should be greater than or "
         "equal to 0"),
        ("over_budget_zero: .inf", "over_budget_zero: Input should be a finite number"),
        ("location_points: {inside: 2}", "location_points.inside: Input should be less than or "
         "equal to 1"),
        ("distance_full_miles: 60", "scoring config: Value error, distance_full_miles (60) must be "
         "less than distance_zero_miles (50): points fall from full to none between them"),
    ],
)  # fmt: skip
def test_a_scoring_config_number_out_of_range_is_refused(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "weights.yaml"
    path.write_text(text + "\n")
    with pytest.raises(ValueError) as caught:
        load_config(path)
    assert str(caught.value) == f"{path}: {message}"


def test_a_scoring_config_in_range_is_read(tmp_path: Path) -> None:
    path = tmp_path / "weights.yaml"
    path.write_text("weights: {distance_home: 1000}\ndistance_full_miles: 49\n")
    config = load_config(path)
    assert config.weight("distance_home") == 1000 and config.distance_full_miles == 49
