"""The producer directory (analysis/insight/directory.py): search with synonyms and without spaces, the
three-valued legality filters, trainings up to the end of the period, sorting with missing values last,
paging, the link round trip and the masked Excel. Tiny frames, one trait per test."""
from __future__ import annotations

import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from analysis.core import excel
from analysis.core.schemas import Participants, Producers, Sales, Trainings
from analysis.insight import directory as dirx
from analysis.insight import filters as flt

SYNONYMS = {"vco": ("vco", "minyakkelapamurni", "minyakkelapa"), "minyakkelapamurni": ("vco", "minyakkelapamurni",
            "minyakkelapa"), "minyakkelapa": ("vco", "minyakkelapamurni", "minyakkelapa"),
            "kripik": ("keripik", "kripik"), "keripik": ("keripik", "kripik")}


def _producers() -> pd.DataFrame:
    return Producers.conform(pd.DataFrame({
        "umkm_id": ["A", "B", "C", "D", "E"],
        "nama_usaha": ["UD Bahari", "VCO Mak Ani", "Keripik Bu Sri", "Tapis Indah", None],
        "nama_pemilik": ["Sutarno", "Ani Aminah", "Sri Wahyuni", "Rina", "Budi"],
        "nik": ["1801170203560686", "1801010101010002", None, "1801010101010004", None],
        "no_hp": ["+6281163753137", None, "+6281234567890", None, None],
        "kecamatan": ["Candipuro", "Jati Agung", "Natar", "Candipuro", "Natar"],
        "kode_kecamatan": ["18.01.17", "18.01.13", "18.01.04", "18.01.17", "18.01.04"],
        "desa": ["Karya Mulya Sari", "Karang Rejo", "Merak Batin", "Cintamulya", None],
        "kategori": ["Olahan Kelapa", "Olahan Kelapa", "Makanan Olahan", "Kerajinan", "Lainnya"],
        "produk_utama": ["Minyak Kelapa", "VCO", "Kripik Pisang", "Kain Tapis", None],
        "skala": ["Mikro", "Kecil", "Mikro", "Mikro", "Mikro"],
        "omzet_tahunan_rp": [193.8e6, None, 30e6, 500e6, 12e6],
        "tahun_mulai": [2004, 2010, None, 1999, 2015],
        "tenaga_kerja": [3, 5, 1, None, 2],
        "nib": [True, False, None, True, None],
        "pirt": [True, None, False, None, None],
        "halal": [False, True, None, None, None],
        "jangkauan_pasar": ["Kecamatan", "Nasional", "Desa", None, "Desa"],
        "pemasaran_online": [False, True, None, True, None],
    }))


def _tables():
    sales = Sales.conform(pd.DataFrame({
        "umkm_id": ["A", "A", "A", "B", "C", None],
        "bulan": pd.to_datetime(["2017-01-01", "2017-02-01", "2017-03-01", "2017-03-01", "2016-06-01", "2017-03-01"]),
        "nilai_rp": [10e6, 12e6, 14e6, 50e6, 3e6, 99e6],
    }))
    trainings = Trainings.conform(pd.DataFrame({
        "pelatihan_id": ["P1", "P2", "P3"], "nama_kegiatan": ["Bimtek Pemasaran", "Pelatihan Kemasan", "Sosialisasi"],
        "jenis": ["Pemasaran", "Kemasan", "Kelembagaan"],
        "tanggal_mulai": pd.to_datetime(["2017-02-10", "2016-05-01", None]),
    }))
    participants = Participants.conform(pd.DataFrame({
        "pelatihan_id": ["P1", "P2", "P2", "P3", "P1"], "umkm_id": ["A", "A", "C", "D", None],
        "cara_cocok": ["nik", "hp", "nama", "nama", "tidak cocok"],
    }))
    return _producers(), sales, trainings, participants


@pytest.fixture
def index() -> dirx.DirectoryIndex:
    producers, sales, trainings, participants = _tables()
    return dirx.DirectoryIndex(producers, sales, trainings, participants, synonyms=SYNONYMS)


