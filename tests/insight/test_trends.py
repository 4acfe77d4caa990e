"""Category trends (analysis/trends.py) and the chart helpers they use, on tiny inline frames: one
situation per test, exact numbers where the method decides them."""
import numpy as np
import pandas as pd
import pytest

from analysis.core import excel
from analysis.core.schemas import Producers, Sales
from analysis.insight import filters as flt
from analysis.insight import trends
from analysis.output import charts

M = "Minuman"
K = "Kerajinan"


def month(text: str) -> pd.Timestamp:
    return pd.Timestamp(f"{text}-01")


def sales(rows: list[tuple]) -> pd.DataFrame:
    """rows: (umkm_id, "YYYY-MM", kategori, nilai_rp[, produk])."""
    return Sales.conform(pd.DataFrame({
        "umkm_id": [r[0] for r in rows],
        "bulan": [month(r[1]) for r in rows],
        "kategori": [r[2] for r in rows],
        "nilai_rp": [float(r[3]) for r in rows],
        "produk": [r[4] if len(r) > 4 else None for r in rows],
    }))


def producers(rows: list[tuple]) -> pd.DataFrame:
    """rows: (umkm_id, kecamatan, kategori, produk_utama)."""
    return Producers.conform(pd.DataFrame({
        "umkm_id": [r[0] for r in rows], "kecamatan": [r[1] for r in rows], "kode_kecamatan": ["x"] * len(rows),
        "kategori": [r[2] for r in rows], "produk_utama": [r[3] for r in rows],
    }))


# --------------------------------------------------------------------------------------------------
# Sales per kategori and period


def test_sales_by_category_per_month_quarter_and_year_with_counts():
    frame = sales([("A", "2016-01", M, 100), ("B", "2016-01", M, 50), ("A", "2016-02", M, 10),
                   ("C", "2016-04", K, 7), (None, "2016-04", K, 3)])
    monthly = trends.sales_by_category(frame, "bulan")
    first = monthly.iloc[0]
    assert (first[trends.PERIODE], first[trends.KATEGORI], first[trends.PENJUALAN], first[trends.N_UMKM]) == (
        month("2016-01"), M, 150.0, 2)
    assert first[trends.LABEL] == "Januari 2016" and first[trends.TICK] == "Jan 2016"
    quarterly = trends.sales_by_category(frame, "kuartal").set_index(trends.KATEGORI)
    assert quarterly.loc[M, trends.PENJUALAN] == 160.0 and quarterly.loc[M, trends.N_UMKM] == 2
    assert quarterly.loc[M, trends.LABEL] == "Triwulan I 2016" and quarterly.loc[K, trends.LABEL] == "Triwulan II 2016"
    assert quarterly.loc[M, trends.BULAN_DATA] == 2  # January and February have data, March none
    # The unlinked row counts in the money, not in the UMKM.
    assert quarterly.loc[K, trends.PENJUALAN] == 10.0 and quarterly.loc[K, trends.N_UMKM] == 1
    yearly = trends.sales_by_category(frame, "tahun")
    assert list(yearly[trends.PERIODE].unique()) == [month("2016-01")]
    assert "2016 (3 dari 12 bulan)" in trends.incomplete_note(yearly)


def test_sales_by_category_names_the_missing_column():
    frame = sales([("A", "2016-01", M, 100)]).drop(columns=[Sales.nilai_rp])
    with pytest.raises(ValueError, match="'nilai_rp'"):
        trends.sales_by_category(frame)


def test_unknown_freq_is_refused():
    with pytest.raises(ValueError, match="kuartal"):
        trends.sales_by_category(sales([("A", "2016-01", M, 1)]), "minggu")


def test_input_is_not_modified():
    frame = sales([("A", "2016-01", M, 100), ("A", "2015-01", M, 50)])
    before = frame.copy()
    trends.sales_by_category(frame, "tahun")
    trends.yoy_growth(frame)
    pd.testing.assert_frame_equal(frame, before)


# --------------------------------------------------------------------------------------------------
# Growth against the same months a year earlier


