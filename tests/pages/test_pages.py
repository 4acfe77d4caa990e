"""Smoke-run every page of the app with Streamlit's AppTest.

The page list comes from ui/navigation.py, the same list app.py routes, so a new page is covered as
soon as it is added there. These tests need a working ingest of the bundled demo data: a page that
can only show "Data belum dapat dimuat" fails here on purpose.
"""
import re

import pytest
from streamlit.testing.v1 import AppTest

from analysis.core import reference as ref
from analysis.core.paths import ROOT
from ui.navigation import PAGES, PageSpec

APP = str(ROOT / "app.py")
# An Indonesian whole number: "7", "1.234", "12.345.678".
WHOLE_NUMBER = re.compile(r"^\d{1,3}(\.\d{3})*$")


def run_page(spec: PageSpec) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    if spec != PAGES[0]:  # the default page is already shown by the first run
        at.switch_page(spec.path).run()
    return at


@pytest.mark.parametrize("spec", PAGES, ids=[spec.title for spec in PAGES])
def test_page_runs_without_errors(spec: PageSpec):
    at = run_page(spec)
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == [spec.title]
    assert not at.error, [e.value for e in at.error]


def test_ringkasan_shows_formatted_headline():
    at = run_page(PAGES[0])
    metrics = {m.label: m.value for m in at.metric}
    assert "Jumlah UMKM" in metrics, list(metrics)
    assert WHOLE_NUMBER.match(metrics["Jumlah UMKM"]), metrics["Jumlah UMKM"]
    assert int(metrics["Jumlah UMKM"].replace(".", "")) > 0
    assert metrics["Omzet tahunan"].startswith("Rp ")
    assert re.match(r"^\d{1,3}(\.\d{3})*,\d%$", metrics["Memiliki NIB"]), metrics["Memiliki NIB"]
    assert any(c.value.startswith("Kualitas data: Baris dibaca ") for c in at.caption)
    charts = at.get("plotly_chart")
    assert len(charts) == 3  # small map, categories by UMKM, categories by sales
    assert all('"separators":",."' in chart.proto.spec.replace(" ", "") for chart in charts)


def test_sidebar_names_source_and_period():
    at = run_page(PAGES[0])
    captions = [c.value for c in at.sidebar.caption]
    assert any(c.startswith("Sumber: Data demo bawaan") and "Periode data:" in c for c in captions), captions


def _jumlah_umkm(at: AppTest) -> int:
    return int({m.label: m.value for m in at.metric}["Jumlah UMKM"].replace(".", ""))


def test_a_shared_link_reopens_the_filtered_view():
    """URL -> widgets -> numbers."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["kec"] = "Natar,Kalianda"
    at.query_params["skala"] = "Mikro"
    at.run()
    assert not at.exception
    assert at.multiselect(key="filter_kecamatan").value == ["Natar", "Kalianda"]
    assert at.multiselect(key="filter_skala").value == ["Mikro"]
    fresh = AppTest.from_file(APP, default_timeout=60).run()
    assert 0 < _jumlah_umkm(at) < _jumlah_umkm(fresh)


# --------------------------------------------------------------------------------------------------
# Ringkasan: cards, definitions, data date


def test_ringkasan_cards_show_change_against_the_previous_period():
    """A ten-month period has a previous period in the demo data: period cards get an Indonesian delta,
    stock cards none; every card has its definition as help."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["dari"] = "2017-01"
    at.query_params["sampai"] = "2017-10"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    cards = {m.label: m for m in at.metric}
    assert re.match(r"^[+-]\d+,\d poin$", cards["Pernah ikut pelatihan"].proto.delta), cards["Pernah ikut pelatihan"].proto.delta
    assert re.match(r"^[+-]\d+,\d%$", cards["Penjualan dalam periode"].proto.delta)
    assert cards["Penjualan dalam periode"].value.startswith("Rp ")
    assert re.match(r"^[+-]?\d+,\d%$", cards["Pertumbuhan penjualan"].value)
    assert cards["Jumlah UMKM"].proto.delta == ""  # stock indicator: no change
    assert all("Rumus:" in m.proto.help and "Sumber:" in m.proto.help for m in at.metric)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Data sampai Oktober 2017 · Periode Januari 2017 – Oktober 2017.") for c in captions), captions
    assert any(re.match(r"^Dihitung dari \d{1,3}(\.\d{3})* UMKM", c) for c in captions), captions


