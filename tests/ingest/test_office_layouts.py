"""Classes of layouts found in real registries of other offices (see ../shared/data/real_world/SOURCES.md),
rebuilt here as small files: a column's meaning read from its cells as well as its header, money units
in a header or title, split worker counts, registries without a kecamatan column, rows above the header,
unlabelled totals, date|value series, merging only on evidence, and the per-file message."""
from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from analysis.ingest import ingest_paths
from analysis.ingest import layout as lay
from analysis.ingest import sheet as ingest_sheet
from analysis.ingest.readers import RawSheet


def _entry(result, sheet: str | None = None) -> dict:
    entries = [e for e in result.report["files"] if sheet is None or e["sheet"] == sheet]
    assert len(entries) == 1, result.report["files"]
    return entries[0]


def _by_usaha(result) -> dict:
    return {row["nama_usaha"]: row for row in result.producers.to_dict("records")}


# ---------------------------------------------------------------- column meaning from the cells


def test_kontak_person_column_holding_names_is_the_owner(make_workbook, assert_balanced):
    """"NAMA PEMILIK/ KONTAK PERSON" holds names: the owner, not a phone; "TELP/ FAX" is the phone."""
    path = make_workbook("d/ikm.xlsx", {"IKM": [
        ["NO", "NAMA PERUSAHAAN", "NAMA PEMILIK/ KONTAK PERSON", "KECAMATAN", "TELP/ FAX", "KOMODITI"],
        [1, "UD Sinar Jaya", "Suparman", "Kalianda", "0812-7111-2222", "Keripik Pisang"],
        [2, "CV Makmur Abadi", "Siti Aminah", "Natar", "081377778888", "Kopi Bubuk"],
        [3, "Kerupuk Kemplang Bu Yati", "Yati Rahayu", "Sidomulyo", "-", "Kerupuk Ikan"],
        [4, "Batik Tapis Indah", "Rohana", "Kalianda", "0721-555123", "Kain Tapis"],
    ]})
    result = ingest_paths([path.parent])
    entry = _entry(result)
    assert entry["columns"]["NAMA PEMILIK/ KONTAK PERSON"] == "nama_pemilik"
    assert entry["columns"]["TELP/ FAX"] == "no_hp"
    assert entry["columns"]["KOMODITI"] == "produk"
    rows = _by_usaha(result)
    assert rows["UD Sinar Jaya"]["nama_pemilik"] == "Suparman"
    assert rows["UD Sinar Jaya"]["no_hp"] == "+6281271112222"
    assert rows["CV Makmur Abadi"]["kategori"] != "Lainnya"
    assert any("KONTAK PERSON" in note for note in entry["notes"])
    assert_balanced(result)


def test_kontak_column_with_numbers_stays_the_phone_and_english_headers(make_workbook, assert_balanced):
    path = make_workbook("d/list.xlsx", {"Sheet1": [
        ["business_name", "owner_name", "business_address", "Phone", "sub_district", "product"],
        ["Warung Makan Mba Eni", "Eni Suryani", "Jl. Lintas Sumatra 12", "081234567890", "Kalianda", "Nasi Rames"],
        ["Toko Roti Barokah", "Ahmad Fauzi", "Jl. Raya Natar 3", "0813 2222 3333", "Natar", "Roti"],
        ["Salon Cantik", "Dewi Lestari", "Desa Way Urang", "+62 812 9999 0000", "Kalianda", "Jasa Salon"],
    ]})
    result = ingest_paths([path.parent])
    entry = _entry(result)
    assert entry["kind"] == "producers"
    assert {entry["columns"][h] for h in ("business_name", "owner_name", "business_address", "Phone", "sub_district", "product")} \
        == {"nama_usaha", "nama_pemilik", "alamat", "no_hp", "kecamatan", "produk"}
    assert result.producers["no_hp"].notna().sum() == 3
    assert_balanced(result)


