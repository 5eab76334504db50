"""Fuzz round 10 #6 and #7: referral needs written with commas were read as one need no vacancy
accepts (match allocated 4 of 6, validate silent), and ``match --batch`` read the referrals CSV
with its own reader, refusing what validate reads (';' separators, UTF-16, a blank row, a
totals row, a placement type written as words: "missing column id")."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from sufficiency.ingest.registers import load_registers
from sufficiency.matching.referral import parse_referral
from sufficiency.matching.referral_files import read_referrals, read_referrals_csv

HEADER = ["referral_id", "age", "needed_by", "requested_type", "needs", "budget_weekly"]
ROWS = [
    ["Z1", "12", "2026-04-15", "ifa", "sibling_group;disability", "900"],
    ["Z2", "15", "15/04/2026", "external_residential", "", "4500"],
    ["Z3", "9", "2026-04-15", "in_house_fostering", "missing", ""],
]
EXPECTED = [
    ("Z1", 12, "ifa", ("sibling_group", "disability"), 900.0),
    ("Z2", 15, "external_residential", (), 4500.0),
    ("Z3", 9, "in_house_fostering", ("missing",), None),
]


def _csv(rows: list[list[str]], sep: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\n").writerows([HEADER, *rows])
    return out.getvalue()


def _read(path: Path) -> list[tuple[object, ...]]:
    return [
        (r.id, r.child.age, r.requested_type, r.needs, r.budget_weekly)
        for r in read_referrals_csv(path)
    ]


def _validate(tmp_path: Path, data: bytes) -> list[tuple[str, str, int | None]]:
    folder = tmp_path / "v" / "registers"
    folder.mkdir(parents=True)
    (folder / "referrals.csv").write_bytes(data)
    _, problems = load_registers(folder)
    return [(p.severity, p.code, p.row) for p in problems]


CASES = {
    "semicolons": _csv(
        [[c.replace(";", ",") if i == 4 else c for i, c in enumerate(r)] for r in ROWS], ";"
    ).encode(),
    "utf16": _csv(ROWS).encode("utf-16"),
    "blank_row": _csv([ROWS[0], [""] * 6, *ROWS[1:]]).encode(),
    "totals_row": (_csv(ROWS) + "Total,,,,,5400\n").encode(),
    "type_in_words": _csv(
        [[*r[:3], r[3].replace("_", " ").title(), *r[4:]] for r in ROWS]
    ).encode(),
    "id_column": _csv(ROWS).replace("referral_id", "id", 1).encode(),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_match_batch_reads_what_validate_reads(tmp_path: Path, case: str) -> None:
    path = tmp_path / "referrals.csv"
    path.write_bytes(CASES[case])
    assert not [p for p in _validate(tmp_path, CASES[case]) if p[0] == "error"]
    assert _read(path) == EXPECTED


def test_a_refused_file_is_refused_with_validates_words(tmp_path: Path) -> None:
    data = _csv([*ROWS, ["", "7", "2026-04-15", "ifa", "", ""]]).encode()
    path = tmp_path / "referrals.csv"
    path.write_bytes(data)
    assert _validate(tmp_path, data) == [("error", "register_blank_value", 5)]
    with pytest.raises(ValueError) as caught:
        read_referrals_csv(path)
    assert str(caught.value) == (
        f"{path} row 5: register_blank_value: referral_id must not be blank (expected an "
        "identifier of up to 40 characters)"
    )


def test_a_totals_row_is_named_as_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "referrals.csv"
    path.write_bytes(CASES["totals_row"])
    refs, warnings = read_referrals(path)
    assert len(refs) == 3
    assert [(p.code, p.row) for p in warnings] == [("register_totals_row", 5)]


def test_needs_written_with_commas_are_read_as_several_needs(tmp_path: Path) -> None:
    rows = [[*ROWS[0][:4], "sibling_group, disability", "900"], *ROWS[1:]]
    data = _csv(rows).encode()
    path = tmp_path / "referrals.csv"
    path.write_bytes(data)
    frames, problems = load_registers(_folder(tmp_path, data))
    assert problems == []
    assert frames["referrals"].get_column("needs").to_list()[0] == ["sibling_group", "disability"]
    assert _read(path) == EXPECTED
    one = parse_referral(
        {"id": "J1", "child": {"age": 12}, "needed_by": "2026-04-15", "needs": "a, b"}
    )
    assert one.needs == ("a", "b")


def test_a_comma_inside_an_item_of_a_semicolon_list_is_part_of_it(tmp_path: Path) -> None:
    """Fuzz round 11: "autism, adhd; sibling group" was refused as mixing separators, an error
    that stopped every command; with a ';', the items are read at the ';'."""
    rows = [[*ROWS[0][:4], "sibling_group; autism, adhd", "900"], *ROWS[1:]]
    data = _csv(rows).encode()
    _, problems = load_registers(_folder(tmp_path, data))
    assert [p for p in problems if p.severity == "error"] == []
    path = tmp_path / "referrals.csv"
    path.write_bytes(data)
    (first, *_) = read_referrals_csv(path)
    assert first.needs == ("sibling_group", "autism_adhd")
    one = parse_referral(
        {"id": "J1", "child": {"age": 12}, "needed_by": "2026-04-15", "needs": "a; b, c"}
    )
    assert one.needs == ("a", "b_c")


def _folder(tmp_path: Path, data: bytes) -> Path:
    folder = tmp_path / "reg" / "registers"
    folder.mkdir(parents=True)
    (folder / "referrals.csv").write_bytes(data)
    return folder
