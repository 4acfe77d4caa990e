"""The meeting deck and the PDF laporan: an Indonesian PowerPoint and an A4 PDF built from the current
filters, and the same views for the presentation mode of the dashboard.

``build_content`` gathers what a meeting looks at (indicators, the map, category trends, training impact,
the budget plan, data notes, the indicators against their targets) once; ``deck_bytes`` writes it as a .pptx
whose charts are native PowerPoint charts (editable, their numbers in the file) and whose map is a picture
drawn with matplotlib; ``pdf_bytes`` writes the same content as an A4 laporan with vector charts. Neither
needs a browser or a network. Every slide and page carries its source, the data date and the filters.

Command line, on the output of ``python -m analysis.ingest``::

    python -m analysis.report --data DIR --out deck.pptx [--kec Natar,Kalianda] [--anggaran 500000000]
    python -m analysis.report --data DIR --out laporan.pdf [same options] [--target target_indikator.csv]

Modules: content (what each view shows, gathered once: DeckContent), picture (the map drawn by
matplotlib), deck (the .pptx with native charts), figures (the PDF's charts as SVG), pdf (the laporan).
"""
from __future__ import annotations

from analysis.report.content import (
    APPROXIMATE_ATTR,
    APPROXIMATE_LABEL,
    BUDGET,
    IMPACT,
    INDICATORS,
    MAP,
    MAP_KEY,
    NOTES,
    SECTION_TITLES,
    SLIDE_TITLES,
    TARGETS,
    TITLE,
    TREND_FREQ,
    TRENDS,
    DeckContent,
    budget_summary_lines,
    build_content,
    data_notes,
    dinas,
    impact_frame,
    indicator_rows,
    region_line,
    stamp,
    trend_data,
    trend_wide,
)
from analysis.report.deck import deck_bytes
from analysis.report.pdf import pdf_bytes
from analysis.report.picture import SCHEMATIC_LABEL, map_png

__all__ = [
    "APPROXIMATE_ATTR", "APPROXIMATE_LABEL", "BUDGET", "IMPACT", "INDICATORS", "MAP", "MAP_KEY", "NOTES", "SCHEMATIC_LABEL",
    "SECTION_TITLES", "SLIDE_TITLES", "TARGETS", "TITLE", "TREND_FREQ", "TRENDS", "DeckContent",
    "budget_summary_lines", "build_content", "data_notes", "deck_bytes", "dinas", "impact_frame", "indicator_rows", "map_png",
    "pdf_bytes", "region_line", "stamp", "trend_data", "trend_wide",
]