def test_bare_nama_column_of_shop_names_is_the_business(make_workbook, assert_balanced):
    """A column "Nama" holding shop names ("Warung Makan Mba Eni") is the business, not the owner."""
    path = make_workbook("d/usaha.xlsx", {"Kalianda": [
        ["No", "Nama", "Alamat", "Produk", "Kontak"],
        [1, "Warung Makan Mba Eni", "Desa Way Urang", "Nasi", "081234567890"],
        [2, "Toko Kelontong Berkah", "Desa Kedaton", "Sembako", "081298765432"],
        [3, "Bengkel Motor Jaya", "Desa Bumi Agung", "Servis motor", "085211112222"],
        [4, "Kedai Kopi 99", "Desa Canggu", "Kopi", "085233334444"],
    ]})
    result = ingest_paths([path.parent])
    entry = _entry(result)
    assert entry["columns"]["Nama"] == "nama_usaha"
    assert entry["columns"]["Kontak"] == "no_hp"
    assert set(result.producers["nama_usaha"]) >= {"Warung Makan Mba Eni", "Kedai Kopi 99"}
    assert result.producers["nama_pemilik"].isna().all()
    assert_balanced(result)


def test_umkm_column_of_person_names_and_usaha_column_of_products(make_workbook, assert_balanced):
    """A recap whose "UMKM" column holds owners and whose "USAHA" column holds products (tempe, tahu)."""
    owners = ["LAUCHUL MUNIR", "WANTINI", "SARINEM", "BISRI", "KASMINAH", "SUGENG RIYADI"]
    products = ["Tempe", "Tahu", "Tempe", "Bahan Pokok", "Tempe", "Tahu"]
    path = make_workbook("d/rekap.xlsx", {"Sheet1": [
        ["ID", "UMKM", "KEC.", "USAHA", "TK_TETAP", "TK_LEPAS", "OMZET"],
        *[[i, o, "Kalianda", p, 2, 1, 50000] for i, (o, p) in enumerate(zip(owners, products), start=1)],
    ]})
    result = ingest_paths([path.parent])
    entry = _entry(result)
    assert entry["columns"]["UMKM"] == "nama_pemilik"
    assert entry["columns"]["USAHA"] == "produk"
    assert sorted(result.producers["nama_pemilik"]) == sorted(owners)
    assert set(result.producers["tenaga_kerja"]) == {3}  # tetap + lepas
    assert (result.producers["kategori"] == "Makanan Olahan").sum() >= 4
    assert_balanced(result)


# ---------------------------------------------------------------- money units, investment, split counts


def test_investment_in_thousands_is_no_omzet_and_workers_l_plus_p(make_workbook, assert_balanced):
    """"NILAI INVESTASI (Rp.000)" is capital in thousands, never omzet; "TENAGA KERJA" over L and P adds up;
    skala then comes from the capital (said in the report)."""
    path = make_workbook("d/ikm.xlsx", {"IKM": [
        ["DATA IKM KABUPATEN LAMPUNG SELATAN"],
        ["NAMA PERUSAHAAN", "NAMA PEMILIK", "KECAMATAN", "TENAGA KERJA", None, "NILAI INVESTASI (Rp.000)", "KOMODITI"],
        [None, None, None, "L", "P", None, None],
        ["Keripik Maju", "Sri Wahyuni", "Kalianda", 2, 3, 30000, "Keripik Pisang"],
        ["Tenun Indah", "Marlina", "Natar", 0, 4, 1500, "Tenun"],
    ]}, merges={"IKM": ["D2:E2"]})
    result = ingest_paths([path.parent])
    rows = _by_usaha(result)
    assert rows["Keripik Maju"]["aset_rp"] == pytest.approx(30_000_000)
    assert rows["Tenun Indah"]["aset_rp"] == pytest.approx(1_500_000)
    assert result.producers["omzet_tahunan_rp"].isna().all()
    assert rows["Keripik Maju"]["tenaga_kerja"] == 5 and rows["Tenun Indah"]["tenaga_kerja"] == 4
    assert rows["Keripik Maju"]["skala"] == "Mikro"
    notes = " ".join(_entry(result)["notes"])
    assert "1.000" in notes and "skala" in notes and "tenaga kerja" in notes
    assert_balanced(result)


@pytest.mark.parametrize(("header", "title", "factor"), [
    ("Omzet per tahun (Rp.000)", None, 1_000),
    ("Omzet (juta)", None, 1_000_000),
    ("Omzet per tahun", "(dalam jutaan rupiah)", 1_000_000),
    ("Omzet (ribu rupiah)", None, 1_000),
    ("Omzet per tahun (Rp)", None, 1),
])
def test_money_unit_in_header_or_title(make_workbook, header, title, factor):
    rows = [[title]] if title else []
    rows += [["Nama Usaha", "Nama Pemilik", "Kecamatan", header],
             ["Kopi Lampung Asli", "Hendra", "Kalianda", 120],
             ["Keripik Nangka", "Yuli", "Natar", 40]]
    path = make_workbook("d/omzet.xlsx", {"Data": rows})
    result = ingest_paths([path.parent])
    assert _by_usaha(result)["Kopi Lampung Asli"]["omzet_tahunan_rp"] == pytest.approx(120 * factor)


