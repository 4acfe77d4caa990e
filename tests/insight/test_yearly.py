"""Realisasi per year (analysis/insight/yearly.py), on tiny frames: UMKM naik kelas from yearly sales
totals, new UMKM from tahun_mulai, UMKM trained per year and jenis, and the whole catalogue per year."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.core.schemas import Participants, Producers, Sales, Trainings
from analysis.insight import filters as flt
from analysis.insight import indicators as ind
from analysis.insight import yearly

UU = "UU 20/2008"  # mikro up to Rp 300 jt a year, kecil up to Rp 2,5 M


def _sales(rows: list[tuple[str, int, int, float]]) -> pd.DataFrame:
    """(umkm_id, year, months from January, monthly amount) -> one sales row per month."""
    records = [{"umkm_id": u, "bulan": pd.Timestamp(year=y, month=m, day=1), "kategori": "Minuman", "nilai_rp": v}
               for u, y, n, v in rows for m in range(1, n + 1)]
    return Sales.conform(pd.DataFrame(records))


def _producers(ids: list[str], **columns) -> pd.DataFrame:
    frame = {"umkm_id": ids, "kecamatan": ["Natar"] * len(ids), "kategori": ["Minuman"] * len(ids),
             "skala": ["Mikro"] * len(ids), **columns}
    return Producers.conform(pd.DataFrame(frame))


def test_naik_kelas_counts_producers_whose_yearly_sales_crossed_a_limit():
    # A: 20 jt/month -> 240 jt (mikro) then 30 jt -> 360 jt (kecil): up. B: mikro both years. C: kecil then
    # mikro: down, not up. D: only 11 months in 2016: not compared.
    sales = _sales([("A", 2015, 12, 20e6), ("A", 2016, 12, 30e6), ("B", 2015, 12, 1e6), ("B", 2016, 12, 2e6),
                    ("C", 2015, 12, 30e6), ("C", 2016, 12, 20e6), ("D", 2015, 12, 20e6), ("D", 2016, 11, 40e6)])
    result = yearly.naik_kelas(sales, _producers(["A", "B", "C", "D"]), UU, [2015, 2016]).set_index(yearly.TAHUN)
    assert result.loc[2016, yearly.REALISASI] == 1.0
    assert result.loc[2016, yearly.DASAR] == 3
    assert "3 UMKM yang melapor 12 bulan di 2015 dan 2016" in result.loc[2016, yearly.CATATAN]
    assert pd.isna(result.loc[2015, yearly.REALISASI])  # no 2014 to compare with
    assert "belum 12 bulan" in result.loc[2015, yearly.CATATAN]


def test_naik_kelas_follows_the_criterion():
    """Under PP 7/2021 mikro reaches Rp 2 M a year: the same growth is no longer a change of class."""
    sales = _sales([("A", 2015, 12, 20e6), ("A", 2016, 12, 30e6)])
    assert yearly.naik_kelas(sales, _producers(["A"]), "PP 7/2021", [2016])[yearly.REALISASI].tolist() == [0.0]


def test_naik_kelas_only_counts_the_chosen_producers():
    sales = _sales([("A", 2015, 12, 20e6), ("A", 2016, 12, 30e6), ("B", 2015, 12, 20e6), ("B", 2016, 12, 30e6)])
    result = yearly.naik_kelas(sales, _producers(["B"]), UU, [2016])
    assert result[yearly.REALISASI].tolist() == [1.0] and result[yearly.DASAR].tolist() == [1]


def test_a_year_with_an_incomplete_year_before_has_no_naik_kelas():
    sales = _sales([("A", 2016, 10, 20e6), ("A", 2017, 12, 30e6)])
    result = yearly.naik_kelas(sales, _producers(["A"]), UU, [2017])
    assert pd.isna(result[yearly.REALISASI].iloc[0])


def test_new_umkm_per_year_from_tahun_mulai_with_the_unknown_counted_in_the_note():
    producers = _producers(["A", "B", "C", "D"], tahun_mulai=[2015, 2016, 2016, None])
    result = yearly.new_per_year(producers, [2015, 2016, 2017]).set_index(yearly.TAHUN)
    assert result[yearly.REALISASI].tolist() == [1.0, 2.0, 0.0]
    assert result.loc[2016, yearly.CATATAN] == "1 UMKM tanpa tahun mulai tidak terhitung"


def _training_tables():
    trainings = Trainings.conform(pd.DataFrame({
        "pelatihan_id": ["P1", "P2", "P3"], "nama_kegiatan": ["a", "b", "c"],
        "jenis": ["Pemasaran", "Kemasan", "Pemasaran"],
        "tanggal_mulai": [pd.Timestamp("2016-03-01"), pd.Timestamp("2016-09-01"), pd.Timestamp("2017-02-01")],
    }))
    participants = Participants.conform(pd.DataFrame({
        "pelatihan_id": ["P1", "P1", "P2", "P2", "P2", "P3"],
        "umkm_id": ["A", None, "A", None, "B", "A"],
        "nama_peserta": ["Sri", "Budi", "Sri", "Budi", "Ani", "Sri"],
        "nama_usaha": ["Kopi Sri", "Keripik Budi", "Kopi Sri", "KERIPIK  budi", "Tapis Ani", "Kopi Sri"],
    }))
    return trainings, participants


def test_trained_per_year_counts_each_umkm_once_linked_or_not():
    trainings, participants = _training_tables()
    result = yearly.trained_per_year(trainings, participants, None, [2016, 2017])
    every = result[result["jenis"] == ""].set_index(yearly.TAHUN)
    # 2016: A (twice), Budi's business (unlinked, written two ways), B -> 3
    assert every[yearly.REALISASI].tolist() == [3.0, 1.0]
    assert every.loc[2016, yearly.CATATAN] == "termasuk 1 peserta yang tidak tertaut ke registri"
    pemasaran = result[result["jenis"] == "Pemasaran"].set_index(yearly.TAHUN)
    assert pemasaran[yearly.REALISASI].tolist() == [2.0, 1.0]
    assert result[result["jenis"] == "Keuangan"][yearly.REALISASI].tolist() == [0.0, 0.0]


def test_trained_per_year_under_a_producer_filter_counts_only_linked_chosen_umkm():
    trainings, participants = _training_tables()
    result = yearly.trained_per_year(trainings, participants, pd.Series(["B"]), [2016])
    assert result[result["jenis"] == ""][yearly.REALISASI].tolist() == [1.0]


def test_realisation_covers_the_catalogue_per_year(tiny_tables):
    """tiny_tables: sales in March 2016 and March 2017, trainings in 2016 and 2017."""
    result = yearly.realisation(tiny_tables, kriteria=UU)
    assert set(result[yearly.INDIKATOR]) == set(ind.INDICATORS)
    years = result.groupby(yearly.INDIKATOR)[yearly.TAHUN].apply(sorted)
    assert years["penjualan_rp"] == [2016, 2017] and years["umkm_dilatih"] == [2016, 2017]
    assert years["jumlah_umkm"] == [2017]  # the registry's stock: the last data year only
    values = result.set_index([yearly.INDIKATOR, yearly.TAHUN])[yearly.REALISASI]
    assert values[("penjualan_rp", 2017)] == pytest.approx(150 + 50 + 200 + 7)
    assert values[("penjualan_rp", 2016)] == pytest.approx(100)
    assert values[("jumlah_umkm", 2017)] == 3
    notes = result.set_index([yearly.INDIKATOR, yearly.TAHUN])[yearly.CATATAN]
    assert notes[("penjualan_rp", 2017)] == "sebagian tahun: Januari 2017 – Maret 2017 (3 bulan)"  # data ends in March
    assert notes[("penjualan_rp", 2016)] == "sebagian tahun: Maret 2016 – Desember 2016 (10 bulan)"  # starts in March


def test_realisation_follows_the_period_and_producer_filters(tiny_tables):
    only_2017 = yearly.realisation(tiny_tables, flt.Filters(start=pd.Timestamp("2017-01-01")), kriteria=UU)
    assert set(only_2017[yearly.TAHUN]) == {2017}
    natar = yearly.realisation(tiny_tables, flt.Filters(kecamatan=("Natar",)), kriteria=UU)
    values = natar.set_index([yearly.INDIKATOR, yearly.TAHUN])[yearly.REALISASI]
    assert values[("jumlah_umkm", 2017)] == 2 and values[("penjualan_rp", 2017)] == pytest.approx(200)


def _former_naik_kelas(sales: pd.DataFrame, producers: pd.DataFrame, kriteria: str, years: list[int]) -> pd.DataFrame:
    """naik_kelas as it was computed before, over the frame of yearly_sales: ranks by (umkm_id, tahun), joined."""
    from analysis.core import reference as ref

    limits = ref.size_criteria()[kriteria].omzet_limits
    totals = yearly.yearly_sales(sales, producers["umkm_id"])
    full = totals[(totals["bulan_lapor"] >= 12) & totals["penjualan_rp"].notna() & (totals["penjualan_rp"] >= 0)].copy()
    order = {name: rank for rank, name in enumerate(ref.SKALA)}
    full["rank"] = [order[s] for s in ref.size_labels(full["penjualan_rp"].to_numpy(dtype=float), limits)]
    rank = full.set_index(["umkm_id", yearly.TAHUN])["rank"]
    rows = []
    for year in years:
        if year not in set(full[yearly.TAHUN]) or year - 1 not in set(full[yearly.TAHUN]):
            rows.append({yearly.TAHUN: year, yearly.REALISASI: float("nan"), yearly.DASAR: 0})
            continue
        both = rank.xs(year, level=yearly.TAHUN).to_frame("now").join(
            rank.xs(year - 1, level=yearly.TAHUN).rename("before"), how="inner")
        rows.append({yearly.TAHUN: year, yearly.REALISASI: float((both["now"] > both["before"]).sum()),
                     yearly.DASAR: len(both)})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("seed", range(12))
def test_naik_kelas_equals_the_count_over_the_frame_of_yearly_sales(seed):
    """Random producers, years and gaps (months left out, missing and negative amounts, a year of missing
    amounts, unlinked rows, one producer listed twice): the count over the table of sizes is the former count over the frame, from
    the frame and from its coded arrays alike."""
    import numpy as np

    from analysis.insight.coded import CodedSales

    rng = np.random.default_rng(seed)
    ids = [f"U{i}" for i in range(12)]
    records = []
    for umkm in [*ids, None]:
        level = rng.choice([5e6, 2e7, 3e8, 2e9])
        for year in range(2014, 2019):
            for month in range(1, 13):
                if rng.random() < 0.08:
                    continue  # a month not reported
                value = level * rng.uniform(0.5, 2.5) * (1.6 ** (year - 2014))
                value = float("nan") if rng.random() < 0.03 else (-value if rng.random() < 0.02 else value)
                if umkm == "U1" and year == 2016:
                    value = float("nan")  # twelve months reported, not one amount: no size that year
                records.append({"umkm_id": umkm, "bulan": pd.Timestamp(year, month, 1), "kategori": "Minuman",
                                "nilai_rp": value})
    sales = Sales.conform(pd.DataFrame(records))
    producers = _producers([*ids[:9], ids[0]])  # U9-U11 are not chosen; U0 is listed twice
    years = [2014, 2015, 2016, 2017, 2018, 2019]
    expected = _former_naik_kelas(sales, producers, UU, years)
    for coded in (None, CodedSales(sales, producers)):
        found = yearly.naik_kelas(None if coded is not None else sales, producers, UU, years, coded=coded)
        pd.testing.assert_frame_equal(found[[yearly.TAHUN, yearly.REALISASI, yearly.DASAR]], expected,
                                      check_dtype=False)
    assert expected[yearly.REALISASI].notna().sum() >= 3  # the years compared are most of them
