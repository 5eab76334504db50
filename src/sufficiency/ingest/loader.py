"""Load a DATA folder into a Dataset: la.toml, ssda903/<year>/*, registers/*, narrative/*.md.

``load_data`` never raises on bad input: it returns every problem found, and a Dataset only when
none of them is an error (an import lands whole or not at all).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import threading
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import polars as pl

from sufficiency.dataset import Dataset
from sufficiency.dates import last_ended_year, year_end
from sufficiency.ingest.checks import (
    check_table,
    no_later_return,
    prefetch_postcodes,
    return_label,
)
from sufficiency.ingest.copied_returns import ReturnRows, copied_returns
from sufficiency.ingest.council_fit import homes_elsewhere, returns_after_split
from sufficiency.ingest.episode_sequence import episodes_in_sequence, reopened_then_closed
from sufficiency.ingest.lost_tables import ReturnTables, lost_tables
from sufficiency.ingest.merge import header_per_child, latest_per_child, merge_returns
from sufficiency.ingest.missing_returns import missing_returns
from sufficiency.ingest.placement_urns import unknown_urns
from sufficiency.ingest.postcode_precision import short_postcodes
from sufficiency.ingest.problems import Problem, has_errors
from sufficiency.ingest.profile_file import load_profile
from sufficiency.ingest.readers import FILE, ROW, RawSheet, read_any
from sufficiency.ingest.register_children import unmatched_children
from sufficiency.ingest.register_references import unknown_references
from sufficiency.ingest.return_checks import (
    check_children,
    one_row_per_child,
    zero_padded_ids,
)
from sufficiency.ingest.return_year import YearFit, fit_year
from sufficiency.ingest.tables import TABLES, table_by_columns, table_by_name
from sufficiency.ingest.text_format import decode_text
from sufficiency.profile import unknown_profile

_T = TypeVar("_T")
_R = TypeVar("_R")

#: File suffixes ingest reads inside a return folder; anything else is reported and skipped.
READABLE_SUFFIXES = {".csv", ".txt", ".xlsx", ".xlsm", ".xml"}
#: Archives a return may be left in (downloaded, never unzipped): never read, always named.
ARCHIVE_SUFFIXES = {".zip", ".7z", ".rar", ".gz", ".tar", ".tgz"}


@dataclass
class ReturnSummary:
    year: int
    children: int
    episodes: int


@dataclass
class LoadResult:
    """What a load produced: a Dataset when there were no errors, and every problem found."""

    dataset: Dataset | None
    problems: list[Problem] = field(default_factory=list)
    returns: list[ReturnSummary] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.dataset is not None and not any(p.severity == "error" for p in self.problems)

    #: Distinct children across returns (the merged header when loaded; else counted raw).
    children: int = 0
    #: Episodes after the multi-year merge (before it, when the load stopped on errors).
    episodes: int = 0

    def to_json(self) -> dict[str, object]:
        """The ``validate --json`` shape (DESIGN.md)."""
        return {
            "ok": self.ok,
            "children": self.children,
            "episodes": self.episodes,
            "returns": [
                {"year": r.year, "children": r.children, "episodes": r.episodes}
                for r in self.returns
            ],
            "problems": [p.to_json() for p in self.problems],
        }


@dataclass
class _Return:
    year: int
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: The collection year the dates show, when it is not the folder's name (``fit.implied``).
    fit: YearFit = field(default_factory=YearFit)
    #: The folder's name (its year, unless the dates showed another).
    folder_name: str = ""


#: Register name -> its typed frame as ``load_registers`` read it (before the Dataset conforms it).
TypedRegisters = dict[str, pl.DataFrame]


class ReturnsMemo:
    """The returns of the last data folder read, kept by the content of its ssda903 folder: a
    caller that loads the same returns with other registers again and again (the web, after
    each register edit) reads and checks them once. Only for such a caller: the frames are
    held in memory between loads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: str | None = None
        self._found: tuple[list[Problem], list[_Return]] = ([], [])

    def returns(self, root: Path, problems: list[Problem]) -> list[_Return]:
        """``_load_returns(root, problems)``, read again only when the folder's content changed."""
        key = _returns_key(root)
        with self._lock:
            if key is None or key != self._key:
                found: list[Problem] = []
                returns = _load_returns(root, found)
                self._key, self._found = key, (found, [_copy(r) for r in returns])
            found, returns = self._found
            problems += found
            return [_copy(r) for r in returns]


