"""Recognition against the national code list for a region other than Lampung Selatan: a small registry
of Kota Balikpapan (64.71) ingested with its region set keeps its rows; a row from elsewhere is rejected
naming where it is; desa are stored by canonical name and code."""
from __future__ import annotations

import pytest

from analysis.core import places
from analysis.ingest import ingest_paths
from analysis.ingest.cleaning import KecamatanMatcher

HEADER = ["No", "Nama Usaha", "Nama Pemilik", "Desa/Kelurahan", "Kecamatan", "Produk", "Omzet per Tahun"]
ROWS = [
    [1, "Amplang Bu Sri", "Sri Wahyuni", "Kel. Manggar", "Balikpapan Timur", "amplang", "Rp 60.000.000"],
    [2, "Kepiting Karya", "Andi Baso", "Gunung Samarinda", "Kec. Balikpapan Utara", "kepiting asap", "120 jt"],
    [3, "Batik Beruang Madu", "Rina", "Jl. Sudirman No 3, Kelurahan Klandasan Ilir", "balikpapan kota", "batik", "90.000.000"],
    [4, "Keripik Natar", "Joko", "Merak Batin", "Natar", "keripik pisang", "50.000.000"],
    [5, "Amplang Samarinda", "Dewi", "", "Samarinda Ulu", "amplang", "70.000.000"],
    [6, "Roti Tengah", "Budi", "Gunung Sari Ulu", "Balikpapan Tengh", "roti", "80.000.000"],
]


@pytest.fixture
def registry(make_workbook):
    return make_workbook("data_umkm_balikpapan.xlsx", {"UMKM": [["DATA UMKM BINAAN KOTA BALIKPAPAN 2024"], [], HEADER, *ROWS]})


def test_balikpapan_registry_keeps_its_rows_with_its_region_set(configure, registry):
    configure(wilayah="64.71")
    result = ingest_paths([registry])
    producers = result.producers.set_index("nama_usaha")
    assert sorted(producers.index) == ["Amplang Bu Sri", "Batik Beruang Madu", "Kepiting Karya", "Roti Tengah"]
    assert producers.loc["Kepiting Karya", "kecamatan"] == "Balikpapan Utara"
    assert producers.loc["Roti Tengah", "kecamatan"] == "Balikpapan Tengah"  # a typo within the region
    assert producers["kode_kecamatan"].str.startswith("64.71.").all()
    reasons = set(result.rejected["alasan"])
    assert "Natar, Kabupaten Lampung Selatan: di luar wilayah Kota Balikpapan" in reasons
    assert "Samarinda Ulu, Kota Samarinda: di luar wilayah Kota Balikpapan" in reasons
    totals = result.report["totals"]
    assert totals["rows_read"] == totals["rows_kept"] + totals["rows_merged"] + totals["rows_rejected"] + totals["rows_skipped"]


def test_balikpapan_desa_are_stored_by_name_and_code(configure, registry):
    configure(wilayah="64.71")
    producers = ingest_paths([registry]).producers.set_index("nama_usaha")
    assert producers.loc["Amplang Bu Sri", ["desa", "kode_desa"]].tolist() == ["Manggar", "64.71.01.1001"]
    assert producers.loc["Batik Beruang Madu", "desa"] == "Klandasan Ilir"  # named inside an address
    assert producers["kode_desa"].notna().all()
    assert producers["kode_desa"].str[:8].tolist() == producers["kode_kecamatan"].tolist()


def test_the_same_registry_under_lampung_selatan_names_kota_balikpapan(registry):
    result = ingest_paths([registry])
    reasons = result.rejected["alasan"].tolist()
    assert "Balikpapan Timur, Kota Balikpapan: di luar wilayah Lampung Selatan" in reasons
    assert result.producers["nama_usaha"].tolist() == ["Keripik Natar"]
    assert result.producers["desa"].tolist() == ["Merak Batin"]


def test_province_region_recognises_every_kecamatan_of_its_kabupaten():
    matcher = KecamatanMatcher(wilayah="18")
    assert matcher.match("Natar").value == "Natar"
    assert matcher.match("Kedaton").value == "Kedaton"  # Kota Bandar Lampung is in the provinsi
    assert matcher.match("Rajabasa").error.startswith("kecamatan 'Rajabasa' ada di 2 kabupaten/kota")
    assert matcher.match("Rajabasa, Bandar Lampung").value == "Rajabasa (Kota Bandar Lampung)"
    assert matcher.match("Kec. Rajabasa Kab. Lampung Selatan").value == "Rajabasa (Lampung Selatan)"
    assert matcher.match("Balikpapan Timur").error == "Balikpapan Timur, Kota Balikpapan: di luar wilayah Provinsi Lampung"


