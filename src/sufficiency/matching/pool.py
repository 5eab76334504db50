"""The vacancy pool: the vacancies register coerced to typed numpy arrays, ready for matching.

The register arrives as a raw frame (strings); every column is coerced here, defensively, so a
pool can be built from a register, a synthetic frame or a test fixture. Locations (OS grid
reference and upper-tier LA) come from ``sufficiency.geo`` unless the frame already carries
``easting`` / ``northing`` / ``la`` columns (tests and pre-geocoded registers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from sufficiency.codes import PLACEMENT_TYPES, SUITABILITY_GROUPS
from sufficiency.dates import date_from_text
from sufficiency.geo.postcodes import normalise_postcode
from sufficiency.matching.referral import _norm_token

GROUPS: tuple[str, ...] = ("foster", "residential", "supported")
LOCATION_BANDS: tuple[str, ...] = ("inside", "neighbouring", "distant", "unknown")
CONTRACTS: tuple[str, ...] = ("in_house", "block", "framework", "spot")
RATINGS: tuple[str, ...] = (
    "",
    "outstanding",
    "good",
    "requires_improvement",
    "not_yet_inspected",
    "inadequate",
)
SEXES: tuple[str, ...] = ("any", "M", "F")
#: Provider kinds that Ofsted must register (children's homes; supported accommodation since 2023).
REGISTERED_KINDS: tuple[str, ...] = ("children_home", "supported_accommodation")

_TYPE_GROUP: dict[str, int] = {t: i for i, g in enumerate(GROUPS) for t in SUITABILITY_GROUPS[g]}

Location = tuple[float, float, str | None]


def _plural_vac(k: int) -> str:
    return f"{k} vacanc" + ("y" if k == 1 else "ies")


def _str_col(frame: pl.DataFrame, name: str) -> list[str]:
    """A column as stripped text whatever its dtype (lists joined with ";", nulls blank)."""
    if name not in frame.columns:
        return [""] * frame.height
    col = frame.get_column(name)
    if isinstance(col.dtype, pl.List):
        col = col.cast(pl.List(pl.String)).list.join(";")
    elif col.dtype == pl.Boolean:
        col = col.cast(pl.String)
    return ["" if v is None else str(v).strip() for v in col.to_list()]


def _int(text: str, default: int) -> int:
    t = text.strip().lower()
    if not t:
        return default
    if t in ("yes", "y", "true", "t"):
        return -1  # "yes" without a number: decided by the caller
    if t in ("no", "n", "false", "f"):
        return 0
    try:
        return int(float(t))
    except ValueError:
        return default


def _float(text: str) -> float:
    t = text.strip().replace("£", "").replace(",", "")
    if not t:
        return float("nan")
    try:
        return float(t)
    except ValueError:
        return float("nan")


def date_col(frame: pl.DataFrame, name: str) -> list[dt.date | None]:
    """A column of dates as dates (None when blank or not a date): a date column as it is, text
    read by the one rule for written dates (``dates.date_from_text``)."""
    if name not in frame.columns:
        return [None] * frame.height
    col = frame.get_column(name)
    if col.dtype != pl.Date:
        col = frame.select(date_from_text(pl.col(name).cast(pl.String))).to_series()
    return col.to_list()


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(tok for tok in (_norm_token(p) for p in text.split(";")) if tok)


def _token_matrix(lists: Sequence[tuple[str, ...]]) -> tuple[dict[str, int], np.ndarray]:
    vocab: dict[str, int] = {}
    for items in lists:
        for tok in items:
            vocab.setdefault(tok, len(vocab))
    mat = np.zeros((len(lists), max(len(vocab), 1)), dtype=bool)
    for i, items in enumerate(lists):
        for tok in items:
            mat[i, vocab[tok]] = True
    return vocab, mat


def _normalised(postcodes: Sequence[str | None]) -> list[str]:
    """Each postcode in geo's normal form ("" when blank): full postcodes spaced, sectors and
    districts kept as what they are."""
    frame = pl.DataFrame({"p": list(postcodes)}, schema={"p": pl.String})
    return [p or "" for p in frame.select(normalise_postcode("p")).to_series().to_list()]


def locate(postcodes: Iterable[str]) -> dict[str, Location]:
    """Postcode -> (easting, northing, upper-tier LA code) via ``sufficiency.geo``.

    Full postcodes match exactly; sectors and districts resolve to their centroid (geo's
    ``resolve_postcodes``). Postcodes that cannot be located are left out.
    """
    wanted = sorted(set(_normalised([p for p in postcodes if p and p.strip()])) - {""})
    if not wanted:
        return {}
    from sufficiency.geo import resolve_postcodes

    table = resolve_postcodes(wanted)
    out: dict[str, Location] = {}
    for p, e, n, code in table.select("postcode", "easting", "northing", "upper_la").iter_rows():
        if p is not None and e is not None and n is not None:
            out[str(p)] = (float(e), float(n), None if code is None else str(code))
    return out


def location_bands(las: Sequence[str], la_code: str, neighbours: Sequence[str]) -> np.ndarray:
    """Index into LOCATION_BANDS of each upper-tier LA code ("" = unknown), via geo's rule."""
    if not la_code:
        return np.array([3 if not c else 2 for c in las], dtype=np.int8)
    from sufficiency.geo import location_band_expr

    frame = pl.DataFrame({"la": [c or None for c in las]}, schema={"la": pl.String})
    bands = frame.select(location_band_expr("la", la_code, neighbours)).to_series().to_list()
    return np.array([LOCATION_BANDS.index(b) for b in bands], dtype=np.int8)


