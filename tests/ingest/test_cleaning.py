"""Unit tests for analysis.cleaning: one messy cell per case, concrete expected values."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from analysis.core import reference as ref
from analysis.ingest import cleaning as cl

TS = pd.Timestamp


@pytest.fixture(scope="module")
def matcher() -> cl.KecamatanMatcher:
    return cl.KecamatanMatcher()


# ---------------------------------------------------------------------------------------- Parsed, blanks


def test_parsed_missing_follows_value():
    assert cl.BLANK.missing and cl.BLANK.error is None and cl.BLANK.fix is None
    assert not cl.Parsed(0.0).missing  # zero is a value, not missing
    assert cl.Parsed(error="x").missing


@pytest.mark.parametrize("value", [None, np.nan, float("nan"), pd.NA, pd.NaT, np.datetime64("NaT"), "", "   ",
                                   "\u00a0", "-", "--", "–", "—", " - ", "\t\n"])
def test_is_blank_true(value):
    assert cl.is_blank(value)


@pytest.mark.parametrize("value", [0, 0.0, "0", "tidak ada", "n/a", "x", False, "Rp -", dt.date(2017, 1, 1)])
def test_is_blank_false(value):
    assert not cl.is_blank(value)


def test_every_fix_label_is_indonesian_text():
    assert cl.FIX_LABELS["omzet_per_bulan"] == "omzet per bulan dikali 12"
    assert all(isinstance(label, str) and label for label in cl.FIX_LABELS.values())


# ---------------------------------------------------------------------------------------- money


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Rp 2.500.000,-", 2_500_000.0),
        ("Rp2.500.000,00", 2_500_000.0),
        ("Rp. 2.500.000", 2_500_000.0),
        ("IDR 2.500.000", 2_500_000.0),
        ("2.500.000", 2_500_000.0),
        ("2500000", 2_500_000.0),
        ("2.500", 2_500.0),
        ("1.250.000,50", 1_250_000.5),
        ("2,5 jt", 2_500_000.0),
        ("2,5jt", 2_500_000.0),
        ("2,5 juta", 2_500_000.0),
        ("2.5 juta", 2_500_000.0),
        ("1.500 juta", 1_500_000_000.0),
        ("750 rb", 750_000.0),
        ("750 ribu", 750_000.0),
        ("750rb", 750_000.0),
        ("1,2 M", 1_200_000_000.0),
        ("1,2 miliar", 1_200_000_000.0),
        ("1,2 milyar", 1_200_000_000.0),
        ("± 2 juta", 2_000_000.0),
        ("kurang lebih Rp 3 jt", 3_000_000.0),
        ("0", 0.0),
        ("Rp 0", 0.0),
        ("nihil", 0.0),
        ("2500000.0", 2_500_000.0),
        (2_500_000, 2_500_000.0),
        (2_500_000.0, 2_500_000.0),
        (np.int64(750_000), 750_000.0),
        (np.float32(1500.0), 1500.0),
    ],
)
def test_parse_rupiah_values(raw, expected):
    parsed = cl.parse_rupiah(raw)
    assert parsed.value == expected and parsed.error is None
    assert isinstance(parsed.value, float)


@pytest.mark.parametrize("raw", ["-", "", None, np.nan, "  "])
def test_parse_rupiah_blank_is_missing_without_reason(raw):
    assert cl.parse_rupiah(raw) == cl.BLANK


def test_parse_rupiah_lone_comma_thousands_is_read_as_thousands_with_fix():
    # 2,5 rupiah never occurs; a US-locale Excel shows Rp 2500 as "2,500".
    assert cl.parse_rupiah("2,500") == cl.Parsed(2500.0, "angka_format_asing")


def test_parse_rupiah_us_thousands_groups():
    assert cl.parse_rupiah("2,500,000") == cl.Parsed(2_500_000.0, "angka_format_asing")


def test_parse_rupiah_us_decimal_point_with_groups():
    assert cl.parse_rupiah("1,250.75") == cl.Parsed(1250.75, "angka_format_asing")


def test_parse_rupiah_comma_with_unit_is_decimal():
    assert cl.parse_rupiah("2,500 jt").value == 2_500_000.0


@pytest.mark.parametrize("raw", ["-2.500.000", "(2.500.000)", "Rp -5.000", -5, -0.5])
def test_parse_rupiah_negative_is_error(raw):
    parsed = cl.parse_rupiah(raw)
    assert parsed.missing and "negatif" in parsed.error


@pytest.mark.parametrize("raw", ["abc", "dua juta", "1-2 juta", "2.50.000", "1.80101E+15", "Rp", "5 m2", "12/03/2017"])
def test_parse_rupiah_nonsense_is_error(raw):
    parsed = cl.parse_rupiah(raw)
    assert parsed.missing and parsed.error


def test_parse_rupiah_absurd_amount_is_error():
    parsed = cl.parse_rupiah(1801012345678901)  # a NIK pasted into the omzet column
    assert parsed.missing and "tidak masuk akal" in parsed.error


def test_parse_rupiah_bool_and_date_are_errors():
    assert "ya/tidak" in cl.parse_rupiah(True).error
    assert "tanggal" in cl.parse_rupiah(dt.date(2017, 3, 14)).error


def test_parse_rupiah_cell_per_bulan_keeps_amount_with_fix():
    assert cl.parse_rupiah("2 jt/bln") == cl.Parsed(2_000_000.0, "nilai_per_bulan")


def test_parse_rupiah_error_message_is_indonesian_and_quotes_the_cell():
    assert cl.parse_rupiah("abc").error == "'abc' bukan nilai rupiah"


# ---------------------------------------------------------------------------------------- omzet per bulan


@pytest.mark.parametrize(
    "header, factor",
    [
        ("Omzet per bulan", 12),
        ("Omzet Perbulan (Rp)", 12),
        ("Omzet (Rp/bln)", 12),
        ("OMZET / BULAN", 12),
        ("Omzet per bln", 12),
        ("Omzet Bulanan", 12),
        ("Rata-rata omzet setiap bulan", 12),
        ("Omzet", 1),
        ("Omzet per tahun", 1),
        ("Omzet Tahunan (Rp)", 1),
        ("Bulan", 1),
        (None, 1),
        (("Omzet", "per Bulan"), 12),
    ],
)
def test_omzet_multiplier(header, factor):
    assert cl.omzet_multiplier(header) == factor


def test_parse_omzet_multiplies_per_month_header():
    assert cl.parse_omzet("2 jt", header="Omzet per bulan") == cl.Parsed(24_000_000.0, "omzet_per_bulan")


def test_parse_omzet_multiplies_per_month_cell():
    assert cl.parse_omzet("2 jt/bln", header="Omzet") == cl.Parsed(24_000_000.0, "omzet_per_bulan")


def test_parse_omzet_cell_per_year_overrides_month_header():
    assert cl.parse_omzet("24 jt per tahun", header="Omzet per bulan") == cl.Parsed(24_000_000.0)


def test_parse_omzet_yearly_header_unchanged():
    assert cl.parse_omzet("24.000.000", header="Omzet tahunan") == cl.Parsed(24_000_000.0)


# ---------------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1.250", 1250.0),
        ("2,5", 2.5),
        ("2,500", 2.5),  # Indonesian: the comma is the decimal mark (money differs, see above)
        ("1.250,75", 1250.75),
        ("5 orang", 5.0),
        ("10 kg", 10.0),
        ("12", 12.0),
        ("3 jt", 3_000_000.0),
        (7, 7.0),
        (2.5, 2.5),
        ("1,250,000", 1_250_000.0),
    ],
)
def test_parse_number(raw, expected):
    assert cl.parse_number(raw).value == expected


@pytest.mark.parametrize("raw", ["lima", "5-10 orang", "1.2.3", "-3", "inf"])
def test_parse_number_errors(raw):
    parsed = cl.parse_number(raw)
    assert parsed.missing and parsed.error


def test_parse_number_infinite_float_is_error():
    assert "terlalu besar" in cl.parse_number(float("inf")).error


@pytest.mark.parametrize("raw, expected", [("5 orang", 5), ("12", 12), (3.0, 3), (np.int64(4), 4), ("1.250", 1250)])
def test_parse_int(raw, expected):
    parsed = cl.parse_int(raw)
    assert parsed.value == expected and isinstance(parsed.value, int)


@pytest.mark.parametrize("raw", ["2,5", 2.5, "2,5 orang"])
def test_parse_int_fraction_is_error(raw):
    assert "bilangan bulat" in cl.parse_int(raw).error


def test_parse_int_negative_is_error():
    assert "negatif" in cl.parse_int(-3).error


# ---------------------------------------------------------------------------------------- years


@pytest.mark.parametrize(
    "raw, expected",
    [
        (2010, 2010),
        (2010.0, 2010),
        ("2010", 2010),
        ("Thn 2010", 2010),
        ("Tahun: 2010", 2010),
        ("th. 2010", 2010),
        ("sejak 2010", 2010),
        ("Maret 2010", 2010),
        ("14/03/2010", 2010),
        (dt.date(2010, 5, 1), 2010),
        (TS("2010-05-01"), 2010),
        (40210, 2010),  # Excel serial of 2010-02-01
    ],
)
def test_parse_year(raw, expected):
    parsed = cl.parse_year(raw)
    assert parsed.value == expected and isinstance(parsed.value, int)


@pytest.mark.parametrize("raw", ["2010-2012", "5 tahun", "10", 1850, 2150, 2010.5, "lama"])
def test_parse_year_errors(raw):
    parsed = cl.parse_year(raw)
    assert parsed.missing and parsed.error


# ---------------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "raw",
    [
        "14/03/2017",
        "14-03-2017",
        "14.03.2017",
        "14/3/2017",
        "14/03/17",
        "14 Maret 2017",
        "14 MARET 2017",
        "Selasa, 14 Maret 2017",
        "Selasa 14 Maret 2017",
        "14 Mar 2017",
        "14-Mar-17",
        "2017-03-14",
        "2017-03-14 00:00:00",
        "Tanggal : 14 Maret 2017",
        "Hari/Tanggal : Selasa, 14 Maret 2017",
        "14 Maret 2017 pukul 08.00 WIB",
        "42808",
        42808,
        42808.6,
        dt.date(2017, 3, 14),
        dt.datetime(2017, 3, 14, 10, 30),
        TS("2017-03-14 10:30"),
        TS("2017-03-14 08:00", tz="Asia/Jakarta"),
        np.datetime64("2017-03-14T10:30"),
    ],
)
def test_parse_date_day_first(raw):
    assert cl.parse_date(raw).value == TS("2017-03-14")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("14 Agustus 2017", "2017-08-14"),
        ("14 Agt 2017", "2017-08-14"),
        ("14 Agu 2017", "2017-08-14"),
        ("14 Ags 2017", "2017-08-14"),
        ("14 Nopember 2017", "2017-11-14"),
        ("14 November 2017", "2017-11-14"),
        ("14 Pebruari 2017", "2017-02-14"),
        ("14 Februari 2017", "2017-02-14"),
        ("1 Mei 2017", "2017-05-01"),
        ("5 Okt 2017", "2017-10-05"),
        ("25 Des 2017", "2017-12-25"),
        ("03/04/2017", "2017-04-03"),  # 3 April, never 4 March
        ("14/03/65", "1965-03-14"),  # Excel's two-digit-year rule: 30-99 are 19xx
    ],
)
def test_parse_date_month_names_and_two_digit_years(raw, expected):
    assert cl.parse_date(raw).value == TS(expected)


def test_parse_date_never_month_first():
    parsed = cl.parse_date("03/14/2017")
    assert parsed.missing and "bulan 14" in parsed.error


def test_parse_date_drops_time_of_day():
    value = cl.parse_date(dt.datetime(2017, 3, 14, 23, 59)).value
    assert value == value.normalize() and value.tzinfo is None


@pytest.mark.parametrize(
    "raw", ["31/02/2017", "14 Maret", "hello", "14 Foo 2017", 5, 100000, True, "14 s/d 16 Maret 2017"]
)
def test_parse_date_errors(raw):
    parsed = cl.parse_date(raw)
    assert parsed.missing and parsed.error


def test_parse_date_impossible_day_reason():
    assert cl.parse_date("31/02/2017").error == "tanggal 31 tidak ada pada bulan 2/2017"


# ---------------------------------------------------------------------------------------- date ranges


@pytest.mark.parametrize(
    "raw, start, end",
    [
        ("14 s/d 16 Maret 2017", "2017-03-14", "2017-03-16"),
        ("14 sd 16 Maret 2017", "2017-03-14", "2017-03-16"),
        ("14 s.d. 16 Maret 2017", "2017-03-14", "2017-03-16"),
        ("14 - 16 Maret 2017", "2017-03-14", "2017-03-16"),
        ("14-16 Maret 2017", "2017-03-14", "2017-03-16"),
        ("14–16 Maret 2017", "2017-03-14", "2017-03-16"),
        ("14 sampai dengan 16 Maret 2017", "2017-03-14", "2017-03-16"),
        ("14 Maret s/d 16 Maret 2017", "2017-03-14", "2017-03-16"),
        ("28 Februari s/d 2 Maret 2017", "2017-02-28", "2017-03-02"),
        ("30 Desember 2016 s.d 2 Januari 2017", "2016-12-30", "2017-01-02"),
        ("14 Maret 2017", "2017-03-14", "2017-03-14"),
        ("Tanggal : 14 s/d 16 Maret 2017", "2017-03-14", "2017-03-16"),
        ("Hari/Tanggal : Selasa s/d Kamis, 14 s/d 16 Maret 2017", "2017-03-14", "2017-03-16"),
        ("Waktu: 14-16 Maret 2017", "2017-03-14", "2017-03-16"),
        ("14/03/2017 - 16/03/2017", "2017-03-14", "2017-03-16"),
        ("14-03-2017 - 16-03-2017", "2017-03-14", "2017-03-16"),
        ("14, 15 dan 16 Maret 2017", "2017-03-14", "2017-03-16"),
        (dt.date(2017, 3, 14), "2017-03-14", "2017-03-14"),
        (42808, "2017-03-14", "2017-03-14"),
    ],
)
def test_parse_date_range(raw, start, end):
    assert cl.parse_date_range(raw).value == (TS(start), TS(end))


def test_parse_date_range_year_of_start_inferred_with_fix():
    parsed = cl.parse_date_range("30 Desember s/d 2 Januari 2017")
    assert parsed == cl.Parsed((TS("2016-12-30"), TS("2017-01-02")), "tanggal_disimpulkan")


def test_parse_date_range_end_before_start_is_error():
    parsed = cl.parse_date_range("16/03/2017 - 14/03/2017")
    assert parsed.missing and "sebelum tanggal mulai" in parsed.error


@pytest.mark.parametrize("raw", ["besok", "14 s/d 16", "30 s/d 2 Maret 2017", "03/14/2017"])
def test_parse_date_range_errors(raw):
    parsed = cl.parse_date_range(raw)
    assert parsed.missing and parsed.error


# ---------------------------------------------------------------------------------------- months


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Jan-17", "2017-01-01"),
        ("Jan 17", "2017-01-01"),
        ("Januari 2017", "2017-01-01"),
        ("JANUARI 2017", "2017-01-01"),
        ("Jan 2017", "2017-01-01"),
        ("Feb-2017", "2017-02-01"),
        ("2017-01", "2017-01-01"),
        ("2017/01", "2017-01-01"),
        ("01/2017", "2017-01-01"),
        ("01-2017", "2017-01-01"),
        ("201701", "2017-01-01"),
        ("Mei-16", "2016-05-01"),
        ("Agust 2016", "2016-08-01"),
        ("Okt-17", "2017-10-01"),
        ("Des 2017", "2017-12-01"),
        ("Januari 2017 (Rp)", "2017-01-01"),
        ("Bulan Maret 2017", "2017-03-01"),
        ("14/03/2017", "2017-03-01"),
        ("2017-03-01 00:00:00", "2017-03-01"),
        (dt.datetime(2017, 3, 14), "2017-03-01"),
        (TS("2017-03-31"), "2017-03-01"),
        (42808, "2017-03-01"),
        (201701, "2017-01-01"),
    ],
)
def test_parse_month(raw, expected):
    assert cl.parse_month(raw).value == TS(expected)


@pytest.mark.parametrize("raw", ["Januari", "Mar", 3])
def test_parse_month_without_year_is_missing_with_reason(raw):
    parsed = cl.parse_month(raw)
    assert parsed.missing and "tanpa tahun" in parsed.error


@pytest.mark.parametrize("raw", ["Jumlah", "Total", "No", "Nama Usaha", "13/2017", True])
def test_parse_month_not_a_month(raw):
    parsed = cl.parse_month(raw)
    assert parsed.missing and parsed.error


# ---------------------------------------------------------------------------------------- NIK


@pytest.mark.parametrize("raw", [1801012345678901, np.int64(1801012345678901), 1801012345678901.0,
                                 np.float64(1801012345678901.0), "1801012345678901.0"])
def test_parse_nik_from_number_cell(raw):
    assert cl.parse_nik(raw) == cl.Parsed("1801012345678901", "nik_dari_angka")


@pytest.mark.parametrize("raw", ["1801012345678901", "1801 0123 4567 8901", "1801.0123.4567.8901",
                                 "1801-0123-4567-8901", "'1801012345678901", "NIK: 1801012345678901"])
def test_parse_nik_from_text(raw):
    assert cl.parse_nik(raw) == cl.Parsed("1801012345678901")


@pytest.mark.parametrize("raw", ["1.80101E+15", "1,80101E+15", "1.80101e15"])
def test_parse_nik_scientific_text_lost_digits(raw):
    assert cl.parse_nik(raw) == cl.Parsed(error="NIK rusak (format ilmiah Excel, digit hilang)")


def test_parse_nik_scientific_float_is_not_invented():
    parsed = cl.parse_nik(1.80101e15)  # 1801010000000000: the cell kept only six digits
    assert parsed.missing and "digit hilang" in parsed.error


@pytest.mark.parametrize("raw, fragment", [("18010123456789", "tertulis 14 digit"),
                                           ("180101234567890123", "tertulis 18 digit"),
                                           ("0000000000000000", "nol semua"),
                                           ("1801ABC345678901", "huruf"),
                                           (1801012345678.5, "16 digit"),
                                           (True, "bukan NIK")])
def test_parse_nik_errors(raw, fragment):
    parsed = cl.parse_nik(raw)
    assert parsed.missing and fragment in parsed.error


# ---------------------------------------------------------------------------------------- phone


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("0812-7234-5678", "+6281272345678"),
        ("0812 7234 5678", "+6281272345678"),
        ("081272345678", "+6281272345678"),
        ("6281272345678", "+6281272345678"),
        ("+62 812 7234 5678", "+6281272345678"),
        ("+62 (0)812 7234 5678", "+6281272345678"),
        ("HP: 0812-7234-5678 (WA)", "+6281272345678"),
        ("(0721) 123456", "+62721123456"),
        ("021-12345678", "+622112345678"),
        (6281272345678, "+6281272345678"),
    ],
)
def test_parse_phone(raw, expected):
    assert cl.parse_phone(raw) == cl.Parsed(expected)


@pytest.mark.parametrize("raw", ["812-7234-5678", 81272345678, 81272345678.0])
def test_parse_phone_leading_zero_lost(raw):
    assert cl.parse_phone(raw) == cl.Parsed("+6281272345678", "hp_tanpa_nol")


def test_parse_phone_two_numbers_takes_first():
    assert cl.parse_phone("08127234567 / 08529999999") == cl.Parsed("+628127234567", "hp_lebih_dari_satu")


@pytest.mark.parametrize("raw", ["123456", "0812", "0812345678901234", "+60 12 345 6789", "8.12723E+10",
                                 "tidak ada", 1801012345678901, True])
def test_parse_phone_errors(raw):
    parsed = cl.parse_phone(raw)
    assert parsed.missing and parsed.error


# ---------------------------------------------------------------------------------------- booleans


@pytest.mark.parametrize("raw", ["ya", "Y", "YA", "iya", "Ada", "sudah", "Sudah ada", "punya", "memiliki", "v", "V",
                                 "✓", "√", "1", "true", "TRUE", 1, 1.0, True, np.bool_(True), "ya, sejak 2019"])
def test_parse_bool_true(raw):
    assert cl.parse_bool(raw) == cl.Parsed(True)


@pytest.mark.parametrize("raw", ["tidak", "Tidak", "tdk", "t", "T", "belum", "blm", "tidak ada", "Tdk ada",
                                 "belum ada", "no", "No", "0", "false", 0, 0.0, False, "non halal"])
def test_parse_bool_false(raw):
    assert cl.parse_bool(raw) == cl.Parsed(False)


@pytest.mark.parametrize("raw", ["NIB: 1234567890123", "P-IRT 2061801010123-24", "No. PIRT 206.1801.01.0123-24",
                                 1234567890123, "Halal MUI"])
def test_parse_bool_permit_number_means_true(raw):
    assert cl.parse_bool(raw) == cl.Parsed(True, "ya_dari_keterangan")


def test_parse_bool_in_process_means_false():
    assert cl.parse_bool("dalam proses") == cl.Parsed(False, "izin_dalam_proses")


@pytest.mark.parametrize("raw", ["x", "X", "×"])
def test_parse_bool_x_is_ambiguous(raw):
    parsed = cl.parse_bool(raw)
    assert parsed.missing and "ambigu" in parsed.error


@pytest.mark.parametrize("raw", ["mungkin", "2", 5])
def test_parse_bool_unreadable(raw):
    parsed = cl.parse_bool(raw)
    assert parsed.missing and "ya/tidak" in parsed.error


# ---------------------------------------------------------------------------------------- gender


@pytest.mark.parametrize("raw", ["L", "l", "Lk", "LK", "Laki-laki", "Laki laki", "LAKI-LAKI", "Pria", "Male", "L."])
def test_parse_gender_male(raw):
    assert cl.parse_gender(raw) == cl.Parsed("L")


@pytest.mark.parametrize("raw", ["P", "p", "Pr", "Perempuan", "PEREMPUAN", "Wanita", "Female", "W"])
def test_parse_gender_female(raw):
    assert cl.parse_gender(raw) == cl.Parsed("P")


@pytest.mark.parametrize("raw", ["X", "1", 1, "laki-laki/perempuan"])
def test_parse_gender_unknown(raw):
    parsed = cl.parse_gender(raw)
    assert parsed.missing and "jenis kelamin" in parsed.error


# ---------------------------------------------------------------------------------------- jangkauan pasar


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("lokal", "Desa"), ("Desa", "Desa"), ("dalam desa", "Desa"),
        ("antar desa", "Kecamatan"), ("Kecamatan", "Kecamatan"),
        ("antar kecamatan", "Kabupaten"), ("Kabupaten", "Kabupaten"), ("dalam kabupaten", "Kabupaten"),
        ("Lampung Selatan", "Kabupaten"), ("Kab. Lampung Selatan", "Kabupaten"),
        ("antar kabupaten", "Provinsi"), ("Provinsi", "Provinsi"), ("Lampung", "Provinsi"),
        ("regional", "Provinsi"), ("Bandar Lampung", "Provinsi"),
        ("antar provinsi", "Nasional"), ("Nasional", "Nasional"), ("Jawa", "Nasional"), ("Jakarta", "Nasional"),
        ("luar provinsi", "Nasional"),
        ("Ekspor", "Ekspor"), ("internasional", "Ekspor"), ("luar negeri", "Ekspor"), ("mancanegara", "Ekspor"),
    ],
)
def test_parse_jangkauan(raw, expected):
    assert cl.parse_jangkauan(raw) == cl.Parsed(expected)


def test_parse_jangkauan_several_takes_widest():
    assert cl.parse_jangkauan("Desa, Kabupaten") == cl.Parsed("Kabupaten", "jangkauan_terluas")


def test_parse_jangkauan_unknown():
    assert cl.parse_jangkauan("online").error == "jangkauan pasar 'online' tidak dikenal"


def test_jangkauan_levels_are_the_reference_ones():
    assert {cl.parse_jangkauan(level).value for level in ref.JANGKAUAN_PASAR} == set(ref.JANGKAUAN_PASAR)


# ---------------------------------------------------------------------------------------- kecamatan


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Natar", "Natar"), ("NATAR", "Natar"), (" natar ", "Natar"), ("Kec. Natar", "Natar"),
        ("Kec.Natar", "Natar"), ("Kecamatan Natar", "Natar"), ("KEC NATAR", "Natar"),
        ("Jati Agung", "Jati Agung"), ("Jatiagung", "Jati Agung"), ("JATIAGUNG", "Jati Agung"),
        ("Tj. Bintang", "Tanjung Bintang"), ("Tj Bintang", "Tanjung Bintang"), ("Tjg Bintang", "Tanjung Bintang"),
        ("Tg. Bintang", "Tanjung Bintang"), ("Tanjungbintang", "Tanjung Bintang"), ("Tj. Sari", "Tanjung Sari"),
        ("Rajabasa", "Rajabasa"), ("Raja Basa", "Rajabasa"), ("Candi Puro", "Candipuro"),
        ("Sido Mulyo", "Sidomulyo"), ("Way Panji", "Way Panji"), ("Waysulan", "Way Sulan"),
    ],
)
def test_kecamatan_case_space_prefix_without_fix(matcher, raw, expected):
    assert matcher.match(raw) == cl.Parsed(expected)


@pytest.mark.parametrize("raw, expected", [("Bakauhuni", "Bakauheni"), ("Bakaheuni", "Bakauheni")])
def test_kecamatan_alias_spelling_gets_fix(matcher, raw, expected):
    assert matcher.match(raw) == cl.Parsed(expected, "kecamatan_ejaan")


@pytest.mark.parametrize(
    "raw, expected",
    [("Kaliandaa", "Kalianda"), ("Natr", "Natar"), ("Sidomulya", "Sidomulyo"), ("Penengahn", "Penengahan"),
     ("Way Panjy", "Way Panji"), ("Merbau Mataran", "Merbau Mataram"), ("Tanjung Sar", "Tanjung Sari")],
)
def test_kecamatan_small_typo(matcher, raw, expected):
    assert matcher.match(raw) == cl.Parsed(expected, "kecamatan_ejaan")


@pytest.mark.parametrize(
    "raw, reason",
    [
        ("Kedaton", "Kedaton, Kota Bandar Lampung: di luar wilayah Lampung Selatan"),
        ("Tanjung Senang", "Tanjung Senang, Kota Bandar Lampung: di luar wilayah Lampung Selatan"),
        ("Bandar Mataram", "Bandar Mataram, Kabupaten Lampung Tengah: di luar wilayah Lampung Selatan"),
        ("Kec. Gedong Tataan", "Gedong Tataan, Kabupaten Pesawaran: di luar wilayah Lampung Selatan"),
        ("Balikpapan Timur", "Balikpapan Timur, Kota Balikpapan: di luar wilayah Lampung Selatan"),
        ("Sumberjaya", "Sumber Jaya, Kabupaten Lampung Barat atau Kabupaten Majalengka: di luar wilayah Lampung Selatan"),
    ],
)
def test_kecamatan_of_other_kabupaten_rejected(matcher, raw, reason):
    assert matcher.match(raw) == cl.Parsed(error=reason)


def test_kecamatan_typo_of_other_kabupaten_is_not_guessed(matcher):
    parsed = matcher.match("Kedatonn")
    assert parsed.missing and "Kota Bandar Lampung" in parsed.error


def test_kecamatan_text_naming_other_kabupaten_rejected(matcher):
    parsed = matcher.match("Rajabasa, Bandar Lampung")  # Bandar Lampung has its own Rajabasa
    assert parsed.missing and "Kota Bandar Lampung" in parsed.error


@pytest.mark.parametrize("raw", ["Xyzabc", "Way", "Waya"])
def test_kecamatan_unknown_rejected_not_guessed(matcher, raw):
    assert matcher.match(raw) == cl.Parsed(error=f"kecamatan '{raw}' tidak dikenal")


@pytest.mark.parametrize("raw, expected", [("18.01.04", "Natar"), ("18.01.13", "Jati Agung"), ("1803060", "Natar"),
                                           (1803070, "Jati Agung"), ("18.01.24", "Way Panji")])
def test_kecamatan_codes(matcher, raw, expected):
    assert matcher.match(raw) == cl.Parsed(expected)


def test_kecamatan_unknown_code(matcher):
    assert "kode kecamatan" in matcher.match("18.01.99").error


def test_kecamatan_inside_longer_text(matcher):
    assert matcher.match("Desa Hajimena Kec. Natar") == cl.Parsed("Natar", "kecamatan_dari_teks")


def test_kecamatan_blank(matcher):
    assert matcher.match("  ") == cl.BLANK


def test_kecamatan_every_canonical_name_matches_itself(matcher):
    names = ref.kecamatan_names()
    assert len(names) == 17
    assert [matcher.match(name).value for name in names] == list(names)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("DATA UMKM BINAAN KECAMATAN NATAR TAHUN 2017", "Natar"),
        ("DAFTAR UMKM KEC. WAY PANJI 2018", "Way Panji"),
        ("Dinas Koperasi Kalianda - UMKM Kecamatan Natar", "Natar"),
        ("Kec. Tj Bintang", "Tanjung Bintang"),
        ("JATIAGUNG", "Jati Agung"),
        ("Kec Penengahn", "Penengahan"),
        ("Bakauhuni", "Bakauheni"),
    ],
)
def test_find_in_text(matcher, text, expected):
    assert matcher.find_in_text(text) == expected


@pytest.mark.parametrize(
    "text",
    ["Sheet1", "Rekap", "Data UMKM Kalianda dan Natar", "DATA UMKM KECAMATAN KEDATON",
     "DATA UMKM KOTA BANDAR LAMPUNG KECAMATAN RAJABASA", None, ""],
)
def test_find_in_text_none_when_absent_ambiguous_or_elsewhere(matcher, text):
    assert matcher.find_in_text(text) is None


# ---------------------------------------------------------------------------------------- categories


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Keripik Pisang", "Makanan Olahan"),
        ("pisang", "Pertanian & Perkebunan"),
        ("Kopi Bubuk", "Minuman"),
        ("VCO", "Olahan Kelapa"),
        ("Minyak Kelapa Murni", "Olahan Kelapa"),
        ("Ikan Asin", "Olahan Perikanan"),
        ("Terasi udang", "Olahan Perikanan"),
        ("Kain Tapis", "Kerajinan"),
        ("Anyaman Bambu", "Kerajinan"),
        ("Otak-otak bandeng", "Olahan Perikanan"),
        ("Bengkel motor", "Jasa & Perdagangan"),
        ("Pertanian & Perkebunan", "Pertanian & Perkebunan"),
        ("FESYEN DAN TEKSTIL", "Fesyen & Tekstil"),
        ("Lainnya", "Lainnya"),
    ],
)
def test_classify_kategori(raw, expected):
    assert cl.classify_kategori(raw) == cl.Parsed(expected)


def test_classify_kategori_longest_keyword_wins_wherever_it_stands():
    assert cl.classify_kategori("Pisang keripik").value == "Makanan Olahan"  # keripik (7) beats pisang (6)


def test_classify_kategori_whole_words_only():
    # "tas" must not match inside "batas"; "teh" not inside "tehnik".
    assert cl.classify_kategori("batas tehnik") == cl.Parsed("Lainnya", "kategori_tidak_dikenal")


def test_classify_kategori_unmapped_is_lainnya_with_fix():
    assert cl.classify_kategori("Sesuatu yang baru") == cl.Parsed("Lainnya", "kategori_tidak_dikenal")


def test_classify_kategori_blank_is_missing():
    assert cl.classify_kategori("  ") == cl.BLANK


def test_classify_kategori_custom_table():
    table = pd.DataFrame({"kata_kunci": ["Lada Hitam"], "kategori": ["Minuman"]})
    assert cl.classify_kategori("lada hitam bubuk", keywords=table) == cl.Parsed("Minuman")


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Pelatihan Desain Kemasan dan Pemasaran", "Kemasan"),
        ("Bimtek Pemasaran Digital", "Pemasaran"),
        ("Pelatihan Pembukuan Sederhana", "Keuangan"),
        ("Pelatihan Keamanan Pangan (CPPB)", "Produksi & Mutu"),
        ("Penguatan Kelembagaan Koperasi", "Kelembagaan"),
        ("Pelatihan Label dan Laporan Keuangan", "Kemasan"),  # prioritas 1 beats the longer keuangan keyword
        ("Rapat Koordinasi", "Lainnya"),
        (None, "Lainnya"),
    ],
)
def test_classify_jenis(name, expected):
    assert cl.classify_jenis(name) == expected


def test_classify_jenis_priority_then_length_in_custom_table():
    table = pd.DataFrame({"prioritas": [2, 2, 1], "kata_kunci": ["usaha", "usaha mikro", "kemasan"],
                          "jenis": ["Keuangan", "Pemasaran", "Kemasan"]})
    assert cl.classify_jenis("Usaha Mikro Maju", keywords=table) == "Pemasaran"
    assert cl.classify_jenis("Kemasan usaha mikro", keywords=table) == "Kemasan"


# ---------------------------------------------------------------------------------------- total rows


@pytest.mark.parametrize(
    "row",
    [
        ["JUMLAH", "", 150, "Rp 2.000.000"],
        ["", "Jumlah UMKM", "", 45],
        [None, "J U M L A H", 12],
        ["Total :", 45, "45 UMKM"],
        ["Sub Total", 10],
        ["SUBTOTAL", 10],
        ["GRAND TOTAL", 100],
        ["Jumlah Total", 5],
        [np.nan, np.nan, "TOTAL", 3_500_000.0],
    ],
)
def test_is_total_row_true(row):
    assert cl.is_total_row(row)


@pytest.mark.parametrize(
    "row",
    [
        ["1", "Toko Total Jaya", "Budi", "Natar", 5_000_000],
        ["2", "Total Jaya", "Budi Santoso", "Natar"],
        ["Natar", "Jumlah", 5],  # "Jumlah" is the 2nd cell but the 1st holds a name
        ["1", "2", "3", "JUMLAH"],  # label not among the first three filled cells
        ["No", "Nama Usaha", "Jumlah Tenaga Kerja"],
        [],
        [None, np.nan, ""],
    ],
)
def test_is_total_row_false(row):
    assert not cl.is_total_row(row)


def test_is_total_row_accepts_series():
    assert cl.is_total_row(pd.Series([None, "JUMLAH", 12], dtype=object))


# ---------------------------------------------------------------------------------------- name_key


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Ibu Hj. Siti Aminah", "siti aminah"),
        ("SITI AMINAH", "siti aminah"),
        ("  Siti   Aminah ", "siti aminah"),
        ("UD. Maju Jaya", "maju jaya"),
        ("U.D. Maju Jaya", "maju jaya"),
        ("C.V. Maju Jaya", "maju jaya"),
        ("PT Maju Jaya", "maju jaya"),
        ("H. Ahmad", "ahmad"),
        ("Bpk. Budi", "budi"),
        ("Bu Sri", "sri"),
        ("Sdri. Ani", "ani"),
        ("Toko A & B", "toko a dan b"),
        ("Jum'at Berkah", "jumat berkah"),
        ("Keripik \"Mak Ijah\"", "keripik mak ijah"),
        ("Hadi", "hadi"),  # "h" only as a whole word
        ("Ibu", "ibu"),  # only honorifics: kept so it does not collide with every empty key
        (None, ""),
        ("  ", ""),
    ],
)
def test_name_key(raw, expected):
    assert cl.name_key(raw) == expected


def test_name_key_makes_duplicates_collide():
    assert cl.name_key("Ibu Hj. Siti (UD Maju)") == cl.name_key("siti maju")


# ---------------------------------------------------------------------------------------- skala


def test_skala_uu_2008_boundaries_inclusive():
    omzet = pd.Series([300e6, 300e6 + 1, 2.5e9, 2.5e9 + 1, 50e9, 50e9 + 1, 0.0])
    result = cl.skala_from(omzet, pd.Series([None] * 7, dtype="Float64"), "UU 20/2008")
    assert result.tolist() == ["Mikro", "Kecil", "Kecil", "Menengah", "Menengah", "Besar", "Mikro"]
    assert result.dtype == "string"


def test_skala_pp_2021_boundaries_inclusive():
    omzet = pd.Series([2e9, 2e9 + 1, 15e9, 15e9 + 1, 50e9, 50e9 + 1])
    result = cl.skala_from(omzet, pd.Series([np.nan] * 6), "PP 7/2021")
    assert result.tolist() == ["Mikro", "Kecil", "Kecil", "Menengah", "Menengah", "Besar"]


def test_skala_same_omzet_differs_by_criterion():
    omzet = pd.Series([1e9])
    aset = pd.Series([np.nan])
    assert cl.skala_from(omzet, aset, "UU 20/2008").iloc[0] == "Kecil"
    assert cl.skala_from(omzet, aset, "PP 7/2021").iloc[0] == "Mikro"


def test_skala_falls_back_to_aset_when_omzet_missing():
    omzet = pd.Series([pd.NA, pd.NA, pd.NA, 100e6], dtype="Float64", index=[5, 6, 7, 8])
    aset = pd.Series([50e6, 50e6 + 1, pd.NA, 20e9], dtype="Float64", index=[5, 6, 7, 8])
    result = cl.skala_from(omzet, aset, "UU 20/2008")
    assert result.index.tolist() == [5, 6, 7, 8]
    assert result.tolist()[:2] == ["Mikro", "Kecil"]
    assert pd.isna(result.iloc[2])  # both missing
    assert result.iloc[3] == "Mikro"  # omzet wins over aset


def test_skala_aset_boundaries_pp_2021():
    aset = pd.Series([1e9, 1e9 + 1, 5e9 + 1, 10e9 + 1])
    result = cl.skala_from(pd.Series([np.nan] * 4), aset, "PP 7/2021")
    assert result.tolist() == ["Mikro", "Kecil", "Menengah", "Besar"]


def test_skala_does_not_mutate_inputs():
    omzet, aset = pd.Series([1.0, None]), pd.Series([None, 1.0])
    before = (omzet.copy(), aset.copy())
    cl.skala_from(omzet, aset, "UU 20/2008")
    pd.testing.assert_series_equal(omzet, before[0])
    pd.testing.assert_series_equal(aset, before[1])


def test_skala_unknown_criterion_names_it():
    with pytest.raises(ValueError, match="UU 1/1900"):
        cl.skala_from(pd.Series([1.0]), pd.Series([1.0]), "UU 1/1900")


# ---------------------------------------------------------------------------------------- parse_values


def test_parse_values_aligns_to_index_with_repeats():
    series = pd.Series(["Rp 1.000", "abc", "Rp 1.000", None, "2,500,000", "abc"], index=[10, 20, 30, 40, 50, 60])
    values, fixes, errors = cl.parse_values(series, cl.parse_rupiah)
    assert values.index.tolist() == [10, 20, 30, 40, 50, 60]
    assert values.tolist() == [1000.0, None, 1000.0, None, 2_500_000.0, None]
    assert fixes.tolist()[4] == "angka_format_asing" and fixes.isna().sum() == 5
    assert errors.tolist()[1] == errors.tolist()[5] == "'abc' bukan nilai rupiah"
    assert errors.isna().tolist() == [True, False, True, True, True, False]


def test_parse_values_calls_parser_once_per_unique_value():
    calls: list[object] = []

    def parser(value: object) -> cl.Parsed:
        calls.append(value)
        return cl.parse_number(value)

    series = pd.Series(["5", "5", "7", "5", "7", None, np.nan] * 1000)
    values, _, _ = cl.parse_values(series, parser)
    assert len(calls) == 3  # "5", "7" and one missing marker
    assert values.iloc[:3].tolist() == [5.0, 5.0, 7.0]


def test_parse_values_keeps_equal_values_of_different_types_apart():
    series = pd.Series([1, 1.0, True, "1"], dtype=object)
    values, fixes, _ = cl.parse_values(series, cl.parse_nik)
    assert values.isna().all()
    values, _, errors = cl.parse_values(series, cl.parse_number)
    assert values.tolist() == [1.0, 1.0, None, 1.0]
    assert "ya/tidak" in errors.iloc[2]


def test_parse_values_with_string_dtype_and_matcher(matcher):
    series = pd.Series(["Natar", "Kedaton", None, "Natar"], dtype="str", index=list("abcd"))
    values, fixes, errors = cl.parse_values(series, matcher.match)
    assert values.tolist() == ["Natar", None, None, "Natar"]
    assert errors["b"] == "Kedaton, Kota Bandar Lampung: di luar wilayah Lampung Selatan"
    assert errors.dtype == "string" and fixes.dtype == "string"


def test_parse_values_accepts_plain_returning_parser():
    values, fixes, errors = cl.parse_values(pd.Series(["Bimtek Pemasaran", None]), cl.classify_jenis)
    assert values.tolist() == ["Pemasaran", "Lainnya"]
    assert fixes.isna().all() and errors.isna().all()


def test_parse_values_empty_series():
    values, fixes, errors = cl.parse_values(pd.Series([], dtype=object), cl.parse_rupiah)
    assert len(values) == len(fixes) == len(errors) == 0


def test_parse_values_does_not_mutate_input():
    series = pd.Series(["Rp 1.000", None])
    before = series.copy()
    cl.parse_values(series, cl.parse_rupiah)
    pd.testing.assert_series_equal(series, before)
