"""Kelola Data: the data admin brings the office's own spreadsheets. Upload several files, read the
preview (what each file and sheet was read as, what happened to every row and why, unmatched kecamatan,
near-duplicate producers, the rejected rows to download, and column mappings to correct), then
*Terapkan* makes it the active data in one step; every applied version stays and one click makes an
earlier one active again. Everyone else sees which data is active and its history, never rows."""
import streamlit as st

from analysis.core import formatting as fmt
from analysis.core import reference as ref
from analysis.core import wilayah
from analysis.ingest import readers
from analysis.office import review, store
from ui import auth, data, navigation

KEY_UPLOAD, KEY_MODE, KEY_READ = "kelola_unggah", "kelola_cara", "kelola_baca"
KEY_APPLY, KEY_INCLUDE_FAILED, KEY_DISCARD = "kelola_terapkan", "kelola_tanpa_gagal", "kelola_batal"
KEY_SHEET, KEY_KIND, KEY_EDITOR, KEY_SAVE_MAP = "kelola_lembar", "kelola_jenis", "kelola_pemetaan", "kelola_simpan_pemetaan"
KEY_VERSION, KEY_ROLLBACK = "kelola_versi", "kelola_kembalikan"
KEY_REGION, KEY_SAVE_REGION = "kelola_wilayah", "kelola_simpan_wilayah"
_PREVIEW, _OUTCOME, _READ_REQUESTED = "kelola_pratinjau", "kelola_hasil", "kelola_baca_diminta"
_REREAD_REQUESTED = "kelola_baca_ulang_diminta"
MAX_UPLOAD_MB = readers.MAX_FILE_BYTES // (1024 * 1024)
FIRST_ADMIN = 'python -m analysis.users add NAMA --role "admin data"'


# Actions run as button callbacks: before the script, so a rerun at its start cannot swallow a click.
def _apply(include_failed: bool) -> None:
    try:
        version = data.apply_preview(st.session_state[_PREVIEW], include_failed)
    except store.ApplyRefused as error:
        st.session_state[_OUTCOME] = (False, str(error))
    else:
        st.session_state.pop(_PREVIEW, None)
        st.session_state[_OUTCOME] = (True, f"Versi {review.version_label(version)} diterapkan dan menjadi data aktif.")


def _save_region() -> None:
    try:
        region = wilayah.save_code(st.session_state[KEY_REGION])
    except wilayah.settings.SettingsError as error:
        st.session_state[_OUTCOME] = (False, str(error))
    else:
        st.cache_data.clear()  # every number, name and map follows the region: read the data again under it
        st.session_state[_OUTCOME] = (True, f"Wilayah kantor sekarang {region.nama} (kode {region.kode}).")


def _discard() -> None:
    data.store().discard(st.session_state.pop(_PREVIEW))


def _rollback() -> None:
    version = st.session_state[KEY_VERSION]
    try:
        data.rollback_to(version)
    except store.ApplyRefused as error:
        st.session_state[_OUTCOME] = (False, str(error))
    else:
        st.session_state[_OUTCOME] = (True, f"Versi {review.version_label(version)} kembali menjadi data aktif.")


def _save_mapping(entry: dict, table) -> None:
    kind = st.session_state[KEY_KIND]
    data.save_mapping(entry, kind if kind != entry["kind"] else None,
                      review.mapping_edits(table, st.session_state[KEY_EDITOR]))
    st.session_state[_REREAD_REQUESTED] = True  # read again below, with the progress bar


navigation.ensure_router()  # a direct link must go through app.py
auth.gate()  # app.py stops before any page without a login; this page checks again
st.title("Kelola Data")
st.caption("Unggah spreadsheet kantor, periksa hasil pembacaannya, terapkan, atau kembali ke versi sebelumnya.")

outcome = st.session_state.pop(_OUTCOME, None)
if outcome is not None:
    ok, text = outcome
    (st.success if ok else st.error)(text, icon=":material/check_circle:" if ok else ":material/error:")