def test_production_value_beside_production_columns_is_no_omzet(make_workbook):
    path = make_workbook("d/ikm.xlsx", {"Worksheet": [
        ["NAMA PERUSAHAAN", "NAMA PEMILIK", "KECAMATAN", "NAMA PRODUK", "KAPASITAS PRODUKSI", "SATUAN", "NILAI"],
        ["Tahu Sumedang", "Bagas", "Kalianda", "Tahu", "1,283,883", "kg", "1,272,838"],
        ["Kopi Robusta", "Agus", "Natar", "Kopi", "1,000", "kg", "500,000"],
    ]})
    result = ingest_paths([path.parent])
    assert _entry(result)["columns"]["NILAI"] == "nilai_produksi"
    assert result.producers["omzet_tahunan_rp"].isna().all()


# ---------------------------------------------------------------- registries and recaps


def test_registry_of_named_businesses_without_kecamatan_is_a_producer_sheet(make_workbook, assert_balanced):
    """Name and address only: still a registry; the kecamatan is read from the address, else rejected."""
    path = make_workbook("d/kuliner.xlsx", {"Sheet1": [
        ["ID", "Nama UMKM", "Alamat"],
        [1, "Bakso Om Heri", "Jl. Raya, Kalianda"],
        [2, "Pecel Lele 99", "Natar, Lampung Selatan"],
        [3, "Sate Madura Cak Man", None],
        [4, "RM Padang Sari Bundo", "Jl. Trans Sumatra, Sidomulyo"],
        [5, "Warung Sate India", ""],
    ]})
    result = ingest_paths([path.parent])
    entry = _entry(result)
    assert entry["kind"] == "producers"
    assert entry["rows_kept"] == 3 and entry["rows_rejected"] == 2
    assert_balanced(result)


def test_recap_of_counts_per_area_stays_a_recap(make_workbook):
    path = make_workbook("d/rekap.xlsx", {"Rekap": [
        ["kode_kabupaten_kota", "nama_kabupaten_kota", "jenis_usaha", "jumlah_umkm", "satuan", "tahun"],
        *[[3201, "KABUPATEN BOGOR", j, 10 * i, "UNIT", 2020] for i, j in enumerate(["KULINER", "FASHION", "JASA"] * 3)],
    ]})
    result = ingest_paths([path.parent])
    assert _entry(result)["kind"] == "lainnya" and result.producers.empty


def test_field_rules_name_costs_wages_and_regions_apart():
    assert lay.field_of("BIAYA_PRODUKSI_2019") == "biaya"
    assert lay.field_of("GAJI_KARYAWAN_2020") == "biaya"
    assert lay.field_of("PERUSAHAAN") == "nama_usaha"
    assert lay.field_of("Provinsi") == "wilayah"
    assert lay.field_of("modal usaha") == "aset_rp"
    assert lay.field_of("NILAI INVESTASI (Rp.000)") == "aset_rp"


def test_cells_decide_between_owner_and_phone_in_a_raw_sheet():
    raw = RawSheet(path="x.xlsx", sheet="S", rows=[
        ["Nama Usaha", "Kontak", "Kecamatan"],
        ["Toko Sinar", "Pak Budi", "Kalianda"], ["Warung Bu Tin", "Bu Tini", "Natar"], ["Kedai 88", "Rahmat", "Natar"],
    ])
    layout = lay.detect(raw)
    assert layout.columns["nama_pemilik"] == 1 and "no_hp" not in layout.columns
    assert any("Kontak" in note for note in layout.notes)


# ---------------------------------------------------------------- header, rows above it, totals, numbering


