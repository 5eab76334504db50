"""Referral files: one referral as JSON, or a batch as CSV (one referral a row), read into
Referrals with errors that name the file, row and field (the match command and any upload)."""

from __future__ import annotations

import json
from pathlib import Path

from sufficiency.ingest.problems import Problem
from sufficiency.matching.referral import Referral, ReferralError, parse_referral, referral_from_row
from sufficiency.strict_load import DuplicateKeyError, load_json


def read_referral_file(path: Path) -> Referral:
    """A referral JSON file -> Referral; raise ValueError with a message naming file and field."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"{path}: referral file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot read the referral: {exc}") from None
    try:
        data = load_json(text, str(path))
    except DuplicateKeyError as exc:
        raise ValueError(str(exc)) from None
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    try:
        return parse_referral(data, str(path))
    except ReferralError as exc:
        raise ValueError(str(exc)) from None


def read_referrals_csv(path: Path) -> list[Referral]:
    """A referrals CSV or XLSX (one referral a row) -> Referrals (:func:`read_referrals`, its
    warnings left out)."""
    return read_referrals(path)[0]


def read_referrals(path: Path) -> tuple[list[Referral], list[Problem]]:
    """A referrals file read as ``validate`` reads ``registers/referrals.csv`` (the register
    reader: separators, encodings, blank and totals rows, values written as words), so both
    accept and refuse the same files with the same messages; then each row as a Referral.
    Returns the referrals and the reader's warnings; raises ValueError naming the file, row and
    field of every error (at most :data:`ERRORS_SHOWN`)."""
    from sufficiency.ingest.registers import text_frame
    from sufficiency.ingest.registers.load import load_register
    from sufficiency.ingest.registers.validate import ROW

    if not path.is_file():
        raise ValueError(f"{path}: referrals file not found")
    frame, problems = load_register(path, str(path), "referrals", keep_rows=True)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        shown = [_problem_text(p) for p in errors[:ERRORS_SHOWN]]
        if len(errors) > ERRORS_SHOWN:
            shown.append(f"... and {len(errors) - ERRORS_SHOWN} more (sufficiency validate)")
        raise ValueError("\n".join(shown))
    if frame is None:  # a blank file
        raise ValueError(f"{path}: the file is blank: no referrals to allocate")
    rows = frame.get_column(ROW).to_list()
    text = text_frame("referrals", frame.drop(ROW))
    refs: list[Referral] = []
    for line, row in zip(rows, text.iter_rows(named=True), strict=True):
        try:
            refs.append(referral_from_row(row, str(path), line))
        except ReferralError as exc:
            raise ValueError(str(exc)) from None
    return refs, [p for p in problems if p.severity == "warning"]


#: The most errors a refused referrals file names (``validate`` lists them all).
ERRORS_SHOWN = 10


def _problem_text(problem: Problem) -> str:
    """One error of the register reader as a line: file, row, code and message."""
    where = problem.file + (f" row {problem.row}" if problem.row is not None else "")
    return f"{where}: {problem.code}: {problem.message}"
