"""A print stylesheet, injected once per run by app.py: a page printed from the browser (Ctrl+P) is
readable on A4 portrait. The sidebar, the toolbar and the header are hidden, margins are set for A4,
charts, tables and metric cards are not broken across pages, and headings stay with what follows.

The page is laid out at a zoom of 62% when printed: the printable width of A4 (about 180 mm, 680 CSS
pixels) then holds the 1.100 pixels the main column has on an office screen, so a chart drawn for the
screen fits the paper instead of being cut at its right edge (a drawn chart does not redraw itself for
printing)."""
from __future__ import annotations

import streamlit as st

PRINT_ZOOM = 0.62
PRINT_CSS = f"""
<style>
@media print {{
  @page {{ size: A4 portrait; margin: 12mm 12mm 14mm 12mm; }}
  html {{ zoom: {PRINT_ZOOM}; }}
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stBottom"], [data-testid="stDownloadButton"], [data-testid="stBaseButton-primary"],
  .stDownloadButton, .stButton, iframe[title="streamlit_app"] {{ display: none !important; }}
  [data-testid="stAppViewContainer"], [data-testid="stMain"], .stApp {{
    overflow: visible !important; position: static !important; height: auto !important; background: white !important;
  }}
  [data-testid="stMain"] {{ margin-left: 0 !important; width: 100% !important; }}
  [data-testid="stMainBlockContainer"], .block-container {{
    max-width: 100% !important; padding: 0 !important; margin: 0 !important;
  }}
  [data-testid="stPlotlyChart"], .js-plotly-plot, [data-testid="stDataFrame"], [data-testid="stTable"],
  [data-testid="stMetric"], [data-testid="stImage"], [data-testid="stAlert"], [data-testid="stExpander"] {{
    break-inside: avoid; page-break-inside: avoid;
  }}
  h1, h2, h3, h4, h5 {{ break-after: avoid; page-break-after: avoid; }}
  [data-testid="stVerticalBlock"], [data-testid="stHorizontalBlock"] {{ overflow: visible !important; }}
}}
</style>
"""


def inject() -> None:
    """Add the print stylesheet to this page (no space taken on screen)."""
    st.html(PRINT_CSS)
