"""A synthetic order made a week into a placement that starts in the last week of March falls
after the return's year: Liverpool's demo (seed 41) wrote DOLO_START 03/04/2023 in the 2022-23
return, which ingest now names (date_after_collection_year). Such an order is in the next
return only, as the DfE rules (700-710) keep orders within the collection year."""

from __future__ import annotations

import polars as pl

from sufficiency.synth.dolo import ONE_IN, _chosen, dolo_table

HEADER = pl.DataFrame({"CHILD": ["A"], "DOB": ["01/01/2008"]})


def test_an_order_made_after_the_year_is_left_to_the_next_return() -> None:
    seed = next(s for s in range(ONE_IN * 50) if _chosen(s, "A", "28/03/2023"))
    eps = pl.DataFrame(
        [("A", "28/03/2023", None, "K2")], schema=["CHILD", "DECOM", "DEC", "PLACE"], orient="row"
    )
    assert dolo_table(HEADER, eps, seed, year=2023).height == 0
    assert dolo_table(HEADER, eps, seed, year=2024)["DOLO_START"].to_list() == ["04/04/2023"]
