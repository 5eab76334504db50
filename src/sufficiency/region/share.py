"""A council's share: what leaves the council for its region (issue 21), written and read.

A share is one zip file::

    manifest.json          council, returns' years, schema version, what was minimised, checksums
    la.toml                the council's identity (code, name, region, neighbours, population)
    returns/children.csv   the Dataset's canonical frames (ISO dates), minimised
    returns/episodes.csv   ... uasc.csv, history.csv, cuts.csv, tables/<name>.csv
    registers/<name>.csv   the registers, minimised, written by the register codec
    published.json         what the council's own outputs publish at each 31 March (figures by
                           reference, null where hidden; measures withheld): no child's data

``write_share`` minimises a Dataset (``region.minimise``) and writes the zip whole or not at all.
``read_share`` refuses a share that carries a direct identifier (``region.identifiers``), whose
files do not match the manifest or whose registers do not load, naming file, row and column;
otherwise it rebuilds the same Dataset the council shared (``Dataset.from_frames``), so every
measure and forecast runs on it as on a council's own data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import polars as pl

from sufficiency.dataset import (
    CHILDREN_SCHEMA,
    CUTS_SCHEMA,
    EPISODES_SCHEMA,
    OTHER_TABLE_DATE_COLUMNS,
    UASC_SCHEMA,
    Dataset,
)
from sufficiency.ingest.problems import Problem
from sufficiency.region.identifiers import find_identifiers
from sufficiency.region.minimise import MINIMISED, minimise
from sufficiency.region.shared import Publication, SharedDataset, geography_of, with_geography

#: The share format's version; a reader refuses versions it does not know.
SCHEMA_VERSION = 1
MANIFEST = "manifest.json"
PUBLISHED = "published.json"
#: The canonical frames of a share and their schemas (``tables/<name>.csv`` have their own).
FRAMES: dict[str, dict[str, Any]] = {
    "children": CHILDREN_SCHEMA,
    "episodes": EPISODES_SCHEMA,
    "uasc": UASC_SCHEMA,
    "history": EPISODES_SCHEMA,
    "cuts": CUTS_SCHEMA,
}


@dataclass(frozen=True)
class Manifest:
    """What a share says about itself."""

    council: str
    name: str
    returns: tuple[int, ...]
    created: str
    minimised: tuple[str, ...] = MINIMISED
    schema_version: int = SCHEMA_VERSION
    files: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "council": self.council,
            "name": self.name,
            "returns": list(self.returns),
            "created": self.created,
            "minimised": list(self.minimised),
            "files": dict(sorted(self.files.items())),
        }


class ShareError(ValueError):
    """A share that cannot be imported; ``problems`` names every reason."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        first = problems[0] if problems else None
        where = "" if first is None else f" ({first.file}:{first.row or ''}:{first.column or ''})"
        super().__init__(f"{source}: {len(problems)} problem(s) refuse the share{where}")


def _csv(frame: pl.DataFrame) -> bytes:
    """A table of the share as CSV, its text cells safe to open in a spreadsheet."""
    from sufficiency.cells import safe_frame

    return safe_frame(frame).write_csv(null_value="").encode("utf-8")


def share_files(
    ds: Dataset, secret: bytes, published: Mapping[dt.date, Publication] | None = None
) -> dict[str, bytes]:
    """Every file of the share of ``ds`` (minimised under ``secret``), by path, but the manifest;
    with ``published``, what the council's own outputs publish (``report.protected_date``)."""
    from sufficiency.ingest.registers.codec import csv_text
    from sufficiency.region.minimise import pseudonym_expr

    shared = minimise(ds, secret)
    files: dict[str, bytes] = {"la.toml": shared.profile.to_toml().encode("utf-8")}
    geography = geography_of(ds).with_columns(pseudonym_expr("CHILD", secret))
    files["returns/geography.csv"] = _csv(geography)
    frames: dict[str, pl.DataFrame | None] = {
        "children": shared.children,
        "episodes": shared.episodes,
        "uasc": shared.uasc,
        "history": shared.history,
        "cuts": shared.cuts,
    }
    for name, frame in frames.items():
        if frame is not None:
            files[f"returns/{name}.csv"] = _csv(frame)
    for name, frame in shared.tables.items():
        files[f"returns/tables/{name}.csv"] = _csv(frame)
    for name, frame in shared.registers.items():
        files[f"registers/{name}.csv"] = csv_text(name, frame).encode("utf-8")
    if published:
        files[PUBLISHED] = json.dumps(
            {
                at.isoformat(): {"figures": dict(p.figures), "withheld": sorted(p.withheld)}
                for at, p in sorted(published.items())
            },
            sort_keys=True,
        ).encode("utf-8")
    return files


