"""The budget plan's pieces as the pages cache them (budget.reach shared by capacity() and candidates(),
criteria() from a given per-kecamatan frame, the candidate pool ranked later, the display text formatted
once per pool) give what the one-call functions give, on the demo data under several filters. What the
plan itself is on the demo data (ranking, room, seats, candidates) is pinned by tests/golden."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis import report
from analysis.core.paths import DEMO_RAW_DIR
from analysis.core.schemas import Producers, Sales
from analysis.ingest import ingest_paths
from analysis.insight import budget
from analysis.insight import filters as flt
from analysis.insight import indicators as ind


@pytest.fixture(scope="module")
def tables() -> flt.Tables:
    result = ingest_paths([DEMO_RAW_DIR])
    return flt.Tables(result.producers, result.sales, result.trainings, result.participants)


def _filters(tables) -> list[flt.Filters]:
    last = pd.to_datetime(tables.sales[Sales.bulan]).max().to_period("M").to_timestamp()
    kategori = str(tables.producers[Producers.kategori].dropna().iloc[0])
    return [flt.Filters(), flt.Filters(start=last - pd.DateOffset(months=12), end=last),
            flt.Filters(end=last - pd.DateOffset(months=5), kecamatan=("Natar", "Kalianda")),
            flt.Filters(kategori=(kategori,))]


def test_pieces_equal_the_one_call_functions(tables):
    weights = dict(budget.DEFAULT_WEIGHTS)
    for filters in _filters(tables):
        reached = budget.reach(tables, filters)
        room = budget.capacity(tables, filters)
        pd.testing.assert_frame_equal(budget.capacity(tables, filters, reached=reached), room)
        assert room[budget.KAPASITAS].sum() > 0
        per = ind.compute(tables, filters, by_kecamatan=True)
        values = budget.criteria(None, filters, per_kecamatan=per, producers=reached.producers)
        pd.testing.assert_frame_equal(values, budget.criteria(tables, filters))
        scored = budget.score(values, weights)
        params = budget.PlanParams(biaya=budget.default_costs(tables.trainings, tables.participants))
        plan = budget.make_plan(tables, filters, params, [], values=values, room=room)
        assert scored.equals(plan.ranking)
        for personal in (False, True):
            whole = budget.candidates(tables, plan, filters, show_personal=personal)
            assert len(whole) > 0
            pd.testing.assert_frame_equal(budget.candidates(tables, plan, filters, show_personal=personal,
                                                            reached=reached), whole)
            pool = budget.candidate_pool(reached, show_personal=personal)
            pd.testing.assert_frame_equal(budget.invitations(pool, plan), whole)


def test_invitations_are_active_untrained_producers_as_many_as_the_seats_and_a_fifth_more(tables):
    """Who is invited, said directly: per kecamatan and jenis, as many as its seats plus reserves, each
    reported sales in the last months and was never trained in that jenis; kecamatan by priority."""
    params = budget.PlanParams(biaya=budget.default_costs(tables.trainings, tables.participants))
    plan = budget.make_plan(tables, flt.Filters(), params, [])
    reached = budget.reach(tables, flt.Filters())
    found = budget.candidates(tables, plan, flt.Filters(), show_personal=True)
    invited = found[~found[budget.COL_URUTAN].str.startswith("cadangan")]
    per = invited.groupby([budget.COL_KECAMATAN, budget.COL_JENIS_PELATIHAN]).size()
    seats = plan.seats.set_index([budget.KECAMATAN, budget.JENIS])[budget.KURSI]
    assert per.sort_index().tolist() == seats.sort_index().tolist()  # exactly one invitation per seat
    assert set(found[budget.COL_JENIS_PELATIHAN]) == {"Pemasaran", "Kemasan"}  # both funded jenis get people
    for jenis, rows in found.groupby(budget.COL_JENIS_PELATIHAN):
        allowed = set(reached.producers.loc[(reached.active & reached.untrained[jenis]).to_numpy(), Producers.nik]
                      .dropna())
        assert set(rows[budget.COL_NIK].dropna()) <= allowed
        assert rows[budget.COL_PRIORITAS].is_monotonic_increasing


def test_plan_from_pieces_equals_the_plan_from_tables(tables):
    params = budget.PlanParams(biaya=budget.default_costs(tables.trainings, tables.participants))
    for filters in _filters(tables):
        whole = budget.make_plan(tables, filters, params, [])
        reached = budget.reach(tables, filters)
        pieces = budget.make_plan(tables, filters, params, [], values=budget.criteria(tables, filters),
                                  reached=reached)
        for name in ("ranking", "seats", "room", "sales"):
            pd.testing.assert_frame_equal(getattr(pieces, name), getattr(whole, name))
        assert whole.n_seats > 0 and whole.spent_rp <= params.anggaran_rp


def test_trend_data_is_the_trend_of_the_filtered_sales(tables):
    from analysis.insight import trends

    for filters in _filters(tables):
        pd.testing.assert_frame_equal(report.trend_data(tables, filters), trends.sales_by_category(
            flt.apply(tables, filters).sales, report.TREND_FREQ))


def _invitations_by_sorting_each_group(pool: pd.DataFrame, plan) -> pd.DataFrame:
    """The invitations as a plain per-group sort of the whole rows would give them (the reference)."""
    import math

    rank = dict(zip(plan.ranking[budget.KECAMATAN], plan.ranking[budget.PERINGKAT]))
    seats = {(r[budget.KECAMATAN], r[budget.JENIS]): int(r[budget.KURSI]) for r in plan.seats.to_dict("records")}
    parts = []
    for (kecamatan, jenis), group in pool.groupby([budget.KECAMATAN, budget.JENIS], sort=False):
        n = seats.get((kecamatan, jenis), 0)
        if n == 0:
            continue
        taken = group.sort_values([budget._FIRST, budget.PENJUALAN_TAHUNAN], ascending=[True, False],
                                  na_position="last", kind="stable").head(n + math.ceil(n * budget.RESERVE_SHARE))
        labels = [str(i + 1) if i < n else f"cadangan {i - n + 1}" for i in range(len(taken))]
        place = rank.get(kecamatan)
        order = (budget.FUNDABLE.index(jenis), math.inf if place is None or pd.isna(place) else place, kecamatan)
        parts.append((order, taken.assign(_rank=place, **{budget.COL_URUTAN: labels})))
    table = pd.concat([part for _, part in sorted(parts, key=lambda item: item[0])])
    table = table.assign(**{budget.COL_PRIORITAS: table["_rank"].astype("Int64")}).rename(
        columns={budget.JENIS: budget.COL_JENIS_PELATIHAN, **budget._CANDIDATE_COLUMNS})
    columns = [budget.COL_JENIS_PELATIHAN, budget.COL_PRIORITAS, budget.COL_URUTAN, *budget._CANDIDATE_COLUMNS.values()]
    return table[columns].reset_index(drop=True)


def test_invitations_are_each_funded_group_sorted_with_ties_and_missing_sales(tables):
    """Ties in sales keep the pool's order and missing sales come last, as a stable sort of each group's
    rows puts them; with a pool whose sales are rounded (many ties) and partly missing."""
    params = budget.PlanParams(biaya=budget.default_costs(tables.trainings, tables.participants))
    plan = budget.make_plan(tables, flt.Filters(), params, [])
    pool = budget.candidate_pool(budget.reach(tables, flt.Filters()))
    rounded = (pool[budget.PENJUALAN_TAHUNAN] // 50_000_000 * 50_000_000).astype("Float64")
    pool = pool.assign(**{budget.PENJUALAN_TAHUNAN: rounded.mask(pool.index % 7 == 0)})
    found = budget.invitations(pool, plan)
    assert len(found) > 50 and found[budget.COL_URUTAN].str.startswith("cadangan").any()
    pd.testing.assert_frame_equal(found, _invitations_by_sorting_each_group(pool, plan))


def test_reach_looks_each_producer_up_as_a_map_by_id_would(tables):
    """reach's active, yearly sales and untrained flags equal a lookup by umkm_id (pandas ``map`` and
    ``isin``, the former code) of the yearly sales and the trained ids, under every filter state."""
    for filters in _filters(tables):
        reached = budget.reach(tables, filters)
        selected = flt.apply(tables, flt.Filters(kecamatan=filters.kecamatan, kategori=filters.kategori,
                                                 skala=filters.skala))
        yearly = budget._yearly_sales(selected.sales, budget._data_end(selected.sales, filters)).set_index(Sales.umkm_id)
        ids = selected.producers[Producers.umkm_id].astype("string")
        assert reached.ids.equals(ids)
        pd.testing.assert_series_equal(reached.active, ids.map(yearly["aktif"]).fillna(False).astype(bool))
        pd.testing.assert_series_equal(reached.sales_per_year, ids.map(yearly[budget.PENJUALAN_TAHUNAN]).astype("float64"))
        assert reached.active.any() and not reached.active.all() and reached.sales_per_year.notna().any()
        for jenis, flags in reached.untrained.items():
            trained = budget._trained_ids(selected.trainings, selected.participants, jenis)
            pd.testing.assert_series_equal(flags, ~ids.isin(trained))
