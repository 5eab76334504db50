"""Councils by any of their codes, and their statistical neighbours.

A council is found by its current ONS code (E06000019), a former ONS code of the same area
(Somerset's E10000027, before it became a unitary in 2023), the DfE's old three-digit number
(884; the number stays when only the ONS code changes), the postcode directory's code where the
ONS recoded a council the DfE still files under its old one (Barnsley's E08000038 since 2024:
``codes.ONS_RECODED``) or its name. Councils reorganised since
2019 stay separate councils: Cumbria (909, E10000006) has figures to 2023 and names its
successors Cumberland and Westmorland and Furness, whose figures start in 2024 and name Cumbria
as predecessor; Northamptonshire (2021) and Dorset, Bournemouth and Poole (2019) likewise. Their
series are never spliced: each council's published figures are its own.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import polars as pl

from sufficiency.codes import ONS_RECODED
from sufficiency.published.tables import table

#: The DfE's council types (la_code_list), named.
LA_TYPES: dict[str, str] = {
    "SC": "county council",
    "UA": "unitary authority",
    "MD": "metropolitan district",
    "ILB": "inner London borough",
    "OLB": "outer London borough",
}


class UnknownArea(LookupError):
    """No council has the code, number or name asked for."""


@dataclass(frozen=True)
class LA:
    """One council: current ONS code, DfE number, name, region, type and reorganisation.

    ``first_year`` / ``last_year`` are the first and last years (31 March) of the council's
    own published figures when it was created or abolished since 2019 (else None);
    ``predecessors`` / ``successors`` are the councils' codes on either side of that change.
    """

    code: str
    name: str
    old_number: str
    region_code: str
    region_name: str
    type: str
    former_codes: tuple[str, ...] = ()
    first_year: int | None = None
    last_year: int | None = None
    predecessors: tuple[str, ...] = ()
    successors: tuple[str, ...] = ()

    @property
    def type_name(self) -> str:
        """The type in words ("unitary authority")."""
        return LA_TYPES.get(self.type, self.type)

    @property
    def current(self) -> bool:
        """False for a council abolished since 2019."""
        return self.last_year is None

    def exists_in(self, year: int) -> bool:
        """True when the council ran children's services at 31 March ``year``."""
        return (self.first_year is None or year >= self.first_year) and (
            self.last_year is None or year <= self.last_year
        )

    def to_json(self) -> dict[str, Any]:
        """The council as JSON (stable keys; fields may be added)."""
        return {
            "code": self.code,
            "name": self.name,
            "old_number": self.old_number,
            "region_code": self.region_code,
            "region": self.region_name,
            "type": self.type,
            "type_name": self.type_name,
            "former_codes": list(self.former_codes),
            "first_year": self.first_year,
            "last_year": self.last_year,
            "predecessors": list(self.predecessors),
            "successors": list(self.successors),
        }


@dataclass(frozen=True)
class Neighbour:
    """One statistical neighbour: its rank (1 closest), council, and the DfE's closeness."""

    rank: int
    la: LA
    closeness: str
    model: str

    def to_json(self) -> dict[str, Any]:
        """The neighbour as JSON."""
        return {
            "rank": self.rank,
            "code": self.la.code,
            "name": self.la.name,
            "old_number": self.la.old_number,
            "closeness": self.closeness,
            "model": self.model,
        }


def _key(text: str) -> str:
    """A name as looked up: lower case, single spaces, a ", County of" or ", City of" suffix
    dropped (only that: "Bournemouth, Christchurch and Poole" is not "Bournemouth")."""
    text = re.sub(r",\s*(county|city) of\s*$", "", text.strip(), flags=re.IGNORECASE)
    text = re.sub(r"\s*\(pre lg\)\s*$", "", text, flags=re.IGNORECASE)  # a former council
    return " ".join(text.lower().split())


def _like(text: str, names: Iterable[str]) -> list[str]:
    """Council names a mistyped or partial name may mean: those holding it as a word, then
    the closest spellings."""
    key = _key(text)
    names = sorted(set(names))
    words = [n for n in names if key and re.search(rf"\b{re.escape(key)}", n.lower())]
    return (words or difflib.get_close_matches(text, names, n=3, cutoff=0.75))[:3]


@cache
def _index() -> tuple[dict[str, LA], dict[str, LA]]:
    """Every council by code (current and former) and old number; and by name."""
    by_code: dict[str, LA] = {}
    by_name: dict[str, LA] = {}
    for row in table("las").iter_rows(named=True):
        la = LA(
            code=row["new_la_code"],
            name=row["la_name"],
            old_number=row["old_la_code"],
            region_code=row["region_code"],
            region_name=row["region_name"],
            type=row["la_type"],
            former_codes=tuple(row["former_codes"]),
            first_year=row["first_year"],
            last_year=row["last_year"],
            predecessors=tuple(row["predecessors"]),
            successors=tuple(row["successors"]),
        )
        for key in (la.code, la.old_number, *la.former_codes):
            by_code[key] = la
        by_name.setdefault(_key(la.name), la)
        by_name.setdefault(la.name.lower(), la)
    for ons, dfe in ONS_RECODED.items():  # the postcode directory's code for the same council
        if dfe in by_code:
            by_code.setdefault(ons, by_code[dfe])
    return by_code, by_name


def resolve_la(code_or_number: str | int) -> LA:
    """The council with this ONS code (current or former), DfE number or name.

    Raises ``UnknownArea`` when none has it. See the module docstring for reorganisations.
    """
    text = str(code_or_number).strip()
    by_code, by_name = _index()
    found = by_code.get(text.upper()) or by_code.get(text.lstrip("0") if text.isdigit() else "")
    found = found or by_name.get(text.lower()) or by_name.get(_key(text))
    if found is None:
        like = _like(text, (la.name for la in by_code.values()))
        raise UnknownArea(
            f"no council has the code, number or name {text!r}: use its ONS code "
            "(e.g. E06000019), the DfE's three-digit number (e.g. 884) or its name"
            + (f" (did you mean {' or '.join(repr(n) for n in like)}?)" if like else "")
        )
    return found


def all_las() -> tuple[LA, ...]:
    """Every council the published files name, in order of DfE number."""
    by_code, _ = _index()
    return tuple(
        sorted({la.code: la for la in by_code.values()}.values(), key=lambda x: x.old_number)
    )


def neighbours(code_or_number: str | int) -> tuple[Neighbour, ...]:
    """The council's ten statistical neighbours, closest first (DfE 2025 model; the councils
    abolished before 2025 keep the neighbours the DfE lists for them as "old SNs")."""
    return _neighbours(resolve_la(code_or_number).code)


@cache
def _neighbours(code: str) -> tuple[Neighbour, ...]:
    """``neighbours`` of a resolved council code (read once a process: every comparison asks)."""
    rows = table("neighbours").filter(pl.col("area_code") == code).sort("neighbour_rank")
    return tuple(
        Neighbour(
            rank=r["neighbour_rank"],
            la=resolve_la(r["neighbour_code"]),
            closeness=r["closeness"],
            model=r["model"],
        )
        for r in rows.iter_rows(named=True)
    )


def former_council(code: str) -> str | None:
    """What a council abolished since the DfE's figures begin is, and what replaced it (a
    sentence), for a code that is one; None for any other code."""
    try:
        la = resolve_la(code)
    except UnknownArea:
        return None
    if la.code != code or la.last_year is None or not la.successors:
        return None
    after = " and ".join(f"{resolve_la(s).name} ({s})" for s in la.successors)
    return (
        f"{code} is {la.name}, which ran children's services until {la.last_year}: its area is "
        f"now {after}"
    )
