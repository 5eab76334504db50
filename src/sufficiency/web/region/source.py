"""The region the deployment names (``settings.SUFFICIENCY_REGION``): its version and its member
councils, loaded once per version in each process, or why it cannot be used."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from sufficiency.region.config import RegionConfig, RegionError, load_region
from sufficiency.region.load import MemberError, Region, load_members
from sufficiency.region.share import ShareError
from sufficiency.report.protected_date import publication

#: What the pages say when no region is set (the deployment setting and how to set it).
NOT_CONFIGURED = (
    "No region is set up for this workspace. An administrator sets the environment variable "
    "SUFFICIENCY_REGION to the path of a REGION.toml file (the member councils and their shares) "
    "and restarts the workspace: see 'The regional view in the workspace' in docs/regional.md."
)


class RegionUnavailable(Exception):
    """The region cannot be shown; the message says why and is shown as it is."""

    def __init__(self, message: str, configured: bool) -> None:
        self.configured = configured
        super().__init__(message)


@dataclass(frozen=True)
class Loaded:
    """A loaded region and the version of the files it was loaded from."""

    version: str
    region: Region


_lock = threading.Lock()
_loaded: dict[str, Loaded] = {}


def region_path() -> Path | None:
    """The REGION.toml the deployment names, or None when it names none."""
    value = str(getattr(settings, "SUFFICIENCY_REGION", "") or "").strip()
    return Path(value) if value else None


def _stamp(path: Path | None) -> str:
    """Size and modification time of a file, or the newest of a folder's files."""
    if path is None or not path.exists():
        return "missing"
    if path.is_file():
        st = path.stat()
        return f"{st.st_size}:{st.st_mtime_ns}"
    times = [p.stat().st_mtime_ns for p in path.rglob("*") if p.is_file()]
    return f"{len(times)}:{max(times, default=0)}"


def version_of(path: Path, config: RegionConfig) -> str:
    """A digest that changes when REGION.toml or any member's share or data folder does."""
    digest = hashlib.sha256(str(path.resolve()).encode())
    digest.update(path.read_bytes())
    for m in config.members:
        digest.update(f"{m.code}={_stamp(m.share or m.data)};".encode())
    return digest.hexdigest()[:32]


def _problems(exc: ShareError | MemberError) -> str:
    return "; ".join(p.message for p in exc.problems[:5]) or str(exc)


def load() -> Loaded:
    """The configured region (loaded once per version in this process), or RegionUnavailable."""
    path = region_path()
    if path is None:
        raise RegionUnavailable(NOT_CONFIGURED, configured=False)
    try:
        config = load_region(path)
        version = version_of(path, config)
    except RegionError as exc:
        raise RegionUnavailable(f"The region file cannot be used: {exc}", True) from None
    except OSError as exc:
        raise RegionUnavailable(f"The region file cannot be read: {path}: {exc}", True) from None
    with _lock:
        found = _loaded.get(str(path))
    if found is not None and found.version == version:
        return found
    try:
        loaded = Loaded(version, load_members(config, publication))
    except ShareError as exc:
        raise RegionUnavailable(f"A member's share is refused: {_problems(exc)}", True) from None
    except MemberError as exc:
        raise RegionUnavailable(
            f"Member {exc.code} cannot be loaded: {_problems(exc)}", True
        ) from None
    except OSError as exc:
        raise RegionUnavailable(f"A member's files cannot be read: {exc}", True) from None
    with _lock:
        _loaded[str(path)] = loaded
    return loaded
