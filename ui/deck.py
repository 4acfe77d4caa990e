"""The PowerPoint button in the sidebar of every page: the deck for the current filters and the budget
plan last set on Prioritas Anggaran. The deck is built only when the button is clicked (Streamlit calls
the builder then), so no page pays for it on every rerun."""
from __future__ import annotations

import streamlit as st

from ui import data, plan

KEY = "unduh_pptx"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def sidebar_button() -> None:
    with st.sidebar:
        st.download_button(
            "Unduh PowerPoint", data.deck_builder(plan.current(data.budget_default_costs())),
            file_name="bahan_rapat_umkm.pptx", mime=PPTX_MIME, icon=":material/slideshow:", on_click="ignore",
            key=KEY, width="stretch",
            help="Bahan rapat (7 slide) untuk filter yang aktif: indikator, peta, tren kategori, dampak pelatihan, "
                 "prioritas anggaran, catatan data. Grafik dapat diedit di PowerPoint.",
        )
