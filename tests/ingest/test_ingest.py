"""The ingest on small hand-made messy files: one layout trait per test, and the accounting invariant."""
from __future__ import annotations

import json
from datetime import datetime

import pandas as pd
import pytest

from analysis.ingest import ingest_paths
from analysis.ingest import sheet as ingest_sheet
from analysis.ingest.__main__ import main as ingest_command

TITLE = ["DATA UMKM BINAAN", None, None, None, None, None]


def test_header_found_under_merged_title_rows_with_kecamatan_only_in_title(make_workbook, assert_balanced):
    path = make_workbook("natar.xlsx", {"Sheet1": [
        TITLE,
        ["KECAMATAN NATAR TAHUN 2017"],
        [],
        ["No", "Nama Usaha", "Nama Pemilik", "Produk", "Omzet/bln", "No. HP"],
        [1, "Keripik Bu Sri", "Sri Wahyuni", "Keripik Pisang", "Rp 2.500.000,-", "0812-7234-5678"],
        [],
        [2, "Kopi Pak Darto", "Sudarto", "Kopi Bubuk", "1,5 jt", 81234567890],
        ["JUMLAH", None, None, None, 4000000, None],
    ]}, merges={"Sheet1": ["A1:F1", "A2:F2"]})
    result = ingest_paths([path])
    producers = result.producers.set_index("nama_usaha")
    assert list(producers["kecamatan"]) == ["Natar", "Natar"]
    assert producers.loc["Keripik Bu Sri", "omzet_tahunan_rp"] == 30_000_000  # per bulan x 12
    assert producers.loc["Kopi Pak Darto", "no_hp"] == "+6281234567890"
    assert producers.loc["Kopi Pak Darto", "kategori"] == "Minuman"
    entry = result.report["files"][0]
    assert entry["header_row"] == 4
    assert entry["reasons"][ingest_sheet.SKIP_TOTAL] == 1
    assert entry["reasons"][ingest_sheet.SKIP_BLANK] == 1
    assert entry["reasons"][ingest_sheet.SKIP_ABOVE_HEADER] == 2  # the two title rows
    assert (entry["rows_read"], entry["rows_kept"], entry["rows_skipped"]) == (6, 2, 4)
    assert_balanced(result)


def test_two_row_header_with_merged_group_cells(make_workbook, assert_balanced):
    path = make_workbook("kalianda.xlsx", {"Kec. Kalianda": [
        ["No", "Nama UMKM", "Pemilik", "Jenis Produk", "Legalitas", None, None],
        [None, None, None, None, "NIB", "PIRT", "Halal"],
        [1, "VCO Sehat", "Siti Aminah", "VCO", "Ya", "Tidak", "-"],
    ]}, merges={"Kec. Kalianda": ["E1:G1", "A1:A2", "B1:B2", "C1:C2", "D1:D2"]})
    result = ingest_paths([path])
    row = result.producers.iloc[0]
    assert row["kecamatan"] == "Kalianda"  # from the sheet name
    assert (row["nib"], row["pirt"]) == (True, False)
    assert pd.isna(row["halal"])
    assert row["kategori"] == "Olahan Kelapa"
    assert_balanced(result)


def test_csv_windows_1252_with_semicolons(tmp_path):
    path = tmp_path / "rajabasa.csv"
    text = "DATA UMKM KECAMATAN RAJA BASA\n\nNo;Nama Usaha;Nama Pemilik;Produk;Omzet Per Tahun\n1;Café Pantai;José;Kopi;Rp 12.000.000\n"
    path.write_bytes(text.encode("cp1252"))
    result = ingest_paths([path])
    row = result.producers.iloc[0]
    assert row["nama_usaha"] == "Café Pantai"
    assert row["kecamatan"] == "Rajabasa"
    assert row["omzet_tahunan_rp"] == 12_000_000


