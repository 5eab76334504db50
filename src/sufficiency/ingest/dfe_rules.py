"""The DfE's SSDA903 validation rules, run through csc-validator-be-903 in its own environment.

The validator pins old pandas and rich, so it lives in its own virtual environment
(``<repo>/.peer-venvs/val903``, or the interpreter named by ``SUFFICIENCY_VALIDATOR_PYTHON``) and
we drive it through its Python API in a subprocess with a small driver script of our own. Each
return is checked with the ruleset of its collection year (the nearest shipped one outside
lac2022_23..lac2026_27), with the previous year's return supplied, as it is, so year-on-year
rules run. Failing rules come back as ``Problem`` errors (code ``dfe_<rule>``), rules that
crashed inside the validator as warnings.

The validator's raw results are kept (``DfeRulesResult.raw``, the ``*_raw`` counts of each
year). Then a short list of the DfE's own documented year-to-year exceptions is applied
(``EXCEPTIONS``, each cited): a failure one of them covers is not an error, and each year says
how many rows each exception covered.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sufficiency.ingest.problems import Problem

#: Rulesets shipped by csc-validator-be-903, by collection year (year the return ends).
SHIPPED_RULESETS: dict[int, str] = {
    2023: "lac2022_23",
    2024: "lac2023_24",
    2025: "lac2024_25",
    2026: "lac2025_26",
    2027: "lac2026_27",
}

#: DfE table name (as the validator names it) -> our file stem in ssda903/<year>/.
TABLE_FILES: dict[str, str] = {
    "Header": "header",
    "Episodes": "episodes",
    "Reviews": "reviews",
    "UASC": "uasc",
    "OC2": "oc2",
    "OC3": "oc3",
    "AD1": "ad1",
    "PlacedAdoption": "placed_for_adoption",
    "PrevPerm": "previous_permanence",
    "Missing": "missing",
    "SWEpisodes": "sw_episodes",
    "DoLo": "dolo",
}

# The driver runs inside the validator's venv: it must only use the standard library and the
# validator's own dependencies. It reads a job (JSON: one entry per return) and checks the returns
# one after another in this one process, as a direct run of the validator's API would: one
# validator in memory at a time, its postcode directory read once (the validator keeps what it
# loaded in a module-level object). Each return's findings go to their own file (JSON) as soon
# as they are known, because the validator's rules print to stdout; a return that fails leaves
# no file, so the caller knows which one it was.
_DRIVER = r"""
import contextlib, gc, importlib, io, json, logging, math, sys
jobs = json.load(open(sys.argv[1], encoding="utf-8"))
logging.disable(logging.CRITICAL)
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    from lac_validator.lac_validator import LacValidator


def check(job):
    registry = importlib.import_module("lac_validator.rules." + job["ruleset"]).registry
    files = []
    for item in job["files"]:
        with open(item["path"], "rb") as fh:
            content = fh.read()
        files.append({"name": item["name"], "description": item["description"], "file_content": content})
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        v = LacValidator(
            metadata={"collectionYear": str(job["year"]), "localAuthority": job["la"]},
            files=files, registry=registry,
        )
    out = {"run": sorted(set(v.dones)), "skipped": sorted(set(v.skips)),
           "crashed": sorted(set(v.fails)), "failures": []}
    for table, frame in v.ds_results.items():
        if table == "metadata" or table.endswith("_last") or not hasattr(frame, "columns"):
            continue
        for col in [c for c in frame.columns if str(c).startswith("ERR_")]:
            code = str(col)[4:]
            rule = registry.get(code)
            fields = list(getattr(rule, "affected_fields", None) or [])
            flagged = frame.index[frame[col] == True].tolist()
            for idx in flagged:
                field = next((f for f in fields if f in frame.columns), None)
                value = None
                if field is not None:
                    raw = frame.at[idx, field]
                    if not (isinstance(raw, float) and math.isnan(raw)) and raw is not None:
                        value = str(raw)
                out["failures"].append({"rule": code, "table": table, "index": int(idx),
                                        "field": field, "value": value,
                                        "message": getattr(rule, "message", None) or ""})
    return out


for job in jobs:
    out = check(job)
    with open(job["out"], "w", encoding="utf-8") as fh:
        json.dump(out, fh)
    del out
    gc.collect()  # this return's frames go before the next return's are built
