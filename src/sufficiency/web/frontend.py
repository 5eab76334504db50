"""Installs the web front end from the npm registry at set-up (never copied into the repo):
govuk-frontend 5.x (what crispy-forms-gds supports) and plotly.js's basic bundle.

The basic bundle holds the traces the app draws (bar and scatter; pie besides) and no trace that
builds functions from strings (the WebGL ones), so it runs under a CSP without unsafe-eval as the
strict bundle does, in 1.1 MB instead of 5.2 MB: a browser compiles it on every page with charts.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "static_vendor"
#: plotly.js's file, as the package ships it and the pages load it.
PLOTLY = "plotly-basic.min.js"
PACKAGES = ("govuk-frontend@5", "plotly.js-basic-dist-min@3", "htmx.org@2")


class FrontendError(RuntimeError):
    """npm is missing or the install failed."""


_RULES = re.compile(r"""\{("X,X div":.*?)\};for\(""", re.S)
_PAIR = re.compile(
    r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*:\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
)


def plotly_css(bundle: str) -> str:
    """plotly.js's own global style rules, taken from its bundle, as a stylesheet.

    plotly.js normally injects these with a <style> element, which a strict CSP (no
    'unsafe-inline' styles) blocks; it skips the injection when the page already has an element
    ``#plotly.js-style-global.no-inline-styles`` (the <link> in base.html).
    """
    found = _RULES.search(bundle)
    if found is None:
        raise FrontendError("could not find plotly.js's style rules in its bundle")
    rules = []
    for key, value in _PAIR.findall(found.group(1)):
        selector = (
            key[1:-1].replace("X", ".js-plotly-plot .plotly").replace("Y", ".plotly-notifier")
        )
        selector = " ," + selector[1:] if selector.startswith(",") else selector
        rules.append(f"{selector}{{{value[1:-1]}}}")
    return "\n".join(rules) + "\n"


_INJECTED = re.compile(
    r"""document\.getElementById\("([0-9a-f]{32,64})"\)\)\{var (\w+)=document\.createElement\("style"\);"""
    r"""\2\.id="\1",\2\.textContent=`([^`]*)`"""
)


def injected_stylesheets(bundle: str) -> list[tuple[str, str]]:
    """Stylesheets the bundle would inject as <style id=ID> unless an element with that id exists
    (maplibre's): (id, css) pairs, served as files and linked with that id instead."""
    return [(m.group(1), m.group(3)) for m in _INJECTED.finditer(bundle)]


def _write_plotly_css(folder: Path) -> None:
    js = (folder / "plotly" / PLOTLY).read_text(encoding="utf-8")
    (folder / "plotly" / "plotly.css").write_text(plotly_css(js), encoding="utf-8")
    ids = []
    for ident, css in injected_stylesheets(js):
        (folder / "plotly" / f"{ident}.css").write_text(css, encoding="utf-8")
        ids.append(ident)
    (folder / "plotly" / "injected.txt").write_text("\n".join(ids), encoding="utf-8")


def plotly_stylesheets() -> list[dict[str, str]]:
    """<link> attributes for the pages with charts: plotly's rules and its would-be-injected sheets."""
    links = [{"id": "plotly.js-style-global", "href": "plotly/plotly.css"}]
    listed = VENDOR / "plotly" / "injected.txt"
    if listed.exists():
        links += [{"id": i, "href": f"plotly/{i}.css"} for i in listed.read_text().split() if i]
    return links


def ensure_frontend(work: Path | None = None) -> Path:
    """Install the front-end files into ``static_vendor`` once; returns that folder."""
    stamp = VENDOR / ".installed"
    if stamp.exists() and stamp.read_text().split() == list(PACKAGES):
        if not (VENDOR / "plotly" / "injected.txt").exists():
            _write_plotly_css(VENDOR)
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
    (tmp / "htmx").mkdir(parents=True)
    shutil.copy2(modules / "htmx.org" / "dist" / "htmx.min.js", tmp / "htmx" / "htmx.min.js")
    gov = modules / "govuk-frontend" / "dist" / "govuk"
    for name in ("govuk-frontend.min.css", "govuk-frontend.min.js"):
        shutil.copy2(gov / name, tmp / "govuk" / name)
    shutil.copytree(gov / "assets", tmp / "govuk" / "assets")
    shutil.copy2(
        modules / "plotly.js-basic-dist-min" / PLOTLY,
        tmp / "plotly" / PLOTLY,
    )
    _write_plotly_css(tmp)
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
