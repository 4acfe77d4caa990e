"""Direktori UMKM: find a producer by name, owner, product, desa or code, narrow the list with the sidebar
filters and the directory's own (desa, legality, market reach, online, trainings attended), sort it,
page through it and export the whole result to Excel for invitations and visits. A row's link opens
the producer's profile (``?umkm=<kode>``, also reached from Prioritas Anggaran and from a shared link):
its record, monthly sales with the trainings attended and the median of its peers, legality and market,
and every source row it came from. NIK and phone are masked unless the role is admin data; the public
view shows neither list nor profile. Every input is in the URL, so a search can be sent as a link."""
import streamlit as st

from analysis.core import formatting as fmt
from analysis.core import reference as ref
from analysis.insight import directory as dirx
from analysis.insight import producer, summary
from analysis.output import charts
from ui import auth, data, directory, filters, navigation

CHART = {"displaylogo": False, "scrollZoom": False}
TITLE, PROFILE_TITLE = "Direktori UMKM", "Profil UMKM"

navigation.ensure_router()  # a direct link must go through app.py
auth.gate()
allowed = auth.permissions()
umkm_id = directory.profile_id()
st.title(PROFILE_TITLE if umkm_id else TITLE)
if not allowed.see_records:
    st.info("Tampilan publik: direktori dan profil UMKM tidak ditampilkan (hanya angka agregat di halaman lain).",
            icon=":material/visibility_off:")
    st.stop()
if data.load_tables() is None:
    st.stop()
chosen = filters.current()


def show_profile(umkm_id: str) -> None:
    st.button("Kembali ke direktori", key=directory.KEY_BACK, icon=":material/arrow_back:",
              on_click=directory.close_profile)
    view = data.producer_profile(umkm_id)
    if view is None:
        st.warning(f"UMKM dengan kode {umkm_id} tidak ada di data yang sedang ditampilkan (kode salah, atau tautan "
                   "dari data lain).", icon=":material/search_off:")
        return
    st.header(view.name, anchor=False)
    st.caption(f"{view.subtitle} · {view.umkm_id}")
    for column, card in zip(st.columns(len(view.cards)), view.cards):
        column.metric(card.label, card.value, help=card.help, border=True)

    st.subheader("Penjualan bulanan dan pelatihan", anchor=False)
    st.plotly_chart(charts.sales_with_events(view.monthly, producer.BULAN, producer.NILAI, view.events,
                                             producer.TANGGAL, producer.LABEL, reference=producer.MEDIAN,
                                             reference_n=producer.N_SEJENIS),
                    config=CHART, key="profil_penjualan")
    st.caption(f"Garis putus-putus emas dan segitiga: pelatihan yang diikuti (arahkan kursor untuk namanya). "
               f"Bulan tanpa laporan dibiarkan kosong. {view.peers_note}")

    st.subheader("Sejak pelatihan", anchor=False)
    if view.since_training.empty:
        st.caption("UMKM ini belum tercatat hadir di pelatihan yang bertanggal.")
    else:
        st.dataframe(view.since_training, hide_index=True)
        st.caption(f"Rata-rata penjualan per bulan yang dilaporkan, {producer.BEFORE_MONTHS} bulan sebelum pelatihan "
                   f"pertama tiap jenis dan {producer.AFTER_MONTHS} bulan sesudah selesai, dibanding median UMKM sejenis "
                   "pada bulan yang sama. Satu UMKM bukan ukuran dampak pelatihan (musim, harga dan kejadian lain "
                   "ikut berperan): perkiraan dengan selang kepercayaan ada di halaman Dampak Pelatihan.")

    st.subheader("Dibanding UMKM sejenis", anchor=False)
    st.dataframe(view.comparison, hide_index=True)
    st.caption(f"Pembanding: {view.peers} ({fmt.number(view.n_peers)} UMKM); n = yang datanya tercatat.")

    left, right = st.columns(2)
    with left:
        st.subheader("Data usaha", anchor=False)
        st.dataframe(view.identity, hide_index=True)
        st.caption("NIK dan nomor HP ditampilkan lengkap (admin data)." if allowed.see_personal
                   else "NIK dan nomor HP disamarkan.")
    with right:
        st.subheader("Legalitas dan pasar", anchor=False)
        st.dataframe(view.legality, hide_index=True)
        st.subheader("Pelatihan yang diikuti", anchor=False)
        if view.trainings.empty:
            st.caption("Belum tercatat sebagai peserta pelatihan.")
        else:
            st.dataframe(view.trainings, hide_index=True)

    st.subheader("Asal data", anchor=False)
    st.markdown("**Baris registri** (baris pertama dipakai; duplikat yang digabung hanya mengisi yang kosong)")
    st.dataframe(view.registry_rows, hide_index=True)
    st.markdown("**Laporan penjualan**")
    if view.sales_sources.empty:
        st.caption("Tidak ada baris laporan penjualan yang tertaut ke UMKM ini.")
    else:
        st.dataframe(view.sales_sources, hide_index=True)
    if not view.attendance_sources.empty:
        st.markdown("**Daftar hadir pelatihan**")
        st.dataframe(view.attendance_sources, hide_index=True)
    if not view.near.empty:
        st.markdown("**Mungkin UMKM yang sama (belum digabung, perlu diperiksa)**")
        table, config = directory.with_links(view.near, dirx.COL_ID)
        st.dataframe(table, column_config=config, hide_index=True)


if umkm_id:
    show_profile(umkm_id)
    st.stop()

st.caption("Cari satu UMKM, siapkan undangan atau kunjungan, dan buka profilnya.")
query = directory.inputs()
selection = data.directory_selection(query)
if selection is None:
    st.stop()
st.markdown(f"**{dirx.counts_line(selection)}**")
st.caption(f"{summary.data_until_line(data.data_until())} · Filter samping: {chosen.describe()} · "
           f"Direktori: {query.describe()}")
page = directory.pager(selection)
table, config = directory.with_links(ref.with_kabupaten(dirx.display_table(data.directory_rows(selection, page))),
                                     dirx.COL_ID)
st.dataframe(table, column_config=config, hide_index=True)
st.caption(f"{dirx.page_line(selection, page)}. Penjualan: dalam periode di panel samping; pelatihan: sampai akhir "
           f"periode. {fmt.MISSING} = tidak tercatat (untuk NIB, PIRT, halal dan online: tidak diketahui, bukan "
           "tidak). " + ("NIK dan nomor HP ditampilkan lengkap (admin data)." if allowed.see_personal
                         else "NIK dan nomor HP disamarkan."))
st.download_button(
    f"Unduh Excel ({fmt.number(selection.n_match)} UMKM)", data.directory_workbook(selection, directory.current_link()),
    file_name="direktori_umkm.xlsx", icon=":material/download:", on_click="ignore", key=directory.KEY_DOWNLOAD,
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", disabled=not selection.n_match,
)
