"""A child's DOB or SEX that differs between two returns is named: the latest return's header
row is used for every year, so an earlier year's ages and counts by sex would change silently.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
from ingest_data import (
    GOOD_EPISODES,
    GOOD_HEADER,
    good_files,
    many_children,
    return_files,
    write_data,
)
from typer.testing import CliRunner

from sufficiency.cli import app
from sufficiency.ingest import load_data
from sufficiency.ingest.loader import LoadResult
from sufficiency.ingest.merge import header_per_child
from sufficiency.ingest.problems import LIMIT, VALUE_SHOWN, Problem

DOB_CODE = "dob_differs_across_returns"
SEX_CODE = "sex_differs_across_returns"
FILLED_CODE = "detail_from_earlier_return"
#: The 2023-24 return of the good return's children: C1 and C3 still open, C2 back in care.
EPISODES_2024 = [
    GOOD_EPISODES[1],
    ["C2", "01/06/2023", "S", "V2", "N2", "U1", "PR1", "", "", "", "HR4 9QQ", "HR4 9QQ", ""],
    GOOD_EPISODES[3],
]
DOB_MESSAGE = (
    "CHILD {child}'s DOB is {later} in the {later_return} return but {earlier} in the "
    "{earlier_return} return: the latest return's is used for every year; correct whichever is "
    "wrong"
)
SEX_MESSAGE = (
    "CHILD {child}'s SEX is {later} in the {later_return} return but {earlier} in the "
    "{earlier_return} return: the latest return's is used for every year (counts by sex in "
    "earlier years change); if it was not changed on purpose, correct whichever is wrong"
)


def _record(p: Problem) -> tuple[str, str, str, int | None, str | None, str | None]:
    return (p.severity, p.code, p.file, p.row, p.column, p.value)


def _ours(result: LoadResult) -> list[Problem]:
    return [p for p in result.problems if p.code in (DOB_CODE, SEX_CODE)]


def _header(changes: dict[str, tuple[int, str]]) -> list[list[str]]:
    """The good header with cells replaced: CHILD -> (column index, value)."""
    rows = [list(r) for r in GOOD_HEADER]
    for row in rows:
        if row[0] in changes:
            index, value = changes[row[0]]
            row[index] = value
    return rows


def _lettered(header: list[list[str]]) -> list[list[str]]:
    """Header rows with SEX coded M / F, as returns from 2024-25 code it."""
    return [[r[0], {"1": "M", "2": "F"}.get(r[1], r[1]), *r[2:]] for r in header]


def _two_returns(root: Path, header_2024: list[list[str]]) -> Path:
    """The good 2022-23 return and a 2023-24 return of the same children with ``header_2024``."""
    later = good_files(header=header_2024, episodes=EPISODES_2024)
    return write_data(root, {2023: good_files(), 2024: later})


def test_a_dob_that_differs_between_returns_is_an_error(tmp_path: Path) -> None:
    """Before, C1 read as born 01/06/2011 in 2022-23 too, without a word."""
    root = _two_returns(tmp_path / "D", _header({"C1": (2, "01/06/2011")}))
    result = load_data(root)
    (p,) = _ours(result)
    assert _record(p) == (
        "error",
        DOB_CODE,
        "ssda903/2024/header.csv",
        2,
        "DOB",
        "01/06/2011",
    )
    assert p.message == DOB_MESSAGE.format(
        child="C1",
        later="01/06/2011",
        later_return="2023-24",
        earlier="01/06/2010",
        earlier_return="2022-23",
    )
    assert not result.ok and result.dataset is None  # an error stops the load


def test_a_sex_that_differs_between_returns_is_a_warning(tmp_path: Path) -> None:
    """C2 coded 2 (F) in 2022-23 and 1 (M) in 2023-24: named, the 2023-24 value used."""
    root = _two_returns(tmp_path / "D", _header({"C2": (1, "1")}))
    result = load_data(root)
    (p,) = _ours(result)
    assert _record(p) == ("warning", SEX_CODE, "ssda903/2024/header.csv", 3, "SEX", "M")
    assert p.message == SEX_MESSAGE.format(
        child="C2", later="M", later_return="2023-24", earlier="F", earlier_return="2022-23"
    )
    assert result.ok and result.dataset is not None
    sex = result.dataset.children.filter(pl.col("CHILD") == "C2").get_column("SEX").to_list()
    assert sex == ["M"]


def test_both_differing_are_named_dob_first(tmp_path: Path) -> None:
    root = _two_returns(tmp_path / "D", _header({"C1": (1, "2"), "C3": (2, "03/09/2007")}))
    result = load_data(root)
    assert [_record(p) for p in _ours(result)] == [
        ("error", DOB_CODE, "ssda903/2024/header.csv", 4, "DOB", "03/09/2007"),
        ("warning", SEX_CODE, "ssda903/2024/header.csv", 2, "SEX", "F"),
    ]


def test_returns_that_agree_name_nothing(tmp_path: Path) -> None:
    result = load_data(_two_returns(tmp_path / "D", [list(r) for r in GOOD_HEADER]))
    assert _ours(result) == [] and result.ok


def _recoded_returns(root: Path, sex_2025: str) -> Path:
    """A 2023-24 return coding SEX 1 / 2 and a 2024-25 one coding M / F, its A2 ``sex_2025``."""
    header_2024 = [
        ["A1", "1", "01/06/2010", "WBRI", "", "", ""],
        ["A2", "2", "15/02/2015", "AIND", "", "", ""],
    ]
    header_2025 = [["A1", "M", *header_2024[0][2:]], ["A2", sex_2025, *header_2024[1][2:]]]
    episodes = [
        ["A1", "10/05/2023", "S", "C2", "N1", "U4", "PR1", "", "", "", "", "", ""],
        ["A2", "01/01/2024", "S", "V2", "N2", "U1", "PR1", "", "", "", "", "", ""],
    ]
    return write_data(
        root,
        {2024: return_files(header_2024, episodes), 2025: return_files(header_2025, episodes)},
    )


def test_the_dfe_recoding_of_sex_1_to_m_is_not_a_difference(tmp_path: Path) -> None:
    """The DfE coded SEX 1 / 2 until 2023-24 and M / F from 2024-25: 1 -> M is the same sex."""
    result = load_data(_recoded_returns(tmp_path / "D", "F"))
    assert _ours(result) == [] and result.ok


def test_a_recoded_sex_that_changed_is_named_in_its_canonical_codes(tmp_path: Path) -> None:
    result = load_data(_recoded_returns(tmp_path / "D", "M"))
    (p,) = _ours(result)
    assert _record(p) == ("warning", SEX_CODE, "ssda903/2025/header.csv", 3, "SEX", "M")
    assert "SEX is M in the 2024-25 return but F in the 2023-24 return" in p.message


def test_the_nearest_earlier_return_that_differs_is_named(tmp_path: Path) -> None:
    """C1's DOB is the same in 2022-23 and 2023-24, another in 2024-25: one error, naming the
    2024-25 row and the 2023-24 value (the return before it)."""
    header_2025 = _lettered(_header({"C1": (2, "02/06/2010")}))
    episodes_2025 = [GOOD_EPISODES[1], EPISODES_2024[1], GOOD_EPISODES[3]]
    returns = {
        2023: good_files(),
        2024: good_files(episodes=EPISODES_2024),
        2025: return_files(header_2025, episodes_2025),
    }
    result = load_data(write_data(tmp_path / "D", returns))
    (p,) = _ours(result)
    assert _record(p) == ("error", DOB_CODE, "ssda903/2025/header.csv", 2, "DOB", "02/06/2010")
    assert "DOB is 02/06/2010 in the 2024-25 return but 01/06/2010 in the 2023-24 return" in (
        p.message
    )


def test_a_child_absent_from_the_latest_return_is_named_in_its_own_latest(
    tmp_path: Path,
) -> None:
    """C2 left care in 2022-23 and is in no later return: its 2023-24 DOB is the one used."""
    header = _header({"C2": (2, "16/02/2015")})
    header_2025 = _lettered([r for r in GOOD_HEADER if r[0] != "C2"])
    episodes_2025 = [GOOD_EPISODES[1], GOOD_EPISODES[3]]
    eps_2024 = [list(r) for r in EPISODES_2024]
    eps_2024[1][7:9] = ["01/07/2023", "E13"]
    returns = {
        2023: good_files(),
        2024: good_files(header=header, episodes=eps_2024),
        2025: return_files(header_2025, episodes_2025),
    }
    result = load_data(write_data(tmp_path / "D", returns))
    (p,) = _ours(result)
    assert _record(p) == ("error", DOB_CODE, "ssda903/2024/header.csv", 3, "DOB", "16/02/2015")


def test_many_differences_are_capped(tmp_path: Path) -> None:
    """30 children with another DOB in the later return: 20 named, one more counting the rest."""
    header, episodes = many_children(30)
    later = [[r[0], r[1], "02/06/2010", *r[3:]] for r in header]
    returns = {2023: return_files(header, episodes), 2024: return_files(later, episodes)}
    result = load_data(write_data(tmp_path / "D", returns))
    problems = _ours(result)
    assert len(problems) == LIMIT + 1
    assert [p.row for p in problems[:LIMIT]] == list(range(2, LIMIT + 2))  # in row order
    assert _record(problems[-1]) == (
        "error",
        DOB_CODE,
        "ssda903/2024/header.csv",
        None,
        "DOB",
        None,
    )
    assert problems[-1].message == f"{30 - LIMIT} more row(s) like the above"


def test_a_huge_child_id_is_quoted_cut_short(tmp_path: Path) -> None:
    """A 100,000-character CHILD is no child's id (``child_id_too_long``); the message quotes
    it cut short."""
    huge = "C" * 100_000
    header = [[huge, *GOOD_HEADER[0][1:]]]
    episodes = [[huge, *GOOD_EPISODES[1][1:]]]
    later = [[huge, "1", "01/06/2011", *GOOD_HEADER[0][3:]]]
    returns = {2023: return_files(header, episodes), 2024: return_files(later, episodes)}
    result = load_data(write_data(tmp_path / "D", returns))
    long = [p for p in result.problems if p.code == "child_id_too_long"]
    assert len(long) == 4 and result.dataset is None  # each return's header and episodes
    assert long[0].message.startswith(f"CHILD '{huge[: VALUE_SHOWN - 3]}...' is longer than 20")
    assert all(len(p.message) < VALUE_SHOWN + 200 for p in long)


def test_validate_names_the_difference(tmp_path: Path) -> None:
    """``sufficiency validate --json`` (the tester's way in) lists the error and fails."""
    root = _two_returns(tmp_path / "D", _header({"C1": (2, "01/06/2011")}))
    out = CliRunner().invoke(app, ["validate", str(root), "--json"])
    found = [p for p in json.loads(out.stdout)["problems"] if p["code"] == DOB_CODE]
    assert out.exit_code != 0
    assert [(p["file"], p["row"], p["column"], p["value"]) for p in found] == [
        ("ssda903/2024/header.csv", 2, "DOB", "01/06/2011")
    ]


def _frame(year: int, rows: list[tuple[str, str, dt.date, int]]) -> pl.DataFrame:
    """One return's typed header rows as the merge receives them (CHILD, SEX, DOB, _row)."""
    return pl.DataFrame(
        {
            "CHILD": [r[0] for r in rows],
            "SEX": [r[1] for r in rows],
            "DOB": [r[2] for r in rows],
            "_row": [r[3] for r in rows],
            "_file": [f"ssda903/{year}/header.csv"] * len(rows),
            "return_year": [year] * len(rows),
        },
        schema_overrides={"return_year": pl.Int32},
    )


def test_header_per_child_keeps_the_latest_row_and_names_differences() -> None:
    """The merge's own step: frames in any order, one row per child (the latest return's)."""
    born = dt.date(2010, 6, 1)
    frames = [
        _frame(2024, [("A", "M", born, 2), ("B", "F", born, 3)]),
        _frame(
            2023, [("A", "M", born, 2), ("B", "F", born.replace(day=2), 3), ("C", "M", born, 4)]
        ),
    ]
    children, problems = header_per_child(frames)
    assert children.select("CHILD", "return_year").rows() == [("A", 2024), ("B", 2024), ("C", 2023)]
    assert [_record(p) for p in problems] == [
        ("error", DOB_CODE, "ssda903/2024/header.csv", 3, "DOB", "01/06/2010")
    ]


def test_one_return_names_nothing() -> None:
    frame = _frame(2023, [("A", "M", dt.date(2010, 6, 1), 2)])
    children, problems = header_per_child([frame])
    assert children.equals(frame) and problems == []


def test_blank_sex_in_the_latest_return_takes_the_earlier_one(tmp_path: Path) -> None:
    """A blank SEX is its own warning (``missing_value``), not a difference. Before, the blank
    latest row replaced the F the 2022-23 return knew, so C2 counted as of unknown sex in every
    year; now the earlier return's value is used, and said so."""
    root = _two_returns(tmp_path / "D", _header({"C2": (1, "")}))
    result = load_data(root)
    assert _ours(result) == []
    assert [p.code for p in result.problems if p.column == "SEX"] == [
        "missing_value",
        FILLED_CODE,
    ]
    (p,) = [p for p in result.problems if p.code == FILLED_CODE]
    assert _record(p) == ("warning", FILLED_CODE, "ssda903/2024/header.csv", 3, "SEX", "F")
    assert p.message == (
        "CHILD C2's SEX is blank in the 2023-24 return: the 2022-23 return's F is used for "
        "every year"
    )
    assert result.dataset is not None
    children = result.dataset.children.sort("CHILD")
    assert children.select("CHILD", "SEX").rows() == [("C1", "M"), ("C2", "F"), ("C3", "M")]


def test_a_blank_detail_takes_the_nearest_earlier_return_that_knew_it(tmp_path: Path) -> None:
    """C1's ETHNIC and SEX blank in 2024-25, its ETHNIC changed in 2023-24 and SEX blank there
    too: ETHNIC from 2023-24, SEX from 2022-23."""
    header_2024 = _header({"C1": (3, "WIRI")})
    header_2024[0][1] = ""
    header_2025 = _lettered(_header({"C1": (3, "")}))
    header_2025[0][1] = ""
    episodes_2025 = [GOOD_EPISODES[1], EPISODES_2024[1], GOOD_EPISODES[3]]
    returns = {
        2023: good_files(),
        2024: good_files(header=header_2024, episodes=EPISODES_2024),
        2025: return_files(header_2025, episodes_2025),
    }
    result = load_data(write_data(tmp_path / "D", returns))
    filled = [p for p in result.problems if p.code == FILLED_CODE]
    assert [_record(p) for p in filled] == [
        ("warning", FILLED_CODE, "ssda903/2025/header.csv", 2, "SEX", "M"),
        ("warning", FILLED_CODE, "ssda903/2025/header.csv", 2, "ETHNIC", "WIRI"),
    ]
    assert "the 2022-23 return's M is used" in filled[0].message
    assert "the 2023-24 return's WIRI is used" in filled[1].message
    assert result.dataset is not None
    c1 = result.dataset.children.filter(pl.col("CHILD") == "C1")
    assert c1.select("SEX", "ETHNIC").rows() == [("M", "WIRI")]


def test_a_detail_blank_in_every_return_stays_blank(tmp_path: Path) -> None:
    header = _header({"C2": (1, "")})
    later = good_files(header=header, episodes=EPISODES_2024)
    result = load_data(write_data(tmp_path / "D", {2023: good_files(header=header), 2024: later}))
    assert [p for p in result.problems if p.code == FILLED_CODE] == []
    assert result.dataset is not None
    c2 = result.dataset.children.filter(pl.col("CHILD") == "C2")
    assert c2.get_column("SEX").to_list() == [None]


def test_the_guide_explains_the_codes() -> None:
    guide = Path(__file__).resolve().parents[2] / "docs" / "getting-your-data.md"
    lines = guide.read_text(encoding="utf-8").splitlines()
    row = next(line for line in lines if DOB_CODE in line)
    assert row.startswith(f"| `{DOB_CODE}`, `{SEX_CODE}` | error for DOB, warning for SEX |")
    assert any(line.startswith(f"| `{FILLED_CODE}` | warning |") for line in lines)
