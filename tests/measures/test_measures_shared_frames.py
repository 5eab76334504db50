"""The shared frames the catalogue runs on (issue 18, "Fast everywhere"): each is checked against
the plain definition it stands for, on the demo council (five years of synthesised returns), so
a faster route can never change a number. The trends table, read from frames shared across its
year ends and a run that works each measure out once, equals each year computed on its own."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from sufficiency.dataset import Dataset
from sufficiency.dates import age_expr, financial_year, open_on
from sufficiency.measures import compute, load_catalogue
from sufficiency.measures.catalogue import Measure, Period, one_run
from sufficiency.measures.common import (
    cla_children_on,
    cla_on,
    code_expr,
    code_in,
    count_where,
    episodes_on,
    last_of_child,
    linked_spells,
    memo_frames,
)
from sufficiency.measures.costs import costed_nights, costed_years
from sufficiency.measures.placements import bed_nights
from sufficiency.measures.population import leavers
from sufficiency.measures.stability import SAME_CARER_RNE, carer_spells
from sufficiency.measures.trends import TREND_THEMES, year_ends
from sufficiency.measures.unit_costs import cost_placements, urn_providers
from sufficiency.results import scalar


@pytest.fixture(scope="module")
def demo(demo_dir: Path) -> Dataset:
    from sufficiency.ingest.loader import load_data

    return load_data(demo_dir).dataset


def _at(ds: Dataset) -> dt.date:
    return dt.date(max(ds.returns), 3, 31)


def _fresh(ds: Dataset) -> Dataset:
    """The same data as a new Dataset object: nothing derived or memoised carried over."""
    return dataclasses.replace(ds)


def test_last_of_child_is_unique_keep_last_on_rows_sorted_by_child() -> None:
    frame = pl.DataFrame({"CHILD": ["a", "a", "b", "c", "c", "c"], "n": [1, 2, 3, 4, 5, 6]})
    want = frame.unique("CHILD", keep="last", maintain_order=True)
    assert_frame_equal(last_of_child(frame), want)
    assert last_of_child(frame.clear()).height == 0


def test_code_in_is_the_code_of_each_row_in_the_codes() -> None:
    frame = pl.DataFrame({"RNE": [" t", "U", "p", None, "T ", "", "s"]})
    for codes in (["T", "U"], ["S"], ["X1"], []):
        want = frame.select(code_expr("RNE").is_in(codes)).to_series()
        got = frame.select(code_in(frame, "RNE", codes)).to_series()
        assert got.to_list() == want.to_list(), codes


def test_memo_frames_collects_the_missing_frames_together_once(demo: Dataset) -> None:
    ds = _fresh(demo)
    asked: list[int] = []

    def plan(n: int) -> pl.LazyFrame:
        asked.append(n)
        return pl.LazyFrame({"n": [n]})

    first = memo_frames(ds, "probe", [1, 2, 2], plan)
    assert [f.item() for f in first] == [1, 2, 2]
    again = memo_frames(ds, "probe", [3, 2, 1], plan)
    assert [f.item() for f in again] == [3, 2, 1]
    assert asked == [1, 2, 3]  # each frame planned once
    assert again[2] is first[0]


def test_costs_of_all_years_together_equal_each_year_alone(demo: Dataset) -> None:
    ds = _fresh(demo)
    periods = [Period.year_ending(end) for end in year_ends(ds, _at(ds))]
    together = costed_years(ds, periods)
    assert together is not None
    for period, frame in zip(periods, together, strict=True):
        alone = costed_nights(_fresh(demo), period)
        assert alone is not None
        assert_frame_equal(frame, alone)
        assert_frame_equal(bed_nights(ds, period), bed_nights(_fresh(demo), period))


def test_count_where_counts_the_rows_a_filter_keeps() -> None:
    frame = pl.DataFrame({"x": [1, 2, None, 4], "y": ["a", "b", "c", "d"]})
    assert count_where(frame, pl.col("x") > 1) == frame.filter(pl.col("x") > 1).height == 2
    assert count_where(frame.clear(), pl.col("x") > 1) == 0


def test_per_date_frames_are_their_definitions_at_every_year_end(demo: Dataset) -> None:
    ds = _fresh(demo)
    for d in year_ends(ds, _at(ds)):
        plain = (
            ds.episodes_typed.filter(open_on(d))
            .unique("CHILD", keep="last", maintain_order=True)
            .with_columns(age_expr(d).alias("age"))
        )
        assert_frame_equal(episodes_on(ds, d), plain)
        counted = plain.filter(~pl.col("short_break"))
        assert_frame_equal(cla_on(ds, d), counted)
        assert cla_children_on(ds, d).get_column("CHILD").to_list() == counted["CHILD"].to_list()


def test_spells_on_a_date_are_each_childs_latest_open_spell(demo: Dataset) -> None:
    """placements_on and care_durations gather the spells holding each child's episode on the
    date (``spell_of``): the same as joining each child's latest spell open on it."""
    from sufficiency.measures.common import placements_on
    from sufficiency.measures.time_in_care import care_durations

    ds = _fresh(demo)
    for d in year_ends(ds, _at(ds)):
        spells = (
            ds.placements.filter(open_on(d, "start", "end"))
            .unique("CHILD", keep="last", maintain_order=True)
            .select(
                "CHILD",
                pl.col("start").alias("placement_start"),
                "placement",
                "location_band",
                "distance_miles",
                "distance_band",
                "pl_la",
            )
        )
        plain = (
            cla_on(ds, d)
            .join(spells, on="CHILD", how="left", maintain_order="left")
            .with_columns(pl.col("location_band", "distance_band").fill_null("unknown"))
        )
        assert_frame_equal(placements_on(ds, d), plain)
        periods = (
            ds.periods_of_care.filter(open_on(d, "start", "end"))
            .unique("CHILD", keep="last", maintain_order=True)
            .select("CHILD", pl.col("linked_start").alias("care_start"))
        )
        want = cla_children_on(ds, d).join(periods, on="CHILD", how="left", maintain_order="left")
        assert_frame_equal(care_durations(ds, d), want)


