"""The ingest on files it has never seen, written by other offices in the conventions of DATA-CONTRACT.md.

Each test builds one small messy file the way another Dinas or kecamatan officer would have typed it,
and checks what the contract promises: values in the clean tables, the detected kind, rejected and
skipped rows with their reasons, and rows_read = kept + merged + rejected + skipped for every sheet.
"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from analysis.core import reference
from analysis.ingest import ingest_paths
from analysis.ingest import sheet as ingest_sheet
from analysis.ingest.__main__ import main as ingest_command


def _entry(result, sheet: str | None = None) -> dict:
    entries = [e for e in result.report["files"] if sheet is None or e["sheet"] == sheet]
    assert len(entries) == 1, result.report["files"]
    return entries[0]


def _csv(tmp_path: Path, name: str, lines: list[str], encoding: str) -> Path:
    path = tmp_path / name
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


# ---------------------------------------------------------------- producer registries


def test_dinas_upper_case_headers_table_starting_at_column_c(make_workbook, assert_balanced):
    """Header spellings of a Dinas recap ("NAMA UKM", "NAMA PENGUSAHA", "TELP./HP", "NO. NIK",
    "JENIS KELAMIN (L/P)", "OMZET PER TAHUN (Rp.)", "ASET (Rp)", "TAHUN BERDIRI", "JUMLAH TENAGA KERJA"),
    two empty columns on the left, the header at row 8, and the kecamatan only in a title row."""
    pad = [None, None]
    path = make_workbook("rekap_dinas.xlsx", {"Sheet1": [
        [],
        pad + ["PEMERINTAH KABUPATEN LAMPUNG SELATAN"],
        pad + ["DINAS KOPERASI DAN UKM"],
        [],
        pad + ["DATA UMKM BINAAN"],
        pad + ["KECAMATAN TJ. BINTANG"],
        [],
        pad + ["NO", "NAMA UKM", "NAMA PENGUSAHA", "NO. NIK", "JENIS KELAMIN (L/P)", "TELP./HP",
               "OMZET PER TAHUN (Rp.)", "ASET (Rp)", "TAHUN BERDIRI", "JUMLAH TENAGA KERJA"],
        pad + [1, "Kerupuk Kemplang Hj. Rosidah", "Rosidah", 1801051203780002, "P", "0812.7234.5678",
               "Rp. 1.250.000,-", "1.250.000", 2009, 4],
        pad + [2, "Bengkel Las Jaya", "Suparman", "1801 0512 0378 0003", "L", "(0721) 123456",
               "Rp 1,5 juta", "500rb", "2015", "-"],
        pad + [3, "Konveksi Mandiri", "Wagiyem", "'1801051203780004", "Perempuan", "62-813-6666-7777",
               "1 M", 25000000, "-", 12],
    ]}, merges={"Sheet1": ["C2:L2", "C3:L3", "C5:L5", "C6:L6"]})
    result = ingest_paths([path])
    entry = _entry(result)
    assert (entry["kind"], entry["header_row"]) == ("producers", 8)
    producers = result.producers.set_index("nama_usaha")
    assert set(producers["kecamatan"]) == {"Tanjung Bintang"}
    assert set(producers["kode_kecamatan"]) == {"18.01.05"}
    rosidah = producers.loc["Kerupuk Kemplang Hj. Rosidah"]
    assert rosidah["nama_pemilik"] == "Rosidah"
    assert rosidah["nik"] == "1801051203780002"
    assert rosidah["no_hp"] == "+6281272345678"
    assert rosidah["omzet_tahunan_rp"] == 1_250_000
    assert rosidah["aset_rp"] == 1_250_000
    assert (rosidah["tahun_mulai"], rosidah["tenaga_kerja"], rosidah["jenis_kelamin"]) == (2009, 4, "P")
    las = producers.loc["Bengkel Las Jaya"]
    assert las["nik"] == "1801051203780003"
    assert las["no_hp"] == "+62721123456"
    assert las["omzet_tahunan_rp"] == 1_500_000 and las["aset_rp"] == 500_000
    assert pd.isna(las["tenaga_kerja"])
    konveksi = producers.loc["Konveksi Mandiri"]
    assert konveksi["nik"] == "1801051203780004"
    assert konveksi["no_hp"] == "+6281366667777"
    assert konveksi["omzet_tahunan_rp"] == 1_000_000_000 and konveksi["aset_rp"] == 25_000_000
    assert pd.isna(konveksi["tahun_mulai"])
    assert_balanced(result)


def test_omset_per_bulan_header_and_legalitas_columns(make_workbook, assert_balanced):
    """"OMSET/BULAN" is a monthly figure (x 12); "IZIN P-IRT", "SERTIFIKAT HALAL", "NIB",
    "PEMASARAN (Lokal/Regional/Nasional)" and "PENJUALAN ONLINE" are the legal/market columns."""
    path = make_workbook("Kec Sidomulyo.xlsx", {"Data": [
        ["NO", "NAMA USAHA", "NAMA PEMILIK", "JENIS PRODUK", "OMSET/BULAN", "NIB", "IZIN P-IRT",
         "SERTIFIKAT HALAL", "PEMASARAN (Lokal/Regional/Nasional)", "PENJUALAN ONLINE"],
        [1, "Keripik Singkong Mak Nah", "Munah", "Keripik Singkong", "Rp. 2.000.000,-", "Ada", "Ya", "Belum",
         "Nasional", "Ya"],
        [2, "Gula Aren Sumber Rejeki", "Paijo", "Gula Aren", 750000, "Tidak", "-", "Ya", "Lokal", "Tidak"],
    ]})
    result = ingest_paths([path])
    producers = result.producers.set_index("nama_usaha")
    assert set(producers["kecamatan"]) == {"Sidomulyo"}  # only in the file name
    mak = producers.loc["Keripik Singkong Mak Nah"]
    assert mak["omzet_tahunan_rp"] == 24_000_000
    assert (mak["nib"], mak["pirt"], mak["halal"], mak["pemasaran_online"]) == (True, True, False, True)
    assert mak["jangkauan_pasar"] == "Nasional"
    assert mak["kategori"] == "Makanan Olahan"
    aren = producers.loc["Gula Aren Sumber Rejeki"]
    assert aren["omzet_tahunan_rp"] == 9_000_000
    assert (aren["nib"], aren["halal"], aren["pemasaran_online"]) == (False, True, False)
    assert pd.isna(aren["pirt"])
    assert_balanced(result)


def test_header_cells_with_line_breaks(make_workbook, assert_balanced):
    """Header cells typed with Alt+Enter inside ("Nama\\nUsaha", "Nama\\nPemilik", "Omzet\\nper Tahun")."""
    path = make_workbook("katibung.xlsx", {"Kec. Katibung": [
        ["DATA UMKM KECAMATAN KATIBUNG"],
        ["No", "Nama\nUsaha", "Nama\nPemilik", "Jenis\nProduk", "Omzet\nper Tahun", "No.\nHP"],
        [1, "Ikan Asin Bahari", "Rusli", "Ikan Asin", "Rp 30.000.000", "081279990000"],
    ]})
    result = ingest_paths([path])
    row = result.producers.iloc[0]
    assert (row["nama_usaha"], row["nama_pemilik"]) == ("Ikan Asin Bahari", "Rusli")
    assert row["kecamatan"] == "Katibung"
    assert row["omzet_tahunan_rp"] == 30_000_000
    assert row["kategori"] == "Olahan Perikanan"
    assert row["no_hp"] == "+6281279990000"
    assert_balanced(result)


def test_kecamatan_inside_combined_address_column(make_workbook, assert_balanced):
    """"ALAMAT USAHA" holds "Desa Hajimena Kec. Natar"; the kecamatan is read from it, and an address in
    a neighbouring kabupaten is not guessed into Lampung Selatan."""
    path = make_workbook("alamat.xlsx", {"Data": [
        ["NO", "NAMA UKM", "NAMA PEMILIK", "ALAMAT USAHA", "PRODUK"],
        [1, "Tempe Pak Karso", "Karso", "Desa Hajimena Kec. Natar", "Tempe"],
        [2, "Kopi Way Kanan", "Jumadi", "Dusun II Desa Sabah Balau Kecamatan Tanjung Bintang", "Kopi Bubuk"],
        [3, "Tahu Sumedang", "Asep", "Jl. Merdeka No. 5", "Tahu"],
    ]})
    result = ingest_paths([path])
    kec = result.producers.set_index("nama_usaha")["kecamatan"].to_dict()
    assert kec == {"Tempe Pak Karso": "Natar", "Kopi Way Kanan": "Tanjung Bintang"}
    reasons = result.rejected.set_index("baris")["alasan"]
    assert reasons[4] == ingest_sheet.REJECT_NO_KECAMATAN
    assert_balanced(result)


def test_kecamatan_desa_combined_column(make_workbook, assert_balanced):
    """A single "KECAMATAN/DESA" column ("Penengahan / Kelaten") gives the kecamatan."""
    path = make_workbook("gabung.xlsx", {"Data": [
        ["NO", "NAMA USAHA", "NAMA PEMILIK", "KECAMATAN/DESA", "PRODUK"],
        [1, "Emping Melinjo Barokah", "Siti", "Penengahan / Kelaten", "Emping"],
        [2, "Sale Pisang Berkah", "Ujang", "Kalianda/Way Urang", "Sale Pisang"],
    ]})
    result = ingest_paths([path])
    assert result.producers.set_index("nama_usaha")["kecamatan"].to_dict() == {
        "Emping Melinjo Barokah": "Penengahan", "Sale Pisang Berkah": "Kalianda",
    }
    assert_balanced(result)


def test_sheets_named_after_kecamatan_with_an_empty_sheet_beside(make_workbook, assert_balanced):
    """One sheet per kecamatan (named "PENENGAHAN", "KETAPANG"), and an empty "Sheet3" left by Excel."""
    header = ["No", "Nama Usaha", "Nama Pemilik", "Produk"]
    path = make_workbook("per_kecamatan.xlsx", {
        "PENENGAHAN": [header, [1, "Anyaman Pandan Ibu Ros", "Rosmiati", "Anyaman Pandan"]],
        "KETAPANG": [header, [1, "Terasi Udang Ketapang", "Marni", "Terasi"], [2, "Kopi Robusta Pak Min", "Amin", "Kopi"]],
        "Sheet3": [],
    })
    result = ingest_paths([path])
    kec = result.producers.set_index("nama_usaha")["kecamatan"].to_dict()
    assert kec == {"Anyaman Pandan Ibu Ros": "Penengahan", "Terasi Udang Ketapang": "Ketapang",
                   "Kopi Robusta Pak Min": "Ketapang"}
    empty = _entry(result, "Sheet3")
    assert empty["kind"] == "lainnya" and empty["rows_read"] == 0 and empty["status"] == "ok"
    assert result.report["totals"]["files_error"] == 0
    assert_balanced(result)


def test_misspelt_kecamatan_fixed_and_neighbouring_kabupaten_rejected(make_workbook, assert_balanced):
    """Typos of canonical kecamatan are fixed; a kecamatan of Pesawaran is rejected naming the kabupaten."""
    path = make_workbook("ejaan.xlsx", {"Data": [
        ["Nama Usaha", "Nama Pemilik", "Kecamatan", "Produk"],
        ["Kopi Tiga Putri", "Lina", "Penengahn", "Kopi"],
        ["Terasi Bu Ani", "Ani", "Ketapng", "Terasi"],
        ["Keripik Bakau", "Samsul", "Bakauhuni", "Keripik"],
        ["Tapis Gedong", "Yusuf", "Kec. Gedong Tataan", "Tapis"],
    ]})
    result = ingest_paths([path])
    assert list(result.producers["kecamatan"]) == ["Penengahan", "Ketapang", "Bakauheni"]
    assert _entry(result)["fixes"].get("kecamatan_ejaan") == 3
    rejected = result.rejected.set_index("baris")
    assert "Pesawaran" in rejected.loc[5, "alasan"]
    assert "Tapis Gedong" in rejected.loc[5, "nilai_asli"]
    assert_balanced(result)


def test_jumlah_row_in_the_middle_and_total_in_a_merged_cell(make_workbook, assert_balanced):
    """A sub-total JUMLAH row between two blocks, and a final "TOTAL" typed into a merged A:C cell."""
    path = make_workbook("kec. palas.xlsx", {"Sheet1": [
        ["No", "Nama Usaha", "Nama Pemilik", "Produk", "Tenaga Kerja"],
        [1, "Beras Organik Palas", "Warsito", "Beras", 3],
        [2, "Jamu Gendong Bu Yem", "Yem", "Jamu", 1],
        [None, "JUMLAH", None, None, 4],
        [3, "Batik Tulis Palas", "Nurul", "Batik", 6],
        ["TOTAL", None, None, None, 10],
    ]}, merges={"Sheet1": ["A6:C6"]})
    result = ingest_paths([path])
    assert sorted(result.producers["nama_usaha"]) == ["Batik Tulis Palas", "Beras Organik Palas", "Jamu Gendong Bu Yem"]
    entry = _entry(result)
    assert entry["reasons"] == {ingest_sheet.SKIP_TOTAL: 2}
    assert (entry["rows_read"], entry["rows_kept"], entry["rows_skipped"]) == (5, 3, 2)
    assert_balanced(result)


def test_nik_recovery_and_lost_digits_with_decimal_comma(make_workbook, assert_balanced):
    """NIK as a 16-digit number cell is recovered exactly; "1,80101E+15" (Indonesian Excel decimal comma)
    lost digits and becomes missing with a listed problem, never invented."""
    path = make_workbook("nik.xlsx", {"Kec. Merbau Mataram": [
        ["Nama Usaha", "Nama Pemilik", "NIK", "Produk"],
        ["Tahu Bakso Ibu Lilis", "Lilis", 1801180101850001, "Tahu"],
        ["Kerupuk Kulit Pak Edi", "Edi", "1,80101E+15", "Kerupuk"],
        ["Dodol Nanas", "Rahmi", "1.801.180.101.850.003", "Dodol"],
    ]})
    result = ingest_paths([path])
    nik = result.producers.set_index("nama_usaha")["nik"]
    assert nik["Tahu Bakso Ibu Lilis"] == "1801180101850001"
    assert pd.isna(nik["Kerupuk Kulit Pak Edi"])
    assert nik["Dodol Nanas"] == "1801180101850003"
    problems = result.cell_problems
    assert list(problems["baris"]) == [3] and "ilmiah" in problems.iloc[0]["masalah"]
    assert_balanced(result)


def test_duplicate_producer_across_two_files_with_same_nik(make_workbook, assert_balanced):
    """The same producer in a kecamatan file and in a Dinas file (other spellings, NIK as number vs text)."""
    first = make_workbook("dup/natar.xlsx", {"Kec. Natar": [
        ["NO", "NAMA UKM", "NAMA PENGUSAHA", "NO. NIK", "PRODUK", "ASET (Rp)"],
        [1, "Sambal Roa Mbak Tri", "Tri Handayani", 1801040506900001, "Sambal", None],
    ]})
    make_workbook("dup/dinas.xlsx", {"Rekap": [
        ["Nama Usaha", "Nama Pemilik", "NIK", "Kecamatan", "Produk", "Aset"],
        ["SAMBEL ROA TRI", "Tri H.", "1801 0405 0690 0001", "Natar", "Sambal", "Rp 15.000.000"],
        ["Kerupuk Ikan Bu Nur", "Nurhayati", "1801040506900002", "Natar", "Kerupuk", None],
    ]})
    result = ingest_paths([first.parent])
    assert len(result.producers) == 2
    tri = result.producers.set_index("nik").loc["1801040506900001"]
    assert tri["aset_rp"] == 15_000_000
    merged = {e["path"]: e["rows_merged"] for e in result.report["files"]}
    assert sum(merged.values()) == 1
    assert_balanced(result)


# ---------------------------------------------------------------- CSV


def test_csv_utf8_bom_comma_with_quoted_money(tmp_path, assert_balanced):
    """UTF-8 with BOM, comma-separated, money with thousands dots inside quotes, a title line."""
    path = _csv(tmp_path, "jatiagung.csv", [
        "DATA UMKM KECAMATAN JATI AGUNG",
        "No,Nama Usaha,Nama Pemilik,Produk,Omzet per Tahun,No HP",
        '1,Kopi Luwak Jati,Suryadi,Kopi Bubuk,"Rp 24.000.000","0813-1234-0001"',
        '2,Emping Ibu Eni,Eni,Emping,"2,5 jt",6281312340002',
    ], "utf-8-sig")
    result = ingest_paths([path])
    producers = result.producers.set_index("nama_usaha")
    assert producers.loc["Kopi Luwak Jati", "omzet_tahunan_rp"] == 24_000_000
    assert producers.loc["Emping Ibu Eni", "omzet_tahunan_rp"] == 2_500_000
    assert producers.loc["Emping Ibu Eni", "no_hp"] == "+6281312340002"
    assert set(producers["kecamatan"]) == {"Jati Agung"}
    assert_balanced(result)


def test_csv_semicolon_with_trailing_separators_and_title(tmp_path, assert_balanced):
    """Excel's "CSV (MS-DOS)" export in Windows-1252: ';' separators, ';;;;' at the end of every line,
    a title line, and accented names."""
    path = _csv(tmp_path, "umkm_way_sulan.csv", [
        "DATA PELAKU UMKM KECAMATAN WAY SULAN;;;;;;;;",
        ";;;;;;;;",
        "No;Nama Usaha;Nama Pemilik;Jenis Kelamin;Produk;Omzet/bln;;;;",
        "1;Kerupuk Rambak Andé;André;L;Kerupuk;Rp 1.000.000;;;;",
        "2;Bordir Ibu Siti;Siti Fatimah;P;Bordir;750 rb;;;;",
        ";;;;;;;;",
        ";JUMLAH;;;;1.750.000;;;;",
    ], "cp1252")
    result = ingest_paths([path])
    producers = result.producers.set_index("nama_usaha")
    assert list(producers.index) == ["Kerupuk Rambak Andé", "Bordir Ibu Siti"]
    assert producers.loc["Kerupuk Rambak Andé", "nama_pemilik"] == "André"
    assert producers.loc["Bordir Ibu Siti", "omzet_tahunan_rp"] == 9_000_000
    assert set(producers["kecamatan"]) == {"Way Sulan"}
    entry = _entry(result)
    assert entry["header_row"] == 3
    assert (entry["rows_read"], entry["rows_kept"], entry["rows_skipped"]) == (5, 2, 3)  # the title row too
    assert_balanced(result)


# ---------------------------------------------------------------- sales


def test_long_sales_with_short_month_and_separate_year_column(make_workbook, assert_balanced):
    """Long sales: "Bulan" = "Jan", "Feb" and a separate "Tahun" column; "Penjualan (Rp)" as the value."""
    path = make_workbook("penjualan_long.xlsx", {"Kec. Candipuro": [
        ["LAPORAN PENJUALAN UMKM"],
        ["No", "Nama Usaha", "Nama Pemilik", "Bulan", "Tahun", "Penjualan (Rp)"],
        [1, "Keripik Tempe Ria", "Ria", "Jan", 2018, "Rp 1.200.000"],
        [2, "Keripik Tempe Ria", "Ria", "Feb", 2018, 1300000],
        [3, "Keripik Tempe Ria", "Ria", "Mar", 2018, "-"],
    ]})
    result = ingest_paths([path])
    assert _entry(result)["kind"] == "sales"
    sales = result.sales.sort_values("bulan")
    assert list(sales["bulan"]) == [pd.Timestamp("2018-01-01"), pd.Timestamp("2018-02-01")]
    assert list(sales["nilai_rp"]) == [1_200_000, 1_300_000]
    assert _entry(result)["reasons"] == {ingest_sheet.SKIP_NO_SALES: 1, ingest_sheet.SKIP_ABOVE_HEADER: 1}
    assert_balanced(result)


def test_wide_sales_two_row_header_year_merged_over_month_names(make_workbook, assert_balanced):
    """Wide sales: "TAHUN 2017" merged over twelve month names "Jan".."Des" on the second header row."""
    months = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
    path = make_workbook("omzet_wide.xlsx", {"Kec. Sragi": [
        ["No", "Nama Usaha", "Nama Pemilik", "TAHUN 2017"] + [None] * 11,
        [None, None, None] + months,
        [1, "Ikan Asap Sragi", "Dulah"] + [1_000_000 + 100_000 * i for i in range(12)],
        [2, "Kelapa Parut Sragi", "Minah"] + ["500rb"] * 6 + ["-"] * 6,
    ]}, merges={"Kec. Sragi": ["D1:O1", "A1:A2", "B1:B2", "C1:C2"]})
    result = ingest_paths([path])
    entry = _entry(result)
    assert (entry["kind"], entry["header_row"]) == ("sales", 2)
    sales = result.sales
    assert len(sales) == 18
    by_month = sales.groupby(sales["bulan"].dt.month)["nilai_rp"].sum()
    assert by_month[1] == 1_500_000 and by_month[12] == 2_100_000
    assert set(sales["bulan"].dt.year) == {2017}
    assert_balanced(result)


def test_wide_sales_english_month_abbreviations(make_workbook, assert_balanced):
    """Wide sales with English-locale Excel headers "May-17", "Aug-17", "Oct-17", "Dec-17"."""
    path = make_workbook("omzet_en.xlsx", {"Kec. Natar": [
        ["Nama Usaha", "Nama Pemilik", "May-17", "Aug-17", "Oct-17", "Dec-17"],
        ["Kopi Pak Darto", "Sudarto", 100000, 200000, 300000, 400000],
    ]})
    result = ingest_paths([path])
    sales = result.sales.sort_values("bulan")
    assert list(sales["bulan"].dt.month) == [5, 8, 10, 12]
    assert list(sales["nilai_rp"]) == [100_000, 200_000, 300_000, 400_000]
    assert_balanced(result)


# ---------------------------------------------------------------- training


def test_training_title_block_with_key_value_in_separate_cells(make_workbook, assert_balanced):
    """Training title with the event over two lines, "Hari/Tanggal" with weekday names and a range,
    "Tempat" and ":" in separate cells, and a long organiser."""
    path = make_workbook("bimtek.xlsx", {"Hadir": [
        ["DAFTAR HADIR PESERTA"],
        ["BIMBINGAN TEKNIS KEMASAN PRODUK"],
        ["BAGI PELAKU UMKM KABUPATEN LAMPUNG SELATAN"],
        ["Hari/Tanggal", ":", "Senin s/d Rabu, 13 s/d 15 Maret 2017"],
        ["Tempat", ":", "Balai Desa Merak Belantung"],
        ["Penyelenggara : Dinas Koperasi dan UKM Kabupaten Lampung Selatan bekerja sama dengan Bank Lampung"],
        [],
        ["No", "Nama Peserta", "Nama Usaha", "Alamat", "No. HP", "Tanda Tangan"],
        [1, "Sumiati", "Keripik Sumi", "Merak Belantung, Kalianda", "0812 1111 0001", None],
        [2, "Hendra", "Kopi Hendra", "Kalianda", None, None],
    ]})
    result = ingest_paths([path])
    assert _entry(result)["kind"] == "training"
    event = result.trainings.iloc[0]
    assert event["nama_kegiatan"].startswith("BIMBINGAN TEKNIS KEMASAN PRODUK")
    assert event["jenis"] == "Kemasan"
    assert (event["tanggal_mulai"], event["tanggal_selesai"]) == (pd.Timestamp("2017-03-13"), pd.Timestamp("2017-03-15"))
    assert event["lokasi"] == "Balai Desa Merak Belantung"
    assert event["penyelenggara"] == (
        "Dinas Koperasi dan UKM Kabupaten Lampung Selatan bekerja sama dengan Bank Lampung")
    assert list(result.participants["nama_peserta"]) == ["Sumiati", "Hendra"]
    assert_balanced(result)


def test_training_date_range_across_months_and_single_day_dates(make_workbook, assert_balanced):
    """"Tanggal : 28 Februari s/d 2 Maret 2017" spans two months; a second sheet with a single day
    "Selasa, 14 Maret 2017"."""
    head = ["No", "Nama", "Nama Usaha", "No HP"]
    path = make_workbook("pelatihan.xlsx", {
        "Keuangan": [
            ["DAFTAR HADIR PELATIHAN PEMBUKUAN KEUANGAN SEDERHANA"],
            ["Tanggal : 28 Februari s/d 2 Maret 2017"],
            ["Tempat : Aula Kantor Camat Palas"],
            head,
            [1, "Yuli", "Warung Yuli", "081200001111"],
        ],
        "Halal": [
            ["DAFTAR HADIR SOSIALISASI SERTIFIKASI HALAL"],
            ["Hari/Tanggal : Selasa, 14 Maret 2017"],
            head,
            [1, "Darmi", "Kue Darmi", "081200002222"],
        ],
    })
    result = ingest_paths([path])
    keuangan = result.trainings[result.trainings["jenis"] == "Keuangan"].iloc[0]
    assert (keuangan["tanggal_mulai"], keuangan["tanggal_selesai"]) == (pd.Timestamp("2017-02-28"), pd.Timestamp("2017-03-02"))
    assert keuangan["lokasi"] == "Aula Kantor Camat Palas"
    halal = result.trainings[result.trainings["nama_kegiatan"].str.contains("HALAL")].iloc[0]
    assert halal["tanggal_mulai"] == halal["tanggal_selesai"] == pd.Timestamp("2017-03-14")
    assert len(result.trainings) == 2 and len(result.participants) == 2
    assert_balanced(result)


# ---------------------------------------------------------------- not a table, files, CLI


def test_aggregate_recap_counts_per_kecamatan_and_sector_not_loaded(make_workbook, assert_balanced):
    """A recap of counts per kecamatan x sector is reported as not one of the three kinds."""
    path = make_workbook("rekap_jumlah.xlsx", {"Rekap": [
        ["REKAPITULASI JUMLAH UMKM PER KECAMATAN TAHUN 2017"],
        ["No", "Kecamatan", "Makanan", "Kerajinan", "Perdagangan", "Jumlah UMKM"],
        [1, "Natar", 120, 30, 45, 195],
        [2, "Kalianda", 80, 25, 60, 165],
        [None, "JUMLAH", 200, 55, 105, 360],
    ]})
    result = ingest_paths([path])
    entry = _entry(result)
    assert entry["kind"] == "lainnya" and entry["message"]
    assert len(result.producers) == 0 and len(result.sales) == 0
    assert entry["rows_kept"] == 0
    assert_balanced(result)


def test_cli_exit_codes_with_csv_and_broken_file(tmp_path):
    """The CLI on a folder with a good CSV and an unreadable file exits 1 and still writes the tables;
    an unknown --kind is a usage error (2); a good folder alone exits 0."""
    good = tmp_path / "in" / "kec_rajabasa.csv"
    good.parent.mkdir()
    good.write_bytes(b"Nama Usaha;Nama Pemilik;Produk\nAbon Ikan Rajabasa;Wati;Abon Ikan\n")
    assert ingest_command(["--out", str(tmp_path / "ok"), str(good.parent)]) == 0
    (good.parent / "kosong.xlsx").write_bytes(b"")
    out = tmp_path / "out"
    assert ingest_command(["--out", str(out), str(good.parent)]) == 1
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    errors = [e for e in report["files"] if e["status"] == "error"]
    assert [e["path"] for e in errors] == ["kosong.xlsx"] and "kosong" in errors[0]["message"].lower()
    producers = pd.read_parquet(out / "producers.parquet")
    assert list(producers["kecamatan"]) == ["Rajabasa"]
    assert ingest_command(["--out", str(out), "--kind", "rekap", str(good)]) == 2


def test_xls_legacy_workbook(tmp_path, assert_balanced):
    """An old .xls (BIFF8) registry as saved by Excel 2003 with a title row and a NIK as number."""
    xlwt = pytest.importorskip("xlwt", reason="xlwt tidak terpasang: tidak bisa membuat berkas .xls untuk uji")
    book = xlwt.Workbook()
    sheet = book.add_sheet("Kec. Way Panji")
    rows = [
        ["DATA UMKM KECAMATAN WAY PANJI"],
        [],
        ["No", "Nama Usaha", "Nama Pemilik", "NIK", "Produk", "Omzet per Bulan"],
        [1, "Keripik Pisang Way Panji", "Sarni", 1801240101900001, "Keripik Pisang", "Rp 1.000.000"],
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    path = tmp_path / "way_panji.xls"
    book.save(str(path))
    result = ingest_paths([path])
    row = result.producers.iloc[0]
    assert (row["nama_usaha"], row["kecamatan"]) == ("Keripik Pisang Way Panji", "Way Panji")
    assert row["nik"] == "1801240101900001"
    assert row["omzet_tahunan_rp"] == 12_000_000
    assert_balanced(result)


# ---------------------------------------------------------------- second round: more offices


def test_merged_group_headers_pemilik_and_usaha_each_with_nama(make_workbook, assert_balanced):
    """Two merged header groups, "DATA PEMILIK" and "DATA USAHA", each with its own "Nama" beneath."""
    path = make_workbook("grup.xlsx", {"Kec. Natar": [
        ["NO", "DATA PEMILIK", None, None, "DATA USAHA", None, None],
        [None, "Nama", "NIK", "L/P", "Nama", "Alamat", "Jenis Usaha"],
        [1, "Suwarni", "1801044101800001", "P", "Rengginang Suwarni", "Desa Merak Batin", "Rengginang"],
    ]}, merges={"Kec. Natar": ["A1:A2", "B1:D1", "E1:G1"]})
    result = ingest_paths([path])
    row = result.producers.iloc[0]
    assert (row["nama_pemilik"], row["nama_usaha"]) == ("Suwarni", "Rengginang Suwarni")
    assert (row["nik"], row["jenis_kelamin"], row["kecamatan"]) == ("1801044101800001", "P", "Natar")
    assert row["produk_utama"] == "Rengginang"
    assert_balanced(result)


def test_training_dates_as_date_cell_and_serial_number(make_workbook, assert_balanced):
    """The date of an event typed as a real date cell beside "Tanggal :" in one sheet, as an Excel serial
    number in another, and as "14 Mar 2017" in a third."""
    head = ["No", "Nama Peserta", "Nama Usaha", "Tanda Tangan"]
    path = make_workbook("tanggal.xlsx", {
        "A": [["DAFTAR HADIR PELATIHAN MANAJEMEN PRODUKSI"], ["Tanggal", ":", datetime(2017, 3, 14)], head,
              [1, "Ani", "Kue Ani", None]],
        "B": [["DAFTAR HADIR PELATIHAN DESAIN KEMASAN"], ["Tanggal", ":", 42810], head, [1, "Budi", "Kopi Budi", None]],
        "C": [["DAFTAR HADIR WORKSHOP KELEMBAGAAN KOPERASI"], ["Tanggal : 14 Mar 2017"], head,
              [1, "Cici", "Tapis Cici", None]],
    })
    result = ingest_paths([path])
    by_name = result.trainings.set_index("nama_kegiatan")["tanggal_mulai"].to_dict()
    assert by_name == {
        "PELATIHAN MANAJEMEN PRODUKSI": pd.Timestamp("2017-03-14"),
        "PELATIHAN DESAIN KEMASAN": pd.Timestamp("2017-03-16"),
        "WORKSHOP KELEMBAGAAN KOPERASI": pd.Timestamp("2017-03-14"),
    }
    assert len(result.participants) == 3
    assert_balanced(result)


def test_participant_listed_twice_in_one_event_is_merged(make_workbook, assert_balanced):
    """A participant who signed on two pages of the same attendance list counts once."""
    path = make_workbook("dua_kali.xlsx", {"Hadir": [
        ["DAFTAR HADIR PELATIHAN PEMASARAN DIGITAL"],
        ["Tanggal : 3 s/d 4 Mei 2017"],
        ["No", "Nama", "Nama Usaha", "No. HP"],
        [1, "Rahmat", "Kopi Rahmat", "0812-5555-0001"],
        [2, "Lestari", "Batik Lestari", "0812-5555-0002"],
        [3, "rahmat", "kopi rahmat", "0812-5555-0001"],
    ]})
    result = ingest_paths([path])
    assert sorted(result.participants["nama_peserta"]) == ["Lestari", "Rahmat"]
    entry = _entry(result)
    assert (entry["rows_kept"], entry["rows_merged"]) == (2, 1)
    event = result.trainings.iloc[0]
    assert (event["tanggal_mulai"], event["tanggal_selesai"]) == (pd.Timestamp("2017-05-03"), pd.Timestamp("2017-05-04"))
    assert_balanced(result)


def test_kecamatan_only_in_file_name_with_underscores(make_workbook):
    """A file named "UMKM_KEC_BAKAUHENI_2017.xlsx" whose only sheet is "Sheet1"."""
    path = make_workbook("UMKM_KEC_BAKAUHENI_2017.xlsx", {"Sheet1": [
        ["No", "Nama Usaha", "Nama Pemilik", "Produk", "No HP"],
        [1, "Kopi Menara Siger", "Bayu", "Kopi Bubuk", "0812 7000 1234"],
    ]})
    result = ingest_paths([path])
    row = result.producers.iloc[0]
    assert (row["kecamatan"], row["kode_kecamatan"]) == ("Bakauheni", "18.01.21")
    assert _entry(result)["kecamatan"] == "Bakauheni"


def test_skala_from_omzet_under_both_criteria(make_workbook, tmp_path):
    """Omzet 1 M a year is Kecil under UU 20/2008 and Mikro under PP 7/2021 (--kriteria on the CLI)."""
    path = make_workbook("skala/kec_natar.xlsx", {"S": [
        ["Nama Usaha", "Nama Pemilik", "Produk", "Omzet per Tahun"],
        ["Pabrik Tahu Sumber Rezeki", "Karyo", "Tahu", "1 M"],
        ["Warung Kopi Bu Ijah", "Ijah", "Kopi", "Rp 120.000.000"],
    ]})
    uu, pp = "UU 20/2008", "PP 7/2021"
    assert {uu, pp} <= set(reference.size_criteria())
    scales = {}
    for kriteria in (uu, pp):
        out = tmp_path / kriteria.replace("/", "_").replace(" ", "_")
        assert ingest_command(["--out", str(out), "--kriteria", kriteria, str(path)]) == 0
        table = pd.read_parquet(out / "producers.parquet").set_index("nama_usaha")["skala"]
        scales[kriteria] = table.to_dict()
    assert scales[uu] == {"Pabrik Tahu Sumber Rezeki": "Kecil", "Warung Kopi Bu Ijah": "Mikro"}
    assert scales[pp] == {"Pabrik Tahu Sumber Rezeki": "Mikro", "Warung Kopi Bu Ijah": "Mikro"}


def test_rejected_workbook_keeps_original_values_file_sheet_and_row(make_workbook, tmp_path):
    """rejected.xlsx lists a rejected row (unknown kecamatan) with file, sheet, Excel row and the
    original cell values, and a skipped JUMLAH row."""
    path = make_workbook("in/kec.xlsx", {"Data Kecamatan": [
        ["DATA UMKM"],
        ["Nama Usaha", "Nama Pemilik", "Kecamatan", "Produk"],
        ["Keripik Talas", "Sumarni", "Kec. Sukamaju Jaya", "Keripik"],
        ["Kopi Robusta", "Wagimin", "Natar", "Kopi"],
        ["JUMLAH", None, None, None],
    ]})
    out = tmp_path / "out"
    assert ingest_command(["--out", str(out), str(path)]) == 0
    rejected = pd.read_excel(out / "rejected.xlsx", sheet_name="ditolak_dilewati", engine="openpyxl")
    rows = rejected.set_index("baris")
    assert rows.loc[3, "status"] == "ditolak" and "Sukamaju Jaya" in rows.loc[3, "alasan"]
    assert rows.loc[3, "lembar"] == "Data Kecamatan" and rows.loc[3, "berkas"] == "kec.xlsx"
    assert "Keripik Talas" in rows.loc[3, "nilai_asli"] and "Sumarni" in rows.loc[3, "nilai_asli"]
    assert rows.loc[5, "status"] == "dilewati" and rows.loc[5, "alasan"] == ingest_sheet.SKIP_TOTAL
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    entry = report["files"][0]
    assert (entry["rows_read"], entry["rows_kept"], entry["rows_rejected"], entry["rows_skipped"]) == (4, 1, 1, 2)


def test_wide_sales_month_names_under_title_year_in_csv(tmp_path, assert_balanced):
    """A wide sales CSV (';', UTF-8) with full month names and the year only in the title line."""
    path = _csv(tmp_path, "omzet_2016_kec_kalianda.csv", [
        "LAPORAN OMZET BULANAN UMKM TAHUN 2016;;;;;",
        "No;Nama Usaha;Nama Pemilik;Januari;Februari;Maret",
        "1;Kerupuk Ikan Kalianda;Hasan;Rp 500.000;Rp 600.000;-",
        "2;Abon Tuna;Sri;1.000.000;;2.000.000",
    ], "utf-8")
    result = ingest_paths([path])
    assert _entry(result)["kind"] == "sales"
    sales = result.sales
    assert sorted(zip(sales["bulan"].dt.strftime("%Y-%m"), sales["nilai_rp"])) == [
        ("2016-01", 500_000), ("2016-01", 1_000_000), ("2016-02", 600_000), ("2016-03", 2_000_000),
    ]
    assert_balanced(result)


def test_long_sales_with_volume_and_unit_and_date_cell_months(make_workbook, assert_balanced):
    """Long sales with month as a date cell, a Volume and Satuan column, linked to the registry by NIK."""
    registry = make_workbook("s/reg.xlsx", {"Kec. Way Sulan": [
        ["Nama Usaha", "Nama Pemilik", "NIK", "Produk"],
        ["Gula Semut Way Sulan", "Darsih", "1801230101800001", "Gula Semut"],
    ]})
    make_workbook("s/jual.xlsx", {"Omzet": [
        ["NIK", "Nama Pemilik", "Bulan", "Volume", "Satuan", "Nilai Penjualan (Rp)"],
        [1801230101800001, "Darsih", datetime(2017, 4, 1), 120, "kg", "Rp 3.600.000,-"],
        ["1801230101800001", "Bu Darsih", datetime(2017, 5, 1), "100", "kg", 3000000],
    ]})
    result = ingest_paths([registry.parent])
    sales = result.sales.sort_values("bulan")
    umkm = result.producers.iloc[0]["umkm_id"]
    assert list(sales["umkm_id"]) == [umkm, umkm]
    assert list(sales["volume"]) == [120, 100] and list(sales["satuan"]) == ["kg", "kg"]
    assert list(sales["nilai_rp"]) == [3_600_000, 3_000_000]
    assert set(sales["kategori"]) == {result.producers.iloc[0]["kategori"]}
    assert_balanced(result)


def test_long_sales_month_as_number_beside_a_year_column(make_workbook, assert_balanced):
    """Long sales where "Bulan" holds the month number (1, "02") and "Tahun" the year; 13 is no month."""
    path = make_workbook("omzet_bulanan.xlsx", {"Kec. Natar": [
        ["Nama Usaha", "Nama Pemilik", "Bulan", "Tahun", "Omzet (Rp)"],
        ["Tempe Pak Karso", "Karso", 1, 2017, "100rb"],
        ["Tempe Pak Karso", "Karso", "02", 2017, "Rp 200.000"],
        ["Tempe Pak Karso", "Karso", 13, 2017, "Rp 300.000"],
    ]})
    result = ingest_paths([path])
    sales = result.sales.sort_values("bulan")
    assert list(sales["bulan"]) == [pd.Timestamp("2017-01-01"), pd.Timestamp("2017-02-01")]
    assert list(sales["nilai_rp"]) == [100_000, 200_000]
    assert result.rejected.set_index("baris").loc[4, "alasan"] == ingest_sheet.REJECT_NO_MONTH
    assert_balanced(result)
