"""The bridge between the database and the library.

Files are the interchange format: an upload is written to a temporary DATA folder and read by
the same ``load_data`` the CLI uses; the database is rebuilt into a DATA folder to build the
Dataset, so the web shows exactly the numbers the CLI and the statement show.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl
from django.db import transaction

from sufficiency.dataset import Dataset
from sufficiency.ingest import LoadResult, load_data
from sufficiency.web.data.models import (
    Child,
    CouncilProfile,
    Episode,
    ExtraTableRow,
    ReturnYear,
    Uasc,
)
from sufficiency.web.registers.models import EDITABLE_REGISTERS, RegisterRow

CORE_TABLES: dict[str, Any] = {"header": Child, "episodes": Episode, "uasc": Uasc}
DATE_FMT = "%d/%m/%Y"
_cache_lock = threading.Lock()
_cache: dict[str, Any] = {}


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


def register_kinds(register: str) -> dict[str, str]:
    """Column -> kind (text, int, date, month, bool, list, ...) of a library register schema."""
    from sufficiency.ingest.registers import REGISTERS

    schema = REGISTERS.get(register)
    return {c.name: c.kind for c in schema.columns} if schema else {}


def register_cell(value: object, kind: str = "text") -> str:
    """A parsed register value back to the text its file had (months as yyyy-mm, ISO dates)."""
    if kind == "month" and isinstance(value, dt.date):
        return value.strftime("%Y-%m")
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return fmt_iso(value)


def fmt_iso(value: object) -> str:
    """A register cell as text: ISO dates, yes/no booleans, blanks for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _write_year(folder: Path, year: ReturnYear) -> None:
    out = folder / "ssda903" / str(year.year)
    out.mkdir(parents=True, exist_ok=True)
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
        pl.DataFrame(data, schema={k: pl.Utf8 for k in data}).write_csv(out / f"{table}.csv")
    extras: dict[str, list[dict[str, Any]]] = {}
    for row in ExtraTableRow.objects.filter(return_year=year).order_by("pk"):
        extras.setdefault(row.table, []).append(row.data)
    for table, items in extras.items():
        pl.DataFrame(items, infer_schema_length=None).cast(pl.Utf8).write_csv(out / f"{table}.csv")


