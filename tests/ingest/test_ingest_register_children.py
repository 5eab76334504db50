"""Registers naming children by the returns' CHILD: ids from another system matched no child
and validated clean, while the EHCP share of children looked after read 0% and every
reunification plan's child "not in the returns"."""

from __future__ import annotations

import shutil
from pathlib import Path

from sufficiency.ingest import load_data


def _ids_changed(path: Path, rows: int | None = None) -> int:
    """Prefix the first column's ids of ``rows`` rows (all of them when None) with X."""
    lines = path.read_text().splitlines()
    body = lines[1:] if rows is None else lines[1 : rows + 1]
    changed = ["X" + line for line in body]
    path.write_text("\n".join([lines[0], *changed, *lines[1 + len(body) :]]) + "\n")
    return len(body)


def test_register_child_ids_no_return_holds_are_named(demo_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "D"
    shutil.copytree(demo_dir, data)
    assert not [p for p in load_data(data).problems if p.code == "register_unknown_children"]
    plans = _ids_changed(data / "registers" / "permanence_plans.csv", rows=2)
    _ids_changed(data / "registers" / "disabled_children.csv", rows=2)  # some match: as meant
    result = load_data(data)
    found = [p for p in result.problems if p.code == "register_unknown_children"]
    assert [(p.severity, p.file, p.column) for p in found] == [
        ("warning", "registers/permanence_plans.csv", "child_id")
    ]
    assert found[0].message.startswith(f"{plans} of ")
    every = _ids_changed(data / "registers" / "disabled_children.csv")  # now none match
    found = [p for p in load_data(data).problems if p.code == "register_unknown_children"]
    assert [p.file for p in found] == [
        "registers/permanence_plans.csv",
        "registers/disabled_children.csv",
    ]
    assert found[1].message.startswith(f"{every} of {every} child_id(s) are no CHILD")


def test_outcomes_naming_no_referral_are_named(demo_dir: Path, tmp_path: Path) -> None:
    """Re-keyed on export (R00001 -> Q00001), every outcome named no referral: the days from
    referral to placement read none, without a word."""
    data = tmp_path / "D"
    shutil.copytree(demo_dir, data)
    outcomes = data / "registers" / "outcomes.csv"
    lines = outcomes.read_text().splitlines()
    outcomes.write_text("\n".join([lines[0], *("Q" + r[1:] for r in lines[1:])]) + "\n")
    found = [p for p in load_data(data).problems if p.code == "register_unknown_reference"]
    assert [(p.severity, p.file, p.column) for p in found] == [
        ("warning", "registers/outcomes.csv", "referral_id")
    ]
    n = len(lines) - 1
    assert found[0].message.startswith(f"{n} of {n} referral_id(s) are in no row of the referrals")


def test_contracts_naming_no_provider_of_the_registers_are_named(
    demo_dir: Path, tmp_path: Path
) -> None:
    """A block contract's provider spelt in no home or supported accommodation row: its places
    read as unused and its children as bought spot, without a word. Another case or spacing is
    the same provider; a framework names no one provider."""
    data = tmp_path / "D"
    shutil.copytree(demo_dir, data)
    contracts = data / "registers" / "contracts.csv"
    text = contracts.read_text()
    assert "C001,Oakfield Care Ltd,block" in text and "C003,Supported living provider 1," in text
    text = text.replace("C001,Oakfield Care Ltd,", "C001,Oakfeld Care,")
    text = text.replace("C003,Supported living provider 1,", "C003,SUPPORTED  living provider 1,")
    contracts.write_text(text)
    found = [p for p in load_data(data).problems if p.code == "register_unknown_reference"]
    assert [(p.severity, p.file, p.column, p.value) for p in found] == [
        ("warning", "registers/contracts.csv", "provider", "Oakfeld Care")
    ]
    assert found[0].message.startswith(
        "1 of 2 provider(s) are in no row of the homes or supported_accommodation register"
    )
