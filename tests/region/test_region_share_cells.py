"""A region share is opened by another council's analysts, in a spreadsheet: a return's text
that a spreadsheet would run as a formula (a URN of ``=1+1``, which ``validate`` accepts) went
out as written in returns/episodes.csv and history.csv (its registers were guarded). Each text
cell is guarded as the registers' are, and read back as it was."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import polars as pl

from sufficiency.ingest import load_data
from sufficiency.region.share import read_share, share_files, write_share

FORMULAS = ["=1+1", "@SUM(A1)", "-1+2", "'=already"]


def test_a_shares_return_cells_never_run_as_formulas(demo_dir: Path, tmp_path: Path) -> None:
    ds = load_data(demo_dir).dataset
    assert ds is not None
    urns = pl.Series("URN", FORMULAS + [None] * (ds.episodes.height - len(FORMULAS)), pl.String)
    ds = dataclasses.replace(ds, episodes=ds.episodes.with_columns(urns))
    text = share_files(ds, b"key")["returns/episodes.csv"].decode()
    for formula in FORMULAS:
        assert f",'{formula}," in text and f",{formula}," not in text
    write_share(ds, b"key", tmp_path / "share.zip")
    back = read_share(tmp_path / "share.zip").episodes.get_column("URN").to_list()
    assert sorted(u for u in back if u is not None) == sorted(FORMULAS)
