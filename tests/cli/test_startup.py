"""Start-up stays light: ``--help`` and the CLI import never load the analysis stack.

Each case runs in a fresh interpreter (this test process has long since imported Polars) and
reports which modules were loaded; times live in ``benchmarks/bench_startup.py``, not here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

#: Packages that only a command's work may import, never its help or the CLI's import.
HEAVY = (
    "polars",
    "numpy",
    "scipy",
    "pandas",
    "matplotlib",
    "plotly",
    "weasyprint",
    "django",
    "dask",
    "jinja2",
    "xlsxwriter",
    "brotli",
    "msgpack",
    "pydantic",
    "sufficiency.forecast",
    "sufficiency.measures",
    "sufficiency.ingest",
    "sufficiency.dataset",
    "sufficiency.geo",
    "sufficiency.report",
    "sufficiency.supply",
    "sufficiency.matching",
    "sufficiency.synth",
    "sufficiency.web",
    "sufficiency.published",
)

SCRIPT = """
import json, sys
args, heavy = json.loads(sys.argv[1]), json.loads(sys.argv[2])
code = 0
if args is None:
    import sufficiency.cli
else:
    sys.argv = ["sufficiency", *args]
    from sufficiency.cli import main
    try:
        main()
    except SystemExit as exc:
        code = exc.code or 0
loaded = sorted(m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy))
print("\\nSTARTUP " + json.dumps({"code": code, "loaded": loaded}))
"""


def start(args: list[str] | None) -> tuple[str, int, list[str]]:
    """Run the CLI with ``args`` (None: only import it) in a fresh interpreter: (output, exit
    code, heavy modules loaded)."""
    env = {**os.environ, "COLUMNS": "120", "TERM": "dumb", "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(args), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    output, _, report = done.stdout.rpartition("\nSTARTUP ")
    assert report, done.stdout + done.stderr
    result = json.loads(report)
    return output, int(result["code"]), list(result["loaded"])


def test_importing_the_cli_loads_nothing_heavy() -> None:
    _, code, loaded = start(None)
    assert code == 0
    assert loaded == []


def test_top_level_help_lists_every_command_and_loads_nothing_heavy() -> None:
    output, code, loaded = start(["--help"])
    assert code == 0
    for command in ("synth", "validate", "measures", "forecast", "gap", "match", "statement",
                    "benchmarks", "serve", "backup", "restore", "retention", "user"):  # fmt: skip
        assert command in output, command
    assert loaded == []


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("validate", "--dfe-rules"),
        ("synth", "--seed"),
        ("forecast", "--model-config"),
        ("gap", "--scenario"),
        ("match", "--batch"),
        ("statement", "--mode"),
        ("benchmarks", "--year"),
        ("serve", "--port"),
        ("backup", "Zip file to write"),
        ("restore", "Backup zip"),
        ("retention", "--years"),
        ("user", "--role"),
    ],
)
def test_command_help_loads_nothing_heavy(command: str, expected: str) -> None:
    output, code, loaded = start([command, "--help"])
    assert code == 0
    assert expected in output
    assert loaded == []


def test_measures_help_lists_the_catalogue_without_the_forecast() -> None:
    """Its help lists every measure, so it loads the catalogue (Polars), but nothing above."""
    output, code, loaded = start(["measures", "--help"])
    assert code == 0
    assert "cla_count - Children looked after" in output
    assert not [m for m in loaded if m.startswith(("sufficiency.forecast", "django", "weasyprint"))]


def test_a_command_leaves_its_objects_to_the_process_end_not_to_a_last_collection() -> None:
    """``main`` freezes every object when the command is done (``sufficiency.cli.main``): the
    interpreter's last collection then has nothing to walk. Run in a fresh interpreter, as the
    console script runs, on an error exit too."""
    script = (
        "import gc, sys\n"
        "sys.argv = ['sufficiency', 'validate', '/no/such/folder']\n"
        "from sufficiency.cli import main\n"
        "before = gc.get_freeze_count()\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        "print('FROZEN', before, gc.get_freeze_count() > 1000, code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.stdout.splitlines()[-1] == "FROZEN 0 True 1", done.stdout + done.stderr
