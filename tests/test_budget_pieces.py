"""The budget plan's pieces as the pages cache them (analysis.budget.reach shared by capacity() and
candidates(), criteria() from a given per-kecamatan frame, the candidate pool ranked later, the display
text formatted once per pool) give exactly what the former one-piece code gave on the demo data. The
former code is kept verbatim below as the reference."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from analysis import budget, privacy, report
from analysis import filters as flt
from analysis import formatting as fmt
from analysis import indicators as ind
from analysis import reference as ref
from analysis.budget import (COL_PENJUALAN, COL_PRIORITAS, FUNDABLE, JENIS, KAPASITAS, KECAMATAN, LOCAL_MARKETS,
                             MARKETING, PENJUALAN_TAHUNAN, _CANDIDATE_COLUMNS, _data_end, _trained_ids, _yearly_sales)
from analysis.config import DEMO_RAW_DIR
from analysis.ingest import ingest_paths
from analysis.schemas import Producers, Sales


# ------------------------------------------------------------------ the former code, verbatim (reference)
def _former_capacity(tables, filters):
    selected = flt.apply(tables, replace(filters, start=None, end=None))
    producers = selected.producers
    yearly = _yearly_sales(selected.sales, _data_end(selected.sales, filters)).set_index(Sales.umkm_id)
    ids = producers[Producers.umkm_id].astype("string")
    active = ids.map(yearly["aktif"]).fillna(False).astype(bool)
    sales_per_year = ids.map(yearly[PENJUALAN_TAHUNAN]).astype("float64")
    rows = []
    for jenis in FUNDABLE:
        untrained = ~ids.isin(_trained_ids(selected.trainings, selected.participants, jenis))
        eligible = pd.DataFrame({KECAMATAN: producers[KECAMATAN].to_numpy(), "ok": (active & untrained).to_numpy(),
                                 "nilai": sales_per_year.to_numpy()})
        eligible = eligible[eligible["ok"]]
        grouped = eligible.groupby(KECAMATAN)["nilai"].agg(["size", "mean"])
        for name in ref.kecamatan_names():
            rows.append({KECAMATAN: name, JENIS: jenis,
                         KAPASITAS: int(grouped["size"].get(name, 0)),
                         PENJUALAN_TAHUNAN: float(grouped["mean"].get(name, float("nan")))})
    return pd.DataFrame(rows)


def _former_candidates(tables, scored, filters, *, show_personal=False):
    selected = flt.apply(tables, replace(filters, start=None, end=None))
    producers = selected.producers
    yearly = _yearly_sales(selected.sales, _data_end(selected.sales, filters)).set_index(Sales.umkm_id)
    ids = producers[Producers.umkm_id].astype("string")
    keep = (ids.map(yearly["aktif"]).fillna(False).astype(bool)
            & ~ids.isin(_trained_ids(selected.trainings, selected.participants, MARKETING))
            & producers[Producers.jangkauan_pasar].isin(LOCAL_MARKETS).fillna(False).astype(bool))
    chosen = producers[keep.to_numpy()].assign(**{PENJUALAN_TAHUNAN: ids[keep].map(yearly[PENJUALAN_TAHUNAN])
                                                  .astype("float64")})
    chosen = privacy.mask_frame(chosen, show_personal=show_personal)
    rank = dict(zip(scored[KECAMATAN], scored[budget.PERINGKAT]))
    chosen = chosen.assign(**{COL_PRIORITAS: chosen[KECAMATAN].map(rank).astype("Int64")})
    chosen = chosen.sort_values([COL_PRIORITAS, KECAMATAN, PENJUALAN_TAHUNAN], ascending=[True, True, False],
                                na_position="last", kind="stable")
    table = chosen[[COL_PRIORITAS, *_CANDIDATE_COLUMNS]].rename(columns=_CANDIDATE_COLUMNS)
    return table.reset_index(drop=True)


def _former_display(table):
    shown = table.copy()
    shown[COL_PENJUALAN] = [fmt.rupiah(v) for v in table[COL_PENJUALAN]]
    shown[COL_PRIORITAS] = [fmt.number(v) for v in table[COL_PRIORITAS]]
    return shown.fillna(fmt.MISSING)


# ------------------------------------------------------------------ the comparison
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


def test_pieces_equal_the_former_code(tables):
    weights = dict(budget.DEFAULT_WEIGHTS)
    for filters in _filters(tables):
        reached = budget.reach(tables, filters)
        pd.testing.assert_frame_equal(budget.capacity(tables, filters, reached=reached),
                                      _former_capacity(tables, filters))
        per = ind.compute(tables, filters, by_kecamatan=True)
        values = budget.criteria(None, filters, per_kecamatan=per, producers=reached.producers)
        pd.testing.assert_frame_equal(values, budget.criteria(tables, filters))
        scored = budget.score(values, weights)
        for personal in (False, True):
            former = _former_candidates(tables, scored, filters, show_personal=personal)
            assert len(former) > 0 or filters.kecamatan
            pd.testing.assert_frame_equal(budget.candidates(tables, scored, filters, show_personal=personal), former)
            pd.testing.assert_frame_equal(budget.candidates(tables, scored, filters, show_personal=personal,
                                                            reached=reached), former)
            pool = budget.candidate_pool(reached, show_personal=personal)
            ranked = budget.ranked_candidates(pool, scored, keep_index=True)
            pd.testing.assert_frame_equal(ranked.reset_index(drop=True), former)
            pd.testing.assert_frame_equal(budget.candidates_display(ranked, budget.candidate_sales_text(pool)),
                                          _former_display(former))
            pd.testing.assert_frame_equal(budget.candidates_display(former), _former_display(former))


def test_plan_from_pieces_equals_the_plan_from_tables(tables):
    params = budget.PlanParams(biaya=budget.default_costs(tables.trainings, tables.participants))
    for filters in _filters(tables):
        whole = budget.make_plan(tables, filters, params, [])
        reached = budget.reach(tables, filters)
        pieces = budget.make_plan(tables, filters, params, [], values=budget.criteria(tables, filters),
                                  reached=reached)
        for name in ("ranking", "seats", "room", "sales"):
            pd.testing.assert_frame_equal(getattr(pieces, name), getattr(whole, name))
        former_room = _former_capacity(tables, filters)
        pd.testing.assert_frame_equal(whole.room, former_room)


def test_trend_data_is_the_trend_of_the_filtered_sales(tables):
    from analysis import trends

    for filters in _filters(tables):
        pd.testing.assert_frame_equal(report.trend_data(tables, filters), trends.sales_by_category(
            flt.apply(tables, filters).sales, report.TREND_FREQ))
