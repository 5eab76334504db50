"""Three small synthetic neighbouring councils (Herefordshire, Shropshire, Worcestershire
geographies), their shares (with what their own outputs publish, as `sufficiency region share`
writes them) and a REGION.toml: made once per test session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sufficiency.dataset import Dataset

AT = dt.date(2025, 3, 31)
CODES = ("E06000019", "E06000051", "E10000034")
SECRETS = {code: f"key-of-{code}".encode() for code in CODES}


@dataclass(frozen=True)
class Region:
    folders: dict[str, Path]
    originals: dict[str, Dataset]
    shares: dict[str, Path]
    toml: Path


@pytest.fixture(scope="session")
def region(tmp_path_factory: pytest.TempPathFactory) -> Region:
    from sufficiency.ingest import load_data
    from sufficiency.region.share import write_share
    from sufficiency.report.protected_date import publication
    from sufficiency.synth import generate, write_data_folder

    base = tmp_path_factory.mktemp("region")
    folders, originals, shares = {}, {}, {}
    for seed, code in enumerate(CODES, start=1):
        folder = base / code
        write_data_folder(
            generate(seed=seed, children=120, years=[2024, 2025], la_code=code), folder
        )
        loaded = load_data(folder)
        assert loaded.dataset is not None
        folders[code], originals[code] = folder, loaded.dataset
        shares[code] = base / "shares" / f"{code}.zip"
        published = publication(loaded.dataset)
        write_share(loaded.dataset, SECRETS[code], shares[code], published=published)
    toml = base / "region.toml"
    members = "\n".join(
        f'[[members]]\ncode = "{c}"\nshare = "shares/{c}.zip"\npool = ["in_house_carer"]\n'
        for c in CODES
    )
    toml.write_text(
        'name = "Test region"\n\n[block_contract]\nplacement_type = "external_residential"\n'
        f"places = 3\n\n{members}",
        encoding="utf-8",
    )
    return Region(folders, originals, shares, toml)


@pytest.fixture(scope="session")
def unsuppressed(region: Region) -> dict[str, Any]:
    """The regional run without suppression or forecast (the truth tests compare with)."""
    from sufficiency.region.analysis import analyse
    from sufficiency.region.config import load_region
    from sufficiency.region.load import load_members

    return analyse(
        load_members(load_region(region.toml)), AT, suppress=False, forecast=False
    ).to_json()
