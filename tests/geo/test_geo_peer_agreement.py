"""Our distances and placement LAs equal the DfE validator's (csc-validator-be-903, own venv)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import polars as pl
import pytest

from sufficiency import geo

REPO = Path(__file__).resolve().parents[2]
PEER_PYTHON = REPO / ".peer-venvs" / "val903" / "bin" / "python"

PEER_SCRIPT = """
import json, sys
import pandas as pd
from lac_validator.datastore import _add_postcode_derived_fields
eps = pd.read_csv(sys.argv[1], dtype=str)
out = _add_postcode_derived_fields(eps, sys.argv[2])
print(json.dumps({
    "PL_LA": [None if pd.isna(v) else str(v) for v in out["PL_LA"]],
    "PL_LOCATION": [None if pd.isna(v) else str(v) for v in out["PL_LOCATION"]],
    "PL_DISTANCE": [None if pd.isna(v) else float(v) for v in out["PL_DISTANCE"]],
}))
"""


@pytest.mark.peer
@pytest.mark.slow
def test_distances_and_placement_la_agree_with_the_dfe_validator(tmp_path: Path) -> None:
    assert PEER_PYTHON.exists(), "run `make peers` to create .peer-venvs/val903"
    homes = geo.postcodes_in_la("E06000019", limit=60).get_column("postcode").to_list()
    # a few postcode areas only: the validator loads one pandas frame per first letter (slow)
    away = geo.postcodes_outside(["E06000019"], england_only=True)
    away = away.filter(pl.col("postcode").str.head(1).is_in(["H", "W", "Y"]))[::997].head(140)
    places = homes[:20] + away.get_column("postcode").to_list()
    frame = pl.DataFrame({"HOME_POST": [homes[i % 60] for i in range(160)], "PL_POST": places})
    path = tmp_path / "episodes.csv"
    frame.write_csv(path)
    done = subprocess.run(
        [str(PEER_PYTHON), "-c", PEER_SCRIPT, str(path), "E06000019"],
        capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    peer = pl.DataFrame(json.loads(done.stdout.strip().splitlines()[-1]))
    ours = geo.enrich_locations(frame, "E06000019", [])
    both = pl.concat([ours, peer], how="horizontal")
    assert both.height == 160
    # every distance the validator computes, we compute identically
    assert both.filter(pl.col("PL_DISTANCE").is_not_null()).height == 160
    assert both.get_column("distance_miles").to_list() == both.get_column("PL_DISTANCE").to_list()
    # where the validator knows the upper tier (2021 codes) it is ours; where it does not
    # (councils created since 2021), we still know it
    known = both.filter(pl.col("PL_LA").is_not_null())
    assert known.get_column("pl_la").to_list() == known.get_column("PL_LA").to_list()
    assert both.get_column("pl_la").null_count() == 0
    inside = both.get_column("location_band") == "inside"
    assert inside.to_list() == (both.get_column("PL_LOCATION") == "IN").to_list()
    assert inside.sum() == 20