def test_header_is_never_a_data_row_and_rows_above_are_counted(make_workbook, assert_balanced):
    """Fifteen rows of notes and stray cells above an English header: the header is the English row, and
    the rows above it are read and skipped with their reason (the accounting covers the whole sheet)."""
    above = [["Data UMKM binaan"], [], ["Sumber: survei 2023"], ["Kecamatan Natar", "Desa Merak Batin", "catatan"]]
    above += [[f"catatan {i}"] for i in range(11)]
    path = make_workbook("d/en.xlsx", {"Sheet1": [
        *above,
        ["owner_name", "business_name", "business_address", "kecamatan"],
        ["Siti Rahma", "Keripik Siti", "Desa Merak Batin", "Natar"],
        ["Budi Santoso", "Kopi Budi", "Desa Kedaton", "Kalianda"],
    ]})
    result = ingest_paths([path.parent])
    entry = _entry(result)
    assert entry["header_row"] == 16
    assert entry["rows_kept"] == 2
    assert entry["reasons"][ingest_sheet.SKIP_ABOVE_HEADER] == 14  # the filled rows above the header
    assert entry["rows_read"] == 16
    assert_balanced(result)


def test_a_data_row_with_field_words_is_not_taken_for_the_header():
    raw = RawSheet(path="x.xlsx", sheet="S", rows=[
        ["a", "b", "c"],
        ["Kecamatan Natar", "Desa Merak Batin", "Toko Ani"],
        ["Kecamatan Natar", "Desa Candimas", "Toko Budi"],
        ["Kecamatan Kalianda", "Desa Way Urang", "Toko Citra"],
    ])
    assert lay.detect(raw).header_rows == ()


def test_unlabelled_totals_and_column_numbers_are_skipped_not_rejected(make_workbook, assert_balanced):
    path = make_workbook("d/kalianda.xlsx", {"Kalianda": [
        ["No", "Nama Usaha", "Nama Pemilik", "Produk", "Tenaga Kerja", "Omzet per tahun (Rp)"],
        ["1", "2", "3", "4", "5", "6"],
        [1, "Keripik Bu Sri", "Sri", "Keripik", 2, 12_000_000],
        [2, "Kopi Pak Darto", "Sudarto", "Kopi", 3, 18_000_000],
        [3, "Tapis Ibu Ani", "Ani", "Tapis", 1, 6_000_000],
        [None, None, None, None, 6, 36_000_000],
    ]})
    result = ingest_paths([path.parent])
    entry = _entry(result)
    assert entry["rows_kept"] == 3 and entry["rows_rejected"] == 0
    assert entry["reasons"] == {ingest_sheet.SKIP_NUMBERING: 1, ingest_sheet.SKIP_TOTAL_UNLABELLED: 1}
    assert_balanced(result)


def test_a_nameless_row_that_is_no_sum_stays_rejected(make_workbook):
    path = make_workbook("d/kalianda.xlsx", {"Kalianda": [
        ["Nama Usaha", "Nama Pemilik", "Produk", "Tenaga Kerja"],
        ["Keripik Bu Sri", "Sri", "Keripik", 2],
        ["Kopi Pak Darto", "Sudarto", "Kopi", 3],
        [None, None, "Tapis", 4],
    ]})
    entry = _entry(ingest_paths([path.parent]))
    assert entry["reasons"] == {ingest_sheet.REJECT_NO_NAME: 1}


# ---------------------------------------------------------------- a date | value series


def test_date_value_series_without_producer_is_kept_as_unlinked_sales(make_workbook, assert_balanced):
    """A shop's daily sales, `tanggal | penjualan | varian`, one sheet per month: sales rows linked to no
    producer, and the sheet's message says so (not "Baris judul kolom tidak ditemukan")."""
    path = make_workbook("d/penjualan.xlsx", {
        "Januari": [["tanggal", "penjualan", "varian"],
                    [datetime(2021, 1, 1), 14, "pizza mini"], [datetime(2021, 1, 1), 23, "kopi"],
                    [datetime(2021, 1, 2), 30, "sosis"]],
        "Februari": [["tanggal", "penjualan", "varian"], [datetime(2021, 2, 1), 10, "kopi"]],
    })
    result = ingest_paths([path.parent])
    assert {e["kind"] for e in result.report["files"]} == {"sales"}
    assert all("belum terhubung" in e["message"] for e in result.report["files"])
    sales = result.sales
    assert len(sales) == 4 and sales["umkm_id"].isna().all()
    assert sales.groupby("bulan")["nilai_rp"].sum().tolist() == [67, 10]
    assert result.report["totals"]["sales_unlinked"] == 4
    assert_balanced(result)


# ---------------------------------------------------------------- merging needs evidence


