"""Known answers for the adopter pipeline by stage (from enquiry through the two assessment
stages to placement), the assessment stages against the DfE timescales and the children waiting
against the A2 scorecard threshold (issue 19), on hand-made adopters registers and a
placed-for-adoption table."""

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


#: A stage before approval that no household of the register reached.
NOT_REACHED = {
    "at_date": 0,
    "in_year": 0,
    "days_to_stage": None,
    "reached": 0,
    "conversion_pct": None,
}


def test_households_by_stage_on_the_date_and_in_the_year(adoption_ds: Dataset) -> None:
    assert run(adoption_ds, "adopter_pipeline") == {
        **dict.fromkeys(("enquiry", "stage_1", "stage_2"), NOT_REACHED),
        # approved in the year: H2, H3, H4, H6; approved by the date: H1-H8
        "approved": {
            "at_date": 3,
            "in_year": 4,
            "days_to_stage": None,
            "reached": 8,
            "conversion_pct": None,
        },
        "matched": {
            "at_date": 1,
            "in_year": 3,
            "days_to_stage": round((305 + 120 + 180) / 3, 1),
            "reached": 4,  # H4-H7
            "conversion_pct": 50.0,  # 4 of the 8 approved
        },
        "placed": {
            "at_date": 3,
            "in_year": 2,
            "days_to_stage": round((44 + 30) / 2, 1),
            "reached": 3,
            "conversion_pct": 75.0,  # 3 of the 4 matched
        },
        "withdrawn": {
            "at_date": 1,
            "in_year": 1,
            "days_to_stage": None,
            "reached": 1,
            "conversion_pct": None,
        },
    }


def _prospective(hid: str, **dates: str) -> dict[str, str | None]:
    return {"household_id": hid, **dates}


@pytest.fixture(scope="module")
def assessment_ds() -> Dataset:
    """Households before approval on 31 March 2024 (the year from 1 April 2023): E1 an enquiry;
    E2 an enquiry that withdrew; S1 in Stage 1 since 15 January (due 15 March: late); S1b
    between the stages (Stage 1 done in 49 days); S2 in Stage 2 since 1 October (due 1
    February: late), its Stage 1 late by 14 days; A1 approved within both timescales; FT a
    fast-track household approved a month late; W3 withdrew in Stage 2."""
    rows = [
        _prospective("E1", enquiry_date="2024-02-01"),
        _prospective("E2", enquiry_date="2023-05-01", withdrawn_date="2023-06-01"),
        _prospective("S1", enquiry_date="2023-12-01", registration_date="2024-01-15"),
        _prospective(
            "S1b",
            enquiry_date="2023-10-01",
            registration_date="2023-11-01",
            stage1_end_date="2023-12-20",
        ),
        _prospective(
            "S2",
            enquiry_date="2023-06-01",
            registration_date="2023-07-01",
            stage1_end_date="2023-09-15",
            stage2_start_date="2023-10-01",
        ),
        _prospective(
            "A1",
            enquiry_date="2023-04-10",
            registration_date="2023-05-01",
            stage1_end_date="2023-06-30",
            stage2_start_date="2023-07-15",
            approved_date="2023-11-10",
        ),
        _prospective("FT", stage2_start_date="2023-09-01", approved_date="2024-02-01"),
        _prospective(
            "W3",
            registration_date="2023-08-01",
            stage1_end_date="2023-09-20",
            stage2_start_date="2023-10-10",
            withdrawn_date="2023-12-01",
        ),
    ]
    return make_ds(
        [child("C1", "2015-01-01")],
        [episode("C1", "2023-01-01")],
        registers={"adopters": register_frame("adopters", rows)},
    )


def test_the_pipeline_counts_households_before_approval(assessment_ds: Dataset) -> None:
    got = run(assessment_ds, "adopter_pipeline")
    assert {s: got[s]["at_date"] for s in got} == {
        "enquiry": 1,  # E1
        "stage_1": 2,  # S1, and S1b between the stages
        "stage_2": 1,  # S2
        "approved": 2,  # A1, FT
        "matched": 0,
        "placed": 0,
        "withdrawn": 2,  # E2, W3
    }
    assert got["enquiry"] == {
        "at_date": 1,
        "in_year": 6,
        "days_to_stage": None,
        "reached": 6,
        "conversion_pct": None,
    }
    assert got["stage_1"] == {
        "at_date": 2,
        "in_year": 5,
        # enquiry to registration: S1 45, S1b 31, S2 30, A1 21 days (W3 made no enquiry)
        "days_to_stage": round((45 + 31 + 30 + 21) / 4, 1),
        "reached": 5,
        "conversion_pct": round(100 * 4 / 6, 1),  # 4 of the 6 enquiries registered
    }
    assert got["stage_2"] == {
        "at_date": 1,
        "in_year": 4,
        "days_to_stage": round((92 + 75 + 70) / 3, 1),  # S2, A1, W3 (FT: fast track)
        "reached": 4,
        "conversion_pct": 60.0,  # S2, A1, W3 of the 5 in Stage 1
    }
    assert got["approved"] == {
        "at_date": 2,
        "in_year": 2,
        "days_to_stage": round((118 + 153) / 2, 1),  # Stage 2 of A1 and FT
        "reached": 2,
        "conversion_pct": 50.0,  # A1, FT of the 4 in Stage 2
    }
    assert got["matched"]["conversion_pct"] == 0.0
    assert got["placed"]["conversion_pct"] is None  # nobody matched


def test_assessment_timeliness_against_the_dfe_timescales(assessment_ds: Dataset) -> None:
    assert run(assessment_ds, "adopter_assessment_timeliness") == {
        "stage_1": {
            "timescale_months": 2,
            # S1b, S2 (late: 76 days, due 1 September), A1, W3 finished Stage 1 in the year
            "completed_in_year": 4,
            "within_timescale": 3,
            "within_timescale_pct": 75.0,
            "average_days": round((49 + 76 + 60 + 50) / 4, 1),
            "in_progress": 1,  # S1
            "in_progress_beyond": 1,  # due 15 March
        },
        "stage_2": {
            "timescale_months": 4,
            "completed_in_year": 2,  # A1 (118 days), FT (153 days, due 1 January)
            "within_timescale": 1,
            "within_timescale_pct": 50.0,
            "average_days": 135.5,
            "in_progress": 1,  # S2 (W3 withdrew)
            "in_progress_beyond": 1,  # due 1 February
        },
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
    assert run(ds, "adopter_assessment_timeliness") is None
    assert run(ds, "adoption_children_waiting")["adopters_waiting"] is None
