"""`sufficiency synth`: it refuses to overwrite a folder and names an unknown council."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sufficiency.cli import app


def test_cli_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    result = CliRunner().invoke(app, ["synth", str(tmp_path / "x"), "--children", "20"])
    assert result.exit_code == 1
    assert "already exists and is not empty" in result.output
    assert (tmp_path / "x" / "keep.txt").read_text() == "mine"


def test_cli_unknown_la_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["synth", str(tmp_path / "y"), "--la", "E06999999"])
    assert result.exit_code == 1
    assert "no postcodes found for LA code E06999999" in result.output
    assert not (tmp_path / "y").exists()


def test_cli_a_council_outside_england_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["synth", str(tmp_path / "w"), "--la", "W06000015"])
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "W06000015 is not an English upper-tier LA code" in text
    assert "validation error" not in text
    assert not (tmp_path / "w").exists()


@pytest.mark.parametrize("children", ["0", "-5", "100001"])
def test_a_council_size_outside_what_synth_makes_is_refused(tmp_path: Path, children: str) -> None:
    """Before, --children 10000000 ran for hours (and 0 was refused alone)."""
    result = CliRunner().invoke(app, ["synth", str(tmp_path / "out"), "--children", children])
    assert result.exit_code == 1
    assert " ".join(result.output.split()) == (
        "error: --children must be from 1 to 100,000 (England has about 84,000 children looked "
        f"after), not {int(children):,}"
    )
    assert not (tmp_path / "out").exists()