def test_generic_names_and_conflicts_go_to_review_not_merged(make_workbook, assert_balanced):
    path = make_workbook("d/kalianda.xlsx", {"Kalianda": [
        ["Nama Usaha", "Nama Pemilik", "No HP", "Alamat", "Produk"],
        ["Warung Kelontong", None, "081200000001", "Desa Way Urang RT 01", "Sembako"],
        ["Warung Kelontong", None, "081200000002", "Desa Kedaton RT 03", "Sembako"],
        ["Warung Kelontong", "Siti", None, "Desa Canggu", "Sembako"],
        ["Warung Kelontong", "Siti", None, "Desa Canggu", "Sembako"],
        # the same business and owner, but another phone: two artisans, not one
        ["Anyaman Bambu Sri", "Sri", "081233334444", "Desa Merak Belantung RT 02", "Anyaman"],
        ["Anyaman Bambu Sri", "Sri", "085299998888", "Desa Merak Belantung RT 05", "Anyaman"],
        # the same business and owner, nothing conflicting: one producer
        ["UD Saburai", "Tutik Wahyuni", "081277776666", "Desa Sidomukti", "Kopi"],
        ["UD SABURAI", "tutik  wahyuni", None, "Sidomukti", "Kopi"],
        # a one-word name is not evidence enough
        ["Barokah", "Yanti", None, None, "Kue"],
        ["Barokah", "Yanti", None, None, "Kue"],
    ]})
    result = ingest_paths([path.parent])
    entry = _entry(result)
    assert entry["rows_merged"] == 1
    assert (result.producers["nama_usaha"].str.lower() == "ud saburai").sum() == 1
    assert (result.producers["nama_usaha"] == "Warung Kelontong").sum() == 4
    assert (result.producers["nama_usaha"] == "Anyaman Bambu Sri").sum() == 2
    near = result.near_duplicates
    listed = set(near["nama_usaha_a"]) | set(near["nama_usaha_b"])
    assert {"Warung Kelontong", "Anyaman Bambu Sri", "Barokah"} <= listed
    assert_balanced(result)


def test_same_nik_still_merges_whatever_the_names(make_workbook):
    path = make_workbook("d/natar.xlsx", {"Natar": [
        ["Nama Usaha", "Nama Pemilik", "NIK", "Produk"],
        ["Keripik Pisang Mawar", "Mawar", "1801051234567891", "Keripik"],
        ["Toko Mawar", "Mawar Sari", "1801051234567891", "Keripik"],
    ]})
    result = ingest_paths([path.parent])
    assert len(result.producers) == 1 and _entry(result)["rows_merged"] == 1


# ---------------------------------------------------------------- the per-file message


def test_message_groups_reasons_with_counts_and_examples(make_workbook):
    """Nearly every row rejected for one reason written many ways: one sentence with the count and
    examples, not one line per spelling."""
    others = ["Balikpapan Timur", "Balikpapan Utara", "Samarinda Ulu", "Sungai Kunjang", "Loa Janan"]
    path = make_workbook("d/data.xlsx", {"Data": [
        ["Nama Usaha", "Nama Pemilik", "Kecamatan", "Produk"],
        *[[f"Usaha Maju {i}", f"Pemilik Nomor {i}", others[i % len(others)], "Kue"] for i in range(20)],
        ["Keripik Pisang Ani", "Ani", "Kalianda", "Keripik"],
        [None, None, "Kalianda", "Kue"],
    ]})
    entry = _entry(ingest_paths([path.parent]))
    message = entry["message"]
    assert message.startswith("1 dari 22 baris dipakai.")
    named = message.split("20 baris karena kecamatan di luar wilayah Lampung Selatan (")[1].split(")")[0].split(", ")
    assert len(named) == 4 and set(named[:3]) <= set(others) and named[3] == "…"
    assert "1 baris karena nama usaha dan nama pemilik kosong" in message
    assert message.count(".") <= 3  # one or two sentences


# ---------------------------------------------------------------- product text feeds kategori


@pytest.mark.parametrize(("product", "kategori"), [
    ("Bahan Pokok", "Jasa & Perdagangan"), ("Kacang Bawang, Kacang Telor", "Makanan Olahan"),
    ("Simpan Pinjam", "Jasa & Perdagangan"), ("Wedang Uwuh", "Minuman"), ("Mukena", "Fesyen & Tekstil"),
    ("Kesed", "Kerajinan"), ("Nasi Goreng", "Makanan Olahan"),
])
def test_products_seen_in_other_offices_registries_have_a_kategori(product, kategori):
    from analysis.ingest import cleaning
    assert cleaning.classify_kategori(product).value == kategori


