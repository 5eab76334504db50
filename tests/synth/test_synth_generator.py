"""The synthetic council: deterministic bytes, calibrated magnitudes, registers matching returns."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import polars as pl
import pytest

from sufficiency.dates import open_on
from sufficiency.synth import SynthCouncil, generate, parse_years, write_data_folder
from sufficiency.synth.calibration import snapshot
from sufficiency.synth.postcodes import geography


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes_and_other_seed_differs(tmp_path: Path) -> None:
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        write_data_folder(generate(seed=seed, children=40, years=[2024, 2025]), tmp_path / name)
    a, b, c = (_digest(tmp_path / n) for n in "abc")
    assert a == b
    assert set(a) == set(c)
    assert a["ssda903/2025/episodes.csv"] != c["ssda903/2025/episodes.csv"]


def test_folder_layout_and_profile(small_folder: Path) -> None:
    assert (
        (small_folder / "la.toml")
        .read_text()
        .startswith('name = "Demo Council (Herefordshire geography)"')
    )
    toml = (small_folder / "la.toml").read_text()
    # Herefordshire's English neighbours: Shropshire, Gloucestershire, Worcestershire
    assert 'neighbours = ["E06000051", "E10000013", "E10000034"]' in toml
    for year in (2023, 2024):
        head = (small_folder / "ssda903" / str(year) / "episodes.csv").read_text().splitlines()[0]
        assert head == (
            "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
            "HOME_POST,PL_POST,URN"
        )
    regs = {p.stem for p in (small_folder / "registers").glob("*.csv")}
    assert {
        "carers",
        "homes",
        "supported_accommodation",
        "vacancies",
        "contracts",
        "costs",
        "recruitment",
        "adopters",
        "referrals",
        "outcomes",
        "actions",
        "targets",
        "population",
    } <= regs


def test_sex_coding_follows_the_collection_year() -> None:
    council = generate(seed=2, children=40, years=[2024, 2025])
    assert set(council.returns[2024]["header"]["SEX"].unique()) == {"1", "2"}
    assert set(council.returns[2025]["header"]["SEX"].unique()) == {"M", "F"}


def test_dates_are_dd_mm_yyyy_and_episodes_chain(small_council: SynthCouncil) -> None:
    eps = small_council.returns[2024]["episodes"]
    assert eps["DECOM"].str.contains(r"^\d{2}/\d{2}/\d{4}$").all()
    parsed = eps.with_columns(
        pl.col("DECOM").str.to_date("%d/%m/%Y"), pl.col("DEC").str.to_date("%d/%m/%Y")
    ).sort("CHILD", "DECOM")
    # an episode ending with X1 is followed by one starting the same day
    chained = parsed.with_columns(pl.col("DECOM").shift(-1).over("CHILD").alias("next"))
    x1 = chained.filter(pl.col("REC") == "X1")
    assert x1.height > 0
    assert (x1["DEC"] == x1["next"]).all()
    # open episodes (blank DEC) are each child's last
    assert chained.filter(pl.col("DEC").is_null() & pl.col("next").is_not_null()).height == 0


def test_calibration_hertfordshire_magnitudes(herts_council: SynthCouncil) -> None:
    """Seed 004: 978 CLA at 31 March 2024, 16% separated migrant children, 37% aged 16-17."""
    s = snapshot(herts_council.returns[2024], 2024)
    assert 830 <= s["cla"] <= 1130
    assert 11.0 <= s["uasc_pct"] <= 22.0
    assert 27.0 <= s["age_16_17_pct"] <= 42.0
    assert 5.0 <= s["three_plus_pct"] <= 12.5
    assert 62.0 <= s["fostering_pct"] <= 82.0


def test_calibration_residential_inside_share(herts_council: SynthCouncil) -> None:
    inside = {p.replace(" ", "") for p in geography("E10000015").inside["postcode"].to_list()}
    eps = herts_council.returns[2024]["episodes"]
    at = dt.date(2024, 3, 31)
    res = eps.with_columns(
        pl.col("DECOM").str.to_date("%d/%m/%Y"), pl.col("DEC").str.to_date("%d/%m/%Y")
    ).filter((pl.col("PLACE") == "K2") & open_on(at))
    share = (
        res.filter(pl.col("PL_POST").str.replace(" ", "").is_in(list(inside))).height / res.height
    )
    assert 0.2 <= share <= 0.5  # about a third inside the council (seed 000: 31%)


def test_childrens_home_urns_are_in_the_homes_register(small_council: SynthCouncil) -> None:
    homes = set(small_council.registers["homes"]["urn"].to_list())
    for year, tables in small_council.returns.items():
        used = tables["episodes"].filter(pl.col("PLACE").is_in(["K1", "K2", "R3", "S1"]))
        assert used.height > 0, year
        assert set(used["URN"].to_list()) <= homes


def test_carer_occupancy_matches_in_house_fostering(small_council: SynthCouncil) -> None:
    """Occupied places of approved mainstream carers = in-house foster placements open at the end."""
    carers = small_council.registers["carers"]
    eps = small_council.returns[2024]["episodes"]
    open_inhouse = eps.filter(
        pl.col("PLACE").is_in(["U4", "U5", "U6"])
        & (pl.col("PLACE_PROVIDER") == "PR1")
        & pl.col("DEC").is_null()
        & ~pl.col("LS").is_in(["V3", "V4"])
    )
    mainstream = carers.filter(pl.col("approval_types").list.contains("mainstream"))
    assert int(mainstream["occupied"].sum()) == open_inhouse.height
    # every open in-house placement is at the postcode of a household with a place taken
    occupied_posts = mainstream.filter(pl.col("occupied") > 0)["postcode"].to_list()
    assert set(open_inhouse["PL_POST"].to_list()) <= set(occupied_posts)
    assert (mainstream["occupied"] <= mainstream["places"]).all()


def test_parse_years() -> None:
    assert parse_years("2022-2026") == [2022, 2023, 2024, 2025, 2026]
    assert parse_years("2024") == [2024]
    with pytest.raises(ValueError, match="--years must look like 2022-2026"):
        parse_years("twenty")
    with pytest.raises(ValueError, match="ascending range"):
        parse_years("2026-2022")
    # a return not yet ended: its registers' dates would be in the future, which validate refuses
    future = dt.date.today().year + 1
    with pytest.raises(ValueError, match=f"the return for {future} ends on 31/03/{future}"):
        parse_years(f"2024-{future}")


def test_the_fostering_framework_is_the_councils_regions() -> None:
    """Every synthetic council had a West Midlands framework, Cornwall's and Westminster's too."""
    for code, region in (("E06000052", "South West"), ("E09000033", "London")):
        contracts = generate(seed=3, children=40, years=[2025], la_code=code).registers["contracts"]
        frameworks = contracts.filter(pl.col("placement_type") == "ifa").get_column("provider")
        assert frameworks.to_list() == [f"{region} fostering framework"]


def test_an_island_has_its_neighbours_across_the_water() -> None:
    """The Isle of Wight had none (no postcode of another council within 0.75 km), so none of
    its synthetic children was placed in a neighbouring area; the Isles of Scilly likewise."""
    from sufficiency.synth.postcodes import neighbours_of

    assert neighbours_of("E06000046") == ("E06000044", "E10000014")  # Portsmouth, Hampshire
    assert neighbours_of("E06000053") == ("E06000052",)  # Cornwall
    assert neighbours_of("E06000019") == ("E06000051", "E10000013", "E10000034")  # as before
