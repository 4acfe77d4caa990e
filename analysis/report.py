"""The meeting deck: an Indonesian PowerPoint built from the current filters, and the same views for the
presentation mode of the dashboard.

``build_content`` gathers what a meeting looks at (indicators, the map, category trends, training impact,
the budget plan, data notes) once; ``deck_bytes`` writes it as a .pptx whose charts are native PowerPoint
charts (editable, their numbers in the file) and whose map is a picture drawn with matplotlib, so it needs
no browser and no network. Every slide carries its source, the data date and the filters.

Command line, on the output of ``python -m analysis.ingest``::

    python -m analysis.report --data DIR --out deck.pptx [--kec Natar,Kalianda] [--anggaran 500000000]
"""
from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import budget
from analysis import filters as flt
from analysis import formatting as fmt
from analysis import indicators as ind
from analysis import metrics, trends
from analysis.impact import ImpactResult
from analysis.schemas import Producers

DINAS = "Dinas Koperasi dan UKM Kabupaten Lampung Selatan"
DECK_TITLE = "Profil dan Prioritas Pembinaan UMKM"
MAP_KEY = "jumlah_umkm"
# The indicators of the summary slide, in reading order.
SUMMARY_KEYS = ("jumlah_umkm", "omzet_tahunan_rp", "porsi_mikro", "porsi_nib", "porsi_pirt", "porsi_halal",
                "porsi_online", "porsi_luar_kabupaten", "porsi_terlatih", "porsi_terlatih_pemasaran",
                "penjualan_rp", "pertumbuhan_penjualan")
TREND_FREQ = "kuartal"
RP_JUTA = 1e6  # trend chart values in Rp juta: "1.250" reads better on an axis than "1.250.000.000"
TOP_BUDGET_ROWS = 17

SOURCE_REGISTRY = "registri pelaku UMKM"
SOURCE_SALES = "laporan penjualan bulanan"
SOURCE_TRAINING = "daftar hadir pelatihan"

# Slide keys, in deck order; the presentation mode steps through the same views.
TITLE, INDICATORS, MAP, TRENDS, IMPACT, BUDGET, NOTES = ("judul", "indikator", "peta", "tren", "dampak",
                                                         "anggaran", "catatan")
SLIDE_TITLES = {
    TITLE: DECK_TITLE,
    INDICATORS: "Ringkasan indikator",
    MAP: "Sebaran UMKM per kecamatan",
    TRENDS: "Tren penjualan per kategori produk",
    IMPACT: "Dampak pelatihan terhadap penjualan",
    BUDGET: "Prioritas anggaran pelatihan",
    NOTES: "Catatan data",
}
SLIDE_SOURCES = {
    INDICATORS: f"{SOURCE_REGISTRY}, {SOURCE_SALES}, {SOURCE_TRAINING}",
    MAP: SOURCE_REGISTRY,
    TRENDS: SOURCE_SALES,
    IMPACT: f"{SOURCE_SALES} dan {SOURCE_TRAINING}; estimasi imputasi dengan bootstrap",
    BUDGET: f"{SOURCE_REGISTRY}, {SOURCE_SALES}, {SOURCE_TRAINING}; parameter perencana",
    NOTES: "hasil impor data (report.json)",
}


@dataclass(frozen=True, eq=False)
class DeckContent:
    """Everything the deck and the presentation mode show, computed once."""

    filters: flt.Filters
    data_until: pd.Timestamp | None
    made_on: date
    indicators: pd.DataFrame  # Indikator, Nilai, Perubahan
    per_kecamatan: pd.DataFrame  # indicators.compute(by_kecamatan=True)
    trend: pd.DataFrame  # trends.sales_by_category(freq=TREND_FREQ)
    trend_wide: pd.DataFrame  # index: period label, columns: kategori, values: Rp juta
    impact: list[ImpactResult]
    plan: budget.Plan
    notes: list[str]
    official_map: bool = False
    boundaries: Any = None  # GeoDataFrame of imported boundaries, or None for the schematic tiles
    tiles: pd.DataFrame | None = None

    def stamp(self, key: str) -> str:
        """The line under every slide and view: source, data date, filters."""
        return stamp(key, self.data_until, self.filters)


