"""The data layer (analysis/engine): a version's sales kept in its Parquet file and queried there give the
same numbers as the sales frame in memory, on the demo data and within RTOL.

Two views of one ingest cache entry are compared: the result with its sales frame (what the command and
the tests use) and the result whose sales stay on disk (a zero-row stand-in, as the dashboard holds it),
read through ``CodedSales.stored`` and the DuckDB engine. Every analysis the pages run on the sales is
computed both ways: indicators per kecamatan and for the region with period and producer filters, the
trends, the yearly realisation, the budget's reach, the kategori summary and the training impact table.
The engine's matched-month flags are checked against a plain pandas join."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analysis import impact
from analysis.core.paths import DEMO_RAW_DIR
from analysis.core.schemas import Producers, Sales
from analysis.engine import (
    SALES_FILE,
    Engine,
    duck,
    engine_table,
    has_engine_columns,
    producer_numbers,
    read_sales,
    row_count,
    without_rows,
)
from analysis.ingest import cache as ingest_cache
from analysis.ingest import ingest_paths
from analysis.insight import budget, profile, trends, yearly
from analysis.insight import filters as flt
from analysis.insight import indicators as ind
from analysis.insight.coded import CodedSales, covers

RTOL = 1e-9  # sums of rupiah in another order differ in the last bits, never by a rupiah
FILTERS = [
    flt.Filters(),
    flt.Filters(start=pd.Timestamp("2017-01-01"), end=pd.Timestamp("2017-12-01")),
    flt.Filters(kecamatan=("Natar", "Candipuro")),
    flt.Filters(start=pd.Timestamp("2016-04-01"), end=pd.Timestamp("2016-09-01"), kategori=("Makanan Olahan",)),
    flt.Filters(end=pd.Timestamp("2016-06-01"), skala=("Mikro",)),
]


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> tuple:
    """(frame tables, frame coded, stored tables, stored coded) of the demo data: the ingest's tables built
    in memory, and the cache entry whose sales the ingest wrote to its engine file as it linked them."""
    cache = tmp_path_factory.mktemp("engine-cache")
    full = ingest_paths([DEMO_RAW_DIR])
    stored = ingest_cache.cached_ingest([DEMO_RAW_DIR], cache_dir=cache, with_sales=False)
    assert len(stored.sales) == 0 and row_count(stored.sales) == len(full.sales) > 10_000
    assert has_engine_columns(stored.folder)
    return (full, CodedSales(full.sales, full.producers), stored, CodedSales.stored(stored.folder, stored.producers))


def test_the_stored_sales_are_the_sales(versions):
    full, _, stored, coded = versions
    pd.testing.assert_frame_equal(read_sales(stored.folder), full.sales.reset_index(drop=True))
    pd.testing.assert_frame_equal(coded.frame(None, [Sales.umkm_id, Sales.nilai_rp]),
                                  full.sales[[Sales.umkm_id, Sales.nilai_rp]].reset_index(drop=True))
    rows = (full.sales[Sales.kategori] == "Minuman").to_numpy(dtype=bool)
    pd.testing.assert_frame_equal(coded.frame(rows), full.sales[rows].reset_index(drop=True))


def test_the_ingest_writes_the_sales_as_it_links_them_and_reports_the_same(versions, tmp_path):
    """With a folder, the ingest's linked sales go straight into the engine file (the result holds a
    stand-in): the same rows and report as the tables it builds in memory; a folder it cannot write
    leaves the sales in memory instead."""
    full = versions[0]
    written = ingest_paths([DEMO_RAW_DIR], sales_folder=tmp_path)
    assert written.folder == tmp_path and len(written.sales) == 0 and row_count(written.sales) == len(full.sales)
    pd.testing.assert_frame_equal(read_sales(tmp_path), full.sales)
    assert written.report == full.report
    pd.testing.assert_frame_equal(written.producers, full.producers)
    nowhere = ingest_paths([DEMO_RAW_DIR], sales_folder=tmp_path / "tidak-ada" / "folder")
    assert nowhere.folder is None
    pd.testing.assert_frame_equal(nowhere.sales, full.sales)


def test_the_sales_file_is_written_a_row_group_at_a_time(versions, tmp_path, monkeypatch):
    """Each row group is conformed on its own, and the engine's columns (computed over all rows: a
    producer's year before may lie in another group) are cut to match."""
    import pyarrow.parquet as pq

    full = versions[0]
    monkeypatch.setattr(duck, "ROW_GROUP", 7_000)
    duck.write_sales(full.sales, full.producers, tmp_path)
    assert pq.read_metadata(tmp_path / SALES_FILE).num_row_groups == -(-len(full.sales) // 7_000) > 2
    pd.testing.assert_frame_equal(read_sales(tmp_path), full.sales)
    whole = engine_table(full.sales, full.producers)
    in_groups = pq.read_table(tmp_path / SALES_FILE)
    for name in ("umkm_no", "bulan_no", "ada_tahun_lalu", "ada_tahun_depan"):
        assert in_groups[name].equals(whole[name]), name
    assert in_groups["ada_tahun_lalu"].to_numpy().any()
    # text held as categories (the ingest's linked rows): each group takes its text from the categories
    as_categories = full.sales.assign(**{name: full.sales[name].astype("category")
                                         for name in (Sales.umkm_id, Sales.kategori, Sales.produk)})
    (tmp_path / "kategori").mkdir()
    duck.write_sales(as_categories, full.producers, tmp_path / "kategori")
    pd.testing.assert_frame_equal(read_sales(tmp_path / "kategori"), full.sales)


def test_the_arrays_read_from_the_file_equal_those_of_the_frame(versions):
    _, from_frame, _, from_file = versions
    assert from_file.n_rows == from_frame.n_rows
    ids_frame = from_frame.ids.to_numpy(dtype=object)[np.maximum(from_frame.umkm, 0)]
    ids_file = from_file.ids.to_numpy(dtype=object)[np.maximum(from_file.umkm, 0)]
    assert np.array_equal(from_frame.umkm >= 0, from_file.umkm >= 0)
    assert np.array_equal(np.where(from_frame.umkm >= 0, ids_frame, ""), np.where(from_file.umkm >= 0, ids_file, ""))
    for name in ("month", "dates", "kategori", "product_key"):
        assert np.array_equal(getattr(from_frame, name), getattr(from_file, name), equal_nan=False), name
    assert np.array_equal(from_frame.nilai, from_file.nilai, equal_nan=True)
    assert from_frame.kategori_names.equals(from_file.kategori_names)
    assert from_frame.months() == from_file.months()
    assert np.array_equal(from_frame.kecamatan(), from_file.kecamatan())


def _built_arrays(coded: CodedSales) -> dict:
    """What ``CodedSales`` keeps beside a version's sales file, in the form the pages read it."""
    return {"kategori": coded.kategori, "kategori_names": coded.kategori_names.tolist(), "product": coded.product,
            "spellings": coded.spellings.tolist(), "product_key": coded.product_key, "whole": coded.whole,
            "kecamatan_of_id": coded.kecamatan_of_id, "kecamatan_names": list(coded.kecamatan_names)}


def _same_arrays(left: dict, right: dict) -> None:
    assert left.keys() == right.keys()
    for name in left:
        assert np.array_equal(left[name], right[name]), name


def test_built_arrays_are_kept_beside_the_version_and_read_back(versions, tmp_path):
    """The arrays that take a pass over the sales' text are kept in the version's folder (KEPT_FOLDER): a
    second CodedSales of the version reads them back equal to the built ones and to the frame's; a kept
    file that is damaged is built again; other producers get arrays of their own beside them."""
    import shutil

    from analysis.insight.coded import KEPT_FOLDER

    _, from_frame, stored, _ = versions
    folder = tmp_path / "versi"
    shutil.copytree(stored.folder, folder, ignore=shutil.ignore_patterns(KEPT_FOLDER))
    first = CodedSales.stored(folder, stored.producers)
    built = _built_arrays(first)
    _same_arrays(built, _built_arrays(from_frame))
    suffix = first._kept_at[1]
    kept = sorted(p.name for p in (folder / KEPT_FOLDER).rglob("*.npz"))
    assert kept == [f"{name}-{suffix}.npz" for name in ("kategori", "kecamatan", "product", "whole")]

    again = CodedSales.stored(folder, stored.producers)

    def refuse():
        raise AssertionError("built again, not read back")
    again.text_codes = lambda name: refuse()  # every kept array is built from text_codes or nilai
    again._build_product_codes = refuse
    again.__dict__["nilai"] = None  # (whole is built from the amounts)
    _same_arrays(_built_arrays(again), built)

    damaged = next((folder / KEPT_FOLDER).rglob("product-*.npz"))
    damaged.write_bytes(b"bukan npz")
    _same_arrays(_built_arrays(CodedSales.stored(folder, stored.producers)), built)
    assert damaged.stat().st_size > 100  # written again
    short = next((folder / KEPT_FOLDER).rglob("kategori-*.npz"))  # readable, but not this sales file's rows
    np.savez(short, a0=built["kategori"][:-1], a1=np.asarray(built["kategori_names"], dtype=str))
    _same_arrays(_built_arrays(CodedSales.stored(folder, stored.producers)), built)

    other = stored.producers.assign(**{Producers.produk_utama: stored.producers[Producers.produk_utama].str.upper()})
    changed = CodedSales.stored(folder, other)
    assert changed._kept_at[1] != suffix
    assert changed.spellings.tolist() != built["spellings"]
    assert len(list((folder / KEPT_FOLDER).rglob("product-*.npz"))) == 2
    _same_arrays(_built_arrays(CodedSales.stored(folder, stored.producers)), built)

    stale = folder / KEPT_FOLDER / "kode-lama"
    stale.mkdir()
    (folder / KEPT_FOLDER / first._kept_at[0].name / f"whole-{suffix}.npz").unlink()
    assert CodedSales.stored(folder, stored.producers).whole == built["whole"]
    assert [p.name for p in (folder / KEPT_FOLDER).iterdir()] == [first._kept_at[0].name]  # other code's arrays go


def test_the_indicators_sums_are_kept_beside_the_version_and_read_back(versions, tmp_path):
    """The sums per kecamatan and month and the producers' reporting months (analysis.insight.indicators) are
    kept beside the version too: a new CodedSales of the version (a restart, a new session) gives the same
    indicators from them without building them from the rows again."""
    import shutil

    from analysis.insight.coded import KEPT_FOLDER

    _, _, stored, _ = versions
    folder = tmp_path / "versi"
    shutil.copytree(stored.folder, folder, ignore=shutil.ignore_patterns(KEPT_FOLDER))
    chosen = FILTERS[:3]  # the whole area, a period, two kecamatan: read from the sums per kecamatan
    first = CodedSales.stored(folder, stored.producers)
    expected = [ind.compute(stored, f, by_kecamatan=True, coded=first) for f in chosen]
    kept = {p.name.rsplit("-", 1)[0] for p in (folder / KEPT_FOLDER).rglob("*.npz")}
    assert {"kecamatan_cube", "month_presence"} <= kept

    again = CodedSales.stored(folder, stored.producers)
    again.__dict__["year_flags"] = None  # both are built from the engine's year flags: building them now fails
    for f, table in zip(chosen, expected):
        pd.testing.assert_frame_equal(ind.compute(stored, f, by_kecamatan=True, coded=again), table)


@pytest.mark.parametrize("by_kecamatan", [False, True])
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: f.describe())
def test_indicators_from_the_file_equal_those_from_the_frame(versions, filters, by_kecamatan):
    full, from_frame, stored, from_file = versions
    expected = ind.compute(full, filters, by_kecamatan=by_kecamatan, coded=from_frame)
    got = ind.compute(stored, filters, by_kecamatan=by_kecamatan, coded=from_file)
    pd.testing.assert_frame_equal(got, expected, rtol=RTOL)
    assert expected["penjualan_rp"].sum() > 0


