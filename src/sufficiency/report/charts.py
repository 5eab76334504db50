"""Charts drawn as inline SVG with matplotlib (imported here only, when a statement renders).

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies), with
distinct markers / hatching so series never rely on colour alone. Each SVG carries role="img",
a <title> and an aria-label holding the chart's alt text.
"""

from __future__ import annotations

import html
import io
import re
from typing import TYPE_CHECKING

from sufficiency.report.model import Chart

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Okabe-Ito colour-blind safe palette (dark enough on white for non-text contrast >= 3:1 first).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
HATCHES = ("", "//", "..", "xx", "\\\\", "++", "oo", "--")


def render_svg(chart: Chart) -> str:
    """The chart as an accessible inline ``<svg>`` element (no XML prolog)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.fonttype": "none",  # keep text as text: selectable, searchable, scalable
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.hashsalt": chart.id,  # deterministic ids
        }
    )
    height = 3.2 if chart.kind != "barh" else max(2.4, 0.32 * len(chart.categories) + 1.0)
    fig, ax = plt.subplots(figsize=(6.8, height))
    try:
        _draw(ax, chart)
        ax.set_title(chart.title, loc="left", fontsize=10, fontweight="bold", color="#0b0c0c")
        ax.grid(axis="x" if chart.kind == "barh" else "y", color="#d0d0d0", linewidth=0.6)
        ax.set_axisbelow(True)
        if len(chart.series) > 1:
            ax.legend(frameon=False, fontsize=8, loc="best")
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    finally:
        plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    alt = html.escape(chart.alt, quote=True)
    svg = re.sub(
        r"<svg ",
        f'<svg role="img" aria-labelledby="{chart.id}-title" focusable="false" ',
        svg,
        count=1,
    )
    # a <title> as first child names the image for assistive technology
    svg = re.sub(r"(<svg[^>]*>)", rf'\1<title id="{chart.id}-title">{alt}</title>', svg, count=1)
    # drop the fixed size so CSS can scale the chart to the column
    svg = re.sub(r'(<svg[^>]*?) width="[^"]+" height="[^"]+"', r"\1", svg, count=1)
    return svg


def _draw(ax: object, chart: Chart) -> None:
    from matplotlib.axes import Axes

    assert isinstance(ax, Axes)
    cats = chart.categories
    if chart.kind == "line":
        for i, s in enumerate(chart.series):
            ax.plot(
                [j for j, v in enumerate(s.values) if v is not None],
                [v for v in s.values if v is not None],
                color=PALETTE[i % len(PALETTE)],
                marker=MARKERS[i % len(MARKERS)],
                linewidth=2,
                linestyle="-" if i == 0 else (0, (4, 2)),
                label=s.name,
            )
        step = max(1, -(-len(cats) // 8))  # at most 8 labels on the axis
        ax.set_xticks(range(0, len(cats), step), cats[::step])
        ax.set_ylim(bottom=0)
    else:
        _draw_bars(ax, chart, horizontal=chart.kind != "bar")
    ax.set_xlabel(chart.x_label)
    ax.set_ylabel(chart.y_label)


def _draw_bars(ax: Axes, chart: Chart, *, horizontal: bool) -> None:
    """Bars grouped by category (series side by side; horizontal bars read down the page),
    each labelled with its value when there is a single series."""
    cats = chart.categories
    n = max(1, len(chart.series))
    size = 0.8 / n
    draw = ax.barh if horizontal else ax.bar
    for i, s in enumerate(chart.series):
        at = [j + (i - (n - 1) / 2) * size for j in range(len(cats))]
        values = [v if v is not None else 0.0 for v in s.values]
        bars = draw(
            at,
            values,
            size,
            color=PALETTE[i % len(PALETTE)],
            hatch=HATCHES[i % len(HATCHES)],
            edgecolor="white",
            label=s.name,
        )
        if n == 1:
            ax.bar_label(bars, labels=[_label(v) for v in s.values], fontsize=8, padding=2)
    if horizontal:
        ax.set_yticks(range(len(cats)), cats)
        ax.invert_yaxis()
    else:
        ax.set_xticks(range(len(cats)), cats)


def _label(v: float | None) -> str:
    if v is None:
        return "–"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"
