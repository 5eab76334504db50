"""Installs the web front end from the npm registry at set-up (never copied into the repo):
govuk-frontend 5.x (what crispy-forms-gds supports) and plotly.js's strict bundle (no eval)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "static_vendor"
PACKAGES = ("govuk-frontend@5", "plotly.js-strict-dist-min@3")


class FrontendError(RuntimeError):
    """npm is missing or the install failed."""


def ensure_frontend(work: Path | None = None) -> Path:
    """Install the front-end files into ``static_vendor`` once; returns that folder."""
    stamp = VENDOR / ".installed"
    if stamp.exists():
        return VENDOR
    npm = shutil.which("npm")
    if npm is None:
        raise FrontendError(
            "npm is needed once to install govuk-frontend and plotly.js (apt-get install npm)"
        )
    work = work or Path.home() / ".cache" / "sufficiency-frontend"
    work.mkdir(parents=True, exist_ok=True)
    pkg = work / "package.json"
    if not pkg.exists():
        pkg.write_text(json.dumps({"name": "sufficiency-frontend", "private": True}))
    proc = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--silent", *PACKAGES],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise FrontendError(f"npm install failed: {proc.stderr.strip()[-500:]}")
    modules = work / "node_modules"
    tmp = VENDOR.with_name("static_vendor.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "govuk").mkdir(parents=True)
    (tmp / "plotly").mkdir(parents=True)
    gov = modules / "govuk-frontend" / "dist" / "govuk"
    for name in ("govuk-frontend.min.css", "govuk-frontend.min.js"):
        shutil.copy2(gov / name, tmp / "govuk" / name)
    shutil.copytree(gov / "assets", tmp / "govuk" / "assets")
    shutil.copy2(
        modules / "plotly.js-strict-dist-min" / "plotly-strict.min.js",
        tmp / "plotly" / "plotly-strict.min.js",
    )
    (tmp / ".installed").write_text("\n".join(PACKAGES))
    shutil.rmtree(VENDOR, ignore_errors=True)
    tmp.rename(VENDOR)
    return VENDOR


if __name__ == "__main__":
    try:
        print(ensure_frontend())
    except FrontendError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
