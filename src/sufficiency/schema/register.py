"""A register's declaration: its columns, unique key, columns unique when given, cross-field rules
and accepted aliases."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl

from sufficiency.schema.columns import Column
from sufficiency.schema.rules import Rule, Steady


@dataclass(frozen=True)
class RegisterSchema:
    """One register (file stem ``name``): what it holds, its columns in file order, the columns
    whose values must be unique together (``key``), the columns each unique when given
    (``unique``) and the rules across columns of a row."""

    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    #: Columns whose value no two rows share, blank allowed on any number of rows: an optional
    #: identifier such as a setting's Ofsted URN (a setting awaiting registration has none). Not
    #: the key: rows are not matched by it; the web's database holds it unique when given.
    unique: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    #: Values that should not jump from one year to the next (warnings across rows).
    steady: tuple[Steady, ...] = ()
    #: Other accepted spellings of a column name -> the declared name.
    aliases: Mapping[str, str] = field(default_factory=dict)
    #: The Dataset keeps this register's values as canonical text (referrals: the matching
    #: engine reads a referral from text the same way from a file, JSON or the web).
    keep_text: bool = False
    #: Each row is about one child or young person (child-level data, as a child's record is):
    #: only those who may see children's records see it, and every view of it is audited.
    children: bool = False

    def __post_init__(self) -> None:
        """A declaration that names a column it does not have, or one column twice, is a bug."""
        names = self.column_names
        used = {*self.key, *self.unique, *(n for r in self.rules for n in r.columns)}
        used |= {n for s in self.steady for n in (s.value, s.year, *s.by)}
        if len(set(names)) != len(names) or not used <= set(names):
            raise ValueError(
                f"register {self.name}: columns {names}, key, unique and rules use {used}"
            )

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def unique_keys(self) -> tuple[tuple[str, ...], ...]:
        """Each set of columns whose values no two rows share (rows with a blank in it aside):
        the key, then each column unique when given."""
        return ((self.key,) if self.key else ()) + tuple((u,) for u in self.unique)

    def column(self, name: str) -> Column:
        """The declared column ``name`` (KeyError when the register has none)."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def typed_schema(self) -> dict[str, pl.DataType]:
        """Column -> dtype of the typed frame ingest and the web produce."""
        return {c.name: c.dtype for c in self.columns}

    @property
    def dataset_schema(self) -> dict[str, pl.DataType]:
        """Column -> dtype of the Dataset's frame (text throughout for ``keep_text``)."""
        if self.keep_text:
            return {c.name: pl.Utf8() for c in self.columns}
        return self.typed_schema

    def empty(self) -> pl.DataFrame:
        """An empty typed frame of this register."""
        return pl.DataFrame(schema=self.typed_schema)
