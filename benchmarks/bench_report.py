"""Statement benchmarks: assembling the statement and rendering HTML, XLSX and PDF.

No peer tool writes a sufficiency statement (councils assemble them by hand over weeks), so
these report our own time per stage: on the 1,000-child council of issue 18's goals, and on a
larger one for scale.
"""

from __future__ import annotations

import datetime as dt
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

POSTCODES = ["HR2 0HN", "HR4 0BE", "HR6 0YH", "HR8 9JY", "SY1 9EU", "SY7 0JQ", "NE1 1AA"]


def _dataset(n_episodes: int) -> Any:
    """A synthetic council (Herefordshire geography) with ~``n_episodes`` episodes."""
    from benchmarks._episodes import random_episodes
    from sufficiency.dataset import Dataset
    from sufficiency.profile import LAProfile

    eps = random_episodes(n_episodes, POSTCODES, seed=5)
    eps = eps.with_columns(
        pl.when(pl.col("DEC").is_null() | (pl.col("DEC") > dt.date(2024, 3, 31)))
        .then(pl.lit(2024))
        .otherwise(
            (pl.col("DEC").dt.year() + (pl.col("DEC").dt.month() >= 4).cast(pl.Int32)).clip(
                2020, 2024
            )
        )
        .cast(pl.Int32)
        .alias("return_year")
    ).filter(pl.col("DECOM") <= dt.date(2024, 3, 31))
    ids = eps.get_column("CHILD").unique().sort()
    rng = np.random.default_rng(3)
    dob = [dt.date(2005, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 6000, len(ids))]
    children = pl.DataFrame(
        {
            "CHILD": ids,
            "SEX": rng.choice(np.array(["M", "F"]), len(ids)),
            "DOB": dob,
            "ETHNIC": rng.choice(np.array(["WBRI", "WOTH", "MWBC", "AOTH"]), len(ids)),
        }
    )
    profile = LAProfile(
        name="Bench Council",
        code="E06000019",
        neighbours=("E06000051",),
        population_under_18={2024: 36000},
    )
    return Dataset.from_frames(
        profile, children=children, episodes=eps, returns=(2020, 2021, 2022, 2023, 2024)
    )


#: Issue 18's goals: the statement without its PDF within 2.5 s, the PDF within 0.15 s a page.
TARGET_WITHOUT_PDF_S = 2.5
TARGET_PDF_S_PER_PAGE = 0.15


def _synth_council(children: int, folder: Path) -> Any:
    """A council made by `sufficiency synth` with ``children`` looked after at a time (five
    returns, registers), written and read back by ``load_data`` as the command would."""
    from sufficiency.ingest import load_data
    from sufficiency.synth import generate, write_data_folder

    write_data_folder(generate(seed=7, children=children), folder)
    loaded = load_data(folder)
    assert loaded.dataset is not None, [p for p in loaded.problems if p.severity == "error"][:3]
    return loaded.dataset


def _seconds(name: str, seconds: float, unit: str, target: float | None) -> dict[str, Any]:
    """A seconds row, with its goal beside it when it has one (``target_ratio`` > 1: met)."""
    row: dict[str, Any] = {"name": name, "metric": "seconds", "value": round(seconds, 3),
                           "unit": unit}  # fmt: skip
    if target is not None:
        row.update(target=target, target_ratio=round(target / seconds, 2))
    return row


