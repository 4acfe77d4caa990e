"""Target & Realisasi: each indicator's target for a year (Renstra, RPJMD, Perjanjian Kinerja) beside its
realisasi from the data, the capaian the way LKjIP computes it, a status, and a chart per indicator over
the years. Planners (and the data admin) edit the targets table here; everyone else reads it.

Realisasi follows the sidebar filters; targets are the kabupaten's, so under a kecamatan, kategori or
skala filter the counts and amounts are not compared with them (the page says so)."""
from functools import partial

import streamlit as st

from analysis.core import formatting as fmt
from analysis.insight import indicators as ind
from analysis.insight import summary, yearly
from analysis.insight import targets as tgt
from analysis.output import charts
from ui import auth, data, filters, navigation

KEY_YEAR, KEY_EDITOR, KEY_SAVE, KEY_DOWNLOAD = "target_tahun", "target_editor", "target_simpan", "target_unduh"
QUERY_YEAR = "tahun"  # in the URL, so a shared link reopens the same year
CHARTS_PER_ROW = 2
CHART = {"displaylogo": False, "scrollZoom": False}
_SAVED, _PROBLEMS, _VERSION = "target_tersimpan", "target_masalah", "target_versi_editor"

navigation.ensure_router()  # a direct link must go through app.py
st.title("Target & Realisasi")
st.caption("Target indikator (Renstra, RPJMD, Perjanjian Kinerja) dibanding realisasi dari data, per tahun, seperti "
           "tabel pengukuran kinerja LKjIP.")

if data.load_tables() is None:
    st.stop()
realised = data.realisation()
if realised is None:
    st.stop()
loaded, chosen = data.targets(), filters.current()
for problem in loaded.problems:
    st.error(f"Tabel target kantor tidak dapat dipakai: {problem}", icon=":material/error:")
achieved = tgt.achievement(loaded.table, realised, part_of_region=chosen.selects_producers)
st.caption(f"{loaded.label} · {summary.data_until_line(data.data_until())} · Filter: {chosen.describe()}")
if chosen.selects_producers:
    st.warning(tgt.COMPARED_NOTE, icon=":material/filter_alt:")

years = sorted(tgt.years(achieved), reverse=True)
if not years:
    st.info("Belum ada target. Isi tabel target di bawah (perencana atau admin data).", icon=":material/info:")
else:
    if KEY_YEAR not in st.session_state or st.session_state[KEY_YEAR] not in years:
        linked = st.query_params.get(QUERY_YEAR)
        wanted = int(linked) if linked and linked.isdigit() else tgt.default_year(achieved)
        st.session_state[KEY_YEAR] = wanted if wanted in years else years[0]
    year = st.selectbox("Tahun", years, key=KEY_YEAR)
    st.query_params[QUERY_YEAR] = str(year)
    counts = tgt.status_counts(achieved, year)
    for column, name in zip(st.columns(4), (tgt.TERCAPAI, tgt.HAMPIR, tgt.BELUM, tgt.NO_DATA)):
        column.metric(name, fmt.number(counts[name]), border=True)
    shown = tgt.display(achieved, year)
    # A static table: every row and the whole Catatan text wrap on screen and on paper, nothing is cut.
    st.table(shown.set_index(tgt.COL_INDIKATOR))
    st.caption(tgt.STATUS_NOTE + " \"(sementara)\": data tahun itu belum 12 bulan.")

    st.subheader("Target dan realisasi per tahun")
    keys = tgt.keys(achieved)
    for start in range(0, len(keys), CHARTS_PER_ROW):
        for column, key in zip(st.columns(CHARTS_PER_ROW), keys[start:start + CHARTS_PER_ROW]):
            indicator = ind.INDICATORS[key]
            column.plotly_chart(
                charts.target_realisation(tgt.series(achieved, key), tgt.TAHUN, tgt.TARGET, yearly.REALISASI,
                                          formatter=partial(fmt.indicator_value, indicator.kind),
                                          title=indicator.label),
                config=CHART, key=f"target_grafik_{key}")

with st.expander("Cara menghitung capaian", icon=":material/help:"):
    st.markdown(tgt.METHOD)
    st.dataframe(ind.definitions_table([k for k, i in ind.INDICATORS.items() if i.per_year]), hide_index=True)

st.subheader("Tabel target")
st.caption("Satu baris per indikator dan tahun. Target porsi dan pertumbuhan ditulis dalam persen (40 = 40%), "
           "rupiah dan jumlah ditulis lengkap (1.250.000); koma untuk desimal. Arah kosong = arah dari katalog "
           "(makin tinggi makin baik, kecuali Skala Mikro).")


def _save() -> None:
    """The save button's callback: it runs before the script, so no rerun can swallow the click."""
    edited = tgt.apply_edits(tgt.editor_frame(data.targets().table), st.session_state.get(_editor_key()))
    try:
        data.save_targets(edited)
    except tgt.TargetError as error:
        st.session_state[_PROBLEMS] = error.problems
    else:
        st.session_state[_SAVED] = True
        # A new editor over the saved table: the old one's changes would otherwise apply a second time.
        st.session_state[_VERSION] = st.session_state.get(_VERSION, 0) + 1


def _editor_key() -> str:
    return f"{KEY_EDITOR}_{st.session_state.get(_VERSION, 0)}"


if st.session_state.pop(_SAVED, False):
    st.success("Target disimpan.", icon=":material/check_circle:")
problems = st.session_state.pop(_PROBLEMS, None)
if problems:
    st.error("Target tidak disimpan; tabel yang tersimpan tetap dipakai.\n\n" + "\n".join(f"- {p}" for p in problems),
             icon=":material/error:")
editor = tgt.editor_frame(loaded.table)
if auth.permissions().edit_targets:
    st.data_editor(
        editor, key=_editor_key(), num_rows="dynamic", hide_index=True, width="stretch",
        column_config={
            tgt.INDIKATOR: st.column_config.SelectboxColumn(
                "Indikator", options=list(ind.INDICATORS), required=True, help="Indikator dari katalog",
                format_func=lambda key: ind.INDICATORS[key].label if key in ind.INDICATORS else str(key)),
            tgt.TAHUN: st.column_config.TextColumn("Tahun", required=True),
            tgt.TARGET: st.column_config.TextColumn("Target", required=True, help="Contoh: 1.250 atau 40,5"),
            tgt.SUMBER: st.column_config.TextColumn("Sumber", help="Renstra, RPJMD, PK 2025, ..."),
            tgt.ARAH: st.column_config.SelectboxColumn("Arah", options=list(ind.DIRECTIONS),
                                                       format_func=lambda key: tgt.ARAH_LABELS.get(key, str(key))),
        },
    )
    st.button("Simpan target", key=KEY_SAVE, icon=":material/save:", type="primary", on_click=_save)
else:
    st.dataframe(editor, hide_index=True)
    st.info("Hanya perencana dan admin data yang dapat mengubah target.", icon=":material/lock:")
st.download_button("Unduh tabel target (CSV)", tgt.csv_text(loaded.table).encode("utf-8"),
                   file_name="target_indikator.csv", mime="text/csv", icon=":material/download:", on_click="ignore",
                   key=KEY_DOWNLOAD)
