"""A scenario sweep on a real dask.distributed cluster equals the in-process run."""

from __future__ import annotations

import pytest

from sufficiency.dataset import Dataset
from sufficiency.forecast import run_forecast, sweep_councils
from sufficiency.forecast.scenarios import scenario_from_mapping

SCENARIOS = [
    scenario_from_mapping({"name": "fewer_entries", "entries": [{"multiply": 0.8}]}),
    scenario_from_mapping(
        {
            "name": "step_down",
            "moves": [
                {
                    "from": "external_residential",
                    "to": "in_house_fostering",
                    "number": 4,
                    "start": "2022-04-01",
                    "end": "2023-03-31",
                }
            ],
        }
    ),
]


@pytest.mark.slow
def test_sweep_on_local_cluster_equals_in_process(sample_ds: Dataset) -> None:
    from dask.distributed import LocalCluster

    kwargs = {"horizon_months": 24, "scenarios": SCENARIOS, "simulations": 200, "seed": 7}
    local = run_forecast(sample_ds, **kwargs).to_json()  # type: ignore[arg-type]
    with LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        remote = run_forecast(sample_ds, scheduler=cluster.scheduler_address, **kwargs).to_json()  # type: ignore[arg-type]
        councils = sweep_councils(
            {"a": sample_ds, "b": sample_ds}, scheduler=cluster.scheduler_address, horizon_months=12
        )
    assert list(remote["scenarios"]) == ["baseline", "fewer_entries", "step_down"]
    assert remote == local
    single = run_forecast(sample_ds, horizon_months=12).to_json()
    assert councils == {"a": single, "b": single}