GROWTH_ROWS = [
    ("A", "2015-01", M, 100), ("A", "2015-02", M, 50), ("B", "2015-01", M, 200),
    ("A", "2016-01", M, 120), ("A", "2016-02", M, 55), ("B", "2016-02", M, 300),  # B: no month in both years
    ("C", "2016-01", M, 999),  # new in 2016: nothing to compare with
]


def test_growth_compares_only_umkm_months_reported_in_both_years():
    growth = trends.yoy_growth(sales(GROWTH_ROWS))
    assert len(growth) == 1
    row = growth.iloc[0]
    assert (row[trends.KATEGORI], row[trends.TAHUN], row[trends.TAHUN_LALU]) == (M, 2016, 2015)
    assert row[trends.PENJUALAN] == 175.0 and row[trends.PENJUALAN_LALU] == 150.0
    assert row[trends.PERTUMBUHAN] == pytest.approx(175 / 150 - 1)
    assert row[trends.N_UMKM] == 1
    assert row[trends.BULAN_SAMA] == "Januari–Februari"
    assert "Hanya 1 UMKM" in row[trends.CATATAN]
    assert M in trends.small_groups_note(growth)


def test_growth_period_filter_chooses_the_months_but_reaches_back_a_year():
    growth = trends.yoy_growth(sales(GROWTH_ROWS), start=month("2016-02"))
    row = growth.iloc[0]
    assert row[trends.PENJUALAN] == 55.0 and row[trends.PENJUALAN_LALU] == 50.0
    assert row[trends.PERTUMBUHAN] == pytest.approx(0.1)
    assert row[trends.BULAN_SAMA] == "Februari"


def test_growth_without_note_when_enough_umkm():
    rows = [(f"U{i}", year, K, 100 if year == "2015-03" else 110) for i in range(10) for year in ("2015-03", "2016-03")]
    row = trends.yoy_growth(sales(rows)).iloc[0]
    assert row[trends.N_UMKM] == 10 and row[trends.CATATAN] == ""
    assert row[trends.PERTUMBUHAN] == pytest.approx(0.1)


def test_growth_of_a_single_year_is_empty():
    assert trends.yoy_growth(sales([("A", "2016-01", M, 1)])).empty


# --------------------------------------------------------------------------------------------------
# Seasonality and Lebaran


def _seasonal_rows() -> list[tuple]:
    """2015 and 2016 complete (July twice an ordinary month, 2016 twice the level of 2015), 2017 only a
    huge January, which must not count (incomplete year)."""
    rows = []
    for year, level in (("2015", 100), ("2016", 200)):
        for m in range(1, 13):
            rows.append(("A", f"{year}-{m:02d}", M, level * (2 if m == 7 else 1)))
    rows.append(("A", "2017-01", M, 10_000))
    return rows


def test_seasonality_uses_complete_years_and_averages_to_100():
    frame = sales(_seasonal_rows())
    assert trends.complete_years(frame) == [2015, 2016]
    season = trends.seasonality(frame)
    assert len(season) == 12
    assert season[trends.INDEKS].sum() == pytest.approx(1200)
    assert season[trends.INDEKS].mean() == pytest.approx(100)
    index = season.set_index(trends.BULAN)[trends.INDEKS]
    # July sells 2 of 13 parts of the year: 2 / (13 / 12) = 24 / 13; the level change 2015 -> 2016 drops out.
    assert index[7] == pytest.approx(100 * 24 / 13)
    assert index[1] == pytest.approx(100 * 12 / 13)  # the 2017 January is ignored
    assert set(season[trends.N_TAHUN]) == {2}


def test_seasonality_without_a_complete_year_is_empty():
    assert trends.seasonality(sales([("A", "2017-01", M, 1), ("A", "2017-02", M, 2)])).empty


def test_lebaran_months_2015_to_2017():
    lebaran = trends.lebaran_months([2017, 2015, 2016])
    assert list(lebaran[trends.TAHUN]) == [2015, 2016, 2017]
    assert list(lebaran[trends.NAMA_BULAN]) == ["Juli", "Juli", "Juni"]
    assert trends.lebaran_line(lebaran) == "Lebaran: 17 Juli 2015, 6 Juli 2016, 25 Juni 2017"


