"""The other SSDA903 tables of a synthetic return, and the folder loading through ingest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from sufficiency.dates import age_expr, open_on
from sufficiency.ingest import load_data
from sufficiency.ingest.tables import TABLES
from sufficiency.synth import SynthCouncil

OPTIONAL = ("reviews", "missing", "oc2", "oc3", "ad1", "placed_for_adoption")


def _dates(frame: pl.DataFrame, *cols: str) -> pl.DataFrame:
    return frame.with_columns(pl.col(c).str.to_date("%d/%m/%Y") for c in cols)


def test_folder_loads_through_ingest_with_warnings_only(small_folder: Path) -> None:
    result = load_data(small_folder)
    assert result.ok
    assert [p for p in result.problems if p.severity == "error"] == []
    # an episode open at 31 March is in both returns: the later one is used, with a warning
    assert {p.code for p in result.problems} <= {"duplicate_episode_across_returns"}
    ds = result.dataset
    assert ds is not None
    for name in OPTIONAL:
        rows = sum(
            pl.read_csv(
                small_folder / "ssda903" / str(y) / f"{name}.csv", infer_schema=False
            ).height
            for y in (2023, 2024)
        )
        assert rows > 0, name
        assert ds.tables[name].height == rows, name
    headers = {
        y: pl.read_csv(small_folder / "ssda903" / str(y) / "header.csv", infer_schema=False)
        for y in (2023, 2024)
    }
    distinct = pl.concat([h.select("CHILD") for h in headers.values()]).unique().height
    assert ds.children.height == distinct


def test_every_table_has_the_dfe_columns(small_council: SynthCouncil) -> None:
    for tables in small_council.returns.values():
        assert set(tables) == {"header", "episodes", "uasc", "dolo", *OPTIONAL}
        for name, frame in tables.items():
            assert tuple(frame.columns) == TABLES[name].columns, name


def test_care_leavers_left_care_and_are_17_to_19(small_council: SynthCouncil) -> None:
    tables = small_council.returns[2024]
    at = dt.date(2024, 3, 31)
    oc3 = _dates(tables["oc3"], "DOB").with_columns(age_expr(at).alias("age"))
    assert oc3.height > 0
    assert oc3["age"].is_between(17, 19).all()
    eps = _dates(tables["episodes"], "DECOM", "DEC")
    in_care = eps.filter(open_on(at)).select("CHILD")
    assert oc3.join(in_care, on="CHILD").height == 0
    # in touch -> activity and accommodation known; otherwise both 0 (DfE rules 344/345)
    yes = oc3.filter(pl.col("IN_TOUCH") == "YES")
    assert (yes["ACTIV"] != "0").all() and (yes["ACCOM"] != "0").all()
    other = oc3.filter(pl.col("IN_TOUCH") != "YES")
    assert (other["ACTIV"] == "0").all() and (other["ACCOM"] == "0").all()
    # every care leaver is in the header (the DfE's INT06)
    assert set(oc3["CHILD"]) <= set(tables["header"]["CHILD"])


def test_adoption_dates_are_in_order(small_council: SynthCouncil) -> None:
    for year, tables in small_council.returns.items():
        ad1 = _dates(tables["ad1"], "DATE_INT", "DATE_MATCH")
        eps = _dates(tables["episodes"], "DECOM", "DEC")
        adopted = eps.filter(pl.col("REC").is_in(["E11", "E12"]))
        placed = (
            eps.filter(pl.col("PLACE").is_in(["A3", "A4", "A5", "A6"]))
            .group_by("CHILD")
            .agg(pl.col("DECOM").min().alias("placed"))
        )
        joined = ad1.join(adopted.select("CHILD", "DEC"), on="CHILD").join(placed, on="CHILD")
        assert joined.height == ad1.height, year
        assert (joined["DATE_INT"] <= joined["DATE_MATCH"]).all()
        assert (joined["DATE_MATCH"] <= joined["placed"]).all()
        assert (joined["placed"] < joined["DEC"]).all()
        pfa = tables["placed_for_adoption"]
        both = ad1.join(_dates(pfa, "DATE_PLACED"), on="CHILD")
        assert (both["DATE_INT"] == both["DATE_PLACED"]).all()


def test_reviews_and_missing_are_inside_the_year(small_council: SynthCouncil) -> None:
    start, end = dt.date(2023, 4, 1), dt.date(2024, 3, 31)
    tables = small_council.returns[2024]
    reviews = _dates(tables["reviews"], "REVIEW", "DOB")
    assert reviews["REVIEW"].is_between(start, end).all()
    under_4 = reviews["REVIEW"] < reviews["DOB"].dt.offset_by("4y")
    assert ((reviews["REVIEW_CODE"] == "PN0") == under_4).all()
    missing = _dates(tables["missing"], "MIS_START", "MIS_END")
    assert missing["MIS_START"].is_between(start, end).all()
    assert (missing["MIS_END"] >= missing["MIS_START"]).all()
    assert set(missing["MISSING"].unique()) <= {"M", "A"}
