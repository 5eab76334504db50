"""The web workspace's commands: ``serve``, ``backup``, ``restore``, ``retention``, ``user``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from sufficiency.cli.common import error, print_problems, warn

DEMO_DIR = Path("demo")


def _django(state: Path | None = None) -> None:
    """Configure Django (its state folder from SUFFICIENCY_STATE_DIR, or ``state``)."""
    if state is not None:
        os.environ.setdefault("SUFFICIENCY_STATE_DIR", str(state.resolve()))
    from sufficiency.web.setup import setup_django

    setup_django()


def serve(
    demo: Annotated[
        bool,
        typer.Option("--demo", help="Load the synthetic demo council and print an admin login."),
    ] = False,
    port: Annotated[int, typer.Option("--port", help="Port to listen on (localhost only).")] = 8000,
    data: Annotated[
        Path | None, typer.Option("--data", help="Import this DATA folder first.")
    ] = None,
) -> None:
    """Run the web workspace on http://127.0.0.1:PORT.

    Example: [bold]sufficiency serve --demo --port 8000[/bold]
    """
    if demo:
        os.environ.setdefault("SUFFICIENCY_STATE_DIR", str(Path(".sufficiency-web-demo").resolve()))
    # Local http serving: cookies cannot be Secure without TLS. Put a TLS proxy in front in production.
    os.environ.setdefault("SUFFICIENCY_INSECURE_COOKIES", "1")
    _django()
    from sufficiency.web.frontend import FrontendError, ensure_frontend
    from sufficiency.web.operations import create_user, migrate

    try:
        ensure_frontend()
    except FrontendError as exc:
        warn(f"{exc}; pages will be unstyled")
    migrate()
    source = data
    if demo and source is None:
        source = DEMO_DIR
        if not (DEMO_DIR / "la.toml").exists():
            # A separate process: synth imports qlacref_authorities, which replaces its own module
            # object and so breaks the package look-up geo makes later in this process.
            import subprocess

            proc = subprocess.run(
                [sys.executable, "-m", "sufficiency.cli", "synth", str(DEMO_DIR), "--seed", "2026"],
                check=False,
            )
            if proc.returncode != 0:
                raise typer.Exit(proc.returncode)
    if source is not None:
        from sufficiency.web.bridge import import_data_folder
        from sufficiency.web.data.models import ReturnYear

        if not ReturnYear.objects.exists():
            typer.echo(f"Importing {source} ...")
            for result in import_data_folder(source):
                if not result.ok:
                    print_problems(p for p in result.problems if p.severity == "error")
                    raise typer.Exit(1)
    if demo:
        password = create_user("admin", "admin")
        typer.echo(
            f"\n  Sign in at http://127.0.0.1:{port}/accounts/login/  user: admin  password: {password}\n"
        )
    from django.core.management import call_command

    call_command("runserver", f"127.0.0.1:{port}", "--noreload", "--insecure")


def backup(
    out: Annotated[Path, typer.Argument(help="Zip file to write.")],
) -> None:
    """Back up the web database and uploads to a zip (verified on restore).

    Example: [bold]sufficiency backup backups/2026-11-22.zip[/bold]
    """
    _django()
    from sufficiency.web.operations import backup as do_backup

    counts = do_backup(out)
    typer.echo(f"Backed up {sum(counts.values())} rows to {out}")


def restore(
    src: Annotated[Path, typer.Argument(help="Backup zip written by `sufficiency backup`.")],
) -> None:
    """Restore the web database and uploads from a backup, verifying every table's row count.

    Example: [bold]sufficiency restore backups/2026-11-22.zip[/bold]
    """
    _django()
    from sufficiency.web.operations import migrate
    from sufficiency.web.operations import restore as do_restore

    if not src.is_file():
        raise error(f"{src}: no such backup file")
    migrate()
    try:
        counts = do_restore(src)
    except RuntimeError as exc:
        raise error(str(exc)) from exc
    typer.echo(f"Restored and verified {sum(counts.values())} rows from {src}")


def retention(
    years: Annotated[
        int | None,
        typer.Option(
            "--years", help="Keep this many years (default: SUFFICIENCY_RETENTION_YEARS or 7)."
        ),
    ] = None,
) -> None:
    """Delete child-level data older than N years, writing an audit entry for each deletion.

    Example: [bold]sufficiency retention --years 7[/bold]
    """
    _django()
    from django.conf import settings

    from sufficiency.web.operations import apply_retention, migrate

    migrate()
    removed = apply_retention(years if years is not None else settings.RETENTION_YEARS)
    typer.echo(f"Deleted returns: {', '.join(map(str, removed)) or 'none'}")


def user(
    username: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[
        str, typer.Option("--role", help="admin, analyst, home_finder, commissioner or viewer.")
    ],
    password: Annotated[
        str | None, typer.Option("--password", help="Password (printed if generated).")
    ] = None,
) -> None:
    """Create a web user with a role (or change their role and password).

    Example: [bold]sufficiency user jo.bloggs --role commissioner[/bold]
    """
    _django()
    from sufficiency.web.operations import create_user, migrate

    migrate()
    try:
        pw = create_user(username, role, password)
    except ValueError as exc:
        raise error(str(exc)) from exc
    typer.echo(
        f"{username} ({role}) password: {pw}" if password is None else f"{username} ({role}) saved"
    )
    sys.stdout.flush()
