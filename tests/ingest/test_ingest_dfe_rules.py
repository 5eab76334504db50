"""Which DfE ruleset (csc-validator-be-903) checks a return of a given year, and the DfE's
documented year-to-year exceptions applied to the validator's raw results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sufficiency.ingest.dfe_rules import EXCEPTIONS, _apply_exceptions, ruleset_for


def test_ruleset_for_year() -> None:
    assert ruleset_for(2024) == "lac2023_24"
    assert ruleset_for(2026) == "lac2025_26"
    assert ruleset_for(2022) == "lac2022_23"  # nearest shipped
    assert ruleset_for(2030) == "lac2026_27"


# --------------------------------------------------- the DfE's documented year-to-year exceptions
def _csv(path: Path, columns: list[str], rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(",".join(r) for r in [columns, *rows]) + "\n", encoding="utf-8")
    return path


def _header(path: Path, rows: list[tuple[str, str]]) -> Path:
    return _csv(path, ["CHILD", "SEX", "DOB"], [[c, s, "01/01/2012"] for c, s in rows])


def _episodes(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    return _csv(path, ["CHILD", "DECOM", "PLACE", "DEC"], [[c, d, p, ""] for c, d, p in rows])


def _failure(rule: str, table: str, index: int) -> dict[str, Any]:
    return {"rule": rule, "table": table, "index": index, "field": None, "value": None}


def test_sex_recoded_1_2_to_m_f_is_not_a_conflict_from_2024_25(tmp_path: Path) -> None:
    last = {"Header": _header(tmp_path / "a.csv", [("c1", "1"), ("c2", "2"), ("c3", "1")])}
    this = {"Header": _header(tmp_path / "b.csv", [("c1", "M"), ("c2", "M"), ("c3", "F")])}
    flagged = [_failure("202", "Header", i) for i in range(3)]
    kept, applied = _apply_exceptions(2025, flagged, this, last)
    # c1: 1 -> M is the new coding; c2 (2 -> M) and c3 (1 -> F) really conflict
    assert [f["index"] for f in kept] == [1, 2]
    assert [(a["exception"], a["rule"], a["rows"]) for a in applied] == [
        ("sex_codes_2024_25", "202", 1)
    ]
    # before 2024-25 the codes did not change: nothing is excepted
    kept, applied = _apply_exceptions(2024, flagged, this, last)
    assert (len(kept), applied) == (3, [])


def test_h5_to_k3_is_excepted_in_2025_26_only(tmp_path: Path) -> None:
    last = {
        "Episodes": _episodes(
            tmp_path / "a.csv",
            [
                ("c1", "01/05/2024", "H5"),
                ("c2", "01/05/2024", "H5"),
                ("c3", "01/05/2024", "H5"),
                ("c3", "01/09/2024", "K2"),  # c3's last episode last year is K2
            ],
        )
    }
    this = {
        "Episodes": _episodes(
            tmp_path / "b.csv",
            [("c1", "01/05/2024", "K3"), ("c2", "01/05/2024", "Z11"), ("c3", "01/09/2024", "K3")],
        )
    }
    flagged = [_failure("503D", "Episodes", i) for i in range(3)]
    kept, applied = _apply_exceptions(2026, flagged, this, last)
    assert [f["index"] for f in kept] == [1, 2]
    assert [(a["exception"], a["rows"]) for a in applied] == [("h5_to_k3_2025_26", 1)]
    assert "[For 2025 only: Except if previous year <PL> = 'H5'" in applied[0]["citation"]
    assert _apply_exceptions(2027, flagged, this, last) == (flagged, [])


def test_other_rules_are_never_excepted(tmp_path: Path) -> None:
    last = {"Header": _header(tmp_path / "a.csv", [("c1", "1")])}
    this = {"Header": _header(tmp_path / "b.csv", [("c1", "M")])}
    flagged = [_failure("101", "Header", 0)]
    assert _apply_exceptions(2025, flagged, this, last) == (flagged, [])


def test_every_exception_is_cited() -> None:
    assert [(e.id, e.rule) for e in EXCEPTIONS] == [
        ("sex_codes_2024_25", "202"),
        ("h5_to_k3_2025_26", "503D"),
    ]
    for exc in EXCEPTIONS:
        assert f"ule {exc.rule}" in exc.citation
