"""``sufficiency region``: councils together (issue 21).

``sufficiency region REGION.toml`` runs the regional needs analysis, market and outlook;
``region share DATA OUT.zip`` exports what a council sends its region; ``region check
SHARE.zip`` is the import check; ``region match REGION.toml CODE REFERRAL.json`` finds a home
across the region. Only typer and the standard library are imported at the top.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from sufficiency.cli.common import console, error, load_or_exit, parse_date, print_json


class RegionGroup(TyperGroup):
    """``region REGION.toml ...`` runs the analysis: a first argument that is not a subcommand
    is taken as REGION.toml for ``run``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # Any: typer vendors click
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["run", *args]
        return list(super().parse_args(ctx, args))


region_app = typer.Typer(
    cls=RegionGroup,
    help="Regional mode: councils planning and placing together. "
    "Example: [bold]sufficiency region region.toml --json[/bold]",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


def _problems_exit(problems: list[Any]) -> typer.Exit:
    from sufficiency.cli.common import print_problems

    print_problems(problems)
    return typer.Exit(1)


def _load(region_toml: Path) -> Any:
    from sufficiency.region.config import RegionError, load_region
    from sufficiency.region.load import MemberError, load_members
    from sufficiency.region.share import ShareError
    from sufficiency.report.protected_date import publication

    try:
        return load_members(load_region(region_toml), publication)
    except RegionError as exc:
        raise error(str(exc)) from None
    except (ShareError, MemberError) as exc:
        raise _problems_exit(exc.problems) from None


@region_app.command("run")
def run(
    region_toml: Annotated[Path, typer.Argument(help="REGION.toml: the member councils.")],
    at: Annotated[
        str | None, typer.Option("--at", help="Reference date (default: last common 31 March).")
    ] = None,
    measure_ids: Annotated[
        list[str] | None, typer.Option("--measure", help="Measure id (repeat; default headline).")
    ] = None,
    no_suppress: Annotated[
        bool, typer.Option("--no-suppress", help="Show small counts (internal use only).")
    ] = False,
    no_forecast: Annotated[
        bool, typer.Option("--no-forecast", help="Leave out the forecast, gap and block contract.")
    ] = False,
    horizon_months: Annotated[int, typer.Option("--horizon-months", min=1)] = 36,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="dask.distributed address for forecasts.")
    ] = None,
    scenario: Annotated[
        list[Path] | None,
        typer.Option("--scenario", help="A forecast scenario file (repeat): the sweep's need."),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
) -> None:
    """The regional needs analysis, market, forecast and gap of REGION.toml's councils.

    Example: [bold]sufficiency region region.toml --json[/bold]
    """
    from sufficiency.disclosure.audit import DisclosureError
    from sufficiency.forecast.scenarios import ScenarioError, load_scenarios
    from sufficiency.region.analysis import analyse, threshold
    from sufficiency.report.regional import published_run

    day = parse_date(at, "--at")
    if not no_suppress:
        _published_day(day, "--no-suppress")
    try:
        plans = load_scenarios(scenario) if scenario else []
    except ScenarioError as exc:
        raise error(f"--scenario {exc}") from None
    region = _load(region_toml)
    try:
        result = analyse(
            region,
            day,
            scenarios=plans,
            ids=list(measure_ids) if measure_ids else None,
            suppress=not no_suppress,
            forecast=not no_forecast,
            horizon_months=horizon_months,
            scheduler=scheduler,
        )
        doc = result.to_json() if no_suppress else published_run(result, threshold(region))
    except (KeyError, ScenarioError) as exc:
        raise error(str(exc.args[0])) from None
    except DisclosureError as exc:
        raise error(f"{region_toml}: no safe suppression of these measures: {exc}") from None
    except ValueError as exc:  # a member's returns do not cover the date
        raise error(f"{region_toml}: {exc}") from None
    if json_out:
        print_json(doc)
        return
    _print_run(doc)