def _copy(ret: _Return) -> _Return:
    """A return a load may take its tables from (``_tag``) without changing ``ret``."""
    return replace(ret, tables=dict(ret.tables), problems=list(ret.problems))


def _returns_key(root: Path) -> str | None:
    """A digest of every name and byte under ``root``'s ssda903 folder (None when it has none:
    then the returns are read each time)."""
    folder = _entry(root, "ssda903")
    if not folder.is_dir():
        return None
    digest = hashlib.blake2b(folder.name.encode())
    for here, _dirs, files in sorted(os.walk(folder, followlinks=True)):
        digest.update(f"\0d{Path(here).relative_to(folder)}".encode())
        for name in sorted(files):
            digest.update(f"\0f{name}\0".encode())
            with open(Path(here) / name, "rb") as handle:
                digest.update(hashlib.file_digest(handle, "blake2b").digest())
    return digest.hexdigest()


def load_data(path: Path, *, warnings: bool = True, memo: ReturnsMemo | None = None) -> LoadResult:
    """Read DATA/la.toml, DATA/ssda903/<year>/*, DATA/registers/*, DATA/narrative/*.md.

    ``warnings=False`` is for a caller that reads only the errors and the kinds of warning (a
    command that stops on errors and names the kinds of warning in a line): the warnings that
    take long to work out and can never come with an error (children whose episodes in a year
    two returns tell differently, homes mostly outside la.toml's council) are left out. Every
    error, and the Dataset, are the same. ``memo`` keeps the returns read between loads.
    """
    return load_with_registers(path, warnings=warnings, memo=memo)[0]


