"""What every command shares: the console, loading a DATA folder or stopping, errors and JSON.

Only typer, the standard library and (inside functions) rich are imported here, so that
``sufficiency --help`` never pays for polars or the analyses.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from sufficiency.dataset import Dataset
    from sufficiency.ingest.loader import LoadResult
    from sufficiency.ingest.problems import Problem


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or stand-in stream
        return False


@cache
def _console_class() -> type[Console]:
    """Rich's Console, printing text unbroken when ``soft_wrap`` is set (built on first use, so
    that importing the CLI does not import rich)."""
    from rich.console import Console
    from rich.text import Text

    class TextConsole(Console):
        """Text (messages) follows ``soft_wrap``; tables and progress keep their own layout."""

        def print(self, *objects: Any, **kwargs: Any) -> None:
            if "soft_wrap" not in kwargs and not all(isinstance(o, str | Text) for o in objects):
                kwargs["soft_wrap"] = False
            super().print(*objects, **kwargs)

    return TextConsole


def console(*, stderr: bool = False) -> Console:
    """The Rich console of a command: stdout for results, ``stderr=True`` for messages/progress.

    Written to a file, a pipe or a test runner it never breaks a line of text (Rich would
    otherwise wrap at 80 columns, splitting a long path mid-word); on a terminal it wraps between
    words. Tables are laid out to the width either way. Emoji codes are off: a location such as
    ``file:3:PLACE`` prints as written.
    """
    stream = sys.stderr if stderr else sys.stdout
    return _console_class()(stderr=stderr, soft_wrap=not _is_tty(stream), emoji=False)


def error(message: str, out: Console | None = None) -> typer.Exit:
    """Print ``error: message`` (on stderr unless another console is given, e.g. the one showing
    progress); return the exit-1 for the caller to raise: ``raise error(...)``."""
    from rich.markup import escape

    (out or console(stderr=True)).print(f"[red]error:[/red] {escape(message)}")
    return typer.Exit(1)


def warn(message: str, out: Console | None = None) -> None:
    """Print ``warning: message`` (on stderr unless another console is given)."""
    from rich.markup import escape

    (out or console(stderr=True)).print(f"[yellow]warning:[/yellow] {escape(message)}")


def print_json(doc: object) -> None:
    """Write one JSON document to stdout: the form of every ``--json`` output. A figure that is
    not a number (NaN, infinite) is not JSON: nothing is printed and the command stops, rather
    than hand a reader a document their JSON parser refuses (the inputs that gave one are now
    refused where they are read; this is the last guard)."""
    try:
        text = json.dumps(doc, indent=2, default=str, allow_nan=False)
    except ValueError:
        raise error(
            "the output holds a figure that is not a number (NaN or infinite), so it is not "
            "valid JSON: nothing printed. Please report this with the command you ran"
        ) from None
    typer.echo(text)


def parse_date(value: str | None, option: str) -> dt.date | None:
    """An ISO date option (``--at 2024-03-31``) or None; exit 1 naming the option when bad."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise error(f"{option} {value} is not a date: expected YYYY-MM-DD") from None


def where(problem: Problem) -> str:
    """Where a problem is: ``file:row:column``, leaving out the parts it does not have."""
    parts = [problem.file]
    if problem.row is not None:
        parts.append(str(problem.row))
    if problem.column:
        parts.append(problem.column)
    return ":".join(parts)


def problem_line(problem: Problem) -> str:
    """One problem as a line of Rich markup: severity, ``file:row:column``, code and message."""
    from rich.markup import escape

    style = "red" if problem.severity == "error" else "yellow"
    return (
        f"[{style}]{problem.severity}[/{style}] {escape(where(problem))} "
        f"{escape(problem.code)}: {escape(problem.message)}"
    )


def print_problems(problems: Iterable[Problem], out: Console | None = None) -> None:
    """Print problems one a line (on stderr unless another console is given)."""
    out = out or console(stderr=True)
    for p in problems:
        out.print(problem_line(p))