def test_a_name_in_several_kabupaten_is_the_regions_own_first():
    # Rajabasa is a kecamatan of Lampung Selatan and of Kota Bandar Lampung
    assert KecamatanMatcher(wilayah="18.01").match("Rajabasa").value == "Rajabasa"
    assert KecamatanMatcher(wilayah="18.71").match("Rajabasa").value == "Rajabasa"
    assert "di luar wilayah Kota Bandar Lampung" in KecamatanMatcher(wilayah="18.71").match("Natar").error


@pytest.mark.parametrize("text, kecamatan, expected", [
    ("Karya Mulyasari", "18.01.17", ("Karya Mulya Sari", "18.01.17.2014")),
    ("Ds. Karya Mulya Sari", "18.01.17", ("Karya Mulya Sari", "18.01.17.2014")),
    ("Jl. Melati RT 02, Desa Karya Mulyasari, Kec. Candipuro", "18.01.17", ("Karya Mulya Sari", "18.01.17.2014")),
    ("Karya Mulyasri", "18.01.17", ("Karya Mulya Sari", "18.01.17.2014")),
    ("Suka Negara", "18.01.05", ("Sukanegara", "18.01.05.2004")),
    ("Karya Mulyasari", "18.01.04", None),  # never guessed across kecamatan
    ("Rawi", "18.01.17", None),
    (None, "18.01.17", None),
])
def test_desa_matcher(text, kecamatan, expected):
    assert places.DesaMatcher("18.01").match(text, kecamatan) == expected


def test_real_cilacap_registry_keeps_its_rows_with_its_region_set(shared_dir, configure, assert_balanced):
    """A real registry of Kecamatan Kroya, Kabupaten Cilacap (../shared/data/real_world), read with the
    region set to Cilacap (33.01): its rows are kept; under Lampung Selatan each is rejected naming Kroya."""
    path = shared_dir / "data" / "real_world" / "cilacap_kroya_rekap_umkm_binaan.csv"
    configure(wilayah="33.01")
    result = ingest_paths([path])
    assert_balanced(result)
    assert len(result.producers) > 450 and set(result.producers["kecamatan"]) == {"Kroya"}
    assert set(result.producers["kode_kecamatan"]) == {"33.01.06"}
    assert not result.rejected["alasan"].str.contains("di luar wilayah").any()
    configure(wilayah="18.01")
    elsewhere = ingest_paths([path])
    assert len(elsewhere.producers) == 0
    assert set(elsewhere.rejected["alasan"]) == {
        "Kroya, Kabupaten Indramayu atau Kabupaten Cilacap: di luar wilayah Lampung Selatan"}


def test_ingest_command_takes_the_region(registry, tmp_path, capsys):
    from analysis.ingest.__main__ import main as ingest_command

    assert ingest_command(["--wilayah", "99.99", "--out", str(tmp_path / "x"), str(registry)]) == 2
    assert "99.99 tidak ada" in capsys.readouterr().err
    assert ingest_command(["--wilayah", "6471", "--no-cache", "--out", str(tmp_path / "hasil"), str(registry)]) == 0
    import pandas as pd

    producers = pd.read_parquet(tmp_path / "hasil" / "producers.parquet")
    assert len(producers) == 4 and producers["kode_kecamatan"].str.startswith("64.71.").all()
    assert producers["kode_desa"].notna().all()


def test_a_kabupaten_column_tells_twin_kecamatan_of_a_provinsi_apart(configure, make_workbook):
    """Rajabasa is a kecamatan of Lampung Selatan and of Kota Bandar Lampung: in a provinsi region the
    row's own kabupaten/kota column decides; a row outside the provinsi is rejected by that column."""
    path = make_workbook("d/provinsi.xlsx", {"Data": [
        ["KAB_KOTA", "KECAMATAN", "NAMA_PEMILIK", "NAMA_USAHA", "PRODUK"],
        ["Kab. Lampung Selatan", "RAJABASA", "Sri Wahyuni", "Keripik Bu Sri", "keripik"],
        ["[71] KOTA BANDAR LAMPUNG", "Rajabasa", "Andi Baso", "Kopi Rajabasa", "kopi"],
        ["", "Rajabasa", "Rina Marlina", "Tapis Rina", "tapis"],
        ["[27] SAMPANG", "KETAPANG", "Ratoh Ali", "Batik Ratoh", "batik"],
    ]})
    configure(wilayah="18")
    result = ingest_paths([path.parent])
    kecamatan = result.producers.set_index("nama_usaha")["kecamatan"]
    assert kecamatan.to_dict() == {"Keripik Bu Sri": "Rajabasa (Lampung Selatan)",
                                   "Kopi Rajabasa": "Rajabasa (Kota Bandar Lampung)"}
    reasons = result.rejected.set_index("nama_usaha")["alasan"] if "nama_usaha" in result.rejected else None
    alasan = set(result.rejected["alasan"])
    assert any(r.endswith("tulis nama kabupaten/kotanya") for r in alasan), reasons
    assert "wilayah '[27] SAMPANG' di luar Provinsi Lampung" in alasan
    message = result.report["files"][0]["message"]
    assert "nama kecamatan ada di lebih dari satu kabupaten/kota (tulis nama kabupaten/kotanya) (Rajabasa)" in message