def load_with_registers(
    path: Path, *, warnings: bool = True, memo: ReturnsMemo | None = None
) -> tuple[LoadResult, TypedRegisters]:
    """:func:`load_data`, and the registers' typed frames it read: a data folder import stores
    those (the Dataset's are conformed for analysis), without reading the files a second time."""
    root = Path(path)
    problems: list[Problem] = []
    if not root.is_dir():
        what = (
            "a zip file, not a folder: unzip it and give the folder holding la.toml"
            if root.is_file() and zipfile.is_zipfile(root)
            else "a file, not a folder"
            if root.exists()
            else "no such folder"
        )
        return LoadResult(
            None,
            [
                Problem.whole_file(
                    "error",
                    "data_folder_missing",
                    str(root),
                    f"{what}: expected a DATA folder holding la.toml and ssda903/<year>/",
                )
            ],
        ), {}
    profile, profile_problems = load_profile(_entry(root, "la.toml"))
    if profile is None and [p.code for p in profile_problems] == ["profile_missing"]:
        # Returns alone still load (the peers' sample data has no la.toml); what needs the
        # council's identity (location bands, rates per 10,000) reads as unknown.
        profile = unknown_profile()
        profile_problems = [
            replace(
                profile_problems[0],
                severity="warning",
                message="la.toml not found: the council's code, neighbours and population are "
                "unknown, so location bands read 'unknown' and rates per 10,000 are not given",
            )
        ]
    problems += [replace(p, file="la.toml") for p in profile_problems]

    returns = _load_returns(root, problems) if memo is None else memo.returns(root, problems)
    if profile is not None:
        problems += returns_after_split(profile.code, [r.year for r in returns])

    from sufficiency.ingest.registers import load_registers

    registers, register_problems = load_registers(_entry(root, "registers"), profile)
    problems += register_problems
    register_files = _register_files(_entry(root, "registers"))
    problems += unknown_references(registers, register_files)
    narrative = _load_narrative(_entry(root, "narrative"), problems)

    summaries = [
        ReturnSummary(
            r.year,
            _count_children(r.tables.get("header")),
            r.tables["episodes"].height if "episodes" in r.tables else 0,
        )
        for r in returns
    ]
    for r in returns:
        problems += r.problems
    if has_errors(problems) or profile is None or not returns:
        children_n, episodes_n = _raw_counts(returns)
        return LoadResult(None, problems, summaries, children_n, episodes_n), registers

    children, child_problems = header_per_child([_tag(r, "header") for r in returns])
    merged = merge_returns([_tag(r, "episodes") for r in returns], name_children=warnings)
    episodes, merge_problems = merged.episodes, child_problems + merged.problems
    problems = reopened_then_closed(problems + merge_problems)
    if has_errors(merge_problems):  # nothing half-made: no Dataset (duplicate_episode)
        return LoadResult(
            None, problems, summaries, children.height, merged.history.height
        ), registers
    problems += short_postcodes(episodes)
    overlaps = [(p.file, p.row) for p in merge_problems if p.code == "overlapping_episodes"]
    problems += episodes_in_sequence(merged.history, [r.year for r in returns], overlaps)
    if profile.code and warnings:  # a warning only
        problems += homes_elsewhere(profile.code, profile.neighbours, episodes, "la.toml")
    uasc_parts = [_tag(r, "uasc") for r in returns if "uasc" in r.tables]
    uasc = latest_per_child(uasc_parts) if uasc_parts else None
    others: dict[str, pl.DataFrame] = {}
    for name in TABLES:
        if name in ("header", "episodes", "uasc"):
            continue
        parts = [_tag(r, name) for r in returns if name in r.tables]
        if parts:
            others[name] = _strip(pl.concat(parts, how="vertical_relaxed"))
    stripped = _strip(episodes)
    # one return: the episodes are their own history (the Dataset conforms them once)
    history = stripped if merged.history is episodes else _strip(merged.history)
    dataset = Dataset.from_frames(
        profile,
        children=_strip(children),
        episodes=stripped,
        uasc=_strip(uasc) if uasc is not None else None,
        tables=others,
        registers=registers,
        narrative=narrative,
        returns=tuple(r.year for r in returns),
        history=history,
        cuts=merged.cuts,
    )
    problems += unmatched_children(
        registers,
        pl.concat([dataset.children.get_column("CHILD"), history.get_column("CHILD")]),
        register_files,
    )
    problems += unknown_urns(episodes, registers)
    loaded = LoadResult(
        dataset, problems, summaries, dataset.children.height, merged.history.height
    )
    return loaded, registers


def _register_files(folder: Path) -> dict[str, str]:
    """Each register's file as problems name it (``registers/permanence_plans.xlsx``)."""
    if not folder.is_dir():
        return {}
    return {p.stem.lower(): f"{folder.name}/{p.name}" for p in sorted(folder.iterdir())}


def _entry(root: Path, name: str) -> Path:
    """``root / name``, or the entry of ``root`` that spells it in other case (``Registers``,
    ``SSDA903``, ``LA.toml``): a folder copied from Windows, where case does not matter, reads
    the same here."""
    exact = root / name
    if exact.exists() or exact.is_symlink():
        return exact
    return next((e for e in sorted(root.iterdir()) if e.name.lower() == name), exact)


def _count_children(header: pl.DataFrame | None) -> int:
    if header is None:
        return 0
    return header.height - header.get_column("CHILD").null_count()  # one row per child


def _raw_counts(returns: list[_Return]) -> tuple[int, int]:
    headers = [r.tables["header"].select("CHILD") for r in returns if "header" in r.tables]
    children = int(pl.concat(headers).get_column("CHILD").drop_nulls().n_unique()) if headers else 0
    episodes = sum(r.tables["episodes"].height for r in returns if "episodes" in r.tables)
    return children, episodes