def test_other_kabupaten_and_unknown_kecamatan_are_rejected_with_reasons(make_workbook, assert_balanced):
    path = make_workbook("campur.xlsx", {"Data": [
        ["Nama Usaha", "Nama Pemilik", "Kecamatan", "Produk"],
        ["Toko A", "Ani", "Kedaton", "Kue"],
        ["Toko B", "Budi", "Sukamaju Raya", "Kue"],
        ["Toko C", "Cici", "Jatiagung", "Kue"],
        [None, None, "Natar", "Kue"],
    ]})
    result = ingest_paths([path])
    assert list(result.producers["kecamatan"]) == ["Jati Agung"]
    reasons = result.rejected.set_index("baris")["alasan"]
    assert "Bandar Lampung" in reasons[2]
    assert "Sukamaju Raya" in reasons[3]
    assert reasons[5] == ingest_sheet.REJECT_NO_NAME
    assert set(result.rejected["status"]) == {"ditolak"}
    assert_balanced(result)


def test_duplicates_across_files_merge_and_near_duplicates_are_listed(make_workbook, assert_balanced):
    header = ["Nama Usaha", "Nama Pemilik", "NIK", "Kecamatan", "Produk", "Tenaga Kerja"]
    first = make_workbook("a/natar.xlsx", {"S": [
        header,
        ["Keripik Bu Sri", "Sri Wahyuni", 1801010101010001, "Natar", "Keripik", None],
        ["Tapis Indah", "Rina", None, "Natar", "Tapis", 3],
        ["Keripik Bu Sri 2", "Budi Santoso", None, "Natar", "Keripik", 1],
    ]})
    make_workbook("a/ulang.xlsx", {"S": [
        header,
        ["KERIPIK  BU SRI", "sri wahyuni", "1801010101010001", "Natar", "Keripik", 4],  # same NIK
        ["tapis indah", "RINA", None, "kec. natar", "Tapis", None],  # same names
    ]})
    result = ingest_paths([first.parent])
    assert len(result.producers) == 3
    sri = result.producers.set_index("nama_usaha").loc["Keripik Bu Sri"]
    assert sri["tenaga_kerja"] == 4  # the merged row filled the missing value
    merged = {e["path"]: e["rows_merged"] for e in result.report["files"]}
    assert merged == {"natar.xlsx": 0, "ulang.xlsx": 2}
    assert len(result.near_duplicates) >= 1
    assert_balanced(result)


def test_broken_nik_becomes_missing_with_a_listed_problem(make_workbook):
    path = make_workbook("x.xlsx", {"Kec Palas": [
        ["Nama Usaha", "Nama Pemilik", "NIK", "Produk"],
        ["Terasi Mak Ijah", "Ijah", "1.80101E+15", "Terasi"],
    ]})
    result = ingest_paths([path])
    assert pd.isna(result.producers.iloc[0]["nik"])
    assert result.report["files"][0]["rows_fixed"] == 1
    assert len(result.cell_problems) == 1 and result.cell_problems.iloc[0]["kolom"] == "NIK"


@pytest.mark.parametrize("months", [
    ["Jan-17", "Feb-17", "Mar-17"],
    ["Januari 2017", "Februari 2017", "Maret 2017"],
    ["2017-01", "2017-02", "2017-03"],
    [datetime(2017, 1, 1), datetime(2017, 2, 1), datetime(2017, 3, 1)],
])
def test_wide_sales_with_month_columns_links_to_producers(make_workbook, months, assert_balanced):
    registry = make_workbook("data/registri.xlsx", {"Kec. Natar": [
        ["Nama Usaha", "Nama Pemilik", "Produk", "Tenaga Kerja"],
        ["Keripik Bu Sri", "Sri Wahyuni", "Keripik Pisang", 2],
    ]})
    make_workbook("data/omzet.xlsx", {"Natar": [
        ["LAPORAN OMZET BULANAN UMKM KECAMATAN NATAR 2017"],
        ["No", "Nama Usaha", "Nama Pemilik", *months, "Jumlah"],
        [1, "keripik bu sri", "Sri Wahyuni", "Rp 1.000.000", None, "1,5 jt", 2500000],
        [2, "Usaha Tak Terdaftar", "Anon", 200000, 300000, "-", 500000],
        ["JUMLAH", None, None, 1200000, 300000, 1500000, 3000000],
    ]})
    result = ingest_paths([registry.parent])
    sales = result.sales.sort_values(["umkm_id", "bulan"], na_position="last")
    assert len(sales) == 4
    linked = sales[sales["umkm_id"].notna()]
    assert list(linked["nilai_rp"]) == [1_000_000, 1_500_000]
    assert list(linked["bulan"].dt.month) == [1, 3]
    assert (linked["kategori"] == "Makanan Olahan").all()
    assert result.report["totals"]["sales_unlinked"] == 2
    assert_balanced(result)


