"""The bulk msgpack decoder reads a postcode file exactly as the msgpack package does."""

from __future__ import annotations

import brotli

from sufficiency.geo import postcode_data_dir
from sufficiency.geo.msgpack_reader import read_letter_fast, read_letter_generic


def test_fast_reader_equals_plain_msgpack() -> None:
    buf = brotli.decompress((postcode_data_dir() / "postcodes_H.msgpack.br").read_bytes())
    fast = read_letter_fast(buf)
    plain = read_letter_generic(buf)
    assert fast.keys() == plain.keys()
    for name, series in fast.items():
        assert series.equals(plain[name].cast(series.dtype), null_equal=True), name
