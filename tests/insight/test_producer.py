"""One producer's profile (analysis/insight/producer.py): its months beside the median of its peers (same
kategori and kecamatan, itself left out) with their number, the months before and after its first
training of each jenis, the masked record, and every source row it came from."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.core.schemas import Participants, Producers, ProducerSources, Sales, Trainings
from analysis.insight import directory as dirx
from analysis.insight import filters as flt
from analysis.insight import producer

MONTHS = pd.date_range("2016-01-01", "2017-12-01", freq="MS")


def _index(**changes) -> dirx.DirectoryIndex:
    producers = Producers.conform(pd.DataFrame({
        "umkm_id": ["A", "P1", "P2", "Q", "R"],
        "nama_usaha": ["VCO Sutarno", "Kelapa Jaya", "Sabut Makmur", "VCO Natar", "Tapis Indah"],
        "nama_pemilik": ["Sutarno", "Ani", "Budi", "Cici", "Dedi"],
        "nik": ["1801170203560686", None, None, None, None],
        "no_hp": ["+6281163753137", None, None, None, None],
        "jenis_kelamin": ["L", "P", "L", "P", "L"],
        "kecamatan": ["Candipuro", "Candipuro", "Candipuro", "Natar", "Candipuro"],
        "kode_kecamatan": ["18.01.17", "18.01.17", "18.01.17", "18.01.04", "18.01.17"],
        "desa": ["Karya Mulya Sari", None, None, None, None],
        "kategori": ["Olahan Kelapa", "Olahan Kelapa", "Olahan Kelapa", "Olahan Kelapa", "Kerajinan"],
        "produk_utama": ["VCO", "Kopra", "Sabut", "VCO", "Tapis"],
        "omzet_tahunan_rp": [240e6, 60e6, 90e6, 1e9, 5e6],
        "tenaga_kerja": [4, 2, None, 9, 1],
        "nib": [True, None, None, None, None], "pirt": [None, None, None, None, None],
        "sumber_file": ["registri/candipuro.xlsx"] * 5, "sumber_baris": [5, 6, 7, 8, 9],
    }))
    own = [10e6 if month < pd.Timestamp("2016-07-01") else 20e6 for month in MONTHS]
    rows = ([("A", m, v) for m, v in zip(MONTHS, own)] + [("P1", m, 5e6) for m in MONTHS]
            + [("P2", m, 7e6) for m in MONTHS] + [("Q", m, 100e6) for m in MONTHS])
    sales = Sales.conform(pd.DataFrame(rows, columns=["umkm_id", "bulan", "nilai_rp"]).assign(
        sumber_file="penjualan/2016.xlsx", sumber_sheet="Omzet", sumber_baris=range(2, len(rows) + 2)))
    trainings = Trainings.conform(pd.DataFrame({
        "pelatihan_id": ["T1"], "nama_kegiatan": ["Bimtek Pemasaran Digital"], "jenis": ["Pemasaran"],
        "tanggal_mulai": [pd.Timestamp("2016-07-05")], "tanggal_selesai": [pd.Timestamp("2016-07-06")],
        "lokasi": ["Aula Kecamatan Candipuro"]}))
    participants = Participants.conform(pd.DataFrame({
        "pelatihan_id": ["T1"], "umkm_id": ["A"], "nama_peserta": ["Sutarno W."], "cara_cocok": ["fuzzy"],
        "skor_cocok": [91.5], "sumber_file": ["pelatihan/daftar hadir.xlsx"], "sumber_sheet": ["DH"],
        "sumber_baris": [12]}))
    sources = ProducerSources.conform(pd.DataFrame({
        "umkm_id": ["A", "A", "P1"], "urutan": [0, 1, 0], "peran": ["utama", "digabung", "utama"],
        "dasar_gabung": [None, "NIK sama", None], "mengisi": [None, "no_hp, desa", None],
        "sumber_file": ["registri/candipuro.xlsx", "registri/ulang.xlsx", "registri/candipuro.xlsx"],
        "sumber_sheet": ["Data", "Lembar 2", "Data"], "sumber_baris": [5, 40, 6],
        "nama_usaha": ["VCO Sutarno", "VCO SUTARNO", "Kelapa Jaya"], "nama_pemilik": ["Sutarno", "Sutarno W", "Ani"],
    }))
    near = pd.DataFrame({"kecamatan": ["Candipuro"], "umkm_id_a": ["R"], "nama_usaha_a": ["Tapis Indah"],
                         "nama_pemilik_a": ["Dedi"], "umkm_id_b": ["A"], "nama_usaha_b": ["VCO Sutarno"],
                         "nama_pemilik_b": ["Sutarno"], "skor": [91.0]})
    parts = {"producers": producers, "sales": sales, "trainings": trainings, "participants": participants,
             "sources": sources, "near_duplicates": near, **changes}
    return dirx.DirectoryIndex(parts.pop("producers"), parts.pop("sales"), parts.pop("trainings"),
                               parts.pop("participants"), **parts)


@pytest.fixture
def view() -> producer.ProducerProfile:
    return producer.profile(_index(), "A")


def test_an_unknown_code_has_no_profile():
    assert producer.profile(_index(), "TIDAK-ADA") is None


def test_the_monthly_median_is_of_the_peers_alone_with_their_number(view):
    monthly = view.monthly.set_index(producer.BULAN)
    assert list(monthly.index) == list(MONTHS)
    assert monthly[producer.MEDIAN].eq(6e6).all()  # P1 5 jt and P2 7 jt; not A itself, not Natar's Q, not R
    assert monthly[producer.N_SEJENIS].eq(2).all()
    assert monthly.loc["2016-06-01", producer.NILAI] == 10e6 and monthly.loc["2016-08-01", producer.NILAI] == 20e6
    assert view.n_peers == 2 and "UMKM Olahan Kelapa lain di Kecamatan Candipuro" in view.peers_note
    assert "Kurang dari 5 pembanding" in view.peers_note


def test_a_month_without_a_report_stays_empty_not_zero():
    index = _index()
    sales = index.sales[~((index.sales["umkm_id"] == "A") & (index.sales["bulan"] == "2017-03-01")).fillna(False)]
    view = producer.profile(_index(sales=sales.reset_index(drop=True)), "A")
    assert pd.isna(view.monthly.set_index(producer.BULAN).loc["2017-03-01", producer.NILAI])


def test_the_training_is_marked_and_the_months_around_it_compared(view):
    assert list(view.events[producer.TANGGAL]) == [pd.Timestamp("2016-07-05")]
    assert view.events[producer.LABEL].iloc[0].startswith("Pemasaran: Bimtek Pemasaran Digital")
    since = view.since_training.iloc[0]
    assert since["Jenis"] == "Pemasaran" and since["Pelatihan pertama"] == "5 Juli 2016"
    assert since["Rata-rata/bulan, 6 bulan sebelum"] == "Rp 10.000.000 (6 bulan)"
    assert since["Rata-rata/bulan, 12 bulan sesudah"] == "Rp 20.000.000 (12 bulan)"
    assert since["Perubahan"] == "+100,0%" and since["Median UMKM sejenis: perubahan"] == "0,0%"
    trained = view.trainings.iloc[0]
    assert trained["Dicocokkan lewat"] == "nama mirip (skor 91,5)" and trained["Mulai"] == "5 Juli 2016"


def test_the_comparison_window_ends_with_the_period(view):
    sales = view.comparison.set_index("Ukuran")
    whole = sales.loc["Penjualan 12 bulan s.d. Desember 2017"]
    assert (whole["UMKM ini"], whole["Median UMKM sejenis"], whole["n"]) == ("Rp 240.000.000", "Rp 72.000.000", "2")
    assert whole["Selisih dari median"] == "+233,3%"
    assert sales.loc["Tenaga kerja (registri)", "n"] == "1"  # P2 has no number: not counted
    earlier = producer.profile(_index(), "A", flt.Filters(end=pd.Timestamp("2016-06-01")))
    row = earlier.comparison.iloc[0]
    assert row["Ukuran"] == "Penjualan 12 bulan s.d. Juni 2016" and row["UMKM ini"] == "Rp 60.000.000"
    assert {c.label: c.value for c in earlier.cards}["Pelatihan diikuti"] == "0"  # July 2016 is after the period
    assert {c.label: c.value for c in view.cards}["Pelatihan diikuti"] == "1"


def test_the_record_is_masked_unless_admin_and_unknown_legality_says_so(view):
    identity = dict(zip(view.identity["Keterangan"], view.identity["Nilai"]))
    assert identity["NIK"] == "1801********0686" and identity["No. HP"] == "+62811****3137"
    assert identity["Jenis kelamin"] == "Laki-laki"
    full = producer.profile(_index(), "A", show_personal=True)
    assert dict(zip(full.identity["Keterangan"], full.identity["Nilai"]))["NIK"] == "1801170203560686"
    legality = dict(zip(view.legality["Keterangan"], view.legality["Status"]))
    assert legality["NIB"] == "Ada" and legality["PIRT"].startswith("Tidak diketahui")


def test_every_source_row_and_merge_is_listed(view):
    registry = view.registry_rows
    assert list(registry["Berkas"]) == ["registri/candipuro.xlsx", "registri/ulang.xlsx"]
    assert list(registry["Baris Excel"]) == ["5", "40"]
    assert registry["Alasan digabung"].iloc[1] == "NIK sama" and registry["Mengisi kolom"].iloc[1] == "no. HP, desa"
    sales = view.sales_sources.iloc[0]
    assert (sales["Berkas"], sales["Lembar"], sales["Jumlah baris"]) == ("penjualan/2016.xlsx", "Omzet", "24")
    assert sales["Baris Excel"] == "2–25 (24 baris)" and sales["Bulan"] == "Januari 2016 – Desember 2017"
    attendance = view.attendance_sources.iloc[0]
    assert (attendance["Berkas"], attendance["Baris Excel"]) == ("pelatihan/daftar hadir.xlsx", "12")
    assert list(view.near["Kode UMKM"]) == ["R"]  # listed for review from either side of the pair


def test_without_a_sources_list_the_producers_own_row_is_shown():
    view = producer.profile(_index(sources=None), "A")
    assert list(view.registry_rows["Baris Excel"]) == ["5"]
    assert view.registry_rows["Peran"].iloc[0].startswith("dipakai")
