"""Assemble ``StatementData``: compute the results once, then lay out every registered section.

The orchestrator is the only part of the statement that reads the Dataset: it computes the
measures of every year shown (``statement_inputs``), the baseline forecast and gap, and in
publish mode passes them all through the statement's one disclosure step (``report.protect``:
every table, the JSON, the forecast and the gap protected together and audited before anything
is written). Each section (``report/sections/``, registered with its id, title and order) then
lays out the typed results it is given in ``StatementInputs``.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import threading
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal

from sufficiency.measures.catalogue import one_run
from sufficiency.measures.child_population import population_ethnicity
from sufficiency.measures.comparators import comparators
from sufficiency.measures.drilldown import placed_at_least
from sufficiency.report import sources
from sufficiency.report.messages import key_messages
from sufficiency.report.model import Block, Section, StatementData
from sufficiency.report.narrative import attach
from sufficiency.report.placeholders import drop_optional
from sufficiency.report.protect import (
    hide_gap,
    protect_statement,
    publication_known,
    scenarios_to_withhold,
    withhold_scenarios,
)
from sufficiency.report.provenance import provenance
from sufficiency.report.public import public_catalogue
from sufficiency.report.sections.action_plan import targets_table
from sufficiency.report.sections.blocks import year_label
from sufficiency.report.sections.costs import weekly_costs
from sufficiency.report.sections.definitions import definition_records
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import SectionSpec, registered
from sufficiency.report.sign_off import parse_sign_off, prose
from sufficiency.report.tidy import drop_empty_tables
from sufficiency.results import Result

if TYPE_CHECKING:
    from sufficiency.dataset import Dataset
    from sufficiency.forecast import Scenario
    from sufficiency.measures.catalogue import Measure
    from sufficiency.report.last_statement import PreviousStatement
    from sufficiency.supply.gap import GapScenario

Mode = Literal["publish", "internal"]
Status = Literal["complete", "partial", "placeholder"]

__all__ = [
    "CONTEXT_IDS",
    "SECTION_ORDER",
    "TREND_IDS",
    "build_statement",
    "statement_inputs",
    "statement_years",
    "targets_table",
]


def _trend_ids() -> tuple[str, ...]:
    """The measures the sections show for the years before the statement year (each section
    declares its own ``trend``), in section order."""
    out: list[str] = []
    for spec in registered():
        out += [m for m in spec.trend if m not in out]
    return tuple(out)


#: Measures the trend tables need for the years before the statement year.
TREND_IDS = _trend_ids()
#: Measures of the earlier years the statement does not show but its disclosure step needs
#: (which placement types had few children, so that their average weekly cost is hidden).
CONTEXT_IDS = ("cla_by_placement_type", "bed_nights_by_placement_type")
#: The registered sections' ids in statement order.
SECTION_ORDER = tuple(spec.id for spec in registered())


def statement_years(ds: Dataset, year: int, span: int = 5) -> list[int]:
    """The years shown in trends: the statement year and up to ``span - 1`` earlier returns."""
    return [y for y in sorted(set(ds.returns)) if y <= year][-span:]


def statement_inputs(
    ds: Dataset, year: int, *, context: bool = True
) -> tuple[dict[dt.date, dict[str, Result]], dict[dt.date, dict[str, Result]]]:
    """The measures the statement for ``year`` shows (every measure of the year, the trend
    measures of the years before) and, when ``context``, those its disclosure step needs
    besides (``CONTEXT_IDS`` of the years before): unsuppressed typed results by date."""
    info = sources.catalogue_info()
    earlier_ids = [m for m in TREND_IDS if m in info]
    years = statement_years(ds, year)
    with one_run():  # a measure the trends table reads for an earlier year is worked out once
        found = {  # the statement year first: a thread may be working out the earlier ones
            y: sources.measure_results(ds, dt.date(y, 3, 31), None if y == year else earlier_ids)
            for y in sorted(years, key=lambda y: y != year)
        }
        shown = {dt.date(y, 3, 31): found[y] for y in years}
        extra = {
            at: sources.measure_results(ds, at, [m for m in CONTEXT_IDS if m in info])
            for at in shown
            if context and at.year != year
        }
    return shown, extra


@contextmanager
def _earlier_years_ahead(ds: Dataset, year: int | None) -> Iterator[None]:
    """Inside a run: every measure of the years before ``year`` with a return whose statement
    is not worked out yet (what the earlier years' statements the disclosure step reads are
    made of) worked out in a second thread while this one goes on; their Polars plans run
    beside this thread's Python. A failure there is left for this thread to meet when it asks
    for the same measure; leaving stops the thread after the year it is on."""
    earlier = [
        y
        for y in sorted(ds.returns)
        if year is not None and y < year and not publication_known(ds, y)
    ]
    if not earlier:
        yield
        return
    stop = threading.Event()

    def ahead() -> None:
        for y in earlier:
            if stop.is_set():
                return
            try:
                sources.measure_results(ds, dt.date(y, 3, 31))
            except Exception:  # met again, and reported, where it is needed
                return

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="earlier-years") as pool:
        pool.submit(contextvars.copy_context().run, ahead)
        try:
            yield
        finally:
            stop.set()


def _withheld(record: Any, info: Mapping[str, Measure]) -> list[str]:
    """Titles of the measures a publish-mode statement withholds, with their years."""
    if record is None:
        return []
    out = []
    for table in sorted(record.protection.withheld):
        mid, _, day = table.partition("@")
        title = info[mid].title if mid in info else mid
        out.append(f"{title} ({year_label(int(day[:4]))})")
    return out


def _privacy_guard(sections: list[Section], ds: Dataset) -> None:
    """Publish mode: child-level rows never leave as plain ids (HMAC pseudonyms, or dropped)."""
    from sufficiency.privacy import SecretMissing, load_secret, pseudonymise

    for section in sections:
        keep: list[Block] = []
        for block in section.blocks:
            if block.table is not None and block.table.child_level:
                try:
                    secret = load_secret()
                except SecretMissing:
                    continue  # no secret configured: the child-level table is left out
                for row in block.table.rows:
                    row.header = pseudonymise(row.header, secret)[:16]
            keep.append(block)
        section.blocks = keep


def section_status(blocks: Sequence[Block]) -> Status:
    """``placeholder`` when a section is only what would fill it, ``partial`` when a required
    placeholder sits beside real content, else ``complete``."""
    required = [b for b in blocks if b.placeholder is not None and b.placeholder.required]
    if not required:
        return "complete"
    if all(b.placeholder is not None for b in blocks):
        return "placeholder"
    return "partial"


def build_section(spec: SectionSpec, inputs: StatementInputs) -> Section:
    """One registered section laid out from the statement's inputs."""
    blocks = spec.build(inputs)
    return Section(spec.id, spec.title, blocks, status=section_status(blocks), part=spec.part)


