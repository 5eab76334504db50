"""`sufficiency validate`: JSON contract, Rich summary, exit codes, --dfe-rules merging."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_data import GOOD_EPISODES, good_files, write_data
from typer.testing import CliRunner

from sufficiency.cli import app
from sufficiency.ingest.problems import Problem

runner = CliRunner()


def test_json_shape_of_a_good_folder(good_data: Path) -> None:
    out = runner.invoke(app, ["validate", str(good_data), "--json"])
    assert out.exit_code == 0, out.output
    payload = json.loads(out.stdout)
    assert payload == {
        "ok": True,
        "children": 3,
        "episodes": 4,
        "returns": [{"year": 2023, "children": 3, "episodes": 4}],
        "problems": [],
    }


def test_errors_exit_1_with_problem_records(tmp_path: Path) -> None:
    episodes = [list(r) for r in GOOD_EPISODES]
    episodes[1][5] = "Q9"
    root = write_data(tmp_path / "D", {2023: good_files(episodes=episodes)})
    out = runner.invoke(app, ["validate", str(root), "--json"])
    assert out.exit_code == 1
    payload = json.loads(out.stdout)
    assert payload["ok"] is False
    assert payload["returns"] == [{"year": 2023, "children": 3, "episodes": 4}]
    (problem,) = payload["problems"]
    assert set(problem) == {"severity", "code", "file", "row", "column", "value", "message"}
    assert (problem["severity"], problem["code"], problem["row"], problem["column"]) == (
        "error",
        "unknown_code",
        3,
        "PLACE",
    )


def test_rich_summary(good_data: Path) -> None:
    files = good_files()
    files["ad1.csv"] = ""
    root = write_data(good_data.parent / "E", {2023: files})
    out = runner.invoke(app, ["validate", str(root)], env={"COLUMNS": "160"})
    assert out.exit_code == 0
    assert "All returns (merged)" in out.stdout
    assert "blank_optional_table" in out.stdout
    assert "OK." in out.stdout


def test_missing_folder_exits_1(tmp_path: Path) -> None:
    out = runner.invoke(app, ["validate", str(tmp_path / "nowhere"), "--json"])
    assert out.exit_code == 1
    assert json.loads(out.stdout)["problems"][0]["code"] == "data_folder_missing"


def test_dfe_rules_are_merged(good_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sufficiency.ingest.dfe_rules as dfe

    calls: list[tuple[Path, list[int] | None, str | None]] = []

    def fake(
        data_dir: Path, years: list[int] | None = None, la_code: str | None = None
    ) -> dfe.DfeRulesResult:
        calls.append((data_dir, years, la_code))
        problem = Problem(
            "error", "dfe_103", "ssda903/2023/header.csv", 2, "ETHNIC", "X", "DfE 103"
        )
        return dfe.DfeRulesResult([problem], [dfe.YearSummary(2023, "lac2022_23", 120, 1, 3)])

    monkeypatch.setattr(dfe, "run_dfe_rules_detailed", fake)
    out = runner.invoke(app, ["validate", str(good_data), "--json", "--dfe-rules"])
    assert out.exit_code == 1
    assert calls == [(good_data, [2023], "E06000019")]
    payload = json.loads(out.stdout)
    assert [p["code"] for p in payload["problems"]] == ["dfe_103"]
    assert payload["dfe_rules"][0]["rules_run"] == 120
    assert payload["dfe_rules"][0]["rules_failed"] == 1


def test_rich_counts_rows_behind_summarised_problems(tmp_path: Path) -> None:
    rows = [[f"K{i}", "10/05/2022", "S", "C2", "N1", "Q9", "PR1", "", "", "", "", "", ""] for i in range(30)]  # fmt: skip
    header = [[f"K{i}", "1", "01/06/2010", "WBRI", "", "", ""] for i in range(30)]
    root = write_data(tmp_path / "D", {2023: good_files(header, rows)})
    out = runner.invoke(app, ["validate", str(root)], env={"COLUMNS": "160"})
    assert out.exit_code == 1
    line = next(x for x in out.stdout.splitlines() if "unknown_code" in x and "│" in x)
    assert line.split("│")[-2].strip() == "30"


def test_a_supported_accommodation_urn_given_twice_exits_1(good_data: Path) -> None:
    """One setting listed twice (6 units, then 8) would count its units twice."""
    registers = good_data / "registers"
    registers.mkdir()
    (registers / "supported_accommodation.csv").write_text(
        "provider,urn,units\nHaven,SC805111,6\nNew Start,,4\nNew Start,,5\nHaven,SC805111,8\n"
    )
    out = runner.invoke(app, ["validate", str(good_data), "--json"])
    assert out.exit_code == 1
    (problem,) = json.loads(out.stdout)["problems"]
    assert problem == {
        "severity": "error",
        "code": "register_duplicate_id",
        "file": "registers/supported_accommodation.csv",
        "row": 5,
        "column": "urn",
        "value": "SC805111",
        "message": "urn 'SC805111' appears more than once (expected one row per urn)",
    }
    shown = runner.invoke(app, ["validate", str(good_data)], env={"COLUMNS": "200"})
    assert shown.exit_code == 1
    assert "urn 'SC805111' appears more than once" in shown.stdout
