"""The kecamatan profile, the category summary and the map's ranking/export, on tiny tables."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from analysis.core import excel
from analysis.core.schemas import Producers
from analysis.insight import filters as flt
from analysis.insight import indicators as ind
from analysis.insight import profile


def test_category_summary_counts_umkm_and_sales_including_unlinked_rows(tiny_tables):
    frame = profile.category_summary(tiny_tables.producers, tiny_tables.sales)
    assert list(frame[Producers.kategori]) == ["Minuman", "Kerajinan"]  # most UMKM first
    assert list(frame[profile.JUMLAH_UMKM]) == [2, 1]
    assert list(frame[profile.PENJUALAN]) == [450.0, 57.0]  # the unlinked 7 still counts under its kategori


def test_category_summary_follows_the_period(tiny_tables):
    period = flt.Filters(start=pd.Timestamp("2016-01-01"), end=pd.Timestamp("2016-12-01"))
    frame = profile.category_summary(tiny_tables.producers, tiny_tables.sales, period)
    assert frame.set_index(Producers.kategori)[profile.PENJUALAN].to_dict() == {"Minuman": 100.0, "Kerajinan": 0.0}


def test_top_leaves_out_zero_rows_and_sorts():
    frame = pd.DataFrame({"k": ["a", "b", "c"], "v": [0.0, 5.0, 9.0]})
    assert list(profile.top(frame, "v")["k"]) == ["c", "b"]


def test_kecamatan_profile(tiny_tables):
    view = profile.kecamatan_profile(tiny_tables, flt.Filters(), "Natar")
    assert view.n_umkm == 2
    rows = view.indicators.set_index(ind.COL_INDIKATOR)
    assert rows.loc["Jumlah UMKM", "Natar"] == "2" and rows.loc["Jumlah UMKM", profile.COL_KABUPATEN] == "3"
    assert rows.loc["Memiliki NIB", "Natar"] == "50,0%" and rows.loc["Memiliki NIB", profile.COL_KABUPATEN] == "66,7%"
    assert list(view.categories[Producers.kategori]) == ["Minuman", "Kerajinan"]  # 1 UMKM each; more sales first
    assert view.products.iloc[0].tolist() in (["Anyaman", 1], ["Kopi Bubuk", 1])
    assert list(view.monthly_sales.iloc[:, 1]) == [100.0, 200.0]  # A in 2016; A+B in 2017; not C, not unlinked
    assert list(view.trainings[profile.COL_KEGIATAN]) == ["Pelatihan Pemasaran", "Bimtek Kemasan"]  # newest first
    assert list(view.trainings[profile.COL_PESERTA]) == [1, 1]  # C (Kalianda) and the unmatched one not counted
    assert view.trainings[profile.COL_MULAI].iloc[0] == "1 Februari 2017"


def test_kecamatan_profile_without_umkm(tiny_tables):
    view = profile.kecamatan_profile(tiny_tables, flt.Filters(), "Sragi")
    assert view.n_umkm == 0
    assert view.categories.empty and view.products.empty and view.trainings.empty
    assert view.indicators.set_index(ind.COL_INDIKATOR).loc["Memiliki NIB", "Sragi"] == "–"


def test_ranking_puts_kecamatan_without_umkm_last_unranked(tiny_tables):
    ranked = ind.ranking(ind.compute(tiny_tables, by_kecamatan=True), "porsi_nib")
    assert len(ranked) == 17
    assert list(ranked[Producers.kecamatan][:2]) == ["Kalianda", "Natar"]
    assert list(ranked[ind.RANK][:2]) == [1, 2]
    assert ranked[ind.RANK][2:].isna().all() and ranked["porsi_nib"][2:].isna().all()


def test_ranking_ties_share_a_rank(tiny_tables):
    ranked = ind.ranking(ind.compute(tiny_tables, by_kecamatan=True), "porsi_mikro")
    assert ranked.set_index(Producers.kecamatan)[ind.RANK][["Natar", "Kalianda"]].tolist() == [2, 1]
    ranked = ind.ranking(ind.compute(tiny_tables, by_kecamatan=True), "jumlah_umkm")
    table = ind.ranking_table(ranked, "jumlah_umkm")
    assert list(table.columns) == [ind.COL_PERINGKAT, ind.COL_KECAMATAN, "Jumlah UMKM"]  # n would repeat it
    nib = ind.ranking(ind.compute(tiny_tables, by_kecamatan=True), "porsi_nib")
    assert ind.COL_N_UMKM in ind.ranking_table(nib, "porsi_nib").columns
    assert table.iloc[-1][ind.COL_PERINGKAT] == "–"


def test_export_workbook_carries_definition_filters_and_data_date(tiny_tables):
    chosen = flt.Filters(kategori=("Minuman",))
    ranked = ind.ranking(ind.compute(tiny_tables, chosen, by_kecamatan=True), "porsi_nib")
    content = excel.workbook_bytes(ind.export_sheets(ranked, "porsi_nib", chosen, pd.Timestamp("2017-10-01")))
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Per kecamatan", "Parameter"]
    values = list(book["Per kecamatan"].iter_rows(values_only=True))
    assert values[0] == (ind.COL_PERINGKAT, ind.COL_KECAMATAN, "Memiliki NIB", ind.COL_N_UMKM)
    assert len(values) == 18 and values[1][2] == pytest.approx(1.0)  # raw share, not text
    parameters = dict(book["Parameter"].iter_rows(min_row=2, values_only=True))
    assert parameters["Filter"] == "kategori: Minuman"
    assert parameters["Data sampai"] == "Oktober 2017"
    assert parameters["Rumus"] == ind.INDICATORS["porsi_nib"].formula


def test_definitions_table_covers_the_catalogue():
    table = ind.definitions_table()
    assert len(table) == len(ind.INDICATORS)
    assert table.notna().all().all()
    assert "Rumus:" in ind.help_text("penjualan_rp") and "Sumber:" in ind.help_text("penjualan_rp")
