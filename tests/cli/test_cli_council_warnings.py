"""la.toml describing another council than the returns (fuzz round 10): only `validate` warned,
while `measures`, `forecast` and `statement` published a rate per 10,000 ten times too small
(113.1 -> 11.3) or every child placed outside the council (216 inside -> 0). Every command now
says these warnings in full; a council with no neighbours listed is named too."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

from sufficiency.cli import app

runner = CliRunner()


def _copy(demo_dir: Path, tmp_path: Path, old: str, new: str) -> Path:
    folder = Path(shutil.copytree(demo_dir, tmp_path / "D"))
    toml = folder / "la.toml"
    text = toml.read_text()
    assert old in text
    toml.write_text(text.replace(old, new, 1))
    return folder


def _measures(folder: Path) -> tuple[dict[str, object], str]:
    args = ["measures", str(folder), "--at", "2026-03-31", "--json", "--no-suppress"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), " ".join(result.stderr.split())


def test_a_population_ten_times_too_large_is_said_by_every_command(
    demo_dir: Path, tmp_path: Path
) -> None:
    folder = _copy(demo_dir, tmp_path, '"2026" = 36736', '"2026" = 367360')
    (folder / "registers" / "population.csv").unlink()  # la.toml's population alone
    doc, said = _measures(folder)
    assert "population_far_from_published" in said
    assert "the under-18 population for 2026 (367,360)" in said
    assert doc["measures"]["cla_count"] == 411  # type: ignore[index]
    _, clean = _measures(demo_dir)
    assert "population_far_from_published" not in clean and "homes_elsewhere" not in clean


def test_a_neighbours_code_is_said_by_every_command(demo_dir: Path, tmp_path: Path) -> None:
    """Shropshire's code (a neighbour), Herefordshire among its neighbours, as a profile copied
    from the council next door would give."""
    folder = _copy(
        demo_dir,
        tmp_path,
        'code = "E06000019"\nregion = "West Midlands"\nneighbours = ["E06000051", ',
        'code = "E06000051"\nregion = "West Midlands"\nneighbours = ["E06000019", ',
    )
    _, said = _measures(folder)
    assert "homes_elsewhere" in said
    assert re.search(
        r"lived in Herefordshire, County of \(E06000019\), and \d+ in Shropshire", said
    )


def test_no_neighbours_listed_is_named(demo_dir: Path, tmp_path: Path) -> None:
    folder = _copy(demo_dir, tmp_path, 'neighbours = ["E06000051", "E10000013", "E10000034"]\n', "")
    result = runner.invoke(app, ["validate", str(folder), "--json"])
    problems = json.loads(result.stdout)["problems"]
    found = [p for p in problems if p["code"] == "profile_no_neighbours"]
    assert [(p["severity"], p["file"], p["column"]) for p in found] == [
        ("warning", "la.toml", "neighbours")
    ]
    assert "every placement outside the council is banded distant" in found[0]["message"]
    _, said = _measures(folder)
    assert "profile_no_neighbours" in said


def test_a_population_given_for_one_year_beside_the_estimate_is_named(
    demo_dir: Path, tmp_path: Path
) -> None:
    """Fuzz round 11: la.toml giving 2026 alone, a third above the ONS estimate used for 2025,
    moved the published rate trend a third in a year without a word (the files' own check
    compares only the years they give)."""
    folder = Path(shutil.copytree(demo_dir, tmp_path / "D"))
    (folder / "registers" / "population.csv").unlink()
    toml = folder / "la.toml"
    head = toml.read_text().split("[population_under_18]")[0]
    toml.write_text(head + '[population_under_18]\n"2026" = 49000\n')
    _, said = _measures(folder)
    assert "population_jump" in said
    assert re.search(r"goes from [\d,]+ in 2025 to 49,000 in 2026", said)
    assert (
        "2025's is not given (the ONS estimate, or an earlier year's), 2026's from la.toml" in said
    )
    _, clean = _measures(demo_dir)
    assert "population_jump" not in clean
