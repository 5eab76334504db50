"""The shipped figures are the DfE's, exactly: for a unitary (Herefordshire), a county
(Hertfordshire) and a London borough (Camden), 2025, beside England, their region and the mean
of their 2025 statistical neighbours.

The literal numbers below were read by hand from the source files (cla_number_and_rate_per_10k_
children.csv, la_cla_placement_stability.csv and the LAIT dataset's LACDistance and
Unacc_Asylmn_Seek_Childn rows); a second test re-reads every one of them, and every neighbour's
figure, from the files with Polars.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from published_sources import csv_cell, lait_cell, sn_numbers

from sufficiency.published import comparators, resolve_la

SIX = (
    "cla_count",
    "cla_rate_per_10k",
    "stability_three_plus",
    "stability_long_term",
    "placed_over_20_miles_outside_la",
    "uasc_count",
)
#: council code -> (own, England, region) for the six measures, 2025, as published.
PUBLISHED_2025 = {
    "E06000019": (  # Herefordshire, unitary, West Midlands
        (344, 100, 10, 66, 20, 13),
        (81770, 67, 10, 69, 18, 6540),
        (11560, 86, 10, 69, 16, 710),
    ),
    "E10000015": (  # Hertfordshire, county, East of England
        (999, 36, 11, 73, 22, 120),
        (81770, 67, 10, 69, 18, 6540),
        (6800, 49, 11, 70, 21, 740),
    ),
    "E09000007": (  # Camden, inner London borough, London
        (205, 58, 10, 56, 16, 35),
        (81770, 67, 10, 69, 18, 6540),
        (9290, 48, 10, 68, 17, 1070),
    ),
}
#: The same councils' 3+ placements and long-term stability counts and denominators, 2025.
COUNTS_2025 = {
    "E06000019": ((35, 344), (110, 167)),
    "E10000015": ((108, 999), (210, 288)),
    "E09000007": ((21, 205), (19, 34)),
}
#: The region and the LAIT area number of each council's region.
REGIONS = {
    "E06000019": ("E12000005", "West Midlands", "984"),
    "E10000015": ("E12000006", "East of England", "985"),
    "E09000007": ("E12000007", "London", "986"),
}
NUMBERS = {"E06000019": "884", "E10000015": "919", "E09000007": "202"}

_CLA = "cla_number_and_rate_per_10k_children.csv"
_STAB = "la_cla_placement_stability.csv"
_ON_31_MARCH = {"population_type": "Children looked after on 31 March each year"}
_THREE_PLUS = {
    "cla_group": "CLA on 31 March",
    "placement_stability": "With 3 or more placements during the year",
}
_LONG_TERM = {
    "cla_group": "Children looked after continuously for at least 2.5 years on 31 March aged "
    "under 16 years",
    "placement_stability": "Living with the same carer for at least 2 years",
}

#: How each of the six reads from the source: (area code, DfE number) -> the published text.
READERS: dict[str, Callable[[str, str], str]] = {
    "cla_count": lambda area, _: csv_cell(_CLA, area, 2025, "children_count", **_ON_31_MARCH),
    "cla_rate_per_10k": lambda area, _: csv_cell(
        _CLA, area, 2025, "rate_per_10000", **_ON_31_MARCH
    ),
    "stability_three_plus": lambda area, _: csv_cell(
        _STAB, area, 2025, "children_percent", **_THREE_PLUS
    ),
    "stability_long_term": lambda area, _: csv_cell(
        _STAB, area, 2025, "children_percent", **_LONG_TERM
    ),
    "placed_over_20_miles_outside_la": lambda _, number: lait_cell("LACDistance", number, 2025),
    "uasc_count": lambda _, number: lait_cell("Unacc_Asylmn_Seek_Childn", number, 2025),
}


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None  # a DfE symbol: c, z, x, k, -


def _half_up(values: list[float]) -> float:
    mean = Decimal(str(sum(values))) / len(values)
    return float(mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@pytest.mark.parametrize("code", list(PUBLISHED_2025))
def test_2025_figures_are_as_published(code: str) -> None:
    own, england, region = PUBLISHED_2025[code]
    for i, measure in enumerate(SIX):
        c = comparators(code, measure, 2025)
        assert c is not None and c.year == 2025 and not c.lags
        assert c.published_la is not None and c.published_la.value == own[i], measure
        assert c.england is not None and c.england.value == england[i], measure
        assert c.region is not None and c.region.value == region[i], measure
        assert c.region.area_code == REGIONS[code][0]
        assert c.region.area_name == REGIONS[code][1]


@pytest.mark.parametrize("code", list(COUNTS_2025))
def test_stability_counts_and_denominators_are_published_ones(code: str) -> None:
    three_plus = comparators(code, "stability_three_plus", 2025)
    long_term = comparators(code, "stability_long_term", 2025)
    assert three_plus is not None and three_plus.published_la is not None
    assert long_term is not None and long_term.published_la is not None
    got = (
        (three_plus.published_la.count, three_plus.published_la.denominator),
        (long_term.published_la.count, long_term.published_la.denominator),
    )
    assert got == COUNTS_2025[code]


def test_herefordshire_neighbours_means_2025() -> None:
    """The West Midlands unitary's ten neighbours all published these six in 2025."""
    expected = dict(zip(SIX, (827.6, 66.7, 10.8, 67.5, 20.3, 48.7), strict=True))
    for measure, mean in expected.items():
        c = comparators("E06000019", measure, 2025)
        assert c is not None and c.statistical_neighbours is not None
        assert (c.statistical_neighbours.value, c.statistical_neighbours.used) == (mean, 10)


