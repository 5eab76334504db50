"""Fuzz round 8 (supply): ``gap`` with registers/carers.csv absent read in-house fostering
capacity as 0 and gave "shortfall of 70.4 places in in_house_fostering (£4,319,031 a year to
spot-purchase)" with an empty ``warnings`` and nothing on stderr, although the returns showed
70 children in in-house foster care. A capacity register not supplied is now said: a warning
naming the register and the types whose capacity it gives, and those types' cells and headlines
marked "capacity not known" instead of a confident shortfall."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from tests.supply.conftest import MakeDs, Reg
from typer.testing import CliRunner

from sufficiency.schema import REGISTERS
from sufficiency.supply.capacity import CAPACITY_REGISTERS
from sufficiency.supply.gap import gap_for_dataset

NEED = {2024: {"in_house_fostering": 12.0, "ifa": 10.0}}


def _carers(reg: Reg) -> pl.DataFrame:
    row = {"status": "approved", "approval_types": "mainstream", "approved_date": "2018-01-01"}
    return reg("carers", [{**row, "household_id": f"H{i}", "places": 2} for i in range(6)])


def _registers(reg: Reg, *without: str) -> dict[str, pl.DataFrame]:
    """Carers (12 places), a homes and a contracts register with no rows (supplied: the council
    has none) and an IFA cost, less the registers ``without``."""
    out = {
        "carers": _carers(reg),
        "homes": REGISTERS["homes"].empty(),
        "contracts": REGISTERS["contracts"].empty(),
        "costs": reg("costs", [{"placement_type": "ifa", "year": 2024, "weekly_cost": 1000}]),
    }
    return {k: v for k, v in out.items() if k not in without}


def test_carers_not_supplied_is_said_and_no_shortfall_is_claimed(make_ds: MakeDs, reg: Reg) -> None:
    res = gap_for_dataset(make_ds(registers=_registers(reg, "carers")), [2024], need=NEED)
    assert res.warnings == [
        "registers/carers.csv not supplied: the capacity of in_house_fostering is not known "
        "(read as none, so all its need is counted as shortfall)"
    ]
    cell = res.to_json()["years"][0]["by_type"]["in_house_fostering"]
    assert (cell["capacity"], cell["shortfall"], cell["capacity_known"]) == (0, 12, False)
    assert cell["capacity_note"] == "capacity not known: registers/carers.csv not supplied"
    assert res.to_json()["years"][0]["capacity_not_known"] == ["in_house_fostering"]
    assert res.headlines()[0] == (
        "2023-24: need of 12 places in in_house_fostering; capacity not known: "
        "registers/carers.csv not supplied"
    )
    assert not any("shortfall of" in h and "in_house_fostering" in h for h in res.headlines())
    # the types whose capacity is known keep their figures and headline
    assert (
        res.headlines()[1]
        == "2023-24: shortfall of 10 places in ifa (£520,000 a year to spot-purchase)"
    )
    assert res.to_json()["years"][0]["by_type"]["ifa"]["capacity_known"] is True


def test_every_capacity_register_supplied_gives_no_warning(make_ds: MakeDs, reg: Reg) -> None:
    res = gap_for_dataset(make_ds(registers=_registers(reg)), [2024], need=NEED)
    assert res.warnings == []
    cell = res.to_json()["years"][0]["by_type"]["in_house_fostering"]
    assert (cell["capacity"], cell["shortfall"], cell["capacity_known"]) == (12, 0, True)
    assert cell["capacity_note"] is None
    assert res.to_json()["years"][0]["capacity_not_known"] == []


def test_contracts_not_supplied_names_the_contracted_types_in_the_gap(
    make_ds: MakeDs, reg: Reg
) -> None:
    res = gap_for_dataset(make_ds(registers=_registers(reg, "contracts")), [2024], need=NEED)
    assert res.warnings == [
        "registers/contracts.csv not supplied: the capacity of ifa is not known "
        "(read as none, so all its need is counted as shortfall)"
    ]
    assert res.cell(2024, "ifa").capacity_unknown == "registers/contracts.csv not supplied"
    assert res.cell(2024, "in_house_fostering").capacity_unknown is None


def test_the_gap_reads_the_registers_the_statement_checks() -> None:
    assert CAPACITY_REGISTERS["carers"] == ("in_house_fostering",)
    assert CAPACITY_REGISTERS["homes"] == ("in_house_residential",)
    assert "supported_accommodation" in CAPACITY_REGISTERS["contracts"]


@pytest.mark.parametrize("as_json", [True, False])
def test_gap_command_says_it_on_stderr(tmp_path: Path, as_json: bool) -> None:
    from tests.cli.test_cli_gap import write_council

    from sufficiency.cli import app

    data = write_council(tmp_path / "DATA")
    (data / "registers" / "carers.csv").unlink()
    args = ["gap", str(data), "--years", "2024", "--need", "trend"]
    result = CliRunner().invoke(app, [*args, "--json"] if as_json else args)
    assert result.exit_code == 0, result.output
    said = " ".join(result.stderr.split())
    assert "registers/carers.csv not supplied: the capacity of in_house_fostering" in said
    if as_json:
        doc = json.loads(result.stdout)
        assert any(w.startswith("registers/carers.csv not supplied") for w in doc["warnings"])
        assert doc["years"][0]["by_type"]["in_house_fostering"]["capacity_known"] is False
    else:
        assert "capacity not known: registers/carers.csv not supplied" in " ".join(
            result.stdout.split()
        )