def stamp(key: str, data_until: pd.Timestamp | None, filters: flt.Filters) -> str:
    """The line under every slide and view: source, data date, filters."""
    return (f"Sumber: {SLIDE_SOURCES.get(key, DINAS)} · Data sampai {fmt.month_label(data_until)} · "
            f"Filter: {filters.describe()}")


def indicator_rows(tables, filters: flt.Filters, months: list[pd.Timestamp], coded=None) -> pd.DataFrame:
    """The summary slide's table: label, formatted value, change against the previous period. ``coded``:
    the sales as ``analysis.coded.CodedSales`` when the caller keeps one."""
    rows = ind.with_change(tables, filters, months, coded=coded).set_index("key")
    keys = [k for k in SUMMARY_KEYS if k in rows.index]
    return pd.DataFrame({
        "Indikator": [rows.loc[k, "label"] for k in keys],
        "Nilai": [fmt.indicator_value(rows.loc[k, "kind"], rows.loc[k, "value"]) for k in keys],
        "Perubahan": [fmt.indicator_delta(rows.loc[k, "kind"], rows.loc[k, "change"], rows.loc[k, "previous"])
                      or fmt.MISSING for k in keys],
    })


def trend_wide(trend: pd.DataFrame) -> pd.DataFrame:
    """Sales per period (rows, Indonesian short labels) and kategori (columns) in Rp juta: the chart data."""
    if trend.empty:
        return pd.DataFrame()
    wide = trend.pivot_table(index=[trends.PERIODE, trends.TICK], columns=trends.KATEGORI, values=trends.PENJUALAN,
                             aggfunc="sum", fill_value=0.0, observed=True, sort=True)
    wide = wide.reset_index(level=0, drop=True) / RP_JUTA
    order = list(dict.fromkeys(trend[trends.KATEGORI].astype(str)))
    return wide[[c for c in order if c in wide.columns]]


def data_notes(content_filters: flt.Filters, data_until: pd.Timestamp | None, first_month: pd.Timestamp | None,
               totals: Mapping[str, Any], official_map: bool, plan: budget.Plan,
               trend_note: str | None) -> list[str]:
    notes = [
        f"Periode data penjualan: {fmt.period_label(first_month, data_until)}. Filter: {content_filters.describe()}.",
        f"Kualitas data: {fmt.ingest_totals_line(totals)}." if totals else "Laporan impor data tidak tersedia.",
        "Peta memakai batas kecamatan yang diimpor." if official_map else
        "Peta skematis: satu kotak per kecamatan, bukan batas wilayah resmi (batas resmi belum diimpor).",
        "Dampak pelatihan bukan hasil percobaan: peserta tidak diundi. Selang 95% dari bootstrap per UMKM; "
        "perkiraan dengan peringatan tidak boleh dibaca sebagai dampak.",
        budget.RANGE_NOTE,
        "NIK dan nomor HP disamarkan pada semua ekspor.",
    ]
    if trend_note:
        notes.insert(1, trend_note)
    for warning in plan.warnings:
        notes.append(f"Perkiraan lemah — {warning}.")
    return notes


def trend_data(tables, filters: flt.Filters) -> pd.DataFrame:
    """The trend slide's data: sales per quarter and kategori under the filters."""
    return trends.sales_by_category(flt.apply(tables, filters).sales, TREND_FREQ)


