"""Fuzz round 8 (matching): a referrals register with budget_weekly written ``£1260.0`` or
``1,260`` passed validate (docs/registers.md: numbers may carry £ and commas between thousands)
but ``match --batch`` refused it, "expected a number". One file, one reading rule: the batch
reads the register's number columns with the register's own parser."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from sufficiency.ingest.registers import parse_register
from sufficiency.matching.referral import ReferralError, referral_from_row
from sufficiency.matching.referral_files import read_referrals_csv

ROW = {"referral_id": "R1", "age": "15", "needed_by": "2025-04-02", "siblings": "1"}


def _register_budget(text: str) -> object:
    """budget_weekly as the referrals register reads it (validate, measures)."""
    raw = pl.DataFrame({k: [v] for k, v in {**ROW, "budget_weekly": text}.items()})
    frame, problems = parse_register("referrals", raw, "referrals.csv")
    assert [p for p in problems if p.severity == "error"] == []
    return frame.get_column("budget_weekly").item()


@pytest.mark.parametrize("text", ["£1260.0", "1,260", "£1,260.00", " 1260 "])
def test_a_budget_the_register_reads_the_batch_reads_the_same(text: str) -> None:
    ref = referral_from_row({**ROW, "budget_weekly": text}, "referrals.csv", 2)
    assert ref.budget_weekly == _register_budget(text) == 1260.0


def test_a_batch_file_with_pounds_and_thousands_reads(tmp_path: Path) -> None:
    path = tmp_path / "referrals.csv"
    path.write_text(
        "referral_id,age,needed_by,siblings,budget_weekly\n"
        'R1,15,2025-04-02,1,£1260.0\nR2,9,2025-04-02,0,"1,260"\n',
        encoding="utf-8",
    )
    refs = read_referrals_csv(path)
    assert [(r.id, r.child.age, r.budget_weekly) for r in refs] == [
        ("R1", 15, 1260.0),
        ("R2", 9, 1260.0),
    ]


@pytest.mark.parametrize(
    ("column", "text", "why"),
    [
        ("budget_weekly", "520,50", "a comma that does not separate thousands (a decimal comma?)"),
        ("budget_weekly", "7.078", "a dot before three digits (a thousands separator?)"),
        ("budget_weekly", "lots", "not a number"),
        ("age", "15.5", "not a whole number"),
        ("age", "30", "outside the allowed range"),
    ],
)
def test_a_number_the_register_refuses_the_batch_refuses_saying_why(
    column: str, text: str, why: str
) -> None:
    with pytest.raises(ReferralError) as err:
        referral_from_row({**ROW, column: text}, "referrals.csv", 4)
    assert str(err.value).startswith(f"referrals.csv row 4: {column}: {why}: expected ")
    assert str(err.value).endswith(f"(got {text!r})")


def test_siblings_the_register_allows_the_batch_allows() -> None:
    """The register takes 0 to 20 siblings; the referral refused more than 10."""
    assert referral_from_row({**ROW, "siblings": "12"}, "referrals.csv", 2).siblings == 12
    with pytest.raises(ReferralError, match="siblings: outside the allowed range"):
        referral_from_row({**ROW, "siblings": "21"}, "referrals.csv", 2)