def test_lebaran_years_missing_from_the_reference_are_left_out():
    dates = pd.Series([pd.Timestamp("2016-07-06")], index=[2016])
    assert list(trends.lebaran_months([2016, 2099], dates)[trends.TAHUN]) == [2016]


def test_seasonality_marks_the_lebaran_month_of_complete_years():
    frame = sales(_seasonal_rows())
    season = trends.seasonality(frame, trends.lebaran_months([2015, 2016, 2017]))
    marks = season.set_index(trends.BULAN)[trends.LEBARAN]
    assert marks[7] == "2015, 2016"
    assert marks[6] == ""  # 2017 (June) is not a complete year here
    assert trends.lebaran_spans(season) == [(6.5, 7.5, "Lebaran 2015, 2016")]


# --------------------------------------------------------------------------------------------------
# Products and kecamatan


def test_top_products_fall_back_to_the_registry_and_merge_spellings():
    frame = sales([("A", "2016-01", M, 100, "Kopi Bubuk"), ("B", "2016-01", M, 50, " kopi  bubuk"),
                   ("C", "2016-01", M, 30, None), ("D", "2016-01", M, 20, "Jamu")])
    registry = producers([("A", "Natar", M, "Kopi"), ("B", "Natar", M, "Kopi"), ("C", "Natar", M, "Jahe Instan"),
                          ("D", "Natar", M, "Jamu")])
    top = trends.top_products(frame, registry, n=2)
    assert list(top[trends.PRODUK]) == ["Kopi Bubuk", "Jahe Instan"]
    assert list(top[trends.PENJUALAN]) == [150.0, 30.0]
    assert list(top[trends.N_UMKM]) == [2, 1]
    assert top[trends.PORSI].iloc[0] == pytest.approx(150 / 200)


def test_kecamatan_where_each_kategori_sells_most():
    frame = sales([("A", "2016-01", M, 100), ("B", "2016-01", M, 300), ("C", "2016-01", M, 100),
                   ("C", "2016-01", K, 5), (None, "2016-01", M, 1000)])
    registry = producers([("A", "Natar", M, "x"), ("B", "Kalianda", M, "x"), ("C", "Natar", M, "x")])
    by_kecamatan = trends.sales_by_kecamatan(frame, registry)
    top = trends.top_kecamatan(by_kecamatan).set_index(trends.KATEGORI)
    assert top.loc[M, trends.KECAMATAN] == "Kalianda"
    assert top.loc[M, trends.PORSI] == pytest.approx(0.6)  # the unlinked 1000 has no kecamatan
    assert top.loc[K, trends.KECAMATAN] == "Natar" and top.loc[K, trends.PORSI] == 1.0


def test_kecamatan_counts_distinct_producers_as_pandas_nunique():
    """N_UMKM per (kategori, kecamatan) is pandas' nunique of the linked producers whose kecamatan is known,
    over many rows: producers selling in several kategori and months, unlinked rows, a producer without a
    kecamatan and a sales id that is no producer's."""
    rng = np.random.default_rng(5)
    ids = [f"U{i}" for i in range(60)]
    where = {u: ["Natar", "Kalianda", "Palas", None][i % 4] for i, u in enumerate(ids)}
    rows = [(str(rng.choice(ids + [None, "X9"])), f"2016-{int(rng.integers(1, 13)):02d}",
             str(rng.choice([M, K, "Kuliner"])), int(rng.integers(1, 1000))) for _ in range(700)]
    frame = sales(rows)
    registry = producers([(u, where[u], M, "x") for u in ids])
    got = trends.sales_by_kecamatan(frame, registry).set_index([trends.KATEGORI, trends.KECAMATAN])[trends.N_UMKM]
    linked = frame.assign(kecamatan=frame[Sales.umkm_id].map(where)).dropna(subset=["kecamatan"])
    expected = linked.groupby([Sales.kategori, "kecamatan"])[Sales.umkm_id].nunique()
    assert got.sort_index().tolist() == expected.sort_index().tolist() and len(got) == len(expected) == 9


