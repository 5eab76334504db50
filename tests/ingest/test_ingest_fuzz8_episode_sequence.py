"""Episodes read against the child's episode before and after them (fuzz round 8): REC X1 with
nothing following, an ending REC whose next episode continues the period, and an episode that
continues a period no episode ends into. Each is named at its row, never counted silently."""

from __future__ import annotations

from pathlib import Path

from ingest_data import GOOD_EPISODES, GOOD_HEADER, good_files, return_files, where, write_data

from sufficiency.ingest import load_data
from sufficiency.ingest.problems import Problem

#: The codes this file is about.
CODES = (
    "x1_closes_open_episode",
    "x1_without_next_episode",
    "rec_ends_continued_episode",
    "rne_without_previous_episode",
)


def _episodes(*changes: tuple[int, int, str]) -> list[list[str]]:
    """The good episodes with (episode index, column index, value) changed."""
    rows = [list(r) for r in GOOD_EPISODES]
    for i, col, value in changes:
        rows[i][col] = value
    return rows


def _found(problems: list[Problem]) -> list[tuple[str, str, str, int | None, str | None]]:
    return [where(p) for p in problems if p.code in CODES]


def test_the_good_return_has_none_of_these(tmp_path: Path) -> None:
    result = load_data(write_data(tmp_path / "D"))
    assert result.problems == []


def test_x1_on_the_year_end_with_nothing_following_is_read_as_open(tmp_path: Path) -> None:
    """An export that closes open episodes at 31 March with X1: the child counted neither as
    looked after nor as ceased (cla_count 196 -> 0 without a word)."""
    eps = _episodes((3, 7, "31/03/2023"), (3, 8, "X1"))  # C3, open since 2021
    result = load_data(write_data(tmp_path / "D", {2023: good_files(episodes=eps)}))
    assert _found(result.problems) == [
        ("warning", "x1_closes_open_episode", "ssda903/2023/episodes.csv", 5, "DEC")
    ]
    assert "31/03/2023" in result.problems[0].message and "open" in result.problems[0].message
    assert result.dataset is not None
    c3 = result.dataset.episodes.filter(CHILD="C3")
    assert c3.select("DEC", "REC").rows() == [(None, None)]


def test_x1_on_an_earlier_years_end_is_read_as_open_too(tmp_path: Path) -> None:
    """The same closure in an earlier return (its own 31 March counted 197 -> 0)."""
    eps = _episodes((3, 7, "31/03/2023"), (3, 8, "X1"))
    later = [GOOD_EPISODES[1], GOOD_EPISODES[3]]  # C1 and C3 still looked after
    header = [GOOD_HEADER[0], GOOD_HEADER[2]]
    result = load_data(
        write_data(
            tmp_path / "D",
            {2023: good_files(episodes=eps), 2024: return_files(header, later)},
        )
    )
    assert _found(result.problems) == [
        ("warning", "x1_closes_open_episode", "ssda903/2023/episodes.csv", 5, "DEC")
    ]


def test_x1_on_the_year_end_whose_next_episode_only_a_later_return_holds(tmp_path: Path) -> None:
    """The X1 read as open, then closed again by the next episode the later return holds: one
    warning at the row, quoting the file's DEC, not a second saying the episode has no DEC
    (fuzz round 9)."""
    eps = _episodes((3, 7, "31/03/2023"), (3, 8, "X1"))
    nxt = ["C3", "31/03/2023", "P", "C2", "N4", "H5", "PR5", "", "", "", "HR1 1AA", "WR1 1AA", ""]
    later = [GOOD_EPISODES[1], nxt]
    header = [GOOD_HEADER[0], GOOD_HEADER[2]]
    result = load_data(
        write_data(
            tmp_path / "D",
            {2023: good_files(episodes=eps), 2024: return_files(header, later)},
        )
    )
    at_row = [p for p in result.problems if (p.file, p.row) == ("ssda903/2023/episodes.csv", 5)]
    assert [(p.code, p.value) for p in at_row] == [("x1_closes_open_episode", "31/03/2023")]
    assert "a later return holds the child's next episode" in at_row[0].message
    assert result.dataset is not None
    c3 = result.dataset.history.filter(CHILD="C3").sort("DECOM")
    assert c3.select("DEC").to_series().to_list()[0].isoformat() == "2023-03-31"


def test_a_child_whose_episodes_overlap_gets_no_sequence_warning(tmp_path: Path) -> None:
    """Two interleaved chains under one CHILD: the overlap repair truncates the first episode,
    and the sequence checks, reading the repaired history, would say no episode ends on the
    next one's DECOM although the file's does. The overlap is the problem named; the child's
    sequence is not read again (fuzz round 9)."""
    eps = [
        *GOOD_EPISODES,
        ["C2", "01/06/2022", "S", "C2", "N1", "U4", "PR1", "01/10/2022", "X1", "", "", "", ""],
        ["C2", "01/10/2022", "L", "C1", "N1", "U4", "PR1", "20/10/2022", "E13", "", "", "", ""],
        ["C2", "01/07/2022", "S", "V2", "N1", "U4", "PR1", "01/08/2022", "E13", "", "", "", ""],
    ]
    result = load_data(write_data(tmp_path / "D", {2023: good_files(episodes=eps)}))
    assert [p.code for p in result.problems if p.row in (6, 7, 8)] == ["overlapping_episodes"]
    assert _found(result.problems) == []


