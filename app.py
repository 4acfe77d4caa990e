"""Dasbor UMKM Lampung Selatan: the router. It only sets the page up, lists the pages and says which
data is shown; every page is a short script in pages/ (the list lives in ui/navigation.py)."""
import streamlit as st

from ui import data, navigation

st.set_page_config(
    page_title="Dasbor UMKM Lampung Selatan",
    layout="wide",
    page_icon=":material/storefront:",
)

page = navigation.navigation()
with st.sidebar:
    st.caption(data.source_caption())
page.run()