def _ids(index, query, filters=flt.Filters()) -> list[str]:
    selection = dirx.select(index, query, filters)
    return list(index.producers["umkm_id"].iloc[selection.positions])


def test_search_terms_take_synonym_phrases_and_drop_place_words():
    assert dirx.search_terms("VCO di Desa Karya", SYNONYMS) == [("vco", "minyakkelapa"), ("karya",)]
    assert dirx.search_terms("minyak kelapa murni", SYNONYMS) == [("vco", "minyakkelapa")]  # one phrase, one term
    assert dirx.search_terms("desa", SYNONYMS) == [("desa",)]  # nothing else: kept
    assert dirx.search_terms("  ", SYNONYMS) == []


def test_a_product_synonym_finds_every_spelling(index):
    assert _ids(index, dirx.make_query(text="vco")) == ["A", "B"]  # "Minyak Kelapa" and "VCO", by name
    assert _ids(index, dirx.make_query(text="keripik")) == ["C"]  # written "Kripik"


def test_every_word_must_be_found_and_spaces_and_case_do_not_matter(index):
    assert _ids(index, dirx.make_query(text="VCO candipuro")) == ["A"]
    assert _ids(index, dirx.make_query(text="vco karya mulyasari")) == ["A"]  # "Karya Mulya Sari"
    assert _ids(index, dirx.make_query(text="vco natar")) == []
    assert _ids(index, dirx.make_query(text="sutarno")) == ["A"]  # the owner
    assert _ids(index, dirx.make_query(text="budi")) == ["E"]  # no business name: found by its owner


def test_the_desa_filter_ignores_spaces_and_a_desa_prefix(index):
    assert _ids(index, dirx.make_query(desa="Desa Karya Mulyasari")) == ["A"]
    assert _ids(index, dirx.make_query(desa="mulya")) == ["D", "A"]  # "Cintamulya" holds it too
    assert _ids(index, dirx.make_query(desa="xyz")) == []


def test_unknown_legality_is_its_own_value_never_no(index):
    def nib(*states):
        return sorted(_ids(index, dirx.make_query(legal={Producers.nib: states})))

    assert nib(dirx.ADA) == ["A", "D"]
    assert nib(dirx.TIDAK) == ["B"]
    assert nib(dirx.TIDAK_DIKETAHUI) == ["C", "E"]
    assert nib(dirx.TIDAK, dirx.TIDAK_DIKETAHUI) == ["B", "C", "E"]
    both = dirx.make_query(legal={Producers.nib: (dirx.ADA,), Producers.pirt: (dirx.TIDAK_DIKETAHUI,)})
    assert _ids(index, both) == ["D"]
    assert sorted(_ids(index, dirx.make_query(online=(dirx.TIDAK_DIKETAHUI,)))) == ["C", "E"]
    assert sorted(_ids(index, dirx.make_query(pasar=(dirx.PASAR_UNKNOWN, "Nasional")))) == ["B", "D"]


def test_trainings_count_up_to_the_end_of_the_period(index):
    assert _ids(index, dirx.make_query(done=("Pemasaran",), sort="nama")) == ["A"]
    # The Pemasaran training of A started 10 Feb 2017: a period ending January 2017 does not count it.
    january = flt.Filters(end=pd.Timestamp("2017-01-01"))
    assert _ids(index, dirx.make_query(done=("Pemasaran",)), january) == []
    assert "A" in _ids(index, dirx.make_query(not_done=("Pemasaran",)), january)
    # An undated training counts only while the period is open-ended.
    assert _ids(index, dirx.make_query(done=("Kelembagaan",))) == ["D"]
    assert _ids(index, dirx.make_query(done=("Kelembagaan",)), january) == []
    assert sorted(_ids(index, dirx.make_query(done=(dirx.ANY_TRAINING,)))) == ["A", "C", "D"]
    assert sorted(_ids(index, dirx.make_query(not_done=(dirx.ANY_TRAINING,)))) == ["B", "E"]
    assert _ids(index, dirx.make_query(done=("Pemasaran", "Kemasan"))) == ["A"]  # every jenis chosen


