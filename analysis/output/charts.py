"""Frame -> plotly figure, one function per chart kind, all with the same look.

Charts take the frame and the column names as arguments (pages pass names from analysis.core.schemas or
analysis.insight.metrics), so one helper serves every page instead of near-copies. Every figure uses
Indonesian separators (``separators=",."``: comma for decimals, dot for thousands) and a font the
browser already has, so nothing is fetched from the internet.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Literal

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from analysis.core import formatting as fmt

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
    month ("Oktober 2017", via analysis.core.formatting); values use the same d3 ``value_format`` as bar(),
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


BAND_FILL = "rgba(31, 122, 106, 0.18)"  # PRIMARY, transparent: the 95% band behind the line
MUTED = "#8C8C8C"  # months before the event: a check, not an effect


def event_study(
    frame: pd.DataFrame,
    x: str,
    y: str,
    low: str,
    high: str,
    n: str | None = None,
    *,
    title: str | None = None,
    x_label: str = "Bulan sejak pelatihan",
    y_label: str = "Perubahan penjualan (%)",
    event_at: float = -0.5,
    event_label: str = "Pelatihan",
    value_name: str = "Perubahan penjualan",
    n_label: str = "pengamatan peserta",
    height: int = 400,
) -> go.Figure:
    """Effect ``y`` (percent) per event month ``x`` with its 95% band ``low``..``high``, a zero line and a
    vertical line at the event.

    Months before the event are drawn grey: they are the pre-training check and should sit on zero; an
    effect read from them would be a trend that was there before. The band is drawn, not error bars,
    so the eye reads the uncertainty as part of the line. The hover gives the Indonesian numbers and,
    with ``n``, how many observations a month rests on (late months rest on fewer).
    ``event_at`` is -0.5 because month 0 is the first full month after the training ended."""
    _require(frame, [c for c in (x, y, low, high, n) if c is not None])
    data = frame.sort_values(x, kind="stable")
    figure = go.Figure()
    if not data.empty:
        before, after = data[pd.to_numeric(data[x]) < 0], data[pd.to_numeric(data[x]) >= 0]
        # One band per side of the event: a band joined across it would draw a slope nobody measured.
        for side, part in enumerate(p for p in (before, after) if not p.empty):
            xs = pd.to_numeric(part[x]).tolist()
            figure.add_trace(go.Scatter(x=xs, y=part[high].tolist(), mode="lines", line={"width": 0},
                                        hoverinfo="skip", showlegend=False, legendgroup="band"))
            figure.add_trace(go.Scatter(x=xs, y=part[low].tolist(), mode="lines", line={"width": 0}, fill="tonexty",
                                        fillcolor=BAND_FILL, hoverinfo="skip", name="Selang kepercayaan 95%",
                                        legendgroup="band", showlegend=side == 0))
        for name, part, color in (("Sebelum pelatihan (pemeriksaan)", before, MUTED),
                                  ("Sesudah pelatihan", after, PRIMARY)):
            if part.empty:
                continue
            custom = [[fmt.signed_percent(e), fmt.signed_percent(lo), fmt.signed_percent(hi),
                       fmt.number(c) if n is not None else ""]
                      for e, lo, hi, c in zip(part[y], part[low], part[high], part[n] if n else [None] * len(part))]
            count = f"<br>n = %{{customdata[3]}} {n_label}" if n is not None else ""
            figure.add_trace(go.Scatter(
                x=pd.to_numeric(part[x]).tolist(), y=part[y].tolist(), mode="lines+markers", name=name,
                line={"color": color, "width": 2}, marker={"color": color, "size": 7}, customdata=custom,
                hovertemplate=(f"{x_label}: %{{x}}<br>{value_name}: %{{customdata[0]}}<br>"
                               f"Selang 95%: %{{customdata[1]}} s.d. %{{customdata[2]}}{count}<extra></extra>"),
            ))
    figure.add_hline(y=0, line={"color": "#5F5A4E", "width": 1})
    figure.add_vline(x=event_at, line={"color": ACCENT, "width": 2, "dash": "dash"}, annotation_text=event_label,
                     annotation_position="top left")
    if data.empty:
        figure.add_annotation(text="Belum ada data untuk grafik ini", showarrow=False, x=0.5, y=0.5,
                              xref="paper", yref="paper")
    figure.update_xaxes(title_text=x_label, dtick=1, zeroline=False)
    figure.update_yaxes(title_text=y_label, ticksuffix="%", zeroline=False)
    # The legend under the axis title: above the plot it would collide with the figure title.
    figure.update_layout(height=height, hovermode="closest",
                         legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0})
    return style(figure, title=title)


MAX_TICKS = 12  # more x labels than this overlap on a laptop screen


def _group_figure(
    frame: pd.DataFrame,
    x: str,
    y: str,
    group: str,
    *,
    stacked: bool,
    x_text: str | None,
    hover: Mapping[str, str] | None,
    group_order: Sequence[str] | None,
    title: str | None,
    x_label: str | None,
    y_label: str | None,
    formatter: Callable[[float], str] | None,
    height: int,
) -> go.Figure:
    """The shared body of lines_by_group() and stacked_area(): one trace per group in a fixed order (the
    same colour for a kategori on every chart), Indonesian x labels from ``x_text`` and values through
    ``formatter`` on the axis and in the hover, extra ``hover`` columns ({label: column}) below."""
    hover = dict(hover or {})
    _require(frame, [x, y, group, *([x_text] if x_text else []), *hover.values()])
    data = frame.sort_values(x, kind="stable")
    present = list(dict.fromkeys(data[group].astype(str)))
    order = [g for g in (group_order or []) if g in present] + [g for g in present if g not in (group_order or [])]
    show = formatter or (lambda v: fmt.number(v))
    y_name = y_label or y
    figure = go.Figure()
    for index, name in enumerate(order):
        part = data[data[group].astype(str) == name]
        custom = [[(t if x_text else str(xv)), show(v), *[_hover_value(part[c].iloc[i]) for c in hover.values()]]
                  for i, (xv, v, t) in enumerate(zip(part[x], part[y], part[x_text] if x_text else part[x]))]
        extra = "".join(f"<br>{label}: %{{customdata[{2 + i}]}}" for i, label in enumerate(hover))
        colour = COLORWAY[index % len(COLORWAY)]
        figure.add_trace(go.Scatter(
            x=part[x].tolist(), y=pd.to_numeric(part[y]).tolist(), name=name, customdata=custom,
            mode="lines" if stacked else "lines+markers", line={"color": colour, "width": 1 if stacked else 2},
            stackgroup="satu" if stacked else None, marker={"size": 5},
            hovertemplate=f"<b>{name}</b><br>%{{customdata[0]}}<br>{y_name}: %{{customdata[1]}}{extra}<extra></extra>",
        ))
    if x_text:  # Indonesian tick labels, thinned so they do not overlap
        ticks = data[[x, x_text]].drop_duplicates(x).sort_values(x)
        step = max(1, -(-len(ticks) // MAX_TICKS))
        ticks = ticks.iloc[::step]
        figure.update_xaxes(tickvals=ticks[x].tolist(), ticktext=ticks[x_text].tolist())
    if formatter is not None and not data.empty:
        values = pd.to_numeric(data[y])
        top = values.groupby(data[x]).sum().max() if stacked else values.max()
        # Money starts at zero: an axis from the smallest value makes a small category look like nothing.
        low = 0.0 if stacked or values.min() >= 0 else values.min()
        tick_values, tick_text = value_ticks([low, top], formatter)
        figure.update_yaxes(tickvals=tick_values, ticktext=tick_text)
    if data.empty:
        figure.add_annotation(text="Belum ada data untuk grafik ini", showarrow=False, x=0.5, y=0.5,
                              xref="paper", yref="paper")
    figure.update_xaxes(title_text=x_label)
    figure.update_yaxes(title_text=y_label, rangemode="tozero")
    figure.update_layout(height=height, hovermode="closest", legend_title_text=None,
                         legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0})
    return style(figure, title=title)


def _hover_value(value: object) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return fmt.number(value)
    return fmt.MISSING if value is None or value is pd.NA else str(value)


def lines_by_group(
    frame: pd.DataFrame,
    x: str,
    y: str,
    group: str,
    *,
    x_text: str | None = None,
    hover: Mapping[str, str] | None = None,
    group_order: Sequence[str] | None = None,
    title: str | None = None,
    x_label: str | None = None,
    y_label: str | None = None,
    formatter: Callable[[float], str] | None = None,
    height: int = 420,
) -> go.Figure:
    """One line of ``y`` over ``x`` per ``group`` (e.g. sales per kategori per month): for comparing how
    groups move, whatever their size. ``x_text`` is a column of Indonesian labels for the x values
    (plotly writes English month names), ``hover`` extra columns shown in the hover, as
    {label: column} (e.g. {"UMKM melapor": "n_umkm"}), ``formatter`` the value format
    (``formatting.rupiah_short``)."""
    return _group_figure(frame, x, y, group, stacked=False, x_text=x_text, hover=hover, group_order=group_order,
                         title=title, x_label=x_label, y_label=y_label, formatter=formatter, height=height)


def stacked_area(
    frame: pd.DataFrame,
    x: str,
    y: str,
    group: str,
    *,
    x_text: str | None = None,
    hover: Mapping[str, str] | None = None,
    group_order: Sequence[str] | None = None,
    title: str | None = None,
    x_label: str | None = None,
    y_label: str | None = None,
    formatter: Callable[[float], str] | None = None,
    height: int = 420,
) -> go.Figure:
    """Areas of ``y`` per ``group`` stacked over ``x``: the top edge is the total, the bands its
    composition. Same arguments as lines_by_group(); the hover shows each group's own value, not the
    stacked height."""
    return _group_figure(frame, x, y, group, stacked=True, x_text=x_text, hover=hover, group_order=group_order,
                         title=title, x_label=x_label, y_label=y_label, formatter=formatter, height=height)


def mark_spans(figure: go.Figure, spans: Iterable[tuple[object, object, str]], *, color: str = ACCENT,
               opacity: float = 0.15) -> go.Figure:
    """Shade x ranges (start, end, label) behind the data with the label at the top, e.g. the Lebaran
    months: a peak next to a band explains itself. Returns the same figure, for chaining."""
    for start, end, label in spans:
        figure.add_vrect(x0=start, x1=end, fillcolor=color, opacity=opacity, line_width=0, layer="below",
                         annotation_text=label, annotation_position="top left",
                         annotation_font={"size": 11, "color": "#5F5A4E"})
    return figure


def mark_level(figure: go.Figure, y: float, label: str) -> go.Figure:
    """A dashed horizontal reference line (e.g. index 100 = an average month) with its label."""
    figure.add_hline(y=y, line={"color": "#5F5A4E", "width": 1, "dash": "dash"}, annotation_text=label,
                     annotation_position="bottom right", annotation_font={"size": 11, "color": "#5F5A4E"})
    return figure


def stacked_bars(
    frame: pd.DataFrame,
    category: str,
    parts: Sequence[str],
    *,
    title: str | None = None,
    value_label: str | None = None,
    decimals: int = 1,
    height: int | None = None,
) -> go.Figure:
    """Horizontal bars of ``category`` (in the frame's order, first on top) made of the ``parts`` columns,
    e.g. a kecamatan's priority score as the points of each criterion: the total reads as the bar's
    length and each part as a band, so a ranking can be explained, not only shown."""
    _require(frame, [category, *parts])
    figure = go.Figure()
    order = list(frame[category].astype(str))
    for index, part in enumerate(parts):
        values = pd.to_numeric(frame[part]).fillna(0.0)
        figure.add_trace(go.Bar(
            y=order, x=values.tolist(), name=part, orientation="h", marker={"color": COLORWAY[index % len(COLORWAY)]},
            customdata=[[fmt.number(v, decimals)] for v in values],
            hovertemplate=f"%{{y}}<br>{part}: %{{customdata[0]}}<extra></extra>",
        ))
    totals = frame[list(parts)].apply(pd.to_numeric).fillna(0.0).sum(axis=1)
    figure.add_trace(go.Scatter(
        y=order, x=totals.tolist(), mode="text", text=[fmt.number(v, decimals) for v in totals],
        textposition="middle right", showlegend=False, hoverinfo="skip", cliponaxis=False,
    ))
    figure.update_yaxes(categoryorder="array", categoryarray=order, autorange="reversed")
    figure.update_xaxes(title_text=value_label, range=[0, float(totals.max()) * 1.12 if len(totals) else 1])
    figure.update_layout(barmode="stack", height=height or max(340, 26 * len(order) + 150),
                         legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "traceorder": "normal"})
    return style(figure, title=title)


def intervals(
    frame: pd.DataFrame,
    category: str,
    value: str,
    low: str,
    high: str,
    *,
    title: str | None = None,
    value_label: str | None = None,
    suffix: str = "%",
    height: int | None = None,
) -> go.Figure:
    """One point per ``category`` with its interval ``low``..``high`` as a horizontal line and a zero line:
    estimates are never drawn without their uncertainty. Rows with a missing value are left out."""
    _require(frame, [category, value, low, high])
    data = frame.dropna(subset=[value, low, high])
    values = pd.to_numeric(data[value])
    figure = go.Figure(go.Scatter(
        y=data[category].astype(str).tolist(), x=values.tolist(), mode="markers+text",
        marker={"color": PRIMARY, "size": 14},
        text=[fmt.signed_percent(v) if suffix == "%" else fmt.number(v, 1) for v in values],
        textposition="top center",
        error_x={"type": "data", "symmetric": False, "array": (pd.to_numeric(data[high]) - values).tolist(),
                 "arrayminus": (values - pd.to_numeric(data[low])).tolist(), "color": PRIMARY, "thickness": 3,
                 "width": 8},
        customdata=[[fmt.signed_percent(a), fmt.signed_percent(b)] for a, b in zip(data[low], data[high])],
        hovertemplate=f"%{{y}}<br>{value_label or value}: %{{text}}<br>Selang 95%: %{{customdata[0]}} s.d. "
                      "%{customdata[1]}<extra></extra>",
    ))
    figure.add_vline(x=0, line={"color": "#5F5A4E", "width": 1})
    figure.update_yaxes(categoryorder="array", categoryarray=list(data[category].astype(str)), autorange="reversed")
    figure.update_xaxes(title_text=value_label, ticksuffix=suffix)
    figure.update_layout(height=height or max(300, 60 * len(data) + 120), showlegend=False)
    return style(figure, title=title)


def target_realisation(
    frame: pd.DataFrame,
    year: str,
    target: str,
    realised: str,
    *,
    formatter: Callable[[float], str],
    title: str | None = None,
    height: int = 300,
) -> go.Figure:
    """One indicator over the years: realisasi as bars, the target as a dashed line with markers, both
    labelled in Indonesian through ``formatter`` (``formatting.indicator_value`` of the indicator's kind).
    A year with a target and no realisasi yet shows the target alone: an empty bar never reads as zero."""
    _require(frame, [year, target, realised])
    years = [str(int(y)) for y in frame[year]]
    goal, done = pd.to_numeric(frame[target]).astype(float), pd.to_numeric(frame[realised]).astype(float)
    figure = go.Figure()
    figure.add_trace(go.Bar(
        x=years, y=done.tolist(), name="Realisasi", marker={"color": PRIMARY},
        text=[formatter(v) if pd.notna(v) else "" for v in done], textposition="outside", cliponaxis=False,
        customdata=[[formatter(v)] for v in done], hovertemplate="%{x}<br>Realisasi: %{customdata[0]}<extra></extra>",
    ))
    figure.add_trace(go.Scatter(
        x=years, y=goal.tolist(), name="Target", mode="lines+markers", line={"color": ACCENT, "dash": "dash", "width": 2},
        marker={"size": 10, "symbol": "diamond"}, customdata=[[formatter(v)] for v in goal],
        hovertemplate="%{x}<br>Target: %{customdata[0]}<extra></extra>",
    ))
    both = pd.concat([goal, done]).dropna()
    if len(both):
        low, high = min(0.0, float(both.min())) * 1.15, max(0.0, float(both.max())) * 1.2
        high = high if high > 0 else abs(low) * 0.1 or 1.0
        ticks, labels = value_ticks([low, high], formatter)
        figure.update_yaxes(tickvals=ticks, ticktext=labels, range=[low, high])
    figure.update_xaxes(type="category", categoryorder="array", categoryarray=years)
    # The legend under the plot: above it, it ran into the title.
    figure.update_layout(height=height, legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
                         bargap=0.45, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return style(figure, title=title)


def sales_with_events(
    frame: pd.DataFrame,
    x: str,
    y: str,
    events: pd.DataFrame,
    event_x: str,
    event_label: str,
    *,
    reference: str | None = None,
    reference_n: str | None = None,
    name: str = "UMKM ini",
    reference_name: str = "Median UMKM sejenis",
    title: str | None = None,
    x_label: str | None = "Bulan",
    y_label: str | None = "Penjualan",
    formatter: Callable[[float], str] = fmt.rupiah_short,
    height: int = 380,
) -> go.Figure:
    """One producer's ``y`` per month ``x`` with each event of ``events`` (a training: its date ``event_x``
    and text ``event_label``) as a dashed vertical line and a marker on top that names it in the hover,
    and, with ``reference``, a comparison line (the median of similar producers; ``reference_n``: how many
    it rests on each month, shown in the hover).

    Months without a report are missing values in ``y``: the line breaks there instead of drawing a
    slope nobody reported. Dates stay dates (no text axis), so the events fall between the months they
    happened in."""
    _require(frame, [x, y, *[c for c in (reference, reference_n) if c]])
    _require(events, [event_x, event_label])
    data = frame.sort_values(x, kind="stable")
    figure = go.Figure()
    if reference is not None:
        counts = data[reference_n] if reference_n else [None] * len(data)
        figure.add_trace(go.Scatter(
            x=data[x].tolist(), y=pd.to_numeric(data[reference]).tolist(), name=reference_name, mode="lines",
            line={"color": MUTED, "width": 2, "dash": "dot"},
            customdata=[[fmt.month_label(m), formatter(v), fmt.number(n) if n is not None else ""]
                        for m, v, n in zip(data[x], data[reference], counts)],
            hovertemplate=(f"{reference_name}<br>%{{customdata[0]}}: %{{customdata[1]}}"
                           + ("<br>n = %{customdata[2]} UMKM melapor" if reference_n else "") + "<extra></extra>"),
        ))
    values = pd.to_numeric(data[y])
    figure.add_trace(go.Scatter(
        x=data[x].tolist(), y=values.tolist(), name=name, mode="lines+markers",
        line={"color": PRIMARY, "width": 2}, marker={"color": PRIMARY, "size": 6},
        customdata=[[fmt.month_label(m), formatter(v)] for m, v in zip(data[x], values)],
        hovertemplate=f"{name}<br>%{{customdata[0]}}: %{{customdata[1]}}<extra></extra>",
    ))
    shown = pd.concat([values, pd.to_numeric(data[reference]) if reference else values]).dropna()
    top = float(shown.max()) if len(shown) else 1.0
    marks = events.dropna(subset=[event_x])
    for when in marks[event_x]:
        figure.add_shape(type="line", x0=when, x1=when, yref="paper", y0=0, y1=1,
                         line={"color": ACCENT, "width": 2, "dash": "dash"}, layer="below")
    if len(marks):
        figure.add_trace(go.Scatter(
            x=marks[event_x].tolist(), y=[top * 1.08] * len(marks), name="Pelatihan", mode="markers",
            marker={"color": ACCENT, "size": 11, "symbol": "triangle-down"},
            customdata=[[label] for label in marks[event_label]],
            hovertemplate="%{customdata[0]}<extra></extra>",
        ))
    if values.notna().any() or reference is not None:
        tick_values, tick_text = value_ticks([0.0, top], formatter)
        figure.update_yaxes(tickvals=tick_values, ticktext=tick_text, range=[0, top * 1.15])
    else:
        figure.add_annotation(text="Belum ada laporan penjualan", showarrow=False, x=0.5, y=0.5, xref="paper",
                              yref="paper")
    figure.update_xaxes(title_text=x_label, tickformat="%m/%Y")
    figure.update_yaxes(title_text=y_label)
    figure.update_layout(height=height, hovermode="closest",
                         legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0})
    return style(figure, title=title)