def test_kecamatan_names_the_missing_registry_column():
    with pytest.raises(ValueError, match="'kecamatan'"):
        trends.sales_by_kecamatan(sales([("A", "2016-01", M, 1)]), producers([("A", "Natar", M, "x")]).drop(columns="kecamatan"))


# --------------------------------------------------------------------------------------------------
# Everything under the filters, and the export


def test_analyse_follows_the_filters_and_exports_every_table(tiny_tables):
    everything = trends.analyse(tiny_tables, flt.Filters(), "tahun")
    natar = trends.analyse(tiny_tables, flt.Filters(kecamatan=("Natar",)), "tahun")
    assert everything.trend[trends.PENJUALAN].sum() == 507.0
    assert natar.trend[trends.PENJUALAN].sum() == 300.0  # A and B; C (Kalianda) and the unlinked row out
    growth = trends.analyse(tiny_tables, flt.Filters(start=month("2017-01")), "bulan").growth
    assert growth.iloc[0][trends.PERTUMBUHAN] == pytest.approx(0.5)  # A: March 2017 150 vs March 2016 100
    sheets = trends.export_sheets(everything, flt.Filters(kecamatan=("Natar",)), month("2017-03"))
    assert {"Tren", "Pertumbuhan", "Musiman", "Lebaran", "Produk teratas", "Kategori x kecamatan", "Parameter"} <= set(sheets)
    parameters = dict(zip(sheets["Parameter"]["Parameter"], sheets["Parameter"]["Nilai"]))
    assert parameters["Filter"] == "kecamatan: Natar" and parameters["Data sampai"] == "Maret 2017"
    assert "Jumlah UMKM melapor" in sheets["Tren"].columns
    assert excel.workbook_bytes(sheets)[:2] == b"PK"


def test_display_tables_are_indonesian_text():
    table = trends.growth_table(trends.yoy_growth(sales(GROWTH_ROWS)))
    assert table.loc[0, "Pertumbuhan"] == "+16,7%"
    assert table.loc[0, "Jumlah UMKM melapor"] == "1"
    assert table.loc[0, "Penjualan"] == "Rp 175" and table.loc[0, "Tahun"] == "2016 vs 2015"


# --------------------------------------------------------------------------------------------------
# Chart helpers (analysis/charts.py)


def _chart_frame() -> pd.DataFrame:
    return trends.sales_by_category(sales([("A", "2016-01", K, 2_000_000), ("B", "2016-01", M, 1_500_000),
                                           ("A", "2016-02", K, 2_500_000), ("B", "2016-02", M, 1_000_000)]))


def test_lines_by_group_one_trace_per_group_in_the_given_order_with_indonesian_labels():
    from analysis.core import formatting as fmt

    figure = charts.lines_by_group(_chart_frame(), trends.PERIODE, trends.PENJUALAN, trends.KATEGORI,
                                   x_text=trends.TICK, hover={"UMKM melapor": trends.N_UMKM},
                                   group_order=[M, K], formatter=fmt.rupiah_short)
    assert [t.name for t in figure.data] == [M, K]
    assert figure.layout.separators == ",."
    assert list(figure.layout.xaxis.ticktext) == ["Jan 2016", "Feb 2016"]
    assert figure.data[0].customdata[0][1] == "Rp 1,5 jt" and figure.data[0].customdata[0][2] == "1"
    assert "UMKM melapor: %{customdata[2]}" in figure.data[0].hovertemplate
    assert all(text.startswith("Rp ") for text in figure.layout.yaxis.ticktext)


def test_stacked_area_stacks_and_starts_its_axis_at_zero():
    figure = charts.stacked_area(_chart_frame(), trends.PERIODE, trends.PENJUALAN, trends.KATEGORI)
    assert {t.stackgroup for t in figure.data} == {"satu"}
    assert figure.layout.yaxis.rangemode == "tozero"


