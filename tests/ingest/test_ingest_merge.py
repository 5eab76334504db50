"""The multi-year merge policy: each return is the authority for its own year (docs/measures.md).

Hand-made returns for 2022-23 (folder 2023) and 2023-24 (folder 2024); every count is exact.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from ingest_data import return_files, write_data

from sufficiency.dataset import Dataset
from sufficiency.ingest import load_data
from sufficiency.ingest.merge import merge_returns
from sufficiency.measures import compute
from sufficiency.results import to_json

MARCH_2023 = dt.date(2023, 3, 31)
MARCH_2024 = dt.date(2024, 3, 31)


def _h(child: str, dob: str = "01/06/2012") -> list[str]:
    return [child, "1", dob, "WBRI", "", "", ""]


def _e(child: str, decom: str, dec: str = "", rne: str = "S", rec: str = "") -> list[str]:
    rec = rec or ("E4A" if dec else "")
    return [child, decom, rne, "C2", "N1", "U4", "PR1", dec, rec, "", "", "", ""]


def _load(returns: dict[int, tuple[list[list[str]], list[list[str]]]], root: Path) -> Dataset:
    folder = write_data(root, {y: return_files(h, e) for y, (h, e) in returns.items()})
    result = load_data(folder)
    assert result.dataset is not None, result.problems
    return result.dataset


def _problems(root: Path, code: str) -> list[tuple[str, str | None, str]]:
    return [(p.file, p.value, p.message) for p in load_data(root).problems if p.code == code]


def _measures(ds: Dataset, at: dt.date, *ids: str) -> dict[str, object]:
    return dict(to_json(compute(ds, at, list(ids)).values))


# ------------------------------------------------------------------------------ vanished child
@pytest.fixture
def vanished(tmp_path: Path) -> Path:
    """A open at the end of 2022-23 and absent from 2023-24; K in both returns."""
    r23 = ([_h("A"), _h("K")], [_e("A", "10/05/2022"), _e("K", "01/06/2022")])
    r24 = ([_h("K")], [_e("K", "01/06/2022")])
    write_data(
        tmp_path / "D", {y: return_files(h, e) for y, (h, e) in {2023: r23, 2024: r24}.items()}
    )
    return tmp_path / "D"


def test_a_child_absent_from_the_next_return_leaves_on_1_april(vanished: Path) -> None:
    ds = load_data(vanished).dataset
    assert ds is not None
    a = ds.episodes.filter(pl.col("CHILD") == "A")
    assert a.select("DECOM", "DEC", "REC").rows() == [
        (dt.date(2022, 5, 10), dt.date(2023, 4, 1), None)
    ]
    # looked after on 31 March 2023, not on 31 March 2024, and not counted as leaving in 2023-24
    assert _measures(ds, MARCH_2023, "cla_count", "starts", "ceased") == {
        "cla_count": 2,
        "starts": 2,
        "ceased": 0,
    }
    assert _measures(ds, MARCH_2024, "cla_count", "starts", "ceased") == {
        "cla_count": 1,
        "starts": 0,
        "ceased": 0,
    }
    # the history (cs-demand-model's view) still has A open
    hist = ds.history
    assert hist is not None
    assert hist.filter(pl.col("CHILD") == "A").get_column("DEC").to_list() == [None]


def test_a_child_absent_from_the_next_return_is_named(vanished: Path) -> None:
    ((file, value, message),) = _problems(vanished, "absent_from_next_return")
    assert (file, value) == ("ssda903/2023/episodes.csv", "A")
    assert message.startswith(
        "1 children looked after at the end of the 2022-23 return are not in the next loaded "
        "return (2023-24): counted as looked after on 31/03/2023 and as having left on "
        "01/04/2023"
    )
    assert message.endswith(": A")


# --------------------------------------------------------------------------- back-filled child
@pytest.fixture
def backfilled(tmp_path: Path) -> Path:
    """The 2023-24 return places B in care since June 2022; the 2022-23 return lacks B."""
    r23 = ([_h("K")], [_e("K", "01/06/2022")])
    r24 = ([_h("K"), _h("B")], [_e("K", "01/06/2022"), _e("B", "01/06/2022")])
    write_data(
        tmp_path / "D", {y: return_files(h, e) for y, (h, e) in {2023: r23, 2024: r24}.items()}
    )
    return tmp_path / "D"


def test_a_later_return_adds_no_child_to_an_earlier_year(backfilled: Path) -> None:
    ds = load_data(backfilled).dataset
    assert ds is not None
    assert _measures(ds, MARCH_2023, "cla_count", "starts") == {"cla_count": 1, "starts": 1}
    # B is looked after in 2023-24 but did not start in it (the 2023-24 return says June 2022)
    assert _measures(ds, MARCH_2024, "cla_count", "starts", "ceased") == {
        "cla_count": 2,
        "starts": 0,
        "ceased": 0,
    }
    b = ds.episodes_typed.filter(pl.col("CHILD") == "B")
    assert b.select("DECOM", "linked_DECOM").rows() == [(dt.date(2023, 4, 1), dt.date(2022, 6, 1))]
    # time in care links to June 2022: 21 whole months on 31 March 2024
    assert ds.periods_of_care.filter(pl.col("CHILD") == "B").select(
        "start", "linked_start"
    ).rows() == [(dt.date(2023, 4, 1), dt.date(2022, 6, 1))]
    durations = _measures(ds, MARCH_2024, "duration_in_care")["duration_in_care"]
    assert durations == {
        "under_6_months": 0,
        "6_to_12_months": 0,
        "1_to_2_years": 2,
        "2_to_3_years": 0,
        "3_to_5_years": 0,
        "5_years_plus": 0,
    }


def test_a_back_filled_child_is_named(backfilled: Path) -> None:
    ((file, value, message),) = _problems(backfilled, "missing_from_earlier_return")
    assert (file, value) == ("ssda903/2023/episodes.csv", "B")
    assert message == (
        "1 children that a later return (2023-24) places in 2022-23 are not in the 2022-23 "
        "return: not counted in 2022-23 (their earlier episodes still link their time in "
        "care): B"
    )


# ------------------------------------------------------------------- rewritten earlier years
def test_a_later_return_cannot_end_an_earlier_years_episode(tmp_path: Path) -> None:
    # The 2022-23 return has C open at its end; the 2023-24 return ends the same episode on
    # 1 February 2023. On 31 March 2023 C counts (the 2022-23 return decides that year).
    r23 = ([_h("C")], [_e("C", "01/06/2022")])
    n = _e("N", "01/06/2023")  # a 2023-24 start, so the folder reads as 2023-24
    r24 = ([_h("C"), _h("N")], [_e("C", "01/06/2022", "01/02/2023"), n])
    ds = _load({2023: r23, 2024: r24}, tmp_path / "D")
    assert _measures(ds, MARCH_2023, "cla_count", "ceased") == {"cla_count": 1, "ceased": 0}
    assert _measures(ds, MARCH_2024, "cla_count", "ceased") == {"cla_count": 1, "ceased": 0}
    ((file, value, _),) = _problems(tmp_path / "D", "earlier_year_changed")
    assert (file, value) == ("ssda903/2023/episodes.csv", "C")


def test_an_episode_in_both_returns_is_one_episode(tmp_path: Path) -> None:
    r23 = ([_h("K")], [_e("K", "01/06/2022")])
    r24 = ([_h("K")], [_e("K", "01/06/2022", "01/05/2023", rec="E11")])
    ds = _load({2023: r23, 2024: r24}, tmp_path / "D")
    assert ds.episodes.select("DECOM", "DEC", "REC", "return_year").rows() == [
        (dt.date(2022, 6, 1), dt.date(2023, 5, 1), "E11", 2024)
    ]
    assert ds.cuts is None
    assert _measures(ds, MARCH_2024, "ceased") == {"ceased": 1}
    problems = load_data(tmp_path / "D").problems
    assert [p.code for p in problems] == ["duplicate_episode_across_returns"]


def test_leaving_on_1_april_counts_only_where_that_years_return_shows_it(tmp_path: Path) -> None:
    # L left on 1 April 2023 (the first day of 2023-24). Shown only by the 2022-23 return: not a
    # leaving in 2023-24; shown by the 2023-24 return too: it is.
    leave = _e("L", "01/06/2022", "01/04/2023")
    k, n = _e("K", "01/06/2022"), _e("N", "01/06/2023")
    k_left = _e("K", "01/06/2022", "01/07/2023")  # K leaves in 2023-24
    r23 = ([_h("L"), _h("K")], [leave, k])
    only_earlier = _load({2023: r23, 2024: ([_h("K"), _h("N")], [k_left, n])}, tmp_path / "A")
    both = _load(
        {2023: r23, 2024: ([_h("L"), _h("K"), _h("N")], [leave, k_left, n])}, tmp_path / "B"
    )
    assert _measures(only_earlier, MARCH_2024, "ceased") == {"ceased": 1}  # K
    assert _measures(both, MARCH_2024, "ceased") == {"ceased": 2}  # K and L
    for ds in (only_earlier, both):
        assert _measures(ds, MARCH_2023, "cla_count") == {"cla_count": 2}


def test_one_return_is_its_own_history(tmp_path: Path) -> None:
    ds = _load({2023: ([_h("A")], [_e("A", "10/05/2022")])}, tmp_path / "D")
    assert ds.cuts is None
    assert ds.history is not None and ds.history.equals(ds.episodes)


def test_merge_returns_keeps_the_history_latest_row_wins() -> None:
    def frame(year: int, rows: list[tuple[str, str, str | None]]) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "CHILD": [r[0] for r in rows],
                "DECOM": [dt.date.fromisoformat(r[1]) for r in rows],
                "DEC": [None if r[2] is None else dt.date.fromisoformat(r[2]) for r in rows],
                "REC": [None for _ in rows],
                "return_year": [year] * len(rows),
                "_row": list(range(2, len(rows) + 2)),
                "_file": [f"ssda903/{year}/episodes.csv"] * len(rows),
            },
            schema_overrides={"REC": pl.Utf8, "return_year": pl.Int32, "DEC": pl.Date},
        )

    merged = merge_returns(
        [
            frame(2023, [("A", "2022-05-10", None), ("K", "2022-06-01", None)]),
            frame(2024, [("K", "2022-06-01", "2023-06-01")]),
        ]
    )
    assert merged.history.select("CHILD", "DEC").rows() == [
        ("A", None),
        ("K", dt.date(2023, 6, 1)),
    ]
    assert merged.episodes.select("CHILD", "DEC").rows() == [
        ("A", dt.date(2023, 4, 1)),
        ("K", dt.date(2023, 6, 1)),
    ]
    assert merged.cuts.rows() == [("A", dt.date(2022, 5, 10), None, True)]
    assert [p.code for p in merged.problems] == [
        "duplicate_episode_across_returns",  # K's 2022-23 row: the 2023-24 row has its details
        "absent_from_next_return",
    ]


def test_a_load_for_its_errors_leaves_out_only_the_children_whose_years_differ(
    tmp_path: Path,
) -> None:
    """The commands name the kinds of warning that may change their figures: a child vanishing
    or back-filled between returns is named by them too (a snapshot for the latest return gave
    ceased 71 -> 1 without a word); only the slow comparison of every year's episodes is not.
    A vanishes after 2022-23, B is back-filled by 2023-24, C's 2022-23 episode is rewritten,
    K's 2022-23 episode repeats in 2023-24."""
    r23 = (
        [_h("A"), _h("C"), _h("K")],
        [_e("A", "10/05/2022"), _e("C", "01/06/2022"), _e("K", "01/06/2022")],
    )
    r24 = (
        [_h("B"), _h("C"), _h("K"), _h("N")],
        [
            _e("B", "01/06/2022"),
            _e("C", "01/06/2022", "01/02/2023"),
            _e("K", "01/06/2022"),
            _e("N", "01/06/2023"),
        ],
    )
    root = write_data(
        tmp_path / "D", {y: return_files(h, e) for y, (h, e) in {2023: r23, 2024: r24}.items()}
    )
    full, errors_only = load_data(root), load_data(root, warnings=False)
    named = {"absent_from_next_return", "missing_from_earlier_return", "earlier_year_changed"}
    assert named <= {p.code for p in full.problems}
    assert errors_only.problems == [p for p in full.problems if p.code != "earlier_year_changed"]
    assert full.dataset is not None and errors_only.dataset is not None
    for name in ("children", "episodes", "history", "cuts", "uasc"):
        assert getattr(errors_only.dataset, name).equals(getattr(full.dataset, name)), name
