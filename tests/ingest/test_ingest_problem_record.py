"""The Problem record's shorthand for a problem about a whole file."""

from __future__ import annotations

from sufficiency.ingest.problems import Problem


def test_whole_file_problem_points_at_no_row_column_or_value() -> None:
    p = Problem.whole_file("error", "no_returns", "ssda903", "no return folders found")
    assert p == Problem(
        "error", "no_returns", "ssda903", None, None, None, "no return folders found"
    )
    assert p.to_json()["row"] is None