def test_long_sales_sheet(make_workbook, assert_balanced):
    registry = make_workbook("d/reg.xlsx", {"Kalianda": [
        ["Nama Usaha", "Nama Pemilik", "Produk", "Tenaga Kerja"],
        ["Ikan Asin Pak Amat", "Amat", "Ikan Asin", 2],
    ]})
    make_workbook("d/jual.xlsx", {"Penjualan": [
        ["Nama Usaha", "Nama Pemilik", "Kecamatan", "Bulan", "Omzet (Rp)", "Volume", "Satuan"],
        ["Ikan Asin Pak Amat", "Amat", "Kalianda", "Januari 2017", "Rp 750.000", 30, "kg"],
        ["Ikan Asin Pak Amat", "Amat", "Kalianda", datetime(2017, 2, 1), "750 rb", 31, "kg"],
        ["Ikan Asin Pak Amat", "Amat", "Kalianda", "Maret 2017", None, None, None],
        ["Ikan Asin Pak Amat", "Amat", "Kalianda", "bulan lalu", 5000, None, None],
    ]})
    result = ingest_paths([registry.parent])
    assert list(result.sales["nilai_rp"]) == [750_000, 750_000]
    assert result.sales["umkm_id"].notna().all()
    reasons = {e["path"]: e for e in result.report["files"]}["jual.xlsx"]["reasons"]
    assert reasons[ingest_sheet.SKIP_NO_SALES] == 1 and reasons[ingest_sheet.REJECT_NO_MONTH] == 1
    assert_balanced(result)


def test_training_event_read_from_title_rows_and_participants_linked(make_workbook, assert_balanced):
    registry = make_workbook("t/reg.xlsx", {"Kec. Natar": [
        ["Nama Usaha", "Nama Pemilik", "NIK", "No HP", "Produk"],
        ["Keripik Bu Sri", "Sri Wahyuni", "1801010101010001", "081211112222", "Keripik"],
        ["Kopi Pak Darto", "Sudarto", None, "081233334444", "Kopi"],
        ["Tapis Siger Indah", "Nyoman Ayu", None, None, "Tapis"],
    ]})
    make_workbook("t/hadir.xlsx", {"Pemasaran": [
        ["DAFTAR HADIR"],
        ["PELATIHAN TEKNIK PEMASARAN ONLINE BAGI UMKM"],
        ["Tanggal : 14 s/d 16 Maret 2017"],
        ["Tempat", ": Aula Kecamatan Natar"],
        ["Penyelenggara : Dinas Koperasi dan UKM Kab. Lampung Selatan"],
        ["Biaya : Rp 45.000.000"],
        [],
        ["No", "Nama", "Nama Usaha", "Alamat", "No HP", "NIK", "Tanda Tangan"],
        [1, "Ibu Sri Wahyuni", "Keripik Bu Sri", "Natar", None, 1801010101010001, None],
        [2, "Darto", "Kopi Pak Darto", "Natar", "0812-3333-4444", None, None],
        [3, "Nyoman Ayu", "Tapis Siger Indh", "Desa Muara Putih, Natar", None, None, None],
        [4, "Tamu Undangan", "Bank Lampung", "Bandar Lampung", None, None, None],
    ]})
    result = ingest_paths([registry.parent])
    event = result.trainings.iloc[0]
    assert event["nama_kegiatan"] == "PELATIHAN TEKNIK PEMASARAN ONLINE BAGI UMKM"
    assert event["jenis"] == "Pemasaran"
    assert (event["tanggal_mulai"], event["tanggal_selesai"]) == (pd.Timestamp("2017-03-14"), pd.Timestamp("2017-03-16"))
    assert event["lokasi"] == "Aula Kecamatan Natar"
    assert event["biaya_rp"] == 45_000_000
    ways = list(result.participants["cara_cocok"])
    assert ways == ["nik", "hp", "fuzzy", "tidak cocok"]
    assert result.participants["umkm_id"].notna().sum() == 3
    assert_balanced(result)


