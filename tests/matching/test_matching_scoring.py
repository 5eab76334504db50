"""Each scoring component earns exactly the points its definition says, with its reason."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import polars as pl
import pytest

from sufficiency.matching.config import DEFAULT_WEIGHTS, ScoringConfig, load_config
from sufficiency.matching.places import miles_between


def _opt(result: Any, vid: str) -> dict[str, Any]:
    for o in result.to_json()["options"]:
        if o["vacancy_id"] == vid:
            return o  # type: ignore[no-any-return]
    raise KeyError(vid)


def _reason(opt: dict[str, Any], component: str) -> str:
    tag = f"({component.replace('_', ' ')}:"
    hits = [r for r in opt["reasons"] if tag in r]
    assert len(hits) == 1, opt["reasons"]
    return hits[0]


def test_default_weights_sum_to_100() -> None:
    assert sum(DEFAULT_WEIGHTS.values()) == 100.0


def test_distance_home_linear_between_5_and_50_miles(mk: SimpleNamespace) -> None:
    rows = [
        mk.vacancy("D0"),
        mk.vacancy("D5", 5),
        mk.vacancy("D14", 14),
        mk.vacancy("D50", 50),
        mk.vacancy("D60", 60),
    ]
    res = mk.run(rows)
    pts = {
        v: _opt(res, v)["components"]["distance_home"] for v in ["D0", "D5", "D14", "D50", "D60"]
    }
    # 15 x (50 - 14) / 45 = 12.0
    assert pts == {"D0": 15.0, "D5": 15.0, "D14": 12.0, "D50": 0.0, "D60": 0.0}
    assert _reason(_opt(res, "D14"), "distance_home") == (
        "14.0 miles from the child's home (distance home: 12 of 15 points)"
    )


def test_distance_school(mk: SimpleNamespace) -> None:
    # school is 4 miles north of home; a vacancy 3 miles east is 5.0 miles from school
    res = mk.run(
        [mk.vacancy("A", 3), mk.vacancy("B", 23.0)],
        mk.referral(child={"school_postcode": "ZZ2 2AA"}),
    )
    assert _opt(res, "A")["components"]["distance_school"] == 10.0
    # B: sqrt(23^2 + 4^2) = 23.35 -> 23.3 miles; 10 x (50 - 23.3) / 45 = 5.93
    assert _opt(res, "B")["components"]["distance_school"] == 5.93
    assert "23.3 miles from the child's school" in _reason(_opt(res, "B"), "distance_school")
    no_school = mk.run([mk.vacancy("A", 3)])
    assert _opt(no_school, "A")["components"]["distance_school"] == 0.0
    assert _reason(_opt(no_school, "A"), "distance_school").startswith("no school postcode given")


def test_unknown_distance_earns_nothing(mk: SimpleNamespace) -> None:
    row = mk.vacancy("U")
    row["easting"] = ""
    res = mk.run([row])
    assert _opt(res, "U")["components"]["distance_home"] == 0.0
    assert _reason(_opt(res, "U"), "distance_home").startswith("distance from home unknown")


def test_distance_formula_matches_geo() -> None:
    """Our vectorised miles equal sufficiency.geo's DfE expression on the same points."""
    from sufficiency.geo import distance_miles_expr

    rng = np.random.default_rng(3)
    e = rng.integers(100000, 600000, 200).astype(float)
    n = rng.integers(100000, 600000, 200).astype(float)
    ours = miles_between(e, n, 351242.0, 240000.0)
    frame = pl.DataFrame({"e": e, "n": n})
    theirs = frame.select(distance_miles_expr("e", "n", pl.lit(351242.0), pl.lit(240000.0)))
    assert np.array_equal(ours, theirs.to_series().to_numpy())


