"""Publish mode suppresses small numbers (and totals that would reveal them); internal does not.
A council without costs or registers still gets every section, saying what would fill it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import html as lxml_html

from sufficiency.dataset import Dataset
from sufficiency.report.build import SECTION_ORDER, build_statement
from sufficiency.report.render import render_html

#: Sections with nothing to say without their register or the OC3 table (a published statement
#: leaves them out rather than carry an optional placeholder): this council has none of them.
WITHOUT_THEIR_REGISTER = ("send", "care_leavers_25", "early_help")


def _cell(html_text: str, ref: str) -> str:
    doc = lxml_html.fromstring(html_text)
    return str(doc.xpath(f'//td[@data-ref="{ref}"]')[0].text_content().strip())


@pytest.fixture(scope="module")
def three_uasc(council_factory: Callable[..., Dataset]) -> dict[str, str]:
    ds = council_factory(n_children=90, uasc=3, registers=False)
    return {mode: render_html(build_statement(ds, 2024, mode)) for mode in ("publish", "internal")}


@pytest.mark.slow
def test_three_uasc_suppressed_in_publish_shown_internally(three_uasc: dict[str, str]) -> None:
    pub, internal = three_uasc["publish"], three_uasc["internal"]
    assert _cell(pub, "uasc_count@2024-03-31") == "[c]"
    assert _cell(internal, "uasc_count@2024-03-31") == "3"
    # the UASC-by-age breakdown: the 16-17 cell and the total that would reveal it
    assert _cell(pub, "uasc_by_age.16_to_17@2024-03-31") == "[c]"
    assert _cell(internal, "uasc_by_age.16_to_17@2024-03-31") == "3"
    doc = lxml_html.fromstring(pub)
    total_row = doc.xpath('//table[@id="t-uasc_by_age"]//tr[@class="total"]/td')
    assert [td.text_content() for td in total_row] == ["[c]"]
    # the share built on the suppressed count is suppressed; the key messages never state it
    assert _cell(pub, "uasc_share.pct@2024-03-31") == "[c]"
    messages = doc.xpath('//ul[@class="key-messages"]')[0].text_content()
    assert "asylum" not in messages
    internal_messages = lxml_html.fromstring(internal).xpath('//ul[@class="key-messages"]')[0]
    assert "3 children looked after" in internal_messages.text_content()


def test_council_without_registers_gets_every_section(
    council_factory: Callable[..., Dataset],
) -> None:
    ds = council_factory(n_children=60, uasc=5, registers=False)
    stmt = build_statement(ds, 2024, "publish")
    # progress since the last statement is there only with --previous
    assert [s.id for s in stmt.sections] == [
        s for s in SECTION_ORDER if s not in ("progress", *WITHOUT_THEIR_REGISTER)
    ]
    by_id = {s.id: s for s in stmt.sections}
    assert by_id["costs"].status == "placeholder"
    costs_needs = by_id["costs"].blocks[0].placeholder
    assert costs_needs is not None and "registers/costs.csv" in costs_needs.needs
    assert by_id["action_plan"].status == "placeholder"
    needs = " ".join(b.placeholder.needs for b in by_id["action_plan"].blocks if b.placeholder)
    assert "registers/actions.csv" in needs and "registers/targets.csv" in needs
    for sid, register in (
        ("residential", "homes.csv"),
        ("fostering", "carers.csv"),
        ("supported_accommodation", "supported_accommodation.csv"),
    ):
        text = " ".join(b.placeholder.needs for b in by_id[sid].blocks if b.placeholder)
        assert f"registers/{register}" in text, sid
    assert by_id["gap"].status == "placeholder"
    cla = by_id["children_looked_after"]
    # the DfE's published comparators for the council's code need no register
    assert not any(b.placeholder and "benchmarks.csv" in b.placeholder.needs for b in cla.blocks)
    assert any(t.id == "cla_rate_benchmarks" for t in cla.tables())
    # the sections that need no registers still carry the numbers
    assert by_id["placements"].tables() and by_id["stability"].tables()


def test_a_table_no_suppression_can_protect_is_withheld_and_said(
    council_factory: Callable[..., Dataset],
) -> None:
    """90 children: the placement type x location table has a column of 5 made of four [c]s,
    each at least 1, so it is 4 or 5 whatever else is hidden: the table is not shown at all."""
    from sufficiency.report.protect import audit_statement

    stmt = build_statement(council_factory(), 2024, "publish")
    assert "placement_type_by_location@2024-03-31" in stmt.disclosure.protection.withheld
    assert "placement_type_by_location" not in [t.id for t in stmt.tables()]
    assert stmt.measures["2024"]["measures"]["placement_type_by_location"] is None
    intro = " ".join(b.text for b in stmt.sections[0].blocks)
    assert "Withheld because no suppression could stop" in intro
    assert "Placement type by location (2023-24)" in intro
    assert audit_statement(stmt, stmt.disclosure) == []
    internal = build_statement(council_factory(), 2024, "internal")
    assert "placement_type_by_location" in [t.id for t in internal.tables()]
