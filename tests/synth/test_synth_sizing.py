"""A council without a preset is sized from the figures shipped with the product: the ONS's
under-18s, the DfE's children looked after and its region, not a guess from its postcodes (the
City of London, 847 children under 18, was given 50,886 and 361 children looked after)."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from sufficiency.published.population import population_under_18
from sufficiency.synth import generate, write_data_folder
from sufficiency.synth.presets import MIN_CHILDREN, published_preset


def test_a_london_borough_takes_its_published_size_and_region() -> None:
    preset = published_preset("E09000012")  # Hackney
    assert preset is not None
    assert preset.region == "London"
    estimate = population_under_18("E09000012", 2025)  # its latest published count's year
    assert estimate is not None
    assert preset.population_under_18 == estimate.value
    assert 100 < preset.cla < 1000
    assert 0 < preset.uasc_share < 0.5


def test_the_smallest_councils_keep_their_rate_at_a_publishable_size(tmp_path: Path) -> None:
    city = published_preset("E09000001")
    assert city is not None
    assert city.population_under_18 < 2_000  # not tens of thousands from business postcodes
    assert city.cla == 7  # in 2024 (2025's is suppressed)
    council = generate(seed=1, years=[2025, 2026], la_code="E09000001")
    write_data_folder(council, tmp_path / "city")
    profile = (tmp_path / "city" / "la.toml").read_text()
    assert 'region = "London"' in profile
    population = int(re.findall(r'"2025" = (\d+)', profile)[0])
    looked_after = council.returns[2026]["episodes"].filter(pl.col("DEC").is_null())
    children = looked_after["CHILD"].n_unique()
    assert abs(children - MIN_CHILDREN) <= MIN_CHILDREN // 3
    rate = city.cla / city.population_under_18 * 10_000
    assert 0.5 * rate < MIN_CHILDREN / population * 10_000 < 2 * rate  # the City's rate kept


def test_a_former_code_is_sized_as_the_council_that_took_it_on() -> None:
    assert published_preset("E10000023") == published_preset("E06000065")  # North Yorkshire


def test_a_council_the_dfe_does_not_know_has_no_preset() -> None:
    assert published_preset("E06999999") is None


def test_a_council_beside_a_recoded_one_validates(tmp_path: Path) -> None:
    """Barnsley borders Sheffield, whose postcodes carry its 2024 code (E08000039): synth wrote
    it into the profile's neighbours and every command refused the profile (no council has that
    code); the published figures now know the council by it too."""
    from sufficiency.ingest import load_data

    write_data_folder(generate(seed=2, children=120, years=[2026], la_code="E08000016"), tmp_path)
    assert "E08000039" in (tmp_path / "la.toml").read_text()
    loaded = load_data(tmp_path)
    assert [p.message for p in loaded.problems if p.severity == "error"] == []
