"""Registers whose rows name a catalogue measure (targets, benchmarks): a row naming no measure,
or a comparator no measure of its kind can take (a negative rate, a share over 100%).

A typo's target showed "Not available" in the statement as if only its data were missing, and
was left out of the forecast; an England rate of -5 was printed as a comparator.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import TYPE_CHECKING

from sufficiency.ingest.problems import Problem
from sufficiency.measures.targets import targets

if TYPE_CHECKING:
    from sufficiency.dataset import Dataset
    from sufficiency.measures.catalogue import Measure

#: The values a comparator of a measure of each unit can take (least, greatest).
_RANGES: Mapping[str, tuple[float, float]] = {
    "share": (0.0, 100.0),
    "rate": (0.0, float("inf")),
    "count": (0.0, float("inf")),
    "days": (0.0, float("inf")),
}


def _unknown(
    measure_id: str, known: Mapping[str, Measure], code: str, file: str, row: int, what: str
) -> Problem:
    near = difflib.get_close_matches(measure_id, list(known), n=1)
    hint = f"did you mean {near[0]}?" if near else "see `sufficiency measures --help`"
    return Problem(
        "warning",
        code,
        file,
        row,
        "measure_id",
        measure_id,
        f"measure_id '{measure_id}' is no measure of the catalogue ({hint}): {what}",
    )


def measure_row_problems(ds: Dataset) -> list[Problem]:
    """Warnings for the targets and benchmarks registers' rows (see the module docstring)."""
    from sufficiency.measures import load_catalogue

    known = load_catalogue()
    out = [
        _unknown(
            t.measure_id,
            known,
            "target_unknown_measure",
            "registers/targets.csv",
            t.row,
            "the target is shown as not available and left out of the forecast",
        )
        for t in targets(ds)
        if t.measure_id not in known
    ]
    marks = ds.register("benchmarks")
    for i, r in enumerate(marks.iter_rows(named=True) if marks is not None else ()):
        mid, value, row = r["measure_id"], r["value"], i + 2
        if mid is None or value is None:
            continue
        if mid not in known:
            out.append(
                _unknown(
                    mid,
                    known,
                    "benchmark_unknown_measure",
                    "registers/benchmarks.csv",
                    row,
                    "the comparator is shown beside no figure",
                )
            )
            continue
        low, high = _RANGES.get(known[mid].unit, (-float("inf"), float("inf")))
        if not low <= value <= high:
            out.append(
                Problem(
                    "warning",
                    "benchmark_out_of_range",
                    "registers/benchmarks.csv",
                    row,
                    "value",
                    f"{value:g}",
                    f"value {value:g} for {mid} ({r['area']}, {r['year']}) is not a "
                    f"{known[mid].unit} (expected {low:g} to {high:g}): it is printed as the "
                    "comparator; check it",
                )
            )
    return out
