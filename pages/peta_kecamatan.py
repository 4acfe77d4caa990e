"""Peta Kecamatan: one indicator of the catalogue per kecamatan, on a map and ranked in a table beside
it, with an Excel download that carries its definition and filters. Clicking a kecamatan (or choosing it
below) opens its profile. Without imported boundaries the map draws the approximate polygons shipped for
the region and says so (schematic tiles only for a region without polygons); official boundaries can be
uploaded here. In a provinsi region a map of its kabupaten/kota with the same indicator comes first:
choosing one (a click, or the select) narrows the kecamatan map and table to its kecamatan."""
import streamlit as st

from analysis.core import excel, wilayah
from analysis.core import formatting as fmt
from analysis.core import reference as ref
from analysis.core.schemas import Producers, Sales
from analysis.insight import indicators as ind
from analysis.insight import profile, summary
from analysis.output import charts, maps
from ui import data, filters, navigation

KEY_INDICATOR, KEY_MAP, KEY_PROFILE, KEY_UPLOAD = "peta_indikator", "peta_peta", "peta_profil", "peta_unggah_batas"
KEY_KABUPATEN, KEY_KABUPATEN_MAP, _LAST_KABUPATEN_CLICK = "peta_kabupaten", "peta_peta_kabupaten", "peta_klik_kabupaten"
QUERY_INDICATOR = "indikator"  # in the URL, so a shared link reopens the same indicator
_LAST_CLICK, _UPLOAD_DONE, _UPLOAD_OUTCOME = "peta_klik_terakhir", "peta_batas_diproses", "peta_batas_hasil"
DEFAULT_INDICATOR = "jumlah_umkm"
# scrollZoom off: scrolling the page over the map must scroll the page, not zoom the map away.
CHART = {"displaylogo": False, "scrollZoom": False}

navigation.ensure_router()  # a direct link must go through app.py
st.title("Peta Kecamatan")
st.caption("Satu indikator per kecamatan: peta, peringkat, dan profil kecamatan.")

tables = data.load_tables()
if tables is None:
    st.stop()
chosen = filters.current()
keys = ind.map_keys()
if KEY_INDICATOR not in st.session_state:
    linked = st.query_params.get(QUERY_INDICATOR)
    st.session_state[KEY_INDICATOR] = linked if linked in keys else DEFAULT_INDICATOR
key = st.selectbox("Indikator", keys, key=KEY_INDICATOR, format_func=lambda k: ind.INDICATORS[k].label)
st.query_params[QUERY_INDICATOR] = key

per_kecamatan = ind.compute(tables, chosen, by_kecamatan=True, coded=data.coded_sales())
shapes = data.map_shapes()
region = wilayah.region()
kabupaten_shapes = data.kabupaten_geojson(region.kode) if region.is_provinsi else None
if kabupaten_shapes is not None:
    st.subheader("Kabupaten/kota")
    per_kabupaten = ind.compute(tables, chosen, by_kabupaten=True, coded=data.coded_sales())
    event_kabupaten = st.plotly_chart(
        maps.indicator_map(per_kabupaten, key, kabupaten_shapes, location_column=ind.KABUPATEN, height=420,
                           width_hint=900),
        config=CHART, key=KEY_KABUPATEN_MAP, on_select="rerun", selection_mode="points")
    clicked_kabupaten = maps.selected_kecamatan(event_kabupaten.selection.points if event_kabupaten else None)
    if clicked_kabupaten and clicked_kabupaten != st.session_state.get(_LAST_KABUPATEN_CLICK):
        st.session_state[_LAST_KABUPATEN_CLICK] = clicked_kabupaten
        st.session_state[KEY_KABUPATEN] = clicked_kabupaten
    kabupaten = st.selectbox("Kabupaten/kota", list(per_kabupaten[ind.KABUPATEN]), index=None,
                             key=KEY_KABUPATEN, placeholder="Semua kabupaten/kota; klik peta untuk memilih")
    st.caption(f"{ind.INDICATORS[key].label} per kabupaten/kota · Kabupaten/kota abu-abu: {maps.NO_DATA_TEXT}. "
               f"{maps.APPROXIMATE_NOTE}.")
    if kabupaten is not None:
        inside = profile.kecamatan_in(kabupaten)
        per_kecamatan = per_kecamatan[per_kecamatan[Producers.kecamatan].isin(inside)].reset_index(drop=True)
        shapes = maps.only(shapes, inside)
    st.subheader("Kecamatan" + (f" di {kabupaten}" if kabupaten else ""))
ranked = ind.ranking(per_kecamatan, key)

peta, tabel = st.columns([3, 2])
with peta:
    event = st.plotly_chart(maps.indicator_figure(per_kecamatan, key, shapes, height=520, width_hint=520),
                            config=CHART, key=KEY_MAP, on_select="rerun", selection_mode="points")
    st.caption(f"{summary.data_until_line(data.data_until())} · Filter: {chosen.describe()} · "
               f"Kecamatan abu-abu: {maps.NO_DATA_TEXT}. Klik kecamatan untuk membuka profilnya.")
