"""An attacker written apart from the suppression code: it reads only what was published.

It parses the numbers back out of a statement's written HTML, XLSX and JSON (or a dashboard
page's HTML), knows how a reader would tie them together (a table's rows add up to its Total
row and its columns to its Total column; every breakdown of the children looked after adds up
to them; the DfE's placement groups are made of the council's placement types; a share's
percentage is its count over its denominator to one decimal; a trend's change is this year less
the last; a filtered figure and the rest of its filters add up to the unfiltered one), and
solves an integer programme (scipy ``milp``) for the least and greatest value of every ``[c]``.
It knows that a ``[c]`` is a whole number of at least 0; given an ``oracle`` (the true values,
from the internal version) it knows as much as an insider: which ``[c]`` stands for 1 to 5 and
that any other is 6 or more. A ``[c]`` it can narrow to fewer than three values is recovered.

Nothing here imports the library's disclosure code; the relations are this module's own.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from lxml import html as lxml_html
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

SMALL = 5
BIG = 1e9
C = "c"

# The attacker's own reading of the statement's definitions ------------------------------
CLA_BREAKDOWNS = (
    "cla_by_age_band",
    "cla_by_fine_age_band",
    "cla_by_sex",
    "cla_by_ethnicity",
    "cla_by_legal_status",
    "cla_by_category_of_need",
    "cla_by_placement_type",
    "cla_by_national_placement_group",
    "cla_by_location",
    "cla_by_distance_band",
    "duration_in_care",
)
#: (whole, parts, exact): the whole is the sum of the parts (exact) or at least it.
GROUPS: tuple[tuple[tuple[str, ...], tuple[str, ...], bool], ...] = (
    (
        ("cla_by_national_placement_group.foster_placements",),
        tuple(
            f"cla_by_placement_type.{t}"
            for t in ("in_house_fostering", "family_and_friends", "ifa", "other_public_fostering")
        ),
        False,
    ),
    (("cla_by_national_placement_group.foster_placements",), ("fostering_share.count",), True),
    (
        ("cla_by_national_placement_group.placed_with_parents",),
        ("cla_by_placement_type.placed_with_parents",),
        True,
    ),
    (
        ("cla_by_national_placement_group.placed_for_adoption",),
        ("cla_by_placement_type.placed_for_adoption",),
        True,
    ),
    (
        ("cla_by_national_placement_group.residential_schools",),
        ("cla_by_placement_type.residential_school",),
        True,
    ),
    (
        ("cla_by_national_placement_group.independent_and_supported_living",),
        (
            "cla_by_placement_type.supported_accommodation",
            "cla_by_placement_type.independent_living",
        ),
        True,
    ),
    (
        ("cla_by_national_placement_group.secure_and_childrens_homes",),
        ("cla_by_placement_type.secure",),
        False,
    ),
    (
        ("supply_homes_in_area.children_in_homes",),
        (
            "cla_by_placement_type.in_house_residential",
            "cla_by_placement_type.external_residential",
        ),
        False,
    ),
    # fostering codes placed with no recorded provider fall in "other placements"
    (
        tuple(
            f"cla_by_placement_type.{t}"
            for t in (
                "in_house_fostering",
                "family_and_friends",
                "ifa",
                "other_public_fostering",
                "other",
            )
        ),
        ("cla_by_national_placement_group.foster_placements",),
        False,
    ),
    (
        (
            "cla_by_national_placement_group.secure_and_childrens_homes",
            "cla_by_national_placement_group.other_residential_settings",
        ),
        tuple(
            f"cla_by_placement_type.{t}"
            for t in (
                "secure",
                "in_house_residential",
                "external_residential",
                "health",
                "parent_and_child",
                "custody",
            )
        ),
        False,
    ),
    (
        tuple(
            f"cla_by_placement_type.{t}"
            for t in (
                "secure",
                "in_house_residential",
                "external_residential",
                "health",
                "parent_and_child",
                "custody",
                "other",
            )
        ),
        (
            "cla_by_national_placement_group.secure_and_childrens_homes",
            "cla_by_national_placement_group.other_residential_settings",
        ),
        False,
    ),
    (("uasc_count",), ("uasc_share.count",), True),
    (("cla_count",), ("uasc_share.denominator",), True),
    (("cla_count",), ("fostering_share.denominator",), True),
    (("cla_count",), ("placed_outside_la.denominator",), True),
    (
        ("placed_outside_la.count",),
        ("cla_by_location.neighbouring", "cla_by_location.distant"),
        True,
    ),
    (("placed_over_100_miles.count",), ("cla_by_distance_band.100_plus",), True),
    (
        ("placed_over_20_miles.count",),
        ("cla_by_distance_band.over_20_under_100", "cla_by_distance_band.100_plus"),
        True,
    ),
    (("cla_count",), ("placed_over_20_miles.denominator",), True),  # unknown distances in it
    (("distance_known.count",), ("placed_over_20_miles_known_distance.denominator",), True),
    (
        ("placed_over_20_miles_known_distance.count",),
        ("cla_by_distance_band.over_20_under_100", "cla_by_distance_band.100_plus"),
        True,
    ),
    (
        ("placed_over_100_miles_known_distance.count",),
        ("cla_by_distance_band.100_plus",),
        True,
    ),
    (
        ("cla_count",),
        ("placed_over_20_miles_known_distance.denominator", "cla_by_distance_band.unknown"),
        True,
    ),
    (("in_house_fostering_share.denominator",), ("fostering_share.count",), True),
    (("cla_by_ethnicity.white",), ("cla_white_british.count",), False),
    (
        ("childrens_home_inside_share.count",),
        ("supply_homes_in_area.children_placed_inside",),
        True,
    ),
    (
        ("childrens_home_inside_share.denominator",),
        ("supply_homes_in_area.children_in_homes",),
        True,
    ),
    (("adoptions",), ("reasons_for_leaving.adopted",), True),
    (("special_guardianship_orders",), ("reasons_for_leaving.special_guardianship",), True),
    (("ceased",), ("ceased_aged_18",), False),
    *(  # the scorecard prints each indicator's three-year count again
        (
            (f"adoption_{a.lower()}_days.three_year_children",),
            (f"adoption_scorecard.{a}.three_year_children",),
            True,
        )
        for a in ("A1", "A2", "A10")
    ),
    (("starts",), ("uasc_arrivals",), False),
    # the DfE's age bands are the finer bands inside them
    *(
        ((f"cla_by_age_band.{band}",), tuple(f"cla_by_fine_age_band.{f}" for f in fine), True)
        for band, fine in (
            ("under_1", ("under_1",)),
            ("1_to_4", ("1_to_4",)),
            ("5_to_9", ("5_to_9",)),
            ("10_to_15", ("10_to_12", "13_to_15")),
            ("16_plus", ("16_to_17", "18_plus")),
        )
    ),
    # children with a reunification plan: where they are, and those still looked after
    (
        ("reunification_outcomes.total",),
        tuple(
            f"reunification_outcomes.{k}"
            for k in (
                "left_care",
                "placed_with_parents",
                "foster_care",
                "other_placement",
                "not_in_returns",
            )
        ),
        True,
    ),
    (
        ("permanence_plans_by_type.reunification.looked_after",),
        tuple(
            f"reunification_outcomes.{k}"
            for k in ("placed_with_parents", "foster_care", "other_placement")
        ),
        True,
    ),
    # the council's own providers' row holds at least its in-house fostering and homes
    *(
        (
            (f"supply_provider_market.in_house.{c}",),
            (f"{m}.in_house_fostering", f"{m}.in_house_residential"),
            False,
        )
        for c, m in (
            ("nights", "bed_nights_by_placement_type"),
            ("spend", "spend_by_placement_type"),
        )
    ),
)
#: A figure that is another's on the same day a year before (a stream's start, its last end).
PREVIOUS = (("uasc_forecast.start", "uasc_count"), ("dolo_orders.start", "dolo_orders.end"))
#: Breakdowns of a flow or total that add up to it.
FLOW_BREAKDOWNS = (
    ("starts", "starts_by_age_band"),
    ("ceased", "reasons_for_leaving"),
    ("ceased", "ceased_by_duration"),
    ("placement_moves", "reasons_for_placement_change"),
    ("uasc_count", "uasc_by_age"),
    ("cla_by_location.distant", "distant_by_age_band"),
    ("bed_nights_total", "bed_nights_by_placement_type"),
    ("spend_total", "spend_by_placement_type"),
)
#: Table columns that are not additive down the rows (anything else numeric is, when the table
#: has a Total row: a reader adds them up).
#: Figures that are no whole number of anything (a rate, a share's percentage, an average): a
#: reader solves for them as real numbers and needs them to within 5%.
CONTINUOUS = re.compile(r"rate_per_10k|\.pct@|average")
NOT_ADDITIVE = re.compile(r"%|average|rate|weekly cost|per |percentile|capacity", re.I)


@dataclass
class Knowledge:
    """What a reader has: numbers and ``[c]``s by the figure they stand for, and relations."""

    numbers: dict[str, float] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)
    magnitude: set[str] = field(default_factory=set)
    relations: list[tuple[dict[str, float], float, float]] = field(default_factory=list)

    def see(self, key: str, value: Any, magnitude: bool = False) -> None:
        if value == C or value == "[c]":
            self.hidden.add(key)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            if key in self.numbers and abs(self.numbers[key] - value) > 1e-6 * max(1, abs(value)):
                # two different numbers for one figure: keep the first, a reader would notice
                return
            self.numbers.setdefault(key, float(value))
        else:
            return
        if magnitude or CONTINUOUS.search(key):
            self.magnitude.add(key)

    def equal(
        self, left: Iterable[str], right: Iterable[str], exact: bool = True, rounding: float = 0.0
    ) -> None:
        """sum(left) = sum(right) (at least it, when not ``exact``), each figure shown
        rounded to within ``rounding``."""
        terms: dict[str, float] = {}
        for k in left:
            terms[k] = terms.get(k, 0) + 1
        for k in right:
            terms[k] = terms.get(k, 0) - 1
        terms = {k: a for k, a in terms.items() if a}
        slack = rounding * len(terms)
        if terms:
            self.relations.append((terms, -slack, (slack if exact else math.inf)))

    def known(self, key: str) -> bool:
        return key in self.numbers or key in self.hidden


# ------------------------------------------------------------------------ reading the files
def _number(text: str) -> float | str | None:
    t = text.strip().replace(",", "").replace("£", "").replace("%", "")
    if t == "[c]":
        return C
    try:
        return float(t)
    except ValueError:
        return None


@dataclass
class ParsedTable:
    id: str
    title: str
    columns: list[str]
    rows: list[tuple[str, bool, list[tuple[Any, str | None, str]]]]  # header, total, cells


def read_html_tables(text: str) -> list[ParsedTable]:
    """Every table of an HTML page: headers, rows, each cell's number (or ``c``), ref, class."""
    doc = lxml_html.fromstring(text)
    out = []
    for table in doc.xpath("//table"):
        tid = table.get("data-table") or table.get("id") or ""
        title = "".join(table.xpath(".//caption//span[@class='t-title']//text()")).strip()
        columns = [th.text_content().strip() for th in table.xpath(".//thead//th")]
        rows = []
        for tr in table.xpath(".//tbody/tr"):
            head = tr.xpath("./th")
            header = head[0].text_content().strip() if head else ""
            cells = [
                (_number(td.text_content()), td.get("data-ref"), td.get("class") or "")
                for td in tr.xpath("./td")
            ]
            rows.append((header, "total" in (tr.get("class") or ""), cells))
        out.append(ParsedTable(tid, title, columns, rows))
    return out


