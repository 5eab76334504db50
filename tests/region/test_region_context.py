"""A council's own statement publishes figures the regional output does not show, tied by a
definition to figures it does: its DfE placement groups (foster placements) against the
region's placement types. Summed over the councils they gave the region's foster placements,
and less the region's in-house fostering, family and friends and IFA shown, its hidden other
public fostering (the third attack round recovered 2, and each council's 1). The regional
protection now knows those measures (``context_ids``), never showing them."""

from __future__ import annotations

import datetime as dt

from sufficiency.disclosure import is_suppressed
from sufficiency.measures.identities import ref
from sufficiency.region.needs import context_ids, protect_region
from sufficiency.region.shared import Publication
from sufficiency.results import Breakdown, Result

AT = dt.date(2026, 3, 31)
TYPES = ("in_house_fostering", "family_and_friends", "ifa", "other_public_fostering")
#: Each council's children by placement type (other public fostering: 0, 1 and 1).
COUNCILS = {
    "E09000001": (14, 8, 8, 0),
    "E06000053": (20, 10, 21, 1),
    "E06000019": (15, 12, 6, 1),
}


def _types(values: tuple[int, ...]) -> Breakdown:
    return Breakdown(dict(zip(TYPES, values, strict=True)))


def _groups(values: tuple[int, ...]) -> Breakdown:
    return Breakdown({"foster_placements": sum(values)})


def _published(code: str, values: tuple[int, ...]) -> Publication:
    """The council's own statement: its placement types and groups, a small type hidden with
    another (so that its foster placements less the types shown do not give it)."""
    small = any(1 <= v <= 5 for v in values)
    figures: dict[str, float | None] = {
        ref("cla_by_placement_type", (t,), AT): (
            None if 1 <= v <= 5 or (small and t == "family_and_friends") else float(v)
        )
        for t, v in zip(TYPES, values, strict=True)
    }
    figures[ref("cla_by_national_placement_group", ("foster_placements",), AT)] = sum(values)
    return Publication(figures)


def _run(context: bool) -> dict[str, Result]:
    by_council = {c: {"cla_by_placement_type": _types(v)} for c, v in COUNCILS.items()}
    total = tuple(sum(v[i] for v in COUNCILS.values()) for i in range(len(TYPES)))
    region: dict[str, Result] = {"cla_by_placement_type": _types(total)}
    published = {c: _published(c, v) for c, v in COUNCILS.items()}
    extra = None
    if context:
        ids = context_ids(region, published)
        assert ids == ["cla_by_national_placement_group"]
        extra = (
            {c: {"cla_by_national_placement_group": _groups(v)} for c, v in COUNCILS.items()},
            {"cla_by_national_placement_group": _groups(total)},
        )
    _, protected = protect_region(by_council, region, AT, 5, published, extra)
    return protected


def _hidden(result: Result) -> list[str]:
    return [k for k, v in result.to_json().items() if is_suppressed(v)]


def test_the_councils_own_groups_are_known_to_the_regional_protection() -> None:
    # without them only the small type is hidden: 116 - 49 - 30 - 35 gives it (2), and so
    # each of the two councils' hidden ones (1 and 1)
    assert _hidden(_run(context=False)["cla_by_placement_type"]) == ["other_public_fostering"]
    # with them a second type is hidden beside it: 32 for the two, 6 or more of one
    hidden = _hidden(_run(context=True)["cla_by_placement_type"])
    assert hidden == ["family_and_friends", "other_public_fostering"]
