"""bench.partitions on a tiny hive-partitioned set: one kabupaten's query (partition-pruned) gives that
kabupaten's numbers of the whole-country query, and the kabupaten add up to the country. No timing here."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from bench import partitions as bp

pytest.importorskip("duckdb", reason="duckdb is the engine of the measurement (requirements.txt)")

KABUPATEN = {"1801": 1.0, "1802": 3.0, "1101": 7.0}  # kode_kab -> factor on every sale


def tables(factor: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Three producers in two kecamatan with monthly sales over 2015-2017. The same umkm_ids in every
    kabupaten: the join must keep them apart by kode_kab."""
    producers = pd.DataFrame({"umkm_id": ["U1", "U2", "U3"], "kecamatan": ["Natar", "Natar", "Kalianda"],
                              "kategori": ["Makanan", "Minuman", "Makanan"]})
    rows = []
    for month in pd.date_range("2015-06-01", "2017-12-01", freq="MS"):
        rows.append(("U1", month, 100.0 * factor + month.month))
        if month.year != 2016 or month.month > 6:  # U2 misses the first half of 2016: those months do not match
            rows.append(("U2", month, 10.0 * factor))
        if month.year >= 2017:  # U3 starts in 2017: sells, but never in a matched month
            rows.append(("U3", month, 1.0 * factor))
    rows.append(("U1", pd.Timestamp("2017-03-01"), None))  # a month without a value: no reporting producer
    # a second product in a matched month of both years: each row counts once
    rows += [("U1", pd.Timestamp("2016-08-01"), 5.0 * factor), ("U1", pd.Timestamp("2017-08-01"), 50.0 * factor)]
    sales = pd.DataFrame(rows, columns=["umkm_id", "bulan", "nilai_rp"])
    sales["nilai_rp"] = sales["nilai_rp"].astype("Float64")
    return producers, sales


def expected_sales(producers: pd.DataFrame, sales: pd.DataFrame) -> dict[str, tuple[float, int]]:
    """kecamatan -> (sales in 2017, producers with a value in 2017), in pandas."""
    s = sales.merge(producers, on="umkm_id")
    s = s[(s["bulan"] >= "2017-01-01") & (s["bulan"] < "2018-01-01")]
    return {kec: (float(g["nilai_rp"].sum()), int(g.loc[g["nilai_rp"].notna(), "umkm_id"].nunique()))
            for kec, g in s.groupby("kecamatan")}


def expected_growth(producers: pd.DataFrame, sales: pd.DataFrame) -> dict[str, tuple[float, float, int]]:
    """kecamatan -> (2017 sales, the same months a year before, producers) over matched months, in pandas
    as analysis.insight.indicators counts them: a row counts when its producer reported the same month of
    the other year (membership, not a join)."""
    s = sales[sales["nilai_rp"].notna()].merge(producers, on="umkm_id")
    now = s[(s["bulan"] >= "2017-01-01") & (s["bulan"] < "2018-01-01")]
    before = s[(s["bulan"] >= "2016-01-01") & (s["bulan"] < "2017-01-01")]
    now_slots = set(zip(now["umkm_id"], now["bulan"]))
    before_slots = set(zip(before["umkm_id"], before["bulan"]))
    now = now[[(u, b - pd.DateOffset(years=1)) in before_slots for u, b in zip(now["umkm_id"], now["bulan"])]]
    before = before[[(u, b + pd.DateOffset(years=1)) in now_slots for u, b in zip(before["umkm_id"], before["bulan"])]]
    return {kec: (float(g["nilai_rp"].sum()), float(before.loc[before["kecamatan"] == kec, "nilai_rp"].sum()),
                  int(g["umkm_id"].nunique()))
            for kec, g in now.groupby("kecamatan")}


@pytest.fixture(scope="module")
def partitioned(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("partitions")
    con = bp.connect(memory_limit="256MB")
    for kode_kab, factor in KABUPATEN.items():
        bp.write_partition(con, root, kode_kab, *tables(factor), prefix_ids=False)
    bp.open_views(con, root)
    return con, root


def close(a: float, b: float) -> bool:
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)


def test_layout_is_hive_partitioned_by_province_and_kabupaten(partitioned):
    _, root = partitioned
    found = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.parquet"))
    assert found == [f"{t}/kode_prov={k[:2]}/kode_kab={k}/part-0.parquet"
                     for t in ("producers", "sales") for k in sorted(KABUPATEN)]


def test_pruned_query_gives_the_kabupaten_numbers_of_the_full_query(partitioned):
    con, _ = partitioned
    full = con.execute(bp.sales_sql(None)).df()
    for kode_kab, factor in KABUPATEN.items():
        pruned = con.execute(bp.sales_sql(kode_kab)).df()
        assert set(pruned["kode_kab"]) == {kode_kab}
        assert bp.same_numbers(pruned, full, kode_kab)
        want = expected_sales(*tables(factor))
        got = {r.kecamatan: (r.penjualan, r.pelapor) for r in pruned.itertuples()}
        assert got.keys() == want.keys()
        for kecamatan, (penjualan, pelapor) in want.items():
            assert close(got[kecamatan][0], penjualan) and got[kecamatan][1] == pelapor


