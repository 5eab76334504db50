"""Build the published benchmarks shipped in the package (``src/sufficiency/published/data/``).

Reads the DfE / ONS files in ``../shared/data/dfe/`` (Open Government Licence v3; what each file
is and whom to credit: ``SOURCES.md`` there) and writes five small Parquet files:

- ``values.parquet`` - one row per measure, year (the 31 March that ends it), area: ``measure_id,
  lait_code, year, area_code, area_name, area_type (la/region/england), value (null when not a
  number), symbol (the DfE's own text then: c, z, x, k, - ...), count, denominator, source``.
- ``neighbours.parquet`` - each council's ten statistical neighbours (2025 model; the councils
  abolished before it keep the "old SNs" the same workbook lists, ``model`` = "old").
- ``population.parquet`` - ONS mid-year estimates of children aged 0-17 by area and mid-year.
- ``las.parquet`` - the code map: old DfE number, current ONS code, former ONS codes of the same
  area, name, region, type, and the reorganisations (first/last year, predecessors, successors).
- ``measures.parquet`` - what each shipped measure is: DfE title, unit, LAIT code, polarity as the
  LAIT data dictionary publishes it (High/Low/-/NA -> up/down/neutral), how it compares with ours.
- ``definitions.parquet`` - the DfE's own wording of each measure with a LAIT code, for the
  statement's definitions for the public: the data dictionary's Methodology (its Description
  where the Methodology is blank or "-"), whom to credit and where the DfE publishes it.

Where each measure comes from (the DfE file for the years it covers, 2021-2025; the LAIT dataset
``bds_long_0.parquet`` for the years before; the two agree wherever both publish a number, which
``disagreements`` checks):

=========================================  ==========================================  =====================
our measure id                             DfE file (rows)                             LAIT code (earlier)
=========================================  ==========================================  =====================
cla_count                                  cla_number_and_rate_per_10k_children.csv    LACnum
                                           (looked after on 31 March: children_count)
cla_rate_per_10k                           same row: rate_per_10000                    LAC
starts, starts_rate_per_10k                same file, starting in the year             LACnum_Start,
                                                                                       LAC_Start_Rate
ceased, ceased_rate_per_10k                same file, ceasing in the year              LACceased,
                                                                                       LAC_Cease_Rate
stability_three_plus                       la_cla_placement_stability.csv (CLA on      LACStable_2016on
                                           31 March, 3 or more placements)
stability_long_term                        same file (2.5 years, under 16, same        LAC_LongStable%
                                           carer 2 years)
care_leavers_suitable_accommodation        la_care_leavers_accommodation_suitability   CareLeaverAcc
                                           .csv (19 to 21 years, suitable)
care_leavers_eet, care_leavers_neet        la_care_leavers_activity.csv (19 to 21)     CareLeaverEET,
                                                                                       CareLeaversNEET
new_placements_over_20_miles_outside_la    la_cla_during_year_new_placements.csv       -
placed_over_20_miles_outside_la            -                                           LACDistance
uasc_count, uasc_share                     -                                           Unacc_Asylmn_Seek_
                                                                                       Childn(%)
adoptions, special_guardianship_orders     -                                           No_of LAC Adopted,
                                                                                       LAC_ceased_SGO
care_leavers_not_in_touch                  -                                           CareLeavers_LA_
                                                                                       NotInTouch
fostering_share and the placement-group    -                                           LAC_Foster_Placements,
shares cla_by_national_placement_group.*                                               LAC_SecHome_And_
                                                                                       ChildHome, ...
adoption_entry_to_placement_months         national_cla_adopted_average_time_between   -
                                           _adoption_process_stages.csv (England)
=========================================  ==========================================  =====================

Population: ``ons_mid-year_population_estimates_2012_to_2024.csv``; neighbours:
``sn_model_2025_wide.csv`` and the "Old SNs" block of ``sn_may_2025.xlsx``; codes:
``la_code_list.xlsx`` with the DfE CSVs' and the ONS file's codes; polarity and titles:
``lait_data_dictionary.csv``.

Usage: ``python scripts/build_benchmarks.py [SOURCE_DIR] [--out DIR]`` (SOURCE_DIR defaults to
``../shared/data/dfe`` beside the repository; --out to the package's data folder).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "dfe"
DEFAULT_OUT = REPO / "src" / "sufficiency" / "published" / "data"

#: The short credit written on every row, by source.
CLA_RELEASE = "DfE, Children looked after in England including adoptions"
LAIT = "DfE, Local Authority Interactive Tool"
ONS_POPULATION = "ONS, mid-year population estimates"
SN_MODEL = "DfE, Children's Services Statistical Neighbour Benchmarking Tool"

ENGLAND = "E92000001"
#: LAIT's numbers for England and the regions (la_code_list.xlsx) -> ONS codes.
LAIT_AREAS: dict[int, str] = {
    970: ENGLAND,
    980: "E12000001",
    981: "E12000002",
    982: "E12000003",
    983: "E12000004",
    984: "E12000005",
    985: "E12000006",
    986: "E12000007",
    987: "E13000001",
    988: "E13000002",
    989: "E12000008",
    990: "E12000009",
}
#: The DfE's region names (as its CSVs spell them) -> ONS region codes, for the three councils
#: abolished in 2019 that no DfE CSV lists (la_code_list.xlsx names their region).
REGION_CODES: dict[str, str] = {
    "North East": "E12000001",
    "North West": "E12000002",
    "Yorkshire and The Humber": "E12000003",
    "East Midlands": "E12000004",
    "West Midlands": "E12000005",
    "East of England": "E12000006",
    "London": "E12000007",
    "South East": "E12000008",
    "South West": "E12000009",
    "Inner London": "E13000001",
    "Outer London": "E13000002",
}
#: Councils abolished since 2019 -> the councils that took over their area (old DfE numbers),
#: with the last year (31 March) the old council's figures are published for. Christchurch moved
#: from Dorset county (835) to Bournemouth, Christchurch and Poole (839) in April 2019.
REORGANISED: dict[str, tuple[int, tuple[str, ...]]] = {
    "835": (2019, ("838", "839")),
    "836": (2019, ("839",)),
    "837": (2019, ("839",)),
    "928": (2021, ("940", "941")),
    "909": (2023, ("942", "943")),
}
#: LAIT's polarity text -> ours (the dictionary writes "-" or "NA" for no preferred direction).
POLARITY = {"High": "up", "Low": "down", "-": "neutral", "NA": "neutral"}


@dataclass(frozen=True)
class CsvRows:
    """Where a measure sits in a DfE CSV: the filters picking its row, the column holding the
    headline value, and (optional) the filters of the row holding its denominator."""

    file: str
    where: Mapping[str, str]
    value: str
    count: str | None = None
    denominator: str | None = None
    denominator_where: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Spec:
    """One shipped measure: our id, unit, the DfE CSV rows and the LAIT codes it comes from."""

    measure_id: str
    unit: str
    lait: str | None = None
    lait_count: str | None = None
    lait_denominator: str | None = None
    csv: CsvRows | None = None
    title: str | None = None  # when the LAIT dictionary has none
    note: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)


_CLA = "cla_number_and_rate_per_10k_children.csv"
_STAB = "la_cla_placement_stability.csv"
_NEW = "la_cla_during_year_new_placements.csv"
_ACCOM = "la_care_leavers_accommodation_suitability.csv"
_ACTIV = "la_care_leavers_activity.csv"
_ADOPT_STAGES = "national_cla_adopted_average_time_between_adoption_process_stages.csv"
_ON_31_MARCH = {"population_type": "Children looked after on 31 March each year"}
_STARTING = {"population_type": "Children starting to be looked after each year"}
_CEASING = {"population_type": "Children ceasing to be looked after each year"}
_STABLE_3 = {"cla_group": "CLA on 31 March"}
_LONG_TERM = {
    "cla_group": "Children looked after continuously for at least 2.5 years on 31 March "
    "aged under 16 years"
}
_LEAVERS_19_21 = {"care_leaver_age": "19 to 21 years"}
_SHARE_OF_CLA = (
    "Share of children looked after at 31 March (short breaks excluded), as the DfE "
    "publishes it (whole percent)."
)


def _group(key: str, lait: str) -> Spec:
    return Spec(
        f"cla_by_national_placement_group.{key}",
        "percent",
        lait=lait,
        lait_denominator="LACnum",
        note=f"The {key.replace('_', ' ')} group of cla_by_national_placement_group. "
        + _SHARE_OF_CLA,
    )


SPECS: tuple[Spec, ...] = (
    Spec(
        "cla_count",
        "count",
        lait="LACnum",
        csv=CsvRows(_CLA, _ON_31_MARCH, "children_count"),
    ),
    Spec(
        "cla_rate_per_10k",
        "rate",
        lait="LAC",
        lait_count="LACnum",
        csv=CsvRows(_CLA, _ON_31_MARCH, "rate_per_10000", "children_count", "population_estimate"),
        note="Per 10,000 children aged 0-17, using the ONS mid-year estimate of the year before "
        "(the rate at 31 March 2025 uses mid-2024); published as a whole number.",
    ),
    Spec("starts", "count", lait="LACnum_Start", csv=CsvRows(_CLA, _STARTING, "children_count")),
    Spec(
        "starts_rate_per_10k",
        "rate",
        lait="LAC_Start_Rate",
        lait_count="LACnum_Start",
        csv=CsvRows(_CLA, _STARTING, "rate_per_10000", "children_count", "population_estimate"),
    ),
    Spec("ceased", "count", lait="LACceased", csv=CsvRows(_CLA, _CEASING, "children_count")),
    Spec(
        "ceased_rate_per_10k",
        "rate",
        lait="LAC_Cease_Rate",
        lait_count="LACceased",
        csv=CsvRows(_CLA, _CEASING, "rate_per_10000", "children_count", "population_estimate"),
    ),
    Spec(
        "stability_three_plus",
        "percent",
        lait="LACStable_2016on",
        lait_count="LACStableNum_2016on",
        lait_denominator="LACnum",
        csv=CsvRows(
            _STAB,
            {**_STABLE_3, "placement_stability": "With 3 or more placements during the year"},
            "children_percent",
            "children_count",
            "children_count",
            {**_STABLE_3, "placement_stability": "Total children"},
        ),
    ),
    Spec(
        "stability_long_term",
        "percent",
        lait="LAC_LongStable%",
        lait_count="LAC_LongStableNum",
        csv=CsvRows(
            _STAB,
            {
                **_LONG_TERM,
                "placement_stability": "Living with the same carer for at least 2 years",
            },
            "children_percent",
            "children_count",
            "children_count",
            {**_LONG_TERM, "placement_stability": "Total children"},
        ),
    ),
    Spec(
        "care_leavers_suitable_accommodation",
        "percent",
        lait="CareLeaverAcc",
        lait_count="NoCareLeaverAcc",
        lait_denominator="NoCareLeavers",
        csv=CsvRows(
            _ACCOM,
            {**_LEAVERS_19_21, "breakdown": "Accommodation considered suitable"},
            "care_leaver_percent",
            "care_leaver_count",
            "care_leaver_count",
            {**_LEAVERS_19_21, "breakdown": "Suitability total"},
        ),
    ),
    Spec(
        "care_leavers_eet",
        "percent",
        lait="CareLeaverEET",
        lait_count="CareLeaverEETNum",
        lait_denominator="NoCareLeavers",
        csv=CsvRows(
            _ACTIV,
            {**_LEAVERS_19_21, "breakdown": "Total in education, employment or training"},
            "care_leaver_percent",
            "care_leaver_count",
            "care_leaver_count",
            {**_LEAVERS_19_21, "breakdown": "Total"},
        ),
    ),
    Spec(
        "care_leavers_neet",
        "percent",
        lait="CareLeaversNEET",
        lait_denominator="NoCareLeavers",
        csv=CsvRows(
            _ACTIV,
            {**_LEAVERS_19_21, "breakdown": "Total not in education, employment or training"},
            "care_leaver_percent",
            "care_leaver_count",
            "care_leaver_count",
            {**_LEAVERS_19_21, "breakdown": "Total"},
        ),
    ),
    Spec(
        "care_leavers_not_in_touch",
        "percent",
        lait="CareLeavers_LA_NotInTouch",
        lait_denominator="NoCareLeavers",
        note="The DfE publishes 'not in touch'; it is not 100 minus care_leavers_in_touch "
        "(young people who refuse contact, or whose activity a third party reported, are "
        "neither).",
    ),
    Spec(
        "placed_over_20_miles_outside_la",
        "percent",
        lait="LACDistance",
        lait_denominator="LACnum",
        note="The DfE's distance measure: placed more than 20 miles from home AND outside the "
        "council's boundary, of all children looked after at 31 March (short breaks excluded; "
        "distance not known counts in the total). Narrower than placed_over_20_miles (any "
        "placement over 20 miles, of known distances), so it is shipped under its own id.",
    ),
    Spec(
        "new_placements_over_20_miles_outside_la",
        "percent",
        csv=CsvRows(
            _NEW,
            {
                "characteristic": "Location of new placements during the year",
                "breakdown": "Placed outside LA boundary more than 20 miles from home",
            },
            "children_percent",
            "children_count",
            "children_count",
            {
                "characteristic": "Location of new placements during the year",
                "breakdown": "Total new placements",
            },
        ),
        title="New placements during the year placed outside the LA boundary more than 20 "
        "miles from home (%)",
        note="Placements started in the year (not children at 31 March): no catalogue measure "
        "counts this yet.",
    ),
    Spec("uasc_count", "count", lait="Unacc_Asylmn_Seek_Childn"),
    Spec(
        "uasc_share",
        "percent",
        lait="Unacc_Asylmn_Seek_Childn%",
        lait_count="Unacc_Asylmn_Seek_Childn",
        lait_denominator="LACnum",
    ),
    Spec("adoptions", "count", lait="No_of LAC Adopted"),
    Spec(
        "special_guardianship_orders",
        "count",
        lait="LAC_ceased_SGO",
        note="Children who ceased to be looked after because a special guardianship order was "
        "made.",
    ),
    Spec(
        "fostering_share",
        "percent",
        lait="LAC_Foster_Placements",
        lait_denominator="LACnum",
        note=_SHARE_OF_CLA,
    ),
    _group("foster_placements", "LAC_Foster_Placements"),
    _group("placed_with_parents", "LAC_Parents_OR_Others"),
    _group("independent_and_supported_living", "LAC_Ind_SInd_Liv_Arr"),
    _group("secure_and_childrens_homes", "LAC_SecHome_And_ChildHome"),
    _group("other_residential_settings", "LAC_Other_Res_Settings"),
    _group("other_placements", "LAC_Other_Place_Inc_Unreg"),
    Spec(
        "adoption_entry_to_placement_months",
        "months",
        title="Average time between entry into care and being placed for adoption, children "
        "adopted in the year (months; England only)",
        note="England only, published in years and months; the nearest published counterpart "
        "of adoption_a1_days (A1 counts to the day the child moved in with the adoptive "
        "family).",
    ),
)
SPEC_BY_ID = {s.measure_id: s for s in SPECS}


def _read_csv(path: Path) -> pl.DataFrame:
    """A DfE/ONS CSV as text columns (its symbols kept), byte-order mark stripped from names."""
    frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    return frame.rename({c: c.lstrip("\ufeff") for c in frame.columns})


def _number(column: str) -> pl.Expr:
    return pl.col(column).str.strip_chars().cast(pl.Float64, strict=False)


# --------------------------------------------------------------------------- code map


def build_las(source: Path) -> pl.DataFrame:
    """Every council the sources name: old number, current code, former codes, name, region,
    type and reorganisation (first/last published year, predecessors, successors)."""
    listed = pl.read_excel(source / "la_code_list.xlsx").select(
        pl.col("LA Number").cast(pl.Int64).cast(pl.Utf8).alias("old_la_code"),
        pl.col("LA Name").alias("list_name"),
        pl.col("Region").alias("list_region"),
        pl.col("Type").alias("list_type"),
    )
    listed = listed.filter(pl.col("list_type") != "NA")
    cla = _read_csv(source / _CLA).filter(pl.col("geographic_level") == "Local authority")
    dfe = cla.select("old_la_code", "new_la_code", "la_name", "region_code", "region_name").unique()
    ons = _read_csv(source / "ons_mid-year_population_estimates_2012_to_2024.csv").filter(
        pl.col("geographic_level") == "Local authority"
    )
    # The ONS file keys each mid-year by the code then in force: the latest is the current one.
    ons_codes = (
        ons.sort("time_period")
        .group_by("old_la_code")
        .agg(
            pl.col("new_la_code").last().alias("ons_code"),
            pl.col("la_name").last().alias("ons_name"),
            pl.col("new_la_code").unique(maintain_order=True).alias("ons_codes"),
        )
    )
    las = (
        listed.join(dfe, on="old_la_code", how="left")
        .join(ons_codes, on="old_la_code", how="left")
        .with_columns(
            pl.coalesce("new_la_code", "ons_code").alias("new_la_code"),
            pl.coalesce("la_name", "list_name").alias("la_name"),
            pl.coalesce(
                "region_code", pl.col("list_region").replace_strict(REGION_CODES, default=None)
            ).alias("region_code"),
        )
    )
    # A London borough's region is London: the DfE CSVs give Inner or Outer London (E13), which
    # the borough's type (ILB, OLB) keeps.
    london = pl.col("region_code").str.starts_with("E13")
    las = las.with_columns(
        pl.when(london)
        .then(pl.lit(REGION_CODES["London"]))
        .otherwise("region_code")
        .alias("region_code"),
        pl.when(london).then(pl.lit("London")).otherwise("region_name").alias("region_name"),
    )
    las = las.with_columns(
        pl.coalesce(
            "region_name",
            pl.col("region_code").replace_strict(
                {v: k for k, v in REGION_CODES.items()}, default=None
            ),
        ).alias("region_name"),
        pl.col("ons_codes")
        .list.set_difference(pl.concat_list(pl.col("new_la_code")))
        .fill_null(pl.lit([], dtype=pl.List(pl.Utf8)))
        .alias("former_codes"),
        _la_type().alias("la_type"),
    )
    last = {k: v[0] for k, v in REORGANISED.items()}
    successors = {k: list(v[1]) for k, v in REORGANISED.items()}
    first = {new: v[0] + 1 for v in REORGANISED.values() for new in v[1]}
    predecessors: dict[str, list[str]] = {}
    for old, (_, news) in REORGANISED.items():
        for new in news:
            predecessors.setdefault(new, []).append(old)
    code_of = dict(las.select("old_la_code", "new_la_code").iter_rows())

    def codes(numbers: list[str]) -> list[str]:
        return [code_of[n] for n in sorted(numbers)]

    las = las.with_columns(
        pl.col("old_la_code")
        .replace_strict(first, default=None, return_dtype=pl.Int32)
        .alias("first_year"),
        pl.col("old_la_code")
        .replace_strict(last, default=None, return_dtype=pl.Int32)
        .alias("last_year"),
        pl.col("old_la_code")
        .replace_strict(
            {k: codes(v) for k, v in predecessors.items()},
            default=[],
            return_dtype=pl.List(pl.Utf8),
        )
        .alias("predecessors"),
        pl.col("old_la_code")
        .replace_strict(
            {k: codes(v) for k, v in successors.items()},
            default=[],
            return_dtype=pl.List(pl.Utf8),
        )
        .alias("successors"),
    )
    out = las.select(
        "old_la_code",
        "new_la_code",
        "la_name",
        "region_code",
        "region_name",
        "la_type",
        "former_codes",
        "first_year",
        "last_year",
        "predecessors",
        "successors",
    ).sort("old_la_code")
    missing = out.filter(pl.any_horizontal(pl.col("new_la_code", "region_code").is_null()))
    if missing.height:
        raise ValueError(f"councils without a code or region: {missing['la_name'].to_list()}")
    return out


def _la_type() -> pl.Expr:
    """The council's type today from its current code (E06 unitary, E08 metropolitan district,
    E10 county; London boroughs inner or outer as la_code_list.xlsx has them)."""
    prefix = pl.col("new_la_code").str.slice(0, 3)
    return (
        pl.when(prefix == "E06")
        .then(pl.lit("UA"))
        .when(prefix == "E08")
        .then(pl.lit("MD"))
        .when(prefix == "E10")
        .then(pl.lit("SC"))
        .when(prefix == "E09")
        .then(pl.col("list_type"))
        .otherwise(pl.lit(None, dtype=pl.Utf8))
    )


def build_areas(las: pl.DataFrame) -> pl.DataFrame:
    """England, the regions and the councils: area_code, area_name, area_type, old number."""
    names = {v: k for k, v in REGION_CODES.items()}
    regions = pl.DataFrame(
        {
            "old_la_code": [str(k) for k in LAIT_AREAS],
            "area_code": list(LAIT_AREAS.values()),
        }
    ).with_columns(
        pl.col("area_code").replace_strict({**names, ENGLAND: "England"}).alias("area_name"),
        pl.when(pl.col("area_code") == ENGLAND)
        .then(pl.lit("england"))
        .otherwise(pl.lit("region"))
        .alias("area_type"),
    )
    councils = las.select(
        "old_la_code",
        pl.col("new_la_code").alias("area_code"),
        pl.col("la_name").alias("area_name"),
        pl.lit("la").alias("area_type"),
    )
    return pl.concat([regions, councils])


# --------------------------------------------------------------------------- values


def _csv_area(frame: pl.DataFrame, areas: pl.DataFrame) -> pl.DataFrame:
    """A DfE CSV's rows keyed by our area code (councils by old number, regions by code)."""
    level = pl.col("geographic_level")
    keyed = frame.with_columns(
        pl.when(level == "National")
        .then(pl.lit("970"))
        .when(level == "Regional")
        .then(
            pl.col("region_code").replace_strict(
                {v: str(k) for k, v in LAIT_AREAS.items()}, default=None
            )
        )
        .otherwise(pl.col("old_la_code"))
        .alias("old_la_code")
    )
    return keyed.join(areas, on="old_la_code", how="inner")