def _children_cpu() -> float:
    """CPU seconds of this process's finished child processes (the chart workers, once stopped)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _stages(ds: Any, year: int, label: str, goals: bool, pdf: bool) -> list[dict[str, Any]]:
    """Each stage of one statement: build, HTML (charts), JSON, XLSX and (``pdf``) the tagged
    PDF, wall and CPU seconds; with ``goals``, the issue's two goals beside them, the build and
    the HTML as the command runs them (with its chart workers, whose CPU is a row of its own),
    and the build again in the same process."""
    from sufficiency.report.build import build_statement
    from sufficiency.report.chart_workers import chart_workers, default_workers
    from sufficiency.report.render import render_html, render_json, render_pdf, render_xlsx

    rows: list[dict[str, Any]] = []
    wall: dict[str, float] = {}

    def timed(name: str, fn: Any) -> Any:
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        wall[name] = time.perf_counter() - t0
        cpu = time.process_time() - c0
        rows.append(
            {
                "name": f"statement {name} {label}",
                "metric": "seconds",
                "value": round(wall[name], 3),
                "unit": "s",
                "cpu_seconds": round(cpu, 3),
            }
        )
        return out

    # as the command does: chart workers start (importing matplotlib) before the build and draw
    # the charts while the HTML renders; their CPU seconds are reported beside the process's
    workers = default_workers() if goals else 0
    before = _children_cpu()
    with chart_workers(workers):
        data = timed("build (all measures, 5 years)", lambda: build_statement(ds, year, "publish"))
        html = timed("render html (charts)", lambda: render_html(data))
    workers_cpu = _children_cpu() - before
    if goals:  # the web app's case: the audit's pieces and the charts are remembered
        timed("build again in the process", lambda: build_statement(ds, year, "publish"))
    timed("render json", lambda: render_json(data))
    with tempfile.TemporaryDirectory() as tmp:
        timed("render xlsx", lambda: render_xlsx(data, Path(tmp) / "s.xlsx"))
        pages = 0
        if pdf:
            pages = timed("render pdf (tagged)", lambda: render_pdf(html, Path(tmp) / "s.pdf"))
    for r in list(rows):  # CPU seconds beside the wall seconds: the machine may be shared
        rows.append({**r, "name": f"{r['name']} CPU", "metric": "cpu_seconds",
                     "value": r["cpu_seconds"]})  # fmt: skip
    if workers:
        rows.append({"name": f"statement chart workers CPU ({workers} processes) {label}",
                     "metric": "cpu_seconds", "value": round(workers_cpu, 3), "unit": "s"})  # fmt: skip
    without_pdf = wall["build (all measures, 5 years)"] + wall["render html (charts)"]
    rows.append(
        _seconds(f"statement without PDF (build + html) {label}", without_pdf, "s",
                 TARGET_WITHOUT_PDF_S if goals else None)
    )  # fmt: skip
    if pages:
        rows.append({"name": f"statement pdf pages {label}", "metric": "count", "value": pages,
                     "unit": "pages"})  # fmt: skip
        rows.append(
            _seconds(f"statement pdf seconds a page {label}", wall["render pdf (tagged)"] / pages,
                     "s/page", TARGET_PDF_S_PER_PAGE if goals else None)
        )  # fmt: skip
    rows.append(
        {
            "name": f"statement tables {label}",
            "metric": "count",
            "value": len(data.tables()),
            "unit": "tables",
        }
    )
    return rows


def run(quick: bool) -> list[dict[str, Any]]:
    """Seconds to build the statement data and to render each output (wall, and the process's
    CPU seconds beside it: the machine may be shared), the PDF's pages and its seconds a page.

    The goals are read on the issue's 1,000-child council (`sufficiency synth`, 1,000 looked after
    at a time, ~10,000 episodes over five returns; ``--quick``: 150), measured first, so each
    stage's first call in the process is timed with its imports (WeasyPrint for the PDF), as a
    ``sufficiency statement`` run pays them; its charts are drawn as the command draws them, by
    chart workers started before the build (matplotlib imported in them meanwhile). A larger
    council (30,000 episodes, ~2,900 looked after; ``--quick``: 3,000 episodes; charts drawn
    in-process) is reported beside it for scale."""
    rows: list[dict[str, Any]] = []
    children = 150 if quick else 1_000
    with tempfile.TemporaryDirectory() as tmp:
        ds = _synth_council(children, Path(tmp) / "council")
    label = f"({children:,}-child council, {ds.episodes.height:,} episodes)"
    rows += _stages(ds, ds.last_date.year, label, goals=True, pdf=not quick)
    large = _dataset(3_000 if quick else 30_000)
    rows += _stages(large, 2024, f"({large.episodes.height:,} episodes)", goals=False, pdf=False)
    return rows