def test_kabupaten_add_up_to_the_country(partitioned):
    con, _ = partitioned
    full = con.execute(bp.sales_sql(None)).df()
    parts = [con.execute(bp.sales_sql(k)).df() for k in KABUPATEN]
    assert close(full["penjualan"].sum(), sum(p["penjualan"].sum() for p in parts))
    assert int(full["pelapor"].sum()) == sum(int(p["pelapor"].sum()) for p in parts)
    # every producer appears in each kabupaten: kept apart by kode_kab, not merged on the shared umkm_id
    assert int(full["pelapor"].sum()) == 3 * len(KABUPATEN)
    total = sum(v[0] for f in KABUPATEN.values() for v in expected_sales(*tables(f)).values())
    assert close(full["penjualan"].sum(), total)


def test_growth_over_matched_months_per_kabupaten(partitioned):
    con, _ = partitioned
    full = con.execute(bp.growth_sql(None)).df()
    for kode_kab, factor in KABUPATEN.items():
        pruned = con.execute(bp.growth_sql(kode_kab)).df()
        assert bp.same_numbers(pruned, full, kode_kab)
        want = expected_growth(*tables(factor))
        got = {r.kecamatan: (r.cur, r.prev, r.n) for r in pruned.itertuples()}
        assert got.keys() == want.keys() == {"Natar"}  # U3 (Kalianda) never sold in a matched month
        for kecamatan, (cur, prev, n) in want.items():
            assert close(got[kecamatan][0], cur) and close(got[kecamatan][1], prev) and got[kecamatan][2] == n
    assert close(full["cur"].sum(), sum(v[0] for f in KABUPATEN.values() for v in expected_growth(*tables(f)).values()))


def test_a_month_of_several_products_counts_each_sale_once(partitioned):
    """The brief's join of this year's rows with the year before's counts a sale once per row of the other
    year's month; the monthly totals first count it once, as the pandas reference does."""
    con, _ = partitioned
    want = expected_growth(*tables(1.0))["Natar"]
    joined = con.execute(bp.growth_join_sql("1801")).df().set_index("kecamatan").loc["Natar"]
    totals = con.execute(bp.growth_sql("1801")).df().set_index("kecamatan").loc["Natar"]
    assert close(totals["cur"], want[0]) and close(totals["prev"], want[1])
    assert not close(joined["cur"], want[0])  # August 2017's two rows each met two rows of August 2016


def test_pruned_query_opens_only_its_partition(partitioned):
    con, root = partitioned
    figures, _ = bp.measure(con, bp.sales_sql("1802"), runs=1)
    assert figures["files_read"] == 2  # its sales file and its producers file
    assert bp.scan_size(con, root, "1802")["files"] == 2
    figures, _ = bp.measure(con, bp.sales_sql(None), runs=1)
    size = bp.scan_size(con, root, None)
    assert figures["files_read"] == size["files"] == 6
    assert size["rows"] == sum(len(p) + len(s) for p, s in (tables(f) for f in KABUPATEN.values()))


def test_same_numbers_sees_a_difference(partitioned):
    con, _ = partitioned
    full = con.execute(bp.sales_sql(None)).df()
    pruned = con.execute(bp.sales_sql("1801")).df()
    assert not bp.same_numbers(pruned, full, "1802")  # another kabupaten's numbers
    pruned.loc[0, "penjualan"] += 0.01
    assert not bp.same_numbers(pruned, full, "1801")


def test_copies_get_their_own_umkm_ids(tmp_path: Path):
    con = bp.connect(memory_limit="256MB")
    producers, sales = tables(1.0)
    for kode_kab in ("1801", "3201"):
        bp.write_partition(con, tmp_path, kode_kab, producers, sales)
    bp.open_views(con, tmp_path)
    ids = con.execute("SELECT kode_kab, umkm_id FROM producers ORDER BY 1, 2").fetchall()
    assert ids == [("1801", "1801-U1"), ("1801", "1801-U2"), ("1801", "1801-U3"),
                   ("3201", "3201-U1"), ("3201", "3201-U2"), ("3201", "3201-U3")]
    assert con.execute("SELECT count(*) FROM sales s JOIN producers p USING (kode_kab, umkm_id)").fetchone()[0] \
        == 2 * len(sales)


def test_kabupaten_codes_start_at_home_and_go_round_the_provinces():
    codes = bp.kabupaten_codes(8)
    assert codes[0] == "1801" and len(set(codes)) == 8
    assert all(len(c) == 4 and c.isdigit() for c in codes)
    assert len({c[:2] for c in codes}) == 8  # one kabupaten per province before a second one
    with pytest.raises(ValueError):
        bp.sales_sql("18'; DROP TABLE sales; --")
