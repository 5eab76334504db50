"""Seed 000 (Herefordshire Placement Sufficiency Strategy 2023-2028): "There were 408 children
in the Council's care (as at 31 March 2023) which equates to a rate per 10,000 of the child
population of 113", and "Of the total bed nights recorded across all types (144,260): 28% were
in house foster placements, 26% IFA, 17% Family and friends, 13% residential".

A 2022-23 dataset built child by child so that, by the DfE definitions, 408 children are looked
after on 31 March 2023 and the year's bed nights are 144,260 split as the strategy splits them.
The under-18 population (36,100) is the one that makes 408 children a rate of 113.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sufficiency.cli import app

AT = dt.date(2023, 3, 31)
YEAR_START = dt.date(2022, 4, 1)
POPULATION = 36_100
#: Bed nights by LA placement type: in-house 28.0%, IFA 26.0%, family and friends 17.0%,
#: residential (in-house + external) 13.0%, the rest 16.0% of 144,260.
NIGHTS = {
    "in_house_fostering": 40_393,
    "ifa": 37_508,
    "family_and_friends": 24_524,
    "in_house_residential": 4_000,
    "external_residential": 14_754,
    "supported_accommodation": 10_000,
    "placed_with_parents": 6_000,
    "parent_and_child": 7_081,
}
#: Children of each type looked after on 31 March 2023 (408 in all).
CLA = {
    "in_house_fostering": 113,
    "ifa": 105,
    "family_and_friends": 69,
    "in_house_residential": 11,
    "external_residential": 42,
    "supported_accommodation": 29,
    "placed_with_parents": 18,
    "parent_and_child": 21,
}
CODES = {
    "in_house_fostering": ("U4", "PR1"),
    "ifa": ("U4", "PR4"),
    "family_and_friends": ("U1", "PR1"),
    "in_house_residential": ("K2", "PR1"),
    "external_residential": ("K2", "PR4"),
    "supported_accommodation": ("H5", "PR4"),
    "placed_with_parents": ("P1", "PR0"),
    "parent_and_child": ("R3", "PR4"),
}


def _nights_list(total: int, count: int) -> list[int]:
    """``count`` whole-year-or-less stays (1..365 nights) adding up to ``total``."""
    nights = [365] * count
    deficit = 365 * count - total
    assert deficit >= 0
    for i in range(count):
        cut = min(deficit, 364)
        nights[i] -= cut
        deficit -= cut
    assert deficit == 0 and sum(nights) == total
    return nights


def _build(seed: Any) -> Any:
    b = seed.Builder()
    dob = seed.dob_for_age(10, AT)
    left = dict(NIGHTS)

    # A move from IFA to in-house fostering on 1 October 2022 (RNE P): 183 IFA nights, 182
    # in-house nights; the child counts as in-house on 31 March.
    mover = b.child(dob)
    b.episode(mover, "2020-01-01", "2022-10-01", PLACE="U4", PLACE_PROVIDER="PR4", REC="X1")
    b.episode(mover, "2022-10-01", RNE="P", PLACE="U4", PLACE_PROVIDER="PR1")
    left["ifa"] -= 183
    left["in_house_fostering"] -= 182
    # An IFA child whose care ended ON 31 March 2023: 364 nights, not looked after that day.
    gone = b.child(dob)
    b.episode(gone, "2021-06-01", "2023-03-31", PLACE="U4", PLACE_PROVIDER="PR4", REC="E4A")
    left["ifa"] -= 364
    # An in-house child who came into care on 31 March 2023: one night, looked after.
    late = b.child(dob)
    b.episode(late, "2023-03-31", PLACE="U4", PLACE_PROVIDER="PR1")
    left["in_house_fostering"] -= 1
    # Left on 1 April 2022 (no night in the year); a short-break child (V3, never counted).
    first_day = b.child(dob)
    b.episode(first_day, "2021-01-01", "2022-04-01", REC="E4A")
    short = b.child(dob)
    b.episode(short, "2022-06-01", LS="V3", PLACE="U4", PLACE_PROVIDER="PR1")

    counted = {"in_house_fostering": 2}  # the mover and the 31 March starter
    for kind, total in left.items():
        place, provider = CODES[kind]
        for n in _nights_list(total, CLA[kind] - counted.get(kind, 0)):
            cid = b.child(dob)
            decom = dt.date(2019, 5, 1) if n == 365 else AT + dt.timedelta(days=1 - n)
            b.episode(cid, decom.isoformat(), PLACE=place, PLACE_PROVIDER=provider)
    return b


@pytest.fixture(scope="module")
def built(seed: Any) -> Any:
    return _build(seed)


def test_cla_408_rate_113_and_bed_nights(seed: Any, built: Any) -> None:
    ds = built.dataset(code="E06000019", population={2023: POPULATION})
    got = seed.measures_json(
        ds,
        AT,
        [
            "cla_count",
            "cla_rate_per_10k",
            "cla_by_placement_type",
            "bed_nights_by_placement_type",
            "bed_nights_total",
            "short_breaks_count",
        ],
    )
    assert got["cla_count"] == 408
    assert got["cla_rate_per_10k"] == 113.0
    assert got["short_breaks_count"] == 1
    types = {k: v for k, v in got["cla_by_placement_type"].items() if v}
    assert types == CLA
    nights = {k: v for k, v in got["bed_nights_by_placement_type"].items() if v}
    assert nights == NIGHTS
    assert got["bed_nights_total"] == 144_260
    total = got["bed_nights_total"]
    share = {k: round(100 * v / total) for k, v in nights.items()}
    assert share["in_house_fostering"] == 28
    assert share["ifa"] == 26
    assert share["family_and_friends"] == 17
    residential = nights["in_house_residential"] + nights["external_residential"]
    assert round(100 * residential / total) == 13


def _write_return(b: Any, root: Path) -> None:
    """The built rows as a 2022-23 SSDA903 return (dd/mm/yyyy dates, numeric SEX)."""

    def ddmmyyyy(iso: Any) -> str:
        return "" if iso is None else dt.date.fromisoformat(str(iso)).strftime("%d/%m/%Y")

    folder = root / "ssda903" / "2023"
    folder.mkdir(parents=True)
    lines = ["CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"]
    for c in b.children:
        sex = {"M": "1", "F": "2"}[c["SEX"]]
        lines.append(f"{c['CHILD']},{sex},{ddmmyyyy(c['DOB'])},{c['ETHNIC']},,,")
    (folder / "header.csv").write_text("\n".join(lines) + "\n")
    cols = ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
            "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN")  # fmt: skip
    lines = [",".join(cols)]
    for e in b.episodes:
        row = dict(e)
        row["DECOM"], row["DEC"] = ddmmyyyy(row["DECOM"]), ddmmyyyy(row.get("DEC"))
        if row.get("REC") == "X1":
            row["REASON_PLACE_CHANGE"] = "CARPL"
        lines.append(",".join("" if row.get(c) is None else str(row[c]) for c in cols))
    (folder / "episodes.csv").write_text("\n".join(lines) + "\n")
    (root / "la.toml").write_text(
        'name = "Herefordshire"\ncode = "E06000019"\nregion = "West Midlands"\n'
        f'neighbours = []\n[population_under_18]\n"2023" = {POPULATION}\n'
    )


@pytest.mark.slow
def test_cli_measures_json_gives_the_same_figures(built: Any, tmp_path: Path) -> None:
    _write_return(built, tmp_path)
    args = ["measures", str(tmp_path), "--at", "2023-03-31", "--json", "--no-suppress"]
    for mid in ("cla_count", "cla_rate_per_10k", "bed_nights_by_placement_type"):
        args += ["--measure", mid]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["la"] == "E06000019"
    assert doc["period"] == {"start": "2022-04-01", "end": "2023-03-31"}
    assert doc["measures"]["cla_count"] == 408
    assert doc["measures"]["cla_rate_per_10k"] == 113.0
    nights = {k: v for k, v in doc["measures"]["bed_nights_by_placement_type"].items() if v}
    assert nights == NIGHTS
