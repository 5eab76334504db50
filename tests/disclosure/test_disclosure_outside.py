"""What a reader knows from outside an output: the DfE's published figures for the council and
the council's previous statement are published figures to disclosure control (when they agree
with the data), and a published percentage pins its count to its rounding."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from sufficiency.measures.identities import measure_system, ref
from sufficiency.measures.outside import agreeing, dfe_published
from sufficiency.measures.suppression import protect_years
from sufficiency.published.comparators import comparators
from sufficiency.report.previous import PreviousStatementError, read_previous
from sufficiency.results import Breakdown, Count, Result, Share

LA = "E06000019"
AT = dt.date(2025, 3, 31)


def _published(measure_id: str) -> Any:
    comparison = comparators(LA, measure_id, AT.year)
    assert comparison is not None and comparison.year == AT.year
    assert comparison.published_la is not None
    return comparison.published_la


def _years() -> dict[dt.date, dict[str, Result]]:
    """One year of a council whose data is what the DfE published for it, except starts."""
    cla = int(_published("cla_count").value)
    eet = _published("care_leavers_eet")
    foster_pct = _published("cla_by_national_placement_group.foster_placements").value
    foster = round(foster_pct * cla / 100)
    return {
        AT: {
            "cla_count": Count(cla),
            "uasc_count": Count(int(_published("uasc_count").value)),
            "starts": Count(int(_published("starts").value) + 2),
            "care_leavers_eet": Share(eet.count, eet.denominator),
            "cla_by_national_placement_group": Breakdown(
                {"foster_placements": foster, "other_placements": cla - foster}
            ),
        }
    }


def test_dfe_figures_that_agree_with_the_data_are_known() -> None:
    years = _years()
    system = measure_system(years)
    outside = dfe_published(system, LA, years)
    assert outside.known == {
        ref("cla_count", (), AT): float(_published("cla_count").value),
        ref("uasc_count", (), AT): float(_published("uasc_count").value),
        ref("care_leavers_eet", ("count",), AT): float(_published("care_leavers_eet").count),
        ref("care_leavers_eet", ("denominator",), AT): float(
            _published("care_leavers_eet").denominator
        ),
    }
    assert ref("starts", (), AT) in outside.disagree  # another version of the return
    # another version of the return (one more child looked after): the counts that still agree
    # are what any reader downloads (disclosure round 11: all were dropped); a percentage of
    # the other denominator says nothing of this one
    other = {AT: {**years[AT], "cla_count": Count(int(_published("cla_count").value) + 1)}}
    elsewhere = dfe_published(measure_system(other), LA, other)
    assert elsewhere.known == {
        r: v for r, v in outside.known.items() if r != ref("cla_count", (), AT)
    }
    assert ref("cla_count", (), AT) in elsewhere.disagree
    foster = ref("cla_by_national_placement_group", ("foster_placements",), AT)
    assert not any(t == foster for r in elsewhere.relations for t, _ in r.terms)
    # no council, another date or a year-end with nothing published: nothing known
    assert dfe_published(system, "", years).known == {}
    assert dfe_published(system, "E99999999", years).known == {}
    assert (
        dfe_published(
            measure_system({dt.date(2025, 3, 30): years[AT]}), LA, [dt.date(2025, 3, 30)]
        ).known
        == {}
    )


def test_a_year_the_dfe_has_not_released_is_expected_as_it_will_print_it() -> None:
    """The statement's own year is published before the DfE's release of the same return: its
    counts (UASC 7 hid ages 13-15 = 1 beside 16-17 = 6) will be printed later, and a
    suppression made today must hold then (disclosure round 11). So will the counts and
    denominators it prints beside its percentages (care leavers 40 of 57: a statement that hid
    the 57 beside the 40 would leave 17 not in education to be read off in November), and a
    whole per cent of the children looked after pins a group of up to 100 of them (round 12:
    16% of 49 gave the hidden children's homes group, 8). A count of 1 to 5 is the DfE's c."""
    at = dt.date(2099, 3, 31)  # no release shipped
    years = {
        at: {
            "cla_count": Count(78),
            "uasc_count": Count(7),
            "adoptions": Count(3),  # 1 to 5: the DfE prints c
            "special_guardianship_orders": Count(0),
            "care_leavers_eet": Share(40, 57),
            "cla_by_national_placement_group": Breakdown(
                {"foster_placements": 61, "secure_and_childrens_homes": 13, "other_placements": 4}
            ),
        }
    }
    system = measure_system(years)
    outside = dfe_published(system, LA, years)
    group = "cla_by_national_placement_group"
    assert outside.known == {
        ref("cla_count", (), at): 78.0,
        ref("uasc_count", (), at): 7.0,
        ref("special_guardianship_orders", (), at): 0.0,
        ref("care_leavers_eet", ("count",), at): 40.0,
        ref("care_leavers_eet", ("denominator",), at): 57.0,
        # 78% and 17% of 78: one whole count each
        ref(group, ("foster_placements",), at): 61.0,
        ref(group, ("secure_and_childrens_homes",), at): 13.0,
    }
    assert outside.suppressed == {
        ref("adoptions", (), at),
        ref(group, ("other_placements",), at),
    }
    # a range is not foreseen (the DfE may suppress further cells of its own tables)
    assert outside.relations == []
    # of 241 children a whole per cent leaves two or three counts: not known
    big = {
        at: {
            "cla_count": Count(241),
            group: Breakdown({"foster_placements": 190, "other_placements": 51}),
        }
    }
    wide = dfe_published(measure_system(big), LA, big)
    assert wide.known == {ref("cla_count", (), at): 241.0}
    assert dfe_published(system, "", years).known == {}


def test_a_published_whole_percentage_pins_its_count_to_its_rounding() -> None:
    years = _years()
    system = measure_system(years)
    outside = dfe_published(system, LA, years)
    foster = ref("cla_by_national_placement_group", ("foster_placements",), AT)
    pins = [r for r in outside.relations if any(t == foster for t, _ in r.terms)]
    assert len(pins) == 2  # at least and at most
    cla = ref("cla_count", (), AT)
    true = system.vars[foster].value

    def consistent(count: float) -> bool:
        values = {foster: count, cla: system.vars[cla].value}
        return all(r.holds(values) for r in pins)

    n = int(system.vars[cla].value)
    pct = _published("cla_by_national_placement_group.foster_placements").value
    possible = {c for c in range(n + 1) if consistent(c)}
    assert true in possible
    assert possible == {c for c in range(n + 1) if abs(100 * c / n - pct) <= 0.5}
    assert len(possible) <= 4  # a whole per cent of a few hundred children


def test_protection_treats_outside_figures_as_published(tmp_path: Path) -> None:
    years = _years()
    protection = protect_years(years, la_code=LA)
    assert ref("uasc_count", (), AT) in protection.known
    assert not protection.known.keys() & protection.hidden - protection.primary
    # a previous statement's figure is known only when it agrees with the data
    system = measure_system(years)
    cla = ref("cla_count", (), AT)
    assert agreeing(system, {cla: system.vars[cla].value}).known == {cla: system.vars[cla].value}
    assert agreeing(system, {cla: system.vars[cla].value + 1}).disagree == [cla]


def test_a_previous_statement_is_read_as_a_reader_reads_it(
    demo_published: Path, tmp_path: Path
) -> None:
    numbers = read_previous(demo_published / "statement.json")
    data = json.loads((demo_published / "statement.json").read_text())
    block = data["measures"][str(max(int(y) for y in data["measures"]))]
    at = dt.date.fromisoformat(block["at"])
    assert numbers[ref("cla_count", (), at)] == block["measures"]["cla_count"]
    assert not any(r.partition("@")[0].endswith(".pct") for r in numbers)
    bad = tmp_path / "statement.json"
    bad.write_text('{"la_name": "x"}')
    with pytest.raises(PreviousStatementError, match=r"statement\.json.*'measures'"):
        read_previous(bad)
    bad.write_text("not json")
    with pytest.raises(PreviousStatementError, match=r"not a readable statement\.json"):
        read_previous(bad)


def test_known_figures_are_never_suppressed_as_secondary(
    demo_published: Path, demo_ds: Any
) -> None:
    from disclosure_helpers import DEMO_YEAR

    from sufficiency.report.build import statement_inputs

    years, context = statement_inputs(demo_ds, DEMO_YEAR)
    plain = protect_years(years, demo_ds.profile.small_count_max, context=context)
    secondary = sorted(plain.hidden - plain.primary)
    assert secondary, "the demo needs a secondary suppression for this test"
    target = secondary[0]
    known = {target: plain.system.vars[target].value}
    informed = protect_years(years, demo_ds.profile.small_count_max, context=context, known=known)
    assert target not in informed.hidden
    assert informed.primary == plain.primary