def read_xlsx_tables(path: Path) -> list[tuple[str, list[list[Any]]]]:
    """Every table sheet: its title (cell A1) and its rows from the header row on."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    out = []
    for name in wb.sheetnames[2:]:
        rows = [list(r) for r in wb[name].iter_rows(values_only=True)]
        if not rows or not rows[0] or rows[0][0] in (None, "Measure id"):
            continue
        out.append((str(rows[0][0]), rows[3:]))
    return out


def _flatten(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    if isinstance(value, Mapping):
        for k, v in value.items():
            yield from _flatten(v, (*path, str(k)))
    elif not isinstance(value, list):
        yield path, value


def _same_day(year: int, at: dt.date) -> dt.date:
    try:
        return at.replace(year=year)
    except ValueError:
        return at.replace(year=year, day=28)


def _dump_key(mid: str, path: tuple[str, ...], at: dt.date, shares: set[str]) -> str:
    """The figure a value of the JSON's measures stands for (a trend point is that year's
    measure; a benchmark's council figure is the measure's own)."""
    if mid == "trends" and len(path) == 3 and path[2] == "value":
        return f"{path[0]}@{_same_day(int(path[1]), at)}"
    if mid == "benchmarks" and len(path) == 2 and path[1] == "la":
        return f"{path[0]}.pct@{at}" if path[0] in shares else f"{path[0]}@{at}"
    if mid == "spend_by_year" and len(path) >= 2:
        year = _same_day(int(path[0]), at)
        if path[1] == "spend":
            return f"spend_total@{year}"
        if path[1] == "average_weekly_cost" and len(path) == 3:
            return f"average_weekly_cost_by_type.{path[2]}@{year}"
    return ".".join((mid, *path)) + f"@{at}"


def statement_knowledge(folder: Path) -> Knowledge:
    """Everything a reader of ``statement.html``, ``.xlsx`` and ``.json`` in ``folder`` has."""
    know = Knowledge()
    tables = read_html_tables((folder / "statement.html").read_text("utf-8"))
    positions: dict[tuple[str, int, str, str], str] = {}
    occurrence: dict[str, int] = {}
    for t in tables:
        n = occurrence.get(t.title, 0)
        occurrence[t.title] = n + 1
        for r_i, (header, _, cells) in enumerate(t.rows):
            for j, (value, ref, cls) in enumerate(cells):
                key = ref or f"{t.id}|{r_i}|{j}"
                know.see(key, value, magnitude="money" in cls or "number" in cls)
                col = t.columns[j + 1] if j + 1 < len(t.columns) else str(j)
                positions[(t.title, n, header, col)] = key
    occurrence = {}
    for title, rows in read_xlsx_tables(folder / "statement.xlsx"):
        n = occurrence.get(title, 0)
        occurrence[title] = n + 1
        if not rows:
            continue
        columns = [str(c or "") for c in rows[0]]
        for row in rows[1:]:
            if not row or row[0] is None:
                continue
            for j, value in enumerate(row[1:], start=1):
                key = positions.get((title, n, str(row[0]), columns[j] if j < len(columns) else ""))
                if key is not None:
                    know.see(key, value)
    doc = json.loads((folder / "statement.json").read_text("utf-8"))
    for block in doc.get("measures", {}).values():
        _read_measures(know, block)
    for section in doc.get("sections", []):
        for b in section.get("blocks", []):
            t = b.get("table")
            if not t:
                continue
            for r_i, row in enumerate(t["rows"]):
                for j, cell in enumerate(row["cells"]):
                    know.see(cell.get("ref") or f"{t['id']}|{r_i}|{j}", cell.get("value"))
    for t in tables:
        _table_relations(know, t)
    return know


def _read_measures(know: Knowledge, block: Mapping[str, Any]) -> None:
    """One date's measures as the JSON prints them (``{"at", "measures"}``: a statement's
    block, or the whole ``sufficiency measures --json`` document), and their relations."""
    at = dt.date.fromisoformat(block["at"])
    values = block.get("measures") or {}
    shares = {
        m
        for m, v in values.items()
        if isinstance(v, dict) and set(v) == {"count", "denominator", "pct"}
    }
    for mid, value in values.items():
        for path, leaf in _flatten(value):
            know.see(
                _dump_key(mid, path, at, shares),
                leaf,
                magnitude=mid.startswith(("spend", "bed_nights", "average_weekly")),
            )
    _dump_relations(know, values, at, shares)


def measures_knowledge(doc: Mapping[str, Any]) -> Knowledge:
    """Everything a reader of a ``sufficiency measures --json`` document has."""
    know = Knowledge()
    _read_measures(know, doc)
    return know


def _dump_relations(
    know: Knowledge, values: Mapping[str, Any], at: dt.date, shares: set[str]
) -> None:
    def key(name: str) -> str:
        return f"{name}@{at}"

    for mid in shares:
        v = values[mid]
        count, den = key(f"{mid}.count"), key(f"{mid}.denominator")
        know.relations.append(({den: 1.0, count: -1.0}, 0.0, math.inf))
        p = v.get("pct")
        if isinstance(p, int | float):
            know.relations.append(({count: 100.0, den: -(p + 0.05)}, -math.inf, 0.0))
            know.relations.append(({count: 100.0, den: -(p - 0.05)}, 0.0, math.inf))
    for mid in CLA_BREAKDOWNS:
        if isinstance(values.get(mid), dict):
            know.equal([key("cla_count")], [key(f"{mid}.{k}") for k in values[mid]])
    if isinstance(values.get("cla_by_provider"), dict):
        know.equal(
            [key("cla_count")],
            [key(f"cla_by_provider.{k}") for k in values["cla_by_provider"]],
            exact=False,
        )
    for whole, mid in FLOW_BREAKDOWNS:
        if isinstance(values.get(mid), dict) and (whole.split(".")[0] in values):
            parts = [key(f"{mid}.{k}") for k in values[mid] if k != "total"]
            # money is shown to the pound: the parts add up to the total to within their rounding
            know.equal([key(whole)], parts, rounding=0.5 if mid.startswith("spend") else 0.0)
    for mid, v in values.items():  # a three-year figure counts the children of three years
        if isinstance(v, dict) and {"children", "three_year_children"} <= set(v):
            years = [_same_day(at.year - k, at) for k in range(3)]
            know.equal([key(f"{mid}.three_year_children")], [f"{mid}.children@{d}" for d in years])
            if mid.startswith("adoption_a"):  # each year's children: every child adopted then
                for d in years:
                    know.equal([f"adoptions@{d}"], [f"{mid}.children@{d}"])
    grid = values.get("placement_type_by_location")
    if isinstance(grid, dict):
        for t, row in grid.items():
            know.equal(
                [key(f"cla_by_placement_type.{t}")],
                [key(f"placement_type_by_location.{t}.{b}") for b in row],
            )
        bands = {b for row in grid.values() for b in row}
        for b in bands:
            know.equal(
                [key(f"cla_by_location.{b}")],
                [key(f"placement_type_by_location.{t}.{b}") for t in grid],
            )
    for whole, parts, exact in GROUPS:
        if all(n.split(".")[0] in values for n in (*whole, *parts)):
            know.equal([key(n) for n in whole], [key(n) for n in parts], exact)
    placed = values.get("requested_vs_placed")
    if isinstance(placed, dict) and "matched_first_time" in values:
        # the children placed from a referral, by kind asked for and kind made (a referral
        # names the kind asked for: the reader takes it that every one does)
        know.equal(
            [key("matched_first_time.denominator")],
            [key(f"requested_vs_placed.{a}.{b}") for a, row in placed.items() for b in row],
        )
    for mine, theirs in PREVIOUS:
        if mine.split(".")[0] in values:
            know.equal([key(mine)], [f"{theirs}@{_same_day(at.year - 1, at)}"])
    trends = values.get("trends")
    if isinstance(trends, dict):
        for mid, series in trends.items():
            years = sorted(int(y) for y in series)
            for prev, cur in itertools.pairwise(years):
                ch = series[str(cur)].get("change")
                if ch in (None,):
                    continue
                change_key = key(f"trends.{mid}.{cur}.change")
                know.relations.append(
                    (
                        {
                            f"{mid}@{_same_day(cur, at)}": 1.0,
                            f"{mid}@{_same_day(prev, at)}": -1.0,
                            change_key: -1.0,
                        },
                        0.0,
                        0.0,
                    )
                )


def _table_relations(know: Knowledge, t: ParsedTable) -> None:
    """A table with a Total row: every numeric column's rows above it add up to it; a last
    column headed Total is the sum of the row's other count columns."""
    total_at = next((i for i, (_, total, _) in enumerate(t.rows) if total), None)
    keys = [
        [cell[1] or f"{t.id}|{r_i}|{j}" for j, cell in enumerate(cells)]
        for r_i, (_, _, cells) in enumerate(t.rows)
    ]
    if total_at is not None:
        for j in range(len(t.rows[total_at][2])):
            col = t.columns[j + 1] if j + 1 < len(t.columns) else ""
            if NOT_ADDITIVE.search(col):
                continue
            body = [keys[i][j] for i in range(total_at) if j < len(keys[i])]
            kind = t.rows[total_at][2][j][2]
            rounding = 0.5 if "money" in kind else 0.05 if "number" in kind else 0.0
            know.equal([keys[total_at][j]], body, rounding=rounding)
    if t.columns and t.columns[-1].lower() == "total":
        for r_i, (_, _, cells) in enumerate(t.rows):
            count_cols = [
                keys[r_i][j]
                for j in range(len(cells) - 1)
                if not NOT_ADDITIVE.search(t.columns[j + 1] if j + 1 < len(t.columns) else "")
            ]
            know.equal([keys[r_i][-1]], count_cols)