def test_trends_from_shared_frames_equal_each_year_computed_alone(demo: Dataset) -> None:
    ds = _fresh(demo)
    at = _at(ds)
    table = compute(ds, at, ["trends"]).values["trends"].to_json()
    chosen = [
        m
        for m in load_catalogue().values()
        if m.theme in TREND_THEMES and m.unit in ("count", "rate")
    ]
    assert set(table) == {m.id for m in chosen}
    for end in year_ends(ds, at):
        alone = _fresh(demo)  # this year only, from scratch
        for m in chosen:
            want = scalar(m.compute(alone, Period.year_ending(end)))
            assert table[m.id][str(end.year)]["value"] == want, (m.id, end)


def test_a_run_works_each_measure_out_once_and_keeps_nothing_after(demo: Dataset) -> None:
    calls: list[Period] = []

    def func(ds: Any, period: Period) -> int:
        calls.append(period)
        return 7

    m = Measure("probe", "Probe", "population", "count", "A probe.", func)
    period = Period.year_ending(_at(demo))
    with one_run():
        assert scalar(m.compute(demo, period)) == scalar(m.compute(demo, period)) == 7
        m.compute(demo, period.previous())
        with one_run():  # a run inside a run is the same run
            m.compute(demo, period)
    assert calls == [period, period.previous()]
    m.compute(demo, period)
    assert len(calls) == 3


def _header(demo: Dataset, repeated: bool) -> Dataset:
    """A fresh copy of ``demo``; ``repeated``: its header lists 200 children again, with
    another DOB, SEX and ETHNIC."""
    ds = _fresh(demo)
    if repeated:
        later = ds.children.head(200).with_columns(
            pl.col("DOB") - pl.duration(days=400), pl.lit("U").alias("SEX"), ETHNIC=pl.lit("OOTH")
        )
        ds = dataclasses.replace(ds, children=pl.concat([ds.children, later]))
    assert ds.one_row_per_child is not repeated
    return ds


@pytest.mark.parametrize("repeated", [False, True], ids=["one_row_per_child", "repeated_rows"])
def test_leavers_are_their_definition(demo: Dataset, repeated: bool) -> None:
    """DOB and SEX are the child's last header row's, carried by the episodes or joined when
    the header repeats a child with other values."""
    from sufficiency.measures.population import ceasing_episodes

    ds = _header(demo, repeated)
    people = ds.children.select("CHILD", "DOB", "SEX").unique("CHILD", keep="last")
    for end in year_ends(ds, _at(ds)):
        period = Period.year_ending(end)
        plain = (
            ceasing_episodes(ds)
            .sort(["CHILD", "end"], maintain_order=True)
            .filter(pl.col("end").is_between(period.start, period.end))
            .unique("CHILD", keep="last", maintain_order=True)
            .join(people, on="CHILD", how="left", maintain_order="left")
        )
        assert_frame_equal(leavers(ds, period), plain)


