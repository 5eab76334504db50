"""Provenance of a statement: which data, which product, which comparators, which mode, so a
signed statement can be reproduced exactly (added to the JSON and printed in the colophon)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from importlib import metadata
from typing import TYPE_CHECKING, Any

from sufficiency.measures.common import memo

if TYPE_CHECKING:
    import polars as pl

    from sufficiency.dataset import Dataset
    from sufficiency.measures.comparators import Comparator


def _frame_bytes(frame: pl.DataFrame) -> bytes:
    """A frame as JSON lines (columns in their order, rows as loaded; lists kept): the same
    data, the same bytes, whatever the Polars version's internal hashing). Written as bytes, not
    a str encoded again (half the time on a large episodes table)."""
    buf = io.BytesIO()
    frame.write_ndjson(buf)
    return buf.getvalue()


def data_hash(ds: Dataset) -> str:
    """SHA-256 of everything the statement reads: the council's profile, the returns' tables,
    the registers and the narrative, each named, in name order. Worked out once per Dataset
    (``memo``: a Dataset never changes), not again for each statement built from it."""
    return memo(ds, "data_hash", lambda: _data_hash(ds))


def _data_hash(ds: Dataset) -> str:
    """``data_hash`` worked out."""
    h = hashlib.sha256()

    def part(name: str, data: bytes) -> None:
        h.update(f"{name}\0{len(data)}\0".encode())
        h.update(data)

    part("la.toml", ds.profile.to_toml().encode("utf-8"))
    for name, frame in (("children", ds.children), ("episodes", ds.episodes), ("uasc", ds.uasc)):
        part(f"ssda903/{name}", _frame_bytes(frame))
    for name in sorted(ds.tables):
        part(f"ssda903/{name}", _frame_bytes(ds.tables[name]))
    for name in sorted(ds.registers):
        part(f"registers/{name}", _frame_bytes(ds.registers[name]))
    for name in sorted(ds.narrative):
        part(f"narrative/{name}", ds.narrative[name].encode("utf-8"))
    return h.hexdigest()


def product_version() -> str:
    """The installed ``sufficiency`` version (``unknown`` when run from an uninstalled tree)."""
    try:
        return metadata.version("sufficiency")
    except metadata.PackageNotFoundError:
        return "unknown"


def comparators_vintage(marks: Sequence[Comparator]) -> dict[str, Any]:
    """The latest year of the comparators shown and their sources."""
    return {
        "latest_year": max((m.year for m in marks), default=None),
        "sources": sorted({m.source for m in marks if m.source}),
    }


def provenance(ds: Dataset, marks: Sequence[Comparator], mode: str) -> dict[str, Any]:
    """The statement's provenance record (``StatementData.provenance``)."""
    return {
        "data_sha256": data_hash(ds),
        "product": "sufficiency",
        "version": product_version(),
        "comparators": comparators_vintage(marks),
        "mode": mode,
    }
