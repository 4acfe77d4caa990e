"""Ringkasan: the first screen an officer of the Dinas Koperasi dan UKM sees. Indicator cards (size,
formality, markets, training, sales) with their change against the previous period, each a click from
its definition; how recent the data is and how many rows the ingest kept or dropped; a small map of
UMKM per kecamatan and the leading categories. Every number comes from analysis/ already formatted."""
import streamlit as st

from analysis.core import formatting as fmt
from analysis.core import wilayah
from analysis.core.schemas import Producers
from analysis.insight import indicators as ind
from analysis.insight import profile, summary
from analysis.output import charts, maps
from ui import data, filters, navigation

CARDS_PER_ROW = 4  # at most: rupiah values such as "Rp 640,6 M" need a quarter of the width
MAP_KEY = "jumlah_umkm"  # the indicator of the small map

navigation.ensure_router()  # a direct link must go through app.py
st.title("Ringkasan")
st.caption(f"Gambaran umum UMKM binaan Dinas Koperasi dan UKM {wilayah.region().nama}.")

tables = data.load_tables()
if tables is None:
    st.stop()
chosen = filters.current()
months = data.available_months()
coded = data.coded_sales()

st.caption(f"{summary.data_until_line(data.data_until())} · {summary.period_note(chosen, months)}")

for group, group_cards in summary.cards(tables, chosen, months, coded=coded).items():
    st.markdown(f"##### {group}")
    for row in summary.card_rows(group_cards, CARDS_PER_ROW):
        for column, card in zip(st.columns(len(row)), row):
            with column.container(border=True):
                st.metric(card.label, card.value, card.delta, help=card.help, delta_description=card.delta_description)
                if card.basis:
                    st.caption(card.basis)

per_kecamatan = ind.compute(tables, chosen, by_kecamatan=True, coded=coded)
st.caption(summary.n_umkm_line(int(per_kecamatan[ind.N_UMKM].sum()), chosen))
st.caption(f"Kualitas data: {fmt.ingest_totals_line(data.ingest_totals())}")
with st.expander("Definisi indikator", icon=":material/help:"):
    st.dataframe(ind.definitions_table(), hide_index=True)

# Half the width for the map: the schematic tiles carry their names, which need about 55 px a tile.
peta, kategori = st.columns(2)
with peta:
    st.subheader("UMKM per kecamatan")
    shapes = data.map_shapes()
    st.plotly_chart(maps.indicator_figure(per_kecamatan, MAP_KEY, shapes, height=440, width_hint=440),
                    config={"displaylogo": False, "scrollZoom": False}, key="ringkasan_peta")
    if shapes.note:
        st.caption(shapes.note)
    st.page_link("pages/peta_kecamatan.py", label="Buka Peta Kecamatan", icon=":material/map:")
with kategori:
    st.subheader("Kategori teratas")
    categories = data.category_summary()
    by_count, by_sales = st.tabs(["Menurut jumlah UMKM", "Menurut penjualan dalam periode"])
    by_count.plotly_chart(charts.bar(profile.top(categories, profile.JUMLAH_UMKM), Producers.kategori,
                                     profile.JUMLAH_UMKM, category_label="Kategori", value_label="Jumlah UMKM"),
                          config={"displaylogo": False}, key="ringkasan_kategori_umkm")
    by_sales.plotly_chart(charts.bar(profile.top(categories, profile.PENJUALAN), Producers.kategori,
                                     profile.PENJUALAN, category_label="Kategori", value_label="Penjualan",
                                     formatter=fmt.rupiah_short),
                          config={"displaylogo": False}, key="ringkasan_kategori_penjualan")
