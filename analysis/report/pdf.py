"""The PDF laporan: A4 portrait, Indonesian, built offline from the same content as the deck (DeckContent),
so the PDF, the PowerPoint and the pages agree.

Sections: cover (region, period, data date, table of contents), indicators, indicators against their
targets (per year, with a chart per indicator), the kecamatan map, category trends, training impact with
its intervals and verdicts, the budget plan, data quality and notes. Every page after the cover carries
the section's source line and "Halaman n dari N". Charts are matplotlib SVG embedded by fpdf2 as vector
graphics; text is DejaVu Sans (shipped with matplotlib), embedded, so the file reads the same anywhere
and its text can be searched and copied.

Why fpdf2: measured on the same eight pages (a chart and a 15-row table each), matplotlib's own PDF
backend took 1.6 s and 93 KB, fpdf2 with SVG charts 1.5 s and 51 KB; fpdf2 also breaks tables across pages
with their header repeated, wraps text, numbers pages and builds the table of contents, which matplotlib
would need to be taught by hand. It is pure Python (with fonttools, Pillow, defusedxml), so it installs
offline from the wheel like everything else.
"""
from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pandas as pd

from analysis import impact
from analysis.core import formatting as fmt
from analysis.core import wilayah
from analysis.core.schemas import Producers
from analysis.insight import budget, trends
from analysis.insight import indicators as ind
from analysis.insight import targets as tgt
from analysis.report import figures, picture
from analysis.report.content import (
    APPROXIMATE_LABEL,
    BUDGET,
    IMPACT,
    INDICATORS,
    MAP,
    MAP_KEY,
    NOTES,
    SECTION_TITLES,
    TARGETS,
    TITLE,
    TRENDS,
    DeckContent,
    budget_summary_lines,
    dinas,
    impact_frame,
    region_line,
)


def report_title() -> str:
    return f"Laporan UMKM {wilayah.region().nama}"
SUBTITLE = "Indikator, capaian target, sebaran wilayah, tren penjualan, dampak pelatihan dan rencana anggaran"
SECTIONS = (INDICATORS, TARGETS, MAP, TRENDS, IMPACT, BUDGET, NOTES)  # in page order, after the cover

PAGE_W, MARGIN, TOP, BOTTOM = 210.0, 16.0, 18.0, 24.0
WIDTH = PAGE_W - 2 * MARGIN  # 178 mm of text
MM_PER_IN = 25.4
PRIMARY_RGB, TEXT_RGB, MUTED_RGB = (0x1F, 0x7A, 0x6A), (0x1F, 0x2A, 0x2E), (0x5F, 0x5A, 0x4E)
STRIPE_RGB, LINE_RGB = (0xF2, 0xF7, 0xF5), (0xC9, 0xC2, 0xAE)

FONT = figures.FONT
_METADATA = re.compile(r"<metadata>.*?</metadata>", re.S)

# The ingest report's totals as the data-quality table shows them (DATA-CONTRACT.md: nothing is lost).
QUALITY_ROWS = (
    ("Berkas dibaca", "files"), ("Berkas yang gagal dibaca", "files_error"), ("Lembar dibaca", "sheets"),
    ("Lembar yang bukan data UMKM (tidak dimuat)", "sheets_not_loaded"), ("Baris dibaca", "rows_read"),
    ("Baris dipakai", "rows_kept"), ("  di antaranya diperbaiki", "rows_fixed"),
    ("Baris digabung (duplikat)", "rows_merged"), ("Baris ditolak (dengan alasan)", "rows_rejected"),
    ("Baris dilewati (kosong, judul berulang, JUMLAH)", "rows_skipped"), ("UMKM di registri", "producers"),
    ("Baris penjualan", "sales_rows"), ("  tidak tertaut ke UMKM", "sales_unlinked"), ("Pelatihan", "trainings"),
    ("Peserta pelatihan", "participants"), ("  tidak cocok dengan registri", "participants_unmatched"),
    ("Pasangan UMKM mirip untuk diperiksa", "near_duplicates"),
)