def test_the_sidebar_filters_apply(index):
    assert _ids(index, dirx.make_query(), flt.Filters(kecamatan=("Candipuro",))) == ["D", "A"]
    assert _ids(index, dirx.make_query(text="vco"), flt.Filters(skala=("Kecil",))) == ["B"]
    assert _ids(index, dirx.make_query(text="umkm")) == []  # an id field is searched, not a label


def test_sorts_put_missing_values_last_in_either_direction(index):
    by_omzet = _ids(index, dirx.make_query(sort="omzet"))  # starts descending
    assert by_omzet == ["D", "A", "C", "E", "B"]
    assert _ids(index, dirx.make_query(sort="omzet", descending=False)) == ["E", "C", "A", "D", "B"]
    assert _ids(index, dirx.make_query(sort="nama")) == ["C", "D", "A", "B", "E"]  # a missing name last
    assert _ids(index, dirx.make_query(sort="nama", descending=True)) == ["B", "A", "D", "C", "E"]
    assert _ids(index, dirx.make_query(sort="penjualan")) == ["B", "A", "C", "D", "E"]
    assert _ids(index, dirx.make_query(sort="terakhir")) == ["A", "B", "C", "D", "E"]  # ties by name
    assert _ids(index, dirx.make_query(sort="wilayah")) == ["D", "A", "B", "C", "E"]  # kecamatan, then desa


def test_rows_carry_the_periods_sales_last_month_and_trainings(index):
    march = flt.Filters(start=pd.Timestamp("2017-03-01"), end=pd.Timestamp("2017-03-01"))
    selection = dirx.select(index, dirx.make_query(sort="nama"), march)
    rows = dirx.rows(index, selection).set_index("umkm_id")
    assert rows.loc["A", dirx.PENJUALAN] == 14e6 and rows.loc["B", dirx.PENJUALAN] == 50e6
    assert np.isnan(rows.loc["C", dirx.PENJUALAN])  # reported, but not in March 2017
    assert rows.loc["A", dirx.TERAKHIR] == pd.Timestamp("2017-03-01")
    assert rows.loc["C", dirx.TERAKHIR] == pd.Timestamp("2016-06-01")
    assert rows.loc["A", dirx.PELATIHAN] == "Pemasaran, Kemasan" and pd.isna(rows.loc["B", dirx.PELATIHAN])
    shown = dirx.display_table(dirx.rows(index, selection)).set_index(dirx.COL_ID)
    assert shown.loc["A", dirx.COL_PENJUALAN] == "Rp 14.000.000"
    assert (shown.loc["A", "NIB"], shown.loc["B", "NIB"], shown.loc["C", "NIB"]) == ("Ada", "Tidak", "–")
    assert shown.loc["C", dirx.COL_TERAKHIR] == "Juni 2016"


def test_pages_of_fifty(monkeypatch, index):
    monkeypatch.setattr(dirx, "PAGE_SIZE", 2)
    selection = dirx.select(index, dirx.make_query())
    assert selection.n_pages == 3
    assert [len(selection.page(n)) for n in (1, 2, 3)] == [2, 2, 1]
    assert list(selection.page(9)) == list(selection.page(3))  # clipped
    assert dirx.page_line(selection, 2) == "Baris 3–4 · halaman 2 dari 3"
    assert dirx.counts_line(dirx.select(index, dirx.make_query(text="vco"))) == "2 UMKM cocok dari 5"


def test_a_link_reopens_the_same_query_and_bad_values_are_noted():
    query = dirx.make_query(text="vco", desa="Karya", legal={Producers.halal: (dirx.TIDAK_DIKETAHUI, dirx.ADA)},
                            online=(dirx.YA,), pasar=("Desa",), done=("Produksi & Mutu",),
                            not_done=(dirx.ANY_TRAINING,), sort="penjualan", descending=False)
    params = dirx.to_query(query)
    assert params["halal"] == "ada,tidak-diketahui" and params[dirx.Q_DIRECTION] == dirx.ASCENDING
    again, notes = dirx.from_query(params)
    assert again == query and notes == []
    assert dirx.to_query(dirx.make_query()) == {}
    odd, notes = dirx.from_query({"nib": "ada,mungkin", "urut": "acak", "sudah": "Pemasaran"})
    assert odd.states(Producers.nib) == (dirx.ADA,) and odd.sort == dirx.DEFAULT_SORT and odd.done == ("Pemasaran",)
    assert len(notes) == 2 and any("mungkin" in n for n in notes) and any("acak" in n for n in notes)
    assert dirx.page_from_query({"hal": "3"}) == 3 and dirx.page_from_query({"hal": "x"}) == 1


