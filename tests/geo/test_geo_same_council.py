"""Whether a home's (or a placement's) council is the council's own is one rule for every code
a register may write: a county's homes under their districts' codes, a council under its
former code or its successor's. The homes-in-area measures compared the text: a county whose
homes carried district codes, or a la.toml naming North Yorkshire by its county code with
Ofsted's current codes in the homes register, had 0 homes and 0 beds in its area."""

from __future__ import annotations

import polars as pl
import pytest

from sufficiency.geo.authorities import in_council, same_council


@pytest.mark.parametrize(
    ("laua", "council", "inside"),
    [
        ("E06000019", "E06000019", True),
        ("E06000020", "E06000019", False),
        ("E07000240", "E10000015", True),  # St Albans is in Hertfordshire
        ("E07000240", "E10000016", False),
        ("E06000065", "E10000023", True),  # North Yorkshire: the unitary for the county
        ("E10000023", "E06000065", True),  # and the county's code for the unitary
        ("E08000038", "E08000016", True),  # Barnsley recoded
        ("E06000063", "E10000006", True),  # Cumberland was in Cumbria
        ("E10000006", "E06000063", False),  # but Cumbria is not Cumberland alone
        (None, "E06000019", False),
    ],
)
def test_a_code_is_in_the_council_by_its_upper_tier_and_its_successors(
    laua: str | None, council: str, inside: bool
) -> None:
    frame = pl.DataFrame({"la": [laua]}, schema={"la": pl.String})
    assert frame.select(in_council("la", council)).item() is inside


def test_the_codes_of_a_council() -> None:
    assert same_council("E10000023") == ("E10000023", "E06000065")
    assert same_council("E06000065") == ("E06000065", "E10000023")
    assert same_council("E10000006") == ("E10000006", "E06000063", "E06000064")