def test_without_a_product_column_the_business_name_decides_the_kategori(make_workbook):
    path = make_workbook("d/kalianda.xlsx", {"Kalianda": [
        ["Nama Usaha", "Nama Pemilik", "Alamat"],
        ["Bakso Om Heri", "Heri", "Desa Way Urang"], ["Pecel Lele 99", "Rudi", "Desa Kedaton"],
        ["Toko Sinar", "Ani", "Desa Canggu"],
    ]})
    kinds = _by_usaha(ingest_paths([path.parent]))
    assert kinds["Bakso Om Heri"]["kategori"] == "Makanan Olahan"
    assert kinds["Pecel Lele 99"]["kategori"] == "Makanan Olahan"
    assert kinds["Toko Sinar"]["kategori"] == "Jasa & Perdagangan"


def test_rows_of_another_kabupaten_are_rejected_as_such_even_with_a_kecamatan_of_the_same_name(make_workbook):
    """"KETAPANG" is a kecamatan of Lampung Selatan and of Sampang: the KAB_KOTA column decides."""
    path = make_workbook("d/jatim.xlsx", {"Data": [
        ["KAB_KOTA", "KECAMATAN", "NAMA_PEMILIK", "NAMA_USAHA", "JENIS_KEGIATAN"],
        ["[27] SAMPANG", "KETAPANG", "RATOH", "Batik Ratoh", "Batik"],
        ["[07] MALANG", "LOWOKWARU", "SITI", "Keripik Siti", "Keripik"],
        ["KAB. LAMPUNG SELATAN", "KETAPANG", "AMAT", "Ikan Asin Amat", "Ikan asin"],
    ]})
    result = ingest_paths([path.parent])
    assert list(result.producers["nama_usaha"]) == ["Ikan Asin Amat"]
    message = _entry(result)["message"]
    assert "2 baris karena wilayah di luar Kabupaten Lampung Selatan ([07] MALANG, [27] SAMPANG)" in message


def test_order_list_of_an_online_shop_is_price_times_quantity(make_workbook, assert_balanced):
    """A marketplace order export (`Waktu Pesanan Dibuat | Nama Produk | Harga | Jumlah`): sales of one shop,
    each order worth price x quantity; the first order is data, not a second header row."""
    path = make_workbook("d/orders.xlsx", {"orders": [
        ["Waktu Pesanan Dibuat", "Nama Produk", "Harga", "Jumlah Produk di Pesan", "Waktu Pesanan Selesai"],
        ["2020-04-20 17:52", "Tali kaki burung", "5.000", 11, "2020-04-26 03:59"],
        ["2020-04-24 18:20", "Tali kaki burung", "7.000", 20, "2020-04-28 06:03"],
        ["2020-05-02 09:00", "Tangkringan", "10.872", 1, "2020-05-05 10:00"],
    ]})
    result = ingest_paths([path.parent])
    entry = _entry(result)
    assert entry["kind"] == "sales" and entry["header_row"] == 1 and entry["rows_kept"] == 3
    assert result.sales.groupby("bulan")["nilai_rp"].sum().tolist() == [195_000, 10_872]
    assert result.sales["umkm_id"].isna().all()
    assert_balanced(result)


def test_registry_with_a_count_column_is_still_a_registry(make_workbook, assert_balanced):
    """One row per named IKM, with a "JUMLAH UNIT USAHA" column: a registry, not a recap of counts."""
    names = ["Tahu Bandung Jaya", "Kopi Robusta Sumber", "Keripik Nangka Ria", "Tenun Tapis Ayu", "Anyaman Pandan Sari",
             "Gula Aren Manis", "Ikan Asin Bahari"]
    path = make_workbook("d/ikm.xlsx", {"IKM": [
        ["NAMA PERUSAHAAN", "KOMODITI", "JUMLAH UNIT USAHA", "KECAMATAN"],
        *[[n, n.split()[0], 1, "Kalianda"] for n in names],
    ]})
    result = ingest_paths([path.parent])
    assert _entry(result)["kind"] == "producers" and len(result.producers) == len(names)
    assert_balanced(result)