def test_location_bands(mk: SimpleNamespace) -> None:
    rows = [
        mk.vacancy("IN"),
        mk.vacancy("NB", la=mk.NEIGHBOUR),
        mk.vacancy("FAR", la=mk.DISTANT),
        mk.vacancy("UNK", la=""),
    ]
    res = mk.run(rows)
    pts = {v: _opt(res, v)["components"]["location"] for v in ["IN", "NB", "FAR", "UNK"]}
    assert pts == {"IN": 10.0, "NB": 5.0, "FAR": 0.0, "UNK": 0.0}
    assert _reason(_opt(res, "NB"), "location") == (
        "in a neighbouring council's area (location: 5 of 10 points)"
    )


def test_contract_tiers(mk: SimpleNamespace) -> None:
    rows = [mk.vacancy(c.upper(), contract=c) for c in ("in_house", "block", "framework", "spot")]
    res = mk.run(rows)
    pts = [
        _opt(res, v)["components"]["contract"] for v in ("IN_HOUSE", "BLOCK", "FRAMEWORK", "SPOT")
    ]
    assert pts == [10.0, 7.5, 5.0, 0.0]
    assert _reason(_opt(res, "FRAMEWORK"), "contract") == (
        "a framework contract (contract: 5 of 10 points)"
    )


def test_rating_points(mk: SimpleNamespace) -> None:
    kinds = {
        "provider_kind": "children_home",
        "placement_type": "external_residential",
        "registered": "yes",
    }
    rows = [
        mk.vacancy("OUT", rating="outstanding", **kinds),
        mk.vacancy("GOOD", rating="good", **kinds),
        mk.vacancy("RI", rating="requires_improvement", **kinds),
        mk.vacancy("NYI", rating="not_yet_inspected", **kinds),
        mk.vacancy("CARER"),
    ]
    res = mk.run(rows)
    pts = {v: _opt(res, v)["components"]["rating"] for v in ("OUT", "GOOD", "RI", "NYI", "CARER")}
    assert pts == {"OUT": 10.0, "GOOD": 7.5, "RI": 2.5, "NYI": 5.0, "CARER": 7.5}
    assert _reason(_opt(res, "CARER"), "rating") == (
        "no Ofsted rating (foster carer) (rating: 7.5 of 10 points)"
    )


def test_cost_against_budget(mk: SimpleNamespace) -> None:
    rows = [
        mk.vacancy("IN", weekly_cost=1000),
        mk.vacancy("OVER", weekly_cost=1250),
        mk.vacancy("WAY", weekly_cost=2000),
        mk.vacancy("UNK", weekly_cost=""),
    ]
    res = mk.run(rows, mk.referral(budget_weekly=1000))
    pts = {v: _opt(res, v)["components"]["cost"] for v in ("IN", "OVER", "WAY", "UNK")}
    # 25% over a budget with zero points at 50% over -> half the points
    assert pts == {"IN": 10.0, "OVER": 5.0, "WAY": 0.0, "UNK": 0.0}
    assert _reason(_opt(res, "OVER"), "cost") == (
        "£1,250 a week, £250 over the £1,000 budget (cost: 5 of 10 points)"
    )
    no_budget = mk.run(rows)
    assert _opt(no_budget, "IN")["components"]["cost"] == 0.0


def test_requested_type_and_suitability(mk: SimpleNamespace) -> None:
    rows = [
        mk.vacancy("IH"),
        mk.vacancy("IFA", placement_type="ifa", provider_kind="ifa"),
        mk.vacancy(
            "SA",
            placement_type="supported_accommodation",
            provider_kind="supported_accommodation",
            registered="yes",
        ),
    ]
    ref = mk.referral(requested_type="ifa", suitability={"foster": "preferred"})
    res = mk.run(rows, ref)
    req = {v: _opt(res, v)["components"]["requested_type"] for v in ("IH", "IFA", "SA")}
    assert req == {"IH": 5.0, "IFA": 10.0, "SA": 0.0}
    suit = {v: _opt(res, v)["components"]["suitability"] for v in ("IH", "IFA", "SA")}
    assert suit == {"IH": 5.0, "IFA": 5.0, "SA": 0.0}
    assert _reason(_opt(res, "IH"), "requested_type") == (
        "foster care as requested, but in_house_fostering not ifa (requested type: 5 of 10 points)"
    )
    assert _reason(_opt(res, "SA"), "suitability") == (
        "supported accommodation is suitable for this child (suitability: 0 of 5 points)"
    )