def _csv_values(spec: Spec, source: Path, areas: pl.DataFrame) -> pl.DataFrame:
    rows = spec.csv
    assert rows is not None
    frame = _csv_area(_read_csv(source / rows.file), areas)

    def pick(where: Mapping[str, str]) -> pl.DataFrame:
        picked = frame.filter(*[pl.col(k) == v for k, v in where.items()])
        if picked.height == 0:
            raise ValueError(f"{rows.file}: no rows for {dict(where)}")
        return picked

    main = pick(rows.where).with_columns(
        pl.col("time_period").cast(pl.Int32).alias("year"),
        _number(rows.value).alias("value"),
        pl.col(rows.value).str.strip_chars().alias("raw"),
        (_number(rows.count) if rows.count else pl.lit(None, pl.Float64)).alias("count"),
        (
            _number(rows.denominator)
            if rows.denominator and rows.denominator_where is None
            else pl.lit(None, pl.Float64)
        ).alias("denominator"),
    )
    if rows.denominator and rows.denominator_where is not None:
        totals = pick(rows.denominator_where).select(
            pl.col("time_period").cast(pl.Int32).alias("year"),
            "area_code",
            _number(rows.denominator).alias("denominator"),
        )
        main = main.drop("denominator").join(totals, on=["year", "area_code"], how="left")
    if main.select(pl.struct("year", "area_code").is_duplicated().any()).item():
        raise ValueError(f"{rows.file}: several rows per year and area for {spec.measure_id}")
    return main.with_columns(pl.lit(CLA_RELEASE).alias("source"))