def _tag(r: _Return, table: str) -> pl.DataFrame:
    """The return's table with its year, handed over (the return lets go of it: less memory)."""
    return r.tables.pop(table).with_columns(pl.lit(r.year, pl.Int32).alias("return_year"))


def _strip(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.drop([c for c in (ROW, FILE) if c in frame.columns])


# ------------------------------------------------------------------------------------ returns
def _load_returns(root: Path, problems: list[Problem]) -> list[_Return]:
    folder = _entry(root, "ssda903")
    year_dirs = [e for e in root.iterdir() if e.is_dir() and re.fullmatch(r"(19|20)\d\d", e.name)]
    if not folder.is_dir() and year_dirs:
        # The peers' layout (year folders at the top): read it, and say where they belong.
        problems.append(
            Problem.whole_file(
                "warning",
                "returns_outside_ssda903",
                ".",
                "return folders found at the top of the data folder: read them, but they "
                "belong in ssda903/<year>/",
            )
        )
        folder = root
    if not folder.is_dir():
        problems.append(
            Problem.whole_file(
                "error",
                "no_returns",
                "ssda903",
                "no ssda903 folder: expected ssda903/<year>/ with one folder per return, named "
                "by the year it ends (2023 = the 2022-23 return)",
            )
        )
        return []
    found: list[tuple[Path, int, str]] = []
    prefix = "" if folder == root else f"{folder.name}/"
    for entry in sorted(folder.iterdir()):
        rel = f"{prefix}{entry.name}"
        if entry.name.startswith("."):
            continue
        if folder == root and not re.fullmatch(r"(19|20)\d\d", entry.name):
            continue  # la.toml, registers/, narrative/ live beside top-level returns
        if entry.is_file() and entry.suffix.lower() in ARCHIVE_SUFFIXES:
            problems.append(
                Problem.whole_file(
                    "error",
                    "return_archive",
                    rel,
                    "an archive is not read: unzip it, and put each return's files in its own "
                    "folder ssda903/<year>/ (named by the year the return ends, e.g. 2023 for "
                    "2022-23)",
                )
            )
            continue
        if not entry.is_dir() or not re.fullmatch(r"(19|20)\d\d", entry.name):
            held = _return_files(entry)
            if held:
                problems.append(
                    Problem.whole_file(
                        "error",
                        "return_folder_name",
                        rel,
                        f"this folder holds return files ({', '.join(held)}) but its name is "
                        "not a year, so which return it is cannot be known and it is not read: "
                        "name it by the year the return ends (e.g. 2023 for 2022-23), or move "
                        "it out of ssda903/",
                    )
                )
                continue
            problems.append(
                Problem.whole_file(
                    "warning",
                    "unexpected_entry",
                    rel,
                    "ignored: ssda903/ holds one folder per return, named by the year the "
                    "return ends (e.g. 2023 for 2022-23)",
                )
            )
            continue
        found.append((entry, int(entry.name), rel))
    returns = _repair_folder_years(folder, _load_each(found), prefix)
    # a folder named too late is read as the year its dates reach first; what is left is a
    # return for a year that has not ended
    ended = last_ended_year()
    problems += [_not_ended(r.year, f"{prefix}{r.folder_name}") for r in returns if r.year > ended]
    rows = [
        ReturnRows(r.year, f"{prefix}{r.folder_name}", r.tables["episodes"])
        for r in returns
        if "episodes" in r.tables
    ]
    problems += copied_returns(rows) + zero_padded_ids(rows)
    problems += lost_tables(
        [ReturnTables(r.year, f"{prefix}{r.folder_name}", r.tables) for r in returns]
    )
    problems += missing_returns((r.year for r in returns), prefix)
    if returns:  # no later return replaces the DECs after the latest one's year
        latest = max(returns, key=lambda r: r.year)
        latest.problems = no_later_return(latest.problems, latest.year)
    if not returns:
        problems.append(
            Problem.whole_file(
                "error",
                "no_returns",
                "ssda903",
                "no return folders found: expected ssda903/<year>/ (e.g. ssda903/2023/episodes.csv)",
            )
        )
    return returns


def _return_files(entry: Path) -> list[str]:
    """The names of the first few files a folder holds that ingest would read as return tables
    (none for a file, or a folder of other things)."""
    if not entry.is_dir():
        return []
    names = sorted(
        f.name
        for f in entry.iterdir()
        if f.suffix.lower() in READABLE_SUFFIXES and not f.name.startswith((".", "~$"))
    )
    return names[:3] + (["..."] if len(names) > 3 else [])


def _load_each(found: list[tuple[Path, int, str]]) -> list[_Return]:
    """Each return folder read, then checked (two or more at once: ``_in_threads``), in order;
    between the two, for two or more returns, the postcode directory's rows for all their
    postcodes are read in one pass (each return's checks would otherwise read it again)."""
    read = _in_threads(lambda args: _read_return(*args), found)
    if len(read) > 1:
        prefetch_postcodes(
            sheet.frame
            for _, by_table in read
            for table, sheets in by_table.items()
            if table == "episodes"
            for sheet in sheets
        )
    jobs = [(ret, tables, rel) for (ret, tables), (_, _, rel) in zip(read, found, strict=True)]
    return _in_threads(lambda job: _check_tables(job[0], job[1], rel=job[2]), jobs)


def _in_threads(work: Callable[[_T], _R], items: Sequence[_T]) -> list[_R]:
    """``work`` of each item, in order: two or more at once on a machine with the cores (a
    thread each; Polars lets go of the GIL, and each item is its own work)."""
    workers = min(len(items), os.cpu_count() or 1)
    if workers < 2:
        return [work(item) for item in items]
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(work, items))


