"""`sufficiency statement DATA --year YYYY --out DIR`: files, errors, nothing half-written."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sufficiency.cli import app
from sufficiency.ingest import load_data
from sufficiency.measures import compute, results_json

runner = CliRunner()


def test_statement_command_writes_the_files(data_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["statement", str(data_folder), "--year", "2024", "--out", str(out), "--no-pdf"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "statement.html",
        "statement.json",
        "statement.xlsx",
    ]
    ds = load_data(data_folder).dataset
    assert ds is not None
    expected = results_json(compute(ds, dt.date(2024, 3, 31)), suppress=True)["measures"]
    data = json.loads((out / "statement.json").read_text())
    assert data["measures"]["2024"]["measures"]["cla_count"] == expected["cla_count"]
    assert data["measures"]["2024"]["measures"]["uasc_count"] == "c"  # 3 UASC, published
    assert "Written by the council's analysts." in (out / "statement.html").read_text()


def test_internal_mode_shows_the_small_number(data_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "internal"
    result = runner.invoke(
        app,
        [
            "statement",
            str(data_folder),
            "--year",
            "2024",
            "--out",
            str(out),
            "--no-pdf",
            "--mode",
            "internal",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads((out / "statement.json").read_text())
    assert data["mode"] == "internal"
    assert data["measures"]["2024"]["measures"]["uasc_count"] == 3


def test_year_without_a_return_exits_1_and_writes_nothing(
    data_folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "none"
    result = runner.invoke(
        app, ["statement", str(data_folder), "--year", "2030", "--out", str(out), "--no-pdf"]
    )
    assert result.exit_code == 1
    assert "no SSDA903 return for 2030" in result.output
    assert not out.exists() or not any(out.iterdir())


def test_a_figure_that_is_not_a_number_exits_1_and_writes_nothing(
    data_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Was a traceback (a forecast band overflowed to infinity): the JSON refuses it whole."""
    import sufficiency.report.render as render

    monkeypatch.setattr(
        render, "render_json", lambda data: json.dumps({"band": float("inf")}, allow_nan=False)
    )
    out = tmp_path / "nan"
    result = runner.invoke(
        app, ["statement", str(data_folder), "--year", "2024", "--out", str(out), "--no-pdf"]
    )
    assert result.exit_code == 1
    assert (
        "error: the statement holds a figure that is not a number (Out of range float values "
        "are not JSON compliant"
    ) in " ".join(result.output.split())
    assert "no statement written" in result.output and "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


def test_bad_data_exits_1_naming_file_and_row(data_folder: Path, tmp_path: Path) -> None:
    import shutil

    bad = tmp_path / "BAD"
    shutil.copytree(data_folder, bad)
    episodes = bad / "ssda903" / "2024" / "episodes.csv"
    lines = episodes.read_text().splitlines()
    cols = lines[1].split(",")
    cols[1] = "31/02/2024"  # DECOM that is not a date
    lines[1] = ",".join(cols)
    episodes.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["statement", str(bad), "--year", "2024", "--out", str(out), "--no-pdf"]
    )
    assert result.exit_code == 1
    assert "error ssda903/2024/episodes.csv:2:DECOM " in result.stderr
    assert f"1 error(s) in {bad}: no statement written" in result.stderr
    assert not out.exists()


def test_a_failing_renderer_leaves_nothing_half_written(
    data_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sufficiency.report.render as render

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(render, "render_xlsx", boom)
    out = tmp_path / "out"
    out.mkdir()
    (out / "statement.html").write_text("last year's statement")
    result = runner.invoke(
        app,
        ["statement", str(data_folder), "--year", "2024", "--out", str(out), "--no-pdf"],
        env={"COLUMNS": "40"},
    )
    assert result.exit_code == 1
    # one line, however narrow the console: the path is not broken mid-word
    assert f"error: could not write the statement to {out}: disk full" in result.stderr.splitlines()
    # last year's file untouched, nothing new, no temporary folder left behind
    assert [p.name for p in out.iterdir()] == ["statement.html"]
    assert (out / "statement.html").read_text() == "last year's statement"


def test_help_has_an_example() -> None:
    result = runner.invoke(app, ["statement", "--help"])
    assert result.exit_code == 0
    assert "sufficiency statement" in result.output and "--year" in result.output


def test_publish_refused_while_sections_need_data(data_folder: Path, tmp_path: Path) -> None:
    import shutil

    bare = tmp_path / "BARE"
    shutil.copytree(data_folder, bare)
    shutil.rmtree(bare / "registers")
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["statement", str(bare), "--year", "2024", "--out", str(out), "--no-pdf"],
        env={"COLUMNS": "400"},
    )
    assert result.exit_code == 1
    assert "error: the statement cannot be published:" in result.stderr
    assert "Costs: " in result.stderr and "; no statement written" in result.stderr
    assert not out.exists() or not any(out.iterdir())
    internal = runner.invoke(
        app,
        [
            "statement",
            str(bare),
            "--year",
            "2024",
            "--out",
            str(out),
            "--no-pdf",
            "--mode",
            "internal",
        ],
    )
    assert internal.exit_code == 0, internal.output