def test_growth_counts_matched_months_only(versions):
    """The engine's flags give the growth of a plain join on (producer, month a year before)."""
    full, _, stored, from_file = versions
    filters = flt.Filters(start=pd.Timestamp("2017-01-01"), end=pd.Timestamp("2017-12-01"))
    sales = full.sales.dropna(subset=[Sales.umkm_id, Sales.bulan])
    month = pd.to_datetime(sales[Sales.bulan]).dt.to_period("M")
    keyed = pd.DataFrame({"id": sales[Sales.umkm_id].astype(str), "m": month, "v": sales[Sales.nilai_rp].astype(float)})
    now = keyed[(keyed["m"] >= pd.Period("2017-01", "M")) & (keyed["m"] <= pd.Period("2017-12", "M"))]
    before = keyed[(keyed["m"] >= pd.Period("2016-01", "M")) & (keyed["m"] <= pd.Period("2016-12", "M"))]
    slots_before = set(zip(before["id"], before["m"] + 12))
    slots_now = set(zip(now["id"], now["m"]))
    current = now[[s in slots_before for s in zip(now["id"], now["m"])]]["v"].sum()
    previous = before[[s in slots_now for s in zip(before["id"], before["m"] + 12)]]["v"].sum()
    got = ind.compute(stored, filters, coded=from_file).iloc[0]
    assert got["pertumbuhan_penjualan"] == pytest.approx(current / previous - 1, rel=RTOL)
    # producers who joined later do not count as growth: their months have no partner
    assert len(now) > len(now[[s in slots_before for s in zip(now["id"], now["m"])]])


