"""The .pptx: one slide per view, charts as native PowerPoint charts (editable, their numbers in the file)."""
from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.core import formatting as fmt
from analysis.core import wilayah
from analysis.core.schemas import Producers
from analysis.insight import budget, trends
from analysis.insight import indicators as ind
from analysis.report import picture
from analysis.report.content import (
    APPROXIMATE_LABEL,
    BUDGET,
    DECK_TITLE,
    IMPACT,
    INDICATORS,
    MAP,
    MAP_KEY,
    NOTES,
    SLIDE_TITLES,
    TITLE,
    TOP_BUDGET_ROWS,
    TRENDS,
    DeckContent,
    budget_summary_lines,
    dinas,
    impact_frame,
)
from analysis.report.picture import SCHEMATIC_LABEL

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


def _title_slide(deck: _Deck, content: DeckContent) -> None:
    slide = deck.slide(DECK_TITLE, content.stamp(TITLE))
    deck.text(slide, dinas(), 0.5, 1.7, 12.3, 0.8, size=26, bold=True)
    deck.text(slide, [f"Tanggal: {fmt.date_label(pd.Timestamp(content.made_on))}",
                      f"Data sampai: {fmt.month_label(content.data_until)}",
                      f"Filter: {content.filters.describe()}"], 0.5, 2.8, 12.3, 2.0, size=20, colour=MUTED_RGB)
    deck.text(slide, f"Dibuat dari Dasbor UMKM {wilayah.region().short} (tanpa internet).", 0.5, 5.6, 12.3, 0.5, size=14,
              colour=MUTED_RGB)


def _indicator_slide(deck: _Deck, content: DeckContent) -> None:
    slide = deck.slide(SLIDE_TITLES[INDICATORS], content.stamp(INDICATORS))
    deck.table(slide, content.indicators, 0.5, 1.5, 12.3, size=15, row_height=0.4, widths=(6.3, 3.0, 3.0))


def _map_slide(deck: _Deck, content: DeckContent) -> None:
    slide = deck.slide(SLIDE_TITLES[MAP], content.stamp(MAP))
    shape = deck.picture(slide, picture.map_png(content), 0.8, 1.4, 5.45)
    shape.name = "peta"
    ranked = ind.ranking(content.per_kecamatan, MAP_KEY).head(8)
    table = pd.DataFrame({budget.COL_KECAMATAN: ranked[Producers.kecamatan],
                          "Jumlah UMKM": [fmt.number(v) for v in ranked[MAP_KEY]]})
    deck.text(slide, "Kecamatan dengan UMKM terbanyak", 7.6, 1.45, 5.2, 0.4, size=16, bold=True)
    deck.table(slide, table, 7.6, 2.0, 5.2, size=14, row_height=0.4, widths=(3.4, 1.8))
    if not content.official_map:
        deck.text(slide, SCHEMATIC_LABEL + ": satu kotak per kecamatan, disusun kira-kira sesuai letaknya.", 7.6,
                  5.8, 5.2, 0.8, size=12, colour=MUTED_RGB)
    elif content.approximate_map:
        deck.text(slide, APPROXIMATE_LABEL + ".", 7.6, 5.8, 5.2, 0.8, size=12, colour=MUTED_RGB)


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
