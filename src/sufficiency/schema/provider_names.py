"""A provider's name as registers are matched on it: one rule for every register that names
providers (homes, supported accommodation, contracts, costs) and every output by provider."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl


def provider_key(name: str | pl.Expr = "provider") -> pl.Expr:
    """A provider's name as registers are matched on it: case ignored, and spaces around it and
    between its words (``OAKFIELD  CARE LTD `` is ``Oakfield Care Ltd``). Every match of a
    provider across registers (contracts, costs, homes, supported accommodation) is on this."""
    expr = pl.col(name) if isinstance(name, str) else name
    return expr.str.strip_chars().str.replace_all(r"\s+", " ").str.to_lowercase()


def provider_keys(names: Iterable[str]) -> list[str]:
    """:func:`provider_key` of each name given as text (a table's row keys, a register's names)."""
    return (
        pl.Series("provider", list(names), pl.Utf8)
        .to_frame()
        .select(provider_key())
        .to_series()
        .to_list()
    )


def one_spelling(name: str = "provider") -> pl.Expr:
    """Column ``name`` with every spelling of a provider (:func:`provider_key`) as the frame's
    first: one provider is one row of a table by provider, shown as it is first written."""
    return pl.col(name).first().over(provider_key(name)).alias(name)
