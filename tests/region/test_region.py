"""Acceptance tests of regional mode (issue 21) on three synthetic neighbouring councils."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import polars as pl
import pytest

# the attacker of the disclosure tests reads the regional statement beside the councils' own
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "disclosure"))
from typer.testing import CliRunner

from sufficiency.cli import app
from sufficiency.codes import PLACEMENT_TYPE_TITLES
from sufficiency.disclosure.audit import DisclosureError
from sufficiency.region.share import ShareError, read_share
from sufficiency.report.model import StatementData, Table

AT = dt.date(2025, 3, 31)
AT_REF = AT.isoformat()
SMALL = 5  # the councils' threshold (la.toml default)
CODES = ("E06000019", "E06000051", "E10000034")  # the conftest's three councils
Region = Any  # the conftest's Region
runner = CliRunner()


@pytest.fixture(scope="session")
def run_doc(region: Region) -> dict[str, Any]:
    """The CLI's JSON (the forecast is the statement's run's: ``regional_run``)."""
    result = runner.invoke(app, ["region", str(region.toml), "--json", "--no-forecast"])
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def _originals(region: Region) -> tuple[set[str], set[str], set[str]]:
    """Every child id, full postcode and exact date of birth (not on the 1st) of the councils."""
    ids: set[str] = set()
    postcodes: set[str] = set()
    births: set[str] = set()
    for ds in region.originals.values():
        ids |= set(ds.children.get_column("CHILD").to_list())
        for col in ("HOME_POST", "PL_POST"):
            postcodes |= {
                p for p in ds.episodes.get_column(col).drop_nulls().to_list() if len(p) > 5
            }
        for reg, col in (
            ("carers", "postcode"),
            ("vacancies", "postcode"),
            ("referrals", "home_postcode"),
        ):
            frame = ds.register(reg)
            if frame is not None:
                postcodes |= set(frame.get_column(col).drop_nulls().to_list())
        for d in ds.children.get_column("DOB").drop_nulls().to_list():
            if d.day != 1:
                births |= {d.isoformat(), d.strftime("%d/%m/%Y")}
    return ids, postcodes, births


def _exposures(text: str, ids: set[str], postcodes: set[str], births: set[str]) -> list[str]:
    """Child ids and full postcodes anywhere in ``text``; exact dates of birth where ``births``
    are given (only birth columns: a register's approval date may fall on a child's birthday)."""
    tokens = set(re.findall(r"[A-Za-z0-9/-]+", text))
    found = [f"child id {i}" for i in ids if i in tokens]
    found += [f"postcode {p}" for p in postcodes if p in text]
    found += [f"date of birth {b}" for b in births if b in tokens]
    return found


def _birth_columns(data: bytes) -> str:
    frame = pl.read_csv(io.BytesIO(data), infer_schema=False)
    cols = [c for c in frame.columns if c in ("DOB", "MC_DOB", "DUC", "birth_month")]
    return " ".join(v for c in cols for v in frame.get_column(c).drop_nulls().to_list())


def test_regional_measures_are_the_sum_of_the_councils(
    region: Region, unsuppressed: dict[str, Any]
) -> None:
    from sufficiency.measures import compute

    measures = unsuppressed["needs"]["measures"]
    own = {
        c: compute(ds, AT, ["cla_count", "starts", "cla_by_placement_type"]).values
        for c, ds in region.originals.items()
    }
    assert measures["cla_count"]["region"] == sum(own[c]["cla_count"].to_json() for c in CODES)
    assert measures["starts"]["region"] == sum(own[c]["starts"].to_json() for c in CODES)
    for c in CODES:  # each council's column is its own figure, from its share
        assert measures["cla_count"]["councils"][c] == own[c]["cla_count"].to_json()
    by_type = measures["cla_by_placement_type"]
    for t, n in by_type["region"].items():
        assert n == sum(by_type["councils"][c][t] for c in CODES)
    share = measures["stability_three_plus"]
    assert share["region"]["denominator"] == measures["cla_count"]["region"]
    assert share["region"]["count"] == sum(share["councils"][c]["count"] for c in CODES)


def test_regional_rate_is_recomputed_from_summed_counts_and_populations(
    region: Region, unsuppressed: dict[str, Any]
) -> None:
    measures = unsuppressed["needs"]["measures"]
    population = sum(ds.population_under_18(2025) or 0 for ds in region.originals.values())
    expected = round(measures["cla_count"]["region"] / population * 10_000, 1)
    assert measures["cla_rate_per_10k"]["region"] == expected


