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
