"""Councils by current code, former code, DfE number or name; reorganised councils kept apart."""

from __future__ import annotations

import pytest

from sufficiency.published import UnknownArea, neighbours, resolve_la


def test_old_number_and_new_code_are_the_same_council() -> None:
    by_code = resolve_la("E06000019")
    assert resolve_la("884") == by_code
    assert resolve_la(884) == by_code
    assert resolve_la(" e06000019 ") == by_code
    assert resolve_la("Herefordshire") == by_code
    assert (by_code.name, by_code.old_number, by_code.type, by_code.region_code) == (
        "Herefordshire, County of",
        "884",
        "UA",
        "E12000005",
    )
    assert (by_code.type_name, by_code.region_name) == ("unitary authority", "West Midlands")


def test_county_and_london_borough() -> None:
    herts = resolve_la(919)
    assert (herts.code, herts.type, herts.region_name) == ("E10000015", "SC", "East of England")
    camden = resolve_la("202")
    assert (camden.code, camden.type, camden.region_code) == ("E09000007", "ILB", "E12000007")
    assert camden.region_name == "London"


def test_a_former_code_of_the_same_area_resolves_to_the_council() -> None:
    """Somerset became a unitary in April 2023: E10000027 -> E06000066, DfE number 933."""
    somerset = resolve_la("E10000027")
    assert (somerset.code, somerset.old_number, somerset.type) == ("E06000066", "933", "UA")
    assert somerset.former_codes == ("E10000027",)
    assert resolve_la("E10000002").code == "E06000060"  # Buckinghamshire, 2020
    assert resolve_la("E10000023").code == "E06000065"  # North Yorkshire, 2023


def test_the_postcode_directorys_new_code_of_a_recoded_council_resolves_to_it() -> None:
    """The ONS recoded Barnsley and Sheffield in 2024 (the postcode directory's E08000038 and
    E08000039); the DfE still files them under E08000016 and E08000019."""
    assert resolve_la("E08000038").code == "E08000016"
    sheffield = resolve_la("E08000039")
    assert (sheffield.code, sheffield.name) == ("E08000019", "Sheffield")


def test_reorganised_councils_are_separate_with_their_lineage() -> None:
    cumbria = resolve_la("909")
    assert (cumbria.code, cumbria.last_year, cumbria.current) == ("E10000006", 2023, False)
    assert cumbria.successors == ("E06000063", "E06000064")
    cumberland = resolve_la("E06000063")
    assert (cumberland.old_number, cumberland.first_year) == ("942", 2024)
    assert cumberland.predecessors == ("E10000006",)
    assert not cumberland.exists_in(2023) and cumberland.exists_in(2024)
    bcp = resolve_la("839")
    assert bcp.first_year == 2020
    assert bcp.predecessors == ("E10000009", "E06000029", "E06000028")


def test_unknown_code_raises() -> None:
    with pytest.raises(UnknownArea, match="no council has"):
        resolve_la("E06999999")
    with pytest.raises(UnknownArea):
        resolve_la("E12000005")  # a region is not a council


def test_herefordshire_statistical_neighbours_2025() -> None:
    got = [(n.rank, n.la.old_number, n.closeness) for n in neighbours("E06000019")]
    assert got == [
        (1, "943", "Very close"),
        (2, "860", "Very close"),
        (3, "925", "Very close"),
        (4, "893", "Very close"),
        (5, "933", "Very close"),
        (6, "888", "Very close"),
        (7, "935", "Very close"),
        (8, "811", "Very close"),
        (9, "815", "Very close"),
        (10, "830", "Very close"),
    ]
    assert neighbours("884")[0].la.name == "Westmorland and Furness"
    assert {n.model for n in neighbours("884")} == {"2025"}


def test_a_name_is_the_council_of_that_name_not_one_beginning_with_it() -> None:
    """ "Bournemouth" answered for Bournemouth, Christchurch and Poole (the name's part before
    its comma), and "Poole" was refused: each is the former council of its own name."""
    from sufficiency.published.areas import UnknownArea, resolve_la

    assert (resolve_la("Bournemouth").code, resolve_la("Poole").code) == ("E06000028", "E06000029")
    assert resolve_la("bournemouth, christchurch and poole").code == "E06000058"
    assert resolve_la("Herefordshire").code == resolve_la("Herefordshire, County of").code
    assert resolve_la("Bristol").name == "Bristol, City of"
    with pytest.raises(UnknownArea, match=r"\(did you mean 'Herefordshire, County of'\?\)$"):
        resolve_la("Hereford")
    with pytest.raises(UnknownArea, match=r"did you mean 'Westminster'\?"):
        resolve_la("Westminstr")
