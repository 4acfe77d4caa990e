"""Indicator catalogue on tiny tables: per kabupaten and per kecamatan, period-following and stock."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.core.schemas import Participants, Producers, Sales, Trainings
from analysis.insight import filters as flt
from analysis.insight import indicators as ind


def _month(text: str) -> pd.Timestamp:
    return pd.Timestamp(f"{text}-01")


@pytest.fixture
def tables() -> flt.Tables:
    producers = Producers.conform(pd.DataFrame({
        "umkm_id": ["A", "B", "C", "D"], "kecamatan": ["Natar", "Natar", "Kalianda", "Kalianda"],
        "kode_kecamatan": ["18.01.04", "18.01.04", "18.01.06", "18.01.06"],
        "kategori": ["Minuman"] * 4, "skala": ["Mikro", "Kecil", "Mikro", None],
        "tenaga_kerja": [2, 3, 1, None], "omzet_tahunan_rp": [1e6, 2e6, None, 4e6],
        "nib": [True, None, False, True], "jangkauan_pasar": ["Desa", "Nasional", "Provinsi", None],
    }))
    sales = Sales.conform(pd.DataFrame({
        "umkm_id": ["A", "A", "B", "C", "C"],
        "bulan": [_month("2016-03"), _month("2017-03"), _month("2017-03"), _month("2016-03"), _month("2017-03")],
        "nilai_rp": [100.0, 150.0, 999.0, 200.0, 200.0],
    }))
    trainings = Trainings.conform(pd.DataFrame({
        "pelatihan_id": ["P1", "P2"], "nama_kegiatan": ["a", "b"], "jenis": ["Kelembagaan", "Pemasaran"],
        "tanggal_mulai": [pd.Timestamp("2016-05-10"), pd.Timestamp("2017-02-01")],
    }))
    participants = Participants.conform(pd.DataFrame({
        "pelatihan_id": ["P1", "P2", "P2"], "umkm_id": ["A", "C", None], "cara_cocok": ["nik", "nama", "tidak cocok"],
    }))
    return flt.Tables(producers, sales, trainings, participants)


def test_kabupaten_stock_indicators(tables):
    row = ind.compute(tables).iloc[0]
    assert row[ind.N_UMKM] == 4 and row["jumlah_umkm"] == 4
    assert row["tenaga_kerja"] == 6 and row["omzet_tahunan_rp"] == 7e6
    assert row["porsi_mikro"] == 0.5 and row["porsi_kecil"] == 0.25
    assert row["porsi_nib"] == 0.5  # unrecorded NIB counts as not held
    assert row["porsi_luar_kabupaten"] == 0.5  # Nasional and Provinsi


def test_per_kecamatan_keeps_all_17_and_leaves_shares_of_empty_ones_missing(tables):
    frame = ind.compute(tables, by_kecamatan=True).set_index("kecamatan")
    assert len(frame) == 17
    assert frame.loc["Natar", "jumlah_umkm"] == 2 and frame.loc["Way Panji", "jumlah_umkm"] == 0
    assert math.isnan(frame.loc["Way Panji", "porsi_nib"])
    assert frame.loc["Natar", "umkm_per_1000"] == pytest.approx(2 / 170_992 * 1000)


def test_training_reach_is_cumulative_up_to_the_period_end(tables):
    everything = ind.compute(tables).iloc[0]
    assert everything["porsi_terlatih"] == 0.5  # A and C; the unmatched participant counts for nobody
    assert everything["porsi_terlatih_pemasaran"] == 0.25
    until_2016 = ind.compute(tables, flt.Filters(end=_month("2016-12"))).iloc[0]
    assert until_2016["porsi_terlatih"] == 0.25 and until_2016["porsi_terlatih_pemasaran"] == 0


def test_growth_compares_producers_reporting_in_both_years(tables):
    growth = ind.compute(tables, flt.Filters(start=_month("2017-03"), end=_month("2017-03"))).iloc[0]["pertumbuhan_penjualan"]
    assert growth == pytest.approx((150 + 200) / (100 + 200) - 1)  # B reported only in 2017: left out


def test_growth_compares_the_same_months_of_both_years():
    """A producer reporting a whole year now but only its last six months a year earlier (its reports began
    mid-year) is compared on those six months, not 12 months against 6; a month missing now is left out too."""
    months_2016 = [_month(f"2016-{m:02d}") for m in range(7, 13)]
    months_2017 = [_month(f"2017-{m:02d}") for m in range(1, 13)]
    producers = Producers.conform(pd.DataFrame({"umkm_id": ["A"], "kecamatan": ["Natar"],
                                                "kode_kecamatan": ["18.01.04"], "kategori": ["Minuman"]}))
    sales = Sales.conform(pd.DataFrame({
        "umkm_id": ["A"] * 17,
        "bulan": months_2016 + [m for m in months_2017 if m != _month("2017-09")],  # September 2017 not reported
        "nilai_rp": [100.0] * 6 + [110.0] * 11,
    }))
    tables = flt.Tables(producers, sales, Trainings.empty(), Participants.empty())
    row = ind.compute(tables, flt.Filters(start=_month("2017-01"), end=_month("2017-12"))).iloc[0]
    assert row["pertumbuhan_penjualan"] == pytest.approx(5 * 110 / (5 * 100) - 1)  # July-December less September
    assert row[ind.N_PELAPOR_TAHUNAN] == 1


def test_period_sales_and_kecamatan_filter(tables):
    row = ind.compute(tables, flt.Filters(start=_month("2017-01"), kecamatan=("Kalianda",))).iloc[0]
    assert row["penjualan_rp"] == 200 and row["jumlah_umkm"] == 2


def test_change_only_for_period_indicators(tables):
    months = [_month("2016-03"), _month("2017-03")]
    cards = ind.with_change(tables, flt.Filters(start=_month("2017-03"), end=_month("2017-03")), months).set_index("key")
    assert math.isnan(cards.loc["jumlah_umkm", "change"])
    assert cards.loc["penjualan_rp", "previous"] == 0  # February 2017 has no sales
    assert cards.loc["penjualan_rp", "change"] == 150 + 999 + 200


def test_every_indicator_is_documented():
    for indicator in ind.INDICATORS.values():
        assert indicator.definition and indicator.formula and indicator.source, indicator.key
    assert {"jumlah_umkm", "umkm_per_1000", "porsi_terlatih_pemasaran", "pertumbuhan_penjualan"} <= set(ind.INDICATORS)