def test_previous_statement_gives_progress(data_folder: Path, tmp_path: Path) -> None:
    last, out = tmp_path / "2023", tmp_path / "2024"
    args = ["statement", str(data_folder), "--no-pdf", "--year"]
    assert runner.invoke(app, [*args, "2023", "--out", str(last)]).exit_code == 0
    result = runner.invoke(
        app, [*args, "2024", "--out", str(out), "--previous", str(last / "statement.json")]
    )
    assert result.exit_code == 0, result.output
    data = json.loads((out / "statement.json").read_text())
    progress = next(s for s in data["sections"] if s["id"] == "progress")
    headline = progress["blocks"][1]["table"]
    assert headline["columns"][1] == "Last statement (2022-23)"


def test_previous_that_is_not_a_statement_exits_1(data_folder: Path, tmp_path: Path) -> None:
    bad = tmp_path / "notes.json"
    bad.write_text("[1, 2]")
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "statement",
            str(data_folder),
            "--year",
            "2024",
            "--out",
            str(out),
            "--previous",
            str(bad),
        ],
        env={"COLUMNS": "400"},
    )
    assert result.exit_code == 1
    assert "error: --previous " in result.stderr and "notes.json: expected" in result.stderr
    assert "no statement written" in result.stderr and not out.exists()


def test_a_bad_scenario_file_exits_1_naming_it(data_folder: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("name: step_down\nmoves: [{from: ifa, to: nowhere, number: 2}]\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            *("statement", str(data_folder), "--year", "2024", "--out", str(out), "--no-pdf"),
            *("--scenario", str(plan)),
        ],
    )
    assert result.exit_code == 1
    assert "--scenario" in result.output and "plan.yaml" in result.output
    assert "no statement written" in result.output
    assert not out.exists()


def test_a_scenario_puts_its_trajectory_beside_the_baseline(
    data_folder: Path, tmp_path: Path
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "name: step_down\ndescription: Two children move from IFA to our own carers.\n"
        "moves: [{from: ifa, to: in_house_fostering, number: 2, start: 2024-04-01, "
        "end: 2025-03-31}]\ncapacity: [{year: 2025, type: in_house_fostering, places: 2}]\n"
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            *("statement", str(data_folder), "--year", "2024", "--out", str(out), "--no-pdf"),
            *("--mode", "internal", "--scenario", str(plan)),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads((out / "statement.json").read_text())
    (table,) = [
        b["table"]
        for s in data["sections"]
        for b in s["blocks"]
        if (b["table"] or {}).get("id") == "trajectory"
    ]
    headers = [r["header"] for r in table["rows"]]
    assert headers[:2] == ["Children looked after: baseline", "Children looked after: step down"]
    assert set(data["extras"]["scenario_gaps"]) == {"step_down"}
    assert data["extras"]["forecast"]["scenarios"]["step_down"]["yearly"]


def test_a_statement_the_audit_refuses_exits_1_with_the_audit(
    data_folder: Path, tmp_path: Path
) -> None:
    """A small count of children written in the action plan ("3 children brought home"): the
    audit refuses the statement, says where, and what the council can do."""
    council = tmp_path / "council"
    shutil.copytree(data_folder, council)
    actions = council / "registers" / "actions.csv"
    head, first, *rest = actions.read_text().splitlines()
    cells = first.split(",")
    cells[2] = "3 children brought home from external children's homes"
    actions.write_text("\n".join([head, ",".join(cells), *rest]) + "\n")
    out = tmp_path / "out"
    args = ["statement", str(council), "--year", "2024", "--out", str(out), "--no-pdf"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    text = " ".join(result.output.split())
    assert "disclosure audit failed" in text
    assert "'Action plan and targets'" in text and "'3 children'" in text
    assert "no statement written" in text
    assert "Reword the text it names without the count" in text  # what the council can do
    assert "--mode internal writes the officers' copy" in text
    assert not out.exists() or not any(out.iterdir())
    internal = runner.invoke(app, [*args, "--mode", "internal"])  # the analysts' copy is fine
    assert internal.exit_code == 0, internal.output
