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
    """Configure Django (its state folder from SUFFICIENCY_STATE_DIR, or ``state``).

    Everything the web commands write (database, keys, logs, uploads, backups, statements) holds
    or derives from child records, so it is created private to this account (umask 077).
    """
    os.umask(0o077)
    if state is not None:
        os.environ.setdefault("SUFFICIENCY_STATE_DIR", str(state.resolve()))
    from sufficiency.web.setup import setup_django

    try:
        setup_django()
    except ValueError as exc:  # a bad setting, e.g. SUFFICIENCY_TRUSTED_PROXIES
        raise error(str(exc)) from exc


def serve(
    demo: Annotated[
        bool,
        typer.Option("--demo", help="Load the synthetic demo council and print an admin login."),
    ] = False,
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")
    ] = 8000,
    bind: Annotated[
        str,
        typer.Option(
            "--bind", help="Address to listen on (default loopback: put a TLS proxy in front)."
        ),
    ] = "127.0.0.1",
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Worker processes (default CPUs + 1, max 9)."),
    ] = None,
    threads: Annotated[
        int, typer.Option("--threads", min=1, help="Threads in each worker process.")
    ] = 4,
    dev: Annotated[
        bool,
        typer.Option("--dev", help="Django's development server (one process, for development)."),
    ] = False,
    data: Annotated[
        Path | None, typer.Option("--data", help="Import this DATA folder first.")
    ] = None,
) -> None:
    """Run the web workspace: gunicorn with WhiteNoise static files and JSON logs (docs/deploy.md).

    Migrates the database and collects static files into the state folder first. Logs go to
    stdout and STATE/logs/web.log; /health/ answers without sign-in.

    Example: [bold]sufficiency serve --demo --port 8000[/bold]
    """
    if demo:
        os.environ.setdefault("SUFFICIENCY_STATE_DIR", str(Path(".sufficiency-web-demo").resolve()))
    if os.environ.get("SUFFICIENCY_HTTPS", "") != "1":
        # Plain http (loopback): cookies cannot be Secure without TLS. Behind a TLS proxy set
        # SUFFICIENCY_HTTPS=1 and they are.
        os.environ.setdefault("SUFFICIENCY_INSECURE_COOKIES", "1")
    if not dev:
        os.environ["SUFFICIENCY_STATIC_MANIFEST"] = "1"
    _django()
    from django.conf import settings
    from django.core.management import call_command

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
    if not dev:
        call_command("collectstatic", interactive=False, verbosity=0)
    host = f"[{bind}]" if ":" in bind else bind
    if demo:
        password = create_user("admin", "admin")
        typer.echo(
            f"\n  Sign in at http://{host}:{port}/accounts/login/  user: admin  password: {password}\n"
        )
    typer.echo(f"Serving on http://{host}:{port}/ (logs: {settings.LOG_FILE or 'stdout'})")
    sys.stdout.flush()
    if dev:
        call_command("runserver", f"{host}:{port}", "--noreload", "--insecure")
        return
    from sufficiency.web.serving import default_workers, exec_server

    exec_server(bind, port, workers or default_workers(), threads, settings.TRUSTED_PROXIES)


def backup(
    out: Annotated[Path, typer.Argument(help="Zip file to write.")],
) -> None:
    """Back up the web database and uploads to a zip (verified on restore).

    Example: [bold]sufficiency backup backups/2026-11-22.zip[/bold]
    """
    _django()
    from sufficiency.web.operations import backup as do_backup

    try:
        counts = do_backup(out)
    except RuntimeError as exc:
        raise error(str(exc)) from exc
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
    try:
        removed = apply_retention(years if years is not None else settings.RETENTION_YEARS)
    except ValueError as exc:
        raise error(f"--years: {exc}; nothing deleted") from exc
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