def test_ringkasan_has_the_definitions_expander():
    at = run_page(PAGES[0])
    expander = next(e for e in at.expander if e.label == "Definisi indikator")
    table = expander.dataframe[0].value
    assert {"Indikator", "Definisi", "Rumus", "Sumber"} <= set(table.columns)
    assert "Memiliki NIB" in set(table["Indikator"])


# --------------------------------------------------------------------------------------------------
# Peta Kecamatan

PETA = next(spec for spec in PAGES if spec.path == "pages/peta_kecamatan.py")
SCHEMATIC = "Peta skematis: satu kotak per kecamatan"


def _peta(configure, boundary_file) -> AppTest:
    configure(boundary_file=boundary_file)
    at = run_page(PETA)
    assert not at.exception, [e.value for e in at.exception]
    return at


def _ranking(at: AppTest):
    return at.dataframe[0].value


def _map_spec(at: AppTest) -> dict:
    import json

    return json.loads(next(c for c in at.get("plotly_chart") if c.proto.id and "peta_peta" in c.proto.id).proto.spec)


def test_peta_default_draws_the_shipped_approximate_boundaries_with_17_ranked_rows(configure, tmp_path):
    at = _peta(configure, tmp_path / "tidak_ada.geojson")
    assert any(c.value.startswith("Batas perkiraan, bukan batas wilayah resmi") for c in at.caption)
    assert not any(i.value.startswith(SCHEMATIC) for i in at.info)
    assert len(_ranking(at)) == 17
    spec = _map_spec(at)
    assert {trace["type"] for trace in spec["data"]} == {"choroplethmap"}
    assert sorted(n for trace in spec["data"] for n in trace["locations"]) == sorted(ref.kecamatan_names())
    features = spec["data"][0]["geojson"]["features"]
    assert len(features) == 17 and {f["geometry"]["type"] for f in features} <= {"Polygon", "MultiPolygon"}


def test_peta_without_any_polygon_falls_back_to_the_schematic_map(configure, tmp_path, monkeypatch):
    from analysis import boundaries
    from ui import data

    monkeypatch.setattr(boundaries, "shipped_kecamatan", lambda *args, **kwargs: None)  # a region without polygons
    data._shipped_geojson.clear()
    try:
        at = _peta(configure, tmp_path / "tidak_ada.geojson")
    finally:
        data._shipped_geojson.clear()
    assert any(i.value.startswith(SCHEMATIC) and "python -m analysis.boundaries import" in i.value for i in at.info)
    assert at.selectbox(key="peta_indikator").value == "jumlah_umkm"
    assert len(_ranking(at)) == 17
    spec = _map_spec(at)
    # The schematic tiles are a cartesian figure with the names written on them, not a MapLibre map.
    assert {trace["type"] for trace in spec["data"]} == {"scatter"} and "map" not in spec["layout"]
    assert sorted(row[0] for trace in spec["data"] for row in trace["customdata"]) == sorted(ref.kecamatan_names())
    assert len(spec["layout"]["annotations"]) == 17
    assert at.file_uploader(key="peta_unggah_batas") is not None
    assert any(b.label == "Unduh Excel" for b in at.get("download_button"))


def test_peta_another_indicator_changes_the_table_and_the_link(configure, tmp_path):
    at = _peta(configure, tmp_path / "tidak_ada.geojson")
    before = _ranking(at)
    at.selectbox(key="peta_indikator").select("porsi_nib").run()
    assert not at.exception
    after = _ranking(at)
    assert "Memiliki NIB" in after.columns and "Memiliki NIB" not in before.columns
    assert all(re.match(r"^\d+,\d%$", v) for v in after["Memiliki NIB"])
    assert at.query_params["indikator"] == ["porsi_nib"] or at.query_params["indikator"] == "porsi_nib"


