"""A provider's sector is decided across every spelling of its name in the registers."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from sufficiency.report.providers import by_sector, names_among, provider_names, provider_sectors
from sufficiency.results import Table


@dataclass
class _Registers:
    """Just what the provider rules read of a Dataset: registers by name and the council."""

    registers: dict[str, pl.DataFrame]
    profile: object = field(default_factory=lambda: type("P", (), {"name": "Council"})())

    def register(self, name: str) -> pl.DataFrame | None:
        return self.registers.get(name)


def _homes() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "provider": ["Oakfield Care Ltd", "OAKFIELD  CARE LTD ", "oakfield care ltd", "Elm"],
            "sector": ["private", "private", "voluntary", "voluntary"],
        }
    )


def test_spellings_of_one_provider_vote_together() -> None:
    # was: three sectors keyed by three spellings; the market row's spelling took its own vote
    sectors = provider_sectors(_Registers({"homes": _homes()}))  # type: ignore[arg-type]
    market = Table({"oakfield care ltd": {"children": 4}, "Elm": {"children": 7}}, unit="children")
    shown = by_sector(market, sectors)
    assert isinstance(shown, Table)
    assert shown.rows == {"private": {"children": 4}, "voluntary": {"children": 7}}


def test_supported_accommodation_provider_also_in_homes_keeps_its_homes_sector() -> None:
    supported = pl.DataFrame({"provider": ["ELM", "Birch Housing"]})
    sectors = provider_sectors(
        _Registers({"homes": _homes(), "supported_accommodation": supported})  # type: ignore[arg-type]
    )
    market = Table({"elm": {"children": 1}, "birch housing": {"children": 2}}, unit="children")
    shown = by_sector(market, sectors)
    assert isinstance(shown, Table)
    assert shown.rows == {"voluntary": {"children": 1}, "supported_accommodation": {"children": 2}}


def test_every_spelling_is_a_name_no_published_output_may_show() -> None:
    names = provider_names(_Registers({"homes": _homes()}))  # type: ignore[arg-type]
    assert {"Oakfield Care Ltd", "OAKFIELD  CARE LTD", "oakfield care ltd", "Elm"} <= names


def test_the_audit_finds_a_provider_shown_in_another_spelling() -> None:
    # was: a row header "OAKFIELD CARE LTD" passed an audit that knew "Oakfield Care Ltd"
    shown = {"Private providers", "OAKFIELD CARE LTD", "Elm Lodge"}
    assert names_among(shown, {"Oakfield  Care Ltd", "Elm"}) == {"OAKFIELD CARE LTD"}