def test_skills_share_of_needs(mk: SimpleNamespace) -> None:
    acc = "self_harm;missing"
    rows = [
        mk.vacancy("BOTH", needs_accepted=acc, skills="self_harm;missing"),
        mk.vacancy("HALF", needs_accepted=acc, skills="missing"),
        mk.vacancy("NONE", needs_accepted=acc, skills=""),
    ]
    res = mk.run(rows, mk.referral(needs=["self_harm", "missing"]))
    pts = {v: _opt(res, v)["components"]["skills"] for v in ("BOTH", "HALF", "NONE")}
    assert pts == {"BOTH": 5.0, "HALF": 2.5, "NONE": 0.0}
    assert _reason(_opt(res, "HALF"), "skills") == (
        "skilled in 1 of 2 needs: missing (skills: 2.5 of 5 points)"
    )


def test_culture_language_and_faith(mk: SimpleNamespace) -> None:
    rows = [
        mk.vacancy("BOTH", languages="Arabic;English", faith="Muslim"),
        mk.vacancy("LANG", languages="arabic"),
        mk.vacancy("NONE"),
    ]
    res = mk.run(rows, mk.referral(child={"language": "Arabic", "faith": "Muslim"}))
    pts = {v: _opt(res, v)["components"]["culture"] for v in ("BOTH", "LANG", "NONE")}
    assert pts == {"BOTH": 5.0, "LANG": 2.5, "NONE": 0.0}
    assert _reason(_opt(res, "LANG"), "culture") == (
        "matches language arabic; does not list faith muslim (culture: 2.5 of 5 points)"
    )


def test_preferred_location(mk: SimpleNamespace) -> None:
    # preferred location is 20 miles east of home
    rows = [mk.vacancy("NEAR", 25), mk.vacancy("FAR", 0)]
    ref = mk.referral(preferred_location={"postcode": "ZZ4 4AA", "within_miles": 10})
    res = mk.run(rows, ref)
    assert _opt(res, "NEAR")["components"]["preferred_location"] == 5.0
    assert _opt(res, "FAR")["components"]["preferred_location"] == 0.0
    assert _reason(_opt(res, "FAR"), "preferred_location") == (
        "20.0 miles from the preferred location ZZ4 4AA, beyond 10.0 miles "
        "(preferred location: 0 of 5 points)"
    )


def test_score_is_sum_of_components(mk: SimpleNamespace) -> None:
    res = mk.run(
        [mk.vacancy("A", 14, contract="block", weekly_cost=900)],
        mk.referral(budget_weekly=800, requested_type="in_house_fostering"),
    )
    opt = _opt(res, "A")
    assert opt["score"] == pytest.approx(sum(opt["components"].values()), abs=1e-9)
    assert len(opt["reasons"]) == len(opt["components"]) == 12


def test_weights_configurable_from_yaml(mk: SimpleNamespace, tmp_path: Path) -> None:
    cfg_file = tmp_path / "weights.yaml"
    cfg_file.write_text("weights: {contract: 40, rating: 0}\ndistance_zero_miles: 25\n")
    cfg = load_config(cfg_file)
    assert cfg.weight("contract") == 40.0 and cfg.weight("distance_home") == 15.0
    res = mk.run([mk.vacancy("A", 15, contract="block")], config=cfg)
    opt = _opt(res, "A")
    assert opt["components"]["contract"] == 30.0
    assert "rating" not in opt["components"]
    # 15 x (25 - 15) / 20 = 7.5
    assert opt["components"]["distance_home"] == 7.5


def test_bad_config_names_the_field(tmp_path: Path) -> None:
    cfg_file = tmp_path / "w.yaml"
    cfg_file.write_text("weights: {closeness: 3}\n")
    with pytest.raises(ValueError) as err:
        load_config(cfg_file)
    assert str(err.value).startswith(
        f"{cfg_file}: weights: Value error, unknown component(s) closeness; known: requested_type"
    )
    assert ScoringConfig().weight("cost") == 10.0
