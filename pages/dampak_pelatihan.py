"""Dampak Pelatihan: did participants' sales grow more than those of similar UMKM not (yet) trained? Per
training type: the event-study chart with its 95% band, the effect with its interval and counts, the
verdict (a warning when the checks fail), a comparison of all types, the events with their cost per
participant, how far the trainings reach per kecamatan, the method, and an Excel download.

The estimate follows the kecamatan, kategori and skala filters but not the period (see
ui.data.impact_scope); the page says so."""
import streamlit as st

from analysis import impact
from analysis.core import excel
from analysis.core import formatting as fmt
from analysis.insight import summary, training
from analysis.output import charts
from ui import data, navigation

KEY_JENIS, KEY_DOWNLOAD, KEY_CHART, KEY_COVERAGE = "dampak_jenis", "dampak_unduh", "dampak_grafik", "dampak_jangkauan"
QUERY_JENIS = "jenis"  # in the URL, so a shared link reopens the same training type
DEFAULT_JENIS = "Pemasaran"  # the budget question at hand: more Pemasaran, less Kelembagaan
N_BOOT, SEED = impact.DEFAULT_BOOT, impact.DEFAULT_SEED  # ~0.4 s on the demo data, cached afterwards
CHART = {"displaylogo": False, "scrollZoom": False}

navigation.ensure_router()  # a direct link must go through app.py
st.title("Dampak Pelatihan")
st.caption("Apakah penjualan peserta naik lebih dari UMKM serupa yang belum ikut? Perkiraan per jenis pelatihan, "
           "selalu dengan selang kepercayaan 95%.")

tables, scoped = data.load_tables(), data.impact_tables()
results = data.impact_results(N_BOOT, SEED)
if tables is None or scoped is None or results is None:
    st.stop()
if not results:
    st.info("Belum ada pelatihan tercatat untuk pilihan filter ini.", icon=":material/info:")
    st.stop()
scope = data.impact_scope()
by_jenis = {r.jenis: r for r in results}
if KEY_JENIS not in st.session_state:
    linked = st.query_params.get(QUERY_JENIS)
    st.session_state[KEY_JENIS] = next(j for j in (linked, DEFAULT_JENIS, results[0].jenis) if j in by_jenis)
jenis = st.selectbox("Jenis pelatihan", list(by_jenis), key=KEY_JENIS)
st.query_params[QUERY_JENIS] = jenis
result = by_jenis[jenis]
stamp = f"{summary.data_until_line(data.data_until())} · Filter: {scope.describe()}"

grafik, angka = st.columns([3, 2])
with grafik:
    figure = charts.event_study(training.per_month(result), impact.BULAN_RELATIF, impact.EFEK_PERSEN, impact.CI_BAWAH,
                                impact.CI_ATAS, impact.N_OBS,
                                title=f"Pelatihan {jenis}: penjualan peserta dibanding pembanding")
    st.plotly_chart(figure, config=CHART, key=KEY_CHART)
    st.caption(f"Bulan 0 = bulan penuh pertama setelah pelatihan selesai. Pita = selang kepercayaan 95%. {stamp}")
with angka:
    card = training.effect_card(result)
    st.metric(card.label, card.value, help=card.help)
    kiri, kanan = st.columns(2)
    kiri.metric("Peserta diukur", fmt.number(result.n_peserta),
                help="Peserta yang tertaut ke registri dan punya laporan penjualan sebelum dan sesudah pelatihan.")
    kanan.metric("UMKM pembanding", fmt.number(result.n_pembanding),
                 help="UMKM kategori yang sama yang belum ikut pelatihan jenis ini pada bulan-bulan yang sama.")
    if result.peringatan:
        st.warning(impact.verdict(result) + "\n\n" + "\n\n".join(result.peringatan), icon=":material/warning:")
    else:
        st.info(impact.verdict(result), icon=":material/lightbulb:")
    st.caption(training.SCOPE_NOTE)

events = training.events_frame(tables.trainings, tables.participants,
                               scoped.producers if scope.selects_producers else None)
st.subheader("Semua jenis pelatihan")
st.table(training.effects_display(results, events), hide_index=True)  # a table wraps the Kesimpulan text
st.caption("Biaya per peserta = biaya semua kegiatan jenis itu ÷ semua peserta di daftar hadirnya.")

st.subheader("Kegiatan pelatihan")
st.dataframe(training.events_display(events), hide_index=True)
st.caption("Peserta tertaut = peserta di daftar hadir yang dikenali di registri UMKM; hanya mereka yang dapat diukur. "
           "Biaya per peserta = biaya ÷ semua peserta di daftar hadir.")

st.subheader(f"Jangkauan pelatihan {jenis} per kecamatan")
reach = training.coverage(scoped.producers, scoped.trainings, scoped.participants, jenis)
st.plotly_chart(charts.bar(reach, training.KECAMATAN, training.PERSEN_TERLATIH, category_label="Kecamatan",
                           value_label=f"UMKM yang pernah ikut pelatihan {jenis} (%)",
                           formatter=lambda v: fmt.number(v, 1) + "%"), config=CHART, key=KEY_COVERAGE)
st.caption(f"Persen UMKM terdaftar di tiap kecamatan yang pernah ikut pelatihan {jenis} (peserta tertaut). {stamp}")

st.subheader("Metode")
st.markdown(training.method_text(N_BOOT))

st.download_button(
    "Unduh Excel",
    excel.workbook_bytes(training.export_sheets(results, events, scope, data.data_until(), n_boot=N_BOOT, seed=SEED)),
    file_name="dampak_pelatihan.xlsx", icon=":material/download:", on_click="ignore", key=KEY_DOWNLOAD,
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