def write_share(
    ds: Dataset,
    secret: bytes,
    out: Path,
    today: dt.date | None = None,
    published: Mapping[dt.date, Publication] | None = None,
) -> Manifest:
    """Write the share of ``ds`` to ``out`` (a zip), whole or not at all; return its manifest."""
    files = share_files(ds, secret, published)
    manifest = Manifest(
        council=ds.profile.code,
        name=ds.profile.name,
        returns=ds.returns,
        created=(today or dt.date.today()).isoformat(),
        files={p: hashlib.sha256(b).hexdigest() for p, b in files.items()},
    )
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}-", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(MANIFEST, json.dumps(manifest.to_json(), indent=2))
            for path, data in sorted(files.items()):
                zf.writestr(path, data)
        tmp.replace(out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return manifest


def _problem(file: str, code: str, message: str) -> Problem:
    return Problem.whole_file("error", code, file, message)


def _read_manifest(label: str, members: dict[str, bytes]) -> tuple[dict[str, Any], list[Problem]]:
    if MANIFEST not in members:
        return {}, [
            _problem(
                f"{label}:{MANIFEST}",
                "share_no_manifest",
                "no manifest.json: not a share made by `sufficiency region share`",
            )
        ]
    try:
        doc = json.loads(members[MANIFEST])
    except ValueError as exc:
        return {}, [_problem(f"{label}:{MANIFEST}", "share_bad_manifest", f"not JSON: {exc}")]
    if not isinstance(doc, dict) or doc.get("schema_version") != SCHEMA_VERSION:
        version = doc.get("schema_version") if isinstance(doc, dict) else None
        return {}, [
            _problem(
                f"{label}:{MANIFEST}",
                "share_version",
                f"schema_version {version!r}: expected {SCHEMA_VERSION}",
            )
        ]
    problems = []
    listed = doc.get("files") or {}
    for path, data in members.items():
        if path == MANIFEST:
            continue
        if path not in listed:
            problems.append(
                _problem(
                    f"{label}:{path}",
                    "share_unlisted",
                    "a file the manifest does not list: remove it",
                )
            )
        elif hashlib.sha256(data).hexdigest() != listed[path]:
            problems.append(
                _problem(
                    f"{label}:{path}",
                    "share_changed",
                    "the file differs from the manifest's checksum",
                )
            )
    for path in listed:
        if path not in members:
            problems.append(
                _problem(
                    f"{label}:{path}",
                    "share_missing",
                    "listed in the manifest but not in the share",
                )
            )
    return doc, problems


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        out = {}
        for info in zf.infolist():
            name = PurePosixPath(info.filename)
            if info.is_dir():
                continue
            if name.is_absolute() or ".." in name.parts:
                raise zipfile.BadZipFile(f"unsafe member name {info.filename!r}")
            out[str(name)] = zf.read(info)
        return out


def _text_frame(name: str, data: bytes) -> pl.DataFrame:
    """A CSV member as text; a return's table with its cells' guards taken off (``_csv``; the
    registers' are the registers' own, ``csv_text``)."""
    from sufficiency.cells import unsafe_frame

    frame = pl.read_csv(io.BytesIO(data), infer_schema=False)
    return unsafe_frame(frame) if name.startswith("returns/") else frame


def read_share(path: Path) -> SharedDataset:
    """The Dataset a share holds, or ShareError naming every problem (identifiers first)."""
    label = Path(path).name
    try:
        members = _members(Path(path))
    except (OSError, zipfile.BadZipFile) as exc:
        raise ShareError(
            label, [_problem(label, "share_unreadable", f"not a zip file: {exc}")]
        ) from None
    doc, problems = _read_manifest(label, members)
    texts: dict[str, pl.DataFrame] = {}
    for name, data in sorted(members.items()):
        if not name.endswith(".csv"):
            continue
        try:
            texts[name] = _text_frame(name, data)
        except pl.exceptions.PolarsError as exc:
            problems.append(_problem(f"{label}:{name}", "share_unreadable", str(exc)))
            continue
        problems += [
            Problem(p.severity, p.code, f"{label}:{p.file}", p.row, p.column, p.value, p.message)
            for p in find_identifiers(name, texts[name])
        ]
    published, published_problems = _publication(label, members.get(PUBLISHED))
    problems += published_problems
    if problems:
        raise ShareError(label, problems)
    return _dataset(label, members, texts, doc, published)


def _publication(
    label: str, data: bytes | None
) -> tuple[dict[dt.date, Publication], list[Problem]]:
    """``published.json`` read (none in the share: nothing known of the council's outputs)."""
    if data is None:
        return {}, []
    where = f"{label}:{PUBLISHED}"
    expected = (
        'expected {"YYYY-MM-DD": {"figures": {reference: number or null}, "withheld": [measure]}}'
    )
    try:
        doc = json.loads(data)
    except ValueError as exc:
        return {}, [_problem(where, "share_published", f"not JSON ({exc}): {expected}")]
    out: dict[dt.date, Publication] = {}
    for key, entry in doc.items() if isinstance(doc, dict) else [(None, None)]:
        try:
            at = dt.date.fromisoformat(str(key))
        except ValueError:
            at = None
        figures = entry.get("figures") if isinstance(entry, dict) else None
        withheld = entry.get("withheld", []) if isinstance(entry, dict) else None
        valid = (
            at is not None
            and isinstance(figures, dict)
            and all(
                v is None or (isinstance(v, int | float) and not isinstance(v, bool))
                for v in figures.values()
            )
            and isinstance(withheld, list)
            and all(isinstance(w, str) for w in withheld)
        )
        if not valid or at is None or figures is None or withheld is None:
            return {}, [_problem(where, "share_published", f"{key!r} is not valid: {expected}")]
        out[at] = Publication(
            {str(k): None if v is None else float(v) for k, v in figures.items()},
            frozenset(withheld),
        )
    return out, []


def _dataset(
    label: str,
    members: dict[str, bytes],
    texts: dict[str, pl.DataFrame],
    doc: dict[str, Any],
    published: Mapping[dt.date, Publication],
) -> SharedDataset:
    from sufficiency.ingest.profile_file import load_profile
    from sufficiency.ingest.registers import load_registers

    with tempfile.TemporaryDirectory(prefix="share-") as tmp:
        root = Path(tmp)
        (root / "registers").mkdir()
        (root / "la.toml").write_bytes(members.get("la.toml", b""))
        for name, data in members.items():
            if name.startswith("registers/"):
                (root / name).write_bytes(data)
        profile, profile_problems = load_profile(root / "la.toml")
        registers, register_problems = load_registers(root / "registers", profile)
    problems = [
        Problem(p.severity, p.code, f"{label}:{p.file}", p.row, p.column, p.value, p.message)
        for p in [*profile_problems, *register_problems]
        if p.severity == "error"
    ]
    if profile is None or problems:
        raise ShareError(
            label, problems or [_problem(f"{label}:la.toml", "share_profile", "no council profile")]
        )
    if doc.get("council") != profile.code:
        raise ShareError(
            label,
            [
                _problem(
                    f"{label}:{MANIFEST}",
                    "share_council",
                    f"council {doc.get('council')!r} in the manifest but "
                    f"{profile.code!r} in la.toml",
                )
            ],
        )
    frames = {n: texts.get(f"returns/{n}.csv") for n in FRAMES}
    tables = {
        p.removeprefix("returns/tables/").removesuffix(".csv"): _dated(
            f,
            OTHER_TABLE_DATE_COLUMNS.get(
                p.removeprefix("returns/tables/").removesuffix(".csv"), ()
            ),
        )
        for p, f in texts.items()
        if p.startswith("returns/tables/")
    }
    dataset = Dataset.from_frames(
        profile,
        children=frames["children"],
        episodes=frames["episodes"],
        uasc=frames["uasc"],
        tables=tables,
        registers=registers,
        returns=tuple(int(y) for y in doc.get("returns", ())),
        history=frames["history"],
        cuts=frames["cuts"],
    )
    return with_geography(dataset, texts.get("returns/geography.csv"), published)


def _dated(frame: pl.DataFrame, columns: tuple[str, ...]) -> pl.DataFrame:
    return frame.with_columns(
        pl.col(c).str.to_date(strict=False) for c in columns if c in frame.columns
    )