"""


#: The driver's allocator (unless the caller's environment sets it): glibc serves a large block
#: from a memory map and returns it on free, but raises that threshold after each map freed, so
#: the frames of a return (hundreds of blocks of 128 KB to 32 MB) are kept in the heap and the
#: next return's are laid beside them. Fixed at 128 KB, the peak is one return's: 847 MB
#: against 860-884 MB (issue 18: no more memory than the validator run directly, 862-869 MB).
_DRIVER_ENV = {"MALLOC_MMAP_THRESHOLD_": "131072"}


@dataclass
class YearSummary:
    """What the DfE rules did with one return: counts after the documented exceptions, and
    the validator's raw counts (``*_raw``) before them."""

    year: int
    ruleset: str
    rules_run: int
    rules_failed: int
    rules_skipped: int
    rules_crashed: list[str] = field(default_factory=list)
    failing_rules: list[str] = field(default_factory=list)
    rows_flagged: int = 0
    rules_failed_raw: int = 0
    failing_rules_raw: list[str] = field(default_factory=list)
    rows_flagged_raw: int = 0
    #: One entry per exception that covered rows: {"exception", "rule", "rows", "citation"}.
    exceptions: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class DfeRulesResult:
    """Problems found by the DfE rules (after the documented exceptions), a per-year summary,
    and the validator's raw problems before the exceptions."""

    problems: list[Problem]
    years: list[YearSummary]
    raw: list[Problem] = field(default_factory=list)


def validator_python(repo_root: Path | None = None) -> Path:
    """The interpreter of the validator's venv (``SUFFICIENCY_VALIDATOR_PYTHON`` overrides)."""
    env = os.environ.get("SUFFICIENCY_VALIDATOR_PYTHON")
    if env:
        return Path(env)
    root = repo_root or Path(__file__).resolve().parents[3]
    return root / ".peer-venvs" / "val903" / "bin" / "python"


def ruleset_for(year: int) -> str:
    """The validator ruleset for a collection year: its own, else the nearest shipped one."""
    if year in SHIPPED_RULESETS:
        return SHIPPED_RULESETS[year]
    nearest = min(SHIPPED_RULESETS, key=lambda y: (abs(y - year), -y))
    return SHIPPED_RULESETS[nearest]


#: A table as the validator reads it: its data rows (cells as text), by column name.
Rows = list[dict[str, str]]


@dataclass(frozen=True)
class DfeException:
    """A year-to-year exception the DfE documents for one rule: failures of ``rule`` in the
    returns of ``years`` that ``covers`` are not errors."""

    id: str
    rule: str
    years: range
    #: The DfE's words (rule text or code lists) that document it.
    citation: str
    #: The table the rule flags (as the validator names it).
    table: str

    def covers(self, row: dict[str, str], this: dict[str, Rows], last: dict[str, Rows]) -> bool:
        """True when the flagged ``row`` of this year's ``table`` is the documented case."""
        check = _CHECKS[self.id]
        return check(row, this, last)


def _sex_recoded(row: dict[str, str], this: dict[str, Rows], last: dict[str, Rows]) -> bool:
    """Last year's SEX 1 / 2 and this year's M / F for the same child."""
    before = {r.get("CHILD", "").strip(): r.get("SEX", "").strip() for r in last.get("Header", [])}
    was = before.get(row.get("CHILD", "").strip())
    return {"1": "M", "2": "F"}.get(was or "") == row.get("SEX", "").strip()


def _h5_to_k3(row: dict[str, str], this: dict[str, Rows], last: dict[str, Rows]) -> bool:
    """This year's first episode K3 and last year's last episode of the child H5."""
    child = row.get("CHILD", "").strip()
    theirs = [r for r in last.get("Episodes", []) if r.get("CHILD", "").strip() == child]
    if not theirs or row.get("PLACE", "").strip() != "K3":
        return False
    latest = max(theirs, key=lambda r: _dmy(r.get("DECOM", "")))
    return latest.get("PLACE", "").strip() == "H5"


def _dmy(text: str) -> tuple[int, int, int]:
    parts = text.strip().split("/")
    try:
        day, month, year = (int(x) for x in parts)
    except ValueError:
        return (0, 0, 0)
    return (year, month, day)


_CHECKS = {"sex_codes_2024_25": _sex_recoded, "h5_to_k3_2025_26": _h5_to_k3}