source = data.active_source()
st.markdown(f"**Data yang ditampilkan sekarang:** {source.label}")
allowed = auth.permissions().manage_data
if not allowed:
    if not auth.accounts_exist():
        st.info("Belum ada akun, jadi dasbor terbuka tanpa login dengan data pribadi tersamar, dan tidak ada yang "
                "dapat mengunggah. Buat akun admin data pertama di komputer ini, lalu masuk lewat panel samping:\n\n"
                f"`{FIRST_ADMIN}`", icon=":material/admin_panel_settings:")
    else:
        st.info("Hanya akun dengan peran admin data yang dapat mengunggah, menerapkan, dan mengembalikan versi data.",
                icon=":material/lock:")

if allowed:
    st.subheader("Wilayah kantor")
    current = wilayah.region()
    st.caption(f"Sekarang: {current.nama}, {len(ref.kecamatan_names())} kecamatan. Kecamatan dan desa dikenali, "
               "peta digambar, dan judul ditulis untuk wilayah ini.")
    if wilayah.chosen_by_environment():
        st.caption("Wilayah diatur oleh variabel UMKM_WILAYAH saat dasbor dijalankan; ubah variabel itu untuk menggantinya.")
    else:
        st.text_input("Kode wilayah kabupaten/kota atau provinsi", value=current.kode, key=KEY_REGION,
                      help="Contoh: 18.01 Kabupaten Lampung Selatan, 64.71 Kota Balikpapan, 18 Provinsi Lampung.")
        st.button("Simpan wilayah", key=KEY_SAVE_REGION, on_click=_save_region, icon=":material/save:")
    st.subheader("Unggah berkas")
    uploads = st.file_uploader(
        "Spreadsheet (.xlsx, .xls, .csv), boleh beberapa sekaligus", type=["xlsx", "xls", "csv"],
        accept_multiple_files=True, key=KEY_UPLOAD, max_upload_size=MAX_UPLOAD_MB,
        help=f"Data pelaku UMKM, laporan penjualan, daftar hadir pelatihan. Paling besar {MAX_UPLOAD_MB} MB per berkas.",
    )
    has_office_data = data.store().active_id() is not None
    mode = st.radio("Cara menerapkan", store.MODES, key=KEY_MODE, horizontal=True,
                    format_func={store.MODE_ADD: "Tambahkan ke data aktif (berkas bernama sama diganti)" if has_office_data
                                 else "Jadikan data kantor pertama (data demo tidak ikut)",
                                 store.MODE_REPLACE: "Ganti seluruh data aktif"}.get)
    # The click only leaves a request (a callback, so no rerun can swallow it); the files are read here,
    # where the progress bar belongs.
    st.button("Baca dan tampilkan pratinjau", key=KEY_READ, icon=":material/preview:", disabled=not uploads,
              on_click=st.session_state.__setitem__, args=(_READ_REQUESTED, True))
    if st.session_state.pop(_READ_REQUESTED, False) and uploads:
        old_preview = st.session_state.pop(_PREVIEW, None)
        if old_preview is not None:
            data.store().discard(old_preview)
        st.session_state[_PREVIEW] = data.preview_uploads(uploads, mode)
    if st.session_state.pop(_REREAD_REQUESTED, False) and st.session_state.get(_PREVIEW) is not None:
        st.session_state[_PREVIEW] = data.reread_preview(st.session_state[_PREVIEW])

