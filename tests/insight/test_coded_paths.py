"""The coded paths behind the Tren Kategori, Ringkasan and Peta pages (analysis/insight/coded.py: masks
over coded arrays instead of filtered copies of the tables) against plain pandas: the rows the filters
keep are those of ``filters.apply``, and the sums and counts of the trend, kecamatan and indicator tables
are a pandas group-by of those rows. The whole-rupiah path (exact sums by ``np.bincount``) and the
fraction path agree: the same data in another unit gives the same tables. On the demo data and on small
random frames with fractions, ties, unlinked rows, missing kategori and products, and mid-month dates.
What the pages show of the demo data is also pinned by tests/golden."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis.core import reference as ref
from analysis.core.paths import DEMO_RAW_DIR
from analysis.core.schemas import Participants, Producers, Sales, Trainings
from analysis.insight import filters as flt
from analysis.insight import indicators as ind
from analysis.insight import trends
from analysis.insight.coded import NO_KATEGORI, NO_MONTH, CodedSales, first_days, mask_or_all, month_code, month_start

RTOL, ATOL = 1e-9, 1e-9  # sums of rupiah in another order differ in the last bits, never by a rupiah
TREND_TABLES = ("trend", "growth", "seasonality", "lebaran", "products", "kecamatan", "top_kecamatan")
PANDAS_FREQ = {"bulan": "M", "kuartal": "Q", "tahun": "Y"}


def same_rows(coded: CodedSales, tables, filters: flt.Filters) -> None:
    """The coded mask keeps exactly the sales rows ``flt.apply`` keeps."""
    rows = coded.rows(tables.producers, filters)
    kept = tables.sales.index[rows] if rows is not None else tables.sales.index
    expected = flt.apply(tables, filters)
    assert kept.equals(expected.sales.index)
    given = flt.apply(tables, filters, sales_rows=mask_or_all(coded, rows))  # ui.data.filtered_tables(sales_columns=)
    pd.testing.assert_frame_equal(given.sales, expected.sales)
    pd.testing.assert_frame_equal(given.producers, expected.producers)


def _used_sales(tables, filters: flt.Filters) -> pd.DataFrame:
    """The filtered sales rows every sum counts (a month and an amount), kategori missing named as such."""
    sales = flt.apply(tables, filters).sales
    sales = sales[sales[Sales.bulan].notna() & sales[Sales.nilai_rp].notna()]
    return sales.assign(**{Sales.kategori: sales[Sales.kategori].astype("string").fillna(NO_KATEGORI),
                           Sales.nilai_rp: sales[Sales.nilai_rp].astype("float64"),
                           Sales.bulan: pd.to_datetime(sales[Sales.bulan])})


def _close(got: pd.DataFrame, expected: pd.DataFrame, keys: list[str]) -> None:
    """The same rows (matched on ``keys``) and values; floats within RTOL."""
    order = lambda frame: frame.sort_values(keys, kind="stable").reset_index(drop=True)  # noqa: E731
    got, expected = order(got[expected.columns]), order(expected)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_exact=False, rtol=RTOL, atol=ATOL)


def trend_is_a_groupby(tables, filters: flt.Filters, freq: str, result: trends.CategoryTrends) -> None:
    """Per period and kategori: the sum of the amounts, the number of distinct producers, and the months
    of the period that hold data (of any kategori)."""
    used = _used_sales(tables, filters)
    period = used[Sales.bulan].dt.to_period(PANDAS_FREQ[freq]).dt.start_time
    grouped = used.groupby([period.rename(trends.PERIODE), used[Sales.kategori]])
    expected = pd.DataFrame({trends.PENJUALAN: grouped[Sales.nilai_rp].sum(),
                             trends.N_UMKM: grouped[Sales.umkm_id].nunique()}).reset_index()
    months = used[Sales.bulan].dt.to_period("M").groupby(period).nunique()
    expected[trends.BULAN_DATA] = expected[trends.PERIODE].map(months)
    expected[trends.PERIODE] = expected[trends.PERIODE].astype("datetime64[us]")
    got = result.trend.assign(**{trends.KATEGORI: result.trend[trends.KATEGORI].astype("string"),
                                 trends.PERIODE: result.trend[trends.PERIODE].astype("datetime64[us]")})
    _close(got, expected, [trends.PERIODE, trends.KATEGORI])
    assert got[trends.PERIODE].is_monotonic_increasing


def kecamatan_is_a_groupby(tables, filters: flt.Filters, result: trends.CategoryTrends) -> None:
    """Per kategori and the producer's kecamatan: the sum, its share of the kategori's sum, the number of
    distinct producers; the top kecamatan of a kategori is one with the largest sum."""
    used = _used_sales(tables, filters)
    where = used[Sales.umkm_id].map(tables.producers.drop_duplicates(Producers.umkm_id)
                                    .set_index(Producers.umkm_id)[Producers.kecamatan])
    used = used[where.notna()].assign(**{trends.KECAMATAN: where[where.notna()].astype("string")})
    grouped = used.groupby([Sales.kategori, trends.KECAMATAN])
    expected = pd.DataFrame({trends.PENJUALAN: grouped[Sales.nilai_rp].sum(),
                             trends.N_UMKM: grouped[Sales.umkm_id].nunique()}).reset_index()
    per_kategori = expected.groupby(Sales.kategori)[trends.PENJUALAN].transform("sum")
    expected[trends.PORSI] = expected[trends.PENJUALAN] / per_kategori
    _close(result.kecamatan.astype({trends.KATEGORI: "string", trends.KECAMATAN: "string"}), expected,
           [Sales.kategori, trends.KECAMATAN])
    best = expected.groupby(Sales.kategori)[trends.PENJUALAN].max()
    top = result.top_kecamatan
    assert sorted(top[trends.KATEGORI]) == sorted(best.index)
    np.testing.assert_allclose(top[trends.PENJUALAN], best.reindex(top[trends.KATEGORI]).to_numpy(),
                               rtol=RTOL, atol=ATOL)


def indicators_are_a_groupby(tables, filters: flt.Filters) -> None:
    """The number of UMKM and the sales in the period, per kecamatan (zeros kept) and for the kabupaten."""
    chosen = flt.apply(tables, filters)
    sales = chosen.sales[chosen.sales[Sales.nilai_rp].notna()]
    where = sales[Sales.umkm_id].map(tables.producers.drop_duplicates(Producers.umkm_id)
                                     .set_index(Producers.umkm_id)[Producers.kecamatan])
    names = list(ref.kecamatan_names())
    per = ind.compute(tables, filters, by_kecamatan=True).set_index(Producers.kecamatan)
    counts = chosen.producers[Producers.kecamatan].value_counts().reindex(names, fill_value=0)
    assert per["jumlah_umkm"].astype("int64").tolist() == counts.tolist()
    amounts = sales[Sales.nilai_rp].astype("float64").groupby(where).sum().reindex(names, fill_value=0.0)
    np.testing.assert_allclose(per["penjualan_rp"].to_numpy(float), amounts.to_numpy(float), rtol=RTOL, atol=ATOL)
    whole = ind.compute(tables, filters).iloc[0]
    assert int(whole["jumlah_umkm"]) == len(chosen.producers)
    np.testing.assert_allclose(float(whole["penjualan_rp"]), float(sales[Sales.nilai_rp].astype("float64").sum()),
                               rtol=RTOL, atol=ATOL)


def in_another_unit(tables) -> flt.Tables:
    """The same sales in sevenths of a rupiah: no amount is whole any more (the fraction path)."""
    sales = tables.sales.assign(**{Sales.nilai_rp: tables.sales[Sales.nilai_rp] / 7})
    return flt.Tables(tables.producers, sales, tables.trainings, tables.participants)


MONEY = {trends.PENJUALAN, trends.PENJUALAN_LALU, "penjualan_rp", "omzet_tahunan_rp"}


def same_in_another_unit(got: pd.DataFrame, expected: pd.DataFrame, factor: float = 7.0) -> None:
    """``got`` from the amounts divided by ``factor``: its sums times ``factor``, and everything else, as
    ``expected`` (ratios, shares, growth and counts do not depend on the unit)."""
    scaled = got.assign(**{c: got[c] * factor for c in got.columns if c in MONEY and c != "omzet_tahunan_rp"})
    pd.testing.assert_frame_equal(scaled, expected, check_exact=False, rtol=RTOL, atol=ATOL)


# --------------------------------------------------------------------------------------------------
# The demo data


@pytest.fixture(scope="module")
def demo():
    from analysis.ingest.cache import cached_ingest

    result = cached_ingest([DEMO_RAW_DIR])
    tables = flt.Tables(result.producers, result.sales, result.trainings, result.participants)
    months = sorted(pd.Timestamp(m) for m in result.sales[Sales.bulan].dropna().unique())
    return tables, months, CodedSales(result.sales, result.producers)


def demo_filters(months: list) -> list[flt.Filters]:
    last_year = months[-13]
    return [
        flt.Filters(),
        flt.Filters(start=last_year),  # the benchmark's period change
        flt.Filters(start=last_year, kecamatan=("Natar",)),  # then its kecamatan change
        flt.Filters(start=months[3], end=months[20], kategori=("Minuman", "Kerajinan"), skala=("Mikro",)),
        flt.Filters(end=months[11], kecamatan=("Kalianda", "Sidomulyo")),
    ]


def test_demo_data_amounts_are_whole_rupiah(demo):
    """The demo's sums go the exact path (bincount); in sevenths they go the fraction path."""
    tables, _, coded = demo
    assert coded.whole
    assert not CodedSales(in_another_unit(tables).sales, tables.producers).whole


