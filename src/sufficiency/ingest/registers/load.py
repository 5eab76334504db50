"""Loading every register file of a DATA folder's ``registers/``: typed frames and problems."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from sufficiency.ingest.problems import Problem
from sufficiency.ingest.registers.homes import council_problems
from sufficiency.ingest.registers.population import population_problems
from sufficiency.ingest.registers.read import first_line, read_errors, read_table
from sufficiency.ingest.registers.validate import ROW, parse_register_rows
from sufficiency.ingest.text_format import not_a_table
from sufficiency.profile import LAProfile
from sufficiency.schema import REGISTERS

#: The file types a register may be.
SUFFIXES = (".csv", ".xlsx")


def _label(folder: Path, path: Path) -> str:
    return f"{folder.name}/{path.name}"


#: What a browser or Windows adds to a file's name for a second download or a copy:
#: ``Carers (1)``, ``carers - Copy``, ``carers - Copy (2)``.
_COPY_SUFFIX = re.compile(r"\s*(?:\(\d+\)|-\s*copy(?:\s*\(\d+\))?)$", re.IGNORECASE)


def _stem(path: Path) -> str:
    """A file's name without its suffix and any download or copy suffix, in lower case."""
    return _COPY_SUFFIX.sub("", path.stem).lower()


def _register_name(path: Path) -> str | None:
    """The register a path's name says it holds (``carers`` for ``Carers.csv`` or
    ``Carers (1).csv``), if any."""
    name = _stem(path)
    return name if path.suffix.lower() in SUFFIXES and name in REGISTERS else None


def _not_a_register(path: Path) -> str:
    """Why a file of registers/ is not read: a zip archive said so (its contents named)."""
    if path.suffix.lower() == ".zip":
        try:
            zipped = not_a_table(path.read_bytes())
        except OSError:
            zipped = None
        if zipped is not None:
            return f"{zipped} (registers/)"
    return "not a register file (expected .csv or .xlsx); ignored"


def load_register(
    path: Path, label: str, name: str | None = None, *, keep_rows: bool = False
) -> tuple[pl.DataFrame | None, list[Problem]]:
    """One register file (``name``, else its stem, names the register) as a typed frame, or
    None with errors; ``keep_rows`` keeps each row's spreadsheet row number (column ``ROW``)
    for a reader that names rows later (``match --batch``).

    A blank file (nothing, or only line ends, spaces and a byte-order mark, as a spreadsheet
    saves an empty sheet) is a warning (the register is treated as not supplied, so None).
    """
    name = name or path.stem.lower()
    if _blank_file(path):
        return None, [
            Problem.whole_file(
                "warning",
                "register_blank",
                label,
                "file is blank; register treated as not supplied",
            )
        ]
    try:
        raw, problems = read_table(path, label, name)
    except read_errors() as exc:
        return None, [
            Problem.whole_file(
                "error",
                "register_unreadable",
                label,
                f"cannot read as {path.suffix.lstrip('.').upper()}: {first_line(exc)}",
            )
        ]
    if raw is None:
        return None, problems
    frame, found = parse_register_rows(name, raw, label)
    problems += found
    if any(p.severity == "error" for p in problems):
        return None, problems
    if name == "homes":  # a check the declaration cannot make: the postcode directory's
        problems += council_problems(frame, label, ROW)
    return (frame if keep_rows else frame.drop(ROW, strict=False)), problems


def load_registers(
    folder: Path, profile: LAProfile | None = None
) -> tuple[dict[str, pl.DataFrame], list[Problem]]:
    """Read every register file in ``folder`` (CSV or XLSX); unknown files are warned about.
    With the council's ``profile``, its under-18 populations are checked against the population
    register's (:func:`population_problems`).

    Returns typed frames (only for registers without errors) and every problem found.
    """
    frames, problems, read = _read_folder(folder)
    if profile is not None:
        found = read.get("population")
        label = _label(folder, found) if found else "registers/population.csv"
        problems += population_problems(
            frames.get("population"), label, profile.population_under_18
        )
    return frames, problems


