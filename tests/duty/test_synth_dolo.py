"""The synthetic deprivation-of-liberty orders table (issue 19): orders on children's-home
placements (K2), made a week in, ended with the placement, the same order in every return."""

from __future__ import annotations

import polars as pl

from sufficiency.synth.dolo import ONE_IN, _chosen, dolo_table

HEADER = pl.DataFrame({"CHILD": ["A", "B", "C"], "DOB": ["01/01/2008", "01/01/2009", "01/01/2010"]})


def _episodes(rows: list[tuple[str, str, str | None, str]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["CHILD", "DECOM", "DEC", "PLACE"], orient="row")


def _seed_choosing(child: str, decom: str) -> int:
    """The first seed whose checksum puts this placement under an order."""
    return next(s for s in range(ONE_IN * 50) if _chosen(s, child, decom))


def test_an_order_is_made_a_week_in_and_ends_with_the_placement() -> None:
    seed = _seed_choosing("A", "01/05/2023")
    eps = _episodes([("A", "01/05/2023", "20/02/2024", "K2")])
    got = dolo_table(HEADER, eps, seed)
    assert got.to_dicts() == [
        {"CHILD": "A", "DOB": "01/01/2008", "DOLO_START": "08/05/2023", "DOLO_END": "20/02/2024"}
    ]


def test_a_placement_shorter_than_a_week_has_its_order_start_the_day_it_ends() -> None:
    seed = _seed_choosing("A", "01/05/2023")
    eps = _episodes([("A", "01/05/2023", "04/05/2023", "K2")])
    assert dolo_table(HEADER, eps, seed)["DOLO_START"].to_list() == ["04/05/2023"]


def test_the_same_placement_carries_the_same_open_order_in_each_return() -> None:
    seed = _seed_choosing("A", "01/05/2023")
    first = dolo_table(HEADER, _episodes([("A", "01/05/2023", None, "K2")]), seed)
    second = dolo_table(HEADER, _episodes([("A", "01/05/2023", "30/06/2024", "K2")]), seed)
    assert first["DOLO_START"].to_list() == second["DOLO_START"].to_list() == ["08/05/2023"]
    assert first["DOLO_END"].to_list() == [None]
    assert second["DOLO_END"].to_list() == ["30/06/2024"]


def test_only_childrens_home_placements_carry_orders() -> None:
    eps = _episodes(
        [(c, f"01/0{m}/2023", None, p) for c, p in (("B", "U1"), ("C", "K1")) for m in range(1, 10)]
    )
    assert all(dolo_table(HEADER, eps, s).height == 0 for s in range(ONE_IN * 3))
