"""Every relation the disclosure step knows holds on a council whose data has nothing odd: one
that never holds is a definition that changed under it (the distance denominators did in issue
13, and the relation saying they left out unknown distances was dropped everywhere, silently,
so the children of unknown distance were a subtraction away)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _pattern(label: str) -> str:
    return re.sub(r"@\d{4}-\d\d-\d\d", "", label)


def test_no_relation_is_dropped_in_every_year_of_the_demo(demo_dir: Path) -> None:
    from sufficiency.ingest import load_data
    from sufficiency.measures.identities import SUMS, measure_system, relation_label
    from sufficiency.report.build import statement_inputs

    ds = load_data(demo_dir).dataset
    assert ds is not None
    shown, _ = statement_inputs(ds, max(ds.returns))  # five years of the statement's measures
    system = measure_system(shown)
    held = {_pattern(r.label) for r in system.relations}
    sometimes = {
        _pattern(relation_label(line, None, dt.date(2026, 3, 31))) for line in SUMS if line.when
    }
    never = sorted({_pattern(r.label) for r in system.dropped} - held - sometimes)
    assert not never, "\n".join(never)
    assert len(held) > 100
