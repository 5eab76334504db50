"""Disclosure round 9: hidden counts a reader recovered from the outputs themselves (each
checked against the true count): last year's statement forecasting from this year's counts, a
register's young people beside their hidden placement count, carers' occupied places that are
the in-house fostering count, a scenario moving more children than a hidden type has, and the
regional run's children and homes by type."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from disclosure_helpers import load, synth

pytestmark = pytest.mark.slow

YEARS = tuple(range(2022, 2027))


def test_a_statement_for_an_earlier_year_forecasts_from_its_own_31_march(demo_ds: Any) -> None:
    """Made from data holding the next return, the 2025 statement forecast from 31 March 2026
    but hid by 2025's counts: its first month was a type's hidden 2026 count, rounded."""
    from sufficiency.forecast import run_forecast
    from sufficiency.report.sources import baseline_forecast

    earlier, latest = (baseline_forecast(demo_ds, y) for y in (2025, 2026))
    assert not isinstance(earlier, str) and not isinstance(latest, str)
    assert earlier.reference_end == dt.date(2025, 3, 31)
    assert earlier.to_json()["scenarios"]["baseline"]["monthly"][0]["date"] == "2025-04-30"
    assert latest.to_json() == run_forecast(demo_ds).to_json()  # the latest year's unchanged


def test_a_region_forecasts_from_its_own_day(demo_ds: Any) -> None:
    from sufficiency.region.outlook import regional_outlook

    outlook = regional_outlook(
        {"E06000019": demo_ds}, horizon_months=12, as_at=dt.date(2025, 3, 31)
    )
    assert list(outlook.to_json()["need"]["region"]) == ["2026"]


def _scenario(
    path: Path,
    source: str,
    number: int = 8,
    name: str = "step_down",
    to: str = "in_house_fostering",
) -> Path:
    path.write_text(
        f"name: {name}\ndescription: Children step down in April 2026.\nmoves:\n"
        f"  - {{from: {source}, to: {to}, number: {number}, start: 2026-04-01, "
        "end: 2026-04-30}\n"
    )
    return path


@pytest.fixture(scope="module")
def small_council(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A council of 60 children whose supported accommodation (5) and in-house fostering (22,
    a further suppression) the statement hides; its carers register's occupied column blank."""
    folder = synth(tmp_path_factory.mktemp("round9") / "data", 23, 60, YEARS, "E06000017")
    carers = folder / "registers" / "carers.csv"
    lines = carers.read_text().splitlines()
    at = lines[0].split(",").index("occupied")
    carers.write_text(
        "\n".join(
            [
                lines[0],
                *(
                    ",".join(c if i != at else "" for i, c in enumerate(r.split(",")))
                    for r in lines[1:]
                ),
            ]
        )
        + "\n"
    )
    return folder