with tabel:
    st.dataframe(ref.with_kabupaten(ind.ranking_table(ranked, key)), hide_index=True, height=520)
    st.download_button(
        "Unduh Excel", excel.workbook_bytes(ind.export_sheets(ranked, key, chosen, data.data_until())),
        file_name=f"peta_{key}.xlsx", icon=":material/download:", on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
with st.expander(f"Definisi: {ind.INDICATORS[key].label}", icon=":material/help:"):
    st.markdown(ind.help_text(key))

if shapes.problem:
    st.warning(f"Batas wilayah tersimpan tidak dapat dipakai: {shapes.problem}", icon=":material/warning:")
if not shapes.official:
    st.info(f"{maps.SCHEMATIC_NOTE}. {maps.ADD_BOUNDARIES}", icon=":material/info:")
elif shapes.approximate:
    st.caption(f"{maps.APPROXIMATE_NOTE}. {maps.ADD_OFFICIAL}")

with st.expander("Sumber data wilayah dan lisensi", icon=":material/license:", expanded=False):
    st.caption("Kode dan batas wilayah berasal dari data terbuka berlisensi MIT. Atribusi dan teks lisensinya:")
    st.code(wilayah.ATTRIBUTION + " Batas bersifat perkiraan, bukan batas resmi.", language=None, wrap_lines=True)
    for text in wilayah.licence_texts().values():
        st.code(text, language=None, wrap_lines=True)

with st.expander("Batas wilayah kecamatan", icon=":material/upload_file:", expanded=False):
    outcome = st.session_state.pop(_UPLOAD_OUTCOME, None)
    if outcome is not None:
        ok, lines = outcome
        (st.success if ok else st.error)("\n\n".join(lines), icon=":material/check_circle:" if ok else ":material/error:")
    upload = st.file_uploader("Unggah berkas batas kecamatan", type=["geojson", "json", "zip", "gpkg"], key=KEY_UPLOAD,
                              help="GeoJSON, Shapefile dalam .zip (.shp, .shx, .dbf, .prj) atau GeoPackage.")
    if upload is not None and st.session_state.get(_UPLOAD_DONE) != upload.file_id:
        st.session_state[_UPLOAD_DONE] = upload.file_id  # the uploader keeps the file: import it once
        result = data.import_boundary_upload(upload.getvalue(), upload.name)
        if result.ok:
            st.session_state[_UPLOAD_OUTCOME] = (True, ["Batas wilayah disimpan dan dipakai peta.", *result.messages,
                                                        *result.warnings])
            st.rerun()  # the map above was drawn with the old polygons
        st.error("\n\n".join(["Berkas batas ditolak; peta tetap seperti sebelumnya.", *result.errors]),
                 icon=":material/error:")

st.divider()
st.subheader("Profil kecamatan")
clicked = maps.selected_kecamatan(event.selection.points if event else None)
if clicked and clicked != st.session_state.get(_LAST_CLICK):
    st.session_state[_LAST_CLICK] = clicked
    st.session_state[KEY_PROFILE] = clicked
name = st.selectbox("Profil kecamatan", ref.kecamatan_names(), index=None, key=KEY_PROFILE,
                    placeholder="Pilih kecamatan, atau klik kecamatan di peta")
if name is None:
    st.stop()

view = profile.kecamatan_profile(tables, chosen, name, coded=data.coded_sales())
st.markdown(f"#### Kecamatan {name}")
st.caption(summary.n_umkm_line(view.n_umkm, chosen))
kiri, kanan = st.columns(2)
with kiri:
    st.markdown(f"**Indikator dibanding {wilayah.region().unit.lower()}**")
    st.dataframe(view.indicators, hide_index=True, height="content")
with kanan:
    st.markdown("**Kategori teratas**")
    st.plotly_chart(charts.bar(view.categories, Producers.kategori, profile.JUMLAH_UMKM, category_label="Kategori",
                               value_label="Jumlah UMKM"), config=CHART, key="peta_profil_kategori")
    st.markdown("**Produk utama teratas**")
    st.dataframe(view.products, hide_index=True)
st.markdown("**Penjualan bulanan**")
st.plotly_chart(charts.line(view.monthly_sales, Sales.bulan, Sales.nilai_rp, x_label="Bulan", y_label="Penjualan",
                            formatter=fmt.rupiah_short), config=CHART, key="peta_profil_penjualan")
st.markdown("**Pelatihan yang diikuti UMKM kecamatan ini**")
if view.trainings.empty:
    st.caption("Belum ada UMKM dari kecamatan ini yang tercatat sebagai peserta pelatihan.")
else:
    st.dataframe(view.trainings, hide_index=True)
st.markdown("**UMKM per desa/kelurahan**")
desa_shapes = data.desa_geojson(view.kode_kecamatan)
if desa_shapes is not None:
    desa_map, desa_list = st.columns([3, 2])
else:
    desa_map, desa_list = None, st.container()
with desa_list:
    st.dataframe(view.desa.assign(**{profile.JUMLAH_UMKM: view.desa[profile.JUMLAH_UMKM].map(fmt.number)})
                 .rename(columns={profile.JUMLAH_UMKM: "Jumlah UMKM"}), hide_index=True)
    st.caption("Desa dikenali dari kolom desa atau alamat, dicocokkan dengan daftar kode wilayah Kemendagri.")
if desa_map is not None:
    with desa_map:
        known = view.desa[view.desa[profile.COL_KODE_DESA].notna()]
        st.plotly_chart(maps.choropleth(known, profile.JUMLAH_UMKM, desa_shapes, "Jumlah UMKM",
                                        location_column=profile.COL_DESA, count_column=profile.JUMLAH_UMKM,
                                        height=420, width_hint=520),
                        config=CHART, key="peta_profil_desa")
        st.caption(f"{maps.APPROXIMATE_NOTE}.")
