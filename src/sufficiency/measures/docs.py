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


def render_markdown() -> str:
    """Markdown listing every measure by theme: id, title, unit, keys, definition, source."""
    catalogue = load_catalogue()
    lines = [
        "# Measures",
        "",
        "Generated from the measure catalogue (`python -m sufficiency.measures.docs`); do not edit.",
        "`sufficiency measures DATA --at YYYY-MM-DD --json` prints every one of them as "
        '`{"la", "at", "period": {"start", "end"}, "measures": {ID: VALUE}}`. Counts of 1 to 4 '
        'children, and percentages or rates built on them, show as `"c"` (`[c]` in text) unless '
        "`--no-suppress`.",
        "",
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
        lines += ["", m.definition, ""]
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    """Print the Markdown to stdout."""
    print(render_markdown(), end="")


if __name__ == "__main__":
    main()
