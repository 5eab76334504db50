"""Regional mode (issue 21): a region of 15 councils on one machine, and a national run of 153
councils on a local dask.distributed cluster with the same code (``forecast.sweep_councils``).

Councils are one synthetic council (``synth``) shared under different ONS codes, so the run
measures the regional code, not the generator. The national run uses small councils (about
600 episodes each; 153 x that is ~90k episodes, not the ~1M of England) to stay bounded in
``make bench``; quick mode runs 5 and 20 councils. No peer tool does regional analysis.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

AT = dt.date(2025, 3, 31)


def _councils(n: int, children: int) -> dict[str, Any]:
    import tempfile
    from pathlib import Path

    from sufficiency.ingest import load_data
    from sufficiency.published.areas import all_las
    from sufficiency.region.load import shared_view
    from sufficiency.synth import generate, write_data_folder

    council = generate(seed=7, children=children, years=[2024, 2025])

    with tempfile.TemporaryDirectory() as tmp:
        write_data_folder(council, Path(tmp) / "c")
        ds = load_data(Path(tmp) / "c").dataset
    assert ds is not None
    base = shared_view(ds, b"bench")
    codes = [ds.profile.code, *(la.code for la in all_las() if la.code != ds.profile.code)]
    out = {}
    for code in codes[:n]:
        profile = base.profile.model_copy(update={"code": code, "name": f"Council {code}"})
        fields = {k: getattr(base, k) for k in base.__dataclass_fields__}
        fields["profile"] = profile
        out[code] = type(base)(**fields)
    return out


def _region_run(councils: dict[str, Any], scheduler: str | None, suppress: bool) -> float:
    from sufficiency.region.needs import HEADLINE, regional_measures
    from sufficiency.region.outlook import regional_outlook

    started = time.perf_counter()
    regional_measures(councils, AT, list(HEADLINE), suppress=suppress)
    regional_outlook(councils, horizon_months=24, scheduler=scheduler)
    return time.perf_counter() - started


def run(quick: bool) -> list[dict[str, Any]]:
    from dask.distributed import LocalCluster

    region_n, national_n = (5, 20) if quick else (15, 153)
    rows: list[dict[str, Any]] = []
    councils = _councils(national_n, children=150)
    region = dict(list(councils.items())[:region_n])
    episodes = sum(ds.episodes.height for ds in councils.values())
    seconds = _region_run(region, None, suppress=False)
    rows.append(
        {
            "name": f"region of {region_n} councils (in process)",
            "metric": "time",
            "value": round(seconds, 2),
            "unit": "s",
        }
    )
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster:
        seconds = _region_run(councils, cluster.scheduler_address, suppress=False)
    rows.append(
        {
            "name": f"national: {national_n} councils, {episodes:,} episodes (local dask cluster, "
            "2 workers; measures unprotected)",
            "metric": "time",
            "value": round(seconds, 2),
            "unit": "s",
        }
    )
    return rows