#: The DfE's documented year-to-year exceptions (short, cited, tested).
EXCEPTIONS: tuple[DfeException, ...] = (
    DfeException(
        "sex_codes_2024_25",
        "202",
        range(2025, 2100),
        "From the 2024-25 return the DfE's SEX codes are M, F and U (rule 101, 2024-25: \"The "
        "child or young person's reported sex is not valid.\", valid codes M, F, U; 2023-24 and "
        'before: 1, 2). Rule 202 ("The gender code conflicts with the gender already recorded '
        "for this child.\") compares the codes as text, so last year's 1 read as this year's M "
        "(2 as F) is the new coding, not a conflict.",
        "Header",
    ),
    DfeException(
        "h5_to_k3_2025_26",
        "503D",
        range(2026, 2027),
        'Rule 503D, 2025-26 ("The placement type in the first episode does not match open '
        'episode at end of last year") states its own exception: "[For 2025 only: Except if '
        "previous year <PL> = 'H5' and current year <PL> = 'K3']\" - supported accommodation "
        "recoded H5 -> K3 when H5 left the code list. csc-validator-be-903 applies it to the "
        "2023-24 and 2024-25 returns only.",
        "Episodes",
    ),
)


def _read_rows(path: Path) -> Rows:
    """A CSV's data rows as the validator's pandas reads them (blank lines skipped)."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        lines = [r for r in csv.reader(fh) if r]
    if not lines:
        return []
    head = [h.strip() for h in lines[0]]
    return [dict(zip(head, r, strict=False)) for r in lines[1:]]


def _apply_exceptions(
    year: int, failures: list[dict[str, Any]], this: dict[str, Path], last: dict[str, Path]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(failures no exception covers, one summary per exception that covered rows)."""
    wanted = [e for e in EXCEPTIONS if year in e.years]
    if not wanted:
        return failures, []
    this_rows = {t: _read_rows(p) for t, p in this.items() if t in ("Header", "Episodes")}
    last_rows = {t: _read_rows(p) for t, p in last.items() if t in ("Header", "Episodes")}
    kept: list[dict[str, Any]] = []
    covered: dict[str, int] = {}
    for f in failures:
        exc = next((e for e in wanted if e.rule == f["rule"] and e.table == f["table"]), None)
        rows = this_rows.get(f["table"], [])
        index = int(f["index"])
        if (
            exc is not None
            and 0 <= index < len(rows)
            and exc.covers(rows[index], this_rows, last_rows)
        ):
            covered[exc.id] = covered.get(exc.id, 0) + 1
        else:
            kept.append(f)
    summary = [
        {"exception": e.id, "rule": e.rule, "rows": covered[e.id], "citation": e.citation}
        for e in wanted
        if covered.get(e.id)
    ]
    return kept, summary


def _return_years(data_dir: Path) -> list[int]:
    folder = data_dir / "ssda903"
    if not folder.is_dir():
        return []
    return sorted(int(p.name) for p in folder.iterdir() if p.is_dir() and p.name.isdigit())


def _table_files(folder: Path) -> dict[str, Path]:
    """Validator table name -> non-blank CSV file of that table in ``folder``."""
    found: dict[str, Path] = {}
    if not folder.is_dir():
        return found
    for table, stem in TABLE_FILES.items():
        path = folder / f"{stem}.csv"
        # a blank (newline-only) file crashes the validator: leave it out
        if path.is_file() and path.read_bytes().strip():
            found[table] = path
    return found