# ----------------------------------------------------------------------- the integer programme
@dataclass(frozen=True)
class Recovery:
    key: str
    low: float
    high: float
    truth: float | None

    def __str__(self) -> str:
        return f"{self.key}: between {self.low:g} and {self.high:g} (true {self.truth})"


def recover(
    know: Knowledge, oracle: Mapping[str, float] | None = None, small: int = SMALL
) -> list[Recovery]:
    """Every ``[c]`` the reader can narrow to fewer than three whole values (a magnitude: to
    within 5% of itself). With ``oracle`` the reader knows which ``[c]`` stands for 1 to
    ``small`` (and that any other is above it)."""
    hidden = know.hidden - set(know.numbers)
    unknown: set[str] = set(hidden)
    rows = []
    facts = {**(oracle or {}), **know.numbers}
    for terms, lo, hi in know.relations:
        if oracle is not None and all(k in facts for k in terms):
            total = sum(a * facts[k] for k, a in terms.items())
            if not lo - 1e-6 * max(1.0, abs(total)) <= total <= hi + 1e-6 * max(1.0, abs(total)):
                continue  # an assumption this council's figures break tells the reader nothing
        free = {k: a for k, a in terms.items() if k not in know.numbers}
        if not free:
            continue
        if any(k not in hidden for k in free):
            unknown |= set(free)  # a figure never shown: unknown, whole, at least 0
        const = sum(a * know.numbers[k] for k, a in terms.items() if k in know.numbers)
        rows.append((free, lo - const - 1e-6, hi - const + 1e-6))
    parent = {k: k for k in unknown}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for free, _, _ in rows:
        first = next(iter(free))
        for k in free:
            parent[find(k)] = find(first)
    comps: dict[str, list[str]] = {}
    for k in sorted(unknown):
        comps.setdefault(find(k), []).append(k)
    comp_rows: dict[str, list[int]] = {}
    for i, (free, _, _) in enumerate(rows):
        comp_rows.setdefault(find(next(iter(free))), []).append(i)

    def bound(k: str) -> tuple[float, float]:
        if ".change" in k:  # a change may be negative
            return -BIG, BIG
        truth = (oracle or {}).get(k)
        if k not in hidden or truth is None or k in know.magnitude:
            return 0.0, BIG
        if 1 <= truth <= small:
            return 1.0, float(small)
        if truth == 0:
            return 0.0, BIG
        return float(small + 1), BIG

    found = []
    for root, members in comps.items():
        targets = [k for k in members if k in hidden]
        if not targets:
            continue
        pos = {k: i for i, k in enumerate(members)}
        idx = comp_rows.get(root, [])
        bnds = [bound(k) for k in members]
        integrality = np.array([0 if k in know.magnitude else 1 for k in members])
        cons = []
        if idx:
            data, ri, ci = [], [], []
            for r, i in enumerate(idx):
                for k, a in rows[i][0].items():
                    data.append(a)
                    ri.append(r)
                    ci.append(pos[k])
            cons = [
                LinearConstraint(
                    csr_array((data, (ri, ci)), shape=(len(idx), len(members))),
                    np.array([rows[i][1] for i in idx]),
                    np.array([rows[i][2] for i in idx]),
                )
            ]
        box = Bounds(np.array([b[0] for b in bnds]), np.array([b[1] for b in bnds]))
        for k in targets:
            ends = []
            for sign in (1.0, -1.0):
                c = np.zeros(len(members))
                c[pos[k]] = sign
                res = milp(c, constraints=cons, bounds=box, integrality=integrality)
                assert res.status == 0, (k, res.message)  # the truth is always feasible
                ends.append(float(res.x[pos[k]]))
            low, high = ends
            truth = (oracle or {}).get(k)
            if k in know.magnitude:
                pinned = high - low < max(1.0, 0.05 * abs(truth or high))
            else:
                pinned = math.floor(high + 1e-6) - math.ceil(low - 1e-6) + 1 < 3
            if pinned:
                found.append(Recovery(k, low, high, truth))
    return found


