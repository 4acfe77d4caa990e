"""Shared filters on tiny tables, and their round trip through URL query parameters."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.core.schemas import Participants, Producers, Sales, Trainings
from analysis.insight import filters as flt

MONTHS = [pd.Timestamp(f"2017-{m:02d}-01") for m in range(1, 7)]


@pytest.fixture
def tables() -> flt.Tables:
    producers = Producers.conform(pd.DataFrame({
        "umkm_id": ["A", "B", "C"], "kecamatan": ["Natar", "Natar", "Kalianda"],
        "kode_kecamatan": ["18.01.04", "18.01.04", "18.01.06"],
        "kategori": ["Minuman", "Kerajinan", "Minuman"], "skala": ["Mikro", "Kecil", "Mikro"],
    }))
    sales = Sales.conform(pd.DataFrame({
        "umkm_id": ["A", "A", "B", "C", None], "bulan": [MONTHS[0], MONTHS[3], MONTHS[3], MONTHS[5], MONTHS[3]],
        "nilai_rp": [100.0, 200.0, 300.0, 400.0, 500.0], "kategori": ["Minuman", "Minuman", "Kerajinan", "Minuman", "Minuman"],
    }))
    trainings = Trainings.conform(pd.DataFrame({
        "pelatihan_id": ["P1", "P2"], "nama_kegiatan": ["x", "y"], "jenis": ["Pemasaran", "Kelembagaan"],
        "tanggal_mulai": [MONTHS[1], MONTHS[4] + pd.Timedelta(days=9)],
    }))
    participants = Participants.conform(pd.DataFrame({
        "pelatihan_id": ["P1", "P1", "P2"], "umkm_id": ["A", "C", None], "cara_cocok": ["nik", "nama", "tidak cocok"],
    }))
    return flt.Tables(producers, sales, trainings, participants)


def test_no_filter_keeps_everything(tables):
    result = flt.apply(tables, flt.Filters())
    assert [len(t) for t in (result.producers, result.sales, result.trainings, result.participants)] == [3, 5, 2, 3]


def test_kecamatan_filter_follows_into_sales_and_participants(tables):
    result = flt.apply(tables, flt.Filters(kecamatan=("Natar",)))
    assert list(result.producers["umkm_id"]) == ["A", "B"]
    assert result.sales["nilai_rp"].sum() == 600  # the unlinked row's kecamatan is unknown: left out
    assert list(result.participants["umkm_id"]) == ["A"]


def test_period_filter_includes_the_whole_end_month(tables):
    result = flt.apply(tables, flt.Filters(start=MONTHS[1], end=MONTHS[4]))
    assert result.sales["nilai_rp"].sum() == 1000  # April rows only
    assert list(result.trainings["pelatihan_id"]) == ["P1", "P2"]  # P2 starts on 10 May


def test_kategori_and_skala_combine(tables):
    result = flt.apply(tables, flt.Filters(kategori=("Minuman",), skala=("Mikro",)))
    assert list(result.producers["umkm_id"]) == ["A", "C"]


def test_apply_does_not_touch_its_input(tables):
    before = tables.sales.copy()
    flt.apply(tables, flt.Filters(kecamatan=("Kalianda",), start=MONTHS[2]))
    pd.testing.assert_frame_equal(tables.sales, before)


def test_query_round_trip():
    filters = flt.Filters(start=MONTHS[1], end=MONTHS[4], kecamatan=("Natar", "Jati Agung"), skala=("Mikro",))
    query = flt.to_query(filters)
    assert query == {"dari": "2017-02", "sampai": "2017-05", "kec": "Natar,Jati Agung", "skala": "Mikro"}
    assert flt.from_query(query, MONTHS) == (filters, [])


def test_bad_query_values_are_ignored_with_notes():
    filters, notes = flt.from_query({"dari": "kemarin", "kec": "Natar,Kedaton", "kat": "Minuman", "sampai": "2030-01"}, MONTHS)
    assert filters == flt.Filters(kecamatan=("Natar",), kategori=("Minuman",))
    assert len(notes) == 3 and any("Kedaton" in n for n in notes)


def test_swapped_period_is_put_right():
    filters, notes = flt.from_query({"dari": "2017-05", "sampai": "2017-02"}, MONTHS)
    assert (filters.start, filters.end) == (MONTHS[1], MONTHS[4]) and notes


def test_previous_period_has_the_same_length():
    previous = flt.previous_period(flt.Filters(start=MONTHS[3], end=MONTHS[5]), MONTHS)
    assert (previous.start, previous.end) == (MONTHS[0], MONTHS[2])
    assert flt.previous_period(flt.Filters(start=MONTHS[1], end=MONTHS[5]), MONTHS) is None


def test_describe_for_stamps():
    assert flt.Filters().describe() == "semua data"
    assert flt.Filters(start=MONTHS[0], kecamatan=("Natar",)).describe() == "periode 01/2017–akhir; kecamatan: Natar"
