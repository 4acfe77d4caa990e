"""The meeting deck: an Indonesian PowerPoint built from the current filters, and the same views for the
presentation mode of the dashboard.

``build_content`` gathers what a meeting looks at (indicators, the map, category trends, training impact,
the budget plan, data notes) once; ``deck_bytes`` writes it as a .pptx whose charts are native PowerPoint
charts (editable, their numbers in the file) and whose map is a picture drawn with matplotlib, so it needs
no browser and no network. Every slide carries its source, the data date and the filters.

Command line, on the output of ``python -m analysis.ingest``::

    python -m analysis.report --data DIR --out deck.pptx [--kec Natar,Kalianda] [--anggaran 500000000]

Modules: content (what each view shows, gathered once: DeckContent), picture (the map drawn by
matplotlib), deck (the .pptx with native charts).
"""
from __future__ import annotations

from analysis.report.content import (
    BUDGET,
    DINAS,
    IMPACT,
    INDICATORS,
    MAP,
    MAP_KEY,
    NOTES,
    SLIDE_TITLES,
    TITLE,
    TREND_FREQ,
    TRENDS,
    DeckContent,
    budget_summary_lines,
    build_content,
    data_notes,
    impact_frame,
    indicator_rows,
    stamp,
    trend_data,
    trend_wide,
)
from analysis.report.deck import deck_bytes, write_deck
from analysis.report.picture import SCHEMATIC_LABEL, map_png

__all__ = [
    "BUDGET", "DINAS", "IMPACT", "INDICATORS", "MAP", "MAP_KEY", "NOTES", "SCHEMATIC_LABEL", "SLIDE_TITLES", "TITLE",
    "TREND_FREQ", "TRENDS", "DeckContent", "budget_summary_lines", "build_content", "data_notes", "deck_bytes",
    "impact_frame", "indicator_rows", "map_png", "stamp", "trend_data", "trend_wide", "write_deck",
]
