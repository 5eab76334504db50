"""Files in the data folder that are not read are named, never dropped without a word."""

from __future__ import annotations

from pathlib import Path

from sufficiency.ingest import load_data


def test_narrative_files_that_are_not_markdown_are_named(good_data: Path) -> None:
    folder = good_data / "narrative"
    folder.mkdir()
    (folder / "foreword.md").write_text("# Foreword\nOur children.\n")
    (folder / "Progress.MD").write_text("We opened a home.\n")  # Windows' capitals: read
    (folder / "sign_off.txt").write_text("Approved by the lead member.\n")
    (folder / "drafts").mkdir()
    (folder / ".DS_Store").write_bytes(b"\x00")
    result = load_data(good_data)
    assert result.dataset is not None
    assert dict(result.dataset.narrative) == {
        "Progress": "We opened a home.\n",
        "foreword": "# Foreword\nOur children.\n",
    }
    assert [(p.severity, p.code, p.file) for p in result.problems] == [
        ("warning", "narrative_unknown_file", "narrative/drafts"),
        ("warning", "narrative_unknown_file", "narrative/sign_off.txt"),
    ]


def test_narrative_saved_as_windows_text_is_read(good_data: Path) -> None:
    """Word's "plain text" is Windows-1252: its pound signs and curly quotes were refused
    (narrative_unreadable) and the council's prose left out of the statement."""
    folder = good_data / "narrative"
    folder.mkdir()
    (folder / "placements.md").write_bytes(
        "We spend \u00a31m a year \u2019locally\u2019.\n".encode("cp1252")
    )
    (folder / "progress.md").write_bytes("Progress \u00e9t\u00e9.\n".encode("utf-16"))
    result = load_data(good_data)
    assert result.dataset is not None and result.problems == []
    assert dict(result.dataset.narrative) == {
        "placements": "We spend \u00a31m a year \u2019locally\u2019.\n",
        "progress": "Progress \u00e9t\u00e9.\n",
    }
