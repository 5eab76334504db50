"""Disclosure round 11: council-written register text and values a publish-mode statement prints
beside its protected figures. A target's baseline is a value of its measure (the register's 6.3%
of a published 79 was a hidden 5), and an action plan's words are prose like the narrative."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from disclosure_helpers import DEMO_YEAR, load, synth

from sufficiency.disclosure import SUPPRESSED
from sufficiency.disclosure.audit import DisclosureError
from sufficiency.report.build import build_statement
from sufficiency.report.protect import check_statement


def _copy(demo_dir: Path, tmp_path: Path) -> Path:
    out = tmp_path / "council"
    shutil.copytree(demo_dir, out)
    return out


def _row(table: Any, title: str) -> list[Any]:
    return next(r.cells for r in table.rows if r.header == title)


def test_a_targets_baseline_of_a_hidden_measure_is_hidden(demo_dir: Path, tmp_path: Path) -> None:
    """The demo hides its care leavers in touch (the rest is a small count) and shows three or
    more placements: a baseline of each on the statement's own 31 March is hidden and shown
    alike."""
    folder = _copy(demo_dir, tmp_path)
    truth = build_statement(load(folder), DEMO_YEAR, "internal")
    touch = truth.measures[str(DEMO_YEAR)]["measures"]["care_leavers_in_touch"]["pct"]
    three = truth.measures[str(DEMO_YEAR)]["measures"]["stability_three_plus"]["pct"]
    (folder / "registers" / "targets.csv").write_text(
        "measure_id,baseline_date,baseline,target,target_date,direction\n"
        f"care_leavers_in_touch,{DEMO_YEAR}-03-31,{touch},99.0,{DEMO_YEAR + 2}-03-31,up\n"
        f"stability_three_plus,{DEMO_YEAR}-03-31,{three},5.0,{DEMO_YEAR + 2}-03-31,down\n"
    )
    data = build_statement(load(folder), DEMO_YEAR, "publish")
    (targets,) = [t for t in data.tables() if t.id == "targets"]
    titles = {r.header for r in targets.rows}
    touch_title = next(t for t in titles if "in touch" in t.lower())
    hidden = _row(targets, touch_title)
    assert hidden[0].value == SUPPRESSED and hidden[2].value == SUPPRESSED  # baseline, target
    assert hidden[5].value == "Not shown (small number)"
    shown = _row(targets, next(t for t in titles if t != touch_title))
    assert shown[0].value == three and shown[5].value != "Not shown (small number)"


def test_a_small_count_in_the_action_plan_is_refused(demo_dir: Path, tmp_path: Path) -> None:
    """The narrative's "3 children" is refused; the same words in the actions register, printed
    as the action plan, were published unchecked."""
    folder = _copy(demo_dir, tmp_path)
    actions = folder / "registers" / "actions.csv"
    lines = actions.read_text().splitlines()
    head, first = lines[0], lines[1].split(",")
    first[2] = "3 children brought home from external children's homes"
    actions.write_text("\n".join([head, ",".join(first), *lines[2:]]) + "\n")
    data = build_statement(load(folder), DEMO_YEAR, "publish")
    with pytest.raises(DisclosureError, match=r"Action plan.*3 children"):
        check_statement(data)  # what the writer runs before writing anything
    internal = build_statement(load(folder), DEMO_YEAR, "internal")
    check_statement(internal)  # the officers' copy is not refused, and prints the words
    (plan,) = [t for t in internal.tables() if t.id == "actions"]
    assert any("3 children brought home" in str(c.value) for r in plan.rows for c in r.cells)


def test_a_count_the_dfe_will_print_withholds_the_table_it_pins(tmp_path: Path) -> None:
    """A council of 100 (Isles of Scilly geography, seed 26) with 7 unaccompanied children, 1
    aged 13-15 and 6 aged 16-17: the 2026 statement hid the 7 to protect the 1, and the DfE's
    release of the same return prints the 7. The 7 is expected as printed, so the ages table
    is not shown (its own table, the last resort) and the count is."""
    folder = synth(tmp_path / "council", 26, 100, (2022, 2023, 2024, 2025, 2026), "E06000053")
    ds = load(folder)
    truth = build_statement(ds, DEMO_YEAR, "internal").measures[str(DEMO_YEAR)]["measures"]
    assert truth["uasc_count"] == 7 and truth["uasc_by_age"]["13_to_15"] == 1
    data = build_statement(ds, DEMO_YEAR, "publish")
    check_statement(data)
    shown = data.measures[str(DEMO_YEAR)]["measures"]
    assert shown["uasc_count"] == 7
    assert shown.get("uasc_by_age") is None


@pytest.mark.parametrize(
    "text",
    [
        "3 older children",
        "2 foster children",
        "2 LAC",
        "3 CYP",
        "4 cared-for children",
        "three teenage girls",
        "2 unaccompanied minors",
        "3 young women",
        "3 (three) children",
        "3-5 children",
    ],
)
def test_the_ways_councils_write_a_few_children_are_read(text: str) -> None:
    """Round 12: each was published unchecked in the action plan beside "3 children" refused."""
    from sufficiency.disclosure.text import small_counts

    assert [f.text for f in small_counts(f"Move {text} home", "action plan")] == [text]


@pytest.mark.parametrize(
    "text", ["3 homes for children", "two children's homes", "6 to 10 children", "3 foster carers"]
)
def test_counts_of_other_things_or_larger_pass(text: str) -> None:
    from sufficiency.disclosure.text import small_counts

    assert small_counts(text, "x") == []