def oracle_from(folder: Path) -> dict[str, float]:
    """The true values behind a published statement: the internal version's numbers."""
    return dict(statement_knowledge(folder).numbers)


def small_counts_shown(folder: Path, children: set[str], small: int = SMALL) -> list[str]:
    """Child counts from 1 to ``small`` printed anywhere in the statement (by figure)."""
    know = statement_knowledge(folder)
    return sorted(k for k, v in know.numbers.items() if k in children and 1 <= v <= small)


# ---------------------------------------------------------------------------- the dashboard
def dashboard_tables(text: str) -> dict[str, list[tuple[str, list[str], list[Any]]]]:
    """A dashboard page's measure tables: measure id -> rows of (label, headers, values)."""
    doc = lxml_html.fromstring(text)
    out: dict[str, list[tuple[str, list[str], list[Any]]]] = {}
    for table in doc.xpath("//table[@data-measure]"):
        headers = [th.text_content().strip() for th in table.xpath(".//thead//th")]
        rows = []
        for tr in table.xpath(".//tbody/tr"):
            cells = [c.text_content().strip() for c in tr.xpath("./th|./td")]
            if headers and headers[0] == "":
                label, values = cells[0], cells[1:]
            else:
                label, values = "", cells
            rows.append(
                (
                    label,
                    headers[1:] if headers and headers[0] == "" else headers,
                    [_number(v) for v in values],
                )
            )
        out[table.get("data-measure")] = rows
    return out