def build_statement(
    ds: Dataset,
    year: int,
    mode: Mode = "publish",
    generated: dt.date | None = None,
    *,
    previous: PreviousStatement | None = None,
    scenarios: Sequence[Scenario] = (),
    gap_settings: Mapping[str, GapScenario] | None = None,
) -> StatementData:
    """Assemble every section of the statement for the year ending 31 March ``year``; with
    the council's ``previous`` statement, progress since then (and its numbers are outside
    knowledge to the disclosure step: a reader of both statements knows them); with forecast
    ``scenarios``, each planned trajectory beside the baseline (its gap with the capacity
    changes in ``gap_settings``, by scenario name)."""
    if year not in ds.returns:
        raise ValueError(
            f"no SSDA903 return for {year} (the year ending 31 March {year}); returns loaded: "
            + (", ".join(str(y) for y in ds.returns) or "none")
        )
    narrative = dict(ds.narrative)
    approval = None
    if "sign_off" in narrative:  # the approval lines become the section's facts, not prose
        approval = parse_sign_off(narrative["sign_off"])
        narrative["sign_off"] = prose(narrative["sign_off"])
    info = sources.catalogue_info()
    if mode == "publish":  # the public reads titles and definitions without developer text
        info = public_catalogue(info)
    # one run: the earlier years' statements the protection reads share the measures of each
    # year, worked out ahead in a thread meanwhile
    with one_run(), _earlier_years_ahead(ds, year if mode == "publish" else None):
        raw, context = statement_inputs(ds, year, context=mode == "publish")
        fc = sources.baseline_forecast(ds, year, scenarios)
        forecast: dict[str, Any] = {"error": fc} if isinstance(fc, str) else fc.to_json()
        gap = sources.gap_json(ds, year, None if isinstance(fc, str) else fc)
        scenario_gaps = {
            s.name: sources.gap_json(ds, year, fc, s.name, (gap_settings or {}).get(s.name))
            for s in scenarios
            if not isinstance(fc, str)
        }
        record = None
        if mode == "publish":
            record = protect_statement(
                ds,
                raw,
                context=context,
                forecast=forecast,
                gap=gap,
                known=dict(previous.numbers) if previous is not None else None,
            )
            raw = record.years
            forecast = record.forecast or forecast
            gap = record.gap
            # a scenario's gap hides the placement types the baseline's hides
            scenario_gaps = {
                n: hide_gap(g, record.categories, record.costs_hidden)
                for n, g in scenario_gaps.items()
            }
            forecast, scenario_gaps = withhold_scenarios(
                forecast,
                scenario_gaps,
                scenarios_to_withhold(scenarios, record.categories),
            )
    years = [sources.year_values(at, results) for at, results in sorted(raw.items())]
    marks = comparators(ds)
    costs = weekly_costs(years)
    messages = key_messages(
        years,
        marks,
        {
            "weekly_costs": costs,
            "gap": gap,
            "forecast": None if isinstance(fc, str) else forecast,
        },
    )
    inputs = StatementInputs(
        year=year,
        mode=mode,
        years=years,
        marks=marks,
        info=info,
        returns=list(ds.returns),
        registers=[n for n, f in ds.registers.items() if f is not None and f.height],
        tables=frozenset(n for n, f in ds.tables.items() if f is not None and f.height),
        small_count_max=ds.profile.small_count_max,
        key_messages=messages,
        withheld=_withheld(record, info),
        population_ethnicity=population_ethnicity(ds, year),
        forecast=forecast,
        gap=gap,
        actions=sources.register(ds, "actions"),
        targets=sources.register(ds, "targets"),
        finance=sources.register(ds, "finance"),
        far_children=placed_at_least(ds, years[-1].at) if mode == "internal" else None,
        previous=previous,
        sign_off=approval,
        scenario_gaps=scenario_gaps,
        scenario_descriptions={s.name: s.description for s in scenarios},
        areas=sources.compared_areas(ds),
    )
    sections = [build_section(spec, inputs) for spec in registered()]
    drop_empty_tables(sections)
    if mode == "publish":
        _privacy_guard(sections, ds)
        drop_optional(sections)
    sections = attach(sections, narrative, {s.id: s.order for s in registered()})
    sections = [s for s in sections if s.blocks]  # a section with nothing to say is left out
    return StatementData(
        la_name=ds.profile.name,
        la_code=ds.profile.code,
        year=year,
        period_start=f"{year - 1}-04-01",
        period_end=f"{year}-03-31",
        mode=mode,
        generated=(generated or dt.date.today()).isoformat(),
        sections=sections,
        key_messages=messages,
        measures={
            str(y.year): {"at": y.at.isoformat(), "period": y.period, "measures": y.values}
            for y in years
        },
        definitions=definition_records(info),
        extras={
            "forecast": forecast,
            "gap": gap,
            "scenario_gaps": scenario_gaps,
            "weekly_costs": costs,
            "benchmarks": [b.__dict__ for b in marks],
        },
        provenance=provenance(ds, marks, mode),
        disclosure=record,
    )
