"""The DfE's SSDA903 validation rules, run through csc-validator-be-903 in its own environment.

The validator pins old pandas and rich, so it lives in its own virtual environment
(``<repo>/.peer-venvs/val903``, or the interpreter named by ``SUFFICIENCY_VALIDATOR_PYTHON``) and
we drive it through its Python API in a subprocess with a small driver script of our own. Each
return is checked with the ruleset of its collection year (the nearest shipped one outside
lac2022_23..lac2026_27), with the previous year's return supplied so year-on-year rules run.
Failing rules come back as ``Problem`` errors (code ``dfe_<rule>``), rules that crashed inside the
validator as warnings.

Where the DfE changed a code list between two years, the previous year's tables are translated
into this year's codes before the year-on-year rules compare them (SEX 1/2 -> M/F from the
2024-25 return, supported accommodation H5 -> K3 from 2025-26): otherwise every child would
"change sex" or "change placement" at the boundary (rules 202 and 503D).
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
# validator's own dependencies. It reads a job (JSON) and writes its findings (JSON) to a file,
# because the validator's rules print to stdout.
_DRIVER = r"""
import contextlib, importlib, io, json, logging, math, sys
job = json.load(open(sys.argv[1], encoding="utf-8"))
logging.disable(logging.CRITICAL)
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    from lac_validator.lac_validator import LacValidator
    registry = importlib.import_module("lac_validator.rules." + job["ruleset"]).registry
    files = []
    for item in job["files"]:
        with open(item["path"], "rb") as fh:
            content = fh.read()
        files.append({"name": item["name"], "description": item["description"], "file_content": content})
    v = LacValidator(
        metadata={"collectionYear": str(job["year"]), "localAuthority": job["la"]},
        files=files, registry=registry,
    )
out = {"run": sorted(set(v.dones)), "skipped": sorted(set(v.skips)), "crashed": sorted(set(v.fails)),
       "failures": []}
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
with open(sys.argv[2], "w", encoding="utf-8") as fh:
    json.dump(out, fh)
"""


@dataclass
class YearSummary:
    """What the DfE rules did with one return."""

    year: int
    ruleset: str
    rules_run: int
    rules_failed: int
    rules_skipped: int
    rules_crashed: list[str] = field(default_factory=list)
    failing_rules: list[str] = field(default_factory=list)
    rows_flagged: int = 0


@dataclass
class DfeRulesResult:
    """Problems found by the DfE rules and a per-year summary."""

    problems: list[Problem]
    years: list[YearSummary]


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


#: (first collection year using the new code, table, column, old -> new)
CODE_CHANGES: tuple[tuple[int, str, str, dict[str, str]], ...] = (
    (2025, "Header", "SEX", {"1": "M", "2": "F", "0": "U", "9": "U"}),
    (2025, "UASC", "SEX", {"1": "M", "2": "F", "0": "U", "9": "U"}),
    (2026, "Episodes", "PLACE", {"H5": "K3"}),
)


def _translated(path: Path, table: str, prev_year: int, year: int, tmp: Path) -> Path:
    """``path`` with last year's codes mapped to this year's where the DfE changed them."""
    changes = [
        (col, mapping)
        for first, tab, col, mapping in CODE_CHANGES
        if tab == table and prev_year < first <= year
    ]
    if not changes:
        return path
    with path.open(newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        return path
    head = [h.strip() for h in rows[0]]
    for col, mapping in changes:
        if col in head:
            i = head.index(col)
            for row in rows[1:]:
                if i < len(row):
                    row[i] = mapping.get(row[i].strip(), row[i])
    out = tmp / f"prev-{year}-{path.name}"
    with out.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return out


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
    workers: int | None = None,
) -> DfeRulesResult:
    """Run the DfE rules on each return in ``data_dir``; problems plus a per-year summary.

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
    summaries: list[YearSummary] = []
    with tempfile.TemporaryDirectory(prefix="sufficiency-dfe-") as tmp:
        driver = Path(tmp) / "driver.py"
        driver.write_text(_DRIVER, encoding="utf-8")
        tmp_dir = Path(tmp)

        def run_year(year: int) -> dict[str, Any] | None:
            this = _table_files(data_dir / "ssda903" / str(year))
            if not this:
                return None
            prev = _table_files(data_dir / "ssda903" / str(year - 1))
            files = [
                {"name": p.name, "description": "This year", "path": str(p)} for p in this.values()
            ] + [
                {
                    "name": p.name,
                    "description": "Prev year",
                    "path": str(_translated(p, t, year - 1, year, tmp_dir)),
                }
                for t, p in prev.items()
            ]
            job = {"year": year, "la": la_code, "ruleset": ruleset_for(year), "files": files}
            job_path = tmp_dir / f"job-{year}.json"
            out_path = tmp_dir / f"out-{year}.json"
            job_path.write_text(json.dumps(job), encoding="utf-8")
            proc = subprocess.run(
                [str(exe), str(driver), str(job_path), str(out_path)],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
                env={**os.environ, "PYTHONWARNINGS": "ignore"},
            )
            if proc.returncode != 0 or not out_path.exists():
                tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
                raise RuntimeError(
                    f"csc-validator-be-903 failed on the {year} return: " + " | ".join(tail)
                )
            loaded: dict[str, Any] = json.loads(out_path.read_text(encoding="utf-8"))
            return loaded

        from concurrent.futures import ThreadPoolExecutor

        n_workers = max(1, min(len(wanted), workers or (os.cpu_count() or 1)))
        with ThreadPoolExecutor(max_workers=n_workers) as pool:
            outcomes = list(pool.map(run_year, wanted))
        for year, result in zip(wanted, outcomes, strict=True):
            if result is None:
                continue
            ruleset = ruleset_for(year)
            failing: set[str] = set()
            rows = 0
            for f in result["failures"]:
                stem = TABLE_FILES.get(f["table"], f["table"].lower())
                file = f"ssda903/{year}/{stem}.csv"
                failing.add(f["rule"])
                rows += 1
                problems.append(
                    Problem(
                        "error",
                        f"dfe_{f['rule']}",
                        file,
                        int(f["index"]) + 2,
                        f["field"],
                        f["value"],
                        f"DfE rule {f['rule']}: {f['message']}",
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
            summaries.append(
                YearSummary(
                    year=year,
                    ruleset=ruleset,
                    rules_run=len(result["run"]),
                    rules_failed=len(failing),
                    rules_skipped=len(result["skipped"]),
                    rules_crashed=list(result["crashed"]),
                    failing_rules=sorted(failing),
                    rows_flagged=rows,
                )
            )
    return DfeRulesResult(problems, summaries)


if (
    __name__ == "__main__"
):  # pragma: no cover - manual use: python -m sufficiency.ingest.dfe_rules DATA
    res = run_dfe_rules_detailed(Path(sys.argv[1]))
    for s in res.years:
        print(s)
    for p in res.problems[:50]:
        print(p)
