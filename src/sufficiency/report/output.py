"""Write a statement's four files atomically: render into a temp dir, then move into place."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from sufficiency.report.model import StatementData

FILES = ("statement.html", "statement.pdf", "statement.xlsx", "statement.json")


def write_statement(
    data: StatementData,
    out: Path,
    *,
    pdf: bool = True,
    progress: Callable[[str], None] | None = None,
    check: Callable[[StatementData], None] | None = None,
    remove_stale: bool = True,
) -> list[Path]:
    """Render HTML, PDF, XLSX and JSON into ``out``; nothing is half-written on failure, and
    nothing at all when a publish-mode statement still has a required placeholder
    (``report.placeholders.check_complete`` raises ``PlaceholdersRemain``) or fails the
    disclosure audit (``report.protect.check_statement`` raises ``DisclosureError``).

    ``check`` replaces that audit for a statement built by another disclosure step (the
    regional statement's, ``report.regional``). Every file is rendered into a temporary
    folder inside ``out`` first; only when all succeed
    are they moved into place (each move is an atomic rename on the same file system), and
    (``remove_stale``) a statement file of an earlier write that this one does not render (the
    PDF, when ``pdf`` is False) is removed first, so that ``out`` never holds one beside files it
    does not match. The web's folder of one data version keeps it: a PDF there is the same
    data's, written by another job at the same time.
    """
    from sufficiency.report.placeholders import check_complete
    from sufficiency.report.protect import check_statement
    from sufficiency.report.render import render_html, render_json, render_pdf, render_xlsx

    check_complete(data)  # publish mode: every required section is filled, or nothing is written
    (check or check_statement)(data)  # publish mode: the audit passes, or nothing is written
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tick = progress or (lambda _step: None)
    tmp = Path(tempfile.mkdtemp(prefix=".statement-", dir=out))
    try:
        tick("html")
        html_text = render_html(data)
        (tmp / "statement.html").write_text(html_text, encoding="utf-8")
        tick("json")
        (tmp / "statement.json").write_text(render_json(data), encoding="utf-8")
        tick("xlsx")
        render_xlsx(data, tmp / "statement.xlsx")
        if pdf:
            tick("pdf")
            render_pdf(html_text, tmp / "statement.pdf")
        rendered = [name for name in FILES if (tmp / name).exists()]
        for name in FILES:  # an earlier write's file not rendered now (its PDF) would be stale
            if remove_stale and name not in rendered:
                (out / name).unlink(missing_ok=True)
        written = []
        for name in rendered:
            dest = out / name
            (tmp / name).replace(dest)
            written.append(dest)
        return written
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