def _repair_folder_years(folder: Path, returns: list[_Return], prefix: str) -> list[_Return]:
    """Read a folder named for the wrong year (e.g. by the year its return starts, as the
    cs-demand-model samples are) as the year its dates show, with a warning - unless another
    folder already holds that year, which stays an error (for a quiet year, ``YearFit.quiet``,
    the folder's year stands then)."""
    finals = [r.fit.implied or r.year for r in returns]
    out = []
    for ret in returns:
        rel = f"{prefix}{ret.year}"
        implied = ret.fit.implied
        if implied is None or (ret.fit.quiet and finals.count(implied) > 1):
            out.append(ret)
            continue
        guide = "Return folders are named by the year the return ends (31 March)"
        if finals.count(implied) == 1:
            fixed = _load_return(folder / str(ret.year), implied, rel)
            if fixed.fit.implied is None:
                fixed.problems.insert(
                    0,
                    Problem(
                        "warning",
                        "folder_year_mismatch",
                        rel,
                        None,
                        None,
                        str(ret.year),
                        f"{ret.fit.detail}. {guide}: read as the {return_label(implied)} "
                        f"return ({implied}); rename the folder {implied}",
                    ),
                )
                out.append(fixed)
                continue
        ret.problems.append(
            Problem(
                "error",
                "folder_year_mismatch",
                rel,
                None,
                None,
                str(ret.year),
                f"{ret.fit.detail}. {guide}: the dates suggest this folder should be "
                f"{implied} ({return_label(implied)}), but another folder already "
                "holds that return",
            )
        )
        out.append(ret)
    return out


def _load_return(folder: Path, year: int, rel: str) -> _Return:
    """One return folder read and checked."""
    ret, by_table = _read_return(folder, year, rel)
    return _check_tables(ret, by_table, rel=rel)


