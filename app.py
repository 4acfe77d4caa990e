"""Dasbor UMKM (of the region in the settings, Lampung Selatan by default): the router. It only sets the
page up, lists the pages and says which data is shown; every page is a short script in pages/ (the list
lives in ui/navigation.py)."""
import streamlit as st

from analysis.core import settings, wilayah
from analysis.core.paths import ROOT
from ui import auth, data, deck, filters, navigation, printing, style

navigation.ensure_router()

try:
    region, problem = wilayah.apply_stored(), None  # UMKM_WILAYAH, else the region chosen on Kelola Data
except settings.SettingsError as error:  # a bad environment variable: said below, once the page is set up
    region, problem = None, error

st.set_page_config(
    page_title=f"Dasbor UMKM {region.short}" if region is not None else "Dasbor UMKM",
    layout="wide",
    # A local image: a :material/...: page icon makes the browser fetch the favicon from Google's font
    # servers, which fails offline.
    page_icon=str(ROOT / "assets" / "favicon.png"),
)

if problem is not None:  # a bad environment variable: say which, run nothing else
    st.error(f"Pengaturan tidak dapat dipakai: {problem}", icon=":material/error:")
    st.stop()

style.inject()
page = navigation.navigation()
printing.inject()  # Ctrl+P gives a readable A4 page: no sidebar, no cut charts
navigation.open_linked_profile(page)  # ./?umkm=<kode>: the directory page shows that producer
auth.sidebar()  # stops here, with a login form, when accounts exist and nobody is logged in
filters.sidebar(data.available_months(), data.source_options())
with st.sidebar:
    st.caption(data.source_caption())
deck.sidebar_button()
page.run()