def build_content(tables, filters: flt.Filters, results: Sequence[ImpactResult], params: budget.PlanParams, *,
                  ingest_totals: Mapping[str, Any] | None = None, boundaries: Any = None,
                  tiles: pd.DataFrame | None = None, made_on: date | None = None) -> DeckContent:
    """The deck's content from the unfiltered tables, the filters, the impact estimates (under the same
    kecamatan / kategori / skala filters) and the budget parameters. ``boundaries``: the imported
    GeoDataFrame, or None to draw ``tiles`` (boundaries.schematic_tiles) as a labelled schematic."""
    months = metrics.months(tables.sales)
    first, last = metrics.data_period(tables.sales)
    sales_trend = trend_data(tables, filters)
    per_kecamatan = ind.compute(tables, filters, by_kecamatan=True)
    values = budget.criteria(tables, filters, per_kecamatan=per_kecamatan)
    plan = budget.make_plan(tables, filters, params, results, values=values)
    official = boundaries is not None
    return DeckContent(
        filters=filters, data_until=last, made_on=made_on or date.today(),
        indicators=indicator_rows(tables, filters, months),
        per_kecamatan=per_kecamatan,
        trend=sales_trend, trend_wide=trend_wide(sales_trend), impact=list(results), plan=plan,
        notes=data_notes(filters, last, first, ingest_totals or {}, official, plan,
                         trends.incomplete_note(sales_trend)),
        official_map=official, boundaries=boundaries, tiles=tiles,
    )


# ---------------------------------------------------------------------------------------------- map picture

MAP_COLOURS = ("#EAF4F1", "#6FB3A3", "#0F4A40")  # analysis.maps.COLOURSCALE
SCHEMATIC_LABEL = "Peta skematis — bukan batas wilayah resmi"


