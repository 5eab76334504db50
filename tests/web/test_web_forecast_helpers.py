"""The forecast page's helpers only call the library: a scenario is checked by the scenario and
gap models (nothing is fitted), recorded counts are the ``cla_count`` measure, target text is
the forecast's own verdict."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from django.test import Client

from sufficiency.dataset import Dataset
from sufficiency.profile import LAProfile


def test_a_scenario_is_checked_without_fitting_a_forecast(monkeypatch: pytest.MonkeyPatch) -> None:
    from sufficiency.forecast import api
    from sufficiency.web.dashboard import forecast_views

    def no_fit(*args: object, **kwargs: object) -> None:
        raise AssertionError("a scenario form must not fit a model")

    monkeypatch.setattr(api, "fit_model", no_fit)
    monkeypatch.setattr(api, "fit", no_fit)
    check = forecast_views.scenario_error
    assert check("ok", "entries:\n  - {category: external_residential, multiply: 0.5}\n") == ""
    assert "unknown category 'residental'" in check(
        "typo", "entries:\n  - {category: residental, multiply: 0.5}\n"
    )
    assert check("bad", "capacity:\n  - {year: 2026, type: castle, places: 2}\n") == (
        "scenario: capacity.0.type: Value error, unknown placement type 'castle'"
    )
    assert "not valid YAML" in check("broken", "entries: [")


def test_recorded_counts_are_the_cla_count_measure() -> None:
    from sufficiency.web.dashboard.forecast_views import recorded_counts

    episodes = [
        {"CHILD": "A", "DECOM": "2022-06-01", "RNE": "S", "LS": "C2", "CIN": "N1",
         "PLACE": "U4", "PLACE_PROVIDER": "PR1", "DEC": None, "return_year": 2024},
        {"CHILD": "B", "DECOM": "2022-10-01", "RNE": "S", "LS": "C2", "CIN": "N1",
         "PLACE": "U4", "PLACE_PROVIDER": "PR1", "DEC": "2024-03-31", "REC": "E13",
         "return_year": 2024},
        {"CHILD": "C", "DECOM": "2023-07-01", "RNE": "S", "LS": "V3", "CIN": "N1",
         "PLACE": "U4", "PLACE_PROVIDER": "PR1", "DEC": None, "return_year": 2024},
    ]  # fmt: skip

    ds = Dataset.from_frames(
        LAProfile(name="Test", code="E06000019"),
        children=pl.DataFrame(
            [{"CHILD": c, "SEX": "1", "DOB": "2012-01-01", "ETHNIC": "WBRI"} for c in "ABC"]
        ),
        episodes=pl.DataFrame(episodes),
        returns=(2023, 2024),
    )
    # A in care both years; B left on 31 March 2024 (so not counted then); C is a short break
    assert recorded_counts(ds) == [("2023-03-31", 2), ("2024-03-31", 1)]


def test_target_text_says_why_a_target_cannot_be_judged() -> None:
    from sufficiency.web.dashboard.forecast_views import _target_text

    base = {"measure_id": "cla_count", "target_date": "2027-03-31", "direction": "down"}
    assert _target_text({**base, "met_by_target_date": True}) == "cla_count: met by 2027-03-31"
    assert _target_text({**base, "met_by_target_date": False}) == (
        "cla_count: not met by 2027-03-31"
    )
    assert _target_text({**base, "met_by_target_date": None}) == (
        "cla_count: not forecast to 2027-03-31"
    )
    assert _target_text({**base, "direction": None, "met_by_target_date": None}) == (
        "cla_count: direction needed (add up or down in registers/targets)"
    )


@pytest.mark.slow
def test_the_dashboard_change_is_the_librarys_change_on_the_year_before(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    from sufficiency.ingest import load_data
    from sufficiency.measures import compute, results_json
    from sufficiency.measures.change import change

    ds = load_data(loaded).dataset
    assert ds is not None
    years = sorted(ds.returns)[-2:]
    value = {
        y: results_json(compute(ds, dt.date(y, 3, 31), ids=["stability_three_plus"]))["measures"][
            "stability_three_plus"
        ]["pct"]
        for y in years
    }
    delta = change(value[years[0]], value[years[1]])
    assert isinstance(delta, float)  # percentage points of a share, one decimal
    body = client_for("analyst").get("/", {"year": str(years[1])}).content.decode()
    card = body.split('id="headline-stability_three_plus"')[1].split("</div>")[0]
    sign = "+" if delta > 0 else ""
    assert f'app-card__change">{sign}{delta:,.1f} pp on {years[0]}<' in card  # points of a share


def test_the_forecast_page_prints_a_range_as_the_statement_does() -> None:
    """486 (80% range 439 to 534) on the page against 486.4 (likely range 438.9 to 533.9) in the
    statement, from one forecast (one truth per number, round 2)."""
    from sufficiency.web.dashboard.forecast_views import _band_text

    band = {"p10": 438.94, "p90": 533.91}
    assert _band_text(band, "p10", "p90") == "438.9 to 533.9"
