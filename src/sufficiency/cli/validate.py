"""``sufficiency validate``: load a DATA folder and report what is wrong with it."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sufficiency.cli.common import console, error, print_json, where

if TYPE_CHECKING:
    from sufficiency.ingest.problems import Problem

#: Problems printed one by one in the Rich view (all of them go to --json).
WARNINGS_PER_CODE = 3
SHOWN = 60


def validate(
    data: Annotated[Path, typer.Argument(help="The DATA folder (la.toml, ssda903/<year>/, ...).")],
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the result as JSON on stdout.")
    ] = False,
    dfe_rules: Annotated[
        bool,
        typer.Option(
            "--dfe-rules",
            help="Also run the DfE validation rules (csc-validator-be-903) on each return.",
        ),
    ] = False,
) -> None:
    """Check the SSDA903 returns, registers and profile in DATA; exit 1 if any error.

    Example: [bold]sufficiency validate demo --json[/bold]
    """
    from sufficiency.ingest.loader import load_data
    from sufficiency.ingest.problems import has_errors
    from sufficiency.report.narrative import narrative_problems

    status = console(stderr=True)  # progress on stderr: stdout stays pure JSON with --json
    with status.status(f"Reading {data} ..."):
        result = load_data(data)
    problems = list(result.problems) + narrative_problems(
        result.dataset.narrative if result.dataset else {}
    )
    if result.dataset is not None:
        from sufficiency.measures.measure_rows import measure_row_problems
        from sufficiency.measures.population_fit import population_problems, population_steps

        problems += (
            measure_row_problems(result.dataset)
            + population_problems(result.dataset)
            + population_steps(result.dataset)
        )
    summaries: list[dict[str, object]] = []
    if dfe_rules:
        from dataclasses import asdict

        from sufficiency.ingest.dfe_rules import run_dfe_rules_detailed

        years = [r.year for r in result.returns] or None
        la_code = result.dataset.profile.code if result.dataset is not None else None
        with status.status("Running the DfE validation rules on each return ..."):
            try:
                dfe = run_dfe_rules_detailed(data, years, la_code=la_code)
            except RuntimeError as exc:
                raise error(f"The DfE rules could not run: {exc}", status) from exc
        problems += dfe.problems
        summaries = [asdict(y) for y in dfe.years]
    result.problems = problems
    failed = has_errors(problems)
    payload = result.to_json()
    payload["ok"] = not failed
    if dfe_rules:
        payload["dfe_rules"] = summaries
    if json_out:
        print_json(payload)
    else:
        _print_rich(data, payload, problems, failed)
    raise typer.Exit(1 if failed else 0)


def _rows_covered(problem: Problem) -> int:
    """How many rows a problem stands for: 1, or N for an "N more row(s) like the above" line."""
    match = re.match(r"(\d+) more row", problem.message) if problem.row is None else None
    return int(match.group(1)) if match else 1


def _print_rich(
    data: Path, payload: dict[str, object], problems: list[Problem], failed: bool
) -> None:
    from rich.markup import escape
    from rich.table import Table

    out = console()
    summary = Table(title=escape(f"SSDA903 returns in {data}"))
    summary.add_column("Return (year ending 31 March)")
    summary.add_column("Children", justify="right")
    summary.add_column("Episodes", justify="right")
    returns = payload["returns"]
    assert isinstance(returns, list)
    for r in returns:
        summary.add_row(str(r["year"]), f"{r['children']:,}", f"{r['episodes']:,}")
    summary.add_row(
        "[bold]All returns (merged)[/bold]",
        f"[bold]{payload['children']:,}[/bold]",
        f"[bold]{payload['episodes']:,}[/bold]",
    )
    out.print(summary)
    dfe = payload.get("dfe_rules")
    if isinstance(dfe, list) and dfe:
        rules = Table(title="DfE validation rules (csc-validator-be-903)")
        columns = ("Return", "Ruleset", "Rules run", "Failed", "Rows", "Raw failed", "Raw rows")
        for col in (*columns, "Skipped", "Crashed"):
            rules.add_column(col, justify="left" if col in ("Return", "Ruleset") else "right")
        for y in dfe:  # raw = the validator's own result, before the DfE's cited exceptions
            rules.add_row(
                str(y["year"]),
                str(y["ruleset"]),
                str(y["rules_run"]),
                str(y["rules_failed"]),
                str(y.get("rows_flagged", "")),
                str(y.get("rules_failed_raw", "")),
                str(y.get("rows_flagged_raw", "")),
                str(y["rules_skipped"]),
                ", ".join(map(str, y["rules_crashed"])) or "0",
            )
        out.print(rules)

    if problems:
        counts: Counter[tuple[str, str]] = Counter()
        for p in problems:
            counts[(p.severity, p.code)] += _rows_covered(p)
        by_code = Table(title="Problems by code")
        by_code.add_column("Severity")
        by_code.add_column("Code")
        by_code.add_column("Rows / files", justify="right")
        for (severity, code), n in sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1])):
            style = "red" if severity == "error" else "yellow"
            by_code.add_row(f"[{style}]{severity}[/{style}]", code, str(n))
        out.print(by_code)

        detail = Table(title="Problems")
        detail.add_column("Severity", no_wrap=True)
        detail.add_column("Code", no_wrap=True)
        detail.add_column("Where (file:row:column)", overflow="fold")
        detail.add_column("Message", overflow="fold", ratio=1)
        ordered = sorted(
            problems, key=lambda p: (p.severity != "error", p.file, p.row is None, p.row or 0)
        )
        # every error (up to SHOWN); warnings a few per code, since repairs such as the same
        # episode in consecutive returns are routine and the table above counts them all
        shown: list[Problem] = []
        per_code: Counter[str] = Counter()
        for p in ordered:
            if p.severity == "warning" and per_code[p.code] >= WARNINGS_PER_CODE:
                continue
            per_code[p.code] += 1
            shown.append(p)
        for p in shown[:SHOWN]:
            style = "red" if p.severity == "error" else "yellow"
            detail.add_row(
                f"[{style}]{p.severity}[/{style}]", p.code, escape(where(p)), escape(p.message)
            )
        out.print(detail)
        if len(problems) > min(len(shown), SHOWN):
            hidden = len(problems) - min(len(shown), SHOWN)
            out.print(f"... and {hidden} more (use --json to see them all)")
    verdict = "[red]Errors stop the load (exit 1).[/red]" if failed else "[green]OK.[/green]"
    out.print(verdict)