@pytest.mark.parametrize("filters", FILTERS[:3], ids=lambda f: f.describe())
def test_pages_analyses_from_the_file_equal_those_from_the_frame(versions, filters):
    full, from_frame, stored, from_file = versions
    expected, got = trends.analyse(full, filters, coded=from_frame), trends.analyse(stored, filters, coded=from_file)
    for name in ("trend", "growth", "seasonality", "products", "kecamatan", "top_kecamatan"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(expected, name), rtol=RTOL, obj=name)
    pd.testing.assert_frame_equal(yearly.realisation(stored, filters, coded=from_file),
                                  yearly.realisation(full, filters, coded=from_frame), rtol=RTOL)
    reach_file, reach_frame = budget.reach(stored, filters, coded=from_file), budget.reach(full, filters)
    pd.testing.assert_series_equal(reach_file.active, reach_frame.active)
    pd.testing.assert_series_equal(reach_file.sales_per_year, reach_frame.sales_per_year, rtol=RTOL)
    assert reach_frame.active.any()
    selected = flt.apply(full, filters)
    pd.testing.assert_frame_equal(
        profile.category_summary(selected.producers, None, coded=from_file, rows=from_file.rows(stored.producers, filters)),
        profile.category_summary(selected.producers, selected.sales), rtol=RTOL)


