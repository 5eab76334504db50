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

#: Placement types the council commissions or provides: the sufficiency gap and the provider
#: market cover these (family and friends, independent living, placed with parents, adoption,
#: health, custody and other settings are not commissioned placements).
COMMISSIONED_TYPES: tuple[str, ...] = (
    "in_house_fostering",
    "ifa",
    "other_public_fostering",
    "in_house_residential",
    "external_residential",
    "secure",
    "supported_accommodation",
    "residential_school",
    "parent_and_child",
)

#: Suitability groups used by referrals (DESIGN.md).
SUITABILITY_GROUPS: dict[str, tuple[str, ...]] = {
    "foster": ("in_house_fostering", "family_and_friends", "ifa", "other_public_fostering"),
    "residential": ("in_house_residential", "external_residential", "secure", "residential_school"),
    "supported": ("supported_accommodation", "independent_living"),
}


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


# ---------------------------------------------------------------------------------------------
# SSDA903 code lists per collection year (the year the return ENDS). Read from the DfE rules of
# each year as csc-validator-be-903 encodes them: rule 101 SEX, 103 ETHNIC, 143 RNE, 144 LS,
# 145 CIN, 146 PLACE, 149 REC, 178 PLACE_PROVIDER, 1009 REASON_PLACE_CHANGE, and the care leaver
# (OC3) fields: 131 IN_TOUCH, 132 ACTIV, 133 ACCOM. A ruleset only
# lists the rules that changed, so each year starts from the year before.
# Years before 2023 use the 2022-23 lists; years after 2027 use the latest.
# ---------------------------------------------------------------------------------------------
FIRST_CODE_YEAR = 2023
LATEST_CODE_YEAR = 2027

_SEX_NUMERIC = ("1", "2")
_SEX_LETTERS = ("M", "F", "U")
_ETHNIC = (
    "WBRI", "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND",
    "APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
)  # fmt: skip
_RNE = ("S", "P", "L", "T", "U", "B")
_LS = ("C1", "C2", "D1", "E1", "V2", "V3", "V4", "J1", "J2", "J3", "L1", "L2", "L3")
_CIN = ("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8")
_REC = (
    "E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48",
    "E5", "E6", "E7", "E8", "E9", "E14", "E15", "E16", "E17", "X1",
)  # fmt: skip
_PLACE_PROVIDER = ("PR0", "PR1", "PR2", "PR3", "PR4", "PR5")
_IN_TOUCH = ("YES", "NO", "DIED", "REFU", "NREQ", "RHOM")
_ACTIV = ("F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0")
_ACCOM = (
    "B1", "B2", "C1", "C2", "D1", "D2", "E1", "E2", "G1", "G2", "H1", "H2", "K1", "K2", "R1",
    "R2", "S2", "T1", "T2", "U1", "U2", "V1", "V2", "W1", "W2", "X2", "Y1", "Y2", "Z1", "Z2", "0",
)  # fmt: skip
_REASON_PLACE_CHANGE = (
    "CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ",
    "PLACE", "CUSTOD", "OTHER",
)  # fmt: skip
_PLACE_2023 = (
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5",
    "S1", "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1",
)  # fmt: skip
#: 2024-25 adds K3 (supported accommodation registered with Ofsted). The validator's rule 146
#: spells it "k3" and upper-cases input first, so it rejects K3; the DfE guidance adds K3.
_PLACE_2025 = (*_PLACE_2023[:7], "K3", *_PLACE_2023[7:])
#: 2025-26 drops H5, P2 and Z1 and adds Z11-Z14 (other placements, split).
_PLACE_2026 = (
    "A3", "A4", "A5", "A6", "K1", "K2", "K3", "P1", "P3", "R1", "R2", "R3", "R5", "S1",
    "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6",
    "Z11", "Z12", "Z13", "Z14",
)  # fmt: skip

#: The coded fields whose unknown values stop a load (DESIGN.md "Problems").
CODED_FIELDS: tuple[str, ...] = (
    "SEX", "ETHNIC", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "REC",
    "REASON_PLACE_CHANGE", "IN_TOUCH", "ACTIV", "ACCOM",
)  # fmt: skip

#: Codes of returns before the first year whose DfE list we hold, that the 2022-23 list lacks
#: (ACTIV F3/P3; ACCOM as a type and a suitability digit, 1 or 2): in such a return a value of
#: this shape is kept with a warning instead of stopping the load. Anything else is unknown.
LEGACY_CODES: dict[str, str] = {"ACTIV": r"^[FP]3$", "ACCOM": r"^[A-Z0][12]$"}

#: Placements that take no PLACE_PROVIDER (DfE rule 178: T0-T4 and Z1; from 2025-26 Z11-Z14).
NO_PROVIDER_PLACE: tuple[str, ...] = (*TEMPORARY_PLACE, "Z1", "Z11", "Z12", "Z13", "Z14")


def _lists(sex: tuple[str, ...], place: tuple[str, ...]) -> dict[str, frozenset[str]]:
    return {
        "SEX": frozenset(sex),
        "ETHNIC": frozenset(_ETHNIC),
        "RNE": frozenset(_RNE),
        "LS": frozenset(_LS),
        "CIN": frozenset(_CIN),
        "PLACE": frozenset(place),
        "PLACE_PROVIDER": frozenset(_PLACE_PROVIDER),
        "REC": frozenset(_REC),
        "REASON_PLACE_CHANGE": frozenset(_REASON_PLACE_CHANGE),
        "IN_TOUCH": frozenset(_IN_TOUCH),
        "ACTIV": frozenset(_ACTIV),
        "ACCOM": frozenset(_ACCOM),
    }


_CODE_LISTS: dict[int, dict[str, frozenset[str]]] = {
    2023: _lists(_SEX_NUMERIC, _PLACE_2023),
    2024: _lists(_SEX_NUMERIC, _PLACE_2023),
    2025: _lists(_SEX_LETTERS, _PLACE_2025),
    2026: _lists(_SEX_LETTERS, _PLACE_2026),
    2027: _lists(_SEX_LETTERS, _PLACE_2026),
}


def ruleset_year(year: int) -> int:
    """The collection year whose DfE rules apply to ``year`` (clamped to the years we know)."""
    return min(max(year, FIRST_CODE_YEAR), LATEST_CODE_YEAR)


def code_lists(year: int) -> dict[str, frozenset[str]]:
    """Valid codes of each coded field for the return ending 31 March ``year``."""
    return _CODE_LISTS[ruleset_year(year)]


def sex_is_numeric(year: int) -> bool:
    """True when the return ending in ``year`` codes SEX as 1/2 (before 2024-25)."""
    return ruleset_year(year) < 2025


#: Numeric SEX codes of returns before 2024-25 -> the canonical letters.
SEX_TO_CANONICAL: dict[str, str] = {"1": "M", "2": "F"}


# ---------------------------------------------------------------------------------------------
# Council codes the ONS changed without a change of area (the postcode directory has the new
# ones, the DfE's files the old): new code -> the DfE's. A council may write either; the
# published figures (``published.areas``) and postcodes (``geo.authorities``) each map to theirs.
# ---------------------------------------------------------------------------------------------
ONS_RECODED: dict[str, str] = {
    "E08000038": "E08000016",  # Barnsley, 2024
    "E08000039": "E08000019",  # Sheffield, 2024
}
