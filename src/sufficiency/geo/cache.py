"""A disk cache of frames that are slow to derive and never change for given inputs (Parquet).

The postcode directory ships as brotli+msgpack files that take ~1 s to decode; the same rows read
from Parquet take a tenth of that. Each cached frame is named and keyed: the key is a digest of
everything the frame was built from (our version, a format number, the source files' paths,
sizes and modification times), so a new package or a changed file builds a new entry and the
old one is removed. Files are written to a temporary name in the same folder and renamed into
place, so a reader never sees half a file and two processes racing both succeed. When the cache
folder cannot be written (read-only home, full disk) the frame is built in memory as before.

The folder: ``SUFFICIENCY_CACHE_DIR`` if set (tests point it at a temporary folder), else the
user cache folder (``platformdirs`` when installed, else ``$XDG_CACHE_HOME`` or ``~/.cache``),
``sufficiency`` inside it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import polars as pl

from sufficiency import __version__

ENV_VAR = "SUFFICIENCY_CACHE_DIR"
#: How cache files are written, part of every key: a new layout builds new entries. Parquet
#: without compression: the files are larger (the postcode directory ~60 MB, not ~17 MB) but
#: read about four times faster, and reading them is what every process pays.
FORMAT = "parquet-uncompressed-1"

_log = logging.getLogger(__name__)


def cache_root() -> Path:
    """The cache folder (not created here): ``SUFFICIENCY_CACHE_DIR``, else the user's."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    try:
        import platformdirs
    except ImportError:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = Path(xdg) if xdg else Path.home() / ".cache"
        return base / "sufficiency"
    return Path(platformdirs.user_cache_dir("sufficiency", appauthor=False))


def source_key(paths: Iterable[Path], *parts: str) -> str:
    """A digest of our version, ``parts`` and each file's absolute path, size and mtime.

    A stat, not a content hash: it costs microseconds on every run, and reinstalling or
    editing a source file (data or the code that derives the frame) changes its mtime.
    """
    digest = hashlib.sha256(f"{__version__}\0{FORMAT}".encode())
    for part in parts:
        digest.update(b"\0" + part.encode())
    for path in paths:
        stat = path.stat()
        digest.update(f"\0{path.absolute()}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:20]


def cached_frame(
    folder: str,
    name: str,
    key: str,
    build: Callable[[], pl.DataFrame],
    schema: Mapping[str, pl.DataType],
) -> pl.DataFrame:
    """The frame ``build()`` returns, read from ``<cache>/<folder>/<name>-<key>.parquet`` when
    present with ``schema`` (else built, then written there atomically; other keys of ``name``
    removed)."""
    try:
        directory = cache_root() / folder
    except RuntimeError as exc:  # no home folder to find (a service account): no cache
        _log.info("no cache folder (%s); working without it", exc)
        return build()
    path = directory / f"{name}-{key}.parquet"
    if path.is_file():
        try:
            frame = pl.read_parquet(path)
        except (OSError, pl.exceptions.PolarsError) as exc:  # damaged outside our control
            _log.info("rebuilding unreadable cache file %s: %s", path, exc)
        else:
            if frame.schema == pl.Schema(schema):
                return frame
            _log.info("rebuilding cache file %s: unexpected columns", path)
    frame = build()
    try:
        _write_atomically(frame, path)
    except (OSError, pl.exceptions.PolarsError) as exc:
        _log.info("cache folder %s not writable (%s); working without it", directory, exc)
        return frame
    _remove_other_keys(directory, name, keep=path)
    return frame


def cached_frames(
    folder: str,
    entries: Sequence[tuple[str, str, Callable[[], pl.DataFrame]]],
    schema: Mapping[str, pl.DataType],
    where: pl.Expr | None = None,
) -> list[pl.DataFrame]:
    """``cached_frame`` of each (name, key, build) of ``entries``, in order: the files already
    in the cache read together (one Polars pass over them, in parallel), the others built and
    written (or read again one by one, when one of the files could not be read). With
    ``where``, only the rows it keeps (a cached file is read for those rows alone)."""
    try:
        directory = cache_root() / folder
    except RuntimeError:
        directory = None
    paths = [None if directory is None else directory / f"{n}-{k}.parquet" for n, k, _ in entries]
    present = [(i, path) for i, path in enumerate(paths) if path is not None and path.is_file()]
    found: dict[int, pl.DataFrame] = {}
    if len(present) > 1 or (present and where is not None):
        scans = [pl.scan_parquet(path) for _, path in present]
        try:
            frames = pl.collect_all(scans if where is None else [s.filter(where) for s in scans])
        except (OSError, pl.exceptions.PolarsError):
            frames = []  # each is read (or rebuilt) on its own below
        expected = pl.Schema(schema)
        found = {i: f for (i, _), f in zip(present, frames, strict=False) if f.schema == expected}
    out = []
    for i, (name, key, build) in enumerate(entries):
        if i in found:
            out.append(found[i])
            continue
        frame = cached_frame(folder, name, key, build, schema)
        out.append(frame if where is None else frame.filter(where))
    return out


def _write_atomically(frame: pl.DataFrame, path: Path) -> None:
    """Write Parquet to a temporary file beside ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            frame.write_parquet(handle, compression="uncompressed")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _remove_other_keys(directory: Path, name: str, keep: Path) -> None:
    """Delete entries of ``name`` under other keys (best effort: another process may hold one)."""
    for old in directory.glob(f"{name}-*.parquet"):
        if old != keep:
            with contextlib.suppress(OSError):
                old.unlink()
