"""The bridge between the database and the library.

Files are the interchange format: an upload is written to a temporary DATA folder and read by
the same ``load_data`` the CLI uses; the database is rebuilt into a DATA folder to build the
Dataset, so the web shows exactly the numbers the CLI and the statement show.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from sufficiency.dataset import Dataset
from sufficiency.ingest import LoadResult, load_data
from sufficiency.ingest.loader import ReturnsMemo
from sufficiency.web import data_version, revision_sql
from sufficiency.web.data import narrative
from sufficiency.web.data.models import (
    Child,
    CouncilProfile,
    Episode,
    ExtraTableRow,
    ReturnYear,
    Uasc,
)
from sufficiency.web.registers import store as register_store

CORE_TABLES: dict[str, Any] = {"header": Child, "episodes": Episode, "uasc": Uasc}
DATE_FMT = "%d/%m/%Y"
_cache_lock = threading.Lock()
_cache: dict[str, Any] = {}
_files_lock = threading.Lock()
_files: dict[tuple[Any, ...], dict[str, bytes]] = {}
#: The returns read for the last Dataset built (a register edit builds one with the same returns)
_returns_read = ReturnsMemo()


def profile_toml() -> str:
    row = CouncilProfile.objects.order_by("-updated_at").first()
    if row is None:
        raise RuntimeError(
            "No council profile loaded: import a data folder or run `sufficiency serve --demo`."
        )
    return str(row.toml)


def _sex_for_year(value: str | None, year: int) -> str:
    """Canonical M/F/U back to the coding of the return year (1/2 before 2024-25)."""
    if not value:
        return ""
    if year < 2025:
        return {"M": "1", "F": "2"}.get(value, value)
    return value


def _fmt(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.strftime(DATE_FMT)
    return str(value)


def write_return(folder: Path, year: ReturnYear) -> None:
    """Write one loaded return as ``folder/ssda903/<year>/*.csv`` (the files it was loaded from,
    as the library read them)."""
    out = folder / "ssda903" / str(year.year)
    out.mkdir(parents=True, exist_ok=True)
    for name, data in _return_files(year).items():
        (out / name).write_bytes(data)


def _return_files(year: ReturnYear) -> dict[str, bytes]:
    """The files of one loaded return by name, made once a process for each return row: a
    return is stored once and replaced whole (a new row), so its row's files never change and a
    register edit does not read every episode from the database again."""
    key = (year.pk, year.year, year.uploaded_at, year.children, year.episodes)
    with _files_lock:
        if key in _files:
            return _files[key]
    files = _render_return(year)
    with _files_lock:
        for old in [k for k in _files if k[0] == year.pk or k[1] == year.year]:
            del _files[old]  # the return it replaced (one set of files a year is kept)
        _files[key] = files
    return files


def _render_return(year: ReturnYear) -> dict[str, bytes]:
    """One loaded return's tables written as CSV files, from its rows in the database."""
    files: dict[str, bytes] = {}
    for table, model in CORE_TABLES.items():
        rows = model.objects.filter(return_year=year).order_by("pk")
        if not rows.exists():
            continue
        cols = [f.name for f in model._meta.concrete_fields if f.name not in ("id", "return_year")]
        data: dict[str, list[str]] = {c.upper(): [] for c in cols}
        for r in rows.values(*cols):
            for c in cols:
                v = r[c]
                if c == "sex":
                    v = _sex_for_year(v, year.year)
                data[c.upper()].append(_fmt(v))
        frame = pl.DataFrame(data, schema={k: pl.Utf8 for k in data})
        files[f"{table}.csv"] = frame.write_csv().encode()
    extras: dict[str, list[dict[str, Any]]] = {}
    for row in ExtraTableRow.objects.filter(return_year=year).order_by("pk"):
        # the Dataset's own return_year column is not a column of the file
        data = {k: v for k, v in row.data.items() if k != "return_year"}
        extras.setdefault(row.table, []).append(data)
    for table, items in extras.items():
        frame = pl.DataFrame(items, infer_schema_length=None).cast(pl.Utf8)
        files[f"{table}.csv"] = frame.write_csv().encode()
    return files


def export_data_folder(dest: Path) -> Path:
    """Write the database as a DATA folder (la.toml, ssda903/<year>/*.csv, registers/*.csv,
    narrative/*.md)."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "la.toml").write_text(profile_toml(), encoding="utf-8")
    for year in ReturnYear.objects.all():
        write_return(dest, year)
    register_store.write_registers(dest / "registers")
    from sufficiency.web.matching.feed import add_home_finding

    add_home_finding(dest / "registers")  # referrals, allocations and outcomes made on the web
    narrative.write_narrative(dest / narrative.FOLDER)
    return dest


def revision() -> str:
    """Changes whenever returns, registers or the narrative change (cache key for the Dataset)."""
    memo = data_version.request_memo()
    if memo is not None and "value" in memo:
        return memo["value"]
    value = data_version.remembered(_revision)
    if memo is not None:
        memo["value"] = value
    return value


def _revision() -> str:
    from sufficiency.web.matching import feed

    parts = revision_sql.values(
        [
            (ReturnYear, "COUNT(*)"),
            (ReturnYear, "MAX({uploaded_at})"),
            (CouncilProfile, "COUNT(*)"),
            (CouncilProfile, "MAX({updated_at})"),
            *register_store.revision_aggregates(),
            *feed.revision_aggregates(),
        ]
    )
    parts.append(narrative.revision_part())
    return "|".join(parts)


def current_dataset() -> LoadResult:
    """The Dataset of everything in the database, rebuilt through the file loader once per data
    version: kept in this process's memory, and in the cache every server process shares
    (``page_cache.shared``), so another worker reads it instead of rebuilding it."""
    key = revision()
    with _cache_lock:
        if _cache.get("key") == key:
            return _cache["result"]  # type: ignore[no-any-return]
        from sufficiency.web import page_cache

        result = page_cache.shared(("dataset",), _load_database)
        _cache.update(key=key, result=result)
        return result


def _load_database() -> LoadResult:
    """The database exported as a DATA folder and read back by the CLI's loader."""
    with tempfile.TemporaryDirectory(prefix="sufficiency-web-") as tmp:
        return load_data(export_data_folder(Path(tmp) / "DATA"), memo=_returns_read)


def dataset_or_none() -> Dataset | None:
    try:
        return current_dataset().dataset
    except RuntimeError:
        return None


def _date(v: object) -> dt.date | None:
    return v if isinstance(v, dt.date) else None


def _cell(field: Any) -> Callable[[object], object]:
    """How a frame's cell becomes the value of model field ``field`` (dates, small integers,
    else text with blank for null)."""
    kind = field.get_internal_type()
    if kind == "DateField":
        return _date
    if kind == "SmallIntegerField":
        return lambda v: None if v is None else int(v)  # type: ignore[call-overload]
    return lambda v: "" if v is None else str(v)


def _rows_for(model: type[Any], frame: pl.DataFrame, year: ReturnYear) -> list[Any]:
    """The frame's rows as unsaved ``model`` rows of return ``year`` (a column the frame lacks
    is stored as a null cell: blank text, no date, no number)."""
    fields = [f for f in model._meta.concrete_fields if f.name not in ("id", "return_year")]
    cells = [
        (f.name, _cell(f), frame.columns.index(f.name.upper()))
        for f in fields
        if f.name.upper() in frame.columns
    ]
    absent = {f.name: _cell(f)(None) for f in fields if f.name.upper() not in frame.columns}
    return [
        model(return_year=year, **absent, **{name: cell(row[i]) for name, cell, i in cells})
        for row in frame.iter_rows()
    ]


def store_return(year: int, ds: Dataset, warnings: int, user: Any = None) -> ReturnYear:
    """Write the rows of one return's Dataset (loaded alone and checked by the caller, see
    ``web.data.returns``) as return ``year``; call inside the caller's transaction."""
    ry: ReturnYear = ReturnYear.objects.create(
        year=year,
        uploaded_by=user if getattr(user, "pk", None) else None,
        children=ds.children.height,
        episodes=ds.episodes.height,
        warnings=warnings,
    )
    Child.objects.bulk_create(_rows_for(Child, ds.children, ry), batch_size=2000)
    Episode.objects.bulk_create(_rows_for(Episode, ds.episodes, ry), batch_size=2000)
    Uasc.objects.bulk_create(_rows_for(Uasc, ds.uasc, ry), batch_size=2000)
    extras = []
    for table, frame in ds.tables.items():
        for rec in frame.iter_rows(named=True):
            extras.append(
                ExtraTableRow(
                    return_year=ry,
                    table=table,
                    data={k: _fmt(v) for k, v in rec.items() if k != "return_year"},
                )
            )
    ExtraTableRow.objects.bulk_create(extras, batch_size=2000)
    return ry


def import_registers(folder: Path) -> None:
    """Replace the registers given as files in ``folder``, all or none (``registers.store``)."""
    register_store.import_registers(folder)


def import_data_folder(path: Path, user: Any = None) -> list[LoadResult]:
    """Load a whole DATA folder (profile, every return, registers) in one transaction, or nothing
    when the library finds errors (``web.data.returns.import_folder``)."""
    from sufficiency.web.data.returns import import_folder

    return import_folder(path, user)