def test_unreadable_file_is_reported_and_the_rest_still_ingested(make_workbook, tmp_path):
    good = make_workbook("mix/ok.xlsx", {"Kec. Palas": [["Nama Usaha", "Nama Pemilik", "Produk"], ["A", "B", "Kue"]]})
    (good.parent / "rusak.xlsx").write_bytes(b"PK\x03\x04 this is not a complete zip")
    (good.parent / "halaman.xls").write_text("<html><body><table><tr><td>x</td></tr></table></body></html>")
    out = tmp_path / "out"
    status = ingest_command(["--out", str(out), str(good.parent)])
    assert status == 1
    report = json.loads((out / "report.json").read_text())
    errors = {e["path"]: e["message"] for e in report["files"] if e["status"] == "error"}
    assert set(errors) == {"rusak.xlsx", "halaman.xls"}
    assert "HTML" in errors["halaman.xls"]
    assert len(pd.read_parquet(out / "producers.parquet")) == 1
    assert (out / "rejected.xlsx").exists()


def test_usage_errors_exit_2(tmp_path):
    assert ingest_command([]) == 2
    assert ingest_command(["--out", str(tmp_path), str(tmp_path / "tidak-ada.xlsx")]) == 2


# The aggregate tables of ../shared/data/real_world (its SOURCES.md, first set: counts per area, sector
# and year); the other files there list single businesses and are registries.
REAL_RECAP_TABLES = (
    "diskuk-od_17367_jml_ush_mikro_kecil_menengah_umkm_binaan__jenis_ush_data.csv",
    "diskuk-od_17372_proyeksi_jml_ush_mikro_kecil_menengah_umkm__kabupatenk_data.csv",
    "umkm_jabar.csv",
    "sleman_rekap_umkm_sektor_kapanewon_2022.csv",
    "indonesia_umkm_nasional_1997_2019.csv",
)


def test_real_world_recap_tables_are_reported_not_loaded(shared_dir, assert_balanced):
    folder = shared_dir / "data" / "real_world"
    result = ingest_paths([folder / name for name in REAL_RECAP_TABLES])
    assert len(result.producers) == 0 and len(result.sales) == 0 and len(result.trainings) == 0
    kinds = {e["path"]: e["kind"] for e in result.report["files"]}
    assert set(kinds.values()) == {"lainnya"}, kinds
    assert all(e["message"] for e in result.report["files"])
    assert_balanced(result)


