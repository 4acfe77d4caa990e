"""The PowerPoint and PDF buttons in the sidebar of every page: the deck and the laporan for the current
filters, the budget plan last set on Prioritas Anggaran and the targets in force. Each file is built only
when its button is clicked (Streamlit calls the builder then), so no page pays for it on every rerun; both
come from one cached content (ui.data._content_builder), so they agree."""
from __future__ import annotations

import streamlit as st

from ui import data, plan

KEY = "unduh_pptx"
KEY_PDF = "unduh_pdf"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PDF_MIME = "application/pdf"


def sidebar_button() -> None:
    params = plan.current(data.budget_default_costs())
    with st.sidebar:
        st.download_button(
            "Unduh PowerPoint", data.deck_builder(params),
            file_name="bahan_rapat_umkm.pptx", mime=PPTX_MIME, icon=":material/slideshow:", on_click="ignore",
            key=KEY, width="stretch",
            help="Bahan rapat (7 slide) untuk filter yang aktif: indikator, peta, tren kategori, dampak pelatihan, "
                 "prioritas anggaran, catatan data. Grafik dapat diedit di PowerPoint.",
        )
        st.download_button(
            "Unduh laporan PDF", data.pdf_builder(params),
            file_name="laporan_umkm.pdf", mime=PDF_MIME, icon=":material/picture_as_pdf:", on_click="ignore",
            key=KEY_PDF, width="stretch",
            help="Laporan A4 untuk filter yang aktif: indikator, capaian target, peta kecamatan, tren kategori, "
                 "dampak pelatihan, rencana anggaran, kualitas data. Siap dicetak dan dikirim.",
        )
