"""The real public spreadsheets of other offices in ../shared/data/real_world (described file by file in its
SOURCES.md), read from there, never copied into the repo: what a careful person reads in each of them is
pinned here, file by file (the README's table "File nyata dari kantor lain" gives the same figures).

None of these files is about Lampung Selatan: their registries' rows are rejected for their region, with
that reason; what is checked is that each is read as what it is (registry, recap, sales series), with
its columns understood and every row accounted for."""
from __future__ import annotations

import os

import pytest

from analysis.core.paths import SHARED_DIR
from analysis.ingest import ingest_paths

FOLDER = SHARED_DIR / "data" / "real_world"


@pytest.fixture(scope="module")
def result():
    if not FOLDER.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{FOLDER} tidak ada, padahal CI=true: file nyata wajib ada di CI")
        pytest.skip(f"{FOLDER} tidak ada: file nyata dari kantor lain hanya ada di mesin pengembang/CI")
    return ingest_paths([FOLDER])


def _sheets(result, name: str) -> list[dict]:
    entries = [e for e in result.report["files"] if e["path"] == name]
    assert entries, name
    return entries


def _counts(result, name: str) -> tuple[set, int, int, int, int, int]:
    entries = _sheets(result, name)
    return ({e["kind"] for e in entries}, *(sum(e[k] for e in entries) for k in
                                            ("rows_read", "rows_kept", "rows_merged", "rows_rejected", "rows_skipped")))


