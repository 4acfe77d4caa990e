"""Indicators per kabupaten/kota of a provinsi region (``compute(..., by_kabupaten=True)``): every
kabupaten/kota of the provinsi in code order, the sums and shares of its kecamatan (two kecamatan of one
name in two kabupaten kept apart), sales and growth through the producers' kecamatan, and the same
totals as the whole region."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.core import reference as ref
from analysis.core.schemas import Participants, Producers, Sales, Trainings
from analysis.insight import filters as flt
from analysis.insight import indicators as ind
from analysis.insight.coded import CodedSales

LS, BL, PS = "Kabupaten Lampung Selatan", "Kota Bandar Lampung", "Kabupaten Pesawaran"


def _tables() -> flt.Tables:
    producers = Producers.conform(pd.DataFrame({
        "umkm_id": ["A", "B", "C", "D", "E"],
        "kecamatan": ["Natar", "Rajabasa (Lampung Selatan)", "Rajabasa (Kota Bandar Lampung)", "Kedaton",
                      "Gedong Tataan"],
        "kode_kecamatan": ["18.01.04", "18.01.16", "18.71.10", "18.71.01", "18.09.01"],
        "kategori": ["Minuman"] * 5, "skala": ["Mikro", "Kecil", "Mikro", "Mikro", "Kecil"],
        "omzet_tahunan_rp": [1e6, 2e6, 4e6, 8e6, 16e6], "nib": [True, False, True, None, True],
    }))
    month = pd.Timestamp
    sales = Sales.conform(pd.DataFrame({
        "umkm_id": ["A", "A", "B", "C", "C", "D", None],
        "bulan": [month("2023-03-01"), month("2024-03-01"), month("2024-03-01"), month("2023-03-01"),
                  month("2024-03-01"), month("2024-03-01"), month("2024-03-01")],
        "kategori": ["Minuman"] * 7, "nilai_rp": [100.0, 150.0, 50.0, 200.0, 100.0, 30.0, 9.0],
    }))
    trainings = Trainings.conform(pd.DataFrame({
        "pelatihan_id": ["P1"], "nama_kegiatan": ["Pelatihan Pemasaran"], "jenis": ["Pemasaran"],
        "tanggal_mulai": [month("2024-01-10")], "tanggal_selesai": [month("2024-01-12")]}))
    participants = Participants.conform(pd.DataFrame({
        "pelatihan_id": ["P1", "P1"], "umkm_id": ["B", "C"], "cara_cocok": ["nik", "nik"]}))
    return flt.Tables(producers, sales, trainings, participants)


@pytest.fixture
def provinsi(configure):
    configure(wilayah="18")


def test_every_kabupaten_in_code_order_with_its_umkm(provinsi):
    per = ind.compute(_tables(), flt.Filters(), by_kabupaten=True).set_index(ind.KABUPATEN)
    assert list(per.index) == ind.kabupaten_names() and len(per) == 15 and per.index[0] == LS
    assert per["jumlah_umkm"].to_dict() == {**dict.fromkeys(per.index, 0), LS: 2, BL: 2, PS: 1}
    assert per.loc[LS, "omzet_tahunan_rp"] == pytest.approx(3e6)
    assert per.loc[BL, "omzet_tahunan_rp"] == pytest.approx(12e6)
    assert per.loc[LS, "porsi_nib"] == pytest.approx(0.5) and per.loc[BL, "porsi_nib"] == pytest.approx(0.5)
    assert per.loc[BL, "porsi_nib_tidak_tercatat"] == pytest.approx(0.5)
    assert per.loc[LS, "porsi_kecil"] == pytest.approx(0.5) and per.loc[PS, "porsi_kecil"] == pytest.approx(1.0)
    assert per.loc[LS, "porsi_terlatih"] == pytest.approx(0.5) and per.loc[BL, "porsi_terlatih"] == pytest.approx(0.5)
    assert pd.isna(per.loc["Kota Metro", "porsi_nib"])  # no UMKM: missing, not 0


def test_sales_and_growth_follow_the_producers_kecamatan(provinsi):
    tables = _tables()
    period = flt.Filters(start=pd.Timestamp("2024-01-01"), end=pd.Timestamp("2024-12-01"))
    for coded in (None, CodedSales(tables.sales, tables.producers)):  # built inside, or the dashboard's
        per = ind.compute(tables, period, by_kabupaten=True, coded=coded).set_index(ind.KABUPATEN)
        assert per.loc[LS, "penjualan_rp"] == pytest.approx(200.0)
        assert per.loc[BL, "penjualan_rp"] == pytest.approx(130.0)
        assert per.loc[PS, "penjualan_rp"] == 0
        assert per.loc[LS, ind.N_PELAPOR] == 2 and per.loc[BL, ind.N_PELAPOR] == 2
        assert per.loc[LS, "pertumbuhan_penjualan"] == pytest.approx(0.5)  # A: 100 -> 150
        assert per.loc[BL, "pertumbuhan_penjualan"] == pytest.approx(-0.5)  # C: 200 -> 100
        whole = ind.compute(tables, period, coded=coded).iloc[0]
        # the unlinked sale (9) counts for the region but for no kabupaten/kota, as per kecamatan
        assert per["penjualan_rp"].sum() + 9 == pytest.approx(whole["penjualan_rp"])
        assert per["jumlah_umkm"].sum() == whole["jumlah_umkm"] == 5


def test_filters_narrow_the_kabupaten_rows(provinsi):
    chosen = flt.Filters(kecamatan=("Rajabasa (Kota Bandar Lampung)", "Natar"))
    per = ind.compute(_tables(), chosen, by_kabupaten=True).set_index(ind.KABUPATEN)
    assert per.loc[LS, "jumlah_umkm"] == 1 and per.loc[BL, "jumlah_umkm"] == 1 and per.loc[PS, "jumlah_umkm"] == 0


def test_population_of_a_kabupaten_only_when_every_kecamatan_has_one(provinsi):
    per = ind.compute(_tables(), flt.Filters(), by_kabupaten=True).set_index(ind.KABUPATEN)
    table = ref.kecamatan()
    people = table.loc[table["kabupaten"] == LS, "penduduk_2010"].sum()
    assert per.loc[LS, "umkm_per_1000"] == pytest.approx(2 / people * 1000)
    assert pd.isna(per.loc[BL, "umkm_per_1000"])


def test_tables_name_the_kabupaten_in_a_provinsi_only(provinsi, configure):
    frame = pd.DataFrame({"Peringkat": [1, 2], "Kecamatan": ["Rajabasa (Lampung Selatan)", "Kedaton"]})
    named = ref.with_kabupaten(frame)
    assert list(named.columns) == ["Peringkat", "Kecamatan", "Kabupaten/kota"]
    assert named["Kabupaten/kota"].tolist() == [LS, BL]
    configure(wilayah="18.01")
    assert ref.with_kabupaten(frame.assign(Kecamatan=["Rajabasa", "Natar"])).columns.tolist() == ["Peringkat", "Kecamatan"]


def test_map_export_names_the_kabupaten(provinsi):
    per = ind.compute(_tables(), flt.Filters(), by_kecamatan=True)
    sheet = ind.export_sheets(ind.ranking(per, "jumlah_umkm"), "jumlah_umkm", flt.Filters(), None)["Per kecamatan"]
    where = dict(zip(sheet[ind.COL_KECAMATAN], sheet["Kabupaten/kota"]))
    assert len(sheet) == 229 and where["Rajabasa (Kota Bandar Lampung)"] == BL and where["Natar"] == LS