def test_x1_with_no_episode_following_is_named(tmp_path: Path) -> None:
    """Every leaver's REC written X1: ceased 71 -> 1 and adoptions 5 -> 0 without a word."""
    eps = _episodes((2, 8, "X1"))  # C2 left on 01/03/2023 (E13)
    result = load_data(write_data(tmp_path / "D", {2023: good_files(episodes=eps)}))
    assert _found(result.problems) == [
        ("warning", "x1_without_next_episode", "ssda903/2023/episodes.csv", 4, "REC")
    ]
    message = next(p.message for p in result.problems if p.code == "x1_without_next_episode")
    assert "C2" in message and "01/03/2023" in message


def test_x1_followed_in_another_loaded_return_is_not_named(tmp_path: Path) -> None:
    """The episode that follows is looked for in every loaded return."""
    eps = [GOOD_EPISODES[0], GOOD_EPISODES[2], GOOD_EPISODES[3]]  # C1's second episode lost
    later = [GOOD_EPISODES[1], GOOD_EPISODES[3]]
    header = [GOOD_HEADER[0], GOOD_HEADER[2]]
    result = load_data(
        write_data(
            tmp_path / "D",
            {
                2023: return_files(GOOD_HEADER, eps),
                2024: return_files(header, later),
            },
        )
    )
    assert _found(result.problems) == []


def test_an_ending_rec_whose_next_episode_continues_is_named(tmp_path: Path) -> None:
    """E13 on C1's first episode, though the next starts that day with RNE P: a leaver counted
    with no start (ceased 71 -> 76 while starts stayed 70)."""
    eps = _episodes((0, 8, "E13"))
    result = load_data(write_data(tmp_path / "D", {2023: good_files(episodes=eps)}))
    assert _found(result.problems) == [
        ("warning", "rec_ends_continued_episode", "ssda903/2023/episodes.csv", 2, "REC")
    ]
    message = next(p.message for p in result.problems if p.code == "rec_ends_continued_episode")
    assert "E13" in message and "RNE P" in message and "row 3" in message


def test_an_episode_continuing_nothing_is_named(tmp_path: Path) -> None:
    """A 'current episode' extract: C1's last episode (RNE P, inside the year) with none before
    it, read as the start of a period (starts 70 -> 41, placement moves 91 -> 0)."""
    eps = [GOOD_EPISODES[1], GOOD_EPISODES[2], GOOD_EPISODES[3]]
    result = load_data(write_data(tmp_path / "D", {2023: good_files(episodes=eps)}))
    assert _found(result.problems) == [
        ("warning", "rne_without_previous_episode", "ssda903/2023/episodes.csv", 2, "RNE")
    ]
    message = next(p.message for p in result.problems if p.code == "rne_without_previous_episode")
    assert "20/08/2022" in message and "start" in message


def test_a_gap_before_a_continuing_episode_is_named(tmp_path: Path) -> None:
    """C1's first episode ends 7 days before the next one (RNE P) starts."""
    eps = _episodes((0, 7, "13/08/2022"))
    result = load_data(write_data(tmp_path / "D", {2023: good_files(episodes=eps)}))
    assert ("warning", "rne_without_previous_episode", "ssda903/2023/episodes.csv", 3, "RNE") in (
        _found(result.problems)
    )


def test_a_continuing_episode_before_the_year_is_not_named(tmp_path: Path) -> None:
    """A child's first episode in the return may rightly continue one from an earlier year."""
    eps = _episodes((3, 2, "P"))  # C3 since 15/11/2021, before the 2022-23 year
    result = load_data(write_data(tmp_path / "D", {2023: good_files(episodes=eps)}))
    assert _found(result.problems) == []


def test_a_predecessor_in_an_earlier_return_is_found(tmp_path: Path) -> None:
    """C3's open episode in 2023 ends in the 2024 return, where the next one continues it."""
    header = [GOOD_HEADER[2]]
    later = [
        ["C3", "15/11/2021", "S", "C2", "N4", "H5", "PR5", "10/05/2023", "X1", "", "", "", ""],
        ["C3", "10/05/2023", "P", "C2", "N4", "U4", "PR1", "", "", "", "", "", ""],
    ]
    result = load_data(
        write_data(tmp_path / "D", {2023: good_files(), 2024: return_files(header, later)})
    )
    assert _found(result.problems) == []


def test_a_continuing_episode_on_the_years_first_day_is_not_named(tmp_path: Path) -> None:
    """An episode ending on 1 April may be held only by the return before (open at its end)."""
    eps = _episodes((3, 1, "01/04/2022"), (3, 2, "P"))
    result = load_data(write_data(tmp_path / "D", {2023: good_files(episodes=eps)}))
    assert _found(result.problems) == []


def test_a_continuing_episode_on_the_years_first_day_is_named_when_the_return_before_is_loaded(
    tmp_path: Path,
) -> None:
    """Fuzz round 9: with the 2021-22 return loaded and holding no episode of C9, an RNE P on
    1 April 2022 continues nothing, as on 2 April."""
    earlier = return_files([GOOD_HEADER[2]], [GOOD_EPISODES[3]])
    header = [*GOOD_HEADER, ["C9", "2", "03/09/2008", "WBRI", "", "", ""]]
    c9 = ["C9", "01/04/2022", "P", "C2", "N1", "U4", "PR1", "", "", "", "HR1 1AA", "HR2 6AD", ""]
    result = load_data(
        write_data(
            tmp_path / "D", {2022: earlier, 2023: return_files(header, [*GOOD_EPISODES, c9])}
        )
    )
    assert ("warning", "rne_without_previous_episode", "ssda903/2023/episodes.csv", 6, "RNE") in (
        _found(result.problems)
    )
