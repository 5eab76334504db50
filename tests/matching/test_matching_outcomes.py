"""Outcome measures on hand-built referrals / outcomes registers."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

import sufficiency.matching.measures  # noqa: F401  (registers the home-finding measures)
from sufficiency.dataset import Dataset
from sufficiency.matching import outcomes, outcomes_summary
from sufficiency.measures.catalogue import CATALOGUE, Period, Share
from sufficiency.profile import LAProfile

PROFILE = LAProfile(name="Testshire", code="E06000019", neighbours=("E10000034",))
YEAR = Period(dt.date(2022, 4, 1), dt.date(2023, 3, 31))


def _ds(
    referrals: list[dict[str, str]],
    rows: list[dict[str, str]],
    costs: list[dict[str, str]] | None = None,
    vacancies: list[dict[str, str]] | None = None,
) -> Dataset:
    def frame(records: list[dict[str, str]]) -> pl.DataFrame:
        cols = sorted({k for r in records for k in r})
        return pl.DataFrame({c: [r.get(c, "") for r in records] for c in cols})

    regs = {"referrals": frame(referrals), "outcomes": frame(rows)}
    if costs:
        regs["costs"] = frame(costs)
    if vacancies:
        regs["vacancies"] = frame(vacancies)
    return Dataset.from_frames(PROFILE, registers=regs)


def test_staffordshire_requested_foster_placed_residential() -> None:
    """88 children placed in residential when foster was requested: £17.5m a year more."""
    refs, rows = [], []
    for i in range(100):
        rid = f"R{i}"
        refs.append({"id": rid, "requested_type": "in_house_fostering" if i % 2 else "ifa"})
        placed = "external_residential" if i < 88 else "in_house_fostering"
        rows.append(
            {
                "referral_id": rid,
                "vacancy_id": f"V{i}",
                "offered": "yes",
                "accepted": "yes",
                "placed_date": "2022-10-01",
                "placed_type": placed,
            }
        )
    # one referral placed in residential but asked for residential: not counted
    refs.append({"id": "RX", "requested_type": "external_residential"})
    rows.append(
        {"referral_id": "RX", "placed_date": "2022-10-01", "placed_type": "external_residential"}
    )
    costs = [
        {"placement_type": "external_residential", "year": "2023", "weekly_cost": "4500"},
        {"placement_type": "external_residential", "year": "2023", "weekly_cost": "4700"},
        {"placement_type": "in_house_fostering", "year": "2023", "weekly_cost": "550"},
        {"placement_type": "ifa", "year": "2023", "weekly_cost": "1000"},
        {"placement_type": "ifa", "year": "2019", "weekly_cost": "1"},
    ]
    ds = _ds(refs, rows, costs)
    m = outcomes.type_mismatch(ds, YEAR)
    assert m.count == 88
    # 44 asked for in-house fostering: (4600 - 550) x 52; 44 asked for IFA: (4600 - 1000) x 52
    assert m.annual_cost_difference == 44 * 4050 * 52 + 44 * 3600 * 52 == 17_503_200
    assert m.sentence() == (
        "88 children placed in residential when foster was requested, £17.5m a year more"
    )
    assert CATALOGUE["requested_foster_placed_residential"].func(ds, YEAR) == 88
    assert CATALOGUE["requested_foster_placed_residential_cost"].func(ds, YEAR) == 17_503_200
    table = CATALOGUE["requested_vs_placed"].func(ds, YEAR)
    assert table == {"foster": {"residential": 88, "foster": 12}, "residential": {"residential": 1}}


def test_cost_unknown_when_a_type_has_no_cost() -> None:
    ds = _ds(
        [{"id": "A", "requested_type": "ifa"}],
        [{"referral_id": "A", "placed_date": "2022-05-01", "placed_type": "secure"}],
        [{"placement_type": "ifa", "year": "2023", "weekly_cost": "900"}],
    )
    m = outcomes.type_mismatch(ds, YEAR)
    assert (m.count, m.annual_cost_difference) == (1, None)


def test_matched_first_time_time_to_place_and_declines() -> None:
    refs = [
        {"id": "A", "requested_type": "ifa", "referred_date": "2022-06-01"},
        {"id": "B", "requested_type": "in_house_fostering", "referred_date": "2022-06-01"},
        {"id": "C", "requested_type": "in_house_fostering", "referred_date": "2022-06-01"},
        {"id": "D", "requested_type": "ifa", "referred_date": "2021-01-01"},  # placed last year
        {"id": "E", "requested_type": "ifa"},  # still open
    ]
    rows = [
        # A: first provider approached took the child, in foster care (requested foster)
        {
            "referral_id": "A",
            "vacancy_id": "V1",
            "offered": "yes",
            "accepted": "yes",
            "placed_date": "2022-06-11",
            "placed_type": "in_house_fostering",
        },
        # B: declined first, placed second
        {"referral_id": "B", "vacancy_id": "V2", "offered": "no", "decline_reason": "no match"},
        {
            "referral_id": "B",
            "vacancy_id": "V3",
            "offered": "yes",
            "accepted": "yes",
            "placed_date": "2022-06-21",
            "placed_type": "ifa",
        },
        # C: first provider, but residential when foster was asked for
        {
            "referral_id": "C",
            "vacancy_id": "V4",
            "offered": "yes",
            "accepted": "yes",
            "placed_date": "2022-07-01",
            "placed_type": "external_residential",
        },
        {"referral_id": "D", "vacancy_id": "V5", "placed_date": "2021-02-01", "placed_type": "ifa"},
        {"referral_id": "E", "vacancy_id": "V6", "offered": "no", "decline_reason": "no match"},
        {"referral_id": "E", "vacancy_id": "V7", "offered": "no", "decline_reason": "risk"},
    ]
    ds = _ds(refs, rows)
    assert CATALOGUE["matched_first_time"].func(ds, YEAR) == Share(1, 3)
    assert outcomes.days_to_place(ds, YEAR) == [10, 20, 30]
    assert CATALOGUE["days_referral_to_placement"].func(ds, YEAR) == 20.0
    assert CATALOGUE["referral_decline_reasons"].func(ds, YEAR) == {"no match": 2, "risk": 1}
    summary = outcomes_summary(ds, YEAR)
    assert summary["children_placed"] == 3
    assert summary["placed_first_time_as_requested_pct"] == 33.3
    assert summary["requested_foster_placed_residential"] == 1


def test_siblings_placed_together() -> None:
    refs = [
        {"id": "A", "siblings": "2"},
        {"id": "B", "siblings": "1"},
        {"id": "C", "siblings": "1"},
        {"id": "D", "siblings": "0"},
    ]
    rows = [
        {
            "referral_id": "A",
            "vacancy_id": "V1",
            "placed_date": "2022-06-01",
            "placed_type": "ifa",
            "siblings_together": "yes",
        },
        {
            "referral_id": "B",
            "vacancy_id": "V2",
            "placed_date": "2022-06-01",
            "placed_type": "ifa",
            "siblings_together": "no",
        },
        # C: no flag; vacancy V3 has two places taking one sibling -> together
        {"referral_id": "C", "vacancy_id": "V3", "placed_date": "2022-06-01", "placed_type": "ifa"},
        {"referral_id": "D", "vacancy_id": "V1", "placed_date": "2022-06-01", "placed_type": "ifa"},
    ]
    vac = [
        {"vacancy_id": "V3", "places": "2", "siblings": "1"},
        {"vacancy_id": "V1", "places": "3", "siblings": "2"},
    ]
    ds = _ds(refs, rows, vacancies=vac)
    assert CATALOGUE["siblings_placed_together"].func(ds, YEAR) == Share(2, 3)


def test_placed_locally_uses_real_postcodes() -> None:
    refs = [{"id": x} for x in "ABC"]
    rows = [
        {"referral_id": "A", "vacancy_id": "V1", "placed_date": "2022-06-01", "placed_type": "ifa"},
        {"referral_id": "B", "vacancy_id": "V2", "placed_date": "2022-06-01", "placed_type": "ifa"},
        {
            "referral_id": "C",
            "vacancy_id": "V9",
            "placed_date": "2022-06-01",
            "placed_type": "ifa",
            "placed_postcode": "HR4 9AA",
        },
    ]
    vac = [
        {"vacancy_id": "V1", "postcode": "HR1 2HX"},
        {"vacancy_id": "V2", "postcode": "SW1A 1AA"},
    ]
    ds = _ds(refs, rows, vacancies=vac)
    assert CATALOGUE["placed_locally"].func(ds, YEAR) == Share(2, 3)


def test_placements_read_once_per_dataset() -> None:
    """The placed referrals are remembered per Dataset (every home-finding measure reads them):
    the same as a fresh read, and a Dataset with other registers gets its own."""
    refs = [{"id": "R1", "requested_type": "ifa", "siblings": "1", "referred_date": "2022-05-01"}]
    rows = [
        {"referral_id": "R1", "vacancy_id": "V1", "placed_date": ""},
        {
            "referral_id": "R1",
            "vacancy_id": "V2",
            "placed_date": "2022-06-01",
            "placed_type": "ifa",
        },
    ]
    ds = _ds(refs, rows)
    first = outcomes.placements(ds)
    assert first == outcomes._placements(ds)
    assert outcomes.placements(ds) is first  # remembered, not read again
    assert [(p.vacancy_id, p.first_time, p.siblings) for p in first] == [("V2", False, 1)]
    rows[1]["vacancy_id"] = "V3"
    other = _ds(refs, rows)
    assert [p.vacancy_id for p in outcomes.placements(other)] == ["V3"]
    assert outcomes.placements(ds) is first


def test_no_outcomes_register() -> None:
    ds = Dataset.from_frames(PROFILE)
    assert CATALOGUE["matched_first_time"].func(ds, YEAR) == Share(0, 0)
    assert outcomes.type_mismatch(ds, YEAR).count == 0
    assert CATALOGUE["days_referral_to_placement"].func(ds, YEAR) is None


@pytest.mark.parametrize(
    "mid",
    [
        "matched_first_time",
        "requested_vs_placed",
        "placed_locally",
        "siblings_placed_together",
        "days_referral_to_placement",
    ],
)
def test_registered_in_home_finding_theme(mid: str) -> None:
    assert CATALOGUE[mid].theme == "home_finding"
