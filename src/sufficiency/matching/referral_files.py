"""Referral files: one referral as JSON, or a batch as CSV (one referral a row), read into
Referrals with errors that name the file, row and field (the match command and any upload)."""

from __future__ import annotations

import json
from pathlib import Path

from sufficiency.matching.referral import Referral, ReferralError, parse_referral, referral_from_row


def read_referral_file(path: Path) -> Referral:
    """A referral JSON file -> Referral; raise ValueError with a message naming file and field."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"{path}: referral file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot read the referral: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    try:
        return parse_referral(data, str(path))
    except ReferralError as exc:
        raise ValueError(str(exc)) from None


def read_referrals_csv(path: Path) -> list[Referral]:
    """A referrals CSV (one referral a row) -> Referrals; errors name file, row and field."""
    import polars as pl

    if not path.is_file():
        raise ValueError(f"{path}: referrals file not found")
    try:
        frame = pl.read_csv(path, infer_schema_length=0, encoding="utf8-lossy")
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise ValueError(f"{path}: cannot read as CSV: {exc}") from None
    cols = {c.strip().lower() for c in frame.columns}
    if not cols & {"id", "referral_id"}:
        raise ValueError(f"{path}: missing column id (the referral id)")
    refs: list[Referral] = []
    seen: dict[str, int] = {}
    for k, row in enumerate(frame.iter_rows(named=True)):
        line = k + 2  # spreadsheet row: header is row 1
        try:
            ref = referral_from_row(row, str(path), line)
        except ReferralError as exc:
            raise ValueError(str(exc)) from None
        if ref.id in seen:
            raise ValueError(
                f"{path} row {line}: id: referral {ref.id!r} repeats row {seen[ref.id]}"
            )
        seen[ref.id] = line
        refs.append(ref)
    return refs
