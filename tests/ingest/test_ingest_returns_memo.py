"""``ReturnsMemo``: returns read once while their files stay the same, read again when a byte
changes, and a load through it the same as a load without it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal

from sufficiency.ingest import LoadResult, load_data
from sufficiency.ingest import loader as loader_module
from sufficiency.ingest.loader import ReturnsMemo


def _same(got: LoadResult, want: LoadResult) -> None:
    assert [p.to_json() for p in got.problems] == [p.to_json() for p in want.problems]
    assert got.dataset is not None and want.dataset is not None
    assert_frame_equal(got.dataset.children, want.dataset.children)
    assert_frame_equal(got.dataset.episodes, want.dataset.episodes)
    assert_frame_equal(got.dataset.history, want.dataset.history)
    assert set(got.dataset.tables) == set(want.dataset.tables)
    for name, frame in want.dataset.tables.items():
        assert_frame_equal(got.dataset.tables[name], frame)
    assert got.dataset.registers.keys() == want.dataset.registers.keys()
    assert (got.children, got.episodes, got.returns) == (want.children, want.episodes, want.returns)


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic council of three returns (with the merge's warnings)."""
    from sufficiency.synth import generate, write_data_folder

    out = tmp_path_factory.mktemp("memo") / "council"
    write_data_folder(generate(seed=5, children=80, years=[2024, 2025, 2026]), out)
    return out


@pytest.fixture
def data(council: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(council, tmp_path / "D"))


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The data folders whose returns were read from their files, in order."""
    calls: list[Path] = []
    real = loader_module._load_returns

    def counted(root: Path, problems: list[loader_module.Problem]) -> list[loader_module._Return]:
        calls.append(root)
        return real(root, problems)

    monkeypatch.setattr(loader_module, "_load_returns", counted)
    return calls


def test_a_load_through_the_memo_is_a_load_without_it_again_and_again(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = load_data(data)
    reads = _reads(monkeypatch)
    memo = ReturnsMemo()
    for _ in range(3):  # the second and third take the kept returns (and leave them whole)
        _same(load_data(data, memo=memo), plain)
    assert len(reads) == 1


def test_a_register_edit_keeps_the_returns_and_shows_the_edit(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memo = ReturnsMemo()
    before = load_data(data, memo=memo)
    reads = _reads(monkeypatch)
    carers = data / "registers" / "carers.csv"
    lines = carers.read_text().splitlines(keepends=True)
    carers.write_text("".join(lines[:-1]))  # one household fewer
    after = load_data(data, memo=memo)
    assert reads == []
    assert before.dataset is not None and after.dataset is not None
    assert after.dataset.registers["carers"].height == before.dataset.registers["carers"].height - 1
    assert_frame_equal(after.dataset.episodes, before.dataset.episodes)


def test_a_changed_byte_in_a_return_is_read_again(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memo = ReturnsMemo()
    load_data(data, memo=memo)
    reads = _reads(monkeypatch)
    latest = max((data / "ssda903").iterdir())
    episodes = latest / "episodes.csv"
    text = episodes.read_text()
    header, first, *rest = text.splitlines(keepends=True)
    child = first.split(",", 1)[0]
    episodes.write_text(header + first.replace(child, "", 1) + "".join(rest))  # CHILD blanked
    broken = load_data(data, memo=memo)
    assert len(reads) == 1 and broken.dataset is None
    assert [(p.code, p.file, p.row) for p in broken.problems if p.severity == "error"] == [
        ("missing_child_id", f"ssda903/{latest.name}/episodes.csv", 2)
    ]
    episodes.write_text(text)
    _same(load_data(data, memo=memo), load_data(data))
    assert len(reads) == 3  # read again (and once more by the load without the memo)


def test_a_new_file_or_folder_in_the_returns_is_read_again(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memo = ReturnsMemo()
    load_data(data, memo=memo)
    reads = _reads(monkeypatch)
    (data / "ssda903" / "2026 copy").mkdir()
    shutil.copy(max((data / "ssda903").glob("20??")) / "header.csv", data / "ssda903" / "2026 copy")
    result = load_data(data, memo=memo)
    assert len(reads) == 1
    assert ("error", "return_folder_name") in {(p.severity, p.code) for p in result.problems}