def test_published_output_hides_small_counts_in_every_column(run_doc: dict[str, Any]) -> None:
    by_type = run_doc["needs"]["measures"]["cla_by_placement_type"]
    columns = [by_type["region"], *by_type["councils"].values()]
    values = [v for col in columns for v in col.values()]
    assert "c" in values
    assert not [v for v in values if isinstance(v, int) and 1 <= v <= 5]


def test_nothing_in_the_shares_or_outputs_identifies_a_child(
    region: Region, run_doc: dict[str, Any], unsuppressed: dict[str, Any], regional_run: Any
) -> None:
    ids, postcodes, births = _originals(region)
    assert ids and postcodes and births
    found: list[str] = []
    for share in region.shares.values():
        with zipfile.ZipFile(share) as zf:
            for name in zf.namelist():
                data = zf.read(name)
                found += [
                    f"{share.name}:{name}: {e}"
                    for e in _exposures(data.decode("utf-8"), ids, postcodes, set())
                ]
                if name.endswith(".csv"):
                    found += [
                        f"{share.name}:{name}: {e}"
                        for e in _exposures(_birth_columns(data), set(), set(), births)
                    ]
    for doc in (run_doc, unsuppressed, regional_run.to_json()):
        found += _exposures(json.dumps(doc), ids, postcodes, births)
    assert found == []