@pytest.fixture(scope="module")
def published(small_council: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from sufficiency.forecast.scenarios import load_scenarios
    from sufficiency.report.build import build_statement
    from sufficiency.report.output import write_statement

    ds = load(small_council)
    folder = tmp_path_factory.mktemp("plans")
    plans = load_scenarios(
        [
            _scenario(folder / "s.yaml", "supported_accommodation"),
            _scenario(folder / "few.yaml", "supported_accommodation", 2, "two_step_down"),
            _scenario(folder / "shown.yaml", "in_house_fostering", 2, "two_to_ifa", "ifa"),
        ]
    )
    out = tmp_path_factory.mktemp("round9") / "published"
    write_statement(build_statement(ds, 2026, "publish", scenarios=plans), out, pdf=False)  # type: ignore[arg-type]
    return {"doc": json.loads((out / "statement.json").read_text()), "ds": ds}


def compute_results(ds: Any, at: dt.date) -> dict[str, Any]:
    from sufficiency.measures import compute

    return dict(compute(ds, at).values)


def _truth(ds: Any) -> dict[str, Any]:
    from sufficiency.measures import compute

    return {k: v.to_json() for k, v in compute(ds, dt.date(2026, 3, 31)).values.items()}


def test_register_figures_that_are_a_hidden_count_are_hidden_with_it(
    published: dict[str, Any],
) -> None:
    from sufficiency.measures.identities import measure_system

    measures = published["doc"]["measures"]["2026"]["measures"]
    truth = _truth(published["ds"])
    shown = measures["cla_by_placement_type"]
    # the register's young people living there were the hidden 5, printed
    occupied = truth["supply_supported_accommodation"]["occupied"]
    assert occupied == truth["cla_by_placement_type"]["supported_accommodation"] == 5
    assert shown["supported_accommodation"] == "c"
    assert measures["supply_supported_accommodation"]["occupied"] == "c"
    units = truth["supply_supported_accommodation"]["units"]
    assert measures["supply_supported_accommodation"]["units"] == units
    # occupied places blank in the register: the carers' utilisation counts in-house fostering,
    # a figure the protection now knows is that count (shown or hidden with it)
    count = truth["supply_carer_utilisation"]["count"]
    assert count == truth["cla_by_placement_type"]["in_house_fostering"] == 22
    assert measures["supply_carer_utilisation"]["count"] == shown["in_house_fostering"]
    at = dt.date(2026, 3, 31)
    results = compute_results(published["ds"], at)
    labels = {r.label for r in measure_system({at: results}).relations}
    assert (
        f"cla_by_placement_type.in_house_fostering = sum of supply_carer_utilisation.count@{at}"
        in labels
    )


def test_a_scenario_moving_children_of_a_hidden_type_is_withheld(published: dict[str, Any]) -> None:
    """Eight planned moves out of a type with five: the move took all five, and the receiving
    type's (or the total's) scenario less its baseline was the hidden five."""
    from sufficiency.report.protect import SCENARIO_WITHHELD

    scenario = published["doc"]["extras"]["forecast"]["scenarios"]["step_down"]
    assert scenario["withheld"] == SCENARIO_WITHHELD
    first = scenario["monthly"][0]
    assert first["total"]["mean"] == "c"
    assert {v["mean"] for v in first["by_category"].values()} == {"c"}
    assert not scenario.get("warnings")
    baseline = published["doc"]["extras"]["forecast"]["scenarios"]["baseline"]["monthly"][0]
    assert isinstance(baseline["total"]["mean"], float)


def test_a_move_of_fewer_from_a_hidden_type_is_withheld_too(published: dict[str, Any]) -> None:
    """Round 10: withheld only when capped, a pair of scenarios moving k and k+1 told the
    hidden count (k published, k+1 withheld); the decision now reads only what is published."""
    scenarios = published["doc"]["extras"]["forecast"]["scenarios"]
    assert "withheld" in scenarios["two_step_down"]
    shown = scenarios["two_to_ifa"]  # from in-house fostering, which the statement shows
    measures = published["doc"]["measures"]["2026"]["measures"]["cla_by_placement_type"]
    assert measures["in_house_fostering"] == 22 and "withheld" not in shown
    assert isinstance(shown["monthly"][0]["total"]["mean"], float)


def test_what_a_scenario_acts_on_decides_alone() -> None:
    from sufficiency.forecast.scenarios import (
        EntryAdjustment,
        Leaving,
        PlannedMove,
        RateAdjustment,
        Scenario,
    )

    hidden = frozenset({"ifa"})
    day = dt.date(2026, 4, 1)
    acting = [
        Scenario(
            name="a", rates=(RateAdjustment(from_="ifa", add_per_year=1.0, to="NOT_IN_CARE"),)
        ),
        # round 10: an age band's children, published nowhere, by a rate or a capped leaving
        Scenario(
            name="b", rates=(RateAdjustment(age="under_1", add_per_year=5000.0, to="NOT_IN_CARE"),)
        ),
        Scenario(name="c", leaving=(Leaving(per_quarter=90, age="under_1", start=day, end=day),)),
        Scenario(
            name="d",
            moves=(
                PlannedMove(from_="ifa", to="in_house_fostering", number=1, start=day, end=day),
            ),
        ),
    ]
    assert [s.acts_on_counts(hidden) for s in acting] == [True, True, True, True]
    quiet = [
        Scenario(name="e", rates=(RateAdjustment(to="NOT_IN_CARE", multiply=1.4),)),
        Scenario(name="f", entries=(EntryAdjustment(age="under_1", multiply=0.5),)),
        Scenario(
            name="g",
            moves=(
                PlannedMove(from_="in_house_fostering", to="ifa", number=30, start=day, end=day),
            ),
        ),
    ]
    assert [s.acts_on_counts(hidden) for s in quiet] == [False, False, False]


def test_register_occupancy_describes_the_registers_day_only(demo_ds: Any) -> None:
    """Round 10: the 2025 statement printed the supported accommodation register's young
    people, who are those living there now: the 2026 count the 2026 statement hid."""
    from sufficiency.measures import compute

    def figures(year: int) -> dict[str, Any]:
        values = compute(demo_ds, dt.date(year, 3, 31), ["supply_supported_accommodation"]).values
        return values["supply_supported_accommodation"].to_json()  # type: ignore[no-any-return]

    assert figures(2026)["occupied"] == 31
    assert figures(2025)["occupied"] is None and figures(2025)["units"] == 84
