"""A council abolished since 2019 has no postcodes of its own: `synth --la E10000009` said only
'no postcodes found for LA code E10000009'; it now names the council and its successors."""

from __future__ import annotations

import pytest

from sufficiency.synth.postcodes import geography


def test_a_former_council_names_its_successors() -> None:
    with pytest.raises(ValueError) as raised:
        geography("E10000009")
    assert str(raised.value) == (
        "E10000009 is Dorset (Pre LG), which ran children's services until 2019: its area is now "
        "Dorset (E06000059) and Bournemouth, Christchurch and Poole (E06000058); synthesise one "
        "of those"
    )


def test_a_former_council_whose_postcodes_map_to_its_successors_is_refused_too() -> None:
    """Before, Cumbria (its postcodes read as Cumberland's and Westmorland's) was synthesised
    with 2026 returns, three years after it ran children's services; a recoded council (Barnsley
    under the DfE's code) still is."""
    with pytest.raises(ValueError, match="E10000006 is Cumbria, which ran children's services"):
        geography("E10000006")
    assert geography("E08000016").inside.height > 0
