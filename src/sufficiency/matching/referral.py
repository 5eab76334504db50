"""A referral for a home: what the child needs, in the SocialCareData placements standard's terms.

The JSON shape is DESIGN.md's (``id``, ``child``, ``needed_by``, ``urgency``, ``siblings``,
``requested_type``, ``suitability``, ``needs``, ``avoid_areas``, ``budget_weekly``) extended with
the standard's other request fields (language, culture and faith, adaptations, who the child can
live alongside, pets, DoL order, risks to self and to others, preferred location). A referrals
register / ``--batch`` CSV holds the same fields flattened, one referral a row, lists
``;``-separated.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from sufficiency.codes import PLACEMENT_TYPES, SUITABILITY_GROUPS
from sufficiency.dates import date_in_text
from sufficiency.geo.postcodes import postcode_text
from sufficiency.schema.registers import SIBLINGS

Urgency = Literal["today", "under_5_days", "later"]
Level = Literal["preferred", "suitable", "unsuitable"]
Group = Literal["foster", "residential", "supported"]

URGENCY_ORDER: dict[str, int] = {"today": 0, "under_5_days": 1, "later": 2}

#: Risks named by the placements standard (to the child and to others); free text is allowed too.
KNOWN_RISKS: tuple[str, ...] = (
    "self_harm",
    "sexual_exploitation",
    "criminal_exploitation",
    "substance_misuse",
    "eating_disorder",
    "missing",
    "violence",
    "harmful_sexual_behaviour",
    "fire_setting",
)


#: What a referral's date looks like: the registers' formats (``dates.date_from_text``).
DATE_FORMATS = "a date as YYYY-MM-DD or DD/MM/YYYY"


def _date(value: object) -> object:
    """A date written as the registers accept one (dd/mm/yyyy or yyyy-mm-dd, read by the one
    rule, :func:`sufficiency.dates.date_in_text`); a blank is no date; other values as given."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    parsed = date_in_text(text)
    if parsed is None:
        raise ValueError(f"expected {DATE_FORMATS} (got {text!r})")
    return parsed


class ReferralError(ValueError):
    """A referral that cannot be read: ``field`` names the offending field (dotted path)."""

    def __init__(self, field: str, message: str, source: str = "", row: int | None = None):
        self.field = field
        self.message = message
        self.source = source
        self.row = row
        where = source + (f" row {row}" if row is not None else "")
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}{field}: {message}")


def _split(value: object) -> list[str]:
    """A list from JSON (list) or text separated as a register's list cell is (``;``, or commas
    when it has no ``;``: ``validate.list_text``); blanks dropped."""
    import polars as pl

    from sufficiency.ingest.registers.validate import list_text

    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    src = pl.lit(str(value), dtype=pl.Utf8)
    text = pl.select(list_text(src)).item()
    return [part.strip() for part in str(text).split(";") if part.strip()]


#: Items (as tokens) that say a list has nothing in it: a referral written ``needs: None`` has no
#: needs (read as a need, no home accepted it: 0 options instead of 30).
NOTHING = frozenset({"none", "n_a", "na", "nil", "not_applicable", "no_needs", "nothing"})


def _norm_token(value: str) -> str:
    """Needs and risks compare as lower-case snake tokens ("Self harm" == "self_harm")."""
    return re.sub(r"[^a-z0-9]+", "_", value.strip().lower()).strip("_")


#: A required postcode field, read in normal form.
Postcode = Annotated[str, Field(min_length=2), AfterValidator(postcode_text)]


class AvoidArea(BaseModel):
    """An exclusion zone: no home closer than ``min_miles`` to ``postcode`` (e.g. exploitation)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    postcode: Postcode
    min_miles: float = Field(ge=0)
    reason: str = ""


class PreferredLocation(BaseModel):
    """Where the child would best live: within ``within_miles`` of ``postcode``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    postcode: Postcode
    within_miles: float = Field(default=10.0, gt=0)