@pytest.mark.parametrize(("wilayah", "written", "kept"), [
    ("34", "Yogyakarta", True),  # the code list says "Daerah Istimewa Yogyakarta"
    ("34", "D.I. Yogyakarta", True),
    ("34", "Jawa Tengah", False),
    ("18.01", "Lamsel", True),
    ("18.01", "Kab. Lampung Timur", False),
])
def test_a_province_or_kabupaten_column_is_read_as_people_write_it(configure, make_workbook, wilayah, written, kept):
    header = "Provinsi" if wilayah == "34" else "Kabupaten"
    kecamatan = "Depok" if wilayah == "34" else "Natar"
    path = make_workbook("d/wilayah.xlsx", {"Data": [
        ["Nama Usaha", "Nama Pemilik", header, "Kecamatan", "Produk"],
        ["Bakpia Bu Sri", "Sri Wahyuni", written, kecamatan, "bakpia"],
    ]})
    configure(wilayah=wilayah)
    result = ingest_paths([path.parent])
    assert (len(result.producers) == 1) is kept, set(result.rejected["alasan"])


def test_real_jatim_registry_keeps_its_rows_with_its_provinsi_set(shared_dir, configure, assert_balanced):
    """The SIDT registry of Jawa Timur (../shared/data/real_world): with the region set to the provinsi (35)
    its KAB_KOTA column resolves the kecamatan names found in two kabupaten (TAMAN of Sidoarjo or of Kota
    Madiun); nearly every row is kept."""
    path = shared_dir / "data" / "real_world" / "jatim_umkm_binaan_sidt_omset_2019_2021.csv"
    configure(wilayah="35")
    result = ingest_paths([path])
    assert_balanced(result)
    entry = result.report["files"][0]
    assert entry["rows_kept"] / entry["rows_read"] > 0.95, entry["message"]
    assert result.producers["kode_kecamatan"].str.startswith("35.").all()
    sidoarjo_taman = result.producers[result.producers["kecamatan"] == "Taman (Sidoarjo)"]
    assert len(sidoarjo_taman) >= 10


def test_coordinates_place_a_row_without_kecamatan(configure, make_workbook):
    """A Google Maps export names no kecamatan but carries coordinates in degrees: the shipped polygon that
    holds the point gives the kecamatan (a fix the report names); a latitude and longitude written the wrong
    way round are swapped; a point outside the region is rejected saying so; UTM metres are not degrees."""
    path = make_workbook("d/gmaps.xlsx", {"Data": [
        ["Nama UMKM", "Pemilik", "Latitude_umkm", "Longitude_umkm", "Produk"],
        ["Keripik Pisang Natar Jaya", "Sri Wahyuni", "-5,3291", "105,2236", "keripik"],  # Natar
        ["Kopi Kalianda Asri", "Andi Baso", 105.5956, -5.7287, "kopi"],  # Kalianda, written the wrong way round
        ["Bakpia Pathok 25", "Rina Marlina", -7.7956, 110.3695, "bakpia"],  # Yogyakarta
        ["Tapis Indah", "Dewi Lestari", 9154907.4, 306870.3, "tapis"],  # UTM metres
    ]})
    configure(wilayah="18.01")
    result = ingest_paths([path.parent])
    kecamatan = result.producers.set_index("nama_usaha")["kecamatan"].to_dict()
    assert kecamatan == {"Keripik Pisang Natar Jaya": "Natar", "Kopi Kalianda Asri": "Kalianda"}
    entry = result.report["files"][0]
    assert entry["fixes"]["kecamatan_dari_koordinat"] == 2
    reasons = set(result.rejected["alasan"])
    assert "koordinat (-7,79560; 110,36950) di luar wilayah Lampung Selatan" in reasons
    assert "kecamatan tidak diketahui" in " ".join(reasons)  # the UTM row
    assert "koordinat di luar wilayah Lampung Selatan (-7,79560; 110,36950)" in entry["message"]