@pytest.mark.parametrize("code", list(PUBLISHED_2025))
@pytest.mark.parametrize("measure", SIX)
def test_figures_match_the_source_files(source: Path, code: str, measure: str) -> None:
    read = READERS[measure]
    region_code, _, region_number = REGIONS[code]
    c = comparators(code, measure, 2025)
    assert c is not None
    assert c.published_la is not None and c.england is not None and c.region is not None
    assert c.published_la.value == float(read(code, NUMBERS[code]))
    assert c.england.value == float(read("E92000001", "970"))
    assert c.region.value == float(read(region_code, region_number))
    # the neighbours: each one's figure, and the mean of those that are numbers
    sns = c.statistical_neighbours
    assert sns is not None and sns.of == 10
    codes = [resolve_la(n).code for n in sn_numbers(NUMBERS[code])]
    values = [
        _number(read(area, n)) for area, n in zip(codes, sn_numbers(NUMBERS[code]), strict=True)
    ]
    assert [f.area_code for f in sns.neighbours] == codes
    assert [f.value for f in sns.neighbours] == values
    numbers = [v for v in values if v is not None]
    assert sns.used == len(numbers)
    assert sns.value == _half_up(numbers)


def test_a_suppressed_neighbour_is_skipped_and_counted(source: Path) -> None:
    """Camden's long-term stability, 2025: Kensington and Chelsea's figure is suppressed ("c"),
    so the mean is of the other nine neighbours."""
    c = comparators("E09000007", "stability_long_term", 2025)
    assert c is not None and c.statistical_neighbours is not None
    sns = c.statistical_neighbours
    suppressed = [f for f in sns.neighbours if f.value is None]
    assert [(f.area_name, f.symbol) for f in suppressed] == [("Kensington and Chelsea", "c")]
    assert csv_cell(_STAB, "E09000020", 2025, "children_percent", **_LONG_TERM) == "c"
    others = [f.value for f in sns.neighbours if f.value is not None]
    assert others == [66.0, 84.0, 69.0, 74.0, 54.0, 64.0, 74.0, 71.0, 63.0]
    assert (sns.used, sns.of, sns.value) == (9, 10, 68.8)  # 619 / 9 = 68.78


def test_suppression_symbols_are_kept() -> None:
    """City of London's children looked after at 31 March 2025 are published as "c"."""
    c = comparators("E09000001", "cla_count", 2025)
    assert c is not None and c.published_la is not None
    assert (c.published_la.value, c.published_la.symbol) == (None, "c")
