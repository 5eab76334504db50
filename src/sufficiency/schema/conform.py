"""A register frame in its declared shape: every declared column, in order, with its declared
dtype (text read by the column's kind), followed by any other columns as given.

``Dataset.from_frames`` conforms every register with this, so consumers never re-cast a column;
synth and the web build their frames through it too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import polars as pl

from sufficiency.schema.columns import LIST_KINDS, Column
from sufficiency.schema.kinds import clean, parse, to_text
from sufficiency.schema.registers import REGISTERS


def _typed(col: Column, given: pl.DataType) -> pl.Expr:
    """Expression giving ``col`` its declared dtype from a column of dtype ``given``."""
    src = pl.col(col.name)
    if given == col.dtype and col.dtype != pl.Utf8:
        return src
    if given == pl.Utf8 or given == pl.Null:
        return parse(col, clean(src.cast(pl.Utf8)))
    if col.kind in LIST_KINDS:
        return src.cast(col.dtype, strict=False)
    if col.kind == "month":
        return src.cast(pl.Date, strict=False).dt.truncate("1mo")
    if col.dtype == pl.Utf8:
        return parse(col, clean(src.cast(pl.Utf8)))
    return src.cast(col.dtype, strict=False)


def typed_register(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with register ``name``'s declared columns and dtypes (unchanged when ``name``
    is not a register).

    Declared columns come first in declared order (a missing one as nulls), then the others as
    given. Text is read by each column's kind (a value that does not read becomes null: checking
    and naming bad values is ingest's job).
    """
    schema = REGISTERS.get(name)
    if schema is None:
        return frame
    renames = {
        a: canon
        for a, canon in schema.aliases.items()
        if a in frame.columns and canon not in frame.columns
    }
    frame = frame.rename(renames)
    declared = set(schema.column_names)
    typed = [
        _typed(c, frame.schema[c.name]).alias(c.name)
        if c.name in frame.columns
        else pl.lit(None, dtype=c.dtype).alias(c.name)
        for c in schema.columns
    ]
    return frame.select(*typed, *[pl.col(x) for x in frame.columns if x not in declared])


def conform_register(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` as the Dataset holds register ``name``: :func:`typed_register`, and for a
    ``keep_text`` register its declared columns written back as canonical text."""
    out = typed_register(name, frame)
    schema = REGISTERS.get(name)
    if schema is not None and schema.keep_text:
        out = out.with_columns(to_text(c, pl.col(c.name)).alias(c.name) for c in schema.columns)
    return out


def register_frame(name: str, rows: Iterable[Mapping[str, object]]) -> pl.DataFrame:
    """A typed frame of register ``name`` from rows of Python values (text, numbers, dates,
    lists or None): how synth and the web build a register from records."""
    rows = list(rows)
    if not rows:
        return typed_register(name, REGISTERS[name].empty())
    return typed_register(name, pl.DataFrame(rows, infer_schema_length=None))