preview = st.session_state.get(_PREVIEW) if allowed else None
if preview is not None:
    st.subheader("Pratinjau (belum diterapkan)")
    for note in preview.notes:
        st.warning(note, icon=":material/warning:")
    for failed in preview.failed_files:
        st.error(f"**{failed['path']}**: {failed['message']}", icon=":material/error:")
    with st.expander(f"Berkas dalam pratinjau ({len(preview.files)})", icon=":material/folder_open:"):
        st.dataframe(review.files_table(preview.files), hide_index=True)
    result = preview.result
    before, after = data.active_summary(), review.DataSummary.of("", result)
    st.markdown("**Isi data aktif sebelum dan sesudah diterapkan**")
    st.dataframe(review.change_table(before, after), hide_index=True)
    for line in review.change_notes(preview, before, after):
        st.info(line, icon=":material/compare_arrows:")
    if result is not None:
        cards = st.columns(len(review.COUNTS))
        for card, (label, value) in zip(cards, review.totals(result).items()):
            card.metric(label, fmt.number(value))
        st.caption(review.balanced_sentence(result))
        st.dataframe(review.sheet_table(result), hide_index=True)
        alasan, kecamatan, mirip, pemetaan = st.tabs(
            ["Alasan", "Kecamatan tak dikenal", "Duplikat mirip", "Pemetaan kolom"])
        with alasan:
            st.dataframe(review.reasons_table(result), hide_index=True)
            st.download_button("Unduh baris ditolak/dilewati (Excel)", key="kelola_unduh_ditolak",
                               data=review.rejected_workbook(result, show_personal=auth.show_personal()),
                               file_name="ditolak.xlsx", icon=":material/download:", on_click="ignore",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        with kecamatan:
            unmatched = review.unmatched_kecamatan(result)
            if unmatched.empty:
                st.caption(f"Semua nama kecamatan cocok dengan {len(ref.kecamatan_names())} kecamatan "
                           f"{wilayah.region().short}.")
            else:
                st.dataframe(unmatched, hide_index=True)
        with mirip:
            st.caption("Pasangan UMKM yang sangat mirip tetapi tidak digabung otomatis; periksa di sumbernya.")
            st.dataframe(data.masked(review.near_duplicates_table(result)), hide_index=True)
        with pemetaan:
            sheets = review.loaded_sheets(result)
            entry = st.selectbox("Lembar", sheets, key=KEY_SHEET, format_func=review.sheet_label) if sheets else None
            if entry is not None:
                table = review.mapping_table(entry)
                kinds = list(review.KIND_LABELS)
                kind = st.selectbox("Jenis lembar", kinds, index=kinds.index(entry["kind"]), key=KEY_KIND,
                                    format_func=review.KIND_LABELS.get)
                st.data_editor(table, hide_index=True, key=KEY_EDITOR, disabled=[review.COL_HEADER],
                                        column_config={review.COL_FIELD: st.column_config.SelectboxColumn(
                                            review.COL_FIELD, options=list(review.FIELD_LABELS), required=False,
                                            format_func=review.FIELD_LABELS.get)})
                if notes := review.notes_text(entry):
                    st.info(notes, icon=":material/info:")
                st.caption("Koreksi diingat untuk setiap berkas dengan judul kolom yang sama.")
                st.button("Simpan koreksi dan baca ulang", key=KEY_SAVE_MAP, icon=":material/sync:",
                          on_click=_save_mapping, args=(entry, table))
    refusal = preview.refusal(include_failed=True)
    include_failed = bool(preview.failed_files) and st.checkbox(
        "Terapkan tanpa berkas yang gagal dibaca", key=KEY_INCLUDE_FAILED)
    apply_col, discard_col = st.columns([1, 4])
    apply_col.button("Terapkan", key=KEY_APPLY, type="primary", icon=":material/done_all:", disabled=bool(refusal),
                     on_click=_apply, args=(include_failed,))
    discard_col.button("Batalkan pratinjau", key=KEY_DISCARD, icon=":material/close:", on_click=_discard)
    if refusal:
        st.info(refusal, icon=":material/info:")

st.subheader("Riwayat versi data kantor")
versions = data.store().versions()
if not versions:
    st.caption("Belum ada data kantor yang diterapkan; dasbor menampilkan data demo bawaan.")
else:
    st.dataframe(review.versions_table(versions), hide_index=True)
    active = data.store().active_id()
    if active is not None:
        with st.expander("Laporan versi aktif: setiap berkas dan lembar", icon=":material/fact_check:"):
            report = data.version_report(active)
            st.caption(review.balanced_sentence(report))
            st.dataframe(review.sheet_table(report), hide_index=True)
    if allowed:
        labels = {v.id: f"{review.version_label(v.id, v.created)} · {v.user}" for v in versions}
        choice = st.selectbox("Versi", list(labels), key=KEY_VERSION, format_func=labels.get)
        left, right = st.columns([1, 3])
        left.button("Aktifkan versi ini", key=KEY_ROLLBACK, icon=":material/history:",
                    disabled=choice == active, on_click=_rollback)
        right.download_button("Unduh baris ditolak versi ini (Excel)", key="kelola_unduh_versi",
                              data=data.version_rejected(choice), file_name=f"ditolak_{choice}.xlsx",
                              icon=":material/download:", on_click="ignore",
                              mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
