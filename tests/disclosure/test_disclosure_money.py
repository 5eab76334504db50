"""Money and nights printed beside hidden figures (disclosure round 7): each is hidden with the
figure it gives back, in the publish-mode statement as written."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from disclosure_helpers import DEMO_YEAR, load, synth, write

from sufficiency.disclosure import SUPPRESSED

MISPLACED = 2  # children placed in a children's home when foster care was requested


def _misplace(folder: Path, k: int) -> None:
    """Record ``k`` children of the year placed in an external children's home though their
    referral asked for foster care (synth writes none such)."""
    registers = folder / "registers"
    with (registers / "referrals.csv").open(encoding="utf-8") as fh:
        asked = {r["referral_id"]: r["requested_type"] for r in csv.DictReader(fh)}
    with (registers / "outcomes.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    done = 0
    for r in rows:
        fostered = r["placed_type"] in ("in_house_fostering", "ifa", "family_and_friends")
        in_year = f"{DEMO_YEAR - 1}-04-01" <= r["placed_date"] <= f"{DEMO_YEAR}-03-31"
        wanted = asked[r["referral_id"]] in ("in_house_fostering", "ifa")
        if done < k and wanted and fostered and in_year:
            r["placed_type"] = "external_residential"
            done += 1
    assert done == k
    with (registers / "outcomes.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(
    scope="module",
    params=[("E06000019", 100, 5, (2025, 2026)), ("E06000053", 60, 1, tuple(range(2022, 2027)))],
)
def council(request: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, Any]]:
    """A small council with children misplaced, and its publish statement's JSON."""
    la, children, seed, years = request.param
    folder = synth(tmp_path_factory.mktemp(la) / "data", seed, children, years, la_code=la)
    _misplace(folder, MISPLACED)
    ds = load(folder)
    out = write(ds, DEMO_YEAR, "publish", folder.parent / "publish")
    return ds, json.loads((out / "statement.json").read_text(encoding="utf-8"))


def _measures(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["measures"][str(DEMO_YEAR)]["measures"]  # type: ignore[no-any-return]


def test_the_cost_of_misplaced_children_is_hidden_with_them(council: Any) -> None:
    """The cost is the children x 52 x the weekly cost difference of two types the statement
    prints: £675,418.64 over £306,696-£348,868 a child gave the hidden 2 exactly."""
    ds, doc = council
    from sufficiency.measures import compute

    truth = compute(ds, _day()).values
    assert truth["requested_foster_placed_residential"].to_json() == MISPLACED
    assert truth["requested_foster_placed_residential_cost"].to_json() > 0
    shown = _measures(doc)
    assert shown["requested_foster_placed_residential"] == SUPPRESSED
    assert shown["requested_foster_placed_residential_cost"] == SUPPRESSED


def test_the_in_house_row_less_fostering_does_not_give_the_homes(council: Any) -> None:
    """The council's own provider row holds its in-house fostering and homes: with the rest
    none (each spend rounded to the pound, so the rest read -1), 1,042,201 - 519,166 gave the
    homes' hidden spend, 523,035 against 523,036."""
    _, doc = council
    m = _measures(doc)
    for column, measure in (
        ("spend", "spend_by_placement_type"),
        ("nights", "bed_nights_by_placement_type"),
    ):
        row = m["supply_provider_market"]["in_house"][column]
        fostering, homes = m[measure]["in_house_fostering"], m[measure]["in_house_residential"]
        if homes == SUPPRESSED:
            assert SUPPRESSED in (row, fostering), (column, row, fostering)


def test_costs_of_a_type_whose_weekly_cost_is_hidden_are_hidden(council: Any) -> None:
    """The gap printed a hidden weekly cost to the penny (residential school £5,842.72), and
    its shortfall cost and the forecast's yearly cost of the type gave it back too."""
    _, doc = council
    hidden = {
        t for t, v in _measures(doc)["average_weekly_cost_by_type"].items() if v == SUPPRESSED
    }
    assert hidden
    gaps = [doc["extras"]["gap"], *doc["extras"].get("scenario_gaps", {}).values()]
    for gap in (g for g in gaps if g):
        for year in gap["years"]:
            for t in hidden & set(year["by_type"]):
                row = year["by_type"][t]
                assert {row["weekly_cost"], row["shortfall_cost"]} <= {SUPPRESSED, None}, (t, row)
    for scenario in doc["extras"]["forecast"]["scenarios"].values():
        for year in scenario["costs"]["by_year"]:
            costs = year["by_type"]
            assert all(costs[t] in (SUPPRESSED, 0) for t in hidden & set(costs))  # none: none
            if sum(v == SUPPRESSED for v in costs.values()) == 1:  # the total less the rest
                assert year["total"] == SUPPRESSED


def test_short_break_forecast_nights_are_hidden_with_this_years(council: Any) -> None:
    """The forecast printed this year's nights assessed (334) that the demand table hid to
    protect the nights agreed and unmet beside it."""
    _, doc = council
    m = _measures(doc)
    table, forecast = m["short_breaks_demand_supply"], m["short_break_nights_forecast"]
    hidden = [k for k, row in table.items() if row["nights_assessed"] == SUPPRESSED]
    assert hidden
    for kind in hidden:
        row = forecast[kind]
        derived = [
            k for k in row if k == "nights_assessed" or k.startswith(("demand_", "shortfall_"))
        ]
        assert derived and all(row[k] == SUPPRESSED for k in derived), row


def _day() -> Any:
    import datetime as dt

    return dt.date(DEMO_YEAR, 3, 31)
