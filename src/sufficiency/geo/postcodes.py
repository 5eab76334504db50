"""Postcode text: the canonical form, and the shapes a return may hold (full, sector, district)."""

from __future__ import annotations

import polars as pl

FULL_RE = r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$"  # compact form, no space
SECTOR_RE = r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]?$"  # HR1 2 or HR1 2H
DISTRICT_RE = r"^[A-Z]{1,2}[0-9][A-Z0-9]?$"


def as_expr(expr_or_col: pl.Expr | str) -> pl.Expr:
    """A column name as ``pl.col``; an expression as itself."""
    return pl.col(expr_or_col) if isinstance(expr_or_col, str) else expr_or_col


def normalise_postcode(expr_or_col: pl.Expr | str) -> pl.Expr:
    """Canonical postcode: upper case, one space before the 3-character inward code.

    Blank values become null. Shortened postcodes (district ``HR1``, sector ``HR1 2``) keep
    their shape with single spaces, so they stay recognisable as what they are.
    """
    raw = as_expr(expr_or_col).cast(pl.String).str.to_uppercase()
    spaced = raw.str.replace_all(r"\s+", " ").str.strip_chars()
    compact = spaced.str.replace_all(" ", "", literal=True)
    full = pl.concat_str([compact.str.head(-3), pl.lit(" "), compact.str.tail(3)])
    return (
        pl.when(compact.str.contains(FULL_RE))
        .then(full)
        .when(spaced == "")
        .then(pl.lit(None, dtype=pl.String))
        .otherwise(spaced)
    )


def postcode_text(value: str) -> str:
    """One postcode in ``normalise_postcode``'s form ("" when blank): for a single value, such
    as a referral's postcode typed in a form."""
    out = pl.select(normalise_postcode(pl.lit(value, dtype=pl.String))).item()
    return "" if out is None else str(out)


def display_postcode(key: pl.Expr) -> pl.Expr:
    """A compact full postcode (``HR12HX``) as people write it (``HR1 2HX``)."""
    return pl.concat_str([key.str.head(-3), pl.lit(" "), key.str.tail(3)])