@pytest.mark.parametrize("case", range(5))
def test_demo_trend_and_kecamatan_tables_are_a_pandas_groupby(demo, case):
    tables, months, coded = demo
    filters = demo_filters(months)[case]
    same_rows(coded, tables, filters)
    for freq in trends.FREQS:
        result = trends.analyse(tables, filters, freq, coded=coded)
        trend_is_a_groupby(tables, filters, freq, result)
    kecamatan_is_a_groupby(tables, filters, result)


@pytest.mark.parametrize("case", range(5))
def test_demo_indicators_are_a_pandas_groupby(demo, case):
    tables, months, _ = demo
    indicators_are_a_groupby(tables, demo_filters(months)[case])


@pytest.mark.parametrize("case", range(3))
def test_demo_tables_in_another_unit_are_the_same(demo, case):
    """Every table of Tren Kategori and every indicator, from the exact path and from the fraction path."""
    tables, months, coded = demo
    filters = demo_filters(months)[case]
    other = in_another_unit(tables)
    for freq in ("bulan", "tahun"):
        whole = trends.analyse(tables, filters, freq, coded=coded)
        fractions = trends.analyse(other, filters, freq)
        for name in TREND_TABLES:
            same_in_another_unit(getattr(fractions, name), getattr(whole, name))
    for by_kecamatan in (False, True):
        same_in_another_unit(ind.compute(other, filters, by_kecamatan=by_kecamatan),
                             ind.compute(tables, filters, by_kecamatan=by_kecamatan, coded=coded))