def test_group_chart_names_the_missing_column():
    with pytest.raises(ValueError, match="'jumlah'"):
        charts.lines_by_group(_chart_frame(), trends.PERIODE, "jumlah", trends.KATEGORI)


def test_mark_spans_and_level_add_shapes_with_labels():
    figure = charts.lines_by_group(_chart_frame(), trends.PERIODE, trends.PENJUALAN, trends.KATEGORI)
    charts.mark_level(charts.mark_spans(figure, [(6.5, 7.5, "Lebaran 2016")]), 100, "rata-rata")
    assert len(figure.layout.shapes) == 2
    assert {a.text for a in figure.layout.annotations} == {"Lebaran 2016", "rata-rata"}


def _one_sale_without_product():
    from analysis.core.schemas import Participants, Producers, Sales, Trainings

    producers = Producers.conform(pd.DataFrame({"umkm_id": ["A"], "kecamatan": ["Natar"], "kategori": ["Minuman"]}))
    sales = Sales.conform(pd.DataFrame({"umkm_id": ["A"], "bulan": [pd.Timestamp("2016-03-01")],
                                        "kategori": ["Minuman"], "nilai_rp": [100.0]}))
    return flt.Tables(producers, sales, Trainings.conform(pd.DataFrame()), Participants.conform(pd.DataFrame()))


@pytest.mark.parametrize("freq", trends.FREQS)
def test_sales_without_any_product_text_still_give_their_trend(freq):
    """A sales report and registry that name no product (common in real files) used to stop the page
    with a TypeError in the product ranking."""
    result = trends.analyse(_one_sale_without_product(), flt.Filters(), freq)
    assert result.trend["penjualan_rp"].tolist() == [100.0] and result.products.empty


@pytest.mark.parametrize("freq", trends.FREQS)
def test_filters_that_leave_no_sales_give_empty_tables_not_an_error(freq):
    result = trends.analyse(_one_sale_without_product(), flt.Filters(kecamatan=("Kalianda",)), freq)
    assert result.trend.empty and result.products.empty and result.kecamatan.empty
    assert str(result.trend["periode"].dtype).startswith("datetime64")


@pytest.mark.parametrize("high", [50, 5_000], ids=["table-of-the-key-range", "factorised"])
def test_groups_number_the_key_tuples_in_sort_order_and_give_each_groups_keys(high):
    """trends._groups: dense codes in the sort order of the key tuples, and every group's key values (a
    key range above a million is factorised instead of tabled: both ways)."""
    rng = np.random.default_rng(3)
    first = rng.integers(-3, 12, 4_000).astype(np.int16)
    second = rng.integers(7, 7 + high, 4_000).astype(np.int64)
    third = rng.integers(0, high, 4_000).astype(np.int32)
    codes, parts = trends._groups(first, second, third)
    tuples = pd.MultiIndex.from_arrays([first, second, third])
    expected_codes, expected_keys = pd.factorize(tuples, sort=True)
    assert np.array_equal(codes, expected_codes)
    for got, part, level in zip(parts, (first, second, third), range(3)):
        assert got.dtype == part.dtype
        assert np.array_equal(got, expected_keys.get_level_values(level).to_numpy())


@pytest.mark.parametrize("flags", [50_000_000, 20_000, 10], ids=["table-of-flags", "in-passes", "hashed-pairs"])
def test_distinct_producers_per_group_are_pandas_nunique(monkeypatch, flags):
    """trends._n_distinct: the distinct linked producers (code >= 0) of each group, as pandas' nunique
    counts them, by a table of flags in one pass or a few, or by hashing the pairs (too many passes)."""
    monkeypatch.setattr(trends, "_FLAGS", flags)
    rng = np.random.default_rng(11)
    codes = rng.integers(0, 40, 20_000)
    umkm = rng.integers(-1, 900, 20_000).astype(np.int32)
    linked = umkm >= 0
    expected = pd.Series(umkm[linked]).groupby(codes[linked]).nunique().reindex(range(42), fill_value=0)
    assert np.array_equal(trends._n_distinct(codes, umkm, 42), expected.to_numpy())
