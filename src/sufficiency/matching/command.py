"""CLI command ``sufficiency match``: rank the vacancy pool for one referral, or allocate a batch."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

if TYPE_CHECKING:
    from sufficiency.matching.referral import Referral


def _fail(message: str) -> typer.Exit:
    typer.echo(f"sufficiency match: {message}", err=True)
    return typer.Exit(1)


def read_referral_file(path: Path) -> Referral:
    """A referral JSON file -> Referral; raise ValueError with a message naming file and field."""
    from sufficiency.matching.referral import ReferralError, parse_referral

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"{path}: referral file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot read the referral: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    try:
        return parse_referral(data, str(path))
    except ReferralError as exc:
        raise ValueError(str(exc)) from None


def read_referrals_csv(path: Path) -> list[Referral]:
    """A referrals CSV (one referral a row) -> Referrals; errors name file, row and field."""
    import polars as pl

    from sufficiency.matching.referral import ReferralError, referral_from_row

    if not path.is_file():
        raise ValueError(f"{path}: referrals file not found")
    try:
        frame = pl.read_csv(path, infer_schema_length=0, encoding="utf8-lossy")
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise ValueError(f"{path}: cannot read as CSV: {exc}") from None
    cols = {c.strip().lower() for c in frame.columns}
    if not cols & {"id", "referral_id"}:
        raise ValueError(f"{path}: missing column id (the referral id)")
    refs: list[Referral] = []
    seen: dict[str, int] = {}
    for k, row in enumerate(frame.iter_rows(named=True)):
        line = k + 2  # spreadsheet row: header is row 1
        try:
            ref = referral_from_row(row, str(path), line)
        except ReferralError as exc:
            raise ValueError(str(exc)) from None
        if ref.id in seen:
            raise ValueError(
                f"{path} row {line}: id: referral {ref.id!r} repeats row {seen[ref.id]}"
            )
        seen[ref.id] = line
        refs.append(ref)
    return refs


def match(
    data: Annotated[
        Path, typer.Argument(help="The DATA folder (la.toml, registers/vacancies.csv).")
    ],
    referral: Annotated[
        Path | None, typer.Argument(help="A referral JSON file (DESIGN.md referral fields).")
    ] = None,
    batch: Annotated[
        Path | None,
        typer.Option("--batch", help="Allocate every referral in this CSV (one a row) at once."),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
    weights: Annotated[
        Path | None, typer.Option("--weights", help="YAML scoring config (weights, curves).")
    ] = None,
    top: Annotated[
        int | None, typer.Option("--top", min=1, help="Show only the best N options.")
    ] = None,
    method: Annotated[
        str, typer.Option("--method", help="Batch allocation: optimal or greedy (first come).")
    ] = "optimal",
) -> None:
    """Find homes: rank every vacancy for one referral, or allocate a batch of referrals.

    Hard rules exclude a vacancy with a reason; the rest are scored by named, weighted
    components. Example: [bold]sufficiency match demo referral.json --json[/bold] or
    [bold]sufficiency match demo --batch demo/registers/referrals.csv --json[/bold]
    """
    if (referral is None) == (batch is None):
        raise _fail("give either a REFERRAL.json file or --batch REFERRALS.csv (not both)")
    if method not in ("optimal", "greedy"):
        raise _fail(f"--method: expected optimal or greedy (got {method!r})")
    from sufficiency.matching.config import ScoringConfig, load_config

    try:
        config = load_config(weights) if weights else ScoringConfig()
        refs = read_referrals_csv(batch) if batch else [read_referral_file(referral)]  # type: ignore[arg-type]
    except ValueError as exc:
        raise _fail(str(exc)) from None

    from sufficiency.ingest import load_data
    from sufficiency.ingest.problems import has_errors

    loaded = load_data(data)
    if loaded.dataset is None or has_errors(loaded.problems):
        for p in loaded.problems:
            if p.severity == "error":
                where = (
                    f"{p.file}"
                    + (f" row {p.row}" if p.row else "")
                    + (f" {p.column}" if p.column else "")
                )
                typer.echo(f"error: {where}: {p.message}", err=True)
        raise typer.Exit(1)
    ds = loaded.dataset
    if ds.register("vacancies") is None:
        raise _fail(f"{data}: no vacancies register (registers/vacancies.csv) to match against")

    from sufficiency.matching.engine import match_referral
    from sufficiency.matching.pool import pool_from_dataset
    from sufficiency.matching.referral import ReferralError

    pool = pool_from_dataset(ds)
    try:
        if batch is None:
            result = match_referral(pool, refs[0], config)
            payload: dict[str, Any] = result.to_json(top=top)
        else:
            from sufficiency.matching.allocate import allocate

            chosen: Literal["optimal", "greedy"] = "greedy" if method == "greedy" else "optimal"
            payload = allocate(pool, refs, config, method=chosen).to_json()
    except ReferralError as exc:
        source = str(batch or referral)
        raise _fail(f"{source}: {exc}") from None
    if json_out:
        typer.echo(json.dumps(payload, indent=2))
    elif batch is None:
        _print_single(payload)
    else:
        _print_batch(payload)


def _print_single(payload: dict[str, Any]) -> None:
    from collections import Counter

    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    options = payload["options"]
    table = Table(title=f"Referral {escape(payload['referral'])}: {len(options)} option(s)")
    table.add_column("#", justify="right")
    table.add_column("Vacancy")
    table.add_column("Type")
    table.add_column("Score", justify="right")
    table.add_column("Why")
    for k, opt in enumerate(options[:20], start=1):
        table.add_row(
            str(k),
            escape(opt["vacancy_id"]),
            opt.get("placement_type", ""),
            f"{opt['score']:.1f}",
            escape("\n".join(opt["reasons"])),
        )
    console.print(table)
    if len(options) > 20:
        console.print(f"... and {len(options) - 20} more options (use --json for all)")
    rules = Counter(e["rule"] for e in payload["excluded"])
    if rules:
        console.print(
            f"Excluded {len(payload['excluded'])} vacancies: "
            + ", ".join(f"{rule} {n}" for rule, n in rules.most_common())
        )
    for note in payload.get("notes", []):
        console.print(f"[yellow]note:[/yellow] {escape(note)}")


def _print_batch(payload: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    table = Table(title=f"{len(payload['allocations'])} referral(s) allocated")
    table.add_column("Referral")
    table.add_column("Vacancy")
    table.add_column("Score", justify="right")
    for a in payload["allocations"]:
        table.add_row(escape(a["referral"]), escape(a["vacancy_id"]), f"{a['score']:.1f}")
    console.print(table)
    for u in payload["unallocated"]:
        console.print(f"[red]not allocated[/red] {escape(u['referral'])}: {escape(u['why'])}")
    comp = payload.get("comparison", {})
    for name, vals in comp.items():
        console.print(
            f"{name}: {vals['allocated']:.0f} allocated, total score {vals['total_score']:.2f}"
        )
