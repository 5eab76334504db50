"""One council's published forms read together: a reader holds every statement the council has
published (and the viewer's dashboard of every year) at once, so what one output hides no other
may show, and the attacker recovers nothing from all of them together.

Found on a synthetic council of 150 children (seed 7, Herefordshire's geography, returns
2022-2026): the 2025 statement hid its 7 UASC at 31 March 2025 (and 14 at 31 March 2024) beside
their ages, 1 aged 13 to 15 and 6 aged 16 or 17; the 2026 statement's trends printed 7 and 14,
so the two statements together gave the 1 away.

``measures --at`` on a day other than 31 March is not published (tests of the measures
command): two days side by side gave hidden counts away by subtraction.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from attacker import Knowledge, recover, statement_knowledge
from disclosure_helpers import insider, load, synth, write

pytestmark = pytest.mark.slow

YEARS = (2022, 2023, 2024, 2025, 2026)


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[int, Path]]:
    """The 150-child council and its publish-mode statements of every year."""
    root = tmp_path_factory.mktemp("forms")
    ds = load(synth(root / "data", 7, 150, YEARS))
    return ds, {y: write(ds, y, "publish", root / f"publish-{y}") for y in YEARS}


def _measure_figure(key: str, before: dt.date) -> bool:
    """A measure's figure (not a forecast's or the gap's: each statement has its own) of a date
    up to ``before``."""
    if "|" in key or "@" not in key or key.startswith(("forecast", "gap")):
        return False
    return dt.date.fromisoformat(key.rpartition("@")[2]) <= before


def test_a_later_statement_shows_nothing_an_earlier_one_hides(
    council: tuple[Any, dict[int, Path]],
) -> None:
    _, folders = council
    earlier, later = (statement_knowledge(folders[y]) for y in (2025, 2026))
    last = dt.date(2025, 3, 31)
    shown = sorted(
        f"{k} = {later.numbers[k]:g}"
        for k in earlier.hidden - set(earlier.numbers)
        if _measure_figure(k, last) and k in later.numbers
    )
    assert not shown, shown
    hidden = sorted(
        k
        for k in later.hidden - set(later.numbers)
        if _measure_figure(k, last) and k in earlier.numbers
    )
    assert not hidden, hidden  # hiding what the earlier statement prints protects nothing


@pytest.fixture(scope="module")
def inner_london(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[int, Path]]:
    """200 children on Tower Hamlets' geography (seed 5): its adoptions of 2021 and 2020, before
    its first return, are in the three-year counts of 2022 and 2023 (one figure each: with a
    remainder of their own in each window, the five statements gave its 5 of 2023 as 4 or 5)."""
    root = tmp_path_factory.mktemp("inner-london")
    ds = load(synth(root / "data", 5, 200, YEARS, la_code="E09000030"))
    return ds, {y: write(ds, y, "publish", root / f"publish-{y}") for y in YEARS}


@pytest.mark.parametrize("name", ["council", "inner_london"])
def test_nothing_is_recovered_from_every_year_of_statements(
    name: str, request: pytest.FixtureRequest
) -> None:
    ds, folders = request.getfixturevalue(name)
    both = Knowledge()
    for year, folder in folders.items():
        reader = _own_forecast(statement_knowledge(folder), year)
        both.hidden |= reader.hidden
        both.magnitude |= reader.magnitude
        both.relations += reader.relations
        for k, v in reader.numbers.items():
            both.numbers.setdefault(k, v)
    truth, _ = insider(ds, 2026)
    found = [f for f in recover(both, truth) if ":" not in f.key]
    assert not found, "\n".join(str(f) for f in found)


def _own_forecast(reader: Knowledge, year: int) -> Knowledge:
    """A statement's forecast and gap figures as its own: each year's statement forecasts as
    at its 31 March, so its expected children on a later 31 March are not another's."""

    def own(key: str) -> str:
        return f"{year}:{key}" if key.startswith(("forecast", "gap")) else key

    return Knowledge(
        numbers={own(k): v for k, v in reader.numbers.items()},
        hidden={own(k) for k in reader.hidden},
        magnitude={own(k) for k in reader.magnitude},
        relations=[
            ({own(k): c for k, c in terms.items()}, lo, hi) for terms, lo, hi in reader.relations
        ],
    )
