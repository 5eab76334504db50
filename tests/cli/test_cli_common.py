"""What every command shares: unbroken messages at any width, one problem-location format when
a DATA folder will not load, an example in every --help, and a light start-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from ingest_data import GOOD_EPISODES, good_files, write_data
from typer.testing import CliRunner

from sufficiency.cli import app
from sufficiency.cli.common import load_or_exit, where
from sufficiency.ingest import load_data
from sufficiency.ingest.problems import Problem

runner = CliRunner()

#: A path long enough that any hard wrap at 40, 80 or 200 columns would have to split it.
LONG = "a-folder-name-long-enough-to-need-wrapping-" * 5


def _env(columns: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "FORCE_COLOR")}
    if columns is not None:
        env["COLUMNS"] = columns
    return env


@pytest.mark.parametrize("columns", ["40", "200", None])
def test_a_long_message_prints_on_one_line_at_any_width(
    tmp_path: Path, columns: str | None
) -> None:
    missing = tmp_path / LONG / "referral.json"
    proc = subprocess.run(
        [sys.executable, "-m", "sufficiency.cli", "match", str(tmp_path), str(missing)],
        env=_env(columns),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == f"error: {missing}: referral file not found\n"


@pytest.mark.parametrize("columns", ["40", "200", None])
def test_a_long_message_is_not_wrapped_under_the_test_runner(
    tmp_path: Path, columns: str | None
) -> None:
    long_date = "2024-03-31-" + LONG
    env = {"COLUMNS": columns} if columns else {"COLUMNS": None}  # None: unset for the run
    result = runner.invoke(app, ["measures", str(tmp_path), "--at", long_date], env=env)
    assert result.exit_code == 1
    assert result.stderr == f"error: --at {long_date} is not a date: expected YYYY-MM-DD\n"


def test_where_is_file_row_column() -> None:
    def problem(row: int | None, column: str | None) -> Problem:
        return Problem("error", "x", "ssda903/2023/episodes.csv", row, column, None, "m")

    assert where(problem(3, "PLACE")) == "ssda903/2023/episodes.csv:3:PLACE"
    assert where(problem(None, "PLACE")) == "ssda903/2023/episodes.csv:PLACE"
    assert where(problem(3, None)) == "ssda903/2023/episodes.csv:3"
    assert where(problem(None, None)) == "ssda903/2023/episodes.csv"


@pytest.fixture
def bad_data(tmp_path: Path) -> tuple[Path, str]:
    """The good return with an unknown PLACE code on row 3; and that error's expected line."""
    episodes = [list(r) for r in GOOD_EPISODES]
    episodes[1][5] = "Q9"
    root = write_data(tmp_path / "BAD", {2023: good_files(episodes=episodes)})
    (problem,) = load_data(root).problems
    line = f"error ssda903/2023/episodes.csv:3:PLACE unknown_code: {problem.message}"
    return root, line


def test_load_or_exit_prints_the_location_and_exits_1(
    bad_data: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    root, line = bad_data
    with pytest.raises(typer.Exit) as stop:
        load_or_exit(root, stopped="nothing done")
    assert stop.value.exit_code == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        line,
        f"1 error(s) in {root}: nothing done (sufficiency validate {root} lists every problem)",
    ]


def test_load_or_exit_returns_the_dataset(good_data: Path) -> None:
    assert load_or_exit(good_data).children.height == 3


@pytest.mark.parametrize(
    "args",
    [
        ["measures"],
        ["forecast"],
        ["gap", "--need", "trend"],
        ["statement", "--year", "2023", "--out", "OUT", "--no-pdf"],
    ],
)
def test_every_loading_command_prints_the_same_location(
    bad_data: tuple[Path, str], args: list[str]
) -> None:
    root, line = bad_data
    command = [args[0], str(root), *(str(root.parent / a) if a == "OUT" else a for a in args[1:])]
    result = runner.invoke(app, command, env={"COLUMNS": "40"})
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == line


def test_match_prints_the_same_location(bad_data: tuple[Path, str], tmp_path: Path) -> None:
    root, line = bad_data
    referral = tmp_path / "referral.json"
    referral.write_text(
        json.dumps({"id": "R1", "child": {"age": 9}, "needed_by": "2023-06-01", "siblings": 0})
    )
    result = runner.invoke(app, ["match", str(root), str(referral), "--json"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == line


def test_validate_shows_the_same_location(bad_data: tuple[Path, str]) -> None:
    root, _ = bad_data
    result = runner.invoke(app, ["validate", str(root)], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    row = next(x for x in result.stdout.splitlines() if "unknown_code" in x and "PLACE" in x)
    cells = [c.strip() for c in row.split("│")]
    assert cells[1:4] == ["error", "unknown_code", "ssda903/2023/episodes.csv:3:PLACE"]


COMMANDS = [c.name for c in app.registered_commands]


def test_every_command_is_listed() -> None:
    assert COMMANDS == [
        "synth", "validate", "measures", "forecast", "gap", "match", "statement",
        "benchmarks", "serve", "backup", "restore", "retention", "user",
    ]  # fmt: skip


@pytest.mark.parametrize("name", COMMANDS)
def test_every_help_shows_an_example(name: str) -> None:
    result = runner.invoke(app, [name, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    examples = [x for x in result.stdout.splitlines() if "Example" in x]
    assert examples and f"sufficiency {name} " in examples[0], result.stdout


def test_importing_the_cli_loads_no_analysis_library() -> None:
    code = (
        "import sys, sufficiency.cli\n"
        "heavy = ('polars', 'numpy', 'scipy', 'django', 'matplotlib', 'rich')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


def test_json_with_a_figure_that_is_not_a_number_is_not_printed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """NaN is not JSON: the command stops with a message instead of printing it."""
    import typer

    from sufficiency.cli.common import print_json

    for bad in (float("nan"), float("inf")):
        with pytest.raises(typer.Exit) as stopped:
            print_json({"mean": bad})
        assert stopped.value.exit_code == 1
        captured = capsys.readouterr()
        assert captured.out == ""
        assert "error: the output holds a figure that is not a number" in captured.err
    print_json({"mean": 1.5, "day": None})
    assert capsys.readouterr().out == '{\n  "mean": 1.5,\n  "day": null\n}\n'


def test_a_command_names_the_warnings_that_may_change_its_figures(
    demo_dir: Path, tmp_path: Path
) -> None:
    """Before, only ``validate`` said that a register had a header line and no rows: ``measures``
    printed 0 vacancies without a word. The warnings that say a file was read as meant (the
    demo's episodes a later return gives again) are not repeated."""
    import shutil

    clean = runner.invoke(
        app, ["measures", str(demo_dir), "--json", "--measure", "placed_outside_la"]
    )
    assert clean.exit_code == 0, clean.output
    assert clean.stderr == ""
    data = tmp_path / "D"
    shutil.copytree(demo_dir, data)
    vacancies = data / "registers" / "vacancies.csv"
    vacancies.write_text(vacancies.read_text().splitlines()[0] + "\n")
    result = runner.invoke(app, ["measures", str(data), "--json", "--measure", "placed_outside_la"])
    assert result.exit_code == 0, result.output
    assert "placed_outside_la" in json.loads(result.stdout)["measures"]
    assert result.stderr == (
        f"warning: {data} has warnings that may change the figures (register_no_rows): "
        f"sufficiency validate {data} lists them\n"
    )
