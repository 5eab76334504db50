"""Charts drawn as inline SVG with matplotlib (imported here only, when a statement renders).

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies), with
distinct markers / hatching so series never rely on colour alone. Each SVG carries role="img",
a <title> and an aria-label holding the chart's alt text.
"""

from __future__ import annotations

import base64
import html
import io
import re
import textwrap
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

from sufficiency.report.model import Chart

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Okabe-Ito colour-blind safe palette (dark enough on white for non-text contrast >= 3:1 first).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
HATCHES = ("", "//", "..", "xx", "\\\\", "++", "oo", "--")


#: Width of a chart in inches: the A4 text column (21 cm less 3.6 cm of margins), so that
#: 9 pt text prints at 9 pt.
WIDTH = 6.8
#: Characters of a title line and of a category label before they wrap.
TITLE_WRAP = 80
LABEL_WRAP = 14


def figure(chart: Chart) -> Figure:
    """The chart drawn at A4 column width: the title wrapped, the legend below the plot (never
    over a line), category labels wrapped, and everything inside the figure (constrained
    layout). The figure is made without pyplot (whose import, a third of a second, is most of
    the first chart's cost) on an Agg canvas, and pyplot's figure manager never holds it."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    matplotlib.rcParams.update(
        {
            "svg.fonttype": "none",  # keep text as text: selectable, searchable, scalable
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.hashsalt": chart.id,  # deterministic ids
        }
    )
    legend_rows = -(-len(chart.series) // 2) if len(chart.series) > 1 else 0
    bars = len(chart.categories)
    height = max(2.4, 0.32 * bars + 1.2) if chart.kind == "barh" else 3.4
    fig = Figure(figsize=(WIDTH, height + 0.25 * legend_rows), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    _draw(ax, chart)
    fig.suptitle(
        textwrap.fill(chart.title, TITLE_WRAP),
        x=0.01,
        ha="left",
        fontsize=10,
        fontweight="bold",
        color="#0b0c0c",
    )
    ax.grid(axis="x" if chart.kind == "barh" else "y", color="#d0d0d0", linewidth=0.6)
    ax.set_axisbelow(True)
    if legend_rows:
        fig.legend(frameon=False, fontsize=8, loc="outside lower center", ncols=2)
    return fig


#: Charts drawn lately in this process, by their specification (``repr`` of the Chart: every
#: field), so a statement built again for unchanged figures (the other mode, the PDF, a narrative
#: edit) does not draw its charts again: drawing is most of a statement's time without its PDF.
_DRAWN: OrderedDict[str, str] = OrderedDict()
_DRAWN_SIZE = 128
_drawn_lock = threading.Lock()


def render_svg(chart: Chart, draw: Callable[[Chart], str] | None = None) -> str:
    """The chart as an accessible inline ``<svg>`` element (no XML prolog); drawn once per
    specification in a process, by ``draw`` (``draw_svg``'s SVG got elsewhere: a worker's)."""
    spec = repr(chart)
    with _drawn_lock:
        svg = _DRAWN.get(spec)
        if svg is not None:
            _DRAWN.move_to_end(spec)
            return svg
    svg = (draw or draw_svg)(chart)
    with _drawn_lock:
        _DRAWN[spec] = svg
        while len(_DRAWN) > _DRAWN_SIZE:
            _DRAWN.popitem(last=False)
    return svg


def is_drawn(chart: Chart) -> bool:
    """Whether ``render_svg`` has the chart's SVG already (drawn lately in this process)."""
    with _drawn_lock:
        return repr(chart) in _DRAWN


def draw_svg(chart: Chart) -> str:
    """The chart's ``render_svg`` SVG drawn now, not remembered (what a chart worker runs)."""
    return _accessible(_print_svg(figure(chart)), chart)


