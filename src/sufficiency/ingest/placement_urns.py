"""Placements that must be in an Ofsted-registered setting and the URN that says which: the one
rule ``unregistered_provision`` counts by, and the warning naming the URNs of the returns that
neither register holds (a URN written without Ofsted's ``SC``, a home missing from the register:
29 children read as in unregistered provision, their homes' ratings lost, and no word said)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import polars as pl

from sufficiency.codes import CHILDRENS_HOME_PLACE, SUPPORTED_PLACE
from sufficiency.ingest.problems import Problem, listed
from sufficiency.ingest.readers import FILE, ROW

#: Placements that must be in a registered setting with an Ofsted URN.
REGISTERED_SETTING_PLACE = (*CHILDRENS_HOME_PLACE, "K1", "K3")
#: Supported accommodation for 16- and 17-year-olds (H5, K3) had to register with Ofsted from
#: this day.
SUPPORTED_REGISTERED_FROM = dt.date(2023, 10, 28)
#: The registers whose URNs are the registered settings the council knows.
URN_REGISTERS = ("homes", "supported_accommodation")


def register_urns(frame: pl.DataFrame | None) -> list[str] | None:
    """The URNs of a register (trimmed, upper case), or None when it is not supplied."""
    if frame is None or "urn" not in frame.columns or not frame.height:
        return None
    urns = frame.get_column("urn").cast(pl.Utf8).str.strip_chars().str.to_uppercase()
    return [u for u in urns if u]


def urn_not_registered(
    place: pl.Expr,
    urn: pl.Expr,
    on: dt.date | pl.Expr,
    registers: Mapping[str, pl.DataFrame | None],
) -> pl.Expr:
    """True for a placement on ``on`` that must be in a registered setting whose URN is blank,
    ``XXXXXXX`` or, when the homes (or, for supported accommodation, either) register is
    supplied, in neither (``place`` and ``urn`` as codes: trimmed, upper case)."""
    homes, supported = (register_urns(registers.get(n)) for n in URN_REGISTERS)
    known = [*(homes or []), *(supported or [])]
    late = (
        on >= SUPPORTED_REGISTERED_FROM
        if isinstance(on, dt.date)
        else on.ge(pl.lit(SUPPORTED_REGISTERED_FROM))
    )
    needs = place.is_in(list(REGISTERED_SETTING_PLACE)) | (
        place.is_in(list(SUPPORTED_PLACE)) & late
    )
    missing = no_urn(urn)
    if homes is not None:  # a home's URN must be in a register the council keeps
        missing = missing | (place.is_in(list(REGISTERED_SETTING_PLACE)) & ~urn.is_in(known))
    if homes is not None or supported is not None:
        missing = missing | (place.is_in(list(SUPPORTED_PLACE)) & ~urn.is_in(known))
    return needs & missing.fill_null(True)


def no_urn(urn: pl.Expr) -> pl.Expr:
    """True for a URN not given: blank or ``XXXXXXX`` (the DfE's placeholder)."""
    return urn.is_null() | (urn == "") | urn.str.contains(r"^X+$")


def unknown_urns(
    episodes: pl.DataFrame, registers: Mapping[str, pl.DataFrame | None]
) -> list[Problem]:
    """A warning per return file naming the URNs its placements give that neither register
    holds (blank ones aside: the measure's definition counts those plainly), and those that are
    a register's with Ofsted's ``SC`` left off."""
    homes, supported = (register_urns(registers.get(n)) for n in URN_REGISTERS)
    if homes is None and supported is None:
        return []
    # the returns' codes and URNs are canonical by now (trimmed, upper case: ``checks``)
    urn, place = pl.col("URN"), pl.col("PLACE")
    on = pl.col("DEC").fill_null(dt.date.max) if "DEC" in episodes.columns else pl.lit(dt.date.max)
    found = episodes.filter(urn_not_registered(place, urn, on, registers) & ~no_urn(urn))
    if found.height == 0:
        return []
    known = {*(homes or []), *(supported or [])}
    problems: list[Problem] = []
    for (file,), part in found.sort(FILE, ROW).group_by(FILE, maintain_order=True):
        urns = part.select(urn.alias("u")).get_column("u").unique(maintain_order=True).to_list()
        prefixed = [u for u in urns if f"SC{u}" in known]
        rows = part.get_column(ROW).to_list()
        text = (
            f"{len(rows)} placement(s) in a registered setting give URNs in neither "
            f"registers/homes nor registers/supported_accommodation ({listed(urns, 5)}): those "
            "children count as in unregistered provision (unregistered_provision) and in no "
            "home's Ofsted rating or provider"
        )
        if prefixed:
            text += (
                f"; {listed([f'SC{u}' for u in prefixed], 5)} are in the registers: write URNs "
                "as Ofsted does, with the SC"
            )
        problems.append(
            Problem(
                "warning", "urn_not_in_registers", str(file), int(rows[0]), "URN", urns[0], text
            )
        )
    return problems
