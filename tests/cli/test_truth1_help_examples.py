"""The `match` and `forecast` help examples, run as written on the demo council (truth1
finding 11): the batch example allocated 0 of 326 referrals (each needed before any vacancy
opens), the referral JSON was documented only outside the repository, and the forecast example
named a scenario file nobody has."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from typer.testing import CliRunner

from sufficiency.cli import app
from sufficiency.forecast.scenarios import load_scenarios

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _help(command: str) -> str:
    """The command's help text on one line (rich wraps it)."""
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def _example(command: str, text: str) -> list[str]:
    """The arguments of the help's example that starts ``sufficiency {command}``."""
    found = re.search(rf"sufficiency {command} [^()]*?--json", text)
    assert found, text
    return shlex.split(found.group(0))[1:]


def test_the_batch_example_allocates_on_the_day_the_vacancies_open(demo_dir: Path) -> None:
    text = _help("match")
    assert "--as-at" in text and "docs/referral-summaries.md" in text
    args = _example("match demo --batch", text)
    assert args[args.index("--as-at") + 1] == "2026-03-31"
    args = [str(demo_dir) if a == "demo" else a for a in args]
    args = [str(demo_dir / "registers/referrals.csv") if "referrals.csv" in a else a for a in args]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (len(out["allocations"]), len(out["unallocated"])) == (89, 237)
    assert out["as_at"] == "2026-03-31"
    assert not [u for u in out["unallocated"] if "availability" in u["why"]]
    # without it, as the help says, every referral fails the availability rule
    without = runner.invoke(app, [a for a in args if a not in ("--as-at", "2026-03-31")])
    plain = json.loads(without.stdout)
    assert plain["allocations"] == [] and len(plain["unallocated"]) == 326
    assert all("availability" in u["why"] for u in plain["unallocated"])
    assert "as_at" not in plain


def test_the_documented_referral_json_matches_as_the_docs_say(
    demo_dir: Path, tmp_path: Path
) -> None:
    doc = (ROOT / "docs/referral-summaries.md").read_text()
    section = doc[doc.index("## Referral files for `sufficiency match`") :]
    example = section[section.index("```json") + len("```json") : section.index("```\n", 10)]
    referral = tmp_path / "referral.json"
    referral.write_text(example)
    assert "6 options, 66 vacancies excluded" in " ".join(section.split())
    result = runner.invoke(app, ["match", str(demo_dir), str(referral), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (len(out["options"]), len(out["excluded"])) == (6, 66)
    assert "as_at" not in out


def test_the_forecast_example_names_scenario_files_that_exist() -> None:
    args = _example("forecast demo", _help("forecast"))
    files = [args[i + 1] for i, a in enumerate(args) if a == "--scenario"]
    assert files == [
        "docs/examples/scenario_trajectory.yaml",
        "docs/examples/scenario_drivers.yaml",
    ]
    scenarios = load_scenarios([ROOT / f for f in files])
    assert [s.name for s in scenarios] == ["planned_trajectory", "planned_drivers"]


def test_a_bad_as_at_names_the_option(demo_dir: Path) -> None:
    result = runner.invoke(
        app, ["match", str(demo_dir), "--batch", "r.csv", "--as-at", "31/03/2026"]
    )
    assert result.exit_code == 1
    assert "--as-at 31/03/2026 is not a date" in result.output
