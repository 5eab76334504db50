"""The gate: a publish-mode statement is audited before it is written, and refused (a named
error, nothing written) when a suppressed figure shows or could be worked out. The threshold
is the council's own when it raises it."""

from __future__ import annotations

import copy
import dataclasses
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from disclosure_helpers import DEMO_YEAR, load

from sufficiency.disclosure import is_number
from sufficiency.disclosure.audit import DisclosureError
from sufficiency.ingest.profile_file import load_profile
from sufficiency.report.build import build_statement
from sufficiency.report.model import Block
from sufficiency.report.output import write_statement
from sufficiency.report.protect import (
    audit_statement,
    check_statement,
    hide_categories,
    hide_gap,
)


@pytest.fixture(scope="module")
def statement(demo_ds: Any) -> Any:
    return build_statement(demo_ds, DEMO_YEAR, "publish")


def _cell(data: Any, table_id: str, header: str) -> Any:
    for t in data.tables():
        if t.id == table_id:
            return next(r for r in t.rows if r.header == header).cells[0]
    raise KeyError(table_id)


def test_the_statement_as_built_passes_the_gate(statement: Any) -> None:
    assert audit_statement(statement, statement.disclosure) == []
    check_statement(statement)


def test_a_small_count_in_the_text_is_refused(statement: Any) -> None:
    """The council's narrative is prose the tables' suppression cannot see."""
    tampered = copy.deepcopy(statement)
    section = tampered.sections[0]
    section.blocks.append(
        Block("narrative", text="<p>This year we placed 3 children in secure homes.</p>")
    )
    with pytest.raises(
        DisclosureError, match=re.escape(f"section '{section.title}', line 1: '3 children'")
    ):
        check_statement(tampered)
    tampered.key_messages.append("Two young people left care to live on their own.")
    with pytest.raises(DisclosureError, match=r"key messages, line .*'Two young people'"):
        check_statement(tampered)


def test_a_small_count_shown_is_refused_and_nothing_is_written(
    statement: Any, tmp_path: Path
) -> None:
    tampered = copy.deepcopy(statement)
    cell = _cell(tampered, "cla_by_placement_type", "In-house children's home")
    assert cell.value == "c"
    cell.value = 3  # the true value, as the old statement's subtraction gave it
    with pytest.raises(DisclosureError, match="in_house_residential"):
        write_statement(tampered, tmp_path / "out", pdf=False)
    assert not any((tmp_path / "out").glob("statement.*"))


def test_a_secondary_shown_again_is_refused(statement: Any) -> None:
    """Showing the figure that protected a small one lets a reader subtract again (of the
    placement types' further suppressions, one at least is all that protects a small count:
    some may be kept by others beside them)."""
    current = f"{DEMO_YEAR}-03-31"
    secondaries = [
        r
        for r in sorted(statement.disclosure.protection.secondary)
        if r.startswith("cla_by_placement_type.") and r.endswith(current)
    ]
    assert secondaries
    refused = []
    for secondary in secondaries:
        tampered = copy.deepcopy(statement)
        key = secondary.split("@")[0].split(".")[1]
        types = tampered.disclosure.raw[max(tampered.disclosure.raw)]["cla_by_placement_type"]
        raw = types.get(key)
        assert is_number(raw)
        for table in tampered.tables():
            for row in table.rows:
                for cell in row.cells:
                    if cell.ref == secondary:
                        cell.value = raw
        tampered.measures[str(DEMO_YEAR)]["measures"]["cla_by_placement_type"][key] = raw
        try:
            check_statement(tampered)
        except DisclosureError as exc:
            assert "could be worked out" in str(exc)
            refused.append(secondary)
    assert refused


def test_a_statement_without_its_disclosure_record_is_refused(
    statement: Any, tmp_path: Path
) -> None:
    bare = dataclasses.replace(statement, disclosure=None)
    with pytest.raises(DisclosureError, match="without the disclosure step"):
        write_statement(bare, tmp_path, pdf=False)
    internal = dataclasses.replace(statement, mode="internal", disclosure=None)
    check_statement(internal)  # analysts' internal statements are not audited


