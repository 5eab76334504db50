"""A DATA path that is not a folder says what it is: a zip to unzip (before: "no such folder"
for a file that is there), another file, or nothing at all."""

from __future__ import annotations

import zipfile
from pathlib import Path

from sufficiency.ingest import load_data


def test_a_data_path_that_is_not_a_folder_says_what_it_is(tmp_path: Path) -> None:
    archive = tmp_path / "DATA.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("DATA/la.toml", 'name = "T"\n')
    note = tmp_path / "notes.txt"
    note.write_text("hello")
    messages = {
        path.name: [(p.code, p.message) for p in load_data(path).problems]
        for path in (archive, note, tmp_path / "missing")
    }
    tail = ": expected a DATA folder holding la.toml and ssda903/<year>/"
    assert messages == {
        "DATA.zip": [
            (
                "data_folder_missing",
                "a zip file, not a folder: unzip it and give the folder holding la.toml" + tail,
            )
        ],
        "notes.txt": [("data_folder_missing", "a file, not a folder" + tail)],
        "missing": [("data_folder_missing", "no such folder" + tail)],
    }
