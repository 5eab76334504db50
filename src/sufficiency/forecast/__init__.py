"""Forecast demand and cost: transition model, projection, simulation, scenarios, backtest.

Library API (what the gap, the statement and the web app call)::

    from sufficiency.forecast import run_forecast, load_scenarios

    result = run_forecast(
        ds,                              # a Dataset
        config="default",                # or "standard-v1" (cs-demand-model parity) or a YAML path
        reference_start=None,            # default: the config's reference_months before the end
        reference_end=None,              # default: 31 March of the latest return (standard-v1:
                                         #   the last DECOM/DEC, as the peer)
        horizon_months=36,               # calendar months from the reference end
        scenarios=load_scenarios(Path("plan.yaml")),  # `baseline` is always added
        simulations=0,                   # >0: Monte Carlo bands (with rate uncertainty)
        seed=0, inflation=0.0,           # annual cost inflation beyond the costs register
        scheduler=None,                  # dask.distributed address to project scenarios there
    )
    result.to_json()                     # the `forecast --json` document (DESIGN.md)
    result.need_by_year("baseline")      # {2025: {"ifa": 41.2, ...}, ...} children at 31 March
    result.scenarios["baseline"].costs   # {"currency", "inflation", "by_year": [{year, total,
                                         #   by_type, days_covered, partial}]}
    result.scenarios["baseline"].targets # targets register rows with reached_date/_year, ...

``to_json()`` = ``{"config", "reference": {"start", "end"}, "horizon_months", "simulations",
"categories", "scenarios": {NAME: {"horizon_end", "at_horizon": {"total": BAND, "by_category":
{CATEGORY: BAND}}, "monthly": [{"date", "total", "by_category"}], "yearly": [... "year"],
"method", "costs", "targets", "trajectory": [{"date", "cla_count", "rate_per_10k"}],
"warnings", "streams": {"uasc", "dolo"}, "short_breaks"}}, "warnings"}`` with BAND = ``{"mean", "p2_5", "p10", "p25", "p75", "p90",
"p97_5"}``. ``mean`` is the model's expectation; the quantiles come from the analytic variance
(multinomial + Poisson process variance plus the spread of 64 Gamma draws of the rates, normal
approximation; planned moves included), or from the simulations when ``simulations > 0``.

``streams`` projects unaccompanied children and deprivation-of-liberty orders under the
scenario's ``uasc`` / ``dolo`` assumptions; ``short_breaks`` sets short-break nights needed
against nights available by type (``forecast.streams``). A scenario's ``diversions`` and
``leaving`` (children a quarter kept from care or leaving it) are the drivers of a trajectory.

``run_backtest(ds, config, cutoff=None, horizon_months=12)`` fits up to a past date and scores
monthly predictions against what happened (MAE, MAPE, 80%/95% coverage per category).
``sweep_councils({name: ds}, scheduler=...)`` forecasts many councils on a dask cluster.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names as mypy sees them (``name as name``: exported)
    from sufficiency.forecast.api import ForecastResult as ForecastResult
    from sufficiency.forecast.api import ScenarioResult as ScenarioResult
    from sufficiency.forecast.api import fit_model as fit_model
    from sufficiency.forecast.api import run_backtest as run_backtest
    from sufficiency.forecast.api import run_forecast as run_forecast
    from sufficiency.forecast.api import sweep_councils as sweep_councils
    from sufficiency.forecast.config import ConfigError as ConfigError
    from sufficiency.forecast.config import ModelConfig as ModelConfig
    from sufficiency.forecast.config import load_model_config as load_model_config
    from sufficiency.forecast.scenarios import Scenario as Scenario
    from sufficiency.forecast.scenarios import ScenarioError as ScenarioError
    from sufficiency.forecast.scenarios import load_scenarios as load_scenarios

#: Where each name of the API lives. They are imported on first use, so that a module of the
#: package (``forecast.config``) imports without the model, numpy and the measures: the CLI reads
#: the config, then imports the model while its DATA loads.
_HOMES = {
    "ConfigError": "config",
    "ForecastResult": "api",
    "ModelConfig": "config",
    "Scenario": "scenarios",
    "ScenarioError": "scenarios",
    "ScenarioResult": "api",
    "fit_model": "api",
    "load_model_config": "config",
    "load_scenarios": "scenarios",
    "run_backtest": "api",
    "run_forecast": "api",
    "sweep_councils": "api",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    """An API name, imported from its module on first use (see ``_HOMES``)."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
    globals()[name] = value
    return value
