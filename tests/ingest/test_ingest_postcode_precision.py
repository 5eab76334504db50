"""HOME_POST and PL_POST cut to a sector or district: each row named (known distances fell from
94% to 9% and the DfE's over-20-miles indicator from 24% to 2%, without a word)."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from sufficiency.ingest import load_data


def _cut(folder: Path, keep: int) -> int:
    """Every HOME_POST and PL_POST of the 2026 episodes cut to its first ``keep`` parts of
    'outward inward-digit' (1: the district, 2: the sector); returns the rows cut."""
    path = folder / "ssda903" / "2026" / "episodes.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    cut = 0
    for row in rows:
        for column in ("HOME_POST", "PL_POST"):
            if row[column]:
                outward, inward = row[column].split(" ")
                row[column] = outward if keep == 1 else f"{outward} {inward[0]}"
                cut += column == "PL_POST"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue())
    return cut


def test_full_postcodes_are_not_named(demo_dir: Path) -> None:
    assert not [p for p in load_data(demo_dir).problems if p.code == "postcode_not_full"]


def test_districts_and_sectors_are_named_row_by_row(demo_dir: Path, tmp_path: Path) -> None:
    for keep in (1, 2):
        data = tmp_path / f"D{keep}"
        shutil.copytree(demo_dir, data)
        placed = _cut(data, keep)
        result = load_data(data)
        assert result.dataset is not None  # a warning: the rows are read as they are
        found = [p for p in result.problems if p.code == "postcode_not_full"]
        assert {(p.severity, p.file) for p in found} == {("warning", "ssda903/2026/episodes.csv")}
        assert {p.column for p in found} == {"HOME_POST", "PL_POST"}
        rows = [p for p in found if p.row is not None and p.column == "PL_POST"]
        assert rows[0].row == 2 and rows[0].value is not None
        assert rows[0].value.count(" ") == keep - 1  # HR1, or HR1 2
        assert f"PL_POST '{rows[0].value}' is a postcode" in rows[0].message
        assert "is a postcode sector or district, not a full postcode" in rows[0].message
        more = [p for p in found if p.row is None and p.column == "PL_POST"]
        assert len(rows) + (int(more[0].message.split()[0]) if more else 0) == placed
