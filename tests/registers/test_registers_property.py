"""Property test: any text in any register's cells gives a typed frame or named problems, never
an exception, and a value that does not survive into the typed frame is always named."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sufficiency.ingest.registers import parse_register
from sufficiency.schema import REGISTERS
from sufficiency.schema.kinds import CONTROL

pytestmark = pytest.mark.slow

CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "1.5",
            "99999999999999999999",
            "nan",
            "inf",
            "1e400",
            "£1,200",
            "2024-02-30",
            "31/03/2024",
            "2024-03",
            "yes",
            "N/A",
            "1.00E+06",
            "HR1 2HX",
            "SC123456",
            "ifa",
            "approved",
            "mainstream;kinship",
            "=1+1",
            "'=1+1",
            "\x0b",
            "Grow\x0bcarers\x01",
            "x" * 1200,
        ]
    ),
    st.text(max_size=12),
)


@st.composite
def registers(draw: st.DrawFn) -> tuple[str, pl.DataFrame]:
    name = draw(st.sampled_from(sorted(REGISTERS)))
    columns = REGISTERS[name].column_names
    n = draw(st.integers(1, 4))
    data = {c: [draw(CELLS) for _ in range(n)] for c in columns}
    return name, pl.DataFrame(data, schema=dict.fromkeys(columns, pl.Utf8))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers())
def test_any_cells_give_a_typed_frame_and_every_lost_value_is_named(
    case: tuple[str, pl.DataFrame],
) -> None:
    name, raw = case
    schema = REGISTERS[name]
    typed, problems = parse_register(name, raw, "x.csv")
    assert typed.schema == schema.typed_schema
    named = {(p.row, p.column) for p in problems if p.severity == "error"}
    # a cell of spaces or control characters only is blank (``kinds.clean``)
    cleaned = raw.with_columns(
        pl.all().str.replace_all(CONTROL, " ").str.strip_chars().replace("", None)
    )
    for c in schema.column_names:
        given = cleaned.get_column(c)
        kept = typed.get_column(c)
        for i in range(raw.height):
            if given[i] is not None and kept[i] is None:
                assert (i + 2, c) in named, (c, given[i])