def test_the_impact_table_from_the_file_equals_that_from_the_frame(versions):
    full, from_frame, stored, from_file = versions
    scope = flt.Filters(kecamatan=("Natar",))
    on_disk = from_file.apply(stored, scope, [Sales.umkm_id, Sales.bulan, Sales.nilai_rp])
    in_memory = flt.apply(full, scope)
    assert len(on_disk.sales) == len(in_memory.sales) > 0
    expected = impact.estimate_all(in_memory.producers, in_memory.sales, in_memory.trainings, in_memory.participants,
                                   seed=7, n_boot=40)
    got = impact.estimate_all(on_disk.producers, on_disk.sales, on_disk.trainings, on_disk.participants,
                              seed=7, n_boot=40)
    from_arrays = impact.estimate_all(on_disk.producers, None, on_disk.trainings, on_disk.participants, seed=7,
                                      n_boot=40, coded=from_file, rows=from_file.rows(stored.producers, scope))
    assert [r.jenis for r in got] == [r.jenis for r in expected] == [r.jenis for r in from_arrays]
    assert any(r.efek_persen is not None for r in expected)
    for a, b in [*zip(got, expected), *zip(from_arrays, expected)]:
        assert (a.n_peserta, a.n_pembanding) == (b.n_peserta, b.n_pembanding)
        for field in ("efek_persen", "ci_bawah", "ci_atas"):
            if getattr(b, field) is None:
                assert getattr(a, field) is None, field
            else:
                assert getattr(a, field) == pytest.approx(getattr(b, field), rel=1e-6, abs=1e-9, nan_ok=True), field