# file -> (kinds, read, kept, merged, rejected, skipped): the README table
EXPECTED = {
    "bps_imk_jumlah_usaha_kbli2digit_2010_2024.csv": ({"lainnya"}, 688, 0, 0, 0, 688),
    "brebes_jatibarang_umkm_kuliner_gmaps.csv": ({"producers"}, 181, 0, 0, 181, 0),
    "cilacap_kroya_rekap_umkm_binaan.csv": ({"producers"}, 528, 0, 0, 528, 0),
    "cilacap_kroya_umkm_qgis_export.csv": ({"producers"}, 220, 0, 0, 220, 0),
    "diskuk-od_17367_jml_ush_mikro_kecil_menengah_umkm_binaan__jenis_ush_data.csv": ({"lainnya"}, 1215, 0, 0, 0, 1215),
    "diskuk-od_17372_proyeksi_jml_ush_mikro_kecil_menengah_umkm__kabupatenk_data.csv": ({"lainnya"}, 216, 0, 0, 0, 216),
    "indonesia_umkm_nasional_1997_2019.csv": ({"lainnya"}, 4, 0, 0, 0, 4),
    "jatim_umkm_binaan_sidt_omset_2019_2021.csv": ({"producers"}, 3388, 0, 0, 3388, 0),
    "jatim_upt_pelatihan_umkm_rekap_2024.xlsx": ({"lainnya"}, 93, 0, 0, 0, 93),
    "pedal_store25_shopee_orders_2020_2024.xlsx": ({"sales"}, 1944, 1944, 0, 0, 0),
    "roti_woke_penjualan_harian_2021.xlsx": ({"sales"}, 819, 819, 0, 0, 0),
    "roti_woke_peramalan_bulanan_2021.xlsx": ({"lainnya"}, 80, 0, 0, 0, 80),
    "si_ikm_kediri_template_import.xlsx": ({"producers"}, 4, 0, 0, 4, 0),
    "sleman_rekap_umkm_sektor_kapanewon_2022.csv": ({"lainnya"}, 329, 0, 0, 0, 329),
    "umkm_gmaps_diy_jateng_bangkit.csv": ({"producers"}, 54, 0, 0, 54, 0),
    "umkm_jabar.csv": ({"lainnya"}, 1350, 0, 0, 0, 1350),
    "umkm_profil_bisnis_5prov_2008_2017.csv": ({"producers"}, 200, 0, 0, 200, 0),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_real_file_is_read_as_what_it_is_and_every_row_is_accounted(result, name):
    assert _counts(result, name) == EXPECTED[name]
    for entry in _sheets(result, name):
        assert entry["rows_read"] == entry["rows_kept"] + entry["rows_merged"] + entry["rows_rejected"] + entry["rows_skipped"]


def test_the_whole_folder_adds_up(result):
    assert result.report["totals"]["balanced"] is True
    assert result.report["totals"]["files_error"] == 0


def test_recap_owner_names_products_and_split_workers(result):
    """Cilacap: "UMKM" holds owners, "USAHA" products (tempe, tahu), TK_TETAP + TK_LEPAS are the workers."""
    for name in ("cilacap_kroya_rekap_umkm_binaan.csv", "cilacap_kroya_umkm_qgis_export.csv"):
        entry = _sheets(result, name)[0]
        assert entry["columns"]["UMKM"] == "nama_pemilik" and entry["columns"]["USAHA"] == "produk"
        assert entry["columns"]["KEC."] == "kecamatan" and entry["columns"]["OMZET"] == "omzet"
        assert any("TK_TETAP' + 'TK_LEPAS" in note for note in entry["notes"])
        assert entry["message"].endswith("baris karena kecamatan di luar wilayah Lampung Selatan (Kroya).")


def test_ikm_template_production_value_phone_and_workers(result):
    entry = _sheets(result, "si_ikm_kediri_template_import.xlsx")[0]
    columns = entry["columns"]
    assert columns["NILAI"] == "nilai_produksi" and "omzet" not in columns.values()
    assert columns["TELP/FAX"] == "no_hp" and columns["NAMA PERUSAHAAN"] == "nama_usaha"
    assert columns["NAMA PRODUK"] == "produk"
    assert any("'TENAGA KERJA Pr' + 'TENAGA KERJA Lk' + 'TENAGA KERJA As'" in note for note in entry["notes"])


def test_business_profiles_assets_apart_from_sales(result):
    columns = _sheets(result, "umkm_profil_bisnis_5prov_2008_2017.csv")[0]["columns"]
    assert columns["total_aset"] == "aset_rp" and columns["penjualan_rata_pertahun"] == "omzet"
    assert columns["produk_utama"] == "produk" and columns["nama_perusahaan"] == "nama_usaha"


def test_province_registry_rejected_for_its_region_in_one_sentence(result):
    entry = _sheets(result, "jatim_umkm_binaan_sidt_omset_2019_2021.csv")[0]
    assert entry["columns"]["BIAYA_PRODUKSI_2019"] == "biaya" and entry["columns"]["KAB_KOTA"] == "wilayah"
    assert "produk" not in {entry["columns"].get(h) for h in ("BIAYA_PRODUKSI_2020", "GAJI_KARYAWAN_2019")}
    assert entry["message"].startswith("0 dari 3.388 baris dipakai. Sisanya: 3.388 baris karena wilayah di luar "
                                       "Kabupaten Lampung Selatan ([")
    assert entry["message"].count(".") <= 4  # "3.388" twice, and the sentences' ends


def test_registries_without_kecamatan_column_are_registries(result):
    for name in ("brebes_jatibarang_umkm_kuliner_gmaps.csv", "umkm_gmaps_diy_jateng_bangkit.csv"):
        entry = _sheets(result, name)[0]
        assert entry["kind"] == "producers" and entry["columns"]["Nama UMKM"] == "nama_usaha"


def test_daily_sales_of_one_bakery_match_its_own_monthly_totals(result):
    """roti_woke_penjualan_harian: 9 month sheets of `tanggal | penjualan | varian`, kept as unlinked sales;
    the month sums equal the month totals the same bakery typed in roti_woke_peramalan_bulanan."""
    sales = result.sales[result.sales["sumber_file"] == "roti_woke_penjualan_harian_2021.xlsx"]
    assert sales["umkm_id"].isna().all()
    by_month = sales.groupby("bulan")["nilai_rp"].sum()
    assert by_month.tolist() == [2037, 2541, 2871, 2574, 1171, 3616, 3571, 3026, 3746]
    assert all("belum terhubung" in e["message"] for e in _sheets(result, "roti_woke_penjualan_harian_2021.xlsx"))


def test_shop_orders_are_price_times_quantity(result):
    sales = result.sales[result.sales["sumber_file"] == "pedal_store25_shopee_orders_2020_2024.xlsx"]
    assert len(sales) == 1944 and sales["bulan"].min().year == 2020 and sales["bulan"].max().year == 2024
    first = sales.sort_values("sumber_baris").iloc[0]
    assert (first["produk"], first["nilai_rp"], first["volume"]) == ("Tali kaki burung tekukur", 55_000, 11)


def test_recaps_stay_recaps(result):
    for name in ("umkm_jabar.csv", "diskuk-od_17367_jml_ush_mikro_kecil_menengah_umkm_binaan__jenis_ush_data.csv",
                 "bps_imk_jumlah_usaha_kbli2digit_2010_2024.csv", "sleman_rekap_umkm_sektor_kapanewon_2022.csv"):
        assert {e["kind"] for e in _sheets(result, name)} == {"lainnya"}
    assert result.producers.empty


def test_side_by_side_month_blocks_are_refused_not_guessed(result):
    """roti_woke_peramalan_bulanan: month blocks `tanggal | penjualan` side by side; pairing the first date
    column with the first value column would be wrong, so the sheet is not loaded and says why."""
    entry = _sheets(result, "roti_woke_peramalan_bulanan_2021.xlsx")[0]
    assert entry["kind"] == "lainnya" and "berdampingan" in entry["message"]


def test_two_column_recaps_are_called_recaps(result):
    """The UPT training recap: label | count sheets without a header of ours are said to be recaps."""
    messages = {e["sheet"]: e["message"] for e in _sheets(result, "jatim_upt_pelatihan_umkm_rekap_2024.xlsx")}
    assert all("tabel rekap" in messages[s] for s in ("Disabilitas", "Karyawan", "Wilayah", "Bidang", "Masalah", "Pelatihan"))
