"""The list of pages, in one place: app.py builds the navigation from it and tests/test_pages.py
smoke-runs every entry, so a new page is covered by adding one line here."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.pages_manager import PagesManager


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to the project root
    title: str  # also the page's st.title, which the page test checks
    icon: str  # a :material/...: icon; emoji render as boxes on machines without emoji fonts


SECTIONS: dict[str, tuple[PageSpec, ...]] = {
    "Ikhtisar": (
        PageSpec("pages/ringkasan.py", "Ringkasan", ":material/dashboard:"),
        PageSpec("pages/target_realisasi.py", "Target & Realisasi", ":material/flag:"),
    ),
    "Direktori": (PageSpec("pages/direktori.py", "Direktori UMKM", ":material/storefront:"),),
    "Wilayah": (PageSpec("pages/peta_kecamatan.py", "Peta Kecamatan", ":material/map:"),),
    "Analisis": (
        PageSpec("pages/tren_kategori.py", "Tren Kategori Produk", ":material/trending_up:"),
        PageSpec("pages/dampak_pelatihan.py", "Dampak Pelatihan", ":material/school:"),
    ),
    "Perencanaan": (
        PageSpec("pages/prioritas_anggaran.py", "Prioritas Anggaran", ":material/account_balance_wallet:"),
        PageSpec("pages/presentasi.py", "Mode Presentasi", ":material/co_present:"),
    ),
    "Data": (PageSpec("pages/kelola_data.py", "Kelola Data", ":material/upload_file:"),),
}

PAGES: tuple[PageSpec, ...] = tuple(spec for specs in SECTIONS.values() for spec in specs)


def ensure_router() -> None:
    """Make sure app.py routes this run, not Streamlit's old pages/ folder mode.

    A fresh Streamlit process that sees a pages/ folder runs its first session in the old multipage mode:
    a link straight to /peta_kecamatan then runs that page alone, without app.py's navigation, sidebar
    filters and page settings. Called first in app.py and in every page, this switches the process to
    st.navigation mode and reruns, so the same link opens the page through the router."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


DIRECTORY_PAGE = "pages/direktori.py"
PROFILE_PARAM = "umkm"  # analysis.insight.directory.Q_UMKM: ?umkm=<kode> is one producer's profile


def open_linked_profile(page: StreamlitPage) -> None:
    """A profile link (``./?umkm=<kode>``, from a table or sent by someone) opens the directory page with it.

    Links point at the app's root, not at /direktori: a browser that opens a page's own path first asks
    that path for the server's health and settings (two 404s in its console) before Streamlit finds the
    root; the root loads clean, and the switch here keeps every parameter of the link."""
    if PROFILE_PARAM in st.query_params and page.url_path != Path(DIRECTORY_PAGE).stem:
        st.switch_page(DIRECTORY_PAGE, query_params=st.query_params.to_dict())


def navigation() -> StreamlitPage:
    """st.navigation over SECTIONS (the first page is the default); returns the page to run."""
    default = PAGES[0]
    return st.navigation(
        {
            section: [
                st.Page(spec.path, title=spec.title, icon=spec.icon, default=spec == default)
                for spec in specs
            ]
            for section, specs in SECTIONS.items()
        }
    )