class _Report:
    """fpdf2 with the laporan's page: A4 portrait, margins, header, source line and page number."""

    def __init__(self, content: DeckContent) -> None:
        from fpdf import FPDF
        from matplotlib import get_data_path

        self.content = content
        self.section = TITLE
        self.fresh_page = False  # the page was just started by the table of contents' own page break
        report = self

        class Document(FPDF):
            def header(self) -> None:
                report._header()

            def footer(self) -> None:
                report._footer()

        pdf = Document(orientation="P", unit="mm", format="A4")
        fonts = Path(get_data_path()) / "fonts" / "ttf"
        pdf.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
        pdf.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
        pdf.add_font(FONT, "I", str(fonts / "DejaVuSans-Oblique.ttf"))
        pdf.set_margins(MARGIN, TOP, MARGIN)
        pdf.set_auto_page_break(True, margin=BOTTOM)
        pdf.set_title(report_title())
        pdf.set_author(dinas())
        pdf.set_creator(f"Dasbor UMKM {wilayah.region().short}")
        pdf.set_lang("id")
        pdf.set_creation_date(datetime(content.made_on.year, content.made_on.month, content.made_on.day))
        pdf.set_text_color(*TEXT_RGB)
        self.pdf = pdf

    # ------------------------------------------------------------------ page furniture
    def _header(self) -> None:
        pdf = self.pdf
        if pdf.page_no() == 1:
            return
        pdf.set_font(FONT, "", 7.5)
        pdf.set_text_color(*MUTED_RGB)
        pdf.set_xy(MARGIN, 8)
        pdf.cell(WIDTH / 2, 4, report_title())
        pdf.cell(WIDTH / 2, 4, f"Data sampai {fmt.month_label(self.content.data_until)}", align="R")
        pdf.set_draw_color(*LINE_RGB)
        pdf.line(MARGIN, 13, PAGE_W - MARGIN, 13)
        pdf.set_text_color(*TEXT_RGB)
        pdf.set_xy(MARGIN, TOP)

    def _footer(self) -> None:
        pdf = self.pdf
        pdf.set_draw_color(*LINE_RGB)
        pdf.line(MARGIN, 297 - 19, PAGE_W - MARGIN, 297 - 19)
        pdf.set_xy(MARGIN, 297 - 18)
        pdf.set_font(FONT, "", 6.8)
        pdf.set_text_color(*MUTED_RGB)
        pdf.multi_cell(WIDTH - 32, 3.2, self.content.stamp(self.section), align="L")
        pdf.set_xy(PAGE_W - MARGIN - 30, 297 - 18)
        pdf.set_font(FONT, "", 7.5)
        pdf.cell(30, 3.2, f"Halaman {pdf.page_no()} dari {{nb}}", align="R")
        pdf.set_text_color(*TEXT_RGB)

    # ------------------------------------------------------------------ building blocks
    def begin(self, key: str) -> None:
        """A new section on a new page, in the outline and the table of contents."""
        if not self.fresh_page:
            self.pdf.add_page()  # the page before gets its footer (and source line) here, so the key changes after
        self.fresh_page = False
        self.section = key
        self.pdf.start_section(SECTION_TITLES[key])
        self.heading(SECTION_TITLES[key], size=16)

    def heading(self, text: str, size: float = 12.0, space: float = 2.0) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "B", size)
        pdf.set_text_color(*PRIMARY_RGB)
        pdf.multi_cell(WIDTH, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(*TEXT_RGB)
        pdf.ln(space)

    def paragraph(self, text: str, size: float = 9.0, *, muted: bool = False, space: float = 1.5,
                  style: str = "") -> None:
        pdf = self.pdf
        pdf.set_font(FONT, style, size)
        pdf.set_text_color(*(MUTED_RGB if muted else TEXT_RGB))
        pdf.multi_cell(WIDTH, size * 0.48, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(*TEXT_RGB)
        pdf.ln(space)

    def bullets(self, lines: Sequence[str], size: float = 8.5) -> None:
        for line in lines:
            self.paragraph(f"• {line}", size=size, space=0.8)

    def table(self, frame: pd.DataFrame, widths: Sequence[float], *, size: float = 8.0,
              right: Sequence[int] = ()) -> None:
        """A table with its header repeated on every page it runs onto; columns in ``right`` (indices)
        are right-aligned (numbers)."""
        from fpdf.fonts import FontFace

        pdf = self.pdf
        pdf.set_font(FONT, "", size)
        pdf.set_draw_color(*LINE_RGB)
        pdf.set_fill_color(*STRIPE_RGB)
        align = tuple("RIGHT" if j in right else "LEFT" for j in range(len(frame.columns)))
        heading = FontFace(family=FONT, emphasis="BOLD", color=(255, 255, 255), fill_color=PRIMARY_RGB)
        with pdf.table(col_widths=tuple(widths), width=sum(widths), align="LEFT", text_align=align,
                       line_height=size * 0.5, headings_style=heading, cell_fill_color=STRIPE_RGB,
                       cell_fill_mode="ROWS", borders_layout="HORIZONTAL_LINES", padding=(0.9, 1.2)) as table:
            row = table.row()
            for column in frame.columns:
                row.cell(str(column))
            for values in frame.itertuples(index=False):
                row = table.row()
                for value in values:
                    row.cell("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))
        pdf.ln(2.5)

    def figure(self, svg: str, width_mm: float = WIDTH) -> None:
        """An SVG chart at ``width_mm``, on the next page when it does not fit on this one (never cut)."""
        pdf = self.pdf
        svg = _METADATA.sub("", svg)
        pdf.image(io.BytesIO(svg.encode("utf-8")), x=MARGIN + (WIDTH - width_mm) / 2, w=width_mm)
        pdf.ln(2.0)

    def room(self, height_mm: float) -> None:
        """Start a new page unless ``height_mm`` still fits on this one (keeps a heading with what follows)."""
        if self.pdf.get_y() + height_mm > self.pdf.page_break_trigger:
            self.pdf.add_page()

    def bytes(self) -> bytes:
        return bytes(self.pdf.output())


def pdf_bytes(content: DeckContent) -> bytes:
    """The PDF laporan as bytes: cover with table of contents, then one section per topic."""
    report = _Report(content)
    _cover(report)
    _indicators(report)
    _targets(report)
    _map(report)
    _trends(report)
    _impact(report)
    _budget(report)
    _quality(report)
    return report.bytes()


def _period_text(content: DeckContent) -> str:
    filters = content.filters
    if filters.start is None and filters.end is None:
        return fmt.period_label(content.first_month, content.data_until)
    return fmt.period_label(filters.start or content.first_month, filters.end or content.data_until)


# ---------------------------------------------------------------------- sections
def _cover(report: _Report) -> None:
    pdf, content = report.pdf, report.content
    pdf.add_page()
    pdf.set_fill_color(*PRIMARY_RGB)
    pdf.rect(0, 0, PAGE_W, 8, style="F")
    pdf.set_y(30)
    report.paragraph(dinas().upper(), size=10, muted=True, space=4, style="B")
    report.heading(report_title(), size=22, space=3)
    report.paragraph(SUBTITLE, size=11, muted=True, space=8)
    rows = pd.DataFrame({"": ["Wilayah", "Periode laporan", "Data sampai", "Filter", "Target", "Dibuat"],
                         " ": [region_line(), _period_text(content), fmt.month_label(content.data_until),
                               content.filters.describe(), content.targets_label or "belum ada target",
                               f"{fmt.date_label(pd.Timestamp(content.made_on))}, dari Dasbor UMKM "
                               f"{wilayah.region().short} (tanpa internet)"]})
    pdf.set_font(FONT, "", 10)
    for label, value in rows.itertuples(index=False):
        pdf.set_font(FONT, "B", 10)
        pdf.cell(38, 6, label)
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(WIDTH - 38, 6, value, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    report.heading("Isi laporan", size=12)
    pdf.insert_toc_placeholder(_render_toc, pages=1)  # ends the cover page: the next section starts on page 2
    report.fresh_page = True


def _render_toc(pdf, outline) -> None:
    pdf.set_font(FONT, "", 10)
    for section in outline:
        if section.level:
            continue
        pdf.set_x(MARGIN)
        pdf.cell(WIDTH - 20, 6.5, section.name)
        pdf.cell(20, 6.5, str(section.page_number), align="R", new_x="LMARGIN", new_y="NEXT")


def _indicators(report: _Report) -> None:
    content = report.content
    report.begin(INDICATORS)
    report.paragraph(f"Periode: {_period_text(content)}. Filter: {content.filters.describe()}. Perubahan dibanding "
                     "periode yang sama panjang sebelumnya (indikator stok registri tidak punya perubahan).",
                     size=8.5, muted=True)
    report.table(content.indicators, (98, 40, 40), size=9, right=(1, 2))
    definitions = ind.definitions_table([k for k in ind.INDICATORS if ind.INDICATORS[k].label in
                                         set(content.indicators["Indikator"])])
    report.heading("Definisi", size=11)
    report.table(definitions[[ind.COL_INDIKATOR, ind.COL_DEFINISI, ind.COL_RUMUS]], (38, 86, 54), size=7)


def _targets(report: _Report) -> None:
    content, achieved = report.content, report.content.achievement
    report.begin(TARGETS)
    if achieved is None or not len(achieved):
        report.paragraph("Belum ada target indikator. Target (Renstra, RPJMD, Perjanjian Kinerja) diisi di halaman "
                         "Target & Realisasi dasbor; laporan berikutnya membandingkannya dengan realisasi.")
        return
    report.paragraph(f"Sumber target: {content.targets_label}. " + tgt.METHOD, size=8, muted=True)
    if content.filters.selects_producers:
        report.paragraph(tgt.COMPARED_NOTE, size=8, muted=True)
    for year in sorted(tgt.years(achieved), reverse=True):
        report.room(40)
        report.heading(f"Tahun {year}", size=12, space=1)
        report.paragraph(tgt.summary_line(achieved, year), size=8.5)
        shown = tgt.display(achieved, year)
        report.table(shown[[tgt.COL_INDIKATOR, tgt.COL_TARGET, tgt.COL_REALISASI, tgt.COL_CAPAIAN, tgt.COL_STATUS,
                            tgt.COL_SUMBER]], (50, 22, 22, 18, 30, 36), size=7.5, right=(1, 2, 3))
        for note, labels in _grouped_notes(shown).items():
            report.paragraph(f"{', '.join(labels)}: {note}.", size=7, muted=True, space=0.6)
        report.pdf.ln(2)
    keys = tgt.keys(achieved)
    per_page = 8
    for start in range(0, len(keys), per_page):
        chunk = keys[start:start + per_page]
        height = 1.75 * ((len(chunk) + 1) // 2) * MM_PER_IN * WIDTH / (6.9 * MM_PER_IN)
        report.room(height + 10)
        report.heading("Target dan realisasi per tahun" + (" (lanjutan)" if start else ""), size=11, space=1)
        report.figure(figures.svg(figures.targets_figure(achieved, chunk)))


def _grouped_notes(shown: pd.DataFrame) -> dict[str, list[str]]:
    """{note: indicators} so a note shared by many rows ("stok registri ...") is written once."""
    grouped: dict[str, list[str]] = {}
    for label, note in zip(shown[tgt.COL_INDIKATOR], shown[tgt.COL_CATATAN]):
        if note:
            grouped.setdefault(note, []).append(label)
    return grouped


def _map(report: _Report) -> None:
    content = report.content
    report.begin(MAP)
    report.figure(picture.map_svg(content, width_in=6.4, height_in=5.6, note=False), width_mm=118)
    if not content.official_map:
        report.paragraph(picture.SCHEMATIC_LABEL + ": satu kotak per kecamatan, disusun kira-kira sesuai letaknya "
                         "(batas resmi belum diimpor).", size=7.5, muted=True)
    elif content.approximate_map:
        report.paragraph(APPROXIMATE_LABEL + ".", size=7.5, muted=True)
    ranked = ind.ranking(content.per_kecamatan, MAP_KEY)
    per = content.per_kecamatan.set_index(Producers.kecamatan)
    keys = ("porsi_nib", "porsi_terlatih", "porsi_online")
    table = pd.DataFrame({
        "Peringkat": ranked[ind.RANK].astype("string").fillna(fmt.MISSING),
        "Kecamatan": ranked[Producers.kecamatan],
        ind.INDICATORS[MAP_KEY].label: [fmt.number(v) for v in ranked[MAP_KEY]],
        **{ind.INDICATORS[k].label: [fmt.indicator_value(ind.INDICATORS[k].kind, per.loc[n, k])
                                     for n in ranked[Producers.kecamatan]] for k in keys},
    })
    report.room(60)
    report.table(table, (18, 40, 26, 30, 34, 30), size=7.5, right=(0, 2, 3, 4, 5))


def _trends(report: _Report) -> None:
    content = report.content
    report.begin(TRENDS)
    if content.trend_wide.empty:
        report.paragraph("Belum ada data penjualan untuk filter ini.")
        return
    report.figure(figures.svg(figures.trend_figure(content.trend_wide)))
    note = trends.incomplete_note(content.trend)
    if note:
        report.paragraph(note, size=7.5, muted=True)
    trend = content.trend
    years = pd.to_datetime(trend[trends.PERIODE].astype(str).str[:4] + "-01-01", errors="coerce").dt.year \
        if not pd.api.types.is_datetime64_any_dtype(trend[trends.PERIODE]) else trend[trends.PERIODE].dt.year
    table = (trend.assign(_tahun=years.to_numpy()).pivot_table(index=trends.KATEGORI, columns="_tahun",
                                                               values=trends.PENJUALAN, aggfunc="sum", observed=True)
             .fillna(0.0))
    shown = pd.DataFrame({"Kategori": table.index.astype(str),
                          **{str(int(y)): [fmt.rupiah_short(v) for v in table[y]] for y in table.columns}})
    report.room(50)
    report.heading("Penjualan per kategori per tahun", size=11, space=1)
    widths = [52] + [min(30.0, (WIDTH - 52) / max(len(table.columns), 1))] * len(table.columns)
    report.table(shown, widths, size=8, right=tuple(range(1, len(widths))))


def _impact(report: _Report) -> None:
    content = report.content
    report.begin(IMPACT)
    if not any(r.efek_persen is not None for r in content.impact):
        report.paragraph("Belum ada perkiraan dampak untuk filter ini.")
    else:
        report.figure(figures.svg(figures.impact_figure(content.impact)))
    report.table(impact_frame(content.impact), (30, 18, 38, 18, 74), size=7.5, right=(1, 3))
    report.heading("Kesimpulan per jenis pelatihan", size=11, space=1)
    for result in content.impact:
        lines = [impact.verdict(result)] + [f"Peringatan: {w}" for w in result.peringatan]
        report.paragraph(f"{result.jenis}. " + " ".join(lines), size=8.5)
    report.paragraph("Bukan hasil percobaan: peserta tidak diundi. Penjualan peserta sebelum dan sesudah pelatihan "
                     "dibandingkan dengan UMKM kategori yang sama yang belum dilatih pada bulan yang sama; selang 95% "
                     "dari bootstrap per UMKM. Filter periode tidak dipakai untuk perkiraan ini.", size=7.5, muted=True)


def _budget(report: _Report) -> None:
    content = report.content
    report.begin(BUDGET)
    report.bullets(budget_summary_lines(content.plan))
    parts = budget.contributions_table(content.plan)
    if len(parts):
        report.figure(figures.svg(figures.budget_figure(parts, budget.COL_KECAMATAN, [c.label for c in budget.CRITERIA])))
    seats = budget.seats_table(content.plan)
    shown = seats.assign(**{"Skor": [fmt.number(v, 1) for v in seats["Skor"]],
                            "Biaya (Rp)": [fmt.rupiah(v) for v in seats["Biaya (Rp)"]]})
    report.room(50)
    report.heading("Kursi pelatihan per kecamatan", size=11, space=1)
    widths = [18, 40, 16] + [22] * (len(shown.columns) - 5) + [20, 34]
    report.table(shown, widths[:len(shown.columns)], size=7.5, right=tuple(j for j in range(len(shown.columns)) if j != 1))
    report.paragraph(budget.RANGE_NOTE, size=7.5, muted=True)


def _quality(report: _Report) -> None:
    content = report.content
    report.begin(NOTES)
    totals = content.ingest_totals
    if totals:
        rows = [(label, fmt.number(totals.get(key))) for label, key in QUALITY_ROWS if key in totals]
        if totals.get("kriteria_skala"):
            rows.append(("Kriteria skala usaha", str(totals["kriteria_skala"])))
        report.paragraph("Setiap baris spreadsheet tercatat: dipakai, digabung, ditolak dengan alasannya, atau "
                         "dilewati (baris dibaca = dipakai + digabung + ditolak + dilewati).", size=8.5)
        report.table(pd.DataFrame(rows, columns=["Kualitas data", "Jumlah"]), (120, 40), size=8.5, right=(1,))
    report.heading("Catatan", size=11, space=1)
    report.bullets(content.notes)
