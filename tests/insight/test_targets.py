"""The targets table (analysis/insight/targets.py): capaian in both directions, status thresholds, the
checks that refuse a bad table with a message naming the row, and the achievement table."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.insight import indicators as ind
from analysis.insight import targets as tgt
from analysis.insight import yearly

TODAY = date(2026, 6, 1)  # rows may name years 2000..2036


def _table(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(tgt.COLUMNS))


# ----------------------------------------------------------------------------------------------- capaian
def test_capaian_higher_is_better_is_realisasi_over_target():
    assert tgt.capaian(120, 100, ind.NAIK) == pytest.approx(120.0)
    assert tgt.capaian(45, 50, ind.NAIK) == pytest.approx(90.0)
    assert tgt.capaian(0.25, 0.20, ind.NAIK) == pytest.approx(125.0)


def test_capaian_lower_is_better_is_two_minus_the_ratio():
    """(target − (realisasi − target)) ÷ target: below target is more than 100%, above it less."""
    assert tgt.capaian(80, 100, ind.TURUN) == pytest.approx(120.0)
    assert tgt.capaian(110, 100, ind.TURUN) == pytest.approx(90.0)
    assert tgt.capaian(100, 100, ind.TURUN) == pytest.approx(100.0)
    assert tgt.capaian(0.9388, 0.92, ind.TURUN) == pytest.approx((2 - 0.9388 / 0.92) * 100)


def test_capaian_missing_when_target_is_zero_or_a_value_is_missing():
    assert pd.isna(tgt.capaian(5, 0, ind.NAIK))
    assert pd.isna(tgt.capaian(float("nan"), 10, ind.NAIK))
    assert pd.isna(tgt.capaian(None, 10, ind.TURUN))


@pytest.mark.parametrize(("value", "expected"), [
    (100.0, tgt.TERCAPAI), (131.0, tgt.TERCAPAI), (99.99, tgt.HAMPIR), (90.0, tgt.HAMPIR),
    (89.99, tgt.BELUM), (0.0, tgt.BELUM), (float("nan"), tgt.NO_DATA),
])
def test_status_thresholds(value, expected):
    assert tgt.status(value) == expected


def _realised(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(yearly.COLUMNS))


def test_achievement_uses_the_catalogue_direction_and_percent_targets():
    """porsi_mikro is "lower is better" in the catalogue; shares are typed in percent (92 = 92%)."""
    targets = tgt.parse(_table(("porsi_mikro", 2017, "92", "Renstra", ""), ("umkm_dilatih", 2017, "250", "PK", ""))).table
    realised = _realised(("porsi_mikro", 2017, 0.9, 100, ""), ("umkm_dilatih", 2017, 300.0, 300, ""))
    rows = tgt.achievement(targets, realised).set_index(tgt.INDIKATOR)
    assert rows.loc["porsi_mikro", tgt.CAPAIAN] == pytest.approx((2 - 0.9 / 0.92) * 100)
    assert rows.loc["porsi_mikro", tgt.TARGET] == pytest.approx(0.92)
    assert rows.loc["umkm_dilatih", tgt.CAPAIAN] == pytest.approx(120.0)
    assert rows.loc["umkm_dilatih", tgt.STATUS] == tgt.TERCAPAI


def test_the_table_can_turn_a_direction_around():
    targets = tgt.parse(_table(("umkm_dilatih", 2017, "250", "PK", "turun"))).table
    rows = tgt.achievement(targets, _realised(("umkm_dilatih", 2017, 300.0, 300, "")))
    assert rows.loc[0, tgt.CAPAIAN] == pytest.approx(80.0) and rows.loc[0, tgt.STATUS] == tgt.BELUM


def test_achievement_without_realisasi_says_so_and_partial_years_are_provisional():
    targets = tgt.parse(_table(("umkm_dilatih", 2030, "250", "", ""), ("penjualan_rp", 2017, "1000", "", ""))).table
    realised = _realised(("penjualan_rp", 2017, 1200.0, 3, "sebagian tahun: Januari 2017 – Oktober 2017 (10 bulan)"))
    rows = tgt.achievement(targets, realised).set_index(tgt.INDIKATOR)
    assert rows.loc["umkm_dilatih", tgt.STATUS] == tgt.NO_DATA and pd.isna(rows.loc["umkm_dilatih", tgt.CAPAIAN])
    assert rows.loc["penjualan_rp", tgt.STATUS] == tgt.TERCAPAI + tgt.PROVISIONAL


def test_counts_are_not_compared_with_kabupaten_targets_under_a_producer_filter():
    targets = tgt.parse(_table(("umkm_dilatih", 2017, "250", "", ""), ("porsi_nib", 2017, "25", "", ""))).table
    realised = _realised(("umkm_dilatih", 2017, 30.0, 30, ""), ("porsi_nib", 2017, 0.3, 100, ""))
    rows = tgt.achievement(targets, realised, part_of_region=True).set_index(tgt.INDIKATOR)
    assert rows.loc["umkm_dilatih", tgt.STATUS] == tgt.NOT_COMPARED and pd.isna(rows.loc["umkm_dilatih", tgt.CAPAIAN])
    assert rows.loc["porsi_nib", tgt.CAPAIAN] == pytest.approx(120.0)  # a share stays comparable


def test_display_formats_the_way_the_pages_do():
    targets = tgt.parse(_table(("porsi_nib", 2017, "25", "PK 2017", ""), ("penjualan_rp", 2017, "200.000.000.000", "", ""))).table
    realised = _realised(("porsi_nib", 2017, 0.264, 2500, ""), ("penjualan_rp", 2017, 2.05e11, 2500, ""))
    table = tgt.display(tgt.achievement(targets, realised), 2017).set_index(tgt.COL_INDIKATOR)
    assert table.loc["Memiliki NIB", tgt.COL_TARGET] == "25,0%"
    assert table.loc["Memiliki NIB", tgt.COL_REALISASI] == "26,4%"
    assert table.loc["Memiliki NIB", tgt.COL_CAPAIAN] == "105,6%"
    assert table.loc["Penjualan dalam periode", tgt.COL_TARGET] == "Rp 200 M"
    assert table.loc["Penjualan dalam periode", tgt.COL_SUMBER] == "–"


# ----------------------------------------------------------------------------------------------- parsing
@pytest.mark.parametrize(("text", "number"), [
    ("40,5", 40.5), ("1.250", 1250.0), ("1.250.000", 1250000.0), ("Rp 2.500.000", 2500000.0), ("40%", 40.0),
    ("7.5", 7.5), ("1250", 1250.0), (12, 12.0), ("-3,5", -3.5), ("1.250,75", 1250.75),
])
def test_numbers_are_read_the_indonesian_way(text, number):
    assert tgt.parse_number(text) == pytest.approx(number)


@pytest.mark.parametrize("text", ["empat puluh", "40 persen lebih", "1,2,3", "", None])
def test_text_that_is_no_number_is_none(text):
    assert tgt.parse_number(text) is None


def test_a_good_table_is_normalised():
    parsed = tgt.parse(_table(("Memiliki NIB", "2017", "25", " PK 2017 ", ""), ("umkm_dilatih", 2018.0, "1.250", "", "Naik"),
                              (None, None, None, None, None)), today=TODAY)
    assert parsed.ok, parsed.problems
    rows = parsed.table.set_index(tgt.INDIKATOR)
    assert list(rows.index) == ["porsi_nib", "umkm_dilatih"]  # a label is taken as its key; blank rows dropped
    assert rows.loc["umkm_dilatih", tgt.TARGET] == 1250.0 and rows.loc["umkm_dilatih", tgt.ARAH] == "naik"
    assert rows.loc["porsi_nib", tgt.SUMBER] == "PK 2017"


def test_unknown_indicator_is_refused_naming_the_row():
    parsed = tgt.parse(_table(("porsi_nib", 2017, "25", "", ""), ("jumlah_umkmm", 2017, "10", "", "")), today=TODAY)
    assert not parsed.ok and parsed.table.empty
    assert parsed.problems == [
        "Baris 2: indikator 'jumlah_umkmm' tidak dikenal; pakai kunci atau nama indikator dari katalog "
        "(mis. jumlah_umkm, porsi_nib, umkm_dilatih)."]


def test_year_out_of_range_is_refused_naming_the_row():
    parsed = tgt.parse(_table(("porsi_nib", 1999, "25", "", ""), ("porsi_nib", 2037, "25", "", ""),
                              ("porsi_nib", "dua ribu", "25", "", ""), ("porsi_nib", "2017,5", "25", "", "")), today=TODAY)
    assert parsed.problems == ["Baris 1: tahun 1999 di luar rentang 2000–2036.",
                               "Baris 2: tahun 2037 di luar rentang 2000–2036.",
                               "Baris 3: tahun 'dua ribu' bukan angka tahun (contoh: 2025).",
                               "Baris 4: tahun '2017,5' bukan angka tahun (contoh: 2025)."]


def test_text_in_a_number_is_refused_naming_the_row():
    parsed = tgt.parse(_table(("umkm_dilatih", 2017, "dua ratus", "", ""),), today=TODAY)
    assert parsed.problems == ["Baris 1: target 'dua ratus' bukan angka (contoh: 1.250 atau 40,5)."]


def test_every_problem_is_listed_at_once():
    parsed = tgt.parse(_table(("", 2017, "", "", "ke atas"), ("porsi_nib", 2017, "140", "", ""),
                              ("porsi_nib", 2017, "-1", "", ""), ("umkm_dilatih", 2017, "5", "", ""),
                              ("Umkm Dilatih", "2017", "6", "", "")), today=TODAY)
    assert parsed.problems == [
        "Baris 1: indikator kosong.",
        "Baris 1: target kosong.",
        "Baris 1: arah 'ke atas' harus 'naik' atau 'turun' (atau kosong: arah dari katalog).",
        "Baris 2: target 140 lebih dari 100 (target porsi ditulis dalam persen, 40 = 40%).",
        "Baris 3: target -1 negatif; Memiliki NIB tidak dapat negatif.",
        "Baris 3: Memiliki NIB tahun 2017 sudah ada di baris 2.",
        "Baris 5: UMKM dilatih tahun 2017 sudah ada di baris 4.",
    ]


def test_a_missing_column_is_named():
    parsed = tgt.parse(pd.DataFrame({"indikator": ["porsi_nib"], "tahun": [2017]}))
    assert parsed.problems == ["Kolom target tidak ada (kolom yang diperlukan: indikator, tahun, target, sumber, arah)."]


def test_growth_targets_may_be_negative():
    assert tgt.parse(_table(("pertumbuhan_penjualan", 2017, "-2,5", "", "")), today=TODAY).ok


def test_csv_text_reads_back_the_same_table():
    table = tgt.parse(_table(("porsi_luar_kabupaten", 2017, "7,5", "Renstra, 2016–2021", ""),
                             ("penjualan_rp", 2017, "2.125.000", "", "turun")), today=TODAY).table
    from io import StringIO

    again = tgt.parse(pd.read_csv(StringIO(tgt.csv_text(table)), dtype=str, keep_default_na=False), today=TODAY)
    assert again.ok and again.table.equals(table)
    assert '"7,5"' in tgt.csv_text(table) and "2125000" in tgt.csv_text(table)


def test_editor_frame_is_text_in_the_indonesian_form():
    table = tgt.parse(_table(("porsi_luar_kabupaten", 2017, "7,5", "", ""), ("umkm_dilatih", 2017, "1250", "", "")),
                      today=TODAY).table
    shown = tgt.editor_frame(table).set_index(tgt.INDIKATOR)
    assert shown.loc["porsi_luar_kabupaten", tgt.TARGET] == "7,5"
    assert shown.loc["umkm_dilatih", tgt.TARGET] == "1.250" and shown.loc["umkm_dilatih", tgt.TAHUN] == "2017"
    assert tgt.parse(tgt.editor_frame(table), today=TODAY).table.equals(table)


def test_apply_edits_follows_the_data_editor_state():
    frame = tgt.editor_frame(tgt.parse(_table(("porsi_nib", 2017, "25", "", ""), ("umkm_dilatih", 2017, "250", "", "")),
                                       today=TODAY).table)
    state = {"edited_rows": {"1": {tgt.TARGET: "300"}}, "deleted_rows": [0],
             "added_rows": [{tgt.INDIKATOR: "umkm_baru", tgt.TAHUN: "2018", tgt.TARGET: "90"}]}
    edited = tgt.apply_edits(frame, state)
    assert edited[tgt.INDIKATOR].tolist() == ["umkm_dilatih", "umkm_baru"]
    assert edited[tgt.TARGET].tolist() == ["300", "90"] and pd.isna(edited.loc[1, tgt.SUMBER])
    unchanged = tgt.apply_edits(frame, None)
    assert unchanged[tgt.INDIKATOR].tolist() == ["porsi_nib", "umkm_dilatih"] and unchanged[tgt.TARGET].tolist() == ["25", "250"]
