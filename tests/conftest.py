"""Fixtures shared by every test folder."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The disk cache (the postcode directory as Parquet) in this run's temporary folder, shared
    by the xdist workers of one run, never the user's own cache (``geo.cache``)."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SUFFICIENCY_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture
def directory_reads(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The letters of each read of the postcode directory's files from now on in this test
    (``geo.directory._load_letters``), in order."""
    from sufficiency.geo import directory

    reads: list[list[str]] = []
    real = directory._load_letters
    monkeypatch.setattr(
        directory,
        "_load_letters",
        lambda letters, where=None: reads.append(letters) or real(letters, where),
    )
    return reads


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The council `make demo` makes (seed 2026, Herefordshire geography), synthesised once per
    test worker: tests never depend on a `demo/` folder a clean clone does not have."""
    from sufficiency.synth import generate, write_data_folder

    out = tmp_path_factory.mktemp("demo-council") / "demo"
    write_data_folder(generate(seed=2026), out)
    return out


#: The longest test files (each file's total in a `make test` run's JUnit report), run first: with
#: ``--dist loadfile --no-loadscope-reorder`` (the Makefile) xdist hands out whole files in
#: collection order, so these start at once and the short ones fill in around them, instead of a
#: long file running alone at the end. (xdist's default reorders files by their number of tests,
#: which put these few-test, long files last.)
LONGEST_FIRST = (
    "test_web_browser_roles.py",
    "test_web_browser.py",
    "test_disclosure_acceptance.py",
    "test_web_matching.py",
    "test_synth_dfe_rules.py",
    "test_web_browser_registers.py",
    "test_web_narrative.py",
    "test_web_uploads.py",
    "test_forecast_calibration.py",
    "test_web_pages.py",
    "test_ingest_property.py",
    "test_web_disclosure.py",
    "test_web_region_outlook.py",
    "test_web_rendered.py",
    "test_report_statement.py",
    "test_region.py",
    "test_web_downloads.py",
    "test_statement_accessibility.py",
    "test_cli_statement.py",
    "test_web_region.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files of ``LONGEST_FIRST`` first, in that order; every other file after them, as
    collected (the order within a file never changes)."""
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


@pytest.fixture
def zip_bomb() -> Callable[[bytes, int], bytes]:
    """A workbook padded to unzip far larger (``zip_bomb(workbook, extra_bytes)``)."""
    return _bomb


def _bomb(workbook: bytes, extra: int) -> bytes:
    """``workbook`` with one more member of ``extra`` zero bytes: a few hundred kilobytes
    zipped (a zip bomb's shape: 5.9 MB held 1.5 GB and kept a web worker busy for minutes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        padding = zipfile.ZipInfo("xl/media/padding.bin")
        padding.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(padding, "w", force_zip64=True) as fh:
            block = bytes(1024 * 1024)
            for _ in range(extra // len(block)):
                fh.write(block)
            fh.write(bytes(extra % len(block)))
    return out.getvalue()