def test_another_offices_conventions(make_workbook, assert_balanced):
    """Upper-case headers of another spelling, a column-number row, a page-break header repeat, a footer
    with signatures, a formula total without a cached value, and values in other accepted forms."""
    path = make_workbook("tjb.xlsx", {"Rekap": [
        ["PEMERINTAH KABUPATEN LAMPUNG SELATAN"],
        ["DATA PELAKU USAHA MIKRO KECIL"],
        [],
        ["NO.", "NAMA PELAKU USAHA", "NAMA USAHA/MEREK", "NIK (16 DIGIT)", "JENIS KELAMIN", "KEC.", "DESA/KEL.",
         "JENIS USAHA", "THN BERDIRI", "JML TK", "OMSET PERBULAN (Rp)", "NO. TELP/HP", "WILAYAH PEMASARAN"],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)", "(12)", "(13)"],
        [1, "Hj. Aminah", "Dodol Aminah", "1801051234567890", "Perempuan", "Kec. Tj. Bintang", "Jati Baru",
         "Dodol", "2012", "3 orang", "Rp2.500.000,00", "62812-1111-2222", "Antar Kabupaten"],
        ["NO.", "NAMA PELAKU USAHA", "NAMA USAHA/MEREK", "NIK (16 DIGIT)", "JENIS KELAMIN", "KEC.", "DESA/KEL.",
         "JENIS USAHA", "THN BERDIRI", "JML TK", "OMSET PERBULAN (Rp)", "NO. TELP/HP", "WILAYAH PEMASARAN"],
        [2, "Made Sutrisno", "Anyaman Bambu Made", 1801051234567891, "L", "tanjungbintang", "Jati Baru",
         "Anyaman Bambu", 2015, 2, "2,5 juta", "+62 813 3333 4444", "lokal"],
        [None, "JUMLAH", None, None, None, None, None, None, None, "=SUM(J6:J8)", "=SUM(K6:K8)", None, None],
        [None, None, None, None, None, None, None, None, None, "Tanjung Bintang, 31 Oktober 2017", None, None, None],
        [None, None, None, None, None, None, None, None, None, "Mengetahui,", None, None, None],
        [None, None, None, None, None, None, None, None, None, "Camat Tanjung Bintang", None, None, None],
        [None, None, None, None, None, None, None, None, None, "NIP. 19700101 199001 1 001", None, None, None],
    ]})
    result = ingest_paths([path])
    producers = result.producers.set_index("nama_usaha")
    assert list(producers.index) == ["Dodol Aminah", "Anyaman Bambu Made"]
    aminah = producers.loc["Dodol Aminah"]
    assert (aminah["nama_pemilik"], aminah["kecamatan"], aminah["jenis_kelamin"]) == ("Hj. Aminah", "Tanjung Bintang", "P")
    assert aminah["omzet_tahunan_rp"] == 30_000_000 and aminah["tenaga_kerja"] == 3 and aminah["tahun_mulai"] == 2012
    assert aminah["no_hp"] == "+6281211112222" and aminah["jangkauan_pasar"] == "Provinsi"
    made = producers.loc["Anyaman Bambu Made"]
    assert made["nik"] == "1801051234567891" and made["kategori"] == "Kerajinan" and made["jangkauan_pasar"] == "Desa"
    entry = result.report["files"][0]
    assert entry["header_row"] == 4
    assert entry["reasons"] == {
        ingest_sheet.SKIP_NUMBERING: 1, ingest_sheet.SKIP_HEADER: 1, ingest_sheet.SKIP_TOTAL: 1, ingest_sheet.SKIP_FOOTER: 4,
        ingest_sheet.SKIP_ABOVE_HEADER: 2,
    }
    assert_balanced(result)


def test_other_files_in_a_folder_are_listed_not_silently_ignored(make_workbook, tmp_path):
    good = make_workbook("map/ok.xlsx", {"Kec. Palas": [["Nama Usaha", "Nama Pemilik", "Produk"], ["A", "B", "Kue"]]})
    (good.parent / "metadata.pdf").write_bytes(b"%PDF-1.4")
    (good.parent / "~$ok.xlsx").write_bytes(b"lock")
    (good.parent / ".DS_Store").write_bytes(b"x")
    out = tmp_path / "out"
    assert ingest_command(["--out", str(out), str(good.parent)]) == 0
    report = json.loads((out / "report.json").read_text())
    messages = {e["path"]: e["message"] for e in report["files"] if e["sheet"] is None}
    assert set(messages) == {"metadata.pdf", "~$ok.xlsx"}
    assert "Bukan spreadsheet" in messages["metadata.pdf"] and "kunci" in messages["~$ok.xlsx"]
    assert report["totals"]["files_skipped"] == 2 and report["totals"]["producers"] == 1