def run_dfe_rules_detailed(
    data_dir: Path,
    years: list[int] | None = None,
    la_code: str | None = None,
    python: Path | None = None,
    timeout: float = 900.0,
) -> DfeRulesResult:
    """Run the DfE rules on each return in ``data_dir``; problems plus a per-year summary.

    The returns are checked one after another in one validator process (``_DRIVER``): no more
    memory than the validator run directly, and its imports and postcode directory paid once.

    Raises RuntimeError when the validator's interpreter is missing or its run fails outright.
    """
    data_dir = Path(data_dir)
    available = _return_years(data_dir)
    wanted = [y for y in (years or available) if y in available]
    if la_code is None:
        from sufficiency.ingest.profile_file import load_profile

        profile, _ = load_profile(data_dir / "la.toml")
        la_code = profile.code if profile else "E06000019"
    exe = python or validator_python()
    if not exe.exists():
        raise RuntimeError(
            f"csc-validator-be-903 not found at {exe}: run `make peers` (or set "
            "SUFFICIENCY_VALIDATOR_PYTHON to the python of a venv with csc-validator-be-903)"
        )
    problems: list[Problem] = []
    raw: list[Problem] = []
    summaries: list[YearSummary] = []
    with tempfile.TemporaryDirectory(prefix="sufficiency-dfe-") as tmp:
        driver = Path(tmp) / "driver.py"
        driver.write_text(_DRIVER, encoding="utf-8")
        tmp_dir = Path(tmp)
        outcomes = _run_validator(exe, driver, tmp_dir, data_dir, wanted, la_code, timeout)
        for year, result in zip(wanted, outcomes, strict=True):
            if result is None:
                continue
            ruleset = ruleset_for(year)
            raw_failures = result["failures"]
            kept, applied = _apply_exceptions(
                year,
                raw_failures,
                _table_files(data_dir / "ssda903" / str(year)),
                _table_files(data_dir / "ssda903" / str(year - 1)),
            )
            raw += [_failure_problem(year, f) for f in raw_failures]
            problems += [_failure_problem(year, f) for f in kept]
            for item in applied:
                problems.append(
                    Problem.whole_file(
                        "warning",
                        f"dfe_{item['rule']}_exception",
                        f"ssda903/{year}",
                        f"DfE rule {item['rule']}: {item['rows']} row(s) flagged by the "
                        f"validator are the DfE's documented exception, not errors: "
                        f"{item['citation']}",
                    )
                )
            for code in result["crashed"]:
                problems.append(
                    Problem.whole_file(
                        "warning",
                        f"dfe_{code}_crashed",
                        f"ssda903/{year}",
                        f"DfE rule {code} could not run on the {year} return "
                        f"(it fails inside csc-validator-be-903 {ruleset})",
                    )
                )
            failing = sorted({f["rule"] for f in kept})
            failing_raw = sorted({f["rule"] for f in raw_failures})
            summaries.append(
                YearSummary(
                    year=year,
                    ruleset=ruleset,
                    rules_run=len(result["run"]),
                    rules_failed=len(failing),
                    rules_skipped=len(result["skipped"]),
                    rules_crashed=list(result["crashed"]),
                    failing_rules=failing,
                    rows_flagged=len(kept),
                    rules_failed_raw=len(failing_raw),
                    failing_rules_raw=failing_raw,
                    rows_flagged_raw=len(raw_failures),
                    exceptions=applied,
                )
            )
    return DfeRulesResult(problems, summaries, raw)


def _run_validator(
    exe: Path,
    driver: Path,
    tmp_dir: Path,
    data_dir: Path,
    years: list[int],
    la_code: str,
    timeout: float,
) -> list[dict[str, Any] | None]:
    """The validator's findings for each of ``years`` (None for a year with no table files),
    from one run of ``driver``; RuntimeError naming the return it failed on."""
    jobs: list[dict[str, Any]] = []
    for year in years:
        this = _table_files(data_dir / "ssda903" / str(year))
        if not this:
            continue
        prev = _table_files(data_dir / "ssda903" / str(year - 1))
        files = [
            {"name": p.name, "description": "This year", "path": str(p)} for p in this.values()
        ] + [{"name": p.name, "description": "Prev year", "path": str(p)} for p in prev.values()]
        out = tmp_dir / f"out-{year}.json"
        jobs.append(
            {
                "year": year,
                "la": la_code,
                "ruleset": ruleset_for(year),
                "files": files,
                "out": str(out),
            }
        )
    if jobs:
        job_path = tmp_dir / "jobs.json"
        job_path.write_text(json.dumps(jobs), encoding="utf-8")
        proc = subprocess.run(
            [str(exe), str(driver), str(job_path)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={**_DRIVER_ENV, **os.environ, "PYTHONWARNINGS": "ignore"},
        )
        failed = next((j["year"] for j in jobs if not Path(j["out"]).exists()), None)
        if proc.returncode != 0 or failed is not None:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
            where = f"the {failed} return" if failed is not None else "the returns"
            raise RuntimeError(f"csc-validator-be-903 failed on {where}: " + " | ".join(tail))
    found: dict[int, dict[str, Any]] = {
        j["year"]: json.loads(Path(j["out"]).read_text(encoding="utf-8")) for j in jobs
    }
    return [found.get(year) for year in years]


def _failure_problem(year: int, f: dict[str, Any]) -> Problem:
    """One failing row as an error: the file, spreadsheet row and field the rule names."""
    stem = TABLE_FILES.get(f["table"], f["table"].lower())
    return Problem(
        "error",
        f"dfe_{f['rule']}",
        f"ssda903/{year}/{stem}.csv",
        int(f["index"]) + 2,
        f["field"],
        f["value"],
        f"DfE rule {f['rule']}: {f['message']}",
    )


if (
    __name__ == "__main__"
):  # pragma: no cover - manual use: python -m sufficiency.ingest.dfe_rules DATA
    res = run_dfe_rules_detailed(Path(sys.argv[1]))
    for s in res.years:
        print(s)
    for p in res.problems[:50]:
        print(p)
