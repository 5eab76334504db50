"""docs/measures.md, rendered from the catalogue so the two cannot drift.

Regenerate with ``python -m sufficiency.measures.docs > docs/measures.md``.
"""

from __future__ import annotations

from sufficiency.measures import THEME_TITLES, load_catalogue

_UNITS = {
    "count": "count of children",
    "rate": "rate",
    "share": '`{"count", "denominator", "pct"}`',
    "counts": "counts by key",
    "table": "nested table",
    "days": "days (average, children, three-year average, target)",
    "money": "pounds",
    "number": "number",
}


#: Hand-written sections printed before the catalogue: the rules every measure shares.
PREAMBLE = """## How several returns are merged

Each return is the authority for its own year (1 April to 31 March). A measure at a date, or over
a year, counts the children that the return covering that year shows; a later return's earlier
history may link periods of care (time in care, previous placements) but never adds or removes
children in a year another loaded return covers (`ingest/merge.py`).

- Inside a loaded return's year only that return's own episodes are read (its duplicate rows and
  overlapping episodes repaired as for one return). Before the first loaded year, and in a year
  no loaded return covers, every return's episodes are merged with the latest return's row
  winning for the same CHILD and DECOM; after the latest return's year its own open episodes
  carry on. An episode held by several returns is one episode, its pieces joined at 1 April,
  its details (DEC, REC, placement) from the latest return that holds it.
- A child open at the end of one return and absent from the next loaded return is counted as
  looked after on that year's 31 March and as having left on the 1 April after it (DEC 1 April,
  REC blank). They are not counted among the children who ceased in the next year: that year's
  return does not show them. `validate` names them per return (`absent_from_next_return`: the
  count and the ids). Where a year between two loaded returns is missing, the merged history
  fills it and they leave on the 1 April the next loaded return's year begins.
- A child that a later return places in an earlier loaded year, whom that year's return lacks,
  is not counted in that year, and their episode is not a start in the later year (that return
  says it began earlier). Time in care links back to the episode's own DECOM: `duration_in_care`,
  `ceased_by_duration`, `stability_long_term` and the adoption timeliness measures count from it.
  `validate` names them (`missing_from_earlier_return`).
- Other differences inside a year between its return and another (a later return ending an
  episode earlier, another placement) follow that year's return; `validate` names the children
  (`earlier_year_changed`). An ending on 1 April that only the earlier return shows is not a
  leaving in the later year.
- The `standard-v1` forecast keeps cs-demand-model's treatment (every return merged, latest row
  winning) for parity; `docs/forecast.md` says how the two differ.

On the cs-demand-model sample (its folders renamed to the years the returns end), children looked
after on 31 March 2019 are 195, what the 2018-19 return says; merged latest-row-wins they were
286 (the 2019-20 return places 243 children on that date, 79 of them in no 2018-19 episode, and
84 children open at the end of 2017-18 vanish from 2018-19 but stayed looked after). `validate`
names 84, 39, 25 and 21 children absent from the next return (169 over the four pairs) and 115,
105, 52 and 34 children missing from the 2017-18 to 2020-21 returns.

## Definitions taken from the DfE to the letter

The DfE's methodology text is quoted beside each measure that follows it (from the Local
Authority Interactive Tool's data dictionary, `lait_data_dictionary.csv`, Methodology column):

- distance (`placed_over_20_miles`, `placed_over_100_miles`): children whose distance is not known
  count in the denominator, as the DfE's tables do; the share of known distances only is
  `placed_over_20_miles_known_distance` / `placed_over_100_miles_known_distance`, and how many
  distances are known is `distance_known`. `placed_over_20_miles_outside_la` is the DfE's
  published indicator (LAIT `LACDistance`: more than 20 miles AND outside the council), the
  figure the `benchmarks` measure sets beside the published comparators;
- distances come from full postcodes only: a postcode sector or district gives no distance (its
  location band still comes from the authority holding most of its postcodes), and placements in
  the Channel Islands and the Isle of Man are outside the authority (`distant`), with no distance;
- care leavers: those who have died or returned home to parents for at least six months (OC3
  IN_TOUCH `DIED`, `RHOM`), whose care was transferred to another council (their last period of
  care ended REC E3) or who were looked after only under short breaks are left out of every care
  leaver figure; those gone abroad, deported or whose residence is not known are left out of the
  suitable accommodation figure;
- long-term stability is "living with the same carer": in the SSDA903 code set for the reason for
  a new episode, T is "Change of placement (but same carer(s)) only" and U "Change of legal status
  and change of placement (but same carer(s)) at the same time", so neither restarts the two-year
  clock; B is "Change of legal status and placement and carer(s) at the same time" (a new carer)
  and does;
- short-term stability: "Where a child is subsequently placed for adoption with their existing
  foster carers, then this is not counted as a placement change" (A3, A5).
"""


def render_markdown() -> str:
    """Markdown listing every measure by theme: id, title, unit, keys, definition, source."""
    catalogue = load_catalogue()
    lines = [
        "# Measures",
        "",
        "Generated from the measure catalogue (`python -m sufficiency.measures.docs`); do not edit.",
        "`sufficiency measures DATA --at YYYY-MM-DD --json` prints every one of them as "
        '`{"la", "at", "period": {"start", "end"}, "measures": {ID: VALUE}}`. Counts of 1 to 5 '
        "children (or up to the council's `small_count_max`), percentages or rates built on them "
        'and further figures a reader could work them out from show as `"c"` (`[c]` in text) '
        "unless `--no-suppress`: the measures are the published statement's figures for that "
        "31 March, protected together, so a measure asked for alone reads as in the whole output "
        "(docs/disclosure.md). Suppressed figures are given for 31 March of a year with a return "
        "only: another day's beside them would give hidden counts away by subtraction (a year "
        "of bed nights to 30 March less the year to 31 March is the children placed on 31 "
        "March), so another day needs `--no-suppress` (internal use only).",
        "",
        "The measures count the year ending on `--at`, so that year must lie inside the returns "
        "loaded: from a year after the earliest return begins (its own 31 March) to the 31 March "
        "that ends the latest. A date outside them is refused with the dates they cover.",
        "",
        PREAMBLE,
    ]
    theme = None
    for m in catalogue.values():
        if m.theme != theme:
            theme = m.theme
            lines += [f"## {THEME_TITLES.get(theme, theme.replace('_', ' ').title())}", ""]
        lines += [f"### `{m.id}` - {m.title}", ""]
        lines.append(f"- Unit: {_UNITS.get(m.unit, m.unit)}")
        if m.keys:
            lines.append("- Keys: " + ", ".join(f"`{k}`" for k in m.keys))
        if m.source:
            lines.append(f"- Source: {m.source}")
        if not m.suppress:
            lines.append("- Not suppressed (not a count of children)")
        if m.history_years:
            lines.append(
                f"- Reads {m.history_years:g} years back: with returns reaching back less far, "
                "`measures --json` names it in `history_short` and the statement says so"
            )
        lines += ["", m.definition, ""]
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    """Print the Markdown to stdout."""
    print(render_markdown(), end="")


if __name__ == "__main__":
    main()
