"""Ringkasan: the first screen an officer of the Dinas Koperasi dan UKM sees. How many UMKM there are,
how many people they employ, how much they sell, how formalised they are (NIB, PIRT, halal), how far
they sell and how many took part in training, with the UMKM count per kecamatan and the data-quality
counts from the ingest so nobody has to guess how many rows were dropped."""
import streamlit as st

from analysis import charts, metrics
from analysis import formatting as fmt
from analysis.schemas import Producers
from ui import data

st.title("Ringkasan")
st.caption("Gambaran umum UMKM binaan Dinas Koperasi dan UKM Kabupaten Lampung Selatan.")

tables = data.filtered_tables()
if tables is None:
    st.stop()

angka = metrics.headline(tables.producers, tables.sales, tables.trainings, tables.participants)

baris1 = st.columns(4)
baris1[0].metric("Jumlah UMKM", fmt.number(angka["jumlah_umkm"]))
baris1[1].metric("Tenaga kerja", fmt.number(angka["tenaga_kerja"]), help="Jumlah tenaga kerja yang tercatat.")
baris1[2].metric(
    "Total omzet tahunan",
    fmt.rupiah_short(angka["omzet_tahunan_rp"]),
    help=f"{fmt.rupiah(angka['omzet_tahunan_rp'])} per tahun, dari data pelaku UMKM.",
)
baris1[3].metric(
    f"Penjualan {fmt.month_label(angka['bulan_terakhir'])}",
    fmt.rupiah_short(angka["penjualan_bulan_terakhir"]),
    help="Total penjualan pada bulan terakhir dalam laporan penjualan.",
)

baris2 = st.columns(4)
baris2[0].metric(
    "Pernah ikut pelatihan",
    fmt.percent(angka["porsi_terlatih"]),
    help=f"{fmt.number(angka['jumlah_pelatihan'])} kegiatan, {fmt.number(angka['jumlah_peserta'])} peserta.",
)
baris2[1].metric("Memiliki NIB", fmt.percent(angka["porsi_nib"]))
baris2[2].metric("Memiliki PIRT", fmt.percent(angka["porsi_pirt"]))
baris2[3].metric("Bersertifikat halal", fmt.percent(angka["porsi_halal"]))

baris3 = st.columns(len(angka["porsi_skala"]) + 1)
for kolom, (skala, porsi) in zip(baris3, angka["porsi_skala"].items()):
    kolom.metric(f"Skala {skala}", fmt.percent(porsi))
baris3[-1].metric(
    "Pasar di luar kabupaten",
    fmt.percent(angka["porsi_luar_kabupaten"]),
    help="Jangkauan pasar provinsi, nasional, atau ekspor.",
)
st.caption("Persentase dihitung dari seluruh UMKM terdaftar; yang tidak tercatat dihitung belum memiliki.")

st.caption(f"Kualitas data: {fmt.ingest_totals_line(data.ingest_totals())}")

st.subheader("UMKM per kecamatan")
st.plotly_chart(
    charts.bar(
        metrics.producers_per_kecamatan(tables.producers),
        category=Producers.kecamatan,
        value=metrics.JUMLAH_UMKM,
        category_label="Kecamatan",
        value_label="Jumlah UMKM",
    ),
    config={"displaylogo": False},
)