def export_data_folder(dest: Path) -> Path:
    """Write the database as a DATA folder (la.toml, ssda903/<year>/*.csv, registers/*.csv)."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "la.toml").write_text(profile_toml(), encoding="utf-8")
    for year in ReturnYear.objects.all():
        _write_year(dest, year)
    reg = dest / "registers"
    reg.mkdir(exist_ok=True)
    for name, model in EDITABLE_REGISTERS.items():
        values = list(model.objects.order_by("pk").values(*model.columns))
        if values:
            kinds = register_kinds(name)
            frame = pl.DataFrame(
                {
                    c: [register_cell(v[c], kinds.get(c, "text")) for v in values]
                    for c in model.columns
                },
                schema={c: pl.Utf8 for c in model.columns},
            )
            frame.write_csv(reg / f"{name}.csv")
    generic: dict[str, list[dict[str, Any]]] = {}
    for row in RegisterRow.objects.order_by("pk"):
        generic.setdefault(row.register, []).append(row.data)
    for name, items in generic.items():
        columns = list(dict.fromkeys(k for item in items for k in item))
        frame = pl.DataFrame(
            {c: [str(item.get(c, "")) for item in items] for c in columns},
            schema={c: pl.Utf8 for c in columns},
        )
        frame.write_csv(reg / f"{name}.csv")
    return dest


def revision() -> str:
    """Changes whenever returns or registers change (cache key for the Dataset)."""
    parts = [
        str(ReturnYear.objects.count()),
        str(max((y.uploaded_at.timestamp() for y in ReturnYear.objects.all()), default=0)),
        str(CouncilProfile.objects.count()),
    ]
    for model in EDITABLE_REGISTERS.values():
        last = model.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
        parts.append(f"{model.objects.count()}:{last.timestamp() if last else 0}")
    parts.append(str(RegisterRow.objects.count()))
    return "|".join(parts)


def current_dataset() -> LoadResult:
    """The Dataset of everything in the database, rebuilt through the file loader (cached)."""
    key = revision()
    with _cache_lock:
        if _cache.get("key") == key:
            return _cache["result"]  # type: ignore[no-any-return]
        with tempfile.TemporaryDirectory(prefix="sufficiency-web-") as tmp:
            result = load_data(export_data_folder(Path(tmp) / "DATA"))
        _cache.update(key=key, result=result)
        return result


def dataset_or_none() -> Dataset | None:
    try:
        return current_dataset().dataset
    except RuntimeError:
        return None


def _date(v: object) -> dt.date | None:
    return v if isinstance(v, dt.date) else None


def _rows_for(model: type[Any], frame: pl.DataFrame, year: ReturnYear) -> list[Any]:
    fields = {f.name: f for f in model._meta.concrete_fields if f.name not in ("id", "return_year")}
    out = []
    for rec in frame.iter_rows(named=True):
        kwargs: dict[str, Any] = {"return_year": year}
        for name, field in fields.items():
            v = rec.get(name.upper())
            if field.get_internal_type() == "DateField":
                kwargs[name] = _date(v)
            elif field.get_internal_type() in ("SmallIntegerField",):
                kwargs[name] = None if v is None else int(v)
            else:
                kwargs[name] = "" if v is None else str(v)
        out.append(model(**kwargs))
    return out


def import_return(year: int, files: Mapping[str, bytes], user: Any = None) -> LoadResult:
    """Validate one year's return files with the library; store them only if there are no errors.

    The import lands whole (one transaction replacing that year) or not at all.
    """
    with tempfile.TemporaryDirectory(prefix="sufficiency-upload-") as tmp:
        root = Path(tmp) / "DATA"
        folder = root / "ssda903" / str(year)
        folder.mkdir(parents=True)
        (root / "la.toml").write_text(profile_toml(), encoding="utf-8")
        for name, content in files.items():
            (folder / Path(name).name).write_bytes(content)
        result = load_data(root)
    ds = result.dataset
    if ds is None or not result.ok:
        return result
    warnings = sum(1 for p in result.problems if p.severity == "warning")
    with transaction.atomic():
        ReturnYear.objects.filter(year=year).delete()
        ry = ReturnYear.objects.create(
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
                        return_year=ry, table=table, data={k: _fmt(v) for k, v in rec.items()}
                    )
                )
        ExtraTableRow.objects.bulk_create(extras, batch_size=2000)
    return result


def import_registers(folder: Path) -> None:
    """Replace the registers with the CSV/XLSX files of ``folder`` (already validated)."""
    from sufficiency.ingest.registers import load_registers

    frames, problems = load_registers(folder)
    if any(p.severity == "error" for p in problems):
        raise ValueError(
            "; ".join(
                f"{p.file} row {p.row} {p.column}: {p.message}"
                for p in problems
                if p.severity == "error"
            )
        )
    with transaction.atomic():
        for name, frame in frames.items():
            model = EDITABLE_REGISTERS.get(name)
            if model is None:
                RegisterRow.objects.filter(register=name).delete()
                kinds = register_kinds(name)
                RegisterRow.objects.bulk_create(
                    [
                        RegisterRow(
                            register=name,
                            data={k: register_cell(v, kinds.get(k, "text")) for k, v in r.items()},
                        )
                        for r in frame.iter_rows(named=True)
                    ]
                )
                continue
            model.objects.all().delete()
            objs = []
            for rec in frame.iter_rows(named=True):
                kwargs = {}
                for col in model.columns:
                    field = model._meta.get_field(col)
                    v = rec.get(col)
                    kwargs[col] = _coerce(field, v)
                objs.append(model(**kwargs))
            model.objects.bulk_create(objs)


def _coerce(field: Any, v: object) -> object:
    kind = field.get_internal_type()
    if v is None or v == "":
        if kind in ("CharField", "TextField"):
            return ""
        if kind == "BooleanField":
            return None if field.null else False
        return field.default if field.has_default() and not callable(field.default) else None
    if kind == "DateField":
        if isinstance(v, dt.date):
            return v
        s = str(v)
        for fmt in ("%Y-%m-%d", DATE_FMT):
            try:
                return dt.datetime.strptime(s, fmt).date()
            except ValueError:
                continue
        return None
    if kind == "BooleanField":
        return str(v).strip().lower() in ("true", "1", "yes", "y")
    if kind in ("PositiveSmallIntegerField", "PositiveIntegerField", "SmallIntegerField"):
        return int(float(str(v)))
    if kind == "FloatField":
        return float(str(v))
    if kind == "DecimalField":
        return str(v)
    if kind in ("CharField", "TextField"):
        if isinstance(v, list):
            return ";".join(str(x) for x in v)
        return str(v)
    return v


def import_data_folder(path: Path, user: Any = None) -> list[LoadResult]:
    """Load a whole DATA folder (profile, every return year, registers) into the database."""
    toml = (path / "la.toml").read_text(encoding="utf-8")
    CouncilProfile.objects.all().delete()
    CouncilProfile.objects.create(toml=toml)
    results = []
    base = path / "ssda903"
    for year_dir in sorted(p for p in base.iterdir() if p.is_dir() and p.name.isdigit()):
        files = {f.name: f.read_bytes() for f in year_dir.iterdir() if f.is_file()}
        results.append(import_return(int(year_dir.name), files, user))
    if (path / "registers").is_dir():
        import_registers(path / "registers")
    return results


def delete_year(year: int) -> int:
    deleted, _ = ReturnYear.objects.filter(year=year).delete()
    return int(deleted)