@pytest.mark.parametrize("repeated", [False, True], ids=["one_row_per_child", "repeated_rows"])
def test_ethnicity_of_children_looked_after_is_the_header_joined(
    demo: Dataset, repeated: bool
) -> None:
    """ETHNIC is gathered by ``child_rows`` (each episode's child's first header row) when the
    header has one row per child, else joined: the same as a join of the header."""
    from sufficiency.measures.population import _cla_with_ethnicity

    ds = _header(demo, repeated)
    named = ds.children.get_column("CHILD").gather(ds.child_rows)
    assert named.drop_nulls().len() > 0
    assert (named == ds.episodes_typed.get_column("CHILD")).fill_null(True).all()
    header = ds.children.select("CHILD", "ETHNIC")
    for end in year_ends(ds, _at(ds)):
        plain = cla_children_on(ds, end).join(header, on="CHILD", how="left", maintain_order="left")
        got = _cla_with_ethnicity(ds, Period.year_ending(end))
        assert_frame_equal(got, plain, check_row_order=False)


@pytest.mark.parametrize("repeated", [False, True], ids=["one_row_per_child", "repeated_rows"])
def test_starters_by_age_count_the_header_dob_joined(demo: Dataset, repeated: bool) -> None:
    """starts_by_age_band reads the DOB the starting episodes carry when the header has one row
    per child, else joins it: the same counts as a join of the header."""
    from sufficiency.measures.common import DFE_AGE_BANDS, counts_by_band
    from sufficiency.measures.population import starters, starts_by_age_band

    ds = _header(demo, repeated)
    header = ds.children.select("CHILD", "DOB")
    for end in year_ends(ds, _at(ds)):
        period = Period.year_ending(end)
        joined = starters(ds, period).join(header, on="CHILD", how="left")
        want = counts_by_band(joined, age_expr("start"), DFE_AGE_BANDS)
        assert starts_by_age_band(ds, period) == want


def test_carer_spells_match_a_group_by_of_their_runs(demo: Dataset) -> None:
    ds = _fresh(demo)
    spells = linked_spells(ds)
    follows = (pl.col("prev_end") == pl.col("start")).fill_null(False)
    same = follows & code_expr("RNE").is_in(SAME_CARER_RNE).fill_null(False)
    marked = spells.with_columns((~same).cum_sum().alias("_carer"))
    per = (
        marked.group_by("_carer", maintain_order=True)
        .agg(
            pl.col("CHILD").first(),
            pl.col("linked_start").first().alias("carer_start"),
            pl.col("start").first().alias("_carer_first"),
            pl.col("end").last().alias("_carer_end"),
        )
        .with_columns(
            pl.when(pl.col("CHILD") == pl.col("CHILD").shift(1))
            .then(pl.col("carer_start").shift(1))
            .alias("prev_carer_start"),
            pl.when(pl.col("CHILD") == pl.col("CHILD").shift(1))
            .then(pl.col("_carer_end").shift(1))
            .alias("prev_carer_end"),
        )
    )
    want = marked.join(
        per.drop("CHILD", "_carer_end"), on="_carer", how="left", maintain_order="left"
    ).select(
        "CHILD", "start", "end", "PLACE", "carer_start", "_carer_first", "prev_carer_start",
        "prev_carer_end",
    )  # fmt: skip
    assert marked.get_column("_carer").n_unique() < marked.height  # some carers kept
    assert_frame_equal(carer_spells(ds), want)
    some = pl.Series([7, 0, 3, 7, want.height - 1], dtype=pl.UInt32)  # in any order, repeated
    assert_frame_equal(carer_spells(ds, some), want[some])


def test_costed_nights_price_every_row_as_cost_placements_does(demo: Dataset) -> None:
    ds = _fresh(demo)
    costs = ds.register("costs")
    assert costs is not None
    for end in year_ends(ds, _at(ds)):
        period = Period.year_ending(end)
        got = costed_nights(ds, period)
        assert got is not None
        rows = (
            bed_nights(ds, period)
            .filter(~pl.col("short_break"))
            .select(
                "CHILD",
                "placement_type",
                "PLACE_PROVIDER",
                pl.col("URN").cast(pl.Utf8).str.strip_chars().alias("urn"),
                "nights",
            )
            .join(urn_providers(ds), on="urn", how="left", maintain_order="left")
        )
        want = (
            cost_placements(rows, costs, financial_year(period.end))
            .with_columns((pl.col("nights") * pl.col("weekly_cost") / 7.0).alias("spend"))
            .drop("provider")
        )
        assert_frame_equal(got, want)
        # the year-on-year table's narrow frames are the same rows
        by_type = costed_years(ds, [period], by_type=True)
        assert by_type is not None
        assert_frame_equal(by_type[0], want.drop("CHILD", "PLACE_PROVIDER", "urn"))