def test_a_referral_is_matched_to_another_councils_carer_with_reasons(
    region: Region, tmp_path: Path
) -> None:
    referral = {
        "id": "R-REGION-1",
        "child": {"age": 9, "sex": "F", "home_postcode": "HR1 2"},
        "requested_type": "in_house_fostering",
        "suitability": {
            "foster": "preferred",
            "residential": "unsuitable",
            "supported": "unsuitable",
        },
        "needed_by": "2025-04-01",
        "urgency": "later",
    }
    path = tmp_path / "referral.json"
    path.write_text(json.dumps(referral), encoding="utf-8")
    result = runner.invoke(
        app, ["region", "match", str(region.toml), "E06000019", str(path), "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    others = [o for o in payload["options"] if not o["vacancy_id"].startswith("E06000019/")]
    assert others, "no vacancy of another member council was offered"
    assert all(o["reasons"] for o in others)
    assert {o["vacancy_id"].split("/")[0] for o in others} <= {"E06000051", "E10000034"}
    # shares hold postcode sectors: each is placed at its sector's centroid (the child's "HR1 2"
    # too), so distances are known — they read as unknown when the matcher garbled "SY5 0"
    assert not [n for n in payload["notes"] if "could not be located" in n], payload["notes"]
    reasons = [r for o in payload["options"] for r in o["reasons"]]
    assert not [r for r in reasons if "distance from home unknown" in r]
    assert any("miles" in r for o in others for r in o["reasons"])
    assert any(e["reason"] for e in payload["excluded"])


def _tampered(share: Path, out: Path, path: str, edit: Any) -> Path:
    """A copy of ``share`` with one CSV edited and the manifest's checksum made to agree."""
    with zipfile.ZipFile(share) as zf:
        frame = pl.read_csv(io.BytesIO(zf.read(path)), infer_schema=False)
    return _with_file(share, out, path, edit(frame).write_csv(null_value="").encode())


def _with_file(share: Path, out: Path, path: str, data: bytes) -> Path:
    """A copy of ``share`` with ``path`` holding ``data`` and the manifest's checksum agreeing."""
    import hashlib

    with zipfile.ZipFile(share) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members[path] = data
    manifest = json.loads(members["manifest.json"])
    manifest["files"][path] = hashlib.sha256(members[path]).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(out, "w") as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    return out


def test_import_refuses_full_postcodes_dates_of_birth_and_raw_ids(
    region: Region, tmp_path: Path
) -> None:
    share = region.shares["E06000019"]
    bad = _tampered(
        share,
        tmp_path / "bad.zip",
        "returns/episodes.csv",
        lambda f: f.with_columns(
            pl.when(pl.int_range(pl.len()) == 2)
            .then(pl.lit("HR1 2DH"))
            .otherwise(pl.col("HOME_POST"))
            .alias("HOME_POST"),
            pl.when(pl.int_range(pl.len()) == 0)
            .then(pl.lit("1000042"))
            .otherwise(pl.col("CHILD"))
            .alias("CHILD"),
        ),
    )
    with pytest.raises(ShareError) as caught:
        read_share(bad)
    where = {(p.file, p.row, p.column, p.code) for p in caught.value.problems}
    assert ("bad.zip:returns/episodes.csv", 4, "HOME_POST", "share_full_postcode") in where
    assert ("bad.zip:returns/episodes.csv", 2, "CHILD", "share_raw_id") in where

    dob = _tampered(
        share,
        tmp_path / "dob.zip",
        "returns/children.csv",
        lambda f: f.with_columns(pl.lit("2012-06-17").alias("DOB")),
    )
    result = runner.invoke(app, ["region", "check", str(dob)])
    assert result.exit_code == 1
    assert "dob.zip:returns/children.csv:2:DOB share_date_of_birth" in result.stderr
    assert "first of the month" in result.stderr


def test_import_refuses_a_changed_file_and_names(region: Region, tmp_path: Path) -> None:
    share = region.shares["E06000051"]
    named = _tampered(
        share,
        tmp_path / "named.zip",
        "returns/children.csv",
        lambda f: f.with_columns(pl.lit("Alex").alias("forename")),
    )
    with pytest.raises(ShareError) as caught:
        read_share(named)
    assert {p.code for p in caught.value.problems} == {"share_names"}
    with zipfile.ZipFile(share) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["registers/costs.csv"] += b"ifa,2025,1.0,,\n"
    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(changed, "w") as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    with pytest.raises(ShareError) as caught:
        read_share(changed)
    assert [(p.file, p.code) for p in caught.value.problems] == [
        ("changed.zip:registers/costs.csv", "share_changed")
    ]


def test_a_share_whose_population_disagrees_with_its_profile_is_refused(
    region: Region, tmp_path: Path
) -> None:
    """A member's la.toml and population register giving one year two populations: refused
    by name, as the council's own load refuses it (a regional rate would read the register's)."""
    share = region.shares["E06000019"]
    with zipfile.ZipFile(share) as zf:
        profile = zf.read("la.toml").decode()
    year = AT.year
    given = _tampered(
        share,
        tmp_path / "population.zip",
        "registers/population.csv",
        lambda f: f.with_columns(
            pl.when(pl.col("year") == str(year))
            .then(pl.lit("3673"))
            .otherwise(pl.col("population_under_18"))
            .alias("population_under_18")
        ),
    )
    assert f'"{year}" = ' in profile  # the profile gives the year too
    with pytest.raises(ShareError) as caught:
        read_share(given)
    assert [(p.file, p.code) for p in caught.value.problems] == [
        ("population.zip:registers/population.csv", "population_disagrees")
    ]


def test_a_share_round_trips_every_measure_but_postcode_outcomes(region: Region) -> None:
    from sufficiency.measures import compute

    code = "E10000034"
    own = compute(region.originals[code], AT).values
    shared = compute(read_share(region.shares[code]), AT).values
    differ = sorted(m for m in own if own[m].to_json() != shared[m].to_json())
    # placed_locally compares outcomes' placed postcodes with the child's: sectors only now;
    # an age on a date in the month of birth can move by one year (month of birth only)
    assert {m for m in differ if not m.endswith("_by_age_band")} <= {"placed_locally"}
    assert "cla_by_age_band" not in differ


def test_a_share_carries_what_the_councils_own_outputs_publish(region: Region) -> None:
    from sufficiency.report.protected_date import protected_results, publication

    code = "E06000051"
    carried = read_share(region.shares[code]).published
    assert carried == publication(region.originals[code])
    assert sorted(carried) == [dt.date(2024, 3, 31), AT]
    own = protected_results(region.originals[code], AT)
    figures = carried[AT].figures
    assert figures["cla_count@" + AT_REF] == own["cla_count"].to_json()
    hidden = {r for r, v in figures.items() if v is None}
    assert hidden and all(r.endswith("@" + AT_REF) for r in hidden)


def test_a_share_with_a_bad_publication_is_refused_by_name(region: Region, tmp_path: Path) -> None:
    data = b'{"2025-03-31": {"figures": {"cla_count@2025-03-31": "many"}}}'
    bad = _with_file(region.shares["E06000019"], tmp_path / "bad.zip", "published.json", data)
    with pytest.raises(ShareError) as caught:
        read_share(bad)
    [problem] = caught.value.problems
    assert (problem.file, problem.code) == ("bad.zip:published.json", "share_published")
    assert "'2025-03-31' is not valid" in problem.message and "number or null" in problem.message


def test_members_given_by_data_folder_are_protected_as_their_shares(
    region: Region, run_doc: dict[str, Any], tmp_path: Path
) -> None:
    """A data folder's own outputs are worked out when it is loaded (as `region share` does):
    the same suppressions as from the councils' shares."""
    members = "\n".join(
        f'[[members]]\ncode = "{c}"\ndata = "{region.folders[c]}"\npool = ["in_house_carer"]\n'
        for c in CODES
    )
    toml = tmp_path / "region.toml"
    toml.write_text(f'name = "Test region"\n\n{members}', encoding="utf-8")
    result = runner.invoke(app, ["region", str(toml), "--json", "--no-forecast"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["needs"] == run_doc["needs"]


def test_the_regional_statement_beside_each_councils_own_gives_nothing_away(
    region: Region, published: StatementData, regional_run: Any, tmp_path: Path
) -> None:
    """Each council publishes its own statement: a figure it hides is hidden in its column of the
    regional statement, and the two read together (the attacker's integer programme, the
    councils' relations and the region's) pin down no hidden figure. Before, four figures the
    councils hid were printed in the regional statement and eight more could be worked out."""
    from attacker import recover, statement_knowledge
    from disclosure_helpers import insider, write

    from sufficiency.report.output import write_statement
    from sufficiency.report.regional import regional_check

    write_statement(published, tmp_path / "region", pdf=False, check=regional_check(SMALL))
    write_statement(_statement(regional_run, "internal"), tmp_path / "internal", pdf=False)
    reader = statement_knowledge(tmp_path / "region")
    truth = dict(statement_knowledge(tmp_path / "internal").numbers)
    for code in CODES:
        own = statement_knowledge(
            write(region.originals[code], AT.year, "publish", tmp_path / code)
        )
        for key, value in own.numbers.items():
            reader.see(f"{code}:{key}", value, key in own.magnitude)
        reader.hidden |= {f"{code}:{key}" for key in own.hidden}
        reader.relations += [
            ({f"{code}:{k}": a for k, a in terms.items()}, low, high)
            for terms, low, high in own.relations
        ]
        values, _ = insider(region.originals[code], AT.year)
        truth.update({f"{code}:{k}": v for k, v in values.items()})
    shown_elsewhere = sorted(k for k in reader.hidden if k in reader.numbers)
    assert not shown_elsewhere
    found = recover(reader, truth)
    assert not found, "\n".join(str(f) for f in found)


def test_market_cross_border_and_block_contract(
    run_doc: dict[str, Any], unsuppressed: dict[str, Any], regional_run: Any
) -> None:
    borders = run_doc["market"]["across_borders"]
    assert set(borders) == set(CODES)
    homes = unsuppressed["market"]["homes"]  # internal: published, no home by URN
    assert homes and all(h["urn"] and h["councils"] for h in homes)
    assert run_doc["outlook"] is None  # --no-forecast
    outlook = regional_run.to_json()["outlook"]
    block = outlook["block_contract"]
    assert block["places"] == 3 and block["placement_type"] == "external_residential"
    for y in block["years"]:
        if y["saving"] is not None:
            assert y["saving"] == y["spot_cost"] - y["block_cost"]
    need = outlook["need"]
    for year, by_type in need["region"].items():
        total = sum(sum(need["councils"][c][year].values()) for c in CODES)
        assert sum(by_type.values()) == pytest.approx(total, abs=0.1 * len(by_type))


def test_share_needs_the_councils_key(
    region: Region, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SUFFICIENCY_SECRET", raising=False)
    monkeypatch.delenv("SUFFICIENCY_SECRET_FILE", raising=False)
    out = tmp_path / "s.zip"
    result = runner.invoke(app, ["region", "share", str(region.folders["E06000019"]), str(out)])
    assert result.exit_code == 1
    assert "SUFFICIENCY_SECRET" in result.stderr
    assert not out.exists()
    monkeypatch.setenv("SUFFICIENCY_SECRET", "key-of-E06000019")
    result = runner.invoke(app, ["region", "share", str(region.folders["E06000019"]), str(out)])
    assert result.exit_code == 0, result.output
    # the same share as the fixture's, which is written as the command writes it
    assert read_share(out).published == read_share(region.shares["E06000019"]).published


def test_bad_region_toml_is_named(tmp_path: Path) -> None:
    toml = tmp_path / "r.toml"
    toml.write_text('name = "x"\n[[members]]\ncode = "E06000019"\n', encoding="utf-8")
    result = runner.invoke(app, ["region", str(toml)])
    assert result.exit_code == 1
    assert "members.0" in result.stderr and "exactly one of share" in result.stderr


# ------------------------------------------------------------- the regional statement


@pytest.fixture(scope="session")
def regional_run(region: Region) -> Any:
    from sufficiency.forecast.scenarios import EntryAdjustment, Scenario
    from sufficiency.region.analysis import analyse
    from sufficiency.region.config import load_region
    from sufficiency.region.load import load_members

    same = Scenario(name="as_baseline", entries=(EntryAdjustment(multiply=1.0),))
    fewer = Scenario(name="no_entries", entries=(EntryAdjustment(multiply=0.0),))
    members = load_members(load_region(region.toml))
    return analyse(members, AT, horizon_months=24, scenarios=[same, fewer])


def _statement(run: Any, mode: str) -> StatementData:
    from sufficiency.report.public import public_catalogue
    from sufficiency.report.regional import regional_statement
    from sufficiency.report.sources import catalogue_info

    info = public_catalogue(catalogue_info()) if mode == "publish" else catalogue_info()
    return regional_statement(run, mode, SMALL, info)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def published(regional_run: Any) -> StatementData:
    return _statement(regional_run, "publish")


def _table(data: StatementData, table_id: str) -> Table:
    return next(t for t in data.tables() if t.id == table_id)


def _by_header(table: Table) -> dict[str, list[Any]]:
    return {r.header: [c.value for c in r.cells] for r in table.rows}


def test_headline_needs_are_each_councils_and_their_sum(
    published: StatementData, unsuppressed: dict[str, Any]
) -> None:
    truth = unsuppressed["needs"]["measures"]
    headline = _table(published, "region-headline")
    cells = {c.ref: c.value for r in headline.rows for c in r.cells}
    for mid in ("cla_count", "starts", "ceased"):
        councils = [cells[f"{c}:{mid}@{AT_REF}"] for c in CODES]
        assert councils == [truth[mid]["councils"][c] for c in CODES]
        assert cells[f"{mid}@{AT_REF}"] == sum(councils) == truth[mid]["region"]
    assert cells[f"cla_rate_per_10k@{AT_REF}"] == truth["cla_rate_per_10k"]["region"]
    assert headline.columns[-1] == "Region" and len(headline.columns) == 2 + len(CODES)


def test_small_types_are_hidden_across_market_forecast_and_gap(
    published: StatementData, unsuppressed: dict[str, Any]
) -> None:
    from sufficiency.codes import PLACEMENT_TYPE_TITLES as TITLES

    need = {t: r["need"] for t, r in unsuppressed["market"]["capacity_against_need"].items()}
    small = sorted(t for t, n in need.items() if 1 <= n <= SMALL)
    assert len(small) >= 2
    hidden = published.extras["hidden_types"]  # the small ones and what protects them
    assert set(small) <= set(hidden)
    small = hidden
    capacity = _by_header(_table(published, "region-capacity"))
    for t, n in need.items():
        assert capacity[TITLES[t]][0] == ("c" if t in small else round(n))
    forecast = _by_header(_table(published, "region-forecast"))
    gap = _by_header(_table(published, "region-gap-2026"))
    for t in small:
        assert set(forecast.get(TITLES[t], ["c"])) == {"c"}
        if TITLES[t] in gap:
            need_, capacity_, short, cost = gap[TITLES[t]]
            assert (need_, short, cost) == ("c", "c", "c") and capacity_ != "c"
    assert gap["Total"][2:] == ["c", "c"]  # the total less the shown types gives them away
    shown = [t for t in need if t not in small and TITLES[t] in forecast]
    assert shown and all(v != "c" for t in shown for v in forecast[TITLES[t]])


def test_where_children_live_is_protected_against_each_councils_total(
    published: StatementData, unsuppressed: dict[str, Any], regional_run: Any
) -> None:
    truth = unsuppressed["market"]["across_borders"]
    totals = unsuppressed["needs"]["measures"]["cla_count"]["councils"]
    rows = _by_header(_table(published, "region-borders"))
    names = published.extras["councils"]
    for code in CODES:
        own, others, outside, unknown, total = rows[names[code]]
        t = truth[code]
        assert total == totals[code]
        cells = (own, others, outside, unknown)
        exact = [
            t["own_area"],
            t["within_region"] - t["own_area"],
            t["outside_region"],
            t["unknown"],
        ]
        assert [v for v in cells if v != "c"] == [
            e for e, v in zip(exact, cells, strict=True) if v != "c"
        ]
        hidden = [v for v in cells if v == "c"]
        assert len(hidden) != 1  # one [c] in a row with its total could be worked out
        if not hidden:
            assert own + others + outside + unknown == total
        if "own_area" in regional_run.hidden_by_councils.get(code, ()):
            assert own == "c"  # the council's own statement hides its children placed inside
    assert "c" in [v for r in rows.values() for v in r]


def test_the_run_json_is_protected_as_the_statement(
    published: StatementData, run_doc: dict[str, Any], unsuppressed: dict[str, Any]
) -> None:
    """`region --json` (suppressed) shows each figure as the statement does: a placement type the
    needs hide is hidden in capacity against need (before, its 2 or 3 children were printed
    there), where children live reads as the statement's table, and homes show which councils
    use them but not their children."""
    market = run_doc["market"]
    hidden = set(published.extras["hidden_types"])
    truth = unsuppressed["market"]["capacity_against_need"]
    for t, row in market["capacity_against_need"].items():
        if t in hidden:
            assert (row["need"], row["shortfall"]) == ("c", "c")
        else:
            assert (row["need"], row["shortfall"]) == (truth[t]["need"], truth[t]["shortfall"])
    rows = _by_header(_table(published, "region-borders"))
    names = published.extras["councils"]
    for code, b in market["across_borders"].items():
        shown = [b["own_area"], b["other_members_total"], b["outside_region"], b["unknown"]]
        assert shown == rows[names[code]][:4]
        members = list(b["other_members"].values())
        if b["other_members_total"] != "c":
            assert members.count("c") != 1
        if "c" not in (b["own_area"], b["other_members_total"], b["within_region"]):
            assert b["own_area"] + b["other_members_total"] == b["within_region"]
    # no home by URN: which councils use a home of a type bounded their hidden counts from
    # below (and its prices are commercially sensitive), as the statement shows none; no
    # children by home type (a type's less the members' shown counts gave a hidden one); no
    # homes of a type the needs hide (as many children at least)
    assert market["homes"] == [] and unsuppressed["market"]["homes"]
    truth_types = unsuppressed["market"]["homes_by_type"]
    assert set(market["homes_by_type"]) == set(truth_types)
    for t, row in market["homes_by_type"].items():
        assert row["children"] == "c"
        kept = ("c", "c") if t in hidden else (truth_types[t]["homes"], truth_types[t]["shared"])
        assert (row["homes"], row["shared"]) == kept
    by_type = _by_header(_table(published, "region-homes-by-type"))  # the statement's the same
    assert {t: by_type[PLACEMENT_TYPE_TITLES.get(t, t)][:2] for t in market["homes_by_type"]} == {
        t: [r["homes"], r["shared"]] for t, r in market["homes_by_type"].items()
    }


def test_block_contract_saving(published: StatementData, regional_run: Any) -> None:
    block = regional_run.outlook.block
    assert block is not None and block.places == 3
    rows = _by_header(_table(published, "region-block"))
    assert list(rows) == [str(y["year"]) for y in block.by_year]
    for y in block.by_year:
        short, used, spot, cost, saving = rows[str(y["year"])]
        assert used == min(3.0, short)
        assert cost == round(3 * block.block_weekly * 52)
        assert spot == round(used * y["spot_weekly_price"] * 52)
        assert saving == spot - cost


def test_cli_writes_the_published_statement_with_no_small_count(
    region: Region, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["region", "statement", str(region.toml), "--out", str(out), "--no-pdf", "--no-forecast"],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "statement.html",
        "statement.json",
        "statement.xlsx",
    ]
    doc = json.loads((out / "statement.json").read_text(encoding="utf-8"))
    assert doc["mode"] == "publish" and doc["la_name"] == "Test region"
    counts = [
        c["value"]
        for s in doc["sections"]
        for b in s["blocks"]
        if b["table"]
        for r in b["table"]["rows"]
        for c in r["cells"]
        if c["kind"] == "count"
    ]
    assert "c" in counts and not [v for v in counts if isinstance(v, int) and 1 <= v <= SMALL]
    html = (out / "statement.html").read_text(encoding="utf-8")
    assert "Regional needs analysis" in html and "Homes by URN" not in html
    with zipfile.ZipFile(out / "statement.xlsx") as zf:
        book = zf.read("xl/workbook.xml").decode()
    assert "Headline measures" in book and "Where each council" in book


def test_internal_version_lists_every_home_by_urn(
    regional_run: Any, unsuppressed: dict[str, Any]
) -> None:
    data = _statement(regional_run, "internal")
    homes = _table(data, "region-homes")
    assert [r.header.split()[0] for r in homes.rows] == [
        h["urn"] for h in regional_run.market["homes"]
    ]
    assert {h["urn"] for h in unsuppressed["market"]["homes"]} == {
        r.header.split()[0] for r in homes.rows
    }


def test_the_gate_refuses_a_small_count_and_writes_nothing(
    published: StatementData, tmp_path: Path
) -> None:
    from sufficiency.report.output import write_statement
    from sufficiency.report.regional import regional_check

    leaky = copy.deepcopy(published)
    _table(leaky, "region-borders").rows[0].cells[0].value = 3
    with pytest.raises(DisclosureError, match="Where each council's children live"):
        write_statement(leaky, tmp_path / "a", pdf=False, check=regional_check(SMALL))
    told = copy.deepcopy(published)
    told.key_messages.append("2 children moved between member councils.")
    with pytest.raises(DisclosureError, match="small count of children written"):
        write_statement(told, tmp_path / "b", pdf=False, check=regional_check(SMALL))
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_regional_measures_on_a_dask_cluster_are_the_same(
    region: Region, unsuppressed: dict[str, Any]
) -> None:
    from dask.distributed import LocalCluster

    from sufficiency.region.config import load_region
    from sufficiency.region.load import load_members
    from sufficiency.region.needs import regional_measures

    councils = load_members(load_region(region.toml)).councils
    ids = ["cla_count", "cla_by_placement_type"]
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        remote = regional_measures(
            councils, AT, ids, suppress=False, scheduler=cluster.scheduler_address
        ).to_json()["measures"]
    truth = unsuppressed["needs"]["measures"]
    assert remote == {mid: truth[mid] for mid in ids}


def test_a_scenario_sweep_is_summed_to_the_region(regional_run: Any) -> None:
    outlook = regional_run.outlook
    assert set(outlook.scenarios) == {"as_baseline", "no_entries"}
    assert outlook.scenarios["as_baseline"] == outlook.region_need  # an unchanged scenario
    for year, by_type in outlook.region_need.items():  # no one enters care: fewer children
        assert sum(outlook.scenarios["no_entries"][year].values()) < sum(by_type.values())
    doc = regional_run.to_json()["outlook"]["scenarios"]
    assert set(doc["no_entries"]) == {str(y) for y in outlook.region_need}


def test_a_published_run_withholds_a_scenario_acting_on_a_hidden_type(regional_run: Any) -> None:
    """A rate or move on a type a council hides, less the baseline, followed its hidden count
    (a move of more than there are took them all)."""
    from dataclasses import replace

    from sufficiency.forecast.scenarios import RateAdjustment, Scenario
    from sufficiency.report.regional import market_hidden_types, published_run

    hidden = market_hidden_types(regional_run, SMALL)
    assert hidden  # the region's small councils hide some types
    kind = sorted(hidden)[0]
    acting = Scenario(name="no_entries", rates=(RateAdjustment(from_=kind, multiply=2.0),))
    run = replace(regional_run, outlook=replace(regional_run.outlook, plans=(acting,)))
    doc = published_run(run, SMALL)["outlook"]["scenarios"]
    assert {v for year in doc["no_entries"].values() for v in year.values()} == {"c"}
    shown = published_run(regional_run, SMALL)["outlook"]["scenarios"]  # entries only: kept
    assert shown["as_baseline"] == doc["as_baseline"] != doc["no_entries"]
    assert any(v != "c" for year in shown["no_entries"].values() for v in year.values())


@pytest.mark.parametrize("at", ["2023-03-31", "2025-04-01"])
def test_a_date_a_councils_returns_do_not_cover_is_refused(region: Region, at: str) -> None:
    """Before, every council's figures at a date outside its returns read 0 (exit 0)."""
    args = ["region", str(region.toml), "--at", at, "--json", "--no-forecast", "--no-suppress"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    day = dt.date.fromisoformat(at)
    start = day.replace(year=day.year - 1) + dt.timedelta(days=1)
    assert " ".join(result.output.split()) == (
        f"error: {region.toml}: {region.originals['E06000019'].profile.name} (E06000019): the "
        f"regional figures count the year ending {day:%d/%m/%Y}, and the returns loaded cover "
        f"31/03/2023 to 31/03/2025, so {start:%d/%m/%Y} to {day:%d/%m/%Y} cannot be told from them"
    )


@pytest.mark.parametrize("command", [[], ["statement", "--out", "unused"]])
def test_suppressed_regional_figures_of_a_day_other_than_31_march_are_refused(
    region: Region, command: list[str]
) -> None:
    """A council's figures of 30 March beside its 31 March statement gave hidden counts away
    by subtraction; the region's column of each council is the same figures."""
    args = ["region", *command[:1], str(region.toml), "--at", "2025-03-30", *command[1:]]
    result = runner.invoke(app, [*args, "--no-forecast"])
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert text.startswith(
        "error: --at 2025-03-30: figures with small numbers suppressed are published for 31 "
        "March of a year with a return only, not 30/03/2025"
    )
    assert "for this day's figures (internal use only)" in text


def test_the_regional_gap_buys_through_the_members_frameworks(
    published: StatementData, regional_run: Any
) -> None:
    """Every member buys IFA and children's home places through a framework (£980 and £6,100 a
    week): the regional gap does too. Before: ``framework: false`` and "Cost of buying spot"."""
    gap = regional_run.outlook.gap
    for y in gap.years:
        deals = {t: c.framework_weekly_price for t, c in y.by_type.items() if c.framework}
        assert deals == {"ifa": 980.0, "external_residential": 6100.0}, y.year
    table = _table(published, "region-gap-2026")
    assert table.columns[-1] == "Cost of shortfall"
    # published, a price is left out where the type's costs are hidden (price x 52 x shortfall
    # beside the cost would give the shortfall back)
    assert table.caption.startswith(
        "Places the region would buy through the frameworks every member buys them through: "
        "Independent fostering agency"
    )
    internal = _statement(regional_run, "internal")  # published, the total hides a small type
    assert _table(internal, "region-gap-2026").caption == (
        "Places the region would buy through the frameworks every member buys them through: "
        "Independent fostering agency (£980 a week), External children's home (£6,100 a week); "
        "the other types spot, priced by the members' costs."
    )
    first = gap.years[0]
    assert (
        f"By 31 March {first.year} the region would buy "
        f"{sum(c.shortfall for c in first.by_type.values()):,.1f} places through frameworks or "
        f"spot, at £{round(first.total_shortfall_cost):,} a year."
    ) in internal.key_messages


def test_a_councils_regional_forecast_is_its_own_with_birth_dates_on_the_1st(
    region: Region, regional_run: Any
) -> None:
    """The outlook forecasts each council from its minimised data: its children's dates of
    birth on the 1st of the month (the ids' pseudonyms change nothing). docs/regional.md names
    the difference and its size (here 1.25 children in in-house fostering at 31 March 2027)."""
    from sufficiency.dataset import Dataset
    from sufficiency.forecast import sweep_councils
    from sufficiency.region.minimise import BIRTH_COLUMNS, month_expr
    from sufficiency.region.outlook import need_from_forecast

    code = "E06000019"
    ds = region.originals[code]

    def on_the_1st(frame: pl.DataFrame) -> pl.DataFrame:
        moved = [month_expr(c) for c in BIRTH_COLUMNS if frame.schema.get(c) == pl.Date]
        return frame.with_columns(moved)

    births = Dataset.from_frames(
        ds.profile,
        children=on_the_1st(ds.children),
        episodes=on_the_1st(ds.episodes),
        uasc=on_the_1st(ds.uasc),
        tables={n: on_the_1st(f) for n, f in ds.tables.items()},
        registers=ds.registers,
        returns=ds.returns,
        history=None if ds.history is None else on_the_1st(ds.history),
        cuts=None if ds.cuts is None else on_the_1st(ds.cuts),
    )
    docs = sweep_councils(
        {"own": ds, "births": births}, horizon_months=24, parameter_uncertainty=False, as_at=AT
    )
    own, moved = need_from_forecast(docs["own"]), need_from_forecast(docs["births"])
    region_s = regional_run.outlook.needs[code]
    assert region_s == moved
    worst = max(abs(own[y][t] - region_s[y][t]) for y in own for t in own[y])
    assert round(worst, 2) == 1.25
    docs_md = (Path(__file__).resolve().parents[2] / "docs" / "regional.md").read_text("utf-8")
    known = docs_md.split("Known differences", 1)[1].split("##", 1)[0]
    assert "dates of birth" in known and "forecast" in known
