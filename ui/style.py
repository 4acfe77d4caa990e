"""Page-wide style: the texts Streamlit's own widgets write in English, said in Indonesian.

Streamlit has no setting for the language of its widgets. The file uploader writes "Upload" on its
button and "50MB per file • XLSX, XLS, CSV" under it; those texts are hidden here and the Indonesian
ones drawn in their place (CSS generated content: the widget keeps working exactly as before). The
multiselects turn off their English "Select all" option themselves (select_all=False).
"""
from __future__ import annotations

import streamlit as st

from analysis.ingest import readers


def uploader_css(max_mb: int) -> str:
    return f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after {{ content: "Pilih berkas"; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ display: none; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{
  content: "Seret berkas ke sini, paling besar {max_mb} MB per berkas";
  font-size: 0.875rem;
}}
</style>"""


def inject() -> None:
    """Add the page-wide style to this run's page (once per run, from app.py)."""
    st.html(uploader_css(readers.MAX_FILE_BYTES // (1024 * 1024)))