def _print_svg(fig: Figure) -> str:
    """The figure as SVG, drawn once: printed by an SVG canvas, not ``savefig``, which draws a
    figure with a layout engine twice (to lay it out, then to print it, laid out afresh) for
    the same SVG."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    buf = io.StringIO()
    canvas = FigureCanvasSVG(fig)
    canvas.print_svg(buf, metadata={"Date": None, "Creator": None})  # type: ignore[no-untyped-call]
    return buf.getvalue()


def _accessible(svg: str, chart: Chart) -> str:
    """matplotlib's SVG document as an accessible inline ``<svg>`` element: named by the chart's
    alt text, no ids, drawing properties as attributes, scaled by CSS."""
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
    # matplotlib names its groups figure_1, axes_1, text_20... in every chart alike: ids repeated
    # in one page (invalid HTML; each a PDF anchor "defined twice"), and nothing refers to them
    svg = re.sub(r'<g id="[^"]*"', "<g", svg)
    svg = _STYLED.sub(_as_attributes, svg)
    # drop the fixed size so CSS can scale the chart to the column
    svg = re.sub(r'(<svg[^>]*?) width="[^"]+" height="[^"]+"', r"\1", svg, count=1)
    return svg


#: A chart's SVG inline in the statement's HTML (``render_svg``), and the alt text in its title.
_INLINE_CHART = re.compile(
    r'<svg role="img" aria-labelledby="[^"]*-title" focusable="false" .*?</svg>', re.S
)
_TITLE = re.compile(r'<title id="[^"]*-title">([^<]*)</title>')


def as_images(page: str) -> str:
    """The page with each inline chart as an ``<img>`` of the same SVG (a data URL), its alt
    text the chart's title: for WeasyPrint, which prints it into the same PDF byte for byte
    (the same drawing and the same tagged Figure) but parses an image's SVG apart, not with
    the page's HTML parser and style cascade: a tenth less of the PDF's time."""

    def image(chart: re.Match[str]) -> str:
        svg = chart[0]
        title = _TITLE.search(svg)
        alt = title[1] if title else ""  # escaped as an attribute already (``_accessible``)
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        return f'<img alt="{alt}" src="data:image/svg+xml;base64,{data}">'

    return _INLINE_CHART.sub(image, page)


#: An element of matplotlib's SVG with a ``style`` attribute.
_STYLED = re.compile(r'<\w+[^>]*\sstyle="[^"]*"[^>]*>')
_STYLE_ATTR = re.compile(r'\sstyle="([^"]*)"')
#: Properties kept in ``style``: matplotlib's SVG sets them for every element in a stylesheet
#: (``*{stroke-linejoin: round; stroke-linecap: butt}``), which a presentation attribute would
#: lose to (a marker's square corners would come out round).
_KEPT_IN_STYLE = frozenset({"stroke-linejoin", "stroke-linecap"})


def _as_attributes(tag: re.Match[str]) -> str:
    """An element's ``style="stroke: #000; fill: none"`` as presentation attributes
    (``stroke="#000" fill="none"``: matplotlib writes only properties that are SVG attributes).
    A browser draws them alike; an HTML renderer's stylesheet step (WeasyPrint's, for the PDF)
    no longer takes them for page CSS, where stroke and fill are unknown properties that it
    reported one by one (a thousand a statement, a thirtieth of the PDF's time)."""
    text = tag[0]
    style = _STYLE_ATTR.search(text)
    assert style is not None
    declarations = [
        (name.strip(), value.strip())
        for name, _, value in (d.partition(":") for d in style[1].split(";"))
        if name.strip() and value.strip()
    ]
    rest = text[: style.start()] + text[style.end() :]
    if any(f' {name}="' in rest for name, _ in declarations):
        return text  # set both ways: the style attribute, which wins, is kept
    kept = "; ".join(f"{name}: {value}" for name, value in declarations if name in _KEPT_IN_STYLE)
    attributes = "".join(
        f' {name}="{value}"' for name, value in declarations if name not in _KEPT_IN_STYLE
    )
    if kept:
        attributes += f' style="{kept}"'
    return text[: style.start()] + attributes + text[style.end() :]


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
        ax.set_xticks(range(0, len(cats), step), [_wrap(c) for c in cats[::step]])
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
        ax.set_yticks(range(len(cats)), [textwrap.fill(c, 40) for c in cats])
        ax.invert_yaxis()
        ax.margins(x=0.12)  # room for the value labels at the bars' ends
    else:
        ax.set_xticks(range(len(cats)), [_wrap(c) for c in cats])
        ax.margins(y=0.1)
    if len(cats) > 6 and not horizontal:
        ax.tick_params(axis="x", labelsize=7)


def _wrap(label: str) -> str:
    """A category label over lines of at most ``LABEL_WRAP`` characters."""
    return textwrap.fill(label, LABEL_WRAP)


def _label(v: float | None) -> str:
    if v is None:
        return "–"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"
