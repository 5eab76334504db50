"""Writing a statement's files: a write leaves no file of an earlier write it did not render
beside its own (a ``--no-pdf`` statement removes the last one's PDF), and a failed write
leaves the folder as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from sufficiency.dataset import Dataset
from sufficiency.report.build import build_statement
from sufficiency.report.model import StatementData
from sufficiency.report.output import write_statement

OLD_PDF = b"%PDF-1.7 last run's statement"


@pytest.fixture(scope="module")
def statement(council: Dataset) -> StatementData:
    return build_statement(council, 2024, "internal")


def _with_old_pdf(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    (out / "statement.pdf").write_bytes(OLD_PDF)
    return out


def test_a_statement_without_its_pdf_removes_an_earlier_pdf(
    statement: StatementData, tmp_path: Path
) -> None:
    out = _with_old_pdf(tmp_path)
    written = write_statement(statement, out, pdf=False)
    names = ["statement.html", "statement.xlsx", "statement.json"]
    assert written == [out / n for n in names]
    assert sorted(p.name for p in out.iterdir()) == sorted(names)


def test_a_failed_write_leaves_the_earlier_pdf(
    statement: StatementData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sufficiency.report.render as render

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(render, "render_xlsx", boom)
    out = _with_old_pdf(tmp_path)
    with pytest.raises(OSError, match="disk full"):
        write_statement(statement, out, pdf=False)
    assert [p.name for p in out.iterdir()] == ["statement.pdf"]
    assert (out / "statement.pdf").read_bytes() == OLD_PDF


def test_the_webs_folder_of_one_data_version_keeps_its_pdf(
    statement: StatementData, tmp_path: Path
) -> None:
    """Two jobs of the web write one data version's folder (its PDF and its other files): the
    one without the PDF leaves the other's."""
    out = _with_old_pdf(tmp_path)
    write_statement(statement, out, pdf=False, remove_stale=False)
    assert (out / "statement.pdf").read_bytes() == OLD_PDF
    assert len(list(out.iterdir())) == 4