def dashboard_knowledge(pages: Mapping[int, Iterable[str]]) -> Knowledge:
    """What a viewer has from every dashboard page of every year: each table cell by measure,
    row and column; a breakdown of the children looked after adds up to them; a share's
    percentage ties its count to its denominator."""
    know = Knowledge()
    for year, texts in pages.items():
        for text in texts:
            for mid, rows in dashboard_tables(text).items():
                for label, headers, values in rows:
                    for col, value in zip(headers, values, strict=False):
                        know.see(f"{mid}|{label}|{col}@{year}", value)
        _dashboard_relations(know, year, pages[year])
    return know


def _dashboard_relations(know: Knowledge, year: int, texts: Iterable[str]) -> None:
    tables: dict[str, list[tuple[str, list[str], list[Any]]]] = {}
    for text in texts:
        tables.update(dashboard_tables(text))
    if "cla_count" not in tables:
        return
    label, headers, _ = tables["cla_count"][0]
    total = f"cla_count|{label}|{headers[0]}@{year}"
    for mid in CLA_BREAKDOWNS:
        rows = tables.get(mid)
        if rows:
            know.equal([total], [f"{mid}|{r}|{h[0]}@{year}" for r, h, _ in rows])
    for mid, rows in tables.items():
        if len(rows) == 1 and rows[0][1] == ["Children", "Out of", "%"]:
            count, den = f"{mid}||Children@{year}", f"{mid}||Out of@{year}"
            know.relations.append(({den: 1.0, count: -1.0}, 0.0, math.inf))
            p = rows[0][2][2]
            if isinstance(p, float):
                know.relations.append(({count: 100.0, den: -(p + 0.05)}, -math.inf, 0.0))
                know.relations.append(({count: 100.0, den: -(p - 0.05)}, 0.0, math.inf))
