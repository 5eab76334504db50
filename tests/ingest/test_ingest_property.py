"""Property tests: random damage to a small good return gives the problem that damage should
cause, or a Dataset, and never an exception."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_data import (
    EPISODE_COLUMNS,
    GOOD_EPISODES,
    GOOD_HEADER,
    HEADER_COLUMNS,
    csv_text,
    good_files,
    write_data,
)
from polars.testing import assert_frame_equal

from sufficiency.ingest import load_data
from sufficiency.ingest.loader import LoadResult

pytestmark = pytest.mark.slow

#: Examples per property: a few dozen in the test suite; a fuzz run sets INGEST_EXAMPLES=10000.
EXAMPLES = int(os.environ.get("INGEST_EXAMPLES", "30"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
CODED = {"RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "REC", "REASON_PLACE_CHANGE"}
JUNK = st.sampled_from(["abc", "12.5", "??", "-1", "N/A", "2023-13-45", "0", "x y"])


def _load(files: dict[str, str | bytes]) -> LoadResult:
    with tempfile.TemporaryDirectory() as tmp:
        return load_data(write_data(Path(tmp) / "DATA", {2023: files}))


def _errors(result: LoadResult) -> list[tuple[str, int | None, str | None]]:
    return [(p.code, p.row, p.column) for p in result.problems if p.severity == "error"]


def _consistent(result: LoadResult) -> None:
    """A Dataset exactly when there are no errors."""
    assert (result.dataset is None) == bool(_errors(result))


REFERENCE = _load(good_files())
assert REFERENCE.dataset is not None


@SETTINGS
@given(data=st.data())
def test_truncated_episodes_file(data: st.DataObject) -> None:
    text = good_files()["episodes.csv"]
    assert isinstance(text, str)
    header_len = text.index("\n") + 1
    cut = data.draw(st.integers(min_value=header_len, max_value=len(text)))
    damaged = text[:cut]
    result = _load({**good_files(), "episodes.csv": damaged})
    _consistent(result)
    last_row = damaged.count("\n") + (0 if damaged.endswith("\n") else 1)
    rows = [line for line in damaged.split("\n")[1:] if line.strip()]
    known = {r[0] for r in GOOD_HEADER}
    covered = {line.split(",")[0] for line in rows} & known
    errors = _errors(result)
    for code, row, _col in errors:
        if code == "empty_table":
            assert row is None  # named for the whole table
        else:
            assert code in {
                "bad_date",
                "unknown_code",
                "missing_code",
                "child_not_in_header",
                "truncated_row",  # the cut row is short and the file ends in it
            }
            assert row == last_row  # only the cut row can be damaged
    assert (("empty_table", None, None) in errors) == (not rows)
    incomplete = any(p.code == "episodes_incomplete" for p in result.problems)
    assert incomplete == (bool(rows) and len(covered) < len(known))
    if result.dataset is not None:
        complete = damaged.count("\n") - 1
        partial = 0 if damaged.endswith("\n") else 1
        assert result.returns[0].episodes == complete + partial


@SETTINGS
@given(
    row=st.integers(min_value=0, max_value=len(GOOD_EPISODES) - 1),
    col=st.sampled_from(EPISODE_COLUMNS),
    junk=JUNK,
)
def test_wrong_type_in_an_episode_cell(row: int, col: str, junk: str) -> None:
    rows = [list(r) for r in GOOD_EPISODES]
    rows[row][EPISODE_COLUMNS.index(col)] = junk
    result = _load(good_files(episodes=rows))
    _consistent(result)
    expected: list[tuple[str, int | None, str | None]]
    if col in ("DECOM", "DEC"):
        expected = [("bad_date", row + 2, col)]
    elif col in CODED:
        expected = [("unknown_code", row + 2, col)]
    elif col == "CHILD":
        expected = [("child_not_in_header", row + 2, "CHILD")]
        # C2's or C3's only episode: the episodes miss one of three children (a warning here,
        # as the return has no OC2, OC3 or AD1 table that could explain it)
        incomplete = [p.code for p in result.problems if p.code == "episodes_incomplete"]
        assert incomplete == (["episodes_incomplete"] if row >= 2 else [])
    else:  # URN is free text; a postcode that is not one is a warning (read as blank)
        expected = []
    assert _errors(result) == expected


@SETTINGS
@given(
    row=st.integers(min_value=0, max_value=len(GOOD_HEADER) - 1),
    col=st.sampled_from(["SEX", "DOB", "ETHNIC", "MOTHER"]),
    junk=JUNK,
)
def test_wrong_type_in_a_header_cell(row: int, col: str, junk: str) -> None:
    rows = [list(r) for r in GOOD_HEADER]
    rows[row][HEADER_COLUMNS.index(col)] = junk
    result = _load(good_files(header=rows))
    _consistent(result)
    expected = {
        "SEX": [("unknown_code", row + 2, "SEX")],
        "ETHNIC": [("unknown_code", row + 2, "ETHNIC")],
        "DOB": [("bad_date", row + 2, "DOB")],
        "MOTHER": [],  # a warning: the value is dropped
    }[col]
    assert _errors(result) == expected
    if col == "MOTHER" and junk not in ("0",):
        assert [(p.code, p.row) for p in result.problems] == [("bad_value", row + 2)]


@SETTINGS
@given(
    header_order=st.permutations(range(len(HEADER_COLUMNS))),
    episode_order=st.permutations(range(len(EPISODE_COLUMNS))),
)
def test_shuffled_columns_give_the_same_frames(
    header_order: list[int], episode_order: list[int]
) -> None:
    files = good_files()
    files["header.csv"] = csv_text(
        [HEADER_COLUMNS[i] for i in header_order],
        [[r[i] for i in header_order] for r in GOOD_HEADER],
    )
    files["episodes.csv"] = csv_text(
        [EPISODE_COLUMNS[i] for i in episode_order],
        [[r[i] for i in episode_order] for r in GOOD_EPISODES],
    )
    result = _load(files)
    assert result.problems == []
    assert result.dataset is not None and REFERENCE.dataset is not None
    assert_frame_equal(result.dataset.children, REFERENCE.dataset.children)
    assert_frame_equal(result.dataset.episodes, REFERENCE.dataset.episodes)


@SETTINGS
@given(
    table=st.sampled_from(["header.csv", "episodes.csv"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]),
    invalid_at=st.one_of(st.none(), st.floats(min_value=0.0, max_value=1.0)),
)
def test_encodings_read_or_are_reported(
    table: str, encoding: str, invalid_at: float | None
) -> None:
    files = good_files()
    text = files[table]
    assert isinstance(text, str)
    raw = text.encode(encoding)
    if invalid_at is not None:
        # 0x81 is neither UTF-8 nor Windows-1252 text: the file cannot be decoded.
        at = int(invalid_at * len(raw))
        raw = raw[:at] + b"\x81" + raw[at:]
        if encoding == "utf-16":
            raw = raw.replace(b"\x00", b"")  # an odd-length UTF-16 file without NULs
            raw = raw.lstrip(b"\xff\xfe")
    files[table] = raw
    result = _load(files)
    _consistent(result)
    if invalid_at is None:
        assert result.problems == []
        assert result.dataset is not None and REFERENCE.dataset is not None
        assert_frame_equal(result.dataset.episodes, REFERENCE.dataset.episodes)
    else:
        assert [(p.code, p.file) for p in result.problems] == [
            ("file_unreadable", f"ssda903/2023/{table}")
        ]


@settings(max_examples=2 * EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=st.sampled_from(["header.csv", "episodes.csv", "uasc.csv"]),
    start=st.floats(min_value=0.0, max_value=1.0),
    garbage=st.binary(min_size=1, max_size=40),
)
def test_random_bytes_never_raise(table: str, start: float, garbage: bytes) -> None:
    files = good_files()
    raw = str(files[table]).encode()
    at = int(start * len(raw))
    files[table] = raw[:at] + garbage + raw[at + len(garbage) :]
    result = _load(files)
    _consistent(result)
    for p in result.problems:
        assert p.file.startswith("ssda903/2023")
        assert p.message


BLANK_LINES = st.sampled_from(["", ",,,,,,,,,,,,", "   ", " , ,\t,"])


@SETTINGS
@given(inserts=st.lists(st.tuples(st.integers(0, len(GOOD_EPISODES) - 1), BLANK_LINES), max_size=4))
def test_blank_lines_are_named_and_skipped(inserts: list[tuple[int, str]]) -> None:
    lines = str(good_files()["episodes.csv"]).splitlines()
    for after, text in sorted(inserts, reverse=True):
        lines.insert(after + 2, text)  # after data line ``after`` (line 1 is the header)
    result = _load({**good_files(), "episodes.csv": "\n".join(lines) + "\n"})
    last = max(i for i, line in enumerate(lines) if line.replace(",", "").strip())
    blanks = [i for i, line in enumerate(lines) if i and not line.replace(",", "").strip()]
    named = [i + 1 for i in blanks if lines[i] or i < last]  # trailing empty lines are not named
    assert [(p.code, p.row) for p in result.problems] == [("blank_row", r) for r in named]
    assert result.dataset is not None and REFERENCE.dataset is not None
    assert_frame_equal(result.dataset.episodes, REFERENCE.dataset.episodes)


@SETTINGS
@given(
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le", "utf-16-be"]),
)
def test_any_delimiter_and_encoding_reads_alike(delimiter: str, encoding: str) -> None:
    files = good_files()
    files["episodes.csv"] = str(files["episodes.csv"]).replace(",", delimiter).encode(encoding)
    result = _load(files)
    expected = [] if delimiter == "," else [("delimiter_detected", delimiter)]
    assert [(p.code, p.value) for p in result.problems] == expected
    assert result.dataset is not None and REFERENCE.dataset is not None
    assert_frame_equal(result.dataset.episodes, REFERENCE.dataset.episodes)


@SETTINGS
@given(
    row=st.integers(0, len(GOOD_EPISODES) - 1),
    extra=st.lists(st.sampled_from(["X", "1", "E3", "a b"]), min_size=1, max_size=8),
)
def test_a_row_longer_than_the_header_is_named(row: int, extra: list[str]) -> None:
    lines = str(good_files()["episodes.csv"]).splitlines()
    lines[row + 1] += "," + ",".join(extra)
    result = _load({**good_files(), "episodes.csv": "\n".join(lines) + "\n"})
    assert [(p.code, p.row, p.value) for p in result.problems] == [
        ("long_row", row + 2, ",".join(extra))
    ]
    assert result.dataset is None


@SETTINGS
@given(
    mantissa=st.integers(1, 99),
    decimals=st.sampled_from(["", ".0", ".00", ".5"]),
    exponent=st.integers(3, 15),
    sign=st.sampled_from(["+", ""]),
    case=st.sampled_from(["E", "e"]),
)
def test_scientific_child_ids_are_named(
    mantissa: int, decimals: str, exponent: int, sign: str, case: str
) -> None:
    child = f"{mantissa}{decimals}{case}{sign}{exponent}"
    header = [list(r) for r in GOOD_HEADER]
    episodes = [list(r) for r in GOOD_EPISODES]
    header[1][0] = episodes[2][0] = child  # C2 becomes a mangled id in both tables
    result = _load(good_files(header=header, episodes=episodes))
    assert sorted(_errors(result)) == [
        ("excel_scientific_id", 3, "CHILD"),
        ("excel_scientific_id", 4, "CHILD"),
    ]