def test_peta_a_link_reopens_its_indicator(configure, tmp_path):
    configure(boundary_file=tmp_path / "tidak_ada.geojson")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["indikator"] = "porsi_halal"
    at.run()
    at.switch_page(PETA.path).run()
    assert at.selectbox(key="peta_indikator").value == "porsi_halal"


def test_peta_choosing_a_kecamatan_opens_its_profile(configure, tmp_path):
    at = _peta(configure, tmp_path / "tidak_ada.geojson")
    assert not any(m.value.startswith("#### Kecamatan") for m in at.markdown)
    at.selectbox(key="peta_profil").select("Natar").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(m.value == "#### Kecamatan Natar" for m in at.markdown)
    indicators = at.dataframe[1].value
    assert list(indicators.columns) == ["Indikator", "Natar", "Kabupaten"]
    keys = [c.proto.id for c in at.get("plotly_chart")]
    assert any("peta_profil_penjualan" in k for k in keys) and any("peta_profil_kategori" in k for k in keys)
    assert any("Peserta dari kecamatan ini" in d.value.columns for d in at.dataframe)


def test_peta_with_imported_boundaries_draws_the_real_map(configure, tmp_path, shared_dir):
    from analysis import boundaries

    source = shared_dir / "data" / "boundaries" / "lampung_selatan_kecamatan_rbi_simplified.geojson"
    if not source.is_file():
        pytest.skip(f"{source} tidak ada")
    result = boundaries.import_boundaries(source)
    assert result.ok, result.errors
    stored = boundaries.save_boundaries(result, tmp_path / "batas.geojson")
    at = _peta(configure, stored)
    assert not any(SCHEMATIC in i.value for i in at.info)
    spec = _map_spec(at)
    assert spec["layout"]["map"]["style"] == "white-bg"
    features = spec["data"][0]["geojson"]["features"]
    assert len(features) == 17
    assert sorted(n for trace in spec["data"] for n in trace["locations"]) == sorted(ref.kecamatan_names())
    # The real polygons, not squares: a square tile has 5 positions.
    assert max(len(json_ring) for f in features for json_ring in _rings(f["geometry"])) > 5


