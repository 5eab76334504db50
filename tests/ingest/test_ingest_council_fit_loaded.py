"""A data folder whose la.toml names another council than its returns come from loads with the
warning ``homes_elsewhere`` (before, the demo read with Birmingham's la.toml loaded without a
word, nearly every child placed "outside the council")."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from sufficiency.geo import postcodes_in_la
from sufficiency.ingest import council_fit, load_data
from sufficiency.ingest.council_fit import homes_elsewhere


def test_another_councils_profile_is_named_on_loading(demo_dir: Path, tmp_path: Path) -> None:
    own = load_data(demo_dir)
    assert own.dataset is not None
    assert "homes_elsewhere" not in {p.code for p in own.problems}
    data = Path(shutil.copytree(demo_dir, tmp_path / "D"))
    toml = (data / "la.toml").read_text()
    code = own.dataset.profile.code
    (data / "la.toml").write_text(toml.replace(f'"{code}"', '"E08000025"', 1))
    other = load_data(data)
    found = [p for p in other.problems if p.code == "homes_elsewhere"]
    assert [(p.severity, p.file) for p in found] == [("warning", "la.toml")]
    assert "lived in Birmingham (E08000025) or its neighbours" in found[0].message
    assert "lived in Herefordshire, County of (E06000019)" in found[0].message


def test_a_large_return_is_judged_on_a_fixed_sample_of_its_children(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    homes = postcodes_in_la("E06000019", limit=400).get_column("postcode")
    episodes = pl.DataFrame(
        {"CHILD": [f"C{i // 2}" for i in range(800)], "HOME_POST": pl.concat([homes, homes])}
    )
    whole = homes_elsewhere("E08000025", [], episodes, "la.toml")
    assert "only 0 of the 400 children whose home postcode" in whole[0].message
    monkeypatch.setattr(council_fit, "SAMPLE_ROWS", 100)
    first = homes_elsewhere("E08000025", [], episodes, "la.toml")
    assert first == homes_elsewhere("E08000025", [], episodes, "la.toml")  # the same sample
    sampled = int(first[0].message.split(" of the ")[1].split(" ")[0])
    assert 40 <= sampled <= 60  # about one child in eight: 800 rows / 100
    assert f"only 0 of the {sampled} children sampled whose home postcode" in first[0].message
    assert homes_elsewhere("E06000019", [], episodes, "la.toml") == []