def test_a_stand_in_is_never_read_as_no_sales(versions):
    full, _, stored, from_file = versions
    assert covers(from_file, stored.sales) and not covers(from_file, full.sales.iloc[:10])
    with pytest.raises(ValueError, match="CodedSales.stored"):
        CodedSales(stored.sales, stored.producers)
    assert row_count(without_rows(full.sales)) == len(full.sales)


def test_one_kecamatan_reads_its_rows_only(versions):
    full, _, stored, _ = versions
    ids = stored.producers.loc[stored.producers[Producers.kecamatan] == "Natar", Producers.umkm_id]
    numbers = producer_numbers(stored.producers, ids)
    natar = read_sales(stored.folder, [Sales.umkm_id, Sales.nilai_rp], numbers[numbers >= 0])
    expected = full.sales[full.sales[Sales.umkm_id].isin(ids)]
    assert len(natar) == len(expected) > 0
    assert natar[Sales.nilai_rp].sum() == pytest.approx(expected[Sales.nilai_rp].sum(), rel=RTOL)


def test_the_engine_in_memory_and_on_file_answer_alike(versions, tmp_path):
    full, _, stored, _ = versions
    sql = "SELECT bulan_no, count(*) AS n, sum(nilai) AS rp FROM sales GROUP BY ALL ORDER BY bulan_no NULLS FIRST"
    on_file = Engine(stored.folder).query(sql)
    in_memory = Engine(None, engine_table(full.sales, full.producers)).query(sql)
    pd.testing.assert_frame_equal(on_file, in_memory, rtol=RTOL)
    assert on_file["n"].sum() == len(full.sales)
    assert not has_engine_columns(tmp_path)
    full.sales.to_parquet(tmp_path / SALES_FILE)  # a version stored before the engine: contract columns only
    assert not has_engine_columns(tmp_path)
    with pytest.raises(ValueError):
        Engine(tmp_path)


def test_a_filter_change_keeps_one_answer(versions):
    """The dashboard's CodedSales memoises the producer side per filter: a second call gives the same frame."""
    _, _, stored, from_file = versions
    filters = replace(FILTERS[2], start=pd.Timestamp("2017-01-01"))
    first = ind.compute(stored, filters, by_kecamatan=True, coded=from_file)
    pd.testing.assert_frame_equal(ind.compute(stored, filters, by_kecamatan=True, coded=from_file), first)


def test_the_engine_never_fetches_an_extension(versions):
    """The office works offline: DuckDB must not download an extension it lacks."""
    _, _, stored, _ = versions
    found = Engine(stored.folder).query("SELECT current_setting('autoinstall_known_extensions') AS i, "
                                        "current_setting('autoload_known_extensions') AS l")
    assert not found["i"].iloc[0] and not found["l"].iloc[0]



def test_the_dates_of_a_file_are_its_months_first_days(versions):
    """From a version's file, CodedSales.dates are the first days of its month codes (the contract has a
    month on every row): the same values as the file's own bulan column, not read from it."""
    _, _, stored, coded = versions
    from_column = read_sales(stored.folder)[Sales.bulan].to_numpy().astype("datetime64[us]")
    assert len(np.unique(from_column)) > 12
    assert np.array_equal(coded.dates, from_column)