def _read_folder(
    folder: Path,
) -> tuple[dict[str, pl.DataFrame], list[Problem], dict[str, Path]]:
    """:func:`load_registers` without the profile's checks, and each register's file read."""
    frames: dict[str, pl.DataFrame] = {}
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    if not folder.is_dir():
        if folder.exists() or folder.is_symlink():
            problems.append(
                Problem.whole_file(
                    "error",
                    "register_unreadable",
                    folder.name,
                    "not a folder, so no register can be read: registers are the files "
                    "directly in the registers/ folder (e.g. registers/costs.csv)",
                )
            )
        return frames, problems, seen
    entries = sorted(p for p in folder.iterdir() if not p.name.startswith((".", "~$")))
    files = [p for p in entries if p.is_file()]
    for path in entries:
        if not path.is_file() and _register_name(path):
            problems.append(
                Problem.whole_file(
                    "error",
                    "register_unreadable",
                    _label(folder, path),
                    f"not a file (a folder, or a link to nothing), so the {_register_name(path)} "
                    "register cannot be read: put the register's file here",
                )
            )
        elif not path.is_file():
            problems.append(
                Problem.whole_file(
                    "warning",
                    "register_unknown_entry",
                    _label(folder, path),
                    "not a register file (a folder?): its contents are not read; registers are "
                    "the files directly in registers/ (e.g. registers/costs.csv)",
                )
            )
    for path in files:
        if path.suffix.lower() not in SUFFIXES:
            problems.append(
                Problem.whole_file(
                    "warning",
                    "register_unknown",
                    _label(folder, path),
                    _not_a_register(path),
                )
            )
    for path in (p for p in files if p.suffix.lower() in SUFFIXES):
        label = _label(folder, path)
        name = _stem(path)
        if name not in REGISTERS:
            problems.append(
                Problem.whole_file(
                    "warning",
                    "register_unknown",
                    label,
                    f"unknown register '{path.stem}'; expected one of {', '.join(REGISTERS)}; "
                    "ignored",
                )
            )
            continue
        if name in seen:
            problems.append(
                Problem.whole_file(
                    "error",
                    "register_duplicate_file",
                    label,
                    f"register '{name}' is given twice ({seen[name].name} and {path.name}); "
                    "keep one",
                )
            )
            frames.pop(name, None)
            continue
        seen[name] = path
        if name != path.stem.lower():
            problems.append(
                Problem.whole_file(
                    "warning",
                    "register_copy_name",
                    label,
                    f"read as the {name} register: '{path.stem}' is its name with what a "
                    f"browser or Windows adds to a second download or a copy; rename it "
                    f"{name}{path.suffix.lower()}",
                )
            )
        frame, found = load_register(path, label, name)
        problems += found
        if frame is not None:
            frames[name] = frame
            if frame.height == 0:
                problems.append(_no_rows(name, label))
    return frames, problems, seen


def _no_rows(name: str, label: str) -> Problem:
    """The warning for a register file with its header line but no rows: read as the council
    having none (unlike a blank or absent file, not supplied), an export that lost its rows
    would make every count from it 0 without a word."""
    return Problem.whole_file(
        "warning",
        "register_no_rows",
        label,
        f"the file has its header line but no rows: read as the council having none, so every "
        f"count from the {name} register is 0 (a blank or absent file is read as not supplied). "
        "If the council has any, the file has lost its rows: export it again",
    )


#: Larger files are never blank: only a short file is read to see whether it holds anything.
_BLANK_MAX = 4096


def _blank_file(path: Path) -> bool:
    """Whether the file holds no text at all (see ``load_register``)."""
    size = path.stat().st_size
    if size > _BLANK_MAX:
        return False
    return size == 0 or not path.read_bytes().removeprefix(b"\xef\xbb\xbf").strip()
