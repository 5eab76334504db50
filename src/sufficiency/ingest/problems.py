"""Problem records: what ingest (and register loading) reports instead of raising."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

from sufficiency.schema.columns import DEFAULT_LENGTH

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One defect found in an input file.

    ``row`` is the 1-based line number as a spreadsheet shows it (header line = row 1); None when
    the problem concerns the whole file. ``code`` is stable: tests and users key on it.
    """

    severity: Severity
    code: str
    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str

    @classmethod
    def whole_file(cls, severity: Severity, code: str, file: str, message: str) -> Problem:
        """A problem about a whole file or folder (no row, column or value to point at)."""
        return cls(severity, code, file, None, None, None, message)

    def to_json(self) -> dict[str, object]:
        return asdict(self)


#: The most of a cell's text a problem quotes: the longest free text a register cell holds
#: (a 200,000-character cell echoed whole made ``validate`` print 1.3 MB).
VALUE_SHOWN = DEFAULT_LENGTH["text"]


def listed(ids: Iterable[object], limit: int = 10) -> str:
    """``A, B, C and 4 more``: the first ``limit`` identifiers a problem names, and how many
    more there are (every one is in its value, where it has one)."""
    items = [str(i) for i in ids]
    more = len(items) - limit
    return ", ".join(items[:limit]) + (f" and {more} more" if more > 0 else "")


def shown(text: str) -> str:
    """A cell's text as a problem quotes it: cut to VALUE_SHOWN characters, ``...`` ending
    a cut one."""
    return text if len(text) <= VALUE_SHOWN else text[: VALUE_SHOWN - 3] + "..."


#: Offending rows reported one by one per kind of problem; the rest are counted in one more.
LIMIT = 20


def capped(problems: list[Problem], limit: int = LIMIT) -> list[Problem]:
    """The first ``limit`` problems, then one counting the rest (same severity, code and file)."""
    if len(problems) <= limit:
        return problems
    first = problems[0]
    more = Problem(
        first.severity,
        first.code,
        first.file,
        None,
        None,
        None,
        f"{len(problems) - limit} more row(s) like the above",
    )
    return [*problems[:limit], more]


#: Warnings that say how a file was read when it reads as its writer meant (another spelling of
#: a code, a delimiter found, an episode that a later return gives again): ``validate`` lists
#: them; a command does not repeat them (every other warning may change what is counted).
READ_AS_MEANT = frozenset(
    {
        "duplicate_episode_across_returns",
        "non_canonical_value",
        "delimiter_detected",
        "mixed_encoding",
        "header_not_first",
        "legacy_code",
        "extra_column",
        "register_totals_row",
        "xml_wrapped_child",
    }
)


def has_errors(problems: Iterable[Problem]) -> bool:
    """True when any problem stops the load."""
    return any(p.severity == "error" for p in problems)


class LoadError(Exception):
    """Raised at the edge (CLI, web) when a load produced errors; carries the problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        first = errors[0] if errors else None
        where = f"{first.file} row {first.row} {first.column or ''}".strip() if first else ""
        super().__init__(
            f"{len(errors)} error(s) stop the load"
            + (f"; first: {where}: {first.message}" if first else "")
        )