def test_the_producers_fingerprint_follows_their_text_not_its_dtype():
    """The kept arrays' file suffix: the same text (string, object or categorical, sliced or not) gives the
    same fingerprint; another text, a missing value for an empty one, or another column name another."""
    import hashlib

    from analysis.insight.coded import _digest_text

    def digest(frame: pd.DataFrame) -> str:
        found = hashlib.blake2b(digest_size=12)
        _digest_text(found, frame)
        return found.hexdigest()

    base = pd.DataFrame({"umkm_id": pd.Series(["U-1", None, "U-3"], dtype="string"),
                         "kecamatan": pd.Categorical(["Natar", "Palas", "Natar"])})
    same = pd.DataFrame({"umkm_id": pd.Series(["U-1", None, "U-3"], dtype=object), "kecamatan": ["Natar", "Palas", "Natar"]})
    assert digest(base) == digest(same)
    assert digest(base.iloc[1:]) == digest(same.iloc[1:].reset_index(drop=True))
    assert digest(base) != digest(base.assign(kecamatan=["Natar", "Palas", "Sragi"]))
    assert digest(base) != digest(base.assign(umkm_id=pd.Series(["U-1", "", "U-3"], dtype="string")))
    assert digest(base) != digest(base.rename(columns={"kecamatan": "desa"}))


# Months within three years around January 1970 (before it too), so that rows a year apart are common.
_MONTH_DATES = st.builds(lambda month, day: date(1970 + month // 12, month % 12 + 1, day),
                         st.integers(-14, 14), st.integers(1, 28))
_ENGINE_ROWS = st.lists(st.tuples(st.sampled_from(["A", "B", "C", None]),  # C: not among the producers
                                  st.one_of(st.none(), _MONTH_DATES)), max_size=40)


_YEAR_APART = [("A", date(1970, 1, 5)), ("A", date(1970, 12, 1)), ("A", date(1971, 1, 31)), ("C", date(1969, 1, 2)),
               ("C", date(1970, 1, 9)), ("B", None), (None, date(1971, 1, 1)), ("A", date(1972, 1, 1))]


@settings(max_examples=80, deadline=None)
@given(rows=_ENGINE_ROWS, table=st.booleans())
@example(rows=_YEAR_APART, table=True)
@example(rows=_YEAR_APART, table=False)
def test_engine_columns_follow_their_definition(rows, table):
    """umkm_no is the id's position among the producers (strangers after them, in order of first
    appearance; null without an id), bulan_no the months since January 1970 (null without a date), and
    ada_tahun_lalu / ada_tahun_depan whether the same producer has a row twelve months before / after: with
    the table of flags and with the sorted pairs it falls back to (dates around 1970, before it too)."""
    ids = pd.Series([r[0] for r in rows], dtype="string")
    months = pd.to_datetime(pd.Series([r[1] for r in rows], dtype=object))
    producers = pd.DataFrame({Producers.umkm_id: pd.Series(["B", "A"], dtype="string")})
    before = duck._MAX_MONTH_TABLE
    duck._MAX_MONTH_TABLE = before if table else 0
    try:
        umkm_no, bulan_no, lalu, depan = (column.to_pylist() for column in duck.engine_columns(ids, months, producers))
    finally:
        duck._MAX_MONTH_TABLE = before
    known = list(duck.producer_index(producers))
    strangers = list(dict.fromkeys(i for i, _ in rows if i is not None and i not in known))
    assert umkm_no == [None if i is None else (known + strangers).index(i) for i, _ in rows]
    month = [None if d is None else (d.year - 1970) * 12 + d.month - 1 for _, d in rows]
    assert bulan_no == month
    held = {(i, m) for (i, _), m in zip(rows, month) if i is not None and m is not None}
    assert lalu == [i is not None and m is not None and (i, m - 12) in held for (i, _), m in zip(rows, month)]
    assert depan == [i is not None and m is not None and (i, m + 12) in held for (i, _), m in zip(rows, month)]
