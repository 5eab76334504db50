"""The cs-demand-model sample returns (data no one here wrote) load with warnings only.

Its folders are named by the year the return STARTS (2017 = 2017-18), so the test lays them out
as DATA/ssda903/2018..2022. Counts are checked against an independent count made with the
plain ``csv`` module.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from ingest_data import LA_TOML

from sufficiency.ingest import load_data

REPO = Path(__file__).resolve().parents[2]


def _sample_zip() -> Path | None:
    found = sorted(
        (REPO / ".peer-venvs" / "demand").glob(
            "lib/python*/site-packages/cs_demand_model_samples/v1.zip"
        )
    )
    return found[0] if found else None


SAMPLE = _sample_zip()
pytestmark = [pytest.mark.peer]


@pytest.fixture(scope="module")
def sample_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert SAMPLE is not None, "the peer venv .peer-venvs/demand is missing: run `make peers`"
    root = tmp_path_factory.mktemp("sample") / "DATA"
    (root / "ssda903").mkdir(parents=True)
    (root / "la.toml").write_text(LA_TOML)
    with zipfile.ZipFile(SAMPLE) as zf:
        for name in zf.namelist():
            if name.endswith("/"):
                continue
            start, file = name.split("/")
            target = root / "ssda903" / str(int(start) + 1) / file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zf.read(name))
    return root


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if any(v.strip() for v in r.values())]


def test_sample_loads_with_warnings_only(sample_data: Path) -> None:
    result = load_data(sample_data)
    errors = [p for p in result.problems if p.severity == "error"]
    assert errors == []
    assert result.ok and result.dataset is not None
    assert result.problems, "the sample has known defects that should be reported as warnings"
    codes = {p.code for p in result.problems}
    assert "blank_optional_table" in codes  # ad1.csv and placed_for_adoption.csv hold one newline
    assert "duplicate_episode_across_returns" in codes


def test_sample_counts_match_an_independent_count(sample_data: Path) -> None:
    result = load_data(sample_data)
    all_children: set[str] = set()
    all_episodes: set[tuple[str, str]] = set()
    expected_returns = []
    for year in range(2018, 2023):
        folder = sample_data / "ssda903" / str(year)
        header = _rows(folder / "header.csv")
        episodes = _rows(folder / "episodes.csv")
        children = {r["CHILD"] for r in header}
        expected_returns.append((year, len(children), len(episodes)))
        all_children |= children
        all_episodes |= {(r["CHILD"], r["DECOM"]) for r in episodes}
    assert [(r.year, r.children, r.episodes) for r in result.returns] == expected_returns
    assert result.children == len(all_children)
    assert result.episodes == len(all_episodes)
    assert result.dataset is not None
    assert result.dataset.returns == (2018, 2019, 2020, 2021, 2022)


def test_sample_under_the_peers_own_folder_names_loads_with_warnings_only(
    sample_data: Path, tmp_path: Path
) -> None:
    # The zip's folders are named by the year each return STARTS (2017 = 2017-18). Ingest sees
    # from the dates that each is the next year's return, reads it so, and warns.
    root = tmp_path / "DATA"
    (root / "ssda903").mkdir(parents=True)
    (root / "la.toml").write_text(LA_TOML)
    for year in range(2018, 2023):
        src = sample_data / "ssda903" / str(year)
        dst = root / "ssda903" / str(year - 1)
        dst.mkdir()
        for f in src.iterdir():
            (dst / f.name).write_bytes(f.read_bytes())
    result = load_data(root)
    assert [p for p in result.problems if p.severity == "error"] == []
    mismatch = [p for p in result.problems if p.code == "folder_year_mismatch"]
    assert [p.file for p in mismatch] == [f"ssda903/{y}" for y in range(2017, 2022)]
    assert "read as the 2017-18 return (2018)" in mismatch[0].message
    assert result.dataset is not None
    assert result.dataset.returns == (2018, 2019, 2020, 2021, 2022)
    renamed = load_data(sample_data)
    assert renamed.dataset is not None
    assert result.dataset.episodes.equals(renamed.dataset.episodes)
    assert result.dataset.children.equals(renamed.dataset.children)


def test_sample_episode_file_counts_csv_module_agrees_with_polars(sample_data: Path) -> None:
    # Guard against a silent mis-parse: per-file row counts from csv.reader on raw bytes.
    path = sample_data / "ssda903" / "2018" / "episodes.csv"
    rows = list(csv.reader(io.StringIO(path.read_text())))
    result = load_data(sample_data)
    assert result.returns[0].episodes == len(rows) - 1


def test_peer_zip_extracted_as_it_is_loads_with_warnings_only(tmp_path: Path) -> None:
    # The zip unpacked unchanged (year folders at the top, named by start year) plus la.toml.
    assert SAMPLE is not None, "the peer venv .peer-venvs/demand is missing: run `make peers`"
    root = tmp_path / "DATA"
    with zipfile.ZipFile(SAMPLE) as zf:
        zf.extractall(root)
    (root / "la.toml").write_text(LA_TOML)
    result = load_data(root)
    assert [p for p in result.problems if p.severity == "error"] == []
    codes = {p.code for p in result.problems}
    assert {"returns_outside_ssda903", "folder_year_mismatch"} <= codes
    assert [(r.year, r.children, r.episodes) for r in result.returns] == [
        (2018, 819, 1460),
        (2019, 572, 974),
        (2020, 362, 648),
        (2021, 226, 402),
        (2022, 144, 253),
    ]
    assert (result.children, result.episodes) == (820, 2827)


def test_sample_names_the_children_the_merge_policy_moves(sample_data: Path) -> None:
    # Each return decides its own year: children open at the end of one return and absent from
    # the next leave on the 1 April after it; children a later return places in an earlier year
    # that return lacks are not counted there. Both are named, per return, with their ids.
    result = load_data(sample_data)

    def named(code: str) -> list[tuple[str, int]]:
        found = [p for p in result.problems if p.code == code]
        assert all(p.severity == "warning" and p.value for p in found)
        return [(p.file, len((p.value or "").split(", "))) for p in found]

    assert named("absent_from_next_return") == [
        ("ssda903/2018/episodes.csv", 84),
        ("ssda903/2019/episodes.csv", 39),
        ("ssda903/2020/episodes.csv", 25),
        ("ssda903/2021/episodes.csv", 21),
    ]
    assert named("missing_from_earlier_return") == [
        ("ssda903/2018/episodes.csv", 115),
        ("ssda903/2019/episodes.csv", 105),
        ("ssda903/2020/episodes.csv", 52),
        ("ssda903/2021/episodes.csv", 34),
    ]
    vanished = next(p for p in result.problems if p.code == "absent_from_next_return")
    assert vanished.message.startswith(
        "84 children looked after at the end of the 2017-18 return are not in the next loaded "
        "return (2018-19)"
    )
