"""Hand-built episodes for the Dataset derivations."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest

from sufficiency.dataset import Dataset
from sufficiency.profile import LAProfile

#: CHILD, DECOM, DEC, RNE, LS, PLACE, PLACE_PROVIDER, REC, REASON_PLACE_CHANGE, PL_POST
Row = tuple[str, str, str | None, str, str, str, str, str | None, str | None, str | None]
COLUMNS = [
    "CHILD", "DECOM", "DEC", "RNE", "LS", "PLACE", "PLACE_PROVIDER", "REC",
    "REASON_PLACE_CHANGE", "PL_POST",
]  # fmt: skip

PROFILE = LAProfile(name="Test council", code="E06000019", neighbours=("E06000051",))


def build(rows: list[Row]) -> Dataset:
    episodes = pl.DataFrame(
        [list(r) for r in rows], schema=dict.fromkeys(COLUMNS, pl.String), orient="row"
    ).with_columns(pl.lit("HR1 2HX").alias("HOME_POST"), pl.lit(2021).alias("return_year"))
    children = pl.DataFrame({"CHILD": sorted({r[0] for r in rows})}).with_columns(
        pl.lit("M").alias("SEX"), pl.lit("2010-05-01").alias("DOB")
    )
    return Dataset.from_frames(PROFILE, children=children, episodes=episodes)


@pytest.fixture
def dataset_of() -> Callable[[list[Row]], Dataset]:
    return build
