"""A model config's numbers are finite and in range: ``year_in_days: 0`` stopped the forecast
with a ZeroDivisionError traceback and ``.nan`` printed NaN (not JSON); an age bracket that ends
where it starts, or at no finite age, is refused by field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sufficiency.forecast.config import CONFIG_DIR, ConfigError, load_model_config


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"year_in_days": 0}, "year_in_days: Input should be greater than or equal to 360"),
        ({"year_in_days": float("nan")}, "year_in_days: Input should be a finite number"),
        ({"bracket": {"name": "under_1", "min": 0, "max": 0}},
         "age_brackets.0: Value error, age bracket under_1: max 0 must exceed min 0"),
        ({"bracket": {"name": "under_1", "min": float("-inf"), "max": 1}},
         "age_brackets.0.min: Input should be a finite number"),
        ({"bracket": {"name": "under_1", "min": 0, "max": 1, "length_in_days": 0}},
         "age_brackets.0.length_in_days: Input should be greater than 0"),
    ],
)  # fmt: skip
def test_a_model_config_number_out_of_range_is_refused(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    raw = yaml.safe_load((CONFIG_DIR / "default.yaml").read_text())
    bracket = change.pop("bracket", None)
    if bracket is not None:
        brackets = raw["age_brackets"]
        first = next(iter(brackets)) if isinstance(brackets, dict) else 0
        if isinstance(brackets, dict):
            brackets[first] = {k: v for k, v in bracket.items() if k != "name"}  # type: ignore[union-attr]
        else:
            brackets[0] = bracket
    raw.update(change)
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    with pytest.raises(ConfigError) as caught:
        load_model_config(str(path))
    assert str(caught.value) == f"{path}: {message}"


def test_the_shipped_configs_are_within_the_limits() -> None:
    for name in ("default", "standard-v1"):
        assert 360 <= load_model_config(name).year_in_days <= 370
