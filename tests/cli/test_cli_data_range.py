"""Dates, years and rates the data cannot answer are refused, not answered with made-up numbers:
before 2026-11 `measures --at 1999-03-31` printed zeros, a forecast fitted on a reference period
after the data projected from nothing, `gap --years 1900` extrapolated the trend back to 1900,
`--inflation nan` printed NaN (not JSON) and an unreachable `--scheduler` gave a traceback."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import dask
import pytest
from typer.testing import CliRunner

from sufficiency.cli import app
from sufficiency.forecast.api import _client
from sufficiency.forecast_limits import horizon_problem, inflation_problem
from sufficiency.ingest import load_data

runner = CliRunner()


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic council of three returns."""
    from sufficiency.synth import generate, write_data_folder

    out = tmp_path_factory.mktemp("range") / "council"
    write_data_folder(generate(seed=11, children=80, years=[2024, 2025, 2026]), out)
    return out


def _years(council: Path) -> tuple[int, int]:
    years = sorted(int(p.name) for p in (council / "ssda903").iterdir())
    return years[0], years[-1]


def _refused(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return " ".join(result.output.split())


def test_the_dataset_says_which_days_its_returns_cover(council: Path) -> None:
    first, last = _years(council)
    ds = load_data(council).dataset
    assert ds is not None
    assert (ds.first_date, ds.last_date) == (dt.date(first - 1, 3, 31), dt.date(last, 3, 31))
    assert ds.outside(ds.first_date, ds.last_date) is None
    assert ds.outside(dt.date(first - 1, 3, 30), ds.last_date) == (
        f"the returns loaded cover 31/03/{first - 1} to 31/03/{last}, so 30/03/{first - 1} to "
        f"31/03/{last} cannot be told from them"
    )
    assert ds.outside(ds.first_date, dt.date(last, 4, 1)) is not None


def test_measures_at_a_date_outside_the_returns_is_refused(council: Path) -> None:
    first, last = _years(council)
    for at in (f"{first - 1}-03-31", "1999-03-31", f"{last}-04-01", "2099-03-31"):
        text = _refused(["measures", str(council), "--at", at, "--json"])
        assert text.startswith(f"error: --at {at}: the measures count the year ending that day")
        assert f"the returns loaded cover 31/03/{first - 1} to 31/03/{last}" in text
    shown = runner.invoke(app, ["measures", str(council), "--at", f"{first}-03-31", "--json"])
    assert shown.exit_code == 0, shown.output  # the first return's own year is whole


def test_a_forecast_reference_period_outside_the_returns_is_refused(council: Path) -> None:
    _, last = _years(council)
    text = _refused(["forecast", str(council), "--reference-end", f"{last + 4}-01-01", "--json"])
    assert text.startswith(f"error: reference period {last + 3}-01-01 to {last + 4}-01-01: the ")
    text = _refused(["forecast", str(council), "--reference-start", "1990-01-01", "--json"])
    assert text.startswith(f"error: reference period 1990-01-01 to {last}-03-31: the returns")
    text = _refused(["forecast", str(council), "--backtest", "--reference-end", "2019-01-01"])
    assert text.startswith("error: backtest reference period 2018-01-01 to 2019-01-01: the ")


@pytest.mark.parametrize("value", ["nan", "inf", "-5", "3"])
def test_an_inflation_that_is_not_an_annual_fraction_is_refused(council: Path, value: str) -> None:
    text = _refused(["forecast", str(council), "--inflation", value, "--json"])
    assert text == (
        f"error: inflation {float(value):g}: expected an annual rate as a fraction from -0.5 "
        "to 0.5, e.g. 0.03 for 3%"
    )


def test_the_limits_of_a_forecast() -> None:
    assert inflation_problem(0.03) is None and inflation_problem(-0.5) is None
    assert inflation_problem(math.nan) == (
        "inflation nan: expected an annual rate as a fraction from -0.5 to 0.5, e.g. 0.03 for 3%"
    )
    assert inflation_problem(0.51) is not None and inflation_problem(-0.51) is not None
    assert horizon_problem(240) is None and horizon_problem(1) is None
    assert horizon_problem(241) == "horizon of 241 months: expected 1 to 240 (20 years)"
    assert horizon_problem(0) == "horizon of 0 months: expected 1 to 240 (20 years)"


def test_gap_years_outside_what_the_data_and_forecast_reach_are_refused(council: Path) -> None:
    first, last = _years(council)
    for years in ("1900", f"{first - 1}-{first + 1}", f"{last + 1}-{last + 21}"):
        text = _refused(["gap", str(council), "--years", years, "--json"])
        assert text == (
            f"error: --years {years}: expected years from {first} (the first return loaded) to "
            f"{last + 20} (the forecast reaches 20 years past the latest return)"
        )


def test_a_scheduler_that_cannot_be_reached_is_named() -> None:
    # distributed's defaults join dask's config now, not inside the set below: its exit would
    # take them away again from every later test in this process (KeyError 'distributed')
    import distributed  # noqa: F401

    with (
        dask.config.set({"distributed.comm.timeouts.connect": "0.5s"}),
        pytest.raises(
            ValueError, match=r"^cannot reach the dask scheduler at tcp://127\.0\.0\.1:9:"
        ),
    ):
        _client("tcp://127.0.0.1:9")