def test_an_unsure_column_is_said_to_be_unsure():
    raw = RawSheet(path="x.xlsx", sheet="S", rows=[
        ["Nama", "Kecamatan", "Produk"],
        ["Toko Sinar", "Kalianda", "Sembako"], ["Siti", "Natar", "Kue"], ["Ikan Asin Pak Amat Dan Keluarga Besar", "Natar", "Ikan"],
        ["0812", "Natar", "Kue"], ["Warung", "Natar", "Kue"],
    ])
    layout = lay.detect(raw)
    assert any("'Nama' belum pasti" in note for note in layout.notes)


def test_a_generic_business_name_is_no_evidence_whoever_the_owner(make_workbook):
    """DATA-CONTRACT: a generic or one-word business name sends the pair to review even beside a full owner
    name or the same phone; a distinctive business name with the same owner merges, also when the owner's
    name is one word."""
    path = make_workbook("d/natar.xlsx", {"Natar": [
        ["Nama Usaha", "Nama Pemilik", "No HP", "Desa"],
        ["UD Maju Jaya", "I Wayan Mertayasa", "085195690971", "Bangun Sari"],
        ["Ud Maju Jaya", "i wayan mertayasa", None, "Bangun Sari"],
        ["UD Barokah", "Hidayat", "081215356083", "Palembapang"],
        ["UD BAROKAH", "Hidayat", "0812-1535-6083", "Palembapang"],
        ["Keripik Pisang Bu Wati", "Wati", "089773650024", "Hatta"],
        ["keripik pisang bu wati", "Wati", None, "Hatta"],
    ]})
    result = ingest_paths([path.parent])
    names = result.producers["nama_usaha"].str.lower().value_counts().to_dict()
    assert names == {"ud maju jaya": 2, "ud barokah": 2, "keripik pisang bu wati": 1}
    near = result.near_duplicates
    assert set(near["nama_usaha_a"].str.lower()) == {"ud maju jaya", "ud barokah"}


def test_yearly_blocks_read_the_latest_year():
    raw = RawSheet(path="x.xlsx", sheet="S", rows=[
        ["NAMA_USAHA", "KECAMATAN", "JML_TENAGA_KERJA_2019", "JML_TENAGA_KERJA_2020", "OMSET_2019", "OMSET_2020", "OMSET_2021"],
        ["Keripik Maju", "Kalianda", 2, 3, 1000, 2000, 3000],
    ])
    layout = lay.detect(raw)
    assert layout.columns["omzet"] == 6 and layout.columns["tenaga_kerja"] == 3
    assert any("'OMSET_2021' (tahun terbaru)" in note for note in layout.notes)


def test_a_nameless_row_numbered_as_the_sum_of_the_numbers_above_is_no_total(make_workbook):
    path = make_workbook("d/kalianda.xlsx", {"Kalianda": [
        ["No", "Nama Usaha", "Nama Pemilik", "Produk"],
        [1, "Keripik Bu Sri", "Sri", "Keripik"],
        [2, "Kopi Pak Darto", "Sudarto", "Kopi"],
        [3, None, None, "Tapis"],
    ]})
    entry = _entry(ingest_paths([path.parent]))
    assert entry["reasons"] == {ingest_sheet.REJECT_NO_NAME: 1}


def test_an_empty_latest_year_takes_the_latest_earlier_year(make_workbook):
    path = make_workbook("d/kalianda.xlsx", {"Kalianda": [
        ["NAMA_USAHA", "NAMA_PEMILIK", "JML_TENAGA_KERJA_2019", "JML_TENAGA_KERJA_2020", "OMSET_2019", "OMSET_2020",
         "OMSET_2021"],
        ["Keripik Maju", "Sri", 2, 3, 1_000_000, 2_000_000, 3_000_000],
        ["Kopi Darto", "Darto", 4, None, 5_000_000, 6_000_000, None],
        ["Tapis Ani", "Ani", None, None, 7_000_000, None, None],
    ]})
    rows = _by_usaha(ingest_paths([path.parent]))
    assert [rows[n]["omzet_tahunan_rp"] for n in ("Keripik Maju", "Kopi Darto", "Tapis Ani")] == [3e6, 6e6, 7e6]
    assert [rows[n]["tenaga_kerja"] for n in ("Keripik Maju", "Kopi Darto")] == [3, 4]
    assert pd.isna(rows["Tapis Ani"]["tenaga_kerja"])
