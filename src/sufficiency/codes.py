"""SSDA903 code lists per collection year and the groupings the product reports by.

Collection years are named by the year the return ENDS (2024 = the 2023-24 return, 31 March 2024).
The groupings here (LA placement types, suitability groups, location bands, age bands) are the
contract shared by measures, forecast, supply, matching and the statement (DESIGN.md).
"""

from __future__ import annotations

import polars as pl

# ---------------------------------------------------------------------------------------------
# LA placement types (DESIGN.md "Groupings and definitions"); ids are JSON keys, order is display.
# ---------------------------------------------------------------------------------------------
PLACEMENT_TYPES: tuple[str, ...] = (
    "in_house_fostering",
    "family_and_friends",
    "ifa",
    "other_public_fostering",
    "in_house_residential",
    "external_residential",
    "secure",
    "supported_accommodation",
    "independent_living",
    "residential_school",
    "parent_and_child",
    "placed_with_parents",
    "placed_for_adoption",
    "health",
    "custody",
    "residential_employment",
    "other",
)

PLACEMENT_TYPE_TITLES: dict[str, str] = {
    "in_house_fostering": "In-house fostering",
    "family_and_friends": "Family and friends (kinship) fostering",
    "ifa": "Independent fostering agency",
    "other_public_fostering": "Other public-sector fostering",
    "in_house_residential": "In-house children's home",
    "external_residential": "External children's home",
    "secure": "Secure children's home",
    "supported_accommodation": "Supported accommodation",
    "independent_living": "Independent living",
    "residential_school": "Residential school",
    "parent_and_child": "Parent and child (family centre / mother and baby unit)",
    "placed_with_parents": "Placed with parents",
    "placed_for_adoption": "Placed for adoption",
    "health": "NHS / health provision",
    "custody": "Young offender institution or prison",
    "residential_employment": "Residential employment",
    "other": "Other placements",
}

FOSTERING_PLACE = ("U1", "U2", "U3", "U4", "U5", "U6")
KINSHIP_PLACE = ("U1", "U2", "U3")
NON_KINSHIP_FOSTER_PLACE = ("U4", "U5", "U6")
CHILDRENS_HOME_PLACE = ("K2", "R1")
TEMPORARY_PLACE = ("T0", "T1", "T2", "T3", "T4")
ADOPTION_PLACE = ("A3", "A4", "A5", "A6")
SUPPORTED_PLACE = ("H5", "K3")

#: Suitability groups used by referrals (DESIGN.md).
SUITABILITY_GROUPS: dict[str, tuple[str, ...]] = {
    "foster": ("in_house_fostering", "family_and_friends", "ifa", "other_public_fostering"),
    "residential": ("in_house_residential", "external_residential", "secure", "residential_school"),
    "supported": ("supported_accommodation", "independent_living"),
}

FOSTERING_TYPES = SUITABILITY_GROUPS["foster"]

#: Legal statuses of children under an agreed series of short-term breaks (excluded from CLA).
SHORT_BREAK_LS = ("V3", "V4")

#: RNE codes that start a new placement (DfE stability definition).
PLACEMENT_START_RNE = ("S", "P", "B", "T", "U")

LOCATION_BANDS: tuple[str, ...] = ("inside", "neighbouring", "distant", "unknown")
DISTANCE_BANDS: tuple[str, ...] = ("up_to_20", "over_20_under_100", "100_plus", "unknown")
AGE_BANDS: tuple[str, ...] = ("under_1", "1_to_4", "5_to_9", "10_to_15", "16_plus")
FINE_AGE_BANDS: tuple[str, ...] = (
    "under_1",
    "1_to_4",
    "5_to_9",
    "10_to_12",
    "13_to_15",
    "16_to_17",
    "18_plus",
)


def placement_type_expr(place: str = "PLACE", provider: str = "PLACE_PROVIDER") -> pl.Expr:
    """Polars expression mapping PLACE x PLACE_PROVIDER to the LA placement type id."""
    p = pl.col(place).str.strip_chars().str.to_uppercase()
    pr = pl.col(provider).str.strip_chars().str.to_uppercase()
    return (
        pl.when(p.is_in(NON_KINSHIP_FOSTER_PLACE) & (pr == "PR1"))
        .then(pl.lit("in_house_fostering"))
        .when(p.is_in(KINSHIP_PLACE))
        .then(pl.lit("family_and_friends"))
        .when(p.is_in(NON_KINSHIP_FOSTER_PLACE) & pr.is_in(["PR4", "PR5"]))
        .then(pl.lit("ifa"))
        .when(p.is_in(NON_KINSHIP_FOSTER_PLACE) & pr.is_in(["PR2", "PR3"]))
        .then(pl.lit("other_public_fostering"))
        .when(p.is_in(CHILDRENS_HOME_PLACE) & (pr == "PR1"))
        .then(pl.lit("in_house_residential"))
        .when(p.is_in(CHILDRENS_HOME_PLACE) & pr.is_in(["PR2", "PR3", "PR4", "PR5"]))
        .then(pl.lit("external_residential"))
        .when(p == "K1")
        .then(pl.lit("secure"))
        .when(p.is_in(SUPPORTED_PLACE))
        .then(pl.lit("supported_accommodation"))
        .when(p == "P2")
        .then(pl.lit("independent_living"))
        .when(p == "S1")
        .then(pl.lit("residential_school"))
        .when(p == "R3")
        .then(pl.lit("parent_and_child"))
        .when(p == "P1")
        .then(pl.lit("placed_with_parents"))
        .when(p.is_in(ADOPTION_PLACE))
        .then(pl.lit("placed_for_adoption"))
        .when(p == "R2")
        .then(pl.lit("health"))
        .when(p == "R5")
        .then(pl.lit("custody"))
        .when(p == "P3")
        .then(pl.lit("residential_employment"))
        .otherwise(pl.lit("other"))
    )


def placement_type_of(place: str, provider: str | None) -> str:
    """The LA placement type id of one PLACE / PLACE_PROVIDER pair (scalar helper)."""
    frame = pl.DataFrame({"PLACE": [place], "PLACE_PROVIDER": [provider or ""]})
    return str(frame.select(placement_type_expr()).item())