def _rings(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def test_sidebar_filter_changes_the_numbers_and_the_url():
    """Widgets -> URL -> numbers, and back when the filter is cleared."""
    at = run_page(PAGES[0])
    everything = _jumlah_umkm(at)
    at.multiselect(key="filter_kecamatan").select("Natar").run()
    assert not at.exception
    natar = _jumlah_umkm(at)
    assert 0 < natar < everything
    assert at.query_params["kec"] == "Natar"
    at.multiselect(key="filter_kecamatan").unselect("Natar").run()
    assert _jumlah_umkm(at) == everything
    assert "kec" not in at.query_params


# --------------------------------------------------------------------------------------------------
# Dampak Pelatihan (the estimate is cached per process, so only the first of these pays its ~2 s)

DAMPAK = next(spec for spec in PAGES if spec.path == "pages/dampak_pelatihan.py")
# "+14,5%" and "(selang 95%: +12,9% s.d. +16,0%)": a signed Indonesian percent, never a bare number.
SIGNED_PERCENT = r"[+-]?\d+,\d%"


def _dampak() -> AppTest:
    at = run_page(DAMPAK)
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_dampak_pemasaran_effect_has_its_interval_and_counts():
    at = _dampak()
    assert at.selectbox(key="dampak_jenis").value == "Pemasaran"
    cards = {m.label: m.value for m in at.metric}
    effect = next(label for label in cards if label.startswith("Efek (selang 95%"))
    assert re.fullmatch(SIGNED_PERCENT, cards[effect]), cards[effect]
    assert re.search(rf"selang 95%: {SIGNED_PERCENT} s\.d\. {SIGNED_PERCENT}", effect), effect
    assert WHOLE_NUMBER.match(cards["Peserta diukur"]) and int(cards["Peserta diukur"].replace(".", "")) >= 30
    assert WHOLE_NUMBER.match(cards["UMKM pembanding"])
    assert any("Pemasaran" in i.value and "95%" in i.value for i in at.info)
    assert any("dampak_grafik" in (c.proto.id or "") for c in at.get("plotly_chart"))


def test_dampak_kelembagaan_is_not_claimed_as_an_effect():
    at = _dampak()
    at.selectbox(key="dampak_jenis").select("Kelembagaan").run()
    assert not at.exception, [e.value for e in at.exception]
    boxes = [b.value for b in (*at.info, *at.warning)]
    assert any(b.startswith("Belum cukup bukti") and "Kelembagaan" in b for b in boxes), boxes
    assert at.query_params["jenis"] in ("Kelembagaan", ["Kelembagaan"])


def test_dampak_with_few_participants_shows_words_not_a_number_to_quote():
    """Sragi's Pemasaran training has four participants and an interval that excludes zero (+3% to +25%): the
    big text must still not be a percent."""
    at = _dampak()
    at.multiselect(key="filter_kecamatan").set_value(["Sragi"]).run()
    at.selectbox(key="dampak_jenis").select("Pemasaran").run()
    assert not at.exception, [e.value for e in at.exception]
    cards = {m.label: m.value for m in at.metric}
    measured = int(cards["Peserta diukur"].replace(".", ""))
    assert measured < 30, cards
    effect = next(value for label, value in cards.items() if label.startswith(("Efek", "Dampak")))
    assert not re.search(r"\d", effect), cards  # words only
    warning = " ".join(w.value for w in at.warning)
    assert "Peserta terlalu sedikit" in warning and "p =" not in warning


def test_dampak_lists_the_events_compares_all_jenis_and_explains_the_method():
    at = _dampak()
    tables = {tuple(d.value.columns)[0]: d.value for d in at.dataframe}
    # The comparison is a static table, so each Kesimpulan is shown whole (an inner table cut it off).
    comparison = next(t.value for t in at.table if "Kesimpulan" in t.value.columns)
    assert {"Kelembagaan", "Pemasaran"} <= set(comparison["Jenis pelatihan"])
    assert all(len(text) > 60 for text in comparison["Kesimpulan"])
    events = tables["Kegiatan"]
    assert len(events) == 30
    assert all(re.fullmatch(r"\d+ / \d+", v) for v in events["Peserta (tertaut / total)"])
    assert all(v.startswith("Rp ") or v == "–" for v in events["Biaya per peserta"])
    assert "Metode" in [s.value for s in at.subheader]
    method = " ".join(m.value for m in at.markdown)
    assert "bootstrap" in method and "bukan percobaan" in method
    assert any("Filter periode tidak dipakai" in c.value for c in at.caption)
    assert any(c.value.startswith("Bulan 0 = ") and "Data sampai" in c.value for c in at.caption)
    assert any(b.label == "Unduh Excel" for b in at.get("download_button"))


# --------------------------------------------------------------------------------------------------
# Tren Kategori Produk

TREN = next(spec for spec in PAGES if spec.path == "pages/tren_kategori.py")


def _tren(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():  # filters from the link, before the first run
        at.query_params[key] = value
    at.run()
    at.switch_page(TREN.path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _trend_spec(at: AppTest) -> dict:
    import json

    return json.loads(next(c for c in at.get("plotly_chart") if c.proto.id and "tren_grafik" in c.proto.id).proto.spec)


def _growth(at: AppTest):
    return next(d.value for d in at.dataframe if "Pertumbuhan" in d.value.columns)


def test_tren_shows_title_trend_chart_growth_with_counts_and_download():
    at = _tren()
    assert [t.value for t in at.title] == ["Tren Kategori Produk"]
    spec = _trend_spec(at)
    assert len(spec["data"]) == 9  # one line per kategori
    assert spec["layout"]["separators"] == ",."
    growth = _growth(at)
    assert "Jumlah UMKM melapor" in growth.columns
    assert all(WHOLE_NUMBER.match(v) for v in growth["Jumlah UMKM melapor"])
    assert all(re.match(r"^[+-]?\d+,\d%$", v) for v in growth["Pertumbuhan"])
    captions = [c.value for c in at.caption]
    assert "Data sampai Oktober 2017 · Filter: semua data" in captions
    assert "Lebaran: 17 Juli 2015, 6 Juli 2016, 25 Juni 2017" in captions
    assert any(b.proto.id and "tren_unduh" in b.proto.id for b in at.get("download_button"))


def test_tren_grain_changes_the_chart_x_values_and_chart_kind_stacks():
    at = _tren()
    monthly = {x for trace in _trend_spec(at)["data"] for x in trace["x"]}
    at.radio(key="tren_frekuensi").set_value("tahun").run()
    assert not at.exception
    yearly = {x for trace in _trend_spec(at)["data"] for x in trace["x"]}
    assert len(monthly) == 34 and len(yearly) == 3 and yearly < monthly  # years start at January
    assert any("2017 (10 dari 12 bulan)" in c.value for c in at.caption)
    at.radio(key="tren_jenis_grafik").set_value("area").run()
    assert not at.exception
    assert {trace.get("stackgroup") for trace in _trend_spec(at)["data"]} == {"satu"}


def test_tren_a_kecamatan_filter_changes_the_numbers():
    everything = _growth(_tren())
    natar = _tren(kec="Natar")
    assert natar.multiselect(key="filter_kecamatan").value == ["Natar"]
    assert any("kecamatan: Natar" in c.value for c in natar.caption)
    counts = lambda table: [int(v.replace(".", "")) for v in table["Jumlah UMKM melapor"]]  # noqa: E731
    assert sum(counts(_growth(natar))) < sum(counts(everything))
    assert list(_growth(natar)["Penjualan"]) != list(everything["Penjualan"])


# --------------------------------------------------------------------------------------------------
# Prioritas Anggaran (uses the Dampak Pelatihan estimate, cached per process)

ANGGARAN = next(spec for spec in PAGES if spec.path == "pages/prioritas_anggaran.py")
PRESENTASI = next(spec for spec in PAGES if spec.path == "pages/presentasi.py")


def _anggaran(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(ANGGARAN.path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _seats(at: AppTest):
    return next(d.value for d in at.dataframe if "Total kursi" in d.value.columns)


def _cards(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_anggaran_default_plan_fits_the_budget_and_is_in_the_url():
    at = _anggaran()
    cards = _cards(at)
    assert cards["Anggaran terpakai"].startswith("Rp ")
    assert WHOLE_NUMBER.match(cards["Kursi pelatihan"]) and int(cards["Kursi pelatihan"].replace(".", "")) > 0
    assert re.fullmatch(r"Rp [\d,]+(–| (jt|M)–Rp )[\d,]+ (jt|M)", cards["Tambahan penjualan/tahun (95%)"])
    seats = _seats(at)
    assert len(seats) == 17 and seats["Peringkat"].iloc[0] == "1"
    spent = sum(int(v.removeprefix("Rp ").replace(".", "")) for v in seats["Biaya"])
    assert 0 < spent <= 500_000_000
    assert at.query_params["anggaran"] in ("500000000", ["500000000"])
    assert "jumlah_umkm:" in str(at.query_params["bobot"]) and "Pemasaran:60" in str(at.query_params["porsi"])
    candidates = next(d.value for d in at.dataframe if "NIK" in d.value.columns)
    shown = [v for v in candidates["NIK"] if v != "–"]  # a missing NIK shows as an en dash
    assert len(shown) > 0.8 * len(candidates) and all(re.fullmatch(r"\d{4}\*{8}\d{4}", v) for v in shown)
    assert any(b.label == "Unduh Excel" for b in at.get("download_button"))
    assert any("Data sampai Oktober 2017" in c.value and "Filter: semua data" in c.value for c in at.caption)


def test_anggaran_weights_change_the_ranking_and_the_link():
    at = _anggaran()
    before = list(_seats(at)["Kecamatan"])
    for key in ("jumlah_umkm", "belum_pemasaran", "pasar_lokal", "tanpa_izin", "pertumbuhan"):
        at.select_slider(key=f"anggaran_bobot_{key}").set_value(0.0)
    at.select_slider(key="anggaran_bobot_tanpa_online").set_value(5.0).run()
    assert not at.exception, [e.value for e in at.exception]
    after = _seats(at)
    assert list(after["Kecamatan"]) != before
    criteria = next(e for e in at.expander if e.label == "Nilai kriteria per kecamatan").dataframe[0].value
    offline = criteria.set_index("Kecamatan")["Belum berjualan online"]
    offline = offline.str.rstrip("%").str.replace(",", ".").astype(float)
    assert after["Kecamatan"].iloc[0] == offline.idxmax()
    assert "tanpa_online:5" in str(at.query_params["bobot"]) and "jumlah_umkm:0" in str(at.query_params["bobot"])


def test_anggaran_inputs_read_and_write_indonesian_numbers():
    """The budget reads as "Rp 500.000.000" (not 300000000), weights as "1,5" (not 1.50), and the link
    carries whole rupiah (not 1435606.0606060605)."""
    at = _anggaran()
    assert at.text_input(key="anggaran_total").value == "Rp 500.000.000"
    weight = at.select_slider(key="anggaran_bobot_belum_pemasaran")
    assert weight.value == 3.0 and weight.format_func(1.5) == "1,5" and weight.format_func(3.0) == "3"
    costs = str(at.query_params["biaya"])
    assert re.search(r"Pemasaran:\d+(,|$|'|\])", costs) and "." not in costs.replace("Produksi & Mutu", ""), costs
    at.text_input(key="anggaran_total").input("300 juta").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["anggaran"] in ("300000000", ["300000000"])
    assert int(_cards(at)["Anggaran terpakai"].removeprefix("Rp ").split()[0].replace(".", "").replace(",", "")) > 0
    at.text_input(key="anggaran_total").input("tiga ratus").run()
    assert any("tetap memakai Rp 300.000.000" in e.value for e in at.error), [e.value for e in at.error]
    assert at.query_params["anggaran"] in ("300000000", ["300000000"])  # the last amount that could be read


def test_anggaran_zero_budget_gives_an_empty_plan_and_says_why():
    at = _anggaran()
    at.text_input(key="anggaran_total").input("0").run()
    assert not at.exception
    assert _cards(at)["Kursi pelatihan"] == "0"
    assert any(i.value.startswith("Belum ada kursi") and "anggaran" in i.value.lower() for i in at.info)
    assert set(_seats(at)["Total kursi"]) == {"0"}


def test_anggaran_a_link_reopens_the_plan():
    at = _anggaran(anggaran="100000000", porsi="Kemasan:1", bobot="tanpa_izin:2")
    assert at.text_input(key="anggaran_total").value == "Rp 100.000.000"
    assert at.number_input(key="anggaran_porsi_pemasaran").value == 0
    assert at.select_slider(key="anggaran_bobot_tanpa_izin").value == 2
    assert at.select_slider(key="anggaran_bobot_jumlah_umkm").value == 0
    seats = _seats(at)
    assert "Kursi Kemasan" in seats.columns and "Kursi Pemasaran" not in seats.columns


# --------------------------------------------------------------------------------------------------
# Mode Presentasi


def _presentasi(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PRESENTASI.path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_presentasi_steps_through_the_views_with_stamps():
    from analysis import report

    at = _presentasi()
    assert any("stSidebar" in m.value and "display: none" in m.value for m in at.markdown)  # no sidebar clutter
    seen = []
    for _ in range(7):
        seen.append(at.header[0].value)
        assert any(c.value.startswith("Sumber: ") and "Data sampai Oktober 2017" in c.value and "Filter: semua data"
                   in c.value for c in at.caption), [c.value for c in at.caption]
        if at.button(key="presentasi_berikutnya").disabled:
            break
        at.button(key="presentasi_berikutnya").click().run()
        assert not at.exception, [e.value for e in at.exception]
    assert seen == list(report.SLIDE_TITLES.values())
    assert at.query_params["langkah"] in ("7", ["7"])
    at.button(key="presentasi_sebelumnya").click().run()
    assert at.header[0].value == report.SLIDE_TITLES[report.BUDGET]


def test_presentasi_a_link_opens_its_step_with_the_filters():
    at = _presentasi(langkah="4", kec="Natar")
    assert at.header[0].value == "Tren penjualan per kategori produk"
    assert any("kecamatan: Natar" in c.value for c in at.caption)
    assert any(b.label == "Unduh PowerPoint" for b in at.get("download_button"))
