"""``sufficiency benchmarks``: a council's published comparators, no returns needed."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from sufficiency.cli import app

runner = CliRunner()


def test_json_for_herefordshire_2025() -> None:
    result = runner.invoke(app, ["benchmarks", "E06000019", "--year", "2025", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["la"]["code"] == "E06000019" and doc["la"]["old_number"] == "884"
    assert doc["year"] == 2025
    assert [n["old_number"] for n in doc["neighbours"]][:2] == ["943", "860"]
    rate = doc["measures"]["cla_rate_per_10k"]
    assert rate["polarity"] == "neutral"
    [entry] = rate["years"]
    assert entry["year"] == 2025
    assert entry["published_la"]["value"] == 100.0
    assert entry["published_la"]["count"] == 344
    assert entry["published_la"]["denominator"] == 34439
    comparators = entry["comparators"]
    assert comparators["england"]["value"] == 67.0
    assert comparators["region"]["value"] == 86.0
    assert comparators["region"]["area_name"] == "West Midlands"
    sns = comparators["statistical_neighbours"]
    assert (sns["value"], sns["used"], sns["of"]) == (66.7, 10, 10)
    assert len(sns["neighbours"]) == 10
    assert "Open Government Licence v3.0" in doc["attribution"]


def test_old_number_and_every_year() -> None:
    result = runner.invoke(app, ["benchmarks", "884", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    years = [e["year"] for e in doc["measures"]["cla_count"]["years"]]
    assert years == list(range(2025, 2015, -1))


def test_a_year_before_publication_is_labelled() -> None:
    result = runner.invoke(app, ["benchmarks", "E06000019", "--year", "2026", "--json"])
    entry = json.loads(result.stdout)["measures"]["uasc_count"]["years"][0]
    assert (entry["year"], entry["requested_year"]) == (2025, 2026)
    assert entry["published_la"]["value"] == 13.0


def test_table_shows_the_attribution() -> None:
    result = runner.invoke(app, ["benchmarks", "E10000015", "--year", "2025"])
    assert result.exit_code == 0, result.output
    assert "Hertfordshire" in result.stdout
    assert "Open Government Licence v3.0" in result.stdout


def test_unknown_code_exits_1_with_a_clear_message() -> None:
    result = runner.invoke(app, ["benchmarks", "E06999999", "--json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "no council has the code, number or name 'E06999999'" in result.stderr


def test_help_shows_an_example() -> None:
    result = runner.invoke(app, ["benchmarks", "--help"])
    assert result.exit_code == 0
    assert "sufficiency benchmarks E06000019" in result.stdout


def test_a_year_before_any_publication_is_refused_saying_where_they_start() -> None:
    """Before, --year 1990 printed an empty table with "Sources: ." and exit 0."""
    result = runner.invoke(app, ["benchmarks", "E06000019", "--year", "1990"])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: --year 1990: nothing is published for 1990 or before; the DfE's figures shipped "
        "here start in 2016\n"
    )