def _lait_values(spec: Spec, lait: pl.DataFrame, areas: pl.DataFrame) -> pl.DataFrame:
    def one(code: str, name: str) -> pl.DataFrame:
        rows = lait.filter(pl.col("Short Desc") == code)
        if rows.height == 0:
            raise ValueError(f"LAIT has no measure {code}")
        if not rows["Years"].str.contains(r"^\d{4}$").all():
            raise ValueError(f"LAIT {code}: years other than YYYY: {rows['Years'].unique()}")
        return rows.select(
            pl.col("Years").cast(pl.Int32).alias("year"),
            pl.col("old_la_code"),
            pl.col("Values").str.strip_chars().alias(name),
        )

    assert spec.lait is not None
    main = one(spec.lait, "raw")
    for code, name in ((spec.lait_count, "count"), (spec.lait_denominator, "denominator")):
        if code is None:
            main = main.with_columns(pl.lit(None, pl.Float64).alias(name))
        else:
            other = one(code, name).with_columns(_number(name))
            main = main.join(other, on=["year", "old_la_code"], how="left")
    return main.join(areas, on="old_la_code", how="inner").with_columns(
        _number("raw").alias("value"), pl.lit(LAIT).alias("source")
    )


def _adoption_stage_values(source: Path) -> pl.DataFrame:
    """England's average time from entry into care to placement for adoption (years:months)."""
    frame = _read_csv(source / _ADOPT_STAGES).filter(
        pl.col("stage_of_adoption_process")
        == "4. Total average time between entry into care and date placed for adoption",
        pl.col("age_start_poc") == "Total",
    )
    parts = pl.col("number").str.strip_chars().str.extract_groups(r"^(\d+):(\d+)$")
    months = parts.struct.field("1").cast(pl.Float64) * 12 + parts.struct.field("2").cast(
        pl.Float64
    )
    return frame.select(
        pl.col("time_period").cast(pl.Int32).alias("year"),
        pl.lit(ENGLAND).alias("area_code"),
        pl.lit("England").alias("area_name"),
        pl.lit("england").alias("area_type"),
        months.alias("value"),
        pl.col("number").str.strip_chars().alias("raw"),
        pl.lit(None, pl.Float64).alias("count"),
        pl.lit(None, pl.Float64).alias("denominator"),
        pl.lit(CLA_RELEASE).alias("source"),
    )