def map_png(content: DeckContent, key: str = MAP_KEY, *, width_in: float = 6.4, height_in: float = 6.0) -> bytes:
    """The kecamatan map as a PNG drawn by matplotlib (Agg, no browser): imported boundaries when there are
    any, else the schematic tiles, named and clearly labelled schematic."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import LinearSegmentedColormap, Normalize
    from matplotlib.patches import Rectangle

    values = content.per_kecamatan.set_index(Producers.kecamatan)[key].astype(float)
    values = values.where(content.per_kecamatan.set_index(Producers.kecamatan)[ind.N_UMKM] > 0)
    cmap = LinearSegmentedColormap.from_list("umkm", MAP_COLOURS)
    low, high = (values.min(), values.max()) if values.notna().any() else (0.0, 1.0)
    norm = Normalize(vmin=low, vmax=high if high > low else low + 1)
    label = ind.INDICATORS[key].label
    kind = ind.INDICATORS[key].kind
    figure, axis = plt.subplots(figsize=(width_in, height_in), dpi=200)
    axis.set_axis_off()
    if content.boundaries is not None:
        frame = content.boundaries.copy()
        frame["_v"] = frame["kecamatan"].map(values)
        frame.plot(ax=axis, color=[cmap(norm(v)) if pd.notna(v) else "#D9D6CE" for v in frame["_v"]],
                   edgecolor="white", linewidth=0.8)
        for _, row in frame.iterrows():
            point = row.geometry.representative_point()
            axis.annotate(f"{row['kecamatan']}\n{fmt.indicator_value(kind, row['_v'])}", (point.x, point.y),
                          ha="center", va="center", fontsize=5.5, color=_text_colour(cmap(norm(row["_v"]))
                                                                                    if pd.notna(row["_v"]) else None))
        axis.set_title(f"{label} per kecamatan", fontsize=11, loc="left")
    else:
        tiles = content.tiles
        half = 0.46
        for _, tile in tiles.iterrows():
            name = str(tile["kecamatan"])
            value = values.get(name)
            colour = cmap(norm(value)) if pd.notna(value) else (0.85, 0.84, 0.81, 1)
            x, y = float(tile["col"]), -float(tile["row"])
            axis.add_patch(Rectangle((x - half, y - half), 2 * half, 2 * half, facecolor=colour, edgecolor="none"))
            text = name.replace(" ", "\n", 1) if len(name) > 8 else name
            longest = max(len(part) for part in text.split("\n"))
            axis.text(x, y, f"{text}\n{fmt.indicator_value(kind, value)}", ha="center", va="center",
                      fontsize=8.5 if longest <= 8 else 7.0,
                      color=_text_colour(colour), linespacing=1.1)
        axis.set_xlim(-0.6, tiles["col"].max() + 0.6)
        axis.set_ylim(-tiles["row"].max() - 0.6, 0.6)
        axis.set_aspect("equal")
        axis.set_title(f"{label} per kecamatan — {SCHEMATIC_LABEL.split(' — ')[0].lower()}", fontsize=11, loc="left")
        figure.text(0.01, 0.01, SCHEMATIC_LABEL + " (satu kotak per kecamatan, disusun kira-kira sesuai letaknya)",
                    fontsize=7, color="#5F5A4E")
    scalar = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    bar = figure.colorbar(scalar, ax=axis, orientation="horizontal", fraction=0.04, pad=0.02, shrink=0.6)
    bar.set_label(label, fontsize=8)
    ticks = [norm.vmin + (norm.vmax - norm.vmin) * i / 4 for i in range(5)]  # inside the bar, ends included
    bar.set_ticks(ticks)
    bar.set_ticklabels([fmt.indicator_value(kind, t) for t in ticks], fontsize=7)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", facecolor="white")
    plt.close(figure)
    return buffer.getvalue()


def _text_colour(rgba: Any) -> str:
    if rgba is None:
        return "#1F2A2E"
    red, green, blue = rgba[:3]
    return "white" if 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.45 else "#1F2A2E"


# ---------------------------------------------------------------------------------------------- PowerPoint

PRIMARY_RGB = (0x1F, 0x7A, 0x6A)
ACCENT_RGB = (0xC9, 0xA2, 0x27)
TEXT_RGB = (0x1F, 0x2A, 0x2E)
MUTED_RGB = (0x5F, 0x5A, 0x4E)
INTERVAL_RGB = (0xB8, 0xC9, 0xC4)  # the 95% bounds beside the effect: lighter, so the estimate stands out
CHART_RGB = ((0x1F, 0x7A, 0x6A), (0xC9, 0xA2, 0x27), (0x9E, 0x2A, 0x2B), (0x2E, 0x4A, 0x62), (0x7A, 0x8B, 0x3A),
             (0xB0, 0x69, 0x3B), (0x5B, 0x7F, 0x95), (0x6B, 0x4E, 0x71), (0x8C, 0x8C, 0x8C))


class _Deck:
    """python-pptx with the deck's layout: 16:9, a title, a body area and a stamp on every slide."""

    def __init__(self) -> None:
        from pptx import Presentation
        from pptx.util import Inches

        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(13.333), Inches(7.5)
        self.inches = Inches

    def rgb(self, value: tuple[int, int, int]):
        from pptx.dml.color import RGBColor

        return RGBColor(*value)

    def slide(self, title: str, stamp: str):
        from pptx.util import Pt

        slide = self.prs.slides.add_slide(self.prs.slide_layouts[5])  # "Title Only"
        heading = slide.shapes.title
        heading.left, heading.top, heading.width, heading.height = (self.inches(0.5), self.inches(0.3),
                                                                    self.inches(12.3), self.inches(0.9))
        heading.text = title
        paragraph = heading.text_frame.paragraphs[0]
        paragraph.alignment = 1  # left
        paragraph.runs[0].font.size = Pt(30)
        paragraph.runs[0].font.bold = True
        paragraph.runs[0].font.color.rgb = self.rgb(PRIMARY_RGB)
        line = slide.shapes.add_shape(1, self.inches(0.5), self.inches(1.2), self.inches(1.6), self.inches(0.06))
        line.fill.solid()
        line.fill.fore_color.rgb = self.rgb(ACCENT_RGB)
        line.line.fill.background()
        self.text(slide, stamp, 0.5, 6.95, 12.3, 0.4, size=11, colour=MUTED_RGB, name="stempel")
        return slide

    def text(self, slide, text: str | Sequence[str], left: float, top: float, width: float, height: float, *,
             size: int = 16, colour: tuple[int, int, int] = TEXT_RGB, bold: bool = False, name: str | None = None):
        from pptx.util import Pt

        box = slide.shapes.add_textbox(self.inches(left), self.inches(top), self.inches(width), self.inches(height))
        if name:
            box.name = name
        frame = box.text_frame
        frame.word_wrap = True
        lines = [text] if isinstance(text, str) else list(text)
        for index, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = line
            run.font.size, run.font.bold = Pt(size), bold
            run.font.color.rgb = self.rgb(colour)
            paragraph.space_after = Pt(size * 0.4)
        return box

    def table(self, slide, frame: pd.DataFrame, left: float, top: float, width: float, *, size: int = 14,
              row_height: float = 0.38, widths: Sequence[float] | None = None):
        from pptx.util import Pt

        rows, cols = len(frame) + 1, len(frame.columns)
        shape = slide.shapes.add_table(rows, cols, self.inches(left), self.inches(top), self.inches(width),
                                       self.inches(row_height * rows))
        table = shape.table
        for j, column in enumerate(frame.columns):
            if widths:
                table.columns[j].width = self.inches(widths[j])
            table.cell(0, j).text = str(column)
        for i, row in enumerate(frame.itertuples(index=False), start=1):
            for j, value in enumerate(row):
                table.cell(i, j).text = "" if value is None else str(value)
        for i in range(rows):
            for j in range(cols):
                cell = table.cell(i, j)
                cell.margin_top = cell.margin_bottom = Pt(2)
                for paragraph in cell.text_frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(size)
                        run.font.bold = i == 0
                        run.font.color.rgb = self.rgb((0xFF, 0xFF, 0xFF) if i == 0 else TEXT_RGB)
                    if j > 0 and i > 0:
                        paragraph.alignment = 3  # right: numbers
                cell.fill.solid()
                cell.fill.fore_color.rgb = self.rgb(PRIMARY_RGB if i == 0 else
                                                    ((0xF2, 0xF7, 0xF5) if i % 2 else (0xFF, 0xFF, 0xFF)))
            table.rows[i].height = self.inches(row_height)
        return shape

    def chart(self, slide, kind, categories: Sequence[str], series: Mapping[str, Sequence[float]], left: float,
              top: float, width: float, height: float, *, number_format: str = "#,##0", legend: bool = True,
              axis_title: str | None = None, labels: bool = False,
              colours: Sequence[tuple[int, int, int]] = CHART_RGB):
        from pptx.chart.data import CategoryChartData
        from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
        from pptx.util import Pt

        data = CategoryChartData(number_format=number_format)
        data.categories = list(categories)
        for name, values in series.items():
            data.add_series(name, [None if pd.isna(v) else float(v) for v in values])
        frame = slide.shapes.add_chart(kind, self.inches(left), self.inches(top), self.inches(width),
                                       self.inches(height), data)
        chart = frame.chart
        chart.font.size = Pt(12)
        chart.has_legend = legend and len(series) > 1
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
        for index, plot_series in enumerate(chart.plots[0].series):
            fill = None if kind in (XL_CHART_TYPE.LINE, XL_CHART_TYPE.LINE_MARKERS) else plot_series.format.fill
            colour = self.rgb(colours[index % len(colours)])
            if fill is not None:
                fill.solid()
                fill.fore_color.rgb = colour
            else:
                plot_series.format.line.color.rgb = colour
                plot_series.format.line.width = Pt(2.25)
                plot_series.smooth = False
        value_axis = chart.value_axis
        value_axis.tick_labels.number_format = number_format
        value_axis.tick_labels.number_format_is_linked = False
        value_axis.has_major_gridlines = True
        value_axis.major_gridlines.format.line.color.rgb = self.rgb((0xDD, 0xDD, 0xDD))
        if axis_title:
            value_axis.has_title = True
            value_axis.axis_title.text_frame.text = axis_title
            value_axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(11)
        if labels:
            plot = chart.plots[0]
            plot.has_data_labels = True
            plot.data_labels.number_format = number_format
            plot.data_labels.number_format_is_linked = False
            plot.data_labels.font.size = Pt(11)
        return frame

    def picture(self, slide, png: bytes, left: float, top: float, height: float):
        return slide.shapes.add_picture(io.BytesIO(png), self.inches(left), self.inches(top),
                                        height=self.inches(height))

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.prs.save(buffer)
        return buffer.getvalue()