def _print_run(doc: dict[str, Any]) -> None:
    from rich.markup import escape
    from rich.table import Table

    from sufficiency.cli.measures import format_value

    out = console()
    codes = list(doc["councils"])
    out.print(f"[bold]{escape(doc['region'])}[/bold]: {len(codes)} councils at {doc['at']}")
    table = Table(title="Needs analysis", show_lines=True)
    table.add_column("Measure")
    for c in codes:
        table.add_column(c)
    table.add_column("Region")
    for mid, row in doc["needs"]["measures"].items():
        cells = [format_value(row["councils"][c]) for c in codes]
        table.add_row(mid, *map(escape, cells), escape(format_value(row["region"])))
    out.print(table)
    borders = Table(title="Where children live (looked after on the date)")
    for col in ("Council", "own area", "other members", "outside region", "unknown"):
        borders.add_column(col)
    for c, row in doc["market"]["across_borders"].items():
        others = ", ".join(f"{k} {v}" for k, v in row["other_members"].items()) or "-"
        borders.add_row(
            c, str(row["own_area"]), others, str(row["outside_region"]), str(row["unknown"])
        )
    out.print(borders)
    homes = doc["market"]["homes"]
    shared = [h for h in homes if len(h["councils"]) > 1]
    out.print(f"{len(homes)} homes used; {len(shared)} used by more than one member council.")
    outlook = doc.get("outlook")
    if outlook:
        for y in outlook["gap"]["years"]:
            short = [c["shortfall"] for c in y["by_type"].values()]
            total = escape("[c]") if "c" in short else f"{sum(short):.1f}"
            out.print(f"Regional gap {y['year']}: {total} places to buy spot")
        block = outlook.get("block_contract")
        if block:
            for y in block["years"]:
                out.print(
                    f"Block of {block['places']} {block['placement_type']} places, {y['year']}: "
                    f"saving {'-' if y['saving'] is None else format(y['saving'], ',')} a year"
                )


@region_app.command("statement")
def statement(
    region_toml: Annotated[Path, typer.Argument(help="REGION.toml: the member councils.")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write statement.* into.")],
    at: Annotated[
        str | None, typer.Option("--at", help="Reference date (default: last common 31 March).")
    ] = None,
    internal: Annotated[
        bool,
        typer.Option("--internal", help="Internal version: no suppression, homes by URN."),
    ] = False,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also print the PDF.")] = True,
    no_forecast: Annotated[
        bool, typer.Option("--no-forecast", help="Leave out the forecast, gap and block contract.")
    ] = False,
    horizon_months: Annotated[int, typer.Option("--horizon-months", min=1)] = 36,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="dask.distributed address for forecasts.")
    ] = None,
) -> None:
    """The regional sufficiency statement: HTML, PDF, XLSX and JSON, as the council's.

    Example: [bold]sufficiency region statement region.toml --out out/region[/bold]
    """
    from sufficiency.disclosure.audit import DisclosureError
    from sufficiency.region.analysis import analyse, threshold
    from sufficiency.report.output import write_statement
    from sufficiency.report.public import public_catalogue
    from sufficiency.report.regional import regional_check, regional_statement
    from sufficiency.report.sources import catalogue_info

    day = parse_date(at, "--at")
    if not internal:
        _published_day(day, "--internal")
    region = _load(region_toml)
    small = threshold(region)
    try:
        result = analyse(
            region,
            day,
            suppress=not internal,
            forecast=not no_forecast,
            horizon_months=horizon_months,
            scheduler=scheduler,
        )
        info = catalogue_info() if internal else public_catalogue(catalogue_info())
        data = regional_statement(result, "internal" if internal else "publish", small, info)
    except DisclosureError as exc:
        raise error(f"{region_toml}: no safe suppression; no statement written: {exc}") from None
    except ValueError as exc:  # a member's returns do not cover the date
        raise error(f"{region_toml}: {exc}; no statement written") from None
    try:
        written = write_statement(data, out, pdf=pdf, check=regional_check(small))
    except OSError as exc:
        raise error(f"could not write the statement to {out}: {exc}") from exc
    except DisclosureError as exc:
        raise error(f"{exc}; no statement written") from exc
    err = console(stderr=True)
    err.print(f"Regional statement for {data.la_name} ({data.mode}):")
    for path in written:
        err.print(f"  {path}")