def test_a_coded_object_of_other_tables_is_not_used(demo):
    tables, _, coded = demo
    few = flt.Tables(tables.producers, tables.sales.iloc[:500], tables.trainings, tables.participants)
    given, built = trends.analyse(few, flt.Filters(), "bulan", coded=coded), trends.analyse(few, flt.Filters(), "bulan")
    assert len(given.trend) and given.trend[trends.N_UMKM].sum() < coded.n_rows
    for name in TREND_TABLES:
        pd.testing.assert_frame_equal(getattr(given, name), getattr(built, name))


# --------------------------------------------------------------------------------------------------
# Small random frames

IDS = ["A", "B", "C", "D", "E", None]
KECAMATAN = ["Natar", "Kalianda", "Sidomulyo", None]
KATEGORI = ["Minuman", "Kerajinan", "Makanan Olahan", None]
PRODUK = ["Kopi", " kopi ", "KOPI  bubuk", "Kopi bubuk", "Teh", "", None]
MONTHS = [pd.Timestamp(2015, 1, 1) + pd.DateOffset(months=i) for i in range(30)]

sales_rows = st.lists(st.tuples(
    st.sampled_from(IDS),
    st.sampled_from(MONTHS + [None]),
    st.booleans(),  # mid-month date
    st.sampled_from(KATEGORI),
    # no subnormal amounts: 5e-324 rupiah divided by 7 (in_another_unit) is 0.0, a sale that vanishes
    st.one_of(st.integers(0, 10**6).map(float), st.floats(0, 1e6, allow_nan=False, allow_subnormal=False),
              st.just(float("nan"))),
    st.sampled_from(PRODUK),
), min_size=0, max_size=60)