@dataclass
class VacancyPool:
    """Typed arrays over every vacancy (one row each); built once, matched against many times."""

    ids: np.ndarray
    provider_kind: np.ndarray
    provider_id: np.ndarray
    placement_type: np.ndarray
    group: np.ndarray  # int: index into GROUPS, -1 outside the groups
    places: np.ndarray
    available_from: np.ndarray  # datetime64[D]; NaT = available now
    age_min: np.ndarray
    age_max: np.ndarray
    sex: np.ndarray  # "any", "M", "F"
    sibling_capacity: np.ndarray
    needs_vocab: dict[str, int]
    needs_matrix: np.ndarray  # V x K bool
    skills_vocab: dict[str, int]
    skills_matrix: np.ndarray
    has_skills: bool
    culture_vocab: dict[str, int]
    #: languages, faith and culture tokens, prefixed lang: / faith: / culture:
    culture_matrix: np.ndarray
    has_culture: bool
    postcode: np.ndarray
    easting: np.ndarray  # float, nan unknown
    northing: np.ndarray
    la: np.ndarray
    location_band: np.ndarray  # int index into LOCATION_BANDS
    weekly_cost: np.ndarray  # float, nan unknown
    contract: np.ndarray  # str, "" unknown
    rating: np.ndarray  # str, "" none
    registered: np.ndarray  # bool
    registration_note: np.ndarray  # str: why registration is (not) established
    notes: list[str] = field(default_factory=list)
    # integer codes of the string columns, so matching compares numbers
    type_code: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int16))
    sex_code: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    contract_code: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    rating_code: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    must_register: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def __post_init__(self) -> None:
        type_index = {t: i for i, t in enumerate(PLACEMENT_TYPES)}
        self.type_code = np.array(
            [type_index.get(t, -1) for t in self.placement_type], dtype=np.int16
        )
        self.sex_code = np.array([SEXES.index(x) for x in self.sex], dtype=np.int8)
        self.contract_code = np.array(
            [CONTRACTS.index(c) if c in CONTRACTS else -1 for c in self.contract], dtype=np.int8
        )
        self.rating_code = np.array(
            [RATINGS.index(r) if r in RATINGS else -1 for r in self.rating], dtype=np.int8
        )
        self.must_register = np.array(
            [k in REGISTERED_KINDS for k in self.provider_kind], dtype=bool
        )

    @property
    def size(self) -> int:
        return int(self.ids.shape[0])

    def index_of(self, vacancy_id: str) -> int:
        hits = np.nonzero(self.ids == vacancy_id)[0]
        if hits.size == 0:
            raise KeyError(vacancy_id)
        return int(hits[0])