@region_app.command("share")
def share(
    data: Annotated[Path, typer.Argument(help="The council's DATA folder.")],
    out: Annotated[Path, typer.Argument(help="The share to write (a .zip).")],
    json_out: Annotated[bool, typer.Option("--json", help="Print the manifest as JSON.")] = False,
) -> None:
    """Export what the council sends its region: pseudonymised (HMAC under the council's key,
    SUFFICIENCY_SECRET or SUFFICIENCY_SECRET_FILE), month of birth, postcode sectors.

    Example: [bold]SUFFICIENCY_SECRET_FILE=/secure/key sufficiency region share demo share.zip[/]
    """
    from sufficiency.privacy import SecretMissing, load_secret
    from sufficiency.region.share import write_share
    from sufficiency.report.protected_date import publication

    try:
        secret = load_secret(data)
    except SecretMissing as exc:
        raise error(str(exc)) from None
    ds = load_or_exit(data, stopped="no share written")
    manifest = write_share(ds, secret, out, published=publication(ds))
    if json_out:
        print_json(manifest.to_json())
        return
    console().print(
        f"Wrote {out}: {manifest.council}, returns {', '.join(map(str, manifest.returns))}, "
        f"{len(manifest.files)} files. It is still personal data: see docs/regional.md."
    )


@region_app.command("check")
def check(share_zip: Annotated[Path, typer.Argument(help="A share (.zip).")]) -> None:
    """The import check of a share: refuses direct identifiers, naming file, row and column.

    Example: [bold]sufficiency region check shares/E06000019.zip[/bold]
    """
    from sufficiency.region.share import ShareError, read_share

    try:
        ds = read_share(share_zip)
    except ShareError as exc:
        raise _problems_exit(exc.problems) from None
    console().print(
        f"{share_zip}: {ds.profile.code} {ds.profile.name}, {ds.episodes.height} episodes: "
        "no direct identifiers"
    )


@region_app.command("match")
def match(
    region_toml: Annotated[Path, typer.Argument(help="REGION.toml.")],
    council: Annotated[str, typer.Argument(help="The referring council's ONS code.")],
    referral: Annotated[Path, typer.Argument(help="A referral JSON file.")],
    top: Annotated[int | None, typer.Option("--top", min=1)] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
) -> None:
    """Match one council's referral across the region's vacancy pool (hard rules, reasons).

    Example: [bold]sufficiency region match region.toml E06000019 referral.json --json[/bold]
    """
    from sufficiency.cli.match import _print_single
    from sufficiency.matching.referral import ReferralError
    from sufficiency.matching.referral_files import read_referral_file
    from sufficiency.region.pool import match_in_region

    try:
        ref = read_referral_file(referral)
    except ValueError as exc:
        raise error(str(exc)) from None
    region = _load(region_toml)
    offers = {m.code: m.pool for m in region.config.members}
    try:
        result = match_in_region(region.councils, offers, council, ref)
    except KeyError as exc:
        raise error(str(exc.args[0])) from None
    except ReferralError as exc:
        raise error(f"{referral}: {exc}") from None
    payload = result.to_json(top=top)
    if json_out:
        print_json(payload)
    else:
        _print_single(payload)


def _published_day(day: dt.date | None, internal: str) -> None:
    """Exit with the reason when ``day`` is not a day whose suppressed figures are published
    (``report.protected_date.not_published``; the default, the last common 31 March, is)."""
    from sufficiency.report.protected_date import not_published

    why = None if day is None else not_published(day, [day.year])
    if why is not None:
        raise error(f"--at {day}: {why}; {internal} for this day's figures (internal use only)")