VALUE_COLUMNS = (
    "measure_id",
    "lait_code",
    "year",
    "area_code",
    "area_name",
    "area_type",
    "value",
    "symbol",
    "count",
    "denominator",
    "source",
)


def _finish(frame: pl.DataFrame, spec: Spec) -> pl.DataFrame:
    return frame.with_columns(
        pl.lit(spec.measure_id).alias("measure_id"),
        pl.lit(spec.lait, pl.Utf8).alias("lait_code"),
        pl.when(pl.col("value").is_null()).then(pl.col("raw")).alias("symbol"),
        pl.col("count").round(0).cast(pl.Int64),
        pl.col("denominator").round(0).cast(pl.Int64),
    ).select(VALUE_COLUMNS)


def build_values(
    source: Path, areas: pl.DataFrame, lait: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every shipped measure's published values, and where the DfE CSV and LAIT disagree on a
    number both publish (should be none)."""
    parts: list[pl.DataFrame] = []
    disagreements: list[pl.DataFrame] = []
    for spec in SPECS:
        if spec.measure_id == "adoption_entry_to_placement_months":
            parts.append(_finish(_adoption_stage_values(source), spec))
            continue
        csv = _finish(_csv_values(spec, source, areas), spec) if spec.csv else None
        old = _finish(_lait_values(spec, lait, areas), spec) if spec.lait else None
        if csv is not None and old is not None:
            both = csv.join(old, on=["year", "area_code"], suffix="_lait")
            disagreements.append(
                both.filter(
                    pl.col("value").is_not_null()
                    & pl.col("value_lait").is_not_null()
                    & ((pl.col("value") - pl.col("value_lait")).abs() > 1e-9)
                ).select("measure_id", "year", "area_code", "value", "value_lait")
            )
            old = old.filter(~pl.col("year").is_in(csv["year"].unique().implode()))
        parts.extend(p for p in (csv, old) if p is not None)
    values = pl.concat(parts).sort("measure_id", "year", "area_type", "area_code")
    if values.select(pl.struct("measure_id", "year", "area_code").is_duplicated().any()).item():
        raise ValueError("several values for one measure, year and area")
    empty = pl.DataFrame(
        schema={
            "measure_id": pl.Utf8,
            "year": pl.Int32,
            "area_code": pl.Utf8,
            "value": pl.Float64,
            "value_lait": pl.Float64,
        }
    )
    return values, pl.concat([empty, *disagreements])


def build_measures(source: Path, values: pl.DataFrame) -> pl.DataFrame:
    """What each shipped measure is: the DfE's title and polarity (LAIT data dictionary)."""
    dictionary = _read_csv(source / "lait_data_dictionary.csv").unique(
        "Measure_short", keep="first", maintain_order=True
    )
    info = {r["Measure_short"]: r for r in dictionary.iter_rows(named=True)}
    years = {
        r["measure_id"]: (r["first"], r["last"])
        for r in values.filter(pl.col("value").is_not_null())
        .group_by("measure_id")
        .agg(pl.col("year").min().alias("first"), pl.col("year").max().alias("last"))
        .iter_rows(named=True)
    }
    rows = []
    for spec in SPECS:
        entry = info.get(spec.lait or "")
        published = entry["Polarity"] if entry else None
        rows.append(
            {
                "measure_id": spec.measure_id,
                "title": spec.title or (entry["Chart_title"] if entry else spec.measure_id),
                "unit": spec.unit,
                "lait_code": spec.lait,
                "polarity": POLARITY.get(published) if published else None,
                "polarity_published": published,
                "note": spec.note,
                "first_year": years[spec.measure_id][0],
                "last_year": years[spec.measure_id][1],
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "measure_id": pl.Utf8,
            "title": pl.Utf8,
            "unit": pl.Utf8,
            "lait_code": pl.Utf8,
            "polarity": pl.Utf8,
            "polarity_published": pl.Utf8,
            "note": pl.Utf8,
            "first_year": pl.Int32,
            "last_year": pl.Int32,
        },
    )


#: Whom the data dictionary's wording belongs to (SOURCES.md: the LAIT's files).
DICTIONARY_SOURCE = "Department for Education, Local Authority Interactive Tool (data dictionary)"


def _prose(text: str | None) -> str:
    """The dictionary's text as one paragraph: its CR CR LF line ends and runs of spaces folded."""
    return " ".join((text or "").split())


def build_definitions(source: Path) -> pl.DataFrame:
    """The DfE's wording of every shipped measure that has a LAIT code: ``measure_id,
    lait_code, definition`` (Methodology, else Description), ``source`` and ``link``."""
    dictionary = _read_csv(source / "lait_data_dictionary.csv").unique(
        "Measure_short", keep="first", maintain_order=True
    )
    info = {r["Measure_short"]: r for r in dictionary.iter_rows(named=True)}
    rows = []
    for spec in SPECS:
        entry = info.get(spec.lait or "")
        if entry is None:
            continue
        method = _prose(entry["Methodology"])
        rows.append(
            {
                "measure_id": spec.measure_id,
                "lait_code": spec.lait,
                "definition": method if method.strip("-") else _prose(entry["Description"]),
                "source": DICTIONARY_SOURCE,
                "link": _prose(entry["Hyperlink(s)"]),
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "measure_id": pl.Utf8,
            "lait_code": pl.Utf8,
            "definition": pl.Utf8,
            "source": pl.Utf8,
            "link": pl.Utf8,
        },
    )


# --------------------------------------------------------------------------- neighbours


def build_neighbours(source: Path, las: pl.DataFrame) -> pl.DataFrame:
    """Each council's ten statistical neighbours by rank, as current codes (2025 model; the
    councils abolished before it keep the workbook's "Old SNs")."""
    wide = _read_csv(source / "sn_model_2025_wide.csv")
    current = pl.concat(
        [
            wide.select(
                "old_la_code",
                pl.lit(rank, pl.Int32).alias("neighbour_rank"),
                pl.col(f"SN_{rank}").alias("neighbour_old_la_code"),
                pl.col(f"SN_{rank}P").str.strip_chars().alias("closeness"),
            )
            for rank in range(1, 11)
        ]
    ).with_columns(pl.lit("2025").alias("model"))
    book = pl.read_excel(
        source / "sn_may_2025.xlsx", read_options={"header_row": 2}, infer_schema_length=0
    )
    closeness = ["SNP", *[f"SNP_{i}" for i in range(1, 10)]]
    old = pl.concat(
        [
            book.select(
                pl.col("LA num").cast(pl.Utf8).alias("old_la_code"),
                pl.lit(rank, pl.Int32).alias("neighbour_rank"),
                pl.col(f"SN{rank}").cast(pl.Utf8).alias("neighbour_old_la_code"),
                pl.col(closeness[rank - 1]).cast(pl.Utf8).str.strip_chars().alias("closeness"),
            )
            for rank in range(1, 11)
        ]
    ).filter(
        pl.col("old_la_code").is_not_null(),
        ~pl.col("old_la_code").is_in(wide["old_la_code"].implode()),
    )
    old = old.with_columns(pl.lit("old").alias("model"))
    codes = las.select("old_la_code", "new_la_code")
    out = (
        pl.concat([current, old])
        .join(codes, on="old_la_code", how="left")
        .rename({"new_la_code": "area_code"})
        .join(
            codes.rename({"old_la_code": "neighbour_old_la_code", "new_la_code": "neighbour_code"}),
            on="neighbour_old_la_code",
            how="left",
        )
        .select(
            "area_code",
            "old_la_code",
            "neighbour_rank",
            "neighbour_code",
            "neighbour_old_la_code",
            "closeness",
            "model",
        )
        .sort("old_la_code", "neighbour_rank")
    )
    if out.select(pl.any_horizontal(pl.all().is_null()).any()).item():
        raise ValueError("a statistical neighbour number has no council in la_code_list.xlsx")
    return out


# --------------------------------------------------------------------------- population


def build_population(source: Path, areas: pl.DataFrame) -> pl.DataFrame:
    """ONS mid-year estimates of children aged 0-17: area_code (a council's current code; the
    ONS code of the year is kept as ons_code), mid_year, population."""
    ons = _read_csv(source / "ons_mid-year_population_estimates_2012_to_2024.csv")
    return (
        _csv_area(ons, areas)
        .select(
            "area_code",
            "area_name",
            "area_type",
            pl.coalesce("new_la_code", "region_code", "country_code").alias("ons_code"),
            pl.col("time_period").cast(pl.Int32).alias("mid_year"),
            pl.col("population_estimate").cast(pl.Int64, strict=False).alias("population"),
        )
        .drop_nulls("population")  # "x": not published (the councils abolished in 2019)
        .sort("area_type", "area_code", "mid_year")
    )


# --------------------------------------------------------------------------- all


def build(source: Path) -> dict[str, pl.DataFrame]:
    """All the shipped tables, built from the source folder (no file written)."""
    las = build_las(source)
    areas = build_areas(las)
    lait = pl.read_parquet(source / "bds_long_0.parquet").with_columns(
        pl.col("LA Number").cast(pl.Int64).cast(pl.Utf8).alias("old_la_code")
    )
    values, disagreements = build_values(source, areas, lait)
    if disagreements.height:
        raise ValueError(f"the DfE CSVs and LAIT disagree:\n{disagreements}")
    return {
        "values": values,
        "measures": build_measures(source, values),
        "definitions": build_definitions(source),
        "neighbours": build_neighbours(source, las),
        "population": build_population(source, areas),
        "las": las,
    }


def write(tables: Mapping[str, pl.DataFrame], out: Path) -> list[Path]:
    """Write each table as ``out/NAME.parquet`` (zstd, statistics off for stable bytes)."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in tables.items():
        path = out / f"{name}.parquet"
        frame.write_parquet(path, compression="zstd", compression_level=19, statistics=False)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    """Build from SOURCE_DIR and write into --out; print what was written."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not (args.source / "bds_long_0.parquet").exists():
        print(f"error: {args.source} does not hold the DfE files (SOURCES.md)", file=sys.stderr)
        return 1
    tables = build(args.source)
    for path in write(tables, args.out):
        rows = tables[path.stem].height
        print(f"{path}: {rows:,} rows, {path.stat().st_size / 1024:,.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