def test_a_council_may_raise_its_threshold_but_not_lower_it(tmp_path: Path, demo_dir: Path) -> None:
    folder = tmp_path / "council"
    shutil.copytree(demo_dir, folder)
    toml = folder / "la.toml"
    toml.write_text(toml.read_text().replace("region = ", "small_count_max = 3\nregion = ", 1))
    profile, problems = load_profile(toml)
    assert profile is None and problems[0].column == "small_count_max"
    toml.write_text(toml.read_text().replace("small_count_max = 3", "small_count_max = 10"))
    ds = load(folder)
    assert ds.profile.small_count_max == 10
    assert "small_count_max = 10" in ds.profile.to_toml()
    data = build_statement(ds, DEMO_YEAR, "publish")
    assert audit_statement(data, data.disclosure) == []
    intro = " ".join(b.text for b in data.sections[0].blocks)
    assert "Counts of children from 1 to 10" in intro
    types = data.measures[str(DEMO_YEAR)]["measures"]["cla_by_placement_type"]
    truth = data.disclosure.raw[max(data.disclosure.raw)]["cla_by_placement_type"].cells
    for t, v in truth.items():
        if 1 <= v <= 10:
            assert types[t] == "c", t


def test_the_gap_hides_a_hidden_types_totals_and_sentences() -> None:
    gap = {
        "years": [
            {
                "year": 2027,
                "total_shortfall": 7.5,
                "total_shortfall_cost": 900_000,
                "by_type": {
                    "ifa": {"need": 50.0, "capacity": 45.0, "shortfall": 5.0},
                    "residential_school": {"need": 2.5, "capacity": 0.0, "shortfall": 2.5},
                },
            },
            {
                "year": 2028,
                "total_shortfall": 5.0,
                "by_type": {"ifa": {"need": 50.0, "capacity": 45.0, "shortfall": 5.0}},
            },
        ],
        "headlines": [
            "2026-27: shortfall of 5 places in ifa",
            "2026-27: shortfall of 2.5 places in residential_school",
        ],
    }
    hidden = hide_gap(gap, {"residential_school"})
    assert hidden is not None
    first, second = hidden["years"]
    assert first["total_shortfall"] == first["total_shortfall_cost"] == "c"
    assert first["by_type"]["residential_school"] == {
        "need": "c",
        "capacity": 0.0,
        "shortfall": "c",
    }
    assert first["by_type"]["ifa"]["shortfall"] == 5.0
    assert second["total_shortfall"] == 5.0  # no hidden type that year
    assert hidden["headlines"] == ["2026-27: shortfall of 5 places in ifa"]


def test_a_sentence_naming_a_hidden_types_figure_is_refused(statement: Any) -> None:
    tampered = copy.deepcopy(statement)
    record = tampered.disclosure
    assert record.categories, "the demo hides some placement types' forecasts"
    hidden_type = sorted(record.categories)[0]
    tampered.extras["gap"]["headlines"] = [f"2026-27: shortfall of 2.1 places in {hidden_type}"]
    with pytest.raises(DisclosureError, match="gap headline"):
        check_statement(tampered)


def test_the_gap_shows_its_streams_only_through_the_protected_measures(statement: Any) -> None:
    """statement.json's gap carried the demand streams' own counts (UASC children now and a
    year before, arrivals, exits, DoLS orders) that the statement's uasc_forecast and
    dolo_orders hid: a small council's UASC 3 and 5 were read off it."""
    assert "streams" not in statement.extras["gap"]
    gap = {"years": [], "streams": {"uasc": {"start": 5, "end": 3}}}
    assert hide_gap(gap, set()) == {"years": []}


def test_a_number_the_statement_does_not_declare_is_refused(statement: Any) -> None:
    """Every number of the JSON's extras lies where the gate knows what protects it; one
    added anywhere else (in a list's items too) is refused, naming where it is."""
    tampered = copy.deepcopy(statement)
    tampered.extras["gap"]["streams"] = {"uasc": {"start": 5}}
    with pytest.raises(DisclosureError, match=r"extras\.gap\.streams\.uasc\.start"):
        check_statement(tampered)
    tampered = copy.deepcopy(statement)
    tampered.extras["gap"]["notes"] = [{"year": 2027, "children_left": 3}]
    with pytest.raises(DisclosureError, match=r"extras\.gap\.notes\.\[\]\.children_left"):
        check_statement(tampered)


def test_a_warning_naming_a_hidden_types_figures_is_dropped(statement: Any) -> None:
    """A scenario's warnings quoted a hidden type's expected children month by month."""
    hidden_type = sorted(statement.disclosure.categories)[0]
    told = f"planned move {hidden_type} -> ifa: only 0.1 of 0.3 children expected by 2026-08-31"
    forecast = {"scenarios": {"plan": {"warnings": [told, "planned move ifa -> secure: 2 a year"]}}}
    assert hide_categories(forecast, {hidden_type}) == {
        "scenarios": {"plan": {"warnings": ["planned move ifa -> secure: 2 a year"]}}
    }
    tampered = copy.deepcopy(statement)
    tampered.extras["forecast"]["scenarios"]["baseline"]["warnings"] = [told]
    with pytest.raises(DisclosureError, match="warnings"):
        check_statement(tampered)
