"""``sufficiency match``: rank the vacancy pool for one referral, or allocate a batch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from sufficiency.cli.common import (
    console,
    error,
    load_or_exit,
    parse_date,
    print_json,
    print_problems,
)

if TYPE_CHECKING:
    from sufficiency.matching.referral import Referral


def match(
    data: Annotated[
        Path, typer.Argument(help="The DATA folder (la.toml, registers/vacancies.csv).")
    ],
    referral: Annotated[
        Path | None,
        typer.Argument(help="A referral JSON file (its fields: docs/referral-summaries.md)."),
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
    as_at: Annotated[
        str | None,
        typer.Option(
            "--as-at",
            help="Match on this day (YYYY-MM-DD): a referral needed before it needs a home "
            "from it, so a vacancy available by then is in time.",
        ),
    ] = None,
) -> None:
    """Find homes: rank every vacancy for one referral, or allocate a batch of referrals.

    Hard rules exclude a vacancy with a reason; the rest are scored by named, weighted
    components. Example: [bold]sufficiency match demo referral.json --json[/bold] (the
    referral JSON's fields: docs/referral-summaries.md) or [bold]sufficiency match demo
    --batch demo/registers/referrals.csv --as-at 2026-03-31 --json[/bold]. A synthetic
    council's referrals register holds the past year's referrals, each needed before the
    vacancies open on the last return's 31 March: without --as-at that day every one fails
    the availability rule and none is allocated.
    """
    day = parse_date(as_at, "--as-at")
    if (referral is None) == (batch is None):
        raise error("give either a REFERRAL.json file or --batch REFERRALS.csv (not both)")
    if method not in ("optimal", "greedy"):
        raise error(f"--method: expected optimal or greedy (got {method!r})")
    from sufficiency.ingest.problems import READ_AS_MEANT
    from sufficiency.matching.config import ScoringConfig, load_config
    from sufficiency.matching.referral_files import read_referral_file, read_referrals

    try:
        config = load_config(weights) if weights else ScoringConfig()
        if batch is not None:
            refs, warnings = read_referrals(batch)
        else:
            refs, warnings = [read_referral_file(referral)], []  # type: ignore[arg-type]
    except ValueError as exc:
        raise error(str(exc)) from None
    print_problems(p for p in warnings if p.code not in READ_AS_MEANT)
    if day is not None:
        refs = needed_from(refs, day)

    ds = load_or_exit(data)
    if ds.register("vacancies") is None:
        raise error(f"{data}: no vacancies register (registers/vacancies.csv) to match against")

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
        raise error(f"{source}: {exc}") from None
    if day is not None:
        payload["as_at"] = day.isoformat()
    if json_out:
        print_json(payload)
    elif batch is None:
        _print_single(payload)
    else:
        _print_batch(payload)


def needed_from(referrals: Sequence[Referral], day: dt.date) -> list[Referral]:
    """The referrals as on ``day``: one needed before it still needs a home, from ``day``
    (the availability rule then compares a vacancy's date with ``day``)."""
    return [r.model_copy(update={"needed_by": day}) if r.needed_by < day else r for r in referrals]


def _print_as_at(payload: dict[str, Any]) -> None:
    """Say the day matched on, when ``--as-at`` moved it."""
    if "as_at" in payload:
        console().print(
            f"As at {payload['as_at']}: a referral needed before then needs a home from that day."
        )


def _print_single(payload: dict[str, Any]) -> None:
    from collections import Counter

    from rich.markup import escape
    from rich.table import Table

    out = console()
    _print_as_at(payload)
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
    out.print(table)
    if len(options) > 20:
        out.print(f"... and {len(options) - 20} more options (use --json for all)")
    rules = Counter(e["rule"] for e in payload["excluded"])
    if rules:
        out.print(
            f"Excluded {len(payload['excluded'])} vacancies: "
            + ", ".join(f"{rule} {n}" for rule, n in rules.most_common())
        )
    for note in payload.get("notes", []):
        out.print(f"[yellow]note:[/yellow] {escape(note)}")


def _print_batch(payload: dict[str, Any]) -> None:
    from rich.markup import escape
    from rich.table import Table

    out = console()
    _print_as_at(payload)
    table = Table(title=f"{len(payload['allocations'])} referral(s) allocated")
    table.add_column("Referral")
    table.add_column("Vacancy")
    table.add_column("Score", justify="right")
    for a in payload["allocations"]:
        table.add_row(escape(a["referral"]), escape(a["vacancy_id"]), f"{a['score']:.1f}")
    out.print(table)
    for u in payload["unallocated"]:
        out.print(f"[red]not allocated[/red] {escape(u['referral'])}: {escape(u['why'])}")
    comp = payload.get("comparison", {})
    for name, vals in comp.items():
        out.print(
            f"{name}: {vals['allocated']:.0f} allocated, total score {vals['total_score']:.2f}"
        )
