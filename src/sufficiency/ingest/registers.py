"""Registers (registers/*.csv|xlsx) -> frames + problems (STUB: the supply helper implements)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from sufficiency.ingest.problems import Problem


def load_registers(folder: Path) -> tuple[dict[str, pl.DataFrame], list[Problem]]:
    """Read every known register in ``folder``; unknown files are warned about."""
    frames: dict[str, pl.DataFrame] = {}
    if folder.is_dir():
        for path in sorted(folder.glob("*.csv")):
            frames[path.stem] = pl.read_csv(path, infer_schema_length=0)
    return frames, []
