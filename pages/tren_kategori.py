"""Tren Kategori Produk: sales per product category by month, quarter or year under the shared filters,
growth against the same months a year earlier, the seasonal pattern beside the Lebaran months, the
products that carry each category and the kecamatan where it sells most, with an Excel download.
Everything is computed in analysis/insight/trends.py; this page only renders it."""
import streamlit as st

from analysis.core import excel
from analysis.core import formatting as fmt
from analysis.core import reference as ref
from analysis.insight import summary, trends
from analysis.output import charts
from ui import data, filters, navigation

KEY_FREQ, KEY_KIND, KEY_DOWNLOAD = "tren_frekuensi", "tren_jenis_grafik", "tren_unduh"
CHART_KINDS = {"garis": "Garis per kategori", "area": "Area bertumpuk (total dan komposisi)"}
CHART = {"displaylogo": False, "scrollZoom": False}
SALES_LABEL, N_LABEL = "Penjualan", "UMKM melapor"

navigation.ensure_router()  # a direct link must go through app.py
st.title("Tren Kategori Produk")
st.caption("Penjualan per kategori produk dari waktu ke waktu, pertumbuhan, pola musiman, produk dan kecamatan utama.")

tables = data.load_tables()
if tables is None:
    st.stop()
chosen = filters.current()

pilih_waktu, pilih_grafik = st.columns(2)
freq = pilih_waktu.radio("Satuan waktu", trends.FREQS, key=KEY_FREQ, horizontal=True,
                         format_func=trends.FREQ_LABELS.get)
kind = pilih_grafik.radio("Jenis grafik", list(CHART_KINDS), key=KEY_KIND, horizontal=True,
                          format_func=CHART_KINDS.get)
result = trends.analyse(tables, chosen, freq, coded=data.coded_sales())
st.caption(f"{summary.data_until_line(data.data_until())} · Filter: {chosen.describe()}")

draw = charts.lines_by_group if kind == "garis" else charts.stacked_area
trend_chart = draw(result.trend, trends.PERIODE, trends.PENJUALAN, trends.KATEGORI, x_text=trends.TICK,
                   hover={N_LABEL: trends.N_UMKM, "Bulan berdata": trends.BULAN_DATA}, x_label=None,
                   y_label=SALES_LABEL, formatter=fmt.rupiah_short, title=f"Penjualan per kategori per {trends.FREQ_LABELS[freq].lower()}")
if freq == "bulan":
    charts.mark_spans(trend_chart, result.lebaran_periods)
st.plotly_chart(trend_chart, config=CHART, key="tren_grafik")
if trends.incomplete_note(result.trend):
    st.caption(trends.incomplete_note(result.trend))

st.subheader("Pertumbuhan dibanding bulan yang sama tahun sebelumnya")
if result.growth.empty:
    st.info("Belum ada bulan yang dapat dibandingkan dengan bulan yang sama setahun sebelumnya.", icon=":material/info:")
else:
    st.dataframe(trends.growth_table(result.growth), hide_index=True, key="tren_pertumbuhan")
    st.caption("Hanya UMKM yang melapor pada bulan yang sama di kedua tahun yang dihitung, sehingga kenaikan bukan "
               "karena lebih banyak UMKM melapor. " + (trends.small_groups_note(result.growth) or ""))

st.subheader("Pola musiman")
if result.seasonality.empty:
    st.info("Pola musiman butuh setidaknya satu tahun lengkap (12 bulan) dalam periode terpilih.", icon=":material/info:")
else:
    season_chart = charts.lines_by_group(result.seasonality, trends.BULAN, trends.INDEKS, trends.KATEGORI,
                                         x_text=trends.NAMA_BULAN, hover={N_LABEL: trends.N_UMKM},
                                         y_label="Indeks (100 = bulan rata-rata)", height=380)
    charts.mark_level(charts.mark_spans(season_chart, trends.lebaran_spans(result.seasonality)), 100, "rata-rata")
    st.plotly_chart(season_chart, config=CHART, key="tren_musiman")
    st.caption(trends.SEASONALITY_NOTE)
    st.dataframe(trends.seasonality_table(result.seasonality), hide_index=True)
st.caption(trends.lebaran_line(result.lebaran))
st.dataframe(trends.lebaran_table(result.lebaran), hide_index=True, width="content")

produk, kecamatan = st.columns(2)
with produk:
    st.subheader("Produk terlaris per kategori")
    st.dataframe(trends.products_table(result.products), hide_index=True)
    st.caption("Produk dari laporan penjualan, atau produk utama di registri bila kosong. UMKM: yang melapor.")
with kecamatan:
    st.subheader("Kecamatan terbesar per kategori")
    st.dataframe(ref.with_kabupaten(trends.kecamatan_table(result.top_kecamatan)), hide_index=True)
    st.caption("Porsi: bagian dari penjualan kategori. Kecamatan dari registri UMKM; penjualan tanpa UMKM tertaut "
               "tidak dihitung di sini.")

st.download_button(
    "Unduh Excel", excel.workbook_bytes(trends.export_sheets(result, chosen, data.data_until())),
    file_name=f"tren_kategori_{freq}.xlsx", icon=":material/download:", on_click="ignore", key=KEY_DOWNLOAD,
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