def test_the_excel_has_every_match_masked_unless_admin(index):
    selection = dirx.select(index, dirx.make_query(sort="nama"))
    sheets = dirx.export_sheets(index, selection, pd.Timestamp("2017-03-01"), "direktori?q=x")
    book = openpyxl.load_workbook(io.BytesIO(excel.workbook_bytes(sheets, dirx.EXPORT_FORMATS)))
    assert book.sheetnames == [dirx.SHEET_UMKM, dirx.SHEET_PARAMETER]
    table = pd.DataFrame(list(book[dirx.SHEET_UMKM].values)[1:], columns=next(book[dirx.SHEET_UMKM].values))
    assert len(table) == 5
    assert table.loc[table["Kode UMKM"] == "A", "NIK"].item() == "1801********0686"
    assert table.loc[table["Kode UMKM"] == "A", "No. HP"].item() == "+62811****3137"
    assert table.loc[table["Kode UMKM"] == "C", "NIB"].item() == "tidak diketahui"
    assert table.loc[table["Kode UMKM"] == "A", "Penjualan dalam periode"].item() == 36e6  # a number
    header = [c.value for c in book[dirx.SHEET_UMKM][1]]
    money = book[dirx.SHEET_UMKM].cell(row=3, column=header.index("Omzet tahunan (Rp)") + 1)
    assert money.number_format == dirx.RUPIAH_FORMAT
    parameters = dict(book[dirx.SHEET_PARAMETER].iter_rows(min_row=2, values_only=True))
    assert parameters["Tautan direktori"] == "direktori?q=x" and parameters["UMKM cocok"] == 5
    full = dirx.export_sheets(index, selection, None, "", show_personal=True)[dirx.SHEET_UMKM]
    assert "1801170203560686" in set(full["NIK"])


@pytest.mark.parametrize("seed", range(5))
def test_the_last_month_is_the_latest_reported_month_of_each_producer(seed):
    """Random sales (mid-month dates, rows without a date or an amount, unlinked rows, ids of no producer):
    each producer's last month is the month of its latest row that has a month and an amount, as a
    group-by of the dates floored to their month gives it; NaT for a producer without one."""
    rng = np.random.default_rng(seed)
    producers, _, trainings, participants = _tables()
    ids = list(producers["umkm_id"]) + ["ZZ", None]
    n = 60
    days = rng.integers(0, 900, n)
    sales = Sales.conform(pd.DataFrame({
        "umkm_id": pd.Series([ids[i] for i in rng.integers(0, len(ids), n)], dtype="string"),
        "bulan": pd.Series([pd.NaT if rng.random() < 0.1 else pd.Timestamp(2015, 1, 1) + pd.Timedelta(days=int(d))
                            for d in days], dtype="datetime64[us]"),
        "kategori": "Minuman",
        "nilai_rp": [float("nan") if rng.random() < 0.1 else float(v) for v in rng.integers(1, 10**6, n)],
    }))
    found = dirx.DirectoryIndex(producers, sales, trainings, participants).last_month
    usable = sales[sales["bulan"].notna() & sales["nilai_rp"].notna() & sales["umkm_id"].notna()]
    latest = usable.groupby("umkm_id")["bulan"].max().dt.to_period("M").dt.to_timestamp()
    expected = [latest.get(i, pd.NaT) for i in producers["umkm_id"]]
    assert [pd.Timestamp(v) if not pd.isna(v) else pd.NaT for v in found] == expected
