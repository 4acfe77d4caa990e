"""Direktori UMKM and the producer profile, run with AppTest on the bundled demo data: search, the
directory's filters, sorting and paging on the whole result, the query in the URL, the profile with its
trainings on the chart and its source rows, the links from the directory and from Prioritas Anggaran,
and the public view that shows neither."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.core.paths import DEMO_RAW_DIR, ROOT
from analysis.ingest.cache import cached_ingest
from analysis.insight import directory as dirx
from ui import directory as ui_dir
from ui.navigation import PAGES

APP = str(ROOT / "app.py")
DIREKTORI = next(spec for spec in PAGES if spec.path == "pages/direktori.py")
ANGGARAN = next(spec for spec in PAGES if spec.path == "pages/prioritas_anggaran.py")
VCO_WAY_SULAN = "UMKM-494F94D63F"  # UD Sentosa, VCO in desa Sumber Agung: trained in Kemasan and Kelembagaan


@pytest.fixture(scope="module")
def producers() -> pd.DataFrame:
    return cached_ingest([DEMO_RAW_DIR]).producers


def _open(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(DIREKTORI.path).run()
    _no_errors(at)
    return at


def _no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _counts(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "UMKM cocok dari" in m.value)


def _table(at: AppTest) -> pd.DataFrame:
    return at.dataframe[0].value


def test_the_directory_lists_every_producer_fifty_at_a_time(producers):
    at = _open()
    assert [t.value for t in at.title] == [DIREKTORI.title]
    assert _counts(at) == f"**{len(producers):,} UMKM cocok dari {len(producers):,}**".replace(",", ".")
    table = _table(at)
    assert len(table) == dirx.PAGE_SIZE
    nik = table[dirx.COL_NIK]
    assert (nik.str.contains(r"\*{8}") | nik.eq("–")).all()  # masked (nobody is logged in) or not recorded


def test_a_search_finds_the_coconut_oil_maker_of_candipuro_and_writes_the_url():
    at = _open()
    at.text_input(key=ui_dir.KEY_TEXT).set_value("VCO candipuro").run()
    _no_errors(at)
    assert _counts(at) == "**1 UMKM cocok dari 2.500**"
    row = _table(at).iloc[0]
    # The desa as the national code list spells it (the registry wrote "Cintamulya").
    assert (row[dirx.COL_NAMA], row[dirx.COL_PRODUK], row["Desa"]) == ("UD Bahari", "Minyak Kelapa", "Cinta Mulya")
    assert row[ui_dir.COL_LINK] == "./?q=VCO+candipuro&umkm=UMKM-DB029F7883"
    assert at.query_params["q"] == "VCO candipuro"
    at.text_input(key=ui_dir.KEY_DESA).set_value("Desa Karya Mulyasari").run()  # spelled "Karya Mulya Sari"
    assert _counts(at) == "**0 UMKM cocok dari 2.500**"
    assert at.download_button(key=ui_dir.KEY_DOWNLOAD).proto.disabled


def test_a_link_reopens_the_search_with_its_filters(producers):
    at = _open({"q": "vco", "kec": "Way Sulan", "desa": "sumber agung", "sudah": "Kemasan"})
    assert at.text_input(key=ui_dir.KEY_TEXT).value == "vco"
    assert at.multiselect(key=ui_dir.KEY_DONE).value == ["Kemasan"]
    table = _table(at)
    assert list(table[dirx.COL_ID]) == [VCO_WAY_SULAN]
    assert "Kemasan" in table[dirx.COL_PELATIHAN].iloc[0]


def test_filters_by_desa_legality_and_trainings(producers):
    at = _open()
    at.text_input(key=ui_dir.KEY_DESA).set_value("karya mulyasari").run()
    in_desa = (producers["desa"] == "Karya Mulya Sari").sum()
    assert _counts(at) == f"**{in_desa} UMKM cocok dari 2.500**" and in_desa == 14
    at.text_input(key=ui_dir.KEY_DESA).set_value("").run()
    at.multiselect(key=ui_dir.legal_key("halal")).set_value([dirx.TIDAK_DIKETAHUI]).run()
    unknown = producers["halal"].isna().sum()
    assert _counts(at) == f"**{unknown:,} UMKM cocok dari 2.500**".replace(",", ".")
    assert set(_table(at)["Halal"]) == {"–"}  # not recorded, shown apart from "Tidak"
    at.multiselect(key=ui_dir.KEY_DONE).set_value(["Pemasaran"]).run()
    _no_errors(at)
    assert _table(at)[dirx.COL_PELATIHAN].str.contains("Pemasaran").all()
    assert at.query_params["halal"] == dirx.TIDAK_DIKETAHUI and at.query_params["sudah"] == "Pemasaran"


def test_sort_and_pages_apply_to_the_whole_result(producers):
    at = _open()
    first_page = list(_table(at)[dirx.COL_ID])
    at.number_input(key=ui_dir.KEY_PAGE).set_value(2).run()
    assert at.query_params["hal"] == "2"
    second_page = list(_table(at)[dirx.COL_ID])
    assert len(second_page) == dirx.PAGE_SIZE and not set(first_page) & set(second_page)
    at.selectbox(key=ui_dir.KEY_SORT).set_value("omzet").run()
    assert at.number_input(key=ui_dir.KEY_PAGE).value == 1  # a new order starts at the first page
    assert at.toggle(key=ui_dir.KEY_DESCENDING).value is True  # largest first
    largest = producers.sort_values("omzet_tahunan_rp", ascending=False)["umkm_id"].iloc[0]
    assert _table(at)[dirx.COL_ID].iloc[0] == largest
    assert at.query_params["urut"] == "omzet"


def test_the_profile_shows_sales_with_the_trainings_and_every_source_row():
    at = _open({"umkm": VCO_WAY_SULAN, "q": "vco"})
    assert [t.value for t in at.title] == ["Profil UMKM"]
    assert at.header[0].value == "UD Sentosa"
    cards = {m.label: m.value for m in at.metric}
    assert cards["Pelatihan diikuti"] == "2" and cards["Skala usaha"] == "Mikro"
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    traces = {trace["name"]: trace for trace in spec["data"]}
    assert set(traces) == {"UMKM ini", "Median UMKM sejenis", "Pelatihan"}
    marks = [row[0] for row in traces["Pelatihan"]["customdata"]]
    assert marks[0].startswith("Kemasan: ") and marks[1].startswith("Kelembagaan: ")
    frames = {tuple(d.value.columns): d.value for d in at.dataframe}
    since = next(f for columns, f in frames.items() if "Pelatihan pertama" in columns)
    assert list(since["Jenis"]) == ["Kemasan", "Kelembagaan"]
    registry = next(f for columns, f in frames.items() if "Alasan digabung" in columns)
    assert list(registry["Baris Excel"]) == ["14"] and registry["Berkas"].iloc[0].endswith("Way Sulan.xlsx")
    sales = next(f for columns, f in frames.items() if "Jumlah baris" in columns)
    assert len(sales) == 3  # three yearly sales workbooks name it
    at.button(key=ui_dir.KEY_BACK).click().run()
    _no_errors(at)
    assert [t.value for t in at.title] == [DIREKTORI.title]
    assert "umkm" not in at.query_params and at.text_input(key=ui_dir.KEY_TEXT).value == "vco"


def test_a_merged_producer_lists_both_registry_rows():
    result = cached_ingest([DEMO_RAW_DIR])
    sources = result.producer_sources
    merged = sources.loc[sources["dasar_gabung"] == "NIK sama", "umkm_id"].iloc[0]
    at = _open({"umkm": merged})
    registry = next(d.value for d in at.dataframe if "Alasan digabung" in d.value.columns)
    assert len(registry) >= 2 and "NIK sama" in set(registry["Alasan digabung"])


def test_an_unknown_code_says_so():
    at = _open({"umkm": "UMKM-TIDAKADA"})
    assert any("tidak ada di data" in w.value for w in at.warning)


def test_a_profile_link_to_the_root_opens_the_directory_page():
    """./?umkm=<kode> (the links of the tables) lands on the default page first: the router switches."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["umkm"] = VCO_WAY_SULAN
    at.run()
    _no_errors(at)
    assert [t.value for t in at.title] == ["Profil UMKM"] and at.header[0].value == "UD Sentosa"