producer_rows = st.lists(st.tuples(
    st.sampled_from(KECAMATAN), st.sampled_from(KATEGORI), st.sampled_from(["Mikro", "Kecil", None]),
    st.sampled_from(["Kopi", "teh tarik", " Teh  Tarik", None]),
), min_size=5, max_size=5)


def random_tables(sales: list, producers: list) -> flt.Tables:
    producer_frame = Producers.conform(pd.DataFrame({
        "umkm_id": IDS[:5], "kecamatan": [p[0] for p in producers], "kode_kecamatan": ["x"] * 5,
        "kategori": [p[1] for p in producers], "skala": [p[2] for p in producers],
        "produk_utama": [p[3] for p in producers], "tenaga_kerja": [1, 2, 3, None, 5],
        "omzet_tahunan_rp": [1e6, 2.5e6, None, 4e6, 3e5], "nib": [True, None, False, True, True],
        "jangkauan_pasar": ["Desa", "Nasional", "Provinsi", None, "Kabupaten"],
    }))
    dates = [None if m is None else (m + pd.Timedelta(days=14) if mid else m) for _, m, mid, *_ in sales]
    sales_frame = Sales.conform(pd.DataFrame({
        "umkm_id": pd.Series([r[0] for r in sales], dtype="string"),
        "bulan": pd.to_datetime(pd.Series(dates, dtype="object")),
        "kategori": pd.Series([r[3] for r in sales], dtype="string"),
        "nilai_rp": pd.Series([r[4] for r in sales], dtype="float64"),
        "produk": pd.Series([r[5] for r in sales], dtype="string"),
    }))
    trainings = Trainings.conform(pd.DataFrame({
        "pelatihan_id": ["P1", "P2"], "nama_kegiatan": ["a", "b"], "jenis": ["Kelembagaan", "Pemasaran"],
        "tanggal_mulai": [pd.Timestamp("2015-05-10"), pd.Timestamp("2016-02-01")],
    }))
    participants = Participants.conform(pd.DataFrame({
        "pelatihan_id": ["P1", "P2", "P2"], "umkm_id": ["A", "C", None], "cara_cocok": ["nik", "nama", "tidak cocok"],
    }))
    return flt.Tables(producer_frame, sales_frame, trainings, participants)


filter_choices = st.tuples(
    st.sampled_from([None, MONTHS[3], MONTHS[12], MONTHS[14]]),
    st.sampled_from([None, MONTHS[13], MONTHS[25]]),
    st.sampled_from([(), ("Natar",), ("Kalianda", "Sidomulyo")]),
    st.sampled_from([(), ("Minuman",)]),
    st.sampled_from([(), ("Mikro",)]),
)


def as_filters(choice: tuple) -> flt.Filters:
    start, end, kecamatan, kategori, skala = choice
    if start is not None and end is not None and start > end:
        start, end = end, start
    return flt.Filters(start=start, end=end, kecamatan=kecamatan, kategori=kategori, skala=skala)


# Fractions of one kategori interleaved with another kategori's rows: pandas adds such a group in
# another order than a sorted one, and the two differ in the last bits (hypothesis once found it).
INTERLEAVED = [("B", MONTHS[0], False, None, 31047.29137789764, "Kopi"),
               ("D", MONTHS[0], False, "Minuman", 0.0, "Kopi"),
               ("B", MONTHS[0], False, None, 161597.0, "Kopi"), ("D", MONTHS[0], False, None, 280485.0, "Kopi"),
               ("B", MONTHS[12], False, None, 1.1, "Kopi"), ("B", MONTHS[12], False, None, 2.2, "Kopi"),
               ("B", MONTHS[12], False, None, 3.3, "Kopi")]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sales=sales_rows, producers=producer_rows, choice=filter_choices, freq=st.sampled_from(trends.FREQS))
@example(sales=INTERLEAVED, producers=[("Natar", "Minuman", "Mikro", "Kopi")] * 5, choice=(None,) * 2 + ((),) * 3,
         freq="bulan")
@example(sales=INTERLEAVED, producers=[("Natar", "Minuman", "Mikro", "Kopi")] * 5,
         choice=(MONTHS[12], None, (), (), ()), freq="tahun")
def test_trend_and_kecamatan_tables_of_random_frames_are_a_pandas_groupby(sales, producers, choice, freq):
    tables = random_tables(sales, producers)
    filters = as_filters(choice)
    same_rows(CodedSales(tables.sales, tables.producers), tables, filters)
    result = trends.analyse(tables, filters, freq)  # also when no row has a month and an amount
    trend_is_a_groupby(tables, filters, freq, result)
    kecamatan_is_a_groupby(tables, filters, result)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sales=sales_rows, producers=producer_rows, choice=filter_choices)
