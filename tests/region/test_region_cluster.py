"""The regional forecast on a dask.distributed cluster (issue 21): the same numbers as in this
process, councils sent a few at a time (``forecast.api.each_council``), and each council's need
the means of its full forecast although its bands are not worked out."""

from __future__ import annotations

from typing import Any

import pytest

from sufficiency.forecast.scenarios import EntryAdjustment, Scenario

Region = Any  # the conftest's Region
SWEEP = [Scenario(name="entries_up_10", entries=(EntryAdjustment(multiply=1.1),))]


@pytest.fixture(scope="module")
def councils(region: Region) -> Any:
    from sufficiency.region.config import load_region
    from sufficiency.region.load import load_members

    return load_members(load_region(region.toml)).councils


def test_regional_outlook_on_a_dask_cluster_is_the_same(councils: Any) -> None:
    from dask.distributed import LocalCluster

    from sufficiency.forecast.api import IN_FLIGHT_PER_THREAD
    from sufficiency.region.outlook import regional_outlook

    # one worker thread holds fewer tasks than there are councils: the rest follow as it frees
    assert len(councils) > IN_FLIGHT_PER_THREAD
    local = regional_outlook(councils, horizon_months=12, scenarios=SWEEP)
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        remote = regional_outlook(
            councils, horizon_months=12, scenarios=SWEEP, scheduler=cluster.scheduler_address
        )
    assert list(remote.needs) == list(councils)
    assert remote.to_json() == local.to_json()


def test_each_councils_need_is_the_mean_of_its_full_forecast(councils: Any) -> None:
    from sufficiency.forecast import run_forecast
    from sufficiency.region.outlook import need_from_forecast, regional_outlook, summed

    outlook = regional_outlook(councils, horizon_months=12, scenarios=SWEEP)
    full = {
        code: run_forecast(ds, horizon_months=12, scenarios=SWEEP).to_json()
        for code, ds in councils.items()
    }
    assert outlook.needs == {code: need_from_forecast(doc) for code, doc in full.items()}
    assert outlook.scenarios["entries_up_10"] == summed(
        [need_from_forecast(doc, "entries_up_10") for doc in full.values()]
    )