def test_the_budget_candidates_link_to_their_profiles():
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page(ANGGARAN.path).run()
    _no_errors(at)
    candidates = next(d.value for d in at.dataframe if ui_dir.COL_LINK in d.value.columns)
    first = candidates.iloc[0]
    assert first[ui_dir.COL_LINK] == f"./?umkm={first['Kode UMKM']}"


def test_the_public_view_shows_no_directory_and_no_profile():
    for query in ({}, {"umkm": VCO_WAY_SULAN}):
        at = AppTest.from_file(APP, default_timeout=120)
        for key, value in query.items():
            at.query_params[key] = value
        at.session_state["tampilan_publik"] = True
        at.run()
        at.switch_page(DIREKTORI.path).run()
        _no_errors(at)
        assert any("Tampilan publik" in i.value for i in at.info)
        assert not at.dataframe and not at.get("plotly_chart")
        assert ui_dir.KEY_DOWNLOAD not in [b.key for b in at.download_button]


def test_profile_links_quote_an_id_as_urlencode_does():
    """Ids made of URL-safe characters go into the link as they are; any other id is quoted, and every
    link is the one ``profile_link`` (urlencode) makes."""
    ids = ["UMKM-00012", "a.b_c~d", "Ä 1/2&x=3", "id+plus", "", "x y"]
    table = pd.DataFrame({"umkm_id": pd.Series(ids, dtype="string"), "nama": ["n"] * len(ids)})
    linked, config = ui_dir.with_links(table, "umkm_id")
    assert linked[ui_dir.COL_LINK].tolist() == [ui_dir.profile_link(i) for i in ids]
    assert list(linked.columns) == [ui_dir.COL_LINK, "umkm_id", "nama"] and ui_dir.COL_LINK in config