@example(
    sales=[("A", MONTHS[0], False, "Minuman", 0.0, "Kopi"), ("A", MONTHS[0], False, "Minuman", np.nan, "Kopi"),
           ("C", None, False, "Minuman", 0.0, "Kopi")],
    producers=[("Natar", "Minuman", "Mikro", "Kopi"), ("Natar", "Minuman", "Mikro", "Kopi"),
               ("Kalianda", "Minuman", "Mikro", "Kopi"), ("Natar", "Minuman", "Mikro", "Kopi"),
               ("Natar", "Minuman", "Mikro", "Kopi")],
    choice=(None, None, ("Kalianda", "Sidomulyo"), (), ()),
)  # a selected kecamatan whose producers have no dated sale (crashed the coded path)
def test_indicators_of_random_frames_are_a_pandas_groupby(sales, producers, choice):
    tables = random_tables(sales, producers)
    filters = as_filters(choice)
    indicators_are_a_groupby(tables, filters)
    months = sorted(pd.Timestamp(m) for m in tables.sales[Sales.bulan].dropna().unique())
    changes = ind.with_change(tables, filters, months)
    assert list(changes["key"]) == ind.period_keys()  # the yearly indicators are analysis.insight.yearly's


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sales=sales_rows.filter(lambda rows: any(r[1] is not None and r[4] == r[4] for r in rows)),
       producers=producer_rows, choice=filter_choices)
def test_random_tables_in_another_unit_are_the_same(sales, producers, choice):
    tables = random_tables(sales, producers)
    filters = as_filters(choice)
    other = in_another_unit(tables)
    try:
        expected = trends.analyse(tables, filters, "bulan")
    except Exception as error:  # noqa: BLE001 - nothing to sum under these filters: fails in any unit
        with pytest.raises(type(error)):
            trends.analyse(other, filters, "bulan")
        return
    found = trends.analyse(other, filters, "bulan")
    for name in TREND_TABLES:
        same_in_another_unit(getattr(found, name), getattr(expected, name))
    same_in_another_unit(ind.compute(other, filters, by_kecamatan=True),
                         ind.compute(tables, filters, by_kecamatan=True))


def test_the_public_functions_give_the_tables_of_analyse():
    """yoy_growth, top_products, sales_by_kecamatan and complete_years take frames (the report and the
    exports call them so) and give what analyse gives for the unfiltered tables."""
    tables = random_tables([("A", MONTHS[0], False, "Minuman", 10.5, "Kopi"),
                            ("A", MONTHS[12], False, "Minuman", 21.0, " kopi"),
                            (None, MONTHS[12], True, None, 3.25, None)], [("Natar", "Minuman", "Mikro", "Kopi")] * 5)
    sales, producers = tables.sales, tables.producers
    result = trends.analyse(tables, flt.Filters(), "bulan")
    pd.testing.assert_frame_equal(trends.yoy_growth(sales), result.growth)
    pd.testing.assert_frame_equal(trends.top_products(sales, producers), result.products)
    pd.testing.assert_frame_equal(trends.sales_by_kecamatan(sales, producers), result.kecamatan)
    pd.testing.assert_frame_equal(trends.sales_by_category(sales, "bulan"), result.trend)
    assert trends.complete_years(sales) == []  # two months of data: no year is complete
    assert result.products[trends.PRODUK].tolist() == ["Kopi"]  # " kopi" is the same product
    np.testing.assert_allclose(result.growth[trends.PERTUMBUHAN], [1.0], rtol=RTOL)


def test_coded_arrays_are_read_only():
    tables = random_tables([("A", MONTHS[0], False, "Minuman", 10.0, "Kopi")],
                           [("Natar", "Minuman", "Mikro", "Kopi")] * 5)
    coded = CodedSales(tables.sales, tables.producers)
    for array in (coded.umkm, coded.month, coded.nilai, coded.kategori, coded.product):
        with pytest.raises(ValueError):
            array[0] = np.zeros(1, dtype=array.dtype)[0]


@given(st.lists(st.datetimes(min_value=pd.Timestamp("1900-01-01").to_pydatetime(),
                             max_value=pd.Timestamp("2200-12-31").to_pydatetime()), max_size=20))
