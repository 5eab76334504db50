"""An under-18 population that is not the council's is named by ``validate``: the whole
population given in its place made every rate per 10,000 a fifth of the council's published
rate (21.9 against 100) without a word."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sufficiency.cli import app
from sufficiency.ingest import load_data
from sufficiency.measures.population_fit import population_problems
from sufficiency.synth import generate, write_data_folder


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic Herefordshire of 200 children (its population scaled to keep the rate),
    the population in la.toml only."""
    folder = tmp_path_factory.mktemp("pop") / "c"
    write_data_folder(generate(seed=1, children=200, years=[2025, 2026]), folder)
    (folder / "registers" / "population.csv").unlink()
    return folder


def _scaled(council: Path, tmp_path: Path, factor: float) -> Path:
    import shutil

    folder = tmp_path / "c"
    shutil.copytree(council, folder)
    toml = folder / "la.toml"
    text = re.sub(
        r'("20\d\d" = )(\d+)',
        lambda m: m.group(1) + str(round(int(m.group(2)) * factor)),
        toml.read_text(encoding="utf-8"),
    )
    toml.write_text(text, encoding="utf-8")
    return folder


def _problems(folder: Path) -> list[tuple[str, str, str, str | None, str | None]]:
    ds = load_data(folder).dataset
    assert ds is not None
    return [(p.severity, p.code, p.file, p.column, p.value) for p in population_problems(ds)]


def test_the_councils_own_population_names_nothing(council: Path) -> None:
    assert _problems(council) == []


@pytest.mark.parametrize(("factor", "times"), [(5, "1/4.5 of"), (0.2, "5.5 times")])
def test_a_population_several_times_off_is_named(
    council: Path, tmp_path: Path, factor: float, times: str
) -> None:
    folder = _scaled(council, tmp_path, factor)
    ds = load_data(folder).dataset
    assert ds is not None
    pop = ds.population_under_18(2026)
    (p,) = population_problems(ds)
    assert (p.severity, p.code, p.file, p.column, p.value) == (
        "warning",
        "population_far_from_published",
        "la.toml",
        "population_under_18",
        str(pop),
    )
    assert f", {times} the council's published rate (100 at 31 March 2025)" in p.message
    out = CliRunner().invoke(app, ["validate", str(folder), "--json"])
    codes = [q["code"] for q in json.loads(out.stdout)["problems"]]
    assert "population_far_from_published" in codes


def test_a_population_a_little_off_is_not_named(council: Path, tmp_path: Path) -> None:
    assert _problems(_scaled(council, tmp_path, 1.5)) == []
