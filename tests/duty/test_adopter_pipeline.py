"""Known answers for the adopter pipeline by stage and the children waiting against the A2
scorecard threshold (issue 19), on a hand-made adopters register and placed-for-adoption
table."""

from __future__ import annotations

import polars as pl
import pytest
from tests.measures.conftest import AT, child, episode, make_ds, run

from sufficiency.dataset import Dataset
from sufficiency.schema import register_frame


def _household(hid: str, approved: str, matched: str | None = None, placed: str | None = None,
               withdrawn: str | None = None) -> dict[str, str | None]:  # fmt: skip
    return {
        "household_id": hid,
        "approved_date": approved,
        "matched_date": matched,
        "placed_date": placed,
        "withdrawn_date": withdrawn,
    }


@pytest.fixture(scope="module")
def adoption_ds() -> Dataset:
    """On 31 March 2024: H1-H3 approved and waiting, H4 matched (not yet placed), H5 and H6
    placed in the year, H7 placed the year before, H8 withdrawn in the year; H9 approved after
    the date. Children: W1 (decision 1 Oct 2023, 182 days) and W2 (decision 1 Feb 2024, 59
    days) wait in foster care; P1 is placed for adoption (A4) and not waiting."""
    households = [
        _household("H1", "2023-01-10"),
        _household("H2", "2023-06-01"),
        _household("H3", "2024-02-01"),
        _household("H4", "2023-05-01", "2024-03-01"),
        _household("H5", "2023-02-01", "2023-06-01", "2023-07-15"),  # 120 days to match
        _household("H6", "2023-04-01", "2023-09-28", "2023-10-28"),  # 180 days to match
        _household("H7", "2022-01-01", "2022-05-01", "2022-06-01"),
        _household("H8", "2022-11-01", withdrawn="2023-12-01"),
        _household("H9", "2024-05-01"),
    ]
    kids = [child(c, "2021-01-01") for c in ("W1", "W2", "P1")]
    eps = [
        episode("W1", "2022-06-01", LS="E1"),
        episode("W2", "2023-01-01", LS="E1"),
        episode("P1", "2022-03-01", LS="E1", PLACE="A4"),
    ]
    pfa = pl.DataFrame(
        {
            "CHILD": ["W1", "W2", "P1"],
            "DATE_PLACED": ["2023-10-01", "2024-02-01", "2023-05-01"],
            "DATE_PLACED_CEASED": [None, None, None],
        }
    )
    return make_ds(
        kids,
        eps,
        tables={"placed_for_adoption": pfa},
        registers={"adopters": register_frame("adopters", households)},
    )


def test_households_by_stage_on_the_date_and_in_the_year(adoption_ds: Dataset) -> None:
    assert run(adoption_ds, "adopter_pipeline") == {
        # approved in the year: H2, H3, H4, H6
        "approved": {"at_date": 3, "in_year": 4, "days_to_stage": None},
        "matched": {"at_date": 1, "in_year": 3, "days_to_stage": round((305 + 120 + 180) / 3, 1)},
        "placed": {"at_date": 3, "in_year": 2, "days_to_stage": round((44 + 30) / 2, 1)},
        "withdrawn": {"at_date": 1, "in_year": 1, "days_to_stage": None},
    }


def test_children_waiting_against_the_a2_threshold(adoption_ds: Dataset) -> None:
    assert run(adoption_ds, "adoption_children_waiting", AT) == {
        "children_waiting": 2,
        "beyond_a2_threshold": 1,  # W1: 182 days since the decision, over 121
        "a2_threshold_days": 121,
        "longest_days": 182,
        "adopters_waiting": 3,
        "adopters_per_child": 1.5,
    }


def test_the_pipeline_is_missing_without_the_register() -> None:
    ds = make_ds([child("C1", "2012-01-01")], [episode("C1", "2023-01-01")])
    assert run(ds, "adopter_pipeline") is None
    assert run(ds, "adoption_children_waiting")["adopters_waiting"] is None
