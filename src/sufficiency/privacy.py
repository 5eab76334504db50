"""Pseudonymisation of child ids leaving the council's analysts (DESIGN.md).

Child ids become HMAC-SHA256(id) under a per-council secret taken from ``SUFFICIENCY_SECRET`` or
a key file outside the data folder (``SUFFICIENCY_SECRET_FILE``) -- never a plain hash.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path


class SecretMissing(RuntimeError):
    """No pseudonymisation secret is configured."""


def load_secret(data_dir: Path | None = None) -> bytes:
    """The council's secret; refuses a key file inside the data folder."""
    value = os.environ.get("SUFFICIENCY_SECRET")
    if value:
        return value.encode("utf-8")
    path_s = os.environ.get("SUFFICIENCY_SECRET_FILE")
    if path_s:
        path = Path(path_s).resolve()
        if data_dir is not None and path.is_relative_to(Path(data_dir).resolve()):
            raise SecretMissing(f"{path}: the key file must live outside the data folder")
        return path.read_bytes().strip()
    raise SecretMissing(
        "set SUFFICIENCY_SECRET (or SUFFICIENCY_SECRET_FILE pointing outside the data folder) "
        "to pseudonymise child ids"
    )


def pseudonymise(child_id: str, secret: bytes) -> str:
    """HMAC-SHA256 hex digest of one child id."""
    return hmac.new(secret, child_id.encode("utf-8"), hashlib.sha256).hexdigest()
