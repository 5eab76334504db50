"""The SSDA903 tables ingest knows: columns, which are required, dates, and how to recognise them.

A file is recognised by its name first (``episodes.csv``, ``SSDA903_Episodes_2023.xlsx``, a
workbook sheet named ``Header``...), then by its columns. Column names follow the DfE return.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sufficiency.schema.kinds import canonical_name


def column_name(header: str) -> str:
    """The DfE column a header cell names: trimmed, upper case, spaces and hyphens read as
    underscores (``pl post`` is PL_POST, as the registers read their columns)."""
    return canonical_name(header).upper()


@dataclass(frozen=True)
class TableSpec:
    """One SSDA903 table: its DfE columns and what ingest demands of them."""

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    #: Date columns whose bad value is an error (the load stops); blank allowed unless required.
    key_dates: tuple[str, ...] = ()
    #: Other date columns: a bad value is dropped with a warning (an error for ``strict_dates``).
    other_dates: tuple[str, ...] = ()
    #: Columns whose presence identifies the table when its file name does not.
    signature: tuple[str, ...] = ()
    #: Core tables (header, episodes) must be present in every return; others are optional.
    core: bool = False
    #: Coded columns that may not be blank in any row (a blank would leave the row uncounted).
    not_blank: tuple[str, ...] = ()
    #: Dates of events in the year that measures count (an optional table's): one after the
    #: collection year, or before any child of the return could be born, is an error.
    in_year: tuple[str, ...] = ()
    #: Other dates (an end, as DEC is; a date no measure counts): after the collection year, a
    #: warning (kept); before any child could be born, an error.
    kept: tuple[str, ...] = ()
    #: Dates that cannot come before the child's date of birth: one that does is an error (a
    #: DUC before it dropped a UASC child from the UASC counts without a word).
    after_birth: tuple[str, ...] = ()
    #: What an optional table's rows tell about a child (what is lost when a return drops them).
    tells: str = ""
    #: The date a row stops holding (UASC status: DUC; a missing episode's end...); blank or
    #: later, it still holds. A table without one holds every row the next year (reviews, OC2).
    until: str | None = None
    #: Pairs of dates one row gives in order (the earlier, the later, and what the later
    #: records): the later before the earlier is an error (an AD1 match before the decision to
    #: place read as 0 days to match; a DoLO ending before it starts counted as in force).
    ordered: tuple[tuple[str, str, str], ...] = ()

    @property
    def dates(self) -> tuple[str, ...]:
        return self.key_dates + self.other_dates

    @property
    def strict_dates(self) -> frozenset[str]:
        """Dates whose value that is not a date is an error: the key dates, the dates of events
        the measures count (``in_year``) and the date a row stops holding (``until``); dropped,
        each would change a figure (a placement for adoption lost, a DoLS order left open)."""
        return frozenset((*self.key_dates, *self.in_year, *((self.until,) if self.until else ())))


#: The longest CHILD a return may give: a child's identifier is a short code (the web workspace
#: stores up to this many characters; a longer one is a name or a note in the wrong column).
CHILD_MAX = 20
#: A UPN as the DfE defines it: a check letter, 11 digits and a letter or digit (13 characters),
#: or UN1 to UN5 (with UN6 to UN10 in later guidance) when the child has none.
UPN_RE = r"^([A-Z][0-9]{11}[0-9A-Z]|UN[0-9]{1,2})$"

HEADER = TableSpec(
    "header",
    ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    required=("CHILD", "SEX", "DOB", "ETHNIC"),
    key_dates=("DOB",),
    other_dates=("MC_DOB",),
    signature=("CHILD", "SEX", "DOB", "ETHNIC"),
    core=True,
)
EPISODES = TableSpec(
    "episodes",
    (
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ),
    required=("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC"),
    key_dates=("DECOM", "DEC"),
    signature=("CHILD", "DECOM"),
    core=True,
    not_blank=("RNE", "LS", "CIN", "PLACE"),
)
UASC = TableSpec(
    "uasc",
    ("CHILD", "SEX", "DOB", "DUC"),
    required=("CHILD", "DUC"),
    key_dates=("DOB", "DUC"),
    signature=("CHILD", "DUC"),
    after_birth=("DUC",),
    tells="UASC status (UASC counts and arrivals leave them out)",
    until="DUC",
)
OTHER_TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "reviews",
        ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
        required=("CHILD", "REVIEW"),
        other_dates=("DOB", "REVIEW"),
        kept=("REVIEW",),
        signature=("CHILD", "REVIEW"),
        tells="reviews",
    ),
    TableSpec(
        "missing",
        ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
        required=("CHILD", "MIS_START"),
        other_dates=("DOB", "MIS_START", "MIS_END"),
        kept=("MIS_START", "MIS_END"),
        signature=("CHILD", "MIS_START"),
        tells="missing and away from placement episodes",
        until="MIS_END",
        ordered=(("MIS_START", "MIS_END", "a missing episode ends after it starts"),),
    ),
    TableSpec(
        "oc2",
        (
            "CHILD",
            "DOB",
            "SDQ_SCORE",
            "SDQ_REASON",
            "CONVICTED",
            "HEALTH_CHECK",
            "IMMUNISATIONS",
            "TEETH_CHECK",
            "HEALTH_ASSESSMENT",
            "SUBSTANCE_MISUSE",
            "INTERVENTION_RECEIVED",
            "INTERVENTION_OFFERED",
        ),
        required=("CHILD",),
        other_dates=("DOB",),
        signature=("CHILD", "CONVICTED"),
        tells="outcomes (OC2)",
    ),
    TableSpec(
        "oc3",
        ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
        required=("CHILD", "IN_TOUCH"),
        other_dates=("DOB",),
        signature=("CHILD", "IN_TOUCH"),
        not_blank=("IN_TOUCH",),
        tells="care leaver outcomes (OC3)",
    ),
    TableSpec(
        "ad1",
        (
            "CHILD",
            "DOB",
            "DATE_INT",
            "DATE_MATCH",
            "FOSTER_CARE",
            "NB_ADOPTR",
            "SEX_ADOPTR",
            "LS_ADOPTR",
        ),
        required=("CHILD", "DATE_INT"),
        other_dates=("DOB", "DATE_INT", "DATE_MATCH"),
        in_year=("DATE_INT", "DATE_MATCH"),
        signature=("CHILD", "DATE_INT"),
        tells="adoption decisions and matches",
        ordered=(
            (
                "DATE_INT",
                "DATE_MATCH",
                "a child is matched with adopters after the decision that they should be placed "
                "for adoption",
            ),
        ),
    ),
    TableSpec(
        "placed_for_adoption",
        ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
        required=("CHILD", "DATE_PLACED"),
        other_dates=("DOB", "DATE_PLACED", "DATE_PLACED_CEASED"),
        in_year=("DATE_PLACED",),
        kept=("DATE_PLACED_CEASED",),
        signature=("CHILD", "DATE_PLACED"),
        tells="placements for adoption",
        until="DATE_PLACED_CEASED",
        ordered=(
            (
                "DATE_PLACED",
                "DATE_PLACED_CEASED",
                "a decision to place for adoption ceases after it is made",
            ),
        ),
    ),
    TableSpec(
        "previous_permanence",
        ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
        required=("CHILD", "PREV_PERM"),
        other_dates=("DOB",),
        signature=("CHILD", "PREV_PERM"),
        tells="previous permanence",
    ),
    TableSpec(
        "sw_episodes",
        ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
        required=("CHILD", "SW_DECOM"),
        other_dates=("DOB", "SW_DECOM", "SW_DEC"),
        in_year=("SW_DECOM",),
        kept=("SW_DEC",),
        signature=("CHILD", "SW_DECOM"),
        tells="social worker episodes",
        until="SW_DEC",
        ordered=(("SW_DECOM", "SW_DEC", "a social worker episode ends after it starts"),),
    ),
    TableSpec(
        "dolo",
        ("CHILD", "DOB", "DOLO_START", "DOLO_END"),
        required=("CHILD", "DOLO_START"),
        other_dates=("DOB", "DOLO_START", "DOLO_END"),
        in_year=("DOLO_START",),
        kept=("DOLO_END",),
        signature=("CHILD", "DOLO_START"),
        tells="deprivation of liberty orders",
        until="DOLO_END",
        ordered=(
            ("DOLO_START", "DOLO_END", "a deprivation of liberty order ends after it starts"),
        ),
    ),
)

TABLES: dict[str, TableSpec] = {t.name: t for t in (HEADER, EPISODES, UASC, *OTHER_TABLES)}

#: Tables that may hold a child with no episode in the year: outcomes (OC2), care leavers (OC3)
#: and adoptions (AD1). A header child found only in these is not missing from the episodes.
OUTCOME_TABLES: tuple[str, ...] = ("oc2", "oc3", "ad1")

# File / sheet name keywords, most specific first (sw_episodes before episodes, etc.).
_NAME_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("sw_episodes", re.compile(r"sw_?episode|social_?worker")),
    ("placed_for_adoption", re.compile(r"placed_?for_?adoption|placedadoption|sbpfa|ad_?placed")),
    ("previous_permanence", re.compile(r"prev(ious)?_?perm|permanence")),
    ("episodes", re.compile(r"episode")),
    ("header", re.compile(r"header")),
    ("uasc", re.compile(r"uasc")),
    ("reviews", re.compile(r"review")),
    ("missing", re.compile(r"missing")),
    ("oc2", re.compile(r"oc2")),
    ("oc3", re.compile(r"oc3")),
    ("ad1", re.compile(r"ad1")),
    ("dolo", re.compile(r"dolo|deprivation")),
)


def table_by_name(name: str) -> str | None:
    """The table a file or sheet name denotes (``SSDA903_Episodes_2023`` -> episodes), if any."""
    key = re.sub(r"[\s\-.]+", "_", name.strip().lower())
    for table, pattern in _NAME_PATTERNS:
        if pattern.search(key):
            return table
    return None


def table_by_columns(columns: list[str]) -> str | None:
    """The table whose signature columns are all present (the most specific wins)."""
    present = {c.strip().upper() for c in columns}
    best: tuple[int, str] | None = None
    for spec in TABLES.values():
        if spec.signature and set(spec.signature) <= present:
            score = len(set(spec.columns) & present)
            if best is None or score > best[0]:
                best = (score, spec.name)
    return best[1] if best else None