def load_or_exit(data_dir: Path, *, stopped: str = "nothing was computed") -> Dataset:
    """Load DATA through ingest; on errors print each one and why nothing followed, exit 1.

    ``stopped`` says what the command did not do (e.g. "no statement written"). A command
    prints only the errors, so the load leaves out the warnings that are slow to work out.
    """
    return _dataset_or_exit(_load(data_dir), data_dir, stopped)


def _load(data_dir: Path) -> LoadResult:
    """The load a command makes: errors only (the slow warnings are left out)."""
    from sufficiency import ingest  # looked up at call time: tests stand in a loader

    return ingest.load_data(data_dir, warnings=False)


def load_in_background(
    data_dir: Path, *, stopped: str = "nothing was computed"
) -> Callable[[], Dataset]:
    """:func:`load_or_exit` begun in a thread: the call returned waits for it (and prints the
    errors and exits 1 as ``load_or_exit`` does). A command imports what it needs meanwhile
    (the forecast's model and numpy, ~0.2 s): the load spends its time in Polars, which lets go
    of the GIL, so the two overlap. Ingest's modules, the registers' too, are imported here
    first: two threads importing modules that import each other can deadlock. The thread is a
    daemon: a command stopped meanwhile (an error, Ctrl-C) exits without waiting for the load.
    """
    from sufficiency.ingest import registers  # noqa: F401  (imported lazily by the load)

    loading: Future[LoadResult] = Future()

    def load() -> None:
        try:
            loading.set_result(_load(data_dir))
        except BaseException as exc:  # handed to the waiting command, raised there
            loading.set_exception(exc)

    threading.Thread(target=load, name="load", daemon=True).start()
    return lambda: _dataset_or_exit(loading.result(), data_dir, stopped)


def _repeat_warnings(problems: Iterable[Problem], data_dir: Path) -> None:
    """One line on stderr naming the kinds of the load's warnings that may change the figures
    (a missing return, a register of no rows, a value read as blank): a command's figures are
    not taken for the files' own without a word. ``validate`` lists each one (and counts them:
    past 20 of a kind, the problems here hold one more counting the rest)."""
    from sufficiency.ingest.problems import READ_AS_MEANT

    kinds = sorted(
        {p.code for p in problems if p.severity == "warning" and p.code not in READ_AS_MEANT}
    )
    if kinds:
        typer.echo(
            f"warning: {data_dir} has warnings that may change the figures "
            f"({', '.join(kinds)}): sufficiency validate {data_dir} lists them",
            err=True,
        )


def council_warnings(ds: Dataset) -> list[Problem]:
    """The warnings that la.toml describes another council than the returns (a code whose
    council is not where the children lived, a population that puts the rate several times off
    the council's published one, or that jumps where a year's is not given): every figure by
    location or per 10,000 would be wrong, so every command says them in full (``validate``
    among the rest; a command's load leaves out its slow warnings, these are cheap)."""
    from sufficiency.ingest.council_fit import homes_elsewhere
    from sufficiency.measures.population_fit import population_problems, population_steps

    profile = ds.profile
    found = population_problems(ds) + population_steps(ds)
    if profile.code:
        found = homes_elsewhere(profile.code, profile.neighbours, ds.episodes, "la.toml") + found
    return found


def _dataset_or_exit(result: LoadResult, data_dir: Path, stopped: str) -> Dataset:
    """The loaded Dataset; or, when the load found errors, print them and exit 1."""
    errors = [p for p in result.problems if p.severity == "error"]
    if result.dataset is not None and not errors:
        _repeat_warnings(result.problems, data_dir)
        print_problems(council_warnings(result.dataset))
        return result.dataset
    from rich.markup import escape  # only to report errors: a clean load never pays for rich

    err = console(stderr=True)
    print_problems(errors, err)
    err.print(
        f"[red]{len(errors)} error(s) in {escape(str(data_dir))}: {escape(stopped)}[/red] "
        f"(sufficiency validate {escape(str(data_dir))} lists every problem)"
    )
    raise typer.Exit(1)
