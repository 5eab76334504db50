"""Modelled spend beside the finance register's budget and outturn (issue 17)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from sufficiency.ingest.registers import parse_register
from sufficiency.report.sections.finance import finance_blocks
from sufficiency.report.sources import YearValues


def _finance(rows: list[dict[str, Any]]) -> pl.DataFrame:
    raw = pl.DataFrame([{k: str(v) for k, v in r.items()} for r in rows])
    frame, problems = parse_register("finance", raw, "registers/finance.csv")
    assert [p for p in problems if p.severity == "error"] == []
    return frame


FINANCE = _finance(
    [
        {"placement_type": "ifa", "year": 2026, "budget": 6_000_000, "outturn": "£6,400,000"},
        {"placement_type": "external_residential", "year": 2026, "budget": 12_500_000},
        {"placement_type": "secure", "year": 2026, "budget": 400_000, "outturn": 380_000},
        {"placement_type": "ifa", "year": 2025, "budget": 5_000_000, "outturn": 5_200_000},
    ]
)


def _year(**spend: Any) -> YearValues:
    return YearValues(dt.date(2026, 3, 31), {"spend_by_placement_type": spend})


def _rows(blocks: list[Any]) -> list[tuple[str, list[Any]]]:
    (block,) = blocks
    return [(r.header, [c.value for c in r.cells]) for r in block.table.rows]


def test_budget_and_outturn_beside_modelled_spend_for_the_year() -> None:
    cur = _year(ifa=6_256_036, external_residential=13_936_910, secure=250_000)
    assert _rows(finance_blocks(cur, FINANCE)) == [
        ("Independent fostering agency", [6_256_036, 6_000_000, 6_400_000, 143_964]),
        ("External children's home", [13_936_910, 12_500_000, None, None]),
        ("Secure children's home", [250_000, 400_000, 380_000, 130_000]),
        ("Total", [20_442_946, 18_900_000, 6_780_000, 6_780_000 - 20_442_946]),
    ]


def test_a_suppressed_type_hides_its_finance_and_the_total() -> None:
    cur = _year(ifa=6_256_036, external_residential=13_936_910, secure="c")
    rows = _rows(finance_blocks(cur, FINANCE))
    assert rows[-1] == ("Secure children's home", ["c", "c", "c", "c"])
    assert "Total" not in [h for h, _ in rows]


def test_no_register_or_no_rows_for_the_year_shows_nothing() -> None:
    assert finance_blocks(_year(ifa=1), None) == []
    assert finance_blocks(YearValues(dt.date(2024, 3, 31), {}), FINANCE) == []


def test_a_repeated_type_and_year_is_refused_naming_the_row() -> None:
    raw = pl.DataFrame(
        [
            {"placement_type": "ifa", "year": "2026", "budget": "1"},
            {"placement_type": "ifa", "year": "2026", "budget": "2"},
        ]
    )
    _, problems = parse_register("finance", raw, "registers/finance.csv")
    errors = [p for p in problems if p.severity == "error"]
    assert errors and errors[0].file == "registers/finance.csv" and errors[0].row == 3