def deck_bytes(content: DeckContent) -> bytes:
    """The .pptx as bytes: title, indicators, map, trends, impact, budget, data notes (7 slides)."""
    from pptx.enum.chart import XL_CHART_TYPE

    deck = _Deck()
    _title_slide(deck, content)
    _indicator_slide(deck, content)
    _map_slide(deck, content)
    _trend_slide(deck, content, XL_CHART_TYPE)
    _impact_slide(deck, content, XL_CHART_TYPE)
    _budget_slide(deck, content, XL_CHART_TYPE)
    _notes_slide(deck, content)
    return deck.bytes()


def write_deck(content: DeckContent, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(deck_bytes(content))
    return path


def _title_slide(deck: _Deck, content: DeckContent) -> None:
    slide = deck.slide(DECK_TITLE, content.stamp(TITLE))
    deck.text(slide, DINAS, 0.5, 1.7, 12.3, 0.8, size=26, bold=True)
    deck.text(slide, [f"Tanggal: {fmt.date_label(pd.Timestamp(content.made_on))}",
                      f"Data sampai: {fmt.month_label(content.data_until)}",
                      f"Filter: {content.filters.describe()}"], 0.5, 2.8, 12.3, 2.0, size=20, colour=MUTED_RGB)
    deck.text(slide, "Dibuat dari Dasbor UMKM Lampung Selatan (tanpa internet).", 0.5, 5.6, 12.3, 0.5, size=14,
              colour=MUTED_RGB)


def _indicator_slide(deck: _Deck, content: DeckContent) -> None:
    slide = deck.slide(SLIDE_TITLES[INDICATORS], content.stamp(INDICATORS))
    deck.table(slide, content.indicators, 0.5, 1.5, 12.3, size=15, row_height=0.4, widths=(6.3, 3.0, 3.0))


def _map_slide(deck: _Deck, content: DeckContent) -> None:
    slide = deck.slide(SLIDE_TITLES[MAP], content.stamp(MAP))
    picture = deck.picture(slide, map_png(content), 0.8, 1.4, 5.45)
    picture.name = "peta"
    ranked = ind.ranking(content.per_kecamatan, MAP_KEY).head(8)
    table = pd.DataFrame({budget.COL_KECAMATAN: ranked[Producers.kecamatan],
                          "Jumlah UMKM": [fmt.number(v) for v in ranked[MAP_KEY]]})
    deck.text(slide, "Kecamatan dengan UMKM terbanyak", 7.6, 1.45, 5.2, 0.4, size=16, bold=True)
    deck.table(slide, table, 7.6, 2.0, 5.2, size=14, row_height=0.4, widths=(3.4, 1.8))
    if not content.official_map:
        deck.text(slide, SCHEMATIC_LABEL + ": satu kotak per kecamatan, disusun kira-kira sesuai letaknya.", 7.6,
                  5.8, 5.2, 0.8, size=12, colour=MUTED_RGB)


def _trend_slide(deck: _Deck, content: DeckContent, types) -> None:
    slide = deck.slide(SLIDE_TITLES[TRENDS], content.stamp(TRENDS))
    wide = content.trend_wide
    if wide.empty:
        deck.text(slide, "Belum ada data penjualan untuk filter ini.", 0.5, 2.0, 12.3, 1.0, size=20)
        return
    deck.chart(slide, types.LINE_MARKERS, list(wide.index), {c: wide[c].tolist() for c in wide.columns}, 0.5, 1.45,
               12.3, 5.0, number_format="#,##0", axis_title="Penjualan per triwulan (Rp juta)")
    note = trends.incomplete_note(content.trend)
    if note:
        deck.text(slide, note, 0.5, 6.5, 12.3, 0.4, size=11, colour=MUTED_RGB)


def impact_frame(results: Sequence[ImpactResult]) -> pd.DataFrame:
    """The impact slide's table: effect, 95% interval, counts, and whether the estimate can be trusted."""
    from analysis import training

    return pd.DataFrame({
        "Jenis pelatihan": [r.jenis for r in results],
        "Efek": [fmt.signed_percent(r.efek_persen) for r in results],
        "Selang 95%": [training.interval_text(r) for r in results],
        "Peserta": [fmt.number(r.n_peserta) for r in results],
        "Catatan": [budget.weak_reason(r) or "cukup kuat" for r in results],
    })


def _impact_slide(deck: _Deck, content: DeckContent, types) -> None:
    slide = deck.slide(SLIDE_TITLES[IMPACT], content.stamp(IMPACT))
    # A bar chart draws its first category at the bottom: pass them bottom-up so the first jenis is on top,
    # as in the table (reversing the axis instead moves the value axis to the top in some viewers).
    estimated = [r for r in content.impact if r.efek_persen is not None][::-1]
    if estimated:
        deck.chart(slide, types.BAR_CLUSTERED, [r.jenis for r in estimated],
                   {"Batas atas 95%": [r.ci_atas for r in estimated], "Efek": [r.efek_persen for r in estimated],
                    "Batas bawah 95%": [r.ci_bawah for r in estimated]},
                   0.5, 1.45, 5.6, 5.3, number_format='0.0"%"', axis_title="Perubahan penjualan bulanan (%)",
                   labels=True, colours=(INTERVAL_RGB, PRIMARY_RGB, INTERVAL_RGB))
    else:
        deck.text(slide, "Belum ada perkiraan dampak untuk filter ini.", 0.5, 2.0, 5.6, 1.0, size=18)
    deck.table(slide, impact_frame(content.impact), 6.3, 1.45, 6.6, size=11, row_height=0.5,
               widths=(1.45, 0.95, 1.55, 1.0, 1.65))


def budget_summary_lines(plan: budget.Plan) -> list[str]:
    p = plan.params
    lines = [f"Anggaran {fmt.rupiah(p.anggaran_rp)}; terpakai {fmt.rupiah(plan.spent_rp)} untuk "
             f"{fmt.number(plan.n_seats)} kursi."]
    for row in plan.sales.to_dict("records"):
        lines.append(f"{row[budget.JENIS]}: {fmt.number(row[budget.KURSI])} kursi, tambahan penjualan "
                     f"{budget.range_text(row[budget.TAMBAHAN_BAWAH], row[budget.TAMBAHAN_ATAS])} per tahun"
                     + (f" (perkiraan lemah: {row[budget.PERINGATAN]})" if row[budget.PERINGATAN] else ""))
    low, high = plan.total(budget.TAMBAHAN_BAWAH), plan.total(budget.TAMBAHAN_ATAS)
    if low is not None:
        lines.append(f"Seluruh rencana: {budget.range_text(low, high)} per tahun (selang 95%).")
    if plan.n_seats == 0:
        lines.append("Belum ada kursi: anggaran, porsi, atau biaya per peserta belum diisi.")
    return lines


def _budget_slide(deck: _Deck, content: DeckContent, types) -> None:
    slide = deck.slide(SLIDE_TITLES[BUDGET], content.stamp(BUDGET))
    parts = budget.contributions_table(content.plan).head(TOP_BUDGET_ROWS).iloc[::-1]  # bottom-up: first on top
    deck.chart(slide, types.BAR_STACKED, list(parts[budget.COL_KECAMATAN]),
               {c.label: parts[c.label].tolist() for c in budget.CRITERIA}, 0.5, 1.45, 7.4, 5.4,
               number_format="0", axis_title="Skor prioritas (poin dari tiap kriteria)")
    seats = budget.seats_table(content.plan).head(8)
    kursi = [c for c in seats.columns if c.startswith("Kursi ")]
    shown = pd.DataFrame({budget.COL_KECAMATAN: seats[budget.COL_KECAMATAN], **{c.removeprefix("Kursi "): seats[c] for c in kursi},
                          "Biaya": [fmt.rupiah_short(v) for v in seats["Biaya (Rp)"]]})
    deck.text(slide, budget_summary_lines(content.plan), 8.1, 1.4, 4.8, 2.0, size=11)
    deck.table(slide, shown, 8.1, 3.5, 4.8, size=10, row_height=0.3)


def _notes_slide(deck: _Deck, content: DeckContent) -> None:
    slide = deck.slide(SLIDE_TITLES[NOTES], content.stamp(NOTES))
    deck.text(slide, [f"• {line}" for line in content.notes], 0.5, 1.5, 12.3, 5.3, size=14)


# ---------------------------------------------------------------------------------------------- CLI


def _tables(directory: Path) -> flt.Tables:
    from analysis.impact import read_tables
    from analysis.schemas import Participants, Producers, Sales, Trainings

    raw = read_tables(directory)
    return flt.Tables(raw[Producers.name], raw[Sales.name], raw[Trainings.name], raw[Participants.name])


def _boundary_frame():
    from analysis import boundaries, config

    return boundaries.load_boundaries(Path(config.BOUNDARY_FILE))


def main(argv: list[str] | None = None) -> int:
    from analysis import boundaries, impact

    parser = argparse.ArgumentParser(prog="python -m analysis.report",
                                     description="Buat bahan presentasi PowerPoint (.pptx) dari data hasil impor.")
    parser.add_argument("--data", required=True, type=Path, help="folder berisi tabel hasil analysis.ingest")
    parser.add_argument("--out", required=True, type=Path, help="berkas .pptx keluaran")
    for key, text in ((flt.Q_FROM, "bulan awal YYYY-MM"), (flt.Q_TO, "bulan akhir YYYY-MM"),
                      (flt.Q_KECAMATAN, "kecamatan, dipisah koma"), (flt.Q_KATEGORI, "kategori, dipisah koma"),
                      (flt.Q_SKALA, "skala usaha, dipisah koma")):
        parser.add_argument(f"--{key}", help=text)
    for key in budget.QUERY_KEYS:
        parser.add_argument(f"--{key}", help=f"parameter rencana anggaran, seperti di tautan halaman ({key}=...)")
    parser.add_argument("--boot", type=int, default=impact.DEFAULT_BOOT, help="ulangan bootstrap dampak pelatihan")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    if not args.data.is_dir():
        print(f"Folder data tidak ditemukan: {args.data}", file=sys.stderr)
        return 2
    began = time.perf_counter()
    try:
        tables = _tables(args.data)
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    query = {k: v for k, v in vars(args).items() if v is not None}
    filters, notes = flt.from_query({k: query[k] for k in (flt.Q_FROM, flt.Q_TO, flt.Q_KECAMATAN, flt.Q_KATEGORI,
                                                          flt.Q_SKALA) if k in query}, metrics.months(tables.sales))
    params, more = budget.from_query({k: query[k] for k in budget.QUERY_KEYS if k in query},
                                     budget.default_costs(tables.trainings, tables.participants))
    for note in notes + more:
        print(f"Perhatian: {note}", file=sys.stderr)
    scoped = flt.apply(tables, replace(filters, start=None, end=None))
    try:
        results = impact.estimate_all(scoped.producers, scoped.sales, scoped.trainings, scoped.participants,
                                      n_boot=args.boot)
        shapes = _boundary_frame()
    except (ValueError, boundaries.BoundaryFileError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    totals = {}
    report = args.data / "report.json"
    if report.is_file():
        import json

        totals = json.loads(report.read_text(encoding="utf-8")).get("totals", {})
    content = build_content(tables, filters, results, params, ingest_totals=totals, boundaries=shapes,
                            tiles=None if shapes is not None else boundaries.schematic_tiles())
    out = write_deck(content, args.out)
    from pptx import Presentation

    n_slides = len(Presentation(str(out)).slides)
    print(f"Disimpan: {out} ({n_slides} slide, {fmt.number(time.perf_counter() - began, 1)} detik)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