class Child(BaseModel):
    """The child: age, sex, home and school postcodes, UASC, disability and the standard's extras."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    age: int = Field(ge=0, le=25)
    sex: Literal["M", "F", "U"] = "U"
    home_postcode: str | None = None
    school_postcode: str | None = None
    uasc: bool = False
    disability: bool = False
    language: str | None = None
    culture: str | None = None
    faith: str | None = None

    @field_validator("sex", mode="before")
    @classmethod
    def _sex(cls, v: object) -> object:
        if v is None or v == "":
            return "U"
        text = str(v).strip().upper()
        return {"1": "M", "2": "F", "MALE": "M", "FEMALE": "F", "0": "U", "9": "U"}.get(text, text)

    @field_validator("home_postcode", "school_postcode", mode="before")
    @classmethod
    def _pc(cls, v: object) -> object:
        if v is None or (isinstance(v, str) and not v.strip()):
            return None
        return postcode_text(str(v))

    @field_validator("language", "culture", "faith", mode="before")
    @classmethod
    def _blank(cls, v: object) -> object:
        if isinstance(v, str) and not v.strip():
            return None
        return v


class Referral(BaseModel):
    """One request for a home (DESIGN.md referral JSON + the placements standard's fields)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    child: Child
    needed_by: dt.date
    urgency: Urgency = "later"
    #: The referrals register's range (a file validate passes reads the same as referrals).
    siblings: int = Field(default=0, ge=SIBLINGS[0], le=SIBLINGS[1])
    #: When False the siblings may be placed apart; keeping them together then only scores.
    siblings_together_required: bool = True
    requested_type: str | None = None
    suitability: dict[Group, Level] = Field(default_factory=dict)
    needs: tuple[str, ...] = ()
    avoid_areas: tuple[AvoidArea, ...] = ()
    budget_weekly: float | None = Field(default=None, ge=0)
    # -- the placements standard's further request fields ----------------------------------
    referred_date: dt.date | None = None
    preferred_location: PreferredLocation | None = None
    adaptations: tuple[str, ...] = ()
    can_live_alongside: tuple[str, ...] = ()
    pets: Literal["ok", "none_in_home", "brings_pet"] | None = None
    dol_order: bool = False
    risks_to_self: tuple[str, ...] = ()
    risks_to_others: tuple[str, ...] = ()
    notes: str = ""

    @field_validator("needed_by", "referred_date", mode="before")
    @classmethod
    def _dates(cls, v: object) -> object:
        return _date(v)

    @field_validator("requested_type", mode="before")
    @classmethod
    def _type(cls, v: object) -> object:
        if v is None or (isinstance(v, str) and not v.strip()):
            return None
        text = str(v).strip()
        if text not in PLACEMENT_TYPES:
            raise ValueError(
                f"unknown placement type {text!r}; expected one of {', '.join(PLACEMENT_TYPES)}"
            )
        return text

    @field_validator(
        "needs",
        "adaptations",
        "can_live_alongside",
        "risks_to_self",
        "risks_to_others",
        mode="before",
    )
    @classmethod
    def _list(cls, v: object) -> object:
        tokens = (_norm_token(x) for x in _split(v))
        return tuple(t for t in tokens if t and t not in NOTHING)

    @field_validator("pets", mode="before")
    @classmethod
    def _pets(cls, v: object) -> object:
        if v is None or (isinstance(v, str) and not v.strip()):
            return None
        return _norm_token(str(v))

    # ------------------------------------------------------------------ derived
    def level(self, group: str) -> str:
        """The suitability of a group for this child; a group not stated is ``suitable``."""
        return str(self.suitability.get(group, "suitable"))  # type: ignore[call-overload]

    @property
    def required_needs(self) -> tuple[str, ...]:
        """Needs a home must accept: the listed needs, the risks, a DoL order, adaptations.

        Each is a token compared with the vacancy's ``needs_accepted`` (so a home must say it
        accepts, e.g., ``criminal_exploitation`` or ``dol_order``).
        """
        extra: list[str] = []
        extra += list(self.risks_to_self) + list(self.risks_to_others)
        if self.dol_order:
            extra.append("dol_order")
        extra += list(self.adaptations)
        out: list[str] = []
        for need in (*self.needs, *extra):
            if need and need not in out:
                out.append(need)
        return tuple(out)

    @property
    def places_needed(self) -> int:
        """Places a vacancy must have to take the child with all siblings."""
        return self.siblings + 1

    @property
    def requested_group(self) -> str | None:
        """The suitability group of the requested type (None when not in a group)."""
        return group_of(self.requested_type)


def group_of(placement_type: str | None) -> str | None:
    """The suitability group (foster / residential / supported) of a placement type id."""
    if placement_type is None:
        return None
    for group, types in SUITABILITY_GROUPS.items():
        if placement_type in types:
            return group
    return None


#: Pydantic's error types in plain words (its ``ctx`` fills the braces); others keep its own.
_PLAIN: dict[str, str] = {
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_parsing": "expected a number",
    "float_type": "expected a number",
    "finite_number": "expected a finite number",
    "bool_parsing": "expected yes or no",
    "bool_type": "expected yes or no",
    "date_type": f"expected {DATE_FORMATS}",
    "date_parsing": f"expected {DATE_FORMATS}",
    "date_from_datetime_parsing": f"expected {DATE_FORMATS}",
    "date_from_datetime_inexact": f"expected {DATE_FORMATS}",
    "literal_error": "expected one of {expected}",
    "greater_than_equal": "expected {ge} or more",
    "greater_than": "expected more than {gt}",
    "less_than_equal": "expected {le} or less",
    "less_than": "expected less than {lt}",
    "string_too_short": "must not be blank",
    "string_type": "expected text",
    "dict_type": "expected an object ({{...}})",
    "model_type": "expected an object ({{...}})",
    "model_attributes_type": "expected an object ({{...}})",
    "tuple_type": "expected a list ([...])",
    "list_type": "expected a list ([...])",
}


def _plain(err: ErrorDetails) -> str:
    """One pydantic error in plain words, with the value given."""
    kind = err["type"]
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a referral field"
    if kind == "value_error":  # our own validators' words, without pydantic's prefix
        return str(err.get("ctx", {}).get("error", err["msg"]))
    template = _PLAIN.get(kind)
    msg = template.format(**err.get("ctx", {})) if template else str(err["msg"])
    return f"{msg} (got {err['input']!r})" if "input" in err else msg


def _errors_to_referral_error(exc: ValidationError, source: str, row: int | None) -> ReferralError:
    """The first error, its field named as the source names it: a CSV row by its column (the
    child's fields are columns of their own there: ``age``, not ``child.age``)."""
    err = exc.errors()[0]
    loc = [str(x) for x in err["loc"]]
    if row is not None and loc[:1] == ["child"] and len(loc) > 1 and loc[1] in _CHILD_COLUMNS:
        loc = loc[1:]
    return ReferralError(".".join(loc) or "referral", _plain(err), source, row)


def parse_referral(data: object, source: str = "") -> Referral:
    """Validate referral JSON (already decoded); raise ReferralError naming the bad field."""
    if not isinstance(data, Mapping):
        raise ReferralError("referral", "expected a JSON object", source)
    try:
        return Referral.model_validate(dict(data))
    except ValidationError as exc:
        raise _errors_to_referral_error(exc, source, None) from None


#: CSV column -> where it goes in the referral (``child.`` fields are flattened).
_CHILD_COLUMNS = (
    "age",
    "sex",
    "home_postcode",
    "school_postcode",
    "uasc",
    "disability",
    "language",
    "culture",
    "faith",
)
_BOOL_TRUE = {"1", "y", "yes", "true", "t"}
_BOOL_FALSE = {"0", "n", "no", "false", "f", ""}


def _bool(value: str, field: str, source: str, row: int) -> bool:
    text = value.strip().lower()
    if text in _BOOL_TRUE:
        return True
    if text in _BOOL_FALSE:
        return False
    raise ReferralError(field, f"expected yes/no (got {value!r})", source, row)


def _register_numbers(cell: Callable[..., str], source: str, row: int) -> dict[str, int | float]:
    """The row's number cells (age, siblings, budget_weekly) read by the referrals register's own
    rule (``schema.kinds``: '£' and commas between thousands allowed, a decimal comma or a
    thousands dot refused), so a file validate passes reads the same in a batch; blanks left
    out. Raises ReferralError naming the first check a cell fails, as validate names it."""
    import polars as pl

    from sufficiency.schema import REGISTERS
    from sufficiency.schema.kinds import checks, clean, parse

    out: dict[str, int | float] = {}
    for col in REGISTERS["referrals"].columns:
        text = cell(col.name, f"child_{col.name}", f"child.{col.name}")
        if col.kind not in ("integer", "decimal") or not text:
            continue
        src = clean(pl.lit(text, dtype=pl.Utf8))
        tests = checks(col, src)
        found = pl.select(
            parse(col, src).alias("value"),
            *(c.broken.fill_null(False).alias(f"c{i}") for i, c in enumerate(tests)),
        ).row(0)
        failed = [c for c, broken in zip(tests, found[1:], strict=True) if broken]
        if failed:
            expected = failed[0].expected or col.expected()
            message = f"{failed[0].what}: expected {expected} (got {text!r})"
            raise ReferralError(col.name, message, source, row)
        if found[0] is not None:
            out[col.name] = found[0]
    return out


def referral_from_row(
    row: Mapping[str, Any], source: str = "", line: int | None = None
) -> Referral:
    """A referral from a flattened CSV row (referrals register / ``--batch`` file).

    Columns: ``id`` (or ``referral_id``), the child's fields bare or as ``child_<field>``,
    ``suitability_foster`` / ``_residential`` / ``_supported``, lists ``;``-separated,
    ``avoid_areas`` as ``POSTCODE:MILES;...``, ``preferred_location`` as ``POSTCODE:MILES``.
    """
    cells = {str(k).strip().lower(): ("" if v is None else str(v)) for k, v in row.items()}
    rownum = line if line is not None else 0

    def cell(*names: str) -> str:
        for name in names:
            if name in cells:
                return cells[name].strip()
        return ""

    numbers = _register_numbers(cell, source, rownum)
    data: dict[str, Any] = {"id": cell("id", "referral_id")}
    child: dict[str, Any] = {}
    for name in _CHILD_COLUMNS:
        value = cell(name, f"child_{name}", f"child.{name}")
        if name in ("uasc", "disability"):
            child[name] = _bool(value, f"child.{name}", source, rownum)
        elif value:
            child[name] = numbers.get(name, value)
    data["child"] = child
    for name in ("needed_by", "urgency", "requested_type", "referred_date", "notes", "pets"):
        value = cell(name)
        if value:
            data[name] = value
    if "siblings" in numbers:
        data["siblings"] = numbers["siblings"]
    together = cell("siblings_together_required")
    if together:
        data["siblings_together_required"] = _bool(
            together, "siblings_together_required", source, rownum
        )
    dol = cell("dol_order")
    data["dol_order"] = _bool(dol, "dol_order", source, rownum)
    if "budget_weekly" in numbers:
        data["budget_weekly"] = numbers["budget_weekly"]
    suit: dict[str, str] = {}
    for group in SUITABILITY_GROUPS:
        value = cell(f"suitability_{group}", f"suitability.{group}")
        if value:
            suit[group] = value.lower()
    data["suitability"] = suit
    for name in ("needs", "adaptations", "can_live_alongside", "risks_to_self", "risks_to_others"):
        data[name] = cell(name)
    areas: list[dict[str, str]] = []
    try:
        parts = _split(cell("avoid_areas"))
    except ValueError as exc:
        raise ReferralError("avoid_areas", str(exc), source, rownum) from None
    for i, part in enumerate(parts):
        postcode, sep, miles = part.rpartition(":")
        if not sep or not postcode.strip():
            raise ReferralError(
                f"avoid_areas[{i}]", f"expected POSTCODE:MILES (got {part!r})", source, rownum
            )
        areas.append({"postcode": postcode, "min_miles": miles})
    data["avoid_areas"] = areas
    pref = cell("preferred_location")
    if pref:
        postcode, sep, miles = pref.rpartition(":")
        data["preferred_location"] = (
            {"postcode": postcode, "within_miles": miles} if sep else {"postcode": pref}
        )
    try:
        return Referral.model_validate(data)
    except ValidationError as exc:
        raise _errors_to_referral_error(exc, source, rownum) from None