def _registered_urns(registers: dict[str, pl.DataFrame]) -> tuple[set[str] | None, dict[str, str]]:
    """URNs registered with Ofsted (homes / supported_accommodation registers) and home ratings."""
    urns: set[str] | None = None
    ratings: dict[str, str] = {}
    for name in ("homes", "supported_accommodation"):
        frame = registers.get(name)
        if frame is None or "urn" not in frame.columns:
            continue
        urns = urns or set()
        urn_col = _str_col(frame, "urn")
        reg_col = _str_col(frame, "registered_date") if "registered_date" in frame.columns else None
        rating_col = _str_col(frame, "rating")
        for i, urn in enumerate(urn_col):
            if not urn:
                continue
            if reg_col is None or reg_col[i]:
                urns.add(urn)
            if rating_col[i]:
                ratings[urn] = _norm_token(rating_col[i])
    return urns, ratings


def build_pool(
    vacancies: pl.DataFrame,
    la_code: str = "",
    neighbours: Sequence[str] = (),
    registers: dict[str, pl.DataFrame] | None = None,
    locations: dict[str, Location] | None = None,
) -> VacancyPool:
    """Coerce a vacancies register frame into a :class:`VacancyPool`.

    ``registers`` (homes, supported_accommodation) establish Ofsted registration by URN and
    fill blank ratings; ``locations`` overrides the geo lookup (postcode -> (E, N, LA)).
    """
    frame = vacancies
    n = frame.height
    notes: list[str] = []
    ids = np.array(_str_col(frame, "vacancy_id"), dtype=object)
    kind = np.array([_norm_token(k) for k in _str_col(frame, "provider_kind")], dtype=object)
    provider_id = np.array(_str_col(frame, "provider_id"), dtype=object)
    ptype = np.array([_norm_token(t) for t in _str_col(frame, "placement_type")], dtype=object)
    group = np.array([_TYPE_GROUP.get(t, -1) for t in ptype], dtype=np.int8)
    places = np.array([max(_int(p, 0), 0) for p in _str_col(frame, "places")], dtype=np.int32)
    avail_dates = date_col(frame, "available_from")
    available = np.array(
        [np.datetime64(d, "D") if d else np.datetime64("NaT", "D") for d in avail_dates],
        dtype="datetime64[D]",
    )
    age_min = np.array([_int(a, 0) for a in _str_col(frame, "age_min")], dtype=np.int32)
    age_max = np.array([_int(a, 99) for a in _str_col(frame, "age_max")], dtype=np.int32)
    sex_raw = [s.upper() for s in _str_col(frame, "sex")]
    sex = np.array(
        [
            {"M": "M", "F": "F", "1": "M", "2": "F", "MALE": "M", "FEMALE": "F"}.get(s, "any")
            for s in sex_raw
        ],
        dtype=object,
    )
    sib = [_int(s, 0) for s in _str_col(frame, "siblings")]
    sibling_capacity = np.array(
        [max(int(p) - 1, 0) if s == -1 else s for s, p in zip(sib, places, strict=True)],
        dtype=np.int32,
    )
    needs_lists = [_tokens(t) for t in _str_col(frame, "needs_accepted")]
    needs_vocab, needs_matrix = _token_matrix(needs_lists)
    skills_lists = [_tokens(t) for t in _str_col(frame, "skills")]
    # an all-blank skills column (the register adds optional columns) means "not recorded"
    has_skills = any(skills_lists)
    skills_vocab, skills_matrix = _token_matrix(skills_lists)
    culture_lists: list[tuple[str, ...]] = []
    langs, faiths, cultures = (_str_col(frame, c) for c in ("languages", "faith", "culture"))
    for lg, fa, cu in zip(langs, faiths, cultures, strict=True):
        culture_lists.append(
            tuple(f"lang:{t}" for t in _tokens(lg))
            + tuple(f"faith:{t}" for t in _tokens(fa))
            + tuple(f"culture:{t}" for t in _tokens(cu))
        )
    has_culture = any(c in frame.columns for c in ("languages", "faith", "culture"))
    culture_vocab, culture_matrix = _token_matrix(culture_lists)
    postcode = np.array(_normalised(_str_col(frame, "postcode")), dtype=object)
    # -- locations
    easting = np.full(n, np.nan)
    northing = np.full(n, np.nan)
    la = np.array([""] * n, dtype=object)
    if {"easting", "northing"} <= set(frame.columns):
        easting = np.array([_float(v) for v in _str_col(frame, "easting")])
        northing = np.array([_float(v) for v in _str_col(frame, "northing")])
        la = np.array(_str_col(frame, "la"), dtype=object)
    else:
        locs = locations if locations is not None else locate(p for p in postcode if p)
        for i, p in enumerate(postcode):
            loc = locs.get(p)
            if loc is not None:
                easting[i], northing[i] = loc[0], loc[1]
                la[i] = loc[2] or ""
    unknown = int(sum(1 for i in range(n) if postcode[i] and np.isnan(easting[i])))
    if unknown:
        notes.append(
            f"{_plural_vac(unknown)} with a postcode that could not be located: distances unknown"
        )
    band = location_bands([str(c) for c in la], la_code, neighbours)
    cost = np.array([_float(c) for c in _str_col(frame, "weekly_cost")])
    contract = np.array([_norm_token(c) for c in _str_col(frame, "contract")], dtype=object)
    rating = np.array([_norm_token(r) for r in _str_col(frame, "rating")], dtype=object)
    # -- registration (children's homes and supported accommodation must be registered)
    regs = registers or {}
    urns, home_ratings = _registered_urns(regs)
    registered = np.ones(n, dtype=bool)
    reg_note = np.array([""] * n, dtype=object)
    explicit = _str_col(frame, "registered") if "registered" in frame.columns else None
    for i in range(n):
        if kind[i] not in REGISTERED_KINDS:
            continue
        pid = provider_id[i]
        if not rating[i] and pid in home_ratings:
            rating[i] = home_ratings[pid]
        if explicit is not None and explicit[i]:
            registered[i] = explicit[i].strip().lower() in ("1", "y", "yes", "true", "t")
            reg_note[i] = "marked not registered in the vacancies register"
        elif urns is not None:
            registered[i] = bool(pid) and pid in urns
            reg_note[i] = (
                "no URN given"
                if not pid
                else f"URN {pid} is not a registered home in the homes register"
            )
    if urns is None and explicit is None and any(k in REGISTERED_KINDS for k in kind):
        notes.append("no homes register: Ofsted registration of homes was not checked")
    return VacancyPool(
        ids=ids,
        provider_kind=kind,
        provider_id=provider_id,
        placement_type=ptype,
        group=group,
        places=places,
        available_from=available,
        age_min=age_min,
        age_max=age_max,
        sex=sex,
        sibling_capacity=sibling_capacity,
        needs_vocab=needs_vocab,
        needs_matrix=needs_matrix,
        skills_vocab=skills_vocab,
        skills_matrix=skills_matrix,
        has_skills=has_skills,
        culture_vocab=culture_vocab,
        culture_matrix=culture_matrix,
        has_culture=has_culture,
        postcode=postcode,
        easting=easting,
        northing=northing,
        la=la,
        location_band=band,
        weekly_cost=cost,
        contract=contract,
        rating=rating,
        registered=registered,
        registration_note=reg_note,
        notes=notes,
    )


def pool_from_dataset(ds: Any) -> VacancyPool:
    """The pool of a Dataset's vacancies register (empty pool when there is none)."""
    frame = ds.register("vacancies")
    if frame is None:
        frame = pl.DataFrame({"vacancy_id": []}, schema={"vacancy_id": pl.Utf8})
    regs = {k: v for k, v in ds.registers.items() if k in ("homes", "supported_accommodation")}
    return build_pool(frame, ds.profile.code, ds.profile.neighbours, regs)
