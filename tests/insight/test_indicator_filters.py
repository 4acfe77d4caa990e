"""Every indicator under every filter divides by what the filter selects: a kecamatan's figure is the
same whether it is read from the kabupaten card with that kecamatan chosen or from its row on the map.

The per-1.000-penduduk rate once divided a chosen kecamatan's UMKM by the whole kabupaten's population
(Candipuro showed 0,15 instead of 2,67)."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.core import reference as ref
from analysis.core.paths import DEMO_RAW_DIR
from analysis.ingest.cache import cached_ingest
from analysis.insight import filters as flt
from analysis.insight import indicators as ind


@pytest.fixture(scope="module")
def demo() -> flt.Tables:
    result = cached_ingest([DEMO_RAW_DIR])
    return flt.Tables(result.producers, result.sales, result.trainings, result.participants)


def _same(a: float, b: float) -> bool:
    return (pd.isna(a) and pd.isna(b)) or math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize("kategori", [(), ("Makanan Olahan",)])
@pytest.mark.parametrize("period", [(None, None), (pd.Timestamp("2017-01-01"), pd.Timestamp("2017-06-01"))])
def test_one_kecamatan_chosen_gives_its_own_row_of_the_map(demo, kategori, period):
    start, end = period
    per_kecamatan = ind.compute(demo, flt.Filters(start=start, end=end, kategori=kategori), by_kecamatan=True)
    per_kecamatan = per_kecamatan.set_index("kecamatan")
    for name in ref.kecamatan_names():
        alone = ind.compute(demo, flt.Filters(start=start, end=end, kecamatan=(name,), kategori=kategori)).iloc[0]
        row = per_kecamatan.loc[name]
        different = [key for key in ind.period_keys() if not _same(alone[key], row[key])]
        assert different == [], (name, {k: (alone[k], row[k]) for k in different})


def test_candipuro_has_2_67_umkm_per_1000_penduduk(demo):
    candipuro = ind.compute(demo, flt.Filters(kecamatan=("Candipuro",))).iloc[0]
    assert candipuro["jumlah_umkm"] == 134
    assert round(candipuro["umkm_per_1000"], 2) == 2.67
    assert candipuro[ind.PENDUDUK] == ref.kecamatan().set_index("kecamatan").loc["Candipuro", "penduduk_2010"]


def test_two_kecamatan_divide_by_their_own_people(demo):
    chosen = ("Candipuro", "Natar")
    both = ind.compute(demo, flt.Filters(kecamatan=chosen)).iloc[0]
    people = ref.kecamatan().set_index("kecamatan").loc[list(chosen), "penduduk_2010"].sum()
    assert both[ind.PENDUDUK] == people
    assert math.isclose(both["umkm_per_1000"], both["jumlah_umkm"] / people * 1000, rel_tol=1e-12)


def test_shares_add_up_with_the_unrecorded_as_their_own_category(demo):
    """Yes + no + not recorded = every UMKM: an unknown answer is never counted as no."""
    row = ind.compute(demo, flt.Filters()).iloc[0]
    producers = demo.producers
    for key, column in (("porsi_nib", "nib"), ("porsi_pirt", "pirt"), ("porsi_halal", "halal"),
                        ("porsi_online", "pemasaran_online")):
        answer = producers[column].astype("boolean")
        assert row[key + ind.COUNT_SUFFIX] == int(answer.fillna(False).sum())
        assert math.isclose(row[key + ind.UNRECORDED_SUFFIX], answer.isna().mean(), rel_tol=1e-12)
    assert row["porsi_halal" + ind.UNRECORDED_SUFFIX] > 0.2  # the demo registries leave many unanswered


def test_beyond_the_kecamatan_is_an_indicator_and_includes_beyond_the_kabupaten(demo):
    row = ind.compute(demo, flt.Filters()).iloc[0]
    reach = demo.producers["jangkauan_pasar"]
    beyond = reach.isin(["Kabupaten", "Provinsi", "Nasional", "Ekspor"]).mean()
    assert math.isclose(row["porsi_luar_kecamatan"], beyond, rel_tol=1e-12)
    assert 0.2 < row["porsi_luar_kecamatan"] < 0.5 and row["porsi_luar_kecamatan"] > row["porsi_luar_kabupaten"]
    assert math.isclose(row["porsi_luar_kecamatan" + ind.UNRECORDED_SUFFIX], reach.isna().mean(), rel_tol=1e-12)


def test_sales_figures_carry_the_number_of_reporting_umkm(demo):
    row = ind.compute(demo, flt.Filters(start=pd.Timestamp("2017-01-01"), end=pd.Timestamp("2017-12-01"))).iloc[0]
    sales = demo.sales
    in_period = sales[(sales["bulan"] >= "2017-01-01") & (sales["bulan"] <= "2017-12-01") & sales["nilai_rp"].notna()]
    assert row[ind.N_PELAPOR] == in_period["umkm_id"].dropna().nunique()
    assert 0 < row[ind.N_PELAPOR_TAHUNAN] <= row[ind.N_PELAPOR]