def _read_return(folder: Path, year: int, rel: str) -> tuple[_Return, dict[str, list[RawSheet]]]:
    """A return folder's files read and each sheet given its table (not yet checked)."""
    ret = _Return(year, folder_name=folder.name)
    entries: list[tuple[Path, str]] = []
    for entry in sorted(folder.iterdir()):
        name = entry.name
        if name.startswith((".", "~$")):
            continue
        if not entry.is_file():
            ret.problems.append(_not_a_file(entry, f"{rel}/{name}"))
            continue
        entries.append((entry, f"{rel}/{name}"))
    # the files read at once (``_in_threads``); their problems in file order as ever
    readable = [e for e in entries if e[0].suffix.lower() in READABLE_SUFFIXES]
    read = dict(zip(readable, _in_threads(lambda e: read_any(*e), readable), strict=True))
    sheets: list[RawSheet] = []
    for entry, display in entries:
        if (entry, display) not in read:
            ret.problems.append(
                Problem.whole_file(
                    "warning",
                    "unknown_table",
                    display,
                    "ignored: expected .csv, .xlsx or .xml SSDA903 tables",
                )
            )
            continue
        found, read_problems = read[entry, display]
        ret.problems += read_problems
        sheets += found
    by_table: dict[str, list[RawSheet]] = {}
    for sheet in sheets:
        table = sheet.table or table_by_name(sheet.hint)
        if table is None and not sheet.blank:
            table = table_by_columns(sheet.frame.columns)
        if sheet.blank:
            _blank(ret, sheet, table)
            continue
        if table is None:
            ret.problems.append(
                Problem.whole_file(
                    "warning",
                    "unknown_table",
                    sheet.file,
                    "not recognised as an SSDA903 table by its name or columns: ignored "
                    "(expected header, episodes, uasc, reviews, missing, oc2, oc3, ad1, "
                    "placed_for_adoption, previous_permanence, sw_episodes or dolo)",
                )
            )
            continue
        by_table.setdefault(table, []).append(sheet)
    return ret, by_table


def _check_tables(ret: _Return, by_table: dict[str, list[RawSheet]], *, rel: str) -> _Return:
    """A read return's sheets checked and joined into its tables, then the return's checks; the
    sheets as read are let go (``by_table`` emptied: the returns read before any is checked
    are not all held as text to the end)."""
    year = ret.year
    # every sheet's checks at once (``_in_threads``), their problems in table and sheet order
    jobs = [(TABLES[table], sheet) for table, items in by_table.items() for sheet in items]
    results = iter(
        _in_threads(
            lambda job: check_table(job[0], job[1].frame, job[1].file, year, job[1].header_row),
            jobs,
        )
    )
    for table, items in by_table.items():
        spec = TABLES[table]
        parts = []
        for sheet in items:
            checked = next(results)
            ret.problems += checked.problems
            if checked.frame is not None:
                parts.append(
                    checked.frame.with_columns(pl.lit(sheet.file).cast(pl.Categorical).alias(FILE))
                )
        if parts:
            ret.tables[table] = pl.concat(parts, how="vertical_relaxed")
            if spec.core and ret.tables[table].height == 0:
                ret.problems += [_empty(sheet.file, table) for sheet in items]
    for core in ("header", "episodes"):
        if core not in by_table and not any(
            p.code in ("file_unreadable", "unclosed_quote", "missing_column") for p in ret.problems
        ):
            ret.problems.append(
                Problem.whole_file(
                    "error",
                    "missing_table",
                    rel,
                    f"the {return_label(year)} return has no {core} table: expected a file "
                    f"such as {core}.csv (or a sheet named {core})",
                )
            )
    by_table.clear()
    _check_return(ret, rel)
    return ret


def _not_ended(year: int, display: str) -> Problem:
    """The error for a return whose year has not ended: its figures would be a whole year's
    for a year that has not happened."""
    return Problem(
        "error",
        "return_not_ended",
        display,
        None,
        None,
        str(year),
        f"the {return_label(year)} return covers the year to {year_end(year):%d/%m/%Y}, which "
        f"has not ended (today is {dt.date.today():%d/%m/%Y}): a return is loaded once its "
        "year is over",
    )


