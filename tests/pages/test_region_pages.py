"""The dashboard for another region (Kota Balikpapan, 64.71) on a small registry of its own, run with
AppTest: the pages run, name the region, and the map draws Balikpapan's shipped kecamatan polygons."""
from __future__ import annotations

import json

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from analysis.core.paths import ROOT
from ui.navigation import PAGES

APP = str(ROOT / "app.py")
BALIKPAPAN = ["Balikpapan Barat", "Balikpapan Kota", "Balikpapan Selatan", "Balikpapan Tengah", "Balikpapan Timur",
              "Balikpapan Utara"]
SHOWN = ("pages/ringkasan.py", "pages/peta_kecamatan.py", "pages/tren_kategori.py", "pages/prioritas_anggaran.py")


@pytest.fixture
def balikpapan(tmp_path, configure):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["No", "Nama Usaha", "Nama Pemilik", "Kelurahan", "Kecamatan", "Produk", "Omzet per Tahun"])
    products = ["amplang", "kepiting asap", "batik", "roti", "kopi bubuk", "keripik"]
    for n in range(60):
        kecamatan = BALIKPAPAN[n % 5]  # Balikpapan Utara has none: grey on the map
        sheet.append([n + 1, f"Usaha {n}", f"Pemilik {n}", "", kecamatan, products[n % 6], 50_000_000 + n * 1_000_000])
    folder = tmp_path / "kantor"
    folder.mkdir()
    book.save(folder / "data_umkm_balikpapan.xlsx")
    configure(data_dir=folder, wilayah="64.71")


def _run(path: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    if path != PAGES[0].path:
        at.switch_page(path).run()
    return at


@pytest.mark.parametrize("path", SHOWN)
def test_pages_run_for_kota_balikpapan(balikpapan, path):
    at = _run(path)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    texts = " ".join(m.value for m in [*at.caption, *at.markdown] if isinstance(m.value, str))
    assert "Lampung Selatan" not in texts.replace("hanya ada untuk Kabupaten Lampung Selatan", "")


def test_balikpapan_map_draws_its_shipped_polygons(balikpapan):
    at = _run("pages/peta_kecamatan.py")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert sorted(n for trace in spec["data"] for n in trace["locations"]) == BALIKPAPAN
    assert sorted(f["id"] for f in spec["data"][0]["geojson"]["features"]) == BALIKPAPAN
    assert any("Batas perkiraan" in c.value for c in at.caption)
    ringkasan = _run("pages/ringkasan.py")
    assert any("Kota Balikpapan" in c.value for c in ringkasan.caption)
    assert int({m.label: m.value for m in ringkasan.metric}["Jumlah UMKM"]) == 60


@pytest.fixture
def provinsi_lampung(tmp_path, configure):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["No", "Nama Usaha", "Nama Pemilik", "Kecamatan", "Kabupaten", "Produk", "Omzet per Tahun"])
    places = [("Natar", "Lampung Selatan"), ("Kalianda", "Lampung Selatan"), ("Kedaton", "Kota Bandar Lampung"),
              ("Gedong Tataan", "Pesawaran"), ("Metro Pusat", "Kota Metro")]
    for n in range(50):
        kecamatan, kabupaten = places[n % 5]
        sheet.append([n + 1, f"Usaha {n}", f"Pemilik {n}", kecamatan, kabupaten, "keripik pisang", 60_000_000 + n])
    folder = tmp_path / "provinsi"
    folder.mkdir()
    book.save(folder / "data_umkm_provinsi_lampung.xlsx")
    configure(data_dir=folder, wilayah="18")


def test_provinsi_region_maps_its_kabupaten_then_their_kecamatan(provinsi_lampung):
    at = _run("pages/peta_kecamatan.py")
    assert not at.exception, [e.value for e in at.exception]
    kabupaten_map = json.loads(at.get("plotly_chart")[0].proto.spec)
    counts = {loc: z for trace in kabupaten_map["data"] for loc, z in zip(trace["locations"], trace["z"])}
    assert len(counts) == 15 and counts["Kabupaten Lampung Selatan"] == 20 and counts["Kota Metro"] == 10
    kecamatan_map = json.loads(at.get("plotly_chart")[1].proto.spec)
    assert len([n for trace in kecamatan_map["data"] for n in trace["locations"]]) == 229
    at.selectbox(key="peta_kabupaten").select("Kota Metro").run()
    assert not at.exception, [e.value for e in at.exception]
    narrowed = json.loads(at.get("plotly_chart")[1].proto.spec)
    assert sorted(n for trace in narrowed["data"] for n in trace["locations"]) == [
        "Metro Barat", "Metro Pusat", "Metro Selatan", "Metro Timur", "Metro Utara"]


def test_provinsi_region_sidebar_filters_by_kabupaten(provinsi_lampung):
    at = _run("pages/ringkasan.py")
    assert int({m.label: m.value for m in at.metric}["Jumlah UMKM"]) == 50
    at.sidebar.multiselect(key="filter_kabupaten").select("Kota Bandar Lampung").run()
    assert not at.exception, [e.value for e in at.exception]
    assert int({m.label: m.value for m in at.metric}["Jumlah UMKM"]) == 10
    assert set(at.sidebar.multiselect(key="filter_kecamatan").options) >= {"Kedaton", "Rajabasa (Kota Bandar Lampung)"}
