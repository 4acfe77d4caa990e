"""Frame -> plotly figure, one function per chart kind, all with the same look.

Charts take the frame and the column names as arguments (pages pass names from analysis.schemas or
analysis.metrics), so one helper serves every page instead of near-copies. Every figure uses
Indonesian separators (``separators=",."``: comma for decimals, dot for thousands) and a font the
browser already has, so nothing is fetched from the internet.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from analysis import formatting as fmt

PRIMARY = "#1F7A6A"  # calm teal-green, same as .streamlit/config.toml primaryColor
ACCENT = "#C9A227"  # gold of Lampung tapis cloth
# Categorical colours, primary and accent first, then distinguishable muted tones.
COLORWAY = (PRIMARY, ACCENT, "#9E2A2B", "#2E4A62", "#7A8B3A", "#B0693B", "#5B7F95", "#6B4E71", "#8C8C8C")

# d3 format separators: first the decimal mark, then the thousands mark.
SEPARATORS = ",."

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": "sans-serif", "size": 13, "color": "#1F2A2E"},
        colorway=list(COLORWAY),
        separators=SEPARATORS,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        hoverlabel={"font": {"family": "sans-serif"}},
        xaxis={"gridcolor": "#E6E1D3", "zerolinecolor": "#C9C2AE", "automargin": True},
        yaxis={"gridcolor": "#E6E1D3", "zerolinecolor": "#C9C2AE", "automargin": True},
    )
)


def _require(frame: pd.DataFrame, columns: Iterable[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"grafik: kolom {', '.join(repr(c) for c in missing)} tidak ada")


def value_ticks(values: Iterable[float], formatter: Callable[[float], str], n: int = 5) -> tuple[list[float], list[str]]:
    """Evenly spaced tick positions over the values and their labels through ``formatter``: plotly's own
    labels for large numbers are English SI ("4,5B"), which an Indonesian reader takes for something else."""
    numbers = pd.to_numeric(pd.Series(list(values), dtype=float)).dropna()
    if numbers.empty:
        return [], []
    low, high = float(numbers.min()), float(numbers.max())
    positions = [low] if low == high else [low + (high - low) * i / (n - 1) for i in range(n)]
    return positions, [formatter(v) for v in positions]


def style(figure: go.Figure, *, title: str | None = None) -> go.Figure:
    """Apply the shared template and Indonesian separators; every chart function ends here."""
    figure.update_layout(template=TEMPLATE, separators=SEPARATORS, title=title)
    return figure


def bar(
    frame: pd.DataFrame,
    category: str,
    value: str,
    *,
    title: str | None = None,
    category_label: str | None = None,
    value_label: str | None = None,
    orientation: Literal["h", "v"] = "h",
    value_format: str = ",.0f",
    show_values: bool = True,
    formatter: Callable[[float], str] | None = None,
) -> go.Figure:
    """Bars of ``value`` per ``category``, drawn in the frame's row order (the caller sorts).

    Horizontal by default because kecamatan and category names are long and read better on the left.
    ``value_format`` is a d3 format ("," groups thousands and is shown as a dot through the Indonesian
    separators). ``formatter`` (e.g. ``formatting.rupiah_short``) replaces it for labels and hover
    where d3 has no Indonesian form ("Rp 1,5 M").
    """
    _require(frame, [category, value])
    horizontal = orientation == "h"
    labels = {category: category_label or category, value: value_label or value}
    figure = px.bar(
        frame,
        x=value if horizontal else category,
        y=category if horizontal else value,
        orientation=orientation,
        labels=labels,
        color_discrete_sequence=[PRIMARY],
    )
    value_axis = "x" if horizontal else "y"
    category_axis = "y" if horizontal else "x"
    shown = f"%{{{value_axis}:{value_format}}}"
    if formatter is not None:
        figure.update_traces(customdata=[[formatter(v)] for v in frame[value]])
        shown = "%{customdata[0]}"
    figure.update_traces(
        hovertemplate=f"%{{{category_axis}}}<br>{labels[value]}: {shown}<extra></extra>",
        texttemplate=shown if show_values else None,
        textposition="outside" if show_values else None,
        cliponaxis=False,
    )
    # Keep the caller's order: category axes would otherwise follow first appearance bottom-up (h).
    order = list(frame[category].astype(str))
    # Room beyond the longest bar for its label, which would otherwise be cut at the chart's edge.
    largest = pd.to_numeric(frame[value]).max() if len(frame) else None
    if show_values and largest is not None and largest > 0 and pd.to_numeric(frame[value]).min() >= 0:
        (figure.update_xaxes if horizontal else figure.update_yaxes)(range=[0, largest * 1.18])
    if horizontal:
        figure.update_yaxes(categoryorder="array", categoryarray=order, autorange="reversed")
        figure.update_layout(height=max(320, 26 * len(order) + 110))
    else:
        figure.update_xaxes(categoryorder="array", categoryarray=order)
    return style(figure, title=title)


def line(
    frame: pd.DataFrame,
    x: str,
    y: str,
    *,
    title: str | None = None,
    x_label: str | None = None,
    y_label: str | None = None,
    value_format: str = ",.0f",
    formatter: Callable[[float], str] | None = None,
) -> go.Figure:
    """A line of ``y`` per month ``x``, with markers so a single month still shows.

    plotly writes month names in English, so the axis shows "10/2017" and the hover the Indonesian
    month ("Oktober 2017", via analysis.formatting); values use the same d3 ``value_format`` as bar(),
    or ``formatter`` for the hover and the value axis."""
    _require(frame, [x, y])
    labels = {x: x_label or x, y: y_label or y}
    figure = px.line(frame, x=x, y=y, labels=labels, markers=True, color_discrete_sequence=[PRIMARY])
    shown = f"%{{y:{value_format}}}"
    custom = [[fmt.month_label(v)] for v in frame[x]]
    if formatter is not None:  # Indonesian labels on the value axis and in the hover ("Rp 4,5 M")
        custom = [[month, formatter(v)] for (month,), v in zip(custom, frame[y])]
        shown = "%{customdata[1]}"
        tick_values, tick_text = value_ticks(frame[y], formatter)
        figure.update_yaxes(tickvals=tick_values, ticktext=tick_text)
    figure.update_traces(customdata=custom, hovertemplate=f"%{{customdata[0]}}<br>{labels[y]}: {shown}<extra></extra>")
    figure.update_xaxes(tickformat="%m/%Y")
    figure.update_layout(height=320)
    return style(figure, title=title)
