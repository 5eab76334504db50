"""Data minimisation before a council's data leaves it (issue 21; the LIIA practice).

``minimise(ds, secret)`` is a pure function: the same Dataset with child, person, household and
referral ids replaced by a keyed pseudonym (HMAC-SHA256 under the council's own key, through
``sufficiency.privacy``), every date of birth (and the UASC end date, which is an 18th birthday)
moved to the first of its month, every postcode cut to its sector, the UPN, free text and
tables naming staff left out. ``MINIMISED`` says so in words for the share's manifest.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from sufficiency.dataset import Dataset
from sufficiency.privacy import pseudonymise
from sufficiency.schema import REGISTERS

#: Hex characters of the HMAC kept as a pseudonym: 128 bits (ids in registers hold 40).
PSEUDONYM_LENGTH = 32
PSEUDONYM_RE = rf"^[0-9a-f]{{{PSEUDONYM_LENGTH}}}$"
#: Columns holding a date of birth or a date that gives one away (a UASC status ends at 18).
BIRTH_COLUMNS = ("DOB", "MC_DOB", "DUC")
#: SSDA903 columns dropped: the unique pupil number identifies a child directly.
DROPPED_RETURN_COLUMNS = ("UPN",)
#: SSDA903 tables that never leave the council (social workers' ids).
DROPPED_TABLES = ("sw_episodes",)
#: Registers that never leave: named staff (actions' owners) and nothing a region needs.
DROPPED_REGISTERS = ("actions",)
#: Register id columns naming a child, a person, a household or a referral: pseudonymised.
PERSONAL_IDS: Mapping[str, tuple[str, ...]] = {
    "carers": ("household_id",),
    "adopters": ("household_id",),
    "referrals": ("referral_id",),
    "outcomes": ("referral_id",),
    "disabled_children": ("child_id",),
    "permanence_plans": ("child_id",),
    "care_leavers_25": ("person_id",),
}
#: Free-text register columns that could name someone: dropped.
FREE_TEXT: Mapping[str, tuple[str, ...]] = {
    "carers": ("deregistration_reason",),
    "outcomes": ("decline_reason",),
}
#: Register columns of ``POSTCODE:MILES`` items: the postcode part is cut to its sector.
POSTCODE_MILES: Mapping[str, tuple[str, ...]] = {
    "referrals": ("avoid_areas", "preferred_location"),
}

#: What minimisation did, for the manifest and docs/regional.md.
MINIMISED: tuple[str, ...] = (
    "child ids (CHILD, child_id, person_id), carer and adopter household ids and referral ids: "
    f"HMAC-SHA256 under the council's key, first {PSEUDONYM_LENGTH} hex characters",
    "dates of birth (DOB, MC_DOB) and the UASC end date (DUC): the first of the month",
    "postcodes (HOME_POST, PL_POST and every register postcode): the postcode sector",
    "UPN, carers' deregistration reasons and outcomes' decline reasons: removed",
    "social worker episodes (sw_episodes), the actions register and narrative: not shared",
    "URNs, placement codes, dates of care events and registers' figures: kept",
)


def pseudonym(value: str, secret: bytes) -> str:
    """The keyed pseudonym of one id (``privacy.pseudonymise``, shortened)."""
    return pseudonymise(value, secret)[:PSEUDONYM_LENGTH]


def pseudonym_expr(column: str, secret: bytes) -> pl.Expr:
    """``column`` replaced by its pseudonym (nulls stay null); each distinct id is keyed once."""

    def keyed(values: pl.Series) -> pl.Series:
        distinct = values.drop_nulls().unique().to_list()
        mapping = {v: pseudonym(str(v), secret) for v in distinct}
        return values.replace_strict(mapping, default=None, return_dtype=pl.String)

    return pl.col(column).cast(pl.String).map_batches(keyed, return_dtype=pl.String).alias(column)


def sector_expr(column: str) -> pl.Expr:
    """A postcode cut to its sector (``HR1 2DH`` -> ``HR1 2``); a sector or district stays."""
    from sufficiency.geo import normalise_postcode

    full = normalise_postcode(column)
    return (
        pl.when(full.str.contains(r" [0-9][A-Z]{2}$"))
        .then(full.str.head(-2))
        .otherwise(full)
        .alias(column)
    )


def sector_text(code: str) -> str:
    """One postcode cut to its sector, as ``sector_expr`` does."""
    frame = pl.DataFrame({"p": [code]}, schema={"p": pl.String}).select(sector_expr("p"))
    value = frame.item()
    return "" if value is None else str(value)


def month_expr(column: str) -> pl.Expr:
    """A date moved to the first of its month."""
    return pl.col(column).dt.truncate("1mo").alias(column)


def _returns_frame(frame: pl.DataFrame, secret: bytes) -> pl.DataFrame:
    """One SSDA903 frame minimised (ids, dates of birth, postcodes, UPN)."""
    exprs: list[pl.Expr] = []
    for name in frame.columns:
        if name in DROPPED_RETURN_COLUMNS:
            exprs.append(pl.lit(None, dtype=frame.schema[name]).alias(name))
        elif name == "CHILD":
            exprs.append(pseudonym_expr(name, secret))
        elif name in BIRTH_COLUMNS and frame.schema[name] == pl.Date:
            exprs.append(month_expr(name))
        elif name.endswith("_POST"):
            exprs.append(sector_expr(name))
    return frame.with_columns(exprs) if exprs else frame


def _postcode_miles(column: str, is_list: bool) -> pl.Expr:
    """``POSTCODE:MILES`` items with the postcode cut to its sector."""

    def cut(item: str) -> str:
        code, sep, miles = item.partition(":")
        return f"{sector_text(code)}{sep}{miles}"

    if is_list:
        return (
            pl.col(column)
            .list.eval(pl.element().map_elements(cut, return_dtype=pl.String))
            .alias(column)
        )
    return pl.col(column).map_elements(cut, return_dtype=pl.String).alias(column)


def minimise_register(name: str, frame: pl.DataFrame, secret: bytes) -> pl.DataFrame:
    """One register minimised: personal ids pseudonymised, postcodes cut, free text dropped; an
    in-house carer's vacancy names its household by the same pseudonym as the carers register."""
    schema = REGISTERS.get(name)
    exprs: list[pl.Expr] = [
        pseudonym_expr(c, secret) for c in PERSONAL_IDS.get(name, ()) if c in frame.columns
    ]
    if schema is not None:
        exprs += [
            sector_expr(c.name)
            for c in schema.columns
            if c.kind == "postcode" and c.name in frame.columns
        ]
    for column in POSTCODE_MILES.get(name, ()):
        if column in frame.columns:
            exprs.append(_postcode_miles(column, isinstance(frame.schema[column], pl.List)))
    if name == "vacancies" and {"provider_kind", "provider_id"} <= set(frame.columns):
        exprs.append(
            pl.when(pl.col("provider_kind") == "in_house_carer")
            .then(pseudonym_expr("provider_id", secret))
            .otherwise(pl.col("provider_id"))
            .alias("provider_id")
        )
    out = frame.with_columns(exprs) if exprs else frame
    return out.drop([c for c in FREE_TEXT.get(name, ()) if c in out.columns])


def minimise(ds: Dataset, secret: bytes) -> Dataset:
    """The Dataset a council may share: nothing in it names a child (see the module docstring)."""
    tables = {n: _returns_frame(f, secret) for n, f in ds.tables.items() if n not in DROPPED_TABLES}
    registers = {
        n: minimise_register(n, f, secret)
        for n, f in ds.registers.items()
        if n not in DROPPED_REGISTERS
    }
    return Dataset.from_frames(
        ds.profile,
        children=_returns_frame(ds.children, secret),
        episodes=_returns_frame(ds.episodes, secret),
        uasc=_returns_frame(ds.uasc, secret),
        tables=tables,
        registers=registers,
        returns=ds.returns,
        history=None if ds.history is None else _returns_frame(ds.history, secret),
        cuts=None if ds.cuts is None else _returns_frame(ds.cuts, secret),
    )
