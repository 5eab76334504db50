"""Regional home finding (issue 21): one vacancy pool across the member councils, and a
referral from one council matched across it with the hard rules, scores and reasons of
``matching`` (nothing of its own).

Each member offers the vacancies its REGION.toml entry lists in ``pool`` (provider kinds such
as ``in_house_carer``, or contract kinds such as ``block``). A vacancy's id becomes
``CODE/ID`` so every option says whose it is; location bands are the referring council's.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from sufficiency.dataset import Dataset
from sufficiency.matching.config import ScoringConfig
from sufficiency.matching.engine import MatchResult, match_referral
from sufficiency.matching.pool import VacancyPool, build_pool
from sufficiency.matching.referral import Referral


def offered(ds: Dataset, kinds: tuple[str, ...]) -> pl.DataFrame | None:
    """The vacancies a council offers the region: those whose provider kind or contract kind
    it lists, with ids prefixed by its code."""
    vacancies = ds.register("vacancies")
    if vacancies is None or not kinds:
        return None
    chosen = vacancies.filter(
        pl.col("provider_kind").is_in(list(kinds)) | pl.col("contract").is_in(list(kinds))
    )
    return chosen.with_columns(
        (pl.lit(f"{ds.profile.code}/") + pl.col("vacancy_id")).alias("vacancy_id")
    )


def regional_pool(
    councils: Mapping[str, Dataset], offers: Mapping[str, tuple[str, ...]], referring: str
) -> VacancyPool:
    """The pool of every member's offered vacancies (plus the referring council's own whole
    register), banded from the referring council."""
    frames = []
    for code, ds in councils.items():
        kinds = offers.get(code, ())
        if code == referring:
            vac = ds.register("vacancies")
            frame = (
                None
                if vac is None
                else vac.with_columns(
                    (pl.lit(f"{code}/") + pl.col("vacancy_id")).alias("vacancy_id")
                )
            )
        else:
            frame = offered(ds, kinds)
        if frame is not None and frame.height:
            frames.append(frame)
    own = councils[referring].profile
    registers: dict[str, pl.DataFrame] = {}
    for name in ("homes", "supported_accommodation"):
        parts = [f for ds in councils.values() if (f := ds.register(name)) is not None]
        if parts:
            registers[name] = pl.concat(parts, how="diagonal_relaxed").unique("urn", keep="first")
    vacancies = (
        pl.concat(frames, how="diagonal_relaxed")
        if frames
        else pl.DataFrame({"vacancy_id": []}, schema={"vacancy_id": pl.Utf8})
    )
    return build_pool(vacancies, own.code, own.neighbours, registers)


def match_in_region(
    councils: Mapping[str, Dataset],
    offers: Mapping[str, tuple[str, ...]],
    referring: str,
    referral: Referral,
    config: ScoringConfig | None = None,
) -> MatchResult:
    """Rank the regional pool for one referral of council ``referring``."""
    if referring not in councils:
        raise KeyError(f"{referring} is not a member of the region: {', '.join(councils)}")
    return match_referral(regional_pool(councils, offers, referring), referral, config)
