"""The charts of the PDF laporan, drawn by matplotlib as SVG: vector shapes and text kept as text (the PDF
embeds them as vector graphics, and a reader can search and copy their labels). No browser, no network.

Each function takes the content's frames and returns the SVG text of one figure; sizes are in inches of
the printed A4 page, so the type on paper is the size given here.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import pandas as pd

from analysis.core import formatting as fmt
from analysis.impact import ImpactResult
from analysis.insight import indicators as ind
from analysis.insight import targets as tgt
from analysis.insight import yearly
from analysis.output.charts import ACCENT, COLORWAY, PRIMARY

TEXT, MUTED, GRID = "#1F2A2E", "#5F5A4E", "#E6E1D3"
INTERVAL = "#B8C9C4"
FONT = "DejaVu Sans"  # shipped with matplotlib; the PDF registers the same font file under this name
# text.color: matplotlib leaves the fill of black text out of the SVG, and fpdf2 then paints such text in
# whatever fill came last (white on the legend): every text gets an explicit colour.
STYLE = {"svg.fonttype": "none", "font.family": FONT, "font.size": 8, "text.color": TEXT, "axes.edgecolor": "#C9C2AE",
         "axes.labelcolor": TEXT, "xtick.color": TEXT, "ytick.color": TEXT, "axes.spines.top": False,
         "axes.spines.right": False, "axes.axisbelow": True, "svg.hashsalt": "umkm"}


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def svg(figure) -> str:
    """The figure as SVG text (no date in it, so the same data gives the same bytes), then closed."""
    plt = _pyplot()
    buffer = io.StringIO()
    with plt.rc_context(STYLE):
        # A fixed layout (each figure sets its margins), not bbox_inches="tight": measuring every label's
        # extent costs a second drawing of the figure, about a third of the PDF's build time.
        figure.savefig(buffer, format="svg", facecolor="white", metadata={"Date": None})
    plt.close(figure)
    return buffer.getvalue()


def _axis_numbers(axis, formatter: Callable[[float], str], which: str = "y") -> None:
    from matplotlib.ticker import FuncFormatter

    (axis.yaxis if which == "y" else axis.xaxis).set_major_formatter(FuncFormatter(lambda v, _: formatter(v)))


def trend_figure(wide: pd.DataFrame, *, width_in: float = 6.9, height_in: float = 3.6):
    """Sales per quarter and kategori (``content.trend_wide``: rows quarters, columns kategori, Rp juta)."""
    plt = _pyplot()
    with plt.rc_context(STYLE):
        figure, axis = plt.subplots(figsize=(width_in, height_in))
        labels = [str(i) for i in wide.index]
        for index, column in enumerate(wide.columns):
            axis.plot(range(len(labels)), wide[column].to_numpy(dtype=float), marker="o", markersize=3, linewidth=1.6,
                      color=COLORWAY[index % len(COLORWAY)], label=str(column))
        axis.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
        axis.set_ylabel("Penjualan per triwulan (Rp juta)")
        _axis_numbers(axis, fmt.number)
        axis.grid(axis="y", color=GRID, linewidth=0.6)
        axis.legend(ncols=3, fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.3))
        figure.subplots_adjust(left=0.1, right=0.98, top=0.97, bottom=0.4)
    return figure


def impact_figure(results: Sequence[ImpactResult], *, width_in: float = 6.9, height_in: float | None = None):
    """Effect per training type with its 95% interval as a bar, and the zero line: no estimate without its
    uncertainty. Types without an estimate are left out (the table beside it says why)."""
    plt = _pyplot()
    shown = [r for r in results if r.efek_persen is not None]
    with plt.rc_context(STYLE):
        figure, axis = plt.subplots(figsize=(width_in, height_in or 0.45 * max(len(shown), 1) + 0.9))
        for row, result in enumerate(shown):
            low = result.ci_bawah if result.ci_bawah is not None else result.efek_persen
            high = result.ci_atas if result.ci_atas is not None else result.efek_persen
            colour = PRIMARY if not result.peringatan else MUTED
            axis.plot([low, high], [row, row], color=INTERVAL if result.peringatan else colour, linewidth=5,
                      solid_capstyle="butt")
            axis.plot([result.efek_persen], [row], "o", color=colour, markersize=7)
            axis.annotate(fmt.signed_percent(result.efek_persen), (result.efek_persen, row), xytext=(0, 7),
                          textcoords="offset points", ha="center", fontsize=7.5, color=TEXT)
        axis.axvline(0, color=MUTED, linewidth=0.8)
        axis.set_yticks(range(len(shown)), [r.jenis for r in shown])
        axis.invert_yaxis()
        axis.set_ylim(len(shown) - 0.4, -0.7)
        axis.set_xlabel("Perubahan penjualan bulanan (%), titik = perkiraan, batang = selang 95%")
        _axis_numbers(axis, lambda v: fmt.number(v, 0) + "%", which="x")
        axis.grid(axis="x", color=GRID, linewidth=0.6)
        figure.subplots_adjust(left=0.17, right=0.97, top=0.95, bottom=0.7 / figure.get_figheight())
    return figure


def budget_figure(parts: pd.DataFrame, category: str, criteria: Sequence[str], *, width_in: float = 6.9,
                  height_in: float | None = None):
    """Priority points per criterion per kecamatan as stacked bars, highest score on top, the total at the
    end of each bar."""
    plt = _pyplot()
    with plt.rc_context(STYLE):
        figure, axis = plt.subplots(figsize=(width_in, height_in or 0.18 * max(len(parts), 1) + 1.2))
        names = list(parts[category].astype(str))
        left = pd.Series(0.0, index=parts.index)
        for index, column in enumerate(criteria):
            values = pd.to_numeric(parts[column]).fillna(0.0)
            axis.barh(names, values, left=left, color=COLORWAY[index % len(COLORWAY)], label=column, height=0.7)
            left = left + values
        for row, total in enumerate(left):
            axis.text(total + 0.5, row, fmt.number(total, 1), va="center", fontsize=6.5, color=TEXT)
        axis.invert_yaxis()
        axis.set_xlabel("Skor prioritas (poin dari tiap kriteria)")
        axis.set_xlim(0, max(float(left.max()) * 1.1, 1.0))
        axis.tick_params(axis="y", labelsize=7)
        height = figure.get_figheight()
        axis.legend(ncols=3, fontsize=6.5, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.5 / height))
        figure.subplots_adjust(left=0.17, right=0.97, top=1 - 0.1 / height, bottom=1.0 / height)
    return figure


def targets_figure(achieved: pd.DataFrame, keys: Sequence[str], *, columns: int = 2, width_in: float = 6.9,
                   row_height_in: float = 1.75):
    """One small chart per indicator over the years: realisasi as bars with its value, the target as a
    dashed line with diamonds. A year without realisasi shows the target alone."""
    plt = _pyplot()
    rows = max((len(keys) + columns - 1) // columns, 1)
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(rows, columns, figsize=(width_in, row_height_in * rows), squeeze=False)
        for axis in axes.flat[len(keys):]:
            axis.set_visible(False)
        for axis, key in zip(axes.flat, keys):
            indicator = ind.INDICATORS[key]
            data = tgt.series(achieved, key)
            labels = [str(y) for y in data[tgt.TAHUN]]
            done = data[yearly.REALISASI]
            axis.bar(labels, done.fillna(0.0), color=PRIMARY, width=0.5, label="Realisasi")
            axis.set_xlim(-0.9, len(labels) - 0.1)  # one year keeps a narrow bar, not the whole width
            axis.plot(labels, data[tgt.TARGET], "--D", color=ACCENT, markersize=4, linewidth=1.4, label="Target")
            top = pd.concat([done, data[tgt.TARGET]]).max()
            bottom = min(0.0, float(pd.concat([done, data[tgt.TARGET]]).min()))
            high = (top if pd.notna(top) and top > 0 else 1.0) * 1.3
            for x, value in zip(labels, done):
                if pd.notna(value):  # inside the bar at its foot, where no target marker sits; above a short bar
                    inside = value > 0.18 * high
                    axis.annotate(fmt.indicator_value(indicator.kind, value), (x, 0.0 if inside else value),
                                  xytext=(0, 2), textcoords="offset points", ha="center", va="bottom", fontsize=6.5,
                                  color="white" if inside else TEXT, fontweight="bold" if inside else "normal")
            axis.set_title(indicator.label, fontsize=8, loc="left", color=TEXT)
            _axis_numbers(axis, lambda v, kind=indicator.kind: fmt.indicator_value(kind, v))
            axis.tick_params(labelsize=6.5)
            axis.set_ylim(bottom * 1.2, high)
            axis.grid(axis="y", color=GRID, linewidth=0.5)
        handles, names = axes.flat[0].get_legend_handles_labels()
        figure.legend(handles, names, loc="upper right", ncols=2, fontsize=7, frameon=False)
        top = 1 - 0.3 / (row_height_in * rows)  # room for the legend: 0.3 inch whatever the number of rows
        figure.subplots_adjust(left=0.1, right=0.98, bottom=0.12 / rows, top=top - 0.04, wspace=0.3, hspace=0.55)
    return figure