@settings(max_examples=60, deadline=None)
def test_month_codes_and_first_days(stamps):
    """A timestamp's month code gives back the first day of its month, as pandas' monthly periods do, and
    ``first_days`` turns ``NO_MONTH`` into NaT."""
    codes = np.array([month_code(pd.Timestamp(s)) for s in stamps] + [NO_MONTH], dtype=np.int32)
    expected = [pd.Timestamp(s).to_period("M").to_timestamp() for s in stamps]
    assert [month_start(c) for c in codes[:-1]] == expected
    days = first_days(codes)
    assert list(pd.to_datetime(days[:-1])) == expected
    assert np.isnat(days[-1])


def _whole(sales: list) -> list:
    """The rows with every amount rounded to whole rupiah (the exact path of ``CodedSales.whole``)."""
    return [(*row[:4], float(round(row[4])) if row[4] == row[4] else row[4], row[5]) for row in sales]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sales=sales_rows.map(_whole).filter(lambda rows: any(r[1] is not None and r[4] == r[4] for r in rows)),
       producers=producer_rows, choice=filter_choices, freq=st.sampled_from(trends.FREQS),
       paths=st.sampled_from(["table", "binary search", "int64 keys"]))
@example(sales=[("A", MONTHS[0], False, "Minuman", 5.0, "Kopi"), ("A", MONTHS[12], False, "Minuman", 7.0, "Teh"),
                ("A", MONTHS[13], False, "Kerajinan", 1.0, "Kopi"), ("A", MONTHS[12], True, "Minuman", 2.0, "Kopi"),
                ("B", MONTHS[1], False, "Minuman", 3.0, None), ("B", MONTHS[13], False, "Minuman", 4.0, "Kopi"),
                (None, MONTHS[12], False, "Minuman", 9.0, "Kopi")] + [("C", m, False, "Minuman", 1.0, "Teh")
                                                                      for m in MONTHS[12:24]],
         producers=[("Natar", "Minuman", "Mikro", "Kopi")] * 5, choice=(None,) * 2 + ((),) * 3, freq="kuartal",
         paths="table")
def test_the_cells_of_whole_rupiah_give_the_tables_of_the_rows(sales, producers, choice, freq, paths):
    """Whole rupiah: the trend, growth, seasonality and kecamatan tables come from the producer-months
    (``trends._cells``: distinct producers counted where a producer's sorted cells change), fractions from
    the rows. The same data in both units gives the same tables, in every grain, with the cells' month a
    year back found in the table of positions or by binary search, and with int32 or int64 keys."""
    with pytest.MonkeyPatch.context() as patch:
        if paths == "binary search":
            patch.setattr(trends, "_MAX_CELL_TABLE", 0)
        if paths == "int64 keys":
            patch.setattr(trends, "_INT32_KEYS", 0)
        tables = random_tables(sales, producers)
        filters = as_filters(choice)
        coded = CodedSales(tables.sales, tables.producers)
        assert coded.whole
        try:
            expected = trends.analyse(tables, filters, freq, coded=coded)
        except Exception as error:  # noqa: BLE001 - nothing to sum under these filters: fails in any unit
            with pytest.raises(type(error)):
                trends.analyse(in_another_unit(tables), filters, freq)
            return
        assert coded.built("yoy_cells") is not None  # (the exact path was taken)
    found = trends.analyse(in_another_unit(tables), filters, freq)
    for name in TREND_TABLES:
        same_in_another_unit(getattr(found, name), getattr(expected, name))
    trend_is_a_groupby(tables, filters, freq, expected)
    kecamatan_is_a_groupby(tables, filters, expected)


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 40)), max_size=40, unique=True))
@settings(max_examples=100, deadline=None)
def test_the_cell_a_year_before_is_found_in_the_table_and_by_binary_search(cells):
    cells = sorted(cells)
    umkm, kategori, month = (np.array([c[i] for c in cells], dtype=np.int32) for i in range(3))
    expected = [next((j for j, other in enumerate(cells) if other == (u, k, m - 12)), -1) for u, k, m in cells]
    assert trends._year_before(umkm, kategori, month + 600).tolist() == expected
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(trends, "_MAX_CELL_TABLE", 0)
        assert trends._year_before(umkm, kategori, month + 600).tolist() == expected