def _not_a_file(entry: Path, display: str) -> Problem:
    """A folder (or a link to nothing) in a return folder: an error when its name is a table
    file's (``uasc.csv``: the table would be missing without a word), else a warning."""
    if entry.suffix.lower() in READABLE_SUFFIXES:
        return Problem.whole_file(
            "error",
            "file_unreadable",
            display,
            "not a file (a folder, or a link to nothing), so this table cannot be read: put the "
            "table's file here",
        )
    return Problem.whole_file(
        "warning",
        "unexpected_entry",
        display,
        "ignored: a folder inside a return folder is not read (a return's tables are the files "
        "directly in ssda903/<year>/)",
    )


def _blank(ret: _Return, sheet: RawSheet, table: str | None) -> None:
    if table in ("header", "episodes"):
        ret.problems.append(
            Problem.whole_file(
                "error",
                "file_unreadable",
                sheet.file,
                f"the file is empty: expected the {table} table with its header line",
            )
        )
    else:
        ret.problems.append(
            Problem.whole_file(
                "warning",
                "blank_optional_table",
                sheet.file,
                f"the {table or 'optional'} table file is blank (no header line, no rows): "
                "read as an empty table",
            )
        )


def _empty(file: str, table: str) -> Problem:
    each = "child" if table == "header" else "episode"
    return Problem.whole_file(
        "error",
        "empty_table",
        file,
        f"the {table} table has its header line but no rows: expected one row per {each} "
        "looked after in the year (an empty table would make every count zero)",
    )


def _check_return(ret: _Return, rel: str) -> None:
    """Checks across a return's tables (children, dates of birth, coverage) and its year."""
    if "header" in ret.tables:
        ret.tables["header"], dup_problems = one_row_per_child(ret.tables["header"])
        ret.problems += dup_problems
    ret.tables, child_problems = check_children(ret.tables, ret.year)
    ret.problems += child_problems
    eps = ret.tables.get("episodes")
    if eps is None or eps.height == 0:
        return
    ret.fit = fit_year(eps, ret.year)
    ret.problems += ret.fit.problems


# ---------------------------------------------------------------------------------- narrative
def _load_narrative(folder: Path, problems: list[Problem]) -> dict[str, str]:
    sections: dict[str, str] = {}
    if not folder.is_dir():
        if folder.exists() or folder.is_symlink():
            problems.append(
                Problem.whole_file(
                    "warning",
                    "narrative_unknown_file",
                    folder.name,
                    "not a folder: the narrative is a folder of Markdown files, such as "
                    "narrative/sign_off.md; no section text is read",
                )
            )
        return sections
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith((".", "~$")):
            continue
        if not entry.is_file() and entry.suffix.lower() == ".md":  # its section cannot be read
            problems.append(
                Problem.whole_file(
                    "error",
                    "narrative_unreadable",
                    f"narrative/{entry.name}",
                    "cannot be read: a folder (or a link to nothing), not a file; the section's "
                    "narrative is a Markdown text file of this name",
                )
            )
            continue
        if not entry.is_file() or entry.suffix.lower() != ".md":
            problems.append(
                Problem.whole_file(
                    "warning",
                    "narrative_unknown_file",
                    f"narrative/{entry.name}",
                    "not read: the narrative is Markdown files named by the statement section "
                    "they belong to, such as narrative/sign_off.md (save this as .md text)",
                )
            )
            continue
        try:
            # any encoding the returns may be in: Word's "plain text" is Windows-1252
            text, encoding = decode_text(entry.read_bytes())
            if text is None:
                problems.append(
                    Problem.whole_file(
                        "error",
                        "narrative_unreadable",
                        f"narrative/{entry.name}",
                        f"cannot be read: not text ({encoding} data, not UTF-8 or other text): "
                        "save the narrative as Markdown text",
                    )
                )
                continue
            # newlines as reading text gives them (a Windows file's \r\n as \n)
            sections[entry.stem] = text.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        except OSError as exc:
            problems.append(
                Problem.whole_file(
                    "error",
                    "narrative_unreadable",
                    f"narrative/{entry.name}",
                    f"cannot be read: {exc.strerror or exc}",
                )
            )
    return sections
