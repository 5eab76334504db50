"""The one weekly-cost rule (sufficiency.measures.unit_costs) on a hand-made costs register."""

from __future__ import annotations

from typing import Any

import polars as pl

from sufficiency.measures.unit_costs import (
    cost_placements,
    cost_rows,
    costs_by_type,
    priced_as,
    type_costs,
)
from sufficiency.schema import conform_register


def costs_register() -> pl.DataFrame:
    """IFA: type rows in 2023 and 2025. External residential: a type row in 2024 and two
    per-home rows (URN SC1, provider Acme). Supported accommodation: per-home rows only.
    Parent and child: two type rows in 2024 (averaged). Blank urn/provider are type rows."""
    rows: list[tuple[str, Any, Any, str | None, str | None]] = [
        ("ifa", 2023, 900.0, None, None),
        ("ifa", 2025, 1000.0, "", " "),
        ("external_residential", 2024, 5000.0, None, None),
        ("external_residential", 2024, 7000.0, "SC1", None),
        ("external_residential", 2023, 6500.0, "SC1", None),
        ("external_residential", 2024, 6000.0, None, "Acme"),
        ("supported_accommodation", 2024, 1000.0, "SA1", None),
        ("supported_accommodation", 2024, 1400.0, None, "Beta"),
        ("supported_accommodation", 2025, 2000.0, "SA2", None),
        ("parent_and_child", 2024, 3000.0, None, None),
        ("parent_and_child", 2024, 3200.0, None, None),
        ("secure", None, 9000.0, None, None),  # no year: not usable
    ]
    frame = pl.DataFrame(
        rows,
        schema={
            "placement_type": pl.Utf8,
            "year": pl.Int64,
            "weekly_cost": pl.Float64,
            "urn": pl.Utf8,
            "provider": pl.Utf8,
        },
        orient="row",
    )
    return conform_register("costs", frame)  # as the Dataset holds it


def test_year_is_the_latest_at_or_before_else_the_earliest_later() -> None:
    reg = costs_register()
    ifa = {y: costs_by_type(reg, y)["ifa"] for y in (2021, 2023, 2024, 2025, 2030)}
    # only later years exist for 2021: the earliest (2023); 2024 has no row: 2023 still
    assert ifa == {2021: 900.0, 2023: 900.0, 2024: 900.0, 2025: 1000.0, 2030: 1000.0}
    table = type_costs(reg, 2024).filter(pl.col("placement_type") == "ifa")
    assert table.get_column("priced_year").to_list() == [2023]


def test_type_rows_win_and_per_home_rows_price_a_type_without_them() -> None:
    reg = costs_register()
    assert costs_by_type(reg, 2024) == {
        "external_residential": 5000.0,  # its type row; SC1 and Acme are one home's fees
        "ifa": 900.0,
        "parent_and_child": 3100.0,  # two rows for one year are averaged
        "supported_accommodation": 1200.0,  # no type row: mean of SA1 (1000) and Beta (1400)
    }
    # per-home rows choose their year together: 2025 has only SA2; 2023 takes 2024's rows
    assert costs_by_type(reg, 2025)["supported_accommodation"] == 2000.0
    assert costs_by_type(reg, 2023)["supported_accommodation"] == 1200.0
    assert costs_by_type(None, 2024) == {}


def test_raw_text_registers_are_read_the_same() -> None:
    """A register of text cells (the web app's rows, hand-made test frames) gives the same."""
    reg = costs_register()
    text = reg.select(pl.all().cast(pl.Utf8)).with_columns(
        pl.col("placement_type").str.to_uppercase(), pl.col("year").str.replace(r"$", ".0")
    )
    assert costs_by_type(conform_register("costs", text), 2024) == costs_by_type(reg, 2024)
    rows = cost_rows(reg)
    assert rows is not None and rows.height == 11  # the secure row has no year


def test_a_placement_takes_its_urn_then_provider_then_type_cost() -> None:
    placements = pl.DataFrame(
        {
            "placement_type": [
                "external_residential",
                "external_residential",
                "external_residential",
                "external_residential",
                "supported_accommodation",
                "secure",
            ],
            "urn": ["SC1", "SC2", "SC2", None, "SA9", None],
            "provider": [None, "Acme", "Other", None, None, None],
        }
    )
    got = cost_placements(placements, costs_register(), 2024).get_column("weekly_cost")
    assert got.to_list() == [7000.0, 6000.0, 5000.0, 5000.0, 1200.0, None]
    # 2023: SC1's own 2023 fee; Acme has only a later (2024) fee, so that one
    got23 = cost_placements(placements, costs_register(), 2023).get_column("weekly_cost")
    assert got23.to_list()[:2] == [6500.0, 6000.0]


def test_each_year_is_priced_as_the_year_priced_as_gives() -> None:
    reg = costs_register()
    rows = cost_rows(reg)
    assert rows is not None
    placements = pl.DataFrame(
        {
            "placement_type": ["external_residential", "ifa", "supported_accommodation"] * 2,
            "urn": ["SC1", None, "SA2", None, None, "SA1"],
            "provider": [None, None, None, "Acme", None, "Beta"],
        }
    )
    assert [priced_as(rows, y) for y in (2020, 2022, 2023, 2024, 2025, 2031)] == [
        2022, 2022, 2023, 2024, 2025, 2025
    ]  # fmt: skip
    for year in range(2020, 2032):
        alike = cost_placements(placements, reg, priced_as(rows, year))
        assert alike.equals(cost_placements(placements, reg, year)), year
