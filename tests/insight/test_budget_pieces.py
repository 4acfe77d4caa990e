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
        for personal in (False, True):
            whole = budget.candidates(tables, scored, filters, show_personal=personal)
            assert len(whole) > 0
            pd.testing.assert_frame_equal(budget.candidates(tables, scored, filters, show_personal=personal,
                                                            reached=reached), whole)
            pool = budget.candidate_pool(reached, show_personal=personal)
            ranked = budget.ranked_candidates(pool, scored, keep_index=True)
            pd.testing.assert_frame_equal(ranked.reset_index(drop=True), whole)
            pd.testing.assert_frame_equal(budget.candidates_display(ranked, budget.candidate_sales_text(pool)),
                                          budget.candidates_display(whole))


def test_candidates_are_the_active_untrained_local_producers_by_priority(tables):
    """Who is a candidate, said directly: reported sales in the last months, never trained in Pemasaran,
    a local market (desa or kecamatan); ordered by the kecamatan's priority."""
    scored = budget.score(budget.criteria(tables, flt.Filters()), budget.DEFAULT_WEIGHTS)
    reached = budget.reach(tables, flt.Filters())
    local = reached.producers[Producers.jangkauan_pasar].isin(budget.LOCAL_MARKETS).fillna(False).astype(bool)
    wanted = reached.active & reached.untrained[budget.MARKETING] & local
    found = budget.candidates(tables, scored, flt.Filters())
    assert len(found) == int(wanted.sum()) > 0
    assert found[budget.COL_PRIORITAS].is_monotonic_increasing


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
